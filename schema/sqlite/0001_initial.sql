-- SPDX-License-Identifier: GPL-3.0-or-later
-- 0001_initial.sql: the domain tables, the event store and snapshots (SQLite).
--
-- Timestamps are INTEGER microseconds since the Unix epoch, UTC: exact, compact and
-- ordered; the store formats them as ISO 8601. JSON columns hold compact text.
-- Booleans are 0/1.

CREATE TABLE projects (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  description TEXT,
  country     TEXT,
  created_at  INTEGER NOT NULL
);

CREATE TABLE users (
  id            TEXT PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,
  display_name  TEXT,
  role          TEXT NOT NULL CHECK (role IN ('admin', 'engineer', 'viewer')),
  password_hash TEXT,
  created_at    INTEGER NOT NULL
);

CREATE TABLE assets (
  id                 TEXT PRIMARY KEY,
  project_id         TEXT NOT NULL REFERENCES projects(id),
  tag                TEXT NOT NULL,
  type               TEXT NOT NULL,
  description        TEXT,
  discipline         TEXT,
  area               TEXT,
  properties         TEXT NOT NULL DEFAULT '{}',
  created_by_rule_id TEXT,
  UNIQUE (project_id, tag)
);
-- Listing by type: (project_id, tag) above serves lookups by tag and ordered lists.
CREATE INDEX ix_assets_project_type ON assets(project_id, type);

CREATE TABLE cables (
  id                 TEXT PRIMARY KEY,
  project_id         TEXT NOT NULL REFERENCES projects(id),
  tag                TEXT NOT NULL,
  from_asset_id      TEXT,
  to_asset_id        TEXT,
  cable_type         TEXT,
  voltage            REAL,
  length_m           REAL,
  conductor_size     TEXT,
  flc_a              REAL,
  ampacity_a         REAL,
  voltage_drop_pct   REAL,
  properties         TEXT NOT NULL DEFAULT '{}',
  created_by_rule_id TEXT,
  UNIQUE (project_id, tag)
);
CREATE INDEX ix_cables_to_asset ON cables(to_asset_id);

CREATE TABLE edges (
  id                 TEXT PRIMARY KEY,
  project_id         TEXT NOT NULL REFERENCES projects(id),
  source_asset_id    TEXT NOT NULL,
  target_asset_id    TEXT NOT NULL,
  relation           TEXT NOT NULL,
  created_by_rule_id TEXT,
  UNIQUE (project_id, source_asset_id, target_asset_id, relation)
);
CREATE INDEX ix_edges_target ON edges(target_asset_id);

