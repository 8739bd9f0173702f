// Relapse monitoring (防止返贫动态监测和帮扶), domain.md §6: discovered (self-report, cadre visit or
// department screening; risk type recorded) → verified at home, with the data cross-check → village
// review and notice (monitoring_notice_days) → township review → county approval, within
// monitoring_identification_working_days working days of discovery → announced and monitored →
// assisted (measures recorded) → risk eliminated.
//
// Risk elimination: the village proposes it with the risk-elimination evaluation (evaluate.ts: income
// stably above the range for the minimum months, 三保障 and water secured, at least the minimum months
// since identification, at least one measure) which must say eligible; the county confirms it or
// sends it back. Records are kept after elimination; a new risk is a new case. `monitoringCaseFacts`
// gives the evaluation the identification day and the number of assistance steps from the events.

import { localDay } from './dates.js';
import { defineWorkflow, objectionStep } from './define.js';
import { DISCOVERY_SOURCES, RISK_TYPES } from './codes.js';
import { F } from './fields.js';
import type { DeadlineDef, FieldDef, WorkflowDef, WorkflowEvent } from './types.js';

const V = { roles: ['village_cadre'], level: 'village' } as const;
const T = { roles: ['township_reviewer'], level: 'township' } as const;
const C = { roles: ['county_office'], level: 'county' } as const;

const source: FieldDef = { key: 'source', label: { zh: '发现方式', en: 'how it was discovered' }, kind: 'code', codes: DISCOVERY_SOURCES };
const riskType: FieldDef = { key: 'riskType', label: { zh: '风险类型', en: 'risk type' }, kind: 'code', codes: RISK_TYPES };
const description: FieldDef = { key: 'description', label: { zh: '风险情况', en: 'description of the risk' }, kind: 'text' };
const crossCheck: FieldDef = { key: 'crossCheck', label: { zh: '数据比对结果', en: 'result of the data cross-check' }, kind: 'text' };
const measures: FieldDef = { key: 'measures', label: { zh: '帮扶措施', en: 'assistance measures' }, kind: 'text' };
const evaluation: FieldDef = {
  key: 'evaluation',
  label: { zh: '风险消除评估结果', en: 'risk-elimination evaluation' },
  kind: 'evaluation',
  evaluationKey: 'risk_elimination',
  mustBeEligible: true,
};

const deadline: DeadlineDef = {
  key: 'monitoring_identification_working_days',
  label: { zh: '监测对象识别（发现至旗县审批）', en: 'identification of the monitoring case (discovery to county approval)' },
  metIn: ['monitored'],
};

