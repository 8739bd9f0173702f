// Whole cases told step by step with the actors who take them: identification → registered,
// exit → exited, monitoring → risk eliminated.
import { describe, expect, it } from 'vitest';
import type { ResolvedParam } from '../policy-types.js';
import { allowedActions, decide, overdue, stateOf, type DecideOptions, type WorkflowDef, type WorkflowEvent } from './engine.js';
import { householdExit } from './exit.js';
import { identification } from './identification.js';
import { monitoring, monitoringCaseFacts } from './monitoring.js';
import { VILLAGE, actor, areaAt, at, lookupOf } from './testkit.js';

const cadre = actor('village_cadre', VILLAGE, 11);
const township = actor('township_reviewer', areaAt('township'), 12);
const county = actor('county_office', areaAt('county'), 13);
const lookup = lookupOf();
const file = (kind: string) => [{ kind, ref: `sha256:${kind}` }];

/** A case: takes steps one after another, failing the test on a refusal. */
function story(def: WorkflowDef) {
  const events: WorkflowEvent[] = [];
  return {
    events,
    step(action: string, o: Omit<DecideOptions, 'lookup' | 'caseInfo'> & { lookup?: DecideOptions['lookup'] }) {
      const r = decide(def, events, action, { lookup, caseInfo: { villageCode: VILLAGE }, ...o });
      if (!r.ok) throw new Error(`${action}: ${r.reasons.map((x) => x.zh).join('；')}`);
      events.push(r.event);
      return stateOf(def, events);
    },
    try(action: string, o: Omit<DecideOptions, 'lookup' | 'caseInfo'>) {
      return decide(def, events, action, { lookup, caseInfo: { villageCode: VILLAGE }, ...o });
    },
  };
}

const povertyLine: ResolvedParam = { key: 'poverty_line', value: 4000, year: 2020, region: '', source: 'NBS' };
const exitStable: ResolvedParam = { key: 'exit_stable_years', value: 2, year: 2020, region: '', source: 'project' };

describe('identification: applied → registered (两公示一公告)', () => {
  it('goes through both notices, survives an objection, and is registered by the county', () => {
    const c = story(identification);
    expect(c.step('apply', { actor: cadre, attachments: file('application'), now: at('2024-03-01') })).toBe('applied');
    expect(c.step('village_review_pass', { actor: cadre, input: { meetingDate: '2024-03-04', opinion: '评议通过' }, attachments: file('meeting_minutes'), now: at('2024-03-04', 16) })).toBe('village_notice');
    expect(c.events[1]!.noticeEndsOn).toBe('2024-03-11');
    expect(c.step('village_notice_objection', { actor: cadre, input: { objection: '家中有经营性车辆' }, now: at('2024-03-06') })).toBe('applied');
    expect(c.step('village_review_pass', { actor: cadre, input: { meetingDate: '2024-03-08', opinion: '核实车辆已报废，评议通过' }, attachments: file('meeting_minutes'), now: at('2024-03-08') })).toBe('village_notice');
    expect(c.try('village_notice_close', { actor: cadre, attachments: file('notice_photo'), now: at('2024-03-14', 18) })).toMatchObject({ ok: false, reasons: [{ code: 'notice_not_over', endsOn: '2024-03-15' }] });
    expect(c.step('village_notice_close', { actor: cadre, attachments: file('notice_photo'), now: at('2024-03-15', 8) })).toBe('township_review');
    expect(c.try('township_review_pass', { actor: cadre, input: { opinion: '同意' }, now: at('2024-03-18') })).toMatchObject({ ok: false, reasons: [{ code: 'wrong_role' }, { code: 'wrong_level' }] });
    expect(c.step('township_review_pass', { actor: township, input: { opinion: '同意' }, now: at('2024-03-18') })).toBe('township_notice');
    expect(c.step('township_notice_close', { actor: township, attachments: file('notice_photo'), now: at('2024-03-25') })).toBe('county_approval');
    expect(c.step('county_approve', { actor: county, input: { opinion: '批准' }, attachments: file('announcement'), now: at('2024-03-27'), comment: '2024 年第 3 批' })).toBe('registered');

    expect(c.events.map((e) => `${e.seq}:${e.from}→${e.to}`)).toEqual([
      '1:new→applied',
      '2:applied→village_notice',
      '3:village_notice→applied',
      '4:applied→village_notice',
      '5:village_notice→township_review',
      '6:township_review→township_notice',
      '7:township_notice→county_approval',
      '8:county_approval→registered',
    ]);
    expect(c.events[2]!.input).toEqual({ objection: '家中有经营性车辆' });
    expect(c.events.map((e) => e.actor.id)).toEqual([11, 11, 11, 11, 11, 12, 12, 13]);
    expect(c.events.at(-1)!.comment).toBe('2024 年第 3 批');
    expect(allowedActions(identification, c.events, county, at('2024-04-01'), lookup, { villageCode: VILLAGE })).toEqual([]);
    expect(overdue(identification, c.events, at('2025-01-01'))).toEqual([]);
  });
});

