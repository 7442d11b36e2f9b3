-- SPDX-License-Identifier: GPL-3.0-or-later
-- 0011_offline_sync.sql: clones of a server's project, their pending operations, and the server's push keys (PostgreSQL).
--
-- sync_clones: in a clone (a SQLite file `synapse clone` made), where its
-- project came from: the server, the project there, the clone's id (a
-- UUID), and the base: the server's head (position and chain hash) the
-- clone last equalled, and the clone's own position of that event. Every
-- local batch after local_base_position is pending.
-- sync_operations: each local batch of a clone as the operation it was
-- (the backend operation and its parameters, the user, what it was made
-- on: "basis"), oldest first; status pending, conflict (conflict: both
-- values), pushed (server_correlation_id: the server's batch, the map from
-- local batch ids) or dropped ("keep theirs").
-- sync_push_keys: on a server, each pushed operation's idempotency key
-- (clone id + local batch id), written in the transaction of the batch it
-- made, so that a push retried after a cut is not applied twice.
-- docs/design-notes.md, "Offline work". Times: TIMESTAMPTZ.

CREATE TABLE sync_clones (
  project_id            TEXT COLLATE "C" PRIMARY KEY REFERENCES projects(id),
  clone_id              TEXT NOT NULL,
  server_url            TEXT NOT NULL,
  server_project_id     TEXT COLLATE "C" NOT NULL,
  username              TEXT,
  base_position         BIGINT NOT NULL,
  base_head_hash        TEXT,
  local_base_position   BIGINT NOT NULL,
  server_head_position  BIGINT,
  server_batches_behind BIGINT,
  server_seen_at        TIMESTAMPTZ,
  created_at            TIMESTAMPTZ NOT NULL,
  synced_at             TIMESTAMPTZ
);

CREATE TABLE sync_operations (
  id                    BIGSERIAL PRIMARY KEY,
  project_id            TEXT COLLATE "C" NOT NULL REFERENCES projects(id),
  correlation_id        TEXT COLLATE "C" NOT NULL,
  op                    TEXT NOT NULL,
  params                TEXT NOT NULL DEFAULT '{}',
  user_id               TEXT,
  basis                 TEXT,
  status                TEXT NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'conflict', 'pushed', 'dropped')),
  conflict              TEXT,
  server_correlation_id TEXT COLLATE "C",
  created_at            TIMESTAMPTZ NOT NULL,
  updated_at            TIMESTAMPTZ NOT NULL,
  UNIQUE (project_id, correlation_id)
);

CREATE TABLE sync_push_keys (
  idempotency_key       TEXT COLLATE "C" PRIMARY KEY,
  project_id            TEXT COLLATE "C" NOT NULL REFERENCES projects(id),
  correlation_id        TEXT COLLATE "C" NOT NULL,
  created_at            TIMESTAMPTZ NOT NULL
);
