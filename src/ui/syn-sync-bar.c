/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-sync-bar.c: SynSyncBar: "Working offline on a copy of Plant", Sync (3 ahead, 5 behind), its conflicts;
 * shown while the session's project is a clone. Also Work Offline, which makes the clone.
 *
 * A sync rebuilds the clone from the server and renames the new file over
 * the old one (syn_sync_client_sync()): the session lets go of its backend
 * first, so that no connection of the window is left on the old file (a
 * SQLite connection closing there would remove the new file's journal by
 * name) and nothing is written meanwhile; the views come back on the new
 * file once the sync ends, whatever its outcome. */
#include "config.h"

#include <glib/gi18n.h>

#include "backend/syn-local-backend.h"
#include "core/syn-json.h"
#include "syn-clone-dialog.h"
#include "syn-conflict-dialog.h"
#include "syn-sync-bar.h"
#include "syn-sync-jobs.h"
#include "syn-ui-format.h"

/* How long a sync waits for the views to let go of the old backend. */
#define RELEASE_SECONDS 30

struct _SynSyncBar
{
  GtkWidget         parent_instance;

  SynSession       *session;
  SynRemoteBackend *server;         /* signed in: what Sync and "behind" ask */
  SynBackend       *opened;         /* weak: the clone's backend the bar opened */
  gboolean          opening;        /* while it opens one: the session's changes are its own */
  char             *path;           /* the clone shown, NULL: none */
  char             *project_id;
  gboolean          not_clone;      /* the session's project is known to be no clone */
  JsonObject       *status;
  GCancellable     *cancellable;    /* status reads */
  guint             generation;
  gboolean          busy;           /* syncing */
  guint             release_timeout;
  gboolean          released;

  GtkRevealer      *revealer;
  GtkWidget        *box;
  GtkLabel         *label;
  GtkWidget        *buttons;
  GtkWidget        *spinner;
  GtkWidget        *refresh_button;
  GtkWidget        *conflicts_button;
  GtkWidget        *sync_button;
  GtkLabel         *sync_label;     /* wraps: "Synchroniser (1 en avance, 5 en retard)" fits 360 pixels */
};

G_DEFINE_FINAL_TYPE (SynSyncBar, syn_sync_bar, GTK_TYPE_WIDGET)

static void refresh (SynSyncBar *self, gboolean ask_server);

static gint64
status_int (SynSyncBar *self, const char *member)
{
  return self->status ? json_object_get_int_member_with_default (self->status, member, 0) : 0;
}

static JsonArray *
conflicts_of (JsonObject *status)
{
  JsonArray *ops = status ? syn_ui_json_array (status, "operations") : NULL;
  JsonArray *out = json_array_new ();

  for (guint i = 0; ops != NULL && i < json_array_get_length (ops); i++)
    {
      JsonObject *op = json_array_get_object_element (ops, i);

      if (g_strcmp0 (syn_json_get_string (op, "status"), "conflict") == 0)
        json_array_add_object_element (out, json_object_ref (op));
    }
  return out;
}

/* "Sync (3 ahead, 5 behind)": local batches not on the server yet, the
 * server's since the copy's base. */
static char *
sync_label (gint64 ahead, gint64 behind)
{
  /* Translators: local batches not yet on the server */
  g_autofree char *a = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d ahead", "%d ahead", (gulong) ahead),
                                        (int) ahead);
  /* Translators: the server's batches the copy does not have yet */
  g_autofree char *b = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d behind", "%d behind", (gulong) behind),
                                        (int) behind);

  /* Translators: the Sync button with its counts: "Sync (3 ahead, 5 behind)" */
  return g_strdup_printf (_("Sync (%s, %s)"), a, b);
}

static char *
describe_tooltip (SynSyncBar *self)
{
  const char *url = self->status ? syn_json_get_string (self->status, "server_url") : NULL;
  g_autofree char *seen = NULL;

  if (self->status == NULL)
    return g_strdup (self->path);
  if (json_object_get_boolean_member_with_default (self->status, "behind_asked_now", FALSE))
    /* Translators: the sync bar's tooltip: the copy's file, its server */
    return g_strdup_printf (_("%s, a copy from %s; the server's batches counted just now"), self->path,
                            url ? url : "");
  seen = syn_format_time_usec (status_int (self, "behind_seen_at"), TRUE);
  /* Translators: the sync bar's tooltip: the copy's file, its server, when the server was last asked */
  return g_strdup_printf (_("%s, a copy from %s; the server's batches as last seen on %s"), self->path,
                          url ? url : "", seen);
}

