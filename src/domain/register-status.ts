// A household's current status — 脱贫标志, 首次识别时间, 脱贫年度 — follows from its procedures:
// identification registers it, household exit exits it, monitoring follows a relapse. Creating a
// household (the register migrated from the national system) sets the starting values; after
// that no edit and no re-import may change them. These are the reasons given when one tries,
// each naming the procedure to use instead.
import type { FieldIssue, Msg } from './errors.js';
import { labelOf } from './codes.js';
import { columnOf } from './template.js';
import { normaliseField } from './validate.js';
import type { HouseholdInput } from './register.js';
import { exitCorrection, householdExit, identification, localDay, monitoring, type WorkflowKey } from './workflows/index.js';

export const PROCEDURE_FIELDS = ['exitStatus', 'identifiedOn', 'exitYear'] as const;
export type ProcedureField = (typeof PROCEDURE_FIELDS)[number];
export type StatusFields = Pick<HouseholdInput, ProcedureField>;

const LABEL: Record<WorkflowKey, Msg> = {
  identification: identification.label,
  household_exit: householdExit.label,
  monitoring: monitoring.label,
  exit_correction: exitCorrection.label,
};

/** The procedure that moves a household to 脱贫标志 `to`. */
export function procedureForStatus(to: string): WorkflowKey {
  if (to === '1' || to === '4') return 'household_exit';
  if (to === '3') return 'monitoring';
  return 'identification';
}

/** The procedure a change of one status field belongs to. */
export function procedureFor(field: ProcedureField, next: StatusFields): WorkflowKey {
  if (field === 'exitStatus') return procedureForStatus(next.exitStatus);
  return field === 'identifiedOn' ? 'identification' : 'household_exit';
}

const statusText = (code: string, lang: 'zh' | 'en') => (code ? `${labelOf('exitStatus', code, lang)} (${code})` : '—');
const plain = (v: string | number | null) => (v === null || v === '' ? '（空）' : String(v));
const plainEn = (v: string | number | null) => (v === null || v === '' ? '(empty)' : String(v));

/** Who sets each field, in a sentence. */
const SET_BY: Record<ProcedureField, Msg> = {
  exitStatus: { zh: '由识别、退出和监测程序决定', en: 'is decided by the identification, exit and monitoring procedures' },
  identifiedOn: { zh: `由“${identification.label.zh}”程序在旗县审批公告入库时登记`, en: `is recorded by the ${identification.label.en} procedure when the county approves and announces` },
  exitYear: { zh: `由“${householdExit.label.zh}”程序在退出公告时登记（案件年度）`, en: `is recorded by the ${householdExit.label.en} procedure when the exit is announced (the case’s year)` },
};

export interface ChangeWhere {
  /** 'edit': the household form or PATCH; 'import': a row of a re-imported file. */
  via: 'edit' | 'import';
  /** Spreadsheet row of each field, for imports. */
  rows?: Partial<Record<ProcedureField, number>>;
  householdNo?: string;
}

/**
 * One issue per status field whose new value differs from the stored one: what is stored, what
 * was sent, who sets the field, and which procedure to start. Empty when nothing differs.
 */
