/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-sqlite-store-chain.c: SynSqliteStore: the hash chain's head, the marks of the last verified position, state checkpoints. */
#include "config.h"

#include "syn-sqlite-store-private.h"

/* One row of (position, hash), or none: *position -1 and *hash NULL. */
static gboolean
read_position_hash (SynSqliteStore *self, sqlite3_stmt *stmt, gint64 *position, char **hash, GError **error)
{
  int rc = sqlite3_step (stmt);

  *position = -1;
  *hash = NULL;
  if (rc == SQLITE_ROW)
    {
      *position = sqlite3_column_int64 (stmt, 0);
      if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
        *hash = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _syn_sqlite_fail (self, rc, error);
  return TRUE;
}

static gboolean
sqlite_get_chain_head (SynStore *store, const char *project_id, gint64 *position, char **hash, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT position, event_hash FROM workflow_events WHERE project_id = ?1 "
                                       "ORDER BY position DESC LIMIT 1", error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  return read_position_hash (self, stmt, position, hash, error);
}

static gboolean
sqlite_get_chain_mark (SynStore *store, const char *project_id, gint64 *position, char **hash, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT position, head_hash FROM chain_marks WHERE project_id = ?1", error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  return read_position_hash (self, stmt, position, hash, error);
}

static gboolean
sqlite_set_chain_mark (SynStore *store, const char *project_id, gint64 position, const char *hash, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "INSERT INTO chain_marks (project_id, position, head_hash, verified_at) "
                                       "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (project_id) DO UPDATE SET "
                                       "position = excluded.position, head_hash = excluded.head_hash, "
                                       "verified_at = excluded.verified_at", error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  sqlite3_bind_int64 (stmt, 2, position);
  _syn_sqlite_bind_text (stmt, 3, hash);
  sqlite3_bind_int64 (stmt, 4, syn_time_now_usec ());
  return _syn_sqlite_step_done (self, stmt, error);
}

#define CHECKPOINT_COLS "project_id, position, events, head_hash, content_hash, created_at"

/* A row of CHECKPOINT_COLS, then the state when selected. */
static gpointer
read_checkpoint (sqlite3_stmt *stmt)
{
  SynStateCheckpoint *c = g_new0 (SynStateCheckpoint, 1);

  c->project_id = _syn_sqlite_col_text (stmt, 0);
  c->position = sqlite3_column_int64 (stmt, 1);
  c->events = sqlite3_column_int64 (stmt, 2);
  c->head_hash = _syn_sqlite_col_text (stmt, 3);
  c->content_hash = _syn_sqlite_col_text (stmt, 4);
  c->created_at = sqlite3_column_int64 (stmt, 5);
  if (sqlite3_column_count (stmt) > 6)
    c->state = _syn_sqlite_col_text (stmt, 6);
  return c;
}

static gboolean
sqlite_insert_checkpoint (SynStore *store, const SynStateCheckpoint *c, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "INSERT INTO state_checkpoints (project_id, position, events, head_hash, "
                                       "content_hash, created_at, state) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
                                       "ON CONFLICT (project_id, position) DO NOTHING", error)))
    return FALSE;
  _syn_sqlite_bind_static (stmt, 1, c->project_id);
  sqlite3_bind_int64 (stmt, 2, c->position);
  sqlite3_bind_int64 (stmt, 3, c->events);
  _syn_sqlite_bind_static (stmt, 4, c->head_hash);
  _syn_sqlite_bind_static (stmt, 5, c->content_hash);
  sqlite3_bind_int64 (stmt, 6, c->created_at ? c->created_at : syn_time_now_usec ());
  _syn_sqlite_bind_static (stmt, 7, c->state);
  return _syn_sqlite_step_done (self, stmt, error);
}

static gboolean
sqlite_find_checkpoint (SynStore *store, const char *project_id, gint64 at_most, gboolean with_state,
                        SynStateCheckpoint **out, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  g_autoptr(GPtrArray) rows = NULL;
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, with_state
                                 ? "SELECT " CHECKPOINT_COLS ", state FROM state_checkpoints WHERE project_id = ?1 "
                                   "AND position <= ?2 ORDER BY position DESC LIMIT 1"
                                 : "SELECT " CHECKPOINT_COLS " FROM state_checkpoints WHERE project_id = ?1 "
                                   "AND position <= ?2 ORDER BY position DESC LIMIT 1", error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  sqlite3_bind_int64 (stmt, 2, at_most);
  if (!(rows = _syn_sqlite_collect_rows (self, stmt, read_checkpoint, error)))
    return FALSE;
  if (rows->len > 0)
    *out = g_ptr_array_steal_index (rows, 0);
  return TRUE;
}

static GPtrArray *
sqlite_list_checkpoints (SynStore *store, const char *project_id, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  GPtrArray *rows;
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT " CHECKPOINT_COLS " FROM state_checkpoints WHERE project_id = ?1 "
                                       "ORDER BY position", error)))
    return NULL;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  if ((rows = _syn_sqlite_collect_rows (self, stmt, read_checkpoint, error)))
    g_ptr_array_set_free_func (rows, (GDestroyNotify) syn_state_checkpoint_free);
  return rows;
}

void
_syn_sqlite_store_chain_iface_init (SynStoreInterface *iface)
{
  iface->insert_checkpoint = sqlite_insert_checkpoint;
  iface->find_checkpoint = sqlite_find_checkpoint;
  iface->list_checkpoints = sqlite_list_checkpoints;
  iface->get_chain_head = sqlite_get_chain_head;
  iface->get_chain_mark = sqlite_get_chain_mark;
  iface->set_chain_mark = sqlite_set_chain_mark;
}
