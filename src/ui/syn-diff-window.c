/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-diff-window.c: SynDiffWindow: the engineer's revision report between two moments of a project.
 *
 * The diff arrives whole (SYN_OP_DIFF); its changes become one flat list of
 * rows (a heading per type and change, a row per entity, a row per field
 * changed) in a GtkListView, so that thousands of changes cost only the
 * rows on screen. */
#include "config.h"

#include <glib/gi18n.h>

#include "core/syn-json.h"
#include "syn-diff-window.h"
#include "syn-export-chooser.h"
#include "syn-json-item.h"
#include "syn-ui-format.h"
#include "syn-ui-widget.h"

struct _SynDiffWindow
{
  AdwWindow       parent_instance;

  SynSession     *session;
  char           *from;
  char           *to;
  char           *from_label;
  char           *to_label;
  JsonNode       *diff;
  GListStore     *rows;           /* SynJsonItem */
  GCancellable   *cancellable;
  guint           busy;
  gint64          exported;
  char           *export_error;

  AdwWindowTitle *window_title;
  GtkWidget      *export_button;
  GtkLabel       *from_label_widget;
  GtkLabel       *to_label_widget;
  GtkLabel       *counts_label;
  GtkStack       *stack;
  GtkSpinner     *spinner;
  AdwStatusPage  *error_page;
  GtkListView    *list_view;
};

G_DEFINE_FINAL_TYPE (SynDiffWindow, syn_diff_window, ADW_TYPE_WINDOW)

static const char * const kinds[] = { "assets", "cables", "edges" };
static const char * const changes[] = { "added", "removed", "changed" };

