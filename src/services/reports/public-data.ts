// 公开数据: what a researcher may take away for an area (a township or larger) and a year.
//
// (i) Aggregates by area level down to villages: households, people, poor, exited, incidence and
//     mean per-capita income. Small cells are suppressed: a row with fewer than 5 households shows
//     its counts as "<5" and its derived figures blank (primary). Secondary suppression: where a
//     parent's children have exactly one suppressed row, the smallest other child is suppressed
//     too, and the children of a suppressed row with it, so no row can be recovered by
//     subtracting the others from the parent or by adding up its children. The suppression is
//     always computed on the whole loaded tree the area belongs to (from its province down), and
//     the area asked for is cut out of it: every export is a piece of one and the same protected
//     table, so a row hidden in one export is hidden in all, the area asked for included (its
//     neighbour or parent exported on its own cannot give it away).
// (ii) Anonymised microdata, one row per household-year: a pseudonym (HMAC-SHA256 of the record's
//     key under a random secret made for this export and never stored, so exports cannot be
//     linked), the township code only, household size (top-coded 6+), status, cause, income
//     components and per-capita income rounded to 100 yuan, 两不愁三保障, the head's sex,
//     ethnicity group (Mongol / Han / other) and 10-year age band. No names, ID numbers, phones,
//     addresses, village codes or birth dates. Records of townships with fewer than 5 households,
//     or whose aggregate row is suppressed, are dropped; then k-anonymity (k = 5) on township,
//     household size, head's sex, ethnic group and age band: rows in a combination of fewer than
//     5 rows get age band, then ethnic group, then sex, then household size blanked
//     ("suppressed") until their combination has 5, and are dropped if even the township alone
//     has fewer.
// (iii) A data dictionary describing every column in Chinese and English with units and codes.
import { createHmac, randomBytes } from 'node:crypto';
import type { Text } from '../../domain/policy-types.js';
import { require, type Ctx } from '../context.js';
import { EXITED_STATUSES, POOR_STATUSES } from '../overview.js';
import { codeIssue, fen, reportArea, reportDay, throwIfAny, yearIssue, type ReportArea } from './common.js';
import { dictionary, K_ANON, MIN_CELL } from './public-data-files.js';

export { K_ANON, MIN_CELL, publicDataCsv, publicDataWorkbook } from './public-data-files.js';


export type Suppression = '' | 'primary' | 'secondary';

export interface AggregateRow {
  level: 'county' | 'township' | 'village' | 'city' | 'province';
  code: string;
  name: string;
  parentCode: string | null;
  year: number;
  /** null when suppressed (then `suppressed` says why and the file shows "<5"). */
  households: number | null;
  people: number | null;
  poorHouseholds: number | null;
  poorPeople: number | null;
  exitedHouseholds: number | null;
  exitedPeople: number | null;
  /** Rural population of the area (public statistics, area_populations); kept when the row is suppressed. */
  ruralPeople: number | null;
  incidence: number | null;
  meanPerCapitaIncome: number | null;
  suppressed: Suppression;
}

export type EthnicGroup = 'mongol' | 'han' | 'other';

/** What a quasi-identifier blanked for k-anonymity reads (blank stays "not recorded"). */
export const MASKED = 'suppressed';
export type Masked = typeof MASKED;

export interface MicroRow {
  pseudonym: string;
  townshipCode: string;
  year: number;
  /** 1–5, "6+" (top-coded) or "suppressed". */
  householdSize: number | '6+' | Masked;
  status: string;
  attribute: string;
  mainCause: string | null;
  wageIncome: number;
  productionIncome: number;
  propertyIncome: number;
  transferIncome: number;
  productionCosts: number;
  nonCountingIncome: number;
  perCapitaIncome: number;
  foodSecure: 0 | 1 | null;
  clothingSecure: 0 | 1 | null;
  educationSecure: 0 | 1 | null;
  medicalSecure: 0 | 1 | null;
  housingSecure: 0 | 1 | null;
  waterSecure: 0 | 1 | null;
  /** Sex code, "suppressed", or null when not recorded (also for the other two). */
  headSex: string | null;
  headEthnicGroup: EthnicGroup | Masked | null;
  headAgeBand: string | null;
}

