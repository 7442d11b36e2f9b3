-- SPDX-License-Identifier: GPL-3.0-or-later
-- 0002_auth.sql: session tokens and project membership for the team server (PostgreSQL).
--
-- As schema/sqlite/0002_auth.sql. users (0001) already holds the crypt(3)
-- password hash. A token is stored only as the lowercase hex SHA-256 of its
-- secret: a copy of the database grants no session.

CREATE TABLE user_tokens (
  token_hash TEXT COLLATE "C" PRIMARY KEY,
  user_id    TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL
);
-- Purging expired tokens; lookups go through the primary key.
CREATE INDEX ix_user_tokens_expires ON user_tokens(expires_at);

-- The primary key (project_id, user_id) serves "is this user a member" and the
-- member list of a project; the second index serves a user's project list.
CREATE TABLE project_members (
  project_id TEXT COLLATE "C" NOT NULL REFERENCES projects(id),
  user_id    TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  added_at   TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (project_id, user_id)
);
CREATE INDEX ix_project_members_user ON project_members(user_id);
