// Medical one-stop settlement (一站式结算) of the 三重保障 (domain.md §7): basic medical insurance,
// then critical-illness insurance, then medical assistance, applied in that order to the eligible
// (政策范围内) part of one bill; the patient pays only what is left.
//
// For each layer L, in fen, with its parameters deductible D, ratio r %, annual cap C, and the
// year's accumulated use before this bill (deductible already met M, already paid U):
//   base_L           = eligible − (what the earlier layers paid on this bill)
//   deductibleApplied = min(base_L, max(0, D − M))
//   byRatio          = round((base_L − deductibleApplied) × r / 100)      (half up, to the fen)
//   capRemaining     = max(0, C − U)
//   paid_L           = min(byRatio, capRemaining)
// out of pocket = total − Σ paid_L; the part outside the policy scope (total − eligible) is never paid.
//
// Critical-illness insurance uses the registered-poor parameters (medical_critical_poor_*) for a
// registered poor person and the general ones otherwise; medical assistance applies only to
// registered poor people. When a layer's parameter is missing, that layer and the later ones (whose
// base depends on it) are not computed and the totals are null; every missing key is named.

import type { Text } from '../policy-types.js';
import type { PolicyKey } from '../policy-types.js';
import {
  Issues, ParamReader, checkArea, checkYear, cite, missingText, money, pctOf, pctText, result, toYuan,
  type CalcLine, type CalcResult, type YearLookup,
} from './common.js';

export const MEDICAL_LAYERS = ['basic', 'critical', 'assistance'] as const;
export type MedicalLayer = (typeof MEDICAL_LAYERS)[number];
export const PERSON_CATEGORIES = ['poor', 'general'] as const;
export type PersonCategory = (typeof PERSON_CATEGORIES)[number];

export const LAYER_LABELS: Record<MedicalLayer, Text> = {
  basic: { zh: '基本医疗保险', en: 'Basic medical insurance' },
  critical: { zh: '大病保险', en: 'Critical-illness insurance' },
  assistance: { zh: '医疗救助', en: 'Medical assistance' },
};

export interface LayerUse {
  /** fen of this layer's deductible already met this year by earlier bills. */
  deductibleMet: number;
  /** fen this layer already paid this year (counts against its cap). */
  paid: number;
}

export interface MedicalInput {
  year: number;
  area: string;
  person: PersonCategory;
  /** fen */
  total: number;
  /** fen, ≤ total */
  eligible: number;
  used: Record<MedicalLayer, LayerUse>;
}

/** Checks the request body; every problem is named by its field. */
export function checkMedical(raw: unknown): MedicalInput {
  const iss = new Issues();
  const o = iss.object('body', raw);
  const year = checkYear(iss, o.year);
  const area = checkArea(iss, o.area);
  const person = iss.oneOf('person', o.person, PERSON_CATEGORIES);
  const bill = iss.object('bill', o.bill ?? {});
  const total = iss.fen('bill.total', bill.total);
  const eligible = bill.eligible === undefined || bill.eligible === null ? total : iss.fen('bill.eligible', bill.eligible);
  if (total !== undefined && eligible !== undefined && eligible > total) {
    iss.add('bill.eligible', bill.eligible, `政策范围内费用 ${money(eligible)} 不能大于总费用 ${money(total)}`, `The eligible part ${money(eligible)} cannot exceed the total ${money(total)}`);
  }
  const usedRaw = iss.object('used', o.used ?? {});
  const used = {} as Record<MedicalLayer, LayerUse>;
  for (const l of MEDICAL_LAYERS) {
    const u = iss.object(`used.${l}`, usedRaw[l] ?? {});
    used[l] = { deductibleMet: iss.fen(`used.${l}.deductibleMet`, u.deductibleMet, 0) ?? 0, paid: iss.fen(`used.${l}.paid`, u.paid, 0) ?? 0 };
  }
  iss.fail();
  return { year: year!, area: area!, person: person!, total: total!, eligible: eligible!, used };
}

function keysOf(layer: MedicalLayer, person: PersonCategory): Record<'deductible' | 'ratio' | 'cap', PolicyKey> {
  const p = layer === 'critical' && person === 'poor' ? 'critical_poor' : layer;
  return {
    deductible: `medical_${p}_deductible_yuan` as PolicyKey,
    ratio: `medical_${p}_ratio_pct` as PolicyKey,
    cap: `medical_${p}_cap_yuan` as PolicyKey,
  };
}

