/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-application.c: SynApplication: command-line options (--connect, --db), one main window,
 * keyboard shortcuts, the About dialog, style sheet and settings. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "store/syn-sqlite-store.h"
#include "syn-application.h"
#include "syn-help-window.h"
#include "syn-preferences-window.h"

/* 8 MiB: the covering indexes of a page of the timeline and its counts */
#define SYN_DESKTOP_CACHE_KIB 8192

struct _SynApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (SynApplication, syn_application, ADW_TYPE_APPLICATION)

static const GOptionEntry options[] = {
  { "connect", 'c', 0, G_OPTION_ARG_STRING, NULL, N_("Open the window on a team server (sign-in follows)"), N_("URL") },
  { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("The local database (default: synapse.db in your data directory)"), N_("FILE") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { NULL }
};

static const struct {
  const char *action;
  const char *accels[3];
} accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "app.help", { "F1", NULL } },
  { "win.execute", { "<Control>Return", "F5", NULL } },
  { "win.cancel-execution", { "<Shift>F5", "<Control>period", NULL } },
  { "win.find", { "<Control>f", NULL } },
  { "win.refresh", { "<Control>r", NULL } },
  { "win.new-project", { "<Control>n", NULL } },
  { "win.import-csv", { "<Control>o", NULL } },
  { "win.show-view('execution')", { "<Alt>1", NULL } },
  { "win.show-view('timeline')", { "<Alt>2", NULL } },
  { "win.show-view('history')", { "<Alt>3", NULL } },
  { "win.show-view('assets')", { "<Alt>4", NULL } },
  { "window.close", { "<Control>w", NULL } },
};

/* ------------------------------------------------------------------------- */
/* Windows                                                                   */

static SynWindow *
main_window (SynApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (SYN_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

/* The window on the local database (@db_uri, or the default one), or, with
 * @connect_url, on that server once signed in. */
SynWindow *
syn_application_open_window (SynApplication *self, const char *db_uri, const char *connect_url)
{
  g_autoptr(GError) error = NULL;
  SynWindow *window;

  g_return_val_if_fail (SYN_IS_APPLICATION (self), NULL);

  window = syn_window_new (GTK_APPLICATION (self), self->settings);
  gtk_window_present (GTK_WINDOW (window));
  if (connect_url != NULL)
    syn_window_sign_in (window, connect_url);
  else if (!syn_window_open_local (window, db_uri, &error))
    syn_session_report_error (syn_window_get_session (window), _("Could not open the local database"), error);
  return window;
}

static void
syn_application_activate (GApplication *app)
{
  SynApplication *self = SYN_APPLICATION (app);
  SynWindow *window = main_window (self);

  if (window != NULL)
    gtk_window_present (GTK_WINDOW (window));
  else
    syn_application_open_window (self, NULL, NULL);
}

static int
syn_application_command_line (GApplication *app, GApplicationCommandLine *command_line)
{
  SynApplication *self = SYN_APPLICATION (app);
  GVariantDict *dict = g_application_command_line_get_options_dict (command_line);
  g_autofree char *connect = NULL;
  g_autofree char *db = NULL;
  g_autofree char *db_path = NULL;
  SynWindow *window = main_window (self);

  g_variant_dict_lookup (dict, "connect", "s", &connect);
  g_variant_dict_lookup (dict, "db", "^ay", &db);
  /* a relative --db is relative to where synapse was started, not to the
   * primary instance; a postgresql:// URI is taken as it is */
  if (db != NULL && strstr (db, "://") == NULL)
    {
      g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (command_line, db);

      db_path = g_file_get_path (file);
    }

  if (window != NULL)
    {
      gtk_window_present (GTK_WINDOW (window));
      if (connect != NULL)
        syn_window_sign_in (window, connect);
    }
  else
    syn_application_open_window (self, db_path ? db_path : db, connect);
  return 0;
}

static int
syn_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("synapse %s\n", PACKAGE_VERSION);
      return 0;
    }
  return -1;
}

/* ------------------------------------------------------------------------- */
/* Application actions                                                       */

