/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-backend.h: SynBackend, the one interface the GUI, the CLI and the server call. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SYN_BACKEND_ERROR (syn_backend_error_quark ())

/* Each code has one HTTP status, so errors cross the wire unchanged. */
typedef enum {
  SYN_BACKEND_ERROR_FAILED,         /* 500 */
  SYN_BACKEND_ERROR_INVALID,        /* 400: a bad parameter, named in the message */
  SYN_BACKEND_ERROR_UNAUTHORIZED,   /* 401 */
  SYN_BACKEND_ERROR_FORBIDDEN,      /* 403 */
  SYN_BACKEND_ERROR_NOT_FOUND,      /* 404 */
  SYN_BACKEND_ERROR_CONFLICT,       /* 409 */
  SYN_BACKEND_ERROR_TOO_LARGE,      /* 413 */
  SYN_BACKEND_ERROR_BUSY,           /* 423: another execution holds the project */
  SYN_BACKEND_ERROR_UNAVAILABLE,    /* 503: the database or the server cannot be reached */
} SynBackendError;

/* Operations. Parameters and answers are JSON objects shaped exactly as the
 * REST API's query parameters / bodies and answers (DESIGN.md section 7). */
#define SYN_OP_LIST_PROJECTS   "list_projects"   /* {} -> [project] */
#define SYN_OP_CREATE_PROJECT  "create_project"  /* {name, description?, country?} -> project */
#define SYN_OP_GET_PROJECT     "get_project"     /* {project_id: id or name} -> project */
#define SYN_OP_TIMELINE        "timeline"        /* timeline query parameters -> {events, total, page, pages[, head_hash: with correlation_id, the chain's head after that batch]}; each event carries its chain hash */
#define SYN_OP_TIMELINE_COUNTS "timeline_counts" /* timeline filters + {bounds: "DATE,DATE,...", split?: none|event_type|discipline} -> {project_id, split, total, periods: [{from, to, total[, counts: {KEY: n}]}]}; KEY "" = no discipline */
#define SYN_OP_ASSET_HISTORY   "asset_history"   /* {project_id, asset_id} -> {asset_id, history, total_events} */
#define SYN_OP_CABLE_HISTORY   "cable_history"   /* {project_id, cable_id} -> {cable_id, history, total_events} */
#define SYN_OP_FIND_TAG        "find_tag"        /* {project_id, tag, kind?} -> {tag, entities: [{kind, id, tag, type, deleted, last_seen}]}, deleted ones too, newest first */
#define SYN_OP_GET_ASSET       "get_asset"       /* {project_id, asset_id} or {project_id, tag} -> asset */
/* The lists take filters: tag (a pattern: "410-*", "P-?1"; without a
 * wildcard a prefix), type, area, discipline, where ("hp>100,voltage==600"),
 * sort (a column or property, "-" first for descending); assets also q (in
 * the tag or the description). Cables carry from_tag and to_tag; what no
 * rule made carries created_by_user_id. */
#define SYN_OP_LIST_ASSETS     "list_assets"     /* {project_id, filters, page?, limit?} -> {assets, total, page, pages} */
#define SYN_OP_LIST_CABLES     "list_cables"     /* {project_id, filters, page?, limit?} -> {cables, total, page, pages} */
#define SYN_OP_ASSET_RELATIONS "asset_relations" /* {project_id, asset_id} -> {asset, edges: [{id, relation, direction, asset}], cables} */
#define SYN_OP_EXPORT          "export"          /* {project_id, kind: cables|assets|timeline, format: csv|json, properties?, as_of? (cables, assets: as of that moment), the kind's filters}
                                                  * -> {kind, format, content_type, filename, rows, content} */
#define SYN_OP_STATE_HASH      "state_hash"      /* {project_id} -> {project_id, state_hash, head_hash, head_position} */
#define SYN_OP_IMPORT_CSV      "import_csv"      /* {project_id, csv, strict?, mode?, dry_run?, delete_missing?} -> {mode, status, correlation_id, imported, skipped, errors, warnings[, revision: counts and diff]} */
#define SYN_OP_CREATE_ASSET    "create_asset"    /* {project_id, tag, type, description?, discipline?, area?, properties?} -> asset + correlation_id */
#define SYN_OP_UPDATE_ASSET    "update_asset"    /* {project_id, asset_id, properties?, description?, discipline?, area?, type?, tag?} -> asset + correlation_id */
#define SYN_OP_DELETE_ASSET    "delete_asset"    /* {project_id, asset_id} -> {deleted, asset_id, correlation_id} */
#define SYN_OP_UPDATE_ASSETS   "update_assets"   /* {project_id, asset_ids, properties?, description?, discipline?, area?, type?} -> {updated, correlation_id, assets}: one batch */
#define SYN_OP_DELETE_ENTITIES "delete_entities" /* {project_id, asset_ids?, cable_ids?} -> {deleted_assets, deleted_cables, correlation_id}: one batch */

