/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-asset-editor-dialog.c: SynAssetEditorDialog: add or change an asset as one batch, offered back as a
 * message with Undo.
 *
 * What can be checked here is (a tag and a type, property names once and
 * not empty, a value for each); the backend checks the rest and its answer
 * names the field ("tag: …", "discipline: …", "properties: …"), which is
 * where the message goes. Nothing is written while an error stands. The
 * form is built in code: the property rows come and go with the asset. */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "core/syn-json.h"
#include "core/syn-vocabulary.h"
#include "syn-asset-editor-dialog.h"
#include "syn-batch-undo.h"
#include "syn-ui-format.h"
#include "syn-ui-widget.h"

static const char * const text_fields[] = { "tag", "type", "description", "area", NULL };

struct _SynAssetEditorDialog
{
  GtkWindow      parent_instance;

  SynSession    *session;
  GCancellable  *cancellable;
  JsonObject    *original;        /* NULL: a new asset */
  GStrv          many;            /* a selection changed at once: its ids */
  gboolean       busy;

  GHashTable    *entries;         /* field -> GtkEntry */
  GHashTable    *errors;          /* field -> GtkLabel under it */
  GtkDropDown   *discipline;
  GtkListBox    *properties;
  GPtrArray     *property_rows;   /* PropertyRow */
  GtkLabel      *general_error;
  GtkWidget     *save_button;
};

G_DEFINE_FINAL_TYPE (SynAssetEditorDialog, syn_asset_editor_dialog, GTK_TYPE_WINDOW)

typedef struct
{
  GtkWidget *row;
  GtkEntry  *key;
  GtkEntry  *value;
  GtkLabel  *error;
} PropertyRow;

/* ------------------------------------------------------------------------- */
/* Errors at their field                                                     */

static void
show_error (GtkLabel *label, GtkWidget *field, const char *message)
{
  gtk_label_set_text (label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
  if (field == NULL)
    return;
  if (message != NULL)
    gtk_widget_add_css_class (field, "error");
  else
    gtk_widget_remove_css_class (field, "error");
}

static void
clear_errors (SynAssetEditorDialog *self)
{
  for (guint i = 0; text_fields[i]; i++)
    show_error (g_hash_table_lookup (self->errors, text_fields[i]), g_hash_table_lookup (self->entries, text_fields[i]),
                NULL);
  show_error (g_hash_table_lookup (self->errors, "discipline"), GTK_WIDGET (self->discipline), NULL);
  show_error (g_hash_table_lookup (self->errors, "properties"), NULL, NULL);
  for (guint i = 0; i < self->property_rows->len; i++)
    {
      PropertyRow *p = g_ptr_array_index (self->property_rows, i);

      show_error (p->error, p->row, NULL);
    }
  show_error (self->general_error, NULL, NULL);
}

/* The property row whose key is @key, or NULL. */
static PropertyRow *
property_row_by_key (SynAssetEditorDialog *self, const char *key)
{
  for (guint i = 0; i < self->property_rows->len; i++)
    {
      PropertyRow *p = g_ptr_array_index (self->property_rows, i);
      g_autofree char *k = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (p->key))));

      if (g_strcmp0 (k, key) == 0)
        return p;
    }
  return NULL;
}

/* A backend's message at the field it names ("tag: …", "properties.hp: …",
 * "tag X already exists …"), else at the top. */
static void
place_error (SynAssetEditorDialog *self, const char *message)
{
  for (guint i = 0; text_fields[i]; i++)
    {
      gsize len = strlen (text_fields[i]);

      if (strncmp (message, text_fields[i], len) == 0 && (message[len] == ':' || message[len] == ' '))
        {
          GtkWidget *entry = g_hash_table_lookup (self->entries, text_fields[i]);

          show_error (g_hash_table_lookup (self->errors, text_fields[i]), entry, message);
          gtk_widget_grab_focus (entry);
          return;
        }
    }
  if (g_str_has_prefix (message, "discipline:"))
    {
      show_error (g_hash_table_lookup (self->errors, "discipline"), GTK_WIDGET (self->discipline), message);
      return;
    }
  if (g_str_has_prefix (message, "properties."))
    {
      g_autofree char *key = g_strdup (message + strlen ("properties."));
      char *end = strchr (key, ':');
      PropertyRow *p;

      if (end != NULL)
        *end = '\0';
      if ((p = property_row_by_key (self, key)) != NULL)
        {
          show_error (p->error, p->row, message);
          return;
        }
    }
  if (g_str_has_prefix (message, "properties"))
    {
      show_error (g_hash_table_lookup (self->errors, "properties"), NULL, message);
      return;
    }
  show_error (self->general_error, NULL, message);
}

