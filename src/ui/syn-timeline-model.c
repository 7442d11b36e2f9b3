/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-timeline-model.c: SynTimelineModel, a project's events loaded page by page on demand.
 *
 * The model knows its length from the backend's total; an item asked for
 * before its page has arrived is a placeholder, filled in place (rows follow
 * ::notify::loaded) when the page comes back. Only a bounded number of pages
 * is kept, so a million events cost no more memory than a hundred. */
#include "config.h"

#include "core/syn-json.h"
#include "syn-timeline-model.h"

#define PAGE_SIZE          SYN_TIMELINE_MODEL_PAGE_SIZE
#define MAX_PAGES          24
#define MAX_PAGES_INFLIGHT 2
#define MAX_BATCHES        256
#define MAX_BATCH_INFLIGHT 2

typedef struct
{
  guint      index;
  guint      serial;
  GPtrArray *items;      /* SynTimelineEvent */
  guint64    stamp;      /* last asked for: eviction and fetch order */
  gboolean   loaded;
  gboolean   in_flight;
} Page;

struct _SynTimelineModel
{
  GObject       parent_instance;

  SynBackend   *backend;
  JsonObject   *query;
  guint         n_items;
  guint64       total;
  gboolean      loading;
  char         *error;

  GHashTable   *pages;          /* page index -> Page */
  guint64       clock;
  guint         next_serial;
  guint         generation;
  GCancellable *cancellable;
  guint         fetch_source;
  guint         inflight;
  guint         reload_source;

  GHashTable   *batches;        /* correlation id -> SynTimelineBatch */
  GQueue        batch_queue;    /* SynTimelineBatch waiting to load */
  guint         batch_inflight;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SynTimelineModel, syn_timeline_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_N_ITEMS,
  PROP_TOTAL,
  PROP_LOADING,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void schedule_fetch   (SynTimelineModel *self);
static void pump_batch_queue (SynTimelineModel *self);

static void
page_free (Page *page)
{
  g_ptr_array_unref (page->items);
  g_free (page);
}

/* ------------------------------------------------------------------------- */
/* GListModel                                                                */

static GType
model_get_item_type (GListModel *model)
{
  return SYN_TYPE_TIMELINE_EVENT;
}

static guint
model_get_n_items (GListModel *model)
{
  return SYN_TIMELINE_MODEL (model)->n_items;
}

static void
evict_pages (SynTimelineModel *self)
{
  while (g_hash_table_size (self->pages) > MAX_PAGES)
    {
      GHashTableIter iter;
      Page *page, *oldest = NULL;

      g_hash_table_iter_init (&iter, self->pages);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &page))
        if (oldest == NULL || page->stamp < oldest->stamp)
          oldest = page;
      /* an answer for an evicted page finds no page and is dropped */
      g_hash_table_remove (self->pages, GUINT_TO_POINTER (oldest->index));
    }
}

static Page *
ensure_page (SynTimelineModel *self, guint index)
{
  Page *page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
  guint start, count;

  if (page != NULL)
    return page;
  start = index * PAGE_SIZE;
  count = MIN (PAGE_SIZE, self->n_items - start);
  page = g_new0 (Page, 1);
  page->index = index;
  page->serial = ++self->next_serial;
  page->items = g_ptr_array_new_full (count, g_object_unref);
  for (guint i = 0; i < count; i++)
    g_ptr_array_add (page->items, syn_timeline_event_new (start + i));
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);
  return page;
}

static gpointer
model_get_item (GListModel *model, guint position)
{
  SynTimelineModel *self = SYN_TIMELINE_MODEL (model);
  Page *page;
  gpointer item;

  if (position >= self->n_items)
    return NULL;
  page = ensure_page (self, position / PAGE_SIZE);
  page->stamp = ++self->clock;
  item = g_object_ref (g_ptr_array_index (page->items, position % PAGE_SIZE));
  if (!page->loaded && !page->in_flight)
    schedule_fetch (self);
  evict_pages (self);
  return item;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = model_get_item_type;
  iface->get_n_items = model_get_n_items;
  iface->get_item = model_get_item;
}

