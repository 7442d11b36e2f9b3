/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-sqlite-store.c: SynStore on SQLite: WAL, migrations from the GResource, cached prepared statements. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "syn-sqlite-store.h"
#include "syn-store-private.h"

#define SCHEMA_RESOURCE_DIR "/org/synapse/Synapse/schema/sqlite/"
#define BUSY_TIMEOUT_MS     30000

struct _SynSqliteStore
{
  GObject     parent_instance;

  char       *path;
  sqlite3    *db;
  GHashTable *statements;   /* SQL text -> sqlite3_stmt */
  GHashTable *event_counts; /* timeline filter -> total (guint64), see cached_event_count() */
  gint64      counts_data_version;
  int         counts_changes;
  int         schema_version;
  guint       in_transaction : 1;
};

static void store_iface_init (SynStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SynSqliteStore, syn_sqlite_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SYN_TYPE_STORE, store_iface_init))

/* ------------------------------------------------------------------------- */
/* Errors, statements, binding                                               */

static int
error_code_for (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_CONSTRAINT: return SYN_STORE_ERROR_CONSTRAINT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:     return SYN_STORE_ERROR_BUSY;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
    case SQLITE_CANTOPEN:   return SYN_STORE_ERROR_OPEN;
    default:                return SYN_STORE_ERROR_FAILED;
    }
}

static gboolean
set_sqlite_error (SynSqliteStore *self, int rc, GError **error)
{
  int code = error_code_for (rc);

  if (code == SYN_STORE_ERROR_BUSY)
    g_set_error (error, SYN_STORE_ERROR, code,
                 "The database is busy: another writer holds it (%s)", sqlite3_errmsg (self->db));
  else
    g_set_error (error, SYN_STORE_ERROR, code, "%s", sqlite3_errmsg (self->db));
  return FALSE;
}

static sqlite3_stmt *
get_stmt (SynSqliteStore *self, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self, rc, error);
      return NULL;
    }
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

static void
bind_text (sqlite3_stmt *stmt, int idx, const char *value)
{
  if (value != NULL)
    sqlite3_bind_text (stmt, idx, value, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, idx);
}

/* For strings that outlive the statement's next step. */
static void
bind_static (sqlite3_stmt *stmt, int idx, const char *value)
{
  if (value != NULL)
    sqlite3_bind_text (stmt, idx, value, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, idx);
}

static void
bind_take_text (sqlite3_stmt *stmt, int idx, char *value)
{
  sqlite3_bind_text (stmt, idx, value, -1, g_free);
}

static void
bind_double (sqlite3_stmt *stmt, int idx, double value)
{
  if (isnan (value))
    sqlite3_bind_null (stmt, idx);
  else
    sqlite3_bind_double (stmt, idx, value);
}

static void
bind_time (sqlite3_stmt *stmt, int idx, gint64 value)
{
  if (value == 0)
    sqlite3_bind_null (stmt, idx);
  else
    sqlite3_bind_int64 (stmt, idx, value);
}

static void
bind_json_node (sqlite3_stmt *stmt, int idx, JsonNode *node, const char *fallback)
{
  if (node == NULL)
    {
      if (fallback != NULL)
        sqlite3_bind_text (stmt, idx, fallback, -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (stmt, idx);
      return;
    }
  if (JSON_NODE_HOLDS_OBJECT (node) && json_object_get_size (json_node_get_object (node)) == 0)
    sqlite3_bind_text (stmt, idx, "{}", 2, SQLITE_STATIC);
  else
    bind_take_text (stmt, idx, syn_json_to_string_fast (node));
}

static void
bind_json_object (sqlite3_stmt *stmt, int idx, JsonObject *object)
{
  bind_take_text (stmt, idx, syn_json_object_to_string (object));
}

static char *
col_text (sqlite3_stmt *stmt, int idx)
{
  const unsigned char *text = sqlite3_column_text (stmt, idx);

  return text ? g_strdup ((const char *) text) : NULL;
}

static double
col_double (sqlite3_stmt *stmt, int idx)
{
  if (sqlite3_column_type (stmt, idx) == SQLITE_NULL)
    return NAN;
  return sqlite3_column_double (stmt, idx);
}

static JsonNode *
col_json_node (sqlite3_stmt *stmt, int idx)
{
  const char *text = (const char *) sqlite3_column_text (stmt, idx);
  int len = sqlite3_column_bytes (stmt, idx);

  if (text == NULL)
    return NULL;
  return syn_json_parse (text, len, NULL);
}

static JsonObject *
col_json_object (sqlite3_stmt *stmt, int idx)
{
  g_autoptr(JsonNode) node = col_json_node (stmt, idx);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return json_object_new ();
  return json_object_ref (json_node_get_object (node));
}

/* Runs a statement that returns no rows; resets it. */
static gboolean
step_done (SynSqliteStore *self, sqlite3_stmt *stmt, GError **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return set_sqlite_error (self, rc, error);
  return TRUE;
}

static gboolean
exec_sql (SynSqliteStore *self, const char *sql, GError **error)
{
  char *errmsg = NULL;
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, &errmsg);

  if (rc != SQLITE_OK)
    {
      int code = error_code_for (rc);

      g_set_error (error, SYN_STORE_ERROR, code, "%s", errmsg ? errmsg : sqlite3_errstr (rc));
      sqlite3_free (errmsg);
      return FALSE;
    }
  return TRUE;
}

typedef gpointer (*RowReader) (sqlite3_stmt *stmt);

/* Steps a bound statement to the end, collecting one object per row. */
static GPtrArray *
collect_rows (SynSqliteStore *self, sqlite3_stmt *stmt, RowReader reader, GError **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, reader (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/* At most one row; NULL without error when there is none. */
static gpointer
collect_one (SynSqliteStore *self, sqlite3_stmt *stmt, RowReader reader, GError **error)
{
  int rc = sqlite3_step (stmt);
  gpointer ret = NULL;

  if (rc == SQLITE_ROW)
    ret = reader (stmt);
  else if (rc != SQLITE_DONE)
    set_sqlite_error (self, rc, error);
  sqlite3_reset (stmt);
  return ret;
}

static gboolean
count_rows (SynSqliteStore *self, sqlite3_stmt *stmt, guint64 *out, GError **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return set_sqlite_error (self, rc, error);
    }
  *out = (guint64) sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
require_changed (SynSqliteStore *self, const char *what, const char *id, GError **error)
{
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_NOT_FOUND,
                   "No %s with id %s", what, id ? id : "(null)");
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------- */
/* Open and migrate                                                          */

int
syn_sqlite_store_latest_schema_version (void)
{
  return _syn_store_latest_migration (SCHEMA_RESOURCE_DIR);
}

static gboolean
read_schema_version (SynSqliteStore *self, GError **error)
{
  sqlite3_stmt *stmt;

  if (!exec_sql (self, "CREATE TABLE IF NOT EXISTS schema_version ("
                       " version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)", error))
    return FALSE;
  if (!(stmt = get_stmt (self, "SELECT COALESCE(MAX(version), 0) FROM schema_version", error)))
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return set_sqlite_error (self, sqlite3_errcode (self->db), error);
    }
  self->schema_version = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
migrate (SynSqliteStore *self, GError **error)
{
  g_auto(GStrv) names = _syn_store_list_migrations (SCHEMA_RESOURCE_DIR);
  int latest = syn_sqlite_store_latest_schema_version ();

  /* Another process may migrate at the same time: take the write lock first,
   * then read the version under it. */
  if (!exec_sql (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!read_schema_version (self, error))
    goto fail;

  if (self->schema_version > latest)
    {
      g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_SCHEMA,
                   "%s has schema version %d, newer than this Synapse %s understands (%d): "
                   "use a newer Synapse", self->path, self->schema_version, PACKAGE_VERSION, latest);
      goto fail;
    }

  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *name = names[i];
      int version = (int) g_ascii_strtoll (name, NULL, 10);
      g_autofree char *sql = NULL;
      g_autoptr(GError) local_error = NULL;
      sqlite3_stmt *stmt;

      if (version <= self->schema_version)
        continue;
      if (!(sql = _syn_store_load_migration (SCHEMA_RESOURCE_DIR, name, error)))
        goto fail;
      if (!exec_sql (self, sql, &local_error))
        {
          g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_SCHEMA,
                       "Migration %s failed: %s", name, local_error->message);
          goto fail;
        }
      if (!(stmt = get_stmt (self, "INSERT INTO schema_version (version, applied_at) VALUES (?1, ?2)", error)))
        goto fail;
      sqlite3_bind_int (stmt, 1, version);
      sqlite3_bind_int64 (stmt, 2, syn_time_now_usec ());
      if (!step_done (self, stmt, error))
        goto fail;
      self->schema_version = version;
    }

  return exec_sql (self, "COMMIT", error);

fail:
  exec_sql (self, "ROLLBACK", NULL);
  return FALSE;
}

