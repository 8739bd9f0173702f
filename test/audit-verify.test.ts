// Issue 7: verifying the audit chain is an action of the role table ('audit.verify', the city
// administrator only), checked by the service like every other; the console operator (the
// `jingzhun audit verify` command, systemActor) keeps full rights.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/client.js';
import { ROLES, actionsOf, mayDo } from '../src/domain/roles.js';
import { systemActor, type Ctx } from '../src/services/context.js';
import { verifyAudit } from '../src/services/audit.js';
import { engineName, testDb } from './support/db.js';
import { makeArea, type TestArea } from './support/factories.js';

let db: Db;
let area: TestArea;
const dir = mkdtempSync(join(tmpdir(), 'jz-audit-verify-'));

beforeAll(async () => {
  db = await testDb();
  area = await makeArea(db);
});

afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe(`audit.verify in the role table (${engineName})`, () => {
  it('is granted to the city administrator only', () => {
    expect(ROLES.filter((r) => mayDo(r, 'audit.verify'))).toEqual(['city_admin']);
    expect(actionsOf('city_admin')).toContain('audit.verify');
  });

  it('the service follows the table: the city administrator verifies, every other role gets 403 in both languages', async () => {
    for (const role of ROLES) {
      // Each role at its widest plausible scope, even the whole city: the role decides, not the area.
      const ctx: Ctx = { db, actor: { id: 900_000 + ROLES.indexOf(role), username: `av-${role}`, role, areaCode: area.cityCode } };
      if (role === 'city_admin') {
        const r = await verifyAudit(ctx);
        expect(r.ok, JSON.stringify(r)).toBe(true);
      } else {
        await expect(verifyAudit(ctx), role).rejects.toMatchObject({
          status: 403, code: 'forbidden', msg: { zh: '您的角色无权执行此操作', en: 'Your role may not do this' },
        });
      }
    }
  });

  it('the console operator (systemActor) may verify', async () => {
    expect((await verifyAudit({ db, actor: systemActor('test') })).ok).toBe(true);
  });

  it('`jingzhun audit verify` works from the console', () => {
    const env = { ...process.env, JINGZHUN_DATA_DIR: dir };
    const r = spawnSync(process.execPath, ['bin/jingzhun.js', 'audit', 'verify', '--json'], { env, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { ok: boolean; rows: number };
    expect(out.ok).toBe(true);
    expect(out.rows).toBeGreaterThanOrEqual(0);
  });
});
