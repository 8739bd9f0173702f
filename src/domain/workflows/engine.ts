// A small engine for procedures as state machines (issue 4, Workflows). A case's history is an
// append-only list of events; its state is folded from them (stateOf) and nobody sets it. A step
// is decided by `decide`, which either returns the next event or every reason it is refused at
// once. Undoing is another step (withdraw, reopen, objection), never an edit of an event.
//
// Notices: a step with `startsNotice` starts a notice of N days (a policy parameter) on the local
// day D it is taken; the notice ends on D + N, and the step that closes it may be taken from
// 00:00 China time that day, never earlier. While it runs, an objection (kind 'objection') sends
// the case back to the state before the notice with the objection text recorded; once it has
// ended, objections are refused and the notice must be closed. The end day is stored on the event
// with the parameter used, so a later change of the parameter does not move it.
//
// Deadlines: a step with `startsDeadline` sets `dueOn` = its local day + N working days
// (Monday–Friday; holidays are not modelled, see dates.ts); `overdue` flags it once that day has
// passed and the case has not reached a state that meets it.
//
// Area: the actor's area code must contain the case's village (city_admin included; '*' is every
// area). A case outside it is refused as not found, with no other reason, so its existence does not
// leak. The actor's area level must match the step's level (village 12 digits, township 9,
// county 6), except for city_admin, who may take any step at any level.

import { levelOfCode, isWithin, areaLevelNames } from '../areas.js';
import { NotFound } from '../errors.js';
import { policyKeyInfo } from '../policy.js';
import type { ParamLookup, PolicyKey, ResolvedParam, Text } from '../policy-types.js';
import { roleLabels, type Role } from '../roles.js';
import { addDays, addWorkingDays, daysBetween, localDay } from './dates.js';
import { ATTACHMENT_KINDS, MAX_TEXT_LENGTH, checkAttachments, checkInput } from './fields.js';
import {
  STEP_LEVEL_CODE_LENGTH,
  STEP_LEVEL_LABELS,
  type ActionDef,
  type ActionKind,
  type CaseInfo,
  type FieldDef,
  type Refusal,
  type StepLevel,
  type WorkflowActor,
  type WorkflowDef,
  type WorkflowEvent,
} from './types.js';

export * from './types.js';

/** The refusal for a case outside the actor's area: word for word what NotFound says. */
export function notFoundRefusal(): Refusal {
  const { zh, en } = new NotFound({ zh: '案件', en: 'case' }).msg;
  return { code: 'not_found', zh, en };
}

export function actionOf(def: WorkflowDef, id: string): ActionDef | undefined {
  return def.actions.find((a) => a.id === id);
}

function stateLabel(def: WorkflowDef, s: string): Text {
  return def.states[s]?.label ?? { zh: s, en: s };
}

/** States a step with `startsNotice` leads to. */
export function noticeStates(def: WorkflowDef): Set<string> {
  return new Set(def.actions.filter((a) => a.startsNotice).map((a) => a.to));
}

// --- history -----------------------------------------------------------------------------------

interface Replay {
  state: string;
  /** The event that entered the current state (undefined when there are no events). */
  entered: WorkflowEvent | undefined;
}

function replay(def: WorkflowDef, events: readonly WorkflowEvent[]): Replay {
  let state = def.initial;
  let entered: WorkflowEvent | undefined;
  events.forEach((e, i) => {
    const a = actionOf(def, e.action);
    if (e.seq !== i + 1) throw new Error(`${def.key} history: event ${i + 1} has seq ${e.seq}`);
    if (!a) throw new Error(`${def.key} history: event ${e.seq} has an unknown action ${e.action}`);
    if (e.from !== state || !a.from.includes(state)) throw new Error(`${def.key} history: event ${e.seq} (${e.action}) leaves ${e.from}, but the case was in ${state}`);
    if (e.to !== a.to) throw new Error(`${def.key} history: event ${e.seq} (${e.action}) goes to ${e.to}, the action goes to ${a.to}`);
    state = e.to;
    entered = e;
  });
  return { state, entered };
}

/** The current state, folded from the events (the initial state when there are none). Throws on an inconsistent history. */
export function stateOf(def: WorkflowDef, events: readonly WorkflowEvent[]): string {
  return replay(def, events).state;
}

export interface OpenNotice {
  state: string;
  startedOn: string;
  endsOn: string;
  param: PolicyKey;
}

