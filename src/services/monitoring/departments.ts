// Other departments' records for the cross-checks (数据比对): vehicles, commercial housing,
// registered companies, public servants, medical out-of-pocket costs, disasters and accidents
// (应急管理, 公安), school dropouts (教育), deaths and the 低保/特困 lists (民政), loaded from .xlsx/.csv
// (UTF-8 or GBK). Every row is validated first and every problem reported with its row, column and
// reason; a file with any problem writes nothing. A good file is one batch (its `imports` row id),
// written with COPY in one transaction with its audit row.
import ExcelJS from 'exceljs';
import type { Sql } from '../../db/client.js';
import { ValidationError, type FieldIssue } from '../../domain/errors.js';
import { parseDate } from '../../domain/evaluate/common.js';
import { parseIdNumber } from '../../domain/idnumber.js';
import { DEPARTMENT_KINDS, DEPARTMENT_KIND_LABELS, YEAR_KINDS, findDepartmentKind, type DepartmentKind } from '../../domain/monitoring-rules.js';
import { normaliseHeader } from '../../domain/template.js';
import { audit, require, type Ctx } from '../context.js';
import { decodeText } from '../imports/encoding.js';
import { csvRecords, excelGeneral, formatOf } from '../imports/read.js';
import { idColumns } from '../pii.js';

type Field = 'idNumber' | 'name' | 'kind' | 'detail' | 'amount' | 'date';

/** The columns of a department file: Chinese header, English header, field. */
export const DEPARTMENT_COLUMNS: readonly { header: string; headerEn: string; field: Field; required: boolean }[] = [
  { header: '身份证号', headerEn: 'id_number', field: 'idNumber', required: true },
  { header: '姓名', headerEn: 'name', field: 'name', required: false },
  { header: '类别', headerEn: 'kind', field: 'kind', required: false },
  { header: '详情', headerEn: 'detail', field: 'detail', required: false },
  { header: '金额', headerEn: 'amount', field: 'amount', required: false },
  { header: '日期', headerEn: 'date', field: 'date', required: false },
];

const byHeader = new Map<string, (typeof DEPARTMENT_COLUMNS)[number]>();
for (const c of DEPARTMENT_COLUMNS) {
  for (const h of [c.header, c.headerEn, c.headerEn.replace('_', ' '), c.headerEn.replace('_', '')]) byHeader.set(normaliseHeader(h), c);
}

const MAX_AMOUNT = 2_147_483_647; // the column is an integer
const yearKinds: ReadonlySet<DepartmentKind> = new Set(YEAR_KINDS);
const isYearKind = (k: DepartmentKind) => yearKinds.has(k);
const KIND_LIST = DEPARTMENT_KINDS.map((k) => `${k}（${DEPARTMENT_KIND_LABELS[k].zh}）`).join('、');
const KIND_LIST_EN = DEPARTMENT_KINDS.map((k) => `${k} (${DEPARTMENT_KIND_LABELS[k].en})`).join(', ');
const REJECTED = { zh: '部门数据文件有误，未写入任何记录；请按提示逐行修改后重新上传', en: 'The department file has errors and nothing was loaded; correct the rows listed and upload it again' };

export interface LoadDepartmentInput {
  bytes: Buffer | Uint8Array;
  filename: string;
  /** The kind of every row; when given, a row's 类别 may be empty but must agree when filled. */
  kind?: string;
  /** The department the records come from, e.g. 市公安局交警支队. */
  department: string;
}

export interface LoadDepartmentResult {
  /** The batch (its `imports` row id). */
  batch: number;
  rows: number;
  byKind: Partial<Record<DepartmentKind, number>>;
  department: string;
  encoding?: string;
  /** Loaded rows whose ID number is a registered member's (in any county). */
  matchedPeople: number;
}

interface RawRow {
  row: number;
  cells: Partial<Record<Field, unknown>>;
}

function fileError(zh: string, en: string): ValidationError {
  return new ValidationError([{ field: 'file', zh, en }], { zh, en });
}