const char *
syn_asset_editor_dialog_get_error (SynAssetEditorDialog *self, const char *field)
{
  GtkLabel *label = NULL;

  g_return_val_if_fail (SYN_IS_ASSET_EDITOR_DIALOG (self), NULL);
  g_return_val_if_fail (field != NULL, NULL);

  if (*field == '\0')
    label = self->general_error;
  else if (g_str_has_prefix (field, "properties["))
    {
      guint64 index = g_ascii_strtoull (field + strlen ("properties["), NULL, 10);

      if (index < self->property_rows->len)
        label = ((PropertyRow *) g_ptr_array_index (self->property_rows, index))->error;
    }
  else if (g_str_has_prefix (field, "properties."))
    {
      PropertyRow *p = property_row_by_key (self, field + strlen ("properties."));

      label = p ? p->error : NULL;
    }
  else
    label = g_hash_table_lookup (self->errors, field);
  if (label == NULL || !gtk_widget_get_visible (GTK_WIDGET (label)))
    return NULL;
  return gtk_label_get_text (label);
}

/* ------------------------------------------------------------------------- */
/* Values                                                                    */

/* A property's value as typed: a number, true or false, else text. */
static JsonNode *
parse_value (const char *text)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);
  char *end = NULL;
  double number;

  if (g_str_equal (text, "true") || g_str_equal (text, "false"))
    {
      json_node_set_boolean (node, g_str_equal (text, "true"));
      return node;
    }
  number = g_ascii_strtod (text, &end);
  if (end != text && *end == '\0' && isfinite (number) && !g_ascii_isspace (text[0]))
    {
      if (strpbrk (text, ".eE") == NULL && fabs (number) < 9e15)
        json_node_set_int (node, (gint64) number);
      else
        json_node_set_double (node, number);
      return node;
    }
  json_node_set_string (node, text);
  return node;
}

static char *
value_text (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");
  if (JSON_NODE_HOLDS_VALUE (node))
    switch (json_node_get_value_type (node))
      {
      case G_TYPE_STRING:
        return g_strdup (json_node_get_string (node));
      case G_TYPE_INT64:
        return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      case G_TYPE_BOOLEAN:
        return g_strdup (json_node_get_boolean (node) ? "true" : "false");
      case G_TYPE_DOUBLE:
        {
          char buffer[G_ASCII_DTOSTR_BUF_SIZE];

          return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
        }
      default:
        break;
      }
  return syn_json_to_string (node);
}

/* ------------------------------------------------------------------------- */
/* Property rows                                                             */

static void
on_remove_property (GtkButton *button, SynAssetEditorDialog *self)
{
  for (guint i = 0; i < self->property_rows->len; i++)
    if (((PropertyRow *) g_ptr_array_index (self->property_rows, i))->row ==
        gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_LIST_BOX_ROW))
      {
        syn_asset_editor_dialog_remove_property (self, i);
        return;
      }
}

