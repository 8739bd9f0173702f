// An evaluation plan's input (issue 8): county, year, published seed and the sample sizes the plan
// sets. Pure checks with bilingual, field-named reasons; the service adds the database facts.
//
// Sizes: stage 1 draws `villages.poor` 贫困村 and `villages.nonPoor` 非贫困村 in every township (a
// stratum with fewer villages gives all of them, recorded as capped); `villageOverrides` sets
// n_h for one stratum named `<township code>/poor|nonPoor`. Stage 2 draws, in every chosen
// village, `households.exited` 已脱贫户, `households.remaining` 未脱贫户 and
// `households.nonRegistered` 非建档立卡户 (a stratum with fewer households gives all of them).

import { ValidationError, type FieldIssue, type Msg } from '../errors.js';
import { HOUSEHOLD_STRATA, VILLAGE_KINDS, type HouseholdStratum, type VillageKind } from './sampling.js';

export interface PlanSizes {
  villages: Record<VillageKind, number>;
  villageOverrides: Record<string, number>;
  households: Record<HouseholdStratum, number>;
}

export interface PlanInput {
  county: string;
  year: number;
  name: string;
  seed: string;
  sizes: PlanSizes;
  poorVillages: string[] | null;
}

export const MAX_VILLAGES_PER_STRATUM = 200;
export const MAX_HOUSEHOLDS_PER_STRATUM = 500;
export const DEFAULT_SIZES: PlanSizes = {
  villages: { poor: 2, nonPoor: 1 },
  villageOverrides: {},
  households: { exited: 10, remaining: 5, nonRegistered: 5 },
};

export const VILLAGE_KIND_LABELS: Record<VillageKind, Msg> = {
  poor: { zh: '贫困村', en: 'poor villages' },
  nonPoor: { zh: '非贫困村', en: 'non-poor villages' },
};
export const HOUSEHOLD_STRATUM_LABELS: Record<HouseholdStratum, Msg> = {
  exited: { zh: '已脱贫户', en: 'exited households' },
  remaining: { zh: '未脱贫户', en: 'remaining poor households' },
  nonRegistered: { zh: '非建档立卡户', en: 'non-registered households' },
};

const show = (v: unknown) => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v) ?? String(v));
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function size(issues: FieldIssue[], field: string, v: unknown, max: number, label: Msg): number {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= max) return v;
  issues.push({ field, value: show(v), zh: `${label.zh}的样本量应为 0–${max} 的整数，收到 ${show(v)}`, en: `The sample size of ${label.en} must be a whole number 0–${max}, got ${show(v)}` });
  return 0;
}

