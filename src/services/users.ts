// Accounts and sessions. Passwords hashed with argon2id; the session cookie carries a random
// token whose sha256 is stored, so the sessions table alone cannot be replayed.
import { createHash, randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { sessions, users } from '../db/schema/index.js';
import { Conflict, Unauthorized, ValidationError, type FieldIssue } from '../domain/errors.js';
import { isRole, roleLabels, type Role } from '../domain/roles.js';
import { audit, inScope, require, type Actor, type Ctx } from './context.js';

export const SESSION_HOURS = 12;

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

function passwordIssues(pw: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(pw)).length;
  if (pw.length < 10 || classes < 3) {
    issues.push({
      field: 'password',
      zh: '密码至少 10 位，并包含大写字母、小写字母、数字、符号中的至少三类',
      en: 'Password must be at least 10 characters with at least three of: upper case, lower case, digits, symbols',
    });
  }
  return issues;
}

export interface NewUser {
  username: string;
  displayName?: string;
  password: string;
  role: string;
  areaCode: string;
}

export async function createUser(ctx: Ctx, input: NewUser): Promise<UserView> {
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
  const hash = await argon2.hash(input.password, { type: argon2.argon2id });
  return ctx.db.transaction(async (tx) => {
    const [exists] = await tx.query('SELECT 1 FROM users WHERE username = $1', [input.username]);
    if (exists) throw new Conflict({ zh: `用户名 ${input.username} 已存在`, en: `Username ${input.username} is taken` });
    const [row] = await tx.orm
      .insert(users)
      .values({ username: input.username, displayName: input.displayName ?? input.username, passwordHash: hash, role, areaCode: input.areaCode })
      .returning({ id: users.id });
    await audit(tx, ctx.actor, { action: 'create', entity: 'users', entityId: row!.id, after: { username: input.username, role, areaCode: input.areaCode } });
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

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

const badLogin = () => new Unauthorized({ zh: '用户名或密码错误', en: 'Wrong username or password' });

/** Returns a new session token; the same message for unknown users and wrong passwords. */
export async function login(db: Db, username: string, password: string): Promise<{ token: string; user: UserView; expiresAt: Date }> {
  const [u] = await db.query<{ id: number; password_hash: string; disabled: boolean }>(
    'SELECT id, password_hash, disabled FROM users WHERE username = $1',
    [username],
  );
  if (!u || u.disabled) {
    // Spend the same time as a real check so response time does not reveal which usernames exist.
    await argon2.verify('$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$N3b0V6e3Qw7G4yq1vTgS0mHq5v1Jx2bQy8QfZQ0wq1s', password).catch(() => false);
    throw badLogin();
  }
  if (!(await argon2.verify(u.password_hash, password))) {
    await db.query('UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1', [u.id]);
    throw badLogin();
  }
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_HOURS * 3600_000);
  await db.transaction(async (tx) => {
    await tx.query('UPDATE users SET failed_logins = 0 WHERE id = $1', [u.id]);
    await tx.orm.insert(sessions).values({ tokenHash: tokenHash(token), userId: u.id, expiresAt });
    await audit(tx, { id: u.id, username, role: 'researcher', areaCode: '*' }, { action: 'login', entity: 'users', entityId: u.id });
  });
  return { token, user: (await getUserById(db, u.id))!, expiresAt };
}

export async function logout(db: Db, token: string): Promise<void> {
  await db.orm.delete(sessions).where(eq(sessions.tokenHash, tokenHash(token)));
}

/** The actor behind a session token, or undefined when missing, expired or disabled. */
export async function actorForToken(db: Db, token: string): Promise<(Actor & { user: UserView }) | undefined> {
  const [row] = await db.query<{ id: number }>(
    `SELECT u.id FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.token_hash = $1 AND s.expires_at > now() AND NOT u.disabled`,
    [tokenHash(token)],
  );
  if (!row) return undefined;
  const user = (await getUserById(db, row.id))!;
  return { id: user.id, username: user.username, role: user.role, areaCode: user.areaCode, user };
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
