/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-grid-model.c: SynGridModel: a project's assets or cables, a window of rows at a time.
 *
 * The backend filters and sorts (one SQL statement per page), so the model
 * holds no more than a few thousand rows whatever the project's size: its
 * length comes from the first page's total, a row asked for before its page
 * arrived is a placeholder filled in place, and pages no row shows any
 * more are dropped, oldest first. Answers are JSON of one page, read on the
 * main loop a page at a time.
 *
 * A reload keeps the row objects the grid holds and fills them again in
 * place: telling a GtkColumnView that 100,000 rows were removed and added
 * costs it a second or two, however few it shows. Only a change of length
 * is said, at the end of the list; windows the grid shows are never
 * dropped, so every row it holds is one the model can fill. */
#include "config.h"

#include "core/syn-json.h"
#include "syn-grid-model.h"

#define PAGE_SIZE     SYN_GRID_MODEL_PAGE_SIZE
#define KEEP_PAGES    16
#define MAX_IN_FLIGHT 2

typedef struct
{
  guint      number;     /* from 0 */
  guint      serial;
  GPtrArray *rows;       /* SynGridRow */
  guint64    used;       /* last asked for */
  gboolean   loaded;
  gboolean   fetching;
} Window;

struct _SynGridModel
{
  GObject       parent_instance;

  SynBackend   *backend;
  JsonObject   *query;
  gboolean      cables;
  guint         n_items;
  guint64       total;
  gboolean      loading;
  char         *error;

