// Keeps indicator_rollups in step with the register. Statement triggers (migration 0006) mark the
// villages whose yearly records or households changed in rollup_dirty; `refreshDirty` recomputes
// those villages from their households and then each parent level from its children's rows, so
// one household change costs one village plus a few sums. `refreshAll` (`jingzhun rollup`)
// recomputes every level in one GROUP BY ROLLUP. Both run under one advisory lock, so two
// refreshes never interleave; readers call `refreshDirty` first and so never see stale figures.
import type { Db, Sql } from '../../db/client.js';
import { lookupFor, type PolicyRow } from '../../domain/policy.js';
import { LINE_EXPRESSION, SUM_COLUMNS, contributionsSql, sumExpressions } from './sql.js';

/** Years for which lines are resolved: the register starts in 2014; records before are allowed from 2000. */
const FIRST_YEAR = 2000;
const LOCK = 'SELECT pg_advisory_xact_lock(7355608)';
/**
 * Takes the marks no writer holds: a mark locked by a transaction still writing in that village
 * stays for the next refresh (its change is not committed yet), so a read never waits for an
 * import and a change is never recomputed away before it commits.
 */
const TAKE_MARKS = 'DELETE FROM rollup_dirty WHERE village_code IN (SELECT village_code FROM rollup_dirty ORDER BY village_code FOR UPDATE SKIP LOCKED)';
/** Raised in the refresh's transaction: readers' caches are valid while it stays the same. */
const BUMP = 'UPDATE rollup_state SET generation = generation + 1 WHERE id = 1';

/** The committed generation and whether any village waits to be recomputed: one cheap read. */
export async function rollupState(db: Pick<Sql, 'query'>): Promise<{ generation: number; dirty: boolean }> {
  const [r] = await db.query<{ g: number; dirty: boolean }>(
    'SELECT (SELECT generation FROM rollup_state WHERE id = 1) AS g, EXISTS (SELECT 1 FROM rollup_dirty) AS dirty',
  );
  return { generation: Number(r?.g ?? 0), dirty: !!r?.dirty };
}

export interface RollupStats {
  /** villages recomputed */
  villages: number;
  /** rollup rows written, all levels */
  rows: number;
  ms: number;
  /** true when every row was recomputed (many villages marked, or `jingzhun rollup`) */
  full: boolean;
}

/** (county, year, line) arrays for every county of the areas table, from FIRST_YEAR to next year. */
export async function lineArrays(db: Pick<Sql, 'query'>, counties?: readonly string[]): Promise<[string[], number[], (number | null)[]]> {
  const list = counties ?? (await db.query<{ code: string }>('SELECT code FROM areas WHERE length(code) = 6 ORDER BY code')).map((r) => r.code);
  const last = new Date().getFullYear() + 1;
  const cs: string[] = [];
  const ys: number[] = [];
  const ls: (number | null)[] = [];
  // one read of every poverty_line row; each county then resolves its own (county, province, national)
  const rows = await db.query<PolicyRow>(`SELECT key, year, region, value, source FROM policy_parameters WHERE key = 'poverty_line'`);
  for (const c of list) {
    for (let y = FIRST_YEAR; y <= last; y++) {
      const v = lookupFor(rows, y, c)('poverty_line')?.value ?? null;
      if (v === null) continue;
      cs.push(c);
      ys.push(y);
      ls.push(v);
    }
  }
  return [cs, ys, ls];
}

const cols = ['area_code', 'year', 'parent_code', 'line', ...SUM_COLUMNS].join(', ');

