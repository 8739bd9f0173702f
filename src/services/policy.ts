// Policy parameters: read by every role that sees aggregates, changed by administrators only,
// every change audited with before and after in the same transaction. Other services get the
// values in force through policyLookup / policyYearLookup (a ParamLookup for the domain rules).
import type { Sql } from '../db/client.js';
import { NotFound, ValidationError, type FieldIssue } from '../domain/errors.js';
import {
  POLICY_CATALOGUE,
  PROVINCES,
  isPolicyKey,
  lookupFor,
  policyKeyInfo,
  regionLevelOf,
  regionsFor,
  validatePolicyChange,
  type PolicyKeyInfo,
  type PolicyRow,
  type RegionLevel,
} from '../domain/policy.js';
import type { ParamLookup, PolicyKey, Text } from '../domain/policy-types.js';
import { audit, inScope, require, type Ctx } from './context.js';

const PARAMETER = { zh: '政策参数', en: 'policy parameter' };
const NOTHING_CHANGED = { zh: '政策参数有误，未作任何修改；请按提示修改后重试', en: 'The parameter change is invalid; nothing was changed — correct the fields listed and try again' };

export interface PolicyParameterView {
  id: number;
  key: PolicyKey;
  name: Text;
  unitLabel: Text;
  year: number;
  region: string;
  regionLevel: RegionLevel;
  /** Province or county name; '全国 / national' for ''. */
  regionName: Text;
  /** null: unknown. */
  value: number | null;
  source: string;
  note: string | null;
  updatedAt: string;
  /** null for a shipped default nobody changed. */
  updatedBy: string | null;
}

export interface PolicyParameterDetail extends PolicyKeyInfo {
  rows: PolicyParameterView[];
}

interface DbRow {
  id: number;
  key: PolicyKey;
  year: number;
  region: string;
  value: number | null;
  source: string;
  note: string | null;
  updatedAt: string;
  updatedBy: string | null;
  countyName: string | null;
}

const SELECT = `SELECT p.id, p.key, p.year, p.region, p.value, p.source, p.note, p.updated_at::text AS "updatedAt", p.updated_by AS "updatedBy",
  a.name AS "countyName" FROM policy_parameters p LEFT JOIN areas a ON length(p.region) = 6 AND a.code = p.region`;

const keyOrder = new Map(POLICY_CATALOGUE.map((c, i) => [c.key as string, i]));

function regionName(region: string, countyName: string | null): Text {
  if (region === '') return { zh: '全国', en: 'national' };
  const p = PROVINCES[region];
  if (p) return p;
  return countyName ? { zh: countyName, en: countyName } : { zh: region, en: region };
}

function view(r: DbRow): PolicyParameterView {
  const info = policyKeyInfo(r.key);
  return {
    id: r.id,
    key: r.key,
    name: info.name,
    unitLabel: info.unitLabel,
    year: r.year,
    region: r.region,
    regionLevel: regionLevelOf(r.region) ?? 'national',
    regionName: regionName(r.region, r.countyName),
    value: r.value,
    source: r.source,
    note: r.note,
    updatedAt: r.updatedAt,
    updatedBy: r.updatedBy,
  };
}

/** Catalogue order, then national → province → county, then year. */
function sortViews(rows: DbRow[]): PolicyParameterView[] {
  return rows
    .filter((r) => isPolicyKey(r.key)) // a key dropped from the catalogue stays in the table but is not shown
    .sort((a, b) => (keyOrder.get(a.key)! - keyOrder.get(b.key)!) || a.region.length - b.region.length || a.region.localeCompare(b.region) || a.year - b.year)
    .map(view);
}

export interface ListPolicyFilters {
  key?: string;
  /** Exact region: '' national, 2 or 6 digits. */
  region?: string;
}

export async function listParameters(ctx: Ctx, f: ListPolicyFilters = {}): Promise<PolicyParameterView[]> {
  require(ctx, 'aggregates.read');
  const issues: FieldIssue[] = [];
  if (f.key !== undefined && !isPolicyKey(f.key)) {
    issues.push({ field: 'key', value: f.key, zh: `没有参数 ${f.key}；可用 \`jingzhun policy list\` 查看全部参数`, en: `Unknown parameter ${f.key}; \`jingzhun policy list\` lists them` });
  }
  if (f.region !== undefined && !regionLevelOf(f.region)) {
    issues.push({ field: 'region', value: f.region, zh: '区域应为空（全国）、2 位省级代码或 6 位县级代码', en: 'The region must be empty (national), a 2-digit province code or a 6-digit county code' });
  }
  if (issues.length) throw new ValidationError(issues);
  const conds: string[] = [];
  const params: unknown[] = [];
  if (f.key !== undefined) conds.push(`p.key = $${params.push(f.key)}`);
  if (f.region !== undefined) conds.push(`p.region = $${params.push(f.region)}`);
  const rows = await ctx.db.query<DbRow>(`${SELECT} ${conds.length ? `WHERE ${conds.join(' AND ')}` : ''}`, params);
  return sortViews(rows);
}

