-- SPDX-License-Identifier: GPL-3.0-or-later
-- 0009_run_messages.sql: the live messages of executions, shared by every server on the database (SQLite).
--
-- As schema/postgres/0009_run_messages.sql, so the two schemas stay alike.
-- On SQLite one server runs alone: it keeps each run's messages in memory
-- (the last 16 runs) and leaves these tables empty; a server on PostgreSQL
-- uses them so any server streams any run. INTEGER microseconds since the
-- epoch, UTC.

CREATE TABLE runs (
  execution_id     TEXT PRIMARY KEY,
  project_id       TEXT NOT NULL,
  mode             TEXT NOT NULL,
  server_id        TEXT NOT NULL,
  owner_pid        INTEGER,
  status           TEXT NOT NULL,
  error            TEXT,
  started_at       INTEGER NOT NULL,
  heartbeat_at     INTEGER NOT NULL,
  finished_at      INTEGER,
  cancel_requested INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ix_runs_unfinished ON runs(heartbeat_at) WHERE finished_at IS NULL;
CREATE INDEX ix_runs_finished ON runs(finished_at);

CREATE TABLE run_messages (
  execution_id TEXT NOT NULL REFERENCES runs(execution_id) ON DELETE CASCADE,
  seq          INTEGER NOT NULL,
  message      TEXT NOT NULL,
  PRIMARY KEY (execution_id, seq)
);
