/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-rule-editor-dialog.c: SynRuleEditorDialog: a rule's JSON in a monospace text view; Preview checks it
 * with the backend's own parser and asks what saving would do (SYN_OP_PREVIEW_RULE, nothing written);
 * Save writes it as one batch (RULE_DEFINITION_CREATED or _UPDATED) with Undo.
 *
 * The parser names the field it refuses ("Rule \"r\": condition.all[0].op:
 * unknown operator", as the CLI prints it): the field is found in the text
 * by that path and its line marked; a JSON syntax error marks the line
 * json-glib names. Save waits for a preview of the text as it stands, so
 * what is saved is what was previewed. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "core/syn-json.h"
#include "syn-batch-undo.h"
#include "syn-project-status.h"
#include "syn-rule-editor-dialog.h"
#include "syn-ui-format.h"
#include "syn-ui-widget.h"

#define MAX_EXAMPLES 5

struct _SynRuleEditorDialog
{
  GtkWindow      parent_instance;

  SynSession    *session;
  GCancellable  *cancellable;
  char          *rule_id;        /* NULL: a new rule */
  gboolean       library;
  gboolean       busy;
  gboolean       previewed;      /* the text as it stands */
  int            error_line;
  char          *preview;

  GtkTextView   *text_view;
  GtkTextBuffer *buffer;
  GtkTextTag    *error_tag;
  GtkBox        *errors_box;
  GtkLabel      *preview_label;
  GtkWidget     *preview_button;
  GtkWidget     *save_button;
};

G_DEFINE_FINAL_TYPE (SynRuleEditorDialog, syn_rule_editor_dialog, GTK_TYPE_WINDOW)

static void
update_buttons (SynRuleEditorDialog *self)
{
  gtk_widget_set_sensitive (self->preview_button, !self->busy);
  gtk_widget_set_sensitive (self->save_button, !self->busy && self->previewed);
}

static void
set_busy (SynRuleEditorDialog *self, gboolean busy)
{
  self->busy = busy;
  update_buttons (self);
}

/* ------------------------------------------------------------------------- */
/* Errors in the text                                                        */

static void
clear_errors (SynRuleEditorDialog *self)
{
  GtkTextIter start, end;
  GtkWidget *child;

  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  gtk_text_buffer_remove_tag (self->buffer, self->error_tag, &start, &end);
  self->error_line = -1;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->errors_box))) != NULL)
    gtk_box_remove (self->errors_box, child);
  gtk_widget_set_visible (GTK_WIDGET (self->errors_box), FALSE);
}

static void
list_error (SynRuleEditorDialog *self, const char *message)
{
  GtkWidget *label = gtk_label_new (message);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "error");
  gtk_box_append (self->errors_box, label);
  gtk_widget_set_visible (GTK_WIDGET (self->errors_box), TRUE);
}

static void
mark_line (SynRuleEditorDialog *self, int line)
{
  GtkTextIter start, end;

  if (line < 0 || line >= gtk_text_buffer_get_line_count (self->buffer))
    return;
  gtk_text_buffer_get_iter_at_line (self->buffer, &start, line);
  end = start;
  if (!gtk_text_iter_ends_line (&end))
    gtk_text_iter_forward_to_line_end (&end);
  gtk_text_buffer_apply_tag (self->buffer, self->error_tag, &start, &end);
  self->error_line = line;
  gtk_text_buffer_place_cursor (self->buffer, &start);
  /* a mark, not an iter: the view scrolls once its lines are measured */
  gtk_text_view_scroll_to_mark (self->text_view, gtk_text_buffer_get_insert (self->buffer), 0.1, TRUE, 0, 0.3);
}

/* Past a JSON string starting at @p (its opening quote). */
static const char *
skip_string (const char *p)
{
  for (p++; *p && *p != '"'; p++)
    if (*p == '\\' && p[1])
      p++;
  return *p ? p + 1 : p;
}

