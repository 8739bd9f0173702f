// 利益联结: households a project benefits, how, and by how much a year. Personal data: reading needs
// register.read; adding and removing needs projects.write and is audited under the household.
import type { Sql } from '../../db/client.js';
import { NotFound, ValidationError } from '../../domain/errors.js';
import { LINK_KINDS, LINK_KIND_LABELS } from '../../domain/assistance/catalogue.js';
import { audit, require, type Ctx } from '../context.js';
import { Fields, linkLabel, loadProject, requireCounty, type ProjectRow } from './shared.js';

export interface BeneficiaryView {
  householdId: number;
  householdNo: string;
  headName: string;
  villageCode: string;
  villageName: string | null;
  linkKind: string;
  linkKindLabel: { zh: string; en: string };
  expectedBenefit: number | null;
  note: string | null;
  createdAt: string;
}

export async function listBeneficiaries(db: Pick<Sql, 'query'>, p: Pick<ProjectRow, 'countyCode' | 'id'>): Promise<BeneficiaryView[]> {
  const rows = await db.query<Omit<BeneficiaryView, 'linkKindLabel'>>(
    `SELECT h.id AS "householdId", h.household_no AS "householdNo", h.head_name AS "headName", h.village_code AS "villageCode", v.name AS "villageName",
            pb.link_kind AS "linkKind", pb.expected_benefit AS "expectedBenefit", pb.note, pb.created_at::text AS "createdAt"
       FROM project_beneficiaries pb JOIN households h ON h.county_code = pb.county_code AND h.id = pb.household_id
       LEFT JOIN areas v ON v.code = h.village_code
      WHERE pb.county_code = $1 AND pb.project_id = $2 ORDER BY h.village_code, h.household_no`,
    [p.countyCode, p.id],
  );
  return rows.map((r) => ({ ...r, linkKindLabel: linkLabel(r.linkKind) }));
}

export async function getBeneficiaries(ctx: Ctx, id: number): Promise<BeneficiaryView[]> {
  require(ctx, 'register.read');
  const p = await loadProject(ctx.db, ctx, id);
  return listBeneficiaries(ctx.db, p);
}

export async function addBeneficiary(ctx: Ctx, id: number, body: { householdId?: unknown; linkKind?: unknown; expectedBenefit?: unknown; note?: unknown }): Promise<BeneficiaryView[]> {
  require(ctx, 'projects.write');
  const f = new Fields();
  const householdId = typeof body.householdId === 'number' && Number.isSafeInteger(body.householdId) && body.householdId > 0 ? body.householdId : undefined;
  if (householdId === undefined) f.add('householdId', body.householdId, '缺少或无效的农户 householdId', 'householdId is missing or invalid');
  const linkKind = f.oneOf('linkKind', body.linkKind, LINK_KINDS, LINK_KIND_LABELS);
  const expected = body.expectedBenefit === undefined || body.expectedBenefit === null ? null : f.amount('expectedBenefit', body.expectedBenefit, false);
  const note = f.text('note', body.note, 500, false) ?? null;
  if (f.issues.length || householdId === undefined || !linkKind) throw new ValidationError(f.issues);
  return ctx.db.transaction(async (tx) => {
    const p = await loadProject(tx, ctx, id, true);
    requireCounty(ctx.actor, p.countyCode);
    const [h] = await tx.query<{ villageCode: string; householdNo: string; villageName: string | null }>(
      `SELECT h.village_code AS "villageCode", h.household_no AS "householdNo", v.name AS "villageName"
         FROM households h LEFT JOIN areas v ON v.code = h.village_code WHERE h.county_code = $1 AND h.id = $2`,
      [p.countyCode, householdId],
    );
    // Another county's household is "not in this county": its existence elsewhere is not revealed.
    if (!h) {
      throw new ValidationError([{ field: 'householdId', value: String(householdId), zh: '该农户不在项目所在旗县的建档立卡名册中；受益户须为本旗县农户', en: 'No such household in the project’s county; beneficiaries must be households of that county' }]);
    }
    if (p.villageCodes.length && !p.villageCodes.includes(h.villageCode)) {
      throw new ValidationError([{
        field: 'householdId', value: h.householdNo,
        zh: `农户 ${h.householdNo} 在 ${h.villageName ?? h.villageCode}，不在项目覆盖的村内；请先把该村加入项目，或选项目村的农户`,
        en: `Household ${h.householdNo} is in ${h.villageName ?? h.villageCode}, not one of the project’s villages; add that village to the project first or choose a household of its villages`,
      }]);
    }
    const [dup] = await tx.query('SELECT 1 FROM project_beneficiaries WHERE county_code = $1 AND project_id = $2 AND household_id = $3', [p.countyCode, p.id, householdId]);
    if (dup) {
      throw new ValidationError([{ field: 'householdId', value: h.householdNo, zh: `农户 ${h.householdNo} 已是该项目的受益户；如需修改，请先移除再添加`, en: `Household ${h.householdNo} is already a beneficiary; remove it first to change the link` }]);
    }
    await tx.query(
      'INSERT INTO project_beneficiaries (county_code, project_id, household_id, link_kind, expected_benefit, note) VALUES ($1,$2,$3,$4,$5,$6)',
      [p.countyCode, p.id, householdId, linkKind, expected ?? null, note],
    );
    await audit(tx, ctx.actor, {
      action: 'create', entity: 'project_beneficiaries', entityId: `${p.id}:${householdId}`, countyCode: p.countyCode, householdId,
      after: { projectId: p.id, projectName: p.name, linkKind, expectedBenefit: expected ?? null, note },
    });
    return listBeneficiaries(tx, p);
  });
}

export async function removeBeneficiary(ctx: Ctx, id: number, householdId: number): Promise<BeneficiaryView[]> {
  require(ctx, 'projects.write');
  return ctx.db.transaction(async (tx) => {
    const p = await loadProject(tx, ctx, id, true);
    requireCounty(ctx.actor, p.countyCode);
    const [cur] = await tx.query<{ linkKind: string; expectedBenefit: number | null; note: string | null }>(
      `DELETE FROM project_beneficiaries WHERE county_code = $1 AND project_id = $2 AND household_id = $3
       RETURNING link_kind AS "linkKind", expected_benefit AS "expectedBenefit", note`,
      [p.countyCode, p.id, householdId],
    );
    if (!cur) throw new NotFound({ zh: '受益户', en: 'beneficiary' });
    await audit(tx, ctx.actor, {
      action: 'delete', entity: 'project_beneficiaries', entityId: `${p.id}:${householdId}`, countyCode: p.countyCode, householdId,
      before: { projectId: p.id, projectName: p.name, ...cur },
    });
    return listBeneficiaries(tx, p);
  });
}
