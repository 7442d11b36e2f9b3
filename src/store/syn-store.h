/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-store.h: SynStore, the one interface to a database (SQLite or PostgreSQL). */
#pragma once

#include <gio/gio.h>

#include "core/syn-core.h"
#include "syn-entity-query.h"
#include "syn-event-query.h"

G_BEGIN_DECLS

#define SYN_STORE_ERROR (syn_store_error_quark ())

typedef enum {
  SYN_STORE_ERROR_FAILED,
  SYN_STORE_ERROR_OPEN,          /* cannot open, not a database, corrupt */
  SYN_STORE_ERROR_SCHEMA,        /* newer than this binary, or a failed migration */
  SYN_STORE_ERROR_CONSTRAINT,    /* unique, foreign key, append-only trigger */
  SYN_STORE_ERROR_NOT_FOUND,
  SYN_STORE_ERROR_INVALID,       /* bad query or argument */
  SYN_STORE_ERROR_BUSY,          /* locked by another writer or execution */
  SYN_STORE_ERROR_CONNECTION,    /* the server went away */
} SynStoreError;

#define SYN_TYPE_STORE (syn_store_get_type ())

G_DECLARE_INTERFACE (SynStore, syn_store, SYN, STORE, GObject)

/* A state checkpoint (schema 0008_state_checkpoints, issue 15): the state
 * after a project's events up to @position replayed as they happened. */
typedef struct
{
  char   *project_id;
  gint64  position;
  gint64  events;        /* how many events of the project that is */
  char   *head_hash;     /* the chain hash of the event at @position */
  char   *content_hash;  /* SHA-256 (hex) of @state */
  char   *state;         /* canonical JSON; NULL when listed without it */
  gint64  created_at;
} SynStateCheckpoint;

void syn_state_checkpoint_free (SynStateCheckpoint *checkpoint);

/* An event as the state replay reads it (syn_store_list_event_texts_after):
 * the columns a fold needs, payload and metadata as the stored JSON text,
 * not parsed (issue 15: parsing every event was most of an "as of"). */
typedef struct
{
  gint64  position;
  gint64  sequence_num;
  char   *id;
  char   *event_type;
  char   *aggregate_type;
  char   *aggregate_id;   /* or NULL */
  char   *correlation_id;
  char   *hash;           /* or NULL (before the chain) */
  char   *payload;        /* JSON text as stored */
  char   *metadata;       /* JSON text as stored, or NULL */
  char   *user_id;        /* or NULL */
  gint64  timestamp;      /* microseconds since the epoch, UTC */
} SynEventText;

void syn_event_text_free (SynEventText *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SynEventText, syn_event_text_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SynStateCheckpoint, syn_state_checkpoint_free)

/* A SynStore is one connection: use it from one thread at a time, and open
 * another (syn_store_open_another()) for another thread.
 *
 * Conventions: get_* return NULL without an error when nothing matches;
 * list_* return a GPtrArray owning its objects (never NULL on success);
 * writes happen in the caller's transaction when one is open, otherwise each in
 * one of its own. */
/* What a count by period is split by (syn_store_count_events_by_period). */
typedef enum {
  SYN_EVENT_SPLIT_NONE,
  SYN_EVENT_SPLIT_TYPE,
  SYN_EVENT_SPLIT_DISCIPLINE,
} SynEventSplit;

/* One period's count for one key (an event type, a discipline, or ""). */
typedef struct
{
  guint   period;
  guint64 count;
  char    key[];
} SynPeriodCount;

SynPeriodCount *syn_period_count_new (guint period, const char *key, guint64 count);

struct _SynStoreInterface
{
  GTypeInterface parent_iface;

