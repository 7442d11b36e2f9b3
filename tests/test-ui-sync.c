/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ui-sync.c: offline work in the GUI: Work Offline clones a connected project and the window shows the
 * clone; an offline edit is Pending and "1 ahead"; a server change is "behind" once asked; Sync converges;
 * a conflict shows its dialog, resolved by Keep Theirs and by Keep Mine. */
#include "config.h"

#include <string.h>

#include "syn-test-fixture.h"
#include "syn-test-server.h"
#include "syn-test-ui.h"
#include "ui/syn-clone-dialog.h"
#include "ui/syn-conflict-dialog.h"
#include "ui/syn-sync-bar.h"
#include "ui/syn-timeline-row.h"

#define PUMP  "110-PP-001"
#define CONVEYOR "110-CV-001"

typedef struct
{
  SynTestServer *server;
  char          *token;
  char          *tmpdir;
  char          *clone_path;
  char          *project_id;
  const char    *suffix;      /* of the screenshots: "" or "-fr" */
  SynWindow     *window;
  SynSyncBar    *bar;
} Sync;

static void
sync_setup (Sync *s, const char *language)
{
  SynTestServerOptions options = { .own_context = TRUE };
  g_autoptr(GError) error = NULL;
  g_autofree char *user_id = NULL;
  SynSignInDialog *dialog;

  ui_use_language (language);
  s->suffix = language ? "-fr" : "";
  s->server = syn_test_server_start (&options);
  user_id = syn_test_server_add_user (s->server, "alice", "admin");
  s->token = syn_test_server_login (s->server, "alice");
  s->tmpdir = g_dir_make_tmp ("synapse-ui-sync-XXXXXX", &error);
  g_assert_no_error (error);
  s->clone_path = g_build_filename (s->tmpdir, "clone.db", NULL);

  s->window = syn_application_open_window (ui_app, NULL, s->server->url);
  g_object_add_weak_pointer (G_OBJECT (s->window), (gpointer *) &s->window);
  gtk_window_set_default_size (GTK_WINDOW (s->window), 1280, 800);
  syn_window_set_news_timeout (s->window, 0);
  s->bar = ui_child (s->window, SYN_TYPE_WINDOW, "sync_bar");
  dialog = ui_find_toplevel (SYN_TYPE_SIGN_IN_DIALOG);
  g_assert_nonnull (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  ui_sign_in (dialog, "alice", SYN_TEST_PASSWORD);
  WAIT_FOR (dialog == NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (s->window), "win.create-demo", NULL));
  WAIT_FOR (ui_project_ready (s->window));
  s->project_id = g_strdup (syn_session_get_project_id (syn_window_get_session (s->window)));
}

static void
sync_teardown (Sync *s)
{
  if (s->window != NULL)
    gtk_window_destroy (GTK_WINDOW (s->window));
  WAIT_FOR (s->window == NULL);
  ui_spin (100);
  syn_test_server_stop (s->server);
  syn_test_rm_rf (s->tmpdir);
  g_free (s->tmpdir);
  g_free (s->clone_path);
  g_free (s->token);
  g_free (s->project_id);
  ui_use_language (NULL);
}

static char *
shot_name (Sync *s, const char *name)
{
  return g_strconcat (name, s->suffix, NULL);
}

/* Another engineer's change on the server: @tag's description. */
static void
server_edit (Sync *s, const char *asset_id, const char *description)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/projects/%s/assets/%s", s->project_id, asset_id);
  g_autofree char *body = g_strdup_printf ("{\"description\": \"%s\"}", description);
  g_autoptr(JsonNode) answer = NULL;
  guint status = 0;

  answer = syn_test_http (s->server, "PATCH", path, s->token, "application/json", body, -1, &status);
  g_assert_cmpuint (status, ==, 200);
}

static char *
server_state_hash (Sync *s)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/projects/%s/state-hash", s->project_id);
  g_autoptr(JsonNode) answer = NULL;
  guint status = 0;

  answer = syn_test_http (s->server, "GET", path, s->token, NULL, NULL, 0, &status);
  g_assert_cmpuint (status, ==, 200);
  return g_strdup (syn_json_get_string (json_node_get_object (answer), "state_hash"));
}

/* An edit on the clone, through the window's backend, as the asset editor
 * makes it; the asset's id (the server's too). */
static char *
clone_edit (Sync *s, const char *tag, const char *description)
{
  g_autoptr(JsonObject) asset = ui_get_asset (s->window, tag);
  g_autoptr(JsonObject) update = json_object_new ();
  g_autoptr(JsonNode) updated = NULL;

  json_object_set_string_member (update, "project_id", s->project_id);
  json_object_set_string_member (update, "asset_id", syn_json_get_string (asset, "id"));
  json_object_set_string_member (update, "description", description);
  updated = ui_call (s->window, SYN_OP_UPDATE_ASSET, update);
  syn_session_data_changed (syn_window_get_session (s->window));
  return g_strdup (syn_json_get_string (asset, "id"));
}