export const monitoring: WorkflowDef = defineWorkflow({
  key: 'monitoring',
  label: { zh: '防返贫监测', en: 'Relapse monitoring' },
  initial: 'new',
  states: {
    new: { label: { zh: '未发现', en: 'Not discovered' } },
    discovered: { label: { zh: '已发现，待入户核实', en: 'Discovered, awaiting the home check' } },
    verified: { label: { zh: '已核实，待村级评议', en: 'Verified, awaiting the village review' } },
    village_notice: { label: { zh: '村内公示中', en: 'Notice in the village' } },
    township_review: { label: { zh: '待乡镇审核', en: 'Awaiting the township review' } },
    county_approval: { label: { zh: '待旗县审批', en: 'Awaiting county approval' } },
    monitored: { label: { zh: '已公告纳入监测，待帮扶', en: 'Announced and monitored, awaiting assistance' } },
    assisting: { label: { zh: '帮扶中', en: 'Being assisted' } },
    elimination_review: { label: { zh: '风险消除待旗县审定', en: 'Risk elimination awaiting county confirmation' } },
    risk_eliminated: { label: { zh: '风险已消除', en: 'Risk eliminated' }, final: true },
    dismissed: { label: { zh: '不纳入监测', en: 'Not taken into monitoring' }, final: true },
  },
  actions: [
    {
      id: 'discover',
      label: { zh: '登记发现的风险', en: 'Record a discovered risk' },
      kind: 'forward',
      from: ['new'],
      to: 'discovered',
      ...V,
      fields: [source, riskType, description],
      attachments: [],
      startsDeadline: deadline,
    },
    {
      id: 'verify',
      label: { zh: '入户核实并数据比对', en: 'Check at home and cross-check the data' },
      kind: 'forward',
      from: ['discovered'],
      to: 'verified',
      ...V,
      fields: [F.findings, crossCheck],
      attachments: ['verification_record'],
    },
    {
      id: 'verify_dismiss',
      label: { zh: '核实后不符合监测条件', en: 'Dismiss after the home check' },
      kind: 'reject',
      from: ['discovered'],
      to: 'dismissed',
      ...V,
      fields: [F.findings, F.reason],
      attachments: ['verification_record'],
    },
    {
      id: 'village_review_pass',
      label: { zh: '村级评议通过并公示', en: 'Pass the village review and post the notice' },
      kind: 'forward',
      from: ['verified'],
      to: 'village_notice',
      ...V,
      fields: [F.meetingDate, F.opinion],
      attachments: ['meeting_minutes'],
      startsNotice: 'monitoring_notice_days',
    },
    {
      id: 'village_review_reject',
      label: { zh: '村级评议不通过', en: 'Reject at the village review' },
      kind: 'reject',
      from: ['verified'],
      to: 'dismissed',
      ...V,
      fields: [F.meetingDate, F.reason],
      attachments: ['meeting_minutes'],
    },
    {
      id: 'village_notice_close',
      label: { zh: '公示期满无异议，报乡镇审核', en: 'Close the notice without objection and send to the township' },
      kind: 'forward',
      from: ['village_notice'],
      to: 'township_review',
      ...V,
      fields: [],
      attachments: ['notice_photo'],
      closesNotice: true,
    },
    objectionStep({ id: 'village_notice_objection', notice: 'village_notice', backTo: 'verified', ...V, noticeName: { zh: '监测对象公示', en: 'monitoring notice' } }),
    {
      id: 'township_review_pass',
      label: { zh: '乡镇审核通过', en: 'Pass the township review' },
      kind: 'forward',
      from: ['township_review'],
      to: 'county_approval',
      ...T,
      fields: [F.opinion],
      attachments: [],
    },
    {
      id: 'township_review_reject',
      label: { zh: '乡镇审核不通过', en: 'Reject at the township review' },
      kind: 'reject',
      from: ['township_review'],
      to: 'dismissed',
      ...T,
      fields: [F.reason],
      attachments: [],
    },
    {
      id: 'county_approve',
      label: { zh: '旗县审批并公告，纳入监测', en: 'Approve, announce and take into monitoring' },
      kind: 'forward',
      from: ['county_approval'],
      to: 'monitored',
      ...C,
      fields: [F.opinion],
      attachments: ['announcement'],
    },
    {
      id: 'county_reject',
      label: { zh: '旗县审批不通过', en: 'Reject at county approval' },
      kind: 'reject',
      from: ['county_approval'],
      to: 'dismissed',
      ...C,
      fields: [F.reason],
      attachments: [],
    },
    {
      id: 'record_assistance',
      label: { zh: '登记帮扶措施', en: 'Record assistance measures' },
      kind: 'forward',
      from: ['monitored', 'assisting'],
      to: 'assisting',
      ...V,
      fields: [measures],
      attachments: [],
    },
    {
      id: 'propose_elimination',
      label: { zh: '村级评议拟风险消除', en: 'Propose risk elimination after the village review' },
      kind: 'forward',
      from: ['assisting'],
      to: 'elimination_review',
      ...V,
      fields: [F.meetingDate, F.opinion, evaluation],
      attachments: ['meeting_minutes'],
    },
    {
      id: 'confirm_elimination',
      label: { zh: '旗县审定风险消除', en: 'Confirm the risk elimination' },
      kind: 'forward',
      from: ['elimination_review'],
      to: 'risk_eliminated',
      ...C,
      fields: [F.opinion],
      attachments: [],
    },
    {
      id: 'return_elimination',
      label: { zh: '退回继续帮扶', en: 'Send back for further assistance' },
      kind: 'reject',
      from: ['elimination_review'],
      to: 'assisting',
      ...C,
      fields: [F.reason],
      attachments: [],
    },
    {
      id: 'reopen',
      label: { zh: '重新核实（纠错）', en: 'Reopen for a new check (correction)' },
      kind: 'reopen',
      from: ['dismissed'],
      to: 'discovered',
      ...C,
      fields: [F.reason],
      attachments: [],
      startsDeadline: deadline,
    },
  ],
});

/** Facts the risk-elimination evaluation needs from the case history (evaluate.ts MonitoringCaseInput). */
export function monitoringCaseFacts(events: readonly WorkflowEvent[]): { identifiedOn: string | null; measuresApplied: number } {
  const approved = events.filter((e) => e.action === 'county_approve').at(-1);
  return {
    identifiedOn: approved ? localDay(approved.at) : null,
    measuresApplied: events.filter((e) => e.action === 'record_assistance').length,
  };
}
