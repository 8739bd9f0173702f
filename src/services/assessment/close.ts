// Closing an evaluation (issue 8): every sampled household must have a questionnaire (completed or
// not reached); the results are computed and frozen with the plan and shown on the county exit
// panel; each wrong exit found opens an exit_correction case for the offices, in the same audited
// transaction. An omission cannot open a case until the office has entered the household in the
// register: linkOmission then opens its identification case and ties it to the finding.
import type { Sql } from '../../db/client.js';
import { Conflict, NotFound, ValidationError, type Msg } from '../../domain/errors.js';
import type { HouseholdStratum } from '../../domain/assessment/sampling.js';
import { HOUSEHOLD_STRATUM_LABELS } from '../../domain/assessment/plan.js';
import { mayDo } from '../../domain/roles.js';
import { audit, inScope, require, scopePattern, type Ctx } from '../context.js';
import { openCaseOf, openCaseTx } from '../cases/open.js';
import { planFor, type PlanRow } from './access.js';
import { PLAN_STATUS_LABELS, getPlan, type PlanView } from './plans.js';
import { computeResults, type PlanResults } from './results.js';

export interface FindingView {
  planId: number;
  sampleId: number;
  kind: 'wrong_exit' | 'omission';
  kindLabel: Msg;
  villageCode: string;
  villageName: string;
  stratum: HouseholdStratum;
  stratumLabel: Msg;
  householdId: number | null;
  householdNo: string | null;
  headName: string | null;
  rosterNo: number | null;
  caseId: number | null;
  status: 'open' | 'case_opened';
}

export const FINDING_LABELS: Record<FindingView['kind'], Msg> = {
  wrong_exit: { zh: '错退', en: 'Wrong exit' },
  omission: { zh: '漏评', en: 'Omission' },
};

async function openCorrections(tx: Sql, ctx: Ctx, p: PlanRow): Promise<number> {
  const findings = await tx.query<{ sampleId: number; householdId: number }>(
    `SELECT sample_id AS "sampleId", household_id AS "householdId" FROM assessment_findings
      WHERE county_code = $1 AND plan_id = $2 AND kind = 'wrong_exit' AND status = 'open' AND household_id IS NOT NULL ORDER BY sample_id`,
    [p.countyCode, p.id],
  );
  for (const f of findings) {
    const hid = Number(f.householdId);
    // A household with a correction already under way keeps it; the finding points at that case.
    const existing = await openCaseOf(tx, p.countyCode, hid, 'exit_correction');
    const caseId = existing ? Number(existing.id) : Number((await openCaseTx(tx, ctx, { workflow: 'exit_correction', householdId: hid, year: Number(p.year), skipOpenerRoleCheck: true })).id);
    await tx.query(
      `UPDATE assessment_findings SET case_id = $4, status = 'case_opened', updated_at = now() WHERE county_code = $1 AND plan_id = $2 AND sample_id = $3`,
      [p.countyCode, p.id, f.sampleId, caseId],
    );
    await audit(tx, ctx.actor, { action: 'update', entity: 'assessment_findings', entityId: `${p.id}:${f.sampleId}`, countyCode: p.countyCode, householdId: hid, before: { status: 'open' }, after: { status: 'case_opened', caseId } });
  }
  return findings.length;
}

