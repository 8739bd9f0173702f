// Household exit (贫困户脱贫退出), domain.md §4: the village committee reviews → the village committee
// and the resident work team verify at home → the household agrees (signed) → village notice →
// announcement → the record is marked exited. The exit evaluation (evaluate.ts, income stably at or
// above the line and every check passed) is a required input of the village review and must say
// eligible; its parameters are kept in the event. The county announces (it is the level that
// approves exits and publishes the list). Exited households keep their record and policies
// (摘帽不摘政策); a relapse is a monitoring case, not an undo of the exit.
//
// An objection during the notice returns the case to the step before the notice (awaiting the
// household's agreement), where the cadre may re-confirm, record that the household declines, or
// withdraw. The county may reopen a rejected or withdrawn case.

import { defineWorkflow, objectionStep } from './define.js';
import { F } from './fields.js';
import type { FieldDef, WorkflowDef } from './types.js';

const V = { roles: ['village_cadre'], level: 'village' } as const;
const C = { roles: ['county_office'], level: 'county' } as const;

const evaluation: FieldDef = {
  key: 'evaluation',
  label: { zh: '脱贫退出评估结果', en: 'exit evaluation' },
  kind: 'evaluation',
  evaluationKey: 'exit',
  mustBeEligible: true,
};
const proposal: FieldDef = { key: 'proposal', label: { zh: '拟退出理由', en: 'grounds for the proposed exit' }, kind: 'text' };

export const householdExit: WorkflowDef = defineWorkflow({
  key: 'household_exit',
  label: { zh: '贫困户脱贫退出', en: 'Household exit' },
  initial: 'new',
  states: {
    new: { label: { zh: '未提出', en: 'Not proposed' } },
    village_review: { label: { zh: '拟退出，待村委会评议', en: 'Proposed, awaiting the village committee review' } },
    verification: { label: { zh: '待村委会和驻村工作队核实', en: 'Awaiting verification by the village committee and work team' } },
    household_confirmation: { label: { zh: '待农户确认', en: "Awaiting the household's agreement" } },
    village_notice: { label: { zh: '村内公示中', en: 'Notice in the village' } },
    announcement: { label: { zh: '公示期满，待公告', en: 'Notice over, awaiting the announcement' } },
    exited: { label: { zh: '已脱贫退出', en: 'Exited' }, final: true },
    rejected: { label: { zh: '暂不退出', en: 'Not exiting' }, final: true },
    withdrawn: { label: { zh: '已撤回', en: 'Withdrawn' }, final: true },
  },
  actions: [
    {
      id: 'propose',
      label: { zh: '提出拟退出', en: 'Propose the exit' },
      kind: 'forward',
      from: ['new'],
      to: 'village_review',
      ...V,
      fields: [proposal],
      attachments: [],
    },
    {
      id: 'village_review_pass',
      label: { zh: '村委会评议通过', en: 'Pass the village committee review' },
      kind: 'forward',
      from: ['village_review'],
      to: 'verification',
      ...V,
      fields: [F.meetingDate, F.opinion, evaluation],
      attachments: ['meeting_minutes'],
    },
    {
      id: 'village_review_reject',
      label: { zh: '村委会评议不通过', en: 'Reject at the village committee review' },
      kind: 'reject',
      from: ['village_review'],
      to: 'rejected',
      ...V,
      fields: [F.meetingDate, F.reason],
      attachments: ['meeting_minutes'],
    },
    {
      id: 'verify_pass',
      label: { zh: '入户核实无误', en: 'Verify at home: confirmed' },
      kind: 'forward',
      from: ['verification'],
      to: 'household_confirmation',
      ...V,
      fields: [F.findings],
      attachments: ['verification_record'],
    },
    {
      id: 'verify_fail',
      label: { zh: '入户核实不符合退出条件', en: 'Verify at home: not ready to exit' },
      kind: 'reject',
      from: ['verification'],
      to: 'rejected',
      ...V,
      fields: [F.findings, F.reason],
      attachments: ['verification_record'],
    },
    {
      id: 'household_agree',
      label: { zh: '农户签字认可并公示', en: 'Household signs its agreement; post the notice' },
      kind: 'forward',
      from: ['household_confirmation'],
      to: 'village_notice',
      ...V,
      fields: [],
      attachments: ['household_signature'],
      startsNotice: 'exit_notice_days',
    },
    {
      id: 'household_decline',
      label: { zh: '农户不认可', en: 'Household does not agree' },
      kind: 'reject',
      from: ['household_confirmation'],
      to: 'rejected',
      ...V,
      fields: [F.reason],
      attachments: [],
    },
    {
      id: 'village_notice_close',
      label: { zh: '公示期满无异议', en: 'Close the notice without objection' },
      kind: 'forward',
      from: ['village_notice'],
      to: 'announcement',
      ...V,
      fields: [],
      attachments: ['notice_photo'],
      closesNotice: true,
    },
    objectionStep({ id: 'village_notice_objection', notice: 'village_notice', backTo: 'household_confirmation', ...V, noticeName: { zh: '退出公示', en: 'exit notice' } }),
    {
      id: 'announce',
      label: { zh: '旗县公告退出', en: 'Announce the exit' },
      kind: 'forward',
      from: ['announcement'],
      to: 'exited',
      ...C,
      fields: [F.opinion],
      attachments: ['announcement'],
    },
    {
      id: 'withdraw',
      label: { zh: '撤回拟退出', en: 'Withdraw the proposal' },
      kind: 'withdraw',
      from: ['village_review', 'verification', 'household_confirmation', 'village_notice', 'announcement'],
      to: 'withdrawn',
      ...V,
      fields: [F.reason],
      attachments: [],
    },
    {
      id: 'reopen',
      label: { zh: '重新评议（纠错）', en: 'Reopen (correction)' },
      kind: 'reopen',
      from: ['rejected', 'withdrawn'],
      to: 'village_review',
      ...C,
      fields: [F.reason],
      attachments: [],
    },
  ],
});