void
syn_asset_editor_dialog_add_property (SynAssetEditorDialog *self, const char *key, const char *value)
{
  PropertyRow *p;
  GtkWidget *box, *line, *remove;

  g_return_if_fail (SYN_IS_ASSET_EDITOR_DIALOG (self));

  p = g_new0 (PropertyRow, 1);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  p->key = GTK_ENTRY (gtk_entry_new ());
  p->value = GTK_ENTRY (gtk_entry_new ());
  gtk_editable_set_width_chars (GTK_EDITABLE (p->key), 6);
  gtk_editable_set_width_chars (GTK_EDITABLE (p->value), 6);
  gtk_widget_set_hexpand (GTK_WIDGET (p->key), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (p->value), TRUE);
  gtk_entry_set_placeholder_text (p->key, _("Name"));
  gtk_entry_set_placeholder_text (p->value, _("Value"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (p->key), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Property name"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (p->value), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Property value"), -1);
  gtk_editable_set_text (GTK_EDITABLE (p->key), key ? key : "");
  gtk_editable_set_text (GTK_EDITABLE (p->value), value ? value : "");
  gtk_entry_set_activates_default (p->value, TRUE);
  remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove this property"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove this property"), -1);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_property), self);
  p->error = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (p->error, TRUE);
  gtk_label_set_xalign (p->error, 0);
  gtk_widget_add_css_class (GTK_WIDGET (p->error), "error");
  gtk_widget_set_visible (GTK_WIDGET (p->error), FALSE);
  gtk_box_append (GTK_BOX (line), GTK_WIDGET (p->key));
  gtk_box_append (GTK_BOX (line), GTK_WIDGET (p->value));
  gtk_box_append (GTK_BOX (line), remove);
  gtk_box_append (GTK_BOX (box), line);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (p->error));
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  p->row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (p->row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (p->row), box);
  gtk_list_box_append (self->properties, p->row);
  g_ptr_array_add (self->property_rows, p);
}

guint
syn_asset_editor_dialog_get_n_properties (SynAssetEditorDialog *self)
{
  g_return_val_if_fail (SYN_IS_ASSET_EDITOR_DIALOG (self), 0);
  return self->property_rows->len;
}

GtkEditable *
syn_asset_editor_dialog_get_property_entry (SynAssetEditorDialog *self, guint index, gboolean value)
{
  PropertyRow *p;

  g_return_val_if_fail (SYN_IS_ASSET_EDITOR_DIALOG (self), NULL);
  g_return_val_if_fail (index < self->property_rows->len, NULL);

  p = g_ptr_array_index (self->property_rows, index);
  return GTK_EDITABLE (value ? p->value : p->key);
}

void
syn_asset_editor_dialog_remove_property (SynAssetEditorDialog *self, guint index)
{
  PropertyRow *p;

  g_return_if_fail (SYN_IS_ASSET_EDITOR_DIALOG (self));
  g_return_if_fail (index < self->property_rows->len);

  p = g_ptr_array_index (self->property_rows, index);
  gtk_list_box_remove (self->properties, p->row);
  g_ptr_array_remove_index (self->property_rows, index);
}

static void
on_add_property (SynAssetEditorDialog *self)
{
  syn_asset_editor_dialog_add_property (self, NULL, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (((PropertyRow *) g_ptr_array_index (self->property_rows,
                                                                         self->property_rows->len - 1))->key));
}

/* ------------------------------------------------------------------------- */
/* Saving                                                                    */

static char *
field_text (SynAssetEditorDialog *self, const char *field)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (g_hash_table_lookup (self->entries, field))));
}

static const char *
chosen_discipline (SynAssetEditorDialog *self)
{
  guint selected = gtk_drop_down_get_selected (self->discipline);

  return selected == GTK_INVALID_LIST_POSITION || selected == 0 ? NULL : syn_disciplines ()[selected - 1];
}

/* The properties typed, or NULL with the errors shown at their rows. */
static JsonObject *
read_properties (SynAssetEditorDialog *self)
{
  g_autoptr(JsonObject) properties = json_object_new ();
  gboolean ok = TRUE;

  for (guint i = 0; i < self->property_rows->len; i++)
    {
      PropertyRow *p = g_ptr_array_index (self->property_rows, i);
      g_autofree char *key = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (p->key))));
      g_autofree char *value = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (p->value))));

      if (*key == '\0' && *value == '\0')
        continue;
      if (*key == '\0')
        show_error (p->error, p->row, _("A property needs a name."));
      else if (json_object_has_member (properties, key))
        /* Translators: two property rows of an asset have the same name */
        show_error (p->error, p->row, _("This name is given twice: one value per property."));
      else if (*value == '\0')
        show_error (p->error, p->row, _("Give a value, or remove the property."));
      else
        {
          json_object_set_member (properties, key, parse_value (value));
          continue;
        }
      /* the first row refused comes into view */
      if (ok)
        gtk_widget_grab_focus (GTK_WIDGET (*key != '\0' && *value == '\0' ? p->value : p->key));
      ok = FALSE;
    }
  return ok ? g_steal_pointer (&properties) : NULL;
}

