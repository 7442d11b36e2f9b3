/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-assets-view.h: SynAssetsView, the Assets and Cables view: a sortable, filterable grid of a project's
 * assets or its cable schedule, with the hierarchy of the selection. */
#pragma once

#include <gtk/gtk.h>

#include "syn-grid-model.h"
#include "syn-session.h"

G_BEGIN_DECLS

#define SYN_TYPE_ASSETS_VIEW (syn_assets_view_get_type ())

G_DECLARE_FINAL_TYPE (SynAssetsView, syn_assets_view, SYN, ASSETS_VIEW, GtkWidget)

SynSession    *syn_assets_view_get_session    (SynAssetsView *self);
void           syn_assets_view_set_session    (SynAssetsView *self,
                                               SynSession    *session);
SynGridModel  *syn_assets_view_get_model      (SynAssetsView *self);
GtkColumnView *syn_assets_view_get_grid       (SynAssetsView *self);
GtkSelectionModel *syn_assets_view_get_selection (SynAssetsView *self);
/* The hierarchy of the selection: a GtkTreeListModel of SynJsonItems. */
GListModel    *syn_assets_view_get_hierarchy  (SynAssetsView *self);
gboolean       syn_assets_view_get_cables     (SynAssetsView *self);
void           syn_assets_view_set_cables     (SynAssetsView *self,
                                               gboolean       cables);
/* The filters as typed, applied now rather than after the typing pause. */
void           syn_assets_view_apply_filters  (SynAssetsView *self);
/* The grid's sort column key and direction (NULL: by tag). */
const char    *syn_assets_view_get_sort       (SynAssetsView *self,
                                               gboolean      *descending);
/* Writes the list ("list" or "json") or the selection ("selection") to
 * @file, as the Export menu does once a file is chosen. */
void           syn_assets_view_export_to_file (SynAssetsView *self,
                                               const char    *what,
                                               GFile         *file);
gboolean       syn_assets_view_get_busy       (SynAssetsView *self);
void           syn_assets_view_focus_search   (SynAssetsView *self);
void           syn_assets_view_set_narrow     (SynAssetsView *self,
                                               gboolean       narrow);

G_END_DECLS
