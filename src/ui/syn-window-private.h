/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-window-private.h: shared between SynWindow and its actions (syn-window-actions.c). */
#pragma once

#include <adwaita.h>

#include "syn-as-of-banner.h"
#include "syn-sign-in-dialog.h"
#include "syn-sync-bar.h"
#include "syn-window.h"

G_BEGIN_DECLS

struct _SynWindow
{
  AdwApplicationWindow  parent_instance;

  SynSession           *session;
  GSettings            *settings;       /* NULL when the schema is not installed */
  char                 *local_db;       /* what "Work Offline" opens */
  GCancellable         *cancellable;
  SynSignInDialog      *sign_in_dialog; /* weak */
  AdwToast             *toast;          /* the one shown, weak */
  char                 *toast_text;     /* its text, without markup */
  char                 *toast_button;   /* its button's label, or NULL */
  guint                 news_seconds;   /* how long news stays; 0: until dismissed */
  gboolean              syncing_dropdown;
  gboolean              narrow;
  guint                 narrow_idle;

  GtkDropDown          *project_dropdown;
  GtkSpinner           *spinner;
  GtkLabel             *connection_label;
  AdwToastOverlay      *toast_overlay;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  AdwViewStack         *stack;
  SynExecutionPanel    *execution_panel;
  SynTimelineView      *timeline_view;
  SynAssetHistoryView  *history_view;
  SynAssetsView        *assets_view;
  SynAsOfBanner        *as_of_banner;
  SynSyncBar           *sync_bar;
};

void _syn_window_class_add_actions (GtkWidgetClass *widget_class);
void _syn_window_update_actions    (SynWindow      *self);
void _syn_window_show_message      (SynWindow      *self,
                                    const char     *text,
                                    gboolean        is_error);
void _syn_window_dismiss_message   (SynWindow      *self);

G_END_DECLS
