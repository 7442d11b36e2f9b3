/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-window.h: SynWindow, the main window: one session, three views. */
#pragma once

#include <adwaita.h>

#include "syn-asset-history-view.h"
#include "syn-assets-view.h"
#include "syn-execution-panel.h"
#include "syn-session.h"
#include "syn-timeline-view.h"

G_BEGIN_DECLS

#define SYN_TYPE_WINDOW (syn_window_get_type ())

G_DECLARE_FINAL_TYPE (SynWindow, syn_window, SYN, WINDOW, AdwApplicationWindow)

SynWindow           *syn_window_new                  (GtkApplication *application,
                                                      GSettings      *settings);
SynSession          *syn_window_get_session          (SynWindow      *self);
gboolean             syn_window_open_local           (SynWindow      *self,
                                                      const char     *db_uri,
                                                      GError        **error);
void                 syn_window_sign_in              (SynWindow      *self,
                                                      const char     *url);
void                 syn_window_show_view            (SynWindow      *self,
                                                      const char     *name);
const char          *syn_window_get_view             (SynWindow      *self);
SynExecutionPanel   *syn_window_get_execution_panel  (SynWindow      *self);
SynTimelineView     *syn_window_get_timeline_view    (SynWindow      *self);
SynAssetHistoryView *syn_window_get_history_view     (SynWindow      *self);
SynAssetsView       *syn_window_get_assets_view      (SynWindow      *self);
const char          *syn_window_get_banner           (SynWindow      *self);
void                 syn_window_set_news_timeout     (SynWindow      *self,
                                                      guint           seconds);
const char          *syn_window_get_banner_action    (SynWindow      *self);
gboolean             syn_window_activate_banner_action (SynWindow    *self);
gboolean             syn_window_get_narrow           (SynWindow      *self);
void                 syn_window_import_file          (SynWindow      *self,
                                                      GFile          *file);

G_END_DECLS
