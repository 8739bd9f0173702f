import { z } from 'zod';
import type { ZodApp } from '../app.js';
import { ctxOf } from '../auth.js';
import { codeLists } from '../../domain/codes.js';
import { roleLabels } from '../../domain/roles.js';
import { createUser, listUsers } from '../../services/users.js';

export default function miscRoutes(app: ZodApp) {
  app.get('/api/v1/health', { schema: { tags: ['system'], summary: '健康检查 Health' } }, async () => {
    const [row] = await app.db.query<{ ok: number }>('SELECT 1 AS ok');
    return { status: row?.ok === 1 ? 'ok' : 'degraded', engine: app.db.engine };
  });
  app.get('/api/v1/codes', { schema: { tags: ['system'], summary: '代码表 Code lists with labels' } }, async () => ({ codeLists, roles: roleLabels }));
  app.get('/api/v1/users', { schema: { tags: ['users'], summary: '账号列表 Accounts in your area' } }, async (req) => ({
    items: await listUsers(ctxOf(req, app.db)),
  }));
  app.post('/api/v1/users', {
    schema: {
      tags: ['users'],
      summary: '新建账号 Create an account',
      body: z.object({ username: z.string().max(64), displayName: z.string().max(100).optional(), password: z.string().max(200), role: z.string().max(32), areaCode: z.string().max(12) }),
    },
  }, async (req, reply) => {
    reply.code(201);
    // The administrator chose this password: the account changes it at first login (issue 7).
    return createUser(ctxOf(req, app.db), req.body, { mustChangePassword: true });
  });
}
