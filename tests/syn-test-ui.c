/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-test-ui.c: what the GUI test programs share: waiting on the main loop, backend calls, screenshots,
 * a window on a throwaway database, the process set-up. */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "engine/syn-event-store.h"
#include "syn-test-fixture.h"
#include "syn-test-ui.h"
#include "ui/syn-project-status.h"
#include "ui/syn-ui-format.h"

SynApplication *ui_app;

/* GLib's first block of quarks (2,048 of them, 16 KiB) is made by its
 * library constructor; a process with more quarks (this one, with its
 * four views, a server and a client) gets a bigger copy and the first is
 * left, by design (lookups take no lock). LeakSanitizer cannot tell it by
 * its stack (GLib has no frame pointers): the blocks of that size made
 * before main() are kept reachable here. The hook is AddressSanitizer's,
 * called only in a sanitizer build. */
#define QUARK_BLOCK_BYTES (2048 * sizeof (char *))
static gboolean in_main;
static const volatile void * volatile constructor_blocks[8];

void __sanitizer_malloc_hook (const volatile void *ptr, size_t size);

void
__sanitizer_malloc_hook (const volatile void *ptr, size_t size)
{
  static guint n;

  if (!in_main && size == QUARK_BLOCK_BYTES && n < G_N_ELEMENTS (constructor_blocks))
    constructor_blocks[n++] = ptr;
}

/* ------------------------------------------------------------------------- */
/* Helpers                                                                   */


void
ui_spin (guint ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
}

static void
on_after_paint (GdkFrameClock *clock, guint *painted)
{
  (*painted)++;
}

/* Lets @n frames be drawn, so what is checked or saved is on screen. */
void
ui_wait_frames (GtkWidget *widget, guint n)
{
  GdkFrameClock *clock;
  guint painted = 0;
  gulong handler;

  WAIT_FOR (gtk_widget_get_mapped (widget));
  clock = gtk_widget_get_frame_clock (widget);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &painted);
  while (painted < n)
    {
      gtk_widget_queue_draw (widget);
      g_main_context_iteration (NULL, TRUE);
    }
  g_signal_handler_disconnect (clock, handler);
}

gpointer
ui_child (gpointer widget, GType type, const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (object);
  return object;
}

typedef struct
{
  gboolean  done;
  JsonNode *answer;
  GError   *error;
} CallState;

static void
call_done (GObject *object, GAsyncResult *result, gpointer data)
{
  CallState *state = data;

  state->answer = syn_backend_call_finish (SYN_BACKEND (object), result, &state->error);
  state->done = TRUE;
}

/* A backend call answered on the main context, as the GUI's are: the
 * remote backend's HTTP session lives there, so no private loop. */
JsonNode *
ui_call (SynWindow *window, const char *op, JsonObject *params)
{
  CallState state = { 0 };

  syn_backend_call_async (syn_session_get_backend (syn_window_get_session (window)), op, params, NULL,
                          call_done, &state);
  WAIT_FOR (state.done);
  g_assert_no_error (state.error);
  g_assert_nonnull (state.answer);
  return state.answer;
}

char *
ui_state_hash (SynWindow *window)
{
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;

  json_object_set_string_member (params, "project_id", syn_session_get_project_id (syn_window_get_session (window)));
  answer = ui_call (window, SYN_OP_STATE_HASH, params);
  return g_strdup (syn_json_get_string (json_node_get_object (answer), "state_hash"));
}

gint64
ui_timeline_total (SynWindow *window, const char *correlation_id, const char *event_types)
{
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;

  json_object_set_string_member (params, "project_id", syn_session_get_project_id (syn_window_get_session (window)));
  json_object_set_boolean_member (params, "include_rolled_back", TRUE);
  json_object_set_int_member (params, "limit", 1);
  if (correlation_id != NULL)
    json_object_set_string_member (params, "correlation_id", correlation_id);
  if (event_types != NULL)
    json_object_set_string_member (params, "event_types", event_types);
  answer = ui_call (window, SYN_OP_TIMELINE, params);
  return json_object_get_int_member (json_node_get_object (answer), "total");
}

/* A PNG of what @widget shows, under the build directory (the tests' artifacts). */
void
ui_save_screenshot (GtkWidget *widget, const char *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                           "screenshots", NULL);
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  int width, height;

  ui_wait_frames (widget, 2);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s (%d x %d)", path, width, height);
}

/* Says which widgets hold @widget wider than @width, down the widest branch. */
static void
report_minimum_widths (GtkWidget *widget, int width, guint depth)
{
  int minimum = 0;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  if (minimum <= width / 4 || depth > 24 || !gtk_widget_get_visible (widget))
    return;
  g_test_message ("%*s%s%s%s: minimum width %d", (int) depth, "", G_OBJECT_TYPE_NAME (widget),
                  gtk_widget_get_name (widget)[0] != '\0' ? " " : "", gtk_widget_get_name (widget), minimum);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    report_minimum_widths (c, width, depth + 1);
}

