import { describe, expect, it } from 'vitest';
import { Conflict, Forbidden, NotFound, ValidationError } from '../errors.js';
import {
  allowedActions,
  decide,
  latestDeadline,
  openNotice,
  overdue,
  stateOf,
  type DecideOptions,
  type WorkflowDef,
  type WorkflowEvent,
} from './engine.js';
import { defineWorkflow } from './define.js';
import { identification } from './identification.js';
import { WORKFLOWS, refusalError, workflowOf } from './index.js';
import { monitoring } from './monitoring.js';
import { CITY, OTHER_TOWNSHIP_VILLAGE, VILLAGE, actor, areaAt, at, lookupOf, pathTo, walk } from './testkit.js';

const lookup = lookupOf();
const cadre = actor('village_cadre', VILLAGE);
const township = actor('township_reviewer', areaAt('township'));
const county = actor('county_office', areaAt('county'));
const base = { lookup, caseInfo: { villageCode: VILLAGE } };
const photo = [{ kind: 'notice_photo', ref: 'f1' }];
const minutes = [{ kind: 'meeting_minutes', ref: 'm1' }];
const file = [{ kind: 'application', ref: 'a1' }];
const codes = (r: ReturnType<typeof decide>) => (r.ok ? [] : r.reasons.map((x) => x.code));

/** An identification case whose first notice started on 2024-03-01 at 10:00 Beijing time (7 days). */
function inVillageNotice(l = lookup) {
  const w = walk(identification, ['apply'], { start: at('2024-02-29') });
  const r = decide(identification, w.events, 'village_review_pass', {
    ...base,
    lookup: l,
    actor: cadre,
    input: { meetingDate: '2024-02-28', opinion: '同意' },
    attachments: minutes,
    now: at('2024-03-01', 10),
  });
  if (!r.ok) throw new Error(JSON.stringify(r.reasons));
  return [...w.events, r.event];
}

const close = (events: WorkflowEvent[], now: Date, o: Partial<DecideOptions> = {}) =>
  decide(identification, events, 'village_notice_close', { ...base, actor: cadre, attachments: photo, now, ...o });
const object = (events: WorkflowEvent[], now: Date, text = '申请人家有轿车') =>
  decide(identification, events, 'village_notice_objection', { ...base, actor: cadre, input: { objection: text, objector: '村民甲' }, now });

describe('notice periods', () => {
  it('a 7-day notice started on 2024-03-01 ends on 2024-03-08, recorded with the parameter used', () => {
    const events = inVillageNotice();
    const e = events.at(-1)!;
    expect(e.noticeEndsOn).toBe('2024-03-08');
    expect(e.params).toEqual([{ key: 'identification_notice_days', value: 7, year: 2024, region: '', source: 'test identification_notice_days' }]);
    expect(openNotice(identification, events)).toEqual({ state: 'village_notice', startedOn: '2024-03-01', endsOn: '2024-03-08', param: 'identification_notice_days' });
  });

  it('cannot be closed one millisecond before 00:00 Beijing time on the end day, and names the day', () => {
    const r = close(inVillageNotice(), new Date(Date.parse('2024-03-08T00:00:00+08:00') - 1));
    expect(r).toEqual({
      ok: false,
      reasons: [
        {
          code: 'notice_not_over',
          endsOn: '2024-03-08',
          zh: '公示期未满：公示自 2024-03-01 开始，2024-03-08 起方可第一次公示期满无异议，报乡镇审核，不能提前结束',
          en: 'The notice is not over: it started on 2024-03-01; "Close the first notice without objection and send to the township" is possible from 2024-03-08, not earlier',
        },
      ],
    });
  });

  it('can be closed exactly at its end', () => {
    const r = close(inVillageNotice(), new Date('2024-03-08T00:00:00+08:00'));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.event.to).toBe('township_review');
  });

  it('counts the start day in Beijing time (16:30 UTC on 29 February is 1 March)', () => {
    const w = walk(identification, ['apply'], { start: at('2024-02-28') });
    const r = decide(identification, w.events, 'village_review_pass', {
      ...base, actor: cadre, input: { meetingDate: '2024-02-28', opinion: '同意' }, attachments: minutes, now: new Date('2024-02-29T16:30:00Z'),
    });
    expect(r.ok && r.event.noticeEndsOn).toBe('2024-03-08');
  });

  it('keeps its end when the parameter changes later: closing uses the stored day and the event keeps 7', () => {
    const events = inVillageNotice(lookupOf({ identification_notice_days: 7 }));
    const later = lookupOf({ identification_notice_days: 10 });
    const r = close(events, at('2024-03-08', 0), { lookup: later });
    expect(r.ok).toBe(true);
    expect(events.at(-1)!.params[0]!.value).toBe(7);
    expect(overdue(identification, events, at('2024-03-08'))).toMatchObject([{ kind: 'notice_ended', on: '2024-03-08', days: 0 }]);
  });

  it('cannot be started without the parameter, and the reason names it', () => {
    const w = walk(identification, ['apply']);
    const take = (l: typeof lookup) =>
      decide(identification, w.events, 'village_review_pass', { ...base, lookup: l, actor: cadre, input: { meetingDate: '2024-03-01', opinion: '同意' }, attachments: minutes, now: w.next });
    const none = take(lookupOf({}));
    expect(none.ok || none.reasons).toEqual([expect.objectContaining({ code: 'unknown_param', param: 'identification_notice_days' })]);
    if (!none.ok) expect(none.reasons[0]!.zh).toContain('识别公示天数');
    const unknown = take(lookupOf({ identification_notice_days: null }));
    expect(unknown.ok || unknown.reasons).toEqual([expect.objectContaining({ code: 'missing_param', param: 'identification_notice_days' })]);
    const zero = take(lookupOf({ identification_notice_days: 0 }));
    expect(zero.ok || zero.reasons).toEqual([expect.objectContaining({ code: 'invalid_param', param: 'identification_notice_days' })]);
  });
});