static void
update (SynSyncBar *self)
{
  gboolean shown = self->busy || (self->path != NULL && self->status != NULL);
  SynProject *project = self->session ? syn_session_get_project (self->session) : NULL;
  const char *name = project ? project->name : self->status ? syn_json_get_string (self->status, "project") : NULL;
  gint64 conflicts = status_int (self, "conflicts");
  g_autofree char *text = NULL;
  g_autofree char *button = NULL;
  g_autofree char *tooltip = NULL;

  if (self->busy)
    text = g_strdup (_("Syncing with the server: your changes go first, then the copy becomes the server's…"));
  else if (shown)
    /* Translators: the sync bar; %s is the project's name */
    text = g_strdup_printf (_("Working offline on a copy of “%s”"), name ? name : "");
  gtk_label_set_text (self->label, text ? text : "");
  tooltip = shown && !self->busy ? describe_tooltip (self) : NULL;
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->label), tooltip);

  button = self->busy ? g_strdup (_("Syncing…")) : sync_label (status_int (self, "ahead"), status_int (self, "behind"));
  gtk_label_set_text (self->sync_label, button);
  gtk_widget_set_sensitive (self->sync_button, !self->busy);
  gtk_widget_set_visible (self->spinner, self->busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), self->busy);
  gtk_widget_set_visible (self->refresh_button, !self->busy && self->server != NULL);
  gtk_widget_set_visible (self->conflicts_button, !self->busy && conflicts > 0);
  if (conflicts > 0)
    {
      g_autofree char *c = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d Conflict…", "%d Conflicts…",
                                                         (gulong) conflicts), (int) conflicts);

      gtk_button_set_label (GTK_BUTTON (self->conflicts_button), c);
    }
  gtk_revealer_set_reveal_child (self->revealer, shown);
  /* hidden, not only unrevealed: no empty row in the window */
  gtk_widget_set_visible (GTK_WIDGET (self), shown);
}

/* ------------------------------------------------------------------------- */
/* Status                                                                    */

typedef struct
{
  SynSyncBar *self;
  guint       generation;
  gboolean    asked_server;
} StatusRead;

