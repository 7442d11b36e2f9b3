/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-paged-model.h: SynPagedModel, a GListModel of what a backend list operation answers, loaded a page at
 * a time as a view asks for its items: the timeline's events, the grid's assets and cables. */
#pragma once

#include <gio/gio.h>

#include "backend/syn-backend.h"

G_BEGIN_DECLS

#define SYN_TYPE_PAGED_MODEL (syn_paged_model_get_type ())

G_DECLARE_DERIVABLE_TYPE (SynPagedModel, syn_paged_model, SYN, PAGED_MODEL, GObject)

struct _SynPagedModelClass
{
  GObjectClass parent_class;

  /* Set in class_init. */
  GType      item_type;
  guint      page_size;
  guint      keep_pages;       /* pages kept beyond those a view shows */
  /* A reload fills the items a view holds in place (reset_item, then
   * fill_page) and says only a change of length; otherwise it replaces
   * every item. */
  gboolean   refill_in_place;

  /* The operation that answers a page ({..., page, limit} added to the query). */
  const char *(*get_op)      (SynPagedModel *self);
  /* A placeholder item for @position. */
  gpointer    (*new_item)    (SynPagedModel *self,
                              guint          position);
  /* A page's answer into its items (placeholders, in order). */
  void        (*fill_page)   (SynPagedModel *self,
                              GPtrArray     *items,
                              JsonObject    *answer);
  /* Back to a placeholder (refill_in_place only). */
  void        (*reset_item)  (gpointer       item);
  /* After a page's items were filled (@first: its first position). */
  void        (*page_loaded) (SynPagedModel *self,
                              guint          first,
                              guint          n);
  /* A reload's first page has come (before its items are filled). */
  void        (*reloaded)    (SynPagedModel *self);
};

void         syn_paged_model_set_backend       (SynPagedModel *self,
                                                SynBackend    *backend);
SynBackend  *syn_paged_model_get_backend       (SynPagedModel *self);
/* @query: the operation's parameters (paging is the model's), or NULL for
 * an empty list; copied. Reloads. */
void         syn_paged_model_set_query         (SynPagedModel *self,
                                                JsonObject    *query);
JsonObject  *syn_paged_model_get_query         (SynPagedModel *self);
/* From the first page again; the items shown stay until it arrives. */
void         syn_paged_model_reload            (SynPagedModel *self);
guint64      syn_paged_model_get_total         (SynPagedModel *self);
gboolean     syn_paged_model_get_loading       (SynPagedModel *self);
const char  *syn_paged_model_get_error         (SynPagedModel *self);
guint        syn_paged_model_get_n_cached_pages (SynPagedModel *self);
/* The item at @position if its page is held and loaded, else NULL (borrowed). */
gpointer     syn_paged_model_peek_loaded       (SynPagedModel *self,
                                                guint          position);
/* The parameters that ask for page @index (from 0). */
JsonObject  *syn_paged_model_page_params       (SynPagedModel *self,
                                                guint          index);
/* Answers of calls made before this generation are to be dropped. */
guint        syn_paged_model_get_generation    (SynPagedModel *self);
GCancellable *syn_paged_model_get_cancellable  (SynPagedModel *self);

G_END_DECLS
