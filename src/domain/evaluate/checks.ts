// The seven household checks for one year: income against the poverty line, 两不愁 (food,
// clothing), 三保障 (compulsory education, basic medical care, safe housing) and safe drinking water.
// Each is pass / fail / unknown with the facts read, the parameters used and a bilingual reason.

import { isCode, labelOf } from '../codes.js';
import type { ParamLookup, Text } from '../policy-types.js';
import type { MemberInput, YearInput } from '../register.js';
import {
  CHECK_LABELS,
  ageOn,
  combine,
  listOf,
  missingParam,
  paramOrigin,
  paramsOf,
  parseDate,
  readParam,
  fen,
  who,
  yearIncome,
  yuan,
  type Check,
  type CheckKey,
  type Part,
  type YMD,
} from './common.js';

/** Compulsory schooling (义务教育) covers ages 6 to 15 inclusive, in completed years on the evaluation date. */
export const COMPULSORY_SCHOOL_AGE_MIN = 6;
export const COMPULSORY_SCHOOL_AGE_MAX = 15;
/** studentStatus code 0 = 非在校生 (codes.ts); every other code is some school, so the child is in school. */
export const NOT_IN_SCHOOL = '0';

/**
 * Safe-water thresholds — PROJECT DEFAULTS, not policy parameters (no key exists yet). They are the
 * common national water-security standard values of 《农村饮水安全评价准则》 (T/CHES 18-2018):
 * water quantity at least 35 L per person per day in water-rich areas and 20 L in water-scarce areas
 * (annual rainfall under 800 mm or water resources under 1,000 m³ per person; Tongliao, at roughly
 * 350–450 mm a year, is one), and water carried by hand within 20 minutes for a round trip (or piped
 * to the home). domain.md also records a stricter local standard seen (35 L, 30 min).
 */
export const WATER_MIN_LITRES_PER_PERSON_DAY = 20;
export const WATER_MAX_FETCH_MINUTES = 20;

function check(key: CheckKey, r: { status: Check['status']; reason: Text }, facts: Check['facts'], params: Check['params'] = []): Check {
  return { key, label: CHECK_LABELS[key], status: r.status, facts, params, reason: r.reason };
}

/** The household's own yes/no flag for a check: true passes, false fails, null is unknown. */
function flagPart(value: boolean | null, field: string, label: Text): Part {
  if (value === true) return { status: 'pass', zh: `登记为${label.zh}`, en: `recorded as ${label.en.toLowerCase()}` };
  if (value === false) return { status: 'fail', zh: `登记为未达到“${label.zh}”（${field} = 否）`, en: `recorded as not ${label.en.toLowerCase()} (${field} = false)` };
  return {
    status: 'unknown',
    zh: `未登记是否${label.zh}（${field} 为空），请补录年度记录`,
    en: `whether ${label.en.toLowerCase()} is not recorded (${field} is empty); complete the yearly record`,
  };
}

/**
 * Income: per-capita net income (domain/income.ts) against `poverty_line` for the year.
 * Poor when income < line (strict, the FGT convention of domain.md §8), so the check passes when income ≥ line.
 */
export function incomeCheck(year: YearInput, lookup: ParamLookup): Check {
  const line = readParam(lookup, 'poverty_line', year.year);
  const income = yearIncome(year);
  const facts = {
    year: year.year,
    householdSize: year.householdSize,
    perCapitaNetIncome: income.value,
    povertyLine: line.value,
    rule: 'pass when perCapitaNetIncome >= poverty_line (poor when <)',
  };
  const params = paramsOf(line);
  if (income.error) return check('income', { status: 'unknown', reason: income.error }, facts, params);
  if (line.value === null || !line.param) {
    return check('income', { status: 'unknown', reason: line.missing ?? missingParam('poverty_line', year.year, line.param) }, facts, params);
  }
  const origin = paramOrigin(line.param);
  const rule = {
    zh: '规则：人均纯收入 < 贫困线为贫困（严格小于），≥ 贫困线为达标；不计入收入的补助不算',
    en: 'rule: poor when per-capita net income < the line (strictly), meets it when ≥; non-counting grants are excluded',
  };
  const inc = income.value;
  const passes = fen(inc) >= fen(line.value);
  const reason: Text = passes
    ? {
        zh: `${year.year} 年人均纯收入 ${yuan(inc)} 元，不低于贫困线 ${yuan(line.value)} 元（${origin.zh}），达标；${rule.zh}`,
        en: `${year.year} per-capita net income ${yuan(inc)} yuan is not below the poverty line of ${yuan(line.value)} yuan (${origin.en}): met; ${rule.en}`,
      }
    : {
        zh: `${year.year} 年人均纯收入 ${yuan(inc)} 元，低于贫困线 ${yuan(line.value)} 元（${origin.zh}），差 ${yuan((fen(line.value) - fen(inc)) / 100)} 元；${rule.zh}`,
        en: `${year.year} per-capita net income ${yuan(inc)} yuan is below the poverty line of ${yuan(line.value)} yuan (${origin.en}) by ${yuan((fen(line.value) - fen(inc)) / 100)} yuan; ${rule.en}`,
      };
  return check('income', { status: passes ? 'pass' : 'fail', reason }, facts, params);
}