static void
status_read (GObject *object, GAsyncResult *result, gpointer user_data)
{
  StatusRead *read = user_data;
  g_autoptr(SynSyncBar) self = read->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_sync_job_run_finish (result, &error);
  gboolean asked_server = read->asked_server;
  guint generation = read->generation;

  g_free (read);
  if (generation != self->generation || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (answer == NULL)
    {
      /* an ordinary project: no bar */
      if (g_error_matches (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID) && !asked_server)
        {
          self->not_clone = TRUE;
          g_clear_pointer (&self->status, json_object_unref);
          update (self);
          return;
        }
      syn_session_report_error (self->session,
                                asked_server ? _("Could not ask the server how far behind the copy is")
                                             : _("Could not read the copy's sync status"), error);
      /* unreachable: the counts as last seen */
      if (asked_server)
        refresh (self, FALSE);
      return;
    }
  g_clear_pointer (&self->status, json_object_unref);
  self->status = json_object_ref (json_node_get_object (answer));
  update (self);
}

static void
refresh (SynSyncBar *self, gboolean ask_server)
{
  StatusRead *read;
  SynSyncJobRequest request = { .kind = SYN_SYNC_JOB_STATUS };

  if (self->path == NULL || self->project_id == NULL || self->busy || self->not_clone)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  read = g_new0 (StatusRead, 1);
  read->self = g_object_ref (self);
  read->generation = ++self->generation;
  read->asked_server = ask_server && self->server != NULL;
  request.server = read->asked_server ? self->server : NULL;
  request.path = self->path;
  request.project = self->project_id;
  syn_sync_job_run_async (&request, self->cancellable, status_read, read);
}

void
syn_sync_bar_refresh (SynSyncBar *self, gboolean ask_server)
{
  g_return_if_fail (SYN_IS_SYNC_BAR (self));
  refresh (self, ask_server);
}

/* The session's project: a clone's (a local database) is followed, batch
 * after batch; anything else hides the bar. */
static void
on_session_changed (SynSyncBar *self)
{
  SynBackend *backend = self->session ? syn_session_get_backend (self->session) : NULL;
  const char *project_id = self->session ? syn_session_get_project_id (self->session) : NULL;
  const char *uri = backend && SYN_IS_LOCAL_BACKEND (backend) ? syn_local_backend_get_uri (SYN_LOCAL_BACKEND (backend))
                                                              : NULL;

  if (self->busy)
    return;
  if (uri == NULL || project_id == NULL || g_str_has_prefix (uri, "postgres"))
    {
      if (backend != NULL && backend != self->opened && !self->opening)
        g_clear_object (&self->server);
      g_clear_pointer (&self->path, g_free);
      g_clear_pointer (&self->project_id, g_free);
      g_clear_pointer (&self->status, json_object_unref);
      self->generation++;
      update (self);
      return;
    }
  if (g_strcmp0 (uri, self->path) != 0 || g_strcmp0 (project_id, self->project_id) != 0)
    {
      if (backend != self->opened && !self->opening)
        g_clear_object (&self->server);
      g_free (self->path);
      self->path = g_strdup (uri);
      g_free (self->project_id);
      self->project_id = g_strdup (project_id);
      self->not_clone = FALSE;
      g_clear_pointer (&self->status, json_object_unref);
    }
  refresh (self, FALSE);
}

/* ------------------------------------------------------------------------- */
/* Opening a clone                                                           */

static gboolean
open_backend (SynSyncBar *self, const char *path, const char *project_id, GError **error)
{
  const char *user = self->server ? syn_remote_backend_get_username (self->server) : NULL;
  /* Translators: the connection state of a clone: its server's URL */
  g_autofree char *label = self->server ? g_strdup_printf (_("Offline copy — %s"),
                                                           syn_remote_backend_get_url (self->server))
                                        : g_strdup (_("Offline copy"));
  SynBackend *backend;

  /* the offline batches are the signed-in user's, as they will be on the server */
  self->opening = TRUE;
  backend = syn_session_open_local (self->session, path, SYN_STORE_OPEN_EXISTING, user ? user : g_get_user_name (),
                                    label, project_id, FALSE, error);
  self->opening = FALSE;
  if (backend == NULL)
    return FALSE;
  /* the one before may outlive it (a sync that did not wait for it) */
  if (self->opened != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->opened), (gpointer *) &self->opened);
  self->opened = backend;
  g_object_add_weak_pointer (G_OBJECT (backend), (gpointer *) &self->opened);
  return TRUE;
}

gboolean
syn_sync_bar_open_clone (SynSyncBar *self, const char *path, const char *project_id, SynRemoteBackend *server,
                         GError **error)
{
  g_return_val_if_fail (SYN_IS_SYNC_BAR (self), FALSE);
  g_return_val_if_fail (path != NULL && project_id != NULL, FALSE);
  g_return_val_if_fail (server == NULL || SYN_IS_REMOTE_BACKEND (server), FALSE);
  g_return_val_if_fail (self->session != NULL, FALSE);

  if (self->busy)
    {
      g_set_error_literal (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_BUSY, _("A sync is under way"));
      return FALSE;
    }
  g_set_object (&self->server, server);
  return open_backend (self, path, project_id, error);
}

static void
on_cloned (SynCloneDialog *dialog, const char *path, const char *project_id, SynSyncBar *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynRemoteBackend) server = g_object_steal_data (G_OBJECT (dialog), "syn-server");
  g_autofree char *text = NULL;

  if (!syn_sync_bar_open_clone (self, path, project_id, server, &error))
    {
      syn_session_report_error (self->session, _("Could not open the copy"), error);
      return;
    }
  /* Translators: after Work Offline; %s is the copy's file */
  text = g_strdup_printf (_("Working offline on a copy kept in %s. Sync sends your changes to the server."), path);
  syn_session_report_info (self->session, text);
}