#define SYN_OP_LIST_RULES      "list_rules"      /* {project_id?, library?} -> [rule] (a project's rules include the library's) */
#define SYN_OP_SAVE_RULE       "save_rule"       /* {project_id? (none: library), rule: {...}} -> rule */
#define SYN_OP_DELETE_RULE     "delete_rule"     /* {rule_id} -> {deleted, rule_id} */
#define SYN_OP_PREVIEW_RULE    "preview_rule"    /* {project_id, rule: {...}} -> status as project_status with the rule saved, + rule_id, examples: [tag]; writes nothing */
#define SYN_OP_CREATE_DEMO     "create_demo"     /* {name?} -> {project, import, rules} */
#define SYN_OP_GET_EXECUTION   "get_execution"   /* {execution_id} -> execution */
#define SYN_OP_LIST_EXECUTIONS "list_executions" /* {project_id, page?, limit?} -> {executions, total, page, pages} */
#define SYN_OP_EXPLAIN         "explain"         /* {project_id, asset_id} -> {rules, provenance} */
#define SYN_OP_PROJECT_STATUS  "project_status"  /* {project_id} -> {project_id, up_to_date, rules: [{rule_id, create, update, retract, held, findings}],
                                                  *  out_of_date: [ids of the assets and cables a run would change], summary} */
#define SYN_OP_RESET_ASSET     "reset_asset"     /* {project_id, asset_id, properties?, fields?, rules? | all: true} -> asset + correlation_id */

#define SYN_OP_ROLLBACK        "rollback"        /* {project_id, correlation_id, cascade?} -> {status, correlation_id, rollback_correlation_id, rolled_back_events, summary, cascaded} */
#define SYN_OP_ROLLBACK_BLOCKERS "rollback_blockers" /* {project_id, correlation_id} -> {correlation_id, blocking_batches: [{correlation_id, executed_at, user_id, events_count}]} */
#define SYN_OP_REDO            "redo"            /* {project_id, correlation_id} -> {status, correlation_id, redone, redo_correlation_id, summary} */
/* A refusal of rollback or redo for the batches in the way is a 409 whose
 * details are {correlation_id, blocking_batches} as above. */
#define SYN_OP_VERIFY          "verify"          /* {project_id, expect?} -> {project_id, ok, events, head_position, head_hash, expected?, expected_position?,
                                                  *  checks: [{name, ok, findings}], findings: [{check, kind, message, event_id?, position?, batch?, entity_type?, entity_id?}]} */
/* Verified history (issue 15). A moment: "now", an event position, an ISO
 * 8601 date or time (a date: its end, UTC), or a batch id (8+ hex digits). */
#define SYN_OP_STATE_AS_OF     "state_as_of"     /* {project_id, as_of} -> {project_id, as_of: {moment, position, timestamp?, correlation_id?, head_hash?},
                                                  *  state_hash, counts: {assets, cables, edges}, assets, cables, edges} */
/* A local caller (the server's route, the command line) may add
 * "_as_text": true to state_as_of's parameters: the answer is then
 * {"_json": the answer as compact JSON text}, the REST body as it is, written
 * from the replay's texts without a tree of the whole state (issue 15). A
 * remote backend never sends it (it is the transport's own). */
#define SYN_PARAM_AS_TEXT      "_as_text"
#define SYN_ANSWER_TEXT        "_json"
#define SYN_OP_DIFF            "diff"            /* {project_id, from, to?, format?: json|csv} -> {project_id, from: {moment, position, state_hash, ...},
                                                  *  to: {...}, counts: {added, removed, changed}, assets|cables|edges: {added, removed, changed:
                                                  *  [{id, tag?, entity, fields?: [{field, old, new}], batches: [{correlation_id, user_id, timestamp, event_type}]}]}
                                                  *  [, content_type, filename, content: the CSV]} */
#define SYN_OP_EXPORT_AUDIT    "export_audit"    /* {project_id, from?, to?} -> {kind: audit, format: jsonl, content_type, filename, rows, head_hash, content} */
#define SYN_OP_REPAIR          "repair"          /* {project_id, dry_run?} -> {status, project_id, correlation_id, edges_deleted, cables_deleted, findings, constraints_valid?} */

/* Users, sessions and project membership. The acting user is the call's
 * "_user_id" (set by the server, never by a client). */