  const char *(*get_backend_name) (SynStore *self);
  const char *(*get_uri) (SynStore *self);
  gboolean (*begin) (SynStore *self, GError **error);
  gboolean (*commit) (SynStore *self, GError **error);
  void (*rollback) (SynStore *self);
  gboolean (*in_transaction) (SynStore *self);
  gboolean (*lock_project) (SynStore *self, const char *project_id, GError **error);
  gboolean (*insert_project) (SynStore *self, SynProject *project, GError **error);
  SynProject *(*get_project) (SynStore *self, const char *project_id, GError **error);
  SynProject *(*find_project) (SynStore *self, const char *id_or_name, GError **error);
  GPtrArray *(*list_projects) (SynStore *self, GError **error);
  GPtrArray *(*list_projects_with_archived) (SynStore *self, GError **error);
  gboolean (*insert_user) (SynStore *self, SynUser *user, GError **error);
  SynUser *(*get_user) (SynStore *self, const char *user_id, GError **error);
  SynUser *(*get_user_by_name) (SynStore *self, const char *username, GError **error);
  GPtrArray *(*list_users) (SynStore *self, GError **error);
  gboolean (*insert_asset) (SynStore *self, SynAsset *asset, GError **error);
  gboolean (*update_asset) (SynStore *self, SynAsset *asset, GError **error);
  gboolean (*delete_asset) (SynStore *self, const char *project_id, const char *asset_id, GError **error);
  SynAsset *(*get_asset) (SynStore *self, const char *project_id, const char *asset_id, GError **error);
  SynAsset *(*get_asset_by_tag) (SynStore *self, const char *project_id, const char *tag, GError **error);
  GPtrArray *(*list_assets) (SynStore *self, const char *project_id, const char *type, const char *search, guint64 offset, guint limit, guint64 *total, GError **error);
  gboolean (*insert_cable) (SynStore *self, SynCable *cable, GError **error);
  gboolean (*update_cable) (SynStore *self, SynCable *cable, GError **error);
  gboolean (*delete_cable) (SynStore *self, const char *project_id, const char *cable_id, GError **error);
  SynCable *(*get_cable) (SynStore *self, const char *project_id, const char *cable_id, GError **error);
  SynCable *(*get_cable_by_tag) (SynStore *self, const char *project_id, const char *tag, GError **error);
  GPtrArray *(*list_cables) (SynStore *self, const char *project_id, guint64 offset, guint limit, guint64 *total, GError **error);
  GPtrArray *(*list_asset_cables) (SynStore *self, const char *project_id, const char *asset_id, GError **error);
  SynEntityPage *(*query_entities) (SynStore *self, const SynEntityQuery *query, GError **error);
  gboolean (*insert_edge) (SynStore *self, SynEdge *edge, GError **error);
  gboolean (*delete_edge) (SynStore *self, const char *project_id, const char *edge_id, GError **error);
  SynEdge *(*get_edge) (SynStore *self, const char *project_id, const char *edge_id, GError **error);
  SynEdge *(*find_edge) (SynStore *self, const char *project_id, const char *source_asset_id, const char *target_asset_id, const char *relation, GError **error);
  GPtrArray *(*list_edges) (SynStore *self, const char *project_id, const char *asset_id, GError **error);
  gboolean (*save_rule) (SynStore *self, SynRule *rule, GError **error);
  gboolean (*delete_rule) (SynStore *self, const char *rule_id, GError **error);
  SynRule *(*get_rule) (SynStore *self, const char *rule_id, GError **error);
  GPtrArray *(*list_rules) (SynStore *self, const char *project_id, gboolean include_library, GError **error);
  gboolean (*append_events) (SynStore *self, GPtrArray *events, GError **error);
  GPtrArray *(*query_events) (SynStore *self, const SynEventQuery *query, guint64 *total, GError **error);
  GPtrArray *(*count_events_by_period) (SynStore *self, const SynEventQuery *query, const gint64 *bounds, guint n_bounds, SynEventSplit split, GError **error);
  /* From the per-minute counts: @periods holds, per period, [minute_lo, minute_hi) (lo == hi: none) */
  GPtrArray *(*count_event_minutes) (SynStore *self, const SynEventQuery *query, const gint64 *periods, guint n_periods, SynEventSplit split, GError **error);
  GPtrArray *(*get_events_by_correlation) (SynStore *self, const char *project_id, const char *correlation_id, GError **error);
  GPtrArray *(*get_asset_history) (SynStore *self, const char *project_id, const char *asset_id, GError **error);
  GPtrArray *(*list_events_after) (SynStore *self, const char *project_id, gint64 after_position, guint limit, GError **error);
  GPtrArray *(*list_event_texts_after) (SynStore *self, const char *project_id, gint64 after_position, guint limit, GError **error);
  SynEvent *(*get_event) (SynStore *self, const char *event_id, GError **error);
  gboolean (*mark_batch_rolled_back) (SynStore *self, const char *project_id, const char *correlation_id, const char *rollback_correlation_id, gint64 when, guint64 *n_events, GError **error);
  GPtrArray *(*list_later_batches) (SynStore *self, const char *project_id, const char *aggregate_type, const char * const *aggregate_ids, guint n_ids, gint64 after_position, GError **error);
  SynEvent *(*find_latest_rule_event) (SynStore *self, const char *project_id, const char *rule_id, const char *source_asset_id, GError **error);
  GPtrArray *(*get_events_by_sequence) (SynStore *self, const char *project_id, const char *correlation_id, gint64 first_seq, gint64 last_seq, GError **error);
  gboolean (*insert_snapshot) (SynStore *self, SynSnapshot *snapshot, GError **error);
  SynSnapshot *(*get_snapshot) (SynStore *self, const char *project_id, const char *correlation_id, GError **error);
  gboolean (*update_snapshot_events_count) (SynStore *self, const char *project_id, const char *correlation_id, gint64 events_count, GError **error);
  gboolean (*mark_snapshot_rolled_back) (SynStore *self, const char *project_id, const char *correlation_id, const char *user_id, gint64 when, GError **error);
  GPtrArray *(*list_snapshots) (SynStore *self, const char *project_id, gboolean active_only, guint limit, GError **error);
  gboolean (*insert_execution) (SynStore *self, SynExecution *execution, GError **error);
  gboolean (*update_execution) (SynStore *self, SynExecution *execution, GError **error);
  SynExecution *(*get_execution) (SynStore *self, const char *execution_id, GError **error);
  GPtrArray *(*list_executions) (SynStore *self, const char *project_id, guint64 offset, guint limit, guint64 *total, GError **error);