/* What differs from the asset opened: changed fields and properties, and
 * null for each property removed. */
static JsonObject *
build_patch (SynAssetEditorDialog *self, JsonObject *fields)
{
  JsonObject *patch = json_object_new ();
  JsonObject *before = json_object_get_object_member (self->original, "properties");
  JsonObject *after = json_object_get_object_member (fields, "properties");
  g_autoptr(JsonObject) changed = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, fields);
  while (json_object_iter_next (&iter, &name, &node))
    if (!g_str_equal (name, "properties") &&
        !syn_json_node_equal (node, json_object_get_member (self->original, name)))
      json_object_set_member (patch, name, json_node_copy (node));
  /* a field emptied is no value: null */
  for (const char * const *f = (const char * const[]) { "description", "area", "discipline", NULL }; *f; f++)
    if (!json_object_has_member (fields, *f) && syn_json_get_string (self->original, *f) != NULL)
      json_object_set_null_member (patch, *f);
  json_object_iter_init (&iter, after);
  while (json_object_iter_next (&iter, &name, &node))
    if (before == NULL || !syn_json_node_equal (node, json_object_get_member (before, name)))
      json_object_set_member (changed, name, json_node_copy (node));
  if (before != NULL)
    {
      json_object_iter_init (&iter, before);
      while (json_object_iter_next (&iter, &name, &node))
        if (!json_object_has_member (after, name))
          json_object_set_null_member (changed, name);
    }
  if (json_object_get_size (changed) > 0)
    json_object_set_object_member (patch, "properties", g_steal_pointer (&changed));
  return patch;
}

static void
set_busy (SynAssetEditorDialog *self, gboolean busy)
{
  self->busy = busy;
  gtk_widget_set_sensitive (self->save_button, !busy);
}