  GHashTable   *windows;      /* number -> Window */
  guint64       clock;
  guint         serials;
  guint         generation;   /* answers of an older query are dropped */
  GCancellable *cancellable;
  guint         fetch_idle;
  guint         in_flight;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SynGridModel, syn_grid_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_TOTAL,
  PROP_LOADING,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void queue_fetch (SynGridModel *self);

static void
window_free (Window *window)
{
  g_ptr_array_unref (window->rows);
  g_free (window);
}

static const char *
list_op (SynGridModel *self)
{
  return self->cables ? SYN_OP_LIST_CABLES : SYN_OP_LIST_ASSETS;
}

static JsonObject *
window_params (SynGridModel *self, guint number)
{
  JsonObject *params = syn_json_object_copy (self->query);

  json_object_set_int_member (params, "page", (gint64) number + 1);
  json_object_set_int_member (params, "limit", PAGE_SIZE);
  return params;
}

/* The rows of a list answer, into @rows in order. */
static void
fill_rows (GPtrArray *rows, JsonObject *answer, gboolean cables)
{
  JsonNode *node = json_object_get_member (answer, cables ? "cables" : "assets");
  JsonArray *items = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  guint n = items ? json_array_get_length (items) : 0;

  for (guint i = 0; i < rows->len && i < n; i++)
    {
      JsonNode *item = json_array_get_element (items, i);

      if (JSON_NODE_HOLDS_OBJECT (item))
        syn_grid_row_set_json (g_ptr_array_index (rows, i), json_node_get_object (item), cables);
    }
}

static void
set_error (SynGridModel *self, const char *message)
{
  if (g_strcmp0 (self->error, message) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
set_loading (SynGridModel *self, gboolean loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* ------------------------------------------------------------------------- */
/* GListModel                                                                */

static GType
model_get_item_type (GListModel *model)
{
  return SYN_TYPE_GRID_ROW;
}

static guint
model_get_n_items (GListModel *model)
{
  return SYN_GRID_MODEL (model)->n_items;
}

static Window *
window_for (SynGridModel *self, guint number)
{
  Window *window = g_hash_table_lookup (self->windows, GUINT_TO_POINTER (number));
  guint first = number * PAGE_SIZE;
  guint count;

  if (window != NULL)
    return window;
  count = MIN (PAGE_SIZE, self->n_items - first);
  window = g_new0 (Window, 1);
  window->number = number;
  window->serial = ++self->serials;
  window->rows = g_ptr_array_new_full (count, g_object_unref);
  for (guint i = 0; i < count; i++)
    g_ptr_array_add (window->rows, syn_grid_row_new (first + i));
  g_hash_table_insert (self->windows, GUINT_TO_POINTER (number), window);
  return window;
}

/* A window is still shown while the grid holds one of its rows (a bound
 * row keeps a reference of its own). */
static gboolean
window_shown (Window *window)
{
  for (guint i = 0; i < window->rows->len; i++)
    if (g_atomic_int_get (&G_OBJECT (g_ptr_array_index (window->rows, i))->ref_count) > 1)
      return TRUE;
  return FALSE;
}

static void
drop_windows (SynGridModel *self)
{
  while (g_hash_table_size (self->windows) > KEEP_PAGES)
    {
      GHashTableIter iter;
      Window *window, *oldest = NULL;

      g_hash_table_iter_init (&iter, self->windows);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &window))
        if (!window_shown (window) && (oldest == NULL || window->used < oldest->used))
          oldest = window;
      if (oldest == NULL)
        return;
      g_hash_table_remove (self->windows, GUINT_TO_POINTER (oldest->number));
    }
}

static gpointer
model_get_item (GListModel *model, guint position)
{
  SynGridModel *self = SYN_GRID_MODEL (model);
  Window *window;
  gpointer row;

  if (position >= self->n_items)
    return NULL;
  window = window_for (self, position / PAGE_SIZE);
  window->used = ++self->clock;
  row = g_object_ref (g_ptr_array_index (window->rows, position % PAGE_SIZE));
  if (!window->loaded && !window->fetching)
    queue_fetch (self);
  drop_windows (self);
  return row;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = model_get_item_type;
  iface->get_n_items = model_get_n_items;
  iface->get_item = model_get_item;
}

/* ------------------------------------------------------------------------- */
/* Fetching windows                                                          */

typedef struct
{
  SynGridModel *self;
  guint         generation;
  guint         number;
  guint         serial;
} Fetch;

static void
window_fetched (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(SynGridModel) self = fetch->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  Window *window;

  if (fetch->generation != self->generation || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_free (fetch);
      return;
    }
  self->in_flight--;
  window = g_hash_table_lookup (self->windows, GUINT_TO_POINTER (fetch->number));
  if (window != NULL && window->serial != fetch->serial)
    window = NULL;
  g_free (fetch);
  if (window != NULL)
    window->fetching = FALSE;
  if (answer == NULL)
    {
      set_error (self, error->message);
      return;
    }
  if (window != NULL)
    {
      fill_rows (window->rows, json_node_get_object (answer), self->cables);
      window->loaded = TRUE;
    }
  /* the list moved underneath (a run, someone's edit): offsets no longer
   * hold, start again */
  if ((guint64) json_object_get_int_member_with_default (json_node_get_object (answer), "total", 0) != self->total)
    {
      syn_grid_model_reload (self);
      return;
    }
  queue_fetch (self);
}

static gint
by_last_use (gconstpointer a, gconstpointer b)
{
  const Window *x = *(const Window * const *) a, *y = *(const Window * const *) b;

  return (x->used < y->used) - (x->used > y->used);
}

/* The windows the grid shows and that are not loaded, most recently
 * asked for first; those scrolled past in a fast drag are skipped. */
static gboolean
fetch_idle_cb (gpointer data)
{
  SynGridModel *self = data;
  g_autoptr(GPtrArray) wanted = g_ptr_array_new ();
  GHashTableIter iter;
  Window *window;

  self->fetch_idle = 0;
  if (self->backend == NULL || self->query == NULL || self->loading)
    return G_SOURCE_REMOVE;
  g_hash_table_iter_init (&iter, self->windows);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &window))
    if (!window->loaded && !window->fetching && window_shown (window))
      g_ptr_array_add (wanted, window);
  g_ptr_array_sort (wanted, by_last_use);
  for (guint i = 0; i < wanted->len && self->in_flight < MAX_IN_FLIGHT; i++)
    {
      g_autoptr(JsonObject) params = NULL;
      Fetch *fetch = g_new0 (Fetch, 1);

      window = g_ptr_array_index (wanted, i);
      window->fetching = TRUE;
      fetch->self = g_object_ref (self);
      fetch->generation = self->generation;
      fetch->number = window->number;
      fetch->serial = window->serial;
      params = window_params (self, window->number);
      self->in_flight++;
      syn_backend_call_async (self->backend, list_op (self), params, self->cancellable, window_fetched, fetch);
    }
  return G_SOURCE_REMOVE;
}

/* One frame's bound rows ask once. */
static void
queue_fetch (SynGridModel *self)
{
  if (self->fetch_idle == 0)
    self->fetch_idle = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, fetch_idle_cb, self, NULL);
}

/* ------------------------------------------------------------------------- */
/* Reload                                                                    */

/* The windows held, made to the new length and emptied: their rows wait
 * for their new contents in place. */
static void
refit_windows (SynGridModel *self)
{
  GHashTableIter iter;
  Window *window;

  g_hash_table_iter_init (&iter, self->windows);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &window))
    {
      guint first = window->number * PAGE_SIZE;
      guint want;

      if (first >= self->n_items)
        {
          g_hash_table_iter_remove (&iter);
          continue;
        }
      want = MIN (PAGE_SIZE, self->n_items - first);
      if (window->rows->len > want)
        g_ptr_array_set_size (window->rows, want);
      while (window->rows->len < want)
        g_ptr_array_add (window->rows, syn_grid_row_new (first + window->rows->len));
      for (guint i = 0; i < window->rows->len; i++)
        syn_grid_row_reset (g_ptr_array_index (window->rows, i));
      window->loaded = FALSE;
      window->fetching = FALSE;
      window->serial = ++self->serials;
    }
}

