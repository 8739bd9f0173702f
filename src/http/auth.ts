// Session cookie → actor. Every /api/v1/ route but the few in PUBLIC_ROUTES answers 401 without a
// session, before its body is read (one hook below); routes call ctxOf(req) for the service context.
// Issue 7: sessions past their idle or absolute limit are deleted and answered 401 with the reason;
// a session whose password must be changed reaches only the few routes needed to change it.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../db/client.js';
import { Forbidden, Unauthorized } from '../domain/errors.js';
import { mustChangeMessage, sessionEndedMessage } from '../domain/account-policy.js';
import type { Ctx } from '../services/context.js';
import { resolveSession, type SessionActor } from '../services/users.js';

export const SESSION_COOKIE = 'jz_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor?: SessionActor;
    /** Set when the request's cookie named a session that just ended (idle or absolute limit). */
    sessionEnded?: 'idle' | 'absolute';
  }
}

/**
 * The one rule on who needs a session: every route under /api/v1/ does, except these (method and
 * route pattern). Outside /api/v1/ nothing reads personal data and nothing needs a session: the
 * probes (/healthz, /readyz), the OpenAPI document and its docs page (/api/openapi.json,
 * /api/docs), the web app and its assets.
 */
export const PUBLIC_ROUTES = new Set([
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/logout', // without a session a harmless no-op that clears the cookie
  'GET /api/v1/health',
  'GET /api/v1/codes',
]);

/** True when the matched route (method, pattern) needs a signed-in session. */
export function needsSession(method: string, route: string | undefined): boolean {
  if (!route?.startsWith('/api/v1/')) return false; // no route matched (404) or not the API
  return !PUBLIC_ROUTES.has(`${method === 'HEAD' ? 'GET' : method} ${route}`);
}

/** What a session that must change its password may still call (besides the public routes). */
export const OPEN_WHILE_MUST_CHANGE = new Set([
  'GET /api/v1/auth/me',
  'POST /api/v1/auth/password',
  'POST /api/v1/auth/logout',
  'POST /api/v1/auth/logout-all',
  'POST /api/v1/auth/login',
  'GET /api/v1/codes',
  'GET /api/v1/health',
]);

export function registerAuth(app: FastifyInstance, db: Db) {
  app.addHook('onRequest', async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (!token) return;
    const r = await resolveSession(db, token);
    if (!r) return;
    if ('ended' in r) {
      req.sessionEnded = r.ended;
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return;
    }
    req.actor = r.actor;
  });
  // Without a session, 401 before the body is read, parsed or validated: an anonymous caller learns
  // nothing from field reasons and costs no parsing. preParsing runs after onRequest, so the
  // cross-origin refusal and the rate limits (route onRequest hooks) still come first.
  app.addHook('preParsing', async (req) => {
    if (!req.actor && needsSession(req.method, req.routeOptions.url)) throw unauthorized(req);
  });
  // Decided on the matched route pattern, not the raw URL: Fastify decodes %xx before matching, so a
  // raw-URL check could be passed by /%61pi/v1/… while the route still runs.
  app.addHook('preHandler', async (req) => {
    if (!req.actor?.security.mustChangePassword) return;
    const route = req.routeOptions.url ?? '';
    if (route.startsWith('/api/v1/') && !OPEN_WHILE_MUST_CHANGE.has(`${req.method} ${route}`)) throw new Forbidden(mustChangeMessage);
  });
}

function unauthorized(req: FastifyRequest): Unauthorized {
  return new Unauthorized(req.sessionEnded ? sessionEndedMessage[req.sessionEnded] : undefined);
}

/** The service context of a signed-in request (the preParsing hook has already refused anonymous ones). */
export function ctxOf(req: FastifyRequest, db: Db): Ctx {
  if (!req.actor) throw unauthorized(req);
  return { actor: req.actor, db };
}