SynStore *
syn_sqlite_store_open (const char *path, GError **error)
{
  g_autoptr(SynSqliteStore) self = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *uri_path = path;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  if (g_str_has_prefix (path, "sqlite://"))
    uri_path = path + strlen ("sqlite://");
  if (*uri_path == '\0')
    {
      g_set_error_literal (error, SYN_STORE_ERROR, SYN_STORE_ERROR_OPEN, "Empty database path");
      return NULL;
    }

  if (strcmp (uri_path, ":memory:") != 0)
    {
      g_autofree char *dir = g_path_get_dirname (uri_path);

      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_OPEN,
                       "Cannot create %s: %s", dir, g_strerror (saved_errno));
          return NULL;
        }
    }

  self = g_object_new (SYN_TYPE_SQLITE_STORE, NULL);
  self->path = g_strdup (uri_path);

  rc = sqlite3_open_v2 (uri_path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_OPEN, "Cannot open %s: %s", uri_path,
                   self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);

  /* The first read tells a database from any other file. FULL makes every
   * committed batch durable across a power cut; batches are large, so the one
   * sync per commit costs little. */
  if (!exec_sql (self, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                       "PRAGMA foreign_keys=ON; "
                       "PRAGMA cache_size=-65536", &local_error) ||
      !migrate (self, &local_error))
    {
      if (g_error_matches (local_error, SYN_STORE_ERROR, SYN_STORE_ERROR_OPEN))
        g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_OPEN,
                     "%s is not a Synapse database or is damaged: %s", uri_path, local_error->message);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return SYN_STORE (g_steal_pointer (&self));
}

int
syn_sqlite_store_schema_version (SynSqliteStore *self)
{
  g_return_val_if_fail (SYN_IS_SQLITE_STORE (self), 0);
  return self->schema_version;
}

static void
syn_sqlite_store_finalize (GObject *object)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (object);

  if (self->in_transaction)
    exec_sql (self, "ROLLBACK", NULL);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->event_counts, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (syn_sqlite_store_parent_class)->finalize (object);
}

static void
syn_sqlite_store_class_init (SynSqliteStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = syn_sqlite_store_finalize;
}

static void
finalize_stmt (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
syn_sqlite_store_init (SynSqliteStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_stmt);
  self->event_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->counts_data_version = -1;
}

/* ------------------------------------------------------------------------- */
/* Connection and transactions                                               */

static const char *
sqlite_get_backend_name (SynStore *store)
{
  return "sqlite";
}

static const char *
sqlite_get_uri (SynStore *store)
{
  return SYN_SQLITE_STORE (store)->path;
}

static gboolean
sqlite_begin (SynStore *store, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);

  if (self->in_transaction)
    {
      g_set_error_literal (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID,
                           "A transaction is already open on this connection");
      return FALSE;
    }
  /* IMMEDIATE: take the write lock now, so a batch never fails half-way on a
   * lock upgrade; other writers wait (busy timeout), readers go on (WAL). */
  if (!exec_sql (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  self->in_transaction = TRUE;
  return TRUE;
}

static gboolean
sqlite_commit (SynStore *store, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);

  if (!self->in_transaction)
    {
      g_set_error_literal (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID,
                           "No transaction is open on this connection");
      return FALSE;
    }
  if (!exec_sql (self, "COMMIT", error))
    {
      /* A failed COMMIT leaves the transaction open: abandon it whole. */
      exec_sql (self, "ROLLBACK", NULL);
      self->in_transaction = FALSE;
      return FALSE;
    }
  self->in_transaction = FALSE;
  return TRUE;
}

static void
sqlite_rollback (SynStore *store)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);

  if (!self->in_transaction)
    return;
  exec_sql (self, "ROLLBACK", NULL);
  self->in_transaction = FALSE;
}

static gboolean
sqlite_in_transaction (SynStore *store)
{
  return SYN_SQLITE_STORE (store)->in_transaction;
}

/* One execution per project: in SQLite the IMMEDIATE transaction already holds
 * the database's single write lock, which covers every project of the file. */
static gboolean
sqlite_lock_project (SynStore *store, const char *project_id, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);

  if (!self->in_transaction)
    {
      g_set_error_literal (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID,
                           "lock_project needs an open transaction");
      return FALSE;
    }
  return TRUE;
}

/* Runs @func in its own transaction when the caller has none open. */
typedef gboolean (*WriteFunc) (SynSqliteStore *self, gpointer data, GError **error);

static gboolean
in_write_transaction (SynSqliteStore *self, WriteFunc func, gpointer data, GError **error)
{
  if (self->in_transaction)
    return func (self, data, error);
  if (!sqlite_begin (SYN_STORE (self), error))
    return FALSE;
  if (!func (self, data, error))
    {
      sqlite_rollback (SYN_STORE (self));
      return FALSE;
    }
  return sqlite_commit (SYN_STORE (self), error);
}

/* ------------------------------------------------------------------------- */
/* Projects and users                                                        */

#define PROJECT_COLS "id, name, description, country, created_at"

static gpointer
read_project (sqlite3_stmt *stmt)
{
  SynProject *p = syn_project_new ();

  p->id = col_text (stmt, 0);
  p->name = col_text (stmt, 1);
  p->description = col_text (stmt, 2);
  p->country = col_text (stmt, 3);
  p->created_at = sqlite3_column_int64 (stmt, 4);
  return p;
}

static gboolean
sqlite_insert_project (SynStore *store, SynProject *project, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "INSERT INTO projects (" PROJECT_COLS ") VALUES (?1, ?2, ?3, ?4, ?5)", error)))
    return FALSE;
  bind_text (stmt, 1, project->id);
  bind_text (stmt, 2, project->name);
  bind_text (stmt, 3, project->description);
  bind_text (stmt, 4, project->country);
  sqlite3_bind_int64 (stmt, 5, project->created_at);
  return step_done (self, stmt, error);
}

static SynProject *
sqlite_get_project (SynStore *store, const char *project_id, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "SELECT " PROJECT_COLS " FROM projects WHERE id = ?1", error)))
    return NULL;
  bind_text (stmt, 1, project_id);
  return collect_one (self, stmt, read_project, error);
}

static SynProject *
sqlite_find_project (SynStore *store, const char *id_or_name, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "SELECT " PROJECT_COLS " FROM projects WHERE id = ?1 OR name = ?1 "
                               "ORDER BY id = ?1 DESC LIMIT 1", error)))
    return NULL;
  bind_text (stmt, 1, id_or_name);
  return collect_one (self, stmt, read_project, error);
}

static GPtrArray *
sqlite_list_projects (SynStore *store, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "SELECT " PROJECT_COLS " FROM projects ORDER BY name", error)))
    return NULL;
  return collect_rows (self, stmt, read_project, error);
}

#define USER_COLS "id, username, display_name, role, password_hash, created_at"

static gpointer
read_user (sqlite3_stmt *stmt)
{
  SynUser *u = syn_user_new ();

  u->id = col_text (stmt, 0);
  u->username = col_text (stmt, 1);
  u->display_name = col_text (stmt, 2);
  u->role = col_text (stmt, 3);
  u->password_hash = col_text (stmt, 4);
  u->created_at = sqlite3_column_int64 (stmt, 5);
  return u;
}

static gboolean
sqlite_insert_user (SynStore *store, SynUser *user, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "INSERT INTO users (" USER_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error)))
    return FALSE;
  if (user->id == NULL)
    user->id = syn_uuid_new ();
  if (user->created_at == 0)
    user->created_at = syn_time_now_usec ();
  bind_text (stmt, 1, user->id);
  bind_text (stmt, 2, user->username);
  bind_text (stmt, 3, user->display_name);
  bind_text (stmt, 4, user->role);
  bind_text (stmt, 5, user->password_hash);
  sqlite3_bind_int64 (stmt, 6, user->created_at);
  return step_done (self, stmt, error);
}

static SynUser *
sqlite_get_user (SynStore *store, const char *user_id, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "SELECT " USER_COLS " FROM users WHERE id = ?1", error)))
    return NULL;
  bind_text (stmt, 1, user_id);
  return collect_one (self, stmt, read_user, error);
}