export function foodCheck(year: YearInput): Check {
  return check('food', combine([flagPart(year.foodSecure, 'foodSecure', CHECK_LABELS.food)]), { foodSecure: year.foodSecure });
}

export function clothingCheck(year: YearInput): Check {
  return check('clothing', combine([flagPart(year.clothingSecure, 'clothingSecure', CHECK_LABELS.clothing)]), { clothingSecure: year.clothingSecure });
}

/**
 * 义务教育: the household flag, and every member aged 6–15 (inclusive, completed years on `asOf`)
 * must be in school: studentStatus 0 (非在校生) fails, an empty or unknown code is unknown.
 */
export function educationCheck(year: YearInput, members: readonly MemberInput[], asOf: YMD, asOfText: string): Check {
  const parts: Part[] = [flagPart(year.educationSecure, 'educationSecure', CHECK_LABELS.education)];
  const notInSchool: Text[] = [];
  const statusUnknown: Text[] = [];
  let schoolAge = 0;
  for (const m of members) {
    const w = who(m);
    const birth = parseDate(m.birthDate);
    if (!birth) {
      statusUnknown.push(w);
      parts.push({ status: 'unknown', zh: `${w.zh}出生日期无效（${m.birthDate}），无法判断是否为义务教育适龄`, en: `${w.en} has an invalid birth date (${m.birthDate}); cannot tell whether of compulsory-school age` });
      continue;
    }
    const age = ageOn(birth, asOf);
    if (age < COMPULSORY_SCHOOL_AGE_MIN || age > COMPULSORY_SCHOOL_AGE_MAX) continue;
    schoolAge += 1;
    const s = m.studentStatus;
    if (s === NOT_IN_SCHOOL) {
      notInSchool.push(w);
      parts.push({
        status: 'fail',
        zh: `${w.zh}于 ${asOfText} 为 ${age} 岁，属义务教育适龄（6–15 周岁），但在校生状况为“${labelOf('studentStatus', s)}”（失学辍学）`,
        en: `${w.en} is ${age} on ${asOfText}, of compulsory-school age (6–15), but recorded as "${labelOf('studentStatus', s, 'en')}" (out of school)`,
      });
    } else if (s === null || !isCode('studentStatus', s)) {
      statusUnknown.push(w);
      parts.push({
        status: 'unknown',
        zh: `${w.zh}于 ${asOfText} 为 ${age} 岁，属义务教育适龄，但在校生状况${s === null ? '未登记' : `代码无效（${s}）`}`,
        en: `${w.en} is ${age} on ${asOfText}, of compulsory-school age, but the student status is ${s === null ? 'not recorded' : `an invalid code (${s})`}`,
      });
    } else {
      parts.push({ status: 'pass', zh: '', en: '' });
    }
  }
  const r = combine(parts, {
    zh: `登记为义务教育有保障；${schoolAge === 0 ? '家中无 6–15 周岁义务教育适龄成员' : `${schoolAge} 名 6–15 周岁适龄成员均在校`}（按 ${asOfText} 计算年龄）`,
    en: `recorded as compulsory education secured; ${schoolAge === 0 ? 'no member aged 6–15' : `all ${schoolAge} members aged 6–15 are in school`} (ages on ${asOfText})`,
  });
  return check('education', r, {
    educationSecure: year.educationSecure,
    asOf: asOfText,
    schoolAgeMembers: schoolAge,
    membersNotInSchool: notInSchool.length ? listOf(notInSchool).zh : null,
    membersSchoolStatusUnknown: statusUnknown.length ? listOf(statusUnknown).zh : null,
  });
}

/** 基本医疗: the household flag, and every member covered by basic medical insurance (false fails, null is unknown). */
export function medicalCheck(year: YearInput, members: readonly MemberInput[]): Check {
  const parts: Part[] = [flagPart(year.medicalSecure, 'medicalSecure', CHECK_LABELS.medical)];
  const uninsured: Text[] = [];
  const unknown: Text[] = [];
  for (const m of members) {
    if (m.medicalInsurance === false) uninsured.push(who(m));
    else if (m.medicalInsurance === null) unknown.push(who(m));
  }
  if (uninsured.length) {
    const l = listOf(uninsured);
    parts.push({ status: 'fail', zh: `${l.zh}未参加城乡居民基本医疗保险`, en: `${l.en} not covered by basic medical insurance` });
  }
  if (unknown.length) {
    const l = listOf(unknown);
    parts.push({ status: 'unknown', zh: `${l.zh}未登记是否参加基本医疗保险`, en: `basic medical insurance not recorded for ${l.en}` });
  }
  const r = combine(parts, {
    zh: `登记为基本医疗有保障，${members.length} 名成员均参加基本医疗保险`,
    en: `recorded as basic medical care secured; all ${members.length} members have basic medical insurance`,
  });
  return check('medical', r, {
    medicalSecure: year.medicalSecure,
    members: members.length,
    membersUninsured: uninsured.length ? listOf(uninsured).zh : null,
    membersInsuranceUnknown: unknown.length ? listOf(unknown).zh : null,
  });
}

