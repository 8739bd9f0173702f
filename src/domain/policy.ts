// Policy as data (issue 4): the catalogue of every parameter the rules read, the defaults the
// project ships with their sources (domain.md §4–6), the resolver that picks the row applying to
// one year and area, and the validation of a change. Pure: the database table, the audit and the
// loading of defaults are in db/ and services/policy.ts.
//
// Resolution: the most specific region with a row in force wins (county > province > national),
// then the latest row of that region whose year is not after the year asked. A row whose value is
// null means "known to exist, value unknown": it resolves to null and never falls back to an older
// value, so a rule that needs it says which parameter is missing instead of guessing.

import type { FieldIssue } from './errors.js';
import { CALCULATOR_POLICY_INFO } from './calculators/policy-catalogue.js';
import { POLICY_KEYS, type ParamLookup, type PolicyKey, type ResolvedParam, type Text } from './policy-types.js';

export type RegionLevel = 'national' | 'province' | 'county';
export type PolicyUnit = 'yuan_per_person_year' | 'yuan_per_year' | 'percent' | 'days' | 'working_days' | 'months' | 'years' | 'multiple' | 'mu_per_person'
  | 'yuan' | 'yuan_per_mu' | 'yuan_per_mu_year' | 'kilowatt';

export const UNIT_LABELS: Record<PolicyUnit, Text> = {
  yuan_per_person_year: { zh: '元/人·年', en: 'yuan per person per year' },
  yuan_per_year: { zh: '元/年', en: 'yuan per year' },
  percent: { zh: '%', en: '%' },
  days: { zh: '天', en: 'days' },
  working_days: { zh: '个工作日', en: 'working days' },
  months: { zh: '个月', en: 'months' },
  years: { zh: '年', en: 'years' },
  multiple: { zh: '倍', en: 'times' },
  mu_per_person: { zh: '亩/人', en: 'mu per person' },
  yuan: { zh: '元', en: 'yuan' },
  yuan_per_mu: { zh: '元/亩', en: 'yuan per mu' },
  yuan_per_mu_year: { zh: '元/亩·年', en: 'yuan per mu per year' },
  kilowatt: { zh: '千瓦', en: 'kW' },
};

export const REGION_LEVEL_LABELS: Record<RegionLevel, Text> = {
  national: { zh: '全国', en: 'national' },
  province: { zh: '省级', en: 'province' },
  county: { zh: '县级', en: 'county' },
};

export interface PolicyKeyInfo {
  key: PolicyKey;
  name: Text;
  unit: PolicyUnit;
  unitLabel: Text;
  description: Text;
  /** The region levels at which a row makes sense (validation refuses the others). */
  levels: readonly RegionLevel[];
  /** Whole numbers only (days, months, years). */
  integer: boolean;
  /** Smallest allowed value (0 unless said). */
  min: number;
  /** Largest allowed value: 100 for percentages. */
  max?: number;
  /** true for project defaults that are not published policy. */
  projectDefault: boolean;
}

type InfoInput = Omit<PolicyKeyInfo, 'key' | 'unitLabel' | 'integer' | 'min' | 'max' | 'projectDefault'> & {
  min?: number;
  projectDefault?: boolean;
};

const ALL: readonly RegionLevel[] = ['national', 'province', 'county'];
const WHOLE_UNITS: readonly PolicyUnit[] = ['days', 'working_days', 'months', 'years'];

