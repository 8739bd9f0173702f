// Input for `jingzhun measure` (cli/commands/measure.ts): read any CSV table (UTF-8, UTF-8 with BOM
// or GBK, header row required), find the columns the options name, read their cells strictly, and
// parse the option values (poverty line, k, indicator specs). No database. Every problem is
// collected and thrown as one ValidationError whose issues carry the file line and column, so the
// CLI prints them all (cli/output.ts) and exits 1.
//
// Rules (README, "On any table: `jingzhun measure`"):
// - Row numbers are line numbers of the file, the header line counted (normally line 1); a quoted
//   cell that spans lines is named by the line its record starts on. Blank lines and rows whose
//   every cell is empty are skipped.
// - A number is written plainly: optional sign, digits, optional decimals and exponent (1234.5,
//   -3, 1e3). Thousands separators, units, full-width digits, "NaN" and "Infinity" are refused.
// - An empty cell in a column used for a measure is an error (fill it in or delete the row);
//   only `measure mpi --default` leaves such rows out, as the register's MPI does.
import { readFileSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import { ValidationError, type FieldIssue, type Msg } from '../domain/errors.js';
import { MAX_ISSUES } from '../domain/measures/index.js';
import { decodeText, type TextEncodingName } from '../services/imports/encoding.js';
import { FileError } from './file-error.js';

export interface TableRow {
  /** 1-based line of the file where the record starts (the header is normally line 1) */
  line: number;
  cells: string[];
}

export interface MeasureTable {
  file: string;
  encoding: TextEncodingName;
  headers: string[];
  headerLine: number;
  rows: TableRow[];
}

/** A column the options name: which option, its header text and its position. */
export interface ColumnRef {
  option: string;
  name: string;
  index: number;
}

const quote = (s: string) => JSON.stringify(s);

/**
 * Collects problems (up to MAX_ISSUES) and throws them as one ValidationError. The top message
 * repeats the first problem in full: the file line (saying it counts the header), the column and
 * the value.
 */
export class Problems {
  readonly list: FieldIssue[] = [];
  private dropped = 0;
  private firstFull: Msg | null = null;

  constructor(private readonly table?: Pick<MeasureTable, 'file' | 'headerLine'>) {}

  private push(issue: FieldIssue, full: Msg): void {
    if (this.list.length >= MAX_ISSUES) {
      this.dropped++;
      return;
    }
    this.list.push(issue);
    this.firstFull ??= full;
  }

  /** A problem with an option (field = the option, e.g. `--line`); zh/en are complete sentences. */
  option(option: string, zh: string, en: string, value?: string): void {
    this.push({ field: option, zh, en, ...(value !== undefined ? { value } : {}) }, { zh, en });
  }

  /** A problem with the file as a whole. */
  file(zh: string, en: string): void {
    this.push({ field: 'file', zh, en }, { zh, en });
  }

  /** A problem in one cell: `zh`/`en` say what is wrong ("不是数字" / "not a number"). */
  cell(row: TableRow, column: string, zh: string, en: string, value?: string): void {
    const t = this.table;
    const hl = t?.headerLine ?? 1;
    const v = value === undefined ? '' : `：${quote(value)}`;
    const ve = value === undefined ? '' : `: ${quote(value)}`;
    this.push(
      { field: column, row: row.line, column, zh, en, ...(value !== undefined ? { value: quote(value) } : {}) },
      {
        zh: `${t ? `${t.file} ` : ''}第 ${row.line} 行（文件行号，表头在第 ${hl} 行）「${column}」列：${zh}${v}`,
        en: `${t ? `${t.file}, ` : ''}line ${row.line} (file line, the header is line ${hl}), column "${column}": ${en}${ve}`,
      },
    );
  }

  get count(): number {
    return this.list.length + this.dropped;
  }

  throwIfAny(): void {
    if (!this.firstFull) return;
    const issues = [...this.list];
    if (this.dropped) issues.push({ field: '…', zh: `另有 ${this.dropped} 处问题未列出`, en: `${this.dropped} more problems not listed` });
    const more = this.count - 1;
    throw new ValidationError(issues, {
      zh: `${this.firstFull.zh}${more > 0 ? `（另有 ${more} 处）` : ''}`,
      en: `${this.firstFull.en}${more > 0 ? ` (and ${more} more)` : ''}`,
    });
  }
}

function fail(zh: string, en: string): never {
  const p = new Problems();
  p.file(zh, en);
  p.throwIfAny();
  throw new Error('unreachable');
}

// ---------------------------------------------------------------- the file

/**
 * Reads and parses a CSV file. A missing file keeps its ENOENT; a file that cannot be read (a
 * directory, no permission, …) is a FileError naming the file and the reason; both exit with code
 * 2 in cli/output.ts.
 */
export function readMeasureTable(file: string): MeasureTable {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (typeof err?.code === 'string' && err.code !== 'ENOENT') throw new FileError(file, err, 'read');
    throw e;
  }
  return parseMeasureTable(data, file);
}

