/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-pg-store-auth.c: SynPgStore: session tokens and project membership (schema 0002_auth). */
#include "config.h"

#include "syn-pg-store-private.h"

#define JOINED_USER_COLS "u.id, u.username, u.display_name, u.role, u.password_hash, " \
                         SYN_PG_USEC ("u.created_at")
#define JOINED_PROJECT_COLS "p.id, p.name, p.description, p.country, " SYN_PG_USEC ("p.created_at")

static gboolean
pg_insert_token (SynStore *store, const char *token_hash, const char *user_id,
                 gint64 created_at, gint64 expires_at, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, token_hash);
  _syn_pg_add_text (&p, user_id);
  _syn_pg_add_time (&p, created_at, FALSE);
  _syn_pg_add_time (&p, expires_at, FALSE);
  return _syn_pg_exec_ok (SYN_PG_STORE (store), "INSERT INTO user_tokens (token_hash, user_id, created_at, "
                          "expires_at) VALUES ($1, $2, $3, $4)", &p, error);
}

static SynUser *
pg_get_token_user (SynStore *store, const char *token_hash, gint64 now, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, token_hash);
  _syn_pg_add_time (&p, now, FALSE);
  return _syn_pg_query_one (SYN_PG_STORE (store), "SELECT " JOINED_USER_COLS " FROM user_tokens t "
                            "JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.expires_at > $2",
                            &p, _syn_pg_read_user, error);
}

static gboolean
pg_delete_token (SynStore *store, const char *token_hash, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, token_hash);
  return _syn_pg_exec_ok (SYN_PG_STORE (store), "DELETE FROM user_tokens WHERE token_hash = $1", &p, error);
}

static gboolean
pg_delete_expired_tokens (SynStore *store, gint64 now, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_time (&p, now, FALSE);
  return _syn_pg_exec_ok (SYN_PG_STORE (store), "DELETE FROM user_tokens WHERE expires_at <= $1", &p, error);
}

static gboolean
pg_add_project_member (SynStore *store, const char *project_id, const char *user_id,
                       gint64 added_at, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, project_id);
  _syn_pg_add_text (&p, user_id);
  _syn_pg_add_time (&p, added_at != 0 ? added_at : syn_time_now_usec (), FALSE);
  return _syn_pg_exec_ok (SYN_PG_STORE (store), "INSERT INTO project_members (project_id, user_id, added_at) "
                          "VALUES ($1, $2, $3) ON CONFLICT (project_id, user_id) DO NOTHING", &p, error);
}

static gboolean
pg_is_project_member (SynStore *store, const char *project_id, const char *user_id,
                      gboolean *is_member, GError **error)
{
  g_auto(SynPgParams) p = { 0 };
  guint64 n = 0;

  _syn_pg_add_text (&p, project_id);
  _syn_pg_add_text (&p, user_id);
  if (!_syn_pg_query_count (SYN_PG_STORE (store), "SELECT count(*) FROM project_members "
                            "WHERE project_id = $1 AND user_id = $2", &p, &n, error))
    return FALSE;
  if (is_member != NULL)
    *is_member = n > 0;
  return TRUE;
}

static GPtrArray *
pg_list_project_members (SynStore *store, const char *project_id, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, project_id);
  return _syn_pg_query_rows (SYN_PG_STORE (store), "SELECT " JOINED_USER_COLS " FROM project_members m "
                             "JOIN users u ON u.id = m.user_id WHERE m.project_id = $1 ORDER BY u.username",
                             &p, _syn_pg_read_user, error);
}

static GPtrArray *
pg_list_member_projects (SynStore *store, const char *user_id, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, user_id);
  return _syn_pg_query_rows (SYN_PG_STORE (store), "SELECT " JOINED_PROJECT_COLS " FROM project_members m "
                             "JOIN projects p ON p.id = m.project_id WHERE m.user_id = $1 AND p.archived_at IS NULL "
                             "ORDER BY p.name",
                             &p, _syn_pg_read_project, error);
}

static gboolean
pg_update_user_password (SynStore *store, const char *user_id, const char *password_hash, GError **error)
{
  g_auto(SynPgParams) p = { 0 };
  g_autoptr(PGresult) res = NULL;

  _syn_pg_add_text (&p, user_id);
  _syn_pg_add_text (&p, password_hash);
  res = _syn_pg_exec (SYN_PG_STORE (store), "UPDATE users SET password_hash = $2, password_unshown = FALSE WHERE id = $1",
                     &p, TRUE, error);
  return res != NULL && _syn_pg_require_changed (res, "user", user_id, error);
}

static gboolean
pg_set_password_unshown (SynStore *store, const char *user_id, gboolean unshown, GError **error)
{
  g_auto(SynPgParams) p = { 0 };
  g_autoptr(PGresult) res = NULL;

  _syn_pg_add_text (&p, user_id);
  _syn_pg_add_bool (&p, unshown);
  res = _syn_pg_exec (SYN_PG_STORE (store), "UPDATE users SET password_unshown = $2 WHERE id = $1", &p, TRUE, error);
  return res != NULL && _syn_pg_require_changed (res, "user", user_id, error);
}

static GPtrArray *
pg_list_unshown_password_users (SynStore *store, GError **error)
{
  return _syn_pg_query_rows (SYN_PG_STORE (store), "SELECT " SYN_PG_USER_COLS " FROM users WHERE password_unshown "
                             "ORDER BY username", NULL, _syn_pg_read_user, error);
}

void
_syn_pg_store_auth_iface_init (SynStoreInterface *iface)
{
  iface->insert_token = pg_insert_token;
  iface->get_token_user = pg_get_token_user;
  iface->delete_token = pg_delete_token;
  iface->delete_expired_tokens = pg_delete_expired_tokens;
  iface->add_project_member = pg_add_project_member;
  iface->is_project_member = pg_is_project_member;
  iface->list_project_members = pg_list_project_members;
  iface->list_member_projects = pg_list_member_projects;
  iface->update_user_password = pg_update_user_password;
  iface->set_password_unshown = pg_set_password_unshown;
  iface->list_unshown_password_users = pg_list_unshown_password_users;
}