static void
saved (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SynAssetEditorDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  g_autofree char *text = NULL;
  JsonObject *o;
  const char *tag, *old_tag;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (answer == NULL)
    {
      place_error (self, error->message);
      return;
    }
  o = json_node_get_object (answer);
  if (self->many != NULL)
    {
      guint n = (guint) json_object_get_int_member_with_default (o, "updated", 0);

      text = n > 0 ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Changed %u asset.", "Changed %u assets.", n), n)
                   : g_strdup (_("Nothing changed: the assets already had these values."));
      syn_batch_undo_offer (self->session, text, syn_json_get_string (o, "correlation_id"));
      syn_session_data_changed (self->session);
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  tag = syn_json_get_string (o, "tag");
  old_tag = self->original ? syn_json_get_string (self->original, "tag") : NULL;
  if (self->original == NULL)
    /* Translators: an asset was added by hand; its tag */
    text = g_strdup_printf (_("Added asset %s."), tag);
  else if (g_strcmp0 (tag, old_tag) != 0)
    /* Translators: an asset's tag was changed: the old tag, the new one */
    text = g_strdup_printf (_("Renamed %s to %s."), old_tag, tag);
  else
    /* Translators: an asset was changed by hand; its tag */
    text = g_strdup_printf (_("Changed asset %s."), tag);
  syn_batch_undo_offer (self->session, text, syn_json_get_string (o, "correlation_id"));
  syn_session_data_changed (self->session);
  gtk_window_destroy (GTK_WINDOW (self));
}

void
syn_asset_editor_dialog_save (SynAssetEditorDialog *self)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(JsonObject) properties = NULL;
  g_autoptr(JsonObject) params = NULL;
  const char *discipline;
  gboolean ok = TRUE;

  g_return_if_fail (SYN_IS_ASSET_EDITOR_DIALOG (self));

  if (self->busy || self->session == NULL || syn_session_get_project_id (self->session) == NULL)
    return;
  clear_errors (self);
  for (guint i = 0; text_fields[i]; i++)
    {
      g_autofree char *text = field_text (self, text_fields[i]);

      if (*text != '\0')
        json_object_set_string_member (fields, text_fields[i], text);
      else if (self->many == NULL && (g_str_equal (text_fields[i], "tag") || g_str_equal (text_fields[i], "type")))
        {
          show_error (g_hash_table_lookup (self->errors, text_fields[i]),
                      g_hash_table_lookup (self->entries, text_fields[i]),
                      g_str_equal (text_fields[i], "tag") ? _("An asset needs a tag.") : _("An asset needs a type."));
          if (ok)
            gtk_widget_grab_focus (g_hash_table_lookup (self->entries, text_fields[i]));
          ok = FALSE;
        }
    }
  if ((discipline = chosen_discipline (self)) != NULL)
    json_object_set_string_member (fields, "discipline", discipline);
  properties = read_properties (self);
  if (!ok || properties == NULL)
    return;
  json_object_set_object_member (fields, "properties", g_steal_pointer (&properties));

  if (self->many != NULL)
    {
      JsonArray *ids = json_array_new ();

      /* only what was given changes: no tag, no removal */
      if (json_object_get_size (json_object_get_object_member (fields, "properties")) == 0)
        json_object_remove_member (fields, "properties");
      if (json_object_get_size (fields) == 0)
        {
          gtk_window_destroy (GTK_WINDOW (self));
          return;
        }
      for (guint i = 0; self->many[i]; i++)
        json_array_add_string_element (ids, self->many[i]);
      params = g_steal_pointer (&fields);
      json_object_set_array_member (params, "asset_ids", ids);
    }
  else if (self->original == NULL)
    params = g_steal_pointer (&fields);
  else
    {
      params = build_patch (self, fields);
      if (json_object_get_size (params) == 0)
        {
          /* nothing to write: no batch */
          gtk_window_destroy (GTK_WINDOW (self));
          return;
        }
      json_object_set_string_member (params, "asset_id", syn_json_get_string (self->original, "id"));
    }
  json_object_set_string_member (params, "project_id", syn_session_get_project_id (self->session));
  set_busy (self, TRUE);
  syn_backend_call_async (syn_session_get_backend (self->session),
                          self->many ? SYN_OP_UPDATE_ASSETS : self->original ? SYN_OP_UPDATE_ASSET : SYN_OP_CREATE_ASSET,
                          params, self->cancellable, saved, g_object_ref (self));
}

gboolean
syn_asset_editor_dialog_get_busy (SynAssetEditorDialog *self)
{
  g_return_val_if_fail (SYN_IS_ASSET_EDITOR_DIALOG (self), FALSE);
  return self->busy;
}

/* ------------------------------------------------------------------------- */
/* The form                                                                  */

static GtkWidget *
error_label (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "error");
  gtk_widget_set_visible (label, FALSE);
  return label;
}

/* A caption, the field, its error under it. */
static void
add_field (SynAssetEditorDialog *self, GtkBox *form, const char *name, const char *caption, GtkWidget *field)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (caption);
  GtkWidget *error = error_label ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), field);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_margin_top (label, 6);
  gtk_box_append (form, label);
  gtk_box_append (form, field);
  gtk_box_append (form, error);
  g_object_set_data (G_OBJECT (field), "caption", label);
  g_hash_table_insert (self->errors, g_strdup (name), error);
}