  /* The living model (schema 0003_living_model). */
  gboolean (*insert_finding) (SynStore *self, SynFinding *finding, GError **error);
  GPtrArray *(*list_findings) (SynStore *self, const char *project_id, GError **error);
  GPtrArray *(*list_findings_between) (SynStore *self, const char *project_id, gint64 after, gint64 until, GError **error);
  gboolean (*is_legacy_project) (SynStore *self, const char *project_id, gboolean *is_legacy, GError **error);
  gboolean (*clear_legacy_project) (SynStore *self, const char *project_id, GError **error);
  gboolean (*get_derive_mark) (SynStore *self, const char *project_id, gint64 *position, char **rules_digest, JsonNode **summary, GError **error);
  gboolean (*set_derive_mark) (SynStore *self, const char *project_id, gint64 position, const char *rules_digest, JsonNode *summary, GError **error);

  /* Integrity (schema 0004_integrity). */
  GPtrArray *(*list_dangling_edges) (SynStore *self, const char *project_id, GError **error);
  GPtrArray *(*list_dangling_cables) (SynStore *self, const char *project_id, GError **error);
  gboolean (*list_asset_referrers) (SynStore *self, const char *project_id, const char * const *asset_ids, guint n_ids, GPtrArray *edge_ids, GPtrArray *cable_ids, GPtrArray *derived_ids, GError **error);
  gboolean (*delete_entities) (SynStore *self, const char *project_id, const char *aggregate_type, const char * const *ids, guint n_ids, GPtrArray *deleted, GError **error);
  gboolean (*validate_references) (SynStore *self, gboolean *all_valid, GError **error);

  /* Authentication and project membership (schema 0002_auth). Tokens are
   * stored only as the lowercase hex SHA-256 of the secret; times are
   * microseconds since the Unix epoch, UTC, like every other time. */
  gboolean (*insert_token) (SynStore *self, const char *token_hash, const char *user_id, gint64 created_at, gint64 expires_at, GError **error);
  SynUser *(*get_token_user) (SynStore *self, const char *token_hash, gint64 now, GError **error);
  gboolean (*delete_token) (SynStore *self, const char *token_hash, GError **error);
  gboolean (*delete_expired_tokens) (SynStore *self, gint64 now, GError **error);
  gboolean (*add_project_member) (SynStore *self, const char *project_id, const char *user_id, gint64 added_at, GError **error);
  gboolean (*is_project_member) (SynStore *self, const char *project_id, const char *user_id, gboolean *is_member, GError **error);
  GPtrArray *(*list_project_members) (SynStore *self, const char *project_id, GError **error);
  GPtrArray *(*list_member_projects) (SynStore *self, const char *user_id, GError **error);
  gboolean (*update_user_password) (SynStore *self, const char *user_id, const char *password_hash, GError **error);

  /* Batch ids as people type them, and histories by tag (issue 12). */
  GPtrArray *(*find_batches) (SynStore *self, const char *project_id, const char *digits, GError **error);
  GPtrArray *(*get_cable_history) (SynStore *self, const char *project_id, const char *cable_id, GError **error);
  GPtrArray *(*find_tag_events) (SynStore *self, const char *project_id, const char *aggregate_type, const char *tag, GError **error);
  gboolean (*set_password_unshown) (SynStore *self, const char *user_id, gboolean unshown, GError **error);
  GPtrArray *(*list_unshown_password_users) (SynStore *self, GError **error);

