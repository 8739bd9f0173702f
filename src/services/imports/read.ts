// Reads an uploaded .xlsx or .csv into the template's header and rows of strings, one row at
// a time (the streaming exceljs reader; csv-parse over the decoded text), so a file of a
// million rows never sits in memory as cells. Excel's damage to ID numbers is reported here,
// where it is still visible (a numeric cell), and never converted into digits.
import { isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { ValidationError, type FieldIssue } from '../../domain/errors.js';
import {
  ERROR_COLUMN, TEMPLATE_COLUMNS, TEMPLATE_HEADERS, columnByHeader, isErrorColumn, type TemplateColumn,
} from '../../domain/template.js';
import { decodeText, type TextEncodingName } from './encoding.js';

export type FileFormat = 'xlsx' | 'csv';

export interface SheetRow {
  /** 1-based spreadsheet row (the header is row 1). */
  row: number;
  /** Cell texts aligned with `headers`. */
  cells: string[];
}

export interface SheetInfo {
  format: FileFormat;
  encoding?: TextEncodingName;
  /** Headers as written in the file. */
  headers: string[];
  /** The template column of each header; null for ignored ones (错误说明, unknown in lenient mode). */
  columns: (TemplateColumn | null)[];
  /** Data rows seen (blank rows skipped). */
  rowCount: number;
  /** Cell problems only visible while reading (numeric ID cells). */
  issues: FieldIssue[];
  /** The rows, when no onRow callback was given. */
  rows: SheetRow[];
}

export interface ReadOptions {
  /** Called for each non-blank data row (with the header already mapped); when given, rows are not kept. */
  onRow?: (row: SheetRow, info: SheetInfo) => void;
  /** false: accept any headers (the error workbook copies whatever was uploaded). Default true. */
  strict?: boolean;
}

const FORMULA_ESCAPE = /^'(?=[=+\-@\t\r])/;

export function formatOf(fileName: string): FileFormat | undefined {
  const ext = /\.([^.]+)$/.exec(fileName.toLowerCase())?.[1];
  return ext === 'xlsx' || ext === 'xlsm' ? 'xlsx' : ext === 'csv' || ext === 'txt' ? 'csv' : undefined;
}

function fileIssue(zh: string, en: string): ValidationError {
  return new ValidationError([{ field: 'file', zh, en }], { zh, en });
}

/** How Excel's General format shows a big number: 150521199001011000 → 1.50521E+17. */
export function excelGeneral(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e11) return String(n);
  if (Math.abs(n) < 1e11 && Math.abs(n) >= 1e-9) return String(Number(n.toPrecision(10)));
  const [mant, exp] = n.toExponential(5).split('e');
  const m = String(Number(mant));
  const e = Number(exp);
  return `${m}E${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function isoOfDate(d: Date): string {
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/** Excel's serial day number (1900 system) → YYYY-MM-DD. */
function isoOfSerial(n: number): string {
  return isoOfDate(new Date(Math.round((n - 25569) * 86400000)));
}

interface Reader {
  headers: string[];
  columns: (TemplateColumn | null)[];
  issues: FieldIssue[];
}

/** Maps a file's headers to template columns; problems are issues listing what is expected. */
export function mapHeaders(headers: string[], strict = true): { columns: (TemplateColumn | null)[]; issues: FieldIssue[] } {
  const columns: (TemplateColumn | null)[] = [];
  const unknown: string[] = [];
  const seen = new Map<TemplateColumn, string>();
  const issues: FieldIssue[] = [];
  headers.forEach((h, i) => {
    const t = h.trim();
    if (t === '' || isErrorColumn(t)) {
      columns.push(null);
      return;
    }
    const c = columnByHeader(t);
    if (!c) {
      unknown.push(t);
      columns.push(null);
      return;
    }
    if (seen.has(c)) {
      issues.push({
        field: 'header', row: 1, column: t,
        zh: `表头“${t}”与“${seen.get(c)}”重复（第 ${i + 1} 列）；请删除其中一列`,
        en: `Header "${t}" duplicates "${seen.get(c)}" (column ${i + 1}); delete one of them`,
      });
      columns.push(null);
      return;
    }
    seen.set(c, t);
    columns.push(c);
  });
  if (!strict) return { columns, issues: [] };
  const expected = TEMPLATE_HEADERS.join('、');
  if (unknown.length) {
    issues.push({
      field: 'header', row: 1, column: unknown.join('、'),
      zh: `不认识的表头：${unknown.join('、')}。请使用模板（jingzhun export template）中的表头：${expected}`,
      en: `Unknown headers: ${unknown.join(', ')}. Use the template's headers (jingzhun export template): ${expected}`,
    });
  }
  const missing = TEMPLATE_COLUMNS.filter((c) => c.required && !seen.has(c)).map((c) => c.header);
  if (missing.length) {
    issues.push({
      field: 'header', row: 1, column: missing.join('、'),
      zh: `缺少必需的列：${missing.join('、')}。第 1 行必须是表头；模板的表头为：${expected}`,
      en: `Required columns are missing: ${missing.join(', ')}. Row 1 must be the header row; the template's headers are: ${expected}`,
    });
  }
  return { columns, issues };
}

