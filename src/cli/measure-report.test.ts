// `jingzhun measure` reports on small tables whose figures are worked by hand (arithmetic in the
// comments) or published, and every refusal of a bad option or cell with the words a person needs.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../domain/errors.js';
import { parseMeasureTable } from './measure-input.js';
import { fgtReport, fgtSpec, giniReport, giniSpec, mpiReport, mpiSpec, type FgtOptions, type GiniOptions, type MpiOptions } from './measure-report.js';

const table = (text: string) => parseMeasureTable(Buffer.from(text, 'utf8'), 't.csv');
const fgtOf = (text: string, o: FgtOptions) => fgtReport(table(text), fgtSpec({ input: 't.csv', ...o }));
const giniOf = (text: string, o: GiniOptions) => giniReport(table(text), giniSpec({ input: 't.csv', ...o }));
const mpiOf = (text: string, o: MpiOptions) => mpiReport(table(text), mpiSpec({ input: 't.csv', ...o }));

function refusal(f: () => unknown): ValidationError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

// Incomes 1..8, line z = 5, the hand example of src/domain/measures/poverty.test.ts with the
// FGT definitions of Haughton & Khandker, Handbook on Poverty and Inequality (World Bank 2009),
// ch. 4: poor (strict y < z) are 1, 2, 3, 4. Rows 1–2 are town X, 3–8 town Y.
const ONE_TO_EIGHT = 'name,income,town\n' + [1, 2, 3, 4, 5, 6, 7, 8].map((y, i) => `p${i + 1},${y},${i < 2 ? 'X' : 'Y'}`).join('\n') + '\n';

