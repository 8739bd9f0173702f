import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ZodApp } from '../app.js';
import { SESSION_COOKIE, ctxOf } from '../auth.js';
import { login, logout } from '../../services/users.js';
import { accountRuntime, changePassword, confirmTotp, disableTotp, enrolTotp, logoutAll } from '../../services/account-security.js';
import { actionsOf } from '../../domain/roles.js';
import { PASSWORD_MAX_LENGTH } from '../../domain/account-policy.js';

const code = z.string().min(1).max(16);
const currentPassword = z.string().min(1).max(PASSWORD_MAX_LENGTH);

export type CookieSecure = 'auto' | 'always' | 'never';
export const COOKIE_SECURE_ENV = 'JINGZHUN_COOKIE_SECURE';

/**
 * When the session cookie carries `Secure` (JINGZHUN_COOKIE_SECURE): 'always' (the site is only
 * reached over https, e.g. behind a TLS-terminating proxy that does not send X-Forwarded-Proto),
 * 'never' (plain-http intranet; not recommended), or 'auto' (the default): when the request came
 * over https — directly, or per X-Forwarded-Proto from a proxy trusted by JINGZHUN_TRUST_PROXY
 * (an untrusted client's X-Forwarded-Proto is ignored) — or when JINGZHUN_HTTPS=1.
 */
export function cookieSecureMode(env: NodeJS.ProcessEnv = process.env): CookieSecure {
  const v = (env[COOKIE_SECURE_ENV] ?? '').trim().toLowerCase();
  if (v === '') return 'auto';
  if (v === 'auto' || v === 'always' || v === 'never') return v;
  throw new Error(
    `${COOKIE_SECURE_ENV}="${env[COOKIE_SECURE_ENV]}" 无效：请写 auto（按请求是否经 https，默认）、always 或 never / ` +
      `is not valid: give auto (by whether the request came over https; the default), always or never`,
  );
}

export default function authRoutes(app: ZodApp) {
  // Read once when the app is built, so a bad value stops the start instead of the first login.
  const secureMode = cookieSecureMode();
  const httpsSite = process.env.JINGZHUN_HTTPS === '1';
  const setSession = (req: FastifyRequest, reply: FastifyReply, token: string, expiresAt: Date) => {
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      path: '/',
      // req.protocol follows X-Forwarded-Proto only when trustProxy is set (app.ts, JINGZHUN_TRUST_PROXY).
      secure: secureMode === 'always' || (secureMode === 'auto' && (httpsSite || req.protocol === 'https')),
      expires: expiresAt,
      maxAge: Math.max(1, Math.floor((expiresAt.getTime() - accountRuntime.now().getTime()) / 1000)),
    });
  };

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
    setSession(req, reply, r.token, r.expiresAt);
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
      summary: '修改密码 Change my password (ends my other sessions; this one continues under a new cookie)',
      body: z.object({ currentPassword, newPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH) }),
    },
  }, async (req, reply) => {
    const r = await changePassword(ctxOf(req, app.db), sessionToken(req), req.body);
    setSession(req, reply, r.token, r.expiresAt);
    return { ok: true, otherSessionsEnded: r.otherSessionsEnded };
  });

  app.post('/api/v1/auth/totp/enrol', {
    schema: {
      tags: ['auth'],
      summary: '绑定验证器：生成密钥（需当前密码） Start second-factor enrolment, with the current password (市级管理员、旗县扶贫办 city_admin, county_office)',
      body: z.object({ currentPassword }),
    },
  }, async (req) => enrolTotp(ctxOf(req, app.db), req.body.currentPassword));

  app.post('/api/v1/auth/totp/confirm', {
    schema: { tags: ['auth'], summary: '绑定验证器：输入首个验证码启用 Confirm enrolment with a first code', body: z.object({ code }) },
  }, async (req) => confirmTotp(ctxOf(req, app.db), req.body.code));

  app.post('/api/v1/auth/totp/disable', {
    schema: {
      tags: ['auth'],
      summary: '停用动态验证码（需当前密码和验证码） Disable the second factor (needs the current password and a current code)',
      body: z.object({ currentPassword, code }),
    },
  }, async (req) => disableTotp(ctxOf(req, app.db), req.body));
}

function sessionToken(req: FastifyRequest): string {
  return req.cookies[SESSION_COOKIE] ?? '';
}
