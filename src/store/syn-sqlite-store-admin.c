/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-sqlite-store-admin.c: SynSqliteStore: readiness, roles, disabled users and archived projects (schema 0010_admin). */
#include "config.h"

#include "syn-sqlite-store-private.h"

static gboolean
sqlite_read_schema_version (SynStore *store, int *applied, int *shipped, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;
  guint64 n = 0;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT COALESCE(MAX(version), 0) FROM schema_version", error)) ||
      !_syn_sqlite_count_rows (self, stmt, &n, error))
    return FALSE;
  *applied = (int) n;
  *shipped = syn_sqlite_store_latest_schema_version ();
  return TRUE;
}

/* An UPDATE or DELETE of one row by id ?1, with ?2 when @second is set. */
static gboolean
change_one (SynSqliteStore *self, const char *sql, const char *what, const char *id, const char *second,
            gint64 number, GError **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, sql, error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, id);
  if (second != NULL)
    _syn_sqlite_bind_text (stmt, 2, second);
  else if (number != 0)
    sqlite3_bind_int64 (stmt, 2, number);
  else if (sqlite3_bind_parameter_count (stmt) >= 2)
    sqlite3_bind_null (stmt, 2);
  if (!_syn_sqlite_step_done (self, stmt, error))
    return FALSE;
  return _syn_sqlite_require_changed (self, what, id, error);
}

static gboolean
sqlite_set_user_role (SynStore *store, const char *user_id, const char *role, GError **error)
{
  return change_one (SYN_SQLITE_STORE (store), "UPDATE users SET role = ?2 WHERE id = ?1", "user", user_id, role, 0,
                     error);
}

typedef struct
{
  const char *user_id;
  gint64      disabled_at;
} Disable;

/* The flag and, when disabling, every session of the user: one transaction. */
static gboolean
disable_in_transaction (SynSqliteStore *self, gpointer data, GError **error)
{
  Disable *d = data;
  sqlite3_stmt *stmt;

  if (!change_one (self, "UPDATE users SET disabled_at = ?2 WHERE id = ?1", "user", d->user_id, NULL,
                   d->disabled_at, error))
    return FALSE;
  if (d->disabled_at == 0)
    return TRUE;
  if (!(stmt = _syn_sqlite_stmt (self, "DELETE FROM user_tokens WHERE user_id = ?1", error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, d->user_id);
  return _syn_sqlite_step_done (self, stmt, error);
}

static gboolean
sqlite_set_user_disabled (SynStore *store, const char *user_id, gint64 disabled_at, GError **error)
{
  Disable d = { user_id, disabled_at };

  return _syn_sqlite_in_write_transaction (SYN_SQLITE_STORE (store), disable_in_transaction, &d, error);
}

/* A time column of one row by id, 0 for NULL; NOT_FOUND without the row. */
static gboolean
get_time (SynSqliteStore *self, const char *sql, const char *what, const char *id, gint64 *out, GError **error)
{
  sqlite3_stmt *stmt;
  guint64 n = 0;

  if (!(stmt = _syn_sqlite_stmt (self, sql, error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, id);
  if (!_syn_sqlite_count_rows (self, stmt, &n, error))
    return FALSE;
  if ((gint64) n < 0)
    {
      g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_NOT_FOUND, "No %s with id %s", what, id);
      return FALSE;
    }
  *out = (gint64) n;
  return TRUE;
}

static gboolean
sqlite_get_user_disabled (SynStore *store, const char *user_id, gint64 *disabled_at, GError **error)
{
  return get_time (SYN_SQLITE_STORE (store),
                   "SELECT COALESCE((SELECT COALESCE(disabled_at, 0) FROM users WHERE id = ?1), -1)", "user", user_id,
                   disabled_at, error);
}

static gboolean
sqlite_delete_user (SynStore *store, const char *user_id, GError **error)
{
  /* tokens and memberships go with it (ON DELETE CASCADE) */
  return change_one (SYN_SQLITE_STORE (store), "DELETE FROM users WHERE id = ?1", "user", user_id,
                     NULL, 0, error);
}

static gboolean
sqlite_remove_project_member (SynStore *store, const char *project_id, const char *user_id, gboolean *removed,
                              GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "DELETE FROM project_members WHERE project_id = ?1 AND user_id = ?2", error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  _syn_sqlite_bind_text (stmt, 2, user_id);
  if (!_syn_sqlite_step_done (self, stmt, error))
    return FALSE;
  if (removed != NULL)
    *removed = sqlite3_changes (self->db) > 0;
  return TRUE;
}

static gboolean
sqlite_update_project (SynStore *store, SynProject *project, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "UPDATE projects SET name = ?2, description = ?3, country = ?4 WHERE id = ?1",
                                 error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, project->id);
  _syn_sqlite_bind_text (stmt, 2, project->name);
  _syn_sqlite_bind_text (stmt, 3, project->description);
  _syn_sqlite_bind_text (stmt, 4, project->country);
  if (!_syn_sqlite_step_done (self, stmt, error))
    return FALSE;
  return _syn_sqlite_require_changed (self, "project", project->id, error);
}

static gboolean
sqlite_set_project_archived (SynStore *store, const char *project_id, gint64 archived_at, GError **error)
{
  return change_one (SYN_SQLITE_STORE (store), "UPDATE projects SET archived_at = ?2 WHERE id = ?1", "project",
                     project_id, NULL, archived_at, error);
}

static gboolean
sqlite_get_project_archived (SynStore *store, const char *project_id, gint64 *archived_at, GError **error)
{
  return get_time (SYN_SQLITE_STORE (store),
                   "SELECT COALESCE((SELECT COALESCE(archived_at, 0) FROM projects WHERE id = ?1), -1)", "project",
                   project_id, archived_at, error);
}

void
_syn_sqlite_store_admin_iface_init (SynStoreInterface *iface)
{
  iface->read_schema_version = sqlite_read_schema_version;
  iface->set_user_role = sqlite_set_user_role;
  iface->set_user_disabled = sqlite_set_user_disabled;
  iface->get_user_disabled = sqlite_get_user_disabled;
  iface->delete_user = sqlite_delete_user;
  iface->remove_project_member = sqlite_remove_project_member;
  iface->update_project = sqlite_update_project;
  iface->set_project_archived = sqlite_set_project_archived;
  iface->get_project_archived = sqlite_get_project_archived;
}