describe('fgt', () => {
  it('gives P0 = 1/2, P1 = 1/4, P2 = 0.15, Watts = ln(625/24)/8 on incomes 1..8 with z = 5', () => {
    const r = fgtOf(ONE_TO_EIGHT, { income: 'income', line: '5' });
    const t = r.total;
    expect([t.n, t.population, t.poor, t.p0]).toEqual([8, 8, 4, 0.5]);
    expect(t.p1).toBeCloseTo(0.25, 15); // gaps 4/5 + 3/5 + 2/5 + 1/5 = 2 → 2/8
    expect(t.p2).toBeCloseTo(0.15, 15); // squared gaps (16 + 9 + 4 + 1)/25 = 1.2 → 1.2/8
    expect(t.watts).toBeCloseTo(Math.log(625 / 24) / 8, 14); // ln 5 + ln 5/2 + ln 5/3 + ln 5/4 = ln(5⁴/4!)
    expect([t.mean, t.median, t.wattsNote]).toEqual([4.5, 4.5, null]);
    expect(r.groups).toBeNull();
    expect(r).toMatchObject({ measure: 'fgt', file: 't.csv', encoding: 'utf-8', rows: 8, income: 'income', line: 5, weight: null, by: null, negativeIncomes: 'refuse' });
  });

  it('gives one result per group (in order of first appearance) beside the total', () => {
    const r = fgtOf(ONE_TO_EIGHT, { income: 'income', line: '5', by: 'town' });
    const [x, y] = r.groups!;
    // X = {1, 2}: both poor; P1 = (4/5 + 3/5)/2 = 0.7; P2 = (16/25 + 9/25)/2 = 0.5; Watts = (ln 5 + ln 2.5)/2
    expect([x!.group, x!.n, x!.poor, x!.p0, x!.mean]).toEqual(['X', 2, 2, 1, 1.5]);
    expect(x!.p1).toBeCloseTo(0.7, 15);
    expect(x!.p2).toBeCloseTo(0.5, 15);
    expect(x!.watts).toBeCloseTo(Math.log(12.5) / 2, 14);
    // Y = {3..8}: 3 and 4 poor; P1 = (2/5 + 1/5)/6 = 0.1; P2 = (4/25 + 1/25)/6 = 1/30; median (5 + 6)/2
    expect([y!.group, y!.n, y!.poor, y!.median]).toEqual(['Y', 6, 2, 5.5]);
    expect(y!.p0).toBeCloseTo(1 / 3, 15);
    expect(y!.p1).toBeCloseTo(0.1, 15);
    expect(y!.p2).toBeCloseTo(1 / 30, 15);
    expect(r.total.p0).toBe(0.5);
  });

  it('counts people through a weight column', () => {
    // households with per-capita incomes 3 (4 people), 6 (2), 4 (1), z = 5 (poverty.test.ts):
    // poor 4 + 1 = 5 of 7; P1 = (4·2/5 + 1·1/5)/7 = 1.8/7; P2 = (4·4/25 + 1/25)/7 = 0.68/7;
    // mean (12 + 12 + 4)/7 = 4; median: sorted 3 (4), 4 (1), 6 (2), cumulative 4 ≥ 7/2 at 3
    const r = fgtOf('income,size\n3,4\n6,2\n4,1\n', { income: 'income', line: '5', weight: 'size' });
    const t = r.total;
    expect([t.n, t.population, t.poor, t.mean, t.median]).toEqual([3, 7, 5, 4, 3]);
    expect(t.p0).toBeCloseTo(5 / 7, 15);
    expect(t.p1).toBeCloseTo(1.8 / 7, 15);
    expect(t.p2).toBeCloseTo(0.68 / 7, 15);
    expect(t.watts).toBeCloseTo((4 * Math.log(5 / 3) + Math.log(5 / 4)) / 7, 14);
  });

  it('gives Watts as null with a note naming the first income ≤ 0, and P0–P2 still', () => {
    // incomes 0, 2, 6 (lines 2–4), z = 5: P0 = 2/3, P1 = (1 + 3/5)/3, P2 = (1 + 9/25)/3
    const r = fgtOf('income\n0\n2\n6\n0\n', { income: 'income', line: '5' });
    expect(r.total.watts).toBeNull();
    expect(r.total.p0).toBeCloseTo(3 / 4, 15);
    expect(r.total.p1).toBeCloseTo((1 + 3 / 5 + 1) / 4, 15);
    expect(r.total.wattsNote).toEqual({
      line: 2,
      zh: 'Watts 指数未计算（null）：第 2 行「income」列收入为 0，y ≤ 0 时 ln(z/y) 无定义（共 2 行收入 ≤ 0）；P0–P2、均值和中位数照常计算。如需 Watts，请剔除或修正这些行',
      en: 'Watts index not computed (null): line 2, column "income" has income 0, and ln(z/y) is undefined for y ≤ 0 (2 rows have income ≤ 0); P0–P2, mean and median are computed as usual. Drop or correct those rows to get Watts',
    });
  });

  it('refuses a negative income naming its line, unless --negative-as-zero', () => {
    const text = 'income,w\n3,1\n-5,1\n-9,0\n';
    const e = refusal(() => fgtOf(text, { income: 'income', line: '5', weight: 'w' }));
    // the row of weight 0 (line 4) takes no part and is not refused
    expect(e.issues).toEqual([{
      field: 'income', row: 3, column: 'income', value: '"-5"',
      zh: '收入为负数；FGT 指数要求收入 ≥ 0（如需按 0 计、缺口为 1，请加 --negative-as-zero）',
      en: 'the income is negative; the FGT measures need incomes ≥ 0 (add --negative-as-zero to count it as 0, gap 1)',
    }]);
    expect(e.msg.en).toBe('t.csv, line 3 (file line, the header is line 1), column "income": the income is negative; the FGT measures need incomes ≥ 0 (add --negative-as-zero to count it as 0, gap 1): "-5"');
    const r = fgtOf(text, { income: 'income', line: '5', weight: 'w', negativeAsZero: true });
    // gaps (5−3)/5 = 0.4 and 1 → P1 = 1.4/2; mean (3 − 5)/2 = −1
    expect(r.negativeIncomes).toBe('asZero');
    expect([r.total.n, r.total.population, r.total.p0, r.total.mean, r.total.watts]).toEqual([3, 2, 1, -1, null]);
    expect(r.total.p1).toBeCloseTo(0.7, 15);
  });

  it('refuses missing and bad options before the file is read', () => {
    const e = refusal(() => fgtSpec({}));
    expect(e.issues.map((i) => i.field)).toEqual(['--input', '--income', '--line']);
    expect(e.msg).toEqual({ zh: '缺少 --input：请给出 CSV 文件（含表头行）（另有 2 处）', en: '--input is missing: give the CSV file (with a header row) (and 2 more)' });
    expect(refusal(() => fgtSpec({ input: 'a.csv', income: 'y', line: '-1' })).msg.zh).toBe('贫困线 --line 必须大于 0，收到 -1');
  });

  it('names bad cells in every column used: income, weight and group', () => {
    const e = refusal(() => fgtOf('income,w,town\n1,1,A\nabc,1,A\n2,-1,B\n3,1,\n4,,B\n', { income: 'income', line: '5', weight: 'w', by: 'town' }));
    expect(e.issues.map((i) => [i.row, i.column, i.value, i.en])).toEqual([
      [3, 'income', '"abc"', 'not a number (write it plainly, e.g. 1234.5 or -3, without thousands separators, units or spaces)'],
      [4, 'w', '"-1"', 'the weight is negative (weights must be ≥ 0)'],
      [6, 'w', undefined, 'empty cell: this column is used in the measure, so every row needs a value (fill it in or delete the row)'],
      [5, 'town', undefined, 'empty cell: every row needs a value in the --by column'],
    ]);
    expect(e.msg.zh).toBe('t.csv 第 3 行（文件行号，表头在第 1 行）「income」列：不是数字（须为普通写法，如 1234.5 或 -3，不带千位分隔符、单位或空格）："abc"（另有 3 处）');
  });

  it('refuses an unknown column, listing those there are, and weights that are all 0', () => {
    expect(refusal(() => fgtOf(ONE_TO_EIGHT, { income: 'incme', line: '5' })).msg).toEqual({
      zh: '找不到列「incme」（--income）；t.csv 中的列：name、income、town', en: 'No column "incme" (--income); the columns of t.csv are: name, income, town',
    });
    expect(refusal(() => fgtOf('income,w\n1,0\n2,0\n', { income: 'income', line: '5', weight: 'w' })).msg).toEqual({
      zh: '--weight 列「w」的权数全部为 0，总权数必须大于 0', en: 'Every weight in the --weight column "w" is 0; the total weight must be above 0',
    });
  });

  it('leaves out a group whose weights are all 0', () => {
    const r = fgtOf('income,w,g\n1,1,A\n2,0,B\n', { income: 'income', line: '5', weight: 'w', by: 'g' });
    expect(r.groups!.map((g) => g.group)).toEqual(['A']);
  });
});

