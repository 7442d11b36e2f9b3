/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-pg-store-chain.c: SynPgStore: the hash chain's head and the marks of the last verified position. */
#include "config.h"

#include "syn-pg-store-private.h"

/* One row of (position, hash), or none: *position -1 and *hash NULL. */
static gboolean
query_position_hash (SynPgStore *self, const char *sql, const char *project_id, gint64 *position, char **hash,
                     GError **error)
{
  g_auto(SynPgParams) p = { 0 };
  g_autoptr(PGresult) res = NULL;

  *position = -1;
  *hash = NULL;
  _syn_pg_add_text (&p, project_id);
  if (!(res = _syn_pg_exec (self, sql, &p, FALSE, error)))
    return FALSE;
  if (PQntuples (res) > 0)
    {
      *position = _syn_pg_col_int (res, 0, 0);
      if (!PQgetisnull (res, 0, 1))
        *hash = g_strdup (PQgetvalue (res, 0, 1));
    }
  return TRUE;
}

static gboolean
pg_get_chain_head (SynStore *store, const char *project_id, gint64 *position, char **hash, GError **error)
{
  return query_position_hash (SYN_PG_STORE (store), "SELECT position, event_hash FROM workflow_events "
                              "WHERE project_id = $1 ORDER BY position DESC LIMIT 1", project_id, position, hash,
                              error);
}

static gboolean
pg_get_chain_mark (SynStore *store, const char *project_id, gint64 *position, char **hash, GError **error)
{
  return query_position_hash (SYN_PG_STORE (store), "SELECT position, head_hash FROM chain_marks "
                              "WHERE project_id = $1", project_id, position, hash, error);
}

static gboolean
pg_set_chain_mark (SynStore *store, const char *project_id, gint64 position, const char *hash, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, project_id);
  _syn_pg_add_int (&p, position);
  _syn_pg_add_text (&p, hash);
  return _syn_pg_exec_ok (SYN_PG_STORE (store), "INSERT INTO chain_marks (project_id, position, head_hash, "
                          "verified_at) VALUES ($1, $2, $3, now()) ON CONFLICT (project_id) DO UPDATE SET "
                          "position = excluded.position, head_hash = excluded.head_hash, "
                          "verified_at = excluded.verified_at", &p, error);
}

void
_syn_pg_store_chain_iface_init (SynStoreInterface *iface)
{
  iface->get_chain_head = pg_get_chain_head;
  iface->get_chain_mark = pg_get_chain_mark;
  iface->set_chain_mark = pg_set_chain_mark;
}