/* The element @index of the array opening at or after @p, or NULL. */
static const char *
array_element (const char *p, guint64 index)
{
  int depth = 0;

  while (*p && *p != '[')
    p = *p == '"' ? skip_string (p) : p + 1;
  if (*p == '\0')
    return NULL;
  for (p++; *p; )
    {
      if (depth == 0 && index == 0 && !g_ascii_isspace (*p))
        return p;
      if (*p == '"')
        {
          p = skip_string (p);
          continue;
        }
      if (*p == '[' || *p == '{')
        depth++;
      else if (*p == ']' || *p == '}')
        {
          if (depth == 0)
            return NULL;
          depth--;
        }
      else if (*p == ',' && depth == 0)
        index--;
      p++;
    }
  return NULL;
}

/* The key "@key" (a member name followed by a colon) at or after @p. */
static const char *
find_key (const char *p, const char *key)
{
  g_autofree char *quoted = g_strdup_printf ("\"%s\"", key);

  while ((p = strstr (p, quoted)) != NULL)
    {
      const char *after = p + strlen (quoted);

      while (g_ascii_isspace (*after))
        after++;
      if (*after == ':')
        return p;
      p++;
    }
  return NULL;
}

/* Where the field at @path ("condition.all[0].op") is in @text, or NULL:
 * each member searched for after the last, each index counted. */
static const char *
locate_path (const char *text, const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  const char *p = text;
  const char *found = NULL;

  for (guint i = 0; parts[i] && p != NULL; i++)
    {
      char *bracket = strchr (parts[i], '[');
      g_autofree char *indices = bracket ? g_strdup (bracket) : NULL;

      if (bracket != NULL)
        *bracket = '\0';
      if (*parts[i] != '\0')
        {
          if ((p = find_key (p, parts[i])) == NULL)
            return NULL;
          found = p;
          p = strchr (p + strlen (parts[i]) + 2, ':');
        }
      for (const char *x = indices; x != NULL && p != NULL && *x == '['; x = strchr (x + 1, '['))
        {
          p = array_element (p, g_ascii_strtoull (x + 1, NULL, 10));
          found = p;
        }
    }
  return p != NULL ? found : NULL;
}

static int
line_of (const char *text, const char *at)
{
  int line = 0;

  for (const char *p = text; p < at; p++)
    if (*p == '\n')
      line++;
  return line;
}

/* The parser's path out of its message ("Rule \"id\": PATH: message"). */
static char *
error_path (const char *message)
{
  const char *p = message;
  const char *colon;

  if (g_str_has_prefix (p, "Rule \""))
    {
      p = strstr (p + strlen ("Rule \""), "\": ");
      if (p == NULL)
        return NULL;
      p += 3;
    }
  colon = strstr (p, ": ");
  if (colon == NULL || colon == p || memchr (p, ' ', (gsize) (colon - p)) != NULL)
    return NULL;
  return g_strndup (p, (gsize) (colon - p));
}

static void
show_rule_error (SynRuleEditorDialog *self, const char *text, const char *message)
{
  g_autofree char *path = error_path (message);
  const char *at = path ? locate_path (text, path) : NULL;

  list_error (self, message);
  if (at != NULL)
    mark_line (self, line_of (text, at));
}

/* json-glib names the line of a syntax error: "<data>:LINE:COLUMN: Parse error…". */
static void
show_syntax_error (SynRuleEditorDialog *self, const char *message)
{
  g_autoptr(GRegex) regex = g_regex_new (":([0-9]+):([0-9]+): ", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;

  list_error (self, message);
  if (g_regex_match (regex, message, 0, &match))
    {
      g_autofree char *line = g_match_info_fetch (match, 1);

      mark_line (self, (int) g_ascii_strtoll (line, NULL, 10) - 1);
    }
}

/* ------------------------------------------------------------------------- */
/* Preview                                                                   */

static char *
buffer_text (SynRuleEditorDialog *self)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  return gtk_text_buffer_get_text (self->buffer, &start, &end, FALSE);
}

