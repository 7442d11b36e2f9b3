-- SPDX-License-Identifier: GPL-3.0-or-later
-- 0010_admin.sql: disabled users and archived projects, for the server's administration (SQLite).
--
-- A disabled user cannot sign in (their tokens are deleted when disabled); an
-- archived project leaves the project lists and refuses writes, its history
-- kept. NULL: enabled, not archived. INTEGER microseconds since the epoch, UTC.

ALTER TABLE users ADD COLUMN disabled_at INTEGER;
ALTER TABLE projects ADD COLUMN archived_at INTEGER;