static SynUser *
sqlite_get_user_by_name (SynStore *store, const char *username, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "SELECT " USER_COLS " FROM users WHERE username = ?1", error)))
    return NULL;
  bind_text (stmt, 1, username);
  return collect_one (self, stmt, read_user, error);
}

static GPtrArray *
sqlite_list_users (SynStore *store, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "SELECT " USER_COLS " FROM users ORDER BY username", error)))
    return NULL;
  return collect_rows (self, stmt, read_user, error);
}

/* ------------------------------------------------------------------------- */
/* Assets                                                                    */

#define ASSET_COLS "id, project_id, tag, type, description, discipline, area, properties, created_by_rule_id"

static gpointer
read_asset (sqlite3_stmt *stmt)
{
  SynAsset *a = syn_asset_new ();

  a->id = col_text (stmt, 0);
  a->project_id = col_text (stmt, 1);
  a->tag = col_text (stmt, 2);
  a->type = col_text (stmt, 3);
  a->description = col_text (stmt, 4);
  a->discipline = col_text (stmt, 5);
  a->area = col_text (stmt, 6);
  json_object_unref (a->properties);
  a->properties = col_json_object (stmt, 7);
  a->created_by_rule_id = col_text (stmt, 8);
  return a;
}

static void
bind_asset (sqlite3_stmt *stmt, SynAsset *asset)
{
  bind_text (stmt, 1, asset->id);
  bind_text (stmt, 2, asset->project_id);
  bind_text (stmt, 3, asset->tag);
  bind_text (stmt, 4, asset->type);
  bind_text (stmt, 5, asset->description);
  bind_text (stmt, 6, asset->discipline);
  bind_text (stmt, 7, asset->area);
  bind_json_object (stmt, 8, asset->properties);
  bind_text (stmt, 9, asset->created_by_rule_id);
}

static gboolean
sqlite_insert_asset (SynStore *store, SynAsset *asset, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "INSERT INTO assets (" ASSET_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", error)))
    return FALSE;
  if (asset->id == NULL)
    asset->id = syn_uuid_new ();
  bind_asset (stmt, asset);
  if (!step_done (self, stmt, error))
    {
      if (error && *error && (*error)->code == SYN_STORE_ERROR_CONSTRAINT)
        g_prefix_error (error, "Asset %s: ", asset->tag);
      return FALSE;
    }
  return TRUE;
}

static gboolean
sqlite_update_asset (SynStore *store, SynAsset *asset, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "UPDATE assets SET project_id = ?2, tag = ?3, type = ?4, description = ?5, "
                               "discipline = ?6, area = ?7, properties = ?8, created_by_rule_id = ?9 "
                               "WHERE id = ?1", error)))
    return FALSE;
  bind_asset (stmt, asset);
  return step_done (self, stmt, error) && require_changed (self, "asset", asset->id, error);
}

static gboolean
delete_by_id (SynSqliteStore *self, const char *sql, const char *what,
              const char *project_id, const char *id, GError **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, sql, error)))
    return FALSE;
  bind_text (stmt, 1, project_id);
  bind_text (stmt, 2, id);
  return step_done (self, stmt, error) && require_changed (self, what, id, error);
}

static gboolean
sqlite_delete_asset (SynStore *store, const char *project_id, const char *asset_id, GError **error)
{
  return delete_by_id (SYN_SQLITE_STORE (store), "DELETE FROM assets WHERE project_id = ?1 AND id = ?2",
                       "asset", project_id, asset_id, error);
}

static gpointer
get_by_two (SynSqliteStore *self, const char *sql, RowReader reader,
            const char *a, const char *b, GError **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, sql, error)))
    return NULL;
  bind_text (stmt, 1, a);
  bind_text (stmt, 2, b);
  return collect_one (self, stmt, reader, error);
}

static SynAsset *
sqlite_get_asset (SynStore *store, const char *project_id, const char *asset_id, GError **error)
{
  return get_by_two (SYN_SQLITE_STORE (store),
                     "SELECT " ASSET_COLS " FROM assets WHERE project_id = ?1 AND id = ?2",
                     read_asset, project_id, asset_id, error);
}

static SynAsset *
sqlite_get_asset_by_tag (SynStore *store, const char *project_id, const char *tag, GError **error)
{
  return get_by_two (SYN_SQLITE_STORE (store),
                     "SELECT " ASSET_COLS " FROM assets WHERE project_id = ?1 AND tag = ?2",
                     read_asset, project_id, tag, error);
}

static GPtrArray *
sqlite_list_assets (SynStore *store, const char *project_id, const char *type, const char *search,
                    guint64 offset, guint limit, guint64 *total, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  const char *where = " FROM assets WHERE project_id = ?1 AND (?2 IS NULL OR type = ?2) "
                      "AND (?3 IS NULL OR instr(lower(tag), lower(?3)) > 0 "
                      "OR instr(lower(COALESCE(description, '')), lower(?3)) > 0)";
  g_autofree char *sql = g_strconcat ("SELECT " ASSET_COLS, where, " ORDER BY tag LIMIT ?4 OFFSET ?5", NULL);
  sqlite3_stmt *stmt;

  if (total != NULL)
    {
      g_autofree char *count_sql = g_strconcat ("SELECT count(*)", where, NULL);

      if (!(stmt = get_stmt (self, count_sql, error)))
        return NULL;
      bind_text (stmt, 1, project_id);
      bind_text (stmt, 2, type);
      bind_text (stmt, 3, search);
      if (!count_rows (self, stmt, total, error))
        return NULL;
    }
  if (!(stmt = get_stmt (self, sql, error)))
    return NULL;
  bind_text (stmt, 1, project_id);
  bind_text (stmt, 2, type);
  bind_text (stmt, 3, search);
  sqlite3_bind_int64 (stmt, 4, limit == 0 ? -1 : (gint64) limit);
  sqlite3_bind_int64 (stmt, 5, (gint64) offset);
  return collect_rows (self, stmt, read_asset, error);
}

/* ------------------------------------------------------------------------- */
/* Cables                                                                    */

#define CABLE_COLS "id, project_id, tag, from_asset_id, to_asset_id, cable_type, voltage, length_m, " \
                   "conductor_size, flc_a, ampacity_a, voltage_drop_pct, properties, created_by_rule_id"

static gpointer
read_cable (sqlite3_stmt *stmt)
{
  SynCable *c = syn_cable_new ();

  c->id = col_text (stmt, 0);
  c->project_id = col_text (stmt, 1);
  c->tag = col_text (stmt, 2);
  c->from_asset_id = col_text (stmt, 3);
  c->to_asset_id = col_text (stmt, 4);
  c->cable_type = col_text (stmt, 5);
  c->voltage = col_double (stmt, 6);
  c->length_m = col_double (stmt, 7);
  c->conductor_size = col_text (stmt, 8);
  c->flc_a = col_double (stmt, 9);
  c->ampacity_a = col_double (stmt, 10);
  c->voltage_drop_pct = col_double (stmt, 11);
  json_object_unref (c->properties);
  c->properties = col_json_object (stmt, 12);
  c->created_by_rule_id = col_text (stmt, 13);
  return c;
}

static void
bind_cable (sqlite3_stmt *stmt, SynCable *cable)
{
  bind_text (stmt, 1, cable->id);
  bind_text (stmt, 2, cable->project_id);
  bind_text (stmt, 3, cable->tag);
  bind_text (stmt, 4, cable->from_asset_id);
  bind_text (stmt, 5, cable->to_asset_id);
  bind_text (stmt, 6, cable->cable_type);
  bind_double (stmt, 7, cable->voltage);
  bind_double (stmt, 8, cable->length_m);
  bind_text (stmt, 9, cable->conductor_size);
  bind_double (stmt, 10, cable->flc_a);
  bind_double (stmt, 11, cable->ampacity_a);
  bind_double (stmt, 12, cable->voltage_drop_pct);
  bind_json_object (stmt, 13, cable->properties);
  bind_text (stmt, 14, cable->created_by_rule_id);
}

static gboolean
sqlite_insert_cable (SynStore *store, SynCable *cable, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "INSERT INTO cables (" CABLE_COLS ") VALUES "
                               "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)", error)))
    return FALSE;
  if (cable->id == NULL)
    cable->id = syn_uuid_new ();
  bind_cable (stmt, cable);
  if (!step_done (self, stmt, error))
    {
      if (error && *error && (*error)->code == SYN_STORE_ERROR_CONSTRAINT)
        g_prefix_error (error, "Cable %s: ", cable->tag);
      return FALSE;
    }
  return TRUE;
}