#define SYN_OP_LOGIN           "login"           /* {username, password} -> {token, expires_at, user: {id, username, role}} */
#define SYN_OP_LOGOUT          "logout"          /* {token} -> {logged_out} */
#define SYN_OP_CREATE_USER     "create_user"     /* {username, password, role, display_name?} -> user */
#define SYN_OP_LIST_USERS      "list_users"      /* {} -> [user] */
#define SYN_OP_SET_PASSWORD    "set_password"    /* {username, password} -> user */
#define SYN_OP_ADD_MEMBER      "add_member"      /* {project_id, username} -> {project_id, user} */
#define SYN_OP_LIST_MEMBERS    "list_members"    /* {project_id} -> [user] */
#define SYN_OP_LIST_USER_PROJECTS "list_user_projects" /* {} -> [project] the acting user may see (admins: all) */
#define SYN_OP_UPDATE_USER     "update_user"     /* {username, role?, disabled?} -> user + disabled: admins; not oneself; disabling ends the user's sessions */
#define SYN_OP_DELETE_USER     "delete_user"     /* {username} -> {deleted, username}: admins; not oneself; events keep the user's id */
#define SYN_OP_REMOVE_MEMBER   "remove_member"   /* {project_id, username} -> {removed, username}; 404 when not a member */
#define SYN_OP_UPDATE_PROJECT  "update_project"  /* {project_id, name?, description?, country?} -> project: rename */
#define SYN_OP_ARCHIVE_PROJECT "archive_project" /* {project_id} -> {archived, project_id}: out of the lists, writes refused (409), history kept */
#define SYN_OP_CREATE_OWNED_PROJECT "create_owned_project" /* as create_project; the acting user becomes its first member */

/* Offline work (issue 18): a clone pushes each local batch as the operation
 * it was; the idempotency key clone_id:local_batch_id makes a retry a no-op.
 * A 409's details: {conflicts: [{entity_type, entity_id, tag, field, base, theirs, mine, reason}], local_batch_id}. */
#define SYN_OP_EVENTS_AFTER    "events_after"    /* {project_id, after, limit?} -> {events (oldest first, rolled back included, each with its chain hash), last_position}: a clone's pages */
#define SYN_OP_SYNC_RECORDS    "sync_records"    /* {project_id, after, limit?} -> {snapshots (of the batches of the events_after page), findings (of its events), derive_mark ({position, event_id, rules_digest, summary} or null), last_position}: what a clone's rollbacks and incremental runs need */
#define SYN_OP_SYNC_PUSH       "sync_push"       /* {project_id, clone_id, local_batch_id, op, params, basis?, force?} -> {status: applied|applied_before, correlation_id, local_batch_id, result?} */

#define SYN_TYPE_BACKEND (syn_backend_get_type ())

G_DECLARE_INTERFACE (SynBackend, syn_backend, SYN, BACKEND, GObject)

struct _SynBackendInterface
{
  GTypeInterface parent_iface;

  const char *(*describe)    (SynBackend          *self);
  void        (*call_async)  (SynBackend          *self,
                              const char          *op,
                              JsonObject          *params,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data);
  JsonNode   *(*call_finish) (SynBackend          *self,
                              GAsyncResult        *result,
                              GError             **error);

  /* Executions: the call completes once the run holds its project, with
   * {execution_id, correlation_id, ws_url, status}; every live message then
   * comes as ::execution-message (execution id, message), on the main context
   * of the caller, ending with COMPLETED or an ERROR that is not recoverable. */
  void        (*execute_async)    (SynBackend          *self,
                                   JsonObject          *request,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
  JsonNode   *(*execute_finish)   (SynBackend          *self,
                                   GAsyncResult        *result,
                                   GError             **error);
  gboolean    (*cancel_execution) (SynBackend          *self,
                                   const char          *execution_id);

  /* Project changes: while a project is watched, ::project-changed tells of
   * every batch committed in it, by whoever committed it. */
  void        (*watch_project)    (SynBackend          *self,
                                   const char          *project_id,
                                   gint64               after_position);
  void        (*unwatch_project)  (SynBackend          *self,
                                   const char          *project_id);
};

GQuark      syn_backend_error_quark     (void);
const char *syn_backend_describe        (SynBackend          *self);
void        syn_backend_call_async      (SynBackend          *self,
                                         const char          *op,
                                         JsonObject          *params,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
JsonNode   *syn_backend_call_finish     (SynBackend          *self,
                                         GAsyncResult        *result,
                                         GError             **error);
void        syn_backend_execute_async   (SynBackend          *self,
                                         JsonObject          *request,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
JsonNode   *syn_backend_execute_finish  (SynBackend          *self,
                                         GAsyncResult        *result,
                                         GError             **error);
gboolean    syn_backend_cancel_execution (SynBackend         *self,
                                          const char         *execution_id);
gboolean    syn_backend_message_is_final (JsonNode           *message);
void        syn_backend_watch_project   (SynBackend          *self,
                                         const char          *project_id,
                                         gint64               after_position);
void        syn_backend_unwatch_project (SynBackend          *self,
                                         const char          *project_id);
JsonNode   *syn_backend_call_sync       (SynBackend          *self,
                                         const char          *op,
                                         JsonObject          *params,
                                         GCancellable        *cancellable,
                                         GError             **error);
int         syn_backend_error_to_http_status (const GError   *error);
/* The REST error body's code for an HTTP status ("invalid", "not_found"...). */
const char *syn_backend_status_code_name     (guint           status);
void        syn_backend_error_from_other     (GError        **error);
/* What an error says beyond its message (a JSON object, e.g. the batches
 * that block a rollback): the extra members of the REST error body. */
void        syn_backend_error_set_details    (GError         *error,
                                              JsonNode       *details);
JsonNode   *syn_backend_error_get_details    (const GError   *error);

G_END_DECLS
