/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-pg-store.c: SynStore on PostgreSQL: connection, errors, migrations, transactions, locks, projects, users. */
#include "config.h"

#include <poll.h>
#include <string.h>

#include "syn-pg-store-private.h"

#define SCHEMA_RESOURCE_DIR "/io/github/synapse_rules/Synapse/schema/postgres/"
/* As SQLite's busy timeout: a lock wait longer than this is "busy". A
 * lock_timeout given in the connection's options is kept. */
#define LOCK_TIMEOUT "30s"

static void store_iface_init (SynStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SynPgStore, syn_pg_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SYN_TYPE_STORE, store_iface_init))

/* ------------------------------------------------------------------------- */
/* Errors and statements                                                     */

static char *
trimmed_message (const char *message)
{
  return g_strstrip (g_strdup (message ? message : ""));
}

static int
error_code_for_state (const char *state)
{
  if (state == NULL)
    return SYN_STORE_ERROR_FAILED;
  if (g_str_has_prefix (state, "23"))
    return SYN_STORE_ERROR_CONSTRAINT;
  if (strcmp (state, "55P03") == 0 || strcmp (state, "40P01") == 0 || strcmp (state, "40001") == 0)
    return SYN_STORE_ERROR_BUSY;
  if (g_str_has_prefix (state, "22"))
    return SYN_STORE_ERROR_INVALID;
  /* 25006: a read-only transaction, the session is on a standby (a
   * failover not finished, or a URI without target_session_attrs) */
  if (g_str_has_prefix (state, "08") || strcmp (state, "57P01") == 0 ||
      strcmp (state, "57P02") == 0 || strcmp (state, "57P03") == 0 || strcmp (state, "25006") == 0)
    return SYN_STORE_ERROR_CONNECTION;
  return SYN_STORE_ERROR_FAILED;
}

/* Whatever failed, a failure inside a transaction has aborted it in
 * PostgreSQL: every later call of that transaction gets the same error, and
 * only rollback() ends it (callers abandon a failed batch anyway). */
gboolean
_syn_pg_fail (SynPgStore *self, PGresult *res, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *state = res ? PQresultErrorField (res, PG_DIAG_SQLSTATE) : NULL;

  /* the server may say it is closing before libpq has seen the socket close */
  if (PQstatus (self->conn) != CONNECTION_OK || error_code_for_state (state) == SYN_STORE_ERROR_CONNECTION)
    {
      g_autofree char *msg = trimmed_message (res ? PQresultErrorMessage (res) : PQerrorMessage (self->conn));

      if (*msg == '\0')
        {
          g_free (msg);
          msg = trimmed_message (PQerrorMessage (self->conn));
        }
      if (g_strcmp0 (state, "25006") == 0)
        local_error = g_error_new (SYN_STORE_ERROR, SYN_STORE_ERROR_CONNECTION,
                                   "The database is unavailable: the PostgreSQL server it reached does not "
                                   "take writes (a standby: a failover not finished?)%s: %s",
                                   self->in_transaction ? "; nothing of the open transaction was written" : "",
                                   msg);
      else
        local_error = g_error_new (SYN_STORE_ERROR, SYN_STORE_ERROR_CONNECTION,
                                   self->in_transaction
                                   ? "The database is unavailable: lost the connection to the PostgreSQL server; "
                                     "the open transaction was abandoned and nothing of it was written: %s"
                                   : "The database is unavailable: lost the connection to the PostgreSQL server: %s",
                                   msg);
      /* the statements died with the session; a session on a standby
       * (read-only) is dropped too, so that the next call looks for the
       * primary again */
      g_hash_table_remove_all (self->statements);
      self->reconnect = TRUE;
    }
  else
    {
      const char *primary = res ? PQresultErrorField (res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
      const char *detail = res ? PQresultErrorField (res, PG_DIAG_MESSAGE_DETAIL) : NULL;
      g_autofree char *msg = trimmed_message (primary ? primary : PQerrorMessage (self->conn));
      int code = error_code_for_state (state);

      if (code == SYN_STORE_ERROR_BUSY)
        local_error = g_error_new (SYN_STORE_ERROR, code,
                                   "The database is busy: another writer holds it (%s)", msg);
      else if (detail != NULL && *detail != '\0')
        local_error = g_error_new (SYN_STORE_ERROR, code, "%s (%s)", msg, detail);
      else
        local_error = g_error_new_literal (SYN_STORE_ERROR, code, msg);
    }

  if (self->in_transaction && self->txn_error == NULL)
    self->txn_error = g_error_copy (local_error);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static void
ignore_notice (void *data, const char *message)
{
  g_debug ("PostgreSQL: %s", message);
}

/* Settings of every session, also after a reconnection. */
static gboolean
setup_session (SynPgStore *self, GError **error)
{
  g_autoptr(PGresult) res = NULL;

  PQsetNoticeProcessor (self->conn, ignore_notice, NULL);
  res = PQexec (self->conn, "SELECT set_config('lock_timeout', '" LOCK_TIMEOUT "', false) "
                            "WHERE current_setting('lock_timeout') = '0'");
  if (PQresultStatus (res) != PGRES_TUPLES_OK)
    return _syn_pg_fail (self, res, error);
  return TRUE;
}

/* An idle session the server has ended (a FATAL message, or the socket
 * closed when the server died) is seen before a statement is sent, so that
 * the statement goes to a new session rather than failing. Outside a
 * transaction nothing is waiting for an answer and the store never
 * listens: anything readable now is such news (at worst a parameter
 * report, and a new session costs little). */
static void
notice_idle_loss (SynPgStore *self)
{
  struct pollfd pfd = { .fd = PQsocket (self->conn), .events = POLLIN };

  if (pfd.fd < 0 || PQstatus (self->conn) != CONNECTION_OK)
    return;
  if (poll (&pfd, 1, 0) > 0)
    self->reconnect = TRUE;
}

gboolean
_syn_pg_ready (SynPgStore *self, GError **error)
{
  if (self->pending != NULL && !_syn_pg_flush (self, error))
    return FALSE;
  if (self->txn_error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->txn_error));
      return FALSE;
    }
  if (!self->in_transaction)
    notice_idle_loss (self);
  if (PQstatus (self->conn) == CONNECTION_OK && !(self->reconnect && !self->in_transaction))
    return TRUE;
  /* never a new session in the middle of a transaction: its writes would
   * escape the transaction */
  if (self->in_transaction)
    {
      self->txn_error = g_error_new_literal (SYN_STORE_ERROR, SYN_STORE_ERROR_CONNECTION,
                                             "The database is unavailable: lost the connection to the PostgreSQL "
                                             "server; the open transaction was abandoned and nothing of it was "
                                             "written");
      g_propagate_error (error, g_error_copy (self->txn_error));
      return FALSE;
    }

  /* Outside a transaction nothing is lost with the old session: start a new
   * one (every host of a multi-host URI is tried, each bounded by
   * connect_timeout; target_session_attrs=read-write finds the promoted
   * standby). */
  PQreset (self->conn);
  g_hash_table_remove_all (self->statements);
  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      g_autofree char *msg = trimmed_message (PQerrorMessage (self->conn));

      g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_CONNECTION,
                   "The database is unavailable: cannot reach the PostgreSQL server: %s", msg);
      return FALSE;
    }
  self->reconnect = FALSE;
  return setup_session (self, error);
}