static void
first_window_fetched (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(SynGridModel) self = fetch->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  guint old = self->n_items;
  JsonObject *o;

  if (fetch->generation != self->generation || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_free (fetch);
      return;
    }
  g_free (fetch);
  if (answer == NULL)
    {
      g_hash_table_remove_all (self->windows);
      self->total = 0;
      self->n_items = 0;
      set_error (self, error->message);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old, 0);
    }
  else
    {
      o = json_node_get_object (answer);
      set_error (self, NULL);
      self->total = (guint64) MAX (0, json_object_get_int_member_with_default (o, "total", 0));
      self->n_items = (guint) MIN (self->total, (guint64) G_MAXUINT);
      refit_windows (self);
      if (self->n_items > 0)
        {
          Window *window = window_for (self, 0);

          window->used = ++self->clock;
          fill_rows (window->rows, o, self->cables);
          window->loaded = TRUE;
        }
      if (self->n_items != old)
        g_list_model_items_changed (G_LIST_MODEL (self), MIN (old, self->n_items),
                                    old > self->n_items ? old - self->n_items : 0,
                                    self->n_items > old ? self->n_items - old : 0);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
  set_loading (self, FALSE);
  queue_fetch (self);
}

/* From the first window again; the rows shown stay until it arrives, so
 * the grid never blinks empty. */
void
syn_grid_model_reload (SynGridModel *self)
{
  g_autoptr(JsonObject) params = NULL;
  Fetch *fetch;

  g_return_if_fail (SYN_IS_GRID_MODEL (self));

  self->generation++;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->in_flight = 0;
  if (self->backend == NULL || self->query == NULL)
    {
      guint old = self->n_items;

      g_hash_table_remove_all (self->windows);
      self->n_items = 0;
      self->total = 0;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
      set_loading (self, FALSE);
      return;
    }
  set_loading (self, TRUE);
  fetch = g_new0 (Fetch, 1);
  fetch->self = g_object_ref (self);
  fetch->generation = self->generation;
  params = window_params (self, 0);
  syn_backend_call_async (self->backend, list_op (self), params, self->cancellable, first_window_fetched, fetch);
}

/* ------------------------------------------------------------------------- */
/* The rows of a selection                                                   */

typedef struct
{
  GArray    *positions;
  guint      next;       /* into positions */
  JsonObject *query;
  gboolean   cables;
  GPtrArray *rows;
} RowsFetch;

static void
rows_fetch_free (RowsFetch *r)
{
  g_array_unref (r->positions);
  json_object_unref (r->query);
  g_ptr_array_unref (r->rows);
  g_free (r);
}

static void fetch_next_rows (GTask *task);

static void
rows_window_fetched (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  RowsFetch *r = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  g_autoptr(GPtrArray) window = NULL;
  guint number;

  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  number = g_array_index (r->positions, guint, r->next) / PAGE_SIZE;
  window = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < PAGE_SIZE; i++)
    g_ptr_array_add (window, syn_grid_row_new (number * PAGE_SIZE + i));
  fill_rows (window, json_node_get_object (answer), r->cables);
  for (; r->next < r->positions->len && g_array_index (r->positions, guint, r->next) / PAGE_SIZE == number; r->next++)
    {
      SynGridRow *row = g_ptr_array_index (window, g_array_index (r->positions, guint, r->next) % PAGE_SIZE);

      /* a row gone since (the list shrank) is left out */
      if (syn_grid_row_get_loaded (row))
        g_ptr_array_add (r->rows, g_object_ref (row));
    }
  fetch_next_rows (g_steal_pointer (&task));
}

