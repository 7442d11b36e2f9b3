/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-ui-widget.h: what the GUI's template widgets share: their disposal and the session they show. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Disposes @widget's template (of @type) and unparents its unnamed children too. */
void        syn_ui_dispose_template     (GtkWidget *widget,
                                         GType      type);
/* "session": the SynSession a view shows (read-write, explicit notify). */
GParamSpec *syn_ui_session_param_spec   (void);
/* "busy": the view is loading (read-only). */
GParamSpec *syn_ui_busy_param_spec      (void);

/* Cancels @cancellable and drops @window's transient parent once it is destroyed. */
void        syn_ui_dialog_release_on_destroy (GtkWindow    *window,
                                              GCancellable *cancellable);

G_END_DECLS