static const char *
statement_name (SynPgStore *self, const char *sql, GError **error)
{
  const char *name = g_hash_table_lookup (self->statements, sql);
  g_autoptr(PGresult) res = NULL;
  char *new_name;

  if (name != NULL)
    return name;
  new_name = g_strdup_printf ("syn_%u", ++self->next_statement);
  res = PQprepare (self->conn, new_name, sql, 0, NULL);
  if (PQresultStatus (res) != PGRES_COMMAND_OK)
    {
      g_free (new_name);
      _syn_pg_fail (self, res, error);
      return NULL;
    }
  g_hash_table_insert (self->statements, g_strdup (sql), new_name);
  return new_name;
}

PGresult *
_syn_pg_exec (SynPgStore *self, const char *sql, const SynPgParams *params, gboolean prepare, GError **error)
{
  PGresult *res;
  int n = params ? params->n : 0;
  const char * const *values = params ? params->values : NULL;
  ExecStatusType status;

  if (!_syn_pg_ready (self, error))
    return NULL;
  if (prepare)
    {
      const char *name = statement_name (self, sql, error);

      if (name == NULL)
        return NULL;
      res = PQexecPrepared (self->conn, name, n, values, NULL, NULL, 0);
    }
  else
    res = PQexecParams (self->conn, sql, n, NULL, values, NULL, NULL, 0);

  status = PQresultStatus (res);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
    return res;
  _syn_pg_fail (self, res, error);
  PQclear (res);
  return NULL;
}

gboolean
_syn_pg_exec_ok (SynPgStore *self, const char *sql, const SynPgParams *params, GError **error)
{
  g_autoptr(PGresult) res = _syn_pg_exec (self, sql, params, TRUE, error);

  return res != NULL;
}

/* ------------------------------------------------------------------------- */
/* Writes behind: pipelined inside a transaction                             */

typedef struct
{
  char *prefix;   /* put before a constraint error: "Asset TAG: " */
  char *what;     /* NOT_FOUND "No WHAT with id ID" when no row matched */
  char *id;
} Pending;

static void
pending_free (Pending *w)
{
  g_free (w->prefix);
  g_free (w->what);
  g_free (w->id);
  g_free (w);
}

