// Relapse-monitoring rules (防返贫动态监测, domain.md §4 and §6, issue 4): pure functions that look
// at one household's yearly records, members and matched department records and return the
// alerts it raises, each with the facts, the parameters read and a reason in Chinese and English.
// Parameters come only from a ParamLookup (resolved once per county and year by monitoringParams);
// a parameter that is missing never gets guessed: the rules that need it stay silent and the
// missing parameter is reported instead.
//
// Scope of the income rules: households that are not registered as poor in the year (脱贫标志 not
// 0 未脱贫 or 3 返贫). Monitoring is about relapse: the registered poor are already assisted, so an
// alert for each of them would bury the real signals.

import { labelOf } from './codes.js';
import { fen, paramOrigin, readParam, yuan, type ParamRead } from './evaluate/common.js';
import { maskIdNumber } from './idnumber.js';
import type { ParamLookup, PolicyKey, Text } from './policy-types.js';
import { DEPARTMENT_KIND_LABELS, MATCH_KINDS, YEAR_KINDS, type DepartmentKind, type MonitoringRuleKey } from './monitoring-catalogue.js';
import {
  cite, type DepartmentRecordFacts, type HouseholdScanInput, type Json, type MemberFacts, type MissingParam, type MonitoringAlert,
  type MonitoringParams, type YearFacts,
} from './monitoring-inputs.js';
import { DQ_PARAM_RULES, registerAlerts } from './monitoring-register.js';

export * from './monitoring-catalogue.js';

export * from './monitoring-inputs.js';

// --- parameters ----------------------------------------------------------------------------------

const positive = (v: number) => v > 0;

function missingOf(read: ParamRead, key: PolicyKey, year: number, rules: MonitoringRuleKey[]): MissingParam[] {
  return read.missing ? [{ key, year, rules, reason: read.missing }] : [];
}

/** Resolves what the rules need for one year and area; missing parameters are listed, never guessed. */
export function monitoringParams(lookup: ParamLookup, year: number): MonitoringParams {
  const line = readParam(lookup, 'poverty_line', year, positive);
  const multiple = readParam(lookup, 'monitoring_income_line_multiple', year, positive);
  const own = readParam(lookup, 'monitoring_income_threshold', year, positive);
  const drop = readParam(lookup, 'income_drop_alert_pct', year, (v) => v >= 0 && v < 100);
  const medical = readParam(lookup, 'medical_oop_alert_yuan', year, (v) => v >= 0);
  const dqIncomeMin = readParam(lookup, 'dq_income_min_yuan', year);
  const dqIncomeMax = readParam(lookup, 'dq_income_max_yuan', year, positive);
  const dqFarmland = readParam(lookup, 'dq_farmland_mu_per_person_max', year, positive);
  const dqForest = readParam(lookup, 'dq_forest_mu_per_person_max', year, positive);
  const missing: MissingParam[] = [];
  let threshold: MonitoringParams['threshold'];
  if (own.value !== null) {
    const p = own.param!;
    threshold = {
      fen: fen(own.value), basis: 'threshold', params: [p],
      how: { zh: `防返贫监测收入标准 ${yuan(own.value)} 元（${cite(p).zh}）`, en: `the monitoring income threshold of ${yuan(own.value)} yuan (${cite(p).en})` },
    };
  } else {
    const state = own.param
      ? { zh: `${paramOrigin(own.param).zh}：已登记但数值未知`, en: `${paramOrigin(own.param).en}: listed but its value is unknown` }
      : { zh: '未设置', en: 'not set' };
    if (line.value !== null && multiple.value !== null) {
      const lineFen = fen(line.value);
      const value = Math.round(Number((lineFen * multiple.value).toPrecision(15)));
      threshold = {
        fen: value, basis: 'multiple', params: [...(own.param ? [own.param] : []), multiple.param!, line.param!],
        how: {
          zh: `防返贫监测收入标准 monitoring_income_threshold ${year} 年不可用（${state.zh}），按监测收入倍数 ${multiple.value} × 贫困线 ${yuan(line.value)} 元 = ${yuan(value / 100)} 元计算（${cite(multiple.param!).zh}；${cite(line.param!).zh}）`,
          en: `no monitoring_income_threshold is usable for ${year} (${state.en}), so the monitoring multiple ${multiple.value} × the poverty line ${yuan(line.value)} yuan = ${yuan(value / 100)} yuan is used (${cite(multiple.param!).en}; ${cite(line.param!).en})`,
        },
      };
    } else {
      threshold = {
        fen: null, basis: null, params: [...(own.param ? [own.param] : []), ...(multiple.param ? [multiple.param] : []), ...(line.param ? [line.param] : [])],
        how: { zh: '监测收入标准无法确定', en: 'the monitoring threshold cannot be worked out' },
      };
      missing.push(...missingOf(own, 'monitoring_income_threshold', year, ['income_below_threshold']));
      missing.push(...missingOf(multiple, 'monitoring_income_line_multiple', year, ['income_below_threshold']));
    }
  }
  // poverty_line is needed by exited_below_line, and by the threshold when it falls back to the multiple.
  if (line.missing) {
    const rules: MonitoringRuleKey[] = threshold.fen === null ? ['income_below_threshold', 'exited_below_line'] : ['exited_below_line'];
    missing.push({ key: 'poverty_line', year, rules, reason: line.missing });
  }
  missing.push(...missingOf(drop, 'income_drop_alert_pct', year, ['income_drop']));
  missing.push(...missingOf(medical, 'medical_oop_alert_yuan', year, ['large_medical_cost']));
  for (const [key, read] of [['dq_income_min_yuan', dqIncomeMin], ['dq_income_max_yuan', dqIncomeMax], ['dq_farmland_mu_per_person_max', dqFarmland], ['dq_forest_mu_per_person_max', dqForest]] as const) {
    missing.push(...missingOf(read, key, year, [DQ_PARAM_RULES[key]]));
  }
  const hundredths = (r: ParamRead) => (r.value === null ? null : Math.round(Number((r.value * 100).toPrecision(15))));
  return {
    year,
    threshold,
    line: { fen: line.value === null ? null : fen(line.value), read: line },
    dropPct: { hundredths: drop.value === null ? null : Math.round(drop.value * 100), read: drop },
    medical: { fen: medical.value === null ? null : fen(medical.value), read: medical },
    dq: {
      incomeMin: { fen: dqIncomeMin.value === null ? null : fen(dqIncomeMin.value), read: dqIncomeMin },
      incomeMax: { fen: dqIncomeMax.value === null ? null : fen(dqIncomeMax.value), read: dqIncomeMax },
      farmland: { hundredths: hundredths(dqFarmland), read: dqFarmland },
      forest: { hundredths: hundredths(dqForest), read: dqForest },
    },
    missing,
  };
}

