// How the CLI shows things: tables for people, JSON for scripts, progress only on a terminal,
// and the one place where errors become messages and exit codes.
import cliProgress from 'cli-progress';
import { AppError, ValidationError } from '../domain/errors.js';
import { DataDirLockedError } from '../db/client.js';
import { DEMO_PASSWORD } from '../services/users.js';
import { FileError, fileReason } from './file-error.js';

/** Display width: CJK and full-width characters take two columns. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    w += (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) || c >= 0x20000 ? 2 : 1;
  }
  return w;
}

const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - displayWidth(s)));

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function table(rows: readonly any[], columns: { key: string; title: string }[]): string {
  const cells = rows.map((r) => columns.map((c) => (r[c.key] == null ? '' : String(r[c.key]))));
  const widths = columns.map((c, i) => Math.max(displayWidth(c.title), ...cells.map((row) => displayWidth(row[i]!))));
  const line = (vals: string[]) => vals.map((v, i) => pad(v, widths[i]!)).join('  ').trimEnd();
  return [line(columns.map((c) => c.title)), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

export function print(opts: { json?: boolean }, data: unknown, human: () => string): void {
  process.stdout.write(`${opts.json ? JSON.stringify(data, null, 2) : human()}\n`);
}

/** A progress reporter: a bar on a terminal, silent when piped. */
export function progress(): { update: (phase: string, done: number, total: number) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { format: '{phase} [{bar}] {percentage}% {value}/{total}', stream: process.stderr, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  let current = '';
  return {
    update(phase, done, total) {
      if (phase !== current) {
        if (current) bar.stop();
        current = phase;
        bar.start(total, done, { phase });
      } else bar.update(done, { phase });
      if (total !== bar.getTotal()) bar.setTotal(total);
    },
    stop() {
      if (current) bar.stop();
    },
  };
}

/** Prints an error for a person (zh, then en, then each issue) and returns the exit code. */
export function reportError(e: unknown): number {
  if (e instanceof ValidationError) {
    process.stderr.write(`错误：${e.msg.zh}\nError: ${e.msg.en}\n`);
    const shown = e.issues.slice(0, 200);
    for (const i of shown) {
      const where = [i.row ? `第 ${i.row} 行 row ${i.row}` : '', i.column ? `列「${i.column}」` : '', i.field && i.field !== i.column ? `字段 ${i.field}` : '']
        .filter(Boolean)
        .join(' ');
      process.stderr.write(`  - ${where ? `${where}: ` : ''}${i.zh} / ${i.en}${i.value !== undefined ? `（值 value: ${i.value}）` : ''}\n`);
    }
    if (e.issues.length > shown.length) process.stderr.write(`  … 另有 ${e.issues.length - shown.length} 条 / ${e.issues.length - shown.length} more\n`);
    return 1;
  }
  if (e instanceof AppError) {
    process.stderr.write(`错误：${e.msg.zh}\nError: ${e.msg.en}\n`);
    return e.status === 404 ? 4 : 1;
  }
  if (e instanceof DataDirLockedError) {
    process.stderr.write(`${e.message}\n`);
    return 3;
  }
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'ECONNREFUSED') {
    process.stderr.write(`无法连接数据库（DATABASE_URL）；请确认 PostgreSQL 已启动\nCannot reach the database (DATABASE_URL); is PostgreSQL running?\n${err.message}\n`);
    return 3;
  }
  if (err?.code === 'ENOENT') {
    process.stderr.write(`找不到文件：${err.path ?? ''}\nFile not found: ${err.path ?? ''}\n`);
    return 2;
  }
  // A file that exists but cannot be read or written (a directory, no permission, …): exit code 2
  // like a missing file, with the file and the reason, not an internal error.
  if (e instanceof FileError) {
    process.stderr.write(`错误：${e.msg.zh}\nError: ${e.msg.en}\n`);
    return 2;
  }
  const reason = typeof err?.path === 'string' ? fileReason(err.code) : null;
  if (reason) {
    process.stderr.write(`错误：无法访问文件 ${err.path}：${reason.zh}\nError: Cannot access the file ${err.path}: ${reason.en}\n`);
    return 2;
  }
  process.stderr.write(`内部错误 Internal error: ${err?.stack ?? String(e)}\n`);
  return 70;
}

export function printDemo(accounts: { username: string; role: string; areaCode: string }[]) {
  if (!accounts.length) return;
  process.stdout.write(`\n演示账号（密码均为 ${DEMO_PASSWORD}）/ demo accounts (password ${DEMO_PASSWORD}):\n`);
  process.stdout.write(`${table(accounts, [{ key: 'username', title: '用户名' }, { key: 'role', title: '角色' }, { key: 'areaCode', title: '区划' }])}\n`);
}
