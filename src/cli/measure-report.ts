// `jingzhun measure fgt|gini|mpi`: options → a checked spec (before the file is read, so a bad
// option is named first), then table + spec → a report with stable keys (the --json output). The
// maths is src/domain/measures (formulas at the top of each file); this file only feeds it rows
// and words what it cannot compute. No database.
//
// Choices (README, "On any table: `jingzhun measure`"):
// - Rows of weight 0 take no part (as in the domain), so their incomes are not checked for sign;
//   `n` still counts every data row (of the group).
// - FGT refuses a negative income (naming its line) unless --negative-as-zero (gap 1). Watts needs
//   every income > 0: when one is ≤ 0, Watts is null with a note naming the first such line and
//   the count, and P0–P2, mean and median are still given.
// - Gini refuses a negative income; when every income is 0 it is null with a note (0/0).
// - MPI: deprived when value < cut-off; equal weights unless every --indicator gives one, and then
//   they must sum to 1 (± WEIGHT_SUM_TOLERANCE); an indicator is cardinal only when its spec ends
//   in `:cardinal` (or with --cardinal, all are); M1 and M2 need every indicator cardinal, else
//   null with a note. --default applies the register's set (domain/measures/dimensions.ts).
// - With --by, one result per group in order of first appearance; a group whose rows all have
//   weight 0 is left out (as the domain's MPI decomposition does).
import { ValidationError, type FieldIssue, type Msg } from '../domain/errors.js';
import {
  DEFAULT_DIMENSIONS, DEFAULT_MPI_K, WEIGHT_SUM_TOLERANCE, defaultMpiIndicators, defaultMpiRow, fgt, gini, meanIncome, medianIncome, mpi, watts,
  type HouseholdYearAchievements, type MpiIndicator,
} from '../domain/measures/index.js';
import {
  Problems, boolCell, cellOf, findColumns, groupCells, kOption, lineOption, numberCell, parseIndicatorSpec, required, weightCells,
  type ColumnRef, type IndicatorSpec, type MeasureTable, type TableRow,
} from './measure-input.js';

const quote = (s: string) => JSON.stringify(s);

/** A note beside a figure that could not be computed, naming the first line concerned. */
export interface Note extends Msg {
  line: number | null;
}

interface Common {
  input?: string;
  weight?: string;
  by?: string;
}

interface CommonSpec {
  input: string;
  weight: string | null;
  by: string | null;
}

function commonSpec(p: Problems, o: Common): CommonSpec {
  const input = required(p, '--input', o.input, '请给出 CSV 文件（含表头行）', 'give the CSV file (with a header row)') ?? '';
  return { input, weight: o.weight?.trim() || null, by: o.by?.trim() || null };
}

const incomeSpec = (p: Problems, v: string | undefined) =>
  required(p, '--income', v, '请给出收入列的列名（如人均纯收入）', 'give the name of the income column (e.g. per-capita income)')?.trim() ?? '';

/** Weight and group columns, read strictly; the other columns are the caller's. */
function weightsAndGroups(p: Problems, rows: readonly TableRow[], s: CommonSpec, cols: ColumnRef[]) {
  const wc = s.weight ? cols.find((c) => c.option === '--weight') : undefined;
  const bc = s.by ? cols.find((c) => c.option === '--by') : undefined;
  return { weights: wc ? weightCells(p, rows, wc) : undefined, groups: bc ? groupCells(p, rows, bc) : undefined };
}

function commonRefs(s: CommonSpec) {
  return [...(s.weight ? [{ option: '--weight', name: s.weight }] : []), ...(s.by ? [{ option: '--by', name: s.by }] : [])];
}

/** Row indices per group, in order of first appearance; `null` groups → one "total" only. */
function partition(groups: readonly string[]): Map<string, number[]> {
  const m = new Map<string, number[]>();
  groups.forEach((g, i) => {
    const list = m.get(g);
    if (list) list.push(i);
    else m.set(g, [i]);
  });
  return m;
}

const positive = (idx: readonly number[], weights: readonly number[] | undefined) => (weights ? idx.filter((i) => weights[i]! > 0) : [...idx]);

const pick = <T>(xs: readonly T[], idx: readonly number[]) => idx.map((i) => xs[i]!);

function header(table: MeasureTable) {
  return { file: table.file, encoding: table.encoding, rows: table.rows.length };
}

// ---------------------------------------------------------------- FGT

