// What every service verb receives: who acts, over which area, on which connection.
import type { Db, Sql } from '../db/client.js';
import { auditLog } from '../db/schema/index.js';
import { Forbidden } from '../domain/errors.js';
import { mayDo, type Action, type Role } from '../domain/roles.js';

export interface Actor {
  /** null for the local operator running the CLI on the server itself. */
  id: number | null;
  username: string;
  role: Role;
  /** Root of the area subtree this actor may see; '*' means every area (the local operator). */
  areaCode: string;
}

export interface Ctx {
  actor: Actor;
  db: Db;
}

/** The operator at the server's console (CLI): full rights, audited under this name. */
export function systemActor(username = process.env.USER ? `cli:${process.env.USER}` : 'cli'): Actor {
  return { id: null, username, role: 'city_admin', areaCode: '*' };
}

export function require(ctx: Ctx, action: Action): void {
  // The console operator (systemActor) has full rights, including the evaluation's own actions.
  if (ctx.actor.id === null && ctx.actor.areaCode === '*') return;
  if (!mayDo(ctx.actor.role, action)) throw new Forbidden();
}

/** True when `code` is the actor's area or inside it (NBS codes nest by prefix). */
export function inScope(actor: Actor, code: string): boolean {
  return actor.areaCode === '*' || code.startsWith(actor.areaCode);
}

/** SQL LIKE pattern for the actor's subtree, to filter area-coded columns. */
export function scopePattern(actor: Actor): string {
  return actor.areaCode === '*' ? '%' : `${actor.areaCode}%`;
}

/** County code to add to registry queries when the scope is one county or smaller (routes to one Citus shard). */
export function scopeCounty(actor: Actor): string | undefined {
  return actor.areaCode !== '*' && actor.areaCode.length >= 6 ? actor.areaCode.slice(0, 6) : undefined;
}

export interface AuditEntry {
  action: string;
  entity: string;
  entityId?: string | number | null;
  countyCode?: string | null;
  householdId?: number | null;
  before?: unknown;
  after?: unknown;
  note?: string | null;
}

/** Written in the same transaction as the change it records. */
export async function audit(tx: Sql, actor: Actor, e: AuditEntry): Promise<void> {
  await tx.orm.insert(auditLog).values({
    actorId: actor.id,
    actorName: actor.username,
    action: e.action,
    entity: e.entity,
    entityId: e.entityId == null ? null : String(e.entityId),
    countyCode: e.countyCode ?? null,
    householdId: e.householdId ?? null,
    before: e.before ?? null,
    after: e.after ?? null,
    note: e.note ?? null,
  });
}