/** Freezes the results and opens the correction cases; refused while any sampled household has no questionnaire. */
export async function closePlan(ctx: Ctx, planId: number, now = new Date()): Promise<{ plan: PlanView; results: PlanResults; casesOpened: number }> {
  require(ctx, 'assessment.manage');
  const out = await ctx.db.transaction(async (tx) => {
    const p = await planFor(tx, ctx, planId, 'manage', true);
    if (p.status !== 'drawn') {
      throw new Conflict({ zh: `计划 ${p.id} 为“${PLAN_STATUS_LABELS[p.status].zh}”，只有已抽样的计划可以结束`, en: `Plan ${p.id} is "${PLAN_STATUS_LABELS[p.status].en}"; only a drawn plan can be closed` }, { status: p.status });
    }
    const [redraw] = await tx.query<{ id: number }>(`SELECT id FROM assessment_plans WHERE county_code = $1 AND replaces_plan_id = $2 AND status = 'draft'`, [p.countyCode, p.id]);
    if (redraw) {
      throw new Conflict(
        { zh: `计划 ${p.id} 有待抽样的重抽计划 ${redraw.id}；请先抽取或放弃重抽，再结束评估`, en: `Plan ${p.id} has a re-draw waiting (plan ${redraw.id}); draw it or give it up before closing` },
        { redrawPlanId: Number(redraw.id) },
      );
    }
    const results = await computeResults(tx, p, now);
    const pending = results.counts.reduce((n, c) => n + c.pending, 0);
    if (pending > 0) {
      const parts = results.counts.filter((c) => c.pending).map((c) => ({ zh: `${HOUSEHOLD_STRATUM_LABELS[c.stratum].zh} ${c.pending} 户`, en: `${c.pending} ${HOUSEHOLD_STRATUM_LABELS[c.stratum].en}` }));
      throw new Conflict(
        { zh: `还有 ${pending} 个样本户没有问卷（${parts.map((x) => x.zh).join('、')}）；请录入问卷，未能入户的请记为“未入户”并写明原因，然后再结束`, en: `${pending} sampled households have no questionnaire (${parts.map((x) => x.en).join(', ')}); enter them — record a household not reached as not_reached with the reason — then close` },
        { pending },
      );
    }
    const frozen: PlanResults = { ...results, status: 'closed', frozen: true };
    await tx.query(
      `UPDATE assessment_plans SET status = 'closed', results = $3::jsonb, closed_at = $4, closed_by = $5, version = version + 1, updated_at = now() WHERE county_code = $1 AND id = $2`,
      [p.countyCode, p.id, JSON.stringify(frozen), now.toISOString(), ctx.actor.username],
    );
    const casesOpened = await openCorrections(tx, ctx, p);
    await audit(tx, ctx.actor, {
      action: 'close', entity: 'assessment_plans', entityId: p.id, countyCode: p.countyCode, before: { status: 'drawn' },
      after: { status: 'closed', verdict: frozen.verdict, rates: frozen.rates.map((r) => ({ key: r.key, verdict: r.verdict, estimate: r.result?.estimate.estimate ?? null })), casesOpened },
    });
    return { results: frozen, casesOpened };
  });
  return { plan: await getPlan(ctx, planId), ...out };
}

/** Findings of a plan in the actor's area: members and supervisors at any time, the offices once it is closed. */
export async function listFindings(ctx: Ctx, planId: number): Promise<FindingView[]> {
  // Findings name households: the register's readers and the evaluation's own staff only (never researchers).
  if (!(['register.read', 'assessment.read', 'assessment.survey', 'assessment.manage'] as const).some((a) => mayDo(ctx.actor.role, a)) && ctx.actor.id !== null) require(ctx, 'register.read');
  const p = await planFor(ctx.db, ctx, planId, 'results');
  const rows = await ctx.db.query<Omit<FindingView, 'kindLabel' | 'stratumLabel'>>(
    `SELECT f.plan_id AS "planId", f.sample_id AS "sampleId", f.kind, f.village_code AS "villageCode", a.name AS "villageName", s.stratum,
            f.household_id AS "householdId", h.household_no AS "householdNo", coalesce(h.head_name, q.head_name) AS "headName", s.roster_no AS "rosterNo",
            f.case_id AS "caseId", f.status
       FROM assessment_findings f
       JOIN assessment_samples s ON s.county_code = f.county_code AND s.plan_id = f.plan_id AND s.id = f.sample_id
       JOIN areas a ON a.code = f.village_code
       LEFT JOIN assessment_surveys q ON q.county_code = f.county_code AND q.plan_id = f.plan_id AND q.sample_id = f.sample_id
       LEFT JOIN households h ON h.county_code = f.county_code AND h.id = f.household_id
      WHERE f.county_code = $1 AND f.plan_id = $2 AND f.village_code LIKE $3 ORDER BY f.village_code, f.sample_id`,
    [p.countyCode, p.id, scopePattern(ctx.actor)],
  );
  return rows.map((r) => ({
    ...r, planId: Number(r.planId), sampleId: Number(r.sampleId), householdId: r.householdId === null ? null : Number(r.householdId),
    rosterNo: r.rosterNo === null ? null : Number(r.rosterNo), caseId: r.caseId === null ? null : Number(r.caseId),
    kindLabel: FINDING_LABELS[r.kind], stratumLabel: HOUSEHOLD_STRATUM_LABELS[r.stratum],
  }));
}

/**
 * An omitted household found by a closed evaluation, now entered in the register by the office:
 * opens its identification case (by whoever may take identification's first step there) and ties
 * the case to the finding.
 */
