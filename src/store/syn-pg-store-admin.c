/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-pg-store-admin.c: SynPgStore: readiness, roles, disabled users and archived projects (schema 0010_admin). */
#include "config.h"

#include "syn-pg-store-private.h"

static gboolean
pg_read_schema_version (SynStore *store, int *applied, int *shipped, GError **error)
{
  guint64 n = 0;

  if (!_syn_pg_query_count (SYN_PG_STORE (store), "SELECT COALESCE(MAX(version), 0) FROM schema_version", NULL, &n,
                            error))
    return FALSE;
  *applied = (int) n;
  *shipped = syn_pg_store_latest_schema_version ();
  return TRUE;
}

/* An UPDATE or DELETE of one row, its id first among @p. */
static gboolean
change_one (SynStore *store, const char *sql, const SynPgParams *p, const char *what, const char *id, GError **error)
{
  g_autoptr(PGresult) res = _syn_pg_exec (SYN_PG_STORE (store), sql, p, TRUE, error);

  return res != NULL && _syn_pg_require_changed (res, what, id, error);
}

static gboolean
pg_set_user_role (SynStore *store, const char *user_id, const char *role, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, user_id);
  _syn_pg_add_text (&p, role);
  return change_one (store, "UPDATE users SET role = $2 WHERE id = $1", &p, "user", user_id, error);
}

/* The flag and, when disabling, every session of the user: one statement. */
static gboolean
pg_set_user_disabled (SynStore *store, const char *user_id, gint64 disabled_at, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, user_id);
  _syn_pg_add_time (&p, disabled_at, TRUE);
  return change_one (store,
                     "WITH gone AS (DELETE FROM user_tokens WHERE user_id = $1 AND $2::timestamptz IS NOT NULL) "
                     "UPDATE users SET disabled_at = $2 WHERE id = $1", &p, "user", user_id, error);
}

/* A time column of one row by id, 0 for NULL; NOT_FOUND without the row. */
static gboolean
get_time (SynStore *store, const char *sql, const char *what, const char *id, gint64 *out, GError **error)
{
  g_auto(SynPgParams) p = { 0 };
  guint64 n = 0;

  _syn_pg_add_text (&p, id);
  if (!_syn_pg_query_count (SYN_PG_STORE (store), sql, &p, &n, error))
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
pg_get_user_disabled (SynStore *store, const char *user_id, gint64 *disabled_at, GError **error)
{
  return get_time (store, "SELECT COALESCE((SELECT COALESCE(" SYN_PG_USEC ("disabled_at") ", 0) FROM users "
                          "WHERE id = $1), -1)", "user", user_id, disabled_at, error);
}

static gboolean
pg_delete_user (SynStore *store, const char *user_id, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  /* tokens and memberships go with it (ON DELETE CASCADE) */
  _syn_pg_add_text (&p, user_id);
  return change_one (store, "DELETE FROM users WHERE id = $1", &p, "user", user_id, error);
}

static gboolean
pg_remove_project_member (SynStore *store, const char *project_id, const char *user_id, gboolean *removed,
                          GError **error)
{
  g_auto(SynPgParams) p = { 0 };
  g_autoptr(PGresult) res = NULL;

  _syn_pg_add_text (&p, project_id);
  _syn_pg_add_text (&p, user_id);
  res = _syn_pg_exec (SYN_PG_STORE (store), "DELETE FROM project_members WHERE project_id = $1 AND user_id = $2", &p,
                      TRUE, error);
  if (res == NULL)
    return FALSE;
  if (removed != NULL)
    *removed = g_strcmp0 (PQcmdTuples (res), "0") != 0;
  return TRUE;
}

static gboolean
pg_update_project (SynStore *store, SynProject *project, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, project->id);
  _syn_pg_add_text (&p, project->name);
  _syn_pg_add_text (&p, project->description);
  _syn_pg_add_text (&p, project->country);
  return change_one (store, "UPDATE projects SET name = $2, description = $3, country = $4 WHERE id = $1", &p,
                     "project", project->id, error);
}

static gboolean
pg_set_project_archived (SynStore *store, const char *project_id, gint64 archived_at, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, project_id);
  _syn_pg_add_time (&p, archived_at, TRUE);
  return change_one (store, "UPDATE projects SET archived_at = $2 WHERE id = $1", &p, "project", project_id, error);
}

static gboolean
pg_get_project_archived (SynStore *store, const char *project_id, gint64 *archived_at, GError **error)
{
  return get_time (store, "SELECT COALESCE((SELECT COALESCE(" SYN_PG_USEC ("archived_at") ", 0) FROM projects "
                          "WHERE id = $1), -1)", "project", project_id, archived_at, error);
}

void
_syn_pg_store_admin_iface_init (SynStoreInterface *iface)
{
  iface->read_schema_version = pg_read_schema_version;
  iface->set_user_role = pg_set_user_role;
  iface->set_user_disabled = pg_set_user_disabled;
  iface->get_user_disabled = pg_get_user_disabled;
  iface->delete_user = pg_delete_user;
  iface->remove_project_member = pg_remove_project_member;
  iface->update_project = pg_update_project;
  iface->set_project_archived = pg_set_project_archived;
  iface->get_project_archived = pg_get_project_archived;
}
