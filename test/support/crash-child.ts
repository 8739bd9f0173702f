// The process test/crash.test.ts kills: opens the database (a PGlite data dir or a PostgreSQL
// URL), runs one real service verb and prints markers `@@ <ms since start> <tag> [detail]` on
// stdout (synchronous on a pipe, so a marker is out before the next step runs).
// Run: node bin/run-ts.js test/support/crash-child.ts '<json>'
import { readFileSync } from 'node:fs';
import { openPglite, openPostgres, type Db } from '../../src/db/client.js';
import { importHouseholds } from '../../src/services/imports/households.js';
import { actOnCases } from '../../src/services/cases/index.js';
import { refreshAll } from '../../src/services/indicators/rollup.js';
import type { Actor } from '../../src/services/context.js';

export interface ChildJob {
  mode: 'import' | 'batch' | 'rollup';
  dataDir?: string;
  url?: string;
  /** import: the template file. */
  file?: string;
  /** batch: the cases, the step and who takes it. */
  caseIds?: number[];
  action?: string;
  input?: Record<string, unknown>;
  attachmentIds?: number[];
  actor?: Actor;
}

const t0 = performance.now();
const mark = (tag: string, detail = '') => process.stdout.write(`@@ ${Math.round(performance.now() - t0)} ${tag}${detail ? ` ${detail}` : ''}\n`);

const job = JSON.parse(process.argv[2] ?? '{}') as ChildJob;
mark('spawned', String(process.pid));
const db: Db = job.url ? await openPostgres(job.url, { max: 2 }) : await openPglite({ dataDir: job.dataDir! });
mark('opened');
const actor: Actor = job.actor ?? { id: null, username: 'crash-test', role: 'county_office', areaCode: '*' };
const ctx = { db, actor };
mark('start', job.mode);
if (job.mode === 'import') {
  const data = readFileSync(job.file!);
  let last = '';
  const r = await importHouseholds(ctx, {
    fileName: 'crash-register.csv',
    data,
    onProgress: (phase, done, total) => {
      // Every write step; the read and validate phases only when they begin and end.
      const key = phase === 'write' ? `${phase}:${done}` : `${phase}:${done === 0 || done === total ? done : '…'}`;
      if (key !== last) mark(phase, `${done}/${total}`);
      last = key;
    },
  });
  mark('done', JSON.stringify({ status: r.status, households: r.households, members: r.members, years: r.years, issues: r.issues.slice(0, 3) }));
} else if (job.mode === 'batch') {
  const r = await actOnCases(ctx, { caseIds: job.caseIds!, action: job.action!, input: job.input, attachmentIds: job.attachmentIds, comment: 'crash test batch' });
  mark('done', JSON.stringify({ count: r.count }));
} else {
  const r = await refreshAll(db);
  mark('done', JSON.stringify({ rows: r.rows, villages: r.villages }));
}
await db.close();
mark('closed');
