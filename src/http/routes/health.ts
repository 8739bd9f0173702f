// Probes for a supervisor or load balancer, without a session and without personal data:
// GET /healthz — the process answers (no database); GET /readyz — the database answers SELECT 1 and
// every committed migration is applied, else 503 with the reason. Neither counts against rate limits.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { ZodApp } from '../app.js';
import { migrationsFolder } from '../../db/migrate.js';

let journal: { count: number; last: number } | undefined;

/** The committed migrations (drizzle-kit's journal): how many, and the newest one's timestamp. */
function committedMigrations(): { count: number; last: number } {
  if (!journal) {
    const j = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: { when: number }[] };
    journal = { count: j.entries.length, last: Math.max(0, ...j.entries.map((e) => e.when)) };
  }
  return journal;
}

const text = z.object({ zh: z.string(), en: z.string() });
const readyBody = z.object({
  status: z.enum(['ready', 'unavailable']),
  database: z.enum(['ok', 'error']),
  migrations: z.enum(['ok', 'pending', 'unknown']),
  reason: text.optional(),
});

export default function healthRoutes(app: ZodApp) {
  app.get('/healthz', {
    config: { rateLimit: false },
    schema: {
      tags: ['system'],
      summary: '存活检查 Liveness: the process answers (no database)',
      security: [],
      response: { 200: z.object({ status: z.literal('ok'), uptimeSeconds: z.number() }) },
    },
  }, async () => ({ status: 'ok' as const, uptimeSeconds: Math.round(process.uptime()) }));

  app.get('/readyz', {
    config: { rateLimit: false },
    schema: {
      tags: ['system'],
      summary: '就绪检查 Readiness: database answers and migrations applied (503 otherwise)',
      security: [],
      response: { 200: readyBody, 503: readyBody },
    },
  }, async (req, reply) => {
    try {
      const [row] = await app.db.query<{ ok: number }>('SELECT 1 AS ok');
      if (row?.ok !== 1) throw new Error('SELECT 1 returned no row');
    } catch (err) {
      req.log.warn({ err }, 'readiness: database check failed');
      return reply.code(503).send({
        status: 'unavailable', database: 'error', migrations: 'unknown',
        reason: { zh: '数据库无法访问', en: 'The database does not answer' },
      });
    }
    const want = committedMigrations();
    let applied: { n: number; last: number | null } | undefined;
    try {
      [applied] = await app.db.query<{ n: number; last: number | null }>(
        'SELECT count(*)::int AS n, max(created_at)::float8 AS last FROM drizzle.__drizzle_migrations',
      );
    } catch {
      applied = undefined; // no migrations table: never migrated
    }
    if (!applied || applied.n < want.count || (applied.last ?? 0) < want.last) {
      return reply.code(503).send({
        status: 'unavailable', database: 'ok', migrations: 'pending',
        reason: {
          zh: `数据库迁移未完成（已应用 ${applied?.n ?? 0} / ${want.count}）：请运行 jingzhun db migrate`,
          en: `Database migrations pending (${applied?.n ?? 0} of ${want.count} applied): run jingzhun db migrate`,
        },
      });
    }
    return { status: 'ready' as const, database: 'ok' as const, migrations: 'ok' as const };
  });
}
