/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-window-actions.c: the window's actions (win.*): execute and cancel, find, switch views,
 * connect and work offline, new project, import CSV, export the timeline, demo, refresh. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "backend/syn-remote-backend.h"
#include "core/syn-json.h"
#include "syn-batch-undo.h"
#include "syn-export-chooser.h"
#include "syn-import-dialog.h"
#include "syn-new-project-dialog.h"
#include "syn-rules-dialog.h"
#include "syn-window-private.h"

void
_syn_window_update_actions (SynWindow *self)
{
  gboolean has_backend = syn_session_get_backend (self->session) != NULL;
  gboolean has_project = syn_session_get_project_id (self->session) != NULL;
  gboolean remote = syn_session_get_remote (self->session);
  gboolean as_of = syn_session_get_as_of (self->session) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-project", has_backend);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import-csv", has_project && !as_of);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-timeline", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.create-demo", has_backend);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.refresh", has_backend);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.work-offline", remote || !has_backend);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.work-offline-copy", remote && has_project);
  /* a past moment is read-only: nothing that writes to the project */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.execute", !as_of);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.rules", !as_of);
}

static void
execute_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynWindow *self = SYN_WINDOW (widget);

  syn_window_show_view (self, "execution");
  gtk_widget_activate_action (GTK_WIDGET (self->execution_panel), "panel.execute", NULL);
}

static void
cancel_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynWindow *self = SYN_WINDOW (widget);

  gtk_widget_activate_action (GTK_WIDGET (self->execution_panel), "panel.cancel", NULL);
}

static void
find_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynWindow *self = SYN_WINDOW (widget);
  const char *view = syn_window_get_view (self);

  if (g_strcmp0 (view, "timeline") == 0)
    syn_timeline_view_focus_search (self->timeline_view);
  else if (g_strcmp0 (view, "history") == 0)
    syn_asset_history_view_focus_search (self->history_view);
  else if (g_strcmp0 (view, "assets") == 0)
    syn_assets_view_focus_search (self->assets_view);
  else
    syn_execution_panel_focus_search (self->execution_panel);
}

static void
show_view_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  syn_window_show_view (SYN_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
dismiss_banner_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  _syn_window_dismiss_message (SYN_WINDOW (widget));
}

/* The banner's Undo after a rollback: redo the rollback's batch. */
static void
redo_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynWindow *self = SYN_WINDOW (widget);
  const char *correlation_id = g_variant_get_string (parameter, NULL);

  if (!syn_uuid_is_valid (correlation_id))
    return;
  syn_session_redo (self->session, correlation_id);
}

/* An edit's Undo (syn_batch_undo_offer()): roll its batch back. */
static void
undo_batch_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynWindow *self = SYN_WINDOW (widget);
  const char *correlation_id = g_variant_get_string (parameter, NULL);

  if (!syn_uuid_is_valid (correlation_id))
    return;
  syn_batch_undo (self->session, correlation_id);
}

/* The rules of the project and the library, with their switches and editor. */
static void
rules_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynWindow *self = SYN_WINDOW (widget);

  if (syn_session_get_project_id (self->session) != NULL)
    gtk_window_present (GTK_WINDOW (syn_rules_dialog_new (GTK_WINDOW (self), self->session)));
}

static void
refresh_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynWindow *self = SYN_WINDOW (widget);

  syn_session_load_projects (self->session, syn_session_get_project_id (self->session), FALSE);
  syn_session_data_changed (self->session);
}

static void
new_project_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynWindow *self = SYN_WINDOW (widget);

  gtk_window_present (GTK_WINDOW (syn_new_project_dialog_new (GTK_WINDOW (self), self->session)));
}

/* ------------------------------------------------------------------------- */
/* Demo                                                                      */

static void
demo_created (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SynWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  JsonObject *project;

  if (answer == NULL)
    {
      syn_session_report_error (self->session, _("Could not create the demo project"), error);
      return;
    }
  project = json_object_get_object_member (json_node_get_object (answer), "project");
  syn_session_load_projects (self->session, syn_json_get_string (project, "id"), FALSE);
}

