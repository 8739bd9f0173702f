// Administrative divisions: load from CSV, browse as a tree, search; and rural population by year.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Db, Sql } from '../db/client.js';
import { validateAreaRows, countyCodeOf, type AreaRow } from '../domain/areas.js';
import { NotFound, ValidationError, type FieldIssue } from '../domain/errors.js';
import { decodeText } from './imports/encoding.js';
import { audit, inScope, require, type Ctx } from './context.js';

export interface AreaView {
  code: string;
  name: string;
  level: number;
  parentCode: string | null;
  isWestern: boolean;
  childCount: number;
}

function csvRows(text: string): Record<string, string>[] {
  return parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Record<string, string>[];
}

function toIssues(errors: { row: number; column: string; zh: string; en: string }[]): FieldIssue[] {
  return errors.map((e) => ({ field: e.column, row: e.row, column: e.column, zh: e.zh, en: e.en }));
}

async function upsertAreas(tx: Sql, rows: AreaRow[]): Promise<void> {
  await tx.query(`CREATE TEMP TABLE IF NOT EXISTS areas_stage (LIKE areas INCLUDING DEFAULTS) ON COMMIT DROP`);
  const csv = rows
    .map((r) => [r.code, `"${r.name.replaceAll('"', '""')}"`, r.level, r.parentCode ?? '', countyCodeOf(r.code) ?? '', r.isWestern].join(','))
    .join('\n');
  await tx.copyFrom('areas_stage', ['code', 'name', 'level', 'parent_code', 'county_code', 'is_western'], csv + '\n');
  await tx.query(
    `INSERT INTO areas (code, name, level, parent_code, county_code, is_western)
     SELECT code, name, level, NULLIF(parent_code, ''), NULLIF(county_code, ''), is_western FROM areas_stage
     ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, level = EXCLUDED.level,
       parent_code = EXCLUDED.parent_code, county_code = EXCLUDED.county_code, is_western = EXCLUDED.is_western`,
  );
}

/**
 * Loads divisions (columns code,name,level,parent_code,is_western). Every row is validated
 * first; any error rejects the whole file. Parents must be in the file or already loaded.
 */
export async function loadAreas(db: Db, text: string, actor?: Ctx['actor']): Promise<{ loaded: number }> {
  const { rows, errors } = validateAreaRows(csvRows(text));
  const issues = toIssues(errors);
  if (!issues.length) {
    const inFile = new Set(rows.map((r) => r.code));
    const missing = [...new Set(rows.filter((r) => r.parentCode && !inFile.has(r.parentCode)).map((r) => r.parentCode!))];
    if (missing.length) {
      const found = await db.query<{ code: string }>('SELECT code FROM areas WHERE code = ANY($1)', [missing]);
      const have = new Set(found.map((f) => f.code));
      rows.forEach((r, i) => {
        if (r.parentCode && !inFile.has(r.parentCode) && !have.has(r.parentCode)) {
          issues.push({
            field: 'parent_code',
            row: i + 2,
            column: 'parent_code',
            value: r.parentCode,
            zh: `上级区划 ${r.parentCode} 既不在文件中也未导入；请先导入上级区划或补全文件`,
            en: `Parent area ${r.parentCode} is neither in the file nor loaded; load the parent first or add it to the file`,
          });
        }
      });
    }
  }
  if (issues.length) throw new ValidationError(issues, { zh: '区划文件有错误，未导入任何数据', en: 'The divisions file has errors; nothing was loaded' });
  await db.transaction(async (tx) => {
    await upsertAreas(tx, rows);
    if (actor) await audit(tx, actor, { action: 'import', entity: 'areas', after: { rows: rows.length } });
  });
  return { loaded: rows.length };
}

export async function loadAreasFile(db: Db, path: string, actor?: Ctx['actor']) {
  return loadAreas(db, decodeText(readFileSync(path)).text, actor);
}

const areaSelect = `SELECT a.code, a.name, a.level, a.parent_code AS "parentCode", a.is_western AS "isWestern",
  (SELECT count(*)::int FROM areas c WHERE c.parent_code = a.code) AS "childCount" FROM areas a`;

/** The actor's root area: their own area, or the top-level areas for the local operator. */
export async function rootAreas(ctx: Ctx): Promise<AreaView[]> {
  if (ctx.actor.areaCode === '*') return ctx.db.query<AreaView>(`${areaSelect} WHERE a.parent_code IS NULL ORDER BY a.code`);
  return ctx.db.query<AreaView>(`${areaSelect} WHERE a.code = $1`, [ctx.actor.areaCode]);
}

export async function getArea(ctx: Ctx, code: string): Promise<AreaView & { path: { code: string; name: string }[] }> {
  const [row] = await ctx.db.query<AreaView>(`${areaSelect} WHERE a.code = $1`, [code]);
  if (!row || !visible(ctx, code)) throw new NotFound({ zh: '区划', en: 'area' });
  const path = await ctx.db.query<{ code: string; name: string }>(
    `SELECT code, name FROM areas WHERE $1 LIKE code || '%' ORDER BY level`,
    [code],
  );
  return { ...row, path };
}

