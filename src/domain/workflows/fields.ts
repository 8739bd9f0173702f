// Input fields and attachments of workflow steps: the catalogue of attachment kinds, the fields
// shared by several steps, and the check of what a step was given.

import type { ResolvedParam, Text } from '../policy-types.js';
import { isDay } from './dates.js';
import type { Attachment, EvaluationValue, FieldDef, Refusal } from './types.js';

/** Attachment kinds a step may require, with their names. */
export const ATTACHMENT_KINDS: Readonly<Record<string, Text>> = {
  application: { zh: '申请书', en: 'application form' },
  meeting_minutes: { zh: '民主评议记录', en: 'minutes of the democratic review meeting' },
  notice_photo: { zh: '公示照片', en: 'photo of the posted notice' },
  announcement: { zh: '公告', en: 'announcement' },
  verification_record: { zh: '入户核实记录', en: 'home verification record' },
  household_signature: { zh: '农户签字确认书', en: "household's signed agreement" },
};

export const MAX_TEXT_LENGTH = 2000;

// Fields shared by several steps.
export const F = {
  reason: { key: 'reason', label: { zh: '理由', en: 'reason' }, kind: 'text' },
  opinion: { key: 'opinion', label: { zh: '审核意见', en: 'review opinion' }, kind: 'text' },
  objection: { key: 'objection', label: { zh: '异议内容', en: 'objection' }, kind: 'text' },
  objector: { key: 'objector', label: { zh: '异议人', en: 'objector' }, kind: 'text', optional: true },
  meetingDate: { key: 'meetingDate', label: { zh: '评议日期', en: 'date of the review meeting' }, kind: 'date' },
  findings: { key: 'findings', label: { zh: '核实情况', en: 'findings' }, kind: 'text' },
} as const satisfies Record<string, FieldDef>;

const q = (t: Text) => ({ zh: `「${t.zh}」`, en: `"${t.en}"` });

export interface CheckedInput {
  refusals: Refusal[];
  /** The declared fields given, trimmed. */
  input: Record<string, unknown>;
  /** Parameters carried by evaluation fields. */
  params: ResolvedParam[];
}

function isText(v: unknown): v is Text {
  return typeof v === 'object' && v !== null && typeof (v as Text).zh === 'string' && typeof (v as Text).en === 'string';
}

function isResolvedParam(v: unknown): v is ResolvedParam {
  if (typeof v !== 'object' || v === null) return false;
  const p = v as Record<string, unknown>;
  return (
    typeof p.key === 'string' &&
    (p.value === null || typeof p.value === 'number') &&
    typeof p.year === 'number' &&
    typeof p.region === 'string' &&
    typeof p.source === 'string'
  );
}

function isEvaluation(v: unknown): v is EvaluationValue {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const e = v as Record<string, unknown>;
  if (!(e.eligible === null || typeof e.eligible === 'boolean')) return false;
  if (e.key !== undefined && typeof e.key !== 'string') return false;
  if (e.reasons !== undefined && !(Array.isArray(e.reasons) && e.reasons.every(isText))) return false;
  if (e.params !== undefined && !(Array.isArray(e.params) && e.params.every(isResolvedParam))) return false;
  return true;
}