static void
create_demo_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynWindow *self = SYN_WINDOW (widget);
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d %H:%M:%S");
  /* Translators: name of a new demo project, with the date and time */
  g_autofree char *name = g_strdup_printf (_("Gold Mine Demo %s"), stamp);

  json_object_set_string_member (params, "name", name);
  syn_backend_call_async (syn_session_get_backend (self->session), SYN_OP_CREATE_DEMO, params, self->cancellable,
                          demo_created, g_object_ref (self));
}

/* ------------------------------------------------------------------------- */
/* Import CSV                                                                */

/* What an import did, for the banner: the counts, then its first problems. */
static void
on_import_done (SynImportDialog *dialog, JsonNode *answer, SynWindow *self)
{
  JsonObject *o = json_node_get_object (answer);
  JsonArray *errors = json_object_get_array_member (o, "errors");
  g_autoptr(GString) text = g_string_new (NULL);

  {
    int skipped = (int) json_object_get_int_member_with_default (o, "skipped", 0);
    g_autofree char *rows = NULL;

    if (g_strcmp0 (syn_json_get_string (o, "mode"), "revision") == 0)
      {
        rows = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d row skipped", "%d rows skipped", skipped), skipped);
        /* Translators: the result of the import of a revised asset list; the last %s is "2 rows skipped" */
        g_string_printf (text, _("Revision imported: %d created, %d updated, %d unchanged, %d missing (%d deleted), "
                                 "%s."),
                         (int) json_object_get_int_member_with_default (o, "created", 0),
                         (int) json_object_get_int_member_with_default (o, "updated", 0),
                         (int) json_object_get_int_member_with_default (o, "unchanged", 0),
                         (int) json_object_get_int_member_with_default (o, "missing", 0),
                         (int) json_object_get_int_member_with_default (o, "deleted", 0), rows);
      }
    else
      {
        int imported = (int) json_object_get_int_member_with_default (o, "imported", 0);
        g_autofree char *assets = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d asset", "%d assets", imported),
                                                   imported);

        rows = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d row", "%d rows", skipped), skipped);
        /* Translators: the result of a CSV import: "12 assets", "1 row" */
        g_string_printf (text, _("Imported %s, skipped %s."), assets, rows);
      }
  }
  for (guint i = 0; errors && i < json_array_get_length (errors) && i < 5; i++)
    {
      JsonObject *e = json_array_get_object_element (errors, i);

      /* Translators: one problem of a CSV file: its line, then what is wrong */
      g_string_append_printf (text, _("\nLine %d: %s"), (int) json_object_get_int_member_with_default (e, "line", 0),
                              syn_json_get_string (e, "message"));
    }
  _syn_window_show_message (self, text->str, errors != NULL && json_array_get_length (errors) > 0);
  syn_session_data_changed (self->session);
}

typedef struct
{
  SynWindow *self;
  char      *name;
} Load;

static void
csv_loaded (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Load *load = user_data;
  g_autoptr(SynWindow) self = load->self;
  g_autofree char *name = load->name;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  SynImportDialog *dialog;
  gsize length;

  g_free (load);
  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, &length, NULL, &error))
    {
      syn_session_report_error (self->session, _("Could not read the file"), error);
      return;
    }
  /* the text travels as a JSON string, which would end at a NUL */
  if (!g_utf8_validate (contents, (gssize) length, NULL) || memchr (contents, '\0', length) != NULL)
    {
      syn_session_report_error (self->session, _("The file is not UTF-8 text"), NULL);
      return;
    }
  if (syn_session_get_project_id (self->session) == NULL)
    return;
  dialog = syn_import_dialog_new (GTK_WINDOW (self), self->session, name, contents);
  g_signal_connect_object (dialog, "imported", G_CALLBACK (on_import_done), self, 0);
}

