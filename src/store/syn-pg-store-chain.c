/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-pg-store-chain.c: SynPgStore: the hash chain's head, the marks of the last verified position, state checkpoints. */
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

#define CHECKPOINT_COLS "project_id, position, events, head_hash, content_hash, " SYN_PG_USEC ("created_at")

/* A row of CHECKPOINT_COLS, then the state when selected. */
static gpointer
read_checkpoint (PGresult *res, int row)
{
  SynStateCheckpoint *c = g_new0 (SynStateCheckpoint, 1);

  c->project_id = _syn_pg_col_text (res, row, 0);
  c->position = _syn_pg_col_int (res, row, 1);
  c->events = _syn_pg_col_int (res, row, 2);
  c->head_hash = _syn_pg_col_text (res, row, 3);
  c->content_hash = _syn_pg_col_text (res, row, 4);
  c->created_at = _syn_pg_col_int (res, row, 5);
  if (PQnfields (res) > 6)
    c->state = _syn_pg_col_text (res, row, 6);
  return c;
}

static gboolean
pg_insert_checkpoint (SynStore *store, const SynStateCheckpoint *c, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, c->project_id);
  _syn_pg_add_int (&p, c->position);
  _syn_pg_add_int (&p, c->events);
  _syn_pg_add_text (&p, c->head_hash);
  _syn_pg_add_text (&p, c->content_hash);
  _syn_pg_add_time (&p, c->created_at ? c->created_at : syn_time_now_usec (), FALSE);
  _syn_pg_add_text (&p, c->state);
  return _syn_pg_exec_ok (SYN_PG_STORE (store), "INSERT INTO state_checkpoints (project_id, position, events, "
                          "head_hash, content_hash, created_at, state) VALUES ($1, $2, $3, $4, $5, $6, $7) "
                          "ON CONFLICT (project_id, position) DO NOTHING", &p, error);
}

static gboolean
pg_find_checkpoint (SynStore *store, const char *project_id, gint64 at_most, gboolean with_state,
                    SynStateCheckpoint **out, GError **error)
{
  g_auto(SynPgParams) p = { 0 };
  g_autoptr(GPtrArray) rows = NULL;

  _syn_pg_add_text (&p, project_id);
  _syn_pg_add_int (&p, at_most);
  if (!(rows = _syn_pg_query_rows (SYN_PG_STORE (store), with_state
                                   ? "SELECT " CHECKPOINT_COLS ", state FROM state_checkpoints "
                                     "WHERE project_id = $1 AND position <= $2 ORDER BY position DESC LIMIT 1"
                                   : "SELECT " CHECKPOINT_COLS " FROM state_checkpoints "
                                     "WHERE project_id = $1 AND position <= $2 ORDER BY position DESC LIMIT 1",
                                   &p, read_checkpoint, error)))
    return FALSE;
  if (rows->len > 0)
    *out = g_ptr_array_steal_index (rows, 0);
  return TRUE;
}

static GPtrArray *
pg_list_checkpoints (SynStore *store, const char *project_id, GError **error)
{
  g_auto(SynPgParams) p = { 0 };
  GPtrArray *rows;

  _syn_pg_add_text (&p, project_id);
  if ((rows = _syn_pg_query_rows (SYN_PG_STORE (store), "SELECT " CHECKPOINT_COLS " FROM state_checkpoints "
                                  "WHERE project_id = $1 ORDER BY position", &p, read_checkpoint, error)))
    g_ptr_array_set_free_func (rows, (GDestroyNotify) syn_state_checkpoint_free);
  return rows;
}

void
_syn_pg_store_chain_iface_init (SynStoreInterface *iface)
{
  iface->insert_checkpoint = pg_insert_checkpoint;
  iface->find_checkpoint = pg_find_checkpoint;
  iface->list_checkpoints = pg_list_checkpoints;
  iface->get_chain_head = pg_get_chain_head;
  iface->get_chain_mark = pg_get_chain_mark;
  iface->set_chain_mark = pg_set_chain_mark;
}