function empty(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

/** Checks the input of a step against its fields. `today` is the local day (dates may not be later). */
export function checkInput(fields: readonly FieldDef[], raw: unknown, today: string): CheckedInput {
  const given: Record<string, unknown> = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const refusals: Refusal[] = [];
  const input: Record<string, unknown> = {};
  const params: ResolvedParam[] = [];
  const bad = (f: FieldDef, zh: string, en: string, code: Refusal['code'] = 'invalid_field') =>
    refusals.push({ code, field: f.key, zh: `${q(f.label).zh}（${f.key}）${zh}`, en: `${q(f.label).en} (${f.key}) ${en}` });

  for (const f of fields) {
    const v = given[f.key];
    if (empty(v)) {
      if (!f.optional) bad(f, '为必填项，请填写', 'is required; fill it in', 'missing_field');
      continue;
    }
    switch (f.kind) {
      case 'text': {
        if (typeof v !== 'string') bad(f, '应为文字', 'must be text');
        else if (v.trim().length > MAX_TEXT_LENGTH) bad(f, `过长（${v.trim().length} 字），最多 ${MAX_TEXT_LENGTH} 字`, `is too long (${v.trim().length} characters); at most ${MAX_TEXT_LENGTH}`);
        else input[f.key] = v.trim();
        break;
      }
      case 'date': {
        const s = typeof v === 'string' ? v.trim() : v;
        if (!isDay(s)) bad(f, `不是有效日期（${String(v)}），请按 YYYY-MM-DD 填写`, `is not a valid date (${String(v)}); write YYYY-MM-DD`);
        else if (s > today) bad(f, `（${s}）晚于今天（${today}），不能填写未来日期`, `(${s}) is after today (${today}); a future date is not allowed`);
        else input[f.key] = s;
        break;
      }
      case 'code': {
        const s = typeof v === 'string' ? v.trim() : v;
        const opts = f.codes ?? [];
        if (typeof s !== 'string' || !opts.some((o) => o.code === s)) {
          bad(f, `取值无效（${String(v)}），应为：${opts.map((o) => `${o.code} ${o.zh}`).join('、')}`, `has an invalid value (${String(v)}); use one of: ${opts.map((o) => `${o.code} (${o.en})`).join(', ')}`);
        } else input[f.key] = s;
        break;
      }
      case 'evaluation': {
        if (!isEvaluation(v)) {
          bad(f, '不是有效的评估结果（需含 eligible: true/false/null）', 'is not a valid evaluation result (it needs eligible: true/false/null)');
          break;
        }
        if (f.evaluationKey !== undefined && v.key !== undefined && v.key !== f.evaluationKey) {
          bad(f, `是「${v.key}」的评估，此步骤需要「${f.evaluationKey}」的评估`, `is an evaluation of "${v.key}"; this step needs one of "${f.evaluationKey}"`);
          break;
        }
        input[f.key] = v;
        params.push(...(v.params ?? []));
        if (f.mustBeEligible && v.eligible !== true) {
          const why = v.reasons ?? [];
          const zhWhy = why.length ? `：${why.map((r) => r.zh).join('；')}` : '';
          const enWhy = why.length ? `: ${why.map((r) => r.en).join('; ')}` : '';
          refusals.push({
            code: 'not_eligible',
            field: f.key,
            zh: v.eligible === false ? `评估结果为不符合条件，不能办理此步骤${zhWhy}` : `评估无法判断是否符合条件，请补全事实或参数后重新评估${zhWhy}`,
            en: v.eligible === false ? `The evaluation says not eligible; this step cannot be taken${enWhy}` : `The evaluation could not decide; complete the facts or parameters and evaluate again${enWhy}`,
          });
        }
        break;
      }
    }
  }
  for (const k of Object.keys(given)) {
    if (!fields.some((f) => f.key === k)) {
      const names = fields.map((f) => f.key).join(', ') || '—';
      refusals.push({ code: 'unknown_field', field: k, zh: `此步骤没有字段「${k}」；可填写的字段：${names}`, en: `This step has no field "${k}"; its fields are: ${names}` });
    }
  }
  return { refusals, input, params };
}

export interface CheckedAttachments {
  refusals: Refusal[];
  attachments: Attachment[];
}

/** Checks the attachments given: each of a known kind with a non-empty ref, and every required kind present. */
export function checkAttachments(required: readonly string[], raw: unknown): CheckedAttachments {
  const list: unknown[] = Array.isArray(raw) ? raw : [];
  const refusals: Refusal[] = [];
  const attachments: Attachment[] = [];
  list.forEach((a, i) => {
    const o = (typeof a === 'object' && a !== null ? a : {}) as Record<string, unknown>;
    const kind = typeof o.kind === 'string' ? o.kind : '';
    const label = ATTACHMENT_KINDS[kind];
    if (!label) {
      const known = Object.keys(ATTACHMENT_KINDS).join(', ');
      refusals.push({ code: 'unknown_attachment', field: `attachments.${i}`, zh: `第 ${i + 1} 个附件的类型无效（${kind || '空'}）；可用类型：${known}`, en: `Attachment ${i + 1} has an invalid kind (${kind || 'empty'}); kinds: ${known}` });
      return;
    }
    if (typeof o.ref !== 'string' || o.ref.trim() === '') {
      refusals.push({ code: 'invalid_attachment', field: `attachments.${i}`, zh: `第 ${i + 1} 个附件（${label.zh}）没有文件，请先上传`, en: `Attachment ${i + 1} (${label.en}) has no file; upload it first` });
      return;
    }
    const att: Attachment = { kind, ref: o.ref.trim() };
    if (typeof o.name === 'string' && o.name.trim() !== '') att.name = o.name.trim();
    attachments.push(att);
  });
  for (const kind of required) {
    if (!attachments.some((a) => a.kind === kind)) {
      const label = ATTACHMENT_KINDS[kind] ?? { zh: kind, en: kind };
      refusals.push({ code: 'missing_attachment', field: `attachments.${kind}`, zh: `缺少附件「${label.zh}」（${kind}），请上传`, en: `The attachment "${label.en}" (${kind}) is missing; upload it` });
    }
  }
  return { refusals, attachments };
}
