// Session cookie → actor. Routes call ctxOf(req) to get the service context or a 401.
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
  // Decided on the matched route pattern, not the raw URL: Fastify decodes %xx before matching, so a
  // raw-URL check could be passed by /%61pi/v1/… while the route still runs.
  app.addHook('preHandler', async (req) => {
    if (!req.actor?.security.mustChangePassword) return;
    const route = req.routeOptions.url ?? '';
    if (route.startsWith('/api/v1/') && !OPEN_WHILE_MUST_CHANGE.has(`${req.method} ${route}`)) throw new Forbidden(mustChangeMessage);
  });
}

export function ctxOf(req: FastifyRequest, db: Db): Ctx {
  if (!req.actor) throw new Unauthorized(req.sessionEnded ? sessionEndedMessage[req.sessionEnded] : undefined);
  return { actor: req.actor, db };
}