/** The quasi-identifiers blanked for k-anonymity, in the order they are blanked. */
export const BLANK_ORDER = ['headAgeBand', 'headEthnicGroup', 'headSex', 'householdSize'] as const;
export type BlankedField = (typeof BLANK_ORDER)[number];

export interface DictionaryRow {
  table: 'aggregates' | 'microdata';
  column: string;
  zh: string;
  en: string;
  unit: string;
  codes: string;
}

export interface PublicData {
  area: ReportArea;
  year: number;
  generatedOn: string;
  aggregates: AggregateRow[];
  microdata: MicroRow[];
  dictionary: DictionaryRow[];
  notes: {
    minCell: number;
    primarySuppressed: number;
    secondarySuppressed: number;
    /**
     * How the area asked for came out of the suppression over the whole tree ('' shown). When it
     * is withheld, its own row is withheld too and no microdata are given.
     */
    areaSuppressed: Suppression;
    /** Townships whose records were left out of the microdata, and how many records that was. */
    droppedTownships: number;
    droppedRecords: number;
    /** k of the k-anonymity on the microdata's quasi-identifiers. */
    k: number;
    /** Microdata rows that kept their place with each field blanked ("suppressed") for k-anonymity. */
    blanked: Record<BlankedField, number>;
    /** Rows left out because even their township alone had fewer than k rows left. */
    kDroppedRecords: number;
  };
}

// --- aggregates -------------------------------------------------------------------------------

const LEVEL_OF: Record<number, AggregateRow['level']> = { 2: 'province', 4: 'city', 6: 'county', 9: 'township', 12: 'village' };
const CHILD_LEN: Record<number, number> = { 2: 4, 4: 6, 6: 9, 9: 12 };

interface Cell {
  households: number;
  people: number;
  poorHouseholds: number;
  poorPeople: number;
  exitedHouseholds: number;
  exitedPeople: number;
  incomeFen: number;
}

const POOR = POOR_STATUSES.map((s) => `'${s}'`).join(', ');
const EXITED = EXITED_STATUSES.map((s) => `'${s}'`).join(', ');

async function villageCells(ctx: Ctx, area: string, year: number): Promise<Map<string, Cell>> {
  const params: unknown[] = [year, `${area}%`];
  let county = '';
  if (area.length >= 6) {
    params.push(area.slice(0, 6));
    county = 'AND y.county_code = $3';
  } else {
    params.push(area, String(Number(area) + 1).padStart(area.length, '0'));
    county = 'AND y.county_code >= $3 AND y.county_code < $4';
  }
  const rows = await ctx.db.query<{ code: string } & Record<keyof Cell, number | string>>(
    `SELECT h.village_code AS code, count(*)::int AS households, coalesce(sum(y.household_size), 0)::int AS people,
            (count(*) FILTER (WHERE y.status IN (${POOR})))::int AS "poorHouseholds",
            coalesce(sum(y.household_size) FILTER (WHERE y.status IN (${POOR})), 0)::int AS "poorPeople",
            (count(*) FILTER (WHERE y.status IN (${EXITED})))::int AS "exitedHouseholds",
            coalesce(sum(y.household_size) FILTER (WHERE y.status IN (${EXITED})), 0)::int AS "exitedPeople",
            coalesce(sum(round(y.per_capita_income * 100) * y.household_size), 0)::bigint AS "incomeFen"
       FROM household_years y JOIN households h ON h.county_code = y.county_code AND h.id = y.household_id
      WHERE y.year = $1 AND h.village_code LIKE $2 ${county}
      GROUP BY h.village_code`,
    params,
  );
  return new Map(rows.map((r) => [r.code, {
    households: Number(r.households), people: Number(r.people), poorHouseholds: Number(r.poorHouseholds), poorPeople: Number(r.poorPeople),
    exitedHouseholds: Number(r.exitedHouseholds), exitedPeople: Number(r.exitedPeople), incomeFen: Number(r.incomeFen),
  }]));
}

