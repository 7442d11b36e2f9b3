/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-pg-store-private.h: what the SynPgStore source files share: the connection, statements and row helpers. */
#pragma once

#include <libpq-fe.h>

#include "syn-pg-store.h"
#include "syn-store-private.h"

G_BEGIN_DECLS

/* Advisory lock keys (two-int form: namespace, object). The namespaces keep
 * Synapse's locks apart from any other application's on the same database. */
#define SYN_PG_LOCK_SCHEMA   1398361677  /* 'SYNM': migrations */
#define SYN_PG_LOCK_PROJECT  1398361680  /* 'SYNP': one writer per project, hashtext(project_id) */

/* Announced at commit, once per project that received events. */
#define SYN_PG_NOTIFY_CHANNEL "synapse_events"

/* Writes pipelined before their answers are read (bounded, so that neither
 * side ever waits on a full socket). */
#define SYN_PG_PIPELINE_DEPTH 1000

/* Timestamps are TIMESTAMPTZ; columns are read as integer microseconds. */
#define SYN_PG_USEC(col) "(extract(epoch FROM " col ") * 1000000)::int8"

#define SYN_PG_MAX_PARAMS 34  /* 20 event or aggregate types, a timeline's 14 others */

/* The connection options of every session, the store's and the listener's:
 * bounded waits (connect_timeout per host, TCP keepalives and
 * tcp_user_timeout, so that a primary gone without a word is noticed in
 * seconds, not hours), then @uri, whose own settings win, then the
 * encoding. @keywords and @values hold SYN_PG_CONNECT_N entries. */
#define SYN_PG_CONNECT_N 10
void _syn_pg_connect_params (const char *uri, const char *application,
                             const char **keywords, const char **values);

struct _SynPgStore
{
  GObject     parent_instance;

  char       *uri;
  PGconn     *conn;
  GHashTable *statements;       /* SQL text -> name of the statement prepared on this connection */
  guint       next_statement;
  int         schema_version;
  GHashTable *locked_projects;  /* project ids whose advisory lock the open transaction holds */
  GHashTable *appended;         /* project id -> SynPgRange appended in the open transaction */
  GError     *txn_error;        /* the open transaction failed: PostgreSQL abandoned it */
  GString    *copy_buffer;      /* COPY data of append_events, kept between calls */
  GQueue     *pending;          /* writes sent in pipeline mode, answers not read yet */
  GHashTable *inserted;         /* "asset:ID", "cable:ID" inserted by the open transaction */
  guint       in_transaction : 1;
  guint       reconnect : 1;        /* the session is lost or on a standby: a new one before the next call */
};

typedef struct
{
  gint64 first;
  gint64 last;
} SynPgRange;

/* Text-format parameters for one statement; strings added with _take are freed. */
typedef struct
{
  int         n;
  const char *values[SYN_PG_MAX_PARAMS];
  char       *owned[SYN_PG_MAX_PARAMS];
} SynPgParams;

void syn_pg_params_clear (SynPgParams *p);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SynPgParams, syn_pg_params_clear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

void _syn_pg_add_text   (SynPgParams *p, const char *value);
void _syn_pg_add_take   (SynPgParams *p, char *value);
void _syn_pg_add_int    (SynPgParams *p, gint64 value);
void _syn_pg_add_bool   (SynPgParams *p, gboolean value);
void _syn_pg_add_double (SynPgParams *p, double value);
/* @null_if_zero: 0 means "unset" (NULL), as SQLite's store binds it. */
void _syn_pg_add_time   (SynPgParams *p, gint64 usec, gboolean null_if_zero);
void _syn_pg_add_json   (SynPgParams *p, JsonNode *node, const char *fallback);
void _syn_pg_add_json_object (SynPgParams *p, JsonObject *object);
void _syn_pg_add_json_object_or_null (SynPgParams *p, JsonObject *object);
/* A text[] literal of @n values (NULLs allowed). */
void _syn_pg_add_text_array (SynPgParams *p, const char * const *values, guint n);

/* "YYYY-MM-DD HH:MM:SS.ffffff+00": exact, clamped to years 1..9999. */
void _syn_pg_format_time (gint64 usec, char buf[40]);

/* Runs @sql (prepared once per connection, or unnamed with @prepare FALSE).
 * Returns a result holding rows or a command status, or NULL with @error set. */
PGresult *_syn_pg_exec      (SynPgStore *self, const char *sql, const SynPgParams *params,
                             gboolean prepare, GError **error);
gboolean  _syn_pg_exec_ok   (SynPgStore *self, const char *sql, const SynPgParams *params, GError **error);
/* Writes behind (pipelined in a transaction); see syn-pg-store.c. @prefix is taken. */
gboolean  _syn_pg_write_behind (SynPgStore *self, const char *sql, const SynPgParams *params, char *prefix,
                                const char *what, const char *id, GError **error);
