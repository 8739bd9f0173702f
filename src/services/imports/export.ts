// Export of the register in the import template (so export → import round-trips), the blank
// template workbook, and the error workbook's writer. Spreadsheets are written with exceljs's
// streaming writer and households are read in pages, so a county of any size fits in memory.
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Sql } from '../../db/client.js';
import { NotFound, type FieldIssue } from '../../domain/errors.js';
import { codeLists, labelOf } from '../../domain/codes.js';
import {
  ERROR_COLUMN, TEMPLATE_COLUMNS, TEMPLATE_HEADERS, columnByHeader, exampleRows, isErrorColumn, kindLabel, type TemplateColumn,
} from '../../domain/template.js';
import { audit, inScope, require, type Ctx } from '../context.js';
import type { SheetInfo } from './read.js';
import { openId, openPhone } from '../pii.js';

export interface ExportOptions {
  areaCode: string;
  year?: number;
  format: 'xlsx' | 'csv';
  filters?: { status?: string; attribute?: string; cause?: string };
}

type Cell = string | number | null;

const RED: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };
const GREY: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEDEDED' } };

/** Text that Excel would run as a formula gets a leading ' (the importer removes it again). */
export function neutralise(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/** Builds a workbook with the streaming writer and returns its bytes. */
export async function xlsxBuffer(build: (wb: ExcelJS.stream.xlsx.WorkbookWriter) => Promise<void> | void): Promise<Buffer> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  wb.creator = 'jingzhun';
  await build(wb);
  await wb.commit();
  await ended;
  return Buffer.concat(chunks);
}

function widthOf(c: TemplateColumn | undefined, header: string): number {
  if (c?.kind === 'id') return 21;
  if (c?.part === 'info' || c?.field === 'villageCode' || c?.field === 'householdNo') return 16;
  return Math.min(30, Math.max(8, [...header].length * 2 + 2));
}

function sheetColumns(headers: readonly string[]): Partial<ExcelJS.Column>[] {
  return headers.map((h) => {
    const c = columnByHeader(h);
    return { width: widthOf(c, h), ...(c && (c.kind === 'id' || c.kind === 'text' || c.kind === 'area') ? { style: { numFmt: '@' } } : {}) };
  });
}

function addHeader(ws: ExcelJS.Worksheet, headers: readonly string[]): ExcelJS.Row {
  const row = ws.addRow([...headers]);
  row.font = { bold: true };
  row.eachCell((c) => {
    c.fill = GREY;
  });
  return row;
}

// ------------------------------------------------------------------ export

interface HhRow {
  id: number;
  household_no: string;
  village_code: string;
  county_name: string | null;
  township_name: string | null;
  village_name: string | null;
  group_name: string | null;
  attribute: string;
  exit_status: string;
  main_cause: string | null;
  other_causes: string[] | null;
  identified_on: string | null;
  exit_year: number | null;
  phone: string | null;
  assistance_unit: string | null;
  responsible_cadre: string | null;
  relocated: boolean;
}

type Rec = Record<string, unknown>;

// ID numbers and phones are read sealed and opened here: the export is the template a re-import reads.
const MEMBER_SQL = `SELECT household_id, name, id_enc AS id_number, relation, sex, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, ethnicity, education,
  student_status, health, disability_grade, labour_ability, work_months, medical_insurance, critical_illness_insurance, pension_insurance, phone_enc AS phone,
  id, birth_date AS born
  FROM members WHERE county_code = $1 AND household_id = ANY($2::bigint[])`;

const YEAR_SQL = `SELECT household_id, year, status, wage_income, production_income, property_income, transfer_income, production_costs,
  non_counting_income, food_secure, clothing_secure, education_secure, medical_secure, housing_secure, water_secure, dangerous_house,
  water_litres_per_day, water_fetch_minutes, electricity, road_access, sanitary_toilet, farmland_mu, forest_mu, returned_farmland_mu, pasture_mu
  FROM household_years WHERE county_code = $1 AND household_id = ANY($2::bigint[])`;