function addCell(a: Cell, b: Cell): Cell {
  return {
    households: a.households + b.households, people: a.people + b.people, poorHouseholds: a.poorHouseholds + b.poorHouseholds,
    poorPeople: a.poorPeople + b.poorPeople, exitedHouseholds: a.exitedHouseholds + b.exitedHouseholds, exitedPeople: a.exitedPeople + b.exitedPeople,
    incomeFen: a.incomeFen + b.incomeFen,
  };
}

const EMPTY: Cell = { households: 0, people: 0, poorHouseholds: 0, poorPeople: 0, exitedHouseholds: 0, exitedPeople: 0, incomeFen: 0 };

export interface SuppressionNode {
  code: string;
  name: string;
  parentCode: string | null;
  cell: Cell;
  children: SuppressionNode[];
  suppressed: Suppression;
}

/**
 * Marks rows to withhold: primary below MIN_CELL households; then, until nothing changes, the
 * children of a withheld row (they would add up to it) and, in every shown parent whose children
 * have exactly one withheld row, the smallest other child with households (secondary).
 */
export function suppress(root: SuppressionNode): void {
  const all: SuppressionNode[] = [];
  const walk = (n: SuppressionNode) => {
    all.push(n);
    n.children.forEach(walk);
  };
  walk(root);
  for (const n of all) if (n.cell.households < MIN_CELL) n.suppressed = 'primary';
  for (let changed = true; changed;) {
    changed = false;
    for (const p of all) {
      if (p.suppressed) {
        // The children of a withheld row would add up to it: they are withheld with it.
        for (const c of p.children) {
          if (!c.suppressed) {
            c.suppressed = 'secondary';
            changed = true;
          }
        }
        continue;
      }
      if (p.children.length < 2) continue;
      const hidden = p.children.filter((c) => c.suppressed);
      if (hidden.length !== 1) continue;
      const other = p.children
        .filter((c) => !c.suppressed && c.cell.households > 0)
        .sort((a, b) => a.cell.households - b.cell.households || a.code.localeCompare(b.code))[0];
      if (other) {
        other.suppressed = 'secondary';
        changed = true;
      }
    }
  }
}

/**
 * The top of the loaded tree above `code`: the shortest of its prefixes (province, city, county,
 * township, itself) that is an area. Suppression is computed there, never on the requested subtree.
 */
async function treeTop(ctx: Ctx, code: string): Promise<string> {
  const prefixes = [2, 4, 6, 9, 12].filter((n) => n <= code.length).map((n) => code.slice(0, n));
  const [top] = await ctx.db.query<{ code: string }>(
    'SELECT code FROM areas WHERE code = ANY($1::text[]) ORDER BY length(code) LIMIT 1',
    [prefixes],
  );
  return top?.code ?? code;
}

/**
 * The area's subtree with every row's suppression as computed on the whole loaded tree it belongs
 * to (from its province down): the same rows are withheld whichever area is exported, so one
 * export cannot be used to recover a row another withholds — the area asked for included, which
 * is withheld when the whole tree withholds it.
 */
async function aggregateTree(ctx: Ctx, area: ReportArea, year: number): Promise<SuppressionNode> {
  const top = await treeTop(ctx, area.code);
  const cells = await villageCells(ctx, top, year);
  const areas = await ctx.db.query<{ code: string; name: string; parentCode: string | null; level: number }>(
    `SELECT code, name, parent_code AS "parentCode", level FROM areas WHERE code LIKE $1 ORDER BY code`,
    [`${top}%`],
  );
  const nodes = new Map<string, SuppressionNode>();
  for (const a of areas) nodes.set(a.code, { code: a.code, name: a.name, parentCode: a.parentCode, cell: EMPTY, children: [], suppressed: '' });
  const base = nodes.get(top)!;
  for (const [code, cell] of cells) {
    // Up the chain from the village to the top, adding the village's cell to each.
    for (let c: string | null = code; c && c.length >= top.length; c = nodes.get(c)?.parentCode ?? null) {
      const n = nodes.get(c);
      if (!n) break;
      n.cell = addCell(n.cell, cell);
      if (c === top) break;
    }
  }
  // Only areas with records that year appear (a village without households has nothing to publish).
  for (const n of nodes.values()) {
    if (n === base || n.cell.households === 0) continue;
    const parent = n.parentCode ? nodes.get(n.parentCode) : undefined;
    if (parent && n.code.length === CHILD_LEN[parent.code.length]) parent.children.push(n);
  }
  suppress(base);
  const root = nodes.get(area.code)!;
  // An area not reachable from the top (a gap in the loaded tree) is protected on its own.
  const reached = new Set<SuppressionNode>();
  const walk = (n: SuppressionNode) => {
    reached.add(n);
    n.children.forEach(walk);
  };
  walk(base);
  if (!reached.has(root)) suppress(root);
  return root;
}

