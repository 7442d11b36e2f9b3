-- SPDX-License-Identifier: GPL-3.0-or-later
-- 0008_state_checkpoints.sql: a project's state every so many events, so "as of" replays from near the moment (SQLite).
--
-- A checkpoint is the state (assets, cables, edges) after the project's
-- events up to and including @position, replayed as they happened: a
-- rollback counts at the position of its BATCH_ROLLED_BACK event, so later
-- rollback flags never make a checkpoint wrong. events: how many events of
-- the project that is (checkpoints fall every 100,000 of them). head_hash:
-- the chain hash of the event at @position. content_hash: SHA-256 of
-- @state, canonical JSON {"assets":[...],"cables":[...],"edges":[...]}
-- ordered by id, derivation records included. They are written by the
-- replay that first passes the point (docs/design-notes.md, "Checkpoints"),
-- never changed, and `synapse verify` compares each with its own replay: a
-- checkpoint is a cache the log proves, never evidence.
CREATE TABLE state_checkpoints (
  project_id   TEXT NOT NULL REFERENCES projects(id),
  position     INTEGER NOT NULL,
  events       INTEGER NOT NULL,
  head_hash    TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  state        TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (project_id, position)
);
