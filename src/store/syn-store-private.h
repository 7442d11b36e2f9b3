/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-store-private.h: what the SQLite and PostgreSQL stores share beyond the SynStore interface. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "syn-store.h"

G_BEGIN_DECLS

/* The migration scripts under @resource_dir ("0001_initial.sql", ...),
 * sorted by their version number. */
GStrv      _syn_store_list_migrations      (const char  *resource_dir);

/* Migration 0006 in either database, inside its transaction: the hash of
 * every event that has none, in chain order, project by project, a page at
 * a time; @set_hash writes one (its UPDATE may set it only from NULL). */
typedef gboolean (*SynStoreSetHash) (SynStore *store, gint64 position, const char *hash, GError **error);
/* @project_ids: the projects whose events have no hash yet (from the events
 * themselves: the project list of a later schema may leave some out). */
gboolean   _syn_store_fill_chain           (SynStore           *store,
                                            const char * const *project_ids,
                                            SynStoreSetHash     set_hash,
                                            GError            **error);
int        _syn_store_latest_migration     (const char  *resource_dir);
/* One script's text (its version is the number its name starts with). */
char      *_syn_store_load_migration       (const char  *resource_dir,
                                            const char  *name,
                                            GError     **error);

/* list_later_batches: @newest maps a correlation id to its newest matching
 * position (both owned by the table, g_free). */
GHashTable *_syn_store_later_batches_new   (void);
void        _syn_store_later_batch_seen    (GHashTable  *newest,
                                            const char  *correlation_id,
                                            gint64       position);
/* The correlation ids, newest batch first. */
GPtrArray  *_syn_store_later_batches_sorted (GHashTable *newest);

/* An event's is_rolled_back, in the select list of a query on the row of
 * @events (a table name or alias), the same SQL in both dialects: since
 * migration 0013 a rollback writes one row of rolled_back_batches rather than
 * flagging its events (a primary-key look-up per event read). */
#define SYN_STORE_ROLLED_BACK(events) \
  "EXISTS (SELECT 1 FROM rolled_back_batches rb WHERE rb.correlation_id = " events ".correlation_id)"
#define SYN_STORE_NOT_ROLLED_BACK(events) "NOT " SYN_STORE_ROLLED_BACK (events)

/* A batch that events being appended show rolled back: an event copied
 * flagged (a clone copies a server's events with their flags), or a
 * BATCH_ROLLED_BACK (its aggregate, rolled back by the event's batch at the
 * event's time). Both stores then write or complete its rolled_back_batches
 * row, so that a copy answers as its source does. */
typedef struct
{
  const char *project_id;
  const char *correlation_id;
  const char *rollback_correlation_id;   /* NULL: not known yet */
  gint64      when;
} SynRolledBackBatch;

/* Those of @events (SynEvent *), one per batch, borrowing the events' strings;
 * NULL if there is none (the usual case). */
GArray     *_syn_store_rolled_back_in      (GPtrArray *events);

/* A project's rolled-back batch as a timeline filter leaves it out: by its
 * position range alone when the range holds only its events (the usual
 * case: a batch is appended in one transaction), which the filter's index
 * tells without reading a row; else by the range and its correlation id. */
typedef struct
{
  char    *correlation_id;
  gint64   first_position;
  gint64   last_position;
  gboolean alone;
} SynRolledBackRange;

/* Ranges written into a timeline filter; a project with more rolled-back
 * batches is filtered by a look-up per event (a few times slower). */
#define SYN_STORE_MAX_INLINE_RANGES 32

/* An empty array of SynRolledBackRange that frees their ids. */
GArray     *_syn_store_rolled_back_ranges_new (void);

/* find_batches: ids beginning with the digits lie between low and high (as
 * stored: lowercase, dashed); ids ending with them end with suffix. */
typedef struct
{
  char low[37];
  char high[37];
  char suffix[37];
} SynBatchPattern;

void        _syn_store_batch_pattern       (const char      *digits,
                                            SynBatchPattern *out);
/* One event per batch of both halves' matches, oldest first. */
GPtrArray  *_syn_store_batches_merge       (GPtrArray       *by_prefix,
                                            GPtrArray       *by_suffix);

/* A row as the fields of a domain type, in the order of the select list:
 * both stores read events, snapshots, executions, rules, projects, users,
 * assets, cables and edges through these, and write the last three
 * (syn-store-rows.c). Times are integer microseconds. */
