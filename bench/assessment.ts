// Third-party evaluation (issue 8) on the seeded register, in the largest county:
//   draw     drawPlan (frame read + two-stage draw + writing villages, households and weights)
//            vs the hand-written SQL that reads the same frame (villages, household-years, populations)
//   results  getResults (the four weighted rates with linearised intervals) after every sampled
//            household has a synthetic questionnaire, vs one hand-written SQL of the four weighted
//            point estimates (no variance)
//   import   importSurveys of the filled template (every sampled household) vs a raw multi-row INSERT of the same answers
//   scorecards  the township table of the whole city and the cadre table of the largest county over
//            the last year (every indicator) vs one hand-written SQL counting visits per township
import ExcelJS from 'exceljs';
import type { Engine } from '../src/db/client.js';
import { seedRegister } from '../src/services/seed.js';
import { systemActor, type Ctx } from '../src/services/context.js';
import { createPlan, drawPlan, getResults, importSurveys, surveyTemplate } from '../src/services/assessment/index.js';
import { cadreScorecards, townshipScorecards } from '../src/services/supervision/index.js';
import { LAST_YEAR } from '../src/domain/synth/params.js';
import { freshDb, fmt, timed } from './engines.js';

const ANSWERS = ['completed', '2026-02-01', null, 3, 6500.5, '是', '是', '是', '是', '是', '是'] as const;