describe('household exit: proposed → exited', () => {
  const review = (evaluation: unknown) => ({ actor: cadre, input: { meetingDate: '2024-11-04', opinion: '同意退出', evaluation }, attachments: file('meeting_minutes'), now: at('2024-11-05') });

  it('needs an eligible exit evaluation at the village review and keeps its parameters', () => {
    const c = story(householdExit);
    expect(c.step('propose', { actor: cadre, input: { proposal: '人均纯收入 9,800 元，连续两年稳定超过贫困线' }, now: at('2024-11-01') })).toBe('village_review');

    const no = c.try('village_review_pass', review({ key: 'exit', eligible: false, reasons: [{ zh: '住房安全未达标', en: 'Housing not secured' }], params: [povertyLine] }));
    expect(no).toEqual({ ok: false, reasons: [{ code: 'not_eligible', field: 'evaluation', zh: '评估结果为不符合条件，不能办理此步骤：住房安全未达标', en: 'The evaluation says not eligible; this step cannot be taken: Housing not secured' }] });
    const unknown = c.try('village_review_pass', review({ key: 'exit', eligible: null, reasons: [{ zh: '缺少贫困线', en: 'No poverty line' }] }));
    expect(unknown.ok || unknown.reasons.map((r) => [r.code, r.zh])).toEqual([['not_eligible', '评估无法判断是否符合条件，请补全事实或参数后重新评估：缺少贫困线']]);
    const wrongKind = c.try('village_review_pass', review({ key: 'identification', eligible: true }));
    expect(wrongKind.ok || wrongKind.reasons.map((r) => r.code)).toEqual(['invalid_field']);
    const notAnEvaluation = c.try('village_review_pass', review('yes'));
    expect(notAnEvaluation.ok || notAnEvaluation.reasons.map((r) => r.code)).toEqual(['invalid_field']);

    expect(c.step('village_review_pass', review({ key: 'exit', eligible: true, reasons: [], params: [povertyLine, exitStable, povertyLine] }))).toBe('verification');
    expect(c.events.at(-1)!.params).toEqual([povertyLine, exitStable]);

    expect(c.step('verify_pass', { actor: cadre, input: { findings: '两不愁三保障均达标' }, attachments: file('verification_record'), now: at('2024-11-06') })).toBe('household_confirmation');
    expect(c.try('household_agree', { actor: cadre, now: at('2024-11-07') })).toMatchObject({ ok: false, reasons: [{ code: 'missing_attachment', field: 'attachments.household_signature' }] });
    expect(c.step('household_agree', { actor: cadre, attachments: file('household_signature'), now: at('2024-11-07') })).toBe('village_notice');
    expect(c.events.at(-1)).toMatchObject({ noticeEndsOn: '2024-11-14', params: [expect.objectContaining({ key: 'exit_notice_days', value: 7 })] });
    expect(c.step('village_notice_close', { actor: cadre, attachments: file('notice_photo'), now: at('2024-11-14') })).toBe('announcement');
    expect(c.try('announce', { actor: township, input: { opinion: '同意' }, attachments: file('announcement'), now: at('2024-11-20') })).toMatchObject({ ok: false, reasons: [{ code: 'wrong_role' }, { code: 'wrong_level' }] });
    expect(c.step('announce', { actor: county, input: { opinion: '同意退出' }, attachments: file('announcement'), now: at('2024-11-20') })).toBe('exited');
    expect(c.events.map((e) => e.action)).toEqual(['propose', 'village_review_pass', 'verify_pass', 'household_agree', 'village_notice_close', 'announce']);
  });

  it('an objection to the exit notice returns the case to the household confirmation', () => {
    const c = story(householdExit);
    c.step('propose', { actor: cadre, input: { proposal: '收入稳定' }, now: at('2024-11-01') });
    c.step('village_review_pass', review({ key: 'exit', eligible: true }));
    c.step('verify_pass', { actor: cadre, input: { findings: '达标' }, attachments: file('verification_record'), now: at('2024-11-06') });
    c.step('household_agree', { actor: cadre, attachments: file('household_signature'), now: at('2024-11-07') });
    expect(c.step('village_notice_objection', { actor: cadre, input: { objection: '户主长期患病，收入不稳', objector: '邻居' }, now: at('2024-11-10') })).toBe('household_confirmation');
    expect(c.step('household_decline', { actor: cadre, input: { reason: '农户暂不同意退出' }, now: at('2024-11-11') })).toBe('rejected');
  });
});

