// `jingzhun rollup` and `jingzhun indicators`: the rollup tables and what they give (services/indicators/).
import type { Command } from 'commander';
import { ValidationError, type FieldIssue } from '../../domain/errors.js';
import { analyseArea, type Analysis } from '../../services/indicators/analysis.js';
import { getIndicators, type AreaFigures, type Indicators } from '../../services/indicators/indicators.js';
import { refreshAll } from '../../services/indicators/rollup.js';
import { print, table } from '../output.js';
import { run, withDb } from '../shared.js';

const int = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n.toLocaleString('en-US'));
const pct = (p: number | null | undefined) => (p === null || p === undefined ? '—' : `${(p * 100).toFixed(2)}%`);
const dec = (p: number | null | undefined, d = 4) => (p === null || p === undefined ? '—' : p.toFixed(d));
const yuan = (p: number | null | undefined) => (p === null || p === undefined ? '—' : p.toFixed(2));

function year(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n)) {
    throw new ValidationError([{ field: '--year', value: v, zh: `--year 应为整数年度（如 2020），收到 ${v}`, en: `--year must be a whole year such as 2020; got ${v}` }]);
  }
  return n;
}

async function named<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    throw new ValidationError(e.issues.map((i): FieldIssue => ({ ...i, field: `--${i.field} (${i.field})` })), e.msg);
  }
}

function row(f: AreaFigures) {
  return {
    code: f.code, name: f.name, year: f.year, households: int(f.households), people: int(f.people), poor: int(f.poorPeople),
    rural: int(f.ruralPeople), incidence: pct(f.incidence), line: yuan(f.line), p0: dec(f.fgt?.p0), p1: dec(f.fgt?.p1), p2: dec(f.fgt?.p2),
    watts: dec(f.fgt?.watts), mean: yuan(f.meanIncome), H: dec(f.mpi?.H), A: dec(f.mpi?.A), M0: dec(f.mpi?.M0),
  };
}

const COLUMNS = [
  { key: 'code', title: '代码 code' }, { key: 'name', title: '名称 name' }, { key: 'year', title: '年度 year' },
  { key: 'households', title: '户 hh' }, { key: 'people', title: '人 people' }, { key: 'poor', title: '贫困人口 poor' },
  { key: 'rural', title: '农村人口 rural' }, { key: 'incidence', title: '发生率 incidence' }, { key: 'line', title: '贫困线 line' },
  { key: 'p0', title: 'P0' }, { key: 'p1', title: 'P1' }, { key: 'p2', title: 'P2' }, { key: 'watts', title: 'Watts' },
  { key: 'mean', title: '人均收入 mean' }, { key: 'H', title: 'MPI H' }, { key: 'A', title: 'A' }, { key: 'M0', title: 'M0' },
];

function indicatorsText(r: Indicators, trend: boolean): string {
  const out = [`${r.area.name} (${r.area.code}) ${r.year ?? '—'}`];
  if (!r.figures) out.push('（该区划该年度没有年度记录 / no yearly records for this area and year）');
  else {
    out.push(table([row(r.figures)], COLUMNS));
    const m = r.figures.mpi;
    if (m) {
      out.push('', `多维贫困（默认维度，k = ${dec(m.k, 3)}）/ MPI, default dimensions: H ${dec(m.H)}, A ${dec(m.A)}, M0 ${dec(m.M0)}; 未纳入 left out ${int(m.excludedHouseholds)} 户 households (incomplete records)`);
      out.push(table(m.indicators.map((i) => ({ ind: `${i.label.zh} ${i.label.en}`, w: dec(i.weight), u: pct(i.uncensored), c: pct(i.censored), share: pct(i.share) })), [
        { key: 'ind', title: '指标 indicator' }, { key: 'w', title: '权重 weight' }, { key: 'u', title: '未删减 uncensored' }, { key: 'c', title: '删减后 censored' }, { key: 'share', title: '贡献 contribution' },
      ]));
    }
  }
  if (r.children.length) out.push('', '下级区划 child areas:', table(r.children.map(row), COLUMNS));
  if (trend && r.trend.length) out.push('', '历年 trend:', table(r.trend.map(row), COLUMNS));
  return out.join('\n');
}

