/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-paged-model.c: SynPagedModel: the items of a backend list, a page at a time.
 *
 * The model knows its length from the first page's total; an item asked
 * for before its page arrived is a placeholder, filled in place (views
 * follow the item's own notifications) when the page comes back. Only a
 * bounded number of pages is kept beside those a view shows, so a million
 * rows cost no more memory than a few thousand. A page is fetched while a
 * view still holds one of its items (a bound row keeps a reference of its
 * own): pages scrolled past in a fast drag are skipped, and asked for again
 * if scrolled back to. At most MAX_IN_FLIGHT pages are asked at once, the
 * most recently wanted first. */
#include "config.h"

#include "core/syn-json.h"
#include "syn-paged-model.h"

#define MAX_IN_FLIGHT 2

typedef struct
{
  guint      index;
  guint      serial;
  GPtrArray *items;
  guint64    used;       /* last asked for: what is dropped first */
  gboolean   loaded;
  gboolean   fetching;
} Page;

typedef struct
{
  SynBackend   *backend;
  JsonObject   *query;
  guint         n_items;
  guint64       total;
  gboolean      loading;
  char         *error;

  GHashTable   *pages;          /* index -> Page */
  guint64       clock;
  guint         serials;
  guint         generation;
  GCancellable *cancellable;
  guint         fetch_idle;
  guint         in_flight;
  guint         reload_idle;
} SynPagedModelPrivate;

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_TYPE_WITH_CODE (SynPagedModel, syn_paged_model, G_TYPE_OBJECT,
                         G_ADD_PRIVATE (SynPagedModel)
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

static void queue_fetch (SynPagedModel *self);

#define PRIV(self) ((SynPagedModelPrivate *) syn_paged_model_get_instance_private (self))
#define KLASS(self) SYN_PAGED_MODEL_GET_CLASS (self)

static void
page_free (Page *page)
{
  g_ptr_array_unref (page->items);
  g_free (page);
}

static void
set_error (SynPagedModel *self, const char *message)
{
  SynPagedModelPrivate *priv = PRIV (self);

  if (g_strcmp0 (priv->error, message) == 0)
    return;
  g_free (priv->error);
  priv->error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
set_loading (SynPagedModel *self, gboolean loading)
{
  SynPagedModelPrivate *priv = PRIV (self);

  if (priv->loading == loading)
    return;
  priv->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* ------------------------------------------------------------------------- */
/* Pages                                                                     */

static Page *
page_for (SynPagedModel *self, guint index)
{
  SynPagedModelPrivate *priv = PRIV (self);
  guint size = KLASS (self)->page_size;
  Page *page = g_hash_table_lookup (priv->pages, GUINT_TO_POINTER (index));
  guint first = index * size;
  guint count;

  if (page != NULL)
    return page;
  count = MIN (size, priv->n_items - first);
  page = g_new0 (Page, 1);
  page->index = index;
  page->serial = ++priv->serials;
  page->items = g_ptr_array_new_full (count, g_object_unref);
  for (guint i = 0; i < count; i++)
    g_ptr_array_add (page->items, KLASS (self)->new_item (self, first + i));
  g_hash_table_insert (priv->pages, GUINT_TO_POINTER (index), page);
  return page;
}

static gboolean
page_shown (Page *page)
{
  for (guint i = 0; i < page->items->len; i++)
    if (g_atomic_int_get (&G_OBJECT (g_ptr_array_index (page->items, i))->ref_count) > 1)
      return TRUE;
  return FALSE;
}

/* The oldest pages no view shows go first; shown ones stay (a reload in
 * place fills what a view holds). */
static void
drop_pages (SynPagedModel *self)
{
  SynPagedModelPrivate *priv = PRIV (self);

  while (g_hash_table_size (priv->pages) > KLASS (self)->keep_pages)
    {
      GHashTableIter iter;
      Page *page, *oldest = NULL;

      g_hash_table_iter_init (&iter, priv->pages);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &page))
        if ((!KLASS (self)->refill_in_place || !page_shown (page)) && (oldest == NULL || page->used < oldest->used))
          oldest = page;
      if (oldest == NULL)
        return;
      /* an answer for a dropped page finds no page and is let go */
      g_hash_table_remove (priv->pages, GUINT_TO_POINTER (oldest->index));
    }
}

static void
fill (SynPagedModel *self, Page *page, JsonObject *answer)
{
  KLASS (self)->fill_page (self, page->items, answer);
  page->loaded = TRUE;
  if (KLASS (self)->page_loaded != NULL)
    KLASS (self)->page_loaded (self, page->index * KLASS (self)->page_size, page->items->len);
}

gpointer
syn_paged_model_peek_loaded (SynPagedModel *self, guint position)
{
  SynPagedModelPrivate *priv;
  guint size;
  Page *page;

  g_return_val_if_fail (SYN_IS_PAGED_MODEL (self), NULL);

  priv = PRIV (self);
  size = KLASS (self)->page_size;
  if (position >= priv->n_items)
    return NULL;
  page = g_hash_table_lookup (priv->pages, GUINT_TO_POINTER (position / size));
  if (page == NULL || !page->loaded || position % size >= page->items->len)
    return NULL;
  return g_ptr_array_index (page->items, position % size);
}

/* ------------------------------------------------------------------------- */
/* GListModel                                                                */

static GType
model_get_item_type (GListModel *model)
{
  return KLASS (SYN_PAGED_MODEL (model))->item_type;
}

static guint
model_get_n_items (GListModel *model)
{
  return PRIV (SYN_PAGED_MODEL (model))->n_items;
}

static gpointer
model_get_item (GListModel *model, guint position)
{
  SynPagedModel *self = SYN_PAGED_MODEL (model);
  SynPagedModelPrivate *priv = PRIV (self);
  guint size = KLASS (self)->page_size;
  Page *page;
  gpointer item;

  if (position >= priv->n_items)
    return NULL;
  page = page_for (self, position / size);
  page->used = ++priv->clock;
  item = g_object_ref (g_ptr_array_index (page->items, position % size));
  if (!page->loaded && !page->fetching)
    queue_fetch (self);
  drop_pages (self);
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
/* Fetching pages                                                            */

typedef struct
{
  SynPagedModel *self;
  guint          generation;
  guint          index;
  guint          serial;
} Fetch;

JsonObject *
syn_paged_model_page_params (SynPagedModel *self, guint index)
{
  JsonObject *params;

  g_return_val_if_fail (SYN_IS_PAGED_MODEL (self), NULL);

  params = PRIV (self)->query ? syn_json_object_copy (PRIV (self)->query) : json_object_new ();
  json_object_set_int_member (params, "page", (gint64) index + 1);
  json_object_set_int_member (params, "limit", KLASS (self)->page_size);
  return params;
}

static gboolean
reload_idle_cb (gpointer data)
{
  SynPagedModel *self = data;

  PRIV (self)->reload_idle = 0;
  syn_paged_model_reload (self);
  return G_SOURCE_REMOVE;
}

static void
page_fetched (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(SynPagedModel) self = fetch->self;
  SynPagedModelPrivate *priv = PRIV (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  Page *page;

  if (fetch->generation != priv->generation || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_free (fetch);
      return;
    }
  priv->in_flight--;
  page = g_hash_table_lookup (priv->pages, GUINT_TO_POINTER (fetch->index));
  if (page != NULL && page->serial != fetch->serial)
    page = NULL;
  g_free (fetch);
  if (page != NULL)
    page->fetching = FALSE;
  if (answer == NULL)
    {
      set_error (self, error->message);
      return;
    }
  if (page != NULL)
    fill (self, page, json_node_get_object (answer));
  /* the list changed underneath (a run, someone's edit, a rollback
   * elsewhere): the offsets no longer hold, start again */
  if ((guint64) json_object_get_int_member_with_default (json_node_get_object (answer), "total", 0) != priv->total &&
      priv->reload_idle == 0)
    priv->reload_idle = g_idle_add (reload_idle_cb, self);
  queue_fetch (self);
}

static gint
by_last_use (gconstpointer a, gconstpointer b)
{
  const Page *x = *(const Page * const *) a, *y = *(const Page * const *) b;

  return (x->used < y->used) - (x->used > y->used);
}

static gboolean
fetch_idle_cb (gpointer data)
{
  SynPagedModel *self = data;
  SynPagedModelPrivate *priv = PRIV (self);
  g_autoptr(GPtrArray) wanted = g_ptr_array_new ();
  GHashTableIter iter;
  Page *page;

  priv->fetch_idle = 0;
  if (priv->backend == NULL || priv->query == NULL || priv->loading)
    return G_SOURCE_REMOVE;
  g_hash_table_iter_init (&iter, priv->pages);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &page))
    if (!page->loaded && !page->fetching && page_shown (page))
      g_ptr_array_add (wanted, page);
  g_ptr_array_sort (wanted, by_last_use);
  for (guint i = 0; i < wanted->len && priv->in_flight < MAX_IN_FLIGHT; i++)
    {
      g_autoptr(JsonObject) params = NULL;
      Fetch *fetch = g_new0 (Fetch, 1);

      page = g_ptr_array_index (wanted, i);
      page->fetching = TRUE;
      fetch->self = g_object_ref (self);
      fetch->generation = priv->generation;
      fetch->index = page->index;
      fetch->serial = page->serial;
      params = syn_paged_model_page_params (self, page->index);
      priv->in_flight++;
      syn_backend_call_async (priv->backend, KLASS (self)->get_op (self), params, priv->cancellable, page_fetched,
                              fetch);
    }
  return G_SOURCE_REMOVE;
}

/* One frame's bound rows ask once. */
static void
queue_fetch (SynPagedModel *self)
{
  SynPagedModelPrivate *priv = PRIV (self);

  if (priv->fetch_idle == 0)
    priv->fetch_idle = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, fetch_idle_cb, self, NULL);
}

/* ------------------------------------------------------------------------- */
/* Reload                                                                    */

/* The pages held, made to the new length and emptied: their items wait
 * for their new contents in place. */
static void
refit_pages (SynPagedModel *self)
{
  SynPagedModelPrivate *priv = PRIV (self);
  guint size = KLASS (self)->page_size;
  GHashTableIter iter;
  Page *page;

  g_hash_table_iter_init (&iter, priv->pages);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &page))
    {
      guint first = page->index * size;
      guint want;

      if (first >= priv->n_items)
        {
          g_hash_table_iter_remove (&iter);
          continue;
        }
      want = MIN (size, priv->n_items - first);
      if (page->items->len > want)
        g_ptr_array_set_size (page->items, want);
      while (page->items->len < want)
        g_ptr_array_add (page->items, KLASS (self)->new_item (self, first + page->items->len));
      for (guint i = 0; i < page->items->len; i++)
        KLASS (self)->reset_item (g_ptr_array_index (page->items, i));
      page->loaded = FALSE;
      page->fetching = FALSE;
      page->serial = ++priv->serials;
    }
}

