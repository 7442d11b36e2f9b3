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
