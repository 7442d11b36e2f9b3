/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-ui-widget.c: what the GUI's template widgets share: their disposal and the session they show. */
#include "config.h"

#include "syn-session.h"
#include "syn-ui-widget.h"

void
syn_ui_dispose_template (GtkWidget *widget, GType type)
{
  GtkWidget *child;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  gtk_widget_dispose_template (widget, type);
  /* the template's unnamed children too */
  while ((child = gtk_widget_get_first_child (widget)) != NULL)
    gtk_widget_unparent (child);
}

GParamSpec *
syn_ui_session_param_spec (void)
{
  return g_param_spec_object ("session", NULL, NULL, SYN_TYPE_SESSION,
                              G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

GParamSpec *
syn_ui_busy_param_spec (void)
{
  return g_param_spec_boolean ("busy", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static void
on_dialog_unrealize (GtkWindow *window, GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
  gtk_window_set_transient_for (window, NULL);
}

static void
cancellable_closure_free (gpointer data, GClosure *closure)
{
  g_object_unref (data);
}

/* A dialog's calls may hold it past its window's end (a call under way
 * when the window closes): once it is destroyed, they are cancelled and it
 * no longer points at its parent, which may be finalized before it. */
void
syn_ui_dialog_release_on_destroy (GtkWindow *window, GCancellable *cancellable)
{
  g_return_if_fail (GTK_IS_WINDOW (window));
  g_return_if_fail (G_IS_CANCELLABLE (cancellable));

  g_signal_connect_data (window, "unrealize", G_CALLBACK (on_dialog_unrealize), g_object_ref (cancellable),
                         cancellable_closure_free, 0);
}