const INFO: Record<PolicyKey, InfoInput> = {
  ...CALCULATOR_POLICY_INFO, // domain/calculators/policy-catalogue.ts
  poverty_line: {
    name: { zh: '农村贫困标准（贫困线）', en: 'Rural poverty line' },
    unit: 'yuan_per_person_year',
    description: {
      zh: '2010 年不变价每人每年 2300 元的现价值；人均纯收入低于它即收入不达标（取值为该年起适用，直到下一行）',
      en: 'The 2,300-yuan line at 2010 prices, in current prices; per-capita net income below it fails the income check (a row applies from its year until the next row)',
    },
    levels: ALL,
  },
  village_exit_incidence_max_pct: {
    name: { zh: '贫困村出列贫困发生率上限', en: 'Village exit: maximum poverty incidence' },
    unit: 'percent',
    description: {
      zh: '贫困村出列要求贫困发生率降至此值以下（含本数）：一般 2%，西部地区 3%',
      en: 'A poor village may exit when its poverty incidence is at or below this: 2% in general, 3% in the west',
    },
    levels: ALL,
  },
  county_exit_incidence_max_pct: {
    name: { zh: '贫困县摘帽贫困发生率上限', en: 'County exit: maximum poverty incidence' },
    unit: 'percent',
    description: {
      zh: '贫困县摘帽要求贫困发生率降至此值以下（含本数）：一般 2%，西部地区 3%',
      en: 'A poor county may exit (摘帽) when its poverty incidence is at or below this: 2% in general, 3% in the west',
    },
    levels: ALL,
  },
  wrong_exit_rate_max_pct: {
    name: { zh: '错退率上限', en: 'Maximum wrong-exit rate' },
    unit: 'percent',
    description: {
      zh: '错退率 = 抽查已脱贫人口中错误退出的人数 / 抽查已脱贫人数；高于此值则县摘帽评估不通过',
      en: 'Wrong-exit rate = wrongly exited / sampled exited people; above this the county exit assessment fails',
    },
    levels: ALL,
  },
  omission_rate_max_pct: {
    name: { zh: '漏评率上限', en: 'Maximum omission rate' },
    unit: 'percent',
    description: {
      zh: '漏评率 = 核实漏评人数 / 抽查的未建档立卡农村人口；高于此值则县摘帽评估不通过',
      en: 'Omission rate = verified omitted / sampled non-registered rural people; above this the county exit assessment fails',
    },
    levels: ALL,
  },
  approval_min_pct: {
    name: { zh: '群众认可度下限', en: 'Minimum public approval' },
    unit: 'percent',
    description: {
      zh: '群众认可度 = 认可户数 / 调查户数；低于此值则县摘帽评估不通过',
      en: 'Approval = approving / surveyed households; below this the county exit assessment fails',
    },
    levels: ALL,
  },
  monitoring_income_threshold: {
    name: { zh: '防返贫监测收入标准', en: 'Monitoring income threshold' },
    unit: 'yuan_per_person_year',
    description: {
      zh: '人均纯收入低于此值的农户纳入防返贫监测范围；由各省每年确定。未设置时按“监测收入倍数 × 贫困线”计算',
      en: 'Households with per-capita net income below this are in the monitoring range; set by each province each year. When not set, the monitoring multiple × the poverty line is used',
    },
    levels: ['province', 'county'],
  },
  monitoring_income_line_multiple: {
    name: { zh: '监测收入倍数（相对贫困线）', en: 'Monitoring income multiple of the poverty line' },
    unit: 'multiple',
    description: {
      zh: '2020 年指导意见：监测范围约为贫困线的 1.5 倍；仅在未设置监测收入标准时使用',
      en: '2020 guidance: the monitoring range is about 1.5 × the poverty line; used only when no monitoring threshold is set',
    },
    levels: ALL,
  },
  identification_notice_days: {
    name: { zh: '识别公示天数', en: 'Identification notice period' },
    unit: 'days',
    description: {
      zh: '两公示一公告中每次公示的最短天数；公示期内有异议则退回',
      en: 'Minimum length of each notice of the identification procedure (两公示一公告); an objection during a notice sends the case back',
    },
    levels: ALL,
  },
  exit_notice_days: {
    name: { zh: '脱贫退出公示天数', en: 'Household exit notice period' },
    unit: 'days',
    description: {
      zh: '农户脱贫退出前村内公示的最短天数（项目默认值，非公开政策；请按本地规定修改）',
      en: 'Minimum length of the village notice before a household exits (project default, not published policy; set the local rule)',
    },
    levels: ALL,
    projectDefault: true,
  },
  monitoring_notice_days: {
    name: { zh: '监测对象公示天数', en: 'Monitoring notice period' },
    unit: 'days',
    description: {
      zh: '防返贫监测对象识别时村内公示的最短天数',
      en: 'Minimum length of the village notice when a household is identified for monitoring',
    },
    levels: ALL,
  },
  monitoring_identification_working_days: {
    name: { zh: '监测对象识别时限', en: 'Monitoring identification deadline' },
    unit: 'working_days',
    description: {
      zh: '从发现到完成监测对象识别的期限（工作日），超过即标记逾期',
      en: 'Working days from discovery to the end of identification of a monitoring case; later is flagged overdue',
    },
    levels: ALL,
    min: 1,
  },
  risk_elimination_min_months: {
    name: { zh: '风险消除最短月数', en: 'Risk elimination: minimum months' },
    unit: 'months',
    description: {
      zh: '收入持续稳定高于监测范围的最短月数，也是识别为监测对象后到风险消除的最短月数',
      en: 'Minimum months of income stably above the monitoring range, and minimum months since identification, before the risk can be marked eliminated',
    },
    levels: ALL,
  },
  exit_stable_years: {
    name: { zh: '稳定脱贫年数', en: 'Years of stable income for exit' },
    unit: 'years',
    description: {
      zh: '脱贫要求收入“稳定”达标：该户截至评估年度最近 N 个连续年度的年度记录，人均纯收入均不低于当年贫困线（N 为本参数；项目默认值，非公开政策）',
      en: 'Exit needs income "stably" above the line: the household\'s last N consecutive yearly records up to the year evaluated all have per-capita net income at or above that year\'s line (N is this parameter; project default, not published policy)',
    },
    levels: ALL,
    min: 1,
    projectDefault: true,
  },
  income_drop_alert_pct: {
    name: { zh: '收入下降预警比例', en: 'Income drop alert' },
    unit: 'percent',
    description: {
      zh: '人均纯收入比上年下降超过此比例时产生监测预警（项目默认值，非公开政策）',
      en: 'An alert is raised when per-capita net income falls by more than this percentage year on year (project default, not published policy)',
    },
    levels: ALL,
    projectDefault: true,
  },
  medical_oop_alert_yuan: {
    name: { zh: '大额医疗自付预警金额', en: 'Large medical out-of-pocket alert' },
    unit: 'yuan_per_year',
    description: {
      zh: '一户一年医疗自付费用超过此金额时产生监测预警（项目默认值，非公开政策）',
      en: 'An alert is raised when a household\'s medical out-of-pocket spending in a year exceeds this (project default, not published policy)',
    },
    levels: ALL,
    projectDefault: true,
  },
  dq_income_min_yuan: {
    name: { zh: '数据质量：人均纯收入下限', en: 'Data quality: lowest plausible per-capita income' },
    unit: 'yuan_per_person_year',
    description: {
      zh: '人均纯收入不高于此值（含本数）的年度记录提示核实（数据质量规则，实际系统常用 0；非公开政策）',
      en: 'A yearly record whose per-capita net income is at or below this is flagged for checking (a data-quality rule; real systems use 0; not published policy)',
    },
    levels: ALL,
    projectDefault: true,
  },
  dq_income_max_yuan: {
    name: { zh: '数据质量：人均纯收入上限', en: 'Data quality: highest plausible per-capita income' },
    unit: 'yuan_per_person_year',
    description: {
      zh: '人均纯收入高于此值的年度记录提示核实（数据质量规则，实际系统常用 100000；非公开政策）',
      en: 'A yearly record whose per-capita net income is above this is flagged for checking (a data-quality rule; real systems use 100,000; not published policy)',
    },
    levels: ALL,
    min: 1,
    projectDefault: true,
  },
  dq_farmland_mu_per_person_max: {
    name: { zh: '数据质量：人均耕地上限', en: 'Data quality: most farmland per person' },
    unit: 'mu_per_person',
    description: {
      zh: '耕地面积除以家庭人口高于此值的年度记录提示核实（数据质量规则，实际系统常用 50 亩；非公开政策）',
      en: 'A yearly record whose farmland divided by household size is above this is flagged for checking (a data-quality rule; real systems use 50 mu; not published policy)',
    },
    levels: ALL,
    min: 1,
    projectDefault: true,
  },
  dq_forest_mu_per_person_max: {
    name: { zh: '数据质量：人均林地上限', en: 'Data quality: most forest land per person' },
    unit: 'mu_per_person',
    description: {
      zh: '林地面积除以家庭人口高于此值的年度记录提示核实（数据质量规则，实际系统常用 70 亩；非公开政策）',
      en: 'A yearly record whose forest land divided by household size is above this is flagged for checking (a data-quality rule; real systems use 70 mu; not published policy)',
    },
    levels: ALL,
    min: 1,
    projectDefault: true,
  },
};