export interface FgtOptions extends Common {
  income?: string;
  line?: string;
  negativeAsZero?: boolean;
}

export interface FgtSpec extends CommonSpec {
  income: string;
  line: number;
  negativeIncomes: 'refuse' | 'asZero';
}

export interface FgtFigures {
  n: number;
  population: number;
  poor: number;
  p0: number;
  p1: number;
  p2: number;
  watts: number | null;
  wattsNote: Note | null;
  mean: number;
  median: number;
}

export interface FgtReport {
  measure: 'fgt';
  file: string;
  encoding: string;
  rows: number;
  income: string;
  line: number;
  weight: string | null;
  by: string | null;
  negativeIncomes: 'refuse' | 'asZero';
  total: FgtFigures;
  groups: (FgtFigures & { group: string })[] | null;
}

export function fgtSpec(o: FgtOptions): FgtSpec {
  const p = new Problems();
  const c = commonSpec(p, o);
  const income = incomeSpec(p, o.income);
  const line = lineOption(p, o.line);
  p.throwIfAny();
  return { ...c, income, line: line!, negativeIncomes: o.negativeAsZero ? 'asZero' : 'refuse' };
}

export function fgtReport(table: MeasureTable, s: FgtSpec): FgtReport {
  const cols = findColumns(table, [{ option: '--income', name: s.income }, ...commonRefs(s)]);
  const ic = cols[0]!;
  const p = new Problems(table);
  const { rows } = table;
  const incomes = rows.map((r) => numberCell(p, r, ic));
  const { weights, groups } = weightsAndGroups(p, rows, s, cols);
  if (s.negativeIncomes === 'refuse') {
    for (const i of positive(rows.map((_, i) => i), weights)) {
      if (incomes[i]! < 0) {
        p.cell(rows[i]!, ic.name, '收入为负数；FGT 指数要求收入 ≥ 0（如需按 0 计、缺口为 1，请加 --negative-as-zero）',
          'the income is negative; the FGT measures need incomes ≥ 0 (add --negative-as-zero to count it as 0, gap 1)', cellOf(rows[i]!, ic));
      }
    }
  }
  p.throwIfAny();
  const of = (idx: readonly number[]): FgtFigures | null => {
    const pos = positive(idx, weights);
    if (pos.length === 0) return null;
    const input = { incomes: pick(incomes, pos), weights: weights ? pick(weights, pos) : undefined, line: s.line };
    const f = fgt({ ...input, negativeIncomes: s.negativeIncomes });
    const nonPositive = pos.filter((i) => incomes[i]! <= 0);
    const first = nonPositive[0];
    let wattsNote: Note | null = null;
    if (first !== undefined) {
      const line = rows[first]!.line;
      const y = cellOf(rows[first]!, ic);
      const more = nonPositive.length > 1;
      wattsNote = {
        line,
        zh: `Watts 指数未计算（null）：第 ${line} 行「${ic.name}」列收入为 ${y}，y ≤ 0 时 ln(z/y) 无定义${more ? `（共 ${nonPositive.length} 行收入 ≤ 0）` : ''}；P0–P2、均值和中位数照常计算。如需 Watts，请剔除或修正${more ? '这些' : '该'}行`,
        en: `Watts index not computed (null): line ${line}, column "${ic.name}" has income ${y}, and ln(z/y) is undefined for y ≤ 0${more ? ` (${nonPositive.length} rows have income ≤ 0)` : ''}; P0–P2, mean and median are computed as usual. Drop or correct ${more ? 'those rows' : 'that row'} to get Watts`,
      };
    }
    return {
      n: idx.length, population: f.population, poor: f.poor, p0: f.p0, p1: f.p1, p2: f.p2,
      watts: first === undefined ? watts(input) : null, wattsNote,
      mean: meanIncome(input), median: medianIncome(input),
    };
  };
  const all = rows.map((_, i) => i);
  return {
    measure: 'fgt', ...header(table), income: ic.name, line: s.line, weight: s.weight, by: s.by, negativeIncomes: s.negativeIncomes,
    total: of(all)!,
    groups: groups ? [...partition(groups)].flatMap(([group, idx]) => {
      const f = of(idx);
      return f ? [{ group, ...f }] : [];
    }) : null,
  };
}

// ---------------------------------------------------------------- Gini

export interface GiniOptions extends Common {
  income?: string;
}