describe('objections during a notice', () => {
  it('return the case to the step before the notice, with the objection recorded', () => {
    const events = inVillageNotice();
    const r = object(events, at('2024-03-07', 23, 59));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.event).toMatchObject({ action: 'village_notice_objection', from: 'village_notice', to: 'applied', input: { objection: '申请人家有轿车', objector: '村民甲' } });
    const after = [...events, r.event];
    expect(stateOf(identification, after)).toBe('applied');
    expect(openNotice(identification, after)).toBeUndefined();
    expect(overdue(identification, after, at('2024-04-01'))).toEqual([]);
    // The earlier events are untouched; a new review starts a new full notice.
    expect(after.slice(0, events.length)).toEqual(events);
    const again = walk(identification, ['village_review_pass'], { events: after, start: at('2024-03-10') });
    expect(again.events.at(-1)!.noticeEndsOn).toBe('2024-03-17');
  });

  it('need the objection text', () => {
    const r = decide(identification, inVillageNotice(), 'village_notice_objection', { ...base, actor: cadre, input: { objection: '   ' }, now: at('2024-03-02') });
    expect(r.ok || r.reasons.map((x) => [x.code, x.field])).toEqual([['missing_field', 'objection']]);
  });

  it('are refused once the notice has ended', () => {
    const r = object(inVillageNotice(), at('2024-03-08', 0));
    expect(r.ok || r.reasons).toEqual([expect.objectContaining({ code: 'notice_over', endsOn: '2024-03-08' })]);
  });

  it('exist for every notice of every workflow', () => {
    for (const def of Object.values(WORKFLOWS)) {
      for (const a of def.actions.filter((x) => x.startsNotice)) {
        expect(def.actions.some((o) => o.kind === 'objection' && o.from.includes(a.to) && o.to === a.from[0]), `${def.key} ${a.to}`).toBe(true);
      }
    }
  });
});

