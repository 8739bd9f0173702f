// The monitoring rules read from the register itself (issue 4, domain.md §3, §4, §6): unsafe housing
// or drinking water (the same checks as the household evaluation, domain/evaluate/checks.ts),
// loss of labour, a child of compulsory-school age out of school, and the data-quality rules of
// domain.md §4 that the register's fields can answer. Pure, like monitoring-rules.ts which calls it.
//
// Scope: the risk rules look at households not registered as poor that year (脱贫标志 not 0 or 3),
// like the income rules; the data-quality rules look at every household with a record that year,
// because a wrong record is wrong whatever the status.

import { isCode, labelOf } from './codes.js';
import {
  COMPULSORY_SCHOOL_AGE_MAX, COMPULSORY_SCHOOL_AGE_MIN, NOT_IN_SCHOOL, housingCheck, waterCheck,
} from './evaluate/checks.js';
import { ageOn, fen, listOf, parseDate, yuan, type YMD } from './evaluate/common.js';
import { maskIdNumber } from './idnumber.js';
import type { PolicyKey, ResolvedParam, Text } from './policy-types.js';
import { SCHOOL_AGE_ON, WORKING_AGE_MAX, WORKING_AGE_MIN, type AssistanceKind, type MonitoringRuleKey } from './monitoring-catalogue.js';
import { assistanceAlerts } from './monitoring-assistance.js';
import { cite, type HouseholdFacts, type Json, type MonitoringAlert, type MonitoringParams, type PersonFacts, type YearFacts } from './monitoring-inputs.js';

/** The data-quality parameter → the rule that reads it (for reporting a missing one). */
export const DQ_PARAM_RULES = {
  dq_income_min_yuan: 'dq_income_out_of_range',
  dq_income_max_yuan: 'dq_income_out_of_range',
  dq_farmland_mu_per_person_max: 'dq_land_per_person',
  dq_forest_mu_per_person_max: 'dq_land_per_person',
} as const satisfies Partial<Record<PolicyKey, MonitoringRuleKey>>;

const POOR_STATUSES = new Set(['0', '3']);
/** 健康状况 codes that count as sick for the 因病 cause: 长期慢性病, 患有大病. */
export const SICK_HEALTH = ['2', '3'] as const;
/** 劳动能力 codes: able (普通, 技能) and lost (丧失劳动力). */
export const ABLE_LABOUR = ['1', '2'] as const;
export const LOST_LABOUR = '3';
/** 致贫原因 因病. */
export const ILLNESS_CAUSE = '01';
/** 贫困户属性 codes of 低保 and 特困 households (poor and exited variants). */
export const ASSISTANCE_ATTRIBUTES: Record<AssistanceKind, readonly string[]> = { dibao: ['2', '5'], tekun: ['3', '6'] };
/** Months in a year: work months outside this are impossible, not a policy choice. */
export const WORK_MONTHS_MAX = 12;

/** The date ages are counted on for the school rule (31 August) and the labour rule (31 December). */
export function schoolAgeDate(year: number): YMD {
  return { y: year, m: SCHOOL_AGE_ON.month, d: SCHOOL_AGE_ON.day };
}
export function workingAgeDate(year: number): YMD {
  return { y: year, m: 12, d: 31 };
}
const ymd = (d: YMD) => `${d.y}-${String(d.m).padStart(2, '0')}-${String(d.d).padStart(2, '0')}`;

function person(m: PersonFacts): Text {
  const id = maskIdNumber(m.idNumber);
  return { zh: `${m.name}（${id}）`, en: `${m.name} (${id})` };
}

function personFacts(m: PersonFacts, extra: Record<string, Json> = {}): Record<string, Json> {
  return { memberId: m.id, memberName: m.name, idNumber: maskIdNumber(m.idNumber), ...extra };
}

function age(m: PersonFacts, on: YMD): number | null {
  const b = parseDate(m.birthDate);
  return b ? ageOn(b, on) : null;
}

const code = (list: 'health' | 'labourAbility' | 'studentStatus' | 'attribute', c: string): Text => ({ zh: labelOf(list, c, 'zh'), en: labelOf(list, c, 'en') });

/**
 * The register's rules for one household and year. `rec` is the record of the year (null: none);
 * `household` carries the household's fields and, when loaded, every member.
 */
