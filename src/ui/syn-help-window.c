/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-help-window.c: SynHelpWindow: the user guide, in the application's resources so that it is there offline
 * and in the user's language (its paragraphs are translated like any other string). */
#include "config.h"

#include "syn-help-window.h"

struct _SynHelpWindow
{
  AdwWindow  parent_instance;
};

G_DEFINE_FINAL_TYPE (SynHelpWindow, syn_help_window, ADW_TYPE_WINDOW)

static void
syn_help_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SYN_TYPE_HELP_WINDOW);

  G_OBJECT_CLASS (syn_help_window_parent_class)->dispose (object);
}

/* A window takes its first focusable widget as focus when shown, here the
 * first paragraph (selectable, to copy a command), which GTK then selects
 * whole: the guide opens as a page to read, nothing selected. */
static void
syn_help_window_show (GtkWidget *widget)
{
  GtkWidget *focus;

  GTK_WIDGET_CLASS (syn_help_window_parent_class)->show (widget);
  focus = gtk_window_get_focus (GTK_WINDOW (widget));
  if (GTK_IS_LABEL (focus))
    gtk_label_select_region (GTK_LABEL (focus), 0, 0);
}

static void
syn_help_window_class_init (SynHelpWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = syn_help_window_dispose;
  widget_class->show = syn_help_window_show;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/synapse_rules/Synapse/ui/syn-help-window.ui");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
syn_help_window_init (SynHelpWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
syn_help_window_new (GtkWindow *parent)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (SYN_TYPE_HELP_WINDOW, "transient-for", parent, NULL);
}