static gboolean
counts_are (Sync *s, gint64 ahead, gint64 behind, gint64 conflicts)
{
  JsonObject *status = syn_sync_bar_get_status (s->bar);

  return status != NULL && !syn_sync_bar_get_busy (s->bar) && ui_project_ready (s->window) &&
         json_object_get_int_member (status, "ahead") == ahead &&
         json_object_get_int_member (status, "behind") == behind &&
         json_object_get_int_member (status, "conflicts") == conflicts;
}

static void
count_pending (GtkWidget *widget, guint *n)
{
  if (SYN_IS_TIMELINE_ROW (widget) && gtk_widget_get_mapped (widget) &&
      gtk_widget_get_visible (ui_child (widget, SYN_TYPE_TIMELINE_ROW, "batch_pending_label")))
    (*n)++;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    count_pending (c, n);
}

/* The timeline's batch headers that say Pending, newest first, all filters off. */
static guint
pending_rows (Sync *s)
{
  SynTimelineView *view = syn_window_get_timeline_view (s->window);
  guint n = 0;

  syn_window_show_view (s->window, "timeline");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "timeline.clear-filters", NULL));
  WAIT_FOR (!syn_timeline_view_get_busy (view) && syn_timeline_model_get_total (syn_timeline_view_get_model (view)) > 0);
  ui_wait_frames (GTK_WIDGET (s->window), 2);
  count_pending (GTK_WIDGET (view), &n);
  return n;
}

static void
sync_now (Sync *s)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (s->bar), "sync.sync", NULL));
  g_assert_true (syn_sync_bar_get_busy (s->bar));
}

/* The first operation in conflict of the bar's status. */
static gint64
conflict_op (Sync *s)
{
  JsonArray *ops = json_object_get_array_member (syn_sync_bar_get_status (s->bar), "operations");

  for (guint i = 0; i < json_array_get_length (ops); i++)
    {
      JsonObject *op = json_array_get_object_element (ops, i);

      if (g_strcmp0 (syn_json_get_string (op, "status"), "conflict") == 0)
        return json_object_get_int_member (op, "id");
    }
  g_assert_not_reached ();
}

/* Edits of @tag's description on both sides, a sync: the conflict dialog. */
static SynConflictDialog *
make_conflict (Sync *s, const char *tag, const char *mine, const char *theirs)
{
  g_autofree char *asset_id = clone_edit (s, tag, mine);
  SynConflictDialog *dialog;

  server_edit (s, asset_id, theirs);
  sync_now (s);
  WAIT_FOR ((dialog = ui_find_toplevel (SYN_TYPE_CONFLICT_DIALOG)) != NULL && counts_are (s, 1, 0, 1));
  g_assert_cmpuint (syn_conflict_dialog_get_n_left (dialog), ==, 1);
  return dialog;
}

static const char *
clone_description (Sync *s, const char *tag)
{
  static char *last;
  g_autoptr(JsonObject) asset = ui_get_asset (s->window, tag);

  g_free (last);
  last = g_strdup (syn_json_get_string (asset, "description"));
  return last;
}