/* The errors of a statement, as the synchronous path words them. */
static void
check_written (SynPgStore *self, PGresult *res, Pending *w, GError **error)
{
  g_autoptr(GError) local_error = NULL;

  if (PQresultStatus (res) == PGRES_COMMAND_OK)
    {
      if (w->what != NULL)
        _syn_pg_require_changed (res, w->what, w->id, error);
      return;
    }
  _syn_pg_fail (self, res, &local_error);
  if (w->prefix != NULL && local_error->code == SYN_STORE_ERROR_CONSTRAINT)
    g_prefix_error (&local_error, "%s", w->prefix);
  g_propagate_error (error, g_steal_pointer (&local_error));
}

/* Reads the answers of every pending write (one round trip for all of them).
 * The first failure fails the transaction, as it did on the server. */
gboolean
_syn_pg_flush (SynPgStore *self, GError **error)
{
  GQueue *pending = g_steal_pointer (&self->pending);
  g_autoptr(GError) first = NULL;
  gboolean was_null = FALSE;
  PGresult *res;
  Pending *w;

  if (pending == NULL)
    return TRUE;
  if (!PQpipelineSync (self->conn))
    {
      _syn_pg_fail (self, NULL, &first);
      was_null = TRUE;
    }
  while (first == NULL && (w = g_queue_pop_head (pending)) != NULL)
    {
      res = PQgetResult (self->conn);
      if (res == NULL)
        _syn_pg_fail (self, NULL, &first);
      else
        {
          if (PQresultStatus (res) != PGRES_PIPELINE_ABORTED)
            check_written (self, res, w, &first);
          PQclear (res);
          /* each statement's answer ends with a NULL */
          while ((res = PQgetResult (self->conn)) != NULL)
            PQclear (res);
        }
      pending_free (w);
    }
  /* after a failure: the rest of the answers (aborted), up to the sync point */
  while (PQstatus (self->conn) == CONNECTION_OK && PQpipelineStatus (self->conn) != PQ_PIPELINE_OFF)
    {
      res = PQgetResult (self->conn);
      if (res != NULL && PQresultStatus (res) == PGRES_PIPELINE_SYNC)
        {
          PQclear (res);
          PQexitPipelineMode (self->conn);
          break;
        }
      /* answers alternate with NULLs: two NULLs in a row, nothing more comes */
      if (res == NULL && was_null)
        break;
      was_null = res == NULL;
      PQclear (res);
    }
  g_queue_free_full (pending, (GDestroyNotify) pending_free);
  if (first != NULL)
    {
      if (self->in_transaction && self->txn_error == NULL)
        self->txn_error = g_error_copy (first);
      g_propagate_error (error, g_steal_pointer (&first));
      return FALSE;
    }
  return TRUE;
}

/* A write whose answer the caller needs only if it failed: inside a
 * transaction it is pipelined, and its failure is reported by the next call
 * of that transaction (at the latest by commit), with the same code and
 * message; the transaction has failed either way. Outside one it runs now.
 * @what, @id: the statement must change a row (else NOT_FOUND). */
gboolean
_syn_pg_write_behind (SynPgStore *self, const char *sql, const SynPgParams *params, char *prefix,
                      const char *what, const char *id, GError **error)
{
  Pending *w = g_new0 (Pending, 1);
  const char *name;

  w->prefix = prefix;
  w->what = g_strdup (what);
  w->id = g_strdup (id);
  if (!self->in_transaction)
    {
      g_autoptr(PGresult) res = NULL;
      g_autoptr(GError) local_error = NULL;

      res = _syn_pg_exec (self, sql, params, TRUE, &local_error);
      if (res != NULL)
        check_written (self, res, w, &local_error);
      else if (prefix != NULL && local_error->code == SYN_STORE_ERROR_CONSTRAINT)
        g_prefix_error (&local_error, "%s", prefix);
      pending_free (w);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      return TRUE;
    }

  /* statements are prepared outside the pipeline */
  name = g_hash_table_lookup (self->statements, sql);
  if (name == NULL)
    {
      if (!_syn_pg_ready (self, error) || (name = statement_name (self, sql, error)) == NULL)
        {
          pending_free (w);
          return FALSE;
        }
    }
  if (self->txn_error != NULL)
    {
      pending_free (w);
      g_propagate_error (error, g_error_copy (self->txn_error));
      return FALSE;
    }
  if (self->pending == NULL)
    {
      if (!PQenterPipelineMode (self->conn))
        {
          pending_free (w);
          return _syn_pg_fail (self, NULL, error);
        }
      self->pending = g_queue_new ();
    }
  if (!PQsendQueryPrepared (self->conn, name, params->n, params->values, NULL, NULL, 0))
    {
      pending_free (w);
      _syn_pg_flush (self, NULL);
      return _syn_pg_fail (self, NULL, error);
    }
  g_queue_push_tail (self->pending, w);
  /* a bounded backlog of answers: the server never waits for us to read */
  if (self->pending->length >= SYN_PG_PIPELINE_DEPTH)
    return _syn_pg_flush (self, error);
  return TRUE;
}