/** One parameter: its catalogue entry and every row (all regions and years). */
export async function showParameter(ctx: Ctx, key: string): Promise<PolicyParameterDetail> {
  require(ctx, 'aggregates.read');
  if (!isPolicyKey(key)) throw new NotFound(PARAMETER);
  const rows = await ctx.db.query<DbRow>(`${SELECT} WHERE p.key = $1`, [key]);
  return { ...policyKeyInfo(key), rows: sortViews(rows) };
}

export interface SetParameterResult {
  parameter: PolicyParameterView;
  created: boolean;
}

/** The audited fields of a row. */
function audited(r: Pick<DbRow, 'key' | 'year' | 'region' | 'value' | 'source' | 'note'>) {
  return { key: r.key, year: r.year, region: r.region, value: r.value, source: r.source, note: r.note };
}

/**
 * Sets the value of one parameter for a year and region (insert or update of that row).
 * Administrators only; a county row must be a county in the actor's area. Audited with before/after.
 */
export async function setParameter(ctx: Ctx, input: Record<string, unknown>): Promise<SetParameterResult> {
  require(ctx, 'policy.write');
  const v = validatePolicyChange(input);
  if (!v.value) throw new ValidationError(v.issues, NOTHING_CHANGED);
  const p: PolicyRow = v.value;
  return ctx.db.transaction(async (tx) => {
    if (p.region.length === 6) await checkCounty(tx, ctx, p.region);
    const [before] = await tx.query<DbRow>(`${SELECT} WHERE p.key = $1 AND p.year = $2 AND p.region = $3 FOR UPDATE OF p`, [p.key, p.year, p.region]);
    const [saved] = await tx.query<{ id: number }>(
      `INSERT INTO policy_parameters (key, year, region, value, source, note, updated_at, updated_by)
       VALUES ($1, $2, $3, $4::numeric, $5, $6, now(), $7)
       ON CONFLICT (key, year, region) DO UPDATE SET value = EXCLUDED.value, source = EXCLUDED.source, note = EXCLUDED.note,
         updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by
       RETURNING id`,
      [p.key, p.year, p.region, p.value, p.source, p.note ?? null, ctx.actor.username],
    );
    const [after] = await tx.query<DbRow>(`${SELECT} WHERE p.id = $1`, [saved!.id]);
    await audit(tx, ctx.actor, {
      action: before ? 'update' : 'create',
      entity: 'policy_parameters',
      entityId: saved!.id,
      countyCode: p.region.length === 6 ? p.region : null,
      before: before ? audited(before) : null,
      after: audited(after!),
    });
    return { parameter: view(after!), created: !before };
  });
}

async function checkCounty(tx: Sql, ctx: Ctx, region: string): Promise<void> {
  const [a] = await tx.query('SELECT 1 FROM areas WHERE code = $1 AND level = 3', [region]);
  if (a && inScope(ctx.actor, region)) return;
  throw new ValidationError([
    {
      field: 'region',
      value: region,
      zh: `县级代码 ${region} 不存在或不在您的管辖范围内；请填写本辖区的 6 位县级代码，或留空/填省级代码`,
      en: `County code ${region} does not exist or is outside your area; use a 6-digit county code in your area, or leave it empty / use a province code`,
    },
  ], NOTHING_CHANGED);
}

// --- for other services -----------------------------------------------------------------------

/** Every row that can apply to `areaCode` (its county, province and national rows), all years. */
export async function policyRowsFor(db: Pick<Sql, 'query'>, areaCode: string): Promise<PolicyRow[]> {
  const rows = await db.query<PolicyRow>(
    `SELECT key, year, region, value, source FROM policy_parameters WHERE region = ANY($1::varchar[])`,
    [regionsFor(areaCode)],
  );
  return rows.filter((r) => isPolicyKey(r.key));
}

/** The parameters in force for one year and area, for the domain rules. */
export async function policyLookup(db: Pick<Sql, 'query'>, year: number, areaCode: string): Promise<ParamLookup> {
  return lookupFor(await policyRowsFor(db, areaCode), year, areaCode);
}

/** One read for several years of the same area (the exit rule looks at past years' lines). */
export async function policyYearLookup(db: Pick<Sql, 'query'>, areaCode: string): Promise<(year: number) => ParamLookup> {
  const rows = await policyRowsFor(db, areaCode);
  return (year) => lookupFor(rows, year, areaCode);
}