describe('gini', () => {
  it('is 4/15 for 1, 2, 3, 4, 5 and 0 for equal incomes', () => {
    // gini.ts: G = Σ_i Σ_j |y_i − y_j| / (2 n² μ); μ = 3; unordered |differences| 1×4, 2×3, 3×2, 4×1 = 20,
    // ordered pairs 40 → G = 40 / (2 · 25 · 3) = 4/15 ≈ 0.2667
    const r = giniOf('y,g\n5,a\n3,a\n1,b\n4,b\n2,b\n7,c\n7,c\n', { income: 'y', by: 'g' });
    const [a, b, c] = r.groups!;
    // group b = {1, 4, 2}: μ = 7/3; ordered Σ|diff| = 2·(3 + 1 + 2) = 12 → G = 12 / (2·9·7/3) = 12/42 = 2/7
    expect(b!.gini).toBeCloseTo(2 / 7, 15);
    expect(c!.gini).toBe(0); // 7, 7
    expect(a!.gini).toBeCloseTo(2 / 16, 15); // 5, 3: 2·2 / (2·4·4) = 1/8
    const five = giniOf('y\n5\n3\n1\n4\n2\n', { income: 'y' });
    expect(five.total.gini).toBeCloseTo(4 / 15, 15);
    expect([five.total.n, five.total.population, five.total.mean, five.total.median, five.total.giniNote]).toEqual([5, 5, 3, 3, null]);
    expect(giniOf('y\n7\n7\n7\n', { income: 'y' }).total.gini).toBe(0);
  });

  it('weights rows: (1 ×2, 4 ×1, 6 ×3) gives 7/24', () => {
    // W = 6, μ = 4; Σ_i Σ_j w_i w_j |y_i − y_j| = 2·(2·1·3 + 2·3·5 + 1·3·2) = 84 → 84 / (2·36·4) = 7/24 (gini.test.ts)
    const r = giniOf('y,w\n1,2\n4,1\n6,3\n', { income: 'y', weight: 'w' });
    expect(r.total.gini).toBeCloseTo(7 / 24, 15);
    expect(r.total.population).toBe(6);
  });

  it('gives null with a note when every income is 0, and refuses a negative one', () => {
    const z = giniOf('y\n0\n0\n', { income: 'y' }).total;
    expect(z.gini).toBeNull();
    expect(z.giniNote!.en).toBe('Gini not computed (null): every income in column "y" is 0, and the Gini coefficient is undefined when the mean is 0 (0/0)');
    expect(refusal(() => giniOf('y\n1\n-2\n', { income: 'y' })).issues).toEqual([{
      field: 'y', row: 3, column: 'y', value: '"-2"', zh: '收入为负数；基尼系数要求收入 ≥ 0', en: 'the income is negative; the Gini coefficient needs incomes ≥ 0',
    }]);
  });
});