export function registerAlerts(rec: YearFacts | null, household: HouseholdFacts | null, params: MonitoringParams): { alerts: MonitoringAlert[]; needed: MonitoringRuleKey[] } {
  const alerts: MonitoringAlert[] = [];
  const needed: MonitoringRuleKey[] = [];
  if (!rec) return { alerts, needed };
  const year = rec.year;
  const members = household?.members ?? null;
  const base = { year, status: rec.status, householdSize: rec.householdSize };

  if (!POOR_STATUSES.has(rec.status)) {
    // 住房安全 and 饮水安全: the evaluation's own checks, so the thresholds live in one place.
    const housing = housingCheck({ housingSecure: rec.housingSecure ?? null, dangerousHouse: rec.dangerousHouse ?? null });
    if (housing.status === 'fail') {
      alerts.push({
        rule: 'unsafe_housing', year, facts: { ...base, ...housing.facts }, params: [],
        reason: {
          zh: `${year} 年年度记录住房安全未达标：${housing.reason.zh}；请入户核实住房状况，属实的纳入监测（因安全住房）并安排危房改造等住房保障`,
          en: `The ${year} record fails safe housing: ${housing.reason.en}; check the house on a home visit and, if so, start monitoring (unsafe housing) and arrange repair or other housing support`,
        },
      });
    }
    const water = waterCheck({ waterSecure: rec.waterSecure ?? null, waterLitresPerDay: rec.waterLitresPerDay ?? null, waterFetchMinutes: rec.waterFetchMinutes ?? null });
    if (water.status === 'fail') {
      alerts.push({
        rule: 'unsafe_water', year, facts: { ...base, ...water.facts }, params: [],
        reason: {
          zh: `${year} 年年度记录饮水安全未达标：${water.reason.zh}；请入户核实饮水情况，属实的纳入监测（因安全饮水）并落实供水保障`,
          en: `The ${year} record fails safe drinking water: ${water.reason.en}; check the water supply on a home visit and, if so, start monitoring (unsafe drinking water) and arrange a safe supply`,
        },
      });
    }
    if (members) {
      const school = outOfSchool(members, year);
      if (school) alerts.push(school);
      const labour = labourLoss(members, year, base);
      if (labour) alerts.push(labour);
    }
  }

  if (household && members) {
    const illness = illnessWithoutSick(household, members, year);
    if (illness) alerts.push(illness);
    const months = workMonths(members, year);
    if (months) alerts.push(months);
  }
  if (household?.assistance) {
    const a = assistanceNotListed(household, year);
    if (a) alerts.push(a);
  }
  alerts.push(...assistanceAlerts(rec, household));
  needed.push('dq_income_out_of_range', 'dq_land_per_person');
  const income = incomeOutOfRange(rec, params);
  if (income) alerts.push(income);
  const land = landPerPerson(rec, params);
  if (land) alerts.push(land);
  return { alerts, needed };
}

/** Members aged 6–15 on 31 August of the year whose student status is 非在校生. */
function outOfSchool(members: readonly PersonFacts[], year: number): MonitoringAlert | null {
  const on = schoolAgeDate(year);
  const children = members.flatMap((m) => {
    const a = age(m, on);
    return a !== null && a >= COMPULSORY_SCHOOL_AGE_MIN && a <= COMPULSORY_SCHOOL_AGE_MAX && m.studentStatus === NOT_IN_SCHOOL ? [{ m, a }] : [];
  });
  if (!children.length) return null;
  const s = code('studentStatus', NOT_IN_SCHOOL);
  const who = listOf(children.map(({ m, a }) => ({ zh: `${person(m).zh} ${a} 周岁`, en: `${person(m).en}, aged ${a}` })));
  return {
    rule: 'out_of_school', year,
    facts: { year, asOf: ymd(on), ageMin: COMPULSORY_SCHOOL_AGE_MIN, ageMax: COMPULSORY_SCHOOL_AGE_MAX, children: children.map(({ m, a }) => personFacts(m, { age: a, studentStatus: m.studentStatus })) },
    params: [],
    reason: {
      zh: `${who.zh}（按 ${ymd(on)} 计），属义务教育适龄（${COMPULSORY_SCHOOL_AGE_MIN}–${COMPULSORY_SCHOOL_AGE_MAX} 周岁），在校生状况却为“${s.zh}”；请入户核实，属实的会同学校劝返复学（控辍保学），因贫失学的纳入监测（因学）`,
      en: `${who.en} (on ${ymd(on)}): of compulsory-school age (${COMPULSORY_SCHOOL_AGE_MIN}–${COMPULSORY_SCHOOL_AGE_MAX}) but recorded as "${s.en}"; check on a home visit and, if so, work with the school to bring the child back, and start monitoring (schooling) if poverty is the cause`,
    },
  };
}

/**
 * A working-age member recorded as 丧失劳动力 and no working-age member with ordinary or skilled
 * labour ability left. Not judged while a working-age member's labour ability is empty or unknown.
 */