  /* The hash chain (schema 0006_hash_chain, issue 15). */
  gboolean (*get_chain_head) (SynStore *self, const char *project_id, gint64 *position, char **hash, GError **error);
  gboolean (*get_chain_mark) (SynStore *self, const char *project_id, gint64 *position, char **hash, GError **error);
  gboolean (*set_chain_mark) (SynStore *self, const char *project_id, gint64 position, const char *hash, GError **error);
  /* State checkpoints (schema 0008_state_checkpoints, issue 15). */
  gboolean (*insert_checkpoint) (SynStore *self, const SynStateCheckpoint *checkpoint, GError **error);
  gboolean (*find_checkpoint) (SynStore *self, const char *project_id, gint64 at_most, gboolean with_state, SynStateCheckpoint **out, GError **error);
  /* Offline work (issue 18): the clone's tables are SQLite's only (NULL on PostgreSQL) */
  gboolean (*get_clone) (SynStore *self, const char *project_id, JsonObject **out, GError **error);
  gboolean (*put_clone) (SynStore *self, const char *project_id, JsonObject *clone, GError **error);
  gboolean (*add_sync_op) (SynStore *self, const char *project_id, JsonObject *op, GError **error);
  GPtrArray *(*list_sync_ops) (SynStore *self, const char *project_id, GError **error);
  gboolean (*set_sync_op) (SynStore *self, gint64 id, const char *status, JsonObject *conflict, const char *server_correlation_id, GError **error);
  gboolean (*rewind_clone) (SynStore *self, const char *project_id, gint64 local_base, GError **error);
  gboolean (*find_push_key) (SynStore *self, const char *key, char **correlation_id, GError **error);
  gboolean (*insert_push_key) (SynStore *self, const char *key, const char *project_id, const char *correlation_id, GError **error);
  GPtrArray *(*list_checkpoints) (SynStore *self, const char *project_id, GError **error);
  /* Administration (0010_admin): readiness, roles, disabled users, archived projects */
  gboolean (*read_schema_version) (SynStore *self, int *applied, int *shipped, GError **error);
  gboolean (*set_user_role) (SynStore *self, const char *user_id, const char *role, GError **error);
  gboolean (*set_user_disabled) (SynStore *self, const char *user_id, gint64 disabled_at, GError **error);
  gboolean (*get_user_disabled) (SynStore *self, const char *user_id, gint64 *disabled_at, GError **error);
  gboolean (*delete_user) (SynStore *self, const char *user_id, GError **error);
  gboolean (*remove_project_member) (SynStore *self, const char *project_id, const char *user_id, gboolean *removed, GError **error);
  gboolean (*update_project) (SynStore *self, SynProject *project, GError **error);
  gboolean (*set_project_archived) (SynStore *self, const char *project_id, gint64 archived_at, GError **error);
  gboolean (*get_project_archived) (SynStore *self, const char *project_id, gint64 *archived_at, GError **error);
};

GQuark syn_store_error_quark (void);

/* How a database is opened: a SQLite file may be created (not its folder),
 * or must exist already (NOT_FOUND: "No database at PATH"). */
typedef enum {
  SYN_STORE_OPEN_DEFAULT  = 0,
  SYN_STORE_OPEN_EXISTING = 1 << 0,
} SynStoreOpenFlags;

SynStore *syn_store_open (const char *uri, GError **error);
SynStore *syn_store_open_full (const char *uri, SynStoreOpenFlags flags, GError **error);
SynStore *syn_store_open_another (SynStore *self, GError **error);
char     *syn_store_default_path (void);
/* Creates the folder of syn_store_default_path(), the one folder a store is
 * allowed to create. */
gboolean  syn_store_make_default_folder (GError **error);

/* "sqlite" or "postgresql". */
const char *syn_store_get_backend_name (SynStore *self);
/* What was given to syn_store_open(); opens another connection to the same database. */
const char *syn_store_get_uri (SynStore *self);
/* Starts a write transaction (one batch). Fails if one is open. */
gboolean syn_store_begin (SynStore *self, GError **error);
gboolean syn_store_commit (SynStore *self, GError **error);
/* The events appended (and committed) by this process, every store counted. */
guint64 syn_store_get_events_appended (void);
/* Abandons the open transaction, if any; everything since begin is gone. */
void syn_store_rollback (SynStore *self);
gboolean syn_store_in_transaction (SynStore *self);
/* Inside a transaction: the one-execution-per-project lock (held until commit or rollback). */
gboolean syn_store_lock_project (SynStore *self, const char *project_id, GError **error);
gboolean syn_store_insert_project (SynStore *self, SynProject *project, GError **error);
SynProject *syn_store_get_project (SynStore *self, const char *project_id, GError **error);
/* By id, else by exact name. */
SynProject *syn_store_find_project (SynStore *self, const char *id_or_name, GError **error);
/* Ordered by name. */
GPtrArray *syn_store_list_projects (SynStore *self, GError **error);
/* As list_projects, archived projects included: their history is still
 * verified (the server's start-up check, synapse verify). */