describe('monitoring: discovered → risk eliminated', () => {
  const eligibleRisk = { key: 'risk_elimination', eligible: true, reasons: [{ zh: '符合风险消除条件', en: 'Risk eliminated' }], params: [{ key: 'risk_elimination_min_months', value: 6, year: 2020, region: '', source: 'guidance' }] };

  it('is identified within the working-day deadline, assisted, and its risk eliminated', () => {
    const c = story(monitoring);
    expect(c.step('discover', { actor: cadre, input: { source: 'department_screening', riskType: 'illness', description: '医保数据显示自付医疗费用 3.2 万元' }, now: at('2024-03-01') })).toBe('discovered');
    expect(c.events[0]).toMatchObject({ dueOn: '2024-03-29', input: { source: 'department_screening', riskType: 'illness' } });
    expect(c.step('verify', { actor: cadre, input: { findings: '户主住院，家庭收入下降', crossCheck: '无车辆、无工商登记' }, attachments: file('verification_record'), now: at('2024-03-04') })).toBe('verified');
    expect(c.step('village_review_pass', { actor: cadre, input: { meetingDate: '2024-03-05', opinion: '同意纳入' }, attachments: file('meeting_minutes'), now: at('2024-03-05') })).toBe('village_notice');
    expect(c.events.at(-1)!.noticeEndsOn).toBe('2024-03-10');
    expect(c.try('village_notice_close', { actor: cadre, attachments: file('notice_photo'), now: at('2024-03-09', 23) })).toMatchObject({ ok: false, reasons: [{ code: 'notice_not_over', endsOn: '2024-03-10' }] });
    expect(c.step('village_notice_close', { actor: cadre, attachments: file('notice_photo'), now: at('2024-03-11') })).toBe('township_review');
    expect(c.step('township_review_pass', { actor: township, input: { opinion: '同意' }, now: at('2024-03-13') })).toBe('county_approval');
    expect(overdue(monitoring, c.events, at('2024-04-01'))).toMatchObject([{ kind: 'deadline_passed', on: '2024-03-29', days: 3 }]);
    expect(c.step('county_approve', { actor: county, input: { opinion: '纳入监测' }, attachments: file('announcement'), now: at('2024-03-20') })).toBe('monitored');
    expect(overdue(monitoring, c.events, at('2024-04-01'))).toEqual([]);

    expect(c.step('record_assistance', { actor: cadre, input: { measures: '医疗救助、临时救助' }, now: at('2024-03-25') })).toBe('assisting');
    expect(c.step('record_assistance', { actor: cadre, input: { measures: '公益岗位' }, now: at('2024-04-10') })).toBe('assisting');
    expect(monitoringCaseFacts(c.events)).toEqual({ identifiedOn: '2024-03-20', measuresApplied: 2 });

    const no = c.try('propose_elimination', {
      actor: cadre,
      input: { meetingDate: '2024-07-01', opinion: '拟消除', evaluation: { key: 'risk_elimination', eligible: false, reasons: [{ zh: '自识别起未满 6 个月', en: 'Less than 6 months since identification' }] } },
      attachments: file('meeting_minutes'),
      now: at('2024-07-01'),
    });
    expect(no.ok || no.reasons).toEqual([expect.objectContaining({ code: 'not_eligible', zh: expect.stringContaining('自识别起未满 6 个月') })]);

    const propose = { actor: cadre, input: { meetingDate: '2024-10-08', opinion: '收入稳定超过监测线', evaluation: eligibleRisk }, attachments: file('meeting_minutes'), now: at('2024-10-08') };
    expect(c.step('propose_elimination', propose)).toBe('elimination_review');
    expect(c.events.at(-1)!.params).toEqual(eligibleRisk.params);
    expect(c.step('return_elimination', { actor: county, input: { reason: '大额医疗支出尚未解决' }, now: at('2024-10-10') })).toBe('assisting');
    expect(c.step('record_assistance', { actor: cadre, input: { measures: '大病保险二次报销' }, now: at('2024-10-20') })).toBe('assisting');
    expect(c.step('propose_elimination', { ...propose, now: at('2024-11-01'), input: { ...propose.input, meetingDate: '2024-11-01' } })).toBe('elimination_review');
    expect(c.step('confirm_elimination', { actor: county, input: { opinion: '同意风险消除' }, now: at('2024-11-05') })).toBe('risk_eliminated');
    expect(stateOf(monitoring, c.events)).toBe('risk_eliminated');
    expect(c.events.map((e) => e.action)).toEqual([
      'discover', 'verify', 'village_review_pass', 'village_notice_close', 'township_review_pass', 'county_approve',
      'record_assistance', 'record_assistance', 'propose_elimination', 'return_elimination', 'record_assistance', 'propose_elimination', 'confirm_elimination',
    ]);
    expect(monitoringCaseFacts(c.events).measuresApplied).toBe(3);
  });

  it('requires the risk type from the code list at discovery', () => {
    const c = story(monitoring);
    const r = c.try('discover', { actor: cadre, input: { source: 'self_report', description: '房屋受损' }, now: at('2024-07-01') });
    expect(r.ok || r.reasons.map((x) => [x.code, x.field])).toEqual([['missing_field', 'riskType']]);
    const bad = c.try('discover', { actor: cadre, input: { source: 'self_report', riskType: '因灾', description: '房屋受损' }, now: at('2024-07-01') });
    expect(bad.ok || bad.reasons.map((x) => [x.code, x.field])).toEqual([['invalid_field', 'riskType']]);
    expect(c.step('discover', { actor: cadre, input: { source: 'self_report', riskType: 'disaster', description: '房屋受损' }, now: at('2024-07-01') })).toBe('discovered');
  });
});
