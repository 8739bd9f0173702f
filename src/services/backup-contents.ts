// What a PostgreSQL backup may contain: the objects this build's migrations create, and their data.
// `pg_restore --list` of the archive is checked against that before pg_restore runs, so a signed
// backup of a database someone had added to (a function, a table, an event trigger, a rule…) cannot
// bring those objects into this one. The allowed names are read from the shipped migrations' SQL (the
// same DDL that made every object in a Jingzhun database); implicit names (primary keys, identity
// sequences) are matched by their table. Entries are checked by type and name: a project function
// recreated with another body under its own name is not visible in the list (the manifest's signature
// covers backups made by this program).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrationsFolder } from '../db/migrate.js';

export interface AllowedObjects {
  tables: Set<string>;
  functions: Set<string>;
  triggers: Set<string>;
  indexes: Set<string>;
  sequences: Set<string>;
}

const ident = String.raw`"?([A-Za-z_][A-Za-z0-9_]*)"?`;
const qualified = String.raw`(?:"?([A-Za-z_][A-Za-z0-9_]*)"?\.)?` + ident;

let cached: AllowedObjects | undefined;

/** The objects the shipped migrations create (schema-qualified: "public.households"). */
export function allowedObjects(): AllowedObjects {
  if (cached) return cached;
  const out: AllowedObjects = { tables: new Set(['drizzle.__drizzle_migrations']), functions: new Set(), triggers: new Set(), indexes: new Set(), sequences: new Set(['drizzle.__drizzle_migrations_id_seq']) };
  const add = (set: Set<string>, schema: string | undefined, name: string) => set.add(`${schema ?? 'public'}.${name}`);
  for (const f of readdirSync(migrationsFolder).filter((n) => n.endsWith('.sql')).sort()) {
    const sql = readFileSync(join(migrationsFolder, f), 'utf8');
    for (const m of sql.matchAll(new RegExp(String.raw`CREATE\s+(?:UNLOGGED\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?${qualified}`, 'gi'))) add(out.tables, m[1], m[2]!);
    for (const m of sql.matchAll(new RegExp(String.raw`CREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+${qualified}\s*\(`, 'gi'))) add(out.functions, m[1], m[2]!);
    for (const m of sql.matchAll(new RegExp(String.raw`CREATE\s+(?:CONSTRAINT\s+)?TRIGGER\s+${ident}`, 'gi'))) out.triggers.add(m[1]!);
    for (const m of sql.matchAll(new RegExp(String.raw`CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?${ident}`, 'gi'))) out.indexes.add(m[1]!);
    for (const m of sql.matchAll(new RegExp(String.raw`CREATE\s+SEQUENCE\s+(?:IF\s+NOT\s+EXISTS\s+)?${qualified}`, 'gi'))) add(out.sequences, m[1], m[2]!);
  }
  cached = out;
  return out;
}

/** Entry types that may appear; everything else (FUNCTION of another name, VIEW, RULE, POLICY, EVENT TRIGGER, EXTENSION…) is refused. */
const TYPES = [
  'SEQUENCE OWNED BY', 'SEQUENCE SET', 'FK CONSTRAINT', 'TABLE DATA', 'DEFAULT ACL',
  'CONSTRAINT', 'SEQUENCE', 'FUNCTION', 'TRIGGER', 'DEFAULT', 'SCHEMA', 'INDEX', 'TABLE', 'ACL',
] as const;

/**
 * The entries of a `pg_restore --list` that this build did not create, as printed (type, schema,
 * name); empty when the archive holds only the project's own objects. ACL entries are let through:
 * restores run with --no-privileges, which skips them.
 */
