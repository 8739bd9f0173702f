// Household register import: read → group rows into households → validate everything →
// either reject with every problem listed (nothing written), or write the whole file in one
// transaction with COPY into staging tables and set-based SQL. Re-importing the same file
// changes nothing; per-row queries are avoided so a million people load at near-COPY speed.
import type { Sql } from '../../db/client.js';
import { ValidationError, type FieldIssue } from '../../domain/errors.js';
import { findCode } from '../../domain/codes.js';
import { parseIdNumber, maskIdNumber } from '../../domain/idnumber.js';
import { perCapitaNetIncome } from '../../domain/income.js';
import { HEAD_RELATION, countyOf, type HouseholdInput, type MemberInput, type YearInput } from '../../domain/register.js';
import { columnOf, type TemplateColumn } from '../../domain/template.js';
import {
  householdRules, normaliseField, validateBundle, validateHouseholdFields, validateMemberFields, validateYearFields, type BundleRows,
} from '../../domain/validate.js';
import { statusChangeIssues } from '../../domain/register-status.js';
import { inScope, require, type Ctx } from '../context.js';
import { idColumns, idHash, phoneColumns } from '../pii.js';
import { readSheet, type SheetInfo, type SheetRow } from './read.js';
import { writeErrorWorkbook } from './export.js';

export interface ImportResult {
  status: 'validated' | 'imported' | 'rejected';
  /** Data rows read (blank rows not counted). */
  rows: number;
  households: { created: number; updated: number; unchanged: number };
  members: { created: number; updated: number; deleted: number };
  years: { upserted: number };
  issues: FieldIssue[];
  encoding?: string;
  /** The `imports` record of this attempt. */
  importId: number;
}

export interface ImportInput {
  fileName: string;
  data: Buffer;
  dryRun?: boolean;
  onProgress?: (phase: string, done: number, total: number) => void;
}

type Raw = Record<string, unknown>;
type Index = { i: number; c: TemplateColumn }[];

// What is kept per household, year and person while reading: validated values and a text
// signature of the first row (later rows are compared with it), never the raw cells, so a
// million-person file stays within a few hundred MB.

interface YearAcc {
  key: string;
  firstRow: number;
  sig: number;
  /** Validated with household size 1; the real size (its row count) is set at the end. */
  value?: YearInput;
  /** 脱贫标志 code of a household without years (for its current status). */
  status?: string;
  /** ID (or raw text) and row of each person on this year's rows. */
  keys: string[];
  rows: number[];
}

interface HouseholdAcc {
  key: string;
  no: string;
  county: string;
  village: string;
  firstRow: number;
  sig: number;
  /** Validated with a placeholder 脱贫标志; the latest year's is set at the end. */
  value?: HouseholdInput;
  years: Map<string, YearAcc>;
  latest?: YearAcc;
  /** Row of the latest year, once its 脱贫标志 is known and set on `value`. */
  statusRow?: number;
}

interface MemberAcc {
  row: number;
  sig: number;
  value?: MemberInput;
  /** Relation code even when the member is otherwise invalid, for the one-head rule. */
  relation: string;
}

/** Everything learnt from the file, before the database is asked anything. */
interface Parsed {
  info: SheetInfo;
  households: Map<string, HouseholdAcc>;
  members: Map<string, MemberAcc>;
  issues: FieldIssue[];
}

const empty = () => ({ households: { created: 0, updated: 0, unchanged: 0 }, members: { created: 0, updated: 0, deleted: 0 }, years: { upserted: 0 } });

const VALID_ID = /^\d{17}[\dX]$/;

function col(part: 'household' | 'member' | 'year', field: string): TemplateColumn {
  return columnOf(part, field)!;
}

/** The cells of one part of a row as a record for the validators. */
function rawOf(idx: Index, cells: string[]): Raw {
  const raw: Raw = {};
  for (const { i, c } of idx) raw[c.field] = cells[i] ?? '';
  return raw;
}

/**
 * A 53-bit hash (cyrb53) of the exact text of one part of a row, to tell cheaply that a later
 * row says the same as the first; kept instead of the text to save memory (two different rows
 * collide with odds of about 1 in 10^16).
 */