export interface GiniSpec extends CommonSpec {
  income: string;
}

export interface GiniFigures {
  n: number;
  population: number;
  gini: number | null;
  giniNote: Note | null;
  mean: number;
  median: number;
}

export interface GiniReport {
  measure: 'gini';
  file: string;
  encoding: string;
  rows: number;
  income: string;
  weight: string | null;
  by: string | null;
  total: GiniFigures;
  groups: (GiniFigures & { group: string })[] | null;
}

export function giniSpec(o: GiniOptions): GiniSpec {
  const p = new Problems();
  const c = commonSpec(p, o);
  const income = incomeSpec(p, o.income);
  p.throwIfAny();
  return { ...c, income };
}

export function giniReport(table: MeasureTable, s: GiniSpec): GiniReport {
  const cols = findColumns(table, [{ option: '--income', name: s.income }, ...commonRefs(s)]);
  const ic = cols[0]!;
  const p = new Problems(table);
  const { rows } = table;
  const incomes = rows.map((r) => numberCell(p, r, ic));
  const { weights, groups } = weightsAndGroups(p, rows, s, cols);
  for (const i of positive(rows.map((_, i) => i), weights)) {
    if (incomes[i]! < 0) p.cell(rows[i]!, ic.name, '收入为负数；基尼系数要求收入 ≥ 0', 'the income is negative; the Gini coefficient needs incomes ≥ 0', cellOf(rows[i]!, ic));
  }
  p.throwIfAny();
  const of = (idx: readonly number[]): GiniFigures | null => {
    const pos = positive(idx, weights);
    if (pos.length === 0) return null;
    const input = { incomes: pick(incomes, pos), weights: weights ? pick(weights, pos) : undefined };
    const zero = input.incomes.every((y) => y === 0);
    return {
      n: idx.length,
      population: input.weights ? input.weights.reduce((a, b) => a + b, 0) : pos.length,
      gini: zero ? null : gini(input),
      giniNote: zero ? {
        line: null,
        zh: `基尼系数未计算（null）：「${ic.name}」列的收入全部为 0，平均收入为 0 时基尼系数无定义（0/0）`,
        en: `Gini not computed (null): every income in column "${ic.name}" is 0, and the Gini coefficient is undefined when the mean is 0 (0/0)`,
      } : null,
      mean: meanIncome(input), median: medianIncome(input),
    };
  };
  return {
    measure: 'gini', ...header(table), income: ic.name, weight: s.weight, by: s.by,
    total: of(rows.map((_, i) => i))!,
    groups: groups ? [...partition(groups)].flatMap(([group, idx]) => {
      const f = of(idx);
      return f ? [{ group, ...f }] : [];
    }) : null,
  };
}

// ---------------------------------------------------------------- MPI

export interface MpiOptions extends Common {
  indicator?: string[];
  k?: string;
  cardinal?: boolean;
  default?: boolean;
  line?: string;
}

export interface MpiSpec extends CommonSpec {
  indicators: (IndicatorSpec & { label: Msg | null })[];
  k: number;
  /** the register's default dimension set (domain/measures/dimensions.ts) */
  useDefault: boolean;
  line: number | null;
}

export interface MpiReport {
  measure: 'mpi';
  file: string;
  encoding: string;
  rows: number;
  default: boolean;
  line: number | null;
  k: number;
  weight: string | null;
  by: string | null;
  total: { n: number; population: number; H: number; A: number; M0: number; M1: number | null; M2: number | null };
  indicators: { name: string; label: Msg | null; cutoff: number; weight: number; cardinal: boolean; uncensored: number; censored: number; contribution: number; share: number | null }[];
  groups: { group: string; n: number; population: number; populationShare: number; H: number; A: number; M0: number; contribution: number; share: number | null }[] | null;
  /** rows left out as incomplete (--default only) */
  leftOut: number;
  notes: Note[];
}

const round12 = (x: number) => Number(x.toPrecision(12));

