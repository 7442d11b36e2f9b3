-- SPDX-License-Identifier: GPL-3.0-or-later
-- 0008_state_checkpoints.sql: a project's state every so many events, so "as of" replays from near the moment (PostgreSQL).
--
-- The same table as schema/sqlite/0008_state_checkpoints.sql: the state after
-- the project's events up to and including position, replayed as they
-- happened (rollbacks at their BATCH_ROLLED_BACK event), every 100,000
-- events; written by the replay that first passes the point, never changed,
-- checked by `synapse verify` against its own replay.
CREATE TABLE state_checkpoints (
  project_id   TEXT COLLATE "C" NOT NULL REFERENCES projects(id),
  position     BIGINT NOT NULL,
  events       BIGINT NOT NULL,
  head_hash    TEXT COLLATE "C" NOT NULL,
  content_hash TEXT COLLATE "C" NOT NULL,
  state        TEXT NOT NULL,
  created_at   TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (project_id, position)
);