static void
test_work_offline (gconstpointer data)
{
  const char *language = data;
  Sync s = { 0 };
  SynSession *session;
  SynCloneDialog *clone_dialog;
  SynConflictDialog *conflicts;
  g_autofree char *conveyor_id = NULL;
  g_autofree char *name = NULL;
  g_autofree char *server_hash = NULL;
  g_autofree char *clone_hash = NULL;
  SynBackend *backend;

  sync_setup (&s, language);
  session = syn_window_get_session (s.window);
  g_assert_false (syn_sync_bar_get_shown (s.bar));

  /* Work Offline: where the copy goes (the user's data folder by default), then the clone */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (s.window), "win.work-offline-copy", NULL));
  clone_dialog = ui_find_toplevel (SYN_TYPE_CLONE_DIALOG);
  g_assert_nonnull (clone_dialog);
  g_object_add_weak_pointer (G_OBJECT (clone_dialog), (gpointer *) &clone_dialog);
  g_assert_true (g_str_has_prefix (syn_clone_dialog_get_path (clone_dialog), g_get_user_data_dir ()));
  g_assert_true (strstr (syn_clone_dialog_get_path (clone_dialog), "clones") != NULL);
  syn_clone_dialog_set_path (clone_dialog, s.clone_path);
  name = shot_name (&s, "work-offline-dialog");
  ui_save_screenshot (GTK_WIDGET (clone_dialog), name);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (clone_dialog), "clone.start", NULL));
  g_assert_true (syn_clone_dialog_get_busy (clone_dialog));
  WAIT_FOR (clone_dialog == NULL);

  /* the window works on the clone: a local database, the bar with its counts */
  WAIT_FOR (counts_are (&s, 0, 0, 0));
  g_assert_false (syn_session_get_remote (session));
  backend = syn_session_get_backend (session);
  g_assert_true (SYN_IS_LOCAL_BACKEND (backend));
  g_assert_cmpstr (syn_local_backend_get_uri (SYN_LOCAL_BACKEND (backend)), ==, s.clone_path);
  g_assert_cmpstr (syn_session_get_project_id (session), ==, s.project_id);
  g_assert_true (syn_sync_bar_get_shown (s.bar));
  g_assert_cmpstr (syn_sync_bar_get_path (s.bar), ==, s.clone_path);
  g_assert_nonnull (syn_window_get_banner (s.window));
  if (language == NULL)
    g_assert_cmpstr (syn_sync_bar_get_sync_label (s.bar), ==, "Sync (0 ahead, 0 behind)");
  g_assert_cmpuint (pending_rows (&s), ==, 0);

  /* offline: an edit is pending, one ahead */
  g_free (clone_edit (&s, PUMP, "Pump edited offline"));
  WAIT_FOR (counts_are (&s, 1, 0, 0));
  if (language == NULL)
    g_assert_cmpstr (syn_sync_bar_get_sync_label (s.bar), ==, "Sync (1 ahead, 0 behind)");
  else
    g_assert_cmpstr (syn_sync_bar_get_sync_label (s.bar), ==, "Synchroniser (1 en avance, 0 en retard)");
  g_assert_cmpuint (pending_rows (&s), ==, 1);

  /* meanwhile on the server: behind, once the server is asked */
  {
    g_autoptr(JsonObject) conveyor = ui_get_asset (s.window, CONVEYOR);

    conveyor_id = g_strdup (syn_json_get_string (conveyor, "id"));
  }
  server_edit (&s, conveyor_id, "Conveyor edited on the server");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (s.bar), "sync.refresh", NULL));
  WAIT_FOR (counts_are (&s, 1, 1, 0));
  if (language == NULL)
    g_assert_cmpstr (syn_sync_bar_get_sync_label (s.bar), ==, "Sync (1 ahead, 1 behind)");
  g_clear_pointer (&name, g_free);
  name = shot_name (&s, "sync-bar");
  ui_save_screenshots (s.window, name);
  g_clear_pointer (&name, g_free);
  name = shot_name (&s, "sync-bar-narrow");
  ui_save_narrow_screenshot (s.window, name);

  /* Sync: pushed, pulled, the clone equals the server, nothing pending */
  sync_now (&s);
  WAIT_FOR (counts_are (&s, 0, 0, 0));
  g_assert_true (SYN_IS_LOCAL_BACKEND (syn_session_get_backend (session)));
  g_assert_cmpstr (syn_session_get_project_id (session), ==, s.project_id);
  server_hash = server_state_hash (&s);
  clone_hash = ui_state_hash (s.window);
  g_assert_cmpstr (clone_hash, ==, server_hash);
  g_assert_cmpstr (clone_description (&s, PUMP), ==, "Pump edited offline");
  g_assert_cmpstr (clone_description (&s, CONVEYOR), ==, "Conveyor edited on the server");
  g_assert_cmpuint (pending_rows (&s), ==, 0);

  /* a conflict: Keep Theirs drops mine */
  conflicts = make_conflict (&s, PUMP, "Mine, offline", "Theirs, online");
  g_object_add_weak_pointer (G_OBJECT (conflicts), (gpointer *) &conflicts);
  g_clear_pointer (&name, g_free);
  name = shot_name (&s, "sync-conflicts");
  ui_save_screenshot (GTK_WIDGET (conflicts), name);
  g_assert_cmpstr (clone_description (&s, PUMP), ==, "Theirs, online");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (conflicts), "conflict.keep", "(xs)", conflict_op (&s),
                                             "theirs"));
  WAIT_FOR (conflicts == NULL && counts_are (&s, 0, 0, 0));
  g_assert_cmpstr (clone_description (&s, PUMP), ==, "Theirs, online");

  /* another: Keep Mine, then Sync applies it over theirs */
  conflicts = make_conflict (&s, PUMP, "Mine again", "Theirs again");
  g_object_add_weak_pointer (G_OBJECT (conflicts), (gpointer *) &conflicts);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (conflicts), "conflict.keep", "(xs)", conflict_op (&s),
                                             "mine"));
  WAIT_FOR (conflicts == NULL && counts_are (&s, 1, 0, 0));
  sync_now (&s);
  WAIT_FOR (counts_are (&s, 0, 0, 0));
  g_assert_null (ui_find_toplevel (SYN_TYPE_CONFLICT_DIALOG));
  g_assert_cmpstr (clone_description (&s, PUMP), ==, "Mine again");
  g_clear_pointer (&server_hash, g_free);
  g_clear_pointer (&clone_hash, g_free);
  server_hash = server_state_hash (&s);
  clone_hash = ui_state_hash (s.window);
  g_assert_cmpstr (clone_hash, ==, server_hash);

  sync_teardown (&s);
}

int
main (int argc, char **argv)
{
  if (!ui_init (&argc, &argv))
    return 0;

  g_test_add_data_func ("/ui/sync/work-offline", NULL, test_work_offline);
  g_test_add_data_func ("/ui/sync/work-offline-french", "fr", test_work_offline);

  return ui_run ();
}
