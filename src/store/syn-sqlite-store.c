/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-sqlite-store.c: SynStore on SQLite: connection, errors, statements, migrations, transactions, projects, users. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "engine/syn-quantity.h"
#include "syn-sqlite-store-private.h"

#define SCHEMA_RESOURCE_DIR "/io/github/synapse_rules/Synapse/schema/sqlite/"
#define BUSY_TIMEOUT_MS     30000

static void store_iface_init (SynStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SynSqliteStore, syn_sqlite_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SYN_TYPE_STORE, store_iface_init))

/* ------------------------------------------------------------------------- */
/* Errors and statements                                                     */

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

gboolean
_syn_sqlite_fail (SynSqliteStore *self, int rc, GError **error)
{
  int code = error_code_for (rc);

  if (code == SYN_STORE_ERROR_BUSY)
    g_set_error (error, SYN_STORE_ERROR, code,
                 "The database is busy: another writer holds it (%s)", sqlite3_errmsg (self->db));
  else
    g_set_error (error, SYN_STORE_ERROR, code, "%s", sqlite3_errmsg (self->db));
  return FALSE;
}

sqlite3_stmt *
_syn_sqlite_stmt (SynSqliteStore *self, const char *sql, GError **error)
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
      _syn_sqlite_fail (self, rc, error);
      return NULL;
    }
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

/* Runs a statement that returns no rows; resets it. */
gboolean
_syn_sqlite_step_done (SynSqliteStore *self, sqlite3_stmt *stmt, GError **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return _syn_sqlite_fail (self, rc, error);
  return TRUE;
}

/* syn_number(X): the number X is or starts with ("75 HP" -> 75.0), NULL
 * when none: how the asset and cable lists compare and sort values. It
 * reads numbers with the engine's scanner, so a filter reads them as a
 * rule does (PostgreSQL's store says the same with a regular expression). */
static void
sql_number (sqlite3_context *context, int argc, sqlite3_value **argv)
{
  double number;

  switch (sqlite3_value_type (argv[0]))
    {
    case SQLITE_INTEGER:
    case SQLITE_FLOAT:
      sqlite3_result_double (context, sqlite3_value_double (argv[0]));
      return;
    case SQLITE_TEXT:
      if (syn_quantity_scan ((const char *) sqlite3_value_text (argv[0]), &number) != NULL)
        {
          sqlite3_result_double (context, number);
          return;
        }
      G_GNUC_FALLTHROUGH;
    default:
      sqlite3_result_null (context);
    }
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

static gint default_cache_kib = SYN_SQLITE_CACHE_KIB;

/* PRAGMA takes no bound parameter: the size is a number we print. */
static gboolean
set_cache_size (SynSqliteStore *self, guint kib, GError **error)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA cache_size=-%u", kib);

  return exec_sql (self, sql, error);
}

/* Steps a bound statement to the end, collecting one object per row. */
GPtrArray *
_syn_sqlite_collect_rows (SynSqliteStore *self, sqlite3_stmt *stmt, SynSqliteRowReader reader,
                          GError **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, reader (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _syn_sqlite_fail (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/* At most one row; NULL without error when there is none. */
gpointer
_syn_sqlite_collect_one (SynSqliteStore *self, sqlite3_stmt *stmt, SynSqliteRowReader reader,
                         GError **error)
{
  int rc = sqlite3_step (stmt);
  gpointer ret = NULL;

  if (rc == SQLITE_ROW)
    ret = reader (stmt);
  else if (rc != SQLITE_DONE)
    _syn_sqlite_fail (self, rc, error);
  sqlite3_reset (stmt);
  return ret;
}

gboolean
_syn_sqlite_count_rows (SynSqliteStore *self, sqlite3_stmt *stmt, guint64 *out, GError **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return _syn_sqlite_fail (self, rc, error);
    }
  *out = (guint64) sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

gpointer
_syn_sqlite_get_by_two (SynSqliteStore *self, const char *sql, SynSqliteRowReader reader,
                        const char *a, const char *b, GError **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, sql, error)))
    return NULL;
  _syn_sqlite_bind_text (stmt, 1, a);
  _syn_sqlite_bind_text (stmt, 2, b);
  return _syn_sqlite_collect_one (self, stmt, reader, error);
}