/**
 * One page as a single JSON value: PGlite hands rows to JS cell by cell, which costs more
 * than the query; one json_agg cell is parsed natively.
 */
async function jsonRows<T>(db: Sql, sql: string, order: string, params: unknown[]): Promise<T[]> {
  const [r] = await db.query<{ j: T[] | string | null }>(`SELECT json_agg(x ORDER BY ${order}) AS j FROM (${sql}) x`, params);
  const j = r?.j ?? [];
  return typeof j === 'string' ? (JSON.parse(j) as T[]) : j;
}

const snake = (f: string) => f.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`);

const HH_SOURCE: Record<string, string> = { countyName: 'county_name', townshipName: 'township_name', villageName: 'village_name' };

/** Where each template column's value comes from, worked out once. */
const SPECS = TEMPLATE_COLUMNS.map((c, i) => ({
  c,
  i,
  from: c.part === 'member' ? ('m' as const) : c.part === 'year' || c.field === 'exitStatus' ? ('y' as const) : ('h' as const),
  key: c.field === 'exitStatus' ? 'status' : (HH_SOURCE[c.field] ?? snake(c.field)),
}));
const MEMBER_SPECS = SPECS.filter((s) => s.from === 'm');
const OTHER_SPECS = SPECS.filter((s) => s.from !== 'm');

function cellValue(c: TemplateColumn, v: unknown): Cell {
  if (v === null || v === undefined) return c.field === 'relocated' ? '否' : null;
  switch (c.kind) {
    case 'code':
      return labelOf(c.codeList!, String(v));
    case 'codes':
      return (v as string[]).map((x) => labelOf(c.codeList!, x)).join('、') || null;
    case 'bool':
      return v ? '是' : '否';
    case 'int':
    case 'money':
    case 'decimal':
      return Number(v);
    default:
      return neutralise(String(v));
  }
}

/** Household and year cells of the rows of household h in year y (or without a year). */
function householdCells(h: Rec, y: Rec | null): Cell[] {
  const row = new Array<Cell>(TEMPLATE_COLUMNS.length).fill(null);
  for (const s of OTHER_SPECS) {
    // Without a year the household's own 脱贫标志 is written.
    const v = s.from === 'h' ? h[s.key] : y ? y[s.key] : s.c.field === 'exitStatus' ? h.exit_status : null;
    row[s.i] = cellValue(s.c, v);
  }
  return row;
}

function memberRow(base: Cell[], m: Rec): Cell[] {
  const row = base.slice();
  for (const s of MEMBER_SPECS) row[s.i] = cellValue(s.c, m[s.key]);
  return row;
}

/** CSV lines (CRLF, quoted only where needed) for Excel. */
function csvText(rows: Cell[][]): string {
  const lines = new Array<string>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const cells = rows[r]!;
    let line = '';
    for (let i = 0; i < cells.length; i++) {
      const v = cells[i];
      const t = v === null || v === undefined ? '' : typeof v === 'number' ? String(v) : v;
      line += (i ? ',' : '') + (/[",\r\n]/.test(t) ? `"${t.replaceAll('"', '""')}"` : t);
    }
    lines[r] = line;
  }
  return lines.length ? `${lines.join('\r\n')}\r\n` : '';
}

async function areaCounties(db: Sql, areaCode: string): Promise<string[]> {
  if (areaCode.length >= 6) return [areaCode.slice(0, 6)];
  const rows = await db.query<{ code: string }>(`SELECT code FROM areas WHERE level = 3 AND code LIKE $1 ORDER BY code`, [`${areaCode}%`]);
  return rows.map((r) => r.code);
}

