// What the project services share: who may see a project, loading one in scope, labels, field checks.
//
// Visibility: a project belongs to a county and serves some of its villages (none listed = the whole
// county). Actors whose area contains the county see it; township and village actors see it when one
// of its villages is in their area or it is county-wide. Out-of-scope projects answer NotFound.
import type { Sql } from '../../db/client.js';
import { Forbidden, NotFound, type FieldIssue, type Msg } from '../../domain/errors.js';
import {
  ASSET_KIND_LABELS, CHANNEL_LABELS, FUND_SOURCE_LABELS, LINK_KIND_LABELS, PROJECT_STATUS_LABELS,
  type AssetKind, type Channel, type FundSource, type LinkKind, type ProjectStatus,
} from '../../domain/assistance/catalogue.js';
import { amountProblem, isDay } from '../../domain/assistance/projects.js';
import type { Text } from '../../domain/policy-types.js';
import type { Actor, Ctx } from '../context.js';

export const PROJECT: Msg = { zh: '项目', en: 'project' };
export const ASSET: Msg = { zh: '资产', en: 'asset' };

export const channelLabel = (c: string): Text => CHANNEL_LABELS[c as Channel] ?? { zh: c, en: c };
export const statusLabel = (s: string): Text => PROJECT_STATUS_LABELS[s as ProjectStatus] ?? { zh: s, en: s };
export const sourceLabel = (s: string): Text => FUND_SOURCE_LABELS[s as FundSource] ?? { zh: s, en: s };
export const linkLabel = (s: string): Text => LINK_KIND_LABELS[s as LinkKind] ?? { zh: s, en: s };
export const assetKindLabel = (s: string): Text => {
  const l = ASSET_KIND_LABELS[s as AssetKind];
  return l ? { zh: l.zh, en: l.en } : { zh: s, en: s };
};

/** The SQL condition (on alias `p`) for projects visible from `area`; pushes its parameters. */
export function visibleFrom(area: string, params: unknown[], alias = 'p'): string {
  if (area === '*') return 'true';
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (area.length <= 6) return `${alias}.county_code LIKE ${p(`${area}%`)}`;
  return `(${alias}.county_code = ${p(area.slice(0, 6))} AND (cardinality(${alias}.village_codes) = 0
    OR EXISTS (SELECT 1 FROM unnest(${alias}.village_codes) AS vc WHERE vc LIKE ${p(`${area}%`)})))`;
}

/** The same rule in JS, for one project. */
export function isVisible(area: string, countyCode: string, villageCodes: readonly string[]): boolean {
  if (area === '*') return true;
  if (area.length <= 6) return countyCode.startsWith(area);
  return countyCode === area.slice(0, 6) && (villageCodes.length === 0 || villageCodes.some((v) => v.startsWith(area)));
}

/** Writers keep a whole county's projects: their area must contain the county. */
export function mayManageCounty(actor: Actor, countyCode: string): boolean {
  return actor.areaCode === '*' || (actor.areaCode.length <= 6 && countyCode.startsWith(actor.areaCode));
}

export function requireCounty(actor: Actor, countyCode: string): void {
  if (!mayManageCounty(actor, countyCode)) {
    throw new Forbidden({
      zh: '项目由旗县（或以上）管理：您的管辖范围小于该项目所在旗县，不能修改',
      en: 'Projects are kept by the county (or above): your area is smaller than the project’s county, so you cannot change it',
    });
  }
}

export interface ProjectRow {
  id: number;
  countyCode: string;
  name: string;
  channel: string;
  year: number;
  status: ProjectStatus;
  villageCodes: string[];
  implementer: string | null;
  description: string;
  startsOn: string | null;
  endsOn: string | null;
  disclosedOn: string | null;
  disclosureNote: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export const projectCols = `p.id, p.county_code AS "countyCode", p.name, p.channel, p.year, p.status, p.village_codes AS "villageCodes",
  p.implementer, p.description, p.starts_on::text AS "startsOn", p.ends_on::text AS "endsOn", p.disclosed_on::text AS "disclosedOn",
  p.disclosure_note AS "disclosureNote", p.version, p.created_at::text AS "createdAt", p.updated_at::text AS "updatedAt"`;

/**
 * A project the actor may see, or NotFound. Inside a transaction `lock` takes its row lock: true
 * (FOR UPDATE) for changes of the project itself (fields, status, disclosure, beneficiaries);
 * 'share' (FOR SHARE) for money moving under it (payments, allocations), so these wait for a status
 * change in flight (and it for them) but not for each other.
 */
export async function loadProject(db: Pick<Sql, 'query'>, ctx: Ctx, id: number, lock: boolean | 'share' = false): Promise<ProjectRow> {
  if (!Number.isSafeInteger(id) || id <= 0) throw new NotFound(PROJECT);
  const params: unknown[] = [id];
  const vis = visibleFrom(ctx.actor.areaCode, params);
  const [row] = await db.query<ProjectRow>(`SELECT ${projectCols} FROM projects p WHERE p.id = $1 AND ${vis} ${lock === 'share' ? 'FOR SHARE' : lock ? 'FOR UPDATE' : ''}`, params);
  if (!row) throw new NotFound(PROJECT);
  return row;
}

// --- field checks --------------------------------------------------------------------------------

export class Fields {
  readonly issues: FieldIssue[] = [];
  add(field: string, value: unknown, zh: string, en: string): void {
    this.issues.push({ field, ...(value === undefined || value === null ? {} : { value: String(value).slice(0, 60) }), zh, en });
  }
  text(field: string, v: unknown, max: number, required: boolean): string | null | undefined {
    if (v === undefined) return undefined;
    if (v === null || (typeof v === 'string' && !v.trim())) {
      if (required) this.add(field, undefined, `缺少 ${field}`, `${field} is required`);
      return null;
    }
    if (typeof v !== 'string') return void this.add(field, v, `${field} 应为文字`, `${field} must be text`);
    if (v.trim().length > max) return void this.add(field, undefined, `${field} 过长（最多 ${max} 字）`, `${field} is too long (at most ${max} characters)`);
    return v.trim();
  }
  day(field: string, v: unknown): string | null | undefined {
    if (v === undefined) return undefined;
    if (v === null || v === '') return null;
    if (!isDay(v)) return void this.add(field, v, `${field} 应为日期 YYYY-MM-DD`, `${field} must be a date YYYY-MM-DD`);
    return v;
  }
  amount(field: string, v: unknown, positive: boolean): number | undefined {
    const p = amountProblem(v, positive);
    if (p) return void this.add(field, v, `${field}：${p.zh}`, `${field}: ${p.en}`);
    return v as number;
  }
  oneOf<T extends string>(field: string, v: unknown, list: readonly T[], labels: Record<T, Text>): T | undefined {
    if (typeof v === 'string' && (list as readonly string[]).includes(v)) return v as T;
    this.add(field, v, `${field} 应为以下之一：${list.map((k) => `${k}（${labels[k].zh}）`).join('、')}`, `${field} must be one of: ${list.join(', ')}`);
    return undefined;
  }
  int(field: string, v: unknown, min: number, max: number): number | undefined {
    if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v;
    this.add(field, v, `${field} 应为 ${min}–${max} 的整数`, `${field} must be a whole number from ${min} to ${max}`);
    return undefined;
  }
}