static gboolean
sqlite_update_cable (SynStore *store, SynCable *cable, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "UPDATE cables SET project_id = ?2, tag = ?3, from_asset_id = ?4, "
                               "to_asset_id = ?5, cable_type = ?6, voltage = ?7, length_m = ?8, "
                               "conductor_size = ?9, flc_a = ?10, ampacity_a = ?11, "
                               "voltage_drop_pct = ?12, properties = ?13, created_by_rule_id = ?14 "
                               "WHERE id = ?1", error)))
    return FALSE;
  bind_cable (stmt, cable);
  return step_done (self, stmt, error) && require_changed (self, "cable", cable->id, error);
}

static gboolean
sqlite_delete_cable (SynStore *store, const char *project_id, const char *cable_id, GError **error)
{
  return delete_by_id (SYN_SQLITE_STORE (store), "DELETE FROM cables WHERE project_id = ?1 AND id = ?2",
                       "cable", project_id, cable_id, error);
}

static SynCable *
sqlite_get_cable (SynStore *store, const char *project_id, const char *cable_id, GError **error)
{
  return get_by_two (SYN_SQLITE_STORE (store),
                     "SELECT " CABLE_COLS " FROM cables WHERE project_id = ?1 AND id = ?2",
                     read_cable, project_id, cable_id, error);
}

static SynCable *
sqlite_get_cable_by_tag (SynStore *store, const char *project_id, const char *tag, GError **error)
{
  return get_by_two (SYN_SQLITE_STORE (store),
                     "SELECT " CABLE_COLS " FROM cables WHERE project_id = ?1 AND tag = ?2",
                     read_cable, project_id, tag, error);
}

static GPtrArray *
sqlite_list_cables (SynStore *store, const char *project_id, guint64 offset, guint limit,
                    guint64 *total, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (total != NULL)
    {
      if (!(stmt = get_stmt (self, "SELECT count(*) FROM cables WHERE project_id = ?1", error)))
        return NULL;
      bind_text (stmt, 1, project_id);
      if (!count_rows (self, stmt, total, error))
        return NULL;
    }
  if (!(stmt = get_stmt (self, "SELECT " CABLE_COLS " FROM cables WHERE project_id = ?1 "
                               "ORDER BY tag LIMIT ?2 OFFSET ?3", error)))
    return NULL;
  bind_text (stmt, 1, project_id);
  sqlite3_bind_int64 (stmt, 2, limit == 0 ? -1 : (gint64) limit);
  sqlite3_bind_int64 (stmt, 3, (gint64) offset);
  return collect_rows (self, stmt, read_cable, error);
}

/* ------------------------------------------------------------------------- */
/* Edges                                                                     */

#define EDGE_COLS "id, project_id, source_asset_id, target_asset_id, relation, created_by_rule_id"

static gpointer
read_edge (sqlite3_stmt *stmt)
{
  SynEdge *e = syn_edge_new ();

  e->id = col_text (stmt, 0);
  e->project_id = col_text (stmt, 1);
  e->source_asset_id = col_text (stmt, 2);
  e->target_asset_id = col_text (stmt, 3);
  e->relation = col_text (stmt, 4);
  e->created_by_rule_id = col_text (stmt, 5);
  return e;
}

static gboolean
sqlite_insert_edge (SynStore *store, SynEdge *edge, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "INSERT INTO edges (" EDGE_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error)))
    return FALSE;
  if (edge->id == NULL)
    edge->id = syn_uuid_new ();
  bind_text (stmt, 1, edge->id);
  bind_text (stmt, 2, edge->project_id);
  bind_text (stmt, 3, edge->source_asset_id);
  bind_text (stmt, 4, edge->target_asset_id);
  bind_text (stmt, 5, edge->relation);
  bind_text (stmt, 6, edge->created_by_rule_id);
  return step_done (self, stmt, error);
}

static gboolean
sqlite_delete_edge (SynStore *store, const char *project_id, const char *edge_id, GError **error)
{
  return delete_by_id (SYN_SQLITE_STORE (store), "DELETE FROM edges WHERE project_id = ?1 AND id = ?2",
                       "edge", project_id, edge_id, error);
}

static SynEdge *
sqlite_get_edge (SynStore *store, const char *project_id, const char *edge_id, GError **error)
{
  return get_by_two (SYN_SQLITE_STORE (store),
                     "SELECT " EDGE_COLS " FROM edges WHERE project_id = ?1 AND id = ?2",
                     read_edge, project_id, edge_id, error);
}

static SynEdge *
sqlite_find_edge (SynStore *store, const char *project_id, const char *source_asset_id,
                  const char *target_asset_id, const char *relation, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "SELECT " EDGE_COLS " FROM edges WHERE project_id = ?1 AND "
                               "source_asset_id = ?2 AND target_asset_id = ?3 AND relation = ?4", error)))
    return NULL;
  bind_text (stmt, 1, project_id);
  bind_text (stmt, 2, source_asset_id);
  bind_text (stmt, 3, target_asset_id);
  bind_text (stmt, 4, relation);
  return collect_one (self, stmt, read_edge, error);
}

static GPtrArray *
sqlite_list_edges (SynStore *store, const char *project_id, const char *asset_id, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (asset_id == NULL)
    stmt = get_stmt (self, "SELECT " EDGE_COLS " FROM edges WHERE project_id = ?1 ORDER BY id", error);
  else
    stmt = get_stmt (self, "SELECT " EDGE_COLS " FROM edges WHERE project_id = ?1 AND "
                           "(source_asset_id = ?2 OR target_asset_id = ?2) ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, project_id);
  if (asset_id != NULL)
    bind_text (stmt, 2, asset_id);
  return collect_rows (self, stmt, read_edge, error);
}

/* ------------------------------------------------------------------------- */
/* Rules                                                                     */

#define RULE_COLS "id, project_id, name, description, source, priority, discipline, is_enforced, " \
                  "is_active, action_type, condition, action, created_at, updated_at"

static gpointer
read_rule (sqlite3_stmt *stmt)
{
  SynRule *r = syn_rule_new ();

  r->id = col_text (stmt, 0);
  r->project_id = col_text (stmt, 1);
  r->name = col_text (stmt, 2);
  r->description = col_text (stmt, 3);
  r->source = col_text (stmt, 4);
  r->priority = sqlite3_column_int64 (stmt, 5);
  r->discipline = col_text (stmt, 6);
  r->is_enforced = sqlite3_column_int (stmt, 7) != 0;
  r->is_active = sqlite3_column_int (stmt, 8) != 0;
  r->action_type = col_text (stmt, 9);
  r->condition = col_json_node (stmt, 10);
  r->action = col_json_node (stmt, 11);
  r->created_at = sqlite3_column_int64 (stmt, 12);
  r->updated_at = sqlite3_column_int64 (stmt, 13);
  return r;
}

static gboolean
sqlite_save_rule (SynStore *store, SynRule *rule, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;
  gint64 now = syn_time_now_usec ();

  if (!(stmt = get_stmt (self, "INSERT INTO rule_definitions (" RULE_COLS ") VALUES "
                               "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "
                               "ON CONFLICT (id) DO UPDATE SET project_id = ?2, name = ?3, "
                               "description = ?4, source = ?5, priority = ?6, discipline = ?7, "
                               "is_enforced = ?8, is_active = ?9, action_type = ?10, "
                               "condition = ?11, action = ?12, updated_at = ?14", error)))
    return FALSE;
  if (rule->id == NULL)
    rule->id = syn_uuid_new ();
  if (rule->created_at == 0)
    rule->created_at = now;
  rule->updated_at = now;
  bind_text (stmt, 1, rule->id);
  bind_text (stmt, 2, rule->project_id);
  bind_text (stmt, 3, rule->name);
  bind_text (stmt, 4, rule->description);
  bind_text (stmt, 5, rule->source);
  sqlite3_bind_int64 (stmt, 6, rule->priority);
  bind_text (stmt, 7, rule->discipline);
  sqlite3_bind_int (stmt, 8, rule->is_enforced ? 1 : 0);
  sqlite3_bind_int (stmt, 9, rule->is_active ? 1 : 0);
  bind_text (stmt, 10, rule->action_type);
  bind_json_node (stmt, 11, rule->condition, "{}");
  bind_json_node (stmt, 12, rule->action, "{}");
  sqlite3_bind_int64 (stmt, 13, rule->created_at);
  sqlite3_bind_int64 (stmt, 14, rule->updated_at);
  return step_done (self, stmt, error);
}

static gboolean
sqlite_delete_rule (SynStore *store, const char *rule_id, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "DELETE FROM rule_definitions WHERE id = ?1", error)))
    return FALSE;
  bind_text (stmt, 1, rule_id);
  return step_done (self, stmt, error) && require_changed (self, "rule", rule_id, error);
}

