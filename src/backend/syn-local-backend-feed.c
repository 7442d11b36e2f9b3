/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-local-backend-feed.c: SynLocalBackend operations: a project's events after a position, and its newest one. */
#include "config.h"

#include "core/syn-core.h"
#include "engine/syn-event-store.h"
#include "syn-local-backend-private.h"

#define FEED_DEFAULT_LIMIT  500
#define FEED_MAX_LIMIT      1000

static JsonNode *
op_events_after (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = NULL;
  g_autoptr(GPtrArray) events = NULL;
  guint64 after = 0, limit = FEED_DEFAULT_LIMIT;
  gint64 last = 0;
  JsonObject *answer;

  if (!(project = _syn_require_project (ctx, params, error)) ||
      !_syn_param_uint (params, "after", 0, G_MAXINT64, 0, &after, error) ||
      !_syn_param_uint (params, "limit", 1, FEED_MAX_LIMIT, FEED_DEFAULT_LIMIT, &limit, error))
    return NULL;
  events = syn_store_list_events_after (ctx->store, project->id, (gint64) after, (guint) limit, error);
  if (events == NULL)
    return NULL;
  last = (gint64) after;
  if (events->len > 0)
    last = ((SynEvent *) g_ptr_array_index (events, events->len - 1))->position;
  answer = json_object_new ();
  json_object_set_member (answer, "events", _syn_array_answer (events, (gpointer) syn_event_to_json));
  json_object_set_int_member (answer, "last_position", last);
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
  { SYN_OP_PROJECT_HEAD, op_project_head },
  { NULL, NULL }
};