-- project_id NULL: a library rule, in scope for every project.
CREATE TABLE rule_definitions (
  id          TEXT PRIMARY KEY,
  project_id  TEXT REFERENCES projects(id),
  name        TEXT NOT NULL,
  description TEXT,
  source      TEXT,
  priority    INTEGER NOT NULL DEFAULT 50,
  discipline  TEXT,
  is_enforced INTEGER NOT NULL DEFAULT 0,
  is_active   INTEGER NOT NULL DEFAULT 1,
  action_type TEXT NOT NULL,
  condition   TEXT NOT NULL DEFAULT '{}',
  action      TEXT NOT NULL DEFAULT '{}',
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX ix_rule_definitions_project ON rule_definitions(project_id);

-- position: our global, strictly increasing order of all events (the rowid, so
-- appends go to the end of the table B-tree; AUTOINCREMENT never reuses one).
-- rule_id and user_id carry no foreign key: the audit trail outlives a removed
-- rule, and the specification's rule ids may name library rules.
CREATE TABLE workflow_events (
  position       INTEGER PRIMARY KEY AUTOINCREMENT,
  id             TEXT NOT NULL UNIQUE,
  event_type     TEXT NOT NULL,
  aggregate_type TEXT NOT NULL,
  aggregate_id   TEXT,
  project_id     TEXT NOT NULL REFERENCES projects(id),
  rule_id        TEXT,
  discipline     TEXT,
  payload        TEXT NOT NULL DEFAULT '{}',
  metadata       TEXT DEFAULT '{}',
  correlation_id TEXT NOT NULL,
  causation_id   TEXT,
  sequence_num   INTEGER NOT NULL DEFAULT 0,
  user_id        TEXT,
  timestamp      INTEGER NOT NULL,
  is_rolled_back INTEGER NOT NULL DEFAULT 0 CHECK (is_rolled_back IN (0, 1))
);

-- Indexes. The specification's composites, adapted to the global position, and
-- the ones the measured timeline queries need. The specification's
-- single-column indexes (event_type, aggregate_type, aggregate_id, project_id,
-- rule_id, discipline, correlation_id, timestamp) are left out: each is covered
-- by a composite below (a leading column) or by one of these filter indexes,
-- and every extra index slows every append.
--
-- correlation + sequence: unique, which also proves gapless batches never
-- collide. Serves get_by_correlation and rollback.
CREATE UNIQUE INDEX ix_workflow_events_correlation_seq
  ON workflow_events(correlation_id, sequence_num);
-- The timeline filter indexes all end with is_rolled_back (position, the
-- rowid, is implicitly last): every filter column of a query is then in one
-- index, so the total is counted and the page's positions are found without
-- reading the table; only the page's rows are read.
--
-- project + time: date-range filters.
CREATE INDEX ix_workflow_events_project_time
  ON workflow_events(project_id, timestamp, is_rolled_back);
-- aggregate lookup: asset history, in position order, without a sort.
CREATE INDEX ix_workflow_events_aggregate_lookup
  ON workflow_events(aggregate_type, aggregate_id, position);
-- timeline pages, newest first, with no other filter.
CREATE INDEX ix_workflow_events_project_position
  ON workflow_events(project_id, position, is_rolled_back);
-- event types, disciplines and both together (either order of use).
CREATE INDEX ix_workflow_events_project_type
  ON workflow_events(project_id, event_type, discipline, is_rolled_back);
CREATE INDEX ix_workflow_events_project_discipline
  ON workflow_events(project_id, discipline, event_type, is_rolled_back);
CREATE INDEX ix_workflow_events_project_rule
  ON workflow_events(project_id, rule_id, is_rolled_back);

-- Append-only: no DELETE; no UPDATE but is_rolled_back from 0 to 1.
CREATE TRIGGER workflow_events_no_delete
BEFORE DELETE ON workflow_events
BEGIN
  SELECT RAISE(ABORT, 'workflow_events is append-only: DELETE is not allowed');
END;

CREATE TRIGGER workflow_events_no_update
BEFORE UPDATE ON workflow_events
WHEN NOT (OLD.is_rolled_back = 0 AND NEW.is_rolled_back = 1
          AND NEW.position IS OLD.position AND NEW.id IS OLD.id
          AND NEW.event_type IS OLD.event_type AND NEW.aggregate_type IS OLD.aggregate_type
          AND NEW.aggregate_id IS OLD.aggregate_id AND NEW.project_id IS OLD.project_id
          AND NEW.rule_id IS OLD.rule_id AND NEW.discipline IS OLD.discipline
          AND NEW.payload IS OLD.payload AND NEW.metadata IS OLD.metadata
          AND NEW.correlation_id IS OLD.correlation_id AND NEW.causation_id IS OLD.causation_id
          AND NEW.sequence_num IS OLD.sequence_num AND NEW.user_id IS OLD.user_id
          AND NEW.timestamp IS OLD.timestamp)
BEGIN
  SELECT RAISE(ABORT, 'workflow_events is append-only: only is_rolled_back may change, from false to true');
END;

CREATE TABLE execution_snapshots (
  id             TEXT PRIMARY KEY,
  correlation_id TEXT NOT NULL UNIQUE,
  project_id     TEXT NOT NULL REFERENCES projects(id),
  snapshot_data  TEXT NOT NULL,
  events_count   INTEGER NOT NULL DEFAULT 0,
  status         TEXT NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'ROLLED_BACK')),
  executed_at    INTEGER NOT NULL,
  rolled_back_at INTEGER,
  rolled_back_by TEXT
);
CREATE INDEX ix_execution_snapshots_project_status
  ON execution_snapshots(project_id, status, executed_at);

-- Snapshots are immutable too, but for the specification's two changes: the
-- event count while ACTIVE (SnapshotService.update_event_count) and the one
-- move from ACTIVE to ROLLED_BACK with its time and user.
CREATE TRIGGER execution_snapshots_no_delete
BEFORE DELETE ON execution_snapshots
BEGIN
  SELECT RAISE(ABORT, 'execution_snapshots is append-only: DELETE is not allowed');
END;

CREATE TRIGGER execution_snapshots_no_update
BEFORE UPDATE ON execution_snapshots
WHEN NOT (NEW.id IS OLD.id AND NEW.correlation_id IS OLD.correlation_id
          AND NEW.project_id IS OLD.project_id AND NEW.snapshot_data IS OLD.snapshot_data
          AND NEW.executed_at IS OLD.executed_at AND OLD.status = 'ACTIVE'
          AND ((NEW.status = 'ACTIVE' AND NEW.rolled_back_at IS NULL AND NEW.rolled_back_by IS NULL)
               OR (NEW.status = 'ROLLED_BACK' AND NEW.events_count IS OLD.events_count
                   AND NEW.rolled_back_at IS NOT NULL)))
BEGIN
  SELECT RAISE(ABORT, 'execution_snapshots is append-only: only the event count of an active snapshot and its move to ROLLED_BACK may change');
END;

CREATE TABLE executions (
  execution_id   TEXT PRIMARY KEY,
  project_id     TEXT NOT NULL REFERENCES projects(id),
  correlation_id TEXT,
  mode           TEXT NOT NULL DEFAULT 'execute',
  filters        TEXT,
  status         TEXT NOT NULL,
  user_id        TEXT,
  started_at     INTEGER NOT NULL,
  finished_at    INTEGER,
  summary        TEXT,
  error          TEXT
);
CREATE INDEX ix_executions_project_started ON executions(project_id, started_at);