static SynRule *
sqlite_get_rule (SynStore *store, const char *rule_id, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "SELECT " RULE_COLS " FROM rule_definitions WHERE id = ?1", error)))
    return NULL;
  bind_text (stmt, 1, rule_id);
  return collect_one (self, stmt, read_rule, error);
}

static GPtrArray *
sqlite_list_rules (SynStore *store, const char *project_id, gboolean include_library, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "SELECT " RULE_COLS " FROM rule_definitions WHERE "
                               "(?1 IS NOT NULL AND project_id = ?1) OR "
                               "((?1 IS NULL OR ?2) AND project_id IS NULL) "
                               "ORDER BY priority DESC, name", error)))
    return NULL;
  bind_text (stmt, 1, project_id);
  sqlite3_bind_int (stmt, 2, include_library ? 1 : 0);
  return collect_rows (self, stmt, read_rule, error);
}

/* ------------------------------------------------------------------------- */
/* Events                                                                    */

#define EVENT_COLS "position, id, event_type, aggregate_type, aggregate_id, project_id, rule_id, " \
                   "discipline, payload, metadata, correlation_id, causation_id, sequence_num, " \
                   "user_id, timestamp, is_rolled_back"

static gpointer
read_event (sqlite3_stmt *stmt)
{
  SynEvent *e = syn_event_new ();

  e->position = sqlite3_column_int64 (stmt, 0);
  e->id = col_text (stmt, 1);
  e->event_type = col_text (stmt, 2);
  e->aggregate_type = col_text (stmt, 3);
  e->aggregate_id = col_text (stmt, 4);
  e->project_id = col_text (stmt, 5);
  e->rule_id = col_text (stmt, 6);
  e->discipline = col_text (stmt, 7);
  e->payload = col_json_node (stmt, 8);
  e->metadata = col_json_node (stmt, 9);
  e->correlation_id = col_text (stmt, 10);
  e->causation_id = col_text (stmt, 11);
  e->sequence_num = sqlite3_column_int64 (stmt, 12);
  e->user_id = col_text (stmt, 13);
  e->timestamp = sqlite3_column_int64 (stmt, 14);
  e->is_rolled_back = sqlite3_column_int (stmt, 15) != 0;
  return e;
}

static gboolean
append_events_in_txn (SynSqliteStore *self, gpointer data, GError **error)
{
  GPtrArray *events = data;
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "INSERT INTO workflow_events (id, event_type, aggregate_type, "
                               "aggregate_id, project_id, rule_id, discipline, payload, metadata, "
                               "correlation_id, causation_id, sequence_num, user_id, timestamp, "
                               "is_rolled_back) VALUES "
                               "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)", error)))
    return FALSE;

  for (guint i = 0; i < events->len; i++)
    {
      SynEvent *e = g_ptr_array_index (events, i);
      int rc;

      if (e->id == NULL)
        e->id = syn_uuid_new ();
      if (e->timestamp == 0)
        e->timestamp = syn_time_now_usec ();
      /* the event outlives the step: no copies of its strings */
      bind_static (stmt, 1, e->id);
      bind_static (stmt, 2, e->event_type);
      bind_static (stmt, 3, e->aggregate_type);
      bind_static (stmt, 4, e->aggregate_id);
      bind_static (stmt, 5, e->project_id);
      bind_static (stmt, 6, e->rule_id);
      bind_static (stmt, 7, e->discipline);
      bind_json_node (stmt, 8, e->payload, "{}");
      bind_json_node (stmt, 9, e->metadata, "{}");
      bind_static (stmt, 10, e->correlation_id);
      bind_static (stmt, 11, e->causation_id);
      sqlite3_bind_int64 (stmt, 12, e->sequence_num);
      bind_static (stmt, 13, e->user_id);
      sqlite3_bind_int64 (stmt, 14, e->timestamp);
      sqlite3_bind_int (stmt, 15, e->is_rolled_back ? 1 : 0);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return set_sqlite_error (self, rc, error);
      e->position = sqlite3_last_insert_rowid (self->db);
    }
  return TRUE;
}

static gboolean
sqlite_append_events (SynStore *store, GPtrArray *events, GError **error)
{
  return in_write_transaction (SYN_SQLITE_STORE (store), append_events_in_txn, events, error);
}

/* Builds the WHERE clause of a timeline query from fixed fragments; every value
 * is a bound parameter, in the order the fragments are appended. */
static void
build_event_where (const SynEventQuery *q, GString *sql)
{
  g_string_append (sql, " WHERE project_id = ?");
  if (!q->include_rolled_back)
    g_string_append (sql, " AND is_rolled_back = 0");
  if (q->event_types && q->event_types[0])
    {
      g_string_append (sql, " AND event_type IN (");
      for (guint i = 0; q->event_types[i]; i++)
        g_string_append (sql, i ? ", ?" : "?");
      g_string_append_c (sql, ')');
    }
  if (q->aggregate_types && q->aggregate_types[0])
    {
      g_string_append (sql, " AND aggregate_type IN (");
      for (guint i = 0; q->aggregate_types[i]; i++)
        g_string_append (sql, i ? ", ?" : "?");
      g_string_append_c (sql, ')');
    }
  if (q->aggregate_id)
    g_string_append (sql, " AND aggregate_id = ?");
  if (q->rule_id)
    g_string_append (sql, " AND rule_id = ?");
  if (q->discipline)
    g_string_append (sql, " AND discipline = ?");
  if (q->correlation_id)
    g_string_append (sql, " AND correlation_id = ?");
  if (q->has_from_date)
    g_string_append (sql, " AND timestamp >= ?");
  if (q->has_to_date)
    g_string_append (sql, " AND timestamp <= ?");
}

static int
bind_event_where (const SynEventQuery *q, sqlite3_stmt *stmt)
{
  int idx = 1;

  bind_text (stmt, idx++, q->project_id);
  for (guint i = 0; q->event_types && q->event_types[i]; i++)
    bind_text (stmt, idx++, q->event_types[i]);
  for (guint i = 0; q->aggregate_types && q->aggregate_types[i]; i++)
    bind_text (stmt, idx++, q->aggregate_types[i]);
  if (q->aggregate_id)
    bind_text (stmt, idx++, q->aggregate_id);
  if (q->rule_id)
    bind_text (stmt, idx++, q->rule_id);
  if (q->discipline)
    bind_text (stmt, idx++, q->discipline);
  if (q->correlation_id)
    bind_text (stmt, idx++, q->correlation_id);
  if (q->has_from_date)
    sqlite3_bind_int64 (stmt, idx++, q->from_date);
  if (q->has_to_date)
    sqlite3_bind_int64 (stmt, idx++, q->to_date);
  return idx;
}

static gboolean
has_narrow_filter (const SynEventQuery *q)
{
  return (q->event_types && q->event_types[0]) || (q->aggregate_types && q->aggregate_types[0]) ||
         q->aggregate_id || q->rule_id || q->discipline || q->correlation_id ||
         q->has_from_date || q->has_to_date;
}

/* Timeline totals are counted over the whole filter (a million index entries
 * take tens of milliseconds) while a page takes well under one: each
 * connection keeps the totals it counted until the database changes, which
 * SQLite tells by "PRAGMA data_version" (another connection committed) and
 * sqlite3_total_changes() (this one wrote). Nothing is cached inside a
 * transaction. The key is the WHERE clause and its bound values. */
#define MAX_CACHED_COUNTS 256

static char *
event_count_key (const SynEventQuery *q, const char *where)
{
  GString *key = g_string_new (where);

  g_string_append_printf (key, "\x1f%s", q->project_id);
  for (guint i = 0; q->event_types && q->event_types[i]; i++)
    g_string_append_printf (key, "\x1f%s", q->event_types[i]);
  for (guint i = 0; q->aggregate_types && q->aggregate_types[i]; i++)
    g_string_append_printf (key, "\x1f%s", q->aggregate_types[i]);
  g_string_append_printf (key, "\x1f%s\x1f%s\x1f%s\x1f%s\x1f%" G_GINT64_FORMAT "\x1f%" G_GINT64_FORMAT,
                          q->aggregate_id ? q->aggregate_id : "", q->rule_id ? q->rule_id : "",
                          q->discipline ? q->discipline : "", q->correlation_id ? q->correlation_id : "",
                          q->has_from_date ? q->from_date : 0, q->has_to_date ? q->to_date : 0);
  return g_string_free (key, FALSE);
}

