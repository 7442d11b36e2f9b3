/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-grid-model.c: SynGridModel: a project's assets or cables, a window of rows at a time (SynPagedModel).
 *
 * The backend filters and sorts (one SQL statement per page), so the model
 * holds no more than a few thousand rows whatever the project's size. A
 * reload fills the rows the grid holds in place (SynPagedModel's
 * refill_in_place): a sort or a filter costs the grid no relayout of
 * 100,000 rows. */
#include "config.h"

#include "core/syn-json.h"
#include "syn-grid-model.h"

#define PAGE_SIZE  SYN_GRID_MODEL_PAGE_SIZE
#define KEEP_PAGES 16

struct _SynGridModel
{
  SynPagedModel parent_instance;

  gboolean      cables;
};

G_DEFINE_FINAL_TYPE (SynGridModel, syn_grid_model, SYN_TYPE_PAGED_MODEL)

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

static const char *
grid_get_op (SynPagedModel *model)
{
  return SYN_GRID_MODEL (model)->cables ? SYN_OP_LIST_CABLES : SYN_OP_LIST_ASSETS;
}

static gpointer
grid_new_item (SynPagedModel *model, guint position)
{
  return syn_grid_row_new (position);
}

static void
grid_fill_page (SynPagedModel *model, GPtrArray *items, JsonObject *answer)
{
  fill_rows (items, answer, SYN_GRID_MODEL (model)->cables);
}

static void
grid_reset_item (gpointer item)
{
  syn_grid_row_reset (item);
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
rows_page_fetched (GObject *object, GAsyncResult *result, gpointer user_data)
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
      SynGridRow *row = syn_paged_model_peek_loaded (SYN_PAGED_MODEL (self), g_array_index (r->positions, guint, r->next));

      if (row == NULL)
        break;
      g_ptr_array_add (r->rows, g_object_ref (row));
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
    syn_backend_call_async (syn_paged_model_get_backend (SYN_PAGED_MODEL (self)),
                            r->cables ? SYN_OP_LIST_CABLES : SYN_OP_LIST_ASSETS, params,
                            g_task_get_cancellable (task), rows_page_fetched, task);
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
  if (syn_paged_model_get_backend (SYN_PAGED_MODEL (self)) == NULL || syn_paged_model_get_query (SYN_PAGED_MODEL (self)) == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, "No project is open");
      g_object_unref (task);
      return;
    }
  r = g_new0 (RowsFetch, 1);
  r->positions = g_array_ref (positions);
  r->query = syn_json_object_copy (syn_paged_model_get_query (SYN_PAGED_MODEL (self)));
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

static void
syn_grid_model_class_init (SynGridModelClass *klass)
{
  SynPagedModelClass *paged_class = SYN_PAGED_MODEL_CLASS (klass);

  paged_class->item_type = SYN_TYPE_GRID_ROW;
  paged_class->page_size = PAGE_SIZE;
  paged_class->keep_pages = KEEP_PAGES;
  paged_class->refill_in_place = TRUE;
  paged_class->get_op = grid_get_op;
  paged_class->new_item = grid_new_item;
  paged_class->fill_page = grid_fill_page;
  paged_class->reset_item = grid_reset_item;
}

static void
syn_grid_model_init (SynGridModel *self)
{
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
  syn_paged_model_set_backend (SYN_PAGED_MODEL (self), backend);
}

/* The other list fills the same row objects, as a reload does. */
void
syn_grid_model_set_query (SynGridModel *self, gboolean cables, JsonObject *query)
{
  g_return_if_fail (SYN_IS_GRID_MODEL (self));

  self->cables = cables;
  syn_paged_model_set_query (SYN_PAGED_MODEL (self), query);
}

JsonObject *
syn_grid_model_get_query (SynGridModel *self)
{
  g_return_val_if_fail (SYN_IS_GRID_MODEL (self), NULL);
  return syn_paged_model_get_query (SYN_PAGED_MODEL (self));
}

gboolean
syn_grid_model_get_cables (SynGridModel *self)
{
  g_return_val_if_fail (SYN_IS_GRID_MODEL (self), FALSE);
  return self->cables;
}

void
syn_grid_model_reload (SynGridModel *self)
{
  g_return_if_fail (SYN_IS_GRID_MODEL (self));
  syn_paged_model_reload (SYN_PAGED_MODEL (self));
}

guint64
syn_grid_model_get_total (SynGridModel *self)
{
  g_return_val_if_fail (SYN_IS_GRID_MODEL (self), 0);
  return syn_paged_model_get_total (SYN_PAGED_MODEL (self));
}

gboolean
syn_grid_model_get_loading (SynGridModel *self)
{
  g_return_val_if_fail (SYN_IS_GRID_MODEL (self), FALSE);
  return syn_paged_model_get_loading (SYN_PAGED_MODEL (self));
}

const char *
syn_grid_model_get_error (SynGridModel *self)
{
  g_return_val_if_fail (SYN_IS_GRID_MODEL (self), NULL);
  return syn_paged_model_get_error (SYN_PAGED_MODEL (self));
}

guint
syn_grid_model_get_n_cached_pages (SynGridModel *self)
{
  g_return_val_if_fail (SYN_IS_GRID_MODEL (self), 0);
  return syn_paged_model_get_n_cached_pages (SYN_PAGED_MODEL (self));
}