/** The notice running in the current state (ended or not, until it is closed or objected to). */
export function openNotice(def: WorkflowDef, events: readonly WorkflowEvent[]): OpenNotice | undefined {
  const { state, entered } = replay(def, events);
  if (!entered?.noticeEndsOn) return undefined;
  const param = actionOf(def, entered.action)?.startsNotice;
  if (!param) return undefined;
  return { state, startedOn: localDay(entered.at), endsOn: entered.noticeEndsOn, param };
}

export interface OpenDeadline {
  dueOn: string;
  param: PolicyKey;
  label: Text;
  startedOn: string;
  /** The case has since reached a state that meets it. */
  met: boolean;
}

/** The latest deadline started, and whether a later event met it. */
export function latestDeadline(def: WorkflowDef, events: readonly WorkflowEvent[]): OpenDeadline | undefined {
  replay(def, events);
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    const d = actionOf(def, e.action)?.startsDeadline;
    if (!e.dueOn || !d) continue;
    const met = events.slice(i + 1).some((l) => d.metIn.includes(l.to) || def.states[l.to]?.final === true);
    return { dueOn: e.dueOn, param: d.key, label: d.label, startedOn: localDay(e.at), met };
  }
  return undefined;
}

// --- checks ----------------------------------------------------------------------------------

function inArea(actor: WorkflowActor, villageCode: string): boolean {
  if (levelOfCode(villageCode) !== 5) return false;
  if (actor.areaCode === '*') return true;
  return levelOfCode(actor.areaCode) !== undefined && isWithin(villageCode, actor.areaCode);
}

function mayTake(a: ActionDef, role: Role): boolean {
  return role === 'city_admin' || a.roles.includes(role);
}

function levelName(areaCode: string): Text {
  const l = levelOfCode(areaCode);
  return l ? areaLevelNames[l] : { zh: `无效区划（${areaCode}）`, en: `an invalid area (${areaCode})` };
}

function rightLevel(a: ActionDef, actor: WorkflowActor): boolean {
  return actor.role === 'city_admin' || (levelOfCode(actor.areaCode) !== undefined && actor.areaCode.length === STEP_LEVEL_CODE_LENGTH[a.level]);
}

const or = (xs: string[], word: string) => xs.join(word);

/** Resolves a whole-days parameter (notice days, deadline working days). */
function dayParam(lookup: ParamLookup, key: PolicyKey): { param?: ResolvedParam; refusal?: Refusal } {
  const name = policyKeyInfo(key).name;
  const p = lookup(key);
  if (!p) return { refusal: { code: 'unknown_param', param: key, zh: `没有适用的政策参数「${name.zh}」（${key}），请管理员设置后再办理`, en: `No policy parameter "${name.en}" (${key}) applies; an administrator must set it first` } };
  if (p.value === null) return { refusal: { code: 'missing_param', param: key, zh: `政策参数「${name.zh}」（${key}）的取值未知（${p.year} 年起），请旗县扶贫办填写后再办理`, en: `The value of the policy parameter "${name.en}" (${key}) is unknown (from ${p.year}); the county office must enter it first` } };
  if (!Number.isInteger(p.value) || p.value < 1) return { refusal: { code: 'invalid_param', param: key, zh: `政策参数「${name.zh}」（${key}）的取值 ${p.value} 无效，应为不小于 1 的整数`, en: `The policy parameter "${name.en}" (${key}) has an invalid value ${p.value}; it must be a whole number ≥ 1` } };
  return { param: p };
}

interface Gate {
  refusals: Refusal[];
  params: ResolvedParam[];
  noticeEndsOn?: string;
  dueOn?: string;
}