// --- evaluation ----------------------------------------------------------------------------------

const POOR_STATUSES = new Set(['0', '3']);
const EXITED_STATUSES = new Set(['1', '4']);

function status(code: string): Text {
  return { zh: labelOf('exitStatus', code, 'zh'), en: labelOf('exitStatus', code, 'en') };
}

/** "12.34" for a drop of (prev − cur) / prev, for display only (the decision compares integers). */
function pctText(dropFen: number, prevFen: number): string {
  return ((dropFen * 100) / prevFen).toFixed(2);
}

function recordFacts(r: DepartmentRecordFacts, member: MemberFacts): Record<string, Json> {
  return {
    recordId: r.id, batch: r.batch, department: r.department, detail: r.detail, amount: r.amount, date: r.date,
    memberId: member.id, memberName: member.name, idNumber: maskIdNumber(member.idNumber),
  };
}

function recordText(r: DepartmentRecordFacts, m: MemberFacts): Text {
  const who = `${m.name}（${maskIdNumber(m.idNumber)}）`;
  const whoEn = `${m.name} (${maskIdNumber(m.idNumber)})`;
  const zh = [r.detail ? `详情：${r.detail}` : '', r.amount !== null ? `金额 ${r.amount.toLocaleString('en-US')} 元` : '', r.date ? `日期 ${r.date}` : ''].filter(Boolean).join('，');
  const en = [r.detail ? `detail: ${r.detail}` : '', r.amount !== null ? `amount ${r.amount.toLocaleString('en-US')} yuan` : '', r.date ? `date ${r.date}` : ''].filter(Boolean).join(', ');
  return { zh: `${who}，${r.department}${zh ? `，${zh}` : ''}`, en: `${whoEn}, ${r.department}${en ? `, ${en}` : ''}` };
}

const SHOWN_RECORDS = 5;

function listRecords(items: { r: DepartmentRecordFacts; m: MemberFacts }[]): Text {
  const shown = items.slice(0, SHOWN_RECORDS).map(({ r, m }) => recordText(r, m));
  const more = items.length - shown.length;
  return {
    zh: shown.map((t) => t.zh).join('；') + (more > 0 ? `；另有 ${more} 条` : ''),
    en: shown.map((t) => t.en).join('; ') + (more > 0 ? `; and ${more} more` : ''),
  };
}

