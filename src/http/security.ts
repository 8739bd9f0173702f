// HTTP hardening in one place: security headers (helmet + CSP), the cross-origin refusal for unsafe
// methods (CSRF, beside the SameSite=Strict cookie), rate limits (login, imports, everything) and the
// limits' configuration from options and the environment. No CORS plugin is registered on purpose:
// the API answers its own origin only, so no Access-Control-* header is ever sent.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import { AppError, Forbidden } from '../domain/errors.js';

export interface RateLimits {
  /** Login attempts per client IP per window (an office behind one NAT shares it). */
  loginPerIp: number;
  /** Login attempts per username per window, from anywhere. */
  loginPerUser: number;
  /** Imports and error-report uploads per signed-in user per window. */
  importsPerUser: number;
  /** Every request per signed-in user (or per IP before sign-in) per window; assets and probes excepted. */
  global: number;
  /** The window, ms. */
  windowMs: number;
}

/** 0 turns a limit off. */
export const DEFAULT_LIMITS: RateLimits = { loginPerIp: 30, loginPerUser: 10, importsPerUser: 6, global: 1200, windowMs: 60_000 };
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
export const DEFAULT_MAX_UPLOAD = 200 * 1024 * 1024;

const ENV_LIMITS: Record<Exclude<keyof RateLimits, 'windowMs'>, string> = {
  loginPerIp: 'JINGZHUN_RATE_LOGIN_IP',
  loginPerUser: 'JINGZHUN_RATE_LOGIN_USER',
  importsPerUser: 'JINGZHUN_RATE_IMPORTS',
  global: 'JINGZHUN_RATE_GLOBAL',
};

function envNumber(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const v = env[name]?.trim();
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) {
    throw new Error(`${name}="${v}" 无效：请写非负整数（0 表示关闭）/ is not valid: give a whole number ≥ 0 (0 turns it off)`);
  }
  return n;
}

/** The limits: explicit options over JINGZHUN_RATE_* over the defaults; JINGZHUN_RATE_LIMITS=off turns all off. */
export function resolveLimits(opts: Partial<RateLimits> = {}, env: NodeJS.ProcessEnv = process.env): RateLimits {
  const out: RateLimits = { ...DEFAULT_LIMITS };
  if (env.JINGZHUN_RATE_LIMITS?.trim().toLowerCase() === 'off') Object.assign(out, { loginPerIp: 0, loginPerUser: 0, importsPerUser: 0, global: 0 });
  for (const [k, name] of Object.entries(ENV_LIMITS) as [Exclude<keyof RateLimits, 'windowMs'>, string][]) {
    const n = envNumber(env, name);
    if (n !== undefined) out[k] = n;
  }
  for (const [k, v] of Object.entries(opts) as [keyof RateLimits, number | undefined][]) if (v !== undefined) out[k] = v;
  return out;
}

/** Byte sizes from JINGZHUN_MAX_BODY / JINGZHUN_MAX_UPLOAD when set. */
export function envSize(name: 'JINGZHUN_MAX_BODY' | 'JINGZHUN_MAX_UPLOAD', env: NodeJS.ProcessEnv = process.env): number | undefined {
  const n = envNumber(env, name);
  return n === 0 ? undefined : n;
}

/** "1 MB", "200 MB", "512 KB": for messages. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MB`;
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}

/**
 * The Content-Security-Policy. Scripts only from this origin (Vite emits no inline script);
 * styles also inline because Ant Design's CSS-in-JS injects <style> elements and style attributes;
 * images may be data: (the favicon, Swagger UI's icons) or blob: (chart downloads).
 */
export function cspDirectives(https: boolean): Record<string, string[]> {
  return {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'connect-src': ["'self'"],
    'font-src': ["'self'", 'data:'],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'object-src': ["'none'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'worker-src': ["'self'", 'blob:'],
    // Over plain http (an intranet without TLS) this would break every sub-resource, so only with https.
    ...(https ? { 'upgrade-insecure-requests': [] } : {}),
  };
}

export const HSTS_MAX_AGE = 180 * 24 * 3600;

export async function registerHeaders(app: FastifyInstance, https: boolean): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: cspDirectives(https) },
    // HSTS only when the site is served over https (JINGZHUN_HTTPS=1 behind a TLS proxy); over http browsers ignore it anyway.
    strictTransportSecurity: https ? { maxAge: HSTS_MAX_AGE, includeSubDomains: false } : false,
    // Same origin keeps Referer for our own requests (the CSRF fallback) and sends none elsewhere.
    referrerPolicy: { policy: 'same-origin' },
    frameguard: { action: 'deny' },
    xContentTypeOptions: true,
    crossOriginResourcePolicy: { policy: 'same-origin' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
  });
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * True when an unsafe request names another origin: Origin (else Referer) present and its host is
 * not this server's Host. Requests with neither (CLI tools, curl, app.inject) pass; so do safe methods.
 */
