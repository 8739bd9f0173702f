// Accounts and sessions. Passwords hashed with argon2id; the session cookie carries a random
// token whose sha256 is stored, so the sessions table alone cannot be replayed.
// Issue 7: lockout, forced change, idle/absolute expiry and the TOTP step (see account-security.ts).
import { createHmac, randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { sessions, users } from '../db/schema/index.js';
import { Conflict, Unauthorized, ValidationError, type FieldIssue } from '../domain/errors.js';
import { isRole, roleLabels, type Role } from '../domain/roles.js';
import { lockDelayMs, passwordIssues, SESSION_HOURS, SESSION_IDLE_MINUTES, SESSION_TOUCH_SECONDS, TOTP_ROLES } from '../domain/account-policy.js';
import { audit, inScope, require, type Actor, type Ctx } from './context.js';
import {
  accountByName, accountRuntime, actorOf, AccountLocked, checkTotpCode, claimAttempt, hashPassword, recordFailure, releaseClaim, storeTotpState, tokenHash,
  type AccountRow,
} from './account-security.js';
import { subkey } from './secret-box.js';

export { SESSION_HOURS };

export interface UserView {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  roleLabel: { zh: string; en: string };
  areaCode: string;
  areaName: string | null;
  disabled: boolean;
}

export interface NewUser {
  username: string;
  displayName?: string;
  password: string;
  role: string;
  areaCode: string;
}

export interface CreateUserOptions {
  /**
   * The account must change its password before doing anything else. The API and `jingzhun user add`
   * pass true (an administrator chose the password); the default false serves the demo accounts
   * (published password, see README) and the test factories, which log in and work at once.
   */
  mustChangePassword?: boolean;
}

export async function createUser(ctx: Ctx, input: NewUser, opts: CreateUserOptions = {}): Promise<UserView> {
  require(ctx, 'users.manage');
  const issues: FieldIssue[] = [];
  if (!/^[A-Za-z0-9_.-]{3,64}$/.test(input.username)) {
    issues.push({ field: 'username', value: input.username, zh: '用户名为 3–64 位字母、数字、下划线、点或减号', en: 'Username: 3–64 letters, digits, _ . or -' });
  }
  if (!isRole(input.role)) {
    issues.push({ field: 'role', value: input.role, zh: `未知角色；可选：${Object.keys(roleLabels).join(', ')}`, en: `Unknown role; choose one of: ${Object.keys(roleLabels).join(', ')}` });
  }
  issues.push(...passwordIssues(input.password));
  const [area] = await ctx.db.query<{ code: string }>('SELECT code FROM areas WHERE code = $1', [input.areaCode]);
  if (!area) {
    issues.push({ field: 'areaCode', value: input.areaCode, zh: `区划代码 ${input.areaCode} 不存在`, en: `Area code ${input.areaCode} does not exist` });
  } else if (!inScope(ctx.actor, input.areaCode)) {
    issues.push({ field: 'areaCode', value: input.areaCode, zh: '只能在自己管辖的区划内建账号', en: 'You can only create accounts inside your own area' });
  }
  if (issues.length) throw new ValidationError(issues);
  const role = input.role as Role;
  if (ctx.actor.role !== 'city_admin' && role === 'city_admin') {
    throw new ValidationError([{ field: 'role', zh: '只有市级管理员能创建市级管理员', en: 'Only a city administrator can create another' }]);
  }
  // Evaluation must stay independent of the offices it checks: only the city creates inspector and evaluator accounts.
  if (ctx.actor.role !== 'city_admin' && (role === 'inspector' || role === 'evaluator')) {
    throw new ValidationError([{ field: 'role', value: role, zh: '督查和第三方评估账号只能由市级管理员创建（被评估的旗县、乡镇不能自建评估账号）', en: 'Only a city administrator can create inspector and evaluator accounts (the offices being evaluated cannot create their own evaluators)' }]);
  }
  const hash = await hashPassword(input.password);
  const mustChangePassword = opts.mustChangePassword ?? false;
  return ctx.db.transaction(async (tx) => {
    // Usernames are unique regardless of case ('Admin' and 'admin' would be one person to a reader, and
    // login ignores case). The advisory lock serialises creations of the same name, so two concurrent
    // ones cannot both pass this check (the unique index on lower(username) backs it up).
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('users.username:' || lower($1)))`, [input.username]);
    const [exists] = await tx.query<{ username: string }>('SELECT username FROM users WHERE lower(username) = lower($1) LIMIT 1', [input.username]);
    if (exists) {
      const sameCase = exists.username === input.username;
      throw new Conflict({
        zh: sameCase
          ? `用户名 ${input.username} 已存在，请换一个用户名`
          : `用户名 ${input.username} 与已有的 ${exists.username} 只有大小写不同；用户名不区分大小写，请换一个用户名`,
        en: sameCase
          ? `Username ${input.username} is taken; choose another`
          : `Username ${input.username} differs from the existing ${exists.username} only in letter case; usernames ignore case, so choose another`,
      });
    }
    const [row] = await tx.orm
      .insert(users)
      .values({ username: input.username, displayName: input.displayName ?? input.username, passwordHash: hash, role, areaCode: input.areaCode, mustChangePassword })
      .returning({ id: users.id });
    await audit(tx, ctx.actor, { action: 'create', entity: 'users', entityId: row!.id, after: { username: input.username, role, areaCode: input.areaCode, mustChangePassword } });
    return (await getUserById(tx, row!.id))!;
  });
}

async function getUserById(db: Pick<Db, 'query'>, id: number): Promise<UserView | undefined> {
  const [u] = await db.query<Omit<UserView, 'roleLabel'>>(
    `SELECT u.id, u.username, u.display_name AS "displayName", u.role, u.area_code AS "areaCode", a.name AS "areaName", u.disabled
       FROM users u LEFT JOIN areas a ON a.code = u.area_code WHERE u.id = $1`,
    [id],
  );
  return u && { ...u, roleLabel: roleLabels[u.role] };
}

export async function listUsers(ctx: Ctx): Promise<UserView[]> {
  require(ctx, 'users.manage');
  const rows = await ctx.db.query<Omit<UserView, 'roleLabel'>>(
    `SELECT u.id, u.username, u.display_name AS "displayName", u.role, u.area_code AS "areaCode", a.name AS "areaName", u.disabled
       FROM users u LEFT JOIN areas a ON a.code = u.area_code
      WHERE u.area_code LIKE $1 ORDER BY u.area_code, u.username`,
    [ctx.actor.areaCode === '*' ? '%' : `${ctx.actor.areaCode}%`],
  );
  return rows.map((u) => ({ ...u, roleLabel: roleLabels[u.role] }));
}

// A real argon2id hash of a random password, verified against when the username is unknown or
// disabled, so the answer takes as long as for a real account.
let dummyHash: Promise<string> | undefined;
const dummy = () => (dummyHash ??= hashPassword(randomBytes(16).toString('hex')));

const badLogin = () => new Unauthorized({ zh: '用户名或密码错误', en: 'Wrong username or password' });
const badCode = () => new Unauthorized({ zh: '动态验证码不正确或已用过，请输入验证器应用当前显示的 6 位数字', en: 'The second-factor code is wrong or was already used; enter the 6 digits your authenticator app shows now' });

/** What the client needs to steer the user: forced password change, second factor state. */
export interface SecurityState {
  mustChangePassword: boolean;
  totpEnabled: boolean;
  /** The role may enrol a second factor. */
  totpAvailable: boolean;
}

const securityOf = (role: Role, mustChangePassword: boolean, totpEnabled: boolean): SecurityState => ({
  mustChangePassword,
  totpEnabled,
  totpAvailable: TOTP_ROLES.includes(role),
});

export type LoginResult =
  | { needTotp: true }
  | { needTotp: false; token: string; user: UserView; expiresAt: Date; security: SecurityState };

async function refuse(e: Error): Promise<never> {
  await accountRuntime.sleep(accountRuntime.failDelayMs);
  throw e;
}

// ---- failures of unknown (and disabled) usernames
//
// A lock answered only for real accounts would tell an attacker which names exist. So unknown and
// disabled names are counted too, in a bounded per-process map (no row is created for them), with the
// same schedule: the same 401s, the same 423 with the time after the same number of failures, and the
// same work per attempt (argon2 against a dummy hash while not locked, none while locked).

const GHOST_LIMIT = 10_000;
const ghosts = new Map<string, { n: number; until: number }>();

/** Counts one failure for a name without an account: the lock it is under, or the count and a lock it just set. */
function ghostAttempt(name: string, now: Date): { locked: Date } | { n: number; lockedUntil: Date | null } {
  const key = name.toLowerCase();
  const g = ghosts.get(key) ?? { n: 0, until: 0 };
  if (g.until > now.getTime()) return { locked: new Date(g.until) };
  g.n += 1;
  const delay = lockDelayMs(g.n);
  if (delay) g.until = now.getTime() + delay;
  ghosts.delete(key); // re-inserted last: the map evicts the name tried longest ago
  ghosts.set(key, g);
  if (ghosts.size > GHOST_LIMIT) ghosts.delete(ghosts.keys().next().value!);
  return { n: g.n, lockedUntil: delay ? new Date(g.until) : null };
}

/** For tests: forget the counted unknown names. */
export function resetUnknownLoginCounts(): void {
  ghosts.clear();
}

/**
 * What the audit keeps of a name that matched no account: people type their password into the
 * username box by mistake, so only its first character and a keyed hash (to see repeats of the same
 * name) are kept, never the text.
 */
export function maskedLoginName(name: string): { shown: string; hash: string } {
  const first = [...name][0] ?? '';
  return {
    shown: `${first}***`,
    hash: createHmac('sha256', subkey('audit-login-name')).update(name.toLowerCase()).digest('hex').slice(0, 16),
  };
}

async function unknownLogin(db: Db, username: string, password: string, u: AccountRow | undefined): Promise<never> {
  const now = accountRuntime.now();
  const g = ghostAttempt(u?.username ?? username, now);
  const m = maskedLoginName(username);
  const actor: Actor = u ? actorOf(u) : { id: null, username: m.shown, role: 'researcher', areaCode: '*' };
  const note = u ? 'disabled account' : 'unknown username';
  const who = u ? {} : { name: m.shown, nameHash: m.hash };
  if ('locked' in g) {
    await db.transaction((tx) => audit(tx, actor, { action: 'login_refused_locked', entity: 'users', entityId: u?.id ?? null, after: { ...who, lockedUntil: g.locked.toISOString() }, note }));
    return refuse(new AccountLocked(g.locked));
  }
  await argon2.verify(await dummy(), password).catch(() => false);
  await db.transaction((tx) => audit(tx, actor, { action: 'login_failed', entity: 'users', entityId: u?.id ?? null, after: { ...who, failures: g.n }, note }));
  return refuse(g.lockedUntil ? new AccountLocked(g.lockedUntil) : badLogin());
}

/**
 * Checks the password (and, when the account has a second factor, the code) and opens a session.
 * Usernames ignore case. Unknown users and wrong passwords get the same message, and the same lock
 * after the same number of failures; a locked account is refused, even with the right password, with
 * the time the lock ends. With a second factor and no `totp`, answers { needTotp: true } and opens
 * nothing: the client asks for the code and logs in again with it.
 */
export async function login(db: Db, username: string, password: string, totp?: string): Promise<LoginResult> {
  const found = await accountByName(db, username);
  if (!found || found.disabled) return unknownLogin(db, username, password, found);
  const u = found;
  // Counted before argon2 runs, in one statement with the lock (see claimAttempt).
  const claim = await claimAttempt(db, u.id);
  if ('locked' in claim) {
    await db.transaction((tx) => audit(tx, actorOf(u), { action: 'login_refused_locked', entity: 'users', entityId: u.id, after: { lockedUntil: claim.locked.toISOString() } }));
    return refuse(new AccountLocked(claim.locked));
  }
  if (!(await argon2.verify(u.password_hash, password).catch(() => false))) {
    const until = await recordFailure(db, u, claim, 'wrong password');
    return refuse(until ? new AccountLocked(until) : badLogin());
  }
  let totpState: string | undefined;
  if (u.totp_enabled && u.totp_secret) {
    if (totp === undefined || totp === '') {
      // The right password alone is not a failure, nor a success that would reset the count.
      await releaseClaim(db, u.id, claim);
      return { needTotp: true };
    }
    totpState = checkTotpCode(u.id, u.totp_secret, totp);
    if (!totpState) {
      const until = await recordFailure(db, u, claim, 'wrong second-factor code');
      return refuse(until ? new AccountLocked(until) : badCode());
    }
  }
  const now = accountRuntime.now();
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000);
  await db.transaction(async (tx) => {
    // Two logins racing with the same code: only the one that records the step first gets in.
    if (totpState && !(await storeTotpState(tx, u.id, u.totp_secret!, totpState))) throw badCode();
    await tx.query('UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1', [u.id]);
    await tx.orm.insert(sessions).values({ tokenHash: tokenHash(token), userId: u.id, createdAt: now, lastSeenAt: now, expiresAt });
    await audit(tx, actorOf(u), { action: 'login', entity: 'users', entityId: u.id, after: totpState ? { secondFactor: true } : null });
  });
  return {
    needTotp: false,
    token,
    user: (await getUserById(db, u.id))!,
    expiresAt,
    security: securityOf(u.role, u.must_change_password, u.totp_enabled),
  };
}

export async function logout(db: Db, token: string): Promise<void> {
  await db.orm.delete(sessions).where(eq(sessions.tokenHash, tokenHash(token)));
}

export interface SessionActor extends Actor {
  id: number;
  user: UserView;
  security: SecurityState;
}

/** A live session's actor; or why it ended (the session row is then deleted); or undefined. */
export type SessionLookup = { actor: SessionActor } | { ended: 'idle' | 'absolute' } | undefined;

export async function resolveSession(db: Db, token: string): Promise<SessionLookup> {
  const now = accountRuntime.now();
  const h = tokenHash(token);
  const [row] = await db.query<Omit<UserView, 'roleLabel'> & { expires_at: Date | string; last_seen_at: Date | string; must_change_password: boolean; totp_enabled: boolean }>(
    `SELECT s.expires_at, s.last_seen_at, u.id, u.username, u.display_name AS "displayName", u.role, u.area_code AS "areaCode",
            a.name AS "areaName", u.disabled, u.must_change_password, u.totp_enabled
       FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN areas a ON a.code = u.area_code
      WHERE s.token_hash = $1`,
    [h],
  );
  if (!row || row.disabled) return undefined;
  const seen = new Date(row.last_seen_at).getTime();
  const ended = new Date(row.expires_at).getTime() <= now.getTime() ? 'absolute'
    : now.getTime() - seen >= SESSION_IDLE_MINUTES * 60_000 ? 'idle'
    : undefined;
  if (ended) {
    await db.query('DELETE FROM sessions WHERE token_hash = $1', [h]);
    return { ended };
  }
  // At most one write a minute per session, not one per request.
  if (now.getTime() - seen >= SESSION_TOUCH_SECONDS * 1000) {
    await db.query('UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1 AND last_seen_at < $2', [h, now]);
  }
  const { expires_at: _e, last_seen_at: _s, must_change_password, totp_enabled, ...v } = row;
  const user: UserView = { ...v, roleLabel: roleLabels[v.role] };
  return {
    actor: { id: user.id, username: user.username, role: user.role, areaCode: user.areaCode, user, security: securityOf(user.role, must_change_password, totp_enabled) },
  };
}

/** The actor behind a session token, or undefined when missing, expired or disabled. */
export async function actorForToken(db: Db, token: string): Promise<SessionActor | undefined> {
  const r = await resolveSession(db, token);
  return r && 'actor' in r ? r.actor : undefined;
}

/** Creates the demo accounts printed at first start (synthetic demo only). */
export const DEMO_PASSWORD = 'Jingzhun#2020';
export const demoAccounts: { username: string; displayName: string; role: Role; areaCode: string }[] = [
  { username: 'city', displayName: '通辽市扶贫办（演示）', role: 'city_admin', areaCode: '1505' },
  { username: 'kulun', displayName: '库伦旗扶贫办（演示）', role: 'county_office', areaCode: '150524' },
  { username: 'kulun-town', displayName: '库伦镇审核员（演示）', role: 'township_reviewer', areaCode: '150524100' },
  { username: 'cadre', displayName: '嘎查村干部（演示）', role: 'village_cadre', areaCode: '150524100001' },
  { username: 'bureau', displayName: '行业部门（演示）', role: 'industry_bureau', areaCode: '1505' },
  { username: 'inspector', displayName: '督查（演示）', role: 'inspector', areaCode: '1505' },
  { username: 'evaluator', displayName: '第三方评估人员（演示）', role: 'evaluator', areaCode: '1505' },
  { username: 'researcher', displayName: '研究人员（演示）', role: 'researcher', areaCode: '1505' },
];