/** The year of a YYYY-MM-DD date, or null. */
const yearKinds: ReadonlySet<DepartmentKind> = new Set(YEAR_KINDS);
function isYearKind(k: DepartmentKind): boolean {
  return yearKinds.has(k);
}

/** What each reported event asks the village to do, by rule. */
const EVENT_RULES = [
  {
    kind: 'disaster', rule: 'disaster_reported',
    todo: { zh: '请入户核实受灾损失，影响基本生活的纳入监测（因灾）并落实救助', en: 'check the losses on a home visit; if basic living is affected, start monitoring (disaster) and arrange relief' },
  },
  {
    kind: 'accident', rule: 'accident_reported',
    todo: { zh: '请入户核实伤情及对医疗支出和收入的影响，确有困难的纳入监测（因意外）', en: 'check the injuries and their effect on medical costs and income on a home visit; start monitoring (accident) if the hardship is real' },
  },
  {
    kind: 'dropout', rule: 'dropout_reported',
    todo: { zh: '请会同学校劝返复学（控辍保学），因贫失学的纳入监测（因学）', en: 'work with the school to bring the child back (控辍保学); start monitoring (schooling) if poverty is the cause' },
  },
] as const satisfies readonly { kind: DepartmentKind; rule: MonitoringRuleKey; todo: Text }[];

function yearOf(date: string | null): number | null {
  return date && /^\d{4}-/.test(date) ? Number(date.slice(0, 4)) : null;
}

function incomeFacts(r: YearFacts): Record<string, Json> {
  return { year: r.year, status: r.status, householdSize: r.householdSize, perCapitaIncome: r.perCapitaIncome };
}

/**
 * The alerts one household raises for `params.year`, and the parameters its rules missed. The
 * record of `input.year` must be of that year; records of other years are ignored.
 */
