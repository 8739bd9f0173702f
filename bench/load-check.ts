// The check after a load run (bench/load-harness.ts): every acknowledged write looked up in the
// database by its id, reading only non-personal columns (ids, markers, versions, incomes, audit
// rows), never ID numbers or phones; and the report lines. Nothing here asserts a timing.
import { KINDS, WRITE_KINDS, type LoadPlan, type LoadResult, type WriteKind } from './load-harness.js';

export interface Verification {
  acknowledged: Record<WriteKind, number>;
  verified: Record<WriteKind, number>;
  /** Human-readable reasons, one per write that is not in the database as acknowledged. */
  problems: string[];
}

// ---------------------------------------------------------------- the check

/**
 * Every acknowledged write, looked up in the database by its id: visits and new households with
 * their markers and audit rows; updated households and yearly records with their last marker and a
 * version that rose exactly once per acknowledged write (or once more for a final unanswered one).
 */
export async function verifyLoad(plan: LoadPlan, result: LoadResult): Promise<Verification> {
  const { db, countyCode } = plan;
  const problems: string[] = [];
  const acknowledged: Record<WriteKind, number> = { visit: 0, income: 0, update: 0, create: 0 };
  const verified: Record<WriteKind, number> = { visit: 0, income: 0, update: 0, create: 0 };
  const problem = (s: string) => {
    if (problems.length < 50) problems.push(s);
    else if (problems.length === 50) problems.push('…');
  };

  // Inserts: the row with the returned id carries the marker, exactly one audit row names it.
  const visits = result.inserted.filter((w) => w.kind === 'visit');
  const creates = result.inserted.filter((w) => w.kind === 'create');
  acknowledged.visit = visits.length;
  acknowledged.create = creates.length;
  const vrows = await db.query<{ id: number; findings: string }>(
    `SELECT id, findings FROM visits WHERE county_code = $1 AND id = ANY($2::bigint[])`, [countyCode, visits.map((w) => w.id)]);
  const hrows = await db.query<{ id: number; no: string; members: number }>(
    `SELECT h.id, h.household_no AS no, (SELECT count(*)::int FROM members m WHERE m.county_code = h.county_code AND m.household_id = h.id) AS members
       FROM households h WHERE h.county_code = $1 AND h.id = ANY($2::bigint[])`, [countyCode, creates.map((w) => w.id)]);
  const audits = await db.query<{ entity: string; entity_id: string; n: number }>(
    `SELECT entity, entity_id, count(*)::int AS n FROM audit_log
      WHERE id > $1 AND county_code = $2 AND ((entity = 'visits' AND entity_id = ANY($3::text[])) OR (entity = 'households' AND action = 'create' AND entity_id = ANY($4::text[])))
      GROUP BY entity, entity_id`,
    [plan.auditFrom, countyCode, visits.map((w) => String(w.id)), creates.map((w) => String(w.id))]);
  const auditCount = new Map(audits.map((a) => [`${a.entity}:${a.entity_id}`, a.n]));
  const vById = new Map(vrows.map((r) => [Number(r.id), r.findings]));
  for (const w of visits) {
    const found = vById.get(w.id);
    const n = auditCount.get(`visits:${w.id}`) ?? 0;
    if (found !== w.marker) problem(`visit ${w.id}: ${found === undefined ? 'missing' : `findings "${found}" instead of "${w.marker}"`}`);
    else if (n !== 1) problem(`visit ${w.id}: ${n} audit rows instead of 1`);
    else verified.visit++;
  }
  const hById = new Map(hrows.map((r) => [Number(r.id), r]));
  for (const w of creates) {
    const h = hById.get(w.id);
    const n = auditCount.get(`households:${w.id}`) ?? 0;
    if (!h || h.no !== w.marker) problem(`new household ${w.id}: ${h ? `number "${h.no}" instead of "${w.marker}"` : 'missing'}`);
    else if (h.members !== 2) problem(`new household ${w.id}: ${h.members} members instead of 2`);
    else if (n !== 1) problem(`new household ${w.id}: ${n} audit rows instead of 1`);
    else verified.create++;
  }
  // No insert landed twice or without an answer beyond those still unanswered.
  const [counts] = await db.query<{ v: number; h: number }>(
    `SELECT (SELECT count(*)::int FROM visits WHERE county_code = $1 AND findings LIKE $2) AS v,
            (SELECT count(*)::int FROM households WHERE county_code = $1 AND household_no LIKE $3) AS h`,
    [countyCode, `load ${plan.runId} visit %`, `LD${plan.runId}-%`]);
  const createdRows = counts!.h; // pool households carry their markers in group_name, never in household_no
  if (counts!.v < visits.length || counts!.v > visits.length + result.unackedInserts.visit) {
    problem(`${counts!.v} visits carry this run's marker; acknowledged ${visits.length}, unanswered ${result.unackedInserts.visit}`);
  }
  if (createdRows < creates.length || createdRows > creates.length + result.unackedInserts.create) {
    problem(`${createdRows} households carry this run's numbers; acknowledged ${creates.length}, unanswered ${result.unackedInserts.create}`);
  }

  // Updates and yearly records: the final state is the last acknowledged write (or the one unanswered after it).
  const touched = plan.pool.filter((e) => e.updates.length || e.incomes.length);
  const cur = await db.query<{ id: number; group_name: string | null; version: number }>(
    `SELECT id, group_name, version FROM households WHERE county_code = $1 AND id = ANY($2::bigint[])`, [countyCode, touched.map((e) => e.id)]);
  const years = await db.query<{ id: number; year: number; wage: number; version: number }>(
    `SELECT household_id AS id, year, wage_income::float8 AS wage, version FROM household_years
      WHERE county_code = $1 AND household_id = ANY($2::bigint[])`, [countyCode, touched.map((e) => e.id)]);
  const hNow = new Map(cur.map((r) => [Number(r.id), r]));
  const yNow = new Map(years.map((r) => [`${r.id}:${r.year}`, r]));
  for (const e of touched) {
    const h = hNow.get(e.id);
    check('update', e.updates, h ? { value: h.group_name, version: h.version } : undefined, e.initialVersion, `household ${e.id}`);
    if (e.year !== null) {
      const y = yNow.get(`${e.id}:${e.year}`);
      check('income', e.incomes, y ? { value: Number(y.wage), version: y.version } : undefined, e.initialYearVersion ?? 0, `household ${e.id} year ${e.year}`);
    }
  }

  function check<T>(kind: 'update' | 'income', writes: { marker: T; acked: boolean }[], now: { value: T | null; version: number } | undefined, initial: number, what: string) {
    const acked = writes.filter((w) => w.acked).length;
    acknowledged[kind] += acked;
    if (!acked) return;
    if (!now) {
      problem(`${what}: missing`);
      return;
    }
    const last = writes.at(-1)!;
    const lastAcked = [...writes].reverse().find((w) => w.acked)!;
    const okValue = now.value === lastAcked.marker || (!last.acked && now.value === last.marker);
    const okVersion = now.version === initial + acked || (!last.acked && now.version === initial + acked + 1);
    if (!okValue) problem(`${what}: ${kind} value ${String(now.value)} instead of ${String(lastAcked.marker)}`);
    else if (!okVersion) problem(`${what}: version ${now.version} after ${acked} acknowledged ${kind}s from version ${initial}`);
    else verified[kind] += acked;
  }

  // Each acknowledged update and yearly write left one audit row (at most one more for an unanswered one).
  const au = await db.query<{ entity: string; entity_id: string; n: number }>(
    `SELECT entity, entity_id, count(*)::int AS n FROM audit_log
      WHERE id > $1 AND county_code = $2 AND action = 'update' AND entity IN ('households', 'household_years') AND household_id = ANY($3::bigint[])
      GROUP BY entity, entity_id`,
    [plan.auditFrom, countyCode, touched.map((e) => e.id)]);
  const auN = new Map(au.map((a) => [`${a.entity}:${a.entity_id}`, a.n]));
  for (const e of touched) {
    for (const [key, writes] of [[`households:${e.id}`, e.updates], [`household_years:${e.id}:${e.year}`, e.incomes]] as const) {
      const acked = writes.filter((w) => w.acked).length;
      const n = auN.get(key) ?? 0;
      if (n < acked || n > writes.length) problem(`${key}: ${n} audit rows for ${acked} acknowledged writes (${writes.length} sent)`);
    }
  }
  return { acknowledged, verified, problems };
}