const breaks = (s: string) => s.match(/\r\n|\r|\n/g)?.length ?? 0;

/** Parses CSV bytes (UTF-8, UTF-8 with BOM or GBK) into a header and data rows with their lines. */
export function parseMeasureTable(data: Uint8Array, file: string): MeasureTable {
  const { text, encoding } = decodeText(data);
  if (text.trim() === '') fail(`文件为空：${file}（需要一行表头和至少一行数据）`, `The file is empty: ${file} (a header row and at least one data row are needed)`);
  let records: { record: string[]; raw: string }[];
  try {
    records = parseCsv(text, { raw: true, relax_column_count: true, skip_empty_lines: true }) as unknown as typeof records;
  } catch (e) {
    const err = e as { code?: string; lines?: number; message?: string };
    if (typeof err.code === 'string' && (err.code.startsWith('CSV_') || err.code === 'INVALID_OPENING_QUOTE')) {
      fail(`${file} 不是有效的 CSV：第 ${err.lines ?? '?'} 行附近引号不配对或格式有误（${err.message ?? err.code}）`,
        `${file} is not valid CSV: unbalanced quotes or bad format near line ${err.lines ?? '?'} (${err.message ?? err.code})`);
    }
    throw e;
  }
  // Lines are counted from each record's raw text (skipped blank lines included), not from
  // csv-parse's info.lines, which counts a CRLF inside a quoted cell as two lines.
  const rows: TableRow[] = [];
  let before = 0;
  for (const { record, raw } of records) {
    const start = before + breaks(/^(?:\r\n|\r|\n)*/.exec(raw)![0]) + 1;
    before += breaks(raw);
    if (record.every((c) => c.trim() === '')) continue;
    rows.push({ line: start, cells: record });
  }
  const head = rows.shift();
  if (!head) fail(`文件为空：${file}（需要一行表头和至少一行数据）`, `The file is empty: ${file} (a header row and at least one data row are needed)`);
  const headers = head.cells.map((h) => h.trim());
  if (rows.length === 0) fail(`${file} 只有表头，没有数据行`, `${file} has a header row but no data rows`);
  return { file, encoding, headers, headerLine: head.line, rows };
}

/**
 * Finds each named column. An unknown name lists the columns the file has; a name the header
 * holds twice is refused (which one would be meant?).
 */
export function findColumns(table: MeasureTable, wanted: readonly { option: string; name: string }[]): ColumnRef[] {
  const p = new Problems(table);
  const shown = table.headers.filter((h) => h !== '');
  const out: ColumnRef[] = [];
  for (const { option, name } of wanted) {
    const at: number[] = [];
    table.headers.forEach((h, i) => {
      if (h === name.trim()) at.push(i);
    });
    if (at.length === 0) {
      p.option(option,
        `找不到列「${name}」（${option}）；${table.file} 中的列：${shown.join('、')}`,
        `No column "${name}" (${option}); the columns of ${table.file} are: ${shown.join(', ')}`, quote(name));
    } else if (at.length > 1) {
      p.option(option,
        `列名「${name}」（${option}）在表头中出现了 ${at.length} 次（第 ${at.map((i) => i + 1).join('、')} 列），无法确定用哪一列`,
        `The column name "${name}" (${option}) occurs ${at.length} times in the header (columns ${at.map((i) => i + 1).join(', ')}); which one is meant?`, quote(name));
    } else out.push({ option, name: name.trim(), index: at[0]! });
  }
  p.throwIfAny();
  return out;
}

