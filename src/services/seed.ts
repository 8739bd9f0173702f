// `jingzhun seed`: writes the synthetic register (src/domain/synth) into the database — households,
// members and yearly records by COPY in bounded chunks, and the villages' rural population by year
// with its sums for townships, counties, the city and the province. One transaction: a failed
// run leaves nothing behind.
import type { Db, Sql } from '../db/client.js';
import { Conflict, ValidationError } from '../domain/errors.js';
import { perCapitaNetIncome } from '../domain/income.js';
import type { HouseholdBundle, YearInput } from '../domain/register.js';
import {
  CountyExpander, FIRST_POPULATION_YEAR, planRegister, type CountyPlan, type SynthCounty,
} from '../domain/synth/index.js';
import { audit, systemActor } from './context.js';
import { addCounts, AssistanceCollector, deleteAssistance, seedAssistance, startAssistanceLoad, type AssistanceCounts } from './seed-assistance.js';
import { idColumns, phoneColumns } from './pii.js';

export interface SeedOptions {
  people: number;
  seed: number;
  /** One county only (6-digit code); default: every county-level unit of Tongliao (1505). */
  countyCode?: string;
  /** Delete the target counties' registered households first (otherwise refuse when there are any). */
  replace?: boolean;
  onProgress?: (phase: string, done: number, total: number) => void;
  /**
   * Drop the registry tables' secondary indexes during the load and rebuild them after (much
   * faster for big loads). 'auto' (default): when writing at least REBUILD_MIN_HOUSEHOLDS
   * households and no fewer than the table already holds.
   */
  rebuildIndexes?: boolean | 'auto';
  /** Also generate assistance data (units, cadres, pairings, visits, measures, projects, assets); default true. */
  assistance?: boolean;
}

export interface SeedResult {
  households: number;
  members: number;
  years: number;
  seconds: number;
  /** Rows written per assistance table (units, cadres, pairings, visits, measures, projects, …). */
  assistance: Partial<AssistanceCounts>;
  assistanceSeconds: number;
}

export const TONGLIAO = '1505';
export const MAX_SEED_PEOPLE = 5_000_000;
export const POPULATION_SOURCE = 'synthetic demo';
/** Households per COPY chunk: ~12k members and ~48k yearly rows, a few MB of CSV. */
const CHUNK_HOUSEHOLDS = 4_000;

const HOUSEHOLD_COLUMNS = [
  'county_code', 'id', 'household_no', 'village_code', 'group_name', 'attribute', 'exit_status', 'main_cause',
  'other_causes', 'head_name', 'identified_on', 'exit_year', 'phone_enc', 'phone_masked', 'assistance_unit', 'responsible_cadre', 'relocated',
] as const;
const MEMBER_COLUMNS = [
  'county_code', 'id', 'household_id', 'name', 'id_hash', 'id_enc', 'id_masked', 'relation', 'sex', 'birth_date', 'ethnicity', 'education',
  'student_status', 'health', 'disability_grade', 'labour_ability', 'work_months', 'medical_insurance',
  'critical_illness_insurance', 'pension_insurance', 'phone_enc', 'phone_masked',
] as const;
const YEAR_COLUMNS = [
  'county_code', 'household_id', 'year', 'household_size', 'status', 'wage_income', 'production_income', 'property_income',
  'transfer_income', 'production_costs', 'non_counting_income', 'per_capita_income', 'food_secure', 'clothing_secure',
  'education_secure', 'medical_secure', 'housing_secure', 'water_secure', 'dangerous_house', 'water_litres_per_day',
  'water_fetch_minutes', 'electricity', 'road_access', 'sanitary_toilet', 'farmland_mu', 'forest_mu', 'returned_farmland_mu',
  'pasture_mu', 'note',
] as const;
const POPULATION_COLUMNS = ['area_code', 'year', 'rural_people', 'rural_households'] as const;

// ---------------------------------------------------------------- CSV for COPY (FORMAT csv)