typedef enum {
  SYN_COLUMN_TEXT,        /* char * */
  SYN_COLUMN_INT,         /* gint64 */
  SYN_COLUMN_BOOL,        /* gboolean */
  SYN_COLUMN_JSON,        /* JsonNode * */
  SYN_COLUMN_DOUBLE,      /* double, NULL is NaN */
  SYN_COLUMN_OBJECT,      /* JsonObject *, never NULL: anything else reads as {} */
  SYN_COLUMN_OBJECT_OR_NULL, /* JsonObject * or NULL */
} SynColumnKind;

typedef struct
{
  SynColumnKind kind;
  gsize         offset;
} SynColumn;

typedef struct
{
  gpointer        (*new_object) (void);
  guint             n_columns;
  const SynColumn  *columns;
} SynRowShape;

/* How a store reads one column of a row of @source (a statement, a result
 * row) by its kind. */
typedef struct
{
  char     *(*text)    (gpointer source, int col);
  gint64    (*integer) (gpointer source, int col);
  gboolean  (*boolean) (gpointer source, int col);
  JsonNode *(*json)    (gpointer source, int col);
  double    (*real)    (gpointer source, int col);
} SynColumnReaders;

gpointer _syn_store_read_row (const SynRowShape      *shape,
                              const SynColumnReaders *readers,
                              gpointer                source);

/* How a store writes one value as the parameter of index @col (from 0) of
 * @target (a statement, a parameter list): text (NULL writes NULL), text it
 * takes, a double (NaN writes NULL). Only TEXT, DOUBLE and the OBJECT kinds
 * are written through shapes (assets, cables, edges). */
typedef struct
{
  void (*text) (gpointer target, int col, const char *value);
  void (*take) (gpointer target, int col, char *value);
  void (*real) (gpointer target, int col, double value);
} SynColumnWriters;

void _syn_store_write_row (const SynRowShape       *shape,
                           const SynColumnWriters  *writers,
                           gpointer                 target,
                           gconstpointer            object);

extern const SynRowShape _syn_event_row;
extern const SynRowShape _syn_snapshot_row;
extern const SynRowShape _syn_execution_row;
extern const SynRowShape _syn_rule_row;
extern const SynRowShape _syn_project_row;
extern const SynRowShape _syn_user_row;
extern const SynRowShape _syn_asset_row;
extern const SynRowShape _syn_cable_row;
extern const SynRowShape _syn_edge_row;

/* The asset and cable lists (syn-entity-query.c): one SQL for both stores,
 * with numbered placeholders ("?1" or "$1") for these parameters. */
typedef enum {
  SYN_SQL_TEXT,
  SYN_SQL_NUMBER,   /* a double */
  SYN_SQL_INT,      /* a whole number in @number; negative: no limit */
} SynSqlParamKind;

typedef struct
{
  SynSqlParamKind  kind;
  char            *text;
  double           number;
} SynSqlParam;

/* A store's statements for assets, cables and edges are kept in arrays of
 * three, in that order: the index of @aggregate_type's (SYN_AGGREGATE_ASSET,
 * _CABLE or _EDGE). */
guint _syn_store_entity_table (const char *aggregate_type);

struct _SynEntityQuery;
/* SELECT @columns (the entity's, prefixed "a." or "c."), then for cables
 * the tags of both ends, then the creator of what no rule made; or, with
 * @count, the number of matches. SQLite needs syn_number() (see
 * syn-sqlite-store.c). */
char *_syn_entity_query_sql (const struct _SynEntityQuery *query,
                             const char                   *columns,
                             gboolean                      postgres,
                             gboolean                      count,
                             GPtrArray                   **params);

/* The per-minute counts of the timeline chart (migration 0012). A minute
 * is a timestamp in microseconds divided by SYN_MINUTE_USEC, rounded down. */
#define SYN_MINUTE_USEC (60 * G_USEC_PER_SEC)

typedef struct
{
  const char *project_id;   /* borrowed from the events */
  const char *event_type;
  const char *discipline;   /* "" for none */
  gint64      minute;
  gint64      n;
  gint64      n_rolled_back;
} SynMinuteCount;

gint64      _syn_store_minute_of           (gint64       usec);
/* @events (SynEvent) grouped by project, minute, type and discipline:
 * SynMinuteCount items, each key once; valid while @events lives. */
GArray     *_syn_store_minute_counts       (GPtrArray   *events);

G_END_DECLS