void
_syn_pg_remember_insert (SynPgStore *self, const char *kind, const char *id)
{
  if (self->in_transaction)
    g_hash_table_add (self->inserted, g_strconcat (kind, ":", id, NULL));
}

/* Whether @id was inserted by this transaction (and not deleted since): an
 * update of it cannot miss, so it may be written behind. */
gboolean
_syn_pg_inserted_here (SynPgStore *self, const char *kind, const char *id)
{
  g_autofree char *key = NULL;

  if (!self->in_transaction || id == NULL)
    return FALSE;
  key = g_strconcat (kind, ":", id, NULL);
  return g_hash_table_contains (self->inserted, key);
}

void
_syn_pg_forget_insert (SynPgStore *self, const char *kind, const char *id)
{
  g_autofree char *key = NULL;

  if (id == NULL)
    return;
  key = g_strconcat (kind, ":", id, NULL);
  g_hash_table_remove (self->inserted, key);
}

gboolean
_syn_pg_require_changed (PGresult *res, const char *what, const char *id, GError **error)
{
  if (g_ascii_strtoll (PQcmdTuples (res), NULL, 10) == 0)
    {
      g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_NOT_FOUND,
                   "No %s with id %s", what, id ? id : "(null)");
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
_syn_pg_collect_rows (PGresult *res, SynPgRowReader reader)
{
  int n = PQntuples (res);
  GPtrArray *rows = g_ptr_array_new_full (n, g_object_unref);

  for (int i = 0; i < n; i++)
    g_ptr_array_add (rows, reader (res, i));
  return rows;
}

gpointer
_syn_pg_collect_one (PGresult *res, SynPgRowReader reader)
{
  return PQntuples (res) > 0 ? reader (res, 0) : NULL;
}

GPtrArray *
_syn_pg_query_rows (SynPgStore *self, const char *sql, const SynPgParams *params,
                    SynPgRowReader reader, GError **error)
{
  g_autoptr(PGresult) res = _syn_pg_exec (self, sql, params, TRUE, error);

  return res ? _syn_pg_collect_rows (res, reader) : NULL;
}

gpointer
_syn_pg_query_one (SynPgStore *self, const char *sql, const SynPgParams *params,
                   SynPgRowReader reader, GError **error)
{
  g_autoptr(PGresult) res = _syn_pg_exec (self, sql, params, TRUE, error);

  return res ? _syn_pg_collect_one (res, reader) : NULL;
}

gboolean
_syn_pg_query_count (SynPgStore *self, const char *sql, const SynPgParams *params,
                     guint64 *out, GError **error)
{
  g_autoptr(PGresult) res = _syn_pg_exec (self, sql, params, TRUE, error);

  if (res == NULL)
    return FALSE;
  *out = PQntuples (res) > 0 ? (guint64) _syn_pg_col_int (res, 0, 0) : 0;
  return TRUE;
}

/* ------------------------------------------------------------------------- */
/* Open and migrate                                                          */

gboolean
syn_pg_store_is_uri (const char *uri)
{
  g_return_val_if_fail (uri != NULL, FALSE);

  return g_str_has_prefix (uri, "postgresql://") || g_str_has_prefix (uri, "postgres://") ||
         strstr (uri, "dbname=") != NULL || strstr (uri, "host=") != NULL;
}

int
syn_pg_store_latest_schema_version (void)
{
  return _syn_store_latest_migration (SCHEMA_RESOURCE_DIR);
}

/* A whole migration file: the simple-query protocol runs its statements in order. */
static gboolean
exec_script (SynPgStore *self, const char *sql, GError **error)
{
  g_autoptr(PGresult) res = PQexec (self->conn, sql);
  ExecStatusType status = PQresultStatus (res);

  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    return _syn_pg_fail (self, res, error);
  return TRUE;
}

static gboolean
migrate (SynPgStore *self, GError **error)
{
  g_auto(GStrv) names = _syn_store_list_migrations (SCHEMA_RESOURCE_DIR);
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GHashTable) applied = g_hash_table_new (g_direct_hash, g_direct_equal);
  int latest = syn_pg_store_latest_schema_version ();

  /* Several servers may start at once: the first migrates under the lock,
   * the others then find the version current. */
  if (!_syn_pg_begin (SYN_STORE (self), error))
    return FALSE;
  if (!exec_script (self, "SELECT pg_advisory_xact_lock(1398361677, 0); "
                          "CREATE TABLE IF NOT EXISTS schema_version ("
                          " version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)", error))
    goto fail;
  res = _syn_pg_exec (self, "SELECT COALESCE(MAX(version), 0) FROM schema_version", NULL, FALSE, error);
  if (res == NULL)
    goto fail;
  self->schema_version = (int) _syn_pg_col_int (res, 0, 0);
  /* every migration not applied yet, not only those above the newest: one
   * numbered below another may come later (branches merged) */
  g_clear_pointer (&res, PQclear);
  if (!(res = _syn_pg_exec (self, "SELECT version FROM schema_version", NULL, FALSE, error)))
    goto fail;
  for (int row = 0; row < PQntuples (res); row++)
    g_hash_table_add (applied, GINT_TO_POINTER ((int) _syn_pg_col_int (res, row, 0)));

  if (self->schema_version > latest)
    {
      g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_SCHEMA,
                   "The database %s has schema version %d, newer than this Synapse %s understands (%d): "
                   "use a newer Synapse", PQdb (self->conn), self->schema_version, PACKAGE_VERSION, latest);
      goto fail;
    }

  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *name = names[i];
      int version = (int) g_ascii_strtoll (name, NULL, 10);
      g_autofree char *sql = NULL;
      g_autoptr(GError) local_error = NULL;
      g_auto(SynPgParams) p = { 0 };

      if (g_hash_table_contains (applied, GINT_TO_POINTER (version)))
        continue;
      if (!(sql = _syn_store_load_migration (SCHEMA_RESOURCE_DIR, name, error)))
        goto fail;
      if (!exec_script (self, sql, &local_error))
        {
          g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_SCHEMA,
                       "Migration %s failed: %s", name, local_error->message);
          goto fail;
        }
      _syn_pg_add_int (&p, version);
      if (!_syn_pg_exec_ok (self, "INSERT INTO schema_version (version, applied_at) VALUES ($1, now())",
                            &p, error))
        goto fail;
      /* the hash chain of the events written before it, once; the event
       * reader names rolled_back_batches (0013), not there yet: an empty
       * stand-in meanwhile (flags are outside the hashes) */
      if (version == 6 &&
          (!_syn_pg_exec_ok (self, "CREATE TEMP TABLE rolled_back_batches (correlation_id uuid PRIMARY KEY)",
                             NULL, error) ||
           !_syn_pg_fill_chain (self, error) ||
           !_syn_pg_exec_ok (self, "DROP TABLE pg_temp.rolled_back_batches", NULL, error)))
        goto fail;
      self->schema_version = MAX (self->schema_version, version);
    }

  return _syn_pg_commit (SYN_STORE (self), error);