gboolean
_syn_sqlite_require_changed (SynSqliteStore *self, const char *what, const char *id, GError **error)
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
  if (!(stmt = _syn_sqlite_stmt (self, "SELECT COALESCE(MAX(version), 0) FROM schema_version", error)))
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return _syn_sqlite_fail (self, sqlite3_errcode (self->db), error);
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

  g_autoptr(GHashTable) applied = g_hash_table_new (g_direct_hash, g_direct_equal);

  /* Up to date, the usual case: no write lock is taken, so a connection
   * opens while another one writes a batch. Every migration counts, not
   * only the newest: one numbered below another may come later (branches
   * merged), and is applied then. */
  {
    sqlite3_stmt *stmt = NULL;
    int current = -1, count = -1;

    if (sqlite3_prepare_v2 (self->db, "SELECT MAX(version), COUNT(*) FROM schema_version", -1, &stmt,
                            NULL) == SQLITE_OK &&
        sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
      {
        current = sqlite3_column_int (stmt, 0);
        count = sqlite3_column_int (stmt, 1);
      }
    sqlite3_finalize (stmt);
    if (current == latest && count == (int) g_strv_length (names))
      {
        self->schema_version = current;
        return TRUE;
      }
  }

  /* Foreign key enforcement off while migrating, as SQLite's procedure for
   * rebuilding a table says (0004 rebuilds edges and cables to add theirs):
   * rows that already break a new constraint are kept, for verify to list
   * and repair to delete with events. A no-op inside a transaction, so
   * before it; the caller turns enforcement on afterwards. */
  if (!exec_sql (self, "PRAGMA foreign_keys=OFF", error))
    return FALSE;
  /* Another process may migrate at the same time: take the write lock first,
   * then read the version under it. */
  if (!exec_sql (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!read_schema_version (self, error))
    goto fail;
  {
    sqlite3_stmt *stmt = _syn_sqlite_stmt (self, "SELECT version FROM schema_version", error);
    int rc;

    if (stmt == NULL)
      goto fail;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      g_hash_table_add (applied, GINT_TO_POINTER (sqlite3_column_int (stmt, 0)));
    sqlite3_reset (stmt);
    if (rc != SQLITE_DONE)
      {
        _syn_sqlite_fail (self, rc, error);
        goto fail;
      }
  }

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

      if (g_hash_table_contains (applied, GINT_TO_POINTER (version)))
        continue;
      if (!(sql = _syn_store_load_migration (SCHEMA_RESOURCE_DIR, name, error)))
        goto fail;
      if (!exec_sql (self, sql, &local_error))
        {
          g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_SCHEMA,
                       "Migration %s failed: %s", name, local_error->message);
          goto fail;
        }
      if (!(stmt = _syn_sqlite_stmt (self, "INSERT INTO schema_version (version, applied_at) VALUES (?1, ?2)", error)))
        goto fail;
      sqlite3_bind_int (stmt, 1, version);
      sqlite3_bind_int64 (stmt, 2, syn_time_now_usec ());
      if (!_syn_sqlite_step_done (self, stmt, error))
        goto fail;
      /* the hash chain of the events written before it, once; the event
       * reader names rolled_back_batches (0013), not there yet: an empty
       * stand-in meanwhile (flags are outside the hashes) */
      if (version == 6 &&
          (!exec_sql (self, "CREATE TEMP TABLE rolled_back_batches (correlation_id TEXT PRIMARY KEY)", error) ||
           !_syn_sqlite_fill_chain (self, error) ||
           !exec_sql (self, "DROP TABLE temp.rolled_back_batches", error)))
        goto fail;
      self->schema_version = MAX (self->schema_version, version);
    }

  return exec_sql (self, "COMMIT", error);

fail:
  exec_sql (self, "ROLLBACK", NULL);
  return FALSE;
}

/* WAL size. SQLite's own checkpoint after each commit (1,000 pages or more
 * in the WAL) copies the pages back but leaves the file as large as its
 * largest transaction: a 100,000-pump batch left a 1 GB WAL beside the
 * database for as long as the server ran. This hook does that checkpoint,
 * and after a big commit (WAL_BIG_PAGES) truncates the file to nothing when
 * no reader is still on it (without waiting for one: the committing thread
 * goes on); otherwise journal_size_limit cuts it down when the WAL next
 * starts over. A single batch still needs its own size in the WAL while it
 * is written: it is one transaction, all or nothing. */
