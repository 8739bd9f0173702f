// Helpers for the workflow tests (imported by *.test.ts only): parameter lookups from small
// objects, synthetic areas and actors, sample inputs, and walking a case along a path of steps.
// Area codes are synthetic (city 1560, unused by NBS), as in test/support/factories.ts.

import type { ParamLookup, PolicyKey, ResolvedParam } from '../policy-types.js';
import type { Role } from '../roles.js';
import { addDays, localDay, startOfLocalDay } from './dates.js';
import { decide, stateOf } from './engine.js';
import type { ActionDef, Attachment, FieldDef, StepLevel, WorkflowActor, WorkflowDef, WorkflowEvent } from './types.js';
import { STEP_LEVEL_CODE_LENGTH } from './types.js';

export const VILLAGE = '156001001001';
/** Same township, another village. */
export const VILLAGE_2 = '156001001002';
/** Another township of the same county. */
export const OTHER_TOWNSHIP_VILLAGE = '156001002001';
/** Another county. */
export const OTHER_COUNTY_VILLAGE = '156002001001';
export const CITY = '1560';

export const DEFAULT_VALUES: Partial<Record<PolicyKey, number | null>> = {
  identification_notice_days: 7,
  exit_notice_days: 7,
  monitoring_notice_days: 5,
  monitoring_identification_working_days: 20,
};

/** A lookup answering from a small object: a key absent → no row; null → value unknown. */
export function lookupOf(values: Partial<Record<PolicyKey, number | null>> = DEFAULT_VALUES, year = 2024): ParamLookup {
  return (key) => {
    if (!Object.hasOwn(values, key)) return undefined;
    const value = values[key];
    return { key, value: value ?? null, year, region: '', source: `test ${key}` } satisfies ResolvedParam;
  };
}

export function actor(role: Role, areaCode: string, id = 1): WorkflowActor {
  return { id, username: `${role}-${areaCode}`, role, areaCode };
}

/** The area of `level` containing `village`. */
export function areaAt(level: StepLevel, village = VILLAGE): string {
  return village.slice(0, STEP_LEVEL_CODE_LENGTH[level]);
}

/** An actor who may take the step on a case in `village`. */
export function rightActor(a: ActionDef, village = VILLAGE): WorkflowActor {
  return actor(a.roles[0]!, areaAt(a.level, village));
}

/** Instant at local (China) time on a day: at('2024-03-01', 10) is 10:00 Beijing time. */
export function at(day: string, hour = 10, minute = 0): Date {
  return new Date(Date.parse(startOfLocalDay(day)) + hour * 3_600_000 + minute * 60_000);
}

export function eligible(key: string, params: ResolvedParam[] = []) {
  return { key, eligible: true, reasons: [{ zh: '符合', en: 'eligible' }], params };
}

function sampleValue(f: FieldDef, today: string): unknown {
  switch (f.kind) {
    case 'text':
      return `${f.key} 示例`;
    case 'date':
      return addDays(today, -1);
    case 'code':
      return f.codes![0]!.code;
    case 'evaluation':
      return eligible(f.evaluationKey ?? 'x');
  }
}

/** A valid input for every field of the step (optional ones included). */
export function sampleInput(a: ActionDef, today: string): Record<string, unknown> {
  return Object.fromEntries(a.fields.map((f) => [f.key, sampleValue(f, today)]));
}

export function sampleAttachments(a: ActionDef): Attachment[] {
  return a.attachments.map((kind, i) => ({ kind, ref: `file-${a.id}-${i}`, name: `${kind}.jpg` }));
}

/** Shortest list of step ids from the initial state to `state` (breadth first, objections skipped). */
export function pathTo(def: WorkflowDef, state: string): string[] {
  const seen = new Map<string, string[]>([[def.initial, []]]);
  const queue = [def.initial];
  while (queue.length) {
    const s = queue.shift()!;
    if (s === state) return seen.get(s)!;
    for (const a of def.actions) {
      if (!a.from.includes(s) || seen.has(a.to) || a.kind === 'objection') continue;
      seen.set(a.to, [...seen.get(s)!, a.id]);
      queue.push(a.to);
    }
  }
  throw new Error(`${def.key}: no path to ${state}`);
}

export interface Walk {
  events: WorkflowEvent[];
  /** When the next step can be taken: the day after the last, or the end of a notice just started. */
  next: Date;
}

/**
 * Takes the steps in order with the right actor and sample input, starting at `start` and moving
 * one day per step (to the notice's end day after a notice starts). Throws if a step is refused.
 */
export function walk(def: WorkflowDef, steps: readonly string[], o: { start?: Date; lookup?: ParamLookup; events?: WorkflowEvent[]; village?: string; input?: Record<string, Record<string, unknown>> } = {}): Walk {
  const events = [...(o.events ?? [])];
  let now = o.start ?? at('2024-03-01');
  const lookup = o.lookup ?? lookupOf();
  const village = o.village ?? VILLAGE;
  for (const id of steps) {
    const a = def.actions.find((x) => x.id === id);
    if (!a) throw new Error(`no step ${id}`);
    const today = localDay(now);
    const r = decide(def, events, id, {
      actor: rightActor(a, village),
      input: { ...sampleInput(a, today), ...o.input?.[id] },
      attachments: sampleAttachments(a),
      now,
      lookup,
      caseInfo: { villageCode: village },
    });
    if (!r.ok) throw new Error(`${def.key}.${id} in ${stateOf(def, events)} refused: ${r.reasons.map((x) => x.en).join('; ')}`);
    events.push(r.event);
    now = r.event.noticeEndsOn ? at(r.event.noticeEndsOn, 9) : new Date(now.getTime() + 86_400_000);
  }
  return { events, next: now };
}