function mapHeaders(headers: string[]): { at: Partial<Record<Field, number>>; issues: FieldIssue[] } {
  const at: Partial<Record<Field, number>> = {};
  const issues: FieldIssue[] = [];
  const unknown: string[] = [];
  headers.forEach((h, i) => {
    if (h.trim() === '') return;
    const c = byHeader.get(normaliseHeader(h));
    if (!c) return void unknown.push(h);
    if (at[c.field] !== undefined) {
      issues.push({ field: 'header', row: 1, column: h, zh: `表头“${h}”重复（第 ${i + 1} 列）；请删除其中一列`, en: `Header "${h}" appears twice (column ${i + 1}); delete one of them` });
      return;
    }
    at[c.field] = i;
  });
  const expected = DEPARTMENT_COLUMNS.map((c) => `${c.header}/${c.headerEn}`).join('、');
  if (unknown.length) {
    issues.push({
      field: 'header', row: 1, column: unknown.join('、'),
      zh: `不认识的表头：${unknown.join('、')}；可用的列为：${expected}`,
      en: `Unknown headers: ${unknown.join(', ')}; the columns are: ${expected}`,
    });
  }
  if (at.idNumber === undefined) {
    issues.push({
      field: 'header', row: 1, column: '身份证号',
      zh: `缺少必需的列“身份证号”（id_number）；第 1 行必须是表头，可用的列为：${expected}`,
      en: `The required column 身份证号 (id_number) is missing; row 1 must be the header row, with the columns: ${expected}`,
    });
  }
  return { at, issues };
}

function isoOf(d: Date): string {
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

/** An xlsx cell as read by exceljs → a plain value (string, number or Date). */
function plain(v: unknown): unknown {
  if (v === null || v === undefined) return '';
  if (typeof v !== 'object' || v instanceof Date) return v;
  const o = v as Record<string, unknown>;
  if (Array.isArray(o.richText)) return (o.richText as { text?: string }[]).map((t) => t.text ?? '').join('');
  if ('result' in o) return plain(o.result);
  if ('text' in o) return plain(o.text);
  if ('error' in o) return String(o.error);
  return String(v);
}

async function readRows(filename: string, bytes: Buffer): Promise<{ rows: RawRow[]; encoding?: string }> {
  const format = formatOf(filename);
  if (!format) {
    throw fileError(`不支持的文件类型“${filename}”；请上传 .xlsx 或 .csv 文件`, `Unsupported file type "${filename}"; upload an .xlsx or .csv file`);
  }
  let table: { row: number; values: unknown[] }[] = [];
  let encoding: string | undefined;
  try {
    if (format === 'csv') {
      const d = decodeText(bytes);
      encoding = d.encoding;
      let n = 0;
      for (const rec of csvRecords(d.text)) table.push({ row: ++n, values: rec });
    } else {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(bytes as unknown as ArrayBuffer);
      const ws = wb.worksheets[0];
      ws?.eachRow({ includeEmpty: false }, (r, n) => table.push({ row: n, values: ((r.values ?? []) as unknown[]).slice(1).map(plain) }));
    }
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw fileError(
      `无法读取文件“${filename}”（${why}）；请确认文件未损坏、未加密，可在 Excel 中打开后重新另存为 .xlsx 或 .csv`,
      `Cannot read "${filename}" (${why}); check the file is undamaged and unencrypted, or open it in Excel and save it again as .xlsx or .csv`,
    );
  }
  const header = table[0];
  if (!header || header.row !== 1) {
    throw fileError('第 1 行没有表头；请把 身份证号、姓名、类别、详情、金额、日期 写在第 1 行', 'Row 1 has no headers; put 身份证号 (id_number), name, kind, detail, amount, date in row 1');
  }
  const { at, issues } = mapHeaders(header.values.map((v) => String(v ?? '').trim()));
  if (issues.length) throw new ValidationError(issues, { zh: '表头有误，未写入任何记录', en: 'The header row is wrong; nothing was loaded' });
  const rows: RawRow[] = [];
  for (const r of table.slice(1)) {
    const cells: RawRow['cells'] = {};
    let any = false;
    for (const [field, i] of Object.entries(at) as [Field, number][]) {
      const v = r.values[i];
      cells[field] = v;
      if (v !== undefined && v !== null && String(v).trim() !== '') any = true;
    }
    if (any) rows.push({ row: r.row, cells });
  }
  table = [];
  return { rows, encoding };
}

const col = (f: Field) => DEPARTMENT_COLUMNS.find((c) => c.field === f)!;

function issue(row: number, f: Field, value: unknown, zh: string, en: string): FieldIssue {
  const c = col(f);
  return { field: f, row, column: c.header, value: value === undefined || value === null ? '' : String(value).slice(0, 60), zh: `「${c.header}」${zh}`, en: `"${c.header}" (${c.headerEn}) ${en}` };
}

interface Valid {
  kind: DepartmentKind;
  idNumber: string;
  name: string | null;
  detail: string | null;
  amount: number | null;
  date: string | null;
}

function text(v: unknown): string {
  if (v instanceof Date) return isoOf(v);
  return v === undefined || v === null ? '' : String(v).trim();
}

/** YYYY-MM-DD, YYYY/M/D or YYYYMMDD → YYYY-MM-DD, or null when not a real date. */
function dateOf(v: unknown): string | null {
  if (v instanceof Date) return isoOf(v);
  const s = text(v);
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) return null;
  const iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return parseDate(iso) && Number(m[1]) >= 1900 ? iso : null;
}

