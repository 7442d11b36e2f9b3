-- SPDX-License-Identifier: GPL-3.0-or-later
-- 0005_unshown_password.sql: which users have a password nobody was ever shown (PostgreSQL).
--
-- The same column and the same one-time marking as schema/sqlite/0005_unshown_password.sql.
ALTER TABLE users ADD COLUMN password_unshown BOOLEAN NOT NULL DEFAULT FALSE;

UPDATE users SET password_unshown = TRUE
 WHERE username = 'admin' AND display_name = 'Administrator' AND role = 'admin'
   AND NOT EXISTS (SELECT 1 FROM user_tokens t WHERE t.user_id = users.id);