// Alkire & Foster (2011), "Counting and multidimensional poverty measurement", J. Public
// Economics 95, 476–487, §2 and §4: income (z 500), years of schooling (12), self-reported health
// (3), health insurance (1); the matrix and figures of src/domain/measures/mpi.test.ts.
const AF = 'person,income,schooling,health,insurance,g,w\n1,700,14,4,1,A,2\n2,300,13,1,0,A,1\n3,400,10,3,0,B,3\n4,800,11,3,1,B,2\n';
const AF_INDICATORS = ['income:500:cardinal', 'schooling:12:cardinal', 'health:3:cardinal', 'insurance:1:cardinal'];

describe('mpi', () => {
  it('gives the Alkire–Foster (2011) figures: H = 1/2, A = 3/4, M0 = 3/8, M1 = 103/480, M2 = 481/2880 at k = 2/4', () => {
    const r = mpiOf(AF, { indicator: AF_INDICATORS, k: '2/4' });
    expect(r.total).toMatchObject({ n: 4, population: 4, H: 0.5, A: 0.75, M0: 0.375 });
    expect(r.total.M1).toBeCloseTo(103 / 480, 15);
    expect(r.total.M2).toBeCloseTo(481 / 2880, 15);
    // uncensored h_j 2/4, 2/4, 1/4, 2/4; censored (person 4 not poor) 2/4, 1/4, 1/4, 2/4;
    // contributions w_j h_j(k) 1/8, 1/16, 1/16, 1/8 (sum 3/8 = M0); shares 1/3, 1/6, 1/6, 1/3
    expect(r.indicators.map((i) => [i.name, i.cutoff, i.weight, i.cardinal, i.uncensored, i.censored, i.contribution])).toEqual([
      ['income', 500, 0.25, true, 0.5, 0.5, 0.125],
      ['schooling', 12, 0.25, true, 0.5, 0.25, 0.0625],
      ['health', 3, 0.25, true, 0.25, 0.25, 0.0625],
      ['insurance', 1, 0.25, true, 0.5, 0.5, 0.125],
    ]);
    [1 / 3, 1 / 6, 1 / 6, 1 / 3].forEach((s, j) => expect(r.indicators[j]!.share).toBeCloseTo(s, 15));
    expect(r).toMatchObject({ measure: 'mpi', default: false, line: null, k: 0.5, weight: null, by: null, groups: null, leftOut: 0, notes: [] });
  });

  it('decomposes by --by and weights people by --weight', () => {
    // A = persons 1, 2; B = 3, 4: M0_A = M0_B = 3/8, v = 1/2 each, shares 1/2 (mpi.test.ts)
    const g = mpiOf(AF, { indicator: AF_INDICATORS, k: '0.5', by: 'g' }).groups;
    expect(g).toEqual([
      { group: 'A', n: 2, population: 2, populationShare: 0.5, H: 0.5, A: 0.75, M0: 0.375, contribution: 0.1875, share: 0.5 },
      { group: 'B', n: 2, population: 2, populationShare: 0.5, H: 0.5, A: 0.75, M0: 0.375, contribution: 0.1875, share: 0.5 },
    ]);
    // person weights 2, 1, 3, 2: P = 8, poor 1 + 3 = 4 → H = 1/2, A = 3/4, M0 = 3/8
    const w = mpiOf(AF, { indicator: AF_INDICATORS, k: '0.5', weight: 'w' });
    expect([w.total.population, w.total.H, w.total.A, w.total.M0]).toEqual([8, 0.5, 0.75, 0.375]);
  });

  it('takes explicit weights summing to 1, and --cardinal for all', () => {
    const r = mpiOf(AF, { indicator: ['income:500:1/4', 'schooling:12:0.25', 'health:3:0.25', 'insurance:1:0.25'], k: '0.5', cardinal: true });
    expect([r.total.H, r.total.M0]).toEqual([0.5, 0.375]);
    expect(r.total.M1).toBeCloseTo(103 / 480, 15);
  });

  it('gives M1 and M2 as null with a note when an indicator is not cardinal', () => {
    const r = mpiOf(AF, { indicator: ['income:500:cardinal', 'schooling:12:cardinal', 'health:3', 'insurance:1:cardinal'], k: '0.5' });
    expect([r.total.M0, r.total.M1, r.total.M2]).toEqual([0.375, null, null]);
    expect(r.notes).toEqual([{
      line: null,
      zh: 'M1、M2 为 null：只有所有指标都是基数型（--indicator 列名:临界值[:权重]:cardinal，或 --cardinal）时才有定义',
      en: 'M1 and M2 are null: they are defined only when every indicator is cardinal (--indicator COLUMN:CUTOFF[:WEIGHT]:cardinal, or --cardinal)',
    }]);
  });

  it('refuses weights not summing to 1 (showing the sum), a partial set, and bad values', () => {
    expect(refusal(() => mpiSpec({ input: 'a', indicator: ['water:1:0.5', 'housing:1:0.4'], k: '0.5' })).issues).toEqual([{
      field: '--indicator', value: '0.9', zh: '--indicator 的权重合计为 0.9，应为 1（允许误差 0.000001）', en: 'The --indicator weights sum to 0.9, not 1 (tolerance 0.000001)',
    }]);
    // 0.1 + 0.2 shown as 0.3, not 0.30000000000000004
    expect(refusal(() => mpiSpec({ input: 'a', indicator: ['a:1:0.1', 'b:1:0.2'], k: '0.5' })).msg.en).toBe('The --indicator weights sum to 0.3, not 1 (tolerance 0.000001)');
    expect(refusal(() => mpiSpec({ input: 'a', indicator: ['water:1:1', 'housing:1'], k: '0.5' })).msg).toEqual({
      zh: '只有 1 个 --indicator 给了权重，共 2 个：要么全部给出（合计为 1），要么都不给（等权）',
      en: 'Only 1 of 2 --indicator specs give a weight: give all (summing to 1) or none (equal weights)',
    });
    expect(refusal(() => mpiSpec({ input: 'a', indicator: ['water:1:-0.5', 'housing:1:1.5'], k: '0.5' })).msg.en).toBe('--indicator "water:1:-0.5": the weight must be above 0; got -0.5');
    expect(refusal(() => mpiSpec({ input: 'a', indicator: ['income:0:cardinal'], k: '1' })).msg.zh).toBe('--indicator "income:0:cardinal"：基数型指标的临界值必须大于 0（缺口 (z−x)/z 要除以它），收到 0');
    expect(refusal(() => mpiSpec({ input: 'a', indicator: ['w:1', 'w:2'], k: '1' })).msg.en).toBe('The column "w" is given in more than one --indicator');
  });

  it('refuses k out of range, no indicator, a stray --line and --default mixed with --indicator', () => {
    expect(refusal(() => mpiSpec({ input: 'a', indicator: ['w:1'], k: '0' })).msg.en).toBe('--k must satisfy 0 < k ≤ 1 (a share of the total indicator weight, e.g. 1/3 or 0.5); got "0"');
    expect(refusal(() => mpiSpec({ input: 'a', indicator: ['w:1'] })).msg.en).toMatch(/^--k is missing/);
    expect(refusal(() => mpiSpec({ input: 'a', k: '0.5' })).msg.zh).toBe('缺少 --indicator：请至少给出一个 --indicator 列名:临界值[:权重][:cardinal]（或用 --default 使用默认维度集）');
    expect(refusal(() => mpiSpec({ input: 'a', indicator: ['w:1'], k: '1', line: '5' })).msg.en).toMatch(/^--line goes with --default only/);
    expect(refusal(() => mpiSpec({ input: 'a', default: true, indicator: ['w:1'], line: '5' })).msg.en).toBe('--default applies the default dimension set; do not give --indicator or --cardinal with it');
    expect(refusal(() => mpiSpec({ input: 'a', default: true })).msg.en).toMatch(/^--line is missing/);
  });

  it('names an unknown indicator column, a non-numeric cell and a negative cardinal value', () => {
    expect(refusal(() => mpiOf(AF, { indicator: ['income:500', 'school:12'], k: '0.5' })).msg.en).toBe(
      'No column "school" (--indicator "school:12"); the columns of t.csv are: person, income, schooling, health, insurance, g, w');
    const e = refusal(() => mpiOf('a,b\n1,x\n-1,2\n', { indicator: ['a:1:cardinal', 'b:1'], k: '0.5' }));
    expect(e.issues.map((i) => [i.row, i.column, i.value])).toEqual([[2, 'b', '"x"'], [3, 'a', '"-1"']]);
    expect(e.issues[1]!.en).toBe('a cardinal indicator is negative (the gap (z−x)/z needs x ≥ 0)');
  });
});