/** Every level from the households, in one statement. */
async function insertAll(tx: Sql, lines: unknown[]): Promise<number> {
  const sums = sumExpressions().join(', ');
  const r = await tx.query<{ n: number }>(
    `WITH ${contributionsSql('true')},
     ins AS (
       INSERT INTO indicator_rollups (${cols})
       SELECT coalesce(v, p9, p6, p4, p2), year,
              CASE WHEN v IS NOT NULL THEN p9 WHEN p9 IS NOT NULL THEN p6 WHEN p6 IS NOT NULL THEN p4 WHEN p4 IS NOT NULL THEN p2 END,
              ${LINE_EXPRESSION}, ${sums}
         FROM d GROUP BY year, ROLLUP (p2, p4, p6, p9, v) HAVING GROUPING(p2) = 0
       RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
    lines,
  );
  return Number(r[0]!.n);
}

/** Above this many marked villages one full recomputation is faster than village by village. */
export const FULL_REFRESH_VILLAGES = 400;

async function fullIn(tx: Sql, t0: number): Promise<RollupStats> {
  const lines = await lineArrays(tx);
  await tx.query(TAKE_MARKS);
  await tx.query('DELETE FROM indicator_rollups');
  const rows = await insertAll(tx, lines);
  await tx.query(BUMP);
  const [v] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM indicator_rollups WHERE length(area_code) = 12 AND year = (SELECT max(year) FROM indicator_rollups)');
  return { villages: Number(v?.n ?? 0), rows, ms: performance.now() - t0, full: true };
}

/** Recomputes every rollup row from the register (`jingzhun rollup`). */
export async function refreshAll(db: Db): Promise<RollupStats> {
  const t0 = performance.now();
  return db.transaction(async (tx) => {
    await tx.query(LOCK);
    return fullIn(tx, t0);
  });
}

const PARENT_LEVELS: [len: number, parentLen: number | null][] = [[9, 6], [6, 4], [4, 2], [2, null]];

/** Recomputes the marked villages and their parents; does nothing when none is marked. */
export async function refreshDirty(db: Db): Promise<RollupStats> {
  const t0 = performance.now();
  const [any] = await db.query<{ v: string }>('SELECT village_code AS v FROM rollup_dirty LIMIT 1');
  if (!any) return { villages: 0, rows: 0, ms: performance.now() - t0, full: false };
  return db.transaction(async (tx) => {
    await tx.query(LOCK);
    const [count] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM rollup_dirty');
    if (Number(count?.n ?? 0) > FULL_REFRESH_VILLAGES) return fullIn(tx, t0);
    const dirty = (await tx.query<{ v: string }>(`${TAKE_MARKS} RETURNING village_code AS v`)).map((r) => r.v);
    if (!dirty.length) return { villages: 0, rows: 0, ms: performance.now() - t0, full: false };
    const counties = [...new Set(dirty.map((v) => v.slice(0, 6)))];
    const lines = await lineArrays(tx, counties);
    await tx.query('DELETE FROM indicator_rollups WHERE area_code = ANY($1::text[])', [dirty]);
    const sums = sumExpressions().join(', ');
    const ins = await tx.query<{ n: number }>(
      `WITH ${contributionsSql('y.county_code = ANY($4::text[]) AND h.village_code = ANY($5::text[])')},
       ins AS (INSERT INTO indicator_rollups (${cols})
               SELECT v, year, p9, ${LINE_EXPRESSION}, ${sums} FROM d GROUP BY year, v, p9 RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
      [...lines, counties, dirty],
    );
    let rows = Number(ins[0]!.n);
    const add = SUM_COLUMNS.map((c) => `sum(${c})`).join(', ');
    for (const [len, parentLen] of PARENT_LEVELS) {
      const codes = [...new Set(dirty.map((v) => v.slice(0, len)))];
      await tx.query('DELETE FROM indicator_rollups WHERE area_code = ANY($1::text[])', [codes]);
      const r = await tx.query<{ n: number }>(
        `WITH ins AS (INSERT INTO indicator_rollups (${cols})
                 SELECT parent_code, year, ${parentLen === null ? 'NULL' : `left(parent_code, ${parentLen})`},
                        CASE WHEN count(line) = count(*) AND min(line) = max(line) THEN min(line) END, ${add}
                   FROM indicator_rollups WHERE parent_code = ANY($1::text[]) GROUP BY parent_code, year RETURNING 1)
         SELECT count(*)::int AS n FROM ins`,
        [codes],
      );
      rows += Number(r[0]!.n);
    }
    await tx.query(BUMP);
    return { villages: dirty.length, rows, ms: performance.now() - t0, full: false };
  });
}