/* ------------------------------------------------------------------------- */
/* Batch boundaries                                                          */

static SynTimelineEvent *
cached_item (SynTimelineModel *self, guint position)
{
  Page *page;

  if (position >= self->n_items)
    return NULL;
  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (position / PAGE_SIZE));
  if (page == NULL || !page->loaded || position % PAGE_SIZE >= page->items->len)
    return NULL;
  return g_ptr_array_index (page->items, position % PAGE_SIZE);
}

/* An event opens its batch's group when the one above it (newer) belongs to
 * another batch; while that one is not known, the group header is shown. */
static void
update_first_in_batch (SynTimelineModel *self, guint position)
{
  SynTimelineEvent *item = cached_item (self, position);
  SynTimelineEvent *above;

  if (item == NULL)
    return;
  above = position > 0 ? cached_item (self, position - 1) : NULL;
  syn_timeline_event_set_first_in_batch (item, above == NULL ||
                                         g_strcmp0 (syn_timeline_event_get_correlation_id (above),
                                                    syn_timeline_event_get_correlation_id (item)) != 0);
}

static void
page_loaded (SynTimelineModel *self, Page *page)
{
  guint start = page->index * PAGE_SIZE;

  for (guint i = 0; i < page->items->len; i++)
    update_first_in_batch (self, start + i);
  update_first_in_batch (self, start + page->items->len);
}

static void
fill_page (Page *page, JsonArray *events)
{
  guint n = events ? json_array_get_length (events) : 0;

  for (guint i = 0; i < page->items->len && i < n; i++)
    {
      JsonNode *node = json_array_get_element (events, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        syn_timeline_event_set_json (g_ptr_array_index (page->items, i), json_node_get_object (node));
    }
  page->loaded = TRUE;
}

/* ------------------------------------------------------------------------- */
/* Fetching pages                                                            */

typedef struct
{
  SynTimelineModel *self;
  guint             generation;
  guint             index;
  guint             serial;
} FetchData;

static JsonObject *
page_params (SynTimelineModel *self, guint index)
{
  JsonObject *params = syn_json_object_copy (self->query);

  json_object_set_int_member (params, "page", (gint64) index + 1);
  json_object_set_int_member (params, "limit", PAGE_SIZE);
  return params;
}

static void
set_error (SynTimelineModel *self, const char *message)
{
  if (g_strcmp0 (self->error, message) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static gboolean
reload_cb (gpointer data)
{
  SynTimelineModel *self = data;

  self->reload_source = 0;
  syn_timeline_model_reload (self);
  return G_SOURCE_REMOVE;
}

static void
page_fetched (GObject *object, GAsyncResult *result, gpointer user_data)
{
  FetchData *data = user_data;
  g_autoptr(SynTimelineModel) self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  JsonObject *o;
  Page *page;

  if (data->generation != self->generation || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_free (data);
      return;
    }
  self->inflight--;
  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (data->index));
  if (page != NULL && page->serial == data->serial)
    page->in_flight = FALSE;
  else
    page = NULL;
  g_free (data);

  if (answer == NULL)
    {
      set_error (self, error->message);
      return;
    }
  o = json_node_get_object (answer);
  if (page != NULL)
    {
      JsonNode *events = json_object_get_member (o, "events");

      fill_page (page, events && JSON_NODE_HOLDS_ARRAY (events) ? json_node_get_array (events) : NULL);
      page_loaded (self, page);
    }
  /* the list changed underneath (new events, a rollback elsewhere): the
   * offsets no longer match, start again */
  if ((guint64) json_object_get_int_member_with_default (o, "total", 0) != self->total &&
      self->reload_source == 0)
    self->reload_source = g_idle_add (reload_cb, self);
  schedule_fetch (self);
}

static gint
compare_pages_newest_first (gconstpointer a, gconstpointer b)
{
  const Page *x = *(const Page * const *) a, *y = *(const Page * const *) b;

  return (x->stamp < y->stamp) - (x->stamp > y->stamp);
}

/* A page is worth fetching while a row still shows one of its items: the
 * list view holds a reference to each item it has bound. Pages scrolled past
 * in a fast drag are skipped; they are asked for again if scrolled back to. */
static gboolean
page_is_wanted (Page *page)
{
  for (guint i = 0; i < page->items->len; i++)
    if (g_atomic_int_get (&G_OBJECT (g_ptr_array_index (page->items, i))->ref_count) > 1)
      return TRUE;
  return FALSE;
}

static gboolean
fetch_pending (gpointer data)
{
  SynTimelineModel *self = data;
  g_autoptr(GPtrArray) wanted = g_ptr_array_new ();
  GHashTableIter iter;
  Page *page;

  self->fetch_source = 0;
  if (self->backend == NULL || self->query == NULL || self->loading)
    return G_SOURCE_REMOVE;

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &page))
    if (!page->loaded && !page->in_flight && page_is_wanted (page))
      g_ptr_array_add (wanted, page);
  g_ptr_array_sort (wanted, compare_pages_newest_first);

  for (guint i = 0; i < wanted->len && self->inflight < MAX_PAGES_INFLIGHT; i++)
    {
      g_autoptr(JsonObject) params = NULL;
      FetchData *fetch = g_new0 (FetchData, 1);

      page = g_ptr_array_index (wanted, i);
      page->in_flight = TRUE;
      fetch->self = g_object_ref (self);
      fetch->generation = self->generation;
      fetch->index = page->index;
      fetch->serial = page->serial;
      params = page_params (self, page->index);
      self->inflight++;
      syn_backend_call_async (self->backend, SYN_OP_TIMELINE, params, self->cancellable, page_fetched, fetch);
    }
  return G_SOURCE_REMOVE;
}