function validateRow(r: RawRow, fixedKind: DepartmentKind | undefined, issues: FieldIssue[]): Valid | null {
  const before = issues.length;
  const c = r.cells;
  // ID number: a numeric xlsx cell has lost digits already; say so rather than read it.
  let idNumber = '';
  if (typeof c.idNumber === 'number') {
    const shown = excelGeneral(c.idNumber);
    issues.push(issue(r.row, 'idNumber', shown,
      `单元格是数字格式（Excel 显示为 ${shown}），不是文本：Excel 只保留 15 位有效数字，号码可能已丢失末几位。请把该列设为“文本”格式，对照原件重新录入`,
      `is a numeric cell (Excel shows ${shown}), not text: Excel keeps 15 significant digits, so the last digits may be lost. Format the column as Text and enter the number again from the original`));
  } else {
    const p = parseIdNumber(text(c.idNumber));
    if (p.ok) idNumber = p.id.value;
    else issues.push(issue(r.row, 'idNumber', c.idNumber, `有误：${p.problem.zh}`, `is wrong: ${p.problem.en}`));
  }
  const rawKind = text(c.kind);
  let kind = fixedKind;
  if (rawKind) {
    const k = findDepartmentKind(rawKind);
    if (!k) issues.push(issue(r.row, 'kind', rawKind, `“${rawKind}”不是可用的类别；可用：${KIND_LIST}`, `"${rawKind}" is not a known kind; use one of: ${KIND_LIST_EN}`));
    else if (fixedKind && k !== fixedKind) {
      issues.push(issue(r.row, 'kind', rawKind, `为“${rawKind}”，与上传时指定的类别 ${fixedKind} 不一致；请改正该行或不指定类别`, `is "${rawKind}", which differs from the kind given for the whole file (${fixedKind}); correct the row or do not give a kind`));
    } else kind = k;
  } else if (!fixedKind) {
    issues.push(issue(r.row, 'kind', '', `为空：请填写类别（${KIND_LIST}），或上传时为整个文件指定类别`, `is empty: fill in the kind (${KIND_LIST_EN}), or give one kind for the whole file`));
  }
  const name = text(c.name);
  if (name.length > 50) issues.push(issue(r.row, 'name', name, '超过 50 个字符；请只填姓名', 'is longer than 50 characters; enter the name only'));
  const detail = text(c.detail);
  if (detail.length > 2000) issues.push(issue(r.row, 'detail', detail, '超过 2000 个字符；请精简', 'is longer than 2,000 characters; shorten it'));
  let amount: number | null = null;
  const rawAmount = c.amount;
  if (typeof rawAmount === 'number') {
    if (Number.isInteger(rawAmount) && rawAmount >= 0 && rawAmount <= MAX_AMOUNT) amount = rawAmount;
    else issues.push(issue(r.row, 'amount', rawAmount, `应为不小于 0 的整数（元），收到 ${rawAmount}`, `must be a whole number of yuan, 0 or more; got ${rawAmount}`));
  } else if (text(rawAmount) !== '') {
    const s = text(rawAmount).replace(/,/g, '');
    if (/^\d+$/.test(s) && Number(s) <= MAX_AMOUNT) amount = Number(s);
    else issues.push(issue(r.row, 'amount', rawAmount, `应为不小于 0 的整数（元，不带小数和单位），收到“${text(rawAmount)}”`, `must be a whole number of yuan, 0 or more, without decimals or units; got "${text(rawAmount)}"`));
  }
  let date: string | null = null;
  if (text(c.date) !== '') {
    date = dateOf(c.date);
    if (!date) issues.push(issue(r.row, 'date', c.date, `不是有效日期：“${text(c.date)}”；请写成 YYYY-MM-DD，如 2023-05-01`, `is not a valid date: "${text(c.date)}"; write it as YYYY-MM-DD, e.g. 2023-05-01`));
  }
  if (kind === 'medical_cost') {
    if (amount === null && text(rawAmount) === '') issues.push(issue(r.row, 'amount', '', '为空：医疗自付费用须填写金额（元）', 'is empty: a medical out-of-pocket cost needs its amount (yuan)'));
    if (!date && text(c.date) === '') issues.push(issue(r.row, 'date', '', '为空：医疗自付费用须填写日期（按年度合计）', 'is empty: a medical out-of-pocket cost needs its date (costs are added up by year)'));
  } else if (kind && isYearKind(kind) && !date && text(c.date) === '') {
    const l = DEPARTMENT_KIND_LABELS[kind];
    issues.push(issue(r.row, 'date', '', `为空：${l.zh}记录须填写发生日期（按年度预警）`, `is empty: a ${l.en} record needs the date it happened (alerts are raised for its year)`));
  }
  if (issues.length > before || !kind) return null;
  return { kind, idNumber, name: name || null, detail: detail || null, amount, date };
}