describe('deadlines and overdue flags', () => {
  // Discovered Friday 2024-03-01: 20 working days → due Friday 2024-03-29.
  const discovered = () => walk(monitoring, ['discover'], { start: at('2024-03-01', 15) }).events;

  it('sets the due day in working days from discovery, with the parameter', () => {
    const e = discovered()[0]!;
    expect(e.dueOn).toBe('2024-03-29');
    expect(e.params).toEqual([expect.objectContaining({ key: 'monitoring_identification_working_days', value: 20 })]);
  });

  it('crosses a weekend: 1 working day from a Friday is the Monday', () => {
    const e = walk(monitoring, ['discover'], { start: at('2024-03-01'), lookup: lookupOf({ monitoring_identification_working_days: 1 }) }).events[0]!;
    expect(e.dueOn).toBe('2024-03-04');
    expect(overdue(monitoring, [e], at('2024-03-04', 23, 59))).toEqual([]);
    expect(overdue(monitoring, [e], at('2024-03-05', 0))).toEqual([
      { kind: 'deadline_passed', param: 'monitoring_identification_working_days', on: '2024-03-04', days: 1, zh: expect.stringContaining('已逾期 1 天'), en: expect.stringContaining('1 days overdue') },
    ]);
  });

  it('is in time on the due day and overdue the day after', () => {
    const events = discovered();
    expect(overdue(monitoring, events, at('2024-03-29', 23, 59))).toEqual([]);
    expect(overdue(monitoring, events, at('2024-04-02'))).toMatchObject([{ kind: 'deadline_passed', on: '2024-03-29', days: 4 }]);
  });

  it('is met by county approval or by a dismissal', () => {
    const full = walk(monitoring, pathTo(monitoring, 'monitored'), { start: at('2024-03-01') }).events;
    expect(latestDeadline(monitoring, full)).toMatchObject({ dueOn: '2024-03-29', met: true });
    expect(overdue(monitoring, full, at('2024-06-01'))).toEqual([]);
    const dismissed = walk(monitoring, ['verify_dismiss'], { events: discovered(), start: at('2024-03-04') }).events;
    expect(overdue(monitoring, dismissed, at('2024-06-01'))).toEqual([]);
  });

  it('a reopened case gets a new deadline from the reopening', () => {
    const dismissed = walk(monitoring, ['verify_dismiss'], { events: discovered(), start: at('2024-03-04') }).events;
    const reopened = walk(monitoring, ['reopen'], { events: dismissed, start: at('2024-04-05') }).events; // Friday
    expect(reopened.at(-1)!.dueOn).toBe('2024-05-03');
    expect(overdue(monitoring, reopened, at('2024-05-06'))).toMatchObject([{ kind: 'deadline_passed', on: '2024-05-03' }]);
  });

  it('flags a notice that has ended but is not closed', () => {
    const events = inVillageNotice();
    expect(overdue(identification, events, at('2024-03-07', 23))).toEqual([]);
    expect(overdue(identification, events, at('2024-03-10'))).toEqual([
      { kind: 'notice_ended', param: 'identification_notice_days', on: '2024-03-08', days: 2, zh: '「村级第一次公示中」已于 2024-03-08 期满，尚未结束公示', en: '"First notice in the village" ended on 2024-03-08 and has not been closed' },
    ]);
  });
});

describe('allowedActions', () => {
  it('lists what the village cadre may do after an application', () => {
    const { events, next } = walk(identification, ['apply']);
    const list = allowedActions(identification, events, cadre, next, lookup, base.caseInfo);
    expect(list.map((a) => a.action)).toEqual(['village_review_pass', 'village_review_reject', 'withdraw']);
    expect(list[0]).toMatchObject({ to: 'village_notice', noticeEndsOn: '2024-03-09', attachments: [{ kind: 'meeting_minutes', label: { zh: '民主评议记录' } }] });
    expect(allowedActions(identification, events, township, next, lookup, base.caseInfo)).toEqual([]);
  });

  it('offers the objection while the notice runs and the closing once it is over', () => {
    const events = inVillageNotice();
    const ids = (now: Date) => allowedActions(identification, events, cadre, now, lookup, base.caseInfo).map((a) => a.action);
    expect(ids(at('2024-03-07', 23))).toEqual(['village_notice_objection', 'withdraw']);
    expect(ids(at('2024-03-08', 0))).toEqual(['village_notice_close', 'withdraw']);
  });

  it('is empty outside the actor area, and for read-only roles', () => {
    const { events, next } = walk(identification, ['apply']);
    expect(allowedActions(identification, events, actor('village_cadre', '156001001002'), next, lookup, base.caseInfo)).toEqual([]);
    expect(allowedActions(identification, events, actor('inspector', CITY), next, lookup, base.caseInfo)).toEqual([]);
  });

  it('leaves out a step whose parameter is missing', () => {
    const { events, next } = walk(identification, ['apply']);
    expect(allowedActions(identification, events, cadre, next, lookupOf({}), base.caseInfo).map((a) => a.action)).toEqual(['village_review_reject', 'withdraw']);
  });

  it('gives the city administrator every step of the state', () => {
    const { events, next } = walk(identification, pathTo(identification, 'county_approval'));
    expect(allowedActions(identification, events, actor('city_admin', '*'), next, lookup, base.caseInfo).map((a) => a.action)).toEqual(['county_approve', 'county_reject', 'withdraw']);
  });
});