GPtrArray *syn_store_list_projects_with_archived (SynStore *self, GError **error);
gboolean syn_store_insert_user (SynStore *self, SynUser *user, GError **error);
SynUser *syn_store_get_user (SynStore *self, const char *user_id, GError **error);
SynUser *syn_store_get_user_by_name (SynStore *self, const char *username, GError **error);
GPtrArray *syn_store_list_users (SynStore *self, GError **error);
gboolean syn_store_insert_asset (SynStore *self, SynAsset *asset, GError **error);
/* Replaces every field of the asset with that id. */
gboolean syn_store_update_asset (SynStore *self, SynAsset *asset, GError **error);
gboolean syn_store_delete_asset (SynStore *self, const char *project_id, const char *asset_id, GError **error);
SynAsset *syn_store_get_asset (SynStore *self, const char *project_id, const char *asset_id, GError **error);
SynAsset *syn_store_get_asset_by_tag (SynStore *self, const char *project_id, const char *tag, GError **error);
/* Ordered by tag; @limit 0 means all; @search matches tag or description. */
GPtrArray *syn_store_list_assets (SynStore *self, const char *project_id, const char *type, const char *search, guint64 offset, guint limit, guint64 *total, GError **error);
gboolean syn_store_insert_cable (SynStore *self, SynCable *cable, GError **error);
gboolean syn_store_update_cable (SynStore *self, SynCable *cable, GError **error);
gboolean syn_store_delete_cable (SynStore *self, const char *project_id, const char *cable_id, GError **error);
SynCable *syn_store_get_cable (SynStore *self, const char *project_id, const char *cable_id, GError **error);
SynCable *syn_store_get_cable_by_tag (SynStore *self, const char *project_id, const char *tag, GError **error);
/* Ordered by tag; @limit 0 means all. */
GPtrArray *syn_store_list_cables (SynStore *self, const char *project_id, guint64 offset, guint limit, guint64 *total, GError **error);
/* A page of the asset list or the cable schedule, filtered and ordered. */
SynEntityPage *syn_store_query_entities (SynStore *self, const SynEntityQuery *query, GError **error);
/* The cables from or to one asset, ordered by tag. */
GPtrArray *syn_store_list_asset_cables (SynStore *self, const char *project_id, const char *asset_id, GError **error);
gboolean syn_store_insert_edge (SynStore *self, SynEdge *edge, GError **error);
gboolean syn_store_delete_edge (SynStore *self, const char *project_id, const char *edge_id, GError **error);
SynEdge *syn_store_get_edge (SynStore *self, const char *project_id, const char *edge_id, GError **error);
SynEdge *syn_store_find_edge (SynStore *self, const char *project_id, const char *source_asset_id, const char *target_asset_id, const char *relation, GError **error);
/* Every edge of the project, or those touching @asset_id; ordered by id. */
GPtrArray *syn_store_list_edges (SynStore *self, const char *project_id, const char *asset_id, GError **error);
/* Inserts or replaces the rule with that id. */
gboolean syn_store_save_rule (SynStore *self, SynRule *rule, GError **error);
gboolean syn_store_delete_rule (SynStore *self, const char *rule_id, GError **error);
SynRule *syn_store_get_rule (SynStore *self, const char *rule_id, GError **error);
/* The rules of @project_id (NULL: the library only), with the library ones when asked. */
GPtrArray *syn_store_list_rules (SynStore *self, const char *project_id, gboolean include_library, GError **error);
/* Appends SynEvents in order; sets each one's position. */
gboolean syn_store_append_events (SynStore *self, GPtrArray *events, GError **error);
/* Newest first (position descending). */
GPtrArray *syn_store_query_events (SynStore *self, const SynEventQuery *query, guint64 *total, GError **error);
/* How many events of @query (its page and keyset bounds ignored) fall in
 * each period [bounds[i], bounds[i + 1]) (microseconds, ascending), split by
 * event type or discipline (key "" for none). Whole minutes come from the
 * counts kept per minute as events are appended, when the filters are only
 * event types, discipline, dates and rolled-back; the rest (edges of periods
 * not on a minute, other filters) from the timestamp index. SynPeriodCount
 * items, in no particular order, one per period and key; periods without
 * events are absent. */
GPtrArray *syn_store_count_events_by_period (SynStore *self, const SynEventQuery *query, const gint64 *bounds,
                                             guint n_bounds, SynEventSplit split, GError **error);
