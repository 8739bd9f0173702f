// Account security policy (issue 7): password rules, lockout, session lifetimes, and their messages.
// Pure values and rules; services/users.ts and services/account-security.ts apply them.
import type { FieldIssue, Msg } from './errors.js';
import type { Role } from './roles.js';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;
/** Of upper case, lower case, digits and symbols, a password needs at least this many. */
export const PASSWORD_MIN_CLASSES = 3;

/** Consecutive failures (wrong password or wrong second-factor code) that lock the account. */
export const LOCKOUT_FAILURES = 5;
/** The first lock lasts this long; each further lock (every LOCKOUT_FAILURES more failures) doubles it, up to LOCKOUT_MAX_MS. */
export const LOCKOUT_BASE_MS = 5 * 60_000;
export const LOCKOUT_MAX_MS = 60 * 60_000;
/** Added to every refused login (slows guessing); the services make it injectable for tests. */
export const FAILED_LOGIN_DELAY_MS = 300;

/** Absolute session lifetime. */
export const SESSION_HOURS = 12;
/** A session with no request for this long ends. */
export const SESSION_IDLE_MINUTES = 30;
/** last_seen_at is written at most this often, not on every request. */
export const SESSION_TOUCH_SECONDS = 60;

/** Roles that may (optionally) add a TOTP second factor. */
export const TOTP_ROLES: readonly Role[] = ['city_admin', 'county_office'];

export function passwordIssues(pw: string, field = 'password'): FieldIssue[] {
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(pw)).length;
  if (pw.length < PASSWORD_MIN_LENGTH || classes < PASSWORD_MIN_CLASSES) {
    return [{
      field,
      zh: '密码至少 10 位，并包含大写字母、小写字母、数字、符号中的至少三类',
      en: 'Password must be at least 10 characters with at least three of: upper case, lower case, digits, symbols',
    }];
  }
  if (pw.length > PASSWORD_MAX_LENGTH) {
    return [{ field, zh: `密码不能超过 ${PASSWORD_MAX_LENGTH} 位`, en: `Password must be at most ${PASSWORD_MAX_LENGTH} characters` }];
  }
  return [];
}

/**
 * How long to lock after `failures` consecutive failures, or 0 for no lock: every LOCKOUT_FAILURES-th
 * failure locks, for 5 min, 10, 20, 40, then 60 min at most. A success resets the count.
 */
export function lockDelayMs(failures: number): number {
  if (failures < LOCKOUT_FAILURES || failures % LOCKOUT_FAILURES !== 0) return 0;
  const round = failures / LOCKOUT_FAILURES - 1;
  return Math.min(LOCKOUT_BASE_MS * 2 ** Math.min(round, 20), LOCKOUT_MAX_MS);
}

/** China time, to the minute, for messages (the offices all work in UTC+8). */
export function chinaTime(d: Date): string {
  const t = new Date(d.getTime() + 8 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${t.getUTCFullYear()}-${p(t.getUTCMonth() + 1)}-${p(t.getUTCDate())} ${p(t.getUTCHours())}:${p(t.getUTCMinutes())}`;
}

export function lockedMessage(until: Date): Msg {
  // Round up so "until 10:05" never means a refusal at 10:05:30.
  const shown = new Date(Math.ceil(until.getTime() / 60_000) * 60_000);
  return {
    zh: `登录失败次数过多，账号已锁定至 ${chinaTime(shown)}（北京时间），请届时再试或联系管理员`,
    en: `Too many failed logins: the account is locked until ${chinaTime(shown)} (China time); try again then or contact your administrator`,
  };
}

export const mustChangeMessage: Msg = {
  zh: '请先修改初始密码（在“我的账号”或登录页修改），修改后才能使用其他功能',
  en: 'Change your initial password first (on the login page or under My account); other functions are available after that',
};

export const sessionEndedMessage: Record<'idle' | 'absolute', Msg> = {
  idle: { zh: `超过 ${SESSION_IDLE_MINUTES} 分钟未操作，会话已结束，请重新登录`, en: `No activity for ${SESSION_IDLE_MINUTES} minutes: the session has ended; please log in again` },
  absolute: { zh: `会话已满 ${SESSION_HOURS} 小时，已结束，请重新登录`, en: `The session reached its ${SESSION_HOURS}-hour limit and has ended; please log in again` },
};
