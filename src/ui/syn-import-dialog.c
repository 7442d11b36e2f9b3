/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-import-dialog.c: SynImportDialog: an asset list imported as new assets or as a revised list; the
 * backend's dry run previews the revision (created, updated old -> new, unchanged, missing) before it writes. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "core/syn-json.h"
#include "engine/syn-derivation.h"
#include "syn-import-dialog.h"
#include "syn-ui-format.h"

/* More rows than this per section make a long list nobody reads: the rest is counted. */
#define MAX_ROWS 200

struct _SynImportDialog
{
  GtkWindow       parent_instance;

  SynSession     *session;
  char           *csv;
  GCancellable   *cancellable;
  JsonNode       *preview;     /* the newest revision dry run's answer */
  guint           serial;      /* of the newest preview asked for: older answers are dropped */
  gboolean        busy;        /* a preview or the import on its way */
  gboolean        chosen;      /* the mode was set (by the first preview, or by hand) */

  GtkLabel       *title_label;
  GtkCheckButton *add_button;
  GtkCheckButton *revision_button;
  GtkLabel       *summary_label;
  GtkWidget      *preview_scroller;
  GtkListBox     *preview_list;
  GtkCheckButton *delete_missing_button;
  GtkLabel       *error_label;
  GtkSpinner     *spinner;
  GtkButton      *import_button;
};

G_DEFINE_FINAL_TYPE (SynImportDialog, syn_import_dialog, GTK_TYPE_WINDOW)

enum {
  SIGNAL_IMPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void request_preview (SynImportDialog *self);

static gint64
count_of (JsonObject *answer, const char *member)
{
  return answer ? json_object_get_int_member_with_default (answer, member, 0) : 0;
}

static JsonObject *
preview_object (SynImportDialog *self)
{
  return self->preview ? json_node_get_object (self->preview) : NULL;
}

/* Whether the import as chosen would write anything. */
static gboolean
can_import (SynImportDialog *self)
{
  JsonObject *preview = preview_object (self);

  if (self->busy || preview == NULL)
    return FALSE;
  if (!gtk_check_button_get_active (self->revision_button))
    return count_of (preview, "created") > 0;
  return g_strcmp0 (syn_json_get_string (preview, "status"), "preview") == 0;
}

static void
update_buttons (SynImportDialog *self)
{
  gtk_spinner_set_spinning (self->spinner, self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), can_import (self));
}

static void
show_error (SynImportDialog *self, const char *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/* Shown once it knows what it asks: sized for its final content. */
static void
present (SynImportDialog *self)
{
  if (!gtk_widget_get_visible (GTK_WIDGET (self)))
    gtk_window_present (GTK_WINDOW (self));
}

/* ------------------------------------------------------------------------- */
/* The preview list                                                          */

static GtkWidget *
add_line (SynImportDialog *self, const char *text, const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  gtk_list_box_append (self->preview_list, label);
  return label;
}

/* "… and 12 more" under a section cut at MAX_ROWS. */
static void
add_more (SynImportDialog *self, guint n, guint shown)
{
  g_autofree char *text = NULL;

  if (n <= shown)
    return;
  /* Translators: under a list cut short; %d is how many entries are not shown */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "… and %d more", "… and %d more", n - shown),
                          (int) (n - shown));
  add_line (self, text, "dim-label");
}

/* "hp", "Description": the name of a changed field. */
static const char *
field_name (const char *field)
{
  if (g_str_has_prefix (field, SYN_FIELD_PROPERTY_PREFIX))
    return field + strlen (SYN_FIELD_PROPERTY_PREFIX);
  return syn_format_field (field);
}

static void
add_created (SynImportDialog *self, JsonArray *created)
{
  guint n = created ? json_array_get_length (created) : 0;
  g_autofree char *heading = NULL;

  if (n == 0)
    return;
  /* Translators: a heading of the preview of a revised asset list */
  heading = g_strdup_printf (_("Created (%d)"), (int) n);
  add_line (self, heading, "heading");
  for (guint i = 0; i < n && i < MAX_ROWS; i++)
    {
      JsonObject *entry = json_array_get_object_element (created, i);
      g_autofree char *text = NULL;

      /* Translators: a new asset of a revised list: tag, type, line of the file */
      text = g_strdup_printf (_("%s · %s · line %d"), syn_json_get_string (entry, "tag"),
                              syn_json_get_string (entry, "type"),
                              (int) json_object_get_int_member_with_default (entry, "line", 0));
      add_line (self, text, NULL);
    }
  add_more (self, n, MAX_ROWS);
}