// ---------------------------------------------------------------- cells

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A plainly written finite number, or undefined. */
export function parseNumber(text: string): number | undefined {
  const s = text.trim();
  if (!NUMBER.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** A number or a fraction a/b (b ≠ 0), for --k and indicator weights ("1/3"). */
export function parseFraction(text: string): number | undefined {
  const s = text.trim();
  const slash = s.indexOf('/');
  if (slash === -1) return parseNumber(s);
  const a = parseNumber(s.slice(0, slash));
  const b = parseNumber(s.slice(slash + 1));
  if (a === undefined || b === undefined || b === 0) return undefined;
  const v = a / b;
  return Number.isFinite(v) ? v : undefined;
}

const NOT_A_NUMBER = {
  zh: '不是数字（须为普通写法，如 1234.5 或 -3，不带千位分隔符、单位或空格）',
  en: 'not a number (write it plainly, e.g. 1234.5 or -3, without thousands separators, units or spaces)',
};
export const EMPTY_CELL = {
  zh: '空单元格：该列参与计算，每行都必须有值（请补全或删去该行）',
  en: 'empty cell: this column is used in the measure, so every row needs a value (fill it in or delete the row)',
};

export const cellOf = (row: TableRow, col: ColumnRef): string => (row.cells[col.index] ?? '').trim();

/** The number in a cell; an empty or non-numeric cell is recorded in `p` and gives NaN. */
export function numberCell(p: Problems, row: TableRow, col: ColumnRef): number {
  const s = cellOf(row, col);
  if (s === '') {
    p.cell(row, col.name, EMPTY_CELL.zh, EMPTY_CELL.en);
    return Number.NaN;
  }
  const n = parseNumber(s);
  if (n === undefined) {
    p.cell(row, col.name, NOT_A_NUMBER.zh, NOT_A_NUMBER.en, s);
    return Number.NaN;
  }
  return n;
}

/** Row weights from the --weight column: numbers ≥ 0, not all 0. */
export function weightCells(p: Problems, rows: readonly TableRow[], col: ColumnRef): number[] {
  let total = 0;
  const ws = rows.map((row) => {
    const w = numberCell(p, row, col);
    if (w < 0) p.cell(row, col.name, '权数为负数（权数必须 ≥ 0）', 'the weight is negative (weights must be ≥ 0)', cellOf(row, col));
    else if (Number.isFinite(w)) total += w;
    return w;
  });
  if (p.count === 0 && total <= 0) {
    p.option('--weight', `--weight 列「${col.name}」的权数全部为 0，总权数必须大于 0`, `Every weight in the --weight column "${col.name}" is 0; the total weight must be above 0`);
  }
  return ws;
}

/** Group labels from the --by column (trimmed text; empty is an error). */
export function groupCells(p: Problems, rows: readonly TableRow[], col: ColumnRef): string[] {
  return rows.map((row) => {
    const s = cellOf(row, col);
    if (s === '') p.cell(row, col.name, '空单元格：--by 分组列每行都必须有值', 'empty cell: every row needs a value in the --by column');
    return s;
  });
}

const BOOLS = new Map<string, boolean>([
  ['1', true], ['是', true], ['y', true], ['yes', true], ['true', true], ['t', true],
  ['0', false], ['否', false], ['n', false], ['no', false], ['false', false], ['f', false],
]);

/** 1/0, 是/否, yes/no, true/false; '' gives null (not recorded); anything else is recorded in `p`. */
export function boolCell(p: Problems, row: TableRow, col: ColumnRef): boolean | null {
  const s = cellOf(row, col);
  if (s === '') return null;
  const b = BOOLS.get(s.toLowerCase());
  if (b === undefined) p.cell(row, col.name, '应为 1/0、是/否、yes/no 或 true/false', 'expected 1/0, 是/否, yes/no or true/false', s);
  return b ?? null;
}

// ---------------------------------------------------------------- options

/** A required option: records "missing" and gives undefined when absent. */
export function required(p: Problems, option: string, value: string | undefined, zh: string, en: string): string | undefined {
  if (value === undefined || value.trim() === '') {
    p.option(option, `缺少 ${option}：${zh}`, `${option} is missing: ${en}`);
    return undefined;
  }
  return value;
}

/** The poverty line: a number above 0. */
export function lineOption(p: Problems, value: string | undefined): number | undefined {
  const v = required(p, '--line', value, '请给出贫困线（与收入同一单位，大于 0）', 'give the poverty line (in the unit of the incomes, above 0)');
  if (v === undefined) return undefined;
  const z = parseNumber(v);
  if (z === undefined) p.option('--line', `贫困线 --line 应为数字，收到 ${quote(v)}`, `The poverty line --line must be a number; got ${quote(v)}`, quote(v));
  else if (z <= 0) p.option('--line', `贫困线 --line 必须大于 0，收到 ${z}`, `The poverty line --line must be above 0; got ${z}`, String(z));
  else return z;
  return undefined;
}

/** k: a share of the total indicator weight, 0 < k ≤ 1, as a decimal or a fraction (1/3). */
export function kOption(p: Problems, value: string | undefined, fallback?: number): number | undefined {
  if ((value === undefined || value.trim() === '') && fallback !== undefined) return fallback;
  const v = required(p, '--k', value, '请给出贫困临界值 k（占指标总权重的份额，0 < k ≤ 1，如 1/3 或 0.5）', 'give the poverty cut-off k (a share of the total indicator weight, 0 < k ≤ 1, e.g. 1/3 or 0.5)');
  if (v === undefined) return undefined;
  const k = parseFraction(v);
  if (k === undefined || k <= 0 || k > 1) {
    p.option('--k', `--k 必须满足 0 < k ≤ 1（占指标总权重的份额，如 1/3 或 0.5），收到 ${quote(v)}`,
      `--k must satisfy 0 < k ≤ 1 (a share of the total indicator weight, e.g. 1/3 or 0.5); got ${quote(v)}`, quote(v));
    return undefined;
  }
  return k;
}

export interface IndicatorSpec {
  /** the --indicator text as given */
  spec: string;
  column: string;
  cutoff: number;
  weight?: number;
  cardinal: boolean;
}

const SPEC_FORM = {
  zh: '应为 列名:临界值[:权重][:cardinal]，如 income:500、income:500:0.25 或 income:500:0.25:cardinal（用英文冒号）',
  en: 'write COLUMN:CUTOFF[:WEIGHT][:cardinal], e.g. income:500, income:500:0.25 or income:500:0.25:cardinal',
};

/**
 * `COLUMN:CUTOFF[:WEIGHT][:cardinal]`. The column name may not contain ':'. The weight is a
 * number or a fraction (1/3); `cardinal` marks a quantity (income, years of schooling) whose
 * normalised gap (z − x)/z enters M1 and M2.
 */
export function parseIndicatorSpec(p: Problems, spec: string): IndicatorSpec | undefined {
  const parts = spec.split(':');
  let cardinal = false;
  if (parts.length > 2 && parts[parts.length - 1]!.trim().toLowerCase() === 'cardinal') {
    cardinal = true;
    parts.pop();
  }
  const bad = (zh: string, en: string) => {
    p.option('--indicator', `--indicator ${quote(spec)} ${zh}`, `--indicator ${quote(spec)}: ${en}`, quote(spec));
    return undefined;
  };
  if (parts.length < 2 || parts.length > 3 || parts[0]!.trim() === '') return bad(`格式有误：${SPEC_FORM.zh}`, `bad syntax; ${SPEC_FORM.en}`);
  const [column, cut, w] = parts as [string, string, string | undefined];
  const cutoff = parseNumber(cut);
  if (cutoff === undefined) return bad(`的临界值不是数字：${quote(cut)}（${SPEC_FORM.zh}）`, `the cut-off is not a number: ${quote(cut)} (${SPEC_FORM.en})`);
  let weight: number | undefined;
  if (w !== undefined) {
    weight = parseFraction(w);
    if (weight === undefined) return bad(`的权重不是数字：${quote(w)}（${SPEC_FORM.zh}）`, `the weight is not a number: ${quote(w)} (${SPEC_FORM.en})`);
  }
  return { spec, column: column.trim(), cutoff, ...(weight !== undefined ? { weight } : {}), cardinal };
}