function sigOf(idx: Index, cells: string[], extra = ''): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let n = 0; n <= idx.length; n++) {
    const v = n < idx.length ? (cells[idx[n]!.i] ?? '') : extra;
    for (let k = 0; k < v.length; k++) {
      const ch = v.charCodeAt(k);
      h1 = Math.imul(h1 ^ ch, 2654435761);
      h2 = Math.imul(h2 ^ ch, 1597334677);
    }
    h1 = Math.imul(h1 ^ 1, 2654435761);
    h2 = Math.imul(h2 ^ 1, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** The cell of a template field in a row ('' when the file has no such column). */
function cellAt(cells: string[], at: Record<string, number>, key: string): string {
  const i = at[key];
  return i === undefined ? '' : (cells[i] ?? '');
}

/** The key a person is grouped by: the 18-character ID (15-digit ones upgraded), else the text. */
function personKey(raw: string, row: number): string {
  if (raw.length === 18 && /^\d{17}[\dXx]$/.test(raw)) return raw.toUpperCase();
  const parsed = parseIdNumber(raw);
  return parsed.ok ? parsed.id.value : raw.trim() || `\u0000row${row}`;
}

/** Fields left empty on a row and filled in from the ID number (sex, birth date). */
const DERIVED = new Set(['sex', 'birthDate']);

/**
 * A later row of the same household, household-year or person whose text differs from the
 * first row's: each cell is compared by value with what the first row gave (是 and 1 agree);
 * real differences and invalid cells are reported on the later row.
 */
function compareRow(
  idx: Index, first: object | undefined, firstRow: number, cells: string[], row: number,
  whose: { zh: string; en: string }, issues: FieldIssue[], keyOf: (c: TemplateColumn) => string = (c) => c.field,
): void {
  if (!first) return; // the first row was invalid and is reported already
  const values = first as Raw;
  for (const { i, c } of idx) {
    const b = cells[i] ?? '';
    const nb = normaliseField(c, b, { row });
    if (!nb.ok) {
      issues.push(nb.issue);
      continue;
    }
    if (nb.value === null && DERIVED.has(c.field)) continue;
    if (JSON.stringify(nb.value) !== JSON.stringify(values[keyOf(c)] ?? null)) issues.push(mismatch(c, row, firstRow, b, whose));
  }
}

function mismatch(c: TemplateColumn, row: number, otherRow: number, value: string, whose: { zh: string; en: string }): FieldIssue {
  return {
    field: c.field, column: c.header, row, value,
    zh: `「${c.header}」与第 ${otherRow} 行不一致：${whose.zh}的各行此列必须相同；请统一后重新导入`,
    en: `"${c.header}" (${c.headerEn}) differs from row ${otherRow}: it must be the same on every row of ${whose.en}; make them agree and import again`,
  };
}

async function parseFile(input: ImportInput): Promise<Parsed> {
  const households = new Map<string, HouseholdAcc>();
  const members = new Map<string, MemberAcc>();
  const issues: FieldIssue[] = [];
  let hIdx: Index = [];
  let yIdx: Index = [];
  let yStatusIdx: Index = [];
  let mIdx: Index = [];
  let at: Record<string, number> = {};
  let ready = false;
  const progress = input.onProgress;
  const statusCol = col('household', 'exitStatus');
  const yearCol = col('year', 'year');

  const prepare = (info: SheetInfo) => {
    const idx = (part: string, skip: string[] = []): Index =>
      info.columns.flatMap((c, i) => (c && c.part === part && !skip.includes(c.field) ? [{ i, c }] : []));
    hIdx = idx('household', ['exitStatus']);
    yIdx = idx('year', ['year']);
    mIdx = idx('member');
    at = {};
    info.columns.forEach((c, i) => {
      if (c && c.part !== 'info') at[`${c.part}.${c.field}`] = i;
    });
    const s = at['household.exitStatus'];
    yStatusIdx = s === undefined ? yIdx : [...yIdx, { i: s, c: statusCol }];
    ready = true;
  };

  const onRow = (r: SheetRow, info: SheetInfo) => {
    if (!ready) prepare(info);
    const row = r.row;
    const cells = r.cells;
    if (info.rowCount % 5000 === 0) progress?.('read', info.rowCount, 0);
    const no = cellAt(cells, at, 'household.householdNo').trim();
    const village = cellAt(cells, at, 'household.villageCode').trim();
    const yearKey = cellAt(cells, at, 'year.year').trim();
    const status = cellAt(cells, at, 'household.exitStatus');
    if (!yearKey && yIdx.some(({ i }) => (cells[i] ?? '').trim() !== '')) {
      issues.push({ field: 'year', column: yearCol.header, row, zh: `「${yearCol.header}」为空，但本行填写了年度信息（收入、两不愁三保障等）；请填写年度`, en: `"${yearCol.header}" is empty but the row has yearly data (income, basic needs …); enter the year` });
    }
    if (!no) {
      // No household to group into: report what is wrong with the row and move on.
      issues.push(...validateHouseholdFields({ ...rawOf(hIdx, cells), householdNo: '', exitStatus: status }, { row }).issues);
      issues.push(...validateMemberFields(rawOf(mIdx, cells), { row }).issues);
      return;
    }
    const county = /^\d{12}$/.test(village) ? countyOf(village) : village;
    const hKey = `${county}\u0000${no}`;
    let hh = households.get(hKey);
    const hSig = sigOf(hIdx, cells);
    if (!hh) {
      // 脱贫标志 is per year: checked with the year, and the latest year's becomes the household's.
      const v = validateHouseholdFields({ ...rawOf(hIdx, cells), exitStatus: '0' }, { row });
      issues.push(...v.issues);
      hh = { key: hKey, no, county, village, firstRow: row, sig: hSig, value: v.value, years: new Map() };
      households.set(hKey, hh);
    } else if (hh.sig !== hSig) {
      compareRow(hIdx, hh.value, hh.firstRow, cells, row, { zh: `同一户（户编号 ${no}）`, en: `household ${no}` }, issues);
    }
    let yr = hh.years.get(yearKey);
    const ySig = sigOf(yIdx, cells, status);
    if (!yr) {
      yr = { key: yearKey, firstRow: row, sig: ySig, keys: [], rows: [] };
      if (yearKey) {
        const v = validateYearFields({ ...rawOf(yIdx, cells), year: yearKey, householdSize: 1, status }, { row });
        issues.push(...v.issues);
        yr.value = v.value;
      } else {
        const v = normaliseField(statusCol, status, { row });
        if (v.ok) yr.status = v.value as string;
        else issues.push(v.issue);
      }
      hh.years.set(yearKey, yr);
    } else if (yr.sig !== ySig) {
      const whose = { zh: `同一户同一年度（户编号 ${no}，${yearKey || '无'} 年度）`, en: `household ${no} in ${yearKey || 'the same year'}` };
      const first = yearKey ? yr.value : yr.status === undefined ? undefined : { status: yr.status };
      compareRow(yearKey ? yStatusIdx : yStatusIdx.filter((x) => x.c === statusCol), first, yr.firstRow, cells, row, whose, issues,
        (c) => (c === statusCol ? 'status' : c.field));
    }
    const idKey = personKey(cellAt(cells, at, 'member.idNumber'), row);
    yr.keys.push(idKey);
    yr.rows.push(row);
    const mKey = `${hKey}\u0000${idKey}`;
    const mem = members.get(mKey);
    const mSig = sigOf(mIdx, cells);
    if (!mem) {
      const v = validateMemberFields(rawOf(mIdx, cells), { row });
      issues.push(...v.issues);
      const relation = v.value?.relation ?? findCode('relation', cellAt(cells, at, 'member.relation'))?.code ?? '';
      members.set(mKey, { row, sig: mSig, value: v.value, relation });
    } else if (mem.sig !== mSig) {
      const whose = { zh: `同一人（${maskIdNumber(idKey)}）在本户`, en: `the same person (${maskIdNumber(idKey)}) in this household` };
      compareRow(mIdx, mem.value, mem.row, cells, row, whose, issues);
    }
  };

  const info = await readSheet(input.fileName, input.data, { onRow });
  return { info, households, members, issues: [...info.issues, ...issues] };
}

// ------------------------------------------------------------------ households from rows

interface Planned {
  hh: HouseholdAcc;
  household: HouseholdInput;
  headName: string;
  members: { value: MemberInput; row: number }[];
  years: YearInput[];
}

interface Plan {
  planned: Planned[];
  villages: Map<string, HouseholdAcc[]>;
  issues: FieldIssue[];
}

function assemble(p: Parsed, onProgress?: ImportInput['onProgress']): Plan {
  const issues: FieldIssue[] = [];
  const planned: Planned[] = [];
  const villages = new Map<string, HouseholdAcc[]>();
  const owner = new Map<string, HouseholdAcc>();
  const yearCol = col('year', 'year');
  const idCol = col('member', 'idNumber');
  const member = (hh: HouseholdAcc, key: string) => p.members.get(`${hh.key}\u0000${key}`)!;
  let done = 0;
  for (const hh of p.households.values()) {
    if (++done % 5000 === 0) onProgress?.('validate', done, p.households.size);
    const groups = [...hh.years.values()];
    const noYear = hh.years.get('');
    const withYear = groups.filter((g) => g.key !== '');
    let ok = true;
    if (noYear && withYear.length) {
      ok = false;
      for (const row of noYear.rows) {
        issues.push({ field: 'year', column: yearCol.header, row, zh: `「${yearCol.header}」为空，但户编号 ${hh.no} 的其他行填了年度；同一户的各行都要填年度`, en: `"${yearCol.header}" is empty but other rows of household ${hh.no} have a year; give every row of the household a year` });
      }
    }
    let latest: YearAcc | undefined = withYear.length ? undefined : noYear;
    for (const g of withYear) {
      if (!g.value) {
        ok = false;
        continue;
      }
      if (g.keys.length > 99) {
        ok = false;
        issues.push({ field: 'householdSize', column: yearCol.header, row: g.firstRow, zh: `户编号 ${hh.no} 的 ${g.key} 年度有 ${g.keys.length} 行；家庭人口数（该年度的行数）最多 99，请核对户编号`, en: `Household ${hh.no} has ${g.keys.length} rows in ${g.key}; household size (that year's row count) is at most 99 — check the household numbers` });
      }
      g.value.householdSize = g.keys.length;
      if (!latest?.value || g.value.year > latest.value.year) latest = g;
    }
    hh.latest = latest;
    if (/^\d{12}$/.test(hh.village)) {
      const list = villages.get(hh.village);
      if (list) list.push(hh);
      else villages.set(hh.village, [hh]);
    }
    const status = latest?.value?.status ?? latest?.status;
    if (hh.value && status !== undefined) {
      hh.value.exitStatus = status;
      hh.statusRow = latest!.firstRow;
      const rules = householdRules(hh.value, { row: latest!.firstRow });
      issues.push(...rules);
      if (rules.length) ok = false;
    } else ok = false;
    if (!latest) continue;

    // The household's people are those on its latest year's rows.
    const seen = new Set<string>();
    const stored: { value: MemberInput; row: number }[] = [];
    latest.keys.forEach((key, n) => {
      if (seen.has(key)) return;
      seen.add(key);
      const acc = member(hh, key);
      if (!acc.value) ok = false;
      else stored.push({ value: acc.value, row: acc.row });
      if (!VALID_ID.test(key)) return;
      const prev = owner.get(key);
      if (prev && prev !== hh) {
        const masked = maskIdNumber(key);
        const row = latest!.rows[n]!;
        const prevRow = member(prev, key).row;
        const text = {
          zh: `身份证号 ${masked} 同时出现在户编号 ${prev.no}（第 ${prevRow} 行）和户编号 ${hh.no}（第 ${row} 行）；同一人不能在两户，请从其中一户删除`,
          en: `ID ${masked} is in household ${prev.no} (row ${prevRow}) and household ${hh.no} (row ${row}); a person cannot be in two households — remove them from one`,
        };
        issues.push({ field: 'idNumber', column: idCol.header, row, value: masked, ...text }, { field: 'idNumber', column: idCol.header, row: prevRow, value: masked, ...text });
        ok = false;
      } else if (!prev) owner.set(key, hh);
    });
    const rows: BundleRows = {
      household: hh.firstRow,
      members: stored.map((m) => m.row),
      years: groups.map((g) => ({
        year: g.value?.year ?? (Number(g.key) || null),
        members: g.keys.map((key, n) => ({ relation: member(hh, key).relation, idNumber: key, row: g.rows[n] })),
      })),
    };
    const household = hh.value ?? ({ householdNo: hh.no, villageCode: hh.village } as HouseholdInput);
    const years = withYear.flatMap((g) => (g.value ? [g.value] : []));
    const bundleIssues = validateBundle({ household, members: stored.map((m) => m.value), years }, rows);
    issues.push(...bundleIssues);
    if (!ok || bundleIssues.length || !hh.value) continue;
    const head = stored.find((m) => m.value.relation === HEAD_RELATION)!;
    planned.push({ hh, household: hh.value, headName: head.value.name, members: stored, years });
  }
  return { planned, villages, issues };
}

const CHECK_HH_COLS = ['county_code', 'household_no', 'first_row', 'exit_status', 'identified_on', 'exit_year', 'status_row'] as const;

/**
 * Households with a usable village and their people with valid IDs, for the database checks of a
 * rejected file; with their status fields when the file gives them (else exit_status is empty).
 */
function* checkHouseholdRows(p: Parsed) {
  for (const hh of p.households.values()) {
    if (!/^\d{12}$/.test(hh.village)) continue;
    const h = hh.statusRow === undefined ? undefined : hh.value;
    yield [hh.county, hh.no, hh.firstRow, h?.exitStatus ?? null, h?.identifiedOn ?? null, h?.exitYear ?? null, hh.statusRow ?? null];
  }
}

function* checkPeopleRows(p: Parsed) {
  for (const hh of p.households.values()) {
    if (!/^\d{12}$/.test(hh.village) || !hh.latest) continue;
    const seen = new Set(hh.latest.keys.filter((k) => VALID_ID.test(k)));
    for (const key of seen) yield [hh.county, hh.no, idHash(key), maskIdNumber(key), p.members.get(`${hh.key}\u0000${key}`)!.row];
  }
}

/** Villages must exist at village level and be inside the actor's area. */
async function villageIssues(ctx: Ctx, villages: Map<string, HouseholdAcc[]>): Promise<FieldIssue[]> {
  if (!villages.size) return [];
  const codes = [...villages.keys()];
  const found = new Set(
    (await ctx.db.query<{ code: string }>('SELECT code FROM areas WHERE level = 5 AND code = ANY($1::text[])', [codes])).map((r) => r.code),
  );
  const c = col('household', 'villageCode');
  const issues: FieldIssue[] = [];
  for (const [code, list] of villages) {
    for (const hh of list) {
      if (!found.has(code)) {
        issues.push({
          field: c.field, column: c.header, row: hh.firstRow, value: code,
          zh: `「${c.header}」${code} 不是已登记的村级区划代码（户编号 ${hh.no}）；请核对12位村代码，或先在区划管理中添加该村`,
          en: `"${c.header}" ${code} is not a known village code (household ${hh.no}); check the 12-digit code, or add the village under areas first`,
        });
      } else if (!inScope(ctx.actor, code)) {
        issues.push({
          field: c.field, column: c.header, row: hh.firstRow, value: code,
          zh: `「${c.header}」${code} 不在您的管辖范围（${ctx.actor.areaCode}）内（户编号 ${hh.no}）；您只能导入本辖区的农户，请删除这些行或请上级单位导入`,
          en: `"${c.header}" ${code} is outside your area (${ctx.actor.areaCode}) (household ${hh.no}); you can only import households of your own area — remove these rows or ask a higher office to import them`,
        });
      }
    }
  }
  return issues;
}

// ------------------------------------------------------------------ staging and SQL

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return `"{${v.join(',')}}"`; // code lists hold digits only
  const s = String(v);
  return s === '' || /[",\r\n]/.test(s) || s.trim() !== s ? `"${s.replaceAll('"', '""')}"` : s;
}

/** COPY in chunks of ~32 MB of CSV, so memory stays bounded for big files. */
async function copyRows(tx: Sql, table: string, columns: readonly string[], rows: Iterable<unknown[]>): Promise<number> {
  let buf: string[] = [];
  let size = 0;
  let n = 0;
  for (const r of rows) {
    let line = '';
    for (let i = 0; i < r.length; i++) line += (i ? ',' : '') + csvCell(r[i]);
    line += '\n';
    buf.push(line);
    size += line.length;
    n++;
    if (size > 32_000_000) {
      await tx.copyFrom(table, columns, buf.join(''));
      buf = [];
      size = 0;
    }
  }
  if (buf.length) await tx.copyFrom(table, columns, buf.join(''));
  return n;
}

const HH_COLS = ['county_code', 'household_no', 'village_code', 'group_name', 'attribute', 'exit_status', 'main_cause', 'other_causes',
  'head_name', 'identified_on', 'exit_year', 'phone_enc', 'phone_masked', 'assistance_unit', 'responsible_cadre', 'relocated', 'first_row', 'status_row'] as const;
const HH_DATA = HH_COLS.filter((c) => c !== 'county_code' && c !== 'household_no' && c !== 'first_row' && c !== 'status_row');
/** Set only by procedures once a household exists (src/domain/register-status.ts); a re-import may not change them. */
const STATUS_COLS: readonly string[] = ['exit_status', 'identified_on', 'exit_year'];
const M_DATA = ['name', 'relation', 'sex', 'birth_date', 'ethnicity', 'education', 'student_status', 'health', 'disability_grade',
  'labour_ability', 'work_months', 'medical_insurance', 'critical_illness_insurance', 'pension_insurance', 'phone_enc', 'phone_masked'] as const;
/** The sealed ID number (services/pii.ts): people are matched by id_hash. */
const M_ID = ['id_hash', 'id_enc', 'id_masked'] as const;
const M_COLS = ['county_code', 'household_no', ...M_ID, ...M_DATA, 'src_row'] as const;
const Y_DATA = ['household_size', 'status', 'wage_income', 'production_income', 'property_income', 'transfer_income', 'production_costs',
  'non_counting_income', 'per_capita_income', 'food_secure', 'clothing_secure', 'education_secure', 'medical_secure', 'housing_secure',
  'water_secure', 'dangerous_house', 'water_litres_per_day', 'water_fetch_minutes', 'electricity', 'road_access', 'sanitary_toilet',
  'farmland_mu', 'forest_mu', 'returned_farmland_mu', 'pasture_mu'] as const;
const Y_COLS = ['county_code', 'household_no', 'year', ...Y_DATA] as const;

const STAGING = [
  `CREATE TEMP TABLE imp_households (county_code char(6), household_no varchar(32), village_code varchar(12), group_name varchar(50),
     attribute varchar(2), exit_status varchar(2), main_cause varchar(2), other_causes varchar(2)[], head_name varchar(50), identified_on date,
     exit_year smallint, phone_enc text, phone_masked varchar(20), assistance_unit varchar(100), responsible_cadre varchar(50), relocated boolean, first_row int,
     status_row int, id bigint, existed boolean NOT NULL DEFAULT false, fields_changed boolean NOT NULL DEFAULT false, changed boolean NOT NULL DEFAULT false
   ) ON COMMIT DROP`,
  `CREATE TEMP TABLE imp_members (county_code char(6), household_no varchar(32), id_hash char(64), id_enc text, id_masked varchar(18),
     name varchar(50), relation varchar(2),
     sex varchar(1), birth_date date, ethnicity varchar(2), education varchar(2), student_status varchar(2), health varchar(2),
     disability_grade varchar(2), labour_ability varchar(2), work_months smallint, medical_insurance boolean, critical_illness_insurance boolean,
     pension_insurance boolean, phone_enc text, phone_masked varchar(20), src_row int) ON COMMIT DROP`,
  `CREATE TEMP TABLE imp_years (county_code char(6), household_no varchar(32), year smallint, household_size smallint, status varchar(2),
     wage_income numeric(14,2), production_income numeric(14,2), property_income numeric(14,2), transfer_income numeric(14,2),
     production_costs numeric(14,2), non_counting_income numeric(14,2), per_capita_income numeric(14,2), food_secure boolean,
     clothing_secure boolean, education_secure boolean, medical_secure boolean, housing_secure boolean, water_secure boolean,
     dangerous_house boolean, water_litres_per_day smallint, water_fetch_minutes smallint, electricity boolean, road_access boolean,
     sanitary_toilet boolean, farmland_mu numeric(10,2), forest_mu numeric(10,2), returned_farmland_mu numeric(10,2), pasture_mu numeric(10,2)
   ) ON COMMIT DROP`,
  'CREATE TEMP TABLE imp_changed (household_id bigint) ON COMMIT DROP',
];

const list = (cols: readonly string[], prefix = '') => cols.map((c) => `${prefix}${c}`).join(', ');
const tuple = (cols: readonly string[], prefix: string) => `(${list(cols, prefix)})`;
const jsonOf = (prefix: string) =>
  `jsonb_build_object('householdNo', ${prefix}household_no, 'villageCode', ${prefix}village_code, 'groupName', ${prefix}group_name,
    'attribute', ${prefix}attribute, 'exitStatus', ${prefix}exit_status, 'mainCause', ${prefix}main_cause, 'otherCauses', ${prefix}other_causes,
    'headName', ${prefix}head_name, 'identifiedOn', ${prefix}identified_on, 'exitYear', ${prefix}exit_year, 'phone', ${prefix}phone_masked,
    'assistanceUnit', ${prefix}assistance_unit, 'responsibleCadre', ${prefix}responsible_cadre, 'relocated', ${prefix}relocated)`;
const JOIN_SH = 'JOIN imp_households sh ON sh.county_code = s.county_code AND sh.household_no = s.household_no';

class Abort extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super('import aborted');
  }
}