describe('mpi --default (the register\'s dimension set, domain/measures/dimensions.ts)', () => {
  // weights food 1/8, clothing 1/8, education 1/12, medical 1/12, housing 1/12, water 1/4, income 1/4; k = 1/3; line 4000
  //   A (2 people): nothing deprived                                   c = 0
  //   B (3): water, income 3000 < 4000                                 c = 1/4 + 1/4 = 1/2   poor
  //   C (1): food, clothing                                            c = 1/8 + 1/8 = 1/4   not poor (< 1/3)
  //   D (4): food, education, income 3500                              c = 1/8 + 1/12 + 1/4 = 11/24   poor
  //   E (5): medical not recorded → left out
  // P = 10; H = 7/10; A = (3·1/2 + 4·11/24)/7 = (10/3)/7 = 10/21; M0 = (10/3)/10 = 1/3
  const csv = [
    'name,food_secure,clothing_secure,education_secure,medical_secure,housing_secure,water_secure,per_capita_income,household_size',
    'A,是,是,是,是,是,是,5000,2',
    'B,1,1,1,1,1,0,3000,3',
    'C,否,no,true,1,1,1,8000,1',
    'D,0,1,0,1,1,1,3500,4',
    'E,1,1,1,,1,1,3500,5',
  ].join('\n');

  it('computes H, A, M0 and the indicator contributions, leaving out incomplete rows', () => {
    const r = mpiOf(csv, { default: true, line: '4000', weight: 'household_size' });
    expect(r.k).toBeCloseTo(1 / 3, 15);
    expect([r.total.n, r.total.population, r.total.H]).toEqual([4, 10, 0.7]);
    expect(r.total.A).toBeCloseTo(10 / 21, 15);
    expect(r.total.M0).toBeCloseTo(1 / 3, 15);
    expect(r.total.M1).toBeNull();
    // censored: food D 4/10, education D 4/10, water B 3/10, income B + D 7/10 →
    // contributions 1/8·0.4 = 0.05, 1/12·0.4 = 1/30, 1/4·0.3 = 0.075, 1/4·0.7 = 0.175 (sum 1/3)
    const c = Object.fromEntries(r.indicators.map((i) => [i.name, i.contribution]));
    expect(c.food_secure).toBeCloseTo(0.05, 15);
    expect(c.clothing_secure).toBe(0);
    expect(c.education_secure).toBeCloseTo(1 / 30, 15);
    expect(c.water_secure).toBeCloseTo(0.075, 15);
    expect(c.per_capita_income).toBeCloseTo(0.175, 15);
    expect(r.indicators[0]!.label).toEqual({ zh: '不愁吃', en: 'enough food' });
    expect(r.indicators.find((i) => i.name === 'per_capita_income')!.cutoff).toBe(4000);
    expect(r.leftOut).toBe(1);
    expect(r.notes[1]!.en).toBe('1 rows were left out because one of food_secure, clothing_secure, education_secure, medical_secure, housing_secure, water_secure, per_capita_income is empty (the first is line 6); the MPI needs complete rows');
  });

  it('refuses a yes/no cell it cannot read and a missing column', () => {
    expect(refusal(() => mpiOf(csv.replace('B,1,1', 'B,maybe,1'), { default: true, line: '4000' })).msg.en).toBe(
      't.csv, line 3 (file line, the header is line 1), column "food_secure": expected 1/0, 是/否, yes/no or true/false: "maybe"');
    expect(refusal(() => mpiOf('food_secure\n1\n', { default: true, line: '4000' })).msg.en).toMatch(/^No column "clothing_secure" \(--default\)/);
  });
});