export function householdAlerts(input: HouseholdScanInput, params: MonitoringParams): { alerts: MonitoringAlert[]; missing: MissingParam[] } {
  const year = params.year;
  const alerts: MonitoringAlert[] = [];
  const needed = new Set<MonitoringRuleKey>();
  const rec = input.record && input.record.year === year ? input.record : null;
  const prev = input.previous && input.previous.year === year - 1 ? input.previous : null;

  if (rec && !POOR_STATUSES.has(rec.status)) {
    const cur = fen(rec.perCapitaIncome);
    needed.add('income_below_threshold');
    const t = params.threshold;
    if (t.fen !== null && cur < t.fen) {
      alerts.push({
        rule: 'income_below_threshold', year,
        facts: { ...incomeFacts(rec), threshold: t.fen / 100, thresholdBasis: t.basis },
        params: t.params.map((p) => ({ ...p })),
        reason: {
          zh: `${year} 年人均纯收入 ${yuan(rec.perCapitaIncome)} 元，低于${t.how.zh}`,
          en: `Per-capita net income in ${year} is ${yuan(rec.perCapitaIncome)} yuan, below ${t.how.en}`,
        },
      });
    }
    if (prev) {
      needed.add('income_drop');
      const before = fen(prev.perCapitaIncome);
      const h = params.dropPct.hundredths;
      const p = params.dropPct.read.param;
      // (before − cur) / before > pct / 100, in integers: (before − cur) · 10000 > pct·100 · before.
      if (h !== null && p && before > 0 && (before - cur) * 10000 > h * before) {
        const pct = pctText(before - cur, before);
        alerts.push({
          rule: 'income_drop', year,
          facts: { ...incomeFacts(rec), previousYear: prev.year, previousPerCapitaIncome: prev.perCapitaIncome, previousHouseholdSize: prev.householdSize, dropPct: Number(pct) },
          params: [{ ...p }],
          reason: {
            zh: `人均纯收入由 ${prev.year} 年的 ${yuan(prev.perCapitaIncome)} 元降至 ${year} 年的 ${yuan(rec.perCapitaIncome)} 元，下降 ${pct}%，超过收入骤减预警比例 ${p.value}%（${cite(p).zh}）`,
            en: `Per-capita net income fell from ${yuan(prev.perCapitaIncome)} yuan in ${prev.year} to ${yuan(rec.perCapitaIncome)} yuan in ${year}, a drop of ${pct}%, more than the alert percentage of ${p.value}% (${cite(p).en})`,
          },
        });
      }
    }
  }

  if (rec && EXITED_STATUSES.has(rec.status)) {
    needed.add('exited_below_line');
    const line = params.line;
    const p = line.read.param;
    if (line.fen !== null && p && fen(rec.perCapitaIncome) < line.fen) {
      const s = status(rec.status);
      alerts.push({
        rule: 'exited_below_line', year,
        facts: { ...incomeFacts(rec), povertyLine: line.fen / 100 },
        params: [{ ...p }],
        reason: {
          zh: `${year} 年脱贫标志为“${s.zh}”，但人均纯收入 ${yuan(rec.perCapitaIncome)} 元低于当年贫困线 ${yuan(line.fen / 100)} 元（${cite(p).zh}）；请核实收入数据，确有困难的启动监测`,
          en: `The ${year} status is "${s.en}" but per-capita net income of ${yuan(rec.perCapitaIncome)} yuan is below that year's poverty line of ${yuan(line.fen / 100)} yuan (${cite(p).en}); check the income data and start monitoring if the hardship is real`,
        },
      });
    }
  }

  // Department records, matched by ID number.
  const byId = new Map(input.members.map((m) => [m.idKey ?? m.idNumber, m]));
  const matched = new Map<DepartmentKind, { r: DepartmentRecordFacts; m: MemberFacts }[]>();
  for (const r of input.departmentRecords ?? []) {
    const m = byId.get(r.idKey ?? r.idNumber);
    if (!m) continue;
    const y = yearOf(r.date);
    // Events (costs, disasters, accidents, dropouts) count in their own year; a vehicle or a
    // company recorded after the year scanned does not count for it.
    if (isYearKind(r.kind) ? y !== year : y !== null && y > year) continue;
    const list = matched.get(r.kind);
    if (list) list.push({ r, m });
    else matched.set(r.kind, [{ r, m }]);
  }
  for (const kind of MATCH_KINDS) {
    const items = matched.get(kind);
    if (!items?.length) continue;
    const label = DEPARTMENT_KIND_LABELS[kind];
    const list = listRecords(items);
    alerts.push({
      rule: `department:${kind}`, year,
      facts: { kind, count: items.length, records: items.map(({ r, m }) => recordFacts(r, m)) },
      params: [],
      reason: {
        zh: `数据比对：家庭成员出现在其他部门的${label.zh}记录中（${list.zh}）；请入户核实，属实的按规定调整`,
        en: `Cross-check: a household member is in another department's ${label.en} records (${list.en}); verify on a home visit and adjust the record as the rules require`,
      },
    });
  }
  for (const { kind, rule, todo } of EVENT_RULES) {
    const items = matched.get(kind);
    if (!items?.length) continue;
    const label = DEPARTMENT_KIND_LABELS[kind];
    const list = listRecords(items);
    alerts.push({
      rule, year,
      facts: { kind, count: items.length, records: items.map(({ r, m }) => recordFacts(r, m)) },
      params: [],
      reason: {
        zh: `${year} 年家庭成员出现在部门${label.zh}记录中（${list.zh}）；${todo.zh}`,
        en: `A household member is in a department's ${label.en} records of ${year} (${list.en}); ${todo.en}`,
      },
    });
  }
  const costs = matched.get('medical_cost');
  if (costs?.length) {
    needed.add('large_medical_cost');
    const p = params.medical.read.param;
    const line = params.medical.fen;
    const totalFen = costs.reduce((s, { r }) => s + fen(r.amount ?? 0), 0);
    if (line !== null && p && totalFen > line) {
      const list = listRecords(costs);
      alerts.push({
        rule: 'large_medical_cost', year,
        facts: { total: totalFen / 100, count: costs.length, alertLine: line / 100, records: costs.map(({ r, m }) => recordFacts(r, m)) },
        params: [{ ...p }],
        reason: {
          zh: `${year} 年家庭成员医疗自付费用合计 ${yuan(totalFen / 100)} 元（${costs.length} 条记录：${list.zh}），超过大额医疗支出预警线 ${yuan(line / 100)} 元（${cite(p).zh}）`,
          en: `The household members' medical out-of-pocket costs in ${year} add up to ${yuan(totalFen / 100)} yuan (${costs.length} records: ${list.en}), more than the alert line of ${yuan(line / 100)} yuan (${cite(p).en})`,
        },
      });
    }
  }
  const register = registerAlerts(rec, input.household ?? null, params);
  alerts.push(...register.alerts);
  for (const r of register.needed) needed.add(r);
  const missing = params.missing
    .map((m) => ({ ...m, rules: m.rules.filter((r) => needed.has(r)) }))
    .filter((m) => m.rules.length > 0);
  return { alerts, missing };
}

/** One household with its own lookup: monitoringParams then householdAlerts (for single evaluations and tests). */
export function evaluateMonitoring(input: HouseholdScanInput, lookup: ParamLookup): { alerts: MonitoringAlert[]; missing: MissingParam[] } {
  return householdAlerts(input, monitoringParams(lookup, input.year));
}