static void
busy_push (SynDiffWindow *self)
{
  if (self->busy++ == 0)
    gtk_spinner_set_spinning (self->spinner, TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diff.export", FALSE);
}

static void
busy_pop (SynDiffWindow *self)
{
  g_return_if_fail (self->busy > 0);
  if (--self->busy == 0)
    gtk_spinner_set_spinning (self->spinner, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diff.export", self->busy == 0 && self->diff != NULL);
}

/* ------------------------------------------------------------------------- */
/* Rows                                                                      */

/* "Assets added", "Cables changed"... */
static const char *
group_title (guint kind, guint change)
{
  static const char * const titles[3][3] = {
    { N_("Assets added"), N_("Assets removed"), N_("Assets changed") },
    { N_("Cables added"), N_("Cables removed"), N_("Cables changed") },
    { N_("Edges added"), N_("Edges removed"), N_("Edges changed") },
  };

  return _(titles[kind][change]);
}

/* What an entity is called: its tag (and type), an edge by its relation. */
static char *
entity_name (JsonObject *change, guint kind)
{
  JsonObject *entity = json_object_get_object_member (change, "entity");
  const char *tag = syn_json_get_string (change, "tag");
  g_autofree char *short_id = syn_format_short_id (syn_json_get_string (change, "id"));

  if (kind == 2 && entity != NULL)
    {
      g_autofree char *source = syn_format_short_id (syn_json_get_string (entity, "source_asset_id"));
      g_autofree char *target = syn_format_short_id (syn_json_get_string (entity, "target_asset_id"));

      /* Translators: an edge in a comparison: its short id, then its source, relation and target */
      return g_strdup_printf (_("edge %s: %s %s %s"), short_id, source,
                              syn_json_get_string (entity, "relation") ? syn_json_get_string (entity, "relation") : "?",
                              target);
    }
  if (tag == NULL)
    return g_strdup (short_id);
  if (entity != NULL && syn_json_get_string (entity, kind == 1 ? "cable_type" : "type") != NULL)
    return g_strdup_printf ("%s (%s)", tag, syn_json_get_string (entity, kind == 1 ? "cable_type" : "type"));
  return g_strdup (tag);
}

/* Who did it: "batch 3fa9c2d1 · alice", "3 batches · alice, bob". */
static char *
responsible (JsonObject *change)
{
  JsonArray *batches = json_object_get_array_member (change, "batches");
  guint n = batches ? json_array_get_length (batches) : 0;
  g_autoptr(GPtrArray) users = g_ptr_array_new ();
  g_autofree char *who = NULL;

  if (n == 0)
    return g_strdup ("");
  for (guint i = 0; i < n; i++)
    {
      JsonObject *b = json_array_get_object_element (batches, i);
      /* the person's name where the backend knows it (a team server's users), else the login */
      const char *user = syn_json_get_string (b, "user_name") ? syn_json_get_string (b, "user_name")
                                                                : syn_json_get_string (b, "user_id");

      if (user == NULL)
        user = _("local user");
      if (!g_ptr_array_find_with_equal_func (users, user, g_str_equal, NULL))
        g_ptr_array_add (users, (gpointer) user);
    }
  g_ptr_array_add (users, NULL);
  who = g_strjoinv (", ", (char **) users->pdata);
  if (n == 1)
    {
      JsonObject *b = json_array_get_object_element (batches, 0);
      g_autofree char *id = syn_format_short_id (syn_json_get_string (b, "correlation_id"));
      g_autofree char *when = syn_format_time (syn_json_get_string (b, "timestamp"));

      /* Translators: who changed it: the batch's short id, the person, when */
      return g_strdup_printf (_("batch %s · %s · %s"), id, who, when);
    }
  /* Translators: who changed it: how many batches, the people */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u batch · %s", "%u batches · %s", n), n, who);
}

static void
add_row (GPtrArray *rows, const char *row, guint kind, guint change, const char *text, const char *detail)
{
  g_autoptr(JsonObject) o = json_object_new ();

  json_object_set_string_member (o, "row", row);
  json_object_set_string_member (o, "kind", kinds[kind]);
  json_object_set_string_member (o, "change", changes[change]);
  syn_json_set_string_or_null (o, "detail", detail);
  g_ptr_array_add (rows, syn_json_item_new (o, text));
}

static void
fill_rows (SynDiffWindow *self, JsonObject *diff)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      JsonObject *group = json_object_get_object_member (diff, kinds[k]);

      for (guint c = 0; group != NULL && c < G_N_ELEMENTS (changes); c++)
        {
          JsonArray *list = json_object_get_array_member (group, changes[c]);
          guint n = list ? json_array_get_length (list) : 0;
          g_autofree char *heading = NULL;

          if (n == 0)
            continue;
          heading = g_strdup_printf ("%s (%u)", group_title (k, c), n);
          add_row (rows, "group", k, c, heading, NULL);
          for (guint i = 0; i < n; i++)
            {
              JsonObject *change = json_array_get_object_element (list, i);
              JsonArray *fields = json_object_has_member (change, "fields")
                                  ? json_object_get_array_member (change, "fields") : NULL;
              g_autofree char *name = entity_name (change, k);
              g_autofree char *who = responsible (change);
              g_autofree char *text = *who ? g_strdup_printf ("%s — %s", name, who) : g_strdup (name);

              add_row (rows, "entity", k, c, text, syn_json_get_string (change, "id"));
              for (guint j = 0; fields != NULL && j < json_array_get_length (fields); j++)
                {
                  JsonObject *field = json_array_get_object_element (fields, j);
                  g_autofree char *old = syn_format_value (json_object_get_member (field, "old"));
                  g_autofree char *new = syn_format_value (json_object_get_member (field, "new"));
                  /* Translators: a field changed: its name, the old value, the new one */
                  g_autofree char *line = g_strdup_printf (_("%s: %s → %s"), syn_format_field (syn_json_get_string (field, "field")),
                                                           old, new);

                  add_row (rows, "field", k, c, line, syn_json_get_string (field, "field"));
                }
            }
        }
    }
  g_list_store_splice (self->rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rows)), rows->pdata, rows->len);
}

