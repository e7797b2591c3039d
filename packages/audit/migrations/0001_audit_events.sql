-- @plinth/audit schema v1. Applied by `auditLog.migrate()` through @plinth/db-repository's
-- runner (bookkeeping table plinth_audit_migrations). Tables live in the first schema of
-- search_path. Never edit this file after release: add a new numbered migration.

-- The trail. Rows are only ever inserted; see audit_events_append_only below.
CREATE TABLE audit_events (
  tenant_id      text        NOT NULL,
  seq            bigint      NOT NULL CHECK (seq > 0),
  id             text        NOT NULL,
  occurred_at    timestamptz NOT NULL,
  recorded_at    timestamptz NOT NULL,
  action         text        NOT NULL,
  outcome        text        NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
  actor_id       text,
  actor_type     text,
  resource_type  text,
  resource_id    text,
  correlation_id text,
  request_id     text,
  ip             text,
  user_agent     text,
  metadata       text,
  sensitive      text,
  prev_hash      text        NOT NULL,
  hash           text        NOT NULL,
  PRIMARY KEY (tenant_id, seq, recorded_at)
) PARTITION BY RANGE (recorded_at);

CREATE INDEX audit_events_tenant_event_id_idx ON audit_events (tenant_id, id);
CREATE INDEX audit_events_tenant_resource_idx ON audit_events (tenant_id, resource_type, resource_id, seq);
CREATE INDEX audit_events_tenant_actor_idx ON audit_events (tenant_id, actor_id, seq);

-- Tip of each tenant's chain. Writers lock the row FOR UPDATE, so appends to one tenant's
-- chain are serialised across connections and processes; it only ever moves forward.
CREATE TABLE audit_chain_heads (
  tenant_id  text        PRIMARY KEY,
  seq        bigint      NOT NULL CHECK (seq >= 0),
  hash       text        NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Old events leave only by dropping whole partitions (retention helper).';
END
$$;

CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

CREATE FUNCTION audit_chain_heads_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.tenant_id = OLD.tenant_id AND NEW.seq > OLD.seq THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_chain_heads only moves forward: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_chain_heads_forward BEFORE UPDATE OR DELETE ON audit_chain_heads
  FOR EACH ROW EXECUTE FUNCTION audit_chain_heads_forward_only();
CREATE TRIGGER audit_chain_heads_no_truncate BEFORE TRUNCATE ON audit_chain_heads
  FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_heads_forward_only();

-- One row per retention run and tenant: where the kept part of the chain starts and the
-- hash it links to, so verify() can tell dropped partitions from deleted rows.
CREATE TABLE audit_retention_marks (
  tenant_id  text        NOT NULL,
  first_seq  bigint      NOT NULL,
  prev_hash  text        NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_retention_marks_tenant_idx ON audit_retention_marks (tenant_id, first_seq);
CREATE TRIGGER audit_retention_marks_no_update_delete BEFORE UPDATE OR DELETE ON audit_retention_marks
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_retention_marks_no_truncate BEFORE TRUNCATE ON audit_retention_marks
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

-- Creates the monthly partition holding `month` (UTC) if it is missing. SECURITY DEFINER so
-- the runtime role needs only EXECUTE, not CREATE on the schema. A TRUNCATE trigger is added
-- to each partition because statement triggers of the parent do not fire for a partition
-- truncated directly (row triggers are cloned automatically).
CREATE FUNCTION audit_ensure_partition(month date) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
  first_day date := date_trunc('month', month)::date;
  part text := 'audit_events_' || to_char(date_trunc('month', month), 'YYYY_MM');
BEGIN
  IF EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = current_schema() AND c.relname = part) THEN
    RETURN part;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('plinth.audit.partitions'));
  IF NOT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = current_schema() AND c.relname = part) THEN
    EXECUTE format('CREATE TABLE %I PARTITION OF audit_events FOR VALUES FROM (%L) TO (%L)',
      part, first_day::text || ' 00:00:00+00', (first_day + interval '1 month')::date::text || ' 00:00:00+00');
    EXECUTE format('CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON %I '
      'FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()', part);
  END IF;
  RETURN part;
END
$$;

-- Pin the definer function to this schema so callers cannot redirect it through search_path.
DO $$
BEGIN
  EXECUTE format('ALTER FUNCTION audit_ensure_partition(date) SET search_path = %I, pg_temp',
    current_schema());
END
$$;

REVOKE ALL ON FUNCTION audit_ensure_partition(date) FROM PUBLIC;
