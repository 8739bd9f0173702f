// Identification of a poor household (贫困户识别, 两公示一公告), domain.md §4: the household applies →
// the village representative meeting reviews (民主评议) → first notice in the village → the township
// reviews → second notice → the county approves and announces → entered in the register.
//
// The second notice is run at township level: the township reviewer opens it after the township
// review, records objections during it and closes it. (It is posted in the village, but the
// township is the body that proposed the list, so the township answers objections to it.)
// Each notice lasts identification_notice_days; an objection returns the case to the step before
// the notice. A rejection at any review ends the case with the reason; the county may reopen a
// rejected or withdrawn case (appeal or correction), which is a new event, not an edit.

import { defineWorkflow, objectionStep } from './define.js';
import { F } from './fields.js';
import type { WorkflowDef } from './types.js';

const V = { roles: ['village_cadre'], level: 'village' } as const;
const T = { roles: ['township_reviewer'], level: 'township' } as const;
const C = { roles: ['county_office'], level: 'county' } as const;

export const identification: WorkflowDef = defineWorkflow({
  key: 'identification',
  label: { zh: '贫困户识别（两公示一公告）', en: 'Identification (two notices and an announcement)' },
  initial: 'new',
  states: {
    new: { label: { zh: '未申请', en: 'Not applied' } },
    applied: { label: { zh: '已申请，待民主评议', en: 'Applied, awaiting the village review' } },
    village_notice: { label: { zh: '村级第一次公示中', en: 'First notice in the village' } },
    township_review: { label: { zh: '待乡镇审核', en: 'Awaiting the township review' } },
    township_notice: { label: { zh: '乡镇第二次公示中', en: 'Second notice (township)' } },
    county_approval: { label: { zh: '待旗县审批公告', en: 'Awaiting county approval and announcement' } },
    registered: { label: { zh: '已纳入建档立卡', en: 'Registered' }, final: true },
    rejected: { label: { zh: '未通过识别', en: 'Not identified' }, final: true },
    withdrawn: { label: { zh: '已撤回申请', en: 'Application withdrawn' }, final: true },
  },
  actions: [
    {
      id: 'apply',
      label: { zh: '受理申请', en: 'Register the application' },
      kind: 'forward',
      from: ['new'],
      to: 'applied',
      ...V,
      fields: [],
      attachments: ['application'],
    },
    {
      id: 'village_review_pass',
      label: { zh: '民主评议通过并公示', en: 'Pass the village review and post the notice' },
      kind: 'forward',
      from: ['applied'],
      to: 'village_notice',
      ...V,
      fields: [F.meetingDate, F.opinion],
      attachments: ['meeting_minutes'],
      startsNotice: 'identification_notice_days',
    },
    {
      id: 'village_review_reject',
      label: { zh: '民主评议未通过', en: 'Reject at the village review' },
      kind: 'reject',
      from: ['applied'],
      to: 'rejected',
      ...V,
      fields: [F.meetingDate, F.reason],
      attachments: ['meeting_minutes'],
    },
    {
      id: 'village_notice_close',
      label: { zh: '第一次公示期满无异议，报乡镇审核', en: 'Close the first notice without objection and send to the township' },
      kind: 'forward',
      from: ['village_notice'],
      to: 'township_review',
      ...V,
      fields: [],
      attachments: ['notice_photo'],
      closesNotice: true,
    },
    objectionStep({ id: 'village_notice_objection', notice: 'village_notice', backTo: 'applied', ...V, noticeName: { zh: '第一次公示', en: 'first notice' } }),
    {
      id: 'township_review_pass',
      label: { zh: '乡镇审核通过并第二次公示', en: 'Pass the township review and post the second notice' },
      kind: 'forward',
      from: ['township_review'],
      to: 'township_notice',
      ...T,
      fields: [F.opinion],
      attachments: [],
      startsNotice: 'identification_notice_days',
    },
    {
      id: 'township_review_reject',
      label: { zh: '乡镇审核不通过', en: 'Reject at the township review' },
      kind: 'reject',
      from: ['township_review'],
      to: 'rejected',
      ...T,
      fields: [F.reason],
      attachments: [],
    },
    {
      id: 'township_notice_close',
      label: { zh: '第二次公示期满无异议，报旗县审批', en: 'Close the second notice without objection and send to the county' },
      kind: 'forward',
      from: ['township_notice'],
      to: 'county_approval',
      ...T,
      fields: [],
      attachments: ['notice_photo'],
      closesNotice: true,
    },
    objectionStep({ id: 'township_notice_objection', notice: 'township_notice', backTo: 'township_review', ...T, noticeName: { zh: '第二次公示', en: 'second notice' } }),
    {
      id: 'county_approve',
      label: { zh: '旗县审批并公告，纳入建档立卡', en: 'Approve, announce and register' },
      kind: 'forward',
      from: ['county_approval'],
      to: 'registered',
      ...C,
      fields: [F.opinion],
      attachments: ['announcement'],
    },
    {
      id: 'county_reject',
      label: { zh: '旗县审批不通过', en: 'Reject at county approval' },
      kind: 'reject',
      from: ['county_approval'],
      to: 'rejected',
      ...C,
      fields: [F.reason],
      attachments: [],
    },
    {
      id: 'withdraw',
      label: { zh: '农户撤回申请', en: 'Withdraw the application (household request)' },
      kind: 'withdraw',
      from: ['applied', 'village_notice', 'township_review', 'township_notice', 'county_approval'],
      to: 'withdrawn',
      ...V,
      fields: [F.reason],
      attachments: [],
    },
    {
      id: 'reopen',
      label: { zh: '重新受理（申诉或纠错）', en: 'Reopen (appeal or correction)' },
      kind: 'reopen',
      from: ['rejected', 'withdrawn'],
      to: 'applied',
      ...C,
      fields: [F.reason],
      attachments: [],
    },
  ],
});