static void
row_setup (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  /* old and new values matter more than one line per row: narrow, they wrap */
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 2);
  gtk_widget_set_margin_bottom (label, 2);
  gtk_list_item_set_child (item, label);
  gtk_list_item_set_activatable (item, FALSE);
}

static void
row_bind (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  GtkWidget *label = gtk_list_item_get_child (item);
  SynJsonItem *row = gtk_list_item_get_item (item);
  const char *kind = syn_json_item_get_string (row, "row");
  const char *change = syn_json_item_get_string (row, "change");
  static const char * const classes[] = { "diff-group", "diff-entity", "diff-field", "added", "removed", "changed" };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (label, classes[i]);
  gtk_label_set_text (GTK_LABEL (label), syn_json_item_get_label (row));
  if (g_strcmp0 (kind, "group") == 0)
    gtk_widget_add_css_class (label, "diff-group");
  else if (g_strcmp0 (kind, "entity") == 0)
    gtk_widget_add_css_class (label, "diff-entity");
  else
    gtk_widget_add_css_class (label, "diff-field");
  if (g_strcmp0 (kind, "field") != 0 && change != NULL)
    gtk_widget_add_css_class (label, change);
}

/* ------------------------------------------------------------------------- */
/* Loading                                                                   */

static void
show_sides (SynDiffWindow *self, JsonObject *diff)
{
  JsonObject *counts = diff ? json_object_get_object_member (diff, "counts") : NULL;
  gint64 added = counts ? json_object_get_int_member_with_default (counts, "added", 0) : 0;
  gint64 removed = counts ? json_object_get_int_member_with_default (counts, "removed", 0) : 0;
  gint64 changed = counts ? json_object_get_int_member_with_default (counts, "changed", 0) : 0;
  /* Translators: the older side of a comparison */
  g_autofree char *from = g_strdup_printf (_("From: %s"), self->from_label);
  /* Translators: the newer side of a comparison */
  g_autofree char *to = g_strdup_printf (_("To: %s"), self->to_label);
  g_autofree char *a = NULL, *r = NULL, *c = NULL, *text = NULL;

  gtk_label_set_text (self->from_label_widget, from);
  gtk_label_set_text (self->to_label_widget, to);
  if (diff == NULL)
    {
      gtk_label_set_text (self->counts_label, "");
      return;
    }
  a = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d added", "%d added", (gulong) added), (int) added);
  r = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d removed", "%d removed", (gulong) removed), (int) removed);
  c = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d changed", "%d changed", (gulong) changed), (int) changed);
  /* Translators: the counts of a comparison: "3 added · 1 removed · 5 changed" */
  text = g_strdup_printf (_("%s · %s · %s"), a, r, c);
  gtk_label_set_text (self->counts_label, text);
}

static void
diff_loaded (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SynDiffWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  JsonNode *answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  JsonObject *counts;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (answer == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      busy_pop (self);
      return;
    }
  self->diff = answer;
  show_sides (self, json_node_get_object (answer));
  fill_rows (self, json_node_get_object (answer));
  counts = json_object_get_object_member (json_node_get_object (answer), "counts");
  gtk_stack_set_visible_child_name (self->stack,
                                    counts && json_object_get_int_member_with_default (counts, "added", 0) +
                                              json_object_get_int_member_with_default (counts, "removed", 0) +
                                              json_object_get_int_member_with_default (counts, "changed", 0) > 0
                                    ? "list" : "empty");
  busy_pop (self);
}

static void
load (SynDiffWindow *self)
{
  g_autoptr(JsonObject) params = json_object_new ();
  SynBackend *backend = syn_session_get_backend (self->session);

  if (backend == NULL || syn_session_get_project_id (self->session) == NULL)
    return;
  json_object_set_string_member (params, "project_id", syn_session_get_project_id (self->session));
  json_object_set_string_member (params, "from", self->from);
  if (self->to != NULL)
    json_object_set_string_member (params, "to", self->to);
  busy_push (self);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  syn_backend_call_async (backend, SYN_OP_DIFF, params, self->cancellable, diff_loaded, g_object_ref (self));
}