/* The rule object of the text, or NULL with the error shown. */
static JsonObject *
read_rule (SynRuleEditorDialog *self)
{
  g_autofree char *text = buffer_text (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = syn_json_parse (text, -1, &error);
  JsonObject *rule;

  if (root == NULL)
    {
      show_syntax_error (self, error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      list_error (self, _("A rule is one JSON object: { … }."));
      mark_line (self, 0);
      return NULL;
    }
  rule = json_object_ref (json_node_get_object (root));
  /* the scope is the dialog's, not the text's */
  json_object_remove_member (rule, "project_id");
  return rule;
}

static void
describe_preview (SynRuleEditorDialog *self, JsonObject *answer)
{
  g_autoptr(GString) text = g_string_new (NULL);
  JsonArray *rules = json_object_get_array_member (answer, "rules");
  JsonArray *examples = json_object_get_array_member (answer, "examples");
  const char *rule_id = syn_json_get_string (answer, "rule_id");
  SynProjectStatus *status = syn_session_get_status (self->session);
  guint pending = 0;

  /* the rule edited first, then the others this change moves too; those
   * whose counts the project's status already shows are pending anyway */
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; rules != NULL && i < json_array_get_length (rules); i++)
      {
        JsonObject *r = json_array_get_object_element (rules, i);
        gint64 create = json_object_get_int_member_with_default (r, "create", 0);
        gint64 update = json_object_get_int_member_with_default (r, "update", 0);
        gint64 retract = json_object_get_int_member_with_default (r, "retract", 0);
        const char *name = syn_json_get_string (r, "rule_name");

        if ((g_strcmp0 (syn_json_get_string (r, "rule_id"), rule_id) == 0) != (pass == 0))
          continue;
        if (create == 0 && update == 0 && retract == 0)
          continue;
        if (pass == 1 && status != NULL)
          {
            JsonObject *now = syn_project_status_get_rule (status, syn_json_get_string (r, "rule_id"));

            if (now != NULL && json_object_get_int_member_with_default (now, "create", 0) == create &&
                json_object_get_int_member_with_default (now, "update", 0) == update &&
                json_object_get_int_member_with_default (now, "retract", 0) == retract)
              {
                pending++;
                continue;
              }
          }
        {
          g_autofree char *created = syn_format_count (create);
          g_autofree char *updated = syn_format_count (update);
          g_autofree char *retracted = syn_format_count (retract);

          /* Translators: what saving a rule would do, per rule: its name, then counts */
          g_string_append_printf (text, _("%s: %s created, %s updated, %s retracted"),
                                  name ? name : syn_json_get_string (r, "rule_id"), created, updated, retracted);
          g_string_append_c (text, '\n');
        }
      }
  if (text->len == 0)
    g_string_append (text, _("Saving changes nothing in this project: no asset or cable would be created, "
                              "updated or retracted."));
  else
    {
      g_string_prepend (text, _("At the next run of the rules, with this rule saved:\n"));
      if (examples != NULL && json_array_get_length (examples) > 0)
        {
          g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
          g_auto(GStrv) tags = NULL;
          g_autofree char *list = NULL;

          for (guint i = 0; i < json_array_get_length (examples) && i < MAX_EXAMPLES; i++)
            g_strv_builder_add (builder, json_array_get_string_element (examples, i));
          tags = g_strv_builder_end (builder);
          list = g_strjoinv (", ", tags);
          /* Translators: a few tags of what a run would change */
          g_string_append_printf (text, _("For example: %s"), list);
        }
      else if (text->len > 0 && text->str[text->len - 1] == '\n')
        g_string_truncate (text, text->len - 1);
    }
  if (pending > 0)
    {
      g_string_append_c (text, '\n');
      /* Translators: rules with changes waiting for a run anyway, this rule saved or not */
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                 "%u other rule has changes pending already, with or without this one.",
                                                 "%u other rules have changes pending already, with or without this one.",
                                                 pending), pending);
    }
  g_free (self->preview);
  self->preview = g_string_free (g_steal_pointer (&text), FALSE);
  gtk_label_set_text (self->preview_label, self->preview);
  gtk_widget_set_visible (GTK_WIDGET (self->preview_label), TRUE);
}