void
syn_sync_bar_work_offline (SynSyncBar *self)
{
  SynBackend *backend;
  SynProject *project;
  SynCloneDialog *dialog;

  g_return_if_fail (SYN_IS_SYNC_BAR (self));

  backend = self->session ? syn_session_get_backend (self->session) : NULL;
  project = self->session ? syn_session_get_project (self->session) : NULL;
  if (backend == NULL || !SYN_IS_REMOTE_BACKEND (backend) || project == NULL)
    return;
  dialog = syn_clone_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), SYN_REMOTE_BACKEND (backend),
                                 project);
  /* the signed-in server goes with the clone, for its syncs */
  g_object_set_data_full (G_OBJECT (dialog), "syn-server", g_object_ref (backend), g_object_unref);
  g_signal_connect_object (dialog, "cloned", G_CALLBACK (on_cloned), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------------------- */
/* Sync                                                                      */

static void show_conflicts (SynSyncBar *self, const char *path, const char *project_id, JsonArray *conflicts);

static void
synced (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SynSyncBar) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) open_error = NULL;
  g_autoptr(JsonNode) answer = syn_sync_job_run_finish (result, &error);
  g_autofree char *path = g_strdup (self->path);
  g_autofree char *project_id = g_strdup (self->project_id);
  JsonObject *o = answer ? json_node_get_object (answer) : NULL;

  self->busy = FALSE;
  if (self->session == NULL)
    return;
  /* the views again, on the file the sync left (rebuilt, or as it was) */
  g_clear_pointer (&self->path, g_free);
  if (!open_backend (self, path, project_id, &open_error))
    syn_session_report_error (self->session, _("Could not open the copy again"), open_error);
  if (answer == NULL)
    {
      syn_session_report_error (self->session, _("Could not sync; what was not sent stays pending"), error);
      return;
    }
  {
    gint64 pushed = json_object_get_int_member_with_default (o, "pushed", 0);
    gint64 before = json_object_get_int_member_with_default (o, "applied_before", 0);
    JsonArray *conflicts = syn_ui_json_array (o, "conflicts");
    guint n_conflicts = conflicts ? json_array_get_length (conflicts) : 0;
    g_autofree char *sent = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d change sent", "%d changes sent",
                                                          (gulong) (pushed + before)), (int) (pushed + before));
    g_autofree char *conflicting = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u in conflict", "%u in conflict",
                                                                 n_conflicts), n_conflicts);
    /* Translators: after a sync: "2 changes sent, 1 in conflict" */
    g_autofree char *text = g_strdup_printf (_("Synced: %s, %s; the copy now equals the server."), sent, conflicting);

    syn_session_report_info (self->session, text);
    if (n_conflicts > 0)
      show_conflicts (self, path, project_id, conflicts);
  }
}

static void
start_sync (SynSyncBar *self)
{
  SynSyncJobRequest request = {
    .kind = SYN_SYNC_JOB_SYNC,
    .server = self->server,
    .path = self->path,
    .project = self->project_id,
  };

  g_clear_handle_id (&self->release_timeout, g_source_remove);
  syn_sync_job_run_async (&request, NULL, synced, g_object_ref (self));
}

/* The old backend is gone (its connections closed in its finalize, which
 * has ended when this idle runs). */
static gboolean
released_idle (gpointer data)
{
  SynSyncBar *self = data;

  if (self->busy && !self->released)
    {
      self->released = TRUE;
      start_sync (self);
    }
  return G_SOURCE_REMOVE;
}

/* @data: a reference to the bar, handed to the idle */
static void
on_backend_released (gpointer data, GObject *where_the_object_was)
{
  g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, released_idle, data, g_object_unref);
}

/* Something (a view's call on its way) still holds the backend: sync
 * anyway rather than never. */
static gboolean
release_timed_out (gpointer data)
{
  SynSyncBar *self = data;

  self->release_timeout = 0;
  g_warning ("The clone's backend is still held after %d s: syncing anyway", RELEASE_SECONDS);
  released_idle (self);
  return G_SOURCE_REMOVE;
}