/* One updated asset: its tag, then each change old -> new, a change that
 * overwrites a person's edit marked. */
static void
add_updated_entry (SynImportDialog *self, JsonObject *entry)
{
  JsonArray *changes = syn_ui_json_array (entry, "changes");
  g_autoptr(GString) text = g_string_new (NULL);
  gboolean overwrites = FALSE;
  GtkWidget *label;

  /* Translators: an asset a revised list changes: tag, line of the file */
  g_string_printf (text, _("%s · line %d"), syn_json_get_string (entry, "tag"),
                   (int) json_object_get_int_member_with_default (entry, "line", 0));
  for (guint i = 0; changes && i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      g_autofree char *old = syn_format_value (json_object_get_member (change, "old"));
      g_autofree char *new_value = syn_format_value (json_object_get_member (change, "new"));
      gboolean manual = json_object_get_boolean_member_with_default (change, "overwrote_manual", FALSE);

      g_string_append_c (text, '\n');
      /* Translators: a changed value: field, old value, new value */
      g_string_append_printf (text, _("    %s: %s → %s"), field_name (syn_json_get_string (change, "field")), old,
                              new_value);
      if (manual)
        /* Translators: after a change that replaces a value a person typed */
        g_string_append (text, _("  (overwrites a manual edit)"));
      overwrites = overwrites || manual;
    }
  label = add_line (self, text->str, overwrites ? "held" : NULL);
  if (overwrites)
    gtk_widget_set_tooltip_text (label, _("Someone changed this value by hand since the last import; the file's "
                                          "value replaces it."));
}

static void
add_updated (SynImportDialog *self, JsonArray *updated)
{
  guint n = updated ? json_array_get_length (updated) : 0;
  g_autofree char *heading = NULL;

  if (n == 0)
    return;
  heading = g_strdup_printf (_("Updated (%d)"), (int) n);
  add_line (self, heading, "heading");
  for (guint i = 0; i < n && i < MAX_ROWS; i++)
    add_updated_entry (self, json_array_get_object_element (updated, i));
  add_more (self, n, MAX_ROWS);
}

static void
add_missing (SynImportDialog *self, JsonArray *missing, gboolean delete)
{
  guint n = missing ? json_array_get_length (missing) : 0;
  g_autofree char *heading = NULL;

  if (n == 0)
    return;
  heading = delete ? g_strdup_printf (_("Missing from the file, to be deleted (%d)"), (int) n)
                   : g_strdup_printf (_("Missing from the file, kept (%d)"), (int) n);
  add_line (self, heading, "heading");
  for (guint i = 0; i < n && i < MAX_ROWS; i++)
    {
      JsonObject *entry = json_array_get_object_element (missing, i);
      g_autofree char *text = NULL;

      if (delete && json_object_has_member (entry, "edges"))
        {
          g_autofree char *with = syn_format_outputs (0, json_object_get_int_member (entry, "cables"),
                                                      json_object_get_int_member (entry, "edges"));

          /* Translators: an asset to delete: tag, type, what goes with it ("1 cable and 2 edges") */
          if (with != NULL)
            text = g_strdup_printf (_("%s · %s · with %s"), syn_json_get_string (entry, "tag"),
                                    syn_json_get_string (entry, "type"), with);
        }
      if (text == NULL)
        text = g_strdup_printf ("%s · %s", syn_json_get_string (entry, "tag"), syn_json_get_string (entry, "type"));
      add_line (self, text, delete ? "error" : NULL);
    }
  add_more (self, n, MAX_ROWS);
}