fail:
  _syn_pg_rollback (SYN_STORE (self));
  return FALSE;
}

void
_syn_pg_connect_params (const char *uri, const char *application, const char **keywords, const char **values)
{
  static const char * const names[SYN_PG_CONNECT_N] = {
    "connect_timeout", "keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count",
    "tcp_user_timeout", "dbname", "fallback_application_name", "client_encoding", NULL
  };
  const char *given[SYN_PG_CONNECT_N] = { "10", "1", "10", "5", "3", "30000", uri, application, "UTF8", NULL };

  memcpy (keywords, names, sizeof names);
  memcpy (values, given, sizeof given);
}

SynStore *
syn_pg_store_open (const char *uri, GError **error)
{
  g_autoptr(SynPgStore) self = NULL;
  const char *keywords[SYN_PG_CONNECT_N];
  const char *values[SYN_PG_CONNECT_N];

  g_return_val_if_fail (uri != NULL, NULL);

  _syn_pg_connect_params (uri, "synapse", keywords, values);
  self = g_object_new (SYN_TYPE_PG_STORE, NULL);
  self->uri = g_strdup (uri);
  /* expand_dbname: @uri is a whole connection string or URI */
  self->conn = PQconnectdbParams (keywords, values, 1);
  if (self->conn == NULL)
    {
      g_set_error_literal (error, SYN_STORE_ERROR, SYN_STORE_ERROR_OPEN, "Out of memory connecting to PostgreSQL");
      return NULL;
    }
  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      g_autofree char *msg = trimmed_message (PQerrorMessage (self->conn));

      /* never the URI itself: it may hold a password */
      g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_OPEN,
                   "Cannot connect to the PostgreSQL database \"%s\": %s", PQdb (self->conn), msg);
      return NULL;
    }
  if (!setup_session (self, error) || !migrate (self, error))
    return NULL;
  return SYN_STORE (g_steal_pointer (&self));
}

int
syn_pg_store_schema_version (SynPgStore *self)
{
  g_return_val_if_fail (SYN_IS_PG_STORE (self), 0);
  return self->schema_version;
}

int
syn_pg_store_get_backend_pid (SynPgStore *self)
{
  g_return_val_if_fail (SYN_IS_PG_STORE (self), 0);
  return PQbackendPID (self->conn);
}