/* Empties the cache when the database changed since it was filled. */
static gboolean
event_counts_fresh (SynSqliteStore *self, GError **error)
{
  sqlite3_stmt *stmt;
  gint64 version;
  int changes = sqlite3_total_changes (self->db);

  if (!(stmt = get_stmt (self, "PRAGMA data_version", error)))
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return set_sqlite_error (self, sqlite3_errcode (self->db), error);
    }
  version = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (version != self->counts_data_version || changes != self->counts_changes ||
      g_hash_table_size (self->event_counts) >= MAX_CACHED_COUNTS)
    {
      g_hash_table_remove_all (self->event_counts);
      self->counts_data_version = version;
      self->counts_changes = changes;
    }
  return TRUE;
}

static GPtrArray *
sqlite_query_events (SynStore *store, const SynEventQuery *query, guint64 *total, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  g_autoptr(GString) where = g_string_new (NULL);
  g_autofree char *page_sql = NULL;
  sqlite3_stmt *stmt;
  int idx;

  if (!syn_event_query_validate (query, error))
    return NULL;

  build_event_where (query, where);

  if (total != NULL)
    {
      g_autofree char *count_sql = g_strconcat ("SELECT count(*) FROM workflow_events", where->str, NULL);
      g_autofree char *key = NULL;
      guint64 *cached = NULL;

      if (!self->in_transaction)
        {
          if (!event_counts_fresh (self, error))
            return NULL;
          key = event_count_key (query, where->str);
          cached = g_hash_table_lookup (self->event_counts, key);
        }
      if (cached != NULL)
        *total = *cached;
      else
        {
          if (!(stmt = get_stmt (self, count_sql, error)))
            return NULL;
          bind_event_where (query, stmt);
          if (!count_rows (self, stmt, total, error))
            return NULL;
          if (key != NULL)
            g_hash_table_insert (self->event_counts, g_steal_pointer (&key), g_memdup2 (total, sizeof *total));
        }
    }

  /* The page's positions come from the filter's index alone, then only those
   * rows are read. With a filter beyond the project, "+position" keeps the
   * planner on the filter's index (sorting its few matches) rather than
   * walking the whole project in position order. */
  page_sql = g_strconcat ("SELECT " EVENT_COLS " FROM workflow_events WHERE position IN "
                          "(SELECT position FROM workflow_events", where->str,
                          has_narrow_filter (query) ? " ORDER BY +position DESC" : " ORDER BY position DESC",
                          " LIMIT ? OFFSET ?) ORDER BY position DESC", NULL);
  if (!(stmt = get_stmt (self, page_sql, error)))
    return NULL;
  idx = bind_event_where (query, stmt);
  sqlite3_bind_int64 (stmt, idx++, query->limit);
  sqlite3_bind_int64 (stmt, idx++, (gint64) MIN (query->offset, (guint64) G_MAXINT64));
  return collect_rows (self, stmt, read_event, error);
}

static GPtrArray *
sqlite_get_events_by_correlation (SynStore *store, const char *project_id, const char *correlation_id,
                                  GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "SELECT " EVENT_COLS " FROM workflow_events WHERE correlation_id = ?2 "
                               "AND project_id = ?1 ORDER BY sequence_num", error)))
    return NULL;
  bind_text (stmt, 1, project_id);
  bind_text (stmt, 2, correlation_id);
  return collect_rows (self, stmt, read_event, error);
}

static GPtrArray *
sqlite_get_asset_history (SynStore *store, const char *project_id, const char *asset_id, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "SELECT " EVENT_COLS " FROM workflow_events WHERE aggregate_type = 'ASSET' "
                               "AND aggregate_id = ?2 AND project_id = ?1 AND is_rolled_back = 0 "
                               "ORDER BY position", error)))
    return NULL;
  bind_text (stmt, 1, project_id);
  bind_text (stmt, 2, asset_id);
  return collect_rows (self, stmt, read_event, error);
}

static GPtrArray *
sqlite_list_events_after (SynStore *store, const char *project_id, gint64 after_position, guint limit,
                          GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "SELECT " EVENT_COLS " FROM workflow_events WHERE project_id = ?1 "
                               "AND position > ?2 ORDER BY position LIMIT ?3", error)))
    return NULL;
  bind_text (stmt, 1, project_id);
  sqlite3_bind_int64 (stmt, 2, after_position);
  sqlite3_bind_int64 (stmt, 3, limit == 0 ? -1 : (gint64) limit);
  return collect_rows (self, stmt, read_event, error);
}

static SynEvent *
sqlite_get_event (SynStore *store, const char *event_id, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "SELECT " EVENT_COLS " FROM workflow_events WHERE id = ?1", error)))
    return NULL;
  bind_text (stmt, 1, event_id);
  return collect_one (self, stmt, read_event, error);
}

static gboolean
sqlite_mark_events_rolled_back (SynStore *store, const char *project_id, const char *correlation_id,
                                guint64 *n_marked, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "UPDATE workflow_events SET is_rolled_back = 1 WHERE correlation_id = ?2 "
                               "AND project_id = ?1 AND is_rolled_back = 0", error)))
    return FALSE;
  bind_text (stmt, 1, project_id);
  bind_text (stmt, 2, correlation_id);
  if (!step_done (self, stmt, error))
    return FALSE;
  if (n_marked != NULL)
    *n_marked = (guint64) sqlite3_changes (self->db);
  return TRUE;
}

/* Ids per statement, well under SQLite's limit on bound parameters. Shorter
 * lists are padded with NULLs (which match nothing) to one of a few lengths, so
 * the statement cache holds four statements, not one per length. */
#define LATER_BATCHES_CHUNK 512

static guint
in_list_length (guint n)
{
  guint length = 8;

  while (length < n)
    length *= 4;
  return MIN (length, LATER_BATCHES_CHUNK);
}

static GPtrArray *
sqlite_list_later_batches (SynStore *store, const char *project_id, const char *aggregate_type,
                           const char * const *aggregate_ids, guint n_ids, gint64 after_position,
                           GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  /* correlation id -> its newest matching position */
  g_autoptr(GHashTable) newest = _syn_store_later_batches_new ();

  for (guint start = 0; start < n_ids; start += LATER_BATCHES_CHUNK)
    {
      guint n = MIN (LATER_BATCHES_CHUNK, n_ids - start);
      guint length = in_list_length (n);
      g_autoptr(GString) sql = g_string_new ("SELECT correlation_id, max(position) FROM workflow_events "
                                             "WHERE aggregate_type = ?1 AND aggregate_id IN (");
      sqlite3_stmt *stmt;
      int rc;

      /* Served by ix_workflow_events_aggregate_lookup: one seek per id, then
       * the position range. "+project_id" keeps the planner off the project
       * indexes, which would walk every later event of the project. */
      for (guint i = 0; i < length; i++)
        g_string_append_printf (sql, i ? ", ?%u" : "?%u", i + 4);
      g_string_append (sql, ") AND position > ?2 AND +project_id = ?3 AND is_rolled_back = 0 "
                            "GROUP BY correlation_id");
      if (!(stmt = get_stmt (self, sql->str, error)))
        return NULL;
      bind_text (stmt, 1, aggregate_type);
      sqlite3_bind_int64 (stmt, 2, after_position);
      bind_text (stmt, 3, project_id);
      for (guint i = 0; i < length; i++)
        bind_text (stmt, (int) i + 4, i < n ? aggregate_ids[start + i] : NULL);

      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        _syn_store_later_batch_seen (newest, (const char *) sqlite3_column_text (stmt, 0),
                                     sqlite3_column_int64 (stmt, 1));
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          set_sqlite_error (self, rc, error);
          return NULL;
        }
    }

  return _syn_store_later_batches_sorted (newest);
}

/* Scans the rule's events (the project+rule index) and reads the source
 * from the payload: explain asks this for one asset at a time. */
static SynEvent *
sqlite_find_latest_rule_event (SynStore *store, const char *project_id, const char *rule_id,
                               const char *source_asset_id, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "SELECT " EVENT_COLS " FROM workflow_events WHERE project_id = ?1 "
                               "AND rule_id = ?2 AND is_rolled_back = 0 "
                               "AND event_type IN ('RULE_EXECUTED', 'RULE_SKIPPED', 'RULE_ERROR') "
                               "AND json_extract(payload, '$.source_asset_id') = ?3 "
                               "ORDER BY position DESC LIMIT 1", error)))
    return NULL;
  bind_text (stmt, 1, project_id);
  bind_text (stmt, 2, rule_id);
  bind_text (stmt, 3, source_asset_id);
  return collect_one (self, stmt, read_event, error);
}