/** The checks that do not depend on the input: state, role, level, notice, parameters. */
function gate(def: WorkflowDef, events: readonly WorkflowEvent[], a: ActionDef, actor: WorkflowActor, now: Date, lookup: ParamLookup): Gate {
  const refusals: Refusal[] = [];
  const params: ResolvedParam[] = [];
  const today = localDay(now);
  const { state } = replay(def, events);
  const out: Gate = { refusals, params };

  if (!a.from.includes(state)) {
    const s = stateLabel(def, state);
    const froms = a.from.map((f) => stateLabel(def, f));
    refusals.push({
      code: 'wrong_state',
      zh: `案件当前为「${s.zh}」，「${a.label.zh}」只能在${or(froms.map((f) => `「${f.zh}」`), '或')}时办理`,
      en: `The case is "${s.en}"; "${a.label.en}" can only be taken when it is ${or(froms.map((f) => `"${f.en}"`), ' or ')}`,
    });
  }
  if (!mayTake(a, actor.role)) {
    const rs = a.roles.map((r) => roleLabels[r]);
    refusals.push({
      code: 'wrong_role',
      zh: `「${a.label.zh}」须由${or(rs.map((r) => r.zh), '或')}办理，您的角色是${roleLabels[actor.role].zh}`,
      en: `"${a.label.en}" is for the ${or(rs.map((r) => r.en), ' or ')}; your role is ${roleLabels[actor.role].en}`,
    });
  }
  if (!rightLevel(a, actor)) {
    const want = STEP_LEVEL_LABELS[a.level];
    const have = levelName(actor.areaCode);
    refusals.push({
      code: 'wrong_level',
      zh: `「${a.label.zh}」须由${want.zh}账号办理，您的账号属于${have.zh}（${actor.areaCode}）`,
      en: `"${a.label.en}" must be taken by a ${want.en} account; yours is at ${have.en} (${actor.areaCode})`,
    });
  }

  // Notice timing, only when the step applies to the current state.
  if (a.from.includes(state) && (a.closesNotice || a.kind === 'objection')) {
    const n = openNotice(def, events);
    if (n && a.closesNotice && today < n.endsOn) {
      refusals.push({
        code: 'notice_not_over',
        endsOn: n.endsOn,
        zh: `公示期未满：公示自 ${n.startedOn} 开始，${n.endsOn} 起方可${a.label.zh}，不能提前结束`,
        en: `The notice is not over: it started on ${n.startedOn}; "${a.label.en}" is possible from ${n.endsOn}, not earlier`,
      });
    }
    if (n && a.kind === 'objection' && today >= n.endsOn) {
      refusals.push({
        code: 'notice_over',
        endsOn: n.endsOn,
        zh: `公示期已于 ${n.endsOn} 届满，不能再登记异议；请办理结束公示，或按程序撤回`,
        en: `The notice ended on ${n.endsOn}; objections can no longer be recorded. Close the notice, or withdraw the case`,
      });
    }
  }

  if (a.startsNotice) {
    const r = dayParam(lookup, a.startsNotice);
    if (r.refusal) refusals.push(r.refusal);
    if (r.param) {
      params.push(r.param);
      out.noticeEndsOn = addDays(today, r.param.value!);
    }
  }
  if (a.startsDeadline) {
    const r = dayParam(lookup, a.startsDeadline.key);
    if (r.refusal) refusals.push(r.refusal);
    if (r.param) {
      params.push(r.param);
      out.dueOn = addWorkingDays(today, r.param.value!);
    }
  }
  return out;
}

function unknownAction(def: WorkflowDef, id: string): Refusal {
  const ids = def.actions.map((a) => a.id).join(', ');
  return { code: 'unknown_action', zh: `「${def.label.zh}」没有步骤「${id}」；步骤有：${ids}`, en: `"${def.label.en}" has no step "${id}"; its steps are: ${ids}` };
}

function dedupe(params: readonly ResolvedParam[]): ResolvedParam[] {
  const seen = new Map<string, ResolvedParam>();
  for (const p of params) seen.set(`${p.key}|${p.region}|${p.year}`, { key: p.key, value: p.value, year: p.year, region: p.region, source: p.source });
  return [...seen.values()];
}

// --- decide ----------------------------------------------------------------------------------

export interface DecideOptions {
  actor: WorkflowActor;
  input?: unknown;
  attachments?: unknown;
  comment?: string;
  now: Date;
  lookup: ParamLookup;
  caseInfo: CaseInfo;
}

export type DecideResult = { ok: true; event: WorkflowEvent } | { ok: false; reasons: Refusal[] };

/**
 * Decides one step on a case: the event to append, or every reason it is refused. A case outside
 * the actor's area gives only the not-found reason; an unknown action only that reason.
 */
