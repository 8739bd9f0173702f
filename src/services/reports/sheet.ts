// Writing report sheets "in the layout offices use": a title row and a line with area, year and
// date, a Chinese header row with an English row under it, frozen panes below the headers (and
// beside the name columns), number formats (money 0.00, percentages 0.00%, whole numbers #,##0),
// column widths, a bold totals row, A4 landscape print set-up repeating the header rows.
// exceljs cannot draw charts, so reports give the numbers behind a chart as a table.
import type ExcelJS from 'exceljs';
import { neutralise } from '../imports/export.js';

export const FMT = { money: '0.00', pct: '0.00%', int: '#,##0', dec: '0.0000', text: '@' } as const;
export type Fmt = keyof typeof FMT;
export type Cell = string | number | null;

export interface Column<R> {
  zh: string;
  en: string;
  width: number;
  fmt?: Fmt;
  value: (r: R) => Cell;
}

const GREY: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEDEDED' } };
const TOTAL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };
const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin', color: { argb: 'FF999999' } },
  bottom: { style: 'thin', color: { argb: 'FF999999' } },
  left: { style: 'thin', color: { argb: 'FF999999' } },
  right: { style: 'thin', color: { argb: 'FF999999' } },
};

function colName(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

function clean(v: Cell | undefined): Cell {
  if (v === undefined) return null;
  return typeof v === 'string' ? neutralise(v) : v;
}

export interface SheetOptions {
  name: string;
  /** Columns the sheet is laid out for (title rows span them). */
  span: number;
  widths: number[];
  /** Rows frozen at the top (title, subtitle, headers) and name columns frozen at the left. */
  freezeRows: number;
  freezeCols?: number;
  /** Rows repeated at the top of every printed page, e.g. '3:4'. */
  printTitles?: string;
  portrait?: boolean;
}

/** A sheet written top to bottom with the streaming writer; every helper commits its row. */
export class Sheet {
  readonly ws: ExcelJS.Worksheet;
  private readonly span: number;

  constructor(wb: ExcelJS.stream.xlsx.WorkbookWriter, o: SheetOptions) {
    this.span = o.span;
    this.ws = wb.addWorksheet(o.name, {
      views: [{ state: 'frozen', ySplit: o.freezeRows, xSplit: o.freezeCols ?? 0 }],
      pageSetup: {
        paperSize: 9, // A4
        orientation: o.portrait ? 'portrait' : 'landscape',
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
        ...(o.printTitles ? { printTitlesRow: o.printTitles } : {}),
        margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
      },
    });
    this.ws.columns = o.widths.map((width) => ({ width }));
  }

  private merged(text: string, font: Partial<ExcelJS.Font>, height?: number): void {
    const row = this.ws.addRow([clean(text)]);
    row.font = font;
    row.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    if (height) row.height = height;
    if (this.span > 1) this.ws.mergeCells(`A${row.number}:${colName(this.span)}${row.number}`);
    row.commit();
  }

  /** The big centred title, e.g. "库伦镇 一嘎查 2020 年度建档立卡贫困户村级报表". */
  title(text: string): void {
    this.merged(text, { bold: true, size: 14 }, 24);
  }

  /** The line under the title: 区划、年度、制表日期. */
  subtitle(text: string): void {
    this.merged(text, { size: 10, color: { argb: 'FF555555' } });
  }

  /** A section heading inside a sheet. */
  section(text: string): void {
    const row = this.ws.addRow([clean(text)]);
    row.font = { bold: true, size: 12 };
    row.commit();
  }

  /** A free line of text (notes, reasons), merged across the sheet and wrapped. */
  note(text: string): void {
    const row = this.ws.addRow([clean(text)]);
    row.font = { size: 9, italic: true, color: { argb: 'FF555555' } };
    row.alignment = { wrapText: true, vertical: 'top' };
    if (this.span > 1) this.ws.mergeCells(`A${row.number}:${colName(this.span)}${row.number}`);
    row.height = Math.min(90, 15 * Math.max(1, Math.ceil(text.length / (this.span * 9))));
    row.commit();
  }

  blank(): void {
    this.ws.addRow([]).commit();
  }

  /** The Chinese header row and the English row under it. */
  headers(cols: readonly { zh: string; en: string }[]): void {
    const zh = this.ws.addRow(cols.map((c) => c.zh));
    zh.font = { bold: true };
    zh.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    zh.eachCell((c) => {
      c.fill = GREY;
      c.border = THIN;
    });
    zh.commit();
    const en = this.ws.addRow(cols.map((c) => c.en));
    en.font = { size: 8, italic: true, color: { argb: 'FF555555' } };
    en.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    en.eachCell((c) => {
      c.fill = GREY;
      c.border = THIN;
    });
    en.commit();
  }

  /** One data row; `fmts` gives each cell's number format. */
  row(values: readonly Cell[], fmts: readonly (Fmt | undefined)[] = [], style: 'data' | 'total' = 'data'): void {
    const row = this.ws.addRow(values.map(clean));
    values.forEach((_, i) => {
      const c = row.getCell(i + 1);
      const f = fmts[i];
      if (f) c.numFmt = FMT[f];
      c.border = THIN;
      if (style === 'total') c.fill = TOTAL;
    });
    if (style === 'total') row.font = { bold: true };
    row.commit();
  }

  /** A table: headers, a row per item, an optional totals row. */
  table<R>(cols: readonly Column<R>[], items: Iterable<R>, totals?: readonly Cell[] | null): void {
    this.headers(cols);
    const fmts = cols.map((c) => c.fmt);
    for (const it of items) this.row(cols.map((c) => c.value(it)), fmts);
    if (totals) this.row(totals, fmts, 'total');
  }

  /** Label–value pairs, two pairs to a row (label, value, label, value). */
  pairs(items: readonly [string, Cell, Fmt?][], perRow = 2): void {
    for (let i = 0; i < items.length; i += perRow) {
      const chunk = items.slice(i, i + perRow);
      const values: Cell[] = [];
      const fmts: (Fmt | undefined)[] = [];
      for (const [l, v, f] of chunk) {
        values.push(l, v);
        fmts.push(undefined, f);
      }
      const row = this.ws.addRow(values.map(clean));
      values.forEach((_, j) => {
        const c = row.getCell(j + 1);
        const f = fmts[j];
        if (f) c.numFmt = FMT[f];
        c.border = THIN;
        if (j % 2 === 0) {
          c.fill = GREY;
          c.font = { bold: true };
        } else c.alignment = { horizontal: 'left', wrapText: true };
      });
      row.commit();
    }
  }

  done(): void {
    this.ws.commit();
  }
}

/** "x of y" in one Excel cell: the fraction when y > 0, else null (0.00% format). */
export function ratio(x: number, y: number | null | undefined): number | null {
  return y ? x / y : null;
}
