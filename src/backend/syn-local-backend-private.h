/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-local-backend-private.h: shared between SynLocalBackend and its operation siblings. */
#pragma once

#include "syn-local-backend.h"

G_BEGIN_DECLS

typedef struct
{
  SynLocalBackend *backend;
  SynStore        *store;      /* this worker's own connection */
  const char      *user_id;
  GCancellable    *cancellable;
} SynOpContext;

typedef JsonNode *(*SynOpFunc) (SynOpContext *ctx, JsonObject *params, GError **error);

typedef struct
{
  const char *name;
  SynOpFunc   func;
} SynOpEntry;

/* Each sibling file contributes a NULL-terminated table of operations. */
extern const SynOpEntry _syn_ops_core[];      /* syn-local-backend-ops.c */
extern const SynOpEntry _syn_ops_assets[];    /* syn-local-backend-assets.c: import and edits */
extern const SynOpEntry _syn_ops_rollback[];  /* syn-local-backend-rollback.c */
extern const SynOpEntry _syn_ops_rules[];     /* syn-local-backend-rules.c: rules, execute, explain */
extern const SynOpEntry _syn_ops_sessions[];  /* syn-local-backend-sessions.c: sign in and out */
extern const SynOpEntry _syn_ops_users[];     /* syn-local-backend-users.c */
extern const SynOpEntry _syn_ops_admin[];     /* syn-local-backend-admin.c */
extern const SynOpEntry _syn_ops_members[];   /* syn-local-backend-members.c: membership, access */
extern const SynOpEntry _syn_ops_feed[];      /* syn-local-backend-feed.c: events after a position */
extern const SynOpEntry _syn_ops_integrity[]; /* syn-local-backend-integrity.c: verify and repair */
extern const SynOpEntry _syn_ops_lists[];     /* syn-local-backend-lists.c: asset and cable lists, relations, exports */
extern const SynOpEntry _syn_ops_history[];   /* syn-local-backend-history.c: state as of, diff, audit file */
extern const SynOpEntry _syn_ops_sync[];      /* syn-local-backend-sync.c: a clone's pushed operations */

/* Offline work (syn-local-backend-sync.c): a writing operation on a clone's
 * project is recorded as the operation it was, with what it was made on. */
typedef struct _SynSyncRecording SynSyncRecording;

/* Whether @op is one a clone records (and pushes): its edits, imports,
 * rollbacks, redos, rule changes and runs. */
gboolean          _syn_sync_op_is_recorded (const char     *op);
/* Before the operation: NULL when its project is no clone's. Its first
 * batch then writes the record in its own transaction (syn-push-mark.h). */
SynSyncRecording *_syn_sync_record_begin  (SynStore         *store,
                                           const char       *op,
                                           JsonObject       *params,
                                           const char       *user_id);
/* After it succeeded: records its batch (none written: nothing). */
gboolean          _syn_sync_record_end    (SynSyncRecording *rec,
                                           SynStore         *store,
                                           const char       *user_id,
                                           GError          **error);
void              _syn_sync_recording_free (SynSyncRecording *rec);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SynSyncRecording, _syn_sync_recording_free)
/* A clone's events not yet on its server get "pending": true. */
void              _syn_sync_mark_pending  (SynStore         *store,
                                           const char       *project_id,
                                           JsonArray        *events);
JsonObject       *_syn_sync_basis         (SynStore         *store,
                                           const char       *project_id,
                                           const char       *op,
                                           JsonObject       *params);

SynOpFunc   _syn_local_ops_lookup      (const char  *op);

/* Executions (syn-local-backend-runs.c). */
typedef struct _SynLocalRuns SynLocalRuns;