static void
add_issues (SynImportDialog *self, JsonArray *issues, const char *css_class)
{
  guint n = issues ? json_array_get_length (issues) : 0;

  for (guint i = 0; i < n && i < MAX_ROWS; i++)
    {
      JsonObject *issue = json_array_get_object_element (issues, i);
      g_autofree char *text = NULL;

      /* Translators: one problem of a CSV file: its line, then what is wrong */
      text = g_strdup_printf (_("Line %d: %s"), (int) json_object_get_int_member_with_default (issue, "line", 0),
                              syn_json_get_string (issue, "message"));
      add_line (self, text, css_class);
    }
  add_more (self, n, MAX_ROWS);
}

static void
fill_list (SynImportDialog *self, JsonObject *preview)
{
  JsonObject *diff = syn_ui_json_object (preview, "diff");
  JsonArray *errors = syn_ui_json_array (preview, "errors");
  JsonArray *warnings = syn_ui_json_array (preview, "warnings");
  gint64 unchanged = count_of (preview, "unchanged");
  GtkWidget *row;

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->preview_list))) != NULL)
    gtk_list_box_remove (self->preview_list, row);

  if ((errors && json_array_get_length (errors) > 0) || (warnings && json_array_get_length (warnings) > 0))
    {
      add_line (self, _("Problems"), "heading");
      add_issues (self, errors, "error");
      add_issues (self, warnings, "held");
    }
  add_created (self, syn_ui_json_array (diff, "created"));
  add_updated (self, syn_ui_json_array (diff, "updated"));
  if (unchanged > 0)
    {
      g_autofree char *text = NULL;

      /* Translators: rows of a revised list that change nothing */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Unchanged: %d asset", "Unchanged: %d assets",
                                           (gulong) unchanged), (int) unchanged);
      add_line (self, text, "heading");
    }
  add_missing (self, syn_ui_json_array (diff, "missing"),
               json_object_get_boolean_member_with_default (preview, "delete_missing", FALSE));
}

/* ------------------------------------------------------------------------- */
/* What the dialog says                                                      */

static char *
revision_summary (JsonObject *preview)
{
  const char *status = syn_json_get_string (preview, "status");
  gint64 skipped = count_of (preview, "skipped");
  g_autofree char *counts = NULL;

  /* Translators: the counts of a revised asset list */
  counts = g_strdup_printf (_("%d created, %d updated, %d unchanged, %d missing"), (int) count_of (preview, "created"),
                            (int) count_of (preview, "updated"), (int) count_of (preview, "unchanged"),
                            (int) count_of (preview, "missing"));
  if (g_strcmp0 (status, "empty") == 0)
    return g_strdup (_("No row of the file can be imported."));
  if (g_strcmp0 (status, "unchanged") == 0)
    /* Translators: %s are the counts */
    return g_strdup_printf (_("Nothing to change: the project already has the file's values (%s)."), counts);
  if (skipped > 0)
    /* Translators: %s are the counts, then rows with errors */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s; %d row skipped.", "%s; %d rows skipped.",
                                         (gulong) skipped), counts, (int) skipped);
  return g_strdup_printf ("%s.", counts);
}

/* For new assets the revision's preview says it all: its created rows
 * become assets, the rows it matched by tag are refused. */
static char *
add_summary (JsonObject *preview)
{
  gint64 created = count_of (preview, "created");
  gint64 matched = count_of (preview, "updated") + count_of (preview, "unchanged");
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  first = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d row becomes a new asset.", "%d rows become new assets.",
                                        (gulong) created), (int) created);
  if (matched == 0)
    return g_steal_pointer (&first);
  second = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%d row names a tag the project already has: it will be refused.",
                                         "%d rows name tags the project already has: they will be refused.",
                                         (gulong) matched), (int) matched);
  return g_strdup_printf ("%s %s", first, second);
}

static void
update_view (SynImportDialog *self)
{
  JsonObject *preview = preview_object (self);
  gboolean revision = gtk_check_button_get_active (self->revision_button);
  g_autofree char *summary = NULL;

  if (preview == NULL)
    return;
  summary = revision ? revision_summary (preview) : add_summary (preview);
  gtk_label_set_text (self->summary_label, summary);
  gtk_widget_set_visible (self->preview_scroller, revision);
  gtk_widget_set_visible (GTK_WIDGET (self->delete_missing_button), revision && count_of (preview, "missing") > 0);
  if (revision)
    fill_list (self, preview);
  update_buttons (self);
}