// ---------------------------------------------------------------- the report

const f0 = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
const f1 = (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const f2 = (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function reportLines(tag: string, r: LoadResult, v: Verification, baseline?: { throughput: number; p99: number; p50: number; errors: number }, baselineSeconds?: number): string[] {
  const failed = r.non2xx + r.errors;
  const attempts = r.requests + r.errors; // timeouts are among the socket errors
  const lines = [
    `${tag} mixed traffic, ${r.connections} connections × ${f0(r.seconds)} s: ${f0(r.requests)} requests answered, ${f0(r.throughput)} req/s`,
    `${tag} errors: ${f0(r.non2xx)} non-2xx + ${f0(r.errors)} socket errors (${f0(r.timeouts)} timeouts) = ${f0(failed)}, error rate ${f2(attempts ? (100 * failed) / attempts : 0)} %`,
    `${tag} latency: p50 ${f0(r.latency.p50)} ms, p97.5 ${f0(r.latency.p97_5)} ms, p99 ${f0(r.latency.p99)} ms, max ${f0(r.latency.max)} ms, mean ${f1(r.latency.mean)} ms`,
    `${tag} by kind (sent / 2xx / failed, p99 ms): ${KINDS.map((k) => `${k} ${f0(r.byKind[k].sent)}/${f0(r.byKind[k].ok)}/${f0(r.byKind[k].failed)} p99 ${f0(r.byKind[k].p99)}`).join('; ')}`,
    `${tag} writes acknowledged ${f0(sumOf(v.acknowledged))} (${WRITE_KINDS.map((k) => `${k} ${f0(v.acknowledged[k])}`).join(', ')}), verified present in the database ${f0(sumOf(v.verified))}; problems ${v.problems.length}`,
  ];
  if (baseline) {
    lines.push(`${tag} baseline GET /healthz (no session, no database), ${r.connections} connections × ${baselineSeconds ?? '?'} s: ${f0(baseline.throughput)} req/s, p50 ${f0(baseline.p50)} ms, p99 ${f0(baseline.p99)} ms, errors ${baseline.errors}`);
    lines.push(`${tag} mixed / baseline: throughput ${f2(r.throughput / baseline.throughput)}×, p99 ${f1(r.latency.p99 / Math.max(1, baseline.p99))}×`);
  }
  for (const p of v.problems.slice(0, 10)) lines.push(`${tag}   problem: ${p}`);
  for (const x of r.failures.slice(0, 10)) lines.push(`${tag}   failed ${x.kind}: ${x.status} ${x.body}`);
  return lines;
}

function sumOf(r: Record<string, number>): number {
  return Object.values(r).reduce((a, b) => a + b, 0);
}