/** Every key, in POLICY_KEYS order, with names, units, descriptions and levels. */
export const POLICY_CATALOGUE: readonly PolicyKeyInfo[] = POLICY_KEYS.map((key) => {
  const i = INFO[key];
  return {
    key,
    name: i.name,
    unit: i.unit,
    unitLabel: UNIT_LABELS[i.unit],
    description: i.description,
    levels: i.levels,
    integer: WHOLE_UNITS.includes(i.unit),
    min: i.min ?? 0,
    ...(i.unit === 'percent' ? { max: 100 } : {}),
    projectDefault: i.projectDefault ?? false,
  };
});

const byKey = new Map(POLICY_CATALOGUE.map((c) => [c.key as string, c]));

export function isPolicyKey(k: unknown): k is PolicyKey {
  return typeof k === 'string' && byKey.has(k);
}

export function policyKeyInfo(key: PolicyKey): PolicyKeyInfo {
  return byKey.get(key)!;
}

// --- regions ----------------------------------------------------------------------------------

/** Province-level codes of mainland China (GB/T 2260), for naming and checking 2-digit regions. */
export const PROVINCES: Readonly<Record<string, Text>> = {
  '11': { zh: '北京市', en: 'Beijing' },
  '12': { zh: '天津市', en: 'Tianjin' },
  '13': { zh: '河北省', en: 'Hebei' },
  '14': { zh: '山西省', en: 'Shanxi' },
  '15': { zh: '内蒙古自治区', en: 'Inner Mongolia' },
  '21': { zh: '辽宁省', en: 'Liaoning' },
  '22': { zh: '吉林省', en: 'Jilin' },
  '23': { zh: '黑龙江省', en: 'Heilongjiang' },
  '31': { zh: '上海市', en: 'Shanghai' },
  '32': { zh: '江苏省', en: 'Jiangsu' },
  '33': { zh: '浙江省', en: 'Zhejiang' },
  '34': { zh: '安徽省', en: 'Anhui' },
  '35': { zh: '福建省', en: 'Fujian' },
  '36': { zh: '江西省', en: 'Jiangxi' },
  '37': { zh: '山东省', en: 'Shandong' },
  '41': { zh: '河南省', en: 'Henan' },
  '42': { zh: '湖北省', en: 'Hubei' },
  '43': { zh: '湖南省', en: 'Hunan' },
  '44': { zh: '广东省', en: 'Guangdong' },
  '45': { zh: '广西壮族自治区', en: 'Guangxi' },
  '46': { zh: '海南省', en: 'Hainan' },
  '50': { zh: '重庆市', en: 'Chongqing' },
  '51': { zh: '四川省', en: 'Sichuan' },
  '52': { zh: '贵州省', en: 'Guizhou' },
  '53': { zh: '云南省', en: 'Yunnan' },
  '54': { zh: '西藏自治区', en: 'Tibet' },
  '61': { zh: '陕西省', en: 'Shaanxi' },
  '62': { zh: '甘肃省', en: 'Gansu' },
  '63': { zh: '青海省', en: 'Qinghai' },
  '64': { zh: '宁夏回族自治区', en: 'Ningxia' },
  '65': { zh: '新疆维吾尔自治区', en: 'Xinjiang' },
};