function labourLoss(members: readonly PersonFacts[], year: number, base: Record<string, Json>): MonitoringAlert | null {
  const on = workingAgeDate(year);
  const working = members.filter((m) => {
    const a = age(m, on);
    return a !== null && a >= WORKING_AGE_MIN && a <= WORKING_AGE_MAX;
  });
  const lost = working.filter((m) => m.labourAbility === LOST_LABOUR);
  if (!lost.length) return null;
  if (working.some((m) => m.labourAbility === null || !isCode('labourAbility', m.labourAbility))) return null;
  if (working.some((m) => (ABLE_LABOUR as readonly string[]).includes(m.labourAbility!))) return null;
  const l = code('labourAbility', LOST_LABOUR);
  const who = listOf(lost.map((m) => ({ zh: `${person(m).zh} ${age(m, on)} 周岁`, en: `${person(m).en}, aged ${age(m, on)}` })));
  return {
    rule: 'labour_loss', year,
    facts: { ...base, asOf: ymd(on), workingAgeMin: WORKING_AGE_MIN, workingAgeMax: WORKING_AGE_MAX, workingAgeMembers: working.length, ableWorkingAgeMembers: 0, lost: lost.map((m) => personFacts(m, { age: age(m, on) })) },
    params: [],
    reason: {
      zh: `${who.zh}为劳动年龄（${WORKING_AGE_MIN}–${WORKING_AGE_MAX} 周岁，按 ${ymd(on)} 计），却登记为“${l.zh}”，家中再无劳动年龄的普通或技能劳动力（劳动年龄成员 ${working.length} 人）；请入户核实家庭收入来源，属实的纳入监测（缺劳动力）并落实就业帮扶或兜底保障`,
      en: `${who.en}: of working age (${WORKING_AGE_MIN}–${WORKING_AGE_MAX} on ${ymd(on)}) but recorded as "${l.en}", and no working-age member with ordinary or skilled labour ability is left (${working.length} of working age); check the household's income on a home visit and, if so, start monitoring (lack of labour) and arrange work support or social assistance`,
    },
  };
}

/** Cause 因病 (main or other) while every member's health is recorded and none is sick. */
function illnessWithoutSick(h: HouseholdFacts, members: readonly PersonFacts[], year: number): MonitoringAlert | null {
  const main = h.mainCause === ILLNESS_CAUSE;
  if (!main && !h.otherCauses.includes(ILLNESS_CAUSE)) return null;
  if (!members.length || members.some((m) => m.health === null || !isCode('health', m.health))) return null;
  if (members.some((m) => (SICK_HEALTH as readonly string[]).includes(m.health!))) return null;
  const where = main ? { zh: '主要致贫原因', en: 'the main cause' } : { zh: '其他致贫原因', en: 'another cause' };
  const who = listOf(members.map((m) => ({ zh: `${person(m).zh} ${code('health', m.health!).zh}`, en: `${person(m).en} ${code('health', m.health!).en.toLowerCase()}` })));
  return {
    rule: 'dq_illness_without_sick_member', year,
    facts: { year, mainCause: h.mainCause, otherCauses: [...h.otherCauses], members: members.map((m) => personFacts(m, { health: m.health })) },
    params: [],
    reason: {
      zh: `数据质量：${where.zh}为“因病”，但 ${members.length} 名成员的健康状况为：${who.zh}，无人登记为长期慢性病或患有大病；请核实：确有患病成员的更正其健康状况，否则更正致贫原因`,
      en: `Data quality: ${where.en} of poverty is illness, but the ${members.length} members' health is: ${who.en}, none with a long-term chronic or serious illness; check: correct the sick member's health if there is one, otherwise correct the cause`,
    },
  };
}

/** Months worked away outside 0–12 (refused on entry and import; this finds rows written around the validation). */
function workMonths(members: readonly PersonFacts[], year: number): MonitoringAlert | null {
  const bad = members.filter((m) => m.workMonths !== null && (m.workMonths < 0 || m.workMonths > WORK_MONTHS_MAX));
  if (!bad.length) return null;
  const who = listOf(bad.map((m) => ({ zh: `${person(m).zh} ${m.workMonths} 个月`, en: `${person(m).en} ${m.workMonths} months` })));
  return {
    rule: 'dq_work_months', year,
    facts: { year, members: bad.map((m) => personFacts(m, { workMonths: m.workMonths })) },
    params: [],
    reason: {
      zh: `数据质量：务工时间超出 0–${WORK_MONTHS_MAX} 个月：${who.zh}；请按当年实际外出务工月数更正`,
      en: `Data quality: months worked away outside 0–${WORK_MONTHS_MAX}: ${who.en}; correct them to the months actually worked away that year`,
    },
  };
}

