/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-preferences-window.c: SynPreferencesWindow: style, the dry run by default, rolled-back events shown;
 * each row bound to its GSettings key, so a change is kept at once. */
#include "config.h"

#include <glib/gi18n.h>

#include "syn-preferences-window.h"

struct _SynPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  AdwComboRow          *style_row;
  GtkSwitch            *dry_run_switch;
  GtkSwitch            *rolled_back_switch;
};

G_DEFINE_FINAL_TYPE (SynPreferencesWindow, syn_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The combo's rows, in the order of the io.github.synapse_rules.Synapse.Style enum. */
static const char *const styles[] = { "follow", "light", "dark" };

static gboolean
style_get_mapping (GValue *value, GVariant *variant, gpointer data)
{
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    if (g_str_equal (nick, styles[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
style_set_mapping (const GValue *value, const GVariantType *type, gpointer data)
{
  guint i = g_value_get_uint (value);

  return i < G_N_ELEMENTS (styles) ? g_variant_new_string (styles[i]) : NULL;
}

static void
syn_preferences_window_dispose (GObject *object)
{
  SynPreferencesWindow *self = SYN_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SYN_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (syn_preferences_window_parent_class)->dispose (object);
}

static void
syn_preferences_window_class_init (SynPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = syn_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/synapse_rules/Synapse/ui/syn-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SynPreferencesWindow, style_row);
  gtk_widget_class_bind_template_child (widget_class, SynPreferencesWindow, dry_run_switch);
  gtk_widget_class_bind_template_child (widget_class, SynPreferencesWindow, rolled_back_switch);
}

static void
syn_preferences_window_init (SynPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* @settings: the application's; NULL (no installed schema) leaves the rows
 * insensitive: there is nowhere to keep a choice. */
GtkWidget *
syn_preferences_window_new (GtkWindow *parent, GSettings *settings)
{
  SynPreferencesWindow *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (SYN_TYPE_PREFERENCES_WINDOW, "transient-for", parent, "modal", parent != NULL, NULL);
  if (settings == NULL)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->style_row), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->dry_run_switch), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->rolled_back_switch), FALSE);
      return GTK_WIDGET (self);
    }
  self->settings = g_object_ref (settings);
  g_settings_bind_with_mapping (settings, "style", self->style_row, "selected", G_SETTINGS_BIND_DEFAULT,
                                style_get_mapping, style_set_mapping, NULL, NULL);
  g_settings_bind (settings, "dry-run", self->dry_run_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "include-rolled-back", self->rolled_back_switch, "active", G_SETTINGS_BIND_DEFAULT);
  return GTK_WIDGET (self);
}
