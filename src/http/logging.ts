// The server's structured log (Fastify's pino): one line per request with method, route pattern,
// status, milliseconds and the signed-in user's numeric id — never the URL (its query may carry a
// name or an ID number), never a body, never a cookie. The user id, not the username: usernames are
// often people's names, the id is enough to find the person through the audit log.
import type { FastifyInstance, FastifyServerOptions } from 'fastify';

/** Keys that may hold personal data or secrets wherever they appear (one or two levels deep). */
export const PERSONAL_KEYS = ['idNumber', 'id_number', 'phone', 'name', 'password', 'newPassword', 'currentPassword', 'totp', 'otp', 'token', 'secret'];

export const REDACT_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'headers.cookie',
  'headers.authorization',
  'res.headers["set-cookie"]',
  'body', 'req.body', 'query', 'req.query', 'params', 'req.params',
  ...PERSONAL_KEYS.flatMap((k) => [k, `*.${k}`]),
];

type LoggerOptions = Exclude<FastifyServerOptions['logger'], boolean | undefined>;

/** Errors as logged: type, message, code and stack; a driver's `detail` (which quotes the row's values) is left out. */
export function serializeError(err: unknown): { type: string; message: string; stack: string; [key: string]: unknown } {
  if (!(err instanceof Error)) return { type: typeof err, message: String(err), stack: '' };
  const e = err as Error & { code?: unknown; statusCode?: unknown };
  return { type: e.constructor?.name ?? 'Error', message: e.message, code: e.code, statusCode: e.statusCode, stack: e.stack ?? '' };
}

/** pino options for the server: level from JINGZHUN_LOG_LEVEL (default info), redaction, lean serializers. */
export function loggerOptions(level = process.env.JINGZHUN_LOG_LEVEL || 'info'): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      // Only what identifies the kind of request; the raw URL and headers stay out.
      req: (req: { method?: string; routeOptions?: { url?: string } }) => ({ method: req.method, route: req.routeOptions?.url }),
      res: (res: { statusCode?: number }) => ({ status: res.statusCode }),
      err: serializeError,
    },
  } as LoggerOptions;
}

/** The one line per request (Fastify's own two request lines are turned off in buildApp). */
export function registerRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', async (req, reply) => {
    req.log.info({
      method: req.method,
      route: req.routeOptions.url ?? '(no route)',
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      user: req.actor?.id ?? null,
    }, 'request');
  });
}
