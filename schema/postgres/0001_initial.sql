-- SPDX-License-Identifier: GPL-3.0-or-later
-- 0001_initial.sql: the domain tables, the event store and snapshots (PostgreSQL).
--
-- The same tables, columns, constraints and append-only rules as
-- schema/sqlite/0001_initial.sql, in PostgreSQL's types: TIMESTAMPTZ (the store
-- converts to and from integer microseconds, exactly), JSONB, BOOLEAN, and UUID
-- where the domain guarantees one (event ids, correlation and causation ids).
-- Ids that callers may choose freely (projects, users, assets, rules...) stay
-- TEXT, as on SQLite, so every value SQLite accepts is accepted here too.
--
-- Text keys are COLLATE "C": ordering by name or tag is bytewise, exactly as on
-- SQLite, whatever the database's locale, and their B-trees compare with memcmp.

CREATE TABLE projects (
  id          TEXT COLLATE "C" PRIMARY KEY,
  name        TEXT COLLATE "C" NOT NULL UNIQUE,
  description TEXT,
  country     TEXT,
  created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE users (
  id            TEXT COLLATE "C" PRIMARY KEY,
  username      TEXT COLLATE "C" NOT NULL UNIQUE,
  display_name  TEXT,
  role          TEXT NOT NULL CHECK (role IN ('admin', 'engineer', 'viewer')),
  password_hash TEXT,
  created_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE assets (
  id                 TEXT COLLATE "C" PRIMARY KEY,
  project_id         TEXT COLLATE "C" NOT NULL REFERENCES projects(id),
  tag                TEXT COLLATE "C" NOT NULL,
  type               TEXT COLLATE "C" NOT NULL,
  description        TEXT,
  discipline         TEXT,
  area               TEXT,
  properties         JSONB NOT NULL DEFAULT '{}',
  created_by_rule_id TEXT,
  UNIQUE (project_id, tag)
);
-- Listing by type: (project_id, tag) above serves lookups by tag and ordered lists.
CREATE INDEX ix_assets_project_type ON assets(project_id, type);

CREATE TABLE cables (
  id                 TEXT COLLATE "C" PRIMARY KEY,
  project_id         TEXT COLLATE "C" NOT NULL REFERENCES projects(id),
  tag                TEXT COLLATE "C" NOT NULL,
  from_asset_id      TEXT COLLATE "C",
  to_asset_id        TEXT COLLATE "C",
  cable_type         TEXT,
  voltage            DOUBLE PRECISION,
  length_m           DOUBLE PRECISION,
  conductor_size     TEXT,
  flc_a              DOUBLE PRECISION,
  ampacity_a         DOUBLE PRECISION,
  voltage_drop_pct   DOUBLE PRECISION,
  properties         JSONB NOT NULL DEFAULT '{}',
  created_by_rule_id TEXT,
  UNIQUE (project_id, tag)
);
CREATE INDEX ix_cables_to_asset ON cables(to_asset_id);

CREATE TABLE edges (
  id                 TEXT COLLATE "C" PRIMARY KEY,
  project_id         TEXT COLLATE "C" NOT NULL REFERENCES projects(id),
  source_asset_id    TEXT COLLATE "C" NOT NULL,
  target_asset_id    TEXT COLLATE "C" NOT NULL,
  relation           TEXT COLLATE "C" NOT NULL,
  created_by_rule_id TEXT,
  UNIQUE (project_id, source_asset_id, target_asset_id, relation)
);
CREATE INDEX ix_edges_target ON edges(target_asset_id);

-- project_id NULL: a library rule, in scope for every project.
CREATE TABLE rule_definitions (
  id          TEXT COLLATE "C" PRIMARY KEY,
  project_id  TEXT COLLATE "C" REFERENCES projects(id),
  name        TEXT COLLATE "C" NOT NULL,
  description TEXT,
  source      TEXT,
  priority    BIGINT NOT NULL DEFAULT 50,
  discipline  TEXT,
  is_enforced BOOLEAN NOT NULL DEFAULT false,
  is_active   BOOLEAN NOT NULL DEFAULT true,
  action_type TEXT NOT NULL,
  condition   JSONB NOT NULL DEFAULT '{}',
  action      JSONB NOT NULL DEFAULT '{}',
  created_at  TIMESTAMPTZ NOT NULL,
  updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX ix_rule_definitions_project ON rule_definitions(project_id);

-- position: our global, strictly increasing order of all events. The store
-- reserves positions with nextval() and writes them with COPY; appends to one
-- project are serialised by the project's advisory lock, held until commit, so
-- within a project positions become visible in increasing order and
-- "after=POSITION" catch-up never misses a late commit (see docs/design-notes.md).
-- rule_id and user_id carry no foreign key: the audit trail outlives a removed
-- rule, and the specification's rule ids may name library rules.
CREATE TABLE workflow_events (
  position       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id             UUID NOT NULL UNIQUE,
  event_type     TEXT COLLATE "C" NOT NULL,
  aggregate_type TEXT COLLATE "C" NOT NULL,
  aggregate_id   TEXT COLLATE "C",
  project_id     TEXT COLLATE "C" NOT NULL REFERENCES projects(id),
  rule_id        TEXT COLLATE "C",
  discipline     TEXT COLLATE "C",
  payload        JSONB NOT NULL DEFAULT '{}',
  metadata       JSONB DEFAULT '{}',
  correlation_id UUID NOT NULL,
  causation_id   UUID,
  sequence_num   BIGINT NOT NULL DEFAULT 0,
  user_id        TEXT,
  "timestamp"    TIMESTAMPTZ NOT NULL,
  is_rolled_back BOOLEAN NOT NULL DEFAULT false
);

-- Append-mostly: vacuum after every few thousand new events (not after 20 % of
-- the table, the default), so the visibility map stays current and timeline
-- totals are counted by index-only scans, without visiting the table.
ALTER TABLE workflow_events SET (autovacuum_vacuum_insert_threshold = 10000,
                                 autovacuum_vacuum_insert_scale_factor = 0.01,
                                 autovacuum_analyze_scale_factor = 0.02);

-- Indexes: the same set as on SQLite. A PostgreSQL index does not carry the
-- primary key implicitly (SQLite's rowid), so the timeline indexes end with
-- position themselves: a filtered total is counted, and a page's positions
-- found, from the index alone (index-only scans once autovacuum has set the
-- visibility map). The specification's single-column indexes are left out:
-- each is covered by a leading column below, and every index slows appends.
--
-- correlation + sequence: unique, which also proves gapless batches never
-- collide. Serves get_by_correlation and rollback.
CREATE UNIQUE INDEX ix_workflow_events_correlation_seq
  ON workflow_events(correlation_id, sequence_num);
-- project + time: date-range filters.
CREATE INDEX ix_workflow_events_project_time
  ON workflow_events(project_id, "timestamp", is_rolled_back, position);
-- aggregate lookup: asset history, in position order, without a sort.
CREATE INDEX ix_workflow_events_aggregate_lookup
  ON workflow_events(aggregate_type, aggregate_id, position);
-- timeline pages, newest first, with no other filter; also the live feed.
CREATE INDEX ix_workflow_events_project_position
  ON workflow_events(project_id, position, is_rolled_back);
-- event types, disciplines and both together (either order of use).
CREATE INDEX ix_workflow_events_project_type
  ON workflow_events(project_id, event_type, discipline, is_rolled_back, position);
CREATE INDEX ix_workflow_events_project_discipline
  ON workflow_events(project_id, discipline, event_type, is_rolled_back, position);
CREATE INDEX ix_workflow_events_project_rule
  ON workflow_events(project_id, rule_id, is_rolled_back, position);

-- Append-only. The errors are SQLSTATE 23000 (integrity constraint violation),
-- which the store reports as a constraint failure, as SQLite's RAISE(ABORT).
CREATE FUNCTION synapse_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'integrity_constraint_violation';
END
$$;

-- No DELETE (nor TRUNCATE, which skips row triggers); no UPDATE but
-- is_rolled_back from false to true.
CREATE TRIGGER workflow_events_no_delete
BEFORE DELETE ON workflow_events
FOR EACH ROW EXECUTE FUNCTION synapse_refuse_change('workflow_events is append-only: DELETE is not allowed');

CREATE TRIGGER workflow_events_no_truncate
BEFORE TRUNCATE ON workflow_events
FOR EACH STATEMENT EXECUTE FUNCTION synapse_refuse_change('workflow_events is append-only: TRUNCATE is not allowed');

CREATE TRIGGER workflow_events_no_update
BEFORE UPDATE ON workflow_events
FOR EACH ROW
WHEN (NOT (OLD.is_rolled_back = false AND NEW.is_rolled_back = true
           AND (NEW.position, NEW.id, NEW.event_type, NEW.aggregate_type, NEW.aggregate_id,
                NEW.project_id, NEW.rule_id, NEW.discipline, NEW.payload, NEW.metadata,
                NEW.correlation_id, NEW.causation_id, NEW.sequence_num, NEW.user_id, NEW."timestamp")
               IS NOT DISTINCT FROM
               (OLD.position, OLD.id, OLD.event_type, OLD.aggregate_type, OLD.aggregate_id,
                OLD.project_id, OLD.rule_id, OLD.discipline, OLD.payload, OLD.metadata,
                OLD.correlation_id, OLD.causation_id, OLD.sequence_num, OLD.user_id, OLD."timestamp")))
EXECUTE FUNCTION synapse_refuse_change('workflow_events is append-only: only is_rolled_back may change, from false to true');

CREATE TABLE execution_snapshots (
  id             TEXT COLLATE "C" PRIMARY KEY,
  correlation_id UUID NOT NULL UNIQUE,
  project_id     TEXT COLLATE "C" NOT NULL REFERENCES projects(id),
  snapshot_data  JSONB NOT NULL,
  events_count   BIGINT NOT NULL DEFAULT 0,
  status         TEXT NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'ROLLED_BACK')),
  executed_at    TIMESTAMPTZ NOT NULL,
  rolled_back_at TIMESTAMPTZ,
  rolled_back_by TEXT,
  -- SQLite lists snapshots of one instant in insertion order (rowid): this is it.
  seq            BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX ix_execution_snapshots_project_status
  ON execution_snapshots(project_id, status, executed_at);

-- Snapshots are immutable too, but for the specification's two changes: the
-- event count while ACTIVE (SnapshotService.update_event_count) and the one
-- move from ACTIVE to ROLLED_BACK with its time and user.
CREATE TRIGGER execution_snapshots_no_delete
BEFORE DELETE ON execution_snapshots
FOR EACH ROW EXECUTE FUNCTION synapse_refuse_change('execution_snapshots is append-only: DELETE is not allowed');

CREATE TRIGGER execution_snapshots_no_truncate
BEFORE TRUNCATE ON execution_snapshots
FOR EACH STATEMENT EXECUTE FUNCTION synapse_refuse_change('execution_snapshots is append-only: TRUNCATE is not allowed');

CREATE TRIGGER execution_snapshots_no_update
BEFORE UPDATE ON execution_snapshots
FOR EACH ROW
WHEN (NOT ((NEW.id, NEW.correlation_id, NEW.project_id, NEW.snapshot_data, NEW.executed_at, NEW.seq)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.correlation_id, OLD.project_id, OLD.snapshot_data, OLD.executed_at, OLD.seq)
           AND OLD.status = 'ACTIVE'
           AND ((NEW.status = 'ACTIVE' AND NEW.rolled_back_at IS NULL AND NEW.rolled_back_by IS NULL)
                OR (NEW.status = 'ROLLED_BACK' AND NEW.events_count IS NOT DISTINCT FROM OLD.events_count
                    AND NEW.rolled_back_at IS NOT NULL))))
EXECUTE FUNCTION synapse_refuse_change('execution_snapshots is append-only: only the event count of an active snapshot and its move to ROLLED_BACK may change');

CREATE TABLE executions (
  execution_id   TEXT COLLATE "C" PRIMARY KEY,
  project_id     TEXT COLLATE "C" NOT NULL REFERENCES projects(id),
  correlation_id TEXT COLLATE "C",
  mode           TEXT NOT NULL DEFAULT 'execute',
  filters        JSONB,
  status         TEXT NOT NULL,
  user_id        TEXT,
  started_at     TIMESTAMPTZ NOT NULL,
  finished_at    TIMESTAMPTZ,
  summary        JSONB,
  error          TEXT,
  -- insertion order, for runs started in the same microsecond (SQLite's rowid)
  seq            BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX ix_executions_project_started ON executions(project_id, started_at);
