// Shared by test/crash.test.ts and its child process (crash-child.ts): the synthetic county the
// crash test imports, its template CSV, and the snapshots that tell "unchanged" from "fully
// written" after a killed process.
import { TEMPLATE_COLUMNS, TEMPLATE_HEADERS } from '../../src/domain/template.js';
import { generateCounty, type SynthCounty } from '../../src/domain/synth/index.js';
import type { HouseholdBundle } from '../../src/domain/register.js';
import type { Sql } from '../../src/db/client.js';

/** Village codes under the factory township with 2 in the tenth digit (rural 村委会, which the synthesiser fills). */
export function crashVillages(townshipCode: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${townshipCode}${200 + i + 1}`);
}

export function synthCounty(countyCode: string, villages: readonly string[]): SynthCounty {
  return { code: countyCode, name: `测试旗${countyCode}`, villages: villages.map((code, i) => ({ code, name: `崩溃测试${i + 1}嘎查` })) };
}

/** The synthesiser's households of the county (deterministic in seed and people). */
export function crashHouseholds(county: SynthCounty, seed: number, people: number): HouseholdBundle[] {
  return generateCounty({ seed, people, county }).households;
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (Array.isArray(v)) return v.join('、');
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * The households in the import template (codes written as codes, which the importer accepts):
 * one row per member and year for the last `years` yearly records of each household;
 * `tweak` changes a few values (an older register for the same households).
 */
export function templateCsv(households: readonly HouseholdBundle[], o: { years: number; tweak?: boolean }): Buffer {
  const lines = [TEMPLATE_HEADERS.join(',')];
  for (const b of households) {
    const years = [...b.years].sort((a, c) => a.year - c.year).slice(-o.years);
    for (const y of years) {
      for (const m of b.members) {
        const row = TEMPLATE_COLUMNS.map((c) => {
          if (c.part === 'info') return '';
          if (c.field === 'exitStatus') return cell(y.status);
          let v: unknown = c.part === 'household' ? (b.household as unknown as Record<string, unknown>)[c.field]
            : c.part === 'member' ? (m as unknown as Record<string, unknown>)[c.field] : (y as unknown as Record<string, unknown>)[c.field];
          if (o.tweak && c.field === 'groupName') v = '旧组';
          if (o.tweak && c.field === 'wageIncome') v = Number(v ?? 0) + 100;
          return cell(v);
        });
        lines.push(row.join(','));
      }
    }
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}

/** The tables a killed import, batch or refresh could touch. */
export const WATCHED = ['households', 'members', 'household_years', 'imports', 'audit_log', 'audit_chain', 'cases', 'case_events',
  'rollup_dirty', 'rollup_state', 'indicator_rollups'] as const;

export type Snapshot = Record<string, { n: number; md5: string }>;

/**
 * Exact state: row count and md5 over every row's full text (ids, timestamps, hashes and all;
 * personal columns are hashed with the row, never named), in a fixed order.
 */
export async function exactSnapshot(db: Pick<Sql, 'query'>): Promise<Snapshot> {
  const out: Snapshot = {};
  for (const t of WATCHED) {
    const [r] = await db.query<{ n: number; md5: string }>(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(x, ',' ORDER BY x), '')) AS md5 FROM (SELECT md5(t::text) AS x FROM ${t} t) s`,
    );
    out[t] = { n: Number(r!.n), md5: r!.md5 };
  }
  return out;
}

/**
 * Content without what differs between two equal runs: surrogate ids (sequences move on when a
 * transaction is killed), timestamps and the audit chain's hashes (they cover the timestamps).
 * Rows pointing at a household carry its household number instead of its id; `#<id>` in notes is
 * blanked. Every other column, personal ones included, is in the hash without being named.
 */
export async function contentSnapshot(db: Pick<Sql, 'query'>): Promise<Snapshot> {
  const out: Snapshot = {};
  for (const t of WATCHED) {
    const expr = await contentExpr(db, t);
    const [r] = await db.query<{ n: number; md5: string }>(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(x, ',' ORDER BY x), '')) AS md5 FROM (SELECT md5(${expr.sql}::text) AS x FROM ${t} t) s`,
      [expr.drop],
    );
    out[t] = { n: Number(r!.n), md5: r!.md5 };
  }
  return out;
}

/** The normalised rows of one table (to show what differs when a check fails). */
export async function contentRows(db: Pick<Sql, 'query'>, t: string): Promise<string[]> {
  const expr = await contentExpr(db, t);
  return (await db.query<{ x: string }>(`SELECT ${expr.sql}::text AS x FROM ${t} t ORDER BY 1`, [expr.drop])).map((r) => r.x);
}

async function contentExpr(db: Pick<Sql, 'query'>, t: string): Promise<{ sql: string; drop: string[] }> {
  {
    const cols = await db.query<{ column_name: string; data_type: string }>(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`, [t],
    );
    const names = new Set(cols.map((c) => c.column_name));
    const drop = cols
      .filter((c) => c.column_name === 'id' || c.column_name.endsWith('_id') || c.data_type.startsWith('timestamp')
        || ['hash', 'prev_hash', 'last_hash', 'chain_seq', 'last_seq', 'generation', 'entity_id'].includes(c.column_name))
      .map((c) => c.column_name);
    const extra: string[] = [];
    if (names.has('household_id') && names.has('county_code') && t !== 'households') {
      extra.push(`'hh', (SELECT h.household_no FROM households h WHERE h.county_code = t.county_code AND h.id = t.household_id)`);
    }
    if (names.has('note')) extra.push(`'note', regexp_replace(coalesce(t.note, ''), '#[0-9]+', '#', 'g')`);
    return { sql: `((to_jsonb(t) - $1::text[])${extra.length ? ` || jsonb_build_object(${extra.join(', ')})` : ''})`, drop };
  }
}

export function sameSnapshot(a: Snapshot, b: Snapshot): boolean {
  return WATCHED.every((t) => a[t]?.n === b[t]?.n && a[t]?.md5 === b[t]?.md5);
}

/** The tables whose count or checksum differ. */
export function diffOf(a: Snapshot, b: Snapshot): string {
  return WATCHED.filter((t) => a[t]?.n !== b[t]?.n || a[t]?.md5 !== b[t]?.md5).map((t) => `${t} ${a[t]?.n}→${b[t]?.n}`).join(', ') || 'none';
}

export function countsOf(s: Snapshot): string {
  return WATCHED.filter((t) => s[t]).map((t) => `${t}=${s[t]!.n}`).join(' ');
}

/** One marker line of the child: `@@ <ms since start> <tag> [detail]`. */
export interface Marker {
  ms: number;
  tag: string;
  detail: string;
}

export function parseMarkers(text: string): Marker[] {
  return text.split('\n').flatMap((l) => {
    const m = /^@@ (\d+) (\S+) ?(.*)$/.exec(l);
    return m ? [{ ms: Number(m[1]), tag: m[2]!, detail: m[3] ?? '' }] : [];
  });
}
