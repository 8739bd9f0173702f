// Monitoring scan over the whole seeded register (runMonitoringScan, every rule, every county) vs
// the hand-written SQL of its main rule: a count of the households whose per-capita income is
// below the monitoring threshold that year. Department records for 1 in 200 members (vehicles)
// and 1 in 400 (medical costs) are loaded first so the ID-number join has work to do.
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
       SELECT 1, 'medical_cost', id_number, name, NULL, 4000 + (id % 13) * 1000, make_date($1::int, 6, 1), '医保局', 'bench' FROM members WHERE id % 400 = 7`,
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
    await baseline(); // warm-up
    const runs = 5;
    let base = 0;
    let below = 0;
    for (let i = 0; i < runs; i++) {
      const t = await timed(baseline);
      base += t.seconds / runs;
      below = Number(t.value[0]?.n ?? 0);
    }
    const first = await timed(() => runMonitoringScan(ctx, { year }));
    const again = await timed(() => runMonitoringScan(ctx, { year }));
    const r = first.value;
    const per = r.rules.filter((x) => x.found > 0).map((x) => `${x.rule} ${fmt(x.found, 0)}`).join(', ');
    say(`${tag} monitoring scan of ${year}, ${r.counties} counties, ${fmt(people, 0)} people: ${fmt(first.seconds)} s (${fmt(r.candidates, 0)} households examined, ${fmt(r.totals.new, 0)} alerts: ${per}); ` +
      `re-scan ${fmt(again.seconds)} s (${fmt(again.value.totals.new, 0)} new, ${fmt(again.value.totals.known, 0)} known)`);
    say(`${tag}   vs hand-written SQL counting households below the threshold (${fmt(threshold, 0)} yuan; ${fmt(below, 0)} households) ${fmt(base * 1000)} ms = ` +
      `${fmt(first.seconds / base, 1)}× (first scan), ${fmt(again.seconds / base, 1)}× (re-scan)`);
  } finally {
    await b.drop();
  }
}