typedef struct
{
  SynRuleEditorDialog *self;
  char                *text;     /* as previewed */
} PreviewCall;

static void
previewed (GObject *object, GAsyncResult *result, gpointer user_data)
{
  PreviewCall *call = user_data;
  g_autoptr(SynRuleEditorDialog) self = call->self;
  g_autofree char *text = call->text;
  g_autofree char *now = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);

  g_free (call);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  now = buffer_text (self);
  if (!g_str_equal (now, text))
    return;     /* typed since: that text is not the one previewed */
  if (answer == NULL)
    {
      show_rule_error (self, text, error->message);
      return;
    }
  describe_preview (self, json_node_get_object (answer));
  self->previewed = TRUE;
  update_buttons (self);
}

void
syn_rule_editor_dialog_preview (SynRuleEditorDialog *self)
{
  g_autoptr(JsonObject) params = NULL;
  g_autoptr(JsonObject) rule = NULL;
  PreviewCall *call;

  g_return_if_fail (SYN_IS_RULE_EDITOR_DIALOG (self));

  if (self->busy || syn_session_get_project_id (self->session) == NULL)
    return;
  clear_errors (self);
  gtk_widget_set_visible (GTK_WIDGET (self->preview_label), FALSE);
  if ((rule = read_rule (self)) == NULL)
    return;
  params = json_object_new ();
  json_object_set_string_member (params, "project_id", syn_session_get_project_id (self->session));
  json_object_set_object_member (params, "rule", g_steal_pointer (&rule));
  call = g_new0 (PreviewCall, 1);
  call->self = g_object_ref (self);
  call->text = buffer_text (self);
  set_busy (self, TRUE);
  syn_backend_call_async (syn_session_get_backend (self->session), SYN_OP_PREVIEW_RULE, params, self->cancellable,
                          previewed, call);
}

/* ------------------------------------------------------------------------- */
/* Save                                                                      */

static void
rule_saved (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SynRuleEditorDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  g_autofree char *text = NULL;
  g_autofree char *rule_text = NULL;
  JsonObject *o;
  const char *correlation_id;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (answer == NULL)
    {
      rule_text = buffer_text (self);
      self->previewed = FALSE;
      update_buttons (self);
      show_rule_error (self, rule_text, error->message);
      return;
    }
  o = json_node_get_object (answer);
  correlation_id = syn_json_get_string (o, "correlation_id");
  if (correlation_id == NULL)
    /* Translators: a rule saved as it was: its name */
    text = g_strdup_printf (_("Rule “%s” is unchanged."), syn_json_get_string (o, "name"));
  else
    /* Translators: a rule saved; its name */
    text = g_strdup_printf (_("Saved rule “%s”."), syn_json_get_string (o, "name"));
  syn_batch_undo_offer (self->session, text, correlation_id);
  syn_session_data_changed (self->session);
  gtk_window_destroy (GTK_WINDOW (self));
}

void
syn_rule_editor_dialog_save (SynRuleEditorDialog *self)
{
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonObject) rule = NULL;

  g_return_if_fail (SYN_IS_RULE_EDITOR_DIALOG (self));

  if (self->busy || !self->previewed)
    return;
  clear_errors (self);
  if ((rule = read_rule (self)) == NULL)
    return;
  if (!self->library)
    json_object_set_string_member (params, "project_id", syn_session_get_project_id (self->session));
  json_object_set_object_member (params, "rule", g_steal_pointer (&rule));
  set_busy (self, TRUE);
  syn_backend_call_async (syn_session_get_backend (self->session), SYN_OP_SAVE_RULE, params, self->cancellable,
                          rule_saved, g_object_ref (self));
}

/* ------------------------------------------------------------------------- */

