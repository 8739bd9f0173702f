// Building workflow definitions: the consistency check every shipped definition passes at load
// time, and the objection step every notice has.

import type { Text } from '../policy-types.js';
import type { Role } from '../roles.js';
import { noticeStates } from './engine.js';
import { ATTACHMENT_KINDS, F } from './fields.js';
import { policyKeyInfo } from '../policy.js';
import type { ActionDef, StepLevel, WorkflowDef } from './types.js';

/** Checks a definition's consistency (throws listing every problem) and freezes it. */
export function defineWorkflow<D extends WorkflowDef>(def: D): D {
  const problems: string[] = [];
  const has = (s: string) => Object.hasOwn(def.states, s);
  if (!has(def.initial)) problems.push(`initial state ${def.initial} is not defined`);
  const ids = new Set<string>();
  const notices = noticeStates(def);
  for (const a of def.actions) {
    if (ids.has(a.id)) problems.push(`action ${a.id} is defined twice`);
    ids.add(a.id);
    for (const s of [...a.from, a.to]) if (!has(s)) problems.push(`${a.id}: state ${s} is not defined`);
    if (!a.from.length) problems.push(`${a.id}: no from-state`);
    if (!a.roles.length) problems.push(`${a.id}: no role`);
    for (const k of a.attachments) if (!ATTACHMENT_KINDS[k]) problems.push(`${a.id}: unknown attachment kind ${k}`);
    const keys = a.fields.map((f) => f.key);
    if (new Set(keys).size !== keys.length) problems.push(`${a.id}: a field is defined twice`);
    for (const f of a.fields) if (f.kind === 'code' && !f.codes?.length) problems.push(`${a.id}.${f.key}: a code field needs codes`);
    if (a.startsNotice) {
      if (a.from.length !== 1) problems.push(`${a.id}: a step starting a notice must have exactly one from-state (objections return there)`);
      if (policyKeyInfo(a.startsNotice).unit !== 'days') problems.push(`${a.id}: notice parameter ${a.startsNotice} is not in days`);
    }
    if (a.startsDeadline) {
      if (policyKeyInfo(a.startsDeadline.key).unit !== 'working_days') problems.push(`${a.id}: deadline parameter ${a.startsDeadline.key} is not in working days`);
      for (const s of a.startsDeadline.metIn) if (!has(s)) problems.push(`${a.id}: deadline state ${s} is not defined`);
    }
    if (notices.has(a.to) && !a.startsNotice) problems.push(`${a.id}: enters notice state ${a.to} without starting the notice`);
    for (const s of a.from) {
      if (notices.has(s) && !a.closesNotice && a.kind !== 'objection' && a.kind !== 'withdraw') problems.push(`${a.id}: leaves notice state ${s} without closing the notice`);
      if (def.states[s]?.final && a.kind !== 'reopen') problems.push(`${a.id}: only a reopen may leave the final state ${s}`);
    }
    if (a.closesNotice && a.from.some((s) => !notices.has(s))) problems.push(`${a.id}: closes a notice but leaves a state that is not a notice`);
    if (a.kind === 'objection') {
      if (a.from.some((s) => !notices.has(s))) problems.push(`${a.id}: an objection is taken during a notice only`);
      if (!a.fields.some((f) => f.key === 'objection' && !f.optional)) problems.push(`${a.id}: an objection needs the required field "objection"`);
    }
  }
  for (const a of def.actions.filter((x) => x.startsNotice)) {
    const from = def.actions.filter((x) => x.from.includes(a.to));
    if (!from.some((x) => x.closesNotice)) problems.push(`notice ${a.to}: no step closes it`);
    if (!from.some((x) => x.kind === 'objection' && x.to === a.from[0])) problems.push(`notice ${a.to}: no objection returns the case to ${a.from[0]}`);
  }
  if (problems.length) throw new Error(`workflow ${def.key} is inconsistent:\n- ${problems.join('\n- ')}`);
  return deepFreeze(def);
}

function deepFreeze<T>(o: T): T {
  if (typeof o === 'object' && o !== null && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

/** The objection step of a notice: back to the state before it, with the objection text required. */
export function objectionStep(o: { id: string; notice: string; backTo: string; roles: readonly Role[]; level: StepLevel; noticeName: Text }): ActionDef {
  return {
    id: o.id,
    label: { zh: `${o.noticeName.zh}期间登记异议并退回`, en: `Record an objection during the ${o.noticeName.en} and send the case back` },
    kind: 'objection',
    from: [o.notice],
    to: o.backTo,
    roles: o.roles,
    level: o.level,
    fields: [F.objection, F.objector],
    attachments: [],
  };
}