export function statusChangeIssues(stored: StatusFields, next: StatusFields, where: ChangeWhere): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const field of PROCEDURE_FIELDS) {
    const a = stored[field];
    const b = next[field];
    if ((a ?? null) === (b ?? null)) continue;
    const col = columnOf('household', field)!;
    const proc = LABEL[procedureFor(field, next)];
    const was = field === 'exitStatus' ? { zh: statusText(String(a), 'zh'), en: statusText(String(a), 'en') } : { zh: plain(a), en: plainEn(a) };
    const now = field === 'exitStatus' ? { zh: statusText(String(b), 'zh'), en: statusText(String(b), 'en') } : { zh: plain(b), en: plainEn(b) };
    const whose = where.householdNo ? { zh: `户编号 ${where.householdNo} `, en: ` of household ${where.householdNo}` } : { zh: '', en: '' };
    const todo = where.via === 'edit'
      ? { zh: `请保留原值；如该户情况确有变化，请在本户页面发起“${proc.zh}”程序`, en: `keep the stored value; if the household’s situation has changed, start the “${proc.en}” procedure on its page` }
      : { zh: `请在文件中改回登记的值后重新导入；如该户情况确有变化，请在系统中对该户发起“${proc.zh}”程序`, en: `put the registered value back in the file and import again; if the household’s situation has changed, start the “${proc.en}” procedure for it` };
    const issue: FieldIssue = {
      field,
      column: col.header,
      value: b === null || b === undefined ? '' : String(b),
      zh: `${whose.zh}「${col.header}」${SET_BY[field].zh}，不能直接修改（登记为 ${was.zh}，提交的是 ${now.zh}）；${todo.zh}`,
      en: `"${col.header}" (${col.headerEn})${whose.en} ${SET_BY[field].en} and cannot be changed directly (registered: ${was.en}; sent: ${now.en}); ${todo.en}`,
    };
    const row = where.rows?.[field];
    if (row !== undefined) issue.row = row;
    issues.push(issue);
  }
  return issues;
}

/**
 * The status fields of an edit (raw, as sent; absent ones are not being changed), read like the
 * importer reads them (labels or codes, several date forms) and compared with the stored values:
 * an unreadable value gets its reading error, a different one the procedure to use.
 */
export function sentStatusIssues(stored: StatusFields, sent: Record<string, unknown>): FieldIssue[] {
  const read: Partial<StatusFields> = {};
  const issues: FieldIssue[] = [];
  for (const field of PROCEDURE_FIELDS) {
    if (!(field in sent) || sent[field] === undefined) continue;
    const r = normaliseField(columnOf('household', field)!, sent[field]);
    if (!r.ok) issues.push(r.issue);
    else (read as Record<string, unknown>)[field] = r.value ?? null;
  }
  const next = { ...stored, ...read } as StatusFields;
  // An empty 脱贫标志 reads as missing: the stored one stays, nothing to refuse.
  if (next.exitStatus === null) next.exitStatus = stored.exitStatus;
  return [...issues, ...statusChangeIssues(stored, next, { via: 'edit' })];
}

/** The current calendar year in China (the procedures' time zone). */
export function currentYear(today: Date = new Date()): number {
  return Number(localDay(today).slice(0, 4));
}

/**
 * The yearly record's 脱贫标志 is history: a past year may be corrected (audited). The current
 * year's record is the household's status now, so a new or changed status there must agree with
 * the household's status, which only a procedure changes. Returns the reason, or null.
 */
export function yearStatusIssue(
  year: number, householdStatus: string, stored: string | null, next: string, today: Date = new Date(),
): FieldIssue | null {
  if (year !== currentYear(today) || next === householdStatus || next === stored) return null;
  const col = columnOf('household', 'exitStatus')!;
  const proc = LABEL[procedureForStatus(next)];
  return {
    field: 'status',
    column: col.header,
    value: next,
    zh: `「${col.header}」${year} 年（本年度）记录的脱贫标志须与本户当前状态 ${statusText(householdStatus, 'zh')} 一致，提交的是 ${statusText(next, 'zh')}；本户状态由识别、退出和监测程序决定，请填写 ${statusText(householdStatus, 'zh')}，如该户情况确有变化，请在本户页面发起“${proc.zh}”程序（往年记录可更正）`,
    en: `"${col.header}" (${col.headerEn}) of the ${year} (current-year) record must agree with the household’s status ${statusText(householdStatus, 'en')}; sent ${statusText(next, 'en')}. The household’s status is decided by the identification, exit and monitoring procedures: enter ${statusText(householdStatus, 'en')}, or if its situation has changed start the “${proc.en}” procedure on its page (past years’ records may be corrected)`,
  };
}