/* Ordered by sequence_num. */
GPtrArray *syn_store_get_events_by_correlation (SynStore *self, const char *project_id, const char *correlation_id, GError **error);
/* Oldest first, without rolled-back events. */
GPtrArray *syn_store_get_asset_history (SynStore *self, const char *project_id, const char *asset_id, GError **error);
/* Ordered by position, rolled-back ones included: the live feed. */
GPtrArray *syn_store_list_events_after (SynStore *self, const char *project_id, gint64 after_position, guint limit, GError **error);
/* As list_events_after, each event a SynEventText (payload unparsed). */
GPtrArray *syn_store_list_event_texts_after (SynStore *self, const char *project_id, gint64 after_position, guint limit, GError **error);
SynEvent *syn_store_get_event (SynStore *self, const char *event_id, GError **error);
/* Records that @rollback_correlation_id's batch rolled back the batch
 * @correlation_id at @when: one row of rolled_back_batches, from which every
 * reader computes its events' is_rolled_back (the event rows are not
 * rewritten). @n_events: the batch's events, 0 if it was rolled back already
 * (then nothing changes). */
gboolean syn_store_mark_batch_rolled_back (SynStore *self, const char *project_id, const char *correlation_id, const char *rollback_correlation_id, gint64 when, guint64 *n_events, GError **error);
/* The correlation ids (char *) of the batches, not rolled back, with an event
 * after @after_position on one of @aggregate_ids of @aggregate_type; newest
 * first (by their last such event). Any number of ids: queried in chunks. */
GPtrArray *syn_store_list_later_batches (SynStore *self, const char *project_id, const char *aggregate_type, const char * const *aggregate_ids, guint n_ids, gint64 after_position, GError **error);
/* The newest RULE_EXECUTED, RULE_SKIPPED or RULE_ERROR of @rule_id about
 * @source_asset_id (payload.source_asset_id), not rolled back; NULL if none. */
SynEvent *syn_store_find_latest_rule_event (SynStore *self, const char *project_id, const char *rule_id, const char *source_asset_id, GError **error);
/* The events of one batch with first_seq <= sequence_num <= last_seq, in order. */
GPtrArray *syn_store_get_events_by_sequence (SynStore *self, const char *project_id, const char *correlation_id, gint64 first_seq, gint64 last_seq, GError **error);
gboolean syn_store_insert_snapshot (SynStore *self, SynSnapshot *snapshot, GError **error);
SynSnapshot *syn_store_get_snapshot (SynStore *self, const char *project_id, const char *correlation_id, GError **error);
gboolean syn_store_update_snapshot_events_count (SynStore *self, const char *project_id, const char *correlation_id, gint64 events_count, GError **error);
gboolean syn_store_mark_snapshot_rolled_back (SynStore *self, const char *project_id, const char *correlation_id, const char *user_id, gint64 when, GError **error);
/* Newest first. */
GPtrArray *syn_store_list_snapshots (SynStore *self, const char *project_id, gboolean active_only, guint limit, GError **error);
gboolean syn_store_insert_execution (SynStore *self, SynExecution *execution, GError **error);
gboolean syn_store_update_execution (SynStore *self, SynExecution *execution, GError **error);
SynExecution *syn_store_get_execution (SynStore *self, const char *execution_id, GError **error);
/* Newest first. */
GPtrArray *syn_store_list_executions (SynStore *self, const char *project_id, guint64 offset, guint limit, guint64 *total, GError **error);

/* The rule findings log: appends one row (its event may still be buffered). */
gboolean syn_store_insert_finding (SynStore *self, SynFinding *finding, GError **error);
/* Every row of the project whose event is not rolled back, oldest event
 * first (position set): the newest row of a (rule, source) pair is current. */
GPtrArray *syn_store_list_findings (SynStore *self, const char *project_id, GError **error);
/* The rows whose event lies in (@after, @until], rolled back or not, oldest
 * first (position set): a clone copies the log page by page. */
GPtrArray *syn_store_list_findings_between (SynStore *self, const char *project_id, gint64 after, gint64 until, GError **error);
/* Whether the project was written before derivation records existed and
 * still needs them inferred; clear once they are. */
gboolean syn_store_is_legacy_project (SynStore *self, const char *project_id, gboolean *is_legacy, GError **error);
gboolean syn_store_clear_legacy_project (SynStore *self, const char *project_id, GError **error);
/* The engine's mark of where a project was last up to date with its rules
 * (*position -1 when there is none); set replaces it. */
gboolean syn_store_get_derive_mark (SynStore *self, const char *project_id, gint64 *position, char **rules_digest, JsonNode **summary, GError **error);
gboolean syn_store_set_derive_mark (SynStore *self, const char *project_id, gint64 position, const char *rules_digest, JsonNode *summary, GError **error);

/* Integrity (schema 0004_integrity: edges' and cables' ends are foreign keys
 * to assets, deferred to commit). */
/* The edges with an end that is no asset of their project, ordered by id;
 * the cables so, ordered by tag: rows from before the constraints. */
GPtrArray *syn_store_list_dangling_edges (SynStore *self, const char *project_id, GError **error);
GPtrArray *syn_store_list_dangling_cables (SynStore *self, const char *project_id, GError **error);
/* Adds to each array given (char *, owned by it) the ids of what refers to
 * one of @asset_ids: edges by either end, cables by either end, assets by
 * their derivation's source_asset_id. Any number of ids. */
