/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-asset-history-view.h: SynAssetHistoryView, the events of one asset or cable, oldest first. */
#pragma once

#include <gtk/gtk.h>

#include "syn-explain-pane.h"
#include "syn-session.h"

G_BEGIN_DECLS

#define SYN_TYPE_ASSET_HISTORY_VIEW (syn_asset_history_view_get_type ())

G_DECLARE_FINAL_TYPE (SynAssetHistoryView, syn_asset_history_view, SYN, ASSET_HISTORY_VIEW, GtkWidget)

SynSession *syn_asset_history_view_get_session  (SynAssetHistoryView *self);
void        syn_asset_history_view_set_session  (SynAssetHistoryView *self,
                                                 SynSession          *session);
void        syn_asset_history_view_show_asset   (SynAssetHistoryView *self,
                                                 const char          *asset_id,
                                                 const char          *tag);
GListModel *syn_asset_history_view_get_events   (SynAssetHistoryView *self);
GListModel *syn_asset_history_view_get_related  (SynAssetHistoryView *self);
GListModel *syn_asset_history_view_get_held     (SynAssetHistoryView *self);
const char *syn_asset_history_view_get_asset_id (SynAssetHistoryView *self);
const char *syn_asset_history_view_get_kind     (SynAssetHistoryView *self);
gboolean    syn_asset_history_view_get_deleted  (SynAssetHistoryView *self);
GListModel *syn_asset_history_view_get_others   (SynAssetHistoryView *self);
gboolean    syn_asset_history_view_get_busy     (SynAssetHistoryView *self);
void        syn_asset_history_view_focus_search (SynAssetHistoryView *self);
void        syn_asset_history_view_set_narrow   (SynAssetHistoryView *self,
                                                 gboolean             narrow);
SynExplainPane *syn_asset_history_view_get_explain_pane (SynAssetHistoryView *self);
void        syn_asset_history_view_show_page    (SynAssetHistoryView *self,
                                                 const char          *page);

G_END_DECLS
