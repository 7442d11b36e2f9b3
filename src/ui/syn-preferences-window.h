/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-preferences-window.h: SynPreferencesWindow, the application's choices bound to its GSettings. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SYN_TYPE_PREFERENCES_WINDOW (syn_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (SynPreferencesWindow, syn_preferences_window, SYN, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWidget *syn_preferences_window_new (GtkWindow *parent,
                                       GSettings *settings);

G_END_DECLS