/* ------------------------------------------------------------------------- */
/* Preview and import                                                        */

typedef struct
{
  SynImportDialog *self;
  guint            serial;
} PreviewCall;

static void
preview_loaded (GObject *object, GAsyncResult *result, gpointer user_data)
{
  PreviewCall *call = user_data;
  g_autoptr(SynImportDialog) self = call->self;
  guint serial = call->serial;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  JsonObject *preview;

  g_free (call);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* a newer preview is on its way (the check was toggled again) */
  if (serial != self->serial)
    return;
  self->busy = FALSE;
  g_clear_pointer (&self->preview, json_node_unref);
  if (answer == NULL)
    {
      /* the file itself is wrong (an unknown delimiter...): nothing to import */
      gtk_label_set_text (self->summary_label, _("This file cannot be imported."));
      gtk_widget_set_visible (self->preview_scroller, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->delete_missing_button), FALSE);
      show_error (self, error->message);
      update_buttons (self);
      present (self);
      return;
    }
  show_error (self, NULL);
  self->preview = g_steal_pointer (&answer);
  preview = preview_object (self);
  /* a file naming tags the project has is most likely its next issue */
  if (!self->chosen)
    {
      self->chosen = TRUE;
      if (count_of (preview, "updated") + count_of (preview, "unchanged") > 0)
        gtk_check_button_set_active (self->revision_button, TRUE);
    }
  update_view (self);
  present (self);
}

/* The revision's dry run, which also tells what an import of new assets
 * would do. */
static void
request_preview (SynImportDialog *self)
{
  g_autoptr(JsonObject) params = json_object_new ();
  PreviewCall *call = g_new0 (PreviewCall, 1);

  self->busy = TRUE;
  update_buttons (self);
  json_object_set_string_member (params, "project_id", syn_session_get_project_id (self->session));
  json_object_set_string_member (params, "csv", self->csv);
  json_object_set_string_member (params, "mode", "revision");
  json_object_set_boolean_member (params, "dry_run", TRUE);
  json_object_set_boolean_member (params, "delete_missing",
                                  gtk_check_button_get_active (self->delete_missing_button));
  call->self = g_object_ref (self);
  call->serial = ++self->serial;
  syn_backend_call_async (syn_session_get_backend (self->session), SYN_OP_IMPORT_CSV, params, self->cancellable,
                          preview_loaded, call);
}

static void
imported (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SynImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (answer == NULL)
    {
      self->busy = FALSE;
      show_error (self, error->message);
      update_buttons (self);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_IMPORTED], 0, answer);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_mode_toggled (SynImportDialog *self)
{
  self->chosen = TRUE;
  update_view (self);
}

static void
on_delete_missing_toggled (SynImportDialog *self)
{
  /* the preview counts what the delete takes with it */
  request_preview (self);
}

static void
on_import_clicked (SynImportDialog *self)
{
  syn_import_dialog_confirm (self);
}

/* Imports as chosen: new assets, or the revision (deleting what is missing
 * when asked). */
void
syn_import_dialog_confirm (SynImportDialog *self)
{
  g_autoptr(JsonObject) params = json_object_new ();
  gboolean revision;

  g_return_if_fail (SYN_IS_IMPORT_DIALOG (self));

  if (!can_import (self))
    return;
  revision = gtk_check_button_get_active (self->revision_button);
  self->busy = TRUE;
  show_error (self, NULL);
  update_buttons (self);
  json_object_set_string_member (params, "project_id", syn_session_get_project_id (self->session));
  json_object_set_string_member (params, "csv", self->csv);
  json_object_set_string_member (params, "mode", revision ? "revision" : "add");
  if (revision)
    json_object_set_boolean_member (params, "delete_missing",
                                    gtk_check_button_get_active (self->delete_missing_button));
  syn_backend_call_async (syn_session_get_backend (self->session), SYN_OP_IMPORT_CSV, params, self->cancellable,
                          imported, g_object_ref (self));
}

/* ------------------------------------------------------------------------- */
/* The object                                                                */

static void
syn_import_dialog_dispose (GObject *object)
{
  SynImportDialog *self = SYN_IMPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), SYN_TYPE_IMPORT_DIALOG);

  G_OBJECT_CLASS (syn_import_dialog_parent_class)->dispose (object);
}