/* Telling a list view that every row was removed and added costs it a
 * second or two at 100,000 rows however few it shows: in place, only a
 * change of length is said (at the end). */
static void
replace_contents (SynPagedModel *self, guint64 total, JsonObject *first_page)
{
  SynPagedModelPrivate *priv = PRIV (self);
  gboolean in_place = KLASS (self)->refill_in_place && first_page != NULL;
  guint old = priv->n_items;

  if (!in_place)
    g_hash_table_remove_all (priv->pages);
  priv->total = total;
  priv->n_items = (guint) MIN (total, (guint64) G_MAXUINT);
  if (in_place)
    refit_pages (self);
  if (first_page != NULL && priv->n_items > 0)
    {
      Page *page = page_for (self, 0);

      page->used = ++priv->clock;
      fill (self, page, first_page);
    }
  if (!in_place)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old, priv->n_items);
  else if (priv->n_items != old)
    g_list_model_items_changed (G_LIST_MODEL (self), MIN (old, priv->n_items),
                                old > priv->n_items ? old - priv->n_items : 0,
                                priv->n_items > old ? priv->n_items - old : 0);
  if (old != priv->n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
}

static void
first_page_fetched (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(SynPagedModel) self = fetch->self;
  SynPagedModelPrivate *priv = PRIV (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  JsonObject *o;

  if (fetch->generation != priv->generation || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_free (fetch);
      return;
    }
  g_free (fetch);
  if (answer == NULL)
    {
      replace_contents (self, 0, NULL);
      set_error (self, error->message);
      set_loading (self, FALSE);
      return;
    }
  o = json_node_get_object (answer);
  set_error (self, NULL);
  replace_contents (self, (guint64) MAX (0, json_object_get_int_member_with_default (o, "total", 0)), o);
  set_loading (self, FALSE);
  queue_fetch (self);
}

void
syn_paged_model_reload (SynPagedModel *self)
{
  SynPagedModelPrivate *priv;
  g_autoptr(JsonObject) params = NULL;
  Fetch *fetch;

  g_return_if_fail (SYN_IS_PAGED_MODEL (self));

  priv = PRIV (self);
  priv->generation++;
  g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);
  priv->cancellable = g_cancellable_new ();
  priv->in_flight = 0;
  g_clear_handle_id (&priv->reload_idle, g_source_remove);
  if (KLASS (self)->reloaded != NULL)
    KLASS (self)->reloaded (self);

  if (priv->backend == NULL || priv->query == NULL)
    {
      replace_contents (self, 0, NULL);
      set_loading (self, FALSE);
      return;
    }
  set_loading (self, TRUE);
  fetch = g_new0 (Fetch, 1);
  fetch->self = g_object_ref (self);
  fetch->generation = priv->generation;
  params = syn_paged_model_page_params (self, 0);
  syn_backend_call_async (priv->backend, KLASS (self)->get_op (self), params, priv->cancellable, first_page_fetched,
                          fetch);
}