function* householdRows(plan: Plan) {
  for (const p of plan.planned) {
    const h = p.household;
    yield [p.hh.county, h.householdNo, h.villageCode, h.groupName, h.attribute, h.exitStatus, h.mainCause, h.otherCauses, p.headName,
      h.identifiedOn, h.exitYear, ...phoneColumns(h.phone), h.assistanceUnit, h.responsibleCadre, h.relocated, p.hh.firstRow, p.hh.statusRow ?? p.hh.firstRow];
  }
}

function* memberRows(plan: Plan) {
  for (const p of plan.planned) {
    for (const { value: m, row } of p.members) {
      yield [p.hh.county, p.household.householdNo, ...idColumns(m.idNumber), m.name, m.relation, m.sex, m.birthDate, m.ethnicity, m.education,
        m.studentStatus, m.health, m.disabilityGrade, m.labourAbility, m.workMonths, m.medicalInsurance, m.criticalIllnessInsurance,
        m.pensionInsurance, ...phoneColumns(m.phone), row];
    }
  }
}

function* yearRows(plan: Plan) {
  for (const p of plan.planned) {
    for (const y of p.years) {
      const pci = perCapitaNetIncome({ wage: y.wageIncome, production: y.productionIncome, property: y.propertyIncome, transfer: y.transferIncome,
        productionCosts: y.productionCosts, nonCounting: y.nonCountingIncome }, y.householdSize);
      yield [p.hh.county, p.household.householdNo, y.year, y.householdSize, y.status, y.wageIncome, y.productionIncome, y.propertyIncome,
        y.transferIncome, y.productionCosts, y.nonCountingIncome, pci, y.foodSecure, y.clothingSecure, y.educationSecure, y.medicalSecure,
        y.housingSecure, y.waterSecure, y.dangerousHouse, y.waterLitresPerDay, y.waterFetchMinutes, y.electricity, y.roadAccess, y.sanitaryToilet,
        y.farmlandMu, y.forestMu, y.returnedFarmlandMu, y.pastureMu];
    }
  }
}