/* ------------------------------------------------------------------------- */
/* Export                                                                    */

typedef struct
{
  SynDiffWindow *self;
  GFile         *file;
} Export;

static void
export_written (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SynDiffWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  guint rows = 0;

  busy_pop (self);
  g_clear_pointer (&self->export_error, g_free);
  if (!syn_export_to_file_finish (result, &rows, &error))
    {
      self->exported = -1;
      self->export_error = g_strdup (error->message);
      if (self->session != NULL)
        syn_session_report_error (self->session, _("Could not export the differences"), error);
      return;
    }
  self->exported = rows;
  if (self->session != NULL)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %u row.", "Exported %u rows.",
                                                            rows), rows);

      syn_session_report_info (self->session, text);
    }
}

static void
csv_loaded (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Export *e = user_data;
  g_autoptr(SynDiffWindow) self = e->self;
  g_autoptr(GFile) file = e->file;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  const char *content;
  guint rows = 0;

  g_free (e);
  if (answer == NULL)
    {
      busy_pop (self);
      self->exported = -1;
      g_free (self->export_error);
      self->export_error = g_strdup (error->message);
      if (self->session != NULL)
        syn_session_report_error (self->session, _("Could not export the differences"), error);
      return;
    }
  content = syn_json_get_string (json_node_get_object (answer), "content");
  /* rows: the lines after the header */
  for (const char *p = content ? content : ""; *p; p++)
    rows += *p == '\n';
  syn_export_text_to_file_async (g_strdup (content ? content : ""), rows > 0 ? rows - 1 : 0, file, self->cancellable,
                                 export_written, g_object_ref (self));
}

void
syn_diff_window_export_to_file (SynDiffWindow *self, GFile *file)
{
  g_autoptr(JsonObject) params = json_object_new ();
  Export *e;

  g_return_if_fail (SYN_IS_DIFF_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->session == NULL || syn_session_get_backend (self->session) == NULL || self->diff == NULL)
    return;
  /* the operation's own CSV: the one the command line and the server give */
  json_object_set_string_member (params, "project_id", syn_session_get_project_id (self->session));
  json_object_set_string_member (params, "from", self->from);
  if (self->to != NULL)
    json_object_set_string_member (params, "to", self->to);
  json_object_set_string_member (params, "format", "csv");
  e = g_new0 (Export, 1);
  e->self = g_object_ref (self);
  e->file = g_object_ref (file);
  busy_push (self);
  syn_backend_call_async (syn_session_get_backend (self->session), SYN_OP_DIFF, params, self->cancellable,
                          csv_loaded, e);
}

static void
on_export_chosen (GFile *file, gpointer data)
{
  syn_diff_window_export_to_file (SYN_DIFF_WINDOW (data), file);
}

static void
export_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynDiffWindow *self = SYN_DIFF_WINDOW (widget);
  SynProject *project = self->session ? syn_session_get_project (self->session) : NULL;
  g_autofree char *name = NULL;

  if (project == NULL || self->diff == NULL)
    return;
  /* Translators: the file name the export of a comparison suggests: the project's name */
  name = g_strdup_printf (_("%s-differences.csv"), project->name);
  g_strdelimit (name, "/\\:", '_');
  syn_export_chooser_run (GTK_WINDOW (self), _("Export the Differences"), name, "csv", on_export_chosen,
                          g_object_ref (self), g_object_unref);
}

/* ------------------------------------------------------------------------- */

gboolean
syn_diff_window_get_busy (SynDiffWindow *self)
{
  g_return_val_if_fail (SYN_IS_DIFF_WINDOW (self), FALSE);
  return self->busy > 0;
}

