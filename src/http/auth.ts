// Session cookie → actor. Routes call ctxOf(req) to get the service context or a 401.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../db/client.js';
import { Unauthorized } from '../domain/errors.js';
import type { Ctx } from '../services/context.js';
import { actorForToken, type UserView } from '../services/users.js';

export const SESSION_COOKIE = 'jz_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Ctx['actor'] & { user: UserView };
  }
}

export function registerAuth(app: FastifyInstance, db: Db) {
  app.addHook('onRequest', async (req) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) req.actor = await actorForToken(db, token);
  });
}

export function ctxOf(req: FastifyRequest, db: Db): Ctx {
  if (!req.actor) throw new Unauthorized();
  return { actor: req.actor, db };
}
