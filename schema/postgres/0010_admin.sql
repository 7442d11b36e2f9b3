-- SPDX-License-Identifier: GPL-3.0-or-later
-- 0010_admin.sql: disabled users and archived projects, for the server's administration (PostgreSQL).
--
-- As schema/sqlite/0010_admin.sql. NULL: enabled, not archived.

ALTER TABLE users ADD COLUMN disabled_at TIMESTAMPTZ;
ALTER TABLE projects ADD COLUMN archived_at TIMESTAMPTZ;
