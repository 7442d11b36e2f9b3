/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-sqlite-store-sync.c: SynSqliteStore: offline work: the clone record, its recorded operations, push keys, the rewind. */
#include "config.h"

#include <string.h>

#include "syn-sqlite-store-private.h"

#define CLONE_COLS "clone_id, server_url, server_project_id, username, base_position, base_head_hash, " \
                   "local_base_position, server_head_position, server_batches_behind, server_seen_at, created_at, synced_at"

/* The text and integer columns of CLONE_COLS, in order, as members. */
static const char *const clone_text[] = { "clone_id", "server_url", "server_project_id", "username", NULL };
static const char *const clone_ints[] = { "base_position", NULL };
static const char *const clone_more_text[] = { "base_head_hash", NULL };
static const char *const clone_more_ints[] = { "local_base_position", "server_head_position", "server_batches_behind",
                                               "server_seen_at", "created_at", "synced_at", NULL };

static void
read_column (sqlite3_stmt *stmt, int col, const char *name, gboolean text, JsonObject *out)
{
  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    json_object_set_null_member (out, name);
  else if (text)
    json_object_set_string_member (out, name, (const char *) sqlite3_column_text (stmt, col));
  else
    json_object_set_int_member (out, name, sqlite3_column_int64 (stmt, col));
}

static gboolean
sqlite_get_clone (SynStore *store, const char *project_id, JsonObject **out, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  const char *const *groups[] = { clone_text, clone_ints, clone_more_text, clone_more_ints };
  sqlite3_stmt *stmt;
  int rc, col = 0;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT " CLONE_COLS " FROM sync_clones WHERE project_id = ?1", error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out = json_object_new ();
      json_object_set_string_member (*out, "project_id", project_id);
      for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
        for (guint i = 0; groups[g][i] != NULL; i++)
          read_column (stmt, col++, groups[g][i], g % 2 == 0, *out);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _syn_sqlite_fail (self, rc, error);
  return TRUE;
}

static void
bind_member (sqlite3_stmt *stmt, int idx, JsonObject *object, const char *name, gboolean text)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    sqlite3_bind_null (stmt, idx);
  else if (text)
    _syn_sqlite_bind_text (stmt, idx, json_node_get_string (node));
  else
    sqlite3_bind_int64 (stmt, idx, json_node_get_int (node));
}

