/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-window-private.h: shared between SynWindow and its actions (syn-window-actions.c). */
#pragma once

#include "syn-sign-in-dialog.h"
#include "syn-window.h"

G_BEGIN_DECLS

struct _SynWindow
{
  GtkApplicationWindow  parent_instance;

  SynSession           *session;
  GSettings            *settings;       /* NULL when the schema is not installed */
  char                 *local_db;       /* what "Work Offline" opens */
  GCancellable         *cancellable;
  SynSignInDialog      *sign_in_dialog; /* weak */
  guint                 banner_timeout;
  gboolean              syncing_dropdown;
  gboolean              narrow;
  guint                 narrow_idle;

  GtkDropDown          *project_dropdown;
  GtkSpinner           *spinner;
  GtkLabel             *connection_label;
  GtkWidget            *header_switcher;
  GtkWidget            *switcher_bar;
  GtkRevealer          *banner_revealer;
  GtkWidget            *banner;
  GtkImage             *banner_icon;
  GtkLabel             *banner_label;
  GtkButton            *banner_action;
  GtkStack             *stack;
  SynExecutionPanel    *execution_panel;
  SynTimelineView      *timeline_view;
  SynAssetHistoryView  *history_view;
  SynAssetsView        *assets_view;
};

void _syn_window_class_add_actions (GtkWidgetClass *widget_class);
void _syn_window_update_actions    (SynWindow      *self);
void _syn_window_show_message      (SynWindow      *self,
                                    const char     *text,
                                    gboolean        is_error);

G_END_DECLS