/** Pages of template rows for the area, households by number, years ascending, head first. */
async function* exportRows(db: Sql, areaCode: string, opts: ExportOptions): AsyncGenerator<Cell[][]> {
  const f = opts.filters ?? {};
  for (const county of await areaCounties(db, areaCode)) {
    let after = '';
    for (;;) {
      const params: unknown[] = [county, `${areaCode}%`, after];
      const p = (v: unknown) => {
        params.push(v);
        return `$${params.length}`;
      };
      const conds: string[] = [];
      if (opts.year !== undefined) {
        conds.push(`EXISTS (SELECT 1 FROM household_years y WHERE y.county_code = h.county_code AND y.household_id = h.id AND y.year = ${p(opts.year)}
          ${f.status ? `AND y.status = ${p(f.status)}` : ''})`);
      } else if (f.status) conds.push(`h.exit_status = ${p(f.status)}`);
      if (f.attribute) conds.push(`h.attribute = ${p(f.attribute)}`);
      if (f.cause) {
        const c = p(f.cause);
        conds.push(`(h.main_cause = ${c} OR ${c} = ANY(h.other_causes))`);
      }
      const hs = await jsonRows<HhRow>(db,
        `SELECT h.id, h.household_no, h.village_code, c.name AS county_name, t.name AS township_name, v.name AS village_name, h.group_name,
                h.attribute, h.exit_status, h.main_cause, h.other_causes, to_char(h.identified_on, 'YYYY-MM-DD') AS identified_on, h.exit_year,
                h.phone_enc AS phone, h.assistance_unit, h.responsible_cadre, h.relocated
           FROM households h
           JOIN areas v ON v.code = h.village_code
           LEFT JOIN areas t ON t.code = v.parent_code
           LEFT JOIN areas c ON c.code = t.parent_code
          WHERE h.county_code = $1 AND h.village_code LIKE $2 AND h.household_no > $3 ${conds.map((x) => `AND ${x}`).join(' ')}
          ORDER BY h.household_no LIMIT 1000`,
        'x.household_no', params,
      );
      if (!hs.length) break;
      for (const h of hs) h.phone = openPhone(h.phone);
      after = hs[hs.length - 1]!.household_no;
      const ids = hs.map((h) => h.id);
      const members = await jsonRows<Rec>(db, MEMBER_SQL, 'x.household_id, x.relation, x.born, x.id', [county, ids]);
      for (const m of members) {
        m.id_number = openId(String(m.id_number));
        m.phone = openPhone(m.phone as string | null);
      }
      const years = await jsonRows<Rec>(db,
        `${YEAR_SQL} ${opts.year !== undefined ? 'AND year = $3' : ''}`, 'x.household_id, x.year',
        opts.year !== undefined ? [county, ids, opts.year] : [county, ids],
      );
      const byHh = <T extends Rec>(rows: T[]) => {
        const m = new Map<number, T[]>();
        for (const r of rows) {
          const k = Number(r.household_id);
          const l = m.get(k);
          if (l) l.push(r);
          else m.set(k, [r]);
        }
        return m;
      };
      const mm = byHh(members);
      const yy = byHh(years);
      const page: Cell[][] = [];
      for (const h of hs) {
        const ms = mm.get(h.id) ?? [];
        const ys: (Rec | null)[] = yy.get(h.id) ?? [null];
        for (const y of ys) {
          const base = householdCells(h as unknown as Rec, y);
          for (const m of ms) page.push(memberRow(base, m));
        }
      }
      yield page;
      if (hs.length < 1000) break;
    }
  }
}

/**
 * Writes the area's households in the import template: one row per member per year (all years,
 * or `year`), codes as Chinese labels. CSV is UTF-8 with BOM so Excel opens it as such.
 */