/** 住房安全: the household flag; a house recorded as dangerous (危房) fails whatever the flag says. Empty dangerousHouse is not used. */
export function housingCheck(year: Pick<YearInput, 'housingSecure' | 'dangerousHouse'>): Check {
  const parts: Part[] = [flagPart(year.housingSecure, 'housingSecure', CHECK_LABELS.housing)];
  if (year.dangerousHouse === true) parts.push({ status: 'fail', zh: '住房登记为危房（dangerousHouse = 是）', en: 'the house is recorded as dangerous (dangerousHouse = true)' });
  const r = combine(parts, {
    zh: `登记为住房安全有保障${year.dangerousHouse === false ? '，非危房' : ''}`,
    en: `recorded as safe housing secured${year.dangerousHouse === false ? ', not a dangerous house' : ''}`,
  });
  return check('housing', r, { housingSecure: year.housingSecure, dangerousHouse: year.dangerousHouse });
}

/**
 * 饮水安全: the household flag, plus the quantity (≥ 20 L per person per day) and the fetching time
 * (≤ 20 min round trip) when recorded — project defaults, see WATER_MIN_LITRES_PER_PERSON_DAY.
 */
export function waterCheck(year: Pick<YearInput, 'waterSecure' | 'waterLitresPerDay' | 'waterFetchMinutes'>): Check {
  const parts: Part[] = [flagPart(year.waterSecure, 'waterSecure', CHECK_LABELS.water)];
  const l = year.waterLitresPerDay;
  const t = year.waterFetchMinutes;
  if (l !== null && l < WATER_MIN_LITRES_PER_PERSON_DAY) {
    parts.push({
      status: 'fail',
      zh: `人均日供水量 ${l} 升，低于 ${WATER_MIN_LITRES_PER_PERSON_DAY} 升（项目默认值，农村饮水安全评价准则缺水地区标准）`,
      en: `${l} L of water per person per day, below ${WATER_MIN_LITRES_PER_PERSON_DAY} L (project default, the national rural water-security standard for water-scarce areas)`,
    });
  }
  if (t !== null && t > WATER_MAX_FETCH_MINUTES) {
    parts.push({
      status: 'fail',
      zh: `取水往返 ${t} 分钟，超过 ${WATER_MAX_FETCH_MINUTES} 分钟（项目默认值，农村饮水安全评价准则标准）`,
      en: `fetching water takes ${t} min round trip, more than ${WATER_MAX_FETCH_MINUTES} min (project default, the national rural water-security standard)`,
    });
  }
  const measured = [
    l === null ? null : { zh: `人均日供水量 ${l} 升（≥ ${WATER_MIN_LITRES_PER_PERSON_DAY}）`, en: `${l} L per person per day (≥ ${WATER_MIN_LITRES_PER_PERSON_DAY})` },
    t === null ? null : { zh: `取水往返 ${t} 分钟（≤ ${WATER_MAX_FETCH_MINUTES}）`, en: `${t} min to fetch water (≤ ${WATER_MAX_FETCH_MINUTES})` },
  ].filter((x): x is Text => x !== null);
  const r = combine(parts, {
    zh: `登记为饮水安全有保障${measured.length ? `，${listOf(measured).zh}` : ''}`,
    en: `recorded as safe drinking water secured${measured.length ? `; ${listOf(measured).en}` : ''}`,
  });
  return check('water', r, {
    waterSecure: year.waterSecure,
    waterLitresPerDay: l,
    waterFetchMinutes: t,
    minLitresPerPersonDay: WATER_MIN_LITRES_PER_PERSON_DAY,
    maxFetchMinutes: WATER_MAX_FETCH_MINUTES,
  });
}

/** All seven checks in CHECK_KEYS order. */
export function householdChecks(year: YearInput, members: readonly MemberInput[], asOf: YMD, asOfText: string, lookup: ParamLookup): Check[] {
  return [
    incomeCheck(year, lookup),
    foodCheck(year),
    clothingCheck(year),
    educationCheck(year, members, asOf, asOfText),
    medicalCheck(year, members),
    housingCheck(year),
    waterCheck(year),
  ];
}