/** An actor sees their subtree and the chain of ancestors above it (for breadcrumbs). */
function visible(ctx: Ctx, code: string): boolean {
  return inScope(ctx.actor, code) || (ctx.actor.areaCode !== '*' && ctx.actor.areaCode.startsWith(code));
}

export async function childAreas(ctx: Ctx, code: string): Promise<AreaView[]> {
  if (!inScope(ctx.actor, code)) throw new NotFound({ zh: '区划', en: 'area' });
  return ctx.db.query<AreaView>(`${areaSelect} WHERE a.parent_code = $1 ORDER BY a.code`, [code]);
}

export async function searchAreas(ctx: Ctx, q: string, limit = 20): Promise<(AreaView & { parentName: string | null })[]> {
  const term = q.trim();
  if (!term) return [];
  const scope = ctx.actor.areaCode === '*' ? '' : ctx.actor.areaCode;
  return ctx.db.query(
    `SELECT a.code, a.name, a.level, a.parent_code AS "parentCode", a.is_western AS "isWestern", 0 AS "childCount",
            p.name AS "parentName"
       FROM areas a LEFT JOIN areas p ON p.code = a.parent_code
      WHERE a.code LIKE $1 || '%' AND (a.code LIKE $2 || '%' OR a.name LIKE '%' || $2 || '%')
      ORDER BY a.level, a.code LIMIT $3`,
    [scope, term.replace(/[%_\\]/g, (m) => `\\${m}`), limit],
  );
}

export interface PopulationRow {
  areaCode: string;
  year: number;
  ruralPeople: number;
  ruralHouseholds: number;
  synthetic: boolean;
}

/** Loads rural population (columns area_code,year,rural_people,rural_households); all rows checked first. */
export async function loadPopulations(ctx: Ctx, text: string): Promise<{ loaded: number }> {
  require(ctx, 'areas.write');
  const rows = csvRows(text);
  const issues: FieldIssue[] = [];
  const good: PopulationRow[] = [];
  const codes = new Set((await ctx.db.query<{ code: string }>('SELECT code FROM areas')).map((r) => r.code));
  rows.forEach((r, i) => {
    const row = i + 2;
    const bad = (column: string, zh: string, en: string) => issues.push({ field: column, row, column, value: r[column], zh, en });
    const code = r.area_code ?? '';
    const year = Number(r.year);
    const people = Number(r.rural_people);
    const hh = Number(r.rural_households);
    if (!codes.has(code)) bad('area_code', `区划代码 ${code} 不存在；请先导入区划`, `Area code ${code} is not loaded; load the divisions first`);
    if (!Number.isInteger(year) || year < 2000 || year > 2100) bad('year', '年度应为 2000–2100 的整数', 'year must be a whole number 2000–2100');
    if (!Number.isInteger(people) || people < 0) bad('rural_people', '农村人口应为非负整数', 'rural_people must be a whole number ≥ 0');
    if (!Number.isInteger(hh) || hh < 0) bad('rural_households', '农村户数应为非负整数', 'rural_households must be a whole number ≥ 0');
    if (Number.isInteger(people) && Number.isInteger(hh) && hh > people) bad('rural_households', '户数不能多于人数', 'households cannot exceed people');
    if (code && !inScope(ctx.actor, code)) bad('area_code', `区划 ${code} 不在您的管辖范围内`, `Area ${code} is outside your area`);
    good.push({ areaCode: code, year, ruralPeople: people, ruralHouseholds: hh, synthetic: false });
  });
  if (issues.length) throw new ValidationError(issues, { zh: '人口文件有错误，未导入任何数据', en: 'The population file has errors; nothing was loaded' });
  await ctx.db.transaction(async (tx) => {
    for (const g of good) {
      await tx.query(
        `INSERT INTO area_populations (area_code, year, rural_people, rural_households, synthetic, source)
         VALUES ($1,$2,$3,$4,false,'import')
         ON CONFLICT (area_code, year) DO UPDATE SET rural_people = EXCLUDED.rural_people,
           rural_households = EXCLUDED.rural_households, synthetic = false, source = 'import'`,
        [g.areaCode, g.year, g.ruralPeople, g.ruralHouseholds],
      );
    }
    await audit(tx, ctx.actor, { action: 'import', entity: 'area_populations', after: { rows: good.length } });
  });
  return { loaded: good.length };
}

export async function populations(ctx: Ctx, code: string): Promise<PopulationRow[]> {
  if (!visible(ctx, code)) throw new NotFound({ zh: '区划', en: 'area' });
  return ctx.db.query<PopulationRow>(
    `SELECT area_code AS "areaCode", year, rural_people AS "ruralPeople", rural_households AS "ruralHouseholds", synthetic
       FROM area_populations WHERE area_code = $1 ORDER BY year`,
    [code],
  );
}