describe('decide: input checks', () => {
  const applied = () => walk(identification, ['apply']);

  it('refuses an unknown step with only that reason, listing the steps', () => {
    const r = decide(identification, [], 'approve_everything', { ...base, actor: county, now: at('2024-03-01') });
    expect(r.ok || r.reasons.map((x) => x.code)).toEqual(['unknown_action']);
    if (!r.ok) expect(r.reasons[0]!.en).toContain('apply, village_review_pass');
  });

  it('says not found (not unknown step) outside the area', () => {
    const r = decide(identification, [], 'approve_everything', { ...base, actor: actor('county_office', '156002'), now: at('2024-03-01') });
    expect(r.ok || r.reasons.map((x) => x.code)).toEqual(['not_found']);
    const bad = decide(identification, [], 'apply', { ...base, actor: cadre, now: at('2024-03-01'), caseInfo: { villageCode: '1560010010' } });
    expect(bad.ok || bad.reasons.map((x) => x.code)).toEqual(['not_found']);
  });

  it('refuses unknown fields, future dates, too long texts and bad attachments, each named', () => {
    const { events, next } = applied();
    const r = decide(identification, events, 'village_review_pass', {
      ...base,
      actor: cadre,
      now: next,
      input: { meetingDate: '2024-03-03', opinion: 'x'.repeat(2001), votes: 12 },
      attachments: [{ kind: 'meeting_minutes', ref: '' }, { kind: 'selfie', ref: 'f' }],
    });
    expect(r.ok || r.reasons.map((x) => [x.code, x.field])).toEqual([
      ['invalid_field', 'meetingDate'],
      ['invalid_field', 'opinion'],
      ['unknown_field', 'votes'],
      ['invalid_attachment', 'attachments.0'],
      ['unknown_attachment', 'attachments.1'],
      ['missing_attachment', 'attachments.meeting_minutes'],
    ]);
    if (!r.ok) expect(r.reasons[0]!.zh).toBe('「评议日期」（meetingDate）（2024-03-03）晚于今天（2024-03-02），不能填写未来日期');
  });

  it('keeps only the declared fields, trimmed', () => {
    const { events, next } = applied();
    const r = decide(identification, events, 'village_review_pass', { ...base, actor: cadre, now: next, input: { meetingDate: ' 2024-03-01 ', opinion: '  同意  ' }, attachments: minutes });
    expect(r.ok && r.event.input).toEqual({ meetingDate: '2024-03-01', opinion: '同意' });
  });

  it('refuses a code outside the list, naming the allowed codes', () => {
    const r = decide(monitoring, [], 'discover', { ...base, actor: cadre, now: at('2024-03-01'), input: { source: 'rumour', riskType: 'illness', description: '住院' } });
    expect(r.ok || r.reasons.map((x) => [x.code, x.field])).toEqual([['invalid_field', 'source']]);
    if (!r.ok) expect(r.reasons[0]!.zh).toContain('self_report 农户自主申报');
  });
});

describe('history', () => {
  it('stateOf of no events is the initial state', () => {
    expect(stateOf(identification, [])).toBe('new');
  });

  it('survives a JSON round trip (what a store gives back)', () => {
    const { events } = walk(identification, pathTo(identification, 'registered'));
    const back = JSON.parse(JSON.stringify(events)) as WorkflowEvent[];
    expect(back).toEqual(events);
    expect(stateOf(identification, back)).toBe('registered');
  });

  it('throws on an inconsistent history (a gap, a wrong from-state, an unknown step)', () => {
    const { events } = walk(identification, ['apply', 'village_review_pass']);
    expect(() => stateOf(identification, [events[1]!])).toThrow(/seq/);
    expect(() => stateOf(identification, [events[0]!, { ...events[1]!, from: 'new' }])).toThrow(/leaves new/);
    expect(() => stateOf(identification, [{ ...events[0]!, action: 'set_status' }])).toThrow(/unknown action/);
    expect(() => stateOf(identification, [{ ...events[0]!, to: 'registered' }])).toThrow(/goes to registered/);
  });

  it('undo is a new event: a rejected case is reopened, the rejection stays', () => {
    const { events } = walk(identification, ['apply', 'village_review_reject', 'reopen']);
    expect(events.map((e) => [e.action, e.to])).toEqual([['apply', 'applied'], ['village_review_reject', 'rejected'], ['reopen', 'applied']]);
    expect(stateOf(identification, events)).toBe('applied');
  });
});

