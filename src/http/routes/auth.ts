import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { ZodApp } from '../app.js';
import { SESSION_COOKIE, ctxOf } from '../auth.js';
import { login, logout, SESSION_HOURS } from '../../services/users.js';
import { changePassword, confirmTotp, disableTotp, enrolTotp, logoutAll } from '../../services/account-security.js';
import { actionsOf } from '../../domain/roles.js';
import { PASSWORD_MAX_LENGTH } from '../../domain/account-policy.js';

const code = z.string().min(1).max(16);

export default function authRoutes(app: ZodApp) {
  app.post('/api/v1/auth/login', {
    schema: {
      tags: ['auth'],
      summary: '登录 Log in',
      description: '账号启用了动态验证码时，先只凭密码登录得到 {needTotp: true}（不建会话），再带 totp 重新登录。 With a second factor, a login without `totp` answers {needTotp: true} and opens no session; log in again with `totp`.',
      body: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(PASSWORD_MAX_LENGTH), totp: code.optional() }),
    },
  }, async (req, reply) => {
    const r = await login(app.db, req.body.username, req.body.password, req.body.totp);
    if (r.needTotp) return { needTotp: true as const };
    reply.setCookie(SESSION_COOKIE, r.token, {
      httpOnly: true,
      sameSite: 'strict',
      path: '/',
      secure: req.protocol === 'https',
      expires: r.expiresAt,
      maxAge: SESSION_HOURS * 3600,
    });
    return { needTotp: false as const, user: r.user, actions: actionsOf(r.user.role), security: r.security };
  });

  app.post('/api/v1/auth/logout', { schema: { tags: ['auth'], summary: '退出 Log out' } }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await logout(app.db, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.post('/api/v1/auth/logout-all', { schema: { tags: ['auth'], summary: '退出所有设备 Log out everywhere (ends every session of this account)' } }, async (req, reply) => {
    const r = await logoutAll(ctxOf(req, app.db));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true, ...r };
  });

  app.get('/api/v1/auth/me', { schema: { tags: ['auth'], summary: '当前用户 Current user' } }, async (req) => {
    const ctx = ctxOf(req, app.db);
    return { user: req.actor!.user, actions: actionsOf(ctx.actor.role), security: req.actor!.security };
  });

  app.post('/api/v1/auth/password', {
    schema: {
      tags: ['auth'],
      summary: '修改密码 Change my password (ends my other sessions)',
      body: z.object({ currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH), newPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH) }),
    },
  }, async (req) => {
    const r = await changePassword(ctxOf(req, app.db), sessionToken(req), req.body);
    return { ok: true, ...r };
  });

  app.post('/api/v1/auth/totp/enrol', {
    schema: { tags: ['auth'], summary: '绑定验证器：生成密钥 Start second-factor enrolment (市级管理员、旗县扶贫办 city_admin, county_office)' },
  }, async (req) => enrolTotp(ctxOf(req, app.db)));

  app.post('/api/v1/auth/totp/confirm', {
    schema: { tags: ['auth'], summary: '绑定验证器：输入首个验证码启用 Confirm enrolment with a first code', body: z.object({ code }) },
  }, async (req) => confirmTotp(ctxOf(req, app.db), req.body.code));

  app.post('/api/v1/auth/totp/disable', {
    schema: { tags: ['auth'], summary: '停用动态验证码 Disable the second factor (needs a current code)', body: z.object({ code }) },
  }, async (req) => disableTotp(ctxOf(req, app.db), req.body.code));
}

function sessionToken(req: FastifyRequest): string {
  return req.cookies[SESSION_COOKIE] ?? '';
}