/** People of the file already registered in a household that the file does not contain (any county). */
async function duplicateIssues(tx: Sql): Promise<FieldIssue[]> {
  const rows = await tx.query<{ id_masked: string; file_no: string; src_row: number; household_no: string; village: string | null; village_code: string; county: string | null }>(
    `SELECT s.id_masked, s.household_no AS file_no, s.src_row, h.household_no, v.name AS village, h.village_code, c.name AS county
       FROM imp_members s
       JOIN members m ON m.id_hash = s.id_hash
       JOIN households h ON h.county_code = m.county_code AND h.id = m.household_id
       LEFT JOIN areas v ON v.code = h.village_code
       LEFT JOIN areas c ON c.code = h.county_code
      WHERE NOT EXISTS (SELECT 1 FROM imp_households sh WHERE sh.county_code = h.county_code AND sh.household_no = h.household_no)
      ORDER BY s.src_row`,
  );
  return rows.map((r) => registeredElsewhere({ ...r, row: r.src_row }));
}

function registeredElsewhere(r: { id_masked: string; file_no: string; row?: number; household_no: string; village: string | null; village_code: string; county: string | null }): FieldIssue {
  const c = col('member', 'idNumber');
  const masked = r.id_masked;
  const place = `${r.county ?? ''}${r.village ?? r.village_code}`;
  return {
    field: c.field, column: c.header, ...(r.row === undefined ? {} : { row: r.row }), value: masked,
    zh: `身份证号 ${masked} 已登记在 ${place}（村代码 ${r.village_code}）户编号 ${r.household_no} 的农户中，不能再登记到户编号 ${r.file_no}；同一人不能在两户。如确已迁入，请先在原户中移出此人`,
    en: `ID ${masked} is already registered in household ${r.household_no} of ${place} (village ${r.village_code}) and cannot also be in household ${r.file_no}; a person cannot be in two households. If they moved, remove them from the old household first`,
  };
}

