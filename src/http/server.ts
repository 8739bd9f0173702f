// `jingzhun serve` (what `npm start` runs): open the database, set up the demo on first start,
// listen, run the monitoring scan on its schedule (JINGZHUN_MONITOR_SCAN), and shut down gracefully
// (stop listening and finish in-flight requests while the scan finishes its county, then close the
// database and drop the lock).
import { openDb } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { ensureDemo } from '../services/demo.js';
import { printDemo, progress } from '../cli/output.js';
import { demoAccounts } from '../services/users.js';
import { buildApp } from './app.js';
import { refreshDirty } from '../services/indicators/rollup.js';
import { describeSchedule, parseScanSchedule, startMonitoringScheduler, type MonitoringScheduler } from '../jobs/scheduler.js';

/**
 * The first half of a graceful shutdown, both at once: the server stops listening, closes idle
 * keep-alive connections, answers 503 to new requests on open ones and resolves once every request in
 * flight has had its response; meanwhile the scan in progress finishes its county (one transaction)
 * and skips the rest. Waiting for the scan first would keep accepting requests for as long as a county
 * takes. The database is closed after both (by the caller).
 */
export async function stopServing(app: { close(): PromiseLike<unknown> }, scheduler: Pick<MonitoringScheduler, 'stop'>): Promise<void> {
  const [served, scanned] = await Promise.allSettled([app.close(), scheduler.stop()]);
  if (served.status === 'rejected') throw served.reason;
  if (scanned.status === 'rejected') throw scanned.reason;
}

export async function serve(opts: { port: number; host: string; demo: boolean }): Promise<void> {
  const t0 = Date.now();
  // A bad JINGZHUN_MONITOR_SCAN stops the start here, before the database is opened.
  const schedule = parseScanSchedule(process.env.JINGZHUN_MONITOR_SCAN);
  const db = await openDb();
  let accounts: { username: string; role: string; areaCode: string }[] = [];
  if (opts.demo) {
    const bar = progress();
    const report = await ensureDemo(db, { onProgress: bar.update });
    bar.stop();
    if (report.seeded) process.stdout.write(`已生成演示数据 / demo register: ${report.seeded.households} 户 households, ${report.seeded.members} 人 people\n`);
    accounts = report.accounts;
    if (!accounts.length) {
      const rows = await db.query<{ username: string; role: string; areaCode: string }>(
        `SELECT username, role, area_code AS "areaCode" FROM users WHERE username = ANY($1) ORDER BY id`,
        [demoAccounts.map((a) => a.username)],
      );
      accounts = rows;
    }
  } else {
    await migrate(db);
  }
  // rollups of a new demo or of changes made while the server was down, before the first page
  const rolled = await refreshDirty(db);
  if (rolled.villages) process.stdout.write(`汇总表已更新 / rollups refreshed: ${rolled.villages} 个村 villages, ${rolled.rows} 行 rows, ${(rolled.ms / 1000).toFixed(1)} s\n`);
  // The structured log (logging.ts) is on unless JINGZHUN_LOG=0.
  const app = await buildApp({ db, logger: process.env.JINGZHUN_LOG !== '0' });
  await app.listen({ port: opts.port, host: opts.host });
  const shown = opts.host === '0.0.0.0' ? 'localhost' : opts.host;
  process.stdout.write(`\n精准 Jingzhun 已启动 / running (${db.engine}${db.dataDir ? `: ${db.dataDir}` : ''}, ${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
  process.stdout.write(`  http://${shown}:${opts.port}/\n  API 文档 docs: http://${shown}:${opts.port}/api/docs\n`);
  printDemo(accounts);
  const scheduler = startMonitoringScheduler(db, { schedule, log: (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`) });
  const next = scheduler.next();
  const s = describeSchedule(schedule);
  process.stdout.write(`  ${s.zh} / ${s.en}${next ? `; 下次 next ${next.toISOString()}` : ''}\n`);
  let closing = false;
  const stop = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: no new connections, finishing requests in flight');
    // A request that never ends (a stuck client) must not keep the process alive for ever.
    const graceMs = Number(process.env.JINGZHUN_SHUTDOWN_TIMEOUT_MS) || 30_000;
    const force = setTimeout(() => {
      app.log.error({ graceMs }, 'shutdown took too long; exiting');
      process.exit(1);
    }, graceMs);
    force.unref();
    let code = 0;
    try {
      await stopServing(app, scheduler);
    } catch (err) {
      app.log.error({ err }, 'error while stopping');
      code = 1;
    }
    try {
      await db.close(); // releases the PGlite data dir lock
    } catch (err) {
      app.log.error({ err }, 'error while closing the database');
      code = 1;
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
