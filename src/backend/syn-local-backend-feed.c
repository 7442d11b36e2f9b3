/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-local-backend-feed.c: SynLocalBackend operations: a project's events after a position (with their records), and its newest one. */
#include "config.h"

#include "core/syn-core.h"
#include "engine/syn-event-store.h"
#include "syn-local-backend-private.h"

#define FEED_DEFAULT_LIMIT  500
#define FEED_MAX_LIMIT      1000

/* The page of a project's events past "after" (at most "limit"), which
 * a clone copies; *@project is set. */
static GPtrArray *
events_page (SynOpContext *ctx, JsonObject *params, SynProject **project, gint64 *after, GError **error)
{
  guint64 from = 0, limit = FEED_DEFAULT_LIMIT;

  if (!(*project = _syn_require_project (ctx, params, error)) ||
      !_syn_param_uint (params, "after", 0, G_MAXINT64, 0, &from, error) ||
      !_syn_param_uint (params, "limit", 1, FEED_MAX_LIMIT, FEED_DEFAULT_LIMIT, &limit, error))
    return NULL;
  *after = (gint64) from;
  return syn_store_list_events_after (ctx->store, (*project)->id, (gint64) from, (guint) limit, error);
}

static gint64
last_position (GPtrArray *events, gint64 after)
{
  return events->len > 0 ? ((SynEvent *) g_ptr_array_index (events, events->len - 1))->position : after;
}

static JsonNode *
op_events_after (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = NULL;
  g_autoptr(GPtrArray) events = NULL;
  gint64 after = 0;
  JsonObject *answer;

  if (!(events = events_page (ctx, params, &project, &after, error)))
    return NULL;
  answer = json_object_new ();
  json_object_set_member (answer, "events", _syn_array_answer (events, (gpointer) syn_event_to_json));
  json_object_set_int_member (answer, "last_position", last_position (events, after));
  return syn_json_node_new_object (answer);
}

static JsonNode *
finding_to_json (SynFinding *finding)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "event_id", finding->event_id);
  json_object_set_string_member (object, "rule_id", finding->rule_id);
  json_object_set_string_member (object, "source_asset_id", finding->source_asset_id);
  json_object_set_string_member (object, "digest", finding->digest);
  json_object_set_int_member (object, "position", finding->position);
  return syn_json_node_new_object (object);
}

/* The derive mark, with the id of its event: a clone numbers its events
 * its own way. Null when there is none. */
static JsonNode *
derive_mark_json (SynOpContext *ctx, const char *project_id, GError **error)
{
  g_autofree char *digest = NULL;
  g_autoptr(JsonNode) summary = NULL;
  g_autoptr(GPtrArray) at = NULL;
  gint64 position = -1;
  JsonObject *mark;

  if (!syn_store_get_derive_mark (ctx->store, project_id, &position, &digest, &summary, error))
    return NULL;
  if (position <= 0 || digest == NULL)
    return json_node_new (JSON_NODE_NULL);
  if (!(at = syn_store_list_events_after (ctx->store, project_id, position - 1, 1, error)))
    return NULL;
  if (at->len == 0 || ((SynEvent *) g_ptr_array_index (at, 0))->position != position)
    return json_node_new (JSON_NODE_NULL);   /* not one of the project's events: nothing a clone can use */
  mark = json_object_new ();
  json_object_set_int_member (mark, "position", position);
  json_object_set_string_member (mark, "event_id", ((SynEvent *) g_ptr_array_index (at, 0))->id);
  json_object_set_string_member (mark, "rules_digest", digest);
  json_object_set_member (mark, "summary", summary ? g_steal_pointer (&summary) : json_node_new (JSON_NODE_NULL));
  return syn_json_node_new_object (mark);
}

/* What a clone needs besides the events of a page: the snapshots of their
 * batches (a rollback offline), their findings and the derive mark (an
 * incremental first run). */
static JsonNode *
op_sync_records (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonArray) snapshots = json_array_new ();
  JsonNode *mark;
  gint64 after = 0;
  JsonObject *answer;

  if (!(events = events_page (ctx, params, &project, &after, error)))
    return NULL;
  for (guint i = 0; i < events->len; i++)
    {
      SynEvent *e = g_ptr_array_index (events, i);
      g_autoptr(SynSnapshot) snapshot = NULL;
      g_autoptr(GError) local_error = NULL;

      if (e->correlation_id == NULL || !g_hash_table_add (seen, e->correlation_id))
        continue;
      snapshot = syn_store_get_snapshot (ctx->store, project->id, e->correlation_id, &local_error);
      if (snapshot != NULL)
        json_array_add_element (snapshots, syn_snapshot_to_json (snapshot));
      else if (local_error != NULL && !g_error_matches (local_error, SYN_STORE_ERROR, SYN_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
  if (!(findings = syn_store_list_findings_between (ctx->store, project->id, after, last_position (events, after),
                                                    error)) ||
      !(mark = derive_mark_json (ctx, project->id, error)))
    return NULL;
  answer = json_object_new ();
  json_object_set_array_member (answer, "snapshots", g_steal_pointer (&snapshots));
  json_object_set_member (answer, "findings", _syn_array_answer (findings, (gpointer) finding_to_json));
  json_object_set_member (answer, "derive_mark", mark);
  json_object_set_int_member (answer, "last_position", last_position (events, after));
  return syn_json_node_new_object (answer);
}

/* Every change of a project's events appends one (a rollback marks old
 * ones and appends BATCH_ROLLED_BACK): the newest position tells whether
 * anything changed, for caches and watchers. */
static JsonNode *
op_project_head (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = _syn_require_project (ctx, params, error);
  g_autoptr(SynEventQuery) q = NULL;
  g_autoptr(GPtrArray) newest = NULL;
  JsonObject *answer;

  if (project == NULL)
    return NULL;
  q = syn_event_query_new (project->id);
  q->include_rolled_back = TRUE;
  q->limit = 1;
  /* no total asked: one index step */
  if (!(newest = syn_store_query_events (ctx->store, q, NULL, error)))
    return NULL;
  answer = json_object_new ();
  json_object_set_string_member (answer, "project_id", project->id);
  json_object_set_int_member (answer, "last_position",
                              newest->len > 0 ? ((SynEvent *) g_ptr_array_index (newest, 0))->position : 0);
  return syn_json_node_new_object (answer);
}

const SynOpEntry _syn_ops_feed[] = {
  { SYN_OP_EVENTS_AFTER, op_events_after },
  { SYN_OP_SYNC_RECORDS, op_sync_records },
  { SYN_OP_PROJECT_HEAD, op_project_head },
  { NULL, NULL }
};