/** Existing households with the same number but in a village outside the actor's area. */
async function foreignHouseholdIssues(tx: Sql, ctx: Ctx): Promise<FieldIssue[]> {
  if (ctx.actor.areaCode === '*') return [];
  const rows = await tx.query<{ household_no: string; first_row: number; village_code: string }>(
    `SELECT sh.household_no, sh.first_row, h.village_code FROM imp_households sh
       JOIN households h ON h.county_code = sh.county_code AND h.household_no = sh.household_no
      WHERE h.village_code NOT LIKE $1`,
    [`${ctx.actor.areaCode}%`],
  );
  const c = col('household', 'householdNo');
  return rows.map((r) => ({
    field: c.field, column: c.header, row: r.first_row, value: r.household_no,
    zh: `户编号 ${r.household_no} 已登记在您管辖范围以外的村（${r.village_code}）；不能通过导入修改，请核对户编号`,
    en: `Household ${r.household_no} is registered in a village outside your area (${r.village_code}); an import cannot change it — check the household number`,
  }));
}

/**
 * Households already registered whose 脱贫标志, 首次识别时间 or 脱贫年度 the file would change:
 * those follow from procedures, so the rows are refused with the procedure to use. Households
 * outside the actor's area are left to foreignHouseholdIssues (their status is not shown).
 */
