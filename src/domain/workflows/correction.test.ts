// Correction of a wrong exit (错退纠正): the definition, every path a case can take, and the
// refusals of the wrong role and level. The per-step checks shared by every workflow (each role,
// area, state, field and attachment) run over it in transitions.test.ts.
import { describe, expect, it } from 'vitest';
import type { ResolvedParam } from '../policy-types.js';
import { exitCorrection } from './correction.js';
import { defineWorkflow } from './define.js';
import { allowedActions, decide, overdue, stateOf, type DecideOptions, type WorkflowEvent } from './engine.js';
import { WORKFLOWS, workflowOf, type WorkflowKey } from './index.js';
import { CITY, VILLAGE, actor, areaAt, at, lookupOf, pathTo } from './testkit.js';

const cadre = actor('village_cadre', VILLAGE, 21);
const township = actor('township_reviewer', areaAt('township'), 22);
const county = actor('county_office', areaAt('county'), 23);
const inspector = actor('inspector', areaAt('county'), 24);
const lookup = lookupOf();
const file = (kind: string) => [{ kind, ref: `sha256:${kind}` }];
const povertyLine: ResolvedParam = { key: 'poverty_line', value: 4000, year: 2020, region: '', source: 'NBS' };
const notEligible = {
  key: 'exit',
  eligible: false,
  reasons: [{ zh: '人均纯收入 3,100.00 元，低于贫困线 4,000.00 元', en: 'Per-capita net income 3,100.00 is below the poverty line 4,000.00' }],
  params: [povertyLine],
};

/** A case: takes steps one a day from 2024-05-06, failing the test on a refusal. */
function story() {
  const events: WorkflowEvent[] = [];
  let day = 6;
  const opts = (o: Omit<DecideOptions, 'lookup' | 'caseInfo' | 'now'>): DecideOptions => ({ lookup, caseInfo: { villageCode: VILLAGE }, now: at(`2024-05-${String(day).padStart(2, '0')}`), ...o });
  return {
    events,
    step(action: string, o: Omit<DecideOptions, 'lookup' | 'caseInfo' | 'now'>) {
      const r = decide(exitCorrection, events, action, opts(o));
      if (!r.ok) throw new Error(`${action}: ${r.reasons.map((x) => x.zh).join('；')}`);
      events.push(r.event);
      day += 1;
      return stateOf(exitCorrection, events);
    },
    try(action: string, o: Omit<DecideOptions, 'lookup' | 'caseInfo' | 'now'>) {
      return decide(exitCorrection, events, action, opts(o));
    },
    allowed(who = county) {
      return allowedActions(exitCorrection, events, who, opts({ actor: who }).now, lookup, { villageCode: VILLAGE }).map((a) => a.action);
    },
  };
}

const verify = { actor: cadre, input: { findings: '入户核实：家庭主要劳动力患病，2020 年收入低于贫困线' }, attachments: file('verification_record') };
const agree = { actor: township, input: { opinion: '同意上报旗县认定' } };
const correct = { actor: county, input: { opinion: '认定错退，恢复为未脱贫' }, attachments: file('announcement') };
const uphold = { actor: county, input: { reason: '核实收入稳定超过贫困线，退出无误' } };
const codes = (r: ReturnType<typeof decide>) => (r.ok ? [] : r.reasons.map((x) => x.code));