static GPtrArray *
sqlite_get_events_by_sequence (SynStore *store, const char *project_id, const char *correlation_id,
                               gint64 first_seq, gint64 last_seq, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "SELECT " EVENT_COLS " FROM workflow_events WHERE correlation_id = ?2 "
                               "AND sequence_num BETWEEN ?3 AND ?4 AND project_id = ?1 "
                               "ORDER BY sequence_num", error)))
    return NULL;
  bind_text (stmt, 1, project_id);
  bind_text (stmt, 2, correlation_id);
  sqlite3_bind_int64 (stmt, 3, first_seq);
  sqlite3_bind_int64 (stmt, 4, last_seq);
  return collect_rows (self, stmt, read_event, error);
}

/* ------------------------------------------------------------------------- */
/* Snapshots                                                                 */

#define SNAPSHOT_COLS "id, correlation_id, project_id, snapshot_data, events_count, status, " \
                      "executed_at, rolled_back_at, rolled_back_by"

static gpointer
read_snapshot (sqlite3_stmt *stmt)
{
  SynSnapshot *s = syn_snapshot_new ();

  s->id = col_text (stmt, 0);
  s->correlation_id = col_text (stmt, 1);
  s->project_id = col_text (stmt, 2);
  s->snapshot_data = col_json_node (stmt, 3);
  s->events_count = sqlite3_column_int64 (stmt, 4);
  s->status = col_text (stmt, 5);
  s->executed_at = sqlite3_column_int64 (stmt, 6);
  s->rolled_back_at = sqlite3_column_int64 (stmt, 7);
  s->rolled_back_by = col_text (stmt, 8);
  return s;
}

static gboolean
sqlite_insert_snapshot (SynStore *store, SynSnapshot *snapshot, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "INSERT INTO execution_snapshots (" SNAPSHOT_COLS ") VALUES "
                               "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", error)))
    return FALSE;
  if (snapshot->id == NULL)
    snapshot->id = syn_uuid_new ();
  if (snapshot->status == NULL)
    snapshot->status = g_strdup (SYN_SNAPSHOT_ACTIVE);
  if (snapshot->executed_at == 0)
    snapshot->executed_at = syn_time_now_usec ();
  bind_text (stmt, 1, snapshot->id);
  bind_text (stmt, 2, snapshot->correlation_id);
  bind_text (stmt, 3, snapshot->project_id);
  bind_json_node (stmt, 4, snapshot->snapshot_data, "{}");
  sqlite3_bind_int64 (stmt, 5, snapshot->events_count);
  bind_text (stmt, 6, snapshot->status);
  sqlite3_bind_int64 (stmt, 7, snapshot->executed_at);
  bind_time (stmt, 8, snapshot->rolled_back_at);
  bind_text (stmt, 9, snapshot->rolled_back_by);
  return step_done (self, stmt, error);
}

static SynSnapshot *
sqlite_get_snapshot (SynStore *store, const char *project_id, const char *correlation_id, GError **error)
{
  return get_by_two (SYN_SQLITE_STORE (store),
                     "SELECT " SNAPSHOT_COLS " FROM execution_snapshots WHERE project_id = ?1 "
                     "AND correlation_id = ?2", read_snapshot, project_id, correlation_id, error);
}

static gboolean
sqlite_update_snapshot_events_count (SynStore *store, const char *project_id, const char *correlation_id,
                                     gint64 events_count, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "UPDATE execution_snapshots SET events_count = ?3 WHERE project_id = ?1 "
                               "AND correlation_id = ?2", error)))
    return FALSE;
  bind_text (stmt, 1, project_id);
  bind_text (stmt, 2, correlation_id);
  sqlite3_bind_int64 (stmt, 3, events_count);
  return step_done (self, stmt, error) && require_changed (self, "snapshot for batch", correlation_id, error);
}

static gboolean
sqlite_mark_snapshot_rolled_back (SynStore *store, const char *project_id, const char *correlation_id,
                                  const char *user_id, gint64 when, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "UPDATE execution_snapshots SET status = 'ROLLED_BACK', rolled_back_at = ?3, "
                               "rolled_back_by = ?4 WHERE project_id = ?1 AND correlation_id = ?2", error)))
    return FALSE;
  bind_text (stmt, 1, project_id);
  bind_text (stmt, 2, correlation_id);
  sqlite3_bind_int64 (stmt, 3, when != 0 ? when : syn_time_now_usec ());
  bind_text (stmt, 4, user_id);
  return step_done (self, stmt, error) && require_changed (self, "snapshot for batch", correlation_id, error);
}

static GPtrArray *
sqlite_list_snapshots (SynStore *store, const char *project_id, gboolean active_only, guint limit,
                       GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "SELECT " SNAPSHOT_COLS " FROM execution_snapshots WHERE project_id = ?1 "
                               "AND (?2 = 0 OR status = 'ACTIVE') ORDER BY executed_at DESC, rowid DESC "
                               "LIMIT ?3", error)))
    return NULL;
  bind_text (stmt, 1, project_id);
  sqlite3_bind_int (stmt, 2, active_only ? 1 : 0);
  sqlite3_bind_int64 (stmt, 3, limit == 0 ? -1 : (gint64) limit);
  return collect_rows (self, stmt, read_snapshot, error);
}

/* ------------------------------------------------------------------------- */
/* Executions                                                                */

#define EXECUTION_COLS "execution_id, project_id, correlation_id, mode, filters, status, user_id, " \
                       "started_at, finished_at, summary, error"

static gpointer
read_execution (sqlite3_stmt *stmt)
{
  SynExecution *x = syn_execution_new ();

  x->execution_id = col_text (stmt, 0);
  x->project_id = col_text (stmt, 1);
  x->correlation_id = col_text (stmt, 2);
  x->mode = col_text (stmt, 3);
  x->filters = col_json_node (stmt, 4);
  x->status = col_text (stmt, 5);
  x->user_id = col_text (stmt, 6);
  x->started_at = sqlite3_column_int64 (stmt, 7);
  x->finished_at = sqlite3_column_int64 (stmt, 8);
  x->summary = col_json_node (stmt, 9);
  x->error = col_text (stmt, 10);
  return x;
}

static void
bind_execution (sqlite3_stmt *stmt, SynExecution *x)
{
  bind_text (stmt, 1, x->execution_id);
  bind_text (stmt, 2, x->project_id);
  bind_text (stmt, 3, x->correlation_id);
  bind_text (stmt, 4, x->mode ? x->mode : "execute");
  bind_json_node (stmt, 5, x->filters, NULL);
  bind_text (stmt, 6, x->status);
  bind_text (stmt, 7, x->user_id);
  sqlite3_bind_int64 (stmt, 8, x->started_at);
  bind_time (stmt, 9, x->finished_at);
  bind_json_node (stmt, 10, x->summary, NULL);
  bind_text (stmt, 11, x->error);
}

static gboolean
sqlite_insert_execution (SynStore *store, SynExecution *execution, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "INSERT INTO executions (" EXECUTION_COLS ") VALUES "
                               "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", error)))
    return FALSE;
  if (execution->execution_id == NULL)
    execution->execution_id = syn_uuid_new ();
  if (execution->started_at == 0)
    execution->started_at = syn_time_now_usec ();
  bind_execution (stmt, execution);
  return step_done (self, stmt, error);
}

static gboolean
sqlite_update_execution (SynStore *store, SynExecution *execution, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "UPDATE executions SET project_id = ?2, correlation_id = ?3, mode = ?4, "
                               "filters = ?5, status = ?6, user_id = ?7, started_at = ?8, "
                               "finished_at = ?9, summary = ?10, error = ?11 WHERE execution_id = ?1", error)))
    return FALSE;
  bind_execution (stmt, execution);
  return step_done (self, stmt, error) && require_changed (self, "execution", execution->execution_id, error);
}

static SynExecution *
sqlite_get_execution (SynStore *store, const char *execution_id, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "SELECT " EXECUTION_COLS " FROM executions WHERE execution_id = ?1", error)))
    return NULL;
  bind_text (stmt, 1, execution_id);
  return collect_one (self, stmt, read_execution, error);
}