/** '' national, 2 digits province, 6 digits county; undefined for anything else. */
export function regionLevelOf(region: string): RegionLevel | undefined {
  if (region === '') return 'national';
  if (/^\d{2}$/.test(region)) return 'province';
  if (/^\d{6}$/.test(region)) return 'county';
  return undefined;
}

/** The regions that apply to an area code of any length, most specific first. */
export function regionsFor(areaCode: string): string[] {
  const code = /^\d+$/.test(areaCode) ? areaCode : '';
  const out: string[] = [];
  if (code.length >= 6) out.push(code.slice(0, 6));
  if (code.length >= 2) out.push(code.slice(0, 2));
  out.push('');
  return out;
}

// --- rows and resolution ----------------------------------------------------------------------

/** One dated, sourced value: the shape of a `policy_parameters` row and of a shipped default. */
export interface PolicyRow {
  key: PolicyKey;
  year: number;
  /** '' national, 2-digit province code or 6-digit county code. */
  region: string;
  /** null: the parameter exists but its value is unknown. */
  value: number | null;
  source: string;
  note?: string | null;
}

/**
 * The row in force for `key` in `year` at `areaCode` (any length; county = first 6 digits,
 * province = first 2): the most specific region with a row of year ≤ `year`, and of that region
 * the latest such row. A null value stays null (no fallback to an older or wider value).
 */
