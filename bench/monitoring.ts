// Monitoring scan over the whole seeded register (runMonitoringScan, every rule, every county) vs
// the hand-written SQL of its slowest single rules: a count of the households whose per-capita
// income is below the monitoring threshold that year, and a count of the households with a child
// of compulsory-school age out of school (a pass over every member). Department records for 1 in
// 200 members (vehicles), 1 in 400 (medical costs) and 1 in 300 (disasters) are loaded first so the
// ID-number join has work to do, and a civil affairs 低保 list naming one member of most 低保
// households (one in ten left out) so the data-quality rule on it runs.
import type { Engine } from '../src/db/client.js';
import { seedRegister } from '../src/services/seed.js';
import { systemActor, type Ctx } from '../src/services/context.js';
import { runMonitoringScan } from '../src/services/monitoring/index.js';
import { monitoringParams } from '../src/domain/monitoring-rules.js';
import { policyLookup } from '../src/services/policy.js';
import { LAST_YEAR } from '../src/domain/synth/params.js';
import { freshDb, fmt, timed } from './engines.js';

export async function benchMonitoring(engine: Engine, people: number, say: (line: string) => void): Promise<void> {
  const tag = `[${engine}]`;
  const b = await freshDb(engine, 'monitor');
  try {
    await seedRegister(b.db, { people, seed: 2014 });
    const year = LAST_YEAR;
    await b.db.query(
      `INSERT INTO department_records (batch, kind, id_number, name, detail, amount, record_date, department, loaded_by)
       SELECT 1, 'vehicle', id_number, name, '小型轿车', 60000, make_date($1::int, 3, 1), '交警支队', 'bench' FROM members WHERE id % 200 = 0
       UNION ALL
       SELECT 1, 'medical_cost', id_number, name, NULL, 4000 + (id % 13) * 1000, make_date($1::int, 6, 1), '医保局', 'bench' FROM members WHERE id % 400 = 7
       UNION ALL
       SELECT 1, 'disaster', id_number, name, '冰雹', 8000, make_date($1::int, 7, 1), '应急管理局', 'bench' FROM members WHERE id % 300 = 11
       UNION ALL
       SELECT 1, 'dibao', m.id_number, m.name, NULL, NULL, make_date($1::int, 1, 1), '民政局', 'bench'
         FROM members m JOIN households h ON h.county_code = m.county_code AND h.id = m.household_id
        WHERE h.attribute IN ('2', '5') AND m.relation = '01' AND h.id % 10 <> 3`,
      [year],
    );
    await b.db.query('ANALYZE department_records');
    const ctx: Ctx = { db: b.db, actor: systemActor('bench') };
    // The threshold the scan uses for Tongliao that year (1.5 × the line where Inner Mongolia's is unknown).
    const threshold = monitoringParams(await policyLookup(b.db, year, '150524'), year).threshold.fen! / 100;
    const baseline = async () =>
      b.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM household_years WHERE year = $1 AND status NOT IN ('0', '3') AND per_capita_income < $2::numeric`,
        [year, threshold],
      );
    // Ages 6–15 on 31 August, as the out_of_school rule counts them.
    const school = async () =>
      b.db.query<{ n: number }>(
        `SELECT count(DISTINCT m.household_id)::int AS n FROM members m
           JOIN household_years y ON y.county_code = m.county_code AND y.household_id = m.household_id AND y.year = $1
          WHERE y.status NOT IN ('0', '3') AND m.student_status = '0'
            AND m.birth_date > make_date($1::int - 16, 8, 31) AND m.birth_date <= make_date($1::int - 6, 8, 31)`,
        [year],
      );
    const runs = 5;
    const mean = async (f: () => Promise<{ n: number }[]>) => {
      await f(); // warm-up
      let seconds = 0;
      let n = 0;
      for (let i = 0; i < runs; i++) {
        const t = await timed(f);
        seconds += t.seconds / runs;
        n = Number(t.value[0]?.n ?? 0);
      }
      return { seconds, n };
    };
    const income = await mean(baseline);
    const children = await mean(school);
    const below = income.n;
    const base = Math.max(income.seconds, children.seconds);
    const first = await timed(() => runMonitoringScan(ctx, { year }));
    const again = await timed(() => runMonitoringScan(ctx, { year }));
    const r = first.value;
    const per = r.rules.filter((x) => x.found > 0).map((x) => `${x.rule} ${fmt(x.found, 0)}`).join(', ');
    say(`${tag} monitoring scan of ${year}, ${r.counties} counties, ${fmt(people, 0)} people: ${fmt(first.seconds)} s (${fmt(r.candidates, 0)} households examined, ${fmt(r.totals.new, 0)} alerts: ${per}); ` +
      `re-scan ${fmt(again.seconds)} s (${fmt(again.value.totals.new, 0)} new, ${fmt(again.value.totals.known, 0)} known)`);
    say(`${tag}   hand-written SQL: households below the threshold (${fmt(threshold, 0)} yuan; ${fmt(below, 0)} households) ${fmt(income.seconds * 1000)} ms; ` +
      `households with a child of 6–15 out of school (${fmt(children.n, 0)}) ${fmt(children.seconds * 1000)} ms`);
    say(`${tag}   scan vs the slower of the two (${fmt(base * 1000)} ms) = ${fmt(first.seconds / base, 1)}× (first scan), ${fmt(again.seconds / base, 1)}× (re-scan)`);
  } finally {
    await b.drop();
  }
}