/* ------------------------------------------------------------------------- */

static void
syn_paged_model_dispose (GObject *object)
{
  SynPagedModelPrivate *priv = PRIV (SYN_PAGED_MODEL (object));

  /* answers still on their way find another generation and are dropped */
  priv->generation++;
  g_cancellable_cancel (priv->cancellable);
  g_clear_handle_id (&priv->fetch_idle, g_source_remove);
  g_clear_handle_id (&priv->reload_idle, g_source_remove);
  g_clear_object (&priv->backend);

  G_OBJECT_CLASS (syn_paged_model_parent_class)->dispose (object);
}

static void
syn_paged_model_finalize (GObject *object)
{
  SynPagedModelPrivate *priv = PRIV (SYN_PAGED_MODEL (object));

  g_clear_object (&priv->cancellable);
  g_clear_pointer (&priv->query, json_object_unref);
  g_clear_pointer (&priv->pages, g_hash_table_unref);
  g_clear_pointer (&priv->error, g_free);

  G_OBJECT_CLASS (syn_paged_model_parent_class)->finalize (object);
}

static void
syn_paged_model_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SynPagedModelPrivate *priv = PRIV (SYN_PAGED_MODEL (object));

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, priv->n_items);
      break;
    case PROP_TOTAL:
      g_value_set_uint64 (value, priv->total);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, priv->loading);
      break;
    case PROP_ERROR:
      g_value_set_string (value, priv->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
syn_paged_model_class_init (SynPagedModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = syn_paged_model_dispose;
  object_class->finalize = syn_paged_model_finalize;
  object_class->get_property = syn_paged_model_get_property;
  klass->item_type = G_TYPE_OBJECT;
  klass->page_size = 100;
  klass->keep_pages = 24;

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
syn_paged_model_init (SynPagedModel *self)
{
  SynPagedModelPrivate *priv = PRIV (self);

  priv->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) page_free);
  priv->cancellable = g_cancellable_new ();
}