function csvCell(v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  return `"${v.replaceAll('"', '""')}"`;
}

async function recordAttempt(tx: Sql, ctx: Ctx, input: LoadDepartmentInput, status: 'imported' | 'rejected', rows: number, issues: FieldIssue[], summary: object): Promise<number> {
  const [row] = await tx.query<{ id: number }>(
    `INSERT INTO imports (kind, file_name, actor_id, dry_run, status, rows, error_count, summary)
     VALUES ('department_records', $1, $2, false, $3, $4, $5, $6) RETURNING id`,
    [input.filename.slice(0, 255), ctx.actor.id, status, rows, issues.length,
      JSON.stringify({ actor: ctx.actor.username, department: input.department, ...summary, issues: issues.slice(0, 200) })],
  );
  return Number(row!.id);
}

/**
 * Loads one department file. Needs 'monitor.scan'. Any problem → ValidationError listing every
 * one (row, column, reason) and nothing loaded; the attempt is kept in `imports` either way.
 */
export async function loadDepartmentRecords(ctx: Ctx, input: LoadDepartmentInput): Promise<LoadDepartmentResult> {
  require(ctx, 'monitor.scan');
  const department = (input.department ?? '').trim();
  const head: FieldIssue[] = [];
  if (!department || department.length > 100) {
    head.push({ field: 'department', value: department, zh: '请填写数据来源部门（1–100 个字符），如“市公安局交警支队”', en: 'Give the department the records come from (1–100 characters), e.g. 市公安局交警支队 (traffic police)' });
  }
  let fixedKind: DepartmentKind | undefined;
  if (input.kind !== undefined && input.kind.trim() !== '') {
    fixedKind = findDepartmentKind(input.kind);
    if (!fixedKind) head.push({ field: 'kind', value: input.kind, zh: `类别“${input.kind}”无效；可用：${KIND_LIST}`, en: `Unknown kind "${input.kind}"; use one of: ${KIND_LIST_EN}` });
  }
  if (head.length) throw new ValidationError(head, REJECTED);
  const bytes = Buffer.isBuffer(input.bytes) ? input.bytes : Buffer.from(input.bytes);
  const read = await readRows(input.filename, bytes);
  const issues: FieldIssue[] = [];
  const valid: Valid[] = [];
  for (const r of read.rows) {
    const v = validateRow(r, fixedKind, issues);
    if (v) valid.push(v);
  }
  if (!read.rows.length) issues.push({ field: 'file', zh: '文件中没有数据行（第 2 行起）', en: 'The file has no data rows (from row 2 on)' });
  const meta = { department, encoding: read.encoding ?? null };
  if (issues.length) {
    await ctx.db.transaction((tx) => recordAttempt(tx, ctx, { ...input, department }, 'rejected', read.rows.length, issues, meta));
    throw new ValidationError(issues, REJECTED);
  }
  const byKind: Partial<Record<DepartmentKind, number>> = {};
  for (const v of valid) byKind[v.kind] = (byKind[v.kind] ?? 0) + 1;
  return ctx.db.transaction(async (tx) => {
    const batch = await recordAttempt(tx, ctx, { ...input, department }, 'imported', valid.length, [], { ...meta, byKind });
    const user = ctx.actor.username;
    const lines: string[] = [];
    for (const v of valid) {
      lines.push([batch, csvCell(v.kind), ...idColumns(v.idNumber).map(csvCell), csvCell(v.name), csvCell(v.detail), csvCell(v.amount), csvCell(v.date), csvCell(department), csvCell(user)].join(','));
    }
    await tx.copyFrom('department_records', ['batch', 'kind', 'id_hash', 'id_enc', 'id_masked', 'name', 'detail', 'amount', 'record_date', 'department', 'loaded_by'], `${lines.join('\n')}\n`);
    const [m] = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM department_records d WHERE d.batch = $1 AND EXISTS (SELECT 1 FROM members m WHERE m.id_hash = d.id_hash)`,
      [batch],
    );
    const matchedPeople = Number(m?.n ?? 0);
    await audit(tx, ctx.actor, {
      action: 'load', entity: 'department_records', entityId: batch,
      after: { batch, filename: input.filename, department, rows: valid.length, byKind, matchedPeople },
      note: `部门数据 department records: ${department} ${input.filename}`.slice(0, 500),
    });
    return { batch, rows: valid.length, byKind, department, ...(read.encoding ? { encoding: read.encoding } : {}), matchedPeople };
  });
}