describe('the exit_correction definition', () => {
  it('is registered under its key and passes the consistency checks', () => {
    expect(exitCorrection.key).toBe('exit_correction');
    expect(WORKFLOWS.exit_correction).toBe(exitCorrection);
    expect(workflowOf('exit_correction')).toBe(exitCorrection);
    const key: WorkflowKey = 'exit_correction';
    expect(Object.keys(WORKFLOWS)).toContain(key);
    expect(Object.isFrozen(exitCorrection)).toBe(true);
    expect(Object.isFrozen(exitCorrection.actions[0]!.fields)).toBe(true);
    // A fresh copy goes through defineWorkflow's checks again without a complaint.
    expect(() => defineWorkflow(structuredClone(exitCorrection))).not.toThrow();
  });

  it('is opened only by a closed evaluation (openedBy); every other procedure by whoever may take its first step', () => {
    expect(exitCorrection.openedBy).toEqual({ by: 'evaluation', finding: { zh: '错退问题', en: 'the wrong exit' } });
    expect(Object.values(WORKFLOWS).filter((w) => w.openedBy).map((w) => w.key)).toEqual(['exit_correction']);
  });

  it('has the states and steps of the procedure, with their labels', () => {
    expect(exitCorrection.label).toEqual({ zh: '错退纠正', en: 'Correction of a wrong exit' });
    expect(exitCorrection.initial).toBe('new');
    expect(Object.entries(exitCorrection.states).map(([k, s]) => [k, s.label.zh, s.final === true])).toEqual([
      ['new', '评估发现错退，待村核实', false],
      ['township_review', '待苏木乡镇审核', false],
      ['county_decision', '待旗县认定', false],
      ['corrected', '已纠正，恢复为未脱贫', true],
      ['upheld', '核实退出无误', true],
    ]);
    expect(exitCorrection.actions.map((a) => [a.id, a.kind, a.from.join('|'), a.to, a.roles.join('|'), a.level, a.fields.map((f) => `${f.key}${f.optional ? '?' : ''}`).join(','), a.attachments.join(',')])).toEqual([
      ['village_verify', 'forward', 'new', 'township_review', 'village_cadre', 'village', 'findings,evaluation?', 'verification_record'],
      ['township_agree', 'forward', 'township_review', 'county_decision', 'township_reviewer', 'township', 'opinion', ''],
      ['township_return', 'reject', 'township_review', 'new', 'township_reviewer', 'township', 'reason', ''],
      ['county_correct', 'forward', 'county_decision', 'corrected', 'county_office', 'county', 'opinion', 'announcement'],
      ['county_uphold', 'reject', 'county_decision', 'upheld', 'county_office', 'county', 'reason', ''],
      ['reopen', 'reopen', 'upheld', 'county_decision', 'county_office', 'county', 'reason', ''],
    ]);
  });

  it('reaches every state, posts no notice and starts no deadline', () => {
    for (const s of Object.keys(exitCorrection.states)) expect(() => pathTo(exitCorrection, s)).not.toThrow();
    expect(exitCorrection.actions.filter((a) => a.startsNotice || a.closesNotice || a.startsDeadline)).toEqual([]);
  });

  it('takes the exit evaluation as evidence only: optional, of the exit decision, never required to be eligible', () => {
    const f = exitCorrection.actions[0]!.fields.find((x) => x.kind === 'evaluation')!;
    expect(f).toMatchObject({ key: 'evaluation', evaluationKey: 'exit', optional: true });
    expect(f.mustBeEligible).toBeUndefined();
  });

  it('refuses an inconsistent variant (only a reopen may leave a final state)', () => {
    const bad = structuredClone(exitCorrection);
    bad.actions = bad.actions.map((a) => (a.id === 'reopen' ? { ...a, kind: 'forward' } : a));
    expect(() => defineWorkflow(bad)).toThrow(/reopen: only a reopen may leave the final state upheld/);
  });
});

describe('exit_correction paths', () => {
  it('verify → agree → correct: the village, the township and the county each take their step', () => {
    const c = story();
    expect(c.allowed(cadre)).toEqual(['village_verify']);
    expect(c.step('village_verify', verify)).toBe('township_review');
    expect(c.allowed(township)).toEqual(['township_agree', 'township_return']);
    expect(c.allowed(cadre)).toEqual([]);
    expect(c.step('township_agree', agree)).toBe('county_decision');
    expect(c.allowed(county)).toEqual(['county_correct', 'county_uphold']);
    expect(c.step('county_correct', correct)).toBe('corrected');
    expect(c.allowed(county)).toEqual([]);
    expect(c.events.map((e) => `${e.seq}:${e.action}:${e.from}→${e.to}:${e.actor.role}`)).toEqual([
      '1:village_verify:new→township_review:village_cadre',
      '2:township_agree:township_review→county_decision:township_reviewer',
      '3:county_correct:county_decision→corrected:county_office',
    ]);
    expect(c.events[0]!.input).toEqual(verify.input);
    expect(c.events[2]!.attachments).toEqual(file('announcement'));
    expect(overdue(exitCorrection, c.events, at('2025-01-01'))).toEqual([]);
  });

  it('keeps an exit evaluation that says not eligible, with its parameters', () => {
    const c = story();
    expect(c.step('village_verify', { ...verify, input: { ...verify.input, evaluation: notEligible } })).toBe('township_review');
    expect(c.events[0]!.input.evaluation).toEqual(notEligible);
    expect(c.events[0]!.params).toEqual([povertyLine]);
  });

  it('refuses an evaluation of another decision', () => {
    const r = story().try('village_verify', { ...verify, input: { ...verify.input, evaluation: { ...notEligible, key: 'identification' } } });
    expect(r.ok || r.reasons.map((x) => [x.code, x.field])).toEqual([['invalid_field', 'evaluation']]);
  });

  it('verify → agree → uphold: the exit stands and the case is closed', () => {
    const c = story();
    c.step('village_verify', verify);
    c.step('township_agree', agree);
    expect(c.step('county_uphold', uphold)).toBe('upheld');
    expect(c.events.at(-1)!.input).toEqual(uphold.input);
    expect(c.allowed(county)).toEqual(['reopen']);
    expect(c.allowed(cadre)).toEqual([]);
    expect(codes(c.try('county_correct', correct))).toEqual(['wrong_state']);
  });

  it('the township sends it back: the village verifies again', () => {
    const c = story();
    c.step('village_verify', verify);
    expect(c.step('township_return', { actor: township, input: { reason: '核实记录缺少收入明细' } })).toBe('new');
    expect(c.allowed(cadre)).toEqual(['village_verify']);
    expect(c.step('village_verify', verify)).toBe('township_review');
    expect(c.step('township_agree', agree)).toBe('county_decision');
    expect(c.step('county_correct', correct)).toBe('corrected');
    expect(c.events.map((e) => e.action)).toEqual(['village_verify', 'township_return', 'village_verify', 'township_agree', 'county_correct']);
  });

  it('an upheld case is reopened by the county and then corrected', () => {
    const c = story();
    c.step('village_verify', verify);
    c.step('township_agree', agree);
    c.step('county_uphold', uphold);
    expect(c.step('reopen', { actor: county, input: { reason: '群众反映，收到新的收入证明' } })).toBe('county_decision');
    expect(c.step('county_correct', correct)).toBe('corrected');
    // A correction is final: nothing reopens it.
    expect(codes(c.try('reopen', { actor: county, input: { reason: '再议' } }))).toEqual(['wrong_state']);
    expect(c.allowed(county)).toEqual([]);
  });

  it('the city administrator may take every step', () => {
    const admin = actor('city_admin', CITY);
    const c = story();
    c.step('village_verify', { ...verify, actor: admin });
    c.step('township_agree', { ...agree, actor: admin });
    expect(c.step('county_correct', { ...correct, actor: admin })).toBe('corrected');
  });
});