export function resolveParam(rows: readonly PolicyRow[], key: PolicyKey, year: number, areaCode: string): ResolvedParam | undefined {
  for (const region of regionsFor(areaCode)) {
    let best: PolicyRow | undefined;
    for (const r of rows) {
      if (r.key !== key || r.region !== region || r.year > year) continue;
      if (!best || r.year > best.year) best = r;
    }
    if (best) return { key, value: best.value, year: best.year, region: best.region, source: best.source };
  }
  return undefined;
}

/** A ParamLookup bound to one year and area; only the rows of its regions are kept. */
export function lookupFor(rows: readonly PolicyRow[], year: number, areaCode: string): ParamLookup {
  const regions = new Set(regionsFor(areaCode));
  const mine = rows.filter((r) => regions.has(r.region) && r.year <= year);
  return (key) => resolveParam(mine, key, year, areaCode);
}

// --- shipped defaults: domain/policy-defaults.ts ---------------------------------------------

export { DATA_QUALITY_SOURCE, DEFAULT_POLICY_ROWS, PROJECT_DEFAULT_SOURCE } from './policy-defaults.js';

// --- validation of a change -------------------------------------------------------------------

export const MIN_POLICY_YEAR = 1978;
export const MAX_POLICY_YEAR = 2100;
const MAX_SOURCE = 2000;
const MAX_NOTE = 2000;

function shown(v: unknown): string {
  if (v === undefined) return '';
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}

/**
 * Checks one parameter change {key, year, region, value, source, note}. `value` must be a finite
 * number or null (unknown); every problem is reported, each naming its field.
 */