static gboolean
window_is (SynWindow *window, int width)
{
  if (width > 0)
    return gtk_widget_get_width (GTK_WIDGET (window)) <= width && gtk_widget_get_height (GTK_WIDGET (window)) <= 760 &&
           syn_window_get_narrow (window);
  return gtk_widget_get_width (GTK_WIDGET (window)) > 1200 && !syn_window_get_narrow (window);
}

/* The window @width pixels wide (0: as wide as the tests have it), and
 * laid out for that width. */
void
ui_resize_window (SynWindow *window, int width)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  gtk_window_set_default_size (GTK_WINDOW (window), width > 0 ? width : 1280, width > 0 ? 760 : 800);
  if (width > 0)
    {
      /* Laid out narrow, the window needs less than before: a window manager
       * lets a person drag it further; Xvfb has none, so it is asked again. */
      WAIT_FOR (syn_window_get_narrow (window));
      ui_wait_frames (GTK_WIDGET (window), 1);
      gtk_window_set_default_size (GTK_WINDOW (window), width + 1, 760);
      ui_wait_frames (GTK_WIDGET (window), 1);
      gtk_window_set_default_size (GTK_WINDOW (window), width, 760);
    }
  /* nothing holds it wider, or taller */
  while (!window_is (window, width))
    {
      if (g_get_monotonic_time () > deadline)
        {
          report_minimum_widths (GTK_WIDGET (window), width > 0 ? width : G_MAXINT, 0);
          g_error ("the window is %d x %d, not %d pixels wide", gtk_widget_get_width (GTK_WIDGET (window)),
                   gtk_widget_get_height (GTK_WIDGET (window)), width);
        }
      g_main_context_iteration (NULL, TRUE);
    }
  ui_wait_frames (GTK_WIDGET (window), 3);
}

/* Nothing of @widget is cut off: it has at least the width it asks for. */
void
ui_assert_fits (GtkWidget *widget)
{
  int minimum = 0;
  graphene_rect_t bounds;

  /* the minimum counts the margins, border and padding; the width only the
   * content, the bounds the border box */
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_true (gtk_widget_compute_bounds (widget, widget, &bounds));
  g_assert_cmpint (minimum, <=, (int) (bounds.size.width + 0.5) + gtk_widget_get_margin_start (widget) +
                                gtk_widget_get_margin_end (widget));
  /* and it was given no more than its window has: a child wider than its
   * window is cut off at the right edge even when it got its minimum */
  {
    GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (widget));
    graphene_rect_t in_root;

    g_assert_true (gtk_widget_compute_bounds (widget, root, &in_root));
    g_assert_cmpint ((int) (in_root.origin.x + in_root.size.width - 0.5), <=, gtk_widget_get_width (root));
  }
}

/* The window 360 pixels wide (a phone, a tiled half screen), then as it was. */
void
ui_save_narrow_screenshot (SynWindow *window, const char *name)
{
  ui_resize_window (window, 360);
  /* the run side may be given less than it asks for (the window's minimum
   * does not count it): it must not need to */
  if (g_strcmp0 (syn_window_get_view (window), "execution") == 0)
    ui_assert_fits (ui_child (syn_window_get_execution_panel (window), SYN_TYPE_EXECUTION_PANEL, "run_pane"));
  ui_save_screenshot (GTK_WIDGET (window), name);
  ui_resize_window (window, 0);
}

/* The view in the light style, then in the dark one. */
void
ui_save_screenshots (SynWindow *window, const char *name)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *dark = g_strconcat (name, "-dark", NULL);

  ui_save_screenshot (GTK_WIDGET (window), name);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  ui_save_screenshot (GTK_WIDGET (window), dark);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

/* ------------------------------------------------------------------------- */
/* Fixture: a window on a throwaway database                                 */


gboolean
ui_project_ready (SynWindow *window)
{
  SynSession *session = syn_window_get_session (window);

  return syn_session_get_project (session) != NULL && !syn_session_get_loading (session) &&
         g_list_model_get_n_items (syn_session_get_rules (session)) > 0;
}

/* The messages of @language from now on (NULL: the untranslated ones):
 * the windows opened next speak it. */
void
ui_use_language (const char *language)
{
  if (language != NULL)
    g_setenv ("LANGUAGE", language, TRUE);
  else
    g_unsetenv ("LANGUAGE");
  /* gettext caches what it found: setting the domain again drops that */
  textdomain (textdomain (NULL));
}

