import { z } from 'zod';
import type { ZodApp } from '../app.js';
import { SESSION_COOKIE, ctxOf } from '../auth.js';
import { login, logout, SESSION_HOURS } from '../../services/users.js';
import { actionsOf } from '../../domain/roles.js';

export default function authRoutes(app: ZodApp) {
  app.post('/api/v1/auth/login', {
    schema: { tags: ['auth'], summary: '登录 Log in', body: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) }) },
  }, async (req, reply) => {
    const { token, user, expiresAt } = await login(app.db, req.body.username, req.body.password);
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      path: '/',
      secure: req.protocol === 'https',
      expires: expiresAt,
      maxAge: SESSION_HOURS * 3600,
    });
    return { user, actions: actionsOf(user.role) };
  });

  app.post('/api/v1/auth/logout', { schema: { tags: ['auth'], summary: '退出 Log out' } }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await logout(app.db, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.get('/api/v1/auth/me', { schema: { tags: ['auth'], summary: '当前用户 Current user' } }, async (req) => {
    const ctx = ctxOf(req, app.db);
    return { user: req.actor!.user, actions: actionsOf(ctx.actor.role) };
  });
}