gboolean syn_store_list_asset_referrers (SynStore *self, const char *project_id, const char * const *asset_ids, guint n_ids, GPtrArray *edge_ids, GPtrArray *cable_ids, GPtrArray *derived_ids, GError **error);
/* Deletes, in one statement, the assets, cables or edges (@aggregate_type:
 * SYN_AGGREGATE_ASSET, _CABLE or _EDGE) of the project among @ids, and adds
 * the ids it deleted to @deleted (char *, owned by it); an id that is not
 * there is none of them, not an error. Any number of ids. What a rollback
 * deletes: one statement rather than one per entity. */
gboolean syn_store_delete_entities (SynStore *self, const char *project_id, const char *aggregate_type, const char * const *ids, guint n_ids, GPtrArray *deleted, GError **error);
/* Outside a transaction: makes the reference constraints hold for every row
 * again where no row breaks them any more (PostgreSQL validates the ones the
 * migration added NOT VALID); *@all_valid says whether all of them are. */
gboolean syn_store_validate_references (SynStore *self, gboolean *all_valid, GError **error);

/* Authentication and membership (schema 0002_auth: user_tokens, project_members). */
/* Stores a session token by the hex SHA-256 of its secret (never the secret). */
gboolean syn_store_insert_token (SynStore *self, const char *token_hash, const char *user_id, gint64 created_at, gint64 expires_at, GError **error);
/* The user of a token whose expires_at is after @now; NULL without an error when
 * the token is unknown or expired. */
SynUser *syn_store_get_token_user (SynStore *self, const char *token_hash, gint64 now, GError **error);
/* Removes one token (logout); an unknown one is not an error. */
gboolean syn_store_delete_token (SynStore *self, const char *token_hash, GError **error);
/* Removes every token with expires_at <= @now. */
gboolean syn_store_delete_expired_tokens (SynStore *self, gint64 now, GError **error);
/* Makes @user_id a member of @project_id; already being one is not an error. */
gboolean syn_store_add_project_member (SynStore *self, const char *project_id, const char *user_id, gint64 added_at, GError **error);
gboolean syn_store_is_project_member (SynStore *self, const char *project_id, const char *user_id, gboolean *is_member, GError **error);
/* The SynUsers who are members of @project_id, ordered by username. */
GPtrArray *syn_store_list_project_members (SynStore *self, const char *project_id, GError **error);
/* The SynProjects @user_id is a member of, ordered by name. */
GPtrArray *syn_store_list_member_projects (SynStore *self, const char *user_id, GError **error);
/* Replaces the password hash of a user (a crypt(3) string); NOT_FOUND if no such user.
 * The new password is a person's: no longer unshown. */
gboolean syn_store_update_user_password (SynStore *self, const char *user_id, const char *password_hash, GError **error);
/* Schema 0005: whether nobody was ever shown the user's password (the admin a
 * server makes, until it has printed it); NOT_FOUND if no such user. */
gboolean syn_store_set_password_unshown (SynStore *self, const char *user_id, gboolean unshown, GError **error);
/* The SynUsers whose password nobody was ever shown, ordered by username. */
GPtrArray *syn_store_list_unshown_password_users (SynStore *self, GError **error);

/* Batch ids and histories by tag (issue 12). */
/* The batches of @project_id whose id, as 32 hex digits, begins or ends with
 * @digits (8 to 32 lowercase hex digits): the first event (sequence 0) of
 * each, oldest first. */
GPtrArray *syn_store_find_batches (SynStore *self, const char *project_id, const char *digits, GError **error);
/* Oldest first, without rolled-back events. */
GPtrArray *syn_store_get_cable_history (SynStore *self, const char *project_id, const char *cable_id, GError **error);
/* Every asset or cable (@aggregate_type "ASSET" or "CABLE") that carried
 * @tag, deleted ones too: the newest event, not rolled back, with the tag in
 * its entity (the payload of a creation or deletion, "after" of an update),
 * one per entity, newest first. */
GPtrArray *syn_store_find_tag_events (SynStore *self, const char *project_id, const char *aggregate_type, const char *tag, GError **error);

/* The hash chain (schema 0006_hash_chain, issue 15). */
/* The position and hash of the project's newest event (the chain's head):
 * *position -1 and *hash NULL when it has none. */
gboolean syn_store_get_chain_head (SynStore *self, const char *project_id, gint64 *position, char **hash, GError **error);
/* Where a check last found the project's chain whole (*position -1 and
 * *hash NULL: never); set replaces it. */
