// `jingzhun measure fgt|gini|mpi`: poverty and inequality measures on any CSV table (a survey, an
// export, a spreadsheet someone sent). No database and no login: the options are checked, the file
// is read (cli/measure-input.ts), the domain maths runs (cli/measure-report.ts → domain/measures),
// and the result is printed as tables or, with --json, as the report itself. Not to be confused
// with `jingzhun measures` (commands/measures.ts), the assistance-measures ledger.
import type { Command } from 'commander';
import type { Msg } from '../../domain/errors.js';
import { readMeasureTable } from '../measure-input.js';
import {
  fgtReport, fgtSpec, giniReport, giniSpec, mpiReport, mpiSpec,
  type FgtOptions, type FgtReport, type GiniOptions, type GiniReport, type MpiOptions, type MpiReport, type Note,
} from '../measure-report.js';
import { print, table } from '../output.js';
import { run } from '../shared.js';

const rate = (x: number | null) => (x === null ? '—' : x.toFixed(4));
const money = (x: number) => x.toFixed(2);
const count = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));
const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(2)}%`);
const orNone = (s: string | null) => s ?? '—';

function fileLine(r: { file: string; encoding: string; rows: number }): string {
  return `文件 file: ${r.file}（${r.encoding}，${r.rows} 行数据 data rows）`;
}

function notesText(notes: { who: string; note: Msg }[]): string[] {
  if (!notes.length) return [];
  const out = ['', '说明 notes:'];
  for (const { who, note } of notes) out.push(`  - ${who}${note.zh}`, `    ${note.en}`);
  return out;
}

const TOTAL = '合计 total';

export function fgtText(r: FgtReport): string {
  const rows = [...(r.groups ?? []), { group: TOTAL, ...r.total }];
  return [
    'FGT 贫困指数 / FGT poverty measures (P0 贫困发生率 headcount ratio, P1 贫困深度 poverty gap, P2 贫困强度 squared gap)',
    fileLine(r),
    `收入列 income: ${r.income}  贫困线 line z: ${r.line}  权数 weight: ${orNone(r.weight)}  分组 by: ${orNone(r.by)}${r.negativeIncomes === 'asZero' ? '  负收入按 0 计 negative incomes as 0' : ''}`,
    '',
    table(rows.map((x) => ({
      group: x.group, n: x.n, population: count(x.population), poor: count(x.poor), p0: rate(x.p0), p1: rate(x.p1), p2: rate(x.p2),
      watts: rate(x.watts), mean: money(x.mean), median: money(x.median),
    })), [
      { key: 'group', title: r.by ? `分组 ${r.by}` : '' }, { key: 'n', title: '行数 n' }, { key: 'population', title: '人口 population' },
      { key: 'poor', title: '贫困人口 poor' }, { key: 'p0', title: 'P0' }, { key: 'p1', title: 'P1' }, { key: 'p2', title: 'P2' },
      { key: 'watts', title: 'Watts' }, { key: 'mean', title: '均值 mean' }, { key: 'median', title: '中位数 median' },
    ]),
    ...notesText(rows.filter((x) => x.wattsNote).map((x) => ({ who: r.groups ? `${x.group}: ` : '', note: x.wattsNote! }))),
  ].join('\n');
}

export function giniText(r: GiniReport): string {
  const rows = [...(r.groups ?? []), { group: TOTAL, ...r.total }];
  return [
    '基尼系数 / Gini coefficient',
    fileLine(r),
    `收入列 income: ${r.income}  权数 weight: ${orNone(r.weight)}  分组 by: ${orNone(r.by)}`,
    '',
    table(rows.map((x) => ({ group: x.group, n: x.n, population: count(x.population), gini: rate(x.gini), mean: money(x.mean), median: money(x.median) })), [
      { key: 'group', title: r.by ? `分组 ${r.by}` : '' }, { key: 'n', title: '行数 n' }, { key: 'population', title: '人口 population' },
      { key: 'gini', title: '基尼系数 Gini' }, { key: 'mean', title: '均值 mean' }, { key: 'median', title: '中位数 median' },
    ]),
    ...notesText(rows.filter((x) => x.giniNote).map((x) => ({ who: r.groups ? `${x.group}: ` : '', note: x.giniNote! }))),
  ].join('\n');
}

export function mpiText(r: MpiReport): string {
  const t = r.total;
  const out = [
    '多维贫困指数（Alkire–Foster）/ Alkire–Foster multidimensional poverty',
    fileLine(r),
    `${r.default ? `默认维度集 default dimension set（贫困线 line ${r.line}）  ` : ''}k = ${rate(r.k)}（占指标总权重 share of the total weight）  权数 weight: ${orNone(r.weight)}  分组 by: ${orNone(r.by)}`,
    '',
    table([{ n: t.n, population: count(t.population), H: rate(t.H), A: rate(t.A), M0: rate(t.M0), M1: rate(t.M1), M2: rate(t.M2) }], [
      { key: 'n', title: '行数 n' }, { key: 'population', title: '人口 population' }, { key: 'H', title: 'H 发生率 headcount' },
      { key: 'A', title: 'A 强度 intensity' }, { key: 'M0', title: 'M0 (MPI)' }, { key: 'M1', title: 'M1' }, { key: 'M2', title: 'M2' },
    ]),
    '',
    table(r.indicators.map((i) => ({
      name: i.label ? `${i.name} ${i.label.zh}` : i.name, cutoff: i.cutoff, weight: rate(i.weight), cardinal: i.cardinal ? '是 yes' : '',
      uncensored: rate(i.uncensored), censored: rate(i.censored), contribution: rate(i.contribution), share: pct(i.share),
    })), [
      { key: 'name', title: '指标 indicator' }, { key: 'cutoff', title: '临界值 cutoff' }, { key: 'weight', title: '权重 weight' },
      { key: 'cardinal', title: '基数型 cardinal' }, { key: 'uncensored', title: '未删减发生率 uncensored' }, { key: 'censored', title: '删减后发生率 censored' },
      { key: 'contribution', title: '贡献 contribution' }, { key: 'share', title: '贡献率 % of M0' },
    ]),
  ];
  if (r.groups) {
    out.push('', `分组分解 subgroup decomposition by ${r.by}:`, table(r.groups.map((g) => ({
      group: g.group, n: g.n, population: count(g.population), populationShare: pct(g.populationShare), H: rate(g.H), A: rate(g.A), M0: rate(g.M0),
      contribution: rate(g.contribution), share: pct(g.share),
    })), [
      { key: 'group', title: '分组 group' }, { key: 'n', title: '行数 n' }, { key: 'population', title: '人口 population' },
      { key: 'populationShare', title: '人口占比 pop. share' }, { key: 'H', title: 'H' }, { key: 'A', title: 'A' }, { key: 'M0', title: 'M0' },
      { key: 'contribution', title: '贡献 contribution' }, { key: 'share', title: '贡献率 % of M0' },
    ]));
  }
  out.push(...notesText(r.notes.map((note: Note) => ({ who: '', note }))));
  return out.join('\n');
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

function common(cmd: Command): Command {
  return cmd
    .option('--input <file>', 'CSV 文件，需有表头行（UTF-8、带 BOM 的 UTF-8 或 GBK）/ CSV file with a header row (UTF-8, UTF-8 with BOM or GBK)')
    .option('--weight <column>', '权数列（如户人数、抽样权数），默认每行为 1 / weight column (household size, sampling weight); default 1 per row')
    .option('--by <column>', '分组列：每组一行结果，另加合计 / group column: one result per group, plus the total')
    .option('--json', 'JSON output');
}

export function registerPovertyMeasureCommands(program: Command): void {
  const measure = program
    .command('measure')
    .description('贫困测量：对任意 CSV 表计算 FGT 贫困指数、基尼系数、多维贫困指数（不连数据库、无需登录；帮扶措施台账是 `jingzhun measures`）'
      + ' / poverty measures on any CSV table: FGT, Gini, Alkire–Foster MPI (no database, no login; the assistance-measures ledger is `jingzhun measures`)')
    .addHelpText('after', `
