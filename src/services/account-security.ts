// Issue 7, accounts: failed-login counting and lockout, password change, logout everywhere, and the
// optional TOTP second factor. Policy values live in domain/account-policy.ts; the clock and the
// delay on refusals are injectable (accountRuntime) so tests run fast and can move time.
import { createHash, randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import type { Db, Sql } from '../db/client.js';
import { AppError, Conflict, Forbidden, ValidationError, type FieldIssue } from '../domain/errors.js';
import { FAILED_LOGIN_DELAY_MS, lockDelayMs, lockedMessage, passwordIssues, TOTP_ROLES } from '../domain/account-policy.js';
import { base32Decode, base32Encode, otpauthUri, verifyTotp } from '../domain/totp.js';
import type { Role } from '../domain/roles.js';
import { audit, type Actor, type Ctx } from './context.js';
import { open, seal } from './secret-box.js';

export const accountRuntime = {
  now: (): Date => new Date(),
  /** Waited on every refused login and wrong current password. */
  failDelayMs: FAILED_LOGIN_DELAY_MS,
  sleep: (ms: number): Promise<void> => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve()),
};

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export const hashPassword = (pw: string) => argon2.hash(pw, { type: argon2.argon2id });

export class AccountLocked extends AppError {
  constructor(readonly until: Date) {
    super(423, 'account_locked', lockedMessage(until));
  }
}

export interface AccountRow {
  id: number;
  username: string;
  role: Role;
  area_code: string;
  password_hash: string;
  disabled: boolean;
  failed_logins: number;
  locked_until: Date | null;
  must_change_password: boolean;
  totp_secret: string | null;
  totp_enabled: boolean;
}

export async function accountByName(db: Pick<Db, 'query'>, username: string): Promise<AccountRow | undefined> {
  const [u] = await db.query<AccountRow>(
    `SELECT id, username, role, area_code, password_hash, disabled, failed_logins, locked_until, must_change_password, totp_secret, totp_enabled
       FROM users WHERE username = $1`,
    [username],
  );
  return u && { ...u, locked_until: u.locked_until && new Date(u.locked_until) };
}

async function accountById(db: Pick<Db, 'query'>, id: number): Promise<AccountRow> {
  const [u] = await db.query<{ username: string }>('SELECT username FROM users WHERE id = $1', [id]);
  return (await accountByName(db, u!.username))!;
}

export const actorOf = (u: AccountRow): Actor => ({ id: u.id, username: u.username, role: u.role, areaCode: u.area_code });

/** The lock in force at `now`, if any. */
export function lockOf(u: AccountRow, now: Date): Date | undefined {
  return u.locked_until && u.locked_until.getTime() > now.getTime() ? u.locked_until : undefined;
}

/**
 * Counts one failure (wrong password, wrong code, wrong current password) and locks the account
 * when the count reaches a multiple of LOCKOUT_FAILURES. Audited. Returns the new lock, if any.
 */
export async function recordFailure(db: Db, u: AccountRow, reason: string): Promise<Date | undefined> {
  const now = accountRuntime.now();
  return db.transaction(async (tx) => {
    const [r] = await tx.query<{ n: number }>('UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins AS n', [u.id]);
    const n = r!.n;
    const delay = lockDelayMs(n);
    await audit(tx, actorOf(u), { action: 'login_failed', entity: 'users', entityId: u.id, after: { failures: n }, note: reason });
    if (!delay) return undefined;
    const until = new Date(now.getTime() + delay);
    await tx.query('UPDATE users SET locked_until = $2 WHERE id = $1', [u.id, until]);
    await audit(tx, actorOf(u), { action: 'lockout', entity: 'users', entityId: u.id, after: { failures: n, lockedUntil: until.toISOString(), minutes: delay / 60_000 } });
    return until;
  });
}

// ---- TOTP state: the seed and the last step used (so a code cannot be replayed), sealed together.

interface TotpState {
  /** base32 seed */
  k: string;
  /** last accepted time step */
  u?: number;
}

const totpContext = (userId: number) => `users:${userId}`;
const sealTotp = (userId: number, s: TotpState) => seal('totp', totpContext(userId), Buffer.from(JSON.stringify(s)));
const openTotp = (userId: number, sealed: string): TotpState => JSON.parse(open('totp', totpContext(userId), sealed).toString('utf8')) as TotpState;
/**
 * Checks a code against the sealed state: the new sealed state (with the step recorded) when the code
 * is right and not a replay of an already used step, else undefined.
 */
export function checkTotpCode(userId: number, sealed: string, code: string): string | undefined {
  const s = openTotp(userId, sealed);
  const step = verifyTotp(base32Decode(s.k)!, code, accountRuntime.now().getTime());
  if (step === undefined || (s.u !== undefined && step <= s.u)) return undefined;
  return sealTotp(userId, { ...s, u: step });
}

const totpCodeIssue = (field = 'code'): FieldIssue => ({
  field,
  zh: '动态验证码不正确或已用过，请输入验证器应用当前显示的 6 位数字',
  en: 'The code is wrong or was already used; enter the 6 digits your authenticator app shows now',
});

function requireTotpRole(ctx: Ctx): number {
  if (ctx.actor.id === null) throw new Forbidden();
  if (!TOTP_ROLES.includes(ctx.actor.role)) {
    throw new Forbidden({ zh: '只有市级管理员和旗县扶贫办账号可以启用动态验证码', en: 'Only city administrator and county office accounts can enable a second factor' });
  }
  return ctx.actor.id;
}