gboolean  _syn_pg_flush     (SynPgStore *self, GError **error);
void      _syn_pg_remember_insert (SynPgStore *self, const char *kind, const char *id);
void      _syn_pg_forget_insert   (SynPgStore *self, const char *kind, const char *id);
gboolean  _syn_pg_inserted_here   (SynPgStore *self, const char *kind, const char *id);
/* Rows affected by a command; NOT_FOUND "No WHAT with id ID" when none, as SQLite's store. */
gboolean  _syn_pg_require_changed (PGresult *res, const char *what, const char *id, GError **error);
/* Records a failure of the connection or of a statement; always returns FALSE. */
gboolean  _syn_pg_fail      (SynPgStore *self, PGresult *res, GError **error);
/* Before any statement: the transaction must not have failed, and a lost
 * connection is re-established (outside a transaction). */
gboolean  _syn_pg_ready     (SynPgStore *self, GError **error);
/* Writes outside a transaction get one of their own (append_events: lock, COPY, NOTIFY, commit). */
gboolean  _syn_pg_begin     (SynStore *store, GError **error);
gboolean  _syn_pg_commit    (SynStore *store, GError **error);
void      _syn_pg_rollback  (SynStore *store);
gboolean  _syn_pg_lock_project_quietly (SynPgStore *self, const char *project_id, GError **error);

typedef gpointer (*SynPgRowReader) (PGresult *res, int row);

GPtrArray *_syn_pg_collect_rows (PGresult *res, SynPgRowReader reader);
gpointer   _syn_pg_collect_one  (PGresult *res, SynPgRowReader reader);
GPtrArray *_syn_pg_query_rows   (SynPgStore *self, const char *sql, const SynPgParams *params,
                                 SynPgRowReader reader, GError **error);
gpointer   _syn_pg_query_one    (SynPgStore *self, const char *sql, const SynPgParams *params,
                                 SynPgRowReader reader, GError **error);
gboolean   _syn_pg_query_count  (SynPgStore *self, const char *sql, const SynPgParams *params,
                                 guint64 *out, GError **error);

char       *_syn_pg_col_text        (PGresult *res, int row, int col);
gint64      _syn_pg_col_int         (PGresult *res, int row, int col);
gboolean    _syn_pg_col_bool        (PGresult *res, int row, int col);
double      _syn_pg_col_double      (PGresult *res, int row, int col);
JsonNode   *_syn_pg_col_json        (PGresult *res, int row, int col);
JsonObject *_syn_pg_col_json_object (PGresult *res, int row, int col);
JsonObject *_syn_pg_col_json_object_or_null (PGresult *res, int row, int col);
/* A row of @shape's columns (syn-store-rows.c), as a new object. */
gpointer    _syn_pg_read_row        (PGresult *res, int row, const SynRowShape *shape);
/* Appends @object's fields to @p in @shape's order. */
void        _syn_pg_add_row         (SynPgParams *p, const SynRowShape *shape, gconstpointer object);

#define SYN_PG_PROJECT_COLS "id, name, description, country, " SYN_PG_USEC ("created_at")
#define SYN_PG_USER_COLS    "id, username, display_name, role, password_hash, " SYN_PG_USEC ("created_at")
#define SYN_PG_EVENT_COLS   "position, id, event_type, aggregate_type, aggregate_id, project_id, rule_id, " \
                            "discipline, payload, metadata, correlation_id, causation_id, sequence_num, " \
                            "user_id, " SYN_PG_USEC ("\"timestamp\"") ", " SYN_STORE_ROLLED_BACK ("workflow_events") ", " \
                            "event_hash"

/* Migration 0006: computes the hash of every event that has none, in chain order. */
gboolean _syn_pg_fill_chain (SynPgStore *self, GError **error);

/* Rows of SYN_PG_PROJECT_COLS and SYN_PG_USER_COLS. */
gpointer _syn_pg_read_project (PGresult *res, int row);
gpointer _syn_pg_read_user    (PGresult *res, int row);

/* The vfuncs of each area, filled into the interface by syn-pg-store.c. */
void _syn_pg_store_entities_iface_init (SynStoreInterface *iface);
void _syn_pg_store_events_iface_init   (SynStoreInterface *iface);
void _syn_pg_store_auth_iface_init     (SynStoreInterface *iface);
void _syn_pg_store_admin_iface_init    (SynStoreInterface *iface);
void _syn_pg_store_history_iface_init  (SynStoreInterface *iface);
void _syn_pg_store_chain_iface_init    (SynStoreInterface *iface);
void _syn_pg_store_sync_iface_init     (SynStoreInterface *iface);

G_END_DECLS