#define WAL_CHECKPOINT_PAGES 1000
#define WAL_BIG_PAGES        2048
#define WAL_SIZE_LIMIT       "67108864"

static int
on_wal_commit (void *data, sqlite3 *db, const char *name, int n_pages)
{
  _syn_sqlite_note_commit ();
  if (n_pages < WAL_CHECKPOINT_PAGES)
    return SQLITE_OK;
  if (n_pages >= WAL_BIG_PAGES)
    {
      int rc;

      sqlite3_busy_timeout (db, 0);
      rc = sqlite3_wal_checkpoint_v2 (db, name, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
      sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);
      if (rc == SQLITE_OK)
        return SQLITE_OK;
    }
  /* busy (a reader on an older snapshot) is not an error: the next commit
   * checkpoints again */
  sqlite3_wal_checkpoint_v2 (db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
  return SQLITE_OK;
}

SynStore *
syn_sqlite_store_open (const char *path, GError **error)
{
  return syn_sqlite_store_open_full (path, TRUE, error);
}

/* @create: a missing file becomes a new database; never a missing folder,
 * which is more likely a mistyped path than a wish. */
SynStore *
syn_sqlite_store_open_full (const char *path, gboolean create, GError **error)
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

  if (strcmp (uri_path, ":memory:") != 0 && !g_file_test (uri_path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *dir = g_path_get_dirname (uri_path);

      if (!create)
        {
          g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_NOT_FOUND, "No database at %s", uri_path);
          return NULL;
        }
      if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_OPEN,
                       "Cannot create the database %s: there is no folder %s", uri_path, dir);
          return NULL;
        }
    }

  self = g_object_new (SYN_TYPE_SQLITE_STORE, NULL);
  self->path = g_strdup (uri_path);

  rc = sqlite3_open_v2 (uri_path, &self->db,
                        SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_OPEN, "Cannot open %s: %s", uri_path,
                   self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
  sqlite3_create_function_v2 (self->db, "syn_number", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                              NULL, sql_number, NULL, NULL, NULL);
  sqlite3_wal_hook (self->db, on_wal_commit, NULL);

  /* The first read tells a database from any other file. FULL makes every
   * committed batch durable across a power cut; batches are large, so the one
   * sync per commit costs little. */
  if (!exec_sql (self, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                       "PRAGMA journal_size_limit=" WAL_SIZE_LIMIT, &local_error) ||
      !set_cache_size (self, (guint) g_atomic_int_get (&default_cache_kib), &local_error) ||
      !migrate (self, &local_error) ||
      !exec_sql (self, "PRAGMA foreign_keys=ON", &local_error))
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

/* A desktop holds a connection per worker thread: each one's cache is
 * memory the process keeps (64 MiB each by default, for the server and the
 * engine's writes). */
void
syn_sqlite_store_set_default_cache_size (guint kib)
{
  g_atomic_int_set (&default_cache_kib, kib > 0 ? (gint) MIN (kib, (guint) G_MAXINT / 2) : SYN_SQLITE_CACHE_KIB);
}

/* Shrinking it frees the pages beyond the new size at once. */
void
syn_sqlite_store_set_cache_size (SynSqliteStore *self, guint kib)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (SYN_IS_SQLITE_STORE (self));
  if (!set_cache_size (self, kib > 0 ? MIN (kib, (guint) G_MAXINT / 2) : (guint) g_atomic_int_get (&default_cache_kib),
                       &error))
    g_message ("Cannot set the SQLite cache size: %s", error->message);
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

gboolean
_syn_sqlite_in_write_transaction (SynSqliteStore *self, SynSqliteWriteFunc func, gpointer data,
                                  GError **error)
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

gpointer
_syn_sqlite_read_project (sqlite3_stmt *stmt)
{
  return _syn_sqlite_read_row (stmt, &_syn_project_row);
}

static gboolean
sqlite_insert_project (SynStore *store, SynProject *project, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "INSERT INTO projects (" SYN_SQLITE_PROJECT_COLS ") VALUES (?1, ?2, ?3, ?4, ?5)", error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, project->id);
  _syn_sqlite_bind_text (stmt, 2, project->name);
  _syn_sqlite_bind_text (stmt, 3, project->description);
  _syn_sqlite_bind_text (stmt, 4, project->country);
  sqlite3_bind_int64 (stmt, 5, project->created_at);
  return _syn_sqlite_step_done (self, stmt, error);
}

