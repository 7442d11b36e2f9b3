/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-sqlite-store-chain.c: SynSqliteStore: the hash chain's head and the marks of the last verified position. */
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

void
_syn_sqlite_store_chain_iface_init (SynStoreInterface *iface)
{
  iface->get_chain_head = sqlite_get_chain_head;
  iface->get_chain_mark = sqlite_get_chain_mark;
  iface->set_chain_mark = sqlite_set_chain_mark;
}