async function statusIssues(tx: Sql, ctx: Ctx): Promise<FieldIssue[]> {
  const rows = await tx.query<{
    household_no: string; first_row: number; status_row: number | null; exit_status: string; identified_on: string | null; exit_year: number | null;
    new_status: string; new_identified_on: string | null; new_exit_year: number | null;
  }>(
    `SELECT sh.household_no, sh.first_row, sh.status_row, h.exit_status, to_char(h.identified_on, 'YYYY-MM-DD') AS identified_on, h.exit_year,
            sh.exit_status AS new_status, to_char(sh.identified_on, 'YYYY-MM-DD') AS new_identified_on, sh.exit_year AS new_exit_year
       FROM imp_households sh
       JOIN households h ON h.county_code = sh.county_code AND h.household_no = sh.household_no
      WHERE sh.exit_status IS NOT NULL AND ($1::text = '*' OR h.village_code LIKE $1::text || '%')
        AND (h.exit_status, h.identified_on, h.exit_year) IS DISTINCT FROM (sh.exit_status, sh.identified_on, sh.exit_year)
      ORDER BY sh.first_row`,
    [ctx.actor.areaCode],
  );
  return rows.flatMap((r) =>
    statusChangeIssues(
      { exitStatus: r.exit_status, identifiedOn: r.identified_on, exitYear: r.exit_year === null ? null : Number(r.exit_year) },
      { exitStatus: r.new_status, identifiedOn: r.new_identified_on, exitYear: r.new_exit_year === null ? null : Number(r.new_exit_year) },
      { via: 'import', householdNo: r.household_no, rows: { exitStatus: r.status_row ?? r.first_row, identifiedOn: r.first_row, exitYear: r.first_row } },
    ),
  );
}

interface Counts {
  households: ImportResult['households'];
  members: ImportResult['members'];
  years: ImportResult['years'];
}

async function n(tx: Sql, sql: string, params: unknown[] = []): Promise<number> {
  const [r] = await tx.query<{ n: number }>(sql, params);
  return Number(r?.n ?? 0);
}

/** The set-based upsert; runs after the staging tables are filled and checked. */
async function writeStaged(tx: Sql, ctx: Ctx, importId: number, fileName: string, step: (i: number) => void): Promise<Counts> {
  const hhCmp = HH_DATA;
  await tx.query(
    `UPDATE imp_households s SET id = h.id, existed = true,
       fields_changed = ${tuple(hhCmp, 'h.')} IS DISTINCT FROM ${tuple(hhCmp, 's.')}
       FROM households h WHERE h.county_code = s.county_code AND h.household_no = s.household_no`,
  );
  step(1);
  await tx.query(`UPDATE imp_households SET id = nextval(pg_get_serial_sequence('households', 'id')) WHERE id IS NULL`);
  await tx.query(
    `INSERT INTO households (county_code, id, household_no, ${list(HH_DATA)})
     SELECT county_code, id, household_no, ${list(HH_DATA)} FROM imp_households WHERE NOT existed`,
  );
  // The planner must see the ids and `existed` flags just written, or it picks nested loops.
  await tx.query('ANALYZE imp_households');
  step(2);
  const mSet = M_DATA.map((c) => `${c} = x.${c}`).join(', ');
  const membersUpdated = await n(tx,
    `WITH u AS (
       UPDATE members m SET household_id = x.new_household_id, ${mSet}, updated_at = now()
         FROM (SELECT s.*, sh.id AS new_household_id, cur.id AS member_id, cur.household_id AS old_household_id
                 FROM imp_members s ${JOIN_SH}
                 JOIN members cur ON cur.county_code = s.county_code AND cur.id_hash = s.id_hash
                WHERE (cur.household_id, ${list(M_DATA, 'cur.')}) IS DISTINCT FROM (sh.id, ${list(M_DATA, 's.')})) x
        WHERE m.county_code = x.county_code AND m.id = x.member_id
        RETURNING x.new_household_id, x.old_household_id
     ), c AS (INSERT INTO imp_changed SELECT new_household_id FROM u UNION SELECT old_household_id FROM u)
     SELECT count(*)::int AS n FROM u`);
  step(3);
  const membersCreated = await n(tx,
    `WITH i AS (
       INSERT INTO members (county_code, household_id, ${list(M_ID)}, ${list(M_DATA)})
       SELECT s.county_code, sh.id, ${list(M_ID, 's.')}, ${list(M_DATA, 's.')} FROM imp_members s ${JOIN_SH}
        WHERE NOT EXISTS (SELECT 1 FROM members m WHERE m.county_code = s.county_code AND m.id_hash = s.id_hash)
       RETURNING household_id
     ), c AS (INSERT INTO imp_changed SELECT DISTINCT household_id FROM i)
     SELECT count(*)::int AS n FROM i`);
  step(4);
  const membersDeleted = await n(tx,
    `WITH d AS (
       DELETE FROM members m USING imp_households sh
        WHERE sh.existed AND m.county_code = sh.county_code AND m.household_id = sh.id
          AND NOT EXISTS (SELECT 1 FROM imp_members s WHERE s.county_code = m.county_code AND s.id_hash = m.id_hash)
       RETURNING m.household_id
     ), c AS (INSERT INTO imp_changed SELECT DISTINCT household_id FROM d)
     SELECT count(*)::int AS n FROM d`);
  step(5);
  const ySet = Y_DATA.map((c) => `${c} = s.${c}`).join(', ');
  const yearsUpdated = await n(tx,
    `WITH u AS (
       UPDATE household_years y SET ${ySet}, version = y.version + 1, updated_at = now()
         FROM imp_years s ${JOIN_SH}
        WHERE sh.existed AND y.county_code = s.county_code AND y.household_id = sh.id AND y.year = s.year
          AND ${tuple(Y_DATA, 'y.')} IS DISTINCT FROM ${tuple(Y_DATA, 's.')}
        RETURNING y.household_id
     ), c AS (INSERT INTO imp_changed SELECT DISTINCT household_id FROM u)
     SELECT count(*)::int AS n FROM u`);
  const yearsCreated = await n(tx,
    `WITH i AS (
       INSERT INTO household_years (county_code, household_id, year, ${list(Y_DATA)})
       SELECT s.county_code, sh.id, s.year, ${list(Y_DATA, 's.')} FROM imp_years s ${JOIN_SH}
        WHERE NOT (sh.existed AND EXISTS (SELECT 1 FROM household_years y WHERE y.county_code = s.county_code AND y.household_id = sh.id AND y.year = s.year))
       RETURNING household_id
     ), c AS (INSERT INTO imp_changed SELECT DISTINCT i.household_id FROM i)
     SELECT count(*)::int AS n FROM i`);
  step(6);
  await tx.query(
    `UPDATE imp_households s SET changed = true
      WHERE s.existed AND (s.fields_changed OR EXISTS (SELECT 1 FROM imp_changed c WHERE c.household_id = s.id))`,
  );
  // One audit row per created or changed household, before the update so `before` is the old record.
  await tx.query(
    `INSERT INTO audit_log (actor_id, actor_name, action, entity, entity_id, county_code, household_id, before, after, note)
     SELECT $1::bigint, $2::text, 'import', 'households', s.id::text, s.county_code, s.id,
            CASE WHEN s.existed THEN ${jsonOf('h.')} END, ${jsonOf('s.')},
            CASE WHEN s.existed AND NOT s.fields_changed THEN $3::text || '：成员或年度记录有变化 / members or yearly records changed' ELSE $3::text END
       FROM imp_households s LEFT JOIN households h ON s.existed AND h.county_code = s.county_code AND h.id = s.id
      WHERE NOT s.existed OR s.changed`,
    [ctx.actor.id, ctx.actor.username, `导入 import #${importId} ${fileName}`.slice(0, 500)],
  );
  step(7);
  await tx.query(
    `UPDATE households h SET ${HH_DATA.filter((c) => !STATUS_COLS.includes(c)).map((c) => `${c} = s.${c}`).join(', ')}, version = h.version + 1, updated_at = now()
       FROM imp_households s WHERE s.changed AND h.county_code = s.county_code AND h.id = s.id`,
  );
  const [hc] = await tx.query<{ created: number; updated: number; unchanged: number }>(
    `SELECT count(*) FILTER (WHERE NOT existed)::int AS created, count(*) FILTER (WHERE changed)::int AS updated,
            count(*) FILTER (WHERE existed AND NOT changed)::int AS unchanged FROM imp_households`,
  );
  step(8);
  return {
    households: { created: Number(hc?.created ?? 0), updated: Number(hc?.updated ?? 0), unchanged: Number(hc?.unchanged ?? 0) },
    members: { created: membersCreated, updated: membersUpdated, deleted: membersDeleted },
    years: { upserted: yearsCreated + yearsUpdated },
  };
}

