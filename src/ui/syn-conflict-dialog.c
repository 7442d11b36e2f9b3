/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-conflict-dialog.c: SynConflictDialog: one group per operation in conflict (what it was, why the server
 * refused it), one row per field with base, theirs and mine, and Keep Mine / Keep Theirs, each kept in the
 * clone by syn_sync_client_resolve() in a worker. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "core/syn-json.h"
#include "syn-conflict-dialog.h"
#include "syn-sync-jobs.h"
#include "syn-ui-format.h"

struct _SynConflictDialog
{
  AdwWindow          parent_instance;

  char              *path;
  char              *project_id;
  GCancellable      *cancellable;
  GHashTable        *groups;        /* op id (gint64 *) -> AdwPreferencesGroup, weak: in the page */
  AdwPreferencesPage *page;
  GtkLabel          *error_label;
};

G_DEFINE_FINAL_TYPE (SynConflictDialog, syn_conflict_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_RESOLVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What an operation was, in the user's words. */
static const char *
describe_op (const char *op)
{
  static const struct { const char *op; const char *label; } labels[] = {
    { "create_asset", N_("New asset") },
    { "update_asset", N_("Edit") },
    { "update_assets", N_("Edit of several assets") },
    { "delete_asset", N_("Deletion") },
    { "delete_entities", N_("Deletion") },
    { "reset_asset", N_("Reset to the rules' values") },
    { "import_csv", N_("Import") },
    { "rollback", N_("Rollback") },
    { "redo", N_("Redo") },
    { "save_rule", N_("Rule change") },
    { "delete_rule", N_("Rule deletion") },
    { "execute", N_("Run of the rules") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (labels[i].op, op) == 0)
      return _(labels[i].label);
  return op ? op : "";
}

/* The server's reasons are words of the API: said in the user's language. */
static const char *
describe_reason (const char *reason)
{
  if (g_strcmp0 (reason, "changed on the server") == 0)
    return _("changed on the server");
  if (g_strcmp0 (reason, "deleted on the server") == 0)
    return _("deleted on the server");
  return reason;
}

static char *
field_label (const char *field)
{
  if (field != NULL && g_str_has_prefix (field, "properties."))
    return g_strdup (field + strlen ("properties."));
  return g_strdup (syn_format_field (field));
}

static char *
value_text (JsonObject *conflict, const char *member)
{
  JsonNode *node = json_object_get_member (conflict, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    /* Translators: a value that is not there (a field without value, a deleted asset) */
    return g_strdup (_("(none)"));
  return syn_format_value (node);
}

/* One field in conflict: base, theirs, mine. */
static GtkWidget *
field_row (JsonObject *conflict)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *field = field_label (syn_json_get_string (conflict, "field"));
  const char *tag = syn_json_get_string (conflict, "tag");
  const char *reason = describe_reason (syn_json_get_string (conflict, "reason"));
  g_autofree char *title = NULL;
  g_autofree char *base = value_text (conflict, "base");
  g_autofree char *theirs = value_text (conflict, "theirs");
  g_autofree char *mine = value_text (conflict, "mine");
  g_autofree char *values = NULL;
  g_autofree char *markup = NULL;

  /* Translators: a field in conflict: the asset's tag, the field, why ("changed on the server") */
  title = g_strdup_printf (_("%s · %s — %s"), tag ? tag : "", field, reason ? reason : "");
  /* Translators: a field's three values in a conflict: before the offline edit, the server's, the edit's */
  values = g_strdup_printf (_("Base: %s\nTheirs: %s\nMine: %s"), base, theirs, mine);
  markup = g_markup_escape_text (title, -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), markup);
  g_clear_pointer (&markup, g_free);
  markup = g_markup_escape_text (values, -1);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), markup);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 6);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  gtk_widget_add_css_class (row, "conflict-field");
  return row;
}

static GtkWidget *
choice_button (const char *mnemonic, const char *tooltip, gint64 id, const char *choice)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (mnemonic);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(xs)", id, choice);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "conflict.keep");
  return button;
}

static GtkWidget *
operation_group (JsonObject *op)
{
  GtkWidget *group = adw_preferences_group_new ();
  JsonObject *conflict = syn_ui_json_object (op, "conflict");
  JsonArray *fields = conflict ? syn_ui_json_array (conflict, "conflicts") : NULL;
  gint64 id = json_object_get_int_member_with_default (op, "id", 0);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  g_autofree char *title = NULL;
  g_autofree char *short_id = syn_format_short_id (syn_json_get_string (op, "correlation_id"));
  g_autofree char *markup = NULL;
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  /* Translators: an operation in conflict: its number (for synapse sync --resolve), what it was, its local batch */
  title = g_strdup_printf (_("%s. %s, batch %s"), number, describe_op (syn_json_get_string (op, "op")), short_id);
  markup = g_markup_escape_text (title, -1);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), markup);
  /* the server's sentence, where there are no fields to show (a rollback it refuses) */
  if (conflict != NULL && syn_json_get_string (conflict, "message") != NULL &&
      (fields == NULL || json_array_get_length (fields) == 0))
    {
      g_clear_pointer (&markup, g_free);
      markup = g_markup_escape_text (syn_json_get_string (conflict, "message"), -1);
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), markup);
    }
  for (guint i = 0; fields != NULL && i < json_array_get_length (fields); i++)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), field_row (json_array_get_object_element (fields, i)));

  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_widget_set_margin_top (buttons, 12);
  gtk_box_append (GTK_BOX (buttons),
                  choice_button (_("Keep _Theirs"), _("Drop this change: the server's values stay (recorded as dropped)"),
                                 id, "theirs"));
  gtk_box_append (GTK_BOX (buttons),
                  choice_button (_("Keep _Mine"), _("Apply this change over the server's at the next sync"),
                                 id, "mine"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), buttons);
  return group;
}