static GPtrArray *
sqlite_list_executions (SynStore *store, const char *project_id, guint64 offset, guint limit,
                        guint64 *total, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (total != NULL)
    {
      if (!(stmt = get_stmt (self, "SELECT count(*) FROM executions WHERE project_id = ?1", error)))
        return NULL;
      bind_text (stmt, 1, project_id);
      if (!count_rows (self, stmt, total, error))
        return NULL;
    }
  if (!(stmt = get_stmt (self, "SELECT " EXECUTION_COLS " FROM executions WHERE project_id = ?1 "
                               "ORDER BY started_at DESC, rowid DESC LIMIT ?2 OFFSET ?3", error)))
    return NULL;
  bind_text (stmt, 1, project_id);
  sqlite3_bind_int64 (stmt, 2, limit == 0 ? -1 : (gint64) limit);
  sqlite3_bind_int64 (stmt, 3, (gint64) offset);
  return collect_rows (self, stmt, read_execution, error);
}

/* ------------------------------------------------------------------------- */
/* Tokens and project membership (0002_auth)                                 */

static gboolean
sqlite_insert_token (SynStore *store, const char *token_hash, const char *user_id,
                     gint64 created_at, gint64 expires_at, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "INSERT INTO user_tokens (token_hash, user_id, created_at, expires_at) "
                               "VALUES (?1, ?2, ?3, ?4)", error)))
    return FALSE;
  bind_text (stmt, 1, token_hash);
  bind_text (stmt, 2, user_id);
  sqlite3_bind_int64 (stmt, 3, created_at);
  sqlite3_bind_int64 (stmt, 4, expires_at);
  return step_done (self, stmt, error);
}

static SynUser *
sqlite_get_token_user (SynStore *store, const char *token_hash, gint64 now, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "SELECT u.id, u.username, u.display_name, u.role, u.password_hash, u.created_at "
                               "FROM user_tokens t JOIN users u ON u.id = t.user_id "
                               "WHERE t.token_hash = ?1 AND t.expires_at > ?2", error)))
    return NULL;
  bind_text (stmt, 1, token_hash);
  sqlite3_bind_int64 (stmt, 2, now);
  return collect_one (self, stmt, read_user, error);
}

static gboolean
sqlite_delete_token (SynStore *store, const char *token_hash, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "DELETE FROM user_tokens WHERE token_hash = ?1", error)))
    return FALSE;
  bind_text (stmt, 1, token_hash);
  return step_done (self, stmt, error);
}

static gboolean
sqlite_delete_expired_tokens (SynStore *store, gint64 now, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "DELETE FROM user_tokens WHERE expires_at <= ?1", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  return step_done (self, stmt, error);
}

static gboolean
sqlite_add_project_member (SynStore *store, const char *project_id, const char *user_id,
                           gint64 added_at, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "INSERT INTO project_members (project_id, user_id, added_at) "
                               "VALUES (?1, ?2, ?3) ON CONFLICT (project_id, user_id) DO NOTHING", error)))
    return FALSE;
  bind_text (stmt, 1, project_id);
  bind_text (stmt, 2, user_id);
  sqlite3_bind_int64 (stmt, 3, added_at != 0 ? added_at : syn_time_now_usec ());
  return step_done (self, stmt, error);
}

static gboolean
sqlite_is_project_member (SynStore *store, const char *project_id, const char *user_id,
                          gboolean *is_member, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;
  guint64 n = 0;

  if (!(stmt = get_stmt (self, "SELECT count(*) FROM project_members WHERE project_id = ?1 AND user_id = ?2", error)))
    return FALSE;
  bind_text (stmt, 1, project_id);
  bind_text (stmt, 2, user_id);
  if (!count_rows (self, stmt, &n, error))
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

  if (!(stmt = get_stmt (self, "SELECT u.id, u.username, u.display_name, u.role, u.password_hash, u.created_at "
                               "FROM project_members m JOIN users u ON u.id = m.user_id "
                               "WHERE m.project_id = ?1 ORDER BY u.username", error)))
    return NULL;
  bind_text (stmt, 1, project_id);
  return collect_rows (self, stmt, read_user, error);
}

static GPtrArray *
sqlite_list_member_projects (SynStore *store, const char *user_id, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "SELECT p.id, p.name, p.description, p.country, p.created_at "
                               "FROM project_members m JOIN projects p ON p.id = m.project_id "
                               "WHERE m.user_id = ?1 ORDER BY p.name", error)))
    return NULL;
  bind_text (stmt, 1, user_id);
  return collect_rows (self, stmt, read_project, error);
}

static gboolean
sqlite_update_user_password (SynStore *store, const char *user_id, const char *password_hash, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = get_stmt (self, "UPDATE users SET password_hash = ?2 WHERE id = ?1", error)))
    return FALSE;
  bind_text (stmt, 1, user_id);
  bind_text (stmt, 2, password_hash);
  if (!step_done (self, stmt, error))
    return FALSE;
  return require_changed (self, "user", user_id, error);
}

/* ------------------------------------------------------------------------- */

static void
store_iface_init (SynStoreInterface *iface)
{
  iface->get_backend_name = sqlite_get_backend_name;
  iface->get_uri = sqlite_get_uri;
  iface->begin = sqlite_begin;
  iface->commit = sqlite_commit;
  iface->rollback = sqlite_rollback;
  iface->in_transaction = sqlite_in_transaction;
  iface->lock_project = sqlite_lock_project;
  iface->insert_project = sqlite_insert_project;
  iface->get_project = sqlite_get_project;
  iface->find_project = sqlite_find_project;
  iface->list_projects = sqlite_list_projects;
  iface->insert_user = sqlite_insert_user;
  iface->get_user = sqlite_get_user;
  iface->get_user_by_name = sqlite_get_user_by_name;
  iface->list_users = sqlite_list_users;
  iface->insert_asset = sqlite_insert_asset;
  iface->update_asset = sqlite_update_asset;
  iface->delete_asset = sqlite_delete_asset;
  iface->get_asset = sqlite_get_asset;
  iface->get_asset_by_tag = sqlite_get_asset_by_tag;
  iface->list_assets = sqlite_list_assets;
  iface->insert_cable = sqlite_insert_cable;
  iface->update_cable = sqlite_update_cable;
  iface->delete_cable = sqlite_delete_cable;
  iface->get_cable = sqlite_get_cable;
  iface->get_cable_by_tag = sqlite_get_cable_by_tag;
  iface->list_cables = sqlite_list_cables;
  iface->insert_edge = sqlite_insert_edge;
  iface->delete_edge = sqlite_delete_edge;
  iface->get_edge = sqlite_get_edge;
  iface->find_edge = sqlite_find_edge;
  iface->list_edges = sqlite_list_edges;
  iface->save_rule = sqlite_save_rule;
  iface->delete_rule = sqlite_delete_rule;
  iface->get_rule = sqlite_get_rule;
  iface->list_rules = sqlite_list_rules;
  iface->append_events = sqlite_append_events;
  iface->query_events = sqlite_query_events;
  iface->get_events_by_correlation = sqlite_get_events_by_correlation;
  iface->get_asset_history = sqlite_get_asset_history;
  iface->list_events_after = sqlite_list_events_after;
  iface->get_event = sqlite_get_event;
  iface->mark_events_rolled_back = sqlite_mark_events_rolled_back;
  iface->list_later_batches = sqlite_list_later_batches;
  iface->find_latest_rule_event = sqlite_find_latest_rule_event;
  iface->get_events_by_sequence = sqlite_get_events_by_sequence;
  iface->insert_snapshot = sqlite_insert_snapshot;
  iface->get_snapshot = sqlite_get_snapshot;
  iface->update_snapshot_events_count = sqlite_update_snapshot_events_count;
  iface->mark_snapshot_rolled_back = sqlite_mark_snapshot_rolled_back;
  iface->list_snapshots = sqlite_list_snapshots;
  iface->insert_execution = sqlite_insert_execution;
  iface->update_execution = sqlite_update_execution;
  iface->get_execution = sqlite_get_execution;
  iface->list_executions = sqlite_list_executions;
  iface->insert_token = sqlite_insert_token;
  iface->get_token_user = sqlite_get_token_user;
  iface->delete_token = sqlite_delete_token;
  iface->delete_expired_tokens = sqlite_delete_expired_tokens;
  iface->add_project_member = sqlite_add_project_member;
  iface->is_project_member = sqlite_is_project_member;
  iface->list_project_members = sqlite_list_project_members;
  iface->list_member_projects = sqlite_list_member_projects;
  iface->update_user_password = sqlite_update_user_password;
}