function cellText(v: unknown, col: TemplateColumn | null, row: number, r: Reader): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.replace(FORMULA_ESCAPE, '');
  if (typeof v === 'number') {
    if (col?.kind === 'id' || (col?.field === 'householdNo' && Math.abs(v) >= 1e15)) {
      const shown = excelGeneral(v);
      r.issues.push({
        field: col.field, row, column: col.header, value: shown,
        zh: `「${col.header}」单元格是数字格式（Excel 显示为 ${shown}），不是文本：Excel 只保留15位有效数字，号码末几位可能已丢失，程序不会自动转换。请把该列设为“文本”格式，对照原件重新录入完整号码`,
        en: `"${col.header}" (${col.headerEn}) is a numeric cell (Excel shows ${shown}), not text: Excel keeps only 15 significant digits so the last digits may be lost, and the importer will not convert it. Format the column as Text and enter the full number again from the original`,
      });
      return shown;
    }
    if (col?.kind === 'date') {
      if (Number.isInteger(v) && v >= 18000101 && v <= 29991231) return String(v);
      if (v > 0 && v < 2958466) return isoOfSerial(v);
    }
    return String(v);
  }
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (v instanceof Date) return isoOfDate(v);
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as { text?: string }[]).map((t) => t.text ?? '').join('');
    if ('formula' in o || 'sharedFormula' in o) return cellText(o.result, col, row, r);
    if ('error' in o) return String(o.error);
    if ('text' in o) return cellText(o.text, col, row, r);
  }
  return String(v);
}

function blank(cells: string[]): boolean {
  return cells.every((c) => c.trim() === '');
}

async function* decodeUtf8(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const c of chunks) yield typeof c === 'string' ? c : decoder.decode(c, { stream: true });
  const tail = decoder.decode();
  if (tail) yield tail;
}

interface ReaderInternals {
  _parseSharedStrings(entry: NodeJS.ReadableStream): AsyncGenerator<unknown>;
  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): Generator<unknown>;
}

/**
 * exceljs 4.4's streaming reader decodes every zip chunk on its own, so a Chinese character
 * split across two chunks comes out as "�" (exceljs issues #2063, #2084). Its entries are
 * decoded here as one UTF-8 stream instead.
 */
function utf8Reader(data: Buffer): ExcelJS.stream.xlsx.WorkbookReader {
  const wb = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([data]), {
    sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore',
  });
  const own = wb as unknown as ReaderInternals;
  const proto = Object.getPrototypeOf(wb) as ReaderInternals;
  own._parseSharedStrings = function (entry) {
    entry.setEncoding('utf8');
    return proto._parseSharedStrings.call(this, entry);
  };
  own._parseWorksheet = function (iterator, sheetNo) {
    return proto._parseWorksheet.call(this, decodeUtf8(iterator), sheetNo);
  };
  return wb;
}