static void
syn_import_dialog_finalize (GObject *object)
{
  SynImportDialog *self = SYN_IMPORT_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->preview, json_node_unref);
  g_clear_pointer (&self->csv, g_free);

  G_OBJECT_CLASS (syn_import_dialog_parent_class)->finalize (object);
}

static void
syn_import_dialog_class_init (SynImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = syn_import_dialog_dispose;
  object_class->finalize = syn_import_dialog_finalize;

  /**
   * SynImportDialog::imported:
   * @answer: the import's answer (a JsonNode)
   */
  signals[SIGNAL_IMPORTED] =
    g_signal_new ("imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, JSON_TYPE_NODE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/synapse_rules/Synapse/ui/syn-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SynImportDialog, title_label);
  gtk_widget_class_bind_template_child (widget_class, SynImportDialog, add_button);
  gtk_widget_class_bind_template_child (widget_class, SynImportDialog, revision_button);
  gtk_widget_class_bind_template_child (widget_class, SynImportDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, SynImportDialog, preview_scroller);
  gtk_widget_class_bind_template_child (widget_class, SynImportDialog, preview_list);
  gtk_widget_class_bind_template_child (widget_class, SynImportDialog, delete_missing_button);
  gtk_widget_class_bind_template_child (widget_class, SynImportDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, SynImportDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, SynImportDialog, import_button);
  gtk_widget_class_bind_template_callback (widget_class, on_mode_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_delete_missing_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_import_clicked);
}

static void
syn_import_dialog_init (SynImportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/* A dialog for @csv (the text of @file_name) into the session's project;
 * shown once the preview is in. */
SynImportDialog *
syn_import_dialog_new (GtkWindow  *parent,
                       SynSession *session,
                       const char *file_name,
                       const char *csv)
{
  SynImportDialog *self;
  SynProject *project;
  g_autofree char *title = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (SYN_IS_SESSION (session), NULL);
  g_return_val_if_fail (syn_session_get_project_id (session) != NULL, NULL);
  g_return_val_if_fail (csv != NULL, NULL);

  self = g_object_new (SYN_TYPE_IMPORT_DIALOG, "transient-for", parent, NULL);
  self->session = g_object_ref (session);
  self->csv = g_strdup (csv);
  project = syn_session_get_project (session);
  /* Translators: the file's name, then the project's */
  title = g_strdup_printf (_("Import %s into %s"), file_name ? file_name : _("the file"),
                           project ? project->name : syn_session_get_project_id (session));
  gtk_label_set_text (self->title_label, title);
  request_preview (self);
  return self;
}

/* A preview (or the file's error) is shown and nothing is on its way. */
gboolean
syn_import_dialog_get_ready (SynImportDialog *self)
{
  g_return_val_if_fail (SYN_IS_IMPORT_DIALOG (self), FALSE);
  return !self->busy && gtk_widget_get_visible (GTK_WIDGET (self));
}

gboolean
syn_import_dialog_get_revision (SynImportDialog *self)
{
  g_return_val_if_fail (SYN_IS_IMPORT_DIALOG (self), FALSE);
  return gtk_check_button_get_active (self->revision_button);
}

void
syn_import_dialog_set_revision (SynImportDialog *self, gboolean revision)
{
  g_return_if_fail (SYN_IS_IMPORT_DIALOG (self));
  gtk_check_button_set_active (revision ? self->revision_button : self->add_button, TRUE);
}

void
syn_import_dialog_set_delete_missing (SynImportDialog *self, gboolean delete_missing)
{
  g_return_if_fail (SYN_IS_IMPORT_DIALOG (self));
  gtk_check_button_set_active (self->delete_missing_button, delete_missing);
}

/* The newest preview (the revision's dry run), or NULL. */
JsonObject *
syn_import_dialog_get_preview (SynImportDialog *self)
{
  g_return_val_if_fail (SYN_IS_IMPORT_DIALOG (self), NULL);
  return preview_object (self);
}

gboolean
syn_import_dialog_get_can_import (SynImportDialog *self)
{
  g_return_val_if_fail (SYN_IS_IMPORT_DIALOG (self), FALSE);
  return can_import (self);
}
