// Education aid by school stage and boarding status (domain.md §7), per student for one year:
//   primary / lower secondary, boarder:      the boarding living allowance of the stage
//   primary / lower secondary, non-boarder:  round(allowance × education_nonboarder_share_pct / 100)
//   upper secondary:                          education_upper_secondary_grant_yuan
//   secondary vocational:                     education_vocational_grant_yuan
//   雨露计划 (vocational education of children of registered poor households): education_yulu_yuan
// The household total is the sum. Values are those in force in the year asked (1,000 / 1,250 yuan
// before 2025, 1,250 / 1,500 from 2025). The student is assumed eligible (a child of a poor family,
// which every registered poor household is); boarding only matters in compulsory education.

import type { PolicyKey, Text } from '../policy-types.js';
import { Issues, ParamReader, checkArea, checkYear, cite, money, pctOf, pctText, result, toYuan, type CalcLine, type CalcResult, type YearLookup } from './common.js';

export const STAGES = ['primary', 'lower_secondary', 'upper_secondary', 'vocational', 'yulu'] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_LABELS: Record<Stage, Text> = {
  primary: { zh: '小学', en: 'Primary' },
  lower_secondary: { zh: '初中', en: 'Lower secondary' },
  upper_secondary: { zh: '普通高中', en: 'Upper secondary' },
  vocational: { zh: '中等职业学校', en: 'Secondary vocational' },
  yulu: { zh: '雨露计划', en: '雨露计划 vocational aid' },
};

const STAGE_KEY: Record<Stage, PolicyKey> = {
  primary: 'education_boarding_primary_yuan',
  lower_secondary: 'education_boarding_lower_secondary_yuan',
  upper_secondary: 'education_upper_secondary_grant_yuan',
  vocational: 'education_vocational_grant_yuan',
  yulu: 'education_yulu_yuan',
};

const COMPULSORY: readonly Stage[] = ['primary', 'lower_secondary'];
export const MAX_STUDENTS = 20;

export interface Student {
  name: string;
  stage: Stage;
  /** Only read for primary and lower secondary. */
  boarding: boolean;
}

export interface EducationInput {
  year: number;
  area: string;
  students: Student[];
}

export function checkEducation(raw: unknown): EducationInput {
  const iss = new Issues();
  const o = iss.object('body', raw);
  const year = checkYear(iss, o.year);
  const area = checkArea(iss, o.area);
  const students = iss.array('students', o.students, 1, MAX_STUDENTS).map((s, i) => {
    const f = `students.${i}`;
    const x = iss.object(f, s);
    const stage = iss.oneOf(`${f}.stage`, x.stage, STAGES);
    const boarding = stage && COMPULSORY.includes(stage) ? iss.bool(`${f}.boarding`, x.boarding) : iss.bool(`${f}.boarding`, x.boarding, false);
    return { name: iss.text(`${f}.name`, x.name, 50) ?? '', stage: stage!, boarding: boarding! };
  });
  iss.fail();
  return { year: year!, area: area!, students };
}

export function calcEducation(input: EducationInput, lookup: YearLookup): CalcResult {
  const reader = new ParamReader(lookup);
  const { year } = input;
  let sum = 0;
  let done = true;
  const lines: CalcLine[] = input.students.map((s, i) => {
    const who = s.name || `学生 ${i + 1}`;
    const whoEn = s.name || `Student ${i + 1}`;
    const compulsory = COMPULSORY.includes(s.stage);
    const board = compulsory ? (s.boarding ? { zh: '·寄宿', en: ', boarder' } : { zh: '·非寄宿', en: ', non-boarder' }) : { zh: '', en: '' };
    const label = { zh: `${who}：${STAGE_LABELS[s.stage].zh}${board.zh}`, en: `${whoEn}: ${STAGE_LABELS[s.stage].en}${board.en}` };
    const key = STAGE_KEY[s.stage];
    const base = reader.read(key, year);
    const share = compulsory && !s.boarding ? reader.read('education_nonboarder_share_pct', year, (v) => v <= 100) : null;
    const params = share ? cite(base, share) : cite(base);
    const values = { stage: s.stage, boarding: compulsory ? s.boarding : null, standard: base.value, sharePct: share ? share.value : null };
    if (base.value === null || (share && share.value === null)) {
      done = false;
      const keys = [base.value === null ? key : null, share && share.value === null ? 'education_nonboarder_share_pct' : null].filter(Boolean).join('、');
      return { key: `student.${i}`, label, status: 'missing', amount: null, formula: { zh: `缺少参数 ${keys}，无法计算`, en: `Missing parameter ${keys.replace('、', ', ')}; cannot compute` }, values: { ...values, amount: null }, params };
    }
    const std = Math.round(base.value * 100);
    let amount = std;
    let formula: Text;
    if (share && share.value !== null) {
      amount = pctOf(std, share.value);
      formula = {
        zh: `非寄宿生：${STAGE_LABELS[s.stage].zh}寄宿生生活补助 ${money(std)} × ${pctText(share.value)} = ${money(amount)} 元/年`,
        en: `non-boarder: the ${STAGE_LABELS[s.stage].en.toLowerCase()} boarding allowance ${money(std)} × ${pctText(share.value)} = ${money(amount)} yuan a year`,
      };
    } else if (compulsory) {
      formula = { zh: `寄宿生：${STAGE_LABELS[s.stage].zh}寄宿生生活补助 ${money(std)} 元/年`, en: `boarder: the ${STAGE_LABELS[s.stage].en.toLowerCase()} boarding allowance, ${money(std)} yuan a year` };
    } else {
      formula = { zh: `${STAGE_LABELS[s.stage].zh}每生每年 ${money(std)} 元（与是否寄宿无关）`, en: `${STAGE_LABELS[s.stage].en}: ${money(std)} yuan per student a year (boarding does not matter)` };
    }
    sum += amount;
    return { key: `student.${i}`, label, status: 'ok', amount: toYuan(amount), formula, values: { ...values, amount: toYuan(amount) }, params };
  });
  return result('education', year, input.area, reader, {
    lines,
    totals: [{
      key: 'total',
      label: { zh: `${year} 年合计`, en: `Total for ${year}` },
      amount: done ? toYuan(sum) : null,
      formula: done
        ? { zh: `${lines.map((l) => money(Math.round(l.amount! * 100))).join(' + ')} = ${money(sum)}`, en: `${lines.map((l) => money(Math.round(l.amount! * 100))).join(' + ')} = ${money(sum)}` }
        : { zh: '缺少参数，无法计算', en: 'a parameter is missing; cannot compute' },
    }],
    notes: [
      { zh: '按学年所在自然年的标准计算，假定学生符合家庭经济困难条件（建档立卡家庭均符合）', en: 'Uses the standard of the year asked and assumes the student qualifies as from a poor family (every registered poor household does)' },
    ],
  });
}
