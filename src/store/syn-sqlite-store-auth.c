/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-sqlite-store-auth.c: SynSqliteStore: session tokens and project membership (schema 0002_auth). */
#include "config.h"

#include "syn-sqlite-store-private.h"

/* ------------------------------------------------------------------------- */
/* Tokens and project membership (0002_auth)                                 */

static gboolean
sqlite_insert_token (SynStore *store, const char *token_hash, const char *user_id,
                     gint64 created_at, gint64 expires_at, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "INSERT INTO user_tokens (token_hash, user_id, created_at, expires_at) "
                                       "VALUES (?1, ?2, ?3, ?4)", error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, token_hash);
  _syn_sqlite_bind_text (stmt, 2, user_id);
  sqlite3_bind_int64 (stmt, 3, created_at);
  sqlite3_bind_int64 (stmt, 4, expires_at);
  return _syn_sqlite_step_done (self, stmt, error);
}

static SynUser *
sqlite_get_token_user (SynStore *store, const char *token_hash, gint64 now, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT u.id, u.username, u.display_name, u.role, u.password_hash, u.created_at "
                                       "FROM user_tokens t JOIN users u ON u.id = t.user_id "
                                       "WHERE t.token_hash = ?1 AND t.expires_at > ?2", error)))
    return NULL;
  _syn_sqlite_bind_text (stmt, 1, token_hash);
  sqlite3_bind_int64 (stmt, 2, now);
  return _syn_sqlite_collect_one (self, stmt, _syn_sqlite_read_user, error);
}

static gboolean
sqlite_delete_token (SynStore *store, const char *token_hash, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "DELETE FROM user_tokens WHERE token_hash = ?1", error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, token_hash);
  return _syn_sqlite_step_done (self, stmt, error);
}

static gboolean
sqlite_delete_expired_tokens (SynStore *store, gint64 now, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "DELETE FROM user_tokens WHERE expires_at <= ?1", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  return _syn_sqlite_step_done (self, stmt, error);
}

static gboolean
sqlite_add_project_member (SynStore *store, const char *project_id, const char *user_id,
                           gint64 added_at, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "INSERT INTO project_members (project_id, user_id, added_at) "
                                       "VALUES (?1, ?2, ?3) ON CONFLICT (project_id, user_id) DO NOTHING", error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  _syn_sqlite_bind_text (stmt, 2, user_id);
  sqlite3_bind_int64 (stmt, 3, added_at != 0 ? added_at : syn_time_now_usec ());
  return _syn_sqlite_step_done (self, stmt, error);
}

static gboolean
sqlite_is_project_member (SynStore *store, const char *project_id, const char *user_id,
                          gboolean *is_member, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;
  guint64 n = 0;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT count(*) FROM project_members WHERE project_id = ?1 AND user_id = ?2", error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  _syn_sqlite_bind_text (stmt, 2, user_id);
  if (!_syn_sqlite_count_rows (self, stmt, &n, error))
    return FALSE;
  if (is_member != NULL)
    *is_member = n > 0;
  return TRUE;
}

static GPtrArray *
sqlite_list_project_members (SynStore *store, const char *project_id, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT u.id, u.username, u.display_name, u.role, u.password_hash, u.created_at "
                                       "FROM project_members m JOIN users u ON u.id = m.user_id "
                                       "WHERE m.project_id = ?1 ORDER BY u.username", error)))
    return NULL;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  return _syn_sqlite_collect_rows (self, stmt, _syn_sqlite_read_user, error);
}

static GPtrArray *
sqlite_list_member_projects (SynStore *store, const char *user_id, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT p.id, p.name, p.description, p.country, p.created_at "
                                       "FROM project_members m JOIN projects p ON p.id = m.project_id "
                                       "WHERE m.user_id = ?1 AND p.archived_at IS NULL ORDER BY p.name", error)))
    return NULL;
  _syn_sqlite_bind_text (stmt, 1, user_id);
  return _syn_sqlite_collect_rows (self, stmt, _syn_sqlite_read_project, error);
}

static gboolean
sqlite_update_user_password (SynStore *store, const char *user_id, const char *password_hash, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "UPDATE users SET password_hash = ?2, password_unshown = 0 WHERE id = ?1",
                                 error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, user_id);
  _syn_sqlite_bind_text (stmt, 2, password_hash);
  if (!_syn_sqlite_step_done (self, stmt, error))
    return FALSE;
  return _syn_sqlite_require_changed (self, "user", user_id, error);
}

static gboolean
sqlite_set_password_unshown (SynStore *store, const char *user_id, gboolean unshown, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "UPDATE users SET password_unshown = ?2 WHERE id = ?1", error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, user_id);
  sqlite3_bind_int (stmt, 2, unshown ? 1 : 0);
  if (!_syn_sqlite_step_done (self, stmt, error))
    return FALSE;
  return _syn_sqlite_require_changed (self, "user", user_id, error);
}

static GPtrArray *
sqlite_list_unshown_password_users (SynStore *store, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT " SYN_SQLITE_USER_COLS " FROM users WHERE password_unshown = 1 "
                                       "ORDER BY username", error)))
    return NULL;
  return _syn_sqlite_collect_rows (self, stmt, _syn_sqlite_read_user, error);
}

/* ------------------------------------------------------------------------- */

void
_syn_sqlite_store_auth_iface_init (SynStoreInterface *iface)
{
  iface->insert_token = sqlite_insert_token;
  iface->get_token_user = sqlite_get_token_user;
  iface->delete_token = sqlite_delete_token;
  iface->delete_expired_tokens = sqlite_delete_expired_tokens;
  iface->add_project_member = sqlite_add_project_member;
  iface->is_project_member = sqlite_is_project_member;
  iface->list_project_members = sqlite_list_project_members;
  iface->list_member_projects = sqlite_list_member_projects;
  iface->update_user_password = sqlite_update_user_password;
  iface->set_password_unshown = sqlite_set_password_unshown;
  iface->list_unshown_password_users = sqlite_list_unshown_password_users;
}
