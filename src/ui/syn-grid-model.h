/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-grid-model.h: SynGridModel, a GListModel of a project's assets or cables, filtered and sorted by the
 * backend and loaded a window of rows at a time as the grid shows them. */
#pragma once

#include <gio/gio.h>

#include "backend/syn-backend.h"
#include "syn-grid-row.h"
#include "syn-paged-model.h"

G_BEGIN_DECLS

#define SYN_TYPE_GRID_MODEL (syn_grid_model_get_type ())

G_DECLARE_FINAL_TYPE (SynGridModel, syn_grid_model, SYN, GRID_MODEL, SynPagedModel)

#define SYN_GRID_MODEL_PAGE_SIZE 200

SynGridModel *syn_grid_model_new            (void);
void          syn_grid_model_set_backend    (SynGridModel        *self,
                                             SynBackend          *backend);
/* @query: the list operation's parameters (project_id and filters, sort),
 * or NULL for an empty list; copied. @cables: the cable schedule, else the
 * asset list. */
void          syn_grid_model_set_query      (SynGridModel        *self,
                                             gboolean             cables,
                                             JsonObject          *query);
JsonObject   *syn_grid_model_get_query      (SynGridModel        *self);
gboolean      syn_grid_model_get_cables     (SynGridModel        *self);
void          syn_grid_model_reload         (SynGridModel        *self);
guint64       syn_grid_model_get_total      (SynGridModel        *self);
gboolean      syn_grid_model_get_loading    (SynGridModel        *self);
const char   *syn_grid_model_get_error      (SynGridModel        *self);
guint         syn_grid_model_get_n_cached_pages (SynGridModel    *self);

/* The rows at @positions (sorted), every one loaded: pages not held are
 * fetched (and not kept). */
void          syn_grid_model_fetch_rows_async  (SynGridModel        *self,
                                                GArray              *positions,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
GPtrArray    *syn_grid_model_fetch_rows_finish (SynGridModel        *self,
                                                GAsyncResult        *result,
                                                GError             **error);

G_END_DECLS
