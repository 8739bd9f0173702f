-- Issue 7: the audit log is append-only and hash-chained (hand-written; `drizzle-kit generate --custom`).
--
-- Canonical text of a row (services/audit.ts: auditCanonical computes the same string in Node):
--   'jingzhun-audit-v1' then, for each field below, U+001F (unit separator) and the field written as
--   '~' when NULL, else <length in UTF-8 bytes> ':' <value>:
--     prev_hash, chain_seq, id, at (UTC, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), actor_id, actor_name, action,
--     entity, entity_id, county_code, household_id, before::text, after::text, note
--   Numbers in decimal, char(n) as text (trailing blanks dropped), jsonb in PostgreSQL's own text form
--   (canonical: keys sorted, one space after ':' and ','). The length prefix makes the text
--   unambiguous whatever the values hold (separators, '~', digits).
-- hash = lower-case hex sha256 of that text in UTF-8; prev_hash = the previous row's hash (NULL for the
-- first); chain_seq = the row's position in the chain, 1, 2, 3, … without gaps (a gap is a deleted row).
--
-- Sealing at commit, not at insert. A row is inserted with prev_hash, hash and chain_seq NULL (a
-- client may not set them), and nothing is locked. A deferred constraint trigger runs at COMMIT: it
-- locks the head (audit_chain, one row), chains all of the transaction's rows in id order after it,
-- and moves the head once; the lock is released by the commit a moment later. So the head is held
-- only while a transaction commits, its holder waits for no other lock (its own work is done), and
-- audited transactions run side by side. Locking the head at the first insert instead held it for the
-- rest of the transaction: every audited transaction in the database ran one at a time, and one that
-- audited and then waited for a row lock held by another that then audited was a deadlock.
-- Chain order is therefore commit order; ids (drawn at insert) need not follow it.
-- At commit the transaction's own rows are the only unsealed ones it can see: other transactions'
-- uncommitted rows are invisible and committed rows are sealed (a committed unsealed row was written
-- with the triggers switched off; `audit verify` counts them).
-- The head is updated once per transaction, not per row: updating one row thousands of times in one
-- transaction leaves a chain of row versions every later lookup walks (quadratic).
-- plpgsql, not sql: a sql function taking the row is planned again on every call (0.4 ms a row, measured).
CREATE FUNCTION audit_field(v text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  IF v IS NULL THEN
    RETURN '~';
  END IF;
  RETURN octet_length(convert_to(v, 'UTF8'))::text || ':' || v;
END $$;
--> statement-breakpoint
CREATE FUNCTION audit_canonical(r audit_log) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN 'jingzhun-audit-v1'
    || chr(31) || audit_field(r.prev_hash::text)
    || chr(31) || audit_field(r.chain_seq::text)
    || chr(31) || audit_field(r.id::text)
    || chr(31) || audit_field(to_char(r.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
    || chr(31) || audit_field(r.actor_id::text)
    || chr(31) || audit_field(r.actor_name::text)
    || chr(31) || audit_field(r.action::text)
    || chr(31) || audit_field(r.entity::text)
    || chr(31) || audit_field(r.entity_id::text)
    || chr(31) || audit_field(r.county_code::text)
    || chr(31) || audit_field(r.household_id::text)
    || chr(31) || audit_field(r.before::text)
    || chr(31) || audit_field(r.after::text)
    || chr(31) || audit_field(r.note);
END $$;
--> statement-breakpoint
-- Chains every unsealed row this transaction can see from id from_id on, in id order, after the head;
-- moves the head. Called by the commit trigger below with the id of the transaction's first row (ids
-- grow within a transaction, and a row below it would be sealed by its own call), and once by this
-- migration for the rows already there. The lower bound keeps the scan off the index entries of rows
-- sealed earlier (they stay in the partial index, dead, until vacuum: scanning them all at every
-- commit made each commit slower the more rows had been written since the last vacuum).
CREATE FUNCTION audit_seal(from_id bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  r audit_log;
  seq bigint;
  prev text;
  last_row bigint;
  ids bigint[] := '{}';
  seqs bigint[] := '{}';
  prevs text[] := '{}';
  hashes text[] := '{}';
BEGIN
  SELECT last_seq, last_hash INTO seq, prev FROM audit_chain WHERE id = 1 FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO audit_chain (id, last_id, last_seq, last_hash) VALUES (1, NULL, NULL, NULL) ON CONFLICT (id) DO NOTHING;
    SELECT last_seq, last_hash INTO seq, prev FROM audit_chain WHERE id = 1 FOR UPDATE;
  END IF;
  FOR r IN SELECT * FROM audit_log WHERE hash IS NULL AND id >= from_id ORDER BY id LOOP
    seq := coalesce(seq, 0) + 1;
    r.chain_seq := seq;
    r.prev_hash := prev;
    r.hash := encode(sha256(convert_to(audit_canonical(r), 'UTF8')), 'hex');
    ids := ids || r.id;
    seqs := seqs || seq;
    prevs := prevs || r.prev_hash::text;
    hashes := hashes || r.hash::text;
    prev := r.hash;
    last_row := r.id;
  END LOOP;
  IF last_row IS NULL THEN
    RETURN;
  END IF;
  -- One statement for all rows (audit_log_no_update lets exactly this through).
  UPDATE audit_log a SET chain_seq = u.seq, prev_hash = u.prev, hash = u.hash
    FROM unnest(ids, seqs, prevs, hashes) AS u(id, seq, prev, hash) WHERE a.id = u.id;
  UPDATE audit_chain SET last_id = last_row, last_seq = seq, last_hash = prev WHERE id = 1;
END $$;
--> statement-breakpoint
-- Backfill: chain the rows already there in id order (chain_seq 1..n), so an upgraded database verifies.
-- (The guards below do not exist yet.)
DO $$
BEGIN
  LOCK TABLE audit_log IN EXCLUSIVE MODE;
  PERFORM audit_seal(0);
END $$;
--> statement-breakpoint
-- On insert: the chain columns are the seal's to set.
CREATE FUNCTION audit_log_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.prev_hash IS NOT NULL OR NEW.hash IS NOT NULL OR NEW.chain_seq IS NOT NULL THEN
    RAISE EXCEPTION '审计日志的哈希链字段（prev_hash、hash、chain_seq）由提交时的触发器填写，插入时必须为空 / The audit log chain columns (prev_hash, hash, chain_seq) are set at commit by the trigger and must be NULL on insert'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_log_new BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_new();
--> statement-breakpoint
-- At commit, once per inserted row: the first call seals all of the transaction's rows, the others
-- find their row sealed and return (a primary-key lookup).
CREATE FUNCTION audit_log_seal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM audit_log WHERE id = NEW.id AND hash IS NULL;
  IF FOUND THEN
    PERFORM audit_seal(NEW.id);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER audit_log_seal AFTER INSERT ON audit_log DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION audit_log_seal();
--> statement-breakpoint
CREATE FUNCTION audit_log_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '审计日志只能追加，% 被拒绝；更正请追加新记录 / The audit log is append-only: % is refused; record a correction as a new row', TG_OP, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$;
--> statement-breakpoint
-- The one update allowed: the seal (from the commit trigger, nested trigger depth 2) setting the chain
-- columns of a row not sealed yet, every other column unchanged.
CREATE FUNCTION audit_log_no_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF pg_trigger_depth() > 1
     AND OLD.hash IS NULL AND OLD.prev_hash IS NULL AND OLD.chain_seq IS NULL
     AND NEW.hash IS NOT NULL AND NEW.chain_seq IS NOT NULL
     AND to_jsonb(NEW) - 'prev_hash' - 'hash' - 'chain_seq' = to_jsonb(OLD) - 'prev_hash' - 'hash' - 'chain_seq' THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '审计日志只能追加，% 被拒绝；更正请追加新记录 / The audit log is append-only: % is refused; record a correction as a new row', TG_OP, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_no_update();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_refuse();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse();
--> statement-breakpoint
-- The head changes only from the seal (nested trigger depth 2).
CREATE FUNCTION audit_chain_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND pg_trigger_depth() > 1 THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '审计哈希链末行只能由审计日志触发器更新，% 被拒绝 / The audit chain head is kept by the audit_log triggers only: % is refused', TG_OP, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_chain_guard BEFORE UPDATE OR DELETE ON audit_chain FOR EACH ROW EXECUTE FUNCTION audit_chain_guard();
--> statement-breakpoint
CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON audit_chain FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_guard();
--> statement-breakpoint
-- Fire under session_replication_role = replica too (the seed's bulk load sets it; so could anyone).
ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_new;
--> statement-breakpoint
ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_seal;
--> statement-breakpoint
ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_no_update;
--> statement-breakpoint
ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_no_delete;
--> statement-breakpoint
ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_no_truncate;
--> statement-breakpoint
ALTER TABLE audit_chain ENABLE ALWAYS TRIGGER audit_chain_guard;
--> statement-breakpoint
ALTER TABLE audit_chain ENABLE ALWAYS TRIGGER audit_chain_no_truncate;