static void
on_text_changed (SynRuleEditorDialog *self)
{
  GtkTextIter start, end;

  /* the preview was of another text */
  self->previewed = FALSE;
  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  gtk_text_buffer_remove_tag (self->buffer, self->error_tag, &start, &end);
  update_buttons (self);
}

GtkTextBuffer *
syn_rule_editor_dialog_get_buffer (SynRuleEditorDialog *self)
{
  g_return_val_if_fail (SYN_IS_RULE_EDITOR_DIALOG (self), NULL);
  return self->buffer;
}

gboolean
syn_rule_editor_dialog_get_can_save (SynRuleEditorDialog *self)
{
  g_return_val_if_fail (SYN_IS_RULE_EDITOR_DIALOG (self), FALSE);
  return self->previewed && !self->busy;
}

gboolean
syn_rule_editor_dialog_get_busy (SynRuleEditorDialog *self)
{
  g_return_val_if_fail (SYN_IS_RULE_EDITOR_DIALOG (self), FALSE);
  return self->busy;
}

char *
syn_rule_editor_dialog_get_errors (SynRuleEditorDialog *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (SYN_IS_RULE_EDITOR_DIALOG (self), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->errors_box)); child;
       child = gtk_widget_get_next_sibling (child))
    {
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, gtk_label_get_text (GTK_LABEL (child)));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

int
syn_rule_editor_dialog_get_error_line (SynRuleEditorDialog *self)
{
  g_return_val_if_fail (SYN_IS_RULE_EDITOR_DIALOG (self), -1);
  return self->error_line;
}

const char *
syn_rule_editor_dialog_get_preview (SynRuleEditorDialog *self)
{
  g_return_val_if_fail (SYN_IS_RULE_EDITOR_DIALOG (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->preview_label)) ? self->preview : NULL;
}

static void
build_ui (SynRuleEditorDialog *self)
{
  GtkWidget *header = gtk_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *hint = gtk_label_new (_("The rule’s definition in JSON. Preview checks it and shows what saving it "
                                     "would change; Save records the change as one batch."));
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  gtk_header_bar_set_show_title_buttons (GTK_HEADER_BAR (header), FALSE);
  self->preview_button = gtk_button_new_with_mnemonic (_("_Preview"));
  gtk_widget_set_tooltip_text (self->preview_button, _("Check the rule and show what saving it would do"));
  self->save_button = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  gtk_widget_set_tooltip_text (self->save_button, _("Preview first: Save records the rule previewed"));
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), self);
  g_signal_connect_swapped (self->preview_button, "clicked", G_CALLBACK (syn_rule_editor_dialog_preview), self);
  g_signal_connect_swapped (self->save_button, "clicked", G_CALLBACK (syn_rule_editor_dialog_save), self);
  gtk_header_bar_pack_start (GTK_HEADER_BAR (header), cancel);
  gtk_header_bar_pack_end (GTK_HEADER_BAR (header), self->save_button);
  gtk_header_bar_pack_end (GTK_HEADER_BAR (header), self->preview_button);
  gtk_window_set_titlebar (GTK_WINDOW (self), header);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("Escape"),
                                                          gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_label_set_xalign (GTK_LABEL (hint), 0);
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_box_append (GTK_BOX (box), hint);

  self->text_view = GTK_TEXT_VIEW (gtk_text_view_new ());
  self->buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_view_set_monospace (self->text_view, TRUE);
  gtk_text_view_set_wrap_mode (self->text_view, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (self->text_view, 6);
  gtk_text_view_set_top_margin (self->text_view, 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Rule definition (JSON)"), -1);
  /* red, see-through: readable on the light and the dark style alike */
  self->error_tag = gtk_text_buffer_create_tag (self->buffer, "error", "underline", PANGO_UNDERLINE_ERROR,
                                                "weight", PANGO_WEIGHT_BOLD, "paragraph-background-rgba",
                                                &(GdkRGBA) { 0.88f, 0.11f, 0.14f, 0.22f }, NULL);
  g_signal_connect_swapped (self->buffer, "changed", G_CALLBACK (on_text_changed), self);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->text_view));
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_widget_set_size_request (scroller, -1, 220);
  gtk_widget_add_css_class (scroller, "card");
  gtk_box_append (GTK_BOX (box), scroller);

  self->errors_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 4));
  gtk_widget_set_visible (GTK_WIDGET (self->errors_box), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->errors_box));
  self->preview_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->preview_label, TRUE);
  gtk_label_set_xalign (self->preview_label, 0);
  gtk_label_set_selectable (self->preview_label, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->preview_label), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->preview_label));
  gtk_window_set_child (GTK_WINDOW (self), box);
  update_buttons (self);
}