async function readXlsx(data: Buffer, opts: ReadOptions, info: SheetInfo): Promise<void> {
  const reader: Reader = info;
  const wb = utf8Reader(data);
  let first = true;
  for await (const ws of wb) {
    if (!first) {
      // Only the first worksheet counts; the others are read through so the reader can delete
      // its temporary files (skipping them leaves a stream open on a deleted file).
      for await (const _ of ws) void _;
      continue;
    }
    first = false;
    let headerSeen = false;
    for await (const row of ws) {
      const values = (row.values ?? []) as unknown[];
      if (!headerSeen) {
        headerSeen = true;
        if (row.number !== 1) break;
        info.headers = values.slice(1).map((v) => cellText(v, null, 1, reader).trim());
        while (info.headers.length && info.headers[info.headers.length - 1] === '') info.headers.pop();
        const m = mapHeaders(info.headers, opts.strict !== false);
        if (m.issues.length) throw new ValidationError(m.issues, { zh: '表头与模板不符', en: 'The header row does not match the template' });
        info.columns = m.columns;
        continue;
      }
      const cells = info.headers.map((_, i) => cellText(values[i + 1], info.columns[i] ?? null, row.number, reader));
      if (blank(cells)) continue;
      emit(info, opts, { row: row.number, cells });
    }
  }
  if (!info.headers.length) {
    const m = mapHeaders([], opts.strict !== false);
    if (m.issues.length) throw new ValidationError(m.issues, { zh: '第 1 行没有表头', en: 'Row 1 has no headers' });
  }
}

function emit(info: SheetInfo, opts: ReadOptions, row: SheetRow) {
  info.rowCount += 1;
  if (opts.onRow) opts.onRow(row, info);
  else info.rows.push(row);
}

/** Lines of a text, without their "\n" (no empty line after a final newline). */
function* textLines(text: string): Generator<string> {
  let pos = 0;
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1) nl = text.length;
    yield text.slice(pos, nl);
    pos = nl + 1;
  }
}

/**
 * Lines of an encoded file, decoded one at a time so a 400 MB CSV never becomes one giant
 * string. Splitting on the byte 0x0A is safe in UTF-8 and in GBK/GB18030 (never a trail byte).
 * The encoding is the one decodeText would pick (encoding.ts); a small file is decoded there.
 */
function* bufferLines(buf: Buffer): Generator<string> {
  const bom = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
  const utf8 = bom || isUtf8(buf);
  let pos = bom ? 3 : 0;
  while (pos < buf.length) {
    let nl = buf.indexOf(10, pos);
    if (nl === -1) nl = buf.length;
    yield utf8 ? buf.toString('utf8', pos, nl) : iconv.decode(buf.subarray(pos, nl), 'gb18030');
    pos = nl + 1;
  }
}

function fileEncoding(buf: Buffer): TextEncodingName {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return 'utf-8-bom';
  return isUtf8(buf) ? 'utf-8' : 'gbk';
}

function quoteCount(line: string): number {
  let n = 0;
  for (let i = line.indexOf('"'); i !== -1; i = line.indexOf('"', i + 1)) n++;
  return n;
}

/**
 * CSV records, one per spreadsheet row. A line without quotes is split on commas directly —
 * the hot path of a million-row import, about five times faster than a general parser; a
 * record with quotes (which may span lines) goes through csv-parse.
 */
export function* csvRecords(input: string | Iterable<string>): Generator<string[]> {
  let pending: string[] | null = null;
  let quotes = 0;
  for (const line of typeof input === 'string' ? textLines(input) : input) {
    if (!pending) {
      if (!line.includes('"')) {
        yield (line.endsWith('\r') ? line.slice(0, -1) : line).split(',');
        continue;
      }
      pending = [line];
      quotes = quoteCount(line);
    } else {
      pending.push(line);
      quotes += quoteCount(line);
    }
    // A quoted record ends at the first newline after an even number of quotes.
    if (quotes % 2 === 0) {
      yield* parseCsv(pending.join('\n'), { relax_column_count: true, relax_quotes: true, skip_empty_lines: false }) as string[][];
      pending = null;
    }
  }
  if (pending) yield* parseCsv(pending.join('\n'), { relax_column_count: true, relax_quotes: true }) as string[][];
}

