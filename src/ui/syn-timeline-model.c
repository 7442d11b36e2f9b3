/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-timeline-model.c: SynTimelineModel, a project's events loaded page by page on demand
 * (SynPagedModel), and the description of each batch they belong to.
 *
 * An event opens its batch's group when the one above it (newer) belongs to
 * another batch; batch descriptions (the newest and oldest event, the
 * count) load in the background, a couple at a time. */
#include "config.h"

#include "core/syn-json.h"
#include "syn-timeline-model.h"

#define MAX_BATCHES        256
#define MAX_BATCH_INFLIGHT 2

struct _SynTimelineModel
{
  SynPagedModel parent_instance;

  GHashTable   *batches;        /* correlation id -> SynTimelineBatch */
  GQueue        batch_queue;    /* SynTimelineBatch waiting to load */
  guint         batch_inflight;
};

G_DEFINE_FINAL_TYPE (SynTimelineModel, syn_timeline_model, SYN_TYPE_PAGED_MODEL)

static void pump_batch_queue (SynTimelineModel *self);

/* ------------------------------------------------------------------------- */
/* Pages                                                                     */

static const char *
timeline_get_op (SynPagedModel *model)
{
  return SYN_OP_TIMELINE;
}

static gpointer
timeline_new_item (SynPagedModel *model, guint position)
{
  return syn_timeline_event_new (position);
}

static void
timeline_fill_page (SynPagedModel *model, GPtrArray *items, JsonObject *answer)
{
  JsonNode *node = json_object_get_member (answer, "events");
  JsonArray *events = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  guint n = events ? json_array_get_length (events) : 0;

  for (guint i = 0; i < items->len && i < n; i++)
    {
      JsonNode *event = json_array_get_element (events, i);

      if (JSON_NODE_HOLDS_OBJECT (event))
        syn_timeline_event_set_json (g_ptr_array_index (items, i), json_node_get_object (event));
    }
}

/* An event opens its batch's group when the one above it (newer) belongs to
 * another batch; while that one is not known, the group header is shown. */
static void
update_first_in_batch (SynPagedModel *model, guint position)
{
  SynTimelineEvent *item = syn_paged_model_peek_loaded (model, position);
  SynTimelineEvent *above;

  if (item == NULL)
    return;
  above = position > 0 ? syn_paged_model_peek_loaded (model, position - 1) : NULL;
  syn_timeline_event_set_first_in_batch (item, above == NULL ||
                                         g_strcmp0 (syn_timeline_event_get_correlation_id (above),
                                                    syn_timeline_event_get_correlation_id (item)) != 0);
}

static void
timeline_page_loaded (SynPagedModel *model, guint first, guint n)
{
  for (guint i = 0; i < n; i++)
    update_first_in_batch (model, first + i);
  update_first_in_batch (model, first + n);
}

/* A new list: the batch descriptions start again too (rows keep theirs). */
static void
timeline_reloaded (SynPagedModel *model)
{
  SynTimelineModel *self = SYN_TIMELINE_MODEL (model);

  self->batch_inflight = 0;
  g_hash_table_remove_all (self->batches);
  g_queue_clear_full (&self->batch_queue, g_object_unref);
}

/* ------------------------------------------------------------------------- */
/* Batches                                                                   */

typedef struct
{
  SynTimelineModel *self;
  SynTimelineBatch *batch;
  guint             generation;
  JsonObject       *newest;
  gint64            total;
} BatchLoad;

static void
batch_load_free (BatchLoad *load)
{
  g_object_unref (load->self);
  g_object_unref (load->batch);
  g_clear_pointer (&load->newest, json_object_unref);
  g_free (load);
}

static JsonObject *
first_event (JsonNode *answer)
{
  JsonNode *events = json_object_get_member (json_node_get_object (answer), "events");

  if (events == NULL || !JSON_NODE_HOLDS_ARRAY (events) || json_array_get_length (json_node_get_array (events)) == 0)
    return NULL;
  return json_array_get_object_element (json_node_get_array (events), 0);
}

