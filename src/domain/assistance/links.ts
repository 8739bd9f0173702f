// Assistance links (issue 5): capable-person leadership (能人带动), scenic spot ↔ village links
// (景区带村) and e-commerce products (电商产品). Code lists with labels (Chinese first) and the pure
// checks behind them; no database here, so the rules are tested with plain values.

import type { FieldIssue } from '../errors.js';
import type { Text } from '../policy-types.js';
import { isDay } from '../workflows/dates.js';

export const LEADER_KINDS = ['person', 'cooperative', 'enterprise'] as const;
export type LeaderKind = (typeof LEADER_KINDS)[number];
export const LEADER_KIND_LABELS: Record<LeaderKind, Text> = {
  person: { zh: '致富带头人（能人）', en: 'Capable person' },
  cooperative: { zh: '农民专业合作社', en: 'Cooperative' },
  enterprise: { zh: '龙头企业', en: 'Leading enterprise' },
};

/** 旅游景区质量等级 (GB/T 17775): A to 5A. */
export const SCENIC_GRADES = ['A', '2A', '3A', '4A', '5A'] as const;
export type ScenicGrade = (typeof SCENIC_GRADES)[number];
export const SCENIC_GRADE_LABELS: Record<ScenicGrade, Text> = {
  A: { zh: 'A 级景区', en: 'Grade A' },
  '2A': { zh: '2A 级景区', en: 'Grade 2A' },
  '3A': { zh: '3A 级景区', en: 'Grade 3A' },
  '4A': { zh: '4A 级景区', en: 'Grade 4A' },
  '5A': { zh: '5A 级景区', en: 'Grade 5A' },
};

export interface Period {
  since: string;
  /** null: still current. */
  until: string | null;
}

/** Two periods share at least one day (ends are inclusive; an open end runs forever). */
export function periodsOverlap(a: Period, b: Period): boolean {
  const aEnd = a.until ?? '9999-12-31';
  const bEnd = b.until ?? '9999-12-31';
  return a.since <= bEnd && b.since <= aEnd;
}

/** A link is current on `today` when it started on or before today and has not ended before it. */
export function isCurrent(p: Period, today: string): boolean {
  return p.since <= today && (p.until === null || p.until >= today);
}

/** Checks a link period: since required, both real days, until not before since. */
export function periodIssues(since: unknown, until: unknown): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (since === undefined || since === null || since === '') {
    issues.push({ field: 'since', zh: '请填写带动开始日期（YYYY-MM-DD）', en: 'The start date of the link is required (YYYY-MM-DD)' });
  } else if (!isDay(since)) {
    issues.push({ field: 'since', value: String(since), zh: `开始日期“${String(since)}”不是有效日期；请按 YYYY-MM-DD 填写，如 2024-03-01`, en: `Start date "${String(since)}" is not a valid date; use YYYY-MM-DD, e.g. 2024-03-01` });
  }
  if (until !== undefined && until !== null && until !== '') {
    if (!isDay(until)) {
      issues.push({ field: 'until', value: String(until), zh: `结束日期“${String(until)}”不是有效日期；请按 YYYY-MM-DD 填写，或留空表示仍在带动`, en: `End date "${String(until)}" is not a valid date; use YYYY-MM-DD, or leave it empty while the link lasts` });
    } else if (isDay(since) && until < since) {
      issues.push({ field: 'until', value: until, zh: `结束日期 ${until} 早于开始日期 ${since}；请填写不早于开始日期的日期`, en: `End date ${until} is before the start date ${since}; use the start date or a later day` });
    }
  }
  return issues;
}

/** Expected yearly benefit in yuan: optional, a number ≥ 0 with at most 2 decimals, below 10^12. */
export function benefitIssues(field: string, v: unknown): FieldIssue[] {
  if (v === undefined || v === null || v === '') return [];
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n) || n < 0 || n >= 1e12 || Math.round(n * 100) !== Number((n * 100).toFixed(6))) {
    return [{ field, value: String(v), zh: `预期年收益“${String(v)}”应为不小于 0 的金额（元，最多两位小数）`, en: `Expected yearly benefit "${String(v)}" must be an amount of 0 or more (yuan, at most 2 decimals)` }];
  }
  return [];
}

/** Phone: digits, +, -, brackets and spaces, 5–20 characters. */
export function phoneIssues(field: string, v: unknown): FieldIssue[] {
  if (v === undefined || v === null) return [];
  const t = String(v).trim();
  if (!t) return [];
  return /^[0-9+\-() ]{5,20}$/.test(t)
    ? []
    : [{ field, value: t, zh: '联系电话只能含数字、+、-、括号和空格（5–20 位）', en: 'The contact phone may hold only digits, +, -, brackets and spaces (5–20 characters)' }];
}

/** Linked villages of a scenic spot: village codes (12 digits), in the spot's county, no repeats. */
export function linkedVillageIssues(county: string, codes: unknown): { issues: FieldIssue[]; codes: string[] } {
  if (codes === undefined || codes === null) return { issues: [], codes: [] };
  if (!Array.isArray(codes)) {
    return { issues: [{ field: 'linkedVillageCodes', zh: '带动村应为村代码列表', en: 'The linked villages must be a list of village codes' }], codes: [] };
  }
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  codes.forEach((c, i) => {
    const v = String(c ?? '');
    if (!/^\d{12}$/.test(v)) {
      issues.push({ field: `linkedVillageCodes.${i}`, value: v, zh: `第 ${i + 1} 个带动村代码“${v}”应为 12 位村级区划代码`, en: `Linked village ${i + 1} "${v}" must be a 12-digit village code` });
    } else if (!v.startsWith(county)) {
      issues.push({ field: `linkedVillageCodes.${i}`, value: v, zh: `第 ${i + 1} 个带动村 ${v} 不在景区所在旗县（${county}）；景区只能带动本旗县的村`, en: `Linked village ${i + 1} (${v}) is outside the scenic spot's county (${county}); a spot brings along villages of its own county only` });
    } else if (seen.has(v)) {
      issues.push({ field: `linkedVillageCodes.${i}`, value: v, zh: `带动村 ${v} 重复；每个村只列一次`, en: `Linked village ${v} is listed twice; list each village once` });
    } else {
      seen.add(v);
    }
  });
  return { issues, codes: [...seen] };
}
