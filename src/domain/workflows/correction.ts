// Correction of a wrong exit (错退纠正), domain.md §4: the third-party exit evaluation samples exited
// households and counts those wrongly exited (错退率). A household it finds wrongly exited gets this
// case, opened by the evaluation for the offices (the assessment service opens it on behalf of the
// inspector; `openedBy` below, and services/cases/open.ts skipOpenerRoleCheck). The village verifies at home, the
// township reviews (or sends it back for a new verification), and the county decides: corrected
// (the household is 未脱贫 again, services/cases/effects.ts) or the exit upheld as correct.
//
// The village verification stores the server's exit evaluation of the case's year alongside the
// findings, as evidence either way: it is not required to say anything (a wrongly exited household
// is expected to be not eligible for exit). No notice is posted: the correction restores the record
// the household had before its exit. The county may reopen an upheld case (new evidence).

import { defineWorkflow } from './define.js';
import { F } from './fields.js';
import type { FieldDef, WorkflowDef } from './types.js';

const V = { roles: ['village_cadre'], level: 'village' } as const;
const T = { roles: ['township_reviewer'], level: 'township' } as const;
const C = { roles: ['county_office'], level: 'county' } as const;

const evaluation: FieldDef = {
  key: 'evaluation',
  label: { zh: '核实时的脱贫退出评估结果', en: 'exit evaluation at the verification' },
  kind: 'evaluation',
  evaluationKey: 'exit',
  optional: true,
};

export const exitCorrection: WorkflowDef = defineWorkflow({
  key: 'exit_correction',
  label: { zh: '错退纠正', en: 'Correction of a wrong exit' },
  openedBy: { by: 'evaluation', finding: { zh: '错退问题', en: 'the wrong exit' } },
  initial: 'new',
  states: {
    new: { label: { zh: '评估发现错退，待村核实', en: 'Flagged by the evaluation, awaiting village verification' } },
    township_review: { label: { zh: '待苏木乡镇审核', en: 'Awaiting the township review' } },
    county_decision: { label: { zh: '待旗县认定', en: 'Awaiting the county decision' } },
    corrected: { label: { zh: '已纠正，恢复为未脱贫', en: 'Corrected: back to not exited' }, final: true },
    upheld: { label: { zh: '核实退出无误', en: 'Exit confirmed correct' }, final: true },
  },
  actions: [
    {
      id: 'village_verify',
      label: { zh: '入户核实并报苏木乡镇', en: 'Verify at home and send to the township' },
      kind: 'forward',
      from: ['new'],
      to: 'township_review',
      ...V,
      fields: [F.findings, evaluation],
      attachments: ['verification_record'],
    },
    {
      id: 'township_agree',
      label: { zh: '苏木乡镇审核同意，报旗县认定', en: 'Agree at the township review and send to the county' },
      kind: 'forward',
      from: ['township_review'],
      to: 'county_decision',
      ...T,
      fields: [F.opinion],
      attachments: [],
    },
    {
      id: 'township_return',
      label: { zh: '退回村重新核实', en: 'Send back to the village for a new verification' },
      kind: 'reject',
      from: ['township_review'],
      to: 'new',
      ...T,
      fields: [F.reason],
      attachments: [],
    },
    {
      id: 'county_correct',
      label: { zh: '旗县认定错退，恢复为未脱贫', en: 'Decide the exit was wrong: back to not exited' },
      kind: 'forward',
      from: ['county_decision'],
      to: 'corrected',
      ...C,
      fields: [F.opinion],
      attachments: ['announcement'],
    },
    {
      id: 'county_uphold',
      label: { zh: '旗县认定退出无误', en: 'Decide the exit was correct' },
      kind: 'reject',
      from: ['county_decision'],
      to: 'upheld',
      ...C,
      fields: [F.reason],
      attachments: [],
    },
    {
      id: 'reopen',
      label: { zh: '重新认定（纠错）', en: 'Reopen for a new decision (correction)' },
      kind: 'reopen',
      from: ['upheld'],
      to: 'county_decision',
      ...C,
      fields: [F.reason],
      attachments: [],
    },
  ],
});
