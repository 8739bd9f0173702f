// Filling a yearly income record from the measures ledger, with the user's confirmation: the preview
// shows, per income component, the value in the record, the ledger's sum and its lines, and the
// per-capita net income before and after; the fill writes through the yearly record's own path
// (writeHouseholdYear: version check, validation, status rule, per-capita income recomputed, audit).
import type { Sql } from '../db/client.js';
import { ValidationError } from '../domain/errors.js';
import type { Text } from '../domain/policy-types.js';
import { INCOME_COMPONENT_LABELS } from '../domain/assistance/catalogue.js';
import { COMPONENT_FIELD, FILLABLE_COMPONENTS, fillFromLedger, perCapitaOfYear, type FillableComponent, type YearIncome } from '../domain/assistance/measures.js';
import { require, type Ctx } from './context.js';
import { yearCols } from './households-sql.js';
import { loadHousehold, type HouseholdRow } from './households.js';
import { writeHouseholdYear, type YearView } from './household-years.js';

export interface LedgerLine {
  id: number;
  typeCode: string;
  typeName: Text;
  memberName: string | null;
  givenOn: string | null;
  amount: number;
}

export interface ComponentPreview {
  component: FillableComponent;
  label: Text;
  /** The yearly record's field this component fills. */
  field: (typeof COMPONENT_FIELD)[FillableComponent];
  /** The value in the yearly record now (null: no record for the year). */
  recorded: number | null;
  /** Sum of the ledger's measures of the year with this income component. */
  ledger: number;
  lines: LedgerLine[];
}

export interface IncomeFromMeasures {
  householdId: number;
  year: number;
  /** The yearly record as it is (null: none yet; it must be created before it can be filled). */
  record: { version: number; householdSize: number; perCapitaIncome: number } | null;
  components: ComponentPreview[];
  /** The components the "after" figure replaces: those asked, else those with ledger lines. */
  chosen: FillableComponent[];
  perCapitaBefore: number | null;
  perCapitaAfter: number | null;
}

async function preview(db: Pick<Sql, 'query'>, h: HouseholdRow, year: number, asked?: readonly FillableComponent[]): Promise<IncomeFromMeasures> {
  const [rec] = await db.query<YearView>(`SELECT ${yearCols} FROM household_years WHERE county_code = $1 AND household_id = $2 AND year = $3`, [h.countyCode, h.id, year]);
  const lines = await db.query<LedgerLine & { component: FillableComponent }>(
    `SELECT m.id, m.type_code AS "typeCode", t.name_zh AS "zh", t.name_en AS "en", mem.name AS "memberName",
            to_char(m.given_on, 'YYYY-MM-DD') AS "givenOn", m.amount, m.income_component AS component
       FROM measures m JOIN measure_types t ON t.code = m.type_code
       LEFT JOIN members mem ON mem.county_code = m.county_code AND mem.id = m.member_id
      WHERE m.county_code = $1 AND m.household_id = $2 AND m.year = $3 AND m.income_component = ANY($4)
      ORDER BY m.given_on NULLS LAST, m.id`,
    [h.countyCode, h.id, year, [...FILLABLE_COMPONENTS]],
  );
  // Sums in SQL (numeric, exact), not float additions.
  const sums = await db.query<{ component: FillableComponent; total: number }>(
    `SELECT income_component AS component, sum(amount) AS total FROM measures
      WHERE county_code = $1 AND household_id = $2 AND year = $3 AND income_component = ANY($4) GROUP BY income_component`,
    [h.countyCode, h.id, year, [...FILLABLE_COMPONENTS]],
  );
  const ledger: Partial<Record<FillableComponent, number>> = {};
  for (const s of sums) ledger[s.component] = Number(s.total);
  const components = FILLABLE_COMPONENTS.map((c): ComponentPreview => ({
    component: c,
    label: { zh: INCOME_COMPONENT_LABELS[c].zh, en: INCOME_COMPONENT_LABELS[c].en },
    field: COMPONENT_FIELD[c],
    recorded: rec ? Number(rec[COMPONENT_FIELD[c]] ?? 0) : null,
    ledger: ledger[c] ?? 0,
    lines: lines.filter((l) => l.component === c).map((l) => {
      const { zh, en, component: _c, ...rest } = l as unknown as LedgerLine & { zh: string; en: string; component: string };
      return { ...rest, typeName: { zh, en } };
    }),
  }));
  const chosen = asked ? [...asked] : components.filter((c) => c.lines.length > 0).map((c) => c.component);
  let after: number | null = null;
  if (rec) {
    const income: YearIncome = {
      householdSize: rec.householdSize, wageIncome: rec.wageIncome ?? 0, productionIncome: rec.productionIncome ?? 0, propertyIncome: rec.propertyIncome ?? 0,
      transferIncome: rec.transferIncome ?? 0, productionCosts: rec.productionCosts ?? 0, nonCountingIncome: rec.nonCountingIncome ?? 0,
    };
    after = perCapitaOfYear(fillFromLedger(income, ledger, chosen));
  }
  return {
    householdId: h.id,
    year,
    record: rec ? { version: rec.version, householdSize: rec.householdSize, perCapitaIncome: rec.perCapitaIncome } : null,
    components,
    chosen,
    perCapitaBefore: rec ? rec.perCapitaIncome : null,
    perCapitaAfter: after,
  };
}

