// The scheduled relapse-monitoring scan: every county in turn, each its own scan (one transaction
// and one audit row per county), so one county's failure neither rolls back nor stops the others.
// Run on a schedule by the server (jobs/scheduler.ts, JINGZHUN_MONITOR_SCAN), and inline in tests.
import type { Db } from '../db/client.js';
import { AppError } from '../domain/errors.js';
import { systemActor, type Actor } from '../services/context.js';
import { countiesToScan, runMonitoringScan, type ScanResult } from '../services/monitoring/scan.js';

export interface MonitoringJobResult {
  startedAt: string;
  elapsedMs: number;
  counties: { county: string; result?: ScanResult; error?: { zh: string; en: string } }[];
  totals: { found: number; new: number; known: number };
  /** True when `signal` stopped the job before every county was scanned. */
  stopped?: boolean;
}

export async function runMonitoringScanJob(
  db: Db,
  opts: {
    year?: number; now?: Date | string; actor?: Actor; onCounty?: (county: string, done: number, total: number) => void;
    /** Checked between counties: a server shutting down stops after the county being scanned. */
    signal?: AbortSignal;
  } = {},
): Promise<MonitoringJobResult> {
  const started = Date.now();
  const ctx = { db, actor: opts.actor ?? systemActor('job:monitoring-scan') };
  const counties = await countiesToScan(ctx);
  const out: MonitoringJobResult = { startedAt: new Date(started).toISOString(), elapsedMs: 0, counties: [], totals: { found: 0, new: 0, known: 0 } };
  let done = 0;
  for (const county of counties) {
    if (opts.signal?.aborted) {
      out.stopped = true;
      break;
    }
    opts.onCounty?.(county, done++, counties.length);
    try {
      const result = await runMonitoringScan(ctx, { area: county, year: opts.year, now: opts.now });
      out.counties.push({ county, result });
      out.totals.found += result.totals.found;
      out.totals.new += result.totals.new;
      out.totals.known += result.totals.known;
    } catch (e) {
      // Reported with the county, not fatal: the other counties still get scanned.
      const why = e instanceof Error ? e.message : String(e);
      out.counties.push({ county, error: e instanceof AppError ? e.msg : { zh: `内部错误：${why}`, en: `Internal error: ${why}` } });
    }
  }
  out.elapsedMs = Date.now() - started;
  return out;
}