static JsonObject *
batch_params (SynTimelineModel *self, SynTimelineBatch *batch, gint64 page)
{
  JsonObject *params = json_object_new ();
  JsonObject *query = syn_paged_model_get_query (SYN_PAGED_MODEL (self));

  json_object_set_string_member (params, "project_id", syn_json_get_string (query, "project_id"));
  json_object_set_string_member (params, "correlation_id", syn_timeline_batch_get_correlation_id (batch));
  json_object_set_boolean_member (params, "include_rolled_back", TRUE);
  json_object_set_int_member (params, "page", page);
  json_object_set_int_member (params, "limit", 1);
  return params;
}

static void
batch_done (BatchLoad *load)
{
  SynTimelineModel *self = load->self;

  if (load->generation == syn_paged_model_get_generation (SYN_PAGED_MODEL (self)))
    {
      self->batch_inflight--;
      pump_batch_queue (self);
    }
  batch_load_free (load);
}

static void
batch_oldest_fetched (GObject *object, GAsyncResult *result, gpointer user_data)
{
  BatchLoad *load = user_data;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, NULL);
  JsonObject *oldest = answer ? first_event (answer) : NULL;

  if (oldest != NULL && load->generation == syn_paged_model_get_generation (SYN_PAGED_MODEL (load->self)))
    syn_timeline_batch_set_events (load->batch, load->newest, oldest, load->total);
  batch_done (load);
}

static void
batch_newest_fetched (GObject *object, GAsyncResult *result, gpointer user_data)
{
  BatchLoad *load = user_data;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, NULL);
  g_autoptr(JsonObject) params = NULL;
  JsonObject *newest = answer ? first_event (answer) : NULL;

  if (newest == NULL || load->generation != syn_paged_model_get_generation (SYN_PAGED_MODEL (load->self)))
    {
      batch_done (load);
      return;
    }
  load->newest = json_object_ref (newest);
  load->total = json_object_get_int_member_with_default (json_node_get_object (answer), "total", 1);
  if (load->total <= 1)
    {
      syn_timeline_batch_set_events (load->batch, newest, newest, load->total);
      batch_done (load);
      return;
    }
  params = batch_params (load->self, load->batch, load->total);
  syn_backend_call_async (syn_paged_model_get_backend (SYN_PAGED_MODEL (load->self)), SYN_OP_TIMELINE, params,
                          syn_paged_model_get_cancellable (SYN_PAGED_MODEL (load->self)), batch_oldest_fetched, load);
}

static void
pump_batch_queue (SynTimelineModel *self)
{
  while (self->batch_inflight < MAX_BATCH_INFLIGHT && !g_queue_is_empty (&self->batch_queue))
    {
      g_autoptr(JsonObject) params = NULL;
      BatchLoad *load = g_new0 (BatchLoad, 1);

      load->self = g_object_ref (self);
      load->batch = g_queue_pop_head (&self->batch_queue);
      load->generation = syn_paged_model_get_generation (SYN_PAGED_MODEL (self));
      params = batch_params (self, load->batch, 1);
      self->batch_inflight++;
      syn_backend_call_async (syn_paged_model_get_backend (SYN_PAGED_MODEL (self)), SYN_OP_TIMELINE, params,
                              syn_paged_model_get_cancellable (SYN_PAGED_MODEL (self)), batch_newest_fetched, load);
    }
}

/* The batch's description, loading in the background the first time:
 * rows follow its ::notify::loaded. */
SynTimelineBatch *
syn_timeline_model_get_batch (SynTimelineModel *self, const char *correlation_id)
{
  SynTimelineBatch *batch;

  g_return_val_if_fail (SYN_IS_TIMELINE_MODEL (self), NULL);
  g_return_val_if_fail (correlation_id != NULL, NULL);

  batch = g_hash_table_lookup (self->batches, correlation_id);
  if (batch != NULL)
    return batch;
  if (g_hash_table_size (self->batches) >= MAX_BATCHES)
    {
      /* rows keep their own references; queued loads still complete */
      g_hash_table_remove_all (self->batches);
    }
  batch = syn_timeline_batch_new (correlation_id);
  g_hash_table_insert (self->batches, g_strdup (correlation_id), batch);
  if (syn_paged_model_get_backend (SYN_PAGED_MODEL (self)) != NULL &&
      syn_paged_model_get_query (SYN_PAGED_MODEL (self)) != NULL)
    {
      g_queue_push_tail (&self->batch_queue, g_object_ref (batch));
      pump_batch_queue (self);
    }
  return batch;
}