/* Coalesces the requests of one frame's worth of bound rows. */
static void
schedule_fetch (SynTimelineModel *self)
{
  if (self->fetch_source != 0)
    return;
  self->fetch_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, fetch_pending, self, NULL);
}

/* ------------------------------------------------------------------------- */
/* Reload                                                                    */

static void
set_loading (SynTimelineModel *self, gboolean loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
replace_contents (SynTimelineModel *self, guint64 total, JsonArray *first_page)
{
  guint old = self->n_items;

  g_hash_table_remove_all (self->pages);
  g_hash_table_remove_all (self->batches);
  g_queue_clear_full (&self->batch_queue, g_object_unref);
  self->total = total;
  self->n_items = (guint) MIN (total, (guint64) G_MAXUINT);
  if (first_page != NULL && self->n_items > 0)
    {
      Page *page = ensure_page (self, 0);

      page->stamp = ++self->clock;
      fill_page (page, first_page);
      page_loaded (self, page);
    }
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old, self->n_items);
  if (old != self->n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
}

static void
first_page_fetched (GObject *object, GAsyncResult *result, gpointer user_data)
{
  FetchData *data = user_data;
  g_autoptr(SynTimelineModel) self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  JsonObject *o;
  JsonNode *events;

  if (data->generation != self->generation || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_free (data);
      return;
    }
  g_free (data);
  if (answer == NULL)
    {
      replace_contents (self, 0, NULL);
      set_error (self, error->message);
      set_loading (self, FALSE);
      return;
    }
  o = json_node_get_object (answer);
  events = json_object_get_member (o, "events");
  set_error (self, NULL);
  replace_contents (self, (guint64) MAX (0, json_object_get_int_member_with_default (o, "total", 0)),
                    events && JSON_NODE_HOLDS_ARRAY (events) ? json_node_get_array (events) : NULL);
  set_loading (self, FALSE);
  schedule_fetch (self);
}

/* Starts again from the first page; the current items stay until it arrives,
 * so the list never blinks empty. */
void
syn_timeline_model_reload (SynTimelineModel *self)
{
  g_autoptr(JsonObject) params = NULL;
  FetchData *fetch;

  g_return_if_fail (SYN_IS_TIMELINE_MODEL (self));

  self->generation++;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->inflight = 0;
  self->batch_inflight = 0;
  g_clear_handle_id (&self->reload_source, g_source_remove);

  if (self->backend == NULL || self->query == NULL)
    {
      replace_contents (self, 0, NULL);
      set_loading (self, FALSE);
      return;
    }
  set_loading (self, TRUE);
  fetch = g_new0 (FetchData, 1);
  fetch->self = g_object_ref (self);
  fetch->generation = self->generation;
  params = page_params (self, 0);
  syn_backend_call_async (self->backend, SYN_OP_TIMELINE, params, self->cancellable, first_page_fetched, fetch);
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

  json_object_set_string_member (params, "project_id", syn_json_get_string (self->query, "project_id"));
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

  if (load->generation == self->generation)
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

  if (oldest != NULL && load->generation == load->self->generation)
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

  if (newest == NULL || load->generation != load->self->generation)
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
  syn_backend_call_async (load->self->backend, SYN_OP_TIMELINE, params, load->self->cancellable,
                          batch_oldest_fetched, load);
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
      load->generation = self->generation;
      params = batch_params (self, load->batch, 1);
      self->batch_inflight++;
      syn_backend_call_async (self->backend, SYN_OP_TIMELINE, params, self->cancellable, batch_newest_fetched, load);
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
  if (self->backend != NULL && self->query != NULL)
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

  /* answers still on their way find another generation and are dropped */
  self->generation++;
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->fetch_source, g_source_remove);
  g_clear_handle_id (&self->reload_source, g_source_remove);
  g_queue_clear_full (&self->batch_queue, g_object_unref);
  g_clear_object (&self->backend);

  G_OBJECT_CLASS (syn_timeline_model_parent_class)->dispose (object);
}