async function rowsOf(ctx: Ctx, root: SuppressionNode, year: number): Promise<AggregateRow[]> {
  const out: SuppressionNode[] = [];
  const walk = (n: SuppressionNode) => {
    out.push(n);
    n.children.forEach(walk);
  };
  walk(root);
  const pops = await ctx.db.query<{ code: string; ruralPeople: number }>(
    'SELECT area_code AS code, rural_people AS "ruralPeople" FROM area_populations WHERE year = $1 AND area_code = ANY($2::text[])',
    [year, out.map((n) => n.code)],
  );
  const popOf = new Map(pops.map((p) => [p.code, Number(p.ruralPeople)]));
  return out.map((n) => {
    const c = n.cell;
    const rural = popOf.get(n.code) ?? null;
    const hide = n.suppressed !== '';
    return {
      level: LEVEL_OF[n.code.length] ?? 'village',
      code: n.code,
      name: n.name,
      parentCode: n === root ? null : n.parentCode,
      year,
      households: hide ? null : c.households,
      people: hide ? null : c.people,
      poorHouseholds: hide ? null : c.poorHouseholds,
      poorPeople: hide ? null : c.poorPeople,
      exitedHouseholds: hide ? null : c.exitedHouseholds,
      exitedPeople: hide ? null : c.exitedPeople,
      ruralPeople: rural,
      incidence: hide || !rural ? null : c.poorPeople / rural,
      meanPerCapitaIncome: hide || !c.people ? null : fen(c.incomeFen / c.people / 100),
      suppressed: n.suppressed,
    };
  });
}

// --- microdata --------------------------------------------------------------------------------

interface MicroSource {
  countyCode: string;
  id: number;
  villageCode: string;
  householdSize: number;
  status: string;
  attribute: string;
  mainCause: string | null;
  wageIncome: number;
  productionIncome: number;
  propertyIncome: number;
  transferIncome: number;
  productionCosts: number;
  nonCountingIncome: number;
  perCapitaIncome: number;
  foodSecure: boolean | null;
  clothingSecure: boolean | null;
  educationSecure: boolean | null;
  medicalSecure: boolean | null;
  housingSecure: boolean | null;
  waterSecure: boolean | null;
  headSex: string | null;
  headEthnicity: string | null;
  headBirthYear: number | null;
}

export function ethnicGroup(code: string | null): EthnicGroup | null {
  if (!code) return null;
  return code === '02' ? 'mongol' : code === '01' ? 'han' : 'other';
}

/** Age on 31 December of the year in 10-year bands, bottom-coded "<20" and top-coded "80+". */
export function ageBand(birthYear: number | null, year: number): string | null {
  if (birthYear === null) return null;
  const age = year - birthYear;
  if (age < 20) return '<20';
  if (age >= 80) return '80+';
  const lo = Math.floor(age / 10) * 10;
  return `${lo}-${lo + 9}`;
}

const flag = (v: boolean | null): 0 | 1 | null => (v === null ? null : v ? 1 : 0);

/** Money rounded to the nearest 100 yuan (halves away from zero), never -0. */
export function round100(v: number): number {
  const r = Math.sign(v) * Math.round(Math.abs(v) / 100) * 100;
  return r === 0 ? 0 : r;
}