static void
sync_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynSyncBar *self = SYN_SYNC_BAR (widget);
  SynBackend *backend = self->session ? syn_session_get_backend (self->session) : NULL;

  if (self->busy || self->path == NULL || self->status == NULL || backend == NULL)
    return;
  if (self->server == NULL)
    {
      /* Translators: Sync on a copy opened without signing in; the server, then the command that syncs it */
      g_autofree char *text = g_strdup_printf (_("Not signed in to %s in this window: sync the copy with "
                                                 "“synapse sync --project %s --db %s”"),
                                               syn_json_get_string (self->status, "server_url"), self->project_id,
                                               self->path);

      syn_session_report_error (self->session, text, NULL);
      return;
    }
  if (SYN_IS_LOCAL_BACKEND (backend) &&
      syn_local_backend_count_running_executions (SYN_LOCAL_BACKEND (backend)) > 0)
    {
      syn_session_report_error (self->session, _("A run of the rules is under way: sync once it has ended"), NULL);
      return;
    }
  self->busy = TRUE;
  self->released = FALSE;
  g_cancellable_cancel (self->cancellable);
  self->generation++;
  update (self);
  g_object_weak_ref (G_OBJECT (backend), on_backend_released, g_object_ref (self));
  self->release_timeout = g_timeout_add_seconds (RELEASE_SECONDS, release_timed_out, self);
  syn_session_set_backend (self->session, NULL, FALSE, _("Syncing…"));
}

/* ------------------------------------------------------------------------- */
/* Conflicts                                                                 */

static void
on_resolved (SynConflictDialog *dialog, gint64 op_id, const char *choice, SynSyncBar *self)
{
  if (g_strcmp0 (choice, "mine") == 0)
    syn_session_report_info (self->session, _("Your change is kept: the next sync applies it over the server's."));
  else
    syn_session_report_info (self->session, _("Your change is dropped: the server's values stay."));
  refresh (self, FALSE);
}

/* @path, @project_id: the clone's (the bar's may be on their way back after a sync) */
static void
show_conflicts (SynSyncBar *self, const char *path, const char *project_id, JsonArray *conflicts)
{
  SynConflictDialog *dialog;

  if (path == NULL || project_id == NULL || json_array_get_length (conflicts) == 0)
    return;
  dialog = syn_conflict_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), path, project_id,
                                    conflicts);
  g_signal_connect_object (dialog, "resolved", G_CALLBACK (on_resolved), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
conflicts_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynSyncBar *self = SYN_SYNC_BAR (widget);
  g_autoptr(JsonArray) conflicts = conflicts_of (self->status);

  show_conflicts (self, self->path, self->project_id, conflicts);
}

static void
refresh_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  refresh (SYN_SYNC_BAR (widget), TRUE);
}

/* ------------------------------------------------------------------------- */

void
syn_sync_bar_set_session (SynSyncBar *self, SynSession *session)
{
  g_return_if_fail (SYN_IS_SYNC_BAR (self));
  g_return_if_fail (session == NULL || SYN_IS_SESSION (session));

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    {
      g_signal_connect_swapped (session, "notify::backend", G_CALLBACK (on_session_changed), self);
      g_signal_connect_swapped (session, "notify::project", G_CALLBACK (on_session_changed), self);
      g_signal_connect_swapped (session, "notify::revision", G_CALLBACK (on_session_changed), self);
    }
  on_session_changed (self);
}

/* Narrow, the buttons go under the sentence. */
void
syn_sync_bar_set_narrow (SynSyncBar *self, gboolean narrow)
{
  g_return_if_fail (SYN_IS_SYNC_BAR (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->box),
                                  narrow ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
  gtk_widget_set_halign (self->buttons, narrow ? GTK_ALIGN_END : GTK_ALIGN_FILL);
}

gboolean
syn_sync_bar_get_shown (SynSyncBar *self)
{
  g_return_val_if_fail (SYN_IS_SYNC_BAR (self), FALSE);
  return gtk_revealer_get_reveal_child (self->revealer);
}

gboolean
syn_sync_bar_get_busy (SynSyncBar *self)
{
  g_return_val_if_fail (SYN_IS_SYNC_BAR (self), FALSE);
  return self->busy;
}

JsonObject *
syn_sync_bar_get_status (SynSyncBar *self)
{
  g_return_val_if_fail (SYN_IS_SYNC_BAR (self), NULL);
  return self->status;
}

const char *
syn_sync_bar_get_text (SynSyncBar *self)
{
  g_return_val_if_fail (SYN_IS_SYNC_BAR (self), NULL);
  return gtk_label_get_text (self->label);
}

const char *
syn_sync_bar_get_sync_label (SynSyncBar *self)
{
  g_return_val_if_fail (SYN_IS_SYNC_BAR (self), NULL);
  return gtk_label_get_text (self->sync_label);
}

const char *
syn_sync_bar_get_path (SynSyncBar *self)
{
  g_return_val_if_fail (SYN_IS_SYNC_BAR (self), NULL);
  return self->status != NULL ? self->path : NULL;
}

static void
syn_sync_bar_dispose (GObject *object)
{
  SynSyncBar *self = SYN_SYNC_BAR (object);
  GtkWidget *child;

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_handle_id (&self->release_timeout, g_source_remove);
  if (self->opened != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->opened), (gpointer *) &self->opened);
  self->opened = NULL;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->server);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (syn_sync_bar_parent_class)->dispose (object);
}

