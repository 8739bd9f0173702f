// The measures ledger of an area as an Excel workbook (the ledger page's filters), written with
// exceljs's streaming writer a page of rows at a time, like the register export.
import { require, type Ctx } from './context.js';
import { neutralise, xlsxBuffer } from './imports/export.js';
import { ledgerWhere, measureView, MEASURE_SELECT, type LedgerFilters, type MeasureView } from './measures.js';

const COLUMNS: { header: string; width: number; value: (m: MeasureView) => string | number | null }[] = [
  { header: '嘎查村 Village', width: 16, value: (m) => m.villageName ?? m.villageCode },
  { header: '户编号 Household no.', width: 18, value: (m) => m.householdNo },
  { header: '户主 Head', width: 10, value: (m) => m.headName },
  { header: '成员 Member', width: 10, value: (m) => m.memberName },
  { header: '年度 Year', width: 8, value: (m) => m.year },
  { header: '帮扶渠道 Channel', width: 14, value: (m) => m.channelLabel.zh },
  { header: '措施类型 Type', width: 26, value: (m) => m.typeName.zh },
  { header: '发放日期 Date given', width: 12, value: (m) => m.givenOn },
  { header: '数量 Quantity', width: 10, value: (m) => m.quantity },
  { header: '单位 Unit', width: 8, value: (m) => m.unit.zh },
  { header: '金额（元）Amount (yuan)', width: 14, value: (m) => m.amount },
  { header: '收入构成 Income component', width: 18, value: (m) => m.incomeComponentLabel.zh },
  { header: '项目 Project', width: 24, value: (m) => m.projectName },
  { header: '资金来源 Fund source', width: 22, value: (m) => m.fundSourceLabel?.zh ?? null },
  { header: '备注 Note', width: 30, value: (m) => m.note },
  { header: '录入人 Recorded by', width: 14, value: (m) => m.recordedBy },
];

/** The filtered ledger as .xlsx: one row per measure, the total amount on the last row. */
export async function exportMeasures(ctx: Ctx, f: Omit<LedgerFilters, 'page' | 'pageSize'>): Promise<Buffer> {
  require(ctx, 'register.export');
  const { where, params } = ledgerWhere(ctx, f);
  return xlsxBuffer(async (wb) => {
    const ws = wb.addWorksheet('帮扶措施台账', { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = COLUMNS.map((c) => ({ width: c.width, ...(c.header.startsWith('户编号') ? { style: { numFmt: '@' } } : {}) }));
    const header = ws.addRow(COLUMNS.map((c) => c.header));
    header.font = { bold: true };
    header.commit();
    let total = 0;
    let afterId = 0;
    // Keyset pages by id: the ledger of a whole city fits in memory a page at a time.
    for (;;) {
      const n = params.length;
      const rows = await ctx.db.query<Parameters<typeof measureView>[0]>(
        `${MEASURE_SELECT} WHERE ${where} AND m.id > $${n + 1} ORDER BY m.id LIMIT 2000`,
        [...params, afterId],
      );
      for (const r of rows) {
        const m = measureView(r);
        total = Math.round((total + m.amount) * 100) / 100;
        ws.addRow(COLUMNS.map((c) => {
          const v = c.value(m);
          return typeof v === 'string' ? neutralise(v) : v;
        })).commit();
      }
      if (rows.length < 2000) break;
      afterId = rows[rows.length - 1]!.id;
    }
    const sum = ws.addRow(COLUMNS.map((c) => (c.header.startsWith('金额') ? total : c.header.startsWith('嘎查村') ? '合计 Total' : null)));
    sum.font = { bold: true };
    sum.commit();
    ws.commit();
  });
}