static SynProject *
sqlite_get_project (SynStore *store, const char *project_id, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT " SYN_SQLITE_PROJECT_COLS " FROM projects WHERE id = ?1", error)))
    return NULL;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  return _syn_sqlite_collect_one (self, stmt, _syn_sqlite_read_project, error);
}

static SynProject *
sqlite_find_project (SynStore *store, const char *id_or_name, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT " SYN_SQLITE_PROJECT_COLS " FROM projects WHERE id = ?1 OR name = ?1 "
                                       "ORDER BY id = ?1 DESC LIMIT 1", error)))
    return NULL;
  _syn_sqlite_bind_text (stmt, 1, id_or_name);
  return _syn_sqlite_collect_one (self, stmt, _syn_sqlite_read_project, error);
}

static GPtrArray *
sqlite_list_projects (SynStore *store, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT " SYN_SQLITE_PROJECT_COLS " FROM projects WHERE id <> '" SYN_LIBRARY_PROJECT_ID "' "
                                       "AND archived_at IS NULL ORDER BY name", error)))
    return NULL;
  return _syn_sqlite_collect_rows (self, stmt, _syn_sqlite_read_project, error);
}

static GPtrArray *
sqlite_list_projects_with_archived (SynStore *store, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT " SYN_SQLITE_PROJECT_COLS " FROM projects WHERE id <> '" SYN_LIBRARY_PROJECT_ID "' "
                                       "ORDER BY name", error)))
    return NULL;
  return _syn_sqlite_collect_rows (self, stmt, _syn_sqlite_read_project, error);
}

gpointer
_syn_sqlite_read_user (sqlite3_stmt *stmt)
{
  return _syn_sqlite_read_row (stmt, &_syn_user_row);
}

static gboolean
sqlite_insert_user (SynStore *store, SynUser *user, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "INSERT INTO users (" SYN_SQLITE_USER_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error)))
    return FALSE;
  if (user->id == NULL)
    user->id = syn_uuid_new ();
  if (user->created_at == 0)
    user->created_at = syn_time_now_usec ();
  _syn_sqlite_bind_text (stmt, 1, user->id);
  _syn_sqlite_bind_text (stmt, 2, user->username);
  _syn_sqlite_bind_text (stmt, 3, user->display_name);
  _syn_sqlite_bind_text (stmt, 4, user->role);
  _syn_sqlite_bind_text (stmt, 5, user->password_hash);
  sqlite3_bind_int64 (stmt, 6, user->created_at);
  return _syn_sqlite_step_done (self, stmt, error);
}

static SynUser *
sqlite_get_user (SynStore *store, const char *user_id, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT " SYN_SQLITE_USER_COLS " FROM users WHERE id = ?1", error)))
    return NULL;
  _syn_sqlite_bind_text (stmt, 1, user_id);
  return _syn_sqlite_collect_one (self, stmt, _syn_sqlite_read_user, error);
}

static SynUser *
sqlite_get_user_by_name (SynStore *store, const char *username, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT " SYN_SQLITE_USER_COLS " FROM users WHERE username = ?1", error)))
    return NULL;
  _syn_sqlite_bind_text (stmt, 1, username);
  return _syn_sqlite_collect_one (self, stmt, _syn_sqlite_read_user, error);
}

static GPtrArray *
sqlite_list_users (SynStore *store, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT " SYN_SQLITE_USER_COLS " FROM users ORDER BY username", error)))
    return NULL;
  return _syn_sqlite_collect_rows (self, stmt, _syn_sqlite_read_user, error);
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
  iface->list_projects_with_archived = sqlite_list_projects_with_archived;
  iface->insert_user = sqlite_insert_user;
  iface->get_user = sqlite_get_user;
  iface->get_user_by_name = sqlite_get_user_by_name;
  iface->list_users = sqlite_list_users;
  _syn_sqlite_store_entities_iface_init (iface);
  _syn_sqlite_store_events_iface_init (iface);
  _syn_sqlite_store_auth_iface_init (iface);
  _syn_sqlite_store_admin_iface_init (iface);
  _syn_sqlite_store_history_iface_init (iface);
  _syn_sqlite_store_chain_iface_init (iface);
  _syn_sqlite_store_sync_iface_init (iface);
}
