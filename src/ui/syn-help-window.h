/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-help-window.h: SynHelpWindow, the short user guide shipped inside the application (F1). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SYN_TYPE_HELP_WINDOW (syn_help_window_get_type ())

G_DECLARE_FINAL_TYPE (SynHelpWindow, syn_help_window, SYN, HELP_WINDOW, AdwWindow)

GtkWidget *syn_help_window_new (GtkWindow *parent);

G_END_DECLS