static void
syn_timeline_model_finalize (GObject *object)
{
  SynTimelineModel *self = SYN_TIMELINE_MODEL (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->query, json_object_unref);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->batches, g_hash_table_unref);
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (syn_timeline_model_parent_class)->finalize (object);
}

static void
syn_timeline_model_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SynTimelineModel *self = SYN_TIMELINE_MODEL (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;
    case PROP_TOTAL:
      g_value_set_uint64 (value, self->total);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
syn_timeline_model_class_init (SynTimelineModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = syn_timeline_model_dispose;
  object_class->finalize = syn_timeline_model_finalize;
  object_class->get_property = syn_timeline_model_get_property;

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOTAL] =
    g_param_spec_uint64 ("total", NULL, NULL, 0, G_MAXUINT64, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
syn_timeline_model_init (SynTimelineModel *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) page_free);
  self->batches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->cancellable = g_cancellable_new ();
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
  g_return_if_fail (backend == NULL || SYN_IS_BACKEND (backend));

  if (!g_set_object (&self->backend, backend))
    return;
  syn_timeline_model_reload (self);
}

/* @query: the timeline operation's parameters (project_id and filters), or
 * NULL for an empty list. It is copied; paging is the model's business. */
void
syn_timeline_model_set_query (SynTimelineModel *self, JsonObject *query)
{
  g_return_if_fail (SYN_IS_TIMELINE_MODEL (self));

  g_clear_pointer (&self->query, json_object_unref);
  if (query != NULL)
    {
      self->query = syn_json_object_copy (query);
      json_object_remove_member (self->query, "page");
      json_object_remove_member (self->query, "limit");
    }
  syn_timeline_model_reload (self);
}

JsonObject *
syn_timeline_model_get_query (SynTimelineModel *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_MODEL (self), NULL);
  return self->query;
}

guint64
syn_timeline_model_get_total (SynTimelineModel *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_MODEL (self), 0);
  return self->total;
}

gboolean
syn_timeline_model_get_loading (SynTimelineModel *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_MODEL (self), FALSE);
  return self->loading;
}

const char *
syn_timeline_model_get_error (SynTimelineModel *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_MODEL (self), NULL);
  return self->error;
}

guint
syn_timeline_model_get_n_cached_pages (SynTimelineModel *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_MODEL (self), 0);
  return g_hash_table_size (self->pages);
}