JsonObject *
syn_diff_window_get_diff (SynDiffWindow *self)
{
  g_return_val_if_fail (SYN_IS_DIFF_WINDOW (self), NULL);
  return self->diff ? json_node_get_object (self->diff) : NULL;
}

GListModel *
syn_diff_window_get_rows (SynDiffWindow *self)
{
  g_return_val_if_fail (SYN_IS_DIFF_WINDOW (self), NULL);
  return G_LIST_MODEL (self->rows);
}

const char *
syn_diff_window_get_counts_text (SynDiffWindow *self)
{
  g_return_val_if_fail (SYN_IS_DIFF_WINDOW (self), NULL);
  return gtk_label_get_text (self->counts_label);
}

gint64
syn_diff_window_get_exported (SynDiffWindow *self, const char **error)
{
  g_return_val_if_fail (SYN_IS_DIFF_WINDOW (self), -1);
  if (error != NULL)
    *error = self->export_error;
  return self->exported;
}

static void
syn_diff_window_dispose (GObject *object)
{
  SynDiffWindow *self = SYN_DIFF_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), SYN_TYPE_DIFF_WINDOW);

  G_OBJECT_CLASS (syn_diff_window_parent_class)->dispose (object);
}

static void
syn_diff_window_finalize (GObject *object)
{
  SynDiffWindow *self = SYN_DIFF_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->rows);
  g_clear_pointer (&self->diff, json_node_unref);
  g_clear_pointer (&self->from, g_free);
  g_clear_pointer (&self->to, g_free);
  g_clear_pointer (&self->from_label, g_free);
  g_clear_pointer (&self->to_label, g_free);
  g_clear_pointer (&self->export_error, g_free);

  G_OBJECT_CLASS (syn_diff_window_parent_class)->finalize (object);
}

static void
syn_diff_window_class_init (SynDiffWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = syn_diff_window_dispose;
  object_class->finalize = syn_diff_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/synapse_rules/Synapse/ui/syn-diff-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SynDiffWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, SynDiffWindow, export_button);
  gtk_widget_class_bind_template_child_full (widget_class, "from_label", FALSE,
                                             G_STRUCT_OFFSET (SynDiffWindow, from_label_widget));
  gtk_widget_class_bind_template_child_full (widget_class, "to_label", FALSE,
                                             G_STRUCT_OFFSET (SynDiffWindow, to_label_widget));
  gtk_widget_class_bind_template_child (widget_class, SynDiffWindow, counts_label);
  gtk_widget_class_bind_template_child (widget_class, SynDiffWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, SynDiffWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, SynDiffWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, SynDiffWindow, list_view);
  gtk_widget_class_install_action (widget_class, "diff.export", NULL, export_action);
}

static void
syn_diff_window_init (SynDiffWindow *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->rows = g_list_store_new (SYN_TYPE_JSON_ITEM);
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->rows)));
  g_signal_connect (factory, "setup", G_CALLBACK (row_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (row_bind), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diff.export", FALSE);
}

SynDiffWindow *
syn_diff_window_new (GtkWindow *parent, SynSession *session, const char *from, const char *from_label,
                     const char *to, const char *to_label)
{
  SynDiffWindow *self;
  SynProject *project;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (SYN_IS_SESSION (session), NULL);
  g_return_val_if_fail (from != NULL, NULL);

  self = g_object_new (SYN_TYPE_DIFF_WINDOW, "transient-for", parent, NULL);
  syn_ui_dialog_release_on_destroy (GTK_WINDOW (self), self->cancellable);
  self->session = g_object_ref (session);
  self->from = g_strdup (from);
  self->to = g_strdup (to);
  self->from_label = g_strdup (from_label ? from_label : from);
  self->to_label = g_strdup (to_label ? to_label : to ? to : _("now"));
  project = syn_session_get_project (session);
  if (project != NULL)
    adw_window_title_set_subtitle (self->window_title, project->name);
  show_sides (self, NULL);
  load (self);
  return self;
}