/** Household size top-coded: 1–5 as they are, 6 or more as "6+". */
export function sizeBand(n: number): number | '6+' {
  return n >= 6 ? '6+' : n;
}

/**
 * k-anonymity on the quasi-identifiers (township, household size, head's sex, ethnic group, age
 * band): rows whose combination has at least k rows keep their values; the others get the age
 * band blanked ("suppressed") and are grouped again, then the ethnic group, then the sex, then the
 * household size; rows still in a group of fewer than k (their township alone has fewer than k
 * such rows) are dropped. Every row given then shares all five published values with at least
 * k − 1 others. Returns copies; counts how many rows given had each field blanked.
 */
export function kAnonymise(rows: readonly MicroRow[], k = K_ANON): { rows: MicroRow[]; blanked: Record<BlankedField, number>; dropped: number } {
  const key = (r: MicroRow) => JSON.stringify([r.townshipCode, r.householdSize, r.headSex, r.headEthnicGroup, r.headAgeBand]);
  const kept: MicroRow[] = [];
  let pending = rows.map((r) => ({ ...r }));
  let dropped = 0;
  for (let level = 0; pending.length; level++) {
    const groups = new Map<string, MicroRow[]>();
    for (const r of pending) {
      const g = groups.get(key(r));
      if (g) g.push(r);
      else groups.set(key(r), [r]);
    }
    const small: MicroRow[] = [];
    for (const g of groups.values()) (g.length >= k ? kept : small).push(...g);
    const field = BLANK_ORDER[level];
    if (!field) {
      dropped = small.length;
      break;
    }
    for (const r of small) (r as unknown as Record<BlankedField, string>)[field] = MASKED;
    pending = small;
  }
  const blanked = Object.fromEntries(BLANK_ORDER.map((f) => [f, kept.filter((r) => r[f] === MASKED).length])) as Record<BlankedField, number>;
  return { rows: kept, blanked, dropped };
}

interface Micro {
  rows: MicroRow[];
  droppedTownships: number;
  droppedRecords: number;
  blanked: Record<BlankedField, number>;
  kDropped: number;
}

