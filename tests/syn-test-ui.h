/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-test-ui.h: what the GUI test programs share: waiting on the main loop, backend calls, screenshots,
 * a window on a throwaway database. */
#pragma once

#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "backend/syn-local-backend.h"
#include "core/syn-core.h"
#include "ui/syn-application.h"
#include "ui/syn-project-status.h"
#include "ui/syn-sign-in-dialog.h"
#include "ui/syn-window.h"

G_BEGIN_DECLS

#define WAIT_SECONDS 120

/* Runs the main loop until @cond holds; a test that waits longer fails. */
#define WAIT_FOR(cond)                                                                \
  G_STMT_START {                                                                      \
    gint64 deadline_ = g_get_monotonic_time () + (gint64) WAIT_SECONDS * G_USEC_PER_SEC; \
    while (!(cond))                                                                   \
      {                                                                               \
        if (g_get_monotonic_time () > deadline_)                                      \
          g_error ("%s:%d: timed out waiting for %s", __FILE__, __LINE__, #cond);     \
        g_main_context_iteration (NULL, TRUE);                                        \
      }                                                                               \
  } G_STMT_END

typedef struct
{
  char      *tmpdir;
  char      *db;
  SynWindow *window;
} UiFixture;

extern SynApplication *ui_app;

/* Sets up the process for the GUI tests (translations of the build tree, a throwaway home, the application);
 * FALSE when there is no display (a TAP plan of nothing has been printed: return 0). */
gboolean ui_init (int *argc, char ***argv);
/* Runs the tests added, then cleans up. */
int      ui_run  (void);

void ui_spin (guint ms);
void ui_wait_frames (GtkWidget *widget, guint n);
gpointer ui_child (gpointer widget, GType type, const char *name);
JsonNode *ui_call (SynWindow *window, const char *op, JsonObject *params);
char *ui_state_hash (SynWindow *window);
gint64 ui_timeline_total (SynWindow *window, const char *correlation_id, const char *event_types);
void ui_save_screenshot (GtkWidget *widget, const char *name);
void ui_resize_window (SynWindow *window, int width);
void ui_assert_fits (GtkWidget *widget);
void ui_save_narrow_screenshot (SynWindow *window, const char *name);
void ui_save_screenshots (SynWindow *window, const char *name);
gboolean ui_project_ready (SynWindow *window);
void ui_use_language (const char *language);
void ui_fixture_setup (UiFixture *f, gconstpointer data);
void ui_fixture_teardown (UiFixture *f, gconstpointer data);
JsonObject *ui_execute (SynWindow *window, gboolean dry_run);
gpointer ui_find_toplevel (GType type);
void ui_append_events (UiFixture *f, guint n);
char *ui_write_file (UiFixture *f, const char *name, const char *text);
SynProjectStatus *ui_project_status (SynWindow *window);
gboolean ui_status_settled (SynWindow *window);
const char *ui_label_text (gpointer widget, GType type, const char *name);
const char *ui_rule_row_status (SynExecutionPanel *panel, const char *rule_id);
JsonObject *ui_get_asset (SynWindow *window, const char *tag);
void ui_sign_in (SynSignInDialog *dialog, const char *username, const char *password);
gint64 ui_hold_against_rules (SynWindow *window);
gboolean ui_strv_has (JsonObject *asset, const char *member, const char *value);
void ui_undo (SynWindow *window);

G_END_DECLS