static void
syn_sync_bar_finalize (GObject *object)
{
  SynSyncBar *self = SYN_SYNC_BAR (object);

  g_clear_pointer (&self->status, json_object_unref);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->project_id, g_free);
  G_OBJECT_CLASS (syn_sync_bar_parent_class)->finalize (object);
}

static void
syn_sync_bar_class_init (SynSyncBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = syn_sync_bar_dispose;
  object_class->finalize = syn_sync_bar_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "syncbar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_STATUS);
  gtk_widget_class_install_action (widget_class, "sync.sync", NULL, sync_action);
  gtk_widget_class_install_action (widget_class, "sync.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "sync.conflicts", NULL, conflicts_action);
}

static GtkWidget *
bar_button (const char *action, const char *tooltip)
{
  GtkWidget *button = gtk_button_new ();

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  return button;
}

static void
syn_sync_bar_init (SynSyncBar *self)
{
  GtkWidget *icon = gtk_image_new_from_icon_name ("network-offline-symbolic");
  GtkWidget *text_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  self->revealer = GTK_REVEALER (gtk_revealer_new ());
  gtk_revealer_set_transition_type (self->revealer, GTK_REVEALER_TRANSITION_TYPE_SLIDE_DOWN);
  gtk_widget_set_parent (GTK_WIDGET (self->revealer), GTK_WIDGET (self));
  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_add_css_class (self->box, "sync-banner");

  gtk_widget_set_hexpand (text_box, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Offline copy"), -1);
  gtk_box_append (GTK_BOX (text_box), icon);
  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->label, TRUE);
  gtk_label_set_wrap_mode (self->label, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (self->label, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->label), TRUE);
  gtk_box_append (GTK_BOX (text_box), GTK_WIDGET (self->label));
  gtk_box_append (GTK_BOX (self->box), text_box);

  self->buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->spinner = gtk_spinner_new ();
  gtk_box_append (GTK_BOX (self->buttons), self->spinner);
  self->refresh_button = bar_button ("sync.refresh", _("Ask the server how far behind the copy is"));
  gtk_button_set_icon_name (GTK_BUTTON (self->refresh_button), "view-refresh-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->refresh_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Ask the server how far behind the copy is"), -1);
  gtk_box_append (GTK_BOX (self->buttons), self->refresh_button);
  self->conflicts_button = bar_button ("sync.conflicts", _("Choose between your change and the server's"));
  gtk_box_append (GTK_BOX (self->buttons), self->conflicts_button);
  self->sync_button = bar_button ("sync.sync", _("Send your changes to the server, then bring the copy up to date"));
  gtk_widget_add_css_class (self->sync_button, "suggested-action");
  self->sync_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->sync_label, TRUE);
  gtk_label_set_justify (self->sync_label, GTK_JUSTIFY_CENTER);
  gtk_button_set_child (GTK_BUTTON (self->sync_button), GTK_WIDGET (self->sync_label));
  gtk_box_append (GTK_BOX (self->buttons), self->sync_button);
  gtk_box_append (GTK_BOX (self->box), self->buttons);

  gtk_revealer_set_child (self->revealer, self->box);
  self->cancellable = g_cancellable_new ();
  update (self);
}
