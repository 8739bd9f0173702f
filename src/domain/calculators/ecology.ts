// Ecological payments (生态扶贫, domain.md §7), for one programme:
//   forest (退耕还林): a plot retired in startYear is paid per mu in programme years 1, 3 and 5
//     (500 / 300 / 400 yuan, 1,200 in all), at the standard of startYear; programme year
//     n falls in calendar year startYear + n − 1.
//   grass (退耕还草): idem, programme years 1 and 3 (450 / 400, 850 in all).
//     amount of an installment = round(rate per mu × mu)  (half up, to the fen)
//   public_forest (公益林): round(ecology_public_forest_yuan_per_mu × mu) for the year (rate unknown, local).
//   ranger (生态护林员): per ranger round(ecology_ranger_wage_yuan × months / 12), times the number of
//     rangers; the central budget's sizing (10,000 per ranger-year) is shown beside it for comparison.
// The amount due in `year` is the installment whose calendar year is `year` (0 in other years).

import type { PolicyKey, Text } from '../policy-types.js';
import {
  Issues, ParamReader, checkArea, checkYear, cite, money, result, roundDiv, scaled, toYuan,
  type CalcLine, type CalcResult, type CalcTotal, type YearLookup,
} from './common.js';

export const PROGRAMMES = ['forest', 'grass', 'public_forest', 'ranger'] as const;
export type Programme = (typeof PROGRAMMES)[number];

export const PROGRAMME_LABELS: Record<Programme, Text> = {
  forest: { zh: '退耕还林', en: 'Returning farmland to forest' },
  grass: { zh: '退耕还草', en: 'Returning farmland to grassland' },
  public_forest: { zh: '公益林生态效益补偿', en: 'Public-welfare forest compensation' },
  ranger: { zh: '生态护林员', en: 'Ecological rangers' },
};

/** The programme years with a payment, and the parameter holding each per-mu amount. */
export const SCHEDULES: Record<'forest' | 'grass', readonly { programmeYear: number; key: PolicyKey }[]> = {
  forest: [
    { programmeYear: 1, key: 'ecology_forest_year1_yuan_per_mu' },
    { programmeYear: 3, key: 'ecology_forest_year3_yuan_per_mu' },
    { programmeYear: 5, key: 'ecology_forest_year5_yuan_per_mu' },
  ],
  grass: [
    { programmeYear: 1, key: 'ecology_grass_year1_yuan_per_mu' },
    { programmeYear: 3, key: 'ecology_grass_year3_yuan_per_mu' },
  ],
};

export const MAX_MU = 10_000_000;

export interface EcologyInput {
  year: number;
  area: string;
  programme: Programme;
  /** Area in mu (two decimals at most); forest, grass and public_forest. */
  mu: number;
  /** The year the plot entered the programme (its year 1); forest and grass. */
  startYear: number;
  rangers: number;
  /** Months served in the year, 1–12; ranger. */
  months: number;
}

export function checkEcology(raw: unknown): EcologyInput {
  const iss = new Issues();
  const o = iss.object('body', raw);
  const year = checkYear(iss, o.year);
  const area = checkArea(iss, o.area);
  const programme = iss.oneOf('programme', o.programme, PROGRAMMES);
  let mu = 0;
  let startYear = year ?? 0;
  let rangers = 0;
  let months = 12;
  if (programme && programme !== 'ranger') {
    mu = iss.decimal('mu', o.mu, { max: MAX_MU, places: 2, positive: true, unit: { zh: '亩，最多两位小数', en: 'mu, at most two decimals' } }) ?? 0;
  }
  if (programme === 'forest' || programme === 'grass') {
    const s = checkYear(iss, o.startYear, 'startYear');
    if (s !== undefined && year !== undefined && s > year) {
      iss.add('startYear', o.startYear, `退耕年度 startYear（${s}）不能晚于计算年度 year（${year}）`, `startYear (${s}) cannot be after year (${year})`);
    }
    startYear = s ?? startYear;
  }
  if (programme === 'ranger') {
    rangers = iss.int('rangers', o.rangers, 1, 100_000, 1) ?? 1;
    months = iss.int('months', o.months, 1, 12, 12) ?? 12;
  }
  iss.fail();
  return { year: year!, area: area!, programme: programme!, mu, startYear, rangers, months };
}