/**
 * A first import into counties with no households yet: nothing to compare with, so the file
 * goes straight into the tables with COPY (no staging). People already registered in another
 * county are looked for afterwards; finding any rolls the whole transaction back.
 */
async function writeFresh(tx: Sql, ctx: Ctx, plan: Plan, counties: string[], importId: number, fileName: string, step: (i: number) => void): Promise<Counts> {
  const hhCols = HH_COLS.filter((c) => c !== 'first_row' && c !== 'status_row');
  await copyRows(tx, 'households', hhCols, (function* () {
    for (const r of householdRows(plan)) yield r.slice(0, hhCols.length);
  })());
  step(2);
  const [map] = await tx.query<{ j: [string, string, number][] | string | null }>(
    `SELECT json_agg(json_build_array(county_code, household_no, id)) AS j FROM households WHERE county_code = ANY($1::bpchar[])`, [counties],
  );
  const raw = map?.j ?? [];
  const ids = new Map<string, number>();
  for (const [c, no, id] of typeof raw === 'string' ? (JSON.parse(raw) as [string, string, number][]) : raw) ids.set(`${c}\u0000${no}`, Number(id));
  const idOf = (county: unknown, no: unknown) => ids.get(`${String(county)}\u0000${String(no)}`)!;
  const rowOf = new Map<string, number>();
  let members = 0;
  let years = 0;
  await copyRows(tx, 'members', ['county_code', 'household_id', ...M_ID, ...M_DATA], (function* () {
    for (const r of memberRows(plan)) {
      members++;
      rowOf.set(String(r[2]), Number(r[r.length - 1]));  // r[2]: id_hash
      yield [r[0], idOf(r[0], r[1]), ...r.slice(2, r.length - 1)];
    }
  })());
  step(4);
  await copyRows(tx, 'household_years', ['county_code', 'household_id', 'year', ...Y_DATA], (function* () {
    for (const r of yearRows(plan)) {
      years++;
      yield [r[0], idOf(r[0], r[1]), ...r.slice(2)];
    }
  })());
  step(6);
  await tx.query('ANALYZE members');
  const found = await tx.query<{ id_hash: string; id_masked: string; file_no: string; household_no: string; village: string | null; village_code: string; county: string | null }>(
    `SELECT m.id_hash, m.id_masked, h.household_no AS file_no, oh.household_no, v.name AS village, oh.village_code, c.name AS county
       FROM members m
       JOIN members o ON o.id_hash = m.id_hash AND o.county_code <> ALL($1::bpchar[])
       JOIN households h ON h.county_code = m.county_code AND h.id = m.household_id
       JOIN households oh ON oh.county_code = o.county_code AND oh.id = o.household_id
       LEFT JOIN areas v ON v.code = oh.village_code
       LEFT JOIN areas c ON c.code = oh.county_code::text
      WHERE m.county_code = ANY($1::bpchar[])`,
    [counties],
  );
  if (found.length) {
    throw new Abort(found.map((r) => registeredElsewhere({ ...r, row: rowOf.get(r.id_hash) })).sort((a, b) => (a.row ?? 0) - (b.row ?? 0)));
  }
  await tx.query(
    `INSERT INTO audit_log (actor_id, actor_name, action, entity, entity_id, county_code, household_id, before, after, note)
     SELECT $1::bigint, $2::text, 'import', 'households', h.id::text, h.county_code, h.id, NULL, ${jsonOf('h.')}, $3::text
       FROM households h WHERE h.county_code = ANY($4::bpchar[])`,
    [ctx.actor.id, ctx.actor.username, `导入 import #${importId} ${fileName}`.slice(0, 500), counties],
  );
  step(8);
  return {
    households: { created: plan.planned.length, updated: 0, unchanged: 0 },
    members: { created: members, updated: 0, deleted: 0 },
    years: { upserted: years },
  };
}

// ------------------------------------------------------------------ the verb

async function record(
  db: Sql, ctx: Ctx, input: ImportInput,
  r: { status: ImportResult['status']; rows: number; households: number; members: number; issues: FieldIssue[]; encoding?: string; counts?: Counts },
): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO imports (kind, file_name, actor_id, dry_run, status, rows, households, members, error_count, summary)
     VALUES ('households', $1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    // PostgreSQL text and jsonb cannot hold U+0000, which a file name or an issue quoting a cell may carry.
    [input.fileName.replaceAll('\u0000', '\ufffd').slice(0, 255), ctx.actor.id, Boolean(input.dryRun), r.status, r.rows, r.households, r.members, r.issues.length,
      JSON.stringify({ actor: ctx.actor.username, encoding: r.encoding ?? null, counts: r.counts ?? null, issues: r.issues.slice(0, 200) },
        (_k, v: unknown) => (typeof v === 'string' ? v.replaceAll('\u0000', '\ufffd') : v))],
  );
  return Number(row!.id);
}

