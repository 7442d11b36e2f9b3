-- SPDX-License-Identifier: GPL-3.0-or-later
-- 0009_run_messages.sql: the live messages of executions, shared by every server on the database (PostgreSQL).
--
-- As schema/sqlite/0009_run_messages.sql. A server running an execution
-- (its owner) writes a row in runs when it starts, appends each message the
-- watchers get to run_messages with the next sequence number (1, 2, ...) and
-- NOTIFYs synapse_run with {"execution_id", "seq"}; every other server
-- forwards them to its own watchers of the run, from the table, so a late
-- joiner gets the run so far and then the live ones. The owner touches
-- heartbeat_at while it runs; a run whose heartbeat stopped, or whose
-- owner's connection (owner_pid, its backend) is gone, is marked failed by
-- another server. cancel_requested is a cancel asked on another server
-- (also NOTIFYd on synapse_run_cancel). Finished runs are purged after the
-- server's retention; the executions table keeps their outcome.

CREATE TABLE runs (
  execution_id     TEXT COLLATE "C" PRIMARY KEY,
  project_id       TEXT COLLATE "C" NOT NULL,   -- as the request named it: an id or a name
  mode             TEXT NOT NULL,
  server_id        TEXT NOT NULL,                -- the owner: "host:pid:random"
  owner_pid        INTEGER,                      -- the owner's connection: pg_backend_pid()
  status           TEXT NOT NULL,                -- running, then completed, preview, up_to_date, failed or cancelled
  error            TEXT,
  started_at       TIMESTAMPTZ NOT NULL,
  heartbeat_at     TIMESTAMPTZ NOT NULL,
  finished_at      TIMESTAMPTZ,
  cancel_requested BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX ix_runs_unfinished ON runs(heartbeat_at) WHERE finished_at IS NULL;
CREATE INDEX ix_runs_finished ON runs(finished_at);

CREATE TABLE run_messages (
  execution_id TEXT COLLATE "C" NOT NULL REFERENCES runs(execution_id) ON DELETE CASCADE,
  seq          BIGINT NOT NULL,
  message      TEXT NOT NULL,   -- the JSON text exactly as the watchers get it
  PRIMARY KEY (execution_id, seq)
);