/** Checks and normalises a plan's input (missing sizes take DEFAULT_SIZES); throws ValidationError naming every bad field. */
export function checkPlanInput(raw: Record<string, unknown>): PlanInput {
  const issues: FieldIssue[] = [];
  const county = raw.county;
  if (typeof county !== 'string' || !/^\d{6}$/.test(county)) {
    issues.push({ field: 'county', value: show(county), zh: `county 应为 6 位旗县代码，收到 ${show(county)}`, en: `county must be a 6-digit county code, got ${show(county)}` });
  }
  const year = raw.year;
  if (!(typeof year === 'number' && Number.isInteger(year) && year >= 2010 && year <= 2100)) {
    issues.push({ field: 'year', value: show(year), zh: `年度应为 2010–2100 的整数，收到 ${show(year)}`, en: `year must be a whole number 2010–2100, got ${show(year)}` });
  }
  const name = typeof raw.name === 'string' ? raw.name.trim() : raw.name;
  if (typeof name !== 'string' || name.length < 1 || name.length > 200) {
    issues.push({ field: 'name', value: show(raw.name), zh: '计划名称必填，1–200 个字', en: 'The plan name is required, 1–200 characters' });
  }
  const seed = raw.seed;
  if (typeof seed !== 'string' || seed.length < 4 || seed.length > 200 || seed.trim() !== seed || /[\u0000-\u001f]/.test(seed)) {
    issues.push({
      field: 'seed',
      value: show(seed),
      zh: `随机种子应为 4–200 个字符的文本，首尾不能有空格、不能含控制字符（它会原样公布并参与散列），收到 ${show(seed)}`,
      en: `The seed must be text of 4–200 characters without surrounding spaces or control characters (it is published and hashed as given), got ${show(seed)}`,
    });
  }
  const s = raw.sizes === undefined ? {} : raw.sizes;
  const sizes: PlanSizes = { villages: { ...DEFAULT_SIZES.villages }, villageOverrides: {}, households: { ...DEFAULT_SIZES.households } };
  if (!isObj(s)) {
    issues.push({ field: 'sizes', value: show(s), zh: '样本量 sizes 应为对象：{ villages, villageOverrides, households }', en: 'sizes must be an object { villages, villageOverrides, households }' });
  } else {
    for (const k of Object.keys(s)) {
      if (!['villages', 'villageOverrides', 'households'].includes(k)) issues.push({ field: `sizes.${k}`, zh: `未知的样本量项 ${k}；可用 villages、villageOverrides、households`, en: `Unknown sizes entry ${k}; use villages, villageOverrides, households` });
    }
    const v = s.villages ?? {};
    if (!isObj(v)) issues.push({ field: 'sizes.villages', value: show(v), zh: 'sizes.villages 应为 { poor, nonPoor }', en: 'sizes.villages must be { poor, nonPoor }' });
    else {
      for (const k of Object.keys(v)) if (!(VILLAGE_KINDS as readonly string[]).includes(k)) issues.push({ field: `sizes.villages.${k}`, zh: `未知的村类型 ${k}；可用 poor（贫困村）、nonPoor（非贫困村）`, en: `Unknown village kind ${k}; use poor or nonPoor` });
      for (const k of VILLAGE_KINDS) if (v[k] !== undefined) sizes.villages[k] = size(issues, `sizes.villages.${k}`, v[k], MAX_VILLAGES_PER_STRATUM, { zh: `每个苏木乡镇的${VILLAGE_KIND_LABELS[k].zh}`, en: `${VILLAGE_KIND_LABELS[k].en} per township` });
    }
    const o = s.villageOverrides ?? {};
    if (!isObj(o)) issues.push({ field: 'sizes.villageOverrides', value: show(o), zh: 'sizes.villageOverrides 应为 { "苏木乡镇代码/poor|nonPoor": 样本量 }', en: 'sizes.villageOverrides must be { "<township code>/poor|nonPoor": size }' });
    else {
      for (const [k, n] of Object.entries(o)) {
        if (!/^\d{9}\/(poor|nonPoor)$/.test(k)) {
          issues.push({ field: `sizes.villageOverrides.${k}`, zh: `层名 ${k} 应为“9 位苏木乡镇代码/poor 或 nonPoor”`, en: `Stratum ${k} must be "<9-digit township code>/poor or nonPoor"` });
        } else sizes.villageOverrides[k] = size(issues, `sizes.villageOverrides.${k}`, n, MAX_VILLAGES_PER_STRATUM, { zh: `层 ${k}`, en: `stratum ${k}` });
      }
    }
    const h = s.households ?? {};
    if (!isObj(h)) issues.push({ field: 'sizes.households', value: show(h), zh: 'sizes.households 应为 { exited, remaining, nonRegistered }', en: 'sizes.households must be { exited, remaining, nonRegistered }' });
    else {
      for (const k of Object.keys(h)) if (!(HOUSEHOLD_STRATA as readonly string[]).includes(k)) issues.push({ field: `sizes.households.${k}`, zh: `未知的住户层 ${k}；可用 exited、remaining、nonRegistered`, en: `Unknown household stratum ${k}; use exited, remaining, nonRegistered` });
      for (const k of HOUSEHOLD_STRATA) if (h[k] !== undefined) sizes.households[k] = size(issues, `sizes.households.${k}`, h[k], MAX_HOUSEHOLDS_PER_STRATUM, { zh: `每村${HOUSEHOLD_STRATUM_LABELS[k].zh}`, en: `${HOUSEHOLD_STRATUM_LABELS[k].en} per village` });
    }
  }
  let poorVillages: string[] | null = null;
  if (raw.poorVillages !== undefined && raw.poorVillages !== null) {
    const p = raw.poorVillages;
    if (!Array.isArray(p) || p.some((c) => typeof c !== 'string' || !/^\d{12}$/.test(c))) {
      issues.push({ field: 'poorVillages', value: show(p), zh: 'poorVillages 应为 12 位村代码的列表', en: 'poorVillages must be a list of 12-digit village codes' });
    } else {
      poorVillages = [...new Set(p as string[])].sort();
      if (typeof county === 'string') {
        const outside = poorVillages.filter((c) => !c.startsWith(county));
        if (outside.length) issues.push({ field: 'poorVillages', value: outside.join(','), zh: `贫困村 ${outside.join('、')} 不在旗县 ${county} 内`, en: `Poor villages ${outside.join(', ')} are not in county ${county}` });
      }
    }
  }
  if (issues.length) throw new ValidationError(issues, { zh: '评估计划有误，未保存；请按提示修改后重试', en: 'The evaluation plan is invalid; nothing was saved — correct the fields listed and try again' });
  return { county: county as string, year: year as number, name: name as string, seed: seed as string, sizes, poorVillages };
}