export function unexpectedEntries(list: string, allowed: AllowedObjects = allowedObjects()): string[] {
  const bad: string[] = [];
  const tableOk = (schema: string, t: string | undefined) => t !== undefined && allowed.tables.has(`${schema}.${t}`);
  const seqOk = (schema: string, s: string | undefined) =>
    s !== undefined && (allowed.sequences.has(`${schema}.${s}`) || [...allowed.tables].some((t) => t.startsWith(`${schema}.`) && s.startsWith(`${t.slice(schema.length + 1)}_`) && s.endsWith('_seq')));
  for (const line of list.split('\n')) {
    const m = /^\s*\d+;\s+\d+\s+\d+\s+(.*)$/.exec(line);
    if (!m) {
      if (line.trim() !== '' && !line.startsWith(';')) bad.push(line.trim());
      continue;
    }
    const rest = m[1]!.trim();
    const type = TYPES.find((t) => rest.startsWith(`${t} `));
    const words = type ? rest.slice(type.length + 1).split(' ') : [];
    // schema, name parts…, owner (the last word)
    const schema = words[0] ?? '';
    const names = words.slice(1, -1);
    const inSchema = schema === 'public' || schema === 'drizzle';
    let ok = false;
    switch (type) {
      case 'SCHEMA':
        ok = schema === '-' && (names[0] === 'drizzle' || names[0] === 'public') && names.length === 1;
        break;
      case 'TABLE':
      case 'TABLE DATA':
        ok = inSchema && names.length === 1 && tableOk(schema, names[0]);
        break;
      case 'SEQUENCE':
      case 'SEQUENCE SET':
      case 'SEQUENCE OWNED BY':
        ok = inSchema && names.length === 1 && seqOk(schema, names[0]);
        break;
      case 'CONSTRAINT':
      case 'FK CONSTRAINT':
      case 'DEFAULT':
        ok = inSchema && names.length === 2 && tableOk(schema, names[0]);
        break;
      case 'TRIGGER':
        ok = inSchema && names.length === 2 && tableOk(schema, names[0]) && allowed.triggers.has(names[1]!);
        break;
      case 'INDEX':
        ok = inSchema && names.length === 1 && allowed.indexes.has(names[0]!);
        break;
      case 'FUNCTION': {
        const name = names.join(' ').replace(/\(.*$/s, '');
        ok = inSchema && allowed.functions.has(`${schema}.${name}`);
        break;
      }
      case 'ACL':
      case 'DEFAULT ACL':
        ok = true;
        break;
      default:
        ok = false;
    }
    if (!ok) bad.push(rest);
  }
  return bad;
}

/**
 * The same check on a restored PGlite data dir (a tarball has no list to read before loading): the
 * objects in its catalog that this build did not create — other schemas, tables, views, sequences,
 * indexes, functions, triggers, rules, policies, event triggers, extensions. Empty when clean.
 */
export async function unexpectedInCatalog(db: { query<T>(sql: string, params?: unknown[]): Promise<T[]> }, allowed: AllowedObjects = allowedObjects()): Promise<string[]> {
  const bad: string[] = [];
  const own = `n.nspname IN ('public', 'drizzle')`;
  const schemas = await db.query<{ s: string }>(
    `SELECT nspname AS s FROM pg_namespace
      WHERE nspname NOT IN ('public', 'drizzle', 'pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%' ORDER BY 1`,
  );
  for (const r of schemas) bad.push(`SCHEMA ${r.s}`);
  const rels = await db.query<{ s: string; name: string; kind: string; backs_constraint: boolean }>(
    `SELECT n.nspname AS s, c.relname AS name, c.relkind::text AS kind,
            EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid) AS backs_constraint
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${own} ORDER BY 1, 2`,
  );
  const tableKinds = new Set(['r', 'p']);
  for (const r of rels) {
    const q = `${r.s}.${r.name}`;
    if (tableKinds.has(r.kind)) {
      if (!allowed.tables.has(q)) bad.push(`TABLE ${q}`);
    } else if (r.kind === 'S') {
      const table = [...allowed.tables].some((t) => t.startsWith(`${r.s}.`) && r.name.startsWith(`${t.slice(r.s.length + 1)}_`) && r.name.endsWith('_seq'));
      if (!table && !allowed.sequences.has(q)) bad.push(`SEQUENCE ${q}`);
    } else if (r.kind === 'i' || r.kind === 'I') {
      if (!r.backs_constraint && !allowed.indexes.has(r.name)) bad.push(`INDEX ${q}`);
    } else if (r.kind !== 't' && r.kind !== 'c') {
      bad.push(`${r.kind === 'v' ? 'VIEW' : r.kind === 'm' ? 'MATERIALIZED VIEW' : r.kind === 'f' ? 'FOREIGN TABLE' : `RELATION (${r.kind})`} ${q}`);
    }
  }
  const fns = await db.query<{ s: string; name: string; args: string }>(
    `SELECT n.nspname AS s, p.proname AS name, pg_get_function_identity_arguments(p.oid) AS args
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ${own} ORDER BY 1, 2`,
  );
  for (const f of fns) if (!allowed.functions.has(`${f.s}.${f.name}`)) bad.push(`FUNCTION ${f.s}.${f.name}(${f.args})`);
  const trg = await db.query<{ t: string; name: string }>(
    `SELECT c.relname AS t, g.tgname AS name FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${own} AND NOT g.tgisinternal ORDER BY 1, 2`,
  );
  for (const t of trg) if (!allowed.triggers.has(t.name)) bad.push(`TRIGGER ${t.name} ON ${t.t}`);
  const rules = await db.query<{ t: string; name: string }>(
    `SELECT c.relname AS t, r.rulename AS name FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
       JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${own} AND r.rulename <> '_RETURN'`,
  );
  for (const r of rules) bad.push(`RULE ${r.name} ON ${r.t}`);
  for (const p of await db.query<{ name: string; t: string }>(`SELECT polname AS name, polrelid::regclass::text AS t FROM pg_policy`)) bad.push(`POLICY ${p.name} ON ${p.t}`);
  for (const e of await db.query<{ name: string }>(`SELECT evtname AS name FROM pg_event_trigger`)) bad.push(`EVENT TRIGGER ${e.name}`);
  for (const x of await db.query<{ name: string }>(`SELECT extname AS name FROM pg_extension WHERE extname <> 'plpgsql'`)) bad.push(`EXTENSION ${x.name}`);
  return bad;
}