export function decide(def: WorkflowDef, events: readonly WorkflowEvent[], actionId: string, o: DecideOptions): DecideResult {
  if (Number.isNaN(o.now.getTime())) throw new RangeError('decide: now is not a valid date');
  if (!inArea(o.actor, o.caseInfo.villageCode)) return { ok: false, reasons: [notFoundRefusal()] };
  const a = actionOf(def, actionId);
  if (!a) return { ok: false, reasons: [unknownAction(def, actionId)] };

  const g = gate(def, events, a, o.actor, o.now, o.lookup);
  const fields = checkInput(a.fields, o.input, localDay(o.now));
  const atts = checkAttachments(a.attachments, o.attachments);
  const reasons = [...g.refusals, ...fields.refusals, ...atts.refusals];
  const comment = typeof o.comment === 'string' ? o.comment.trim() : '';
  if (comment.length > MAX_TEXT_LENGTH) {
    reasons.push({ code: 'invalid_field', field: 'comment', zh: `备注过长（${comment.length} 字），最多 ${MAX_TEXT_LENGTH} 字`, en: `The comment is too long (${comment.length} characters); at most ${MAX_TEXT_LENGTH}` });
  }
  if (reasons.length) return { ok: false, reasons };

  const { id, username, role, areaCode } = o.actor;
  const event: WorkflowEvent = {
    seq: events.length + 1,
    action: a.id,
    from: stateOf(def, events),
    to: a.to,
    actor: { id, username, role, areaCode },
    at: o.now.toISOString(),
    comment,
    input: fields.input,
    attachments: atts.attachments,
    params: dedupe([...g.params, ...fields.params]),
  };
  if (g.noticeEndsOn) event.noticeEndsOn = g.noticeEndsOn;
  if (g.dueOn) event.dueOn = g.dueOn;
  return { ok: true, event };
}

// --- next actions and flags ----------------------------------------------------------------------

export interface AllowedAction {
  action: string;
  label: Text;
  kind: ActionKind;
  to: string;
  toLabel: Text;
  level: StepLevel;
  fields: readonly FieldDef[];
  attachments: { kind: string; label: Text }[];
  /** When the step starts a notice: the day it would end if taken now. */
  noticeEndsOn?: string;
  /** When the step starts a deadline: the day it would be due if taken now. */
  dueOn?: string;
}

/** What this actor may do on the case now, leaving out only what depends on the input (fields, attachments). */
export function allowedActions(
  def: WorkflowDef,
  events: readonly WorkflowEvent[],
  actor: WorkflowActor,
  now: Date,
  lookup: ParamLookup,
  caseInfo: CaseInfo,
): AllowedAction[] {
  if (!inArea(actor, caseInfo.villageCode)) return [];
  const result: AllowedAction[] = [];
  for (const a of def.actions) {
    const g = gate(def, events, a, actor, now, lookup);
    if (g.refusals.length) continue;
    const item: AllowedAction = {
      action: a.id,
      label: a.label,
      kind: a.kind,
      to: a.to,
      toLabel: stateLabel(def, a.to),
      level: a.level,
      fields: a.fields,
      attachments: a.attachments.map((k) => ({ kind: k, label: ATTACHMENT_KINDS[k] ?? { zh: k, en: k } })),
    };
    if (g.noticeEndsOn) item.noticeEndsOn = g.noticeEndsOn;
    if (g.dueOn) item.dueOn = g.dueOn;
    result.push(item);
  }
  return result;
}

export interface OverdueFlag extends Text {
  kind: 'notice_ended' | 'deadline_passed';
  param: PolicyKey;
  /** The day the notice ended or the deadline fell due. */
  on: string;
  /** Days since `on` (0 on the day a notice ends; ≥ 1 for a passed deadline). */
  days: number;
}

/** Deadlines passed without being met, and notices that have ended but are not closed. */
export function overdue(def: WorkflowDef, events: readonly WorkflowEvent[], now: Date): OverdueFlag[] {
  const today = localDay(now);
  const flags: OverdueFlag[] = [];
  const n = openNotice(def, events);
  if (n && today >= n.endsOn) {
    const s = stateLabel(def, n.state);
    flags.push({
      kind: 'notice_ended',
      param: n.param,
      on: n.endsOn,
      days: daysBetween(n.endsOn, today),
      zh: `「${s.zh}」已于 ${n.endsOn} 期满，尚未结束公示`,
      en: `"${s.en}" ended on ${n.endsOn} and has not been closed`,
    });
  }
  const d = latestDeadline(def, events);
  if (d && !d.met && today > d.dueOn) {
    const late = daysBetween(d.dueOn, today);
    flags.push({
      kind: 'deadline_passed',
      param: d.param,
      on: d.dueOn,
      days: late,
      zh: `已逾期 ${late} 天：${d.label.zh}应于 ${d.dueOn} 前完成（自 ${d.startedOn} 起）`,
      en: `${late} days overdue: ${d.label.en} was due by ${d.dueOn} (from ${d.startedOn})`,
    });
  }
  return flags;
}