static void
syn_rule_editor_dialog_dispose (GObject *object)
{
  SynRuleEditorDialog *self = SYN_RULE_EDITOR_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (syn_rule_editor_dialog_parent_class)->dispose (object);
}

static void
syn_rule_editor_dialog_finalize (GObject *object)
{
  SynRuleEditorDialog *self = SYN_RULE_EDITOR_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->rule_id, g_free);
  g_clear_pointer (&self->preview, g_free);

  G_OBJECT_CLASS (syn_rule_editor_dialog_parent_class)->finalize (object);
}

static void
syn_rule_editor_dialog_class_init (SynRuleEditorDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = syn_rule_editor_dialog_dispose;
  object_class->finalize = syn_rule_editor_dialog_finalize;
}

static void
syn_rule_editor_dialog_init (SynRuleEditorDialog *self)
{
  self->cancellable = g_cancellable_new ();
  syn_ui_dialog_release_on_destroy (GTK_WINDOW (self), self->cancellable);
  self->error_line = -1;
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 640, 560);
  build_ui (self);
}

/* A new rule starts from a small one that reads as an example. */
static const char *new_rule_text =
  "{\n"
  "  \"id\": \"my-rule\",\n"
  "  \"name\": \"Tanks need a level transmitter\",\n"
  "  \"source\": \"PROJECT\",\n"
  "  \"discipline\": \"INSTRUMENTATION\",\n"
  "  \"action_type\": \"CREATE_CHILD\",\n"
  "  \"condition\": {\"asset_type\": \"TANK\"},\n"
  "  \"action\": {\"type\": \"LEVEL_TRANSMITTER\", \"naming\": \"{tag}-LT\", \"relation\": \"measures\"}\n"
  "}\n";

SynRuleEditorDialog *
syn_rule_editor_dialog_new (GtkWindow *parent, SynSession *session, JsonObject *rule)
{
  SynRuleEditorDialog *self;
  g_autofree char *title = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (SYN_IS_SESSION (session), NULL);

  self = g_object_new (SYN_TYPE_RULE_EDITOR_DIALOG, "transient-for", parent, "destroy-with-parent", TRUE, NULL);
  self->session = g_object_ref (session);
  if (rule != NULL)
    {
      g_autoptr(JsonObject) shown = syn_json_object_copy (rule);
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autofree char *text = NULL;

      self->rule_id = g_strdup (syn_json_get_string (rule, "id"));
      self->library = syn_json_get_string (rule, "project_id") == NULL;
      json_object_remove_member (shown, "project_id");
      node = syn_json_node_new_object (json_object_ref (shown));
      json_generator_set_root (generator, node);
      json_generator_set_pretty (generator, TRUE);
      json_generator_set_indent (generator, 2);
      text = json_generator_to_data (generator, NULL);
      gtk_text_buffer_set_text (self->buffer, text, -1);
      /* Translators: the rule editor's title: the rule's name */
      title = g_strdup_printf (self->library ? _("Library Rule “%s”") : _("Rule “%s”"),
                               syn_json_get_string (rule, "name"));
    }
  else
    gtk_text_buffer_set_text (self->buffer, new_rule_text, -1);
  gtk_window_set_title (GTK_WINDOW (self), title ? title : _("New Rule"));
  return self;
}