export function mpiSpec(o: MpiOptions): MpiSpec {
  const p = new Problems();
  const c = commonSpec(p, o);
  const given = o.indicator ?? [];
  if (o.default) {
    if (given.length || o.cardinal) {
      p.option('--default', '--default 使用默认维度集，不能同时给 --indicator 或 --cardinal', '--default applies the default dimension set; do not give --indicator or --cardinal with it');
    }
    const line = lineOption(p, o.line);
    const k = kOption(p, o.k, DEFAULT_MPI_K);
    p.throwIfAny();
    const indicators = defaultMpiIndicators(line!).map((ind, j) => {
      const d = DEFAULT_DIMENSIONS[j]!;
      return { spec: d.column, column: d.column, cutoff: ind.cutoff, weight: ind.weight, cardinal: ind.cardinal === true, label: d.label };
    });
    return { ...c, indicators, k: k!, useDefault: true, line: line! };
  }
  if (o.line !== undefined) p.option('--line', '--line 只用于 --default（收入维度的临界值）；自定义指标的临界值写在 --indicator 列名:临界值 中', '--line goes with --default only (the income cut-off); give custom cut-offs in --indicator COLUMN:CUTOFF');
  if (given.length === 0) {
    p.option('--indicator', '缺少 --indicator：请至少给出一个 --indicator 列名:临界值[:权重][:cardinal]（或用 --default 使用默认维度集）',
      '--indicator is missing: give at least one --indicator COLUMN:CUTOFF[:WEIGHT][:cardinal] (or --default for the default dimension set)');
  }
  const specs = given.map((g) => parseIndicatorSpec(p, g));
  const k = kOption(p, o.k);
  const ok = specs.filter((x): x is IndicatorSpec => x !== undefined);
  if (ok.length === specs.length && ok.length > 0) {
    if (o.cardinal) for (const x of ok) x.cardinal = true;
    const seen = new Set<string>();
    for (const x of ok) {
      if (seen.has(x.column)) p.option('--indicator', `列「${x.column}」在 --indicator 中出现了不止一次`, `The column "${x.column}" is given in more than one --indicator`, quote(x.spec));
      seen.add(x.column);
      if (x.cardinal && x.cutoff <= 0) {
        p.option('--indicator', `--indicator ${quote(x.spec)}：基数型指标的临界值必须大于 0（缺口 (z−x)/z 要除以它），收到 ${x.cutoff}`,
          `--indicator ${quote(x.spec)}: the cut-off of a cardinal indicator must be above 0 (the gap (z−x)/z divides by it); got ${x.cutoff}`, quote(x.spec));
      }
      if (x.weight !== undefined && !(x.weight > 0)) {
        p.option('--indicator', `--indicator ${quote(x.spec)}：权重必须大于 0，收到 ${x.weight}`, `--indicator ${quote(x.spec)}: the weight must be above 0; got ${x.weight}`, quote(x.spec));
      }
    }
    const withWeight = ok.filter((x) => x.weight !== undefined);
    if (withWeight.length > 0 && withWeight.length < ok.length) {
      p.option('--indicator', `只有 ${withWeight.length} 个 --indicator 给了权重，共 ${ok.length} 个：要么全部给出（合计为 1），要么都不给（等权）`,
        `Only ${withWeight.length} of ${ok.length} --indicator specs give a weight: give all (summing to 1) or none (equal weights)`);
    } else if (withWeight.length === ok.length && withWeight.every((x) => x.weight! > 0)) {
      const sum = ok.reduce((a, x) => a + x.weight!, 0);
      if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) {
        p.option('--indicator', `--indicator 的权重合计为 ${round12(sum)}，应为 1（允许误差 ${WEIGHT_SUM_TOLERANCE}）`,
          `The --indicator weights sum to ${round12(sum)}, not 1 (tolerance ${WEIGHT_SUM_TOLERANCE})`, String(round12(sum)));
      }
    }
  }
  p.throwIfAny();
  return { ...c, indicators: ok.map((x) => ({ ...x, label: null })), k: k!, useDefault: false, line: null };
}

/** Domain refusals should not happen after the checks here; if one does, it names the option and line. */
function named(e: unknown, spec: MpiSpec, rows: readonly TableRow[]): unknown {
  if (!(e instanceof ValidationError)) return e;
  const issues = e.issues.map((i): FieldIssue => {
    const [head, idx] = i.field.split('.');
    const j = Number(idx);
    if (head === 'indicators') return { ...i, field: Number.isInteger(j) ? `--indicator ${quote(spec.indicators[j]?.spec ?? '')}` : '--indicator' };
    if (head === 'k') return { ...i, field: '--k' };
    if ((head === 'rows' || head === 'weights' || head === 'groups') && Number.isInteger(j) && rows[j]) return { ...i, row: rows[j]!.line };
    return i;
  });
  return new ValidationError(issues, e.msg);
}

