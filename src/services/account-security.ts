// Issue 7, accounts: failed-login counting and lockout, password change, logout everywhere, and the
// optional TOTP second factor. Policy values live in domain/account-policy.ts; the clock and the
// delay on refusals are injectable (accountRuntime) so tests run fast and can move time.
import { createHash, randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import type { Db, Sql } from '../db/client.js';
import { AppError, Conflict, Forbidden, ValidationError, type FieldIssue } from '../domain/errors.js';
import { FAILED_LOGIN_DELAY_MS, LOCKOUT_FAILURES, lockDelayMs, lockedMessage, passwordIssues, SESSION_HOURS, TOTP_ROLES } from '../domain/account-policy.js';
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

/**
 * The account a login names. Usernames are unique regardless of case (createUser checks lower(name)),
 * so the lookup compares lower(); should two legacy rows differ only in case, the exact spelling wins.
 */
export async function accountByName(db: Pick<Db, 'query'>, username: string): Promise<AccountRow | undefined> {
  const [u] = await db.query<AccountRow>(
    `SELECT id, username, role, area_code, password_hash, disabled, failed_logins, locked_until, must_change_password, totp_secret, totp_enabled
       FROM users WHERE lower(username) = lower($1) ORDER BY (username = $1) DESC, id LIMIT 1`,
    [username],
  );
  return u && { ...u, locked_until: u.locked_until && new Date(u.locked_until) };
}

export async function accountById(db: Pick<Db, 'query'>, id: number): Promise<AccountRow> {
  const [u] = await db.query<AccountRow>(
    `SELECT id, username, role, area_code, password_hash, disabled, failed_logins, locked_until, must_change_password, totp_secret, totp_enabled
       FROM users WHERE id = $1`,
    [id],
  );
  return { ...u!, locked_until: u!.locked_until && new Date(u!.locked_until) };
}

export const actorOf = (u: AccountRow): Actor => ({ id: u.id, username: u.username, role: u.role, areaCode: u.area_code });

/** The lock in force at `now`, if any. */
export function lockOf(u: Pick<AccountRow, 'locked_until'>, now: Date): Date | undefined {
  return u.locked_until && u.locked_until.getTime() > now.getTime() ? u.locked_until : undefined;
}

// ---- counting attempts
//
// Every check of a secret (password, second-factor code) is first claimed as a failure by one atomic
// UPDATE … RETURNING, before argon2 runs: it counts the attempt and, when the count reaches a multiple
// of LOCKOUT_FAILURES, sets the lock in the same statement, and it matches nothing while a lock is in
// force. N parallel wrong passwords therefore get at most the allowed attempts before 423, however the
// hashing interleaves. A right answer gives its claim back (releaseClaim) or resets the count.

/** Lock lengths by round (n / LOCKOUT_FAILURES), up to the round where they stop growing; read by the SQL. */
const LOCK_ROUNDS_MS: number[] = (() => {
  const out: number[] = [];
  for (let r = 1; r <= 30; r++) {
    out.push(lockDelayMs(r * LOCKOUT_FAILURES));
    if (r > 1 && out[r - 1] === out[r - 2]) break;
  }
  return out;
})();

export interface Claim {
  /** The failure count including this attempt. */
  n: number;
  /** The lock this attempt set (it was the LOCKOUT_FAILURES-th), if any. */
  lockedUntil: Date | null;
}

/** Claims one attempt for the account; { locked } when a lock is in force (nothing counted). */
export async function claimAttempt(db: Pick<Db, 'query'>, userId: number): Promise<Claim | { locked: Date }> {
  const now = accountRuntime.now();
  const [r] = await db.query<{ n: number; locked_until: Date | string | null; lock_set: boolean }>(
    `UPDATE users
        SET failed_logins = failed_logins + 1,
            locked_until = CASE WHEN (failed_logins + 1) % $3::int = 0
              THEN $2::timestamptz + ($4::int[])[least((failed_logins + 1) / $3::int, cardinality($4::int[]))] * interval '1 millisecond'
              ELSE locked_until END
      WHERE id = $1 AND NOT disabled AND (locked_until IS NULL OR locked_until <= $2::timestamptz)
      RETURNING failed_logins AS n, locked_until, (failed_logins % $3::int = 0) AS lock_set`,
    [userId, now, LOCKOUT_FAILURES, LOCK_ROUNDS_MS],
  );
  if (r) return { n: r.n, lockedUntil: r.lock_set && r.locked_until ? new Date(r.locked_until) : null };
  const [l] = await db.query<{ locked_until: Date | string | null }>('SELECT locked_until FROM users WHERE id = $1', [userId]);
  const until = l?.locked_until ? new Date(l.locked_until) : undefined;
  // Disabled (or deleted) meanwhile: answered like a lock that ends now; sessions of it are refused anyway.
  return { locked: until && until.getTime() > now.getTime() ? until : now };
}

/** Gives a claim back after a right answer that does not end in a reset (second step pending, TOTP enrol/disable). */
export async function releaseClaim(db: Pick<Db, 'query'>, userId: number, c: Claim): Promise<void> {
  await db.query(
    `UPDATE users SET failed_logins = greatest(failed_logins - 1, 0),
                      locked_until = CASE WHEN locked_until = $2::timestamptz THEN NULL ELSE locked_until END
      WHERE id = $1`,
    [userId, c.lockedUntil],
  );
}

/** Audits a claimed attempt that turned out wrong (and the lock it set). Returns that lock, if any. */
export async function recordFailure(db: Db, u: AccountRow, c: Claim, reason: string): Promise<Date | undefined> {
  await db.transaction(async (tx) => {
    await audit(tx, actorOf(u), { action: 'login_failed', entity: 'users', entityId: u.id, after: { failures: c.n }, note: reason });
    if (c.lockedUntil) {
      const until = c.lockedUntil;
      const minutes = Math.round((until.getTime() - accountRuntime.now().getTime()) / 60_000);
      await audit(tx, actorOf(u), { action: 'lockout', entity: 'users', entityId: u.id, after: { failures: c.n, lockedUntil: until.toISOString(), minutes } });
    }
  });
  return c.lockedUntil ?? undefined;
}

/**
 * Checks a signed-in actor's current password and/or a second-factor code as one counted attempt.
 * Locked: AccountLocked. Wrong: counted, audited, delayed, then AccountLocked (when this attempt set
 * the lock) or a ValidationError naming the wrong fields, followed by `moreIssues`. Right: the claim
 * (to release or reset) and, for a code, the new sealed state recording its step.
 */
async function proveCurrent(
  db: Db, u: AccountRow, reason: string,
  check: { password?: string; code?: string; moreIssues?: FieldIssue[] },
): Promise<{ claim: Claim; totpNext?: string }> {
  const claim = await claimAttempt(db, u.id);
  if ('locked' in claim) throw new AccountLocked(claim.locked);
  const issues: FieldIssue[] = [];
  if (check.password !== undefined && !(await argon2.verify(u.password_hash, check.password).catch(() => false))) {
    issues.push({ field: 'currentPassword', zh: '原密码不正确', en: 'The current password is wrong' });
  }
  let totpNext: string | undefined;
  if (check.code !== undefined) {
    totpNext = u.totp_secret ? checkTotpCode(u.id, u.totp_secret, check.code) : undefined;
    if (!totpNext) issues.push(totpCodeIssue());
  }
  if (issues.length) {
    const until = await recordFailure(db, u, claim, reason);
    await accountRuntime.sleep(accountRuntime.failDelayMs);
    if (until) throw new AccountLocked(until);
    throw new ValidationError([...issues, ...(check.moreIssues ?? [])]);
  }
  return { claim, ...(totpNext ? { totpNext } : {}) };
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

/**
 * Starts enrolment: a new seed, stored sealed but not yet in force until confirmTotp. Needs the
 * current password (a stolen session alone cannot bind the thief's authenticator); a wrong one counts
 * towards the lockout.
 */
export async function enrolTotp(ctx: Ctx, currentPassword: string): Promise<{ secret: string; uri: string }> {
  const id = requireTotpRole(ctx);
  const u = await accountById(ctx.db, id);
  if (u.totp_enabled) throw new Conflict({ zh: '已启用动态验证码；如需更换，请先停用', en: 'A second factor is already enabled; disable it first to replace it' });
  const { claim } = await proveCurrent(ctx.db, u, 'wrong current password (second-factor enrolment)', { password: currentPassword });
  await releaseClaim(ctx.db, id, claim);
  const seed = randomBytes(20);
  return ctx.db.transaction(async (tx) => {
    const [r] = await tx.query('UPDATE users SET totp_secret = $2 WHERE id = $1 AND NOT totp_enabled RETURNING 1', [id, sealTotp(id, { k: base32Encode(seed) })]);
    if (!r) throw new Conflict({ zh: '已启用动态验证码；如需更换，请先停用', en: 'A second factor is already enabled; disable it first to replace it' });
    await audit(tx, ctx.actor, { action: 'totp_enrol', entity: 'users', entityId: id });
    return { secret: base32Encode(seed), uri: otpauthUri(seed, u.username) };
  });
}

/** Puts the enrolled seed in force once a first code from the app matches it; a wrong code counts towards the lockout. */
export async function confirmTotp(ctx: Ctx, code: string): Promise<{ totpEnabled: true }> {
  const id = requireTotpRole(ctx);
  const u = await accountById(ctx.db, id);
  if (u.totp_enabled) throw new Conflict({ zh: '动态验证码已启用', en: 'The second factor is already enabled' });
  if (!u.totp_secret) throw new ValidationError([{ field: 'code', zh: '请先开始绑定验证器', en: 'Start the enrolment first' }]);
  const { claim, totpNext } = await proveCurrent(ctx.db, u, 'wrong second-factor code (enrolment)', { code });
  await releaseClaim(ctx.db, id, claim);
  return ctx.db.transaction(async (tx) => {
    if (!(await storeTotpState(tx, id, u.totp_secret!, totpNext!))) throw new ValidationError([totpCodeIssue()]);
    await tx.query('UPDATE users SET totp_enabled = true WHERE id = $1', [id]);
    await audit(tx, ctx.actor, { action: 'totp_enable', entity: 'users', entityId: id });
    return { totpEnabled: true };
  });
}

/** Turns the second factor off; needs the current password and a current code (one counted attempt). */
export async function disableTotp(ctx: Ctx, input: { currentPassword: string; code: string }): Promise<{ totpEnabled: false }> {
  if (ctx.actor.id === null) throw new Forbidden();
  const id = ctx.actor.id;
  const u = await accountById(ctx.db, id);
  if (!u.totp_enabled || !u.totp_secret) throw new Conflict({ zh: '未启用动态验证码', en: 'No second factor is enabled' });
  const { claim } = await proveCurrent(ctx.db, u, 'wrong password or second-factor code (disabling it)', { password: input.currentPassword, code: input.code });
  await releaseClaim(ctx.db, id, claim);
  return ctx.db.transaction(async (tx) => {
    // Only the state the code was checked against: a concurrent use of the same code finds nothing.
    const [r] = await tx.query('UPDATE users SET totp_secret = NULL, totp_enabled = false WHERE id = $1 AND totp_secret = $2 RETURNING 1', [id, u.totp_secret]);
    if (!r) throw new ValidationError([totpCodeIssue()]);
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
 * lockout), the new one must follow the rules and differ from it. Clears the forced-change flag, ends
 * every session of the user and re-issues the one making the change under a new token (same absolute
 * limit), so a token seen before the change is worth nothing after it.
 */
export async function changePassword(
  ctx: Ctx, currentToken: string, input: PasswordChange,
): Promise<{ otherSessionsEnded: number; token: string; expiresAt: Date }> {
  if (ctx.actor.id === null) throw new Forbidden();
  const u = await accountById(ctx.db, ctx.actor.id);
  const issues = passwordIssues(input.newPassword, 'newPassword');
  if (input.newPassword === input.currentPassword) {
    issues.push({ field: 'newPassword', zh: '新密码不能与原密码相同', en: 'The new password must differ from the current one' });
  }
  const { claim } = await proveCurrent(ctx.db, u, 'wrong current password (password change)', { password: input.currentPassword, moreIssues: issues });
  if (issues.length) {
    await releaseClaim(ctx.db, u.id, claim);
    throw new ValidationError(issues);
  }
  const hash = await hashPassword(input.newPassword);
  const now = accountRuntime.now();
  const token = randomBytes(32).toString('base64url');
  return ctx.db.transaction(async (tx) => {
    await tx.query(
      'UPDATE users SET password_hash = $2, must_change_password = false, password_changed_at = $3, failed_logins = 0, locked_until = NULL WHERE id = $1',
      [u.id, hash, now],
    );
    const ended = await tx.query<{ token_hash: string; created_at: Date | string; expires_at: Date | string }>(
      'DELETE FROM sessions WHERE user_id = $1 RETURNING token_hash, created_at, expires_at', [u.id],
    );
    const mine = ended.find((s) => s.token_hash === tokenHash(currentToken));
    const expiresAt = mine ? new Date(mine.expires_at) : new Date(now.getTime() + SESSION_HOURS * 3600_000);
    await tx.query(
      'INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
      [tokenHash(token), u.id, mine ? new Date(mine.created_at) : now, now, expiresAt],
    );
    const others = ended.length - (mine ? 1 : 0);
    await audit(tx, ctx.actor, { action: 'password_change', entity: 'users', entityId: u.id, after: { otherSessionsEnded: others, sessionReissued: true, wasForced: u.must_change_password } });
    return { otherSessionsEnded: others, token, expiresAt };
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