static void
about_activated (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  GtkApplication *app = data;
  static const char *developers[] = { "The Synapse developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "modal", TRUE,
                        "application-name", "Synapse",
                        "application-icon", APPLICATION_ID,
                        "developer-name", _("The Synapse developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Complete engineering asset lists with rules, trace every change and roll back batches."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        "translator-credits", _("translator-credits"),
                        "copyright", "© 2026 The Synapse developers",
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_activated (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  SynApplication *self = data;

  gtk_window_present (GTK_WINDOW (syn_preferences_window_new (gtk_application_get_active_window (GTK_APPLICATION (self)),
                                                              self->settings)));
}

static void
help_activated (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  GtkApplication *app = data;

  gtk_window_present (GTK_WINDOW (syn_help_window_new (gtk_application_get_active_window (app))));
}

static void
quit_activated (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  GApplication *app = data;

  /* closing the windows saves their state */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; )
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }
  g_application_quit (app);
}

static const GActionEntry app_actions[] = {
  { "about", about_activated, NULL, NULL, NULL, { 0 } },
  { "preferences", preferences_activated, NULL, NULL, NULL, { 0 } },
  { "help", help_activated, NULL, NULL, NULL, { 0 } },
  { "quit", quit_activated, NULL, NULL, NULL, { 0 } },
};

/* The style chosen in the preferences; "follow" lets libadwaita take the desktop's. */
static void
apply_style (SynApplication *self)
{
  static const AdwColorScheme schemes[] = { ADW_COLOR_SCHEME_DEFAULT, ADW_COLOR_SCHEME_FORCE_LIGHT,
                                            ADW_COLOR_SCHEME_FORCE_DARK };
  int style = g_settings_get_enum (self->settings, "style");

  adw_style_manager_set_color_scheme (adw_application_get_style_manager (ADW_APPLICATION (self)),
                                      style >= 0 && style < (int) G_N_ELEMENTS (schemes) ? schemes[style]
                                                                                        : ADW_COLOR_SCHEME_DEFAULT);
}

static void
syn_application_startup (GApplication *app)
{
  SynApplication *self = SYN_APPLICATION (app);
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  G_APPLICATION_CLASS (syn_application_parent_class)->startup (app);
  /* a connection per worker thread, each with its page cache: a desktop's
   * reads keep small ones (runs take the big one for their writes) */
  syn_sqlite_store_set_default_cache_size (SYN_DESKTOP_CACHE_KIB);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action, accels[i].accels);

  /* style.css under the resource base path is AdwApplication's to load */
  /* without an installed schema (a build directory), nothing is remembered */
  schema = source ? g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE) : NULL;
  if (schema != NULL)
    {
      self->settings = g_settings_new (APPLICATION_ID);
      g_signal_connect_object (self->settings, "changed::style", G_CALLBACK (apply_style), self, G_CONNECT_SWAPPED);
      apply_style (self);
    }
  else
    g_debug ("GSettings schema %s not installed: window state and choices are not remembered", APPLICATION_ID);
  gtk_window_set_default_icon_name (APPLICATION_ID);
}

static void
syn_application_dispose (GObject *object)
{
  SynApplication *self = SYN_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (syn_application_parent_class)->dispose (object);
}

static void
syn_application_class_init (SynApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = syn_application_dispose;
  app_class->startup = syn_application_startup;
  app_class->activate = syn_application_activate;
  app_class->command_line = syn_application_command_line;
  app_class->handle_local_options = syn_application_handle_local_options;
}

static void
syn_application_init (SynApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), NULL);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Without options, the window opens on the local database."));
  g_application_set_option_context_description (G_APPLICATION (self),
                                                _("Command-line use without a display: synapse help"));
}

/* @flags: added to the defaults; tests pass G_APPLICATION_NON_UNIQUE. */
SynApplication *
syn_application_new (GApplicationFlags flags)
{
  return g_object_new (SYN_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE | flags,
                       "resource-base-path", "/io/github/synapse_rules/Synapse",
                       NULL);
}

GSettings *
syn_application_get_settings (SynApplication *self)
{
  g_return_val_if_fail (SYN_IS_APPLICATION (self), NULL);
  return self->settings;
}

/* The GUI of the synapse binary (main.c calls it when no subcommand is given). */
int
syn_application_run_main (int argc, char **argv)
{
  g_autoptr(SynApplication) app = NULL;

  /* the catalog is bound by main(), which knows where it is */
  textdomain (GETTEXT_PACKAGE);
  g_set_application_name ("Synapse");

  app = syn_application_new (G_APPLICATION_DEFAULT_FLAGS);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