/* ------------------------------------------------------------------------- */

static void
syn_timeline_model_dispose (GObject *object)
{
  SynTimelineModel *self = SYN_TIMELINE_MODEL (object);

  g_queue_clear_full (&self->batch_queue, g_object_unref);

  G_OBJECT_CLASS (syn_timeline_model_parent_class)->dispose (object);
}

static void
syn_timeline_model_finalize (GObject *object)
{
  SynTimelineModel *self = SYN_TIMELINE_MODEL (object);

  g_clear_pointer (&self->batches, g_hash_table_unref);

  G_OBJECT_CLASS (syn_timeline_model_parent_class)->finalize (object);
}

static void
syn_timeline_model_class_init (SynTimelineModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SynPagedModelClass *paged_class = SYN_PAGED_MODEL_CLASS (klass);

  object_class->dispose = syn_timeline_model_dispose;
  object_class->finalize = syn_timeline_model_finalize;
  paged_class->item_type = SYN_TYPE_TIMELINE_EVENT;
  paged_class->page_size = SYN_TIMELINE_MODEL_PAGE_SIZE;
  paged_class->keep_pages = 24;
  paged_class->get_op = timeline_get_op;
  paged_class->new_item = timeline_new_item;
  paged_class->fill_page = timeline_fill_page;
  paged_class->page_loaded = timeline_page_loaded;
  paged_class->reloaded = timeline_reloaded;
}

static void
syn_timeline_model_init (SynTimelineModel *self)
{
  self->batches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_queue_init (&self->batch_queue);
}

SynTimelineModel *
syn_timeline_model_new (void)
{
  return g_object_new (SYN_TYPE_TIMELINE_MODEL, NULL);
}

void
syn_timeline_model_set_backend (SynTimelineModel *self, SynBackend *backend)
{
  g_return_if_fail (SYN_IS_TIMELINE_MODEL (self));
  syn_paged_model_set_backend (SYN_PAGED_MODEL (self), backend);
}

/* @query: the timeline operation's parameters (project_id and filters), or
 * NULL for an empty list. It is copied; paging is the model's business. */
void
syn_timeline_model_set_query (SynTimelineModel *self, JsonObject *query)
{
  g_return_if_fail (SYN_IS_TIMELINE_MODEL (self));
  syn_paged_model_set_query (SYN_PAGED_MODEL (self), query);
}

JsonObject *
syn_timeline_model_get_query (SynTimelineModel *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_MODEL (self), NULL);
  return syn_paged_model_get_query (SYN_PAGED_MODEL (self));
}

/* Starts again from the first page; the current items stay until it arrives,
 * so the list never blinks empty. */
void
syn_timeline_model_reload (SynTimelineModel *self)
{
  g_return_if_fail (SYN_IS_TIMELINE_MODEL (self));
  syn_paged_model_reload (SYN_PAGED_MODEL (self));
}

guint64
syn_timeline_model_get_total (SynTimelineModel *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_MODEL (self), 0);
  return syn_paged_model_get_total (SYN_PAGED_MODEL (self));
}

gboolean
syn_timeline_model_get_loading (SynTimelineModel *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_MODEL (self), FALSE);
  return syn_paged_model_get_loading (SYN_PAGED_MODEL (self));
}

const char *
syn_timeline_model_get_error (SynTimelineModel *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_MODEL (self), NULL);
  return syn_paged_model_get_error (SYN_PAGED_MODEL (self));
}

guint
syn_timeline_model_get_n_cached_pages (SynTimelineModel *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_MODEL (self), 0);
  return syn_paged_model_get_n_cached_pages (SYN_PAGED_MODEL (self));
}