function analysisText(a: Analysis): string {
  const out = [
    `${a.area.name} (${a.area.code}) ${a.year}: 贫困线 line ${a.line?.value ?? '—'}`,
    `户 households ${int(a.households)}, 人 people ${int(a.people)}; P0 ${dec(a.fgt?.p0)}, P1 ${dec(a.fgt?.p1)}, P2 ${dec(a.fgt?.p2)}, Watts ${dec(a.watts)}`,
    `基尼系数 Gini ${dec(a.gini)}; 人均纯收入均值 mean ${yuan(a.mean)}, 中位数 median ${yuan(a.median)}`,
    `多维贫困 MPI: H ${dec(a.mpi?.H)}, A ${dec(a.mpi?.A)}, M0 ${dec(a.mpi?.M0)}`,
    ...a.missing.flatMap((m) => [`缺少 missing: ${m.zh}`, `  ${m.en}`]),
  ];
  if (a.groups) {
    out.push('', table(a.groups.map((g) => ({
      group: `${g.label.zh}${g.label.en !== g.label.zh ? ` ${g.label.en}` : ''}`, hh: int(g.households), people: int(g.people), p0: dec(g.fgt?.p0), gini: dec(g.gini),
      mean: yuan(g.mean), M0: dec(g.mpi?.M0), share: pct(g.mpiShare),
    })), [
      { key: 'group', title: '分组 group' }, { key: 'hh', title: '户 hh' }, { key: 'people', title: '人 people' }, { key: 'p0', title: 'P0' },
      { key: 'gini', title: 'Gini' }, { key: 'mean', title: '均值 mean' }, { key: 'M0', title: 'M0' }, { key: 'share', title: 'M0 贡献 share' },
    ]));
  }
  return out.join('\n');
}

export function registerIndicatorCommands(program: Command): void {
  program
    .command('rollup')
    .description('重算全部汇总表（区划×年度）/ recompute every rollup row (area × year) from the register')
    .option('--json', 'JSON output')
    .action(run(async (o: { json?: boolean }) => {
      await withDb(async (db) => {
        const s = await refreshAll(db);
        print(o, s, () => `已重算 ${int(s.villages)} 个村、共 ${int(s.rows)} 行汇总，用时 ${(s.ms / 1000).toFixed(1)} 秒 / recomputed ${int(s.villages)} villages, ${int(s.rows)} rollup rows in ${(s.ms / 1000).toFixed(1)} s`);
      });
    }));

  program
    .command('indicators')
    .description('区划年度指标：发生率、FGT、收入、多维贫困，下级对比与历年趋势（来自汇总表）/ indicators of an area and year from the rollups')
    .option('--area <code>', '区划代码 / area code (default: Tongliao)')
    .option('--year <year>', '年度 / year (default: the latest with records)')
    .option('--trend', '列出历年 / list every year')
    .option('--analysis', '按需分析：基尼系数、中位数（读农户记录）/ on-demand analysis with Gini and median')
    .option('--by <grouping>', '分组 child|ethnicity|sex|cause (with --analysis)')
    .option('--json', 'JSON output')
    .action(run(async (o: { area?: string; year?: string; trend?: boolean; analysis?: boolean; by?: string; json?: boolean }) => {
      await withDb(async (_db, ctx) => {
        if (o.analysis || o.by) {
          const y = year(o.year);
          if (y === undefined) throw new ValidationError([{ field: '--year', zh: '分析需要 --year', en: '--analysis needs --year' }]);
          const a = await named(analyseArea(ctx, { area: o.area, year: y, by: o.by as Analysis['by'] & string }));
          print(o, a, () => analysisText(a));
          return;
        }
        const r = await named(getIndicators(ctx, { area: o.area, year: year(o.year) }));
        print(o, r, () => indicatorsText(r, !!o.trend));
      });
    }));
}