export async function exportHouseholds(ctx: Ctx, opts: ExportOptions): Promise<Buffer> {
  require(ctx, 'register.export');
  const area = opts.areaCode.trim();
  const AREA = { zh: '区划', en: 'area' };
  if (!/^\d{2,12}$/.test(area) || !inScope(ctx.actor, area)) throw new NotFound(AREA);
  const [known] = await ctx.db.query('SELECT 1 FROM areas WHERE code = $1', [area]);
  if (!known) throw new NotFound(AREA);
  // The export holds full ID numbers and phones (it is the template a re-import reads): on record.
  await ctx.db.transaction((tx) =>
    audit(tx, ctx.actor, {
      action: 'export', entity: 'households', entityId: area, countyCode: area.length >= 6 ? area.slice(0, 6) : null,
      note: `导出农户（含完整身份证号和电话）export of households with full ID numbers and phones: ${area} ${opts.format}` +
        `${opts.year === undefined ? '' : ` ${opts.year}`} ${JSON.stringify(opts.filters ?? {})}`,
    }),
  );

  if (opts.format === 'csv') {
    const parts: Buffer[] = [Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csvText([[...TEMPLATE_HEADERS]]))];
    for await (const page of exportRows(ctx.db, area, opts)) {
      if (page.length) parts.push(Buffer.from(csvText(page)));
    }
    return Buffer.concat(parts);
  }
  return xlsxBuffer(async (wb) => {
    const ws = wb.addWorksheet('农户', { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = sheetColumns(TEMPLATE_HEADERS);
    addHeader(ws, TEMPLATE_HEADERS).commit();
    for await (const page of exportRows(ctx.db, area, opts)) {
      for (const r of page) ws.addRow(r).commit();
    }
    ws.commit();
  });
}

// ------------------------------------------------------------------ template

/** The template: headers, one example household of two members, and a sheet 填写说明. */
export async function templateWorkbook(): Promise<Buffer> {
  return xlsxBuffer((wb) => {
    const ws = wb.addWorksheet('农户', { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = sheetColumns(TEMPLATE_HEADERS);
    const header = addHeader(ws, TEMPLATE_HEADERS);
    TEMPLATE_COLUMNS.forEach((c, i) => {
      if (c.required) header.getCell(i + 1).font = { bold: true, color: { argb: 'FFC00000' } };
      if (c.note) header.getCell(i + 1).note = `${c.note}\n${c.noteEn ?? ''}`;
    });
    header.commit();
    for (const r of exampleRows()) ws.addRow(TEMPLATE_HEADERS.map((h) => r[h] ?? null)).commit();
    ws.commit();

    const help = wb.addWorksheet('填写说明');
    help.columns = [{ width: 26 }, { width: 30 }, { width: 10 }, { width: 14 }, { width: 70 }, { width: 70 }];
    const title = help.addRow(['农户导入模板填写说明 / How to fill in the household import template']);
    title.font = { bold: true, size: 14 };
    title.commit();
    for (const line of [
      '一行 = 一名成员的一个年度；户级列在该户每一行重复且必须一致；家庭人口数 = 该户该年度的行数。 One row per member per year; household columns repeat on each row of the household and must agree; household size = rows of that household and year.',
      '红色表头为必填列；代码列可填中文名称或代码；是/否列可填 是/否、Y/N、1/0。 Red headers are required; code columns take the label or the code; yes/no columns take 是/否, Y/N, 1/0.',
      '身份证号列请设为“文本”格式。 Format the ID number column as Text.',
      '先校验全部行，有任何错误都不写入；错误报告可修改后重新导入。 All rows are checked first; with any error nothing is written; fix the error report and import it again.',
    ]) help.addRow([line]).commit();
    help.addRow([]).commit();
    addHeader(help, ['列名 Header', 'English', '必填 Required', '类型 Kind', '说明', 'Notes']).commit();
    for (const c of TEMPLATE_COLUMNS) {
      const k = kindLabel(c.kind);
      const list = c.codeList ? `（代码表：${codeLists[c.codeList].zh}，见下方）` : '';
      help.addRow([c.header, c.headerEn, c.required ? '是' : '', `${k.zh} ${k.en}`, `${c.note ?? ''}${list}`, c.noteEn ?? '']).commit();
    }
    const used = [...new Set(TEMPLATE_COLUMNS.flatMap((c) => (c.codeList ? [c.codeList] : [])))];
    for (const key of used) {
      const l = codeLists[key];
      help.addRow([]).commit();
      const t = help.addRow([`代码表：${l.zh}`, l.en]);
      t.font = { bold: true };
      t.commit();
      addHeader(help, ['代码 Code', '名称', 'Label']).commit();
      for (const it of l.items) help.addRow([it.code, it.zh, it.en]).commit();
    }
    help.commit();
  });
}

// ------------------------------------------------------------------ error workbook

function issueText(list: FieldIssue[]): string {
  return list.map((i) => `${i.zh}\n${i.en}`).join('\n');
}

/** Writes the error workbook for `errorWorkbook` (imports/households.ts) from the re-read upload. */
export async function writeErrorWorkbook(issues: FieldIssue[], info: SheetInfo | undefined): Promise<Buffer> {
  const byRow = new Map<number, FieldIssue[]>();
  for (const i of issues) {
    const r = i.row ?? 0;
    const l = byRow.get(r);
    if (l) l.push(i);
    else byRow.set(r, [i]);
  }
  return xlsxBuffer((wb) => {
    if (info) {
      const keep = info.headers.map((_, i) => i).filter((i) => !isErrorColumn(info.headers[i] ?? ''));
      const headers = [ERROR_COLUMN, ...keep.map((i) => info.headers[i] ?? '')];
      const ws = wb.addWorksheet('农户', { views: [{ state: 'frozen', ySplit: 1, xSplit: 1 }] });
      ws.columns = [{ width: 60, style: { alignment: { wrapText: true, vertical: 'top' } } }, ...sheetColumns(headers.slice(1))];
      // Which output column holds a template column / header, to mark bad cells.
      const where = (column: string): number[] =>
        column.split('、').flatMap((name) => {
          const tc = columnByHeader(name);
          return keep.flatMap((src, j) => ((tc && info.columns[src] === tc) || info.headers[src] === name ? [j + 2] : []));
        });
      const header = addHeader(ws, headers);
      const headerIssues = [...(byRow.get(1) ?? []), ...(byRow.get(0) ?? [])];
      if (headerIssues.length) {
        header.getCell(1).note = issueText(headerIssues);
        header.getCell(1).fill = RED;
        for (const i of headerIssues) for (const j of i.column ? where(i.column) : []) header.getCell(j).fill = RED;
      }
      header.commit();
      for (const r of info.rows) {
        const list = byRow.get(r.row) ?? [];
        const values: Cell[] = [list.length ? issueText(list) : null];
        keep.forEach((src) => {
          const v = r.cells[src] ?? '';
          const c = info.columns[src];
          const numeric = c && (c.kind === 'money' || c.kind === 'int' || c.kind === 'decimal') && /^-?\d+(\.\d+)?$/.test(v.trim());
          values.push(v === '' ? null : numeric ? Number(v) : neutralise(v));
        });
        const row = ws.getRow(r.row);
        row.values = values;
        if (list.length) {
          row.getCell(1).fill = RED;
          const notes = new Map<number, FieldIssue[]>();
          for (const i of list) {
            for (const j of i.column ? where(i.column) : []) notes.set(j, [...(notes.get(j) ?? []), i]);
          }
          for (const [j, l] of notes) {
            const cell = row.getCell(j);
            cell.fill = RED;
            cell.note = l.map((i) => `${i.zh}\n${i.en}`).join('\n');
          }
        }
        row.commit();
      }
      ws.commit();
    }
    const all = wb.addWorksheet('错误列表');
    all.columns = [{ width: 8 }, { width: 18 }, { width: 18 }, { width: 22 }, { width: 80 }, { width: 80 }];
    addHeader(all, ['行 Row', '列 Column', '字段 Field', '值 Value', '错误说明', 'Explanation']).commit();
    for (const i of issues) all.addRow([i.row ?? null, i.column ?? null, i.field, i.value === undefined ? null : neutralise(i.value), i.zh, i.en]).commit();
    all.commit();
  });
}