static PQconninfoOption *
parse_conninfo (const char *uri, GError **error)
{
  char *errmsg = NULL;
  PQconninfoOption *options = PQconninfoParse (uri, &errmsg);

  if (options == NULL)
    {
      g_autofree char *msg = trimmed_message (errmsg);

      g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID, "Not a PostgreSQL connection string: %s", msg);
      PQfreemem (errmsg);
    }
  return options;
}

/* @uri with its @keyword option set to @value, as a key='value' string. */
char *
syn_pg_uri_with_option (const char *uri, const char *keyword, const char *value, GError **error)
{
  PQconninfoOption *options;
  GString *out;

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (keyword != NULL, NULL);
  g_return_val_if_fail (value != NULL, NULL);

  if (!(options = parse_conninfo (uri, error)))
    return NULL;
  out = g_string_new (NULL);
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    {
      const char *v = strcmp (o->keyword, keyword) == 0 ? value : o->val;

      if (v == NULL)
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append_printf (out, "%s='", o->keyword);
      for (const char *c = v; *c; c++)
        {
          if (*c == '\'' || *c == '\\')
            g_string_append_c (out, '\\');
          g_string_append_c (out, *c);
        }
      g_string_append_c (out, '\'');
    }
  PQconninfoFree (options);
  return g_string_free (out, FALSE);
}

char *
syn_pg_uri_with_database (const char *uri, const char *dbname, GError **error)
{
  g_return_val_if_fail (dbname != NULL, NULL);

  return syn_pg_uri_with_option (uri, "dbname", dbname, error);
}

/* The value of @keyword in @uri (NULL: not given, or not a connection string). */
char *
syn_pg_uri_get_option (const char *uri, const char *keyword)
{
  PQconninfoOption *options;
  char *value = NULL;

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (keyword != NULL, NULL);

  if (!(options = parse_conninfo (uri, NULL)))
    return NULL;
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    if (strcmp (o->keyword, keyword) == 0 && o->val != NULL)
      value = g_strdup (o->val);
  PQconninfoFree (options);
  return value;
}

static void
syn_pg_store_finalize (GObject *object)
{
  SynPgStore *self = SYN_PG_STORE (object);

  if (self->in_transaction)
    _syn_pg_rollback (SYN_STORE (self));
  g_clear_pointer (&self->conn, PQfinish);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->locked_projects, g_hash_table_unref);
  g_clear_pointer (&self->appended, g_hash_table_unref);
  g_clear_pointer (&self->inserted, g_hash_table_unref);
  g_clear_error (&self->txn_error);
  if (self->copy_buffer != NULL)
    g_string_free (self->copy_buffer, TRUE);
  g_clear_pointer (&self->uri, g_free);

  G_OBJECT_CLASS (syn_pg_store_parent_class)->finalize (object);
}

static void
syn_pg_store_class_init (SynPgStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = syn_pg_store_finalize;
}