/* @data: the language of the window, or NULL */
void
ui_fixture_setup (UiFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  ui_use_language (data);
  f->tmpdir = g_dir_make_tmp ("synapse-ui-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = g_build_filename (f->tmpdir, "synapse.db", NULL);
  f->window = syn_application_open_window (ui_app, f->db, NULL);
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1280, 800);
  /* the tests read messages after slow work: news stays until replaced */
  syn_window_set_news_timeout (f->window, 0);
  WAIT_FOR (ui_project_ready (f->window));
  ui_wait_frames (GTK_WIDGET (f->window), 1);
}

void
ui_fixture_teardown (UiFixture *f, gconstpointer data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  WAIT_FOR (f->window == NULL);
  /* let the backend's last answers and the worker threads finish */
  ui_spin (50);
  syn_test_rm_rf (f->tmpdir);
  g_free (f->tmpdir);
  g_free (f->db);
  ui_use_language (NULL);
}

JsonObject *
ui_execute (SynWindow *window, gboolean dry_run)
{
  SynExecutionPanel *panel = syn_window_get_execution_panel (window);
  JsonNode *last;

  syn_window_show_view (window, "execution");
  syn_execution_panel_set_dry_run (panel, dry_run);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.execute", NULL));
  g_assert_true (syn_execution_panel_get_running (panel));
  WAIT_FOR (!syn_execution_panel_get_running (panel));
  last = syn_execution_panel_get_last_message (panel);
  g_assert_nonnull (last);
  g_assert_cmpstr (syn_json_get_string (json_node_get_object (last), "type"), ==, "COMPLETED");
  return json_node_get_object (last);
}



/* The open window of @type (a dialog), or NULL. */
gpointer
ui_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
    }
  return NULL;
}


/* Events enough for many pages, appended straight to the project's database. */
void
ui_append_events (UiFixture *f, guint n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynStore) store = syn_store_open (f->db, &error);
  g_autoptr(SynEventStore) es = syn_event_store_new (store, syn_session_get_project_id (syn_window_get_session (f->window)), NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < n; i += 1000)
    {
      g_assert_true (syn_event_store_start_batch (es, &error));
      for (guint j = i; j < i + 1000 && j < n; j++)
        {
          g_autoptr(SynEvent) e = NULL;
          JsonObject *payload = json_object_new ();
          g_autofree char *tag = g_strdup_printf ("900-PP-%05u", j);

          json_object_set_string_member (payload, "tag", tag);
          json_object_set_string_member (payload, "type", "PUMP");
          e = syn_event_store_emit (es, SYN_EVENT_ASSET_CREATED, SYN_AGGREGATE_ASSET, tag,
                                    syn_json_node_new_object (payload), NULL, "MECHANICAL", NULL, NULL, &error);
          g_assert_no_error (error);
        }
      g_assert_true (syn_event_store_commit_batch (es, &error));
    }
}


char *
ui_write_file (UiFixture *f, const char *name, const char *text)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->tmpdir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
  return path;
}


SynProjectStatus *
ui_project_status (SynWindow *window)
{
  return syn_session_get_status (syn_window_get_session (window));
}


gboolean
ui_status_settled (SynWindow *window)
{
  SynProjectState state = syn_project_status_get_state (ui_project_status (window));

  return state != SYN_PROJECT_STATE_CHECKING && state != SYN_PROJECT_STATE_NONE;
}


const char *
ui_label_text (gpointer widget, GType type, const char *name)
{
  GtkLabel *label = ui_child (widget, type, name);

  return gtk_widget_get_visible (GTK_WIDGET (label)) ? gtk_label_get_text (label) : NULL;
}


/* What the rule's row in the filters says a run would do to its outputs (NULL: nothing). */
const char *
ui_rule_row_status (SynExecutionPanel *panel, const char *rule_id)
{
  GtkWidget *box = ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "rules_box");

  for (GtkWidget *row = gtk_widget_get_first_child (box); row; row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "rule-id"), rule_id) == 0)
      {
        GtkWidget *label = g_object_get_data (G_OBJECT (row), "status");

        return gtk_widget_get_visible (label) ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
      }
  g_error ("no row for rule %s", rule_id);
  return NULL;
}


JsonObject *
ui_get_asset (SynWindow *window, const char *tag)
{
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) asset = NULL;

  json_object_set_string_member (params, "project_id", syn_session_get_project_id (syn_window_get_session (window)));
  json_object_set_string_member (params, "tag", tag);
  asset = ui_call (window, SYN_OP_GET_ASSET, params);
  return json_object_ref (json_node_get_object (asset));
}