/* Reads @file, then asks how to import it (new assets or a revised list),
 * previewing a revision before anything is written. */
void
syn_window_import_file (SynWindow *self, GFile *file)
{
  Load *load;

  g_return_if_fail (SYN_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  load = g_new0 (Load, 1);
  load->self = g_object_ref (self);
  load->name = g_file_get_basename (file);
  g_file_load_contents_async (file, self->cancellable, csv_loaded, load);
}

static void
on_import_response (GtkNativeDialog *chooser, int response, SynWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      syn_window_import_file (self, file);
    }
  g_object_unref (chooser);
}

static void
import_csv_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynWindow *self = SYN_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  /* the native chooser goes through the portal in a sandbox: no file access needed */
  chooser = gtk_file_chooser_native_new (_("Import an Asset List"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Import"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_import_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ------------------------------------------------------------------------- */
/* Export the timeline                                                       */

static void
timeline_exported (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SynWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint rows = 0;

  if (!syn_export_to_file_finish (result, &rows, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        syn_session_report_error (self->session, _("Could not export the timeline"), error);
      return;
    }
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %u event.", "Exported %u events.", rows), rows);
  _syn_window_show_message (self, text, FALSE);
}

/* The timeline with the filters the Timeline view shows. */
static void
on_timeline_file (GFile *file, gpointer data)
{
  SynWindow *self = data;
  JsonObject *query = syn_timeline_model_get_query (syn_timeline_view_get_model (self->timeline_view));
  g_autoptr(JsonObject) params = query ? syn_json_object_copy (query) : json_object_new ();

  if (!json_object_has_member (params, "project_id"))
    json_object_set_string_member (params, "project_id", syn_session_get_project_id (self->session));
  json_object_set_string_member (params, "kind", "timeline");
  json_object_set_string_member (params, "format", "csv");
  syn_export_to_file_async (syn_session_get_backend (self->session), params, file, self->cancellable,
                            timeline_exported, g_object_ref (self));
}

static void
export_timeline_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynWindow *self = SYN_WINDOW (widget);
  SynProject *project = syn_session_get_project (self->session);
  g_autofree char *name = NULL;

  if (project == NULL)
    return;
  /* Translators: the file name the timeline export suggests */
  name = g_strdup_printf (_("%s-timeline.csv"), project->name);
  g_strdelimit (name, "/\\:", '_');
  syn_export_chooser_run (GTK_WINDOW (self), _("Export the Timeline"), name, "csv", on_timeline_file,
                          g_object_ref (self), g_object_unref);
}

/* ------------------------------------------------------------------------- */
/* Connect and work offline                                                  */

typedef struct
{
  SynWindow *self;
  char      *url;
  char      *username;
} Connect;

static void
connected (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Connect *c = user_data;
  SynWindow *self = c->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  g_autoptr(SynBackend) backend = SYN_BACKEND (g_object_ref (object));

  if (!syn_remote_backend_login_finish (SYN_REMOTE_BACKEND (object), result, &error))
    {
      if (g_error_matches (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_UNAUTHORIZED))
        {
          g_clear_error (&error);
          g_set_error_literal (&error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_UNAUTHORIZED,
                               _("Wrong user name or password"));
        }
      g_clear_object (&backend);
    }
  else
    /* Translators: the connection state: a server URL and a user name */
    label = g_strdup_printf (_("%s — %s"), syn_remote_backend_get_url (SYN_REMOTE_BACKEND (object)),
                             syn_remote_backend_get_username (SYN_REMOTE_BACKEND (object)));

  if (backend == NULL)
    {
      if (self->sign_in_dialog != NULL)
        {
          syn_sign_in_dialog_set_busy (self->sign_in_dialog, FALSE);
          syn_sign_in_dialog_set_error (self->sign_in_dialog, error->message);
        }
      else
        syn_session_report_error (self->session, _("Could not connect"), error);
    }
  else
    {
      if (self->settings != NULL)
        {
          g_settings_set_string (self->settings, "last-server-url", c->url);
          g_settings_set_string (self->settings, "last-username", c->username);
        }
      syn_session_set_backend (self->session, backend, TRUE, label);
      syn_session_load_projects (self->session, NULL, FALSE);
      if (self->sign_in_dialog != NULL)
        {
          /* focus out first: a focused text field warns when destroyed */
          gtk_window_set_focus (GTK_WINDOW (self->sign_in_dialog), NULL);
          gtk_window_destroy (GTK_WINDOW (self->sign_in_dialog));
        }
    }
  g_object_unref (c->self);
  g_free (c->url);
  g_free (c->username);
  g_free (c);
}

static void
on_sign_in (SynSignInDialog *dialog, const char *url, const char *username, const char *password, SynWindow *self)
{
  g_autoptr(SynRemoteBackend) remote = NULL;
  g_autoptr(GError) error = NULL;
  Connect *c;

  remote = syn_remote_backend_new (url, &error);
  if (remote == NULL)
    {
      syn_sign_in_dialog_set_error (dialog, error->message);
      return;
    }
  c = g_new0 (Connect, 1);
  c->self = g_object_ref (self);
  c->url = g_strdup (url);
  c->username = g_strdup (username);
  syn_sign_in_dialog_set_busy (dialog, TRUE);
  syn_remote_backend_login_async (remote, username, password, self->cancellable, connected, c);
}

/* Opens the sign-in dialog, filled with @url or the last server used. */
void
syn_window_sign_in (SynWindow *self, const char *url)
{
  g_autofree char *last_url = NULL;
  g_autofree char *last_user = NULL;

  g_return_if_fail (SYN_IS_WINDOW (self));

  if (self->sign_in_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->sign_in_dialog));
      return;
    }
  if (self->settings != NULL)
    {
      last_url = g_settings_get_string (self->settings, "last-server-url");
      last_user = g_settings_get_string (self->settings, "last-username");
    }
  self->sign_in_dialog = syn_sign_in_dialog_new (GTK_WINDOW (self), url ? url : last_url, last_user);
  g_object_add_weak_pointer (G_OBJECT (self->sign_in_dialog), (gpointer *) &self->sign_in_dialog);
  g_signal_connect (self->sign_in_dialog, "sign-in", G_CALLBACK (on_sign_in), self);
  gtk_window_present (GTK_WINDOW (self->sign_in_dialog));
}

