// The server's schedule for the relapse-monitoring scan (runMonitoringScanJob): once a day at a
// China-time clock time from JINGZHUN_MONITOR_SCAN ("02:30" by default, "off" to disable). One run
// at a time: a tick that finds the previous run still going is skipped and logged. Logs carry
// counts, county codes and timings only, never names or ID numbers. stop() cancels the timer,
// lets the county being scanned finish its transaction, skips the rest, and resolves when done.
import type { Db } from '../db/client.js';
import { AppError, ValidationError } from '../domain/errors.js';
import type { Text } from '../domain/policy-types.js';
import { runMonitoringScanJob, type MonitoringJobResult } from './monitoring-scan.js';

export const MONITOR_SCAN_ENV = 'JINGZHUN_MONITOR_SCAN';
export const DEFAULT_SCAN_TIME = '02:30';
/** China Standard Time is UTC+8 all year (no daylight saving). */
export const CHINA_UTC_OFFSET_MINUTES = 8 * 60;
const DAY_MS = 24 * 60 * 60 * 1000;

export type ScanSchedule =
  | { kind: 'off' }
  | { kind: 'daily'; hour: number; minute: number }
  /** For tests and tools: every `ms` milliseconds (not offered through the environment). */
  | { kind: 'interval'; ms: number };

/** JINGZHUN_MONITOR_SCAN → a schedule: empty → daily at 02:30, "HH:MM" (China time) or "off". */
export function parseScanSchedule(value: string | undefined): ScanSchedule {
  const v = (value ?? '').trim().toLowerCase();
  if (v === 'off') return { kind: 'off' };
  const m = /^(\d{1,2}):(\d{2})$/.exec(v === '' ? DEFAULT_SCAN_TIME : v);
  const hour = Number(m?.[1]);
  const minute = Number(m?.[2]);
  if (!m || hour > 23 || minute > 59) {
    throw new ValidationError([{
      field: MONITOR_SCAN_ENV, value: String(value),
      zh: `${MONITOR_SCAN_ENV}=“${value}”无效：请写每天的北京时间 HH:MM（如 02:30），或 off 关闭定时扫描`,
      en: `${MONITOR_SCAN_ENV}="${value}" is not valid: give a daily China time as HH:MM (e.g. 02:30), or off to disable the scheduled scan`,
    }]);
  }
  return { kind: 'daily', hour, minute };
}

/** The next time strictly after `now` when the clock at UTC+offset shows hour:minute. */
export function nextDailyRun(now: Date, hour: number, minute: number, offsetMinutes = CHINA_UTC_OFFSET_MINUTES): Date {
  const offset = offsetMinutes * 60_000;
  const local = new Date(now.getTime() + offset);
  let at = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), hour, minute) - offset;
  if (at <= now.getTime()) at += DAY_MS;
  return new Date(at);
}

const two = (n: number) => String(n).padStart(2, '0');

export function describeSchedule(s: ScanSchedule): Text {
  if (s.kind === 'off') return { zh: '防返贫监测定时扫描：已关闭', en: 'scheduled monitoring scan: off' };
  if (s.kind === 'interval') return { zh: `防返贫监测定时扫描：每 ${s.ms} 毫秒`, en: `scheduled monitoring scan: every ${s.ms} ms` };
  const t = `${two(s.hour)}:${two(s.minute)}`;
  return { zh: `防返贫监测定时扫描：每天北京时间 ${t}`, en: `scheduled monitoring scan: daily at ${t} China time (UTC+8)` };
}

export interface MonitoringScheduler {
  /** When the next run is due; null when off or stopped. */
  next(): Date | null;
  /** True while a run is going. */
  running(): boolean;
  /** Runs now unless a run is going (then resolves to null without starting another). */
  runNow(): Promise<MonitoringJobResult | null>;
  /** Stops the timer and waits for a run in progress (it stops after the county being scanned). */
  stop(): Promise<void>;
}

export interface SchedulerOptions {
  schedule: ScanSchedule;
  /** One line per event, without personal data. */
  log: (line: string) => void;
  /** The job (default runMonitoringScanJob). */
  job?: typeof runMonitoringScanJob;
  now?: () => Date;
}

function summary(r: MonitoringJobResult): string {
  const failed = r.counties.filter((c) => c.error);
  const scanned = r.counties.length - failed.length;
  const parts = [
    `${scanned} 个旗县 counties scanned`,
    `命中 found ${r.totals.found}`, `新预警 new ${r.totals.new}`, `已有 known ${r.totals.known}`,
    `${(r.elapsedMs / 1000).toFixed(1)} s`,
  ];
  if (r.stopped) parts.push('服务停止，余下旗县未扫描 / stopped by shutdown, remaining counties skipped');
  // County codes and the error's own message (an AppError's is a fixed text); no household data.
  for (const c of failed) parts.push(`${c.county} 失败 failed: ${c.error!.en.slice(0, 200)}`);
  return parts.join('; ');
}

export function startMonitoringScheduler(db: Db, opts: SchedulerOptions): MonitoringScheduler {
  const job = opts.job ?? runMonitoringScanJob;
  const now = opts.now ?? (() => new Date());
  const abort = new AbortController();
  let timer: NodeJS.Timeout | null = null;
  let due: Date | null = null;
  let current: Promise<MonitoringJobResult | null> | null = null;
  let stopped = false;

  const runOnce = (): Promise<MonitoringJobResult | null> => {
    if (current) {
      opts.log('[monitor] 上一次扫描尚未结束，本次跳过 / previous scan still running, this run skipped');
      return Promise.resolve(null);
    }
    opts.log('[monitor] 定时扫描开始 / scheduled scan started');
    current = job(db, { signal: abort.signal })
      .then((r) => {
        opts.log(`[monitor] 定时扫描完成 / scheduled scan finished: ${summary(r)}`);
        return r;
      }, (e: unknown) => {
        const why = e instanceof AppError ? e.msg.en : e instanceof Error ? e.message.slice(0, 200) : String(e);
        opts.log(`[monitor] 定时扫描失败 / scheduled scan failed: ${why}`);
        return null;
      })
      .finally(() => {
        current = null;
      });
    return current;
  };

  const arm = () => {
    if (stopped || opts.schedule.kind === 'off') return;
    const s = opts.schedule;
    const t = now();
    due = s.kind === 'daily' ? nextDailyRun(t, s.hour, s.minute) : new Date(t.getTime() + s.ms);
    timer = setTimeout(() => {
      timer = null;
      void runOnce().finally(arm);
    }, Math.max(0, due.getTime() - t.getTime()));
    // The schedule never keeps the process alive on its own.
    timer.unref();
  };
  arm();

  return {
    next: () => (stopped ? null : due),
    running: () => current !== null,
    runNow: () => runOnce(),
    async stop() {
      stopped = true;
      due = null;
      if (timer) clearTimeout(timer);
      timer = null;
      abort.abort();
      await current;
    },
  };
}