const NOT_CARDINAL: Note = {
  line: null,
  zh: 'M1、M2 为 null：只有所有指标都是基数型（--indicator 列名:临界值[:权重]:cardinal，或 --cardinal）时才有定义',
  en: 'M1 and M2 are null: they are defined only when every indicator is cardinal (--indicator COLUMN:CUTOFF[:WEIGHT]:cardinal, or --cardinal)',
};

export function mpiReport(table: MeasureTable, s: MpiSpec): MpiReport {
  const cols = findColumns(table, [...s.indicators.map((x) => ({ option: s.useDefault ? '--default' : `--indicator ${quote(x.spec)}`, name: x.column })), ...commonRefs(s)]);
  const icols = cols.slice(0, s.indicators.length);
  const p = new Problems(table);
  let rows: readonly TableRow[] = table.rows;
  let values: number[][];
  let firstLeftOut: number | null = null;
  if (s.useDefault) {
    // Rows with an empty cell in any of the seven are left out and counted, as the register's MPI does.
    const kept: TableRow[] = [];
    values = [];
    for (const row of rows) {
      const a: Record<string, boolean | number | null> = {};
      DEFAULT_DIMENSIONS.forEach((d, j) => {
        const c = icols[j]!;
        if (d.key === 'income') a[d.key] = cellOf(row, c) === '' ? null : numberCell(p, row, c);
        else a[d.key] = boolCell(p, row, c);
      });
      const v = defaultMpiRow(a as unknown as HouseholdYearAchievements);
      if (v) {
        kept.push(row);
        values.push(v);
      } else firstLeftOut ??= row.line;
    }
    p.throwIfAny();
    if (kept.length === 0) {
      p.file(`${table.file} 没有完整的行：每行的 ${DEFAULT_DIMENSIONS.map((d) => d.column).join('、')} 都有空值`,
        `${table.file} has no complete row: every row leaves one of ${DEFAULT_DIMENSIONS.map((d) => d.column).join(', ')} empty`);
    }
    rows = kept;
  } else {
    values = rows.map((row) => icols.map((c, j) => {
      const x = numberCell(p, row, c);
      if (s.indicators[j]!.cardinal && x < 0) {
        p.cell(row, c.name, '基数型指标的值为负数（缺口 (z−x)/z 要求 x ≥ 0）', 'a cardinal indicator is negative (the gap (z−x)/z needs x ≥ 0)', cellOf(row, c));
      }
      return x;
    }));
  }
  const { weights, groups } = weightsAndGroups(p, rows, s, cols);
  p.throwIfAny();
  const indicators: MpiIndicator[] = s.indicators.map((x) => ({ name: x.column, cutoff: x.cutoff, cardinal: x.cardinal, ...(x.weight !== undefined ? { weight: x.weight } : {}) }));
  let r;
  try {
    r = mpi({ indicators, rows: values, k: s.k, weights, groups });
  } catch (e) {
    throw named(e, s, rows);
  }
  const notes: Note[] = [];
  if (r.M1 === null) notes.push(NOT_CARDINAL);
  const leftOut = table.rows.length - rows.length;
  if (leftOut > 0) {
    notes.push({
      line: firstLeftOut,
      zh: `${leftOut} 行因 ${DEFAULT_DIMENSIONS.map((d) => d.column).join('、')} 中有空值而未参与计算（第一行为第 ${firstLeftOut} 行）；多维贫困指数需要完整的行`,
      en: `${leftOut} rows were left out because one of ${DEFAULT_DIMENSIONS.map((d) => d.column).join(', ')} is empty (the first is line ${firstLeftOut}); the MPI needs complete rows`,
    });
  }
  return {
    measure: 'mpi', ...header(table), default: s.useDefault, line: s.line, k: s.k, weight: s.weight, by: s.by,
    total: { n: r.n, population: r.population, H: r.H, A: r.A, M0: r.M0, M1: r.M1, M2: r.M2 },
    indicators: r.indicators.map((ind, j) => ({
      name: ind.name, label: s.indicators[j]!.label, cutoff: ind.cutoff, weight: ind.weight, cardinal: s.indicators[j]!.cardinal,
      uncensored: ind.uncensored, censored: ind.censored, contribution: ind.contribution, share: ind.share,
    })),
    groups: r.groups,
    leftOut,
    notes,
  };
}