export function isCrossOrigin(req: FastifyRequest): boolean {
  if (!UNSAFE.has(req.method)) return false;
  const origin = req.headers.origin;
  const source = origin !== undefined ? origin : req.headers.referer;
  if (source === undefined || source === '') return false;
  let from: URL;
  try {
    from = new URL(source); // "null" (sandboxed frames, file:, some redirects) does not parse: refused
  } catch {
    return true;
  }
  if (from.protocol !== 'http:' && from.protocol !== 'https:') return true;
  let own: string;
  try {
    own = new URL(`${from.protocol}//${req.host}`).host; // normalises the default port away like URL does
  } catch {
    return true;
  }
  return from.host !== own;
}

export const crossOriginRefused = () => new Forbidden({
  zh: '拒绝跨站请求：请求来源与本站不同（可能是伪造的请求）。请直接在本站页面操作',
  en: 'Cross-site request refused: its origin is not this site (it may be forged). Use the pages of this site',
});

export function registerCsrf(app: FastifyInstance): void {
  app.addHook('onRequest', async (req) => {
    if (isCrossOrigin(req)) throw crossOriginRefused();
  });
}

function tooMany(seconds: number, what: 'login' | 'import' | 'any'): AppError {
  const s = Math.max(1, seconds);
  const zh = { login: '登录尝试过于频繁', import: '导入过于频繁', any: '请求过于频繁' }[what];
  const en = { login: 'Too many login attempts', import: 'Too many imports', any: 'Too many requests' }[what];
  return new AppError(429, 'rate_limited', { zh: `${zh}，请 ${s} 秒后再试`, en: `${en}; try again in ${s} s` });
}

const LOGIN = '/api/v1/auth/login';
const IMPORTS = new Set(['/api/v1/imports', '/api/v1/imports/error-report']);
const EXEMPT = ['/assets/', '/healthz', '/readyz'];

/** Who a request counts against: the signed-in user, else the client IP. */
const clientKey = (req: FastifyRequest) => (req.actor?.id != null ? `user:${req.actor.id}` : `ip:${req.ip}`);

/**
 * Registers @fastify/rate-limit (the global limit, by user or IP) and the login and import limits.
 * Must come after the session hook (keys use req.actor) and before the routes (the global limit
 * attaches to each route as it is added).
 */
export async function registerRateLimits(app: FastifyInstance, limits: RateLimits): Promise<void> {
  const window = limits.windowMs;
  await app.register(rateLimit, {
    global: limits.global > 0,
    max: limits.global,
    timeWindow: window,
    keyGenerator: clientKey,
    allowList: (req) => EXEMPT.some((p) => req.url.startsWith(p)),
    errorResponseBuilder: (_req, ctx) => tooMany(Math.ceil(ctx.ttl / 1000), 'any'),
  });
  const limiter = (max: number, key: (req: FastifyRequest) => string) =>
    max > 0 ? app.createRateLimit({ max, timeWindow: window, keyGenerator: key }) : null;
  const check = async (req: FastifyRequest, reply: { header(k: string, v: unknown): unknown }, l: ReturnType<typeof limiter>, what: 'login' | 'import') => {
    if (!l) return;
    const r = await l(req);
    if (!r.isAllowed && r.isExceeded) {
      reply.header('retry-after', r.ttlInSeconds);
      throw tooMany(r.ttlInSeconds, what);
    }
  };
  const loginByIp = limiter(limits.loginPerIp, (req) => `login-ip:${req.ip}`);
  const loginByUser = limiter(limits.loginPerUser, (req) => {
    const u = (req.body as { username?: unknown } | undefined)?.username;
    return `login-user:${typeof u === 'string' ? u.trim().toLowerCase().slice(0, 64) : ''}`;
  });
  const imports = limiter(limits.importsPerUser, (req) => `import-${clientKey(req)}`);
  // Login: after the body is parsed (the username), before validation and the password hash.
  app.addHook('preValidation', async (req, reply) => {
    if (req.method !== 'POST' || req.routeOptions.url !== LOGIN) return;
    await check(req, reply, loginByIp, 'login');
    await check(req, reply, loginByUser, 'login');
  });
  // Imports: before the upload is read.
  app.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'POST' || !IMPORTS.has(req.routeOptions.url ?? '')) return;
    await check(req, reply, imports, 'import');
  });
}