/** Starts enrolment: a new seed, stored sealed but not yet in force until confirmTotp. */
export async function enrolTotp(ctx: Ctx): Promise<{ secret: string; uri: string }> {
  const id = requireTotpRole(ctx);
  const seed = randomBytes(20);
  return ctx.db.transaction(async (tx) => {
    const u = await accountById(tx, id);
    if (u.totp_enabled) throw new Conflict({ zh: '已启用动态验证码；如需更换，请先停用', en: 'A second factor is already enabled; disable it first to replace it' });
    await tx.query('UPDATE users SET totp_secret = $2 WHERE id = $1', [id, sealTotp(id, { k: base32Encode(seed) })]);
    await audit(tx, ctx.actor, { action: 'totp_enrol', entity: 'users', entityId: id });
    return { secret: base32Encode(seed), uri: otpauthUri(seed, u.username) };
  });
}

/** Puts the enrolled seed in force once a first code from the app matches it. */
export async function confirmTotp(ctx: Ctx, code: string): Promise<{ totpEnabled: true }> {
  const id = requireTotpRole(ctx);
  return ctx.db.transaction(async (tx) => {
    const u = await accountById(tx, id);
    if (u.totp_enabled) throw new Conflict({ zh: '动态验证码已启用', en: 'The second factor is already enabled' });
    if (!u.totp_secret) throw new ValidationError([{ field: 'code', zh: '请先开始绑定验证器', en: 'Start the enrolment first' }]);
    const next = checkTotpCode(id, u.totp_secret, code);
    if (!next) throw new ValidationError([totpCodeIssue()]);
    await tx.query('UPDATE users SET totp_secret = $2, totp_enabled = true WHERE id = $1', [id, next]);
    await audit(tx, ctx.actor, { action: 'totp_enable', entity: 'users', entityId: id });
    return { totpEnabled: true };
  });
}

/** Turns the second factor off; needs a current code. */
export async function disableTotp(ctx: Ctx, code: string): Promise<{ totpEnabled: false }> {
  if (ctx.actor.id === null) throw new Forbidden();
  const id = ctx.actor.id;
  return ctx.db.transaction(async (tx) => {
    const u = await accountById(tx, id);
    if (!u.totp_enabled || !u.totp_secret) throw new Conflict({ zh: '未启用动态验证码', en: 'No second factor is enabled' });
    if (!checkTotpCode(id, u.totp_secret, code)) throw new ValidationError([totpCodeIssue()]);
    await tx.query('UPDATE users SET totp_secret = NULL, totp_enabled = false WHERE id = $1', [id]);
    await audit(tx, ctx.actor, { action: 'totp_disable', entity: 'users', entityId: id });
    return { totpEnabled: false };
  });
}

/**
 * Stores the state after a login's accepted code (records the used step), only if nobody stored
 * another since it was read; false when a concurrent login with the same code got there first.
 */
export async function storeTotpState(tx: Sql, userId: number, read: string, next: string): Promise<boolean> {
  const r = await tx.query('UPDATE users SET totp_secret = $3 WHERE id = $1 AND totp_secret = $2 RETURNING 1', [userId, read, next]);
  return r.length === 1;
}

// ---- password change and logout everywhere

export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
}

/**
 * Changes the actor's own password: the current one must be right (a wrong one counts towards the
 * lockout), the new one must follow the rules and differ from it. Clears the forced-change flag and
 * ends every other session of the user; the one making the change stays.
 */
export async function changePassword(ctx: Ctx, currentToken: string, input: PasswordChange): Promise<{ otherSessionsEnded: number }> {
  if (ctx.actor.id === null) throw new Forbidden();
  const u = await accountById(ctx.db, ctx.actor.id);
  const locked = lockOf(u, accountRuntime.now());
  if (locked) throw new AccountLocked(locked);
  const issues = passwordIssues(input.newPassword, 'newPassword');
  if (input.newPassword === input.currentPassword) {
    issues.push({ field: 'newPassword', zh: '新密码不能与原密码相同', en: 'The new password must differ from the current one' });
  }
  const currentOk = await argon2.verify(u.password_hash, input.currentPassword).catch(() => false);
  if (!currentOk) {
    issues.unshift({ field: 'currentPassword', zh: '原密码不正确', en: 'The current password is wrong' });
    const until = await recordFailure(ctx.db, u, 'wrong current password (password change)');
    await accountRuntime.sleep(accountRuntime.failDelayMs);
    if (until) throw new AccountLocked(until);
  }
  if (issues.length) throw new ValidationError(issues);
  const hash = await hashPassword(input.newPassword);
  return ctx.db.transaction(async (tx) => {
    await tx.query(
      'UPDATE users SET password_hash = $2, must_change_password = false, password_changed_at = $3, failed_logins = 0, locked_until = NULL WHERE id = $1',
      [u.id, hash, accountRuntime.now()],
    );
    const ended = await tx.query('DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2 RETURNING 1', [u.id, tokenHash(currentToken)]);
    await audit(tx, ctx.actor, { action: 'password_change', entity: 'users', entityId: u.id, after: { otherSessionsEnded: ended.length, wasForced: u.must_change_password } });
    return { otherSessionsEnded: ended.length };
  });
}

/** Ends every session of the actor (this one included). */
export async function logoutAll(ctx: Ctx): Promise<{ sessionsEnded: number }> {
  if (ctx.actor.id === null) throw new Forbidden();
  const id = ctx.actor.id;
  return ctx.db.transaction(async (tx) => {
    const ended = await tx.query('DELETE FROM sessions WHERE user_id = $1 RETURNING 1', [id]);
    await audit(tx, ctx.actor, { action: 'logout_all', entity: 'users', entityId: id, after: { sessionsEnded: ended.length } });
    return { sessionsEnded: ended.length };
  });
}