static void
syn_pg_store_init (SynPgStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->locked_projects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->appended = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->inserted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* ------------------------------------------------------------------------- */
/* Connection and transactions                                               */

static const char *
pg_get_backend_name (SynStore *store)
{
  return "postgresql";
}

static const char *
pg_get_uri (SynStore *store)
{
  return SYN_PG_STORE (store)->uri;
}

static void
end_transaction (SynPgStore *self)
{
  self->in_transaction = FALSE;
  g_clear_error (&self->txn_error);
  g_hash_table_remove_all (self->locked_projects);
  g_hash_table_remove_all (self->appended);
  g_hash_table_remove_all (self->inserted);
}

gboolean
_syn_pg_begin (SynStore *store, GError **error)
{
  SynPgStore *self = SYN_PG_STORE (store);

  if (self->in_transaction)
    {
      g_set_error_literal (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID,
                           "A transaction is already open on this connection");
      return FALSE;
    }
  if (!_syn_pg_exec_ok (self, "BEGIN", NULL, error))
    return FALSE;
  end_transaction (self);
  self->in_transaction = TRUE;
  return TRUE;
}

/* The live feed: one small notification per project that got events; the
 * listener reads them itself (list_events_after), in order. NOTIFY is
 * transactional: it is delivered at commit, or never. */
static gboolean
notify_appended (SynPgStore *self, GError **error)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->appended);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      SynPgRange *range = value;
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_auto(SynPgParams) p = { 0 };

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "project_id");
      json_builder_add_string_value (b, key);
      json_builder_set_member_name (b, "first_position");
      json_builder_add_int_value (b, range->first);
      json_builder_set_member_name (b, "last_position");
      json_builder_add_int_value (b, range->last);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      _syn_pg_add_text (&p, SYN_PG_NOTIFY_CHANNEL);
      _syn_pg_add_take (&p, syn_json_to_string_fast (root));
      if (!_syn_pg_exec_ok (self, "SELECT pg_notify($1, $2)", &p, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
_syn_pg_commit (SynStore *store, GError **error)
{
  SynPgStore *self = SYN_PG_STORE (store);
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!self->in_transaction)
    {
      g_set_error_literal (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID,
                           "No transaction is open on this connection");
      return FALSE;
    }
  if (!notify_appended (self, error))
    {
      _syn_pg_rollback (store);
      return FALSE;
    }
  /* pipelined writes answered, the transaction not failed, the session alive:
   * until here a failure means nothing was written */
  if (!_syn_pg_ready (self, error))
    {
      _syn_pg_rollback (store);
      return FALSE;
    }
  res = PQexec (self->conn, "COMMIT");
  if (PQresultStatus (res) != PGRES_COMMAND_OK)
    {
      _syn_pg_fail (self, res, &local_error);
      /* The connection lost while COMMIT was out: the server may have
       * committed before it went (and, with synchronous replication, the
       * promoted standby may have it): the outcome is unknown, and the
       * caller is told so rather than "nothing was written". */
      if (g_error_matches (local_error, SYN_STORE_ERROR, SYN_STORE_ERROR_CONNECTION))
        {
          g_clear_error (&local_error);
          g_set_error_literal (&local_error, SYN_STORE_ERROR, SYN_STORE_ERROR_CONNECTION,
                               "The database is unavailable: the connection to the PostgreSQL server was lost "
                               "while the transaction committed; it may or may not have been written (whole, "
                               "never in part): look for it before trying again");
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      /* A failed COMMIT ends the transaction all the same. */
      _syn_pg_rollback (store);
      return FALSE;
    }
  /* COMMIT of a transaction that had failed says ROLLBACK, and no error */
  if (strcmp (PQcmdStatus (res), "COMMIT") != 0)
    {
      g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_FAILED,
                   "The transaction was rolled back by the server (%s)", PQcmdStatus (res));
      end_transaction (self);
      return FALSE;
    }
  end_transaction (self);
  return TRUE;
}

void
_syn_pg_rollback (SynStore *store)
{
  SynPgStore *self = SYN_PG_STORE (store);

  if (!self->in_transaction)
    return;
  /* the answers of writes still in flight are of no use now */
  _syn_pg_flush (self, NULL);
  /* A lost session has rolled back by itself; the next call reconnects. */
  if (PQstatus (self->conn) == CONNECTION_OK)
    PQclear (PQexec (self->conn, "ROLLBACK"));
  end_transaction (self);
}

static gboolean
pg_in_transaction (SynStore *store)
{
  return SYN_PG_STORE (store)->in_transaction;
}

/* The lock of one project, held until the transaction ends; taken once. */
gboolean
_syn_pg_lock_project_quietly (SynPgStore *self, const char *project_id, GError **error)
{
  g_auto(SynPgParams) p = { 0 };
  g_autoptr(GError) local_error = NULL;

  if (project_id == NULL || g_hash_table_contains (self->locked_projects, project_id))
    return TRUE;
  _syn_pg_add_text (&p, project_id);
  if (!_syn_pg_exec_ok (self, "SELECT pg_advisory_xact_lock(1398361680, hashtext($1))", &p, &local_error))
    {
      if (g_error_matches (local_error, SYN_STORE_ERROR, SYN_STORE_ERROR_BUSY))
        {
          g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_BUSY,
                       "Another execution, import or edit is writing to this project: "
                       "try again when it is done (%s)", local_error->message);
          g_clear_error (&self->txn_error);
          self->txn_error = g_error_copy (*error);
          return FALSE;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_hash_table_add (self->locked_projects, g_strdup (project_id));
  return TRUE;
}

/* One execution per project across processes and machines: a
 * transaction-level advisory lock keyed by the project. A second writer waits
 * for it (lock_timeout, 30 s by default) and is then refused as busy. */
static gboolean
pg_lock_project (SynStore *store, const char *project_id, GError **error)
{
  SynPgStore *self = SYN_PG_STORE (store);

  if (!self->in_transaction)
    {
      g_set_error_literal (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID,
                           "lock_project needs an open transaction");
      return FALSE;
    }
  return _syn_pg_lock_project_quietly (self, project_id, error);
}

/* ------------------------------------------------------------------------- */
/* Projects and users                                                        */

gpointer
_syn_pg_read_project (PGresult *res, int row)
{
  return _syn_pg_read_row (res, row, &_syn_project_row);
}

static gboolean
pg_insert_project (SynStore *store, SynProject *project, GError **error)
{
  SynPgStore *self = SYN_PG_STORE (store);
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, project->id);
  _syn_pg_add_text (&p, project->name);
  _syn_pg_add_text (&p, project->description);
  _syn_pg_add_text (&p, project->country);
  _syn_pg_add_time (&p, project->created_at, FALSE);
  return _syn_pg_exec_ok (self, "INSERT INTO projects (id, name, description, country, created_at) "
                                "VALUES ($1, $2, $3, $4, $5)", &p, error);
}

static SynProject *
pg_get_project (SynStore *store, const char *project_id, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, project_id);
  return _syn_pg_query_one (SYN_PG_STORE (store), "SELECT " SYN_PG_PROJECT_COLS " FROM projects WHERE id = $1",
                            &p, _syn_pg_read_project, error);
}