/** A 低保 (特困) household none of whose members is on the civil affairs 低保 (特困) list loaded for the county. */
function assistanceNotListed(h: HouseholdFacts, year: number): MonitoringAlert | null {
  const kinds = (['dibao', 'tekun'] as const).filter((k) => ASSISTANCE_ATTRIBUTES[k].includes(h.attribute) && h.assistance?.[k]?.covered && h.assistance[k]!.listedMembers === 0);
  const kind = kinds[0];
  if (!kind) return null;
  const attr = code('attribute', h.attribute);
  const list = kind === 'dibao' ? { zh: '低保', en: 'dibao' } : { zh: '特困供养', en: 'tekun' };
  return {
    rule: 'dq_assistance_not_listed', year,
    facts: { year, attribute: h.attribute, list: kind, listedMembers: 0 },
    params: [],
    reason: {
      zh: `数据质量：贫困户属性为“${attr.zh}”，但已导入的民政${list.zh}名单（截至 ${year} 年底）中没有该户任何成员；请与民政部门核对：已退出${list.zh}的更正贫困户属性，名单漏报的请民政部门补报`,
      en: `Data quality: the household attribute is "${attr.en}", but none of its members is on the civil affairs ${list.en} list loaded (up to the end of ${year}); check with civil affairs: correct the attribute if the household left ${list.en}, or have the list corrected if it was left out`,
    },
  };
}

/** Per-capita net income at or below the lower limit or above the upper one. */
function incomeOutOfRange(rec: YearFacts, params: MonitoringParams): MonitoringAlert | null {
  const cur = fen(rec.perCapitaIncome);
  const { incomeMin, incomeMax } = params.dq;
  const low = incomeMin.fen !== null && incomeMin.read.param && cur <= incomeMin.fen ? incomeMin : null;
  const high = incomeMax.fen !== null && incomeMax.read.param && cur > incomeMax.fen ? incomeMax : null;
  const hit = low ?? high;
  if (!hit) return null;
  const p = hit.read.param!;
  const limit = yuan(hit.fen! / 100);
  const side = low ? { zh: `不高于数据质量下限 ${limit} 元`, en: `at or below the data-quality lower limit of ${limit} yuan` } : { zh: `高于数据质量上限 ${limit} 元`, en: `above the data-quality upper limit of ${limit} yuan` };
  return {
    rule: 'dq_income_out_of_range', year: rec.year,
    facts: { year: rec.year, householdSize: rec.householdSize, perCapitaIncome: rec.perCapitaIncome, side: low ? 'low' : 'high', limit: hit.fen! / 100 },
    params: [{ ...p }],
    reason: {
      zh: `数据质量：${rec.year} 年人均纯收入 ${yuan(rec.perCapitaIncome)} 元，${side.zh}（${cite(p).zh}）；请核对各项收入、生产经营支出和家庭人口是否录错`,
      en: `Data quality: per-capita net income in ${rec.year} is ${yuan(rec.perCapitaIncome)} yuan, ${side.en} (${cite(p).en}); check the incomes, production costs and household size for entry errors`,
    },
  };
}

/** Farmland or forest land per person above its limit (compared as land > limit × size, in hundredths of a mu). */
function landPerPerson(rec: YearFacts, params: MonitoringParams): MonitoringAlert | null {
  const size = rec.householdSize;
  if (!(size > 0)) return null;
  const parts: { what: Text; area: number; limit: number; p: ResolvedParam }[] = [];
  for (const [what, area, lim] of [
    [{ zh: '耕地', en: 'farmland' }, rec.farmlandMu, params.dq.farmland],
    [{ zh: '林地', en: 'forest land' }, rec.forestMu, params.dq.forest],
  ] as const) {
    if (area === null || area === undefined || lim.hundredths === null || !lim.read.param) continue;
    if (Math.round(Number((area * 100).toPrecision(15))) > lim.hundredths * size) parts.push({ what, area, limit: lim.hundredths / 100, p: lim.read.param });
  }
  if (!parts.length) return null;
  const per = (a: number) => (Math.round((a / size) * 100) / 100).toFixed(2);
  const texts = parts.map(({ what, area, limit, p }) => ({
    zh: `${what.zh} ${area} 亩 ÷ 家庭人口 ${size} 人 = 人均 ${per(area)} 亩，超过上限 ${limit} 亩/人（${cite(p).zh}）`,
    en: `${what.en} ${area} mu ÷ ${size} people = ${per(area)} mu per person, above the limit of ${limit} mu per person (${cite(p).en})`,
  }));
  return {
    rule: 'dq_land_per_person', year: rec.year,
    facts: { year: rec.year, householdSize: size, farmlandMu: rec.farmlandMu ?? null, forestMu: rec.forestMu ?? null, over: parts.map((x) => x.what.en), limits: parts.map((x) => x.limit) },
    params: parts.map((x) => ({ ...x.p })),
    reason: {
      zh: `数据质量：${texts.map((t) => t.zh).join('；')}；请核对面积单位（亩，不是平方米或公顷）和家庭人口`,
      en: `Data quality: ${texts.map((t) => t.en).join('; ')}; check the unit (mu, not square metres or hectares) and the household size`,
    },
  };
}