static void
fetch_next_rows (GTask *task)
{
  SynGridModel *self = g_task_get_source_object (task);
  RowsFetch *r = g_task_get_task_data (task);

  /* rows the model holds loaded are taken as they are */
  while (r->next < r->positions->len)
    {
      guint position = g_array_index (r->positions, guint, r->next);
      Window *window = g_hash_table_lookup (self->windows, GUINT_TO_POINTER (position / PAGE_SIZE));

      if (window == NULL || !window->loaded || position % PAGE_SIZE >= window->rows->len)
        break;
      g_ptr_array_add (r->rows, g_object_ref (g_ptr_array_index (window->rows, position % PAGE_SIZE)));
      r->next++;
    }
  if (r->next >= r->positions->len)
    {
      g_task_return_pointer (task, g_ptr_array_ref (r->rows), (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }
  {
    JsonObject *params = syn_json_object_copy (r->query);

    json_object_set_int_member (params, "page", (gint64) (g_array_index (r->positions, guint, r->next) / PAGE_SIZE) + 1);
    json_object_set_int_member (params, "limit", PAGE_SIZE);
    syn_backend_call_async (self->backend, r->cables ? SYN_OP_LIST_CABLES : SYN_OP_LIST_ASSETS, params,
                            g_task_get_cancellable (task), rows_window_fetched, task);
    json_object_unref (params);
  }
}

void
syn_grid_model_fetch_rows_async (SynGridModel        *self,
                                 GArray              *positions,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;
  RowsFetch *r;

  g_return_if_fail (SYN_IS_GRID_MODEL (self));
  g_return_if_fail (positions != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, syn_grid_model_fetch_rows_async);
  if (self->backend == NULL || self->query == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, "No project is open");
      g_object_unref (task);
      return;
    }
  r = g_new0 (RowsFetch, 1);
  r->positions = g_array_ref (positions);
  r->query = syn_json_object_copy (self->query);
  r->cables = self->cables;
  r->rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_task_set_task_data (task, r, (GDestroyNotify) rows_fetch_free);
  fetch_next_rows (task);
}

GPtrArray *
syn_grid_model_fetch_rows_finish (SynGridModel *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------- */

static void
syn_grid_model_dispose (GObject *object)
{
  SynGridModel *self = SYN_GRID_MODEL (object);

  self->generation++;
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->fetch_idle, g_source_remove);
  g_clear_object (&self->backend);

  G_OBJECT_CLASS (syn_grid_model_parent_class)->dispose (object);
}

static void
syn_grid_model_finalize (GObject *object)
{
  SynGridModel *self = SYN_GRID_MODEL (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->query, json_object_unref);
  g_clear_pointer (&self->windows, g_hash_table_unref);
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (syn_grid_model_parent_class)->finalize (object);
}

static void
syn_grid_model_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SynGridModel *self = SYN_GRID_MODEL (object);

  switch (prop_id)
    {
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
syn_grid_model_class_init (SynGridModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = syn_grid_model_dispose;
  object_class->finalize = syn_grid_model_finalize;
  object_class->get_property = syn_grid_model_get_property;

  properties[PROP_TOTAL] =
    g_param_spec_uint64 ("total", NULL, NULL, 0, G_MAXUINT64, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
syn_grid_model_init (SynGridModel *self)
{
  self->windows = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) window_free);
  self->cancellable = g_cancellable_new ();
}

SynGridModel *
syn_grid_model_new (void)
{
  return g_object_new (SYN_TYPE_GRID_MODEL, NULL);
}

void
syn_grid_model_set_backend (SynGridModel *self, SynBackend *backend)
{
  g_return_if_fail (SYN_IS_GRID_MODEL (self));
  g_return_if_fail (backend == NULL || SYN_IS_BACKEND (backend));

  if (g_set_object (&self->backend, backend))
    syn_grid_model_reload (self);
}

void
syn_grid_model_set_query (SynGridModel *self, gboolean cables, JsonObject *query)
{
  g_return_if_fail (SYN_IS_GRID_MODEL (self));

  g_clear_pointer (&self->query, json_object_unref);
  if (query != NULL)
    {
      self->query = syn_json_object_copy (query);
      json_object_remove_member (self->query, "page");
      json_object_remove_member (self->query, "limit");
    }
  /* the other list: its rows fill the same row objects, as a reload does */
  self->cables = cables;
  syn_grid_model_reload (self);
}

JsonObject *
syn_grid_model_get_query (SynGridModel *self)
{
  g_return_val_if_fail (SYN_IS_GRID_MODEL (self), NULL);
  return self->query;
}

gboolean
syn_grid_model_get_cables (SynGridModel *self)
{
  g_return_val_if_fail (SYN_IS_GRID_MODEL (self), FALSE);
  return self->cables;
}

guint64
syn_grid_model_get_total (SynGridModel *self)
{
  g_return_val_if_fail (SYN_IS_GRID_MODEL (self), 0);
  return self->total;
}

gboolean
syn_grid_model_get_loading (SynGridModel *self)
{
  g_return_val_if_fail (SYN_IS_GRID_MODEL (self), FALSE);
  return self->loading;
}

const char *
syn_grid_model_get_error (SynGridModel *self)
{
  g_return_val_if_fail (SYN_IS_GRID_MODEL (self), NULL);
  return self->error;
}

guint
syn_grid_model_get_n_cached_pages (SynGridModel *self)
{
  g_return_val_if_fail (SYN_IS_GRID_MODEL (self), 0);
  return g_hash_table_size (self->windows);
}