static void
build_form (SynAssetEditorDialog *self)
{
  const char * const captions[] = { N_("_Tag"), N_("T_ype"), N_("_Description"), N_("_Area") };
  const char * const *disciplines = syn_disciplines ();
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GtkWidget *header = gtk_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *form = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *caption, *add, *properties_error;
  GtkShortcut *escape;
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  gtk_header_bar_set_show_title_buttons (GTK_HEADER_BAR (header), FALSE);
  self->save_button = gtk_button_new_with_mnemonic (self->original || self->many ? _("_Save") : _("_Add"));
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  g_signal_connect_swapped (self->save_button, "clicked", G_CALLBACK (syn_asset_editor_dialog_save), self);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), self);
  gtk_header_bar_pack_start (GTK_HEADER_BAR (header), cancel);
  gtk_header_bar_pack_end (GTK_HEADER_BAR (header), self->save_button);
  gtk_window_set_titlebar (GTK_WINDOW (self), header);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->save_button);
  escape = gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("Escape"),
                             gtk_named_action_new ("window.close"));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), escape);
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  gtk_widget_set_margin_start (form, 18);
  gtk_widget_set_margin_end (form, 18);
  gtk_widget_set_margin_top (form, 12);
  gtk_widget_set_margin_bottom (form, 18);
  self->general_error = GTK_LABEL (error_label ());
  gtk_box_append (GTK_BOX (form), GTK_WIDGET (self->general_error));
  for (guint i = 0; text_fields[i]; i++)
    {
      GtkWidget *entry = gtk_entry_new ();

      gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
      g_hash_table_insert (self->entries, g_strdup (text_fields[i]), entry);
      add_field (self, GTK_BOX (form), text_fields[i], _(captions[i]), entry);
    }
  /* Translators: the discipline of several assets left as each has it */
  gtk_string_list_append (names, self->many ? _("Unchanged") : _("None"));
  for (guint i = 0; disciplines[i]; i++)
    gtk_string_list_append (names, syn_format_discipline (disciplines[i]));
  self->discipline = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)), NULL));
  add_field (self, GTK_BOX (form), "discipline", _("D_iscipline"), GTK_WIDGET (self->discipline));

  caption = gtk_label_new (_("Properties"));
  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_widget_add_css_class (caption, "heading");
  gtk_widget_set_margin_top (caption, 12);
  gtk_box_append (GTK_BOX (form), caption);
  self->properties = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->properties, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->properties), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->properties), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Properties"), -1);
  gtk_box_append (GTK_BOX (form), GTK_WIDGET (self->properties));
  properties_error = error_label ();
  g_hash_table_insert (self->errors, g_strdup ("properties"), properties_error);
  gtk_box_append (GTK_BOX (form), properties_error);
  add = gtk_button_new_with_mnemonic (_("Add a _Property"));
  gtk_widget_set_halign (add, GTK_ALIGN_START);
  gtk_widget_set_margin_top (add, 6);
  g_signal_connect_swapped (add, "clicked", G_CALLBACK (on_add_property), self);
  gtk_box_append (GTK_BOX (form), add);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 640);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), form);
  gtk_window_set_child (GTK_WINDOW (self), scroller);
}

/* The asset's values in the form. */
static void
fill_form (SynAssetEditorDialog *self)
{
  const char * const *disciplines = syn_disciplines ();
  const char *discipline = syn_json_get_string (self->original, "discipline");
  JsonObject *properties = json_object_get_object_member (self->original, "properties");
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  for (guint i = 0; text_fields[i]; i++)
    {
      const char *value = syn_json_get_string (self->original, text_fields[i]);

      gtk_editable_set_text (g_hash_table_lookup (self->entries, text_fields[i]), value ? value : "");
    }
  for (guint i = 0; discipline && disciplines[i]; i++)
    if (g_str_equal (disciplines[i], discipline))
      gtk_drop_down_set_selected (self->discipline, i + 1);
  if (properties == NULL)
    return;
  json_object_iter_init (&iter, properties);
  while (json_object_iter_next (&iter, &name, &node))
    {
      g_autofree char *text = value_text (node);

      syn_asset_editor_dialog_add_property (self, name, text);
    }
}

GtkEditable *
syn_asset_editor_dialog_get_entry (SynAssetEditorDialog *self, const char *field)
{
  g_return_val_if_fail (SYN_IS_ASSET_EDITOR_DIALOG (self), NULL);
  g_return_val_if_fail (field != NULL, NULL);
  return g_hash_table_lookup (self->entries, field);
}