/** The settlement of one bill: a line per layer with its arithmetic, and the out-of-pocket remainder. */
export function calcMedical(input: MedicalInput, lookup: YearLookup): CalcResult {
  const reader = new ParamReader(lookup);
  const { year, total, eligible, person } = input;
  const lines: CalcLine[] = [];
  const ineligible = total - eligible;
  lines.push({
    key: 'ineligible',
    label: { zh: '政策范围外费用（个人自付）', en: 'Outside the policy scope (paid by the patient)' },
    status: 'ok',
    amount: toYuan(ineligible),
    formula: {
      zh: `总费用 ${money(total)} − 政策范围内 ${money(eligible)} = ${money(ineligible)}，各层均不支付`,
      en: `total ${money(total)} − eligible ${money(eligible)} = ${money(ineligible)}, paid by no layer`,
    },
    values: { total: toYuan(total), eligible: toYuan(eligible), ineligible: toYuan(ineligible) },
    params: [],
  });

  let base: number | null = eligible;
  let reimbursed = 0;
  for (const layer of MEDICAL_LAYERS) {
    const label = LAYER_LABELS[layer];
    if (layer === 'assistance' && person !== 'poor') {
      lines.push({
        key: layer,
        label,
        status: 'not_applicable',
        amount: 0,
        formula: {
          zh: '医疗救助只适用于建档立卡贫困人口（本人为普通参保人），本层支付 0.00',
          en: 'Medical assistance applies to registered poor people only (this person is a general insured), so it pays 0.00',
        },
        values: { paid: 0 },
        params: [],
      });
      continue;
    }
    const k = keysOf(layer, person);
    const d = reader.read(k.deductible, year);
    const r = reader.read(k.ratio, year, (v) => v >= 0 && v <= 100);
    const c = reader.read(k.cap, year);
    const params = cite(d, r, c);
    if (base === null || d.value === null || r.value === null || c.value === null) {
      const why = base === null
        ? { zh: '前一层缺少参数，本层基数无法确定', en: 'an earlier layer is missing a parameter, so this layer\'s base is unknown' }
        : missingText([{ key: k.deductible, read: d }, { key: k.ratio, read: r }, { key: k.cap, read: c }]);
      lines.push({ key: layer, label, status: 'missing', amount: null, formula: why, values: { base: base === null ? null : toYuan(base), paid: null }, params });
      base = null;
      continue;
    }
    const use = input.used[layer];
    const D = Math.round(d.value * 100);
    const C = Math.round(c.value * 100);
    const deductibleLeft = Math.max(0, D - use.deductibleMet);
    const deductibleApplied = Math.min(base, deductibleLeft);
    const above = base - deductibleApplied;
    const byRatio = pctOf(above, r.value);
    const capRemaining = Math.max(0, C - use.paid);
    const paid = Math.min(byRatio, capRemaining);
    const capped = byRatio > capRemaining;
    lines.push({
      key: layer,
      label,
      status: 'ok',
      amount: toYuan(paid),
      formula: {
        zh: `基数 ${money(base)}；起付线 ${money(D)}，本年已达 ${money(use.deductibleMet)}，本次扣除 ${money(deductibleApplied)}；` +
          `(${money(base)} − ${money(deductibleApplied)}) × ${pctText(r.value)} = ${money(byRatio)}；` +
          `封顶线 ${money(C)} − 本年已付 ${money(use.paid)} = 剩余 ${money(capRemaining)}；` +
          `支付 ${capped ? `封顶 ${money(paid)}` : money(paid)}`,
        en: `base ${money(base)}; deductible ${money(D)}, ${money(use.deductibleMet)} met earlier this year, ${money(deductibleApplied)} applied now; ` +
          `(${money(base)} − ${money(deductibleApplied)}) × ${pctText(r.value)} = ${money(byRatio)}; ` +
          `cap ${money(C)} − paid this year ${money(use.paid)} = ${money(capRemaining)} left; ` +
          `pays ${capped ? `the capped ${money(paid)}` : money(paid)}`,
      },
      values: {
        base: toYuan(base),
        deductible: toYuan(D),
        deductibleMet: toYuan(use.deductibleMet),
        deductibleApplied: toYuan(deductibleApplied),
        aboveDeductible: toYuan(above),
        ratioPct: r.value,
        byRatio: toYuan(byRatio),
        cap: toYuan(C),
        usedThisYear: toYuan(use.paid),
        capRemaining: toYuan(capRemaining),
        capped,
        paid: toYuan(paid),
      },
      params,
    });
    reimbursed += paid;
    base -= paid;
  }

  const done = base !== null;
  const oop = total - reimbursed;
  const paidParts = lines.filter((l) => l.key !== 'ineligible').map((l) => money(Math.round((l.amount ?? 0) * 100))).join(' + ');
  return result('medical', year, input.area, reader, {
    lines,
    totals: [
      {
        key: 'reimbursed',
        label: { zh: '各层合计支付', en: 'Paid by the three layers' },
        amount: done ? toYuan(reimbursed) : null,
        formula: done
          ? { zh: `${paidParts} = ${money(reimbursed)}`, en: `${paidParts} = ${money(reimbursed)}` }
          : { zh: '缺少参数，无法计算', en: 'a parameter is missing; cannot compute' },
      },
      {
        key: 'outOfPocket',
        label: { zh: '个人自付（一站式结算后）', en: 'Out of pocket (after one-stop settlement)' },
        amount: done ? toYuan(oop) : null,
        formula: done
          ? { zh: `总费用 ${money(total)} − 合计支付 ${money(reimbursed)} = ${money(oop)}`, en: `total ${money(total)} − paid ${money(reimbursed)} = ${money(oop)}` }
          : { zh: '缺少参数，无法计算', en: 'a parameter is missing; cannot compute' },
      },
    ],
    notes: [
      person === 'poor'
        ? { zh: '建档立卡贫困人口：大病保险按倾斜政策参数（medical_critical_poor_*），并适用医疗救助', en: 'Registered poor person: critical-illness insurance uses the favourable parameters (medical_critical_poor_*), and medical assistance applies' }
        : { zh: '普通参保人：大病保险按一般参数，不适用医疗救助', en: 'General insured: critical-illness insurance uses the general parameters; medical assistance does not apply' },
      { zh: '起付线按本年累计计算：填写本年此前已达到的起付线金额和已支付金额', en: 'Deductibles and caps run over the year: give the deductible already met and the amount already paid this year' },
    ],
  });
}