export function validatePolicyChange(raw: Record<string, unknown>): { value?: PolicyRow; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const add = (field: string, v: unknown, zh: string, en: string) => issues.push({ field, ...(v === undefined ? {} : { value: shown(v) }), zh, en });

  const key = raw.key;
  const info = isPolicyKey(key) ? policyKeyInfo(key) : undefined;
  if (key === undefined || key === null || key === '') {
    add('key', undefined, '缺少参数名 key；可用 `jingzhun policy list` 查看全部参数', 'The parameter key is required; `jingzhun policy list` lists them');
  } else if (!info) {
    add('key', key, `没有参数 ${shown(key)}；可选：${POLICY_KEYS.join('、')}`, `Unknown parameter ${shown(key)}; known keys: ${POLICY_KEYS.join(', ')}`);
  }

  const year = raw.year;
  if (year === undefined || year === null || year === '') {
    add('year', undefined, '缺少年度 year（该值自哪一年起适用）', 'The year is required (the year the value takes effect)');
  } else if (typeof year !== 'number' || !Number.isInteger(year) || year < MIN_POLICY_YEAR || year > MAX_POLICY_YEAR) {
    add('year', year, `年度应为 ${MIN_POLICY_YEAR}–${MAX_POLICY_YEAR} 之间的整数`, `The year must be a whole number from ${MIN_POLICY_YEAR} to ${MAX_POLICY_YEAR}`);
  }

  const region = raw.region === undefined || raw.region === null ? '' : raw.region;
  const level = typeof region === 'string' ? regionLevelOf(region) : undefined;
  if (!level) {
    add('region', region, '区域应为空（全国）、2 位省级代码或 6 位县级代码', 'The region must be empty (national), a 2-digit province code or a 6-digit county code');
  } else if (level === 'province' && !PROVINCES[region as string]) {
    add('region', region, `${String(region)} 不是省级行政区代码（如 15 内蒙古自治区）`, `${String(region)} is not a province code (e.g. 15 Inner Mongolia)`);
  } else if (info && !info.levels.includes(level)) {
    add(
      'region',
      region,
      `参数 ${info.key} 不能按${REGION_LEVEL_LABELS[level].zh}设置；可用：${info.levels.map((l) => REGION_LEVEL_LABELS[l].zh).join('、')}`,
      `${info.key} cannot be set at ${REGION_LEVEL_LABELS[level].en} level; allowed: ${info.levels.map((l) => REGION_LEVEL_LABELS[l].en).join(', ')}`,
    );
  }

  const value = raw.value;
  if (value === undefined) {
    add('value', undefined, '缺少数值 value；数值未知时请明确设为未知（null / --unknown）', 'The value is required; when it is unknown, set it to unknown explicitly (null / --unknown)');
  } else if (value !== null) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      add('value', value, '数值应为数字，未知时设为 null（命令行用 --unknown）', 'The value must be a number, or null when unknown (--unknown on the command line)');
    } else if (value < (info?.min ?? 0)) {
      add('value', value, `数值不能小于 ${info?.min ?? 0}`, `The value cannot be below ${info?.min ?? 0}`);
    } else if (info?.max !== undefined && value > info.max) {
      add('value', value, `${info.key} 是百分比，不能大于 ${info.max}`, `${info.key} is a percentage and cannot exceed ${info.max}`);
    } else if (info?.integer && !Number.isInteger(value)) {
      add('value', value, `${info.key} 的单位是${info.unitLabel.zh}，应为整数`, `${info.key} is in ${info.unitLabel.en} and must be a whole number`);
    }
  }

  const source = typeof raw.source === 'string' ? raw.source.trim() : raw.source;
  if (source === undefined || source === null || source === '') {
    add('source', undefined, '缺少来源 source：请写明依据的文件（名称、文号或网址、日期）', 'The source is required: name the document (title, number or address, date)');
  } else if (typeof source !== 'string') {
    add('source', source, '来源应为文字', 'The source must be text');
  } else if (source.length > MAX_SOURCE) {
    add('source', undefined, `来源过长（最多 ${MAX_SOURCE} 字）`, `The source is too long (at most ${MAX_SOURCE} characters)`);
  }

  const note = typeof raw.note === 'string' ? raw.note.trim() : raw.note;
  if (note !== undefined && note !== null && typeof note !== 'string') {
    add('note', note, '备注应为文字', 'The note must be text');
  } else if (typeof note === 'string' && note.length > MAX_NOTE) {
    add('note', undefined, `备注过长（最多 ${MAX_NOTE} 字）`, `The note is too long (at most ${MAX_NOTE} characters)`);
  }

  if (issues.length) return { issues };
  return {
    value: { key: key as PolicyKey, year: year as number, region: region as string, value: value as number | null, source: source as string, note: note ? (note as string) : null },
    issues: [],
  };
}