SynLocalRuns *_syn_local_runs_new        (SynLocalBackend     *backend);
void          _syn_local_runs_free       (SynLocalRuns        *runs);
SynLocalRuns *_syn_local_backend_get_runs (SynLocalBackend    *self);
void          _syn_local_backend_execute_async  (SynBackend          *backend,
                                                 JsonObject          *request,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
JsonNode     *_syn_local_backend_execute_finish (SynBackend          *backend,
                                                 GAsyncResult        *result,
                                                 GError             **error);
gboolean      _syn_local_backend_cancel_execution (SynBackend        *backend,
                                                   const char        *execution_id);
JsonNode     *_syn_local_runs_describe   (SynLocalRuns        *runs,
                                          const char          *execution_id);
GPtrArray    *_syn_local_runs_get_texts  (SynLocalRuns        *runs,
                                          const char          *execution_id,
                                          guint                from,
                                          gboolean            *done);
guint         _syn_local_runs_count_running (SynLocalRuns     *runs,
                                             gboolean          cancel);
/* A run on the caller's thread and connection, to its end, without live
 * messages: a clone's pushed run (syn-local-backend-sync.c). */
JsonNode     *_syn_local_runs_run_now    (SynLocalRuns        *runs,
                                          SynStore            *store,
                                          JsonObject          *request,
                                          const char          *user_id,
                                          GError             **error);

/* Project changes (syn-local-backend-watch.c). */
typedef struct _SynLocalWatches SynLocalWatches;

SynLocalWatches *_syn_local_watches_new          (SynLocalBackend *backend);
void             _syn_local_watches_free         (SynLocalWatches *watches);
void             _syn_local_watches_set_interval (SynLocalWatches *watches,
                                                  guint            interval_ms);
SynLocalWatches *_syn_local_backend_get_watches  (SynLocalBackend *self);
void             _syn_local_backend_watch_project   (SynBackend   *backend,
                                                     const char   *project_id,
                                                     gint64        after_position);
void             _syn_local_backend_unwatch_project (SynBackend   *backend,
                                                     const char   *project_id);
/* @project_key (an id or a name) was written through this backend. */
void             _syn_local_backend_project_written (SynLocalBackend *self,
                                                     const char      *project_key);
/* "sqlite" or "postgresql" */
const char      *_syn_local_backend_get_database (SynLocalBackend *self);

/* Sets @error (SYN_BACKEND_ERROR, @code) and returns NULL. */
gpointer    _syn_op_fail               (GError     **error,
                                        int          code,
                                        const char  *format,
                                        ...) G_GNUC_PRINTF (3, 4);

/* Parameter helpers: errors name the parameter (400). */
const char *_syn_param_string          (JsonObject  *params,
                                        const char  *name,
                                        gboolean     required,
                                        GError     **error);
/* The longest project name, in characters. */
#define SYN_MAX_NAME_CHARS 200
/* A trimmed copy of a name parameter; blank is refused (400). */
char       *_syn_param_name            (JsonObject  *params,
                                        const char  *name,
                                        gboolean     required,
                                        gsize        max_chars,
                                        GError     **error);
gboolean    _syn_param_uint            (JsonObject  *params,
                                        const char  *name,
                                        guint64      min,
                                        guint64      max,
                                        guint64      fallback,
                                        guint64     *out,
                                        GError     **error);
gboolean    _syn_param_bool            (JsonObject  *params,
                                        const char  *name,
                                        gboolean     fallback,
                                        gboolean    *out,
                                        GError     **error);
gboolean    _syn_param_project_details (JsonObject  *params,
                                        const char **description,
                                        const char **country,
                                        GError     **error);
SynProject *_syn_require_project       (SynOpContext *ctx,
                                        JsonObject  *params,
                                        GError     **error);
/* A batch id parameter @name (full, or a unique prefix or suffix of 8 or
 * more hex digits) as the full id (syn-batch-id.h). */
char       *_syn_resolve_batch         (SynOpContext *ctx,
                                        SynProject  *project,
                                        const char  *name,
                                        const char  *text,
                                        GError     **error);
/* The user @username names (404 when there is none). */
SynUser    *_syn_require_user          (SynOpContext *ctx,
                                        const char  *username,
                                        GError     **error);
/* The timeline's filters (not its page) from the operation's parameters. */
SynEventQuery *_syn_timeline_query_from_params (SynOpContext *ctx,
                                                JsonObject   *params,
                                                SynProject  **project,
                                                GError      **error);
JsonNode   *_syn_page_answer           (const char  *items_name,
                                        GPtrArray   *items,
                                        JsonNode  *(*to_json) (gpointer),
                                        guint64      total,
                                        guint64      page,
                                        guint64      limit);
/* A JSON array of @items, each through @to_json. */
JsonNode   *_syn_array_answer          (GPtrArray   *items,
                                        JsonNode  *(*to_json) (gpointer));
/* Adds "user_name" to the batches of a diff (syn_time_travel_diff()). */
void        _syn_diff_add_names        (SynStore    *store,
                                        JsonNode    *diff);
/* Adds the names of the users and assets @events (JSON) refer to by id. */
void        _syn_events_add_names      (SynStore    *store,
                                        const char  *project_id,
                                        JsonArray   *events);

G_END_DECLS
