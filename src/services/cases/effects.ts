// What a case changes in the register when it succeeds, in the step's transaction and audited:
// identification → registered marks the household identified (first identification day, 未脱贫);
// household_exit → exited marks it exited (已脱贫, exit year = the case's year); exit_correction →
// corrected undoes a wrong exit found by the exit evaluation (未脱贫 again, no exit year). Nothing else sets
// these fields (the household edit and re-import refuse to), so a household's status follows
// from its events. The yearly records from the case's year on take the new 脱贫标志 too, so the
// year-by-year figures, the export and a re-import of it agree with the household.
import type { Sql } from '../../db/client.js';
import { localDay, type WorkflowEvent } from '../../domain/workflows/index.js';
import { audit, type Ctx } from '../context.js';
import type { CaseRow } from './shared.js';

interface Fields {
  identifiedOn: string | null;
  exitStatus: string;
  exitYear: number | null;
}

/** The register fields a step sets, or null when the step has no effect on the register. */
export function effectOf(c: CaseRow, e: WorkflowEvent, cur: Fields): Partial<Fields> | null {
  if (c.workflow === 'identification' && e.to === 'registered') {
    return { identifiedOn: cur.identifiedOn ?? localDay(e.at), exitStatus: '0' };
  }
  if (c.workflow === 'household_exit' && e.to === 'exited') {
    return { exitStatus: '1', exitYear: c.year ?? Number(localDay(e.at).slice(0, 4)) };
  }
  if (c.workflow === 'exit_correction' && e.to === 'corrected') {
    return { exitStatus: '0', exitYear: null };
  }
  return null;
}

/** A monitoring case opened from an alert that ends with the risk eliminated resolves that alert (已办结), audited. */
async function resolveAlert(tx: Sql, ctx: Ctx, c: CaseRow, e: WorkflowEvent): Promise<void> {
  if (c.workflow !== 'monitoring' || e.to !== 'risk_eliminated' || c.alertId === null) return;
  const resolution = `case ${c.id}: ${e.to} (step ${e.seq})`;
  const [a] = await tx.query<{ id: number }>(
    `UPDATE monitoring_alerts SET status = 'resolved', resolved_at = $4, resolved_by = $5, resolution = $6
      WHERE county_code = $1 AND id = $2 AND case_id = $3 AND status = 'case_opened' RETURNING id`,
    [c.countyCode, c.alertId, c.id, e.at, ctx.actor.username, resolution],
  );
  if (!a) return;
  await audit(tx, ctx.actor, {
    action: 'resolve', entity: 'monitoring_alerts', entityId: c.alertId, countyCode: c.countyCode, householdId: c.householdId,
    before: { status: 'case_opened', caseId: c.id }, after: { status: 'resolved', caseId: c.id }, note: resolution,
  });
}

export async function applyEffects(tx: Sql, ctx: Ctx, c: CaseRow, e: WorkflowEvent): Promise<void> {
  await resolveAlert(tx, ctx, c, e);
  const [cur] = await tx.query<Fields>(
    `SELECT to_char(identified_on, 'YYYY-MM-DD') AS "identifiedOn", exit_status AS "exitStatus", exit_year AS "exitYear"
       FROM households WHERE county_code = $1 AND id = $2 FOR UPDATE`,
    [c.countyCode, c.householdId],
  );
  if (!cur) throw new Error(`case ${c.id}: household ${c.householdId} is missing`);
  const set = effectOf(c, e, cur);
  if (!set) return;
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(set) as [keyof Fields, unknown][]) {
    if (cur[k] !== v) {
      before[k] = cur[k];
      after[k] = v;
    }
  }
  const note = `case ${c.id} ${c.workflow}: ${e.from} → ${e.to} (step ${e.seq})`;
  const next = { ...cur, ...set };
  if (Object.keys(after).length) {
    await tx.query(
      `UPDATE households SET identified_on = $3, exit_status = $4, exit_year = $5, version = version + 1, updated_at = now()
        WHERE county_code = $1 AND id = $2`,
      [c.countyCode, c.householdId, next.identifiedOn, next.exitStatus, next.exitYear],
    );
    await audit(tx, ctx.actor, { action: 'update', entity: 'households', entityId: c.householdId, countyCode: c.countyCode, householdId: c.householdId, before, after, note });
  }
  if (set.exitStatus === undefined) return;
  // An exit's records follow from its exit year; identification's and a correction's (exit year
  // cleared: null) from the case's year.
  // A wrong exit is undone from the year the household was (wrongly) marked exited, not only from the evaluated year.
  const caseYear = c.year ?? Number(localDay(e.at).slice(0, 4));
  const fromYear = c.workflow === 'exit_correction' ? Math.min(cur.exitYear ?? caseYear, caseYear) : (set.exitYear ?? caseYear);
  const years = await tx.query<{ year: number; status: string }>(
    `WITH old AS (
       SELECT year, status FROM household_years
        WHERE county_code = $1 AND household_id = $2 AND year >= $3 AND status <> $4 FOR UPDATE
     )
     UPDATE household_years y SET status = $4, version = y.version + 1, updated_at = now() FROM old
      WHERE y.county_code = $1 AND y.household_id = $2 AND y.year = old.year
     RETURNING old.year, old.status`,
    [c.countyCode, c.householdId, fromYear, set.exitStatus],
  );
  for (const y of years.sort((a, b) => a.year - b.year)) {
    await audit(tx, ctx.actor, {
      action: 'update', entity: 'household_years', entityId: `${c.householdId}:${y.year}`, countyCode: c.countyCode, householdId: c.householdId,
      before: { status: y.status }, after: { status: set.exitStatus }, note,
    });
  }
}
