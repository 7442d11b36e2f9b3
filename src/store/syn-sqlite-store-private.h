/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-sqlite-store-private.h: what the SynSqliteStore source files share: the connection, statements and row helpers. */
#pragma once

#include <sqlite3.h>

#include "syn-sqlite-store.h"
#include "syn-store-private.h"

G_BEGIN_DECLS

struct _SynSqliteStore
{
  GObject     parent_instance;

  char       *path;
  sqlite3    *db;
  GHashTable *statements;   /* SQL text -> sqlite3_stmt */
  GHashTable *event_counts; /* timeline filter -> total (guint64), see syn-sqlite-store-events.c */
  gint64      counts_data_version;
  int         counts_changes;
  int         schema_version;
  guint       in_transaction : 1;
};

/* Records SQLite's error @rc (BUSY, CONSTRAINT... as SYN_STORE_ERROR codes); always returns FALSE. */
gboolean      _syn_sqlite_fail   (SynSqliteStore *self, int rc, GError **error);
/* @sql prepared once per connection, reset and unbound for this use. */
sqlite3_stmt *_syn_sqlite_stmt   (SynSqliteStore *self, const char *sql, GError **error);
/* Runs a statement that returns no rows; resets it. */
gboolean      _syn_sqlite_step_done (SynSqliteStore *self, sqlite3_stmt *stmt, GError **error);

typedef gpointer (*SynSqliteRowReader) (sqlite3_stmt *stmt);

/* Steps a bound statement to the end, collecting one object per row. */
GPtrArray *_syn_sqlite_collect_rows (SynSqliteStore *self, sqlite3_stmt *stmt,
                                     SynSqliteRowReader reader, GError **error);
/* At most one row; NULL without error when there is none. */
gpointer   _syn_sqlite_collect_one  (SynSqliteStore *self, sqlite3_stmt *stmt,
                                     SynSqliteRowReader reader, GError **error);
/* One row of @sql with its first two parameters bound to @a and @b. */
gpointer   _syn_sqlite_get_by_two   (SynSqliteStore *self, const char *sql, SynSqliteRowReader reader,
                                     const char *a, const char *b, GError **error);
gboolean   _syn_sqlite_count_rows   (SynSqliteStore *self, sqlite3_stmt *stmt, guint64 *out, GError **error);
/* NOT_FOUND "No WHAT with id ID" when the last statement changed no row. */
gboolean   _syn_sqlite_require_changed (SynSqliteStore *self, const char *what, const char *id, GError **error);

/* Runs @func in its own transaction when the caller has none open. */
typedef gboolean (*SynSqliteWriteFunc) (SynSqliteStore *self, gpointer data, GError **error);

gboolean   _syn_sqlite_in_write_transaction (SynSqliteStore *self, SynSqliteWriteFunc func,
                                             gpointer data, GError **error);

/* NULL binds NULL; _static for strings that outlive the statement's next step. */
void        _syn_sqlite_bind_text        (sqlite3_stmt *stmt, int idx, const char *value);
void        _syn_sqlite_bind_static      (sqlite3_stmt *stmt, int idx, const char *value);
/* NaN binds NULL. */
void        _syn_sqlite_bind_double      (sqlite3_stmt *stmt, int idx, double value);
/* 0 means "unset" and binds NULL. */
void        _syn_sqlite_bind_time        (sqlite3_stmt *stmt, int idx, gint64 value);
/* NULL binds @fallback (itself NULL or static text). */
void        _syn_sqlite_bind_json        (sqlite3_stmt *stmt, int idx, JsonNode *node, const char *fallback);
void        _syn_sqlite_bind_json_object (sqlite3_stmt *stmt, int idx, JsonObject *object);
void        _syn_sqlite_bind_json_object_or_null (sqlite3_stmt *stmt, int idx, JsonObject *object);

char       *_syn_sqlite_col_text         (sqlite3_stmt *stmt, int idx);
/* NULL reads as NaN. */
double      _syn_sqlite_col_double       (sqlite3_stmt *stmt, int idx);
JsonNode   *_syn_sqlite_col_json         (sqlite3_stmt *stmt, int idx);
/* Never NULL: anything but an object reads as an empty one. */
JsonObject *_syn_sqlite_col_json_object  (sqlite3_stmt *stmt, int idx);
JsonObject *_syn_sqlite_col_json_object_or_null (sqlite3_stmt *stmt, int idx);
/* A row of @shape's columns (syn-store-rows.c), as a new object. */
gpointer    _syn_sqlite_read_row         (sqlite3_stmt *stmt, const SynRowShape *shape);
/* self->event_counts, emptied when the database changed since it was filled
 * (syn-sqlite-store-events.c); keys are the count's SQL and parameters. */
gboolean    _syn_sqlite_counts_fresh     (SynSqliteStore *self, GError **error);
/* A connection of this process committed (its WAL hook): the totals shared
 * between connections (syn-sqlite-store-events.c) are counted again. */
void        _syn_sqlite_note_commit      (void);
/* Binds @object's fields as ?1, ?2... in @shape's order. */
void        _syn_sqlite_bind_row         (sqlite3_stmt *stmt, const SynRowShape *shape, gconstpointer object);

#define SYN_SQLITE_PROJECT_COLS "id, name, description, country, created_at"
#define SYN_SQLITE_USER_COLS    "id, username, display_name, role, password_hash, created_at"
#define SYN_SQLITE_EVENT_COLS   "position, id, event_type, aggregate_type, aggregate_id, project_id, rule_id, " \
                                "discipline, payload, metadata, correlation_id, causation_id, sequence_num, " \
                                "user_id, timestamp, " SYN_STORE_ROLLED_BACK ("workflow_events") ", event_hash"

/* Inside a write transaction: the hash of @project_id's newest event, or
 * SYN_EVENT_GENESIS_HASH (syn-sqlite-store-events.c). */
gboolean _syn_sqlite_chain_head (SynSqliteStore *self, const char *project_id, char **head, GError **error);

/* Migration 0006: computes the hash of every event that has none, in chain order. */
gboolean _syn_sqlite_fill_chain (SynSqliteStore *self, GError **error);

/* Rows of SYN_SQLITE_PROJECT_COLS and SYN_SQLITE_USER_COLS. */
gpointer _syn_sqlite_read_project (sqlite3_stmt *stmt);
gpointer _syn_sqlite_read_user    (sqlite3_stmt *stmt);

/* The vfuncs of each area, filled into the interface by syn-sqlite-store.c. */
void _syn_sqlite_store_entities_iface_init (SynStoreInterface *iface);
void _syn_sqlite_store_events_iface_init   (SynStoreInterface *iface);
void _syn_sqlite_store_auth_iface_init     (SynStoreInterface *iface);
void _syn_sqlite_store_admin_iface_init    (SynStoreInterface *iface);
void _syn_sqlite_store_history_iface_init  (SynStoreInterface *iface);
void _syn_sqlite_store_chain_iface_init    (SynStoreInterface *iface);
void _syn_sqlite_store_sync_iface_init     (SynStoreInterface *iface);

G_END_DECLS