function checkChosen(components: readonly string[] | undefined): FillableComponent[] | undefined {
  if (components === undefined) return undefined;
  const bad = components.filter((c) => !(FILLABLE_COMPONENTS as readonly string[]).includes(c));
  if (bad.length) {
    throw new ValidationError([{ field: 'components', value: bad.join(','), zh: `收入构成 ${bad.join('、')} 无效；可选：${FILLABLE_COMPONENTS.join('、')}（none 不是收入）`, en: `Unknown income components ${bad.join(', ')}; use ${FILLABLE_COMPONENTS.join(', ')} (none is not income)` }]);
  }
  return [...new Set(components)] as FillableComponent[];
}

/** The preview: per component the record's value, the ledger sum and lines; per-capita before and after. */
export async function incomeFromMeasures(ctx: Ctx, householdId: number, year: number, components?: readonly string[]): Promise<IncomeFromMeasures> {
  require(ctx, 'register.read');
  const chosen = checkChosen(components);
  const h = await loadHousehold(ctx.db, ctx, householdId);
  return preview(ctx.db, h, year, chosen);
}

/**
 * Replaces each chosen component of the yearly record by the ledger's sum, through the yearly
 * record's own write path, in one transaction with the sums it read. A stale version gets 409.
 */
export async function fillIncomeFromMeasures(ctx: Ctx, householdId: number, year: number, body: { version: unknown; components: readonly string[] }): Promise<IncomeFromMeasures> {
  require(ctx, 'register.write');
  const chosen = checkChosen(body.components) ?? [];
  if (!chosen.length) {
    throw new ValidationError([{ field: 'components', zh: '请至少选择一项要从措施台账填入的收入构成', en: 'Choose at least one income component to fill from the ledger' }]);
  }
  return ctx.db.transaction(async (tx) => {
    const h = await loadHousehold(tx, ctx, householdId, true);
    const p = await preview(tx, h, year, chosen);
    if (!p.record) {
      throw new ValidationError([{ field: 'year', value: String(year), zh: `该户没有 ${year} 年度记录；请先新增年度记录（家庭人口、脱贫标志）再从台账填入收入`, en: `The household has no ${year} record; add the yearly record (household size, status) first, then fill its income` }]);
    }
    const fields: Record<string, unknown> = { version: body.version };
    const noteParts: string[] = [];
    for (const c of p.components.filter((x) => chosen.includes(x.component))) {
      fields[c.field] = c.ledger;
      noteParts.push(`${c.component} ${c.recorded ?? 0} → ${c.ledger} (${c.lines.length})`);
    }
    await writeHouseholdYear(tx, ctx, h.id, year, fields, `从帮扶措施台账填入 filled from the measures ledger: ${noteParts.join('; ')}`);
    return preview(tx, h, year, chosen);
  });
}
