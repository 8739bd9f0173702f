// Every step of every workflow: allowed for the right role at the right level, refused for the
// wrong role, area (as not found), level, state, and for each missing field and attachment.
import { describe, expect, it } from 'vitest';
import { NotFound } from '../errors.js';
import { ROLES } from '../roles.js';
import { localDay } from './dates.js';
import { decide, notFoundRefusal, stateOf, type ActionDef, type StepLevel, type WorkflowDef, type WorkflowEvent } from './engine.js';
import { exitCorrection } from './correction.js';
import { householdExit } from './exit.js';
import { identification } from './identification.js';
import { monitoring } from './monitoring.js';
import {
  CITY,
  OTHER_COUNTY_VILLAGE,
  OTHER_TOWNSHIP_VILLAGE,
  VILLAGE,
  VILLAGE_2,
  actor,
  areaAt,
  lookupOf,
  pathTo,
  rightActor,
  sampleAttachments,
  sampleInput,
  walk,
} from './testkit.js';

const defs: WorkflowDef[] = [identification, householdExit, monitoring, exitCorrection];
const cases = defs.flatMap((def) => def.actions.map((a) => [`${def.key}.${a.id}`, def, a] as const));
const lookup = lookupOf();
const codes = (r: ReturnType<typeof decide>) => (r.ok ? [] : r.reasons.map((x) => x.code));

/** A history in the step's (first) from-state, and a moment the step may be taken. */
function ready(def: WorkflowDef, a: ActionDef): { events: WorkflowEvent[]; now: Date } {
  const w = walk(def, pathTo(def, a.from[0]!));
  const last = w.events.at(-1);
  // An objection is taken while the notice runs: an hour after it started.
  const now = a.kind === 'objection' ? new Date(Date.parse(last!.at) + 3_600_000) : w.next;
  return { events: w.events, now };
}

function attempt(def: WorkflowDef, a: ActionDef, over: Partial<Parameters<typeof decide>[3]> = {}, events?: WorkflowEvent[], now?: Date) {
  const r = ready(def, a);
  const n = now ?? r.now;
  return decide(def, events ?? r.events, a.id, {
    actor: rightActor(a),
    input: sampleInput(a, localDay(n)),
    attachments: sampleAttachments(a),
    now: n,
    lookup,
    caseInfo: { villageCode: VILLAGE },
    ...over,
  });
}

const otherVillage: Record<StepLevel, string> = { village: VILLAGE_2, township: OTHER_TOWNSHIP_VILLAGE, county: OTHER_COUNTY_VILLAGE };

describe.each(cases)('%s', (_name, def, a) => {
  it('is allowed for the right role at the right level, and the event records it', () => {
    const { events, now } = ready(def, a);
    const input = sampleInput(a, localDay(now));
    const r = decide(def, events, a.id, { actor: rightActor(a), input, attachments: sampleAttachments(a), comment: '  备注  ', now, lookup, caseInfo: { villageCode: VILLAGE } });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    expect(r.event).toMatchObject({ seq: events.length + 1, action: a.id, from: stateOf(def, events), to: a.to, at: now.toISOString(), comment: '备注' });
    expect(r.event.actor).toEqual(rightActor(a));
    expect(r.event.input).toEqual(input);
    expect(r.event.attachments).toEqual(sampleAttachments(a));
    expect(stateOf(def, [...events, r.event])).toBe(a.to);
    expect(JSON.parse(JSON.stringify(r.event))).toEqual(r.event);
  });

  it('is allowed for the city administrator at city level', () => {
    expect(codes(attempt(def, a, { actor: actor('city_admin', CITY) }))).toEqual([]);
  });

  const others = ROLES.filter((r) => r !== 'city_admin' && !a.roles.includes(r));
  it.each(others)('is refused for the role %s', (role) => {
    const r = attempt(def, a, { actor: actor(role, areaAt(a.level)) });
    expect(codes(r)).toEqual(['wrong_role']);
    if (!r.ok) expect(r.reasons[0]!.zh).toContain(`您的角色是`);
  });

  it('is refused outside the actor area with only "not found", even with other faults', () => {
    const outsider = actor(a.roles[0]!, areaAt(a.level, otherVillage[a.level]));
    const r = attempt(def, a, { actor: outsider });
    expect(r).toEqual({ ok: false, reasons: [notFoundRefusal()] });
    const nf = new NotFound({ zh: '案件', en: 'case' }).msg;
    if (!r.ok) expect([r.reasons[0]!.zh, r.reasons[0]!.en]).toEqual([nf.zh, nf.en]);
    const worse = attempt(def, a, { actor: { ...outsider, role: 'researcher' }, input: {}, attachments: [] });
    expect(worse).toEqual({ ok: false, reasons: [notFoundRefusal()] });
  });

  const wrongLevels = [...(['village', 'township', 'county'] as const).filter((l) => l !== a.level).map((l) => areaAt(l)), CITY];
  it.each(wrongLevels)('is refused at the wrong level (area %s)', (code) => {
    expect(codes(attempt(def, a, { actor: actor(a.roles[0]!, code) }))).toEqual(['wrong_level']);
  });

  it('is refused in a state it does not leave', () => {
    const s = Object.keys(def.states).find((x) => !a.from.includes(x))!;
    const w = walk(def, pathTo(def, s));
    const r = attempt(def, a, {}, w.events, w.next);
    expect(codes(r)).toEqual(['wrong_state']);
  });

  it.each(a.fields.filter((f) => !f.optional).map((f) => f.key))('is refused without the field %s, which the reason names', (key) => {
    const { now } = ready(def, a);
    const input = sampleInput(a, localDay(now));
    delete input[key];
    const r = attempt(def, a, { input });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reasons.map((x) => [x.code, x.field])).toEqual([['missing_field', key]]);
      expect(r.reasons[0]!.zh).toContain(`（${key}）为必填项`);
    }
  });

  it.each(a.attachments.map((k) => k))('is refused without the attachment %s, which the reason names', (kind) => {
    const r = attempt(def, a, { attachments: sampleAttachments(a).filter((x) => x.kind !== kind) });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reasons.map((x) => [x.code, x.field])).toEqual([['missing_attachment', `attachments.${kind}`]]);
  });

  it('lists every reason at once', () => {
    const r = attempt(def, a, { actor: actor('inspector', areaAt(a.level)), input: {}, attachments: [] });
    const required = a.fields.filter((f) => !f.optional);
    expect(codes(r)).toEqual(['wrong_role', ...required.map(() => 'missing_field'), ...a.attachments.map(() => 'missing_attachment')]);
  });
});