describe('exit_correction refusals', () => {
  it('the inspector who found the wrong exit takes no step of the case', () => {
    const c = story();
    const r = c.try('village_verify', { ...verify, actor: inspector });
    expect(codes(r)).toEqual(['wrong_role', 'wrong_level']);
    if (!r.ok) {
      expect(r.reasons[0]!.zh).toMatch(/^「入户核实并报苏木乡镇」须由嘎查村干部\/驻村工作队办理，您的角色是督查检查/);
      expect(r.reasons[1]!.zh).toContain('须由村级（嘎查村）账号办理');
    }
    expect(c.allowed(inspector)).toEqual([]);
  });

  it('a village cadre cannot agree for the township, nor a township reviewer decide for the county', () => {
    const c = story();
    c.step('village_verify', verify);
    const r = c.try('township_agree', { ...agree, actor: cadre });
    expect(codes(r)).toEqual(['wrong_role', 'wrong_level']);
    if (!r.ok) {
      expect(r.reasons[0]!.zh).toContain('须由苏木乡镇审核员办理');
      expect(r.reasons[0]!.en).toContain('is for the Township reviewer');
      expect(r.reasons[1]!.en).toContain('must be taken by a township level account');
    }
    c.step('township_agree', agree);
    const t = c.try('county_correct', { ...correct, actor: township });
    expect(codes(t)).toEqual(['wrong_role', 'wrong_level']);
    if (!t.ok) expect(t.reasons[0]!.zh).toContain('须由旗县扶贫办办理');
  });

  it('the right role at the wrong level is refused for the level only', () => {
    const c = story();
    c.step('village_verify', verify);
    c.step('township_agree', agree);
    const r = c.try('county_uphold', { ...uphold, actor: actor('county_office', areaAt('township')) });
    expect(codes(r)).toEqual(['wrong_level']);
    if (!r.ok) expect(r.reasons[0]!.zh).toContain('须由县级（旗县区）账号办理');
  });

  it('the county may not correct without the announcement, nor uphold without a reason', () => {
    const c = story();
    c.step('village_verify', verify);
    c.step('township_agree', agree);
    const r = c.try('county_correct', { ...correct, attachments: [] });
    expect(r.ok || r.reasons.map((x) => [x.code, x.field])).toEqual([['missing_attachment', 'attachments.announcement']]);
    const u = c.try('county_uphold', { ...uphold, input: {} });
    expect(u.ok || u.reasons.map((x) => [x.code, x.field])).toEqual([['missing_field', 'reason']]);
  });

  it('the village may not verify without findings or the home verification record', () => {
    const r = story().try('village_verify', { actor: cadre, input: {}, attachments: [] });
    expect(r.ok || r.reasons.map((x) => [x.code, x.field])).toEqual([['missing_field', 'findings'], ['missing_attachment', 'attachments.verification_record']]);
  });
});