公式见 src/domain/measures/（poverty.ts、gini.ts、mpi.ts 文件开头）/ formulas: the top of each file in src/domain/measures/.
行号为文件行号（表头为第 1 行）；空单元格和非数字单元格是错误 / rows are file lines (header = line 1); empty and non-numeric cells are errors.

例 examples:
  jingzhun measure fgt  --input 住户.csv --income 人均纯收入 --line 2300 --weight 人数 --by 乡镇
  jingzhun measure gini --input 住户.csv --income 人均纯收入 --weight 人数
  jingzhun measure mpi  --input af.csv --indicator income:500:cardinal --indicator schooling:12:cardinal --k 1/2
  jingzhun measure mpi  --input 年度.csv --default --line 4000 --weight household_size`);

  common(measure.command('fgt'))
    .description('FGT 贫困指数 P0（贫困发生率）、P1（贫困深度）、P2（贫困强度）、Watts、收入均值与中位数；贫困为收入 < 贫困线'
      + ' / FGT P0 (headcount ratio), P1 (poverty gap), P2 (squared gap), Watts, mean and median income; poor means income < line')
    .option('--income <column>', '收入列 / income column')
    .option('--line <z>', '贫困线 z > 0，与收入同一单位 / poverty line z > 0, in the unit of the incomes')
    .option('--negative-as-zero', '负收入按 0 计（缺口为 1），默认拒绝 / count a negative income as 0 (gap 1); refused by default')
    .action(run(async (o: FgtOptions & { json?: boolean }) => {
      const spec = fgtSpec(o);
      const r = fgtReport(readMeasureTable(spec.input), spec);
      print(o, r, () => fgtText(r));
    }));

  common(measure.command('gini'))
    .description('基尼系数（收入 ≥ 0）、收入均值与中位数 / Gini coefficient (incomes ≥ 0), mean and median income')
    .option('--income <column>', '收入列 / income column')
    .action(run(async (o: GiniOptions & { json?: boolean }) => {
      const spec = giniSpec(o);
      const r = giniReport(readMeasureTable(spec.input), spec);
      print(o, r, () => giniText(r));
    }));

  common(measure.command('mpi'))
    .description('多维贫困指数（Alkire–Foster）：H、A、M0、M1、M2，各指标发生率与贡献，--by 分组分解；值 < 临界值为剥夺'
      + ' / Alkire–Foster MPI: H, A, M0, M1, M2, per-indicator headcounts and contributions, subgroup decomposition with --by; deprived when value < cut-off')
    .option('--indicator <COLUMN:CUTOFF[:WEIGHT][:cardinal]>', '指标（可重复）；权重要么全给（合计为 1，可写 1/3）要么都不给（等权）；cardinal 表示数量型（M1、M2 需要全部为数量型）'
      + ' / an indicator (repeatable); weights for all (summing to 1, 1/3 allowed) or none (equal); cardinal marks a quantity (M1, M2 need all cardinal)', collect)
    .option('--k <k>', '贫困临界值，占指标总权重的份额，0 < k ≤ 1（如 1/3）/ poverty cut-off as a share of the total indicator weight, 0 < k ≤ 1 (e.g. 1/3)')
    .option('--cardinal', '所有指标都是数量型 / every indicator is cardinal')
    .option('--default', '用建档立卡默认维度集（列 food_secure、clothing_secure、education_secure、medical_secure、housing_secure、water_secure、per_capita_income；k 默认 1/3）'
      + ' / the register\'s default dimension set (those columns; k defaults to 1/3)')
    .option('--line <z>', '与 --default 一起：收入维度的贫困线 / with --default: the poverty line for income')
    .action(run(async (o: MpiOptions & { json?: boolean }) => {
      const spec = mpiSpec(o);
      const r = mpiReport(readMeasureTable(spec.input), spec);
      print(o, r, () => mpiText(r));
    }));
}