export async function linkOmission(ctx: Ctx, planId: number, sampleId: number, input: { householdId?: unknown }): Promise<FindingView> {
  require(ctx, 'register.write');
  await ctx.db.transaction(async (tx) => {
    const p = await planFor(tx, ctx, planId, 'results', true);
    if (p.status !== 'closed') throw new NotFound({ zh: '评估问题线索', en: 'evaluation finding' });
    const [f] = await tx.query<{ kind: string; status: string; villageCode: string }>(
      `SELECT kind, status, village_code AS "villageCode" FROM assessment_findings WHERE county_code = $1 AND plan_id = $2 AND sample_id = $3 FOR UPDATE`,
      [p.countyCode, p.id, sampleId],
    );
    if (!f || !inScope(ctx.actor, f.villageCode)) throw new NotFound({ zh: '评估问题线索', en: 'evaluation finding' });
    if (f.kind !== 'omission') throw new ValidationError([{ field: 'sampleId', value: String(sampleId), zh: '这条线索是错退，已由评估自动发起“错退纠正”，无需关联', en: 'This finding is a wrong exit; its correction case was opened by the evaluation' }]);
    if (f.status !== 'open') throw new Conflict({ zh: '这条漏评线索已关联识别案件', en: 'This omission already has its identification case' });
    const hid = input.householdId;
    if (typeof hid !== 'number' || !Number.isSafeInteger(hid) || hid <= 0) {
      throw new ValidationError([{ field: 'householdId', value: String(hid), zh: '请先在登记系统中录入该户，再填写它的户 ID（正整数）', en: 'Enter the household in the register first, then give its household id (a positive whole number)' }]);
    }
    const [h] = await tx.query<{ villageCode: string }>('SELECT village_code AS "villageCode" FROM households WHERE county_code = $1 AND id = $2', [p.countyCode, hid]);
    if (!h || h.villageCode !== f.villageCode) {
      throw new ValidationError([{ field: 'householdId', value: String(hid), zh: `户 ${hid} 不在该线索所在的村 ${f.villageCode}；请填写在该村新录入的户`, en: `Household ${hid} is not in the finding's village ${f.villageCode}; give the household entered there` }]);
    }
    const [other] = await tx.query<{ planId: number; sampleId: number }>(
      `SELECT plan_id AS "planId", sample_id AS "sampleId" FROM assessment_findings WHERE county_code = $1 AND household_id = $2 AND kind = 'omission' AND NOT (plan_id = $3 AND sample_id = $4)`,
      [p.countyCode, hid, p.id, sampleId],
    );
    if (other) throw new Conflict({ zh: `户 ${hid} 已关联到另一条漏评线索（计划 ${other.planId}，样本 ${other.sampleId}）`, en: `Household ${hid} is already linked to another omission (plan ${other.planId}, sample ${other.sampleId})` });
    // The omitted household is one the register did not hold: no yearly record before the plan's year.
    const [earlier] = await tx.query<{ year: number }>('SELECT min(year) AS year FROM household_years WHERE county_code = $1 AND household_id = $2 AND year < $3', [p.countyCode, hid, p.year]);
    if (earlier?.year !== null && earlier?.year !== undefined) {
      throw new ValidationError([{ field: 'householdId', value: String(hid), zh: `户 ${hid} 在 ${earlier.year} 年已有年度记录，不是评估发现的漏评户；请填写新录入的户`, en: `Household ${hid} already has a yearly record for ${earlier.year}, so it is not the omitted household; give the newly registered one` }]);
    }
    const c = await openCaseTx(tx, ctx, { workflow: 'identification', householdId: hid, year: Number(p.year) });
    await tx.query(
      `UPDATE assessment_findings SET household_id = $4, case_id = $5, status = 'case_opened', updated_at = now() WHERE county_code = $1 AND plan_id = $2 AND sample_id = $3`,
      [p.countyCode, p.id, sampleId, hid, c.id],
    );
    await audit(tx, ctx.actor, { action: 'update', entity: 'assessment_findings', entityId: `${p.id}:${sampleId}`, countyCode: p.countyCode, householdId: hid, before: { status: 'open' }, after: { status: 'case_opened', caseId: Number(c.id), householdId: hid } });
  });
  const all = await listFindings(ctx, planId);
  return all.find((x) => x.sampleId === sampleId)!;
}