const NEEDS_QUOTES = /[",\n\r]/;
/** A text field: unquoted empty means NULL in COPY's CSV format, so empty strings are quoted. */
function text(v: string | null): string {
  if (v === null) return '';
  if (v === '' || NEEDS_QUOTES.test(v)) return `"${v.replaceAll('"', '""')}"`;
  return v;
}
/**
 * Accumulates CSV as UTF-8 bytes. Keeping a chunk's rows as JS strings (ropes) until the COPY
 * made young-generation GC copy them again and again: ~10 s of 15 s at 225,000 people.
 */
class CsvBuffer {
  private buf = Buffer.allocUnsafe(1 << 20);
  private used = 0;

  append(s: string): void {
    const need = this.used + s.length * 3;
    if (need > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
      this.buf.copy(next, 0, 0, this.used);
      this.buf = next;
    }
    this.used += this.buf.write(s, this.used);
  }

  text(): string {
    return this.buf.toString('utf8', 0, this.used);
  }
}

const bool = (v: boolean | null) => (v === null ? '' : v ? 't' : 'f');
/** The sealed phone's two fields (phone_enc, phone_masked); their characters need no quoting. */
const phone = (v: string | null) => phoneColumns(v).join(',');
const num = (v: number | null) => (v === null ? '' : String(v));

function householdRow(county: string, id: number, b: HouseholdBundle): string {
  const h = b.household;
  const head = b.members[0]?.name ?? '';
  return `${county},${id},${text(h.householdNo)},${h.villageCode},${text(h.groupName)},${h.attribute},${h.exitStatus},${text(h.mainCause)},"{${h.otherCauses.join(',')}}",${text(head)},${text(h.identifiedOn)},${num(h.exitYear)},${phone(h.phone)},${text(h.assistanceUnit)},${text(h.responsibleCadre)},${bool(h.relocated)}\n`;
}

function memberRows(county: string, id: number, b: HouseholdBundle, memberIds: readonly number[]): string {
  let s = '';
  let i = 0;
  for (const m of b.members) {
    s += `${county},${memberIds[i++]},${id},${text(m.name)},${idColumns(m.idNumber).join(',')},${m.relation},${m.sex},${m.birthDate},${m.ethnicity},${text(m.education)},${text(m.studentStatus)},${text(m.health)},${text(m.disabilityGrade)},${text(m.labourAbility)},${num(m.workMonths)},${bool(m.medicalInsurance)},${bool(m.criticalIllnessInsurance)},${bool(m.pensionInsurance)},${phone(m.phone)}\n`;
  }
  return s;
}

function yearRows(county: string, id: number, b: HouseholdBundle): string {
  let s = '';
  for (const y of b.years) {
    const pc = perCapita(y);
    s += `${county},${id},${y.year},${y.householdSize},${y.status},${y.wageIncome},${y.productionIncome},${y.propertyIncome},${y.transferIncome},${y.productionCosts},${y.nonCountingIncome},${pc},${bool(y.foodSecure)},${bool(y.clothingSecure)},${bool(y.educationSecure)},${bool(y.medicalSecure)},${bool(y.housingSecure)},${bool(y.waterSecure)},${bool(y.dangerousHouse)},${num(y.waterLitresPerDay)},${num(y.waterFetchMinutes)},${bool(y.electricity)},${bool(y.roadAccess)},${bool(y.sanitaryToilet)},${num(y.farmlandMu)},${num(y.forestMu)},${num(y.returnedFarmlandMu)},${num(y.pastureMu)},${text(y.note)}\n`;
  }
  return s;
}

/**
 * perCapitaNetIncome for the generator's whole-yuan components, computed in integer fen the
 * same way (half away from zero); the domain function's general float handling costs ~4 µs a
 * call, which at 4 million yearly rows is most of the JS time. test/seed.test.ts checks that
 * every stored value equals perCapitaNetIncome; anything not whole yuan goes through it.
 */
function perCapita(y: YearInput): number {
  const { wageIncome: wage, productionIncome: production, propertyIncome: property, transferIncome: transfer, productionCosts } = y;
  const net = wage + production + property + transfer - productionCosts;
  const whole = [wage, production, property, transfer, productionCosts].every(Number.isInteger) && Number.isSafeInteger(net * 100);
  if (!whole || !Number.isInteger(y.householdSize) || y.householdSize <= 0) {
    return perCapitaNetIncome({ wage, production, property, transfer, productionCosts, nonCounting: y.nonCountingIncome }, y.householdSize);
  }
  const fen = Math.round((Math.abs(net) * 100) / y.householdSize);
  return fen === 0 ? 0 : (net < 0 ? -fen : fen) / 100;
}

// ---------------------------------------------------------------- reading the target

function validate(opts: SeedOptions): void {
  const issues = [];
  if (!Number.isInteger(opts.people) || opts.people < 1 || opts.people > MAX_SEED_PEOPLE) {
    issues.push({
      field: 'people',
      zh: `人数应为 1–${MAX_SEED_PEOPLE} 的整数，收到 ${String(opts.people)}`,
      en: `people must be a whole number from 1 to ${MAX_SEED_PEOPLE}, got ${String(opts.people)}`,
    });
  }
  if (!Number.isSafeInteger(opts.seed)) {
    issues.push({ field: 'seed', zh: `随机种子应为整数，收到 ${String(opts.seed)}`, en: `seed must be a whole number, got ${String(opts.seed)}` });
  }
  if (opts.countyCode !== undefined && !/^\d{6}$/.test(opts.countyCode)) {
    issues.push({ field: 'county', zh: `旗县代码应为6位数字，收到 ${opts.countyCode}`, en: `the county code must be 6 digits, got ${opts.countyCode}` });
  }
  if (issues.length) throw new ValidationError(issues);
}

async function targetCounties(db: Sql, countyCode: string | undefined): Promise<SynthCounty[]> {
  const counties = countyCode
    ? await db.query<{ code: string; name: string }>(`SELECT code, name FROM areas WHERE code = $1 AND level = 3`, [countyCode])
    : await db.query<{ code: string; name: string }>(`SELECT code, name FROM areas WHERE parent_code = $1 AND level = 3 ORDER BY code`, [TONGLIAO]);
  if (!counties.length) {
    throw new ValidationError(
      [{ field: 'county', zh: countyCode ? `旗县 ${countyCode} 不在已导入的区划中` : '未找到通辽市（1505）下的旗县区', en: countyCode ? `County ${countyCode} is not among the loaded areas` : 'No county-level areas under Tongliao (1505) are loaded' }],
      { zh: '请先导入行政区划（jingzhun areas load --file data/areas-tongliao.csv）', en: 'Load the administrative divisions first (jingzhun areas load --file data/areas-tongliao.csv)' },
    );
  }
  const codes = counties.map((c) => c.code);
  const villages = await db.query<{ code: string; name: string }>(
    `SELECT code, name FROM areas WHERE level = 5 AND substr(code, 1, 6) = ANY($1::text[]) ORDER BY code`,
    [codes],
  );
  const byCounty = new Map<string, { code: string; name: string }[]>(codes.map((c) => [c, []]));
  for (const v of villages) byCounty.get(v.code.slice(0, 6))?.push({ code: v.code, name: v.name });
  const out = counties.map((c) => ({ code: c.code, name: c.name, villages: byCounty.get(c.code) ?? [] }));
  if (!out.some((c) => c.villages.length)) {
    throw new ValidationError([
      { field: 'county', zh: `${countyCode ?? '通辽市'} 下没有村级区划，无法生成农户`, en: `There are no village-level areas under ${countyCode ?? 'Tongliao'} to place households in` },
    ]);
  }
  return out;
}

async function refuseExisting(db: Sql, counties: SynthCounty[]): Promise<void> {
  const rows = await db.query<{ county: string; n: number }>(
    `SELECT county_code AS county, count(*)::int AS n FROM households WHERE county_code = ANY($1::bpchar[]) GROUP BY county_code ORDER BY county_code`,
    [counties.map((c) => c.code)],
  );
  if (!rows.length) return;
  const name = new Map(counties.map((c) => [c.code, c.name]));
  const list = rows.map((r) => `${r.county} ${name.get(r.county) ?? ''}（${r.n} 户）`).join('、');
  const listEn = rows.map((r) => `${r.county} (${r.n} households)`).join(', ');
  throw new Conflict({
    zh: `${list}已有建档立卡农户，合成数据不会与之混合；如确需替换，请加 --replace（将删除这些旗县的农户、成员和年度记录）`,
    en: `${listEn} already ${rows.length > 1 ? 'have' : 'has'} registered households, and synthetic data is not mixed with them; to replace them use --replace (deletes those counties' households, members and yearly records)`,
  });
}

// ---------------------------------------------------------------- writing

/** Reserves `n` ids from the table's own sequence (safe beside concurrent inserts). */
async function reserveIds(tx: Sql, n: number, table = 'households'): Promise<number[]> {
  // One text value, not n rows: decoding 225,000 rows of one number each took PGlite ~0.5 s.
  const [r] = await tx.query<{ ids: string | null }>(
    `SELECT string_agg(nextval(pg_get_serial_sequence($2, 'id'))::text, ',') AS ids FROM generate_series(1, $1::int)`,
    [n, table],
  );
  return r?.ids ? r.ids.split(',').map(Number).sort((a, b) => a - b) : [];
}

/** Households expanded between yields to the event loop while the previous chunk is being copied. */
const SLICE = 250;
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Writes one county: ids reserved up front, then chunk by chunk. The next chunk is generated
 * (yielding now and then) while the previous one's COPY is in flight, so on PostgreSQL the
 * server ingests while Node generates; on PGlite, which runs in this thread, it changes nothing.
 */
async function writeCounty(
  tx: Sql,
  seed: number,
  plan: CountyPlan,
  progress: (households: number) => void,
  expander: CountyExpander,
  collect: (id: number, b: HouseholdBundle, memberIds: readonly number[]) => void,
): Promise<{ households: number; members: number; years: number }> {
  const county = plan.county.code;
  const totals = { households: 0, members: 0, years: 0 };
  const ids = await reserveIds(tx, plan.households.length);
  // Member ids too, so that measures given to a member can name it (the plan's sizes are the member counts).
  const memberIds = await reserveIds(tx, plan.households.reduce((n, h) => n + h.size, 0), 'members');
  let nextMember = 0;
  let inFlight: Promise<void> | undefined;
  for (let start = 0; start < plan.households.length; start += CHUNK_HOUSEHOLDS) {
    const chunk = plan.households.slice(start, start + CHUNK_HOUSEHOLDS);
    const hh = new CsvBuffer();
    const mm = new CsvBuffer();
    const yy = new CsvBuffer();
    for (let i = 0; i < chunk.length; i++) {
      if (inFlight && i % SLICE === SLICE - 1) await yieldToLoop();
      const b = expander.expand(chunk[i]!);
      const id = ids[start + i]!;
      hh.append(householdRow(county, id, b));
      const mine = memberIds.slice(nextMember, (nextMember += b.members.length));
      if (mine.length !== b.members.length) throw new Error(`member ids ran out in ${county}`);
      mm.append(memberRows(county, id, b, mine));
      yy.append(yearRows(county, id, b));
      collect(id, b, mine);
      totals.members += b.members.length;
      totals.years += b.years.length;
    }
    await inFlight;
    const n = chunk.length;
    inFlight = (async () => {
      await tx.copyFrom('households', HOUSEHOLD_COLUMNS, hh.text());
      await tx.copyFrom('members', MEMBER_COLUMNS, mm.text());
      await tx.copyFrom('household_years', YEAR_COLUMNS, yy.text());
      totals.households += n;
      progress(n);
    })();
    // Handled when awaited above or below; this keeps a failure meanwhile from counting as unhandled.
    inFlight.catch(() => {});
  }
  await inFlight;
  return totals;
}

export const REBUILD_MIN_HOUSEHOLDS = 20_000;
const REGISTRY_TABLES = ['households', 'members', 'household_years'];

/**
 * Bulk-load settings for the COPY phase, undone by `finish` (still inside the transaction):
 * - Foreign-key checks are skipped (session_replication_role = replica, superusers only — always
 *   on PGlite): every member and yearly row belongs to a household written just before it in the
 *   same transaction, and villages come from the areas table. The deletes of --replace run before
 *   this, so their ON DELETE CASCADE still reaches every referencing table.
 * - Optionally, secondary indexes (not primary keys) are dropped and rebuilt from their own
 *   definitions afterwards; rebuilding the unique ones re-checks uniqueness, so a duplicate
 *   would still abort the whole run. Dropping takes an exclusive lock on the tables until commit,
 *   which is why 'auto' does it only for big loads into tables that are small beside them.
 * Then ANALYZE: PGlite has no autovacuum, and the planner needs statistics for the new rows.
 */
async function startBulkLoad(
  tx: Sql,
  households: number,
  rebuild: boolean | 'auto',
): Promise<{ indexes: string[]; finish: (progress: (n: number) => void) => Promise<void> }> {
  const [su] = await tx.query<{ su: boolean }>(`SELECT current_setting('is_superuser') = 'on' AS su`);
  const skipTriggers = tx.engine === 'pglite' || !!su?.su;
  if (skipTriggers) await tx.query(`SET LOCAL session_replication_role = replica`);
  let drop = rebuild === true;
  if (rebuild === 'auto' && households >= REBUILD_MIN_HOUSEHOLDS) {
    const [n] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM households`);
    drop = (n?.n ?? 0) <= households;
  }
  const defs = drop
    ? await tx.query<{ name: string; def: string }>(
        `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
          WHERE i.schemaname = current_schema() AND i.tablename = ANY($1::text[])
            AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.connamespace = current_schema()::regnamespace)
          ORDER BY i.tablename, i.indexname`,
        [REGISTRY_TABLES],
      )
    : [];
  for (const d of defs) await tx.query(`DROP INDEX "${d.name.replaceAll('"', '""')}"`);
  return {
    indexes: defs.map((d) => d.name),
    async finish(progress) {
      // More sort memory helps PostgreSQL; in PGlite's WASM heap it made builds slower (measured).
      if (defs.length && tx.engine === 'postgres') await tx.query(`SET LOCAL maintenance_work_mem = '256MB'`);
      let n = 0;
      for (const d of defs) {
        await tx.query(d.def);
        progress(++n);
      }
      if (skipTriggers) await tx.query(`SET LOCAL session_replication_role = origin`);
      for (const t of REGISTRY_TABLES) await tx.query(`ANALYZE ${t}`);
    },
  };
}

/**
 * Village rows from the plans, then each level above as the sum of its children (imported,
 * non-synthetic rows are never overwritten).
 */
async function writePopulations(tx: Sql, plans: CountyPlan[]): Promise<void> {
  await tx.query(
    `CREATE TEMP TABLE seed_population_stage (area_code varchar(12), year smallint, rural_people integer, rural_households integer) ON COMMIT DROP`,
  );
  let csv = '';
  for (const p of plans) {
    for (const v of p.populations) {
      v.people.forEach((n, i) => {
        csv += `${v.code},${FIRST_POPULATION_YEAR + i},${n},${v.households[i] ?? 0}\n`;
      });
    }
  }
  if (csv) await tx.copyFrom('seed_population_stage', POPULATION_COLUMNS, csv);
  const upsert = `ON CONFLICT (area_code, year) DO UPDATE SET rural_people = EXCLUDED.rural_people,
      rural_households = EXCLUDED.rural_households, synthetic = true, source = EXCLUDED.source
    WHERE area_populations.synthetic`;
  await tx.query(
    `INSERT INTO area_populations (area_code, year, rural_people, rural_households, synthetic, source)
     SELECT area_code, year, rural_people, rural_households, true, $1 FROM seed_population_stage ${upsert}`,
    [POPULATION_SOURCE],
  );
  // Ancestors of the seeded villages, one level at a time from townships up.
  let children = plans.flatMap((p) => p.populations.map((v) => v.code));
  for (let level = 5; level > 1 && children.length; level--) {
    const parents = await tx.query<{ code: string }>(
      `SELECT DISTINCT parent_code AS code FROM areas WHERE code = ANY($1::text[]) AND parent_code IS NOT NULL`,
      [children],
    );
    if (!parents.length) break;
    const codes = parents.map((p) => p.code);
    await tx.query(
      `INSERT INTO area_populations (area_code, year, rural_people, rural_households, synthetic, source)
       SELECT a.parent_code, p.year, sum(p.rural_people)::int, sum(p.rural_households)::int, true, $2
         FROM area_populations p JOIN areas a ON a.code = p.area_code
        WHERE a.parent_code = ANY($1::text[])
        GROUP BY a.parent_code, p.year ${upsert}`,
      [codes, POPULATION_SOURCE],
    );
    children = codes;
  }
}

/**
 * Generates the synthetic register for Tongliao (or one county) and writes it. Refuses when a
 * target county already has registered households, unless `replace` is set.
 */
export async function seedRegister(db: Db, opts: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  validate(opts);
  const counties = await targetCounties(db, opts.countyCode);
  if (!opts.replace) await refuseExisting(db, counties);
  const seed = opts.seed >>> 0;
  const plans = planRegister(seed, opts.people, counties);
  const total = plans.reduce((n, p) => n + p.households.length, 0);
  const report = opts.onProgress ?? (() => {});
  const codes = counties.map((c) => c.code);

  const written = await db.transaction(async (tx) => {
    if (opts.replace) {
      report('delete', 0, 1);
      await deleteAssistance(tx, codes);
      await tx.query(`DELETE FROM household_years WHERE county_code = ANY($1::bpchar[])`, [codes]);
      await tx.query(`DELETE FROM members WHERE county_code = ANY($1::bpchar[])`, [codes]);
      await tx.query(`DELETE FROM households WHERE county_code = ANY($1::bpchar[])`, [codes]);
      report('delete', 1, 1);
    } else {
      await refuseExisting(tx, counties);
    }
    const sums = { households: 0, members: 0, years: 0 };
    const assistance: Partial<AssistanceCounts> = {};
    let assistanceMs = 0;
    let done = 0;
    report('households', 0, total);
    const bulk = await startBulkLoad(tx, total, opts.rebuildIndexes ?? 'auto');
    const aidLoad = await startAssistanceLoad(tx, bulk.indexes.length > 0);
    for (const plan of plans) {
      const expander = new CountyExpander(seed, plan.county);
      const aid = new AssistanceCollector();
      const r = await writeCounty(tx, seed, plan, (n) => report('households', (done += n), total), expander, aid.add);
      sums.households += r.households;
      sums.members += r.members;
      sums.years += r.years;
      const t0 = performance.now();
      if (opts.assistance !== false) addCounts(assistance, await seedAssistance(tx, { seed, plan, households: aid.households, expander }));
      assistanceMs += performance.now() - t0;
    }
    if (bulk.indexes.length) report('indexes', 0, bulk.indexes.length);
    await bulk.finish((n) => report('indexes', n, bulk.indexes.length));
    // the bulk load ran without triggers: mark the villages for the rollups (services/indicators)
    await tx.query(
      `INSERT INTO rollup_dirty (village_code) SELECT DISTINCT village_code FROM households WHERE county_code = ANY($1::bpchar[]) ORDER BY 1 ON CONFLICT (village_code) DO UPDATE SET marked_at = now()`,
      [codes],
    );
    const t1 = performance.now();
    await aidLoad.finish();
    assistanceMs += performance.now() - t1;
    report('populations', 0, 1);
    await writePopulations(tx, plans);
    report('populations', 1, 1);
    await audit(tx, systemActor('seed'), {
      action: 'seed',
      entity: 'households',
      countyCode: opts.countyCode ?? null,
      after: { people: opts.people, seed: opts.seed, counties: codes, replace: !!opts.replace, ...sums, assistance },
      note: 'synthetic demo register',
    });
    return { ...sums, assistance, assistanceSeconds: assistanceMs / 1000 };
  });
  return { ...written, seconds: (performance.now() - started) / 1000 };
}