static gboolean
sqlite_put_clone (SynStore *store, const char *project_id, JsonObject *clone, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  const char *const *groups[] = { clone_text, clone_ints, clone_more_text, clone_more_ints };
  sqlite3_stmt *stmt;
  int idx = 2;

  if (!(stmt = _syn_sqlite_stmt (self, "INSERT OR REPLACE INTO sync_clones (project_id, " CLONE_COLS ") "
                                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)", error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    for (guint i = 0; groups[g][i] != NULL; i++)
      bind_member (stmt, idx++, clone, groups[g][i], g % 2 == 0);
  return _syn_sqlite_step_done (self, stmt, error);
}

static gboolean
sqlite_add_sync_op (SynStore *store, const char *project_id, JsonObject *op, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;
  gint64 now = syn_time_now_usec ();

  if (!(stmt = _syn_sqlite_stmt (self, "INSERT INTO sync_operations (project_id, correlation_id, op, params, "
                                       "user_id, basis, status, conflict, server_correlation_id, created_at, "
                                       "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)", error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  bind_member (stmt, 2, op, "correlation_id", TRUE);
  bind_member (stmt, 3, op, "op", TRUE);
  _syn_sqlite_bind_json (stmt, 4, json_object_get_member (op, "params"), "{}");
  bind_member (stmt, 5, op, "user_id", TRUE);
  _syn_sqlite_bind_json (stmt, 6, json_object_get_member (op, "basis"), NULL);
  _syn_sqlite_bind_text (stmt, 7, syn_json_get_string (op, "status") ? syn_json_get_string (op, "status") : "pending");
  _syn_sqlite_bind_json (stmt, 8, json_object_get_member (op, "conflict"), NULL);
  bind_member (stmt, 9, op, "server_correlation_id", TRUE);
  sqlite3_bind_int64 (stmt, 10, json_object_has_member (op, "created_at")
                                  ? json_object_get_int_member (op, "created_at") : now);
  return _syn_sqlite_step_done (self, stmt, error);
}

static void
read_json_column (sqlite3_stmt *stmt, int col, const char *name, JsonObject *out)
{
  JsonNode *node = _syn_sqlite_col_json (stmt, col);

  if (node != NULL)
    json_object_set_member (out, name, node);
  else
    json_object_set_null_member (out, name);
}

static GPtrArray *
sqlite_list_sync_ops (SynStore *store, const char *project_id, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT id, correlation_id, op, params, user_id, basis, status, conflict, "
                                       "server_correlation_id, created_at, updated_at FROM sync_operations "
                                       "WHERE project_id = ?1 ORDER BY id", error)))
    return NULL;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonObject *op = json_object_new ();

      read_column (stmt, 0, "id", FALSE, op);
      read_column (stmt, 1, "correlation_id", TRUE, op);
      read_column (stmt, 2, "op", TRUE, op);
      read_json_column (stmt, 3, "params", op);
      read_column (stmt, 4, "user_id", TRUE, op);
      read_json_column (stmt, 5, "basis", op);
      read_column (stmt, 6, "status", TRUE, op);
      read_json_column (stmt, 7, "conflict", op);
      read_column (stmt, 8, "server_correlation_id", TRUE, op);
      read_column (stmt, 9, "created_at", FALSE, op);
      read_column (stmt, 10, "updated_at", FALSE, op);
      g_ptr_array_add (ops, op);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _syn_sqlite_fail (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&ops);
}

static gboolean
sqlite_set_sync_op (SynStore *store, gint64 id, const char *status, JsonObject *conflict,
                    const char *server_correlation_id, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "UPDATE sync_operations SET status = ?1, conflict = ?2, "
                                       "server_correlation_id = ?3, updated_at = ?4 WHERE id = ?5", error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, status);
  _syn_sqlite_bind_json_object_or_null (stmt, 2, conflict);
  _syn_sqlite_bind_text (stmt, 3, server_correlation_id);
  sqlite3_bind_int64 (stmt, 4, syn_time_now_usec ());
  sqlite3_bind_int64 (stmt, 5, id);
  if (!_syn_sqlite_step_done (self, stmt, error))
    return FALSE;
  return _syn_sqlite_require_changed (self, "Sync operation", id_text, error);
}

static gboolean
sqlite_find_push_key (SynStore *store, const char *key, char **correlation_id, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT correlation_id FROM sync_push_keys WHERE idempotency_key = ?1",
                                 error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *correlation_id = _syn_sqlite_col_text (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _syn_sqlite_fail (self, rc, error);
  return TRUE;
}

static gboolean
sqlite_insert_push_key (SynStore *store, const char *key, const char *project_id, const char *correlation_id,
                        GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "INSERT INTO sync_push_keys (idempotency_key, project_id, correlation_id, "
                                       "created_at) VALUES (?1, ?2, ?3, ?4)", error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, key);
  _syn_sqlite_bind_text (stmt, 2, project_id);
  _syn_sqlite_bind_text (stmt, 3, correlation_id);
  sqlite3_bind_int64 (stmt, 4, syn_time_now_usec ());
  return _syn_sqlite_step_done (self, stmt, error);
}

/* A statement run once (the schema's own text, no parameters). */
static gboolean
run_once (SynSqliteStore *self, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_DONE || rc == SQLITE_ROW)
        rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_OK)
    return _syn_sqlite_fail (self, rc, error);
  return TRUE;
}

/* The append-only triggers of the log, snapshots and findings: their
 * names and their SQL as the schema keeps it (to be created again). */
static gboolean
read_guard_triggers (SynSqliteStore *self, GPtrArray *names, GPtrArray *sqls, GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN "
                                       "('workflow_events', 'execution_snapshots', 'rule_findings', "
                                       "'rolled_back_batches') ORDER BY name",
                                 error)))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (names, _syn_sqlite_col_text (stmt, 0));
      g_ptr_array_add (sqls, _syn_sqlite_col_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _syn_sqlite_fail (self, rc, error);
  return TRUE;
}

/* What a rewind removes, in order: ?1 the project, ?2 the clone's own
 * position of its base, ?3 the rule library's stream (a clone copies none
 * of it: every library event there is local). The batches the clone's own
 * rollbacks marked lose their marks first (rolled_back_batches rows: those
 * of its local batches and those its local rollbacks wrote). */