function tidy(issues: FieldIssue[]): FieldIssue[] {
  const seen = new Set<string>();
  const out: FieldIssue[] = [];
  for (const i of issues) {
    const k = `${i.row ?? ''}\u0001${i.column ?? i.field}\u0001${i.zh}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(i);
  }
  // Numeric ID cells are reported while reading; the validator's second opinion on the same cell adds nothing.
  const mangled = new Set(out.filter((i) => i.zh.includes('单元格是数字格式')).map((i) => `${i.row}\u0001${i.column}`));
  return out
    .filter((i) => !(mangled.has(`${i.row}\u0001${i.column}`) && !i.zh.includes('单元格是数字格式')))
    .sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
}

/**
 * Imports households from an .xlsx or .csv in the template layout. Every row is validated
 * first; with any problem the result is 'rejected' with all issues and nothing is written.
 */
export async function importHouseholds(ctx: Ctx, input: ImportInput): Promise<ImportResult> {
  require(ctx, 'register.import');
  const progress = input.onProgress;
  let parsed: Parsed;
  try {
    parsed = await parseFile(input);
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    const importId = await ctx.db.transaction((tx) => record(tx, ctx, input, { status: 'rejected', rows: 0, households: 0, members: 0, issues: e.issues }));
    return { status: 'rejected', rows: 0, ...empty(), issues: e.issues, importId };
  }
  const encoding = parsed.info.encoding;
  const rows = parsed.info.rowCount;
  progress?.('read', rows, rows);
  const plan = assemble(parsed, progress);
  progress?.('validate', parsed.households.size, parsed.households.size);
  const issues = [...parsed.issues, ...plan.issues, ...(await villageIssues(ctx, plan.villages))];
  if (rows === 0) {
    issues.push({ field: 'file', zh: '文件中没有数据行（第 2 行起）；请在表头下方逐行填写成员', en: 'The file has no data rows (from row 2 on); fill in one row per member below the header' });
  }

  const write = !input.dryRun && issues.length === 0;
  const people = parsed.members.size;
  let counts: Counts | undefined;
  let importId = 0;
  const steps = 10;
  try {
    await ctx.db.transaction(async (tx) => {
      progress?.('check', 0, 1);
      const counties = [...new Set(plan.planned.map((p) => p.hh.county))].sort();
      // One import per county at a time; single-record edits keep their own row locks.
      if (write) for (const c of counties) await tx.query('SELECT pg_advisory_xact_lock(7301, $1::int)', [Number(c)]);
      const fresh = write && !(await tx.query('SELECT 1 FROM households WHERE county_code = ANY($1::bpchar[]) LIMIT 1', [counties])).length;
      if (fresh) {
        progress?.('check', 1, 1);
        importId = await record(tx, ctx, input, { status: 'imported', rows, households: parsed.households.size, members: people, issues: [], encoding });
        counts = await writeFresh(tx, ctx, plan, counties, importId, input.fileName, (i) => progress?.('write', i, steps));
      } else {
        for (const ddl of STAGING) await tx.query(ddl);
        if (issues.length === 0) {
          await copyRows(tx, 'imp_households', HH_COLS, householdRows(plan));
          await copyRows(tx, 'imp_members', M_COLS, memberRows(plan));
          await copyRows(tx, 'imp_years', Y_COLS, yearRows(plan));
        } else {
          // Rejected anyway: stage just enough to name every person already registered elsewhere and every status change.
          await copyRows(tx, 'imp_households', CHECK_HH_COLS, checkHouseholdRows(parsed));
          await copyRows(tx, 'imp_members', ['county_code', 'household_no', 'id_hash', 'id_masked', 'src_row'], checkPeopleRows(parsed));
        }
        for (const t of ['imp_households', 'imp_members', 'imp_years']) await tx.query(`ANALYZE ${t}`);
        const found = [...(await duplicateIssues(tx)), ...(await foreignHouseholdIssues(tx, ctx)), ...(await statusIssues(tx, ctx))];
        progress?.('check', 1, 1);
        if (!write || found.length) throw new Abort(found);
        importId = await record(tx, ctx, input, { status: 'imported', rows, households: parsed.households.size, members: people, issues: [], encoding });
        counts = await writeStaged(tx, ctx, importId, input.fileName, (i) => progress?.('write', i, steps));
      }
      await tx.query(`UPDATE imports SET summary = summary || jsonb_build_object('counts', $2::jsonb) WHERE id = $1`, [importId, JSON.stringify(counts)]);
      await tx.query(
        `INSERT INTO audit_log (actor_id, actor_name, action, entity, entity_id, county_code, after, note)
         VALUES ($1, $2, 'import', 'imports', $3, $4, $5, $6)`,
        [ctx.actor.id, ctx.actor.username, String(importId), counties.length === 1 ? counties[0] : null,
          JSON.stringify({ fileName: input.fileName, rows, ...counts }), `导入农户 import households: ${input.fileName}`.slice(0, 500)],
      );
      progress?.('write', steps, steps);
    });
  } catch (e) {
    if (!(e instanceof Abort)) throw e;
    issues.push(...e.issues);
  }
  if (counts) {
    // A big load leaves the planner's statistics stale (PGlite runs no autovacuum): refresh them.
    if (rows >= 10_000) for (const t of ['households', 'members', 'household_years']) await ctx.db.query(`ANALYZE ${t}`);
    return { status: 'imported', rows, ...counts, issues: [], ...(encoding ? { encoding } : {}), importId };
  }
  const all = tidy(issues);
  const status = all.length ? 'rejected' : 'validated';
  importId = await ctx.db.transaction((tx) =>
    record(tx, ctx, input, { status, rows, households: parsed.households.size, members: people, issues: all, encoding }),
  );
  return { status, rows, ...empty(), issues: all, ...(encoding ? { encoding } : {}), importId };
}

// ------------------------------------------------------------------ error workbook

/**
 * The uploaded rows again, as .xlsx, with a first column 错误说明 holding every message of the
 * row (Chinese, then English) and each bad cell filled light red with a note. Rows without
 * errors are kept, so the user fixes this file and imports it whole; the importer ignores 错误说明.
 */
export async function errorWorkbook(result: Pick<ImportResult, 'issues'>, original: { fileName: string; data: Buffer }): Promise<Buffer> {
  let info: SheetInfo | undefined;
  try {
    info = await readSheet(original.fileName, original.data, { strict: false });
  } catch {
    info = undefined;
  }
  return writeErrorWorkbook(result.issues, info);
}