static void
connect_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  syn_window_sign_in (SYN_WINDOW (widget), NULL);
}

static void
work_offline_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynWindow *self = SYN_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!syn_window_open_local (self, self->local_db, &error))
    syn_session_report_error (self->session, _("Could not open the local database"), error);
}

/* A clone of the connected project to work on offline (SynSyncBar). */
static void
work_offline_copy_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  syn_sync_bar_work_offline (SYN_WINDOW (widget)->sync_bar);
}

void
_syn_window_class_add_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.execute", NULL, execute_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-execution", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "win.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "win.show-view", "s", show_view_action);
  gtk_widget_class_install_action (widget_class, "win.dismiss-banner", NULL, dismiss_banner_action);
  gtk_widget_class_install_action (widget_class, "win.redo", "s", redo_action);
  gtk_widget_class_install_action (widget_class, "win.undo-batch", "s", undo_batch_action);
  gtk_widget_class_install_action (widget_class, "win.rules", NULL, rules_action);
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.new-project", NULL, new_project_action);
  gtk_widget_class_install_action (widget_class, "win.create-demo", NULL, create_demo_action);
  gtk_widget_class_install_action (widget_class, "win.import-csv", NULL, import_csv_action);
  gtk_widget_class_install_action (widget_class, "win.export-timeline", NULL, export_timeline_action);
  gtk_widget_class_install_action (widget_class, "win.connect", NULL, connect_action);
  gtk_widget_class_install_action (widget_class, "win.work-offline", NULL, work_offline_action);
  gtk_widget_class_install_action (widget_class, "win.work-offline-copy", NULL, work_offline_copy_action);
}
