// Yearly household records (年度信息): income, 两不愁三保障, housing and land, history kept by year.
import type { Sql } from '../db/client.js';
import { Conflict, ValidationError } from '../domain/errors.js';
import { perCapitaNetIncome } from '../domain/income.js';
import { validateYearFields } from '../domain/validate.js';
import { yearStatusIssue } from '../domain/register-status.js';
import type { YearInput } from '../domain/register.js';
import { audit, require, type Ctx } from './context.js';
import { yearCols } from './households-sql.js';
import { getHousehold, loadHousehold, type HouseholdFile } from './households.js';

export interface YearView extends YearInput {
  perCapitaIncome: number;
  version: number;
}

export async function listYears(db: Pick<Sql, 'query'>, h: { countyCode: string; id: number }): Promise<YearView[]> {
  return db.query<YearView>(`SELECT ${yearCols} FROM household_years WHERE county_code = $1 AND household_id = $2 ORDER BY year`, [h.countyCode, h.id]);
}

export function perCapitaOf(y: YearInput): number {
  return perCapitaNetIncome(
    { wage: y.wageIncome, production: y.productionIncome, property: y.propertyIncome, transfer: y.transferIncome, productionCosts: y.productionCosts, nonCounting: y.nonCountingIncome },
    y.householdSize,
  );
}

const yearParams = (y: YearInput) => [
  y.householdSize, y.status, y.wageIncome, y.productionIncome, y.propertyIncome, y.transferIncome, y.productionCosts, y.nonCountingIncome,
  perCapitaOf(y), y.foodSecure, y.clothingSecure, y.educationSecure, y.medicalSecure, y.housingSecure, y.waterSecure, y.dangerousHouse,
  y.waterLitresPerDay, y.waterFetchMinutes, y.electricity, y.roadAccess, y.sanitaryToilet, y.farmlandMu, y.forestMu, y.returnedFarmlandMu,
  y.pastureMu, y.note,
];
const yearColumnNames = `household_size, status, wage_income, production_income, property_income, transfer_income, production_costs,
  non_counting_income, per_capita_income, food_secure, clothing_secure, education_secure, medical_secure, housing_secure, water_secure,
  dangerous_house, water_litres_per_day, water_fetch_minutes, electricity, road_access, sanitary_toilet, farmland_mu, forest_mu,
  returned_farmland_mu, pasture_mu, note`;

/**
 * Creates or replaces the record of one year. Replacing needs the record's `version`;
 * a stale version gets 409 with the current record. A past year's 脱贫标志 may be corrected;
 * the current year's may not be set to anything but the household's status.
 */
export async function putHouseholdYear(ctx: Ctx, householdId: number, year: number, body: Record<string, unknown> & { version?: unknown }): Promise<HouseholdFile> {
  require(ctx, 'register.write');
  await ctx.db.transaction((tx) => writeHouseholdYear(tx, ctx, householdId, year, body));
  return getHousehold(ctx, householdId);
}

/**
 * The body of putHouseholdYear inside the caller's transaction (the measures ledger's income fill
 * uses it, so its change passes the same version check, validation and status rule). The caller
 * has checked the role; `note` goes into the audit row.
 */
export async function writeHouseholdYear(tx: Sql, ctx: Ctx, householdId: number, year: number, body: Record<string, unknown> & { version?: unknown }, note?: string): Promise<void> {
  const h = await loadHousehold(tx, ctx, householdId, true);
  const [cur] = await tx.query<YearView>(`SELECT ${yearCols} FROM household_years WHERE county_code = $1 AND household_id = $2 AND year = $3 FOR UPDATE`, [h.countyCode, householdId, year]);
  const { version, ...fields } = body;
  if (cur && version !== cur.version) {
    // No version: the client saw no record of this year (or raced another user creating it): the
    // record exists now, so 409 with it, like a stale version, and the client edits what is there.
    if (version === undefined) {
      throw new Conflict(
        { zh: `${year} 年度记录已存在（可能刚被他人新建，当前为第 ${cur.version} 版）；请重新加载后在其基础上修改`, en: `The ${year} record already exists (someone may just have created it; it is at version ${cur.version}); reload and edit it` },
        cur,
      );
    }
    if (typeof version !== 'number') {
      throw new ValidationError([{ field: 'version', zh: `${year} 年度记录已存在，修改时须提供其版本号 version`, en: `The ${year} record exists; send its version to change it` }]);
    }
    throw new Conflict(
      { zh: `${year} 年度记录已被他人修改（您读取的是第 ${version} 版，当前为第 ${cur.version} 版）；请重新加载`, en: `Someone else changed the ${year} record (you read version ${version}, it is now ${cur.version}); reload` },
      cur,
    );
  }
  const v = validateYearFields({ ...(cur ?? {}), ...fields, year });
  if (!v.value) throw new ValidationError(v.issues);
  const y = v.value;
  // Past years are history and may be corrected (audited below); this year's 脱贫标志 is the
  // household's status now, which only a procedure changes.
  const contradicts = yearStatusIssue(year, h.exitStatus, cur?.status ?? null, y.status);
  if (contradicts) throw new ValidationError([contradicts]);
  const params = [h.countyCode, householdId, year, ...yearParams(y)];
  const placeholders = params.map((_, i) => `$${i + 1}`).join(', ');
  const updates = yearColumnNames.split(',').map((c) => `${c.trim()} = EXCLUDED.${c.trim()}`).join(', ');
  await tx.query(
    `INSERT INTO household_years (county_code, household_id, year, ${yearColumnNames}) VALUES (${placeholders})
     ON CONFLICT (county_code, household_id, year) DO UPDATE SET ${updates}, version = household_years.version + 1, updated_at = now()`,
    params,
  );
  await audit(tx, ctx.actor, { action: cur ? 'update' : 'create', entity: 'household_years', entityId: `${householdId}:${year}`, countyCode: h.countyCode, householdId, before: cur ?? null, after: { ...y, perCapitaIncome: perCapitaOf(y) }, note: note ?? null });
}