typedef struct
{
  SynConflictDialog *self;
  gint64             id;
  char              *choice;
} Resolve;

static void
resolved (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Resolve *r = user_data;
  g_autoptr(SynConflictDialog) self = r->self;
  g_autofree char *choice = r->choice;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_sync_job_run_finish (result, &error);
  GtkWidget *group;
  gint64 id = r->id;

  g_free (r);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  group = g_hash_table_lookup (self->groups, &id);
  if (group != NULL)
    gtk_widget_set_sensitive (group, TRUE);
  if (answer == NULL)
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }
  if (group != NULL)
    {
      adw_preferences_page_remove (self->page, ADW_PREFERENCES_GROUP (group));
      g_hash_table_remove (self->groups, &id);
    }
  g_signal_emit (self, signals[SIGNAL_RESOLVED], 0, id, choice);
  if (g_hash_table_size (self->groups) == 0)
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
keep_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynConflictDialog *self = SYN_CONFLICT_DIALOG (widget);
  Resolve *r;
  GtkWidget *group;
  SynSyncJobRequest request = { .kind = SYN_SYNC_JOB_RESOLVE, .path = self->path, .project = self->project_id };

  r = g_new0 (Resolve, 1);
  g_variant_get (parameter, "(xs)", &r->id, &r->choice);
  group = g_hash_table_lookup (self->groups, &r->id);
  if (group == NULL)
    {
      g_free (r->choice);
      g_free (r);
      return;
    }
  /* one answer at a time for this operation */
  gtk_widget_set_sensitive (group, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  r->self = g_object_ref (self);
  request.op_id = r->id;
  request.choice = r->choice;
  syn_sync_job_run_async (&request, self->cancellable, resolved, r);
}

guint
syn_conflict_dialog_get_n_left (SynConflictDialog *self)
{
  g_return_val_if_fail (SYN_IS_CONFLICT_DIALOG (self), 0);
  return g_hash_table_size (self->groups);
}

static void
syn_conflict_dialog_dispose (GObject *object)
{
  SynConflictDialog *self = SYN_CONFLICT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  G_OBJECT_CLASS (syn_conflict_dialog_parent_class)->dispose (object);
}

static void
syn_conflict_dialog_finalize (GObject *object)
{
  SynConflictDialog *self = SYN_CONFLICT_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->groups, g_hash_table_unref);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->project_id, g_free);
  G_OBJECT_CLASS (syn_conflict_dialog_parent_class)->finalize (object);
}

static void
syn_conflict_dialog_class_init (SynConflictDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = syn_conflict_dialog_dispose;
  object_class->finalize = syn_conflict_dialog_finalize;

  /**
   * SynConflictDialog::resolved:
   * @op_id: the clone's operation
   * @choice: "mine" (pushed over theirs at the next sync) or "theirs" (dropped)
   */
  signals[SIGNAL_RESOLVED] =
    g_signal_new ("resolved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);
  gtk_widget_class_install_action (widget_class, "conflict.keep", "(xs)", keep_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
syn_conflict_dialog_init (SynConflictDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();

  self->cancellable = g_cancellable_new ();
  self->groups = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  gtk_window_set_title (GTK_WINDOW (self), _("Conflicts with the Server"));
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 640, 560);
  gtk_widget_set_size_request (GTK_WIDGET (self), 340, 300);
  gtk_box_append (GTK_BOX (box), header);
  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_widget_set_margin_top (GTK_WIDGET (self->error_label), 6);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->error_label));
  self->page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->page), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->page));
  adw_window_set_content (ADW_WINDOW (self), box);
}

SynConflictDialog *
syn_conflict_dialog_new (GtkWindow *parent, const char *path, const char *project_id, JsonArray *operations)
{
  SynConflictDialog *self;
  GtkWidget *intro = adw_preferences_group_new ();

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (path != NULL && project_id != NULL && operations != NULL, NULL);

  self = g_object_new (SYN_TYPE_CONFLICT_DIALOG, "transient-for", parent, NULL);
  self->path = g_strdup (path);
  self->project_id = g_strdup (project_id);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (intro),
                                         _("These changes made offline touch what changed on the server since the "
                                           "copy was made. Nothing is applied until you choose: Keep Mine applies "
                                           "the change over the server's at the next sync, Keep Theirs drops it."));
  adw_preferences_page_add (self->page, ADW_PREFERENCES_GROUP (intro));
  for (guint i = 0; i < json_array_get_length (operations); i++)
    {
      JsonObject *op = json_array_get_object_element (operations, i);
      GtkWidget *group = operation_group (op);
      gint64 *key = g_new (gint64, 1);

      *key = json_object_get_int_member_with_default (op, "id", 0);
      g_hash_table_replace (self->groups, key, group);
      adw_preferences_page_add (self->page, ADW_PREFERENCES_GROUP (group));
    }
  return self;
}