GtkDropDown *
syn_asset_editor_dialog_get_discipline (SynAssetEditorDialog *self)
{
  g_return_val_if_fail (SYN_IS_ASSET_EDITOR_DIALOG (self), NULL);
  return self->discipline;
}

/* ------------------------------------------------------------------------- */

static void
syn_asset_editor_dialog_dispose (GObject *object)
{
  SynAssetEditorDialog *self = SYN_ASSET_EDITOR_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (syn_asset_editor_dialog_parent_class)->dispose (object);
}

static void
syn_asset_editor_dialog_finalize (GObject *object)
{
  SynAssetEditorDialog *self = SYN_ASSET_EDITOR_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->original, json_object_unref);
  g_clear_pointer (&self->many, g_strfreev);
  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_pointer (&self->errors, g_hash_table_unref);
  g_clear_pointer (&self->property_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (syn_asset_editor_dialog_parent_class)->finalize (object);
}

static void
syn_asset_editor_dialog_class_init (SynAssetEditorDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = syn_asset_editor_dialog_dispose;
  object_class->finalize = syn_asset_editor_dialog_finalize;
}

static void
syn_asset_editor_dialog_init (SynAssetEditorDialog *self)
{
  self->cancellable = g_cancellable_new ();
  syn_ui_dialog_release_on_destroy (GTK_WINDOW (self), self->cancellable);
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->property_rows = g_ptr_array_new_with_free_func (g_free);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 440, -1);
}

SynAssetEditorDialog *
syn_asset_editor_dialog_new (GtkWindow *parent, SynSession *session, JsonObject *asset)
{
  SynAssetEditorDialog *self;
  g_autofree char *title = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (SYN_IS_SESSION (session), NULL);

  self = g_object_new (SYN_TYPE_ASSET_EDITOR_DIALOG, "transient-for", parent, "destroy-with-parent", TRUE, NULL);
  self->session = g_object_ref (session);
  self->original = asset ? syn_json_object_copy (asset) : NULL;
  build_form (self);
  if (asset != NULL)
    {
      fill_form (self);
      /* Translators: the title of the asset editor: the asset's tag */
      title = g_strdup_printf (_("Change %s"), syn_json_get_string (asset, "tag"));
    }
  gtk_window_set_title (GTK_WINDOW (self), title ? title : _("Add an Asset"));
  return self;
}

/* Several assets changed at once: what is given is set on each (the tag
 * stays each asset's own), one batch. @assets: the rows' JSON objects. */
SynAssetEditorDialog *
syn_asset_editor_dialog_new_for_many (GtkWindow *parent, SynSession *session, GPtrArray *assets)
{
  SynAssetEditorDialog *self;
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autofree char *title = NULL;
  GtkWidget *tag;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (SYN_IS_SESSION (session), NULL);
  g_return_val_if_fail (assets != NULL && assets->len > 0, NULL);

  self = g_object_new (SYN_TYPE_ASSET_EDITOR_DIALOG, "transient-for", parent, "destroy-with-parent", TRUE, NULL);
  self->session = g_object_ref (session);
  for (guint i = 0; i < assets->len; i++)
    g_strv_builder_add (ids, syn_json_get_string (g_ptr_array_index (assets, i), "id"));
  self->many = g_strv_builder_end (ids);
  build_form (self);
  tag = g_hash_table_lookup (self->entries, "tag");
  gtk_widget_set_visible (tag, FALSE);
  gtk_widget_set_visible (g_object_get_data (G_OBJECT (tag), "caption"), FALSE);
  for (guint i = 1; text_fields[i]; i++)
    /* Translators: the placeholder of a field of several assets: left empty, each keeps its own */
    gtk_entry_set_placeholder_text (g_hash_table_lookup (self->entries, text_fields[i]), _("Unchanged"));
  /* Translators: the title of the editor of several assets at once */
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Change %u Asset", "Change %u Assets", assets->len),
                           assets->len);
  gtk_window_set_title (GTK_WINDOW (self), title);
  return self;
}