#define LOCAL_ROLLBACKS "SELECT aggregate_id FROM workflow_events WHERE project_id = ?1 AND position > ?2 " \
                        "AND event_type = '" SYN_EVENT_BATCH_ROLLED_BACK "'"
#define LOCAL_EVENTS "(project_id = ?1 AND position > ?2) OR project_id = ?3"
static const char *const rewind_steps[] = {
  "DELETE FROM rolled_back_batches WHERE project_id = ?3 "
  "OR (project_id = ?1 AND (first_position > ?2 OR correlation_id IN (" LOCAL_ROLLBACKS ")))",
  "UPDATE execution_snapshots SET status = 'ACTIVE', rolled_back_at = NULL, rolled_back_by = NULL "
  "WHERE project_id = ?1 AND correlation_id IN (" LOCAL_ROLLBACKS ")",
  "DELETE FROM rule_findings WHERE event_id IN (SELECT id FROM workflow_events WHERE " LOCAL_EVENTS ")",
  "DELETE FROM execution_snapshots WHERE correlation_id IN "
  "(SELECT correlation_id FROM workflow_events WHERE " LOCAL_EVENTS ")",
  "DELETE FROM workflow_events WHERE " LOCAL_EVENTS,
  "DELETE FROM state_checkpoints WHERE project_id = ?1 AND position > ?2",
  "DELETE FROM derive_marks WHERE project_id = ?1 AND position > ?2",
  "DELETE FROM chain_marks WHERE project_id = ?1 AND position > ?2",
  /* the chart's counts, again from what is left (the pull then adds its own) */
  "DELETE FROM event_minute_counts WHERE project_id = ?1 OR project_id = ?3",
  "INSERT INTO event_minute_counts (project_id, minute, event_type, discipline, n, n_rolled_back) "
  "SELECT e.project_id, e.timestamp / 60000000, e.event_type, COALESCE(e.discipline, ''), count(*), "
  "count(r.correlation_id) FROM workflow_events e LEFT JOIN rolled_back_batches r "
  "ON r.correlation_id = e.correlation_id AND e.position <= r.last_position "
  "WHERE e.project_id = ?1 GROUP BY 1, 2, 3, 4",
  /* the tables are replayed from the log afterwards */
  "DELETE FROM edges WHERE project_id = ?1",
  "DELETE FROM cables WHERE project_id = ?1",
  "DELETE FROM assets WHERE project_id = ?1",
};

static gboolean
sqlite_rewind_clone (SynStore *store, const char *project_id, gint64 local_base, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) sqls = g_ptr_array_new_with_free_func (g_free);

  /* DDL is transactional in SQLite: the triggers are gone only inside the
   * caller's transaction, which a crash or a failure undoes whole */
  if (!self->in_transaction)
    {
      g_set_error_literal (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID, "rewind_clone needs an open transaction");
      return FALSE;
    }
  if (!read_guard_triggers (self, names, sqls, error))
    return FALSE;
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *drop = g_strdup_printf ("DROP TRIGGER \"%s\"", (const char *) names->pdata[i]);

      if (strchr (names->pdata[i], '"') != NULL || !run_once (self, drop, error))
        return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (rewind_steps); i++)
    {
      sqlite3_stmt *stmt;

      if (!(stmt = _syn_sqlite_stmt (self, rewind_steps[i], error)))
        return FALSE;
      _syn_sqlite_bind_text (stmt, 1, project_id);
      sqlite3_bind_int64 (stmt, 2, local_base);
      if (sqlite3_bind_parameter_count (stmt) >= 3)
        _syn_sqlite_bind_text (stmt, 3, SYN_LIBRARY_PROJECT_ID);
      if (!_syn_sqlite_step_done (self, stmt, error))
        return FALSE;
    }
  for (guint i = 0; i < sqls->len; i++)
    if (!run_once (self, sqls->pdata[i], error))
      return FALSE;
  return TRUE;
}

void
_syn_sqlite_store_sync_iface_init (SynStoreInterface *iface)
{
  iface->get_clone = sqlite_get_clone;
  iface->put_clone = sqlite_put_clone;
  iface->add_sync_op = sqlite_add_sync_op;
  iface->list_sync_ops = sqlite_list_sync_ops;
  iface->set_sync_op = sqlite_set_sync_op;
  iface->find_push_key = sqlite_find_push_key;
  iface->insert_push_key = sqlite_insert_push_key;
  iface->rewind_clone = sqlite_rewind_clone;
}