export async function benchAssessment(engine: Engine, people: number, say: (line: string) => void): Promise<void> {
  const tag = `[${engine}]`;
  const b = await freshDb(engine, 'assess');
  try {
    await seedRegister(b.db, { people, seed: 2014 });
    const year = LAST_YEAR;
    const ctx: Ctx = { db: b.db, actor: systemActor('bench') };
    const [big] = await b.db.query<{ county: string; n: number }>(
      'SELECT county_code AS county, count(*)::int AS n FROM household_years WHERE year = $1 GROUP BY county_code ORDER BY 2 DESC LIMIT 1',
      [year],
    );
    const county = big!.county;
    const frameSql = async () => {
      await b.db.query(`SELECT v.code, t.code FROM areas v JOIN areas t ON t.code = v.parent_code WHERE v.level = 5 AND v.code LIKE $1`, [`${county}%`]);
      await b.db.query(
        `SELECT h.village_code, h.id, y.household_size, y.status FROM household_years y JOIN households h ON h.county_code = y.county_code AND h.id = y.household_id
          WHERE y.county_code = $1 AND y.year = $2`,
        [county, year],
      );
      await b.db.query(`SELECT area_code, rural_households FROM area_populations WHERE year = $1 AND area_code LIKE $2`, [year, `${county}%`]);
    };
    await frameSql();
    let base = Infinity;
    for (let i = 0; i < 5; i++) base = Math.min(base, (await timed(frameSql)).seconds);
    const plan = await createPlan(ctx, { county, year, name: 'bench', seed: `bench-${county}-${year}` });
    const drawn = await timed(() => drawPlan(ctx, plan.id));
    const d = drawn.value;
    say(`${tag} evaluation draw, county ${county} (${fmt(big!.n, 0)} households in ${year}, ${fmt(d.frameSummary.villages, 0)} villages): ${fmt(drawn.seconds * 1000, 0)} ms for ` +
      `${fmt(d.villages, 0)} villages and ${fmt(d.samples, 0)} households (default sizes); hand-written frame read ${fmt(base * 1000, 0)} ms = ${fmt(drawn.seconds / base, 1)}×`);

    // Fill the template the evaluators would get, then import it.
    const template = await surveyTemplate(ctx, plan.id);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(template as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const header = Array.from(ws.getRow(1).values as unknown[], (v) => String(v ?? ''));
    const at = (key: string) => header.findIndex((h) => h.endsWith(`（${key}）`));
    const rows: { sampleId: number; stratum: string }[] = [];
    ws.eachRow((row, n) => {
      if (n === 1) return;
      const stratum = String(row.getCell(at('stratum')).value ?? '');
      const sampleId = Number(row.getCell(at('sampleId')).value);
      const kind = stratum.includes('exited') ? 'exited' : stratum.includes('remaining') ? 'remaining' : 'nonRegistered';
      const cells: Record<string, unknown> = {
        outcome: ANSWERS[0], surveyedOn: ANSWERS[1], householdSize: ANSWERS[3], perCapitaIncome: ANSWERS[4],
        foodSecure: '是', clothingSecure: '是', educationSecure: '是', medicalSecure: '是', housingSecure: '是', waterSecure: '是',
        approves: sampleId % 17 === 0 ? '否' : '是',
        ...(kind === 'exited' ? { exitCorrect: sampleId % 41 === 0 ? '否' : '是' } : kind === 'remaining' ? { stillPoor: '是' } : { omitted: sampleId % 53 === 0 ? '是' : '否', headName: `户主${sampleId}` }),
      };
      for (const [k, v] of Object.entries(cells)) row.getCell(at(k)).value = v as ExcelJS.CellValue;
      rows.push({ sampleId, stratum: kind });
    });
    const filled = Buffer.from(await wb.xlsx.writeBuffer());
    const imp = await timed(() => importSurveys(ctx, plan.id, { fileName: 'bench.xlsx', data: filled }, new Date(`${year + 1}-03-01T00:00:00Z`)));
    // Baseline: the same answers as one raw INSERT (no checks, no discrepancies, no audit), in a throwaway table.
    await b.db.query('CREATE TEMP TABLE IF NOT EXISTS bench_surveys (LIKE assessment_surveys)');
    const raw = await timed(() =>
      b.db.query(
        `INSERT INTO bench_surveys (county_code, plan_id, sample_id, outcome, surveyed_on, evaluator, household_size, per_capita_income, food_secure, clothing_secure,
            education_secure, medical_secure, housing_secure, water_secure, approves, source, entered_by, created_at, updated_at, version)
         SELECT $1, $2, s, 'completed', '2026-02-01', 'bench', 3, 6500.5, true, true, true, true, true, true, true, 'import', 'bench', now(), now(), 1
           FROM unnest($3::bigint[]) AS t(s)`,
        [county, plan.id, rows.map((r) => r.sampleId)],
      ),
    );
    say(`${tag}   import of the filled template (${fmt(imp.value.saved, 0)} questionnaires with discrepancies, findings and audit): ${fmt(imp.seconds * 1000, 0)} ms; ` +
      `raw INSERT of the same answers ${fmt(raw.seconds * 1000, 1)} ms = ${fmt(imp.seconds / raw.seconds, 0)}×`);

    const resultsSql = async () =>
      b.db.query(
        `SELECT sum(w * CASE WHEN s.stratum = 'exited' AND NOT q.exit_correct THEN q.household_size ELSE 0 END) / nullif(sum(w * CASE WHEN s.stratum = 'exited' THEN q.household_size ELSE 0 END), 0) AS wrong,
                sum(w * CASE WHEN s.stratum = 'nonRegistered' AND q.omitted THEN q.household_size ELSE 0 END) / nullif(sum(w * CASE WHEN s.stratum = 'nonRegistered' THEN q.household_size ELSE 0 END), 0) AS omitted,
                sum(w * CASE WHEN q.approves THEN 1 ELSE 0 END) / sum(w) AS approval,
                sum(w * CASE WHEN (s.stratum = 'remaining' AND q.still_poor) OR (s.stratum = 'exited' AND NOT q.exit_correct) OR (s.stratum = 'nonRegistered' AND q.omitted) THEN q.household_size ELSE 0 END) / sum(w * q.household_size) AS combined
           FROM (SELECT *, weight_num::numeric / weight_den AS w FROM assessment_samples WHERE county_code = $1 AND plan_id = $2) s
           JOIN assessment_surveys q ON q.county_code = s.county_code AND q.plan_id = s.plan_id AND q.sample_id = s.id AND q.outcome = 'completed'`,
        [county, plan.id],
      );
    await resultsSql();
    let rbase = Infinity;
    for (let i = 0; i < 5; i++) rbase = Math.min(rbase, (await timed(resultsSql)).seconds);
    await getResults(ctx, plan.id);
    let rsec = Infinity;
    let verdict = '';
    for (let i = 0; i < 5; i++) {
      const t = await timed(() => getResults(ctx, plan.id));
      rsec = Math.min(rsec, t.seconds);
      verdict = t.value.rates.map((r) => `${r.key} ${r.result ? fmt(r.result.estimate.estimate * 100, 2) : '–'}% ${r.verdict}`).join(', ');
    }
    say(`${tag}   results (${verdict}): ${fmt(rsec * 1000, 1)} ms; hand-written SQL of the four point estimates ${fmt(rbase * 1000, 1)} ms = ${fmt(rsec / rbase, 1)}×`);

    const period = { from: `${year}-01-01`, to: `${year}-12-31`, now: new Date(`${year + 1}-03-01T00:00:00Z`) };
    const visitsSql = () =>
      b.db.query(
        `SELECT left(h.village_code, 9) AS township, count(*)::int AS visits FROM visits v JOIN households h ON h.county_code = v.county_code AND h.id = v.household_id
          WHERE v.visited_on BETWEEN $1::date AND $2::date GROUP BY 1`,
        [period.from, period.to],
      );
    await visitsSql();
    let vbase = Infinity;
    for (let i = 0; i < 3; i++) vbase = Math.min(vbase, (await timed(visitsSql)).seconds);
    const towns = await timed(() => townshipScorecards(ctx, { area: '1505', ...period }));
    const cadres = await timed(() => cadreScorecards(ctx, { area: county, ...period }));
    say(`${tag} scorecards ${year}: ${fmt(towns.value.rows.length, 0)} townships of the city ${fmt(towns.seconds * 1000, 0)} ms, ${fmt(cadres.value.rows.length, 0)} cadres of ${county} ${fmt(cadres.seconds * 1000, 0)} ms; ` +
      `hand-written visits per township ${fmt(vbase * 1000, 0)} ms (township table = ${fmt(towns.seconds / vbase, 1)}×, for six indicator families)`);
  } finally {
    await b.drop();
  }
}