void
syn_paged_model_set_backend (SynPagedModel *self, SynBackend *backend)
{
  g_return_if_fail (SYN_IS_PAGED_MODEL (self));
  g_return_if_fail (backend == NULL || SYN_IS_BACKEND (backend));

  if (g_set_object (&PRIV (self)->backend, backend))
    syn_paged_model_reload (self);
}

SynBackend *
syn_paged_model_get_backend (SynPagedModel *self)
{
  g_return_val_if_fail (SYN_IS_PAGED_MODEL (self), NULL);
  return PRIV (self)->backend;
}

void
syn_paged_model_set_query (SynPagedModel *self, JsonObject *query)
{
  SynPagedModelPrivate *priv;

  g_return_if_fail (SYN_IS_PAGED_MODEL (self));

  priv = PRIV (self);
  g_clear_pointer (&priv->query, json_object_unref);
  if (query != NULL)
    {
      priv->query = syn_json_object_copy (query);
      json_object_remove_member (priv->query, "page");
      json_object_remove_member (priv->query, "limit");
    }
  syn_paged_model_reload (self);
}

JsonObject *
syn_paged_model_get_query (SynPagedModel *self)
{
  g_return_val_if_fail (SYN_IS_PAGED_MODEL (self), NULL);
  return PRIV (self)->query;
}

guint64
syn_paged_model_get_total (SynPagedModel *self)
{
  g_return_val_if_fail (SYN_IS_PAGED_MODEL (self), 0);
  return PRIV (self)->total;
}

gboolean
syn_paged_model_get_loading (SynPagedModel *self)
{
  g_return_val_if_fail (SYN_IS_PAGED_MODEL (self), FALSE);
  return PRIV (self)->loading;
}

const char *
syn_paged_model_get_error (SynPagedModel *self)
{
  g_return_val_if_fail (SYN_IS_PAGED_MODEL (self), NULL);
  return PRIV (self)->error;
}

guint
syn_paged_model_get_n_cached_pages (SynPagedModel *self)
{
  g_return_val_if_fail (SYN_IS_PAGED_MODEL (self), 0);
  return g_hash_table_size (PRIV (self)->pages);
}

guint
syn_paged_model_get_generation (SynPagedModel *self)
{
  g_return_val_if_fail (SYN_IS_PAGED_MODEL (self), 0);
  return PRIV (self)->generation;
}

GCancellable *
syn_paged_model_get_cancellable (SynPagedModel *self)
{
  g_return_val_if_fail (SYN_IS_PAGED_MODEL (self), NULL);
  return PRIV (self)->cancellable;
}