static gboolean
keep_waking (gpointer data)
{
  return G_SOURCE_CONTINUE;
}


/* Xvfb has no session bus: GtkApplication says so once; that is not a failure. */
static gboolean
fatal_log_handler (const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
  return strstr (message, "session bus") == NULL && strstr (message, "org.a11y.Bus") == NULL;
}

void
ui_sign_in (SynSignInDialog *dialog, const char *username, const char *password)
{
  gtk_editable_set_text (ui_child (dialog, SYN_TYPE_SIGN_IN_DIALOG, "username_entry"), username);
  gtk_editable_set_text (ui_child (dialog, SYN_TYPE_SIGN_IN_DIALOG, "password_entry"), password);
  syn_sign_in_dialog_submit (dialog);
}

/* A person's edits against the rules, through the backend as another
 * engineer would: the motor's voltage changed (a rule sets it, by
 * country), the tank's level transmitter deleted. Returns the voltage the
 * rule gave the motor. */
gint64
ui_hold_against_rules (SynWindow *window)
{
  g_autoptr(JsonObject) motor = ui_get_asset (window, "110-M-001");
  g_autoptr(JsonObject) transmitter = ui_get_asset (window, "510-LT-001");
  g_autoptr(JsonObject) update = json_object_new ();
  g_autoptr(JsonObject) delete = json_object_new ();
  g_autoptr(JsonNode) updated = NULL;
  g_autoptr(JsonNode) deleted = NULL;
  JsonObject *properties = json_object_new ();
  const char *project_id = syn_session_get_project_id (syn_window_get_session (window));

  json_object_set_string_member (update, "project_id", project_id);
  json_object_set_string_member (update, "asset_id", syn_json_get_string (motor, "id"));
  json_object_set_int_member (properties, "voltage", 480);
  json_object_set_object_member (update, "properties", properties);
  updated = ui_call (window, SYN_OP_UPDATE_ASSET, update);
  json_object_set_string_member (delete, "project_id", project_id);
  json_object_set_string_member (delete, "asset_id", syn_json_get_string (transmitter, "id"));
  deleted = ui_call (window, SYN_OP_DELETE_ASSET, delete);
  g_assert_true (ui_strv_has (json_node_get_object (updated), "held", "properties.voltage"));
  return json_object_get_int_member (json_object_get_object_member (motor, "properties"), "voltage");
}

gboolean
ui_strv_has (JsonObject *asset, const char *member, const char *value)
{
  JsonArray *array = syn_ui_json_array (syn_ui_json_object (asset, "derivation"), member);

  for (guint i = 0; array && i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), value) == 0)
      return TRUE;
  return FALSE;
}

/* ------------------------------------------------------------------------- */

static char *xdg;

gboolean
ui_init (int *argc, char ***argv)
{
  g_autoptr(GError) error = NULL;

  in_main = TRUE;
  g_test_init (argc, argv, NULL);
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      /* TAP: a plan of nothing, skipped */
      printf ("1..0 # SKIP no display: run under xvfb-run (build-aux/synapse-dev test does)\n");
      return FALSE;
    }
  g_test_log_set_fatal_handler (fatal_log_handler, NULL);
  /* the default local database must never be the tester's own */
  xdg = g_dir_make_tmp ("synapse-ui-home-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", xdg, TRUE);

  /* the translations of the build tree, for the French tests; the domain
   * as the application sets it (the templates and _() use the default one) */
  {
    g_autofree char *po = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);

    bindtextdomain (GETTEXT_PACKAGE, po);
    bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
    textdomain (GETTEXT_PACKAGE);
  }
  ui_app = syn_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (ui_app), NULL, &error));
  g_assert_no_error (error);
  /* what is checked and saved is the end state, not a transition */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  /* wakes the waits up even when nothing else happens */
  g_timeout_add (20, keep_waking, NULL);
  return TRUE;
}

int
ui_run (void)
{
  int ret = g_test_run ();

  g_clear_object (&ui_app);
  syn_test_rm_rf (xdg);
  g_clear_pointer (&xdg, g_free);
  return ret;
}

/* Takes an edit back with the Undo its message offers (win.undo-batch), and
 * waits for the rollback's news. */
void
ui_undo (SynWindow *window)
{
  SynSession *session = syn_window_get_session (window);
  guint revision = syn_session_get_revision (session);

  g_assert_cmpstr (syn_window_get_banner_action (window), ==, "_Undo");
  g_assert_true (syn_window_activate_banner_action (window));
  /* "Undone: …" is win.undo-batch's news alone */
  WAIT_FOR (syn_session_get_revision (session) > revision && syn_window_get_banner (window) != NULL &&
            g_str_has_prefix (syn_window_get_banner (window), "Undone: "));
}
