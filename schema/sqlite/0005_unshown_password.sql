-- SPDX-License-Identifier: GPL-3.0-or-later
-- 0005_unshown_password.sql: which users have a password nobody was ever shown (SQLite).
--
-- `synapse serve` on an empty user table makes the admin with a random
-- password and prints it once; password_unshown is 1 from that insert until
-- the password has been printed, is replaced (synapse user passwd) or signs
-- in. A server that starts on a database with such a user says how to
-- recover. Users made with a password a person typed are 0.
ALTER TABLE users ADD COLUMN password_unshown INTEGER NOT NULL DEFAULT 0
  CHECK (password_unshown IN (0, 1));

-- Before this column, a server that could not listen had already made its
-- admin, whose password was then never printed. Such an admin, as serve names
-- it, with no session, is taken to be unshown: the next sign-in clears it.
UPDATE users SET password_unshown = 1
 WHERE username = 'admin' AND display_name = 'Administrator' AND role = 'admin'
   AND NOT EXISTS (SELECT 1 FROM user_tokens t WHERE t.user_id = users.id);
