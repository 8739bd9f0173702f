// The one way the web app reaches the server: openapi-fetch typed by schema.d.ts, which
// `npm run gen:api` generates from the server's own OpenAPI document.
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

export interface ApiIssue {
  field: string;
  zh: string;
  en: string;
  row?: number;
  column?: string;
  value?: string;
}

export interface ApiErrorBody {
  code: string;
  zh: string;
  en: string;
  issues?: ApiIssue[];
  current?: unknown;
}

/** An error answer of the API ({ error: { code, zh, en, issues?, current? } }) or a network failure. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.en);
  }
  get issues(): ApiIssue[] {
    return this.body.issues ?? [];
  }
}

let onUnauthorized: () => void = () => {};
/** Called when a request answers 401 (session expired or logged out elsewhere). */
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

const authWatch: Middleware = {
  onResponse({ response, schemaPath }) {
    if (response.status === 401 && !schemaPath.startsWith('/api/v1/auth/')) onUnauthorized();
    return undefined;
  },
};

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(authWatch);

function toApiError(status: number, error: unknown): ApiError {
  const body = (error as { error?: ApiErrorBody } | undefined)?.error;
  if (body && typeof body.zh === 'string') return new ApiError(status, body);
  return new ApiError(status, { code: 'http_' + status, zh: `服务器返回错误（${status}）`, en: `The server answered ${status}` });
}

/**
 * Awaits an openapi-fetch call and returns its data as T, or throws ApiError. Most routes do not
 * declare a response schema yet, so their generated data type is empty: the caller names the shape
 * (types.ts mirrors the server's views).
 */
export async function call<T>(p: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<T> {
  let r: { data?: unknown; error?: unknown; response: Response };
  try {
    r = await p;
  } catch {
    throw new ApiError(0, { code: 'network', zh: '无法连接服务器，请检查网络后重试', en: 'Cannot reach the server; check the connection and try again' });
  }
  if (!r.response.ok) throw toApiError(r.response.status, r.error);
  return r.data as T;
}

/** Saves a Blob answer (Excel export, error workbook) under the name the server gave it. */
export function saveBlob(blob: Blob, response: Response, fallback: string): void {
  const cd = response.headers.get('content-disposition') ?? '';
  const m = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  const name = m?.[1] ? decodeURIComponent(m[1]) : fallback;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Multipart body for the import endpoints (they take the file as field `file`). */
export function fileForm(file: File | Blob, name?: string): FormData {
  const fd = new FormData();
  if (name) fd.append('file', file, name);
  else fd.append('file', file);
  return fd;
}