const muText = (mu: number): string => mu.toLocaleString('en-US', { maximumFractionDigits: 2 });
/** round(rate yuan per mu × mu) in fen. */
const perMu = (rate: number, mu: number): number => Number(roundDiv(scaled(rate) * scaled(mu, 100), 10_000n));
const missingFormula = (key: string): Text => ({ zh: `缺少参数 ${key}，无法计算`, en: `Missing parameter ${key}; cannot compute` });

export function calcEcology(input: EcologyInput, lookup: YearLookup): CalcResult {
  const reader = new ParamReader(lookup);
  const { year, programme, mu } = input;
  const lines: CalcLine[] = [];
  const totals: CalcTotal[] = [];
  const notes: Text[] = [];
  const unknown = { zh: '缺少参数，无法计算', en: 'a parameter is missing; cannot compute' };

  if (programme === 'forest' || programme === 'grass') {
    const { startYear } = input;
    const programmeYear = year - startYear + 1;
    let whole = 0;
    let due = 0;
    let done = true;
    for (const step of SCHEDULES[programme]) {
      const r = reader.read(step.key, startYear);
      const calendarYear = startYear + step.programmeYear - 1;
      const isDue = calendarYear === year;
      const label = { zh: `第 ${step.programmeYear} 年（${calendarYear} 年）补助`, en: `Programme year ${step.programmeYear} (${calendarYear})` };
      const values = { programmeYear: step.programmeYear, calendarYear, ratePerMu: r.value, mu, due: isDue };
      if (r.value === null) {
        done = false;
        lines.push({ key: `year${step.programmeYear}`, label, status: 'missing', amount: null, formula: missingFormula(step.key), values: { ...values, amount: null }, params: cite(r) });
        continue;
      }
      const amount = perMu(r.value, mu);
      whole += amount;
      if (isDue) due = amount;
      lines.push({
        key: `year${step.programmeYear}`,
        label,
        status: 'ok',
        amount: toYuan(amount),
        formula: {
          zh: `${money(Math.round(r.value * 100))} 元/亩 × ${muText(mu)} 亩 = ${money(amount)}${isDue ? '（本年度发放）' : ''}`,
          en: `${money(Math.round(r.value * 100))} yuan/mu × ${muText(mu)} mu = ${money(amount)}${isDue ? ' (paid this year)' : ''}`,
        },
        values: { ...values, amount: toYuan(amount) },
        params: cite(r),
      });
    }
    const dueStep = SCHEDULES[programme].find((s) => s.programmeYear === programmeYear);
    const dueLine = lines.find((l) => l.values.due === true);
    totals.push({
      key: 'due',
      label: { zh: `${year} 年应发（第 ${programmeYear} 年）`, en: `Due in ${year} (programme year ${programmeYear})` },
      amount: dueStep ? (dueLine?.amount ?? null) : 0,
      formula: dueStep
        ? dueLine?.amount == null ? unknown : { zh: `第 ${programmeYear} 年补助 ${money(due)}`, en: `the programme-year ${programmeYear} payment, ${money(due)}` }
        : {
            zh: `第 ${programmeYear} 年不是发放年度（发放年度：第 ${SCHEDULES[programme].map((s) => s.programmeYear).join('、')} 年），本年 0.00`,
            en: `programme year ${programmeYear} has no payment (payments in years ${SCHEDULES[programme].map((s) => s.programmeYear).join(', ')}), 0.00 this year`,
          },
    });
    totals.push({
      key: 'programmeTotal',
      label: { zh: '全周期合计', en: 'Whole programme' },
      amount: done ? toYuan(whole) : null,
      formula: done ? { zh: `${lines.map((l) => money(Math.round(l.amount! * 100))).join(' + ')} = ${money(whole)}`, en: `${lines.map((l) => money(Math.round(l.amount! * 100))).join(' + ')} = ${money(whole)}` } : unknown,
    });
    notes.push({
      zh: `地块 ${startYear} 年退耕（第 1 年），按 ${startYear} 年的标准发放；${year} 年为第 ${programmeYear} 年`,
      en: `The plot entered the programme in ${startYear} (year 1) and is paid at ${startYear}'s standard; ${year} is programme year ${programmeYear}`,
    });
  } else if (programme === 'public_forest') {
    const r = reader.read('ecology_public_forest_yuan_per_mu', year);
    const amount = r.value === null ? null : perMu(r.value, mu);
    lines.push({
      key: 'compensation',
      label: { zh: `${year} 年公益林补偿`, en: `Public-welfare forest compensation ${year}` },
      status: amount === null ? 'missing' : 'ok',
      amount: amount === null ? null : toYuan(amount),
      formula: amount === null || r.value === null
        ? missingFormula('ecology_public_forest_yuan_per_mu')
        : { zh: `${money(Math.round(r.value * 100))} 元/亩 × ${muText(mu)} 亩 = ${money(amount)}`, en: `${money(Math.round(r.value * 100))} yuan/mu × ${muText(mu)} mu = ${money(amount)}` },
      values: { ratePerMu: r.value, mu, amount: amount === null ? null : toYuan(amount) },
      params: cite(r),
    });
    totals.push({ key: 'total', label: { zh: `${year} 年合计`, en: `Total for ${year}` }, amount: amount === null ? null : toYuan(amount), formula: amount === null ? unknown : { zh: money(amount), en: money(amount) } });
  } else {
    const { rangers, months } = input;
    const wage = reader.read('ecology_ranger_wage_yuan', year);
    const central = reader.read('ecology_ranger_central_budget_yuan', year);
    const prorate = (v: number): number => Number(roundDiv(scaled(v) * BigInt(months), 12n * 100n));
    const each = wage.value === null ? null : prorate(wage.value);
    const pay = each === null ? null : each * rangers;
    lines.push({
      key: 'wage',
      label: { zh: '护林员劳务报酬', en: 'Ranger pay' },
      status: pay === null ? 'missing' : 'ok',
      amount: pay === null ? null : toYuan(pay),
      formula: pay === null || each === null || wage.value === null
        ? missingFormula('ecology_ranger_wage_yuan')
        : {
            zh: `${money(Math.round(wage.value * 100))} 元/人·年 × ${months}/12 个月 = ${money(each)} 元/人；× ${rangers} 人 = ${money(pay)}`,
            en: `${money(Math.round(wage.value * 100))} yuan per ranger-year × ${months}/12 months = ${money(each)} per ranger; × ${rangers} rangers = ${money(pay)}`,
          },
      values: { wagePerYear: wage.value, months, rangers, perRanger: each === null ? null : toYuan(each), amount: pay === null ? null : toYuan(pay) },
      params: cite(wage),
    });
    const cEach = central.value === null ? null : prorate(central.value);
    const cAll = cEach === null ? null : cEach * rangers;
    lines.push({
      key: 'centralBudget',
      label: { zh: '中央补助测算数（对照，不计入合计）', en: 'Central budget sizing (for comparison, not in the total)' },
      status: cAll === null ? 'missing' : 'ok',
      amount: cAll === null ? null : toYuan(cAll),
      formula: cAll === null || cEach === null || central.value === null
        ? missingFormula('ecology_ranger_central_budget_yuan')
        : {
            zh: `${money(Math.round(central.value * 100))} 元/人·年 × ${months}/12 = ${money(cEach)} 元/人；× ${rangers} 人 = ${money(cAll)}`,
            en: `${money(Math.round(central.value * 100))} yuan per ranger-year × ${months}/12 = ${money(cEach)} per ranger; × ${rangers} = ${money(cAll)}`,
          },
      values: { budgetPerYear: central.value, months, rangers, amount: cAll === null ? null : toYuan(cAll) },
      params: cite(central),
    });
    totals.push({ key: 'total', label: { zh: `${year} 年护林员报酬合计`, en: `Ranger pay for ${year}` }, amount: pay === null ? null : toYuan(pay), formula: pay === null ? unknown : { zh: money(pay), en: money(pay) } });
    notes.push({ zh: '报酬按在岗月数折算（每人先四舍五入到分再乘人数）', en: 'Pay is prorated by months served (rounded to the fen per ranger, then times the number of rangers)' });
  }
  return result('ecology', year, input.area, reader, { lines, totals, notes });
}
