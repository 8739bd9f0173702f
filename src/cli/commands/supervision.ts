// `jingzhun scorecard --level township|county|cadre --area CODE --from DAY --to DAY [--out FILE.xlsx]`:
// the ranked scorecard table (services/supervision/), and with --out the workbook of the area's
// townships, cadres and the indicator explanations. Thin: parse, call the service, present.
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ValidationError } from '../../domain/errors.js';
import { scorecardBook, scorecards, scorecardsWorkbook, type ScorecardTable } from '../../services/supervision/index.js';
import { print, table } from '../output.js';
import { run, withDb } from '../shared.js';

const OPTION: Record<string, string> = { level: '--level', area: '--area', from: '--from', to: '--to' };

/** Bad input names the command-line option beside the field. */
async function named<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    throw new ValidationError(e.issues.map((i) => (OPTION[i.field] ? { ...i, field: `${OPTION[i.field]} (${i.field})` } : i)), e.msg);
  }
}

const score = (v: number | null) => (v === null ? '—' : v.toFixed(2));

function human(t: ScorecardTable): string {
  const head = `${t.area.name}（${t.area.code}）${t.from} – ${t.to}${t.asOf !== t.to ? `（计至 as of ${t.asOf}）` : ''}${t.basis === 'given' ? '' : '（默认期间 default period）'}`;
  const weights = t.indicators.map((i) => `${i.label.zh} ${i.weight}`).join('，');
  const rows = t.rows.map((r) => ({
    rank: r.rank ?? '—',
    id: r.code ?? r.cadreId,
    name: r.name,
    parent: r.parentName,
    composite: score(r.composite),
    visits: score(r.indicators.visits.score),
    completeness: score(r.indicators.completeness.score),
    dataQuality: score(r.indicators.dataQuality.score),
    overdue: score(r.indicators.overdueCases.score),
    alerts: score(r.indicators.alertsInTime.score),
    discrepancies: score(r.indicators.discrepancies.score),
    weight: r.weightCovered,
  }));
  const first = t.level === 'cadre' ? [{ key: 'id', title: '干部 ID' }, { key: 'name', title: '帮扶责任人' }, { key: 'parent', title: '帮扶单位' }]
    : [{ key: 'id', title: '代码' }, { key: 'name', title: t.level === 'township' ? '苏木乡镇' : '旗县' }, { key: 'parent', title: '上级' }];
  return [
    head,
    table(rows, [
      { key: 'rank', title: '排名' }, ...first, { key: 'composite', title: '综合得分' }, { key: 'visits', title: '走访' }, { key: 'completeness', title: '完整' },
      { key: 'dataQuality', title: '数据质量' }, { key: 'overdue', title: '逾期' }, { key: 'alerts', title: '预警处置' }, { key: 'discrepancies', title: '评估差异' },
      { key: 'weight', title: '计入权重' },
    ]),
    `权重 weights：${weights}；— 表示无可计算数据，不计入综合得分 / — nothing to measure, left out of the composite`,
  ].join('\n');
}

export function registerSupervisionCommands(program: Command): void {
  program
    .command('scorecard')
    .description('考核评分：苏木乡镇、旗县或帮扶责任人的走访、数据完整、数据质量、逾期、预警处置、评估差异，综合得分与排名 / scorecards of townships, counties or responsible cadres')
    .option('--level <level>', 'township（苏木乡镇，默认）| county（旗县）| cadre（帮扶责任人）/ township (default) | county | cadre', 'township')
    .option('--area <code>', '区划代码 / area code')
    .option('--from <day>', '开始日期 YYYY-MM-DD（默认本年 1 月 1 日，或最近一次走访所在年）/ start (default 1 January of this year, or of the latest visit)')
    .option('--to <day>', '结束日期 YYYY-MM-DD / end')
    .option('--out <file>', '同时写出工作簿 .xlsx（苏木乡镇、帮扶责任人、指标说明）/ also write the workbook (townships, cadres, indicators)')
    .option('--json', 'JSON output')
    .action(run(async (o: { level: string; area?: string; from?: string; to?: string; out?: string; json?: boolean }) => {
      if (o.out !== undefined && !o.out.toLowerCase().endsWith('.xlsx')) {
        throw new ValidationError([{ field: '--out', value: o.out, zh: `考核评分工作簿为 Excel 文件，--out 应以 .xlsx 结尾，收到 ${o.out}`, en: `The scorecards workbook is an Excel file; --out must end in .xlsx, got ${o.out}` }]);
      }
      await withDb(async (_d, ctx) => {
        const input = { area: o.area, from: o.from, to: o.to };
        const t = await named(scorecards(ctx, { ...input, level: o.level }));
        print(o, t, () => human(t));
        if (o.out) {
          const book = await named(scorecardBook(ctx, { ...input, area: t.area.code, from: t.from, to: t.to }));
          writeFileSync(o.out, await scorecardsWorkbook(book));
          if (!o.json) process.stdout.write(`${o.out}\n`);
        }
      });
    }));
}