describe('defineWorkflow', () => {
  const tiny = (actions: WorkflowDef['actions']): WorkflowDef => ({
    key: 'tiny',
    label: { zh: '小', en: 'tiny' },
    initial: 'a',
    states: { a: { label: { zh: 'a', en: 'a' } }, n: { label: { zh: 'n', en: 'n' } }, b: { label: { zh: 'b', en: 'b' }, final: true } },
    actions,
  });
  const step = { roles: ['village_cadre'], level: 'village', fields: [], attachments: [] } as const;

  it('refuses a notice without an objection, and a step leaving a notice without closing it', () => {
    const def = tiny([
      { ...step, id: 'post', label: { zh: 'p', en: 'p' }, kind: 'forward', from: ['a'], to: 'n', startsNotice: 'exit_notice_days' },
      { ...step, id: 'skip', label: { zh: 's', en: 's' }, kind: 'forward', from: ['n'], to: 'b' },
    ]);
    expect(() => defineWorkflow(def)).toThrow(/skip: leaves notice state n without closing[\s\S]*notice n: no step closes it[\s\S]*notice n: no objection returns the case to a/);
  });

  it('refuses unknown states, attachments, a deadline not in working days, and steps out of a final state', () => {
    const def = tiny([
      { ...step, id: 'x', label: { zh: 'x', en: 'x' }, kind: 'forward', from: ['a'], to: 'zz', attachments: ['selfie'] },
      { ...step, id: 'y', label: { zh: 'y', en: 'y' }, kind: 'forward', from: ['b'], to: 'a', startsDeadline: { key: 'exit_notice_days', label: { zh: '', en: '' }, metIn: [] } },
    ]);
    expect(() => defineWorkflow(def)).toThrow(/x: state zz is not defined[\s\S]*unknown attachment kind selfie[\s\S]*not in working days[\s\S]*only a reopen may leave the final state b/);
  });

  it('accepts and freezes the shipped definitions', () => {
    for (const def of Object.values(WORKFLOWS)) expect(Object.isFrozen(def.actions[0]!.fields)).toBe(true);
    expect(workflowOf('monitoring')).toBe(monitoring);
    expect(workflowOf('toString')).toBeUndefined();
  });
});

describe('refusalError', () => {
  it('maps reasons to the typed errors', () => {
    const out = decide(identification, [], 'apply', { ...base, actor: actor('county_office', '156002'), now: at('2024-03-01') });
    expect(!out.ok && refusalError(out.reasons)).toBeInstanceOf(NotFound);
    const role = decide(identification, [], 'apply', { ...base, actor: county, now: at('2024-03-01') });
    expect(!role.ok && refusalError(role.reasons)).toBeInstanceOf(Forbidden);
    const input = decide(identification, [], 'apply', { ...base, actor: cadre, now: at('2024-03-01') });
    const v = !input.ok && refusalError(input.reasons);
    expect(v).toBeInstanceOf(ValidationError);
    expect(v instanceof ValidationError && v.issues.map((i) => i.field)).toEqual(['attachments.application']);
    const early = close(inVillageNotice(), at('2024-03-02'));
    expect(!early.ok && refusalError(early.reasons)).toBeInstanceOf(Conflict);
  });

  it('a city administrator of another city gets not found; the console operator (*) may act', () => {
    expect(codes(decide(identification, [], 'apply', { ...base, actor: actor('city_admin', '1561'), now: at('2024-03-01'), attachments: file }))).toEqual(['not_found']);
    expect(codes(decide(identification, [], 'apply', { ...base, actor: actor('city_admin', '*'), now: at('2024-03-01'), attachments: file }))).toEqual([]);
    expect(codes(decide(identification, [], 'apply', { ...base, actor: actor('village_cadre', '*'), now: at('2024-03-01'), attachments: file }))).toEqual(['wrong_level']);
  });

  it('a township reviewer of another township gets not found on a village step', () => {
    const r = decide(identification, [], 'apply', { ...base, actor: actor('township_reviewer', areaAt('township', OTHER_TOWNSHIP_VILLAGE)), now: at('2024-03-01') });
    expect(r.ok || r.reasons.map((x) => x.code)).toEqual(['not_found']);
  });
});