static SynProject *
pg_find_project (SynStore *store, const char *id_or_name, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, id_or_name);
  return _syn_pg_query_one (SYN_PG_STORE (store), "SELECT " SYN_PG_PROJECT_COLS " FROM projects WHERE id = $1 OR name = $1 "
                            "ORDER BY id = $1 DESC LIMIT 1", &p, _syn_pg_read_project, error);
}

static GPtrArray *
pg_list_projects (SynStore *store, GError **error)
{
  return _syn_pg_query_rows (SYN_PG_STORE (store), "SELECT " SYN_PG_PROJECT_COLS " FROM projects WHERE id <> '" SYN_LIBRARY_PROJECT_ID "' "
                             "AND archived_at IS NULL ORDER BY name",
                             NULL, _syn_pg_read_project, error);
}

static GPtrArray *
pg_list_projects_with_archived (SynStore *store, GError **error)
{
  return _syn_pg_query_rows (SYN_PG_STORE (store), "SELECT " SYN_PG_PROJECT_COLS " FROM projects WHERE id <> '" SYN_LIBRARY_PROJECT_ID "' "
                             "ORDER BY name", NULL, _syn_pg_read_project, error);
}

gpointer
_syn_pg_read_user (PGresult *res, int row)
{
  return _syn_pg_read_row (res, row, &_syn_user_row);
}

static gboolean
pg_insert_user (SynStore *store, SynUser *user, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  if (user->id == NULL)
    user->id = syn_uuid_new ();
  if (user->created_at == 0)
    user->created_at = syn_time_now_usec ();
  _syn_pg_add_text (&p, user->id);
  _syn_pg_add_text (&p, user->username);
  _syn_pg_add_text (&p, user->display_name);
  _syn_pg_add_text (&p, user->role);
  _syn_pg_add_text (&p, user->password_hash);
  _syn_pg_add_time (&p, user->created_at, FALSE);
  return _syn_pg_exec_ok (SYN_PG_STORE (store), "INSERT INTO users (id, username, display_name, role, "
                          "password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)", &p, error);
}

static SynUser *
pg_get_user (SynStore *store, const char *user_id, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, user_id);
  return _syn_pg_query_one (SYN_PG_STORE (store), "SELECT " SYN_PG_USER_COLS " FROM users WHERE id = $1",
                            &p, _syn_pg_read_user, error);
}

static SynUser *
pg_get_user_by_name (SynStore *store, const char *username, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, username);
  return _syn_pg_query_one (SYN_PG_STORE (store), "SELECT " SYN_PG_USER_COLS " FROM users WHERE username = $1",
                            &p, _syn_pg_read_user, error);
}

static GPtrArray *
pg_list_users (SynStore *store, GError **error)
{
  return _syn_pg_query_rows (SYN_PG_STORE (store), "SELECT " SYN_PG_USER_COLS " FROM users ORDER BY username",
                             NULL, _syn_pg_read_user, error);
}

/* ------------------------------------------------------------------------- */

static void
store_iface_init (SynStoreInterface *iface)
{
  iface->get_backend_name = pg_get_backend_name;
  iface->get_uri = pg_get_uri;
  iface->begin = _syn_pg_begin;
  iface->commit = _syn_pg_commit;
  iface->rollback = _syn_pg_rollback;
  iface->in_transaction = pg_in_transaction;
  iface->lock_project = pg_lock_project;
  iface->insert_project = pg_insert_project;
  iface->get_project = pg_get_project;
  iface->find_project = pg_find_project;
  iface->list_projects = pg_list_projects;
  iface->list_projects_with_archived = pg_list_projects_with_archived;
  iface->insert_user = pg_insert_user;
  iface->get_user = pg_get_user;
  iface->get_user_by_name = pg_get_user_by_name;
  iface->list_users = pg_list_users;
  _syn_pg_store_entities_iface_init (iface);
  _syn_pg_store_events_iface_init (iface);
  _syn_pg_store_auth_iface_init (iface);
  _syn_pg_store_admin_iface_init (iface);
  _syn_pg_store_history_iface_init (iface);
  _syn_pg_store_chain_iface_init (iface);
  _syn_pg_store_sync_iface_init (iface);
}