async function microdata(ctx: Ctx, area: string, year: number, withheld: (townshipCode: string) => boolean): Promise<Micro> {
  const secret = randomBytes(32);
  const params: unknown[] = [year, `${area}%`];
  let county = '';
  if (area.length >= 6) {
    params.push(area.slice(0, 6));
    county = 'AND y.county_code = $3';
  } else {
    params.push(area, String(Number(area) + 1).padStart(area.length, '0'));
    county = 'AND y.county_code >= $3 AND y.county_code < $4';
  }
  const src = await ctx.db.query<MicroSource>(
    `SELECT y.county_code AS "countyCode", h.id, h.village_code AS "villageCode", y.household_size AS "householdSize", y.status, h.attribute,
            h.main_cause AS "mainCause", y.wage_income AS "wageIncome", y.production_income AS "productionIncome", y.property_income AS "propertyIncome",
            y.transfer_income AS "transferIncome", y.production_costs AS "productionCosts", y.non_counting_income AS "nonCountingIncome",
            y.per_capita_income AS "perCapitaIncome", y.food_secure AS "foodSecure", y.clothing_secure AS "clothingSecure",
            y.education_secure AS "educationSecure", y.medical_secure AS "medicalSecure", y.housing_secure AS "housingSecure", y.water_secure AS "waterSecure",
            hd.sex AS "headSex", hd.ethnicity AS "headEthnicity", extract(year FROM hd.birth_date)::int AS "headBirthYear"
       FROM household_years y
       JOIN households h ON h.county_code = y.county_code AND h.id = y.household_id
       LEFT JOIN LATERAL (SELECT m.sex, m.ethnicity, m.birth_date FROM members m
                           WHERE m.county_code = h.county_code AND m.household_id = h.id AND m.relation = '01' ORDER BY m.id LIMIT 1) hd ON true
      WHERE y.year = $1 AND h.village_code LIKE $2 ${county}`,
    params,
  );
  const perTownship = new Map<string, number>();
  for (const r of src) {
    const t = r.villageCode.slice(0, 9);
    perTownship.set(t, (perTownship.get(t) ?? 0) + 1);
  }
  const dropped = new Set([...perTownship.keys()].filter((t) => (perTownship.get(t) ?? 0) < MIN_CELL || withheld(t)));
  const rows: MicroRow[] = [];
  let droppedRecords = 0;
  for (const r of src) {
    const township = r.villageCode.slice(0, 9);
    if (dropped.has(township)) {
      droppedRecords += 1;
      continue;
    }
    rows.push({
      pseudonym: `P${createHmac('sha256', secret).update(`${r.countyCode}:${r.id}`).digest('hex').slice(0, 12)}`,
      townshipCode: township,
      year,
      householdSize: sizeBand(Number(r.householdSize)),
      status: r.status,
      attribute: r.attribute,
      mainCause: r.mainCause,
      // Incomes to the fen would single households out: rounded to the nearest 100 yuan.
      wageIncome: round100(Number(r.wageIncome)),
      productionIncome: round100(Number(r.productionIncome)),
      propertyIncome: round100(Number(r.propertyIncome)),
      transferIncome: round100(Number(r.transferIncome)),
      productionCosts: round100(Number(r.productionCosts)),
      nonCountingIncome: round100(Number(r.nonCountingIncome)),
      perCapitaIncome: round100(Number(r.perCapitaIncome)),
      foodSecure: flag(r.foodSecure),
      clothingSecure: flag(r.clothingSecure),
      educationSecure: flag(r.educationSecure),
      medicalSecure: flag(r.medicalSecure),
      housingSecure: flag(r.housingSecure),
      waterSecure: flag(r.waterSecure),
      headSex: r.headSex,
      headEthnicGroup: ethnicGroup(r.headEthnicity),
      headAgeBand: ageBand(r.headBirthYear === null ? null : Number(r.headBirthYear), year),
    });
  }
  const anon = kAnonymise(rows);
  // Sorted by pseudonym: a random order, so row order reveals nothing (not the register's).
  anon.rows.sort((a, b) => (a.pseudonym < b.pseudonym ? -1 : a.pseudonym > b.pseudonym ? 1 : 0));
  return { rows: anon.rows, droppedTownships: dropped.size, droppedRecords, blanked: anon.blanked, kDropped: anon.dropped };
}

// --- the verb -------------------------------------------------------------------------------

const WHAT: Text = { zh: '苏木乡镇或更大区划（市、旗县、苏木乡镇）', en: 'a township or larger area (city, county, township)' };

/** The three parts for an area (a township or larger: a village's microdata would name the village) and a year. */
export async function publicData(ctx: Ctx, input: { area: unknown; year: unknown }): Promise<PublicData> {
  require(ctx, 'aggregates.read');
  throwIfAny([codeIssue(input.area, [1, 2, 3, 4], WHAT), yearIssue(input.year)]);
  const area = await reportArea(ctx, input.area as string, [1, 2, 3, 4], WHAT);
  const year = input.year as number;
  const root = await aggregateTree(ctx, area, year);
  const aggregates = await rowsOf(ctx, root, year);
  // A withheld township, or a withheld area asked for (all its townships are then withheld with it),
  // gives no microdata.
  const withheldAreas = aggregates.filter((a) => a.suppressed !== '' && a.code.length <= 9).map((a) => a.code);
  const micro = await microdata(ctx, area.code, year, (t) => withheldAreas.some((c) => t.startsWith(c)));
  return {
    area,
    year,
    generatedOn: reportDay(),
    aggregates,
    microdata: micro.rows,
    dictionary: dictionary(),
    notes: {
      minCell: MIN_CELL,
      primarySuppressed: aggregates.filter((a) => a.suppressed === 'primary').length,
      secondarySuppressed: aggregates.filter((a) => a.suppressed === 'secondary').length,
      areaSuppressed: root.suppressed,
      droppedTownships: micro.droppedTownships,
      droppedRecords: micro.droppedRecords,
      k: K_ANON,
      blanked: micro.blanked,
      kDroppedRecords: micro.kDropped,
    },
  };
}