gboolean syn_store_get_chain_mark (SynStore *self, const char *project_id, gint64 *position, char **hash, GError **error);
gboolean syn_store_set_chain_mark (SynStore *self, const char *project_id, gint64 position, const char *hash, GError **error);
/* The newest migration applied to the database (asked now: a database that
 * does not answer fails) and the newest this binary ships. */
gboolean syn_store_read_schema_version (SynStore *self, int *applied, int *shipped, GError **error);
gboolean syn_store_set_user_role (SynStore *self, const char *user_id, const char *role, GError **error);
/* @disabled_at 0: enabled again. Disabling also deletes the user's tokens. */
gboolean syn_store_set_user_disabled (SynStore *self, const char *user_id, gint64 disabled_at, GError **error);
/* *@disabled_at: 0 when the user is enabled. */
gboolean syn_store_get_user_disabled (SynStore *self, const char *user_id, gint64 *disabled_at, GError **error);
/* The user, their tokens and memberships; events keep the user's id. */
gboolean syn_store_delete_user (SynStore *self, const char *user_id, GError **error);
gboolean syn_store_remove_project_member (SynStore *self, const char *project_id, const char *user_id, gboolean *removed, GError **error);
/* Name, description and country of @project (by its id). */
gboolean syn_store_update_project (SynStore *self, SynProject *project, GError **error);
/* Archived projects leave the project lists; their history stays. */
gboolean syn_store_set_project_archived (SynStore *self, const char *project_id, gint64 archived_at, GError **error);
gboolean syn_store_get_project_archived (SynStore *self, const char *project_id, gint64 *archived_at, GError **error);

/* State checkpoints (schema 0008_state_checkpoints, issue 15). Inserting
 * one that exists already (same project and position) does nothing: two
 * replays may pass the same point. */
gboolean syn_store_insert_checkpoint (SynStore *self, const SynStateCheckpoint *checkpoint, GError **error);
/* The project's newest checkpoint at or before @at_most, its state read
 * only @with_state; *@out NULL when there is none. */
gboolean syn_store_find_checkpoint (SynStore *self, const char *project_id, gint64 at_most, gboolean with_state, SynStateCheckpoint **out, GError **error);
/* Every checkpoint of the project without its state, oldest first. */
GPtrArray *syn_store_list_checkpoints (SynStore *self, const char *project_id, GError **error);

/* Offline work (schema 0011_offline_sync, issue 18). A clone is a SQLite
 * file: on PostgreSQL the clone's calls fail (INVALID); the push keys are
 * the server's and work on both. */
/* The clone record of @project_id (a new object: clone_id, server_url,
 * server_project_id, username, base_position, base_head_hash,
 * local_base_position, server_head_position, server_seen_at, created_at,
 * synced_at; times in microseconds); *@out NULL when it is no clone. */
gboolean   syn_store_get_clone     (SynStore *self, const char *project_id, JsonObject **out, GError **error);
/* Inserts or replaces the clone record (the members above). */
gboolean   syn_store_put_clone     (SynStore *self, const char *project_id, JsonObject *clone, GError **error);
/* Records one local batch as the operation it was: {correlation_id, op,
 * params, user_id, basis?, status?, conflict?, server_correlation_id?}. */
gboolean   syn_store_add_sync_op   (SynStore *self, const char *project_id, JsonObject *op, GError **error);
/* Every recorded operation of @project_id (JsonObject, with id,
 * created_at and updated_at), oldest first. */
GPtrArray *syn_store_list_sync_ops (SynStore *self, const char *project_id, GError **error);
/* Sets an operation's status, its conflict (NULL: none) and the server
 * batch it became (NULL: none). NOT_FOUND when there is no such one. */
gboolean   syn_store_set_sync_op   (SynStore *self, gint64 id, const char *status, JsonObject *conflict,
                                    const char *server_correlation_id, GError **error);
/* A clone back at its base, inside the caller's transaction: the events
 * after @local_base (its own position of the base) and the rule library's
 * (all local) go, with their snapshots, findings, checkpoints, derive and
 * chain marks; the marks its own rollbacks left on older batches are
 * undone; the project's entity tables are emptied (replayed after). The
 * append-only triggers are suspended for it and made again before it
 * returns. SQLite only (INVALID elsewhere). */
gboolean   syn_store_rewind_clone  (SynStore *self, const char *project_id, gint64 local_base, GError **error);
/* A server's pushed operation by its idempotency key: the batch it made
 * (*@correlation_id NULL when the key is new). */
gboolean   syn_store_find_push_key (SynStore *self, const char *key, char **correlation_id, GError **error);
/* In the transaction of the batch: a second insert of @key fails (CONSTRAINT). */
gboolean   syn_store_insert_push_key (SynStore *self, const char *key, const char *project_id,
                                      const char *correlation_id, GError **error);

G_END_DECLS
