// Input checks shared by the measures: every number finite, weights non-negative and not all
// zero, lengths matching. Problems are collected (up to MAX_ISSUES) and thrown together as one
// ValidationError whose issues name the field path (`incomes.3`, `rows.2.income`) and whose
// messages name the row both ways: "第 4 行（下标 3）" / "row 4 (index 3)" (index is 0-based).

import { ValidationError, type FieldIssue, type Msg } from '../errors.js';

export const MAX_ISSUES = 100;

export function show(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean' || v === undefined || v === null) return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** "第 4 行（下标 3）" / "row 4 (index 3)". */
export function rowAt(i: number): Msg {
  return { zh: `第 ${i + 1} 行（下标 ${i}）`, en: `row ${i + 1} (index ${i})` };
}

export class Issues {
  readonly list: FieldIssue[] = [];
  private dropped = 0;

  add(field: string, zh: string, en: string, value?: unknown): void {
    if (this.list.length >= MAX_ISSUES) {
      this.dropped++;
      return;
    }
    const issue: FieldIssue = { field, zh, en };
    if (value !== undefined) issue.value = show(value);
    this.list.push(issue);
  }

  get count(): number {
    return this.list.length + this.dropped;
  }

  /** Throws when anything was added; the top message repeats the first problem. */
  throwIfAny(what: Msg): void {
    const first = this.list[0];
    if (!first) return;
    const issues = [...this.list];
    if (this.dropped > 0) {
      issues.push({ field: '…', zh: `另有 ${this.dropped} 处问题未列出`, en: `${this.dropped} more problems not listed` });
    }
    const more = this.count - 1;
    throw new ValidationError(issues, {
      zh: `${what.zh}输入有误：${first.zh}${more > 0 ? `（另有 ${more} 处）` : ''}`,
      en: `Invalid input to ${what.en}: ${first.en}${more > 0 ? ` (and ${more} more)` : ''}`,
    });
  }
}

export function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** A non-empty array of finite numbers; `label` names the quantity ("收入" / "income"). */
export function checkValues(iss: Issues, field: string, label: Msg, xs: unknown): xs is readonly number[] {
  if (!Array.isArray(xs) || xs.length === 0) {
    iss.add(field, `${label.zh}列表为空，至少需要一行`, `The ${label.en} list is empty; at least one row is needed`);
    return false;
  }
  xs.forEach((x, i) => {
    if (!isFiniteNumber(x)) {
      const r = rowAt(i);
      iss.add(`${field}.${i}`, `${label.zh}${r.zh}不是有限数字：${show(x)}`, `${label.en} in ${r.en} is not a finite number: ${show(x)}`, x);
    }
  });
  return true;
}

/**
 * Optional row weights (household size, sampling weight…): as many as rows, finite, ≥ 0, and
 * not all zero. Rows with weight 0 take no part in any measure.
 */
export function checkWeights(iss: Issues, field: string, weights: unknown, n: number): void {
  if (weights === undefined) return;
  if (!Array.isArray(weights)) {
    iss.add(field, '权数必须是数字列表', 'The weights must be a list of numbers', weights);
    return;
  }
  if (weights.length !== n) {
    iss.add(field, `权数个数（${weights.length}）与数据行数（${n}）不一致`, `There are ${weights.length} weights for ${n} rows`);
    return;
  }
  let total = 0;
  let bad = false;
  weights.forEach((w, i) => {
    const r = rowAt(i);
    if (!isFiniteNumber(w)) {
      bad = true;
      iss.add(`${field}.${i}`, `权数${r.zh}不是有限数字：${show(w)}`, `weight in ${r.en} is not a finite number: ${show(w)}`, w);
    } else if (w < 0) {
      bad = true;
      iss.add(`${field}.${i}`, `权数${r.zh}为负数：${w}，权数不能为负`, `weight in ${r.en} is negative (${w}); weights must be ≥ 0`, w);
    } else total += w;
  });
  if (!bad && total <= 0) iss.add(field, '权数全部为 0，总权数必须大于 0', 'All weights are 0; the total weight must be positive');
}

/** Weight of row i (1 when unweighted). */
export function weightOf(weights: readonly number[] | undefined, i: number): number {
  return weights ? (weights[i] ?? 0) : 1;
}