async function readCsv(data: Buffer, opts: ReadOptions, info: SheetInfo): Promise<void> {
  // Small files go through decodeText; big ones are decoded line by line with the same choice.
  const small = data.length < 8_000_000;
  const decoded = small ? decodeText(data) : undefined;
  info.encoding = decoded?.encoding ?? fileEncoding(data);
  let n = 0;
  for (const record of csvRecords(decoded ? decoded.text : bufferLines(data))) {
    n += 1;
    if (n === 1) {
      info.headers = record.map((h) => h.trim());
      while (info.headers.length && info.headers[info.headers.length - 1] === '') info.headers.pop();
      const m = mapHeaders(info.headers, opts.strict !== false);
      if (m.issues.length) throw new ValidationError(m.issues, { zh: '表头与模板不符', en: 'The header row does not match the template' });
      info.columns = m.columns;
      continue;
    }
    const width = info.headers.length;
    if (record.length !== width) record.length = width;
    let any = false;
    for (let i = 0; i < width; i++) {
      let v = record[i] ?? '';
      if (v.charCodeAt(0) === 39) v = v.replace(FORMULA_ESCAPE, '');
      if (!any && v !== '' && v.trim() !== '') any = true;
      record[i] = v;
    }
    if (any) emit(info, opts, { row: n, cells: record });
  }
  if (n === 0) {
    const m = mapHeaders([], opts.strict !== false);
    if (m.issues.length) throw new ValidationError(m.issues, { zh: '文件是空的', en: 'The file is empty' });
  }
}

/**
 * Reads the first worksheet of an .xlsx, or a .csv (UTF-8, UTF-8 with BOM or GBK). Throws
 * ValidationError for an unknown extension, an unreadable file, or (strict) headers that do not
 * match the template.
 */
export async function readSheet(fileName: string, data: Buffer, opts: ReadOptions = {}): Promise<SheetInfo> {
  const format = formatOf(fileName);
  if (!format) {
    throw fileIssue(
      `不支持的文件类型“${fileName}”；请上传 .xlsx 或 .csv 文件（Excel 可“另存为”这两种格式；旧版 .xls 请先另存为 .xlsx）`,
      `Unsupported file type "${fileName}"; upload an .xlsx or .csv file (Excel can "Save As" either; save old .xls files as .xlsx first)`,
    );
  }
  const info: SheetInfo = { format, headers: [], columns: [], rowCount: 0, issues: [], rows: [] };
  // exceljs's streaming reader never settles on an empty (or non-zip) stream: check the zip signature first.
  if (format === 'xlsx' && !(data.length >= 4 && data.readUInt32LE(0) === 0x04034b50)) {
    throw fileIssue(
      `无法读取 Excel 文件“${fileName}”（不是 .xlsx 文件）；请确认它是 .xlsx 格式且未损坏、未加密，可在 Excel 中打开后重新“另存为 .xlsx”`,
      `Cannot read the Excel file "${fileName}" (not an .xlsx file); check it is an undamaged, unencrypted .xlsx — open it in Excel and "Save As .xlsx" again`,
    );
  }
  try {
    if (format === 'xlsx') await readXlsx(data, opts, info);
    else await readCsv(data, opts, info);
  } catch (e) {
    if (e instanceof ValidationError) throw e;
    const why = e instanceof Error ? e.message : String(e);
    throw format === 'xlsx'
      ? fileIssue(
          `无法读取 Excel 文件“${fileName}”（${why}）；请确认它是 .xlsx 格式且未损坏、未加密，可在 Excel 中打开后重新“另存为 .xlsx”`,
          `Cannot read the Excel file "${fileName}" (${why}); check it is an undamaged, unencrypted .xlsx — open it in Excel and "Save As .xlsx" again`,
        )
      : fileIssue(
          `无法读取 CSV 文件“${fileName}”（${why}）；请检查引号是否成对，或在 Excel 中打开后重新“另存为 CSV”`,
          `Cannot read the CSV file "${fileName}" (${why}); check that quotes are balanced, or open it in Excel and "Save As CSV" again`,
        );
  }
  return info;
}

export { ERROR_COLUMN };
