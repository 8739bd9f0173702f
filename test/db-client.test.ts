// The database client's own robustness (issue 7): a PGlite data dir's lock left by a killed process
// is taken over (atomically, so two starters cannot both take it) while a live holder is refused;
// on PostgreSQL an idle connection ended by the server does not end the process.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirLockedError, openPglite, openPostgres } from '../src/db/client.js';

/** The pid of a process that has exited (so it is certainly not alive now). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

describe.runIf(!process.env.DATABASE_URL)('PGlite data dir lock', () => {
  it('takes over a dead process\'s lock, refuses a live holder, and leaves no stray files', async () => {
    const root = mkdtempSync(join(tmpdir(), 'jz-lock-'));
    const dir = join(root, 'pgdata');
    try {
      writeFileSync(`${dir}.lock`, String(deadPid()));
      const db = await openPglite({ dataDir: dir });
      try {
        expect((await db.query<{ n: number }>('SELECT 1 AS n'))[0]!.n).toBe(1);
        // A lock of a live process (here the test runner, our parent) is refused with the holder named.
        writeFileSync(`${dir}.lock`, String(process.ppid));
        await expect(openPglite({ dataDir: dir })).rejects.toSatisfy((e) => e instanceof DataDirLockedError && e.message.includes(String(process.ppid)));
        writeFileSync(`${dir}.lock`, String(process.pid));
      } finally {
        await db.close();
      }
      expect(existsSync(`${dir}.lock`)).toBe(false);
      expect(readdirSync(root).filter((f) => f.includes('.lock'))).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});

describe.runIf(Boolean(process.env.DATABASE_URL))('PostgreSQL pool', () => {
  it('survives the server ending an idle connection and reconnects', async () => {
    const db = await openPostgres(process.env.DATABASE_URL!, { max: 2 });
    const admin = await openPostgres(process.env.DATABASE_URL!, { max: 1 });
    try {
      const [me] = await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await admin.query('SELECT pg_terminate_backend($1)', [me!.pid]);
      // The idle client's error arrives asynchronously; without a handler it would end this process.
      await new Promise((r) => setTimeout(r, 300));
      const [again] = await db.query<{ n: number }>('SELECT 1 AS n');
      expect(again!.n).toBe(1);
    } finally {
      await admin.close();
      await db.close();
    }
  });
});
