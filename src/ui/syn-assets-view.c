/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-assets-view.c: SynAssetsView: a project's assets or cable schedule in a GtkColumnView over a lazy
 * model, filtered and sorted by the backend; a row opens its history; a selection is deleted or
 * exported; beside it, the hierarchy of the selected asset from its edges and cables.
 *
 * GTK 4.8 cannot tell which column the grid is sorted by (that getter came
 * in 4.10): each column's sorter answers a probe comparison by noting its
 * key, and the grid's own sorter asks its primary column first, inverted
 * when descending. Nothing is sorted in the GUI: the key goes to the
 * backend. The first column marks the rows a run of the rules would change
 * (the living model's status, SynProjectStatus). */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "core/syn-json.h"
#include "core/syn-vocabulary.h"
#include "engine/syn-exporter.h"
#include "syn-asset-editor-dialog.h"
#include "syn-assets-view.h"
#include "syn-batch-undo.h"
#include "syn-export-chooser.h"
#include "syn-json-item.h"
#include "syn-ui-format.h"
#include "syn-ui-widget.h"

#define TYPING_PAUSE_MS 300

struct _SynAssetsView
{
  GtkWidget           parent_instance;

  SynSession         *session;
  GCancellable       *cancellable;
  SynGridModel       *model;
  GtkMultiSelection  *selection;
  GStrv               properties;        /* the property columns */
  char               *sort_key;
  gboolean            sort_descending;
  guint               apply_source;
  gboolean            applying;
  GListStore         *hierarchy_roots;
  GtkTreeListModel   *hierarchy;
  GtkStringList      *discipline_names;
  guint               hierarchy_generation;
  char               *hierarchy_for;     /* the row whose hierarchy is shown */
  GHashTable         *markers;           /* the out-of-date marks shown (GtkImage) */

  GtkToggleButton    *assets_button;
  GtkToggleButton    *cables_button;
  GtkSearchEntry     *tag_entry;
  GtkLabel           *count_label;
  GtkFlowBox         *filter_flow;
  GtkEntry           *type_entry;
  GtkEntry           *area_entry;
  GtkDropDown        *discipline_dropdown;
  GtkEntry           *where_entry;
  GtkEntry           *columns_entry;
  GtkMenuButton      *export_button;
  GtkWidget          *history_button;
  GtkWidget          *delete_button;
  GMenuModel         *context_menu;
  GtkWidget          *context_popover;
  GtkPaned           *paned;
  GtkScrolledWindow  *scroller;
  GtkColumnView      *grid;
  GtkWidget          *hierarchy_pane;
  GtkLabel           *hierarchy_title;
  GtkListView        *hierarchy_list;
};

G_DEFINE_FINAL_TYPE (SynAssetsView, syn_assets_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update_actions (SynAssetsView *self);

/* ------------------------------------------------------------------------- */
/* Columns                                                                   */

typedef struct
{
  const char *key;
  const char *title;     /* translatable */
  gboolean    numeric;
  int         width;     /* fixed width in pixels, 0 to fit */
} ColumnSpec;

static const ColumnSpec cable_specs[] = {
  { "tag", N_("Tag"), FALSE, 130 },
  { "from", N_("From"), FALSE, 100 },
  { "to", N_("To"), FALSE, 100 },
  { "cable_type", N_("Type"), FALSE, 70 },
  { "voltage", N_("Voltage (V)"), TRUE, 80 },
  { "length_m", N_("Length (m)"), TRUE, 80 },
  { "conductor_size", N_("Conductor"), FALSE, 90 },
  { "flc_a", N_("FLC (A)"), TRUE, 70 },
  { "ampacity_a", N_("Ampacity (A)"), TRUE, 90 },
  { "voltage_drop_pct", N_("Voltage drop (%)"), TRUE, 110 },
  { "created_by", N_("Created by"), FALSE, 0 },
};

static const ColumnSpec asset_specs[] = {
  { "tag", N_("Tag"), FALSE, 130 },
  { "type", N_("Type"), FALSE, 110 },
  { "description", N_("Description"), FALSE, 220 },
  { "area", N_("Area"), FALSE, 60 },
  { "discipline", N_("Discipline"), FALSE, 110 },
  { "created_by", N_("Created by"), FALSE, 0 },
};

/* The probe's answer: the key of the first column sorter asked. */
static const char *probed_key;

static int
probe_compare (gconstpointer a, gconstpointer b, gpointer key)
{
  if (probed_key == NULL)
    probed_key = key;
  return GTK_ORDERING_SMALLER;
}

/* The grid's sort column and direction, from its sorter. */
static void
read_sort (SynAssetsView *self, char **key, gboolean *descending)
{
  GtkSorter *sorter = gtk_column_view_get_sorter (self->grid);
  g_autoptr(GObject) a = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GObject) b = g_object_new (G_TYPE_OBJECT, NULL);
  GtkOrdering order;

  probed_key = NULL;
  order = sorter ? gtk_sorter_compare (sorter, a, b) : GTK_ORDERING_EQUAL;
  *key = g_strdup (probed_key);
  *descending = order == GTK_ORDERING_LARGER;
  probed_key = NULL;
}

static void
on_row_loaded (SynGridRow *row, GParamSpec *pspec, GtkLabel *label);

static void
set_cell (GtkLabel *label, SynGridRow *row)
{
  const char *key = g_object_get_data (G_OBJECT (label), "key");
  g_autofree char *text = NULL;

  if (!syn_grid_row_get_loaded (row))
    {
      gtk_label_set_text (label, "…");
      gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
      gtk_widget_remove_css_class (GTK_WIDGET (label), "over-limit");
      return;
    }
  text = syn_grid_row_get_text (row, key);
  gtk_label_set_text (label, text);
  gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
  if (syn_grid_row_get_over_limit (row))
    gtk_widget_add_css_class (GTK_WIDGET (label), "over-limit");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (label), "over-limit");
}

static void
on_row_loaded (SynGridRow *row, GParamSpec *pspec, GtkLabel *label)
{
  set_cell (label, row);
}

static void
cell_setup (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer spec_numeric)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), GPOINTER_TO_INT (spec_numeric) ? 1.0 : 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  g_object_set_data_full (G_OBJECT (label), "key", g_strdup (g_object_get_data (G_OBJECT (factory), "key")), g_free);
  gtk_list_item_set_child (item, label);
}

static void
cell_bind (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer unused)
{
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  SynGridRow *row = gtk_list_item_get_item (item);

  set_cell (label, row);
  /* a row loaded when bound is still refilled in place by a reload (the
   * next filter or sort): the cell follows it for as long as it is bound */
  g_signal_connect_object (row, "notify::loaded", G_CALLBACK (on_row_loaded), label, 0);
}

static void
cell_unbind (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer unused)
{
  g_signal_handlers_disconnect_by_func (gtk_list_item_get_item (item), on_row_loaded, gtk_list_item_get_child (item));
}

static void
add_column (SynAssetsView *self, const char *key, const char *title, gboolean numeric, int width)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;
  g_autoptr(GtkSorter) sorter = NULL;
  char *key_copy = g_strdup (key);

  g_object_set_data_full (G_OBJECT (factory), "key", g_strdup (key), g_free);
  g_signal_connect (factory, "setup", G_CALLBACK (cell_setup), GINT_TO_POINTER (numeric));
  g_signal_connect (factory, "bind", G_CALLBACK (cell_bind), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (cell_unbind), NULL);
  column = gtk_column_view_column_new (title, g_object_ref (factory));
  sorter = GTK_SORTER (gtk_custom_sorter_new (probe_compare, key_copy, g_free));
  gtk_column_view_column_set_sorter (column, sorter);
  gtk_column_view_column_set_resizable (column, TRUE);
  if (width > 0)
    gtk_column_view_column_set_fixed_width (column, width);
  else
    gtk_column_view_column_set_expand (column, TRUE);
  g_object_set_data_full (G_OBJECT (column), "key", g_strdup (key), g_free);
  gtk_column_view_append_column (self->grid, column);
}

/* The living model's mark: a run would change this row. */
static void
update_marker (SynAssetsView *self, GtkImage *image)
{
  SynGridRow *row = g_object_get_data (G_OBJECT (image), "row");
  SynProjectStatus *status = self->session ? syn_session_get_status (self->session) : NULL;
  gboolean stale = row != NULL && status != NULL && syn_grid_row_get_loaded (row) &&
                   syn_project_status_is_out_of_date (status, syn_grid_row_get_id (row));

  gtk_image_set_from_icon_name (image, stale ? "view-refresh-symbolic" : NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (image), stale ? _("Out of date: a run of the rules would change it") : NULL);
}

static void
update_markers (SynAssetsView *self)
{
  GHashTableIter iter;
  gpointer image;

  g_hash_table_iter_init (&iter, self->markers);
  while (g_hash_table_iter_next (&iter, &image, NULL))
    update_marker (self, image);
}

static void
on_marker_row_loaded (SynGridRow *row, GParamSpec *pspec, GtkImage *image)
{
  SynAssetsView *self = g_object_get_data (G_OBJECT (image), "view");

  if (self != NULL)
    update_marker (self, image);
}

static void
marker_setup (GtkSignalListItemFactory *factory, GtkListItem *item, SynAssetsView *self)
{
  GtkWidget *image = gtk_image_new ();

  gtk_accessible_update_property (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Out of date"), -1);
  g_object_set_data (G_OBJECT (image), "view", self);
  gtk_list_item_set_child (item, image);
}

static void
marker_bind (GtkSignalListItemFactory *factory, GtkListItem *item, SynAssetsView *self)
{
  GtkWidget *image = gtk_list_item_get_child (item);
  SynGridRow *row = gtk_list_item_get_item (item);

  g_object_set_data (G_OBJECT (image), "row", row);
  g_hash_table_add (self->markers, image);
  update_marker (self, GTK_IMAGE (image));
  g_signal_connect_object (row, "notify::loaded", G_CALLBACK (on_marker_row_loaded), image, 0);
}

static void
marker_unbind (GtkSignalListItemFactory *factory, GtkListItem *item, SynAssetsView *self)
{
  GtkWidget *image = gtk_list_item_get_child (item);

  g_signal_handlers_disconnect_by_func (gtk_list_item_get_item (item), on_marker_row_loaded, image);
  g_object_set_data (G_OBJECT (image), "row", NULL);
  g_hash_table_remove (self->markers, image);
}

static void
add_marker_column (SynAssetsView *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (marker_setup), self);
  g_signal_connect (factory, "bind", G_CALLBACK (marker_bind), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (marker_unbind), self);
  column = gtk_column_view_column_new (NULL, g_object_ref (factory));
  gtk_column_view_column_set_fixed_width (column, 28);
  g_object_set_data_full (G_OBJECT (column), "key", g_strdup ("out_of_date"), g_free);
  gtk_column_view_append_column (self->grid, column);
}

static void
remove_columns (SynAssetsView *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->grid);

  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);

      gtk_column_view_remove_column (self->grid, column);
    }
}

/* The columns of the list shown: the cable schedule's, or the asset
 * list's with the chosen properties before "Created by". */
static void
build_columns (SynAssetsView *self)
{
  gboolean cables = gtk_toggle_button_get_active (self->cables_button);
  const ColumnSpec *specs = cables ? cable_specs : asset_specs;
  guint n = cables ? G_N_ELEMENTS (cable_specs) : G_N_ELEMENTS (asset_specs);

  remove_columns (self);
  add_marker_column (self);
  for (guint i = 0; i < n; i++)
    {
      if (!cables && g_str_equal (specs[i].key, "created_by"))
        for (guint p = 0; self->properties && self->properties[p]; p++)
          add_column (self, self->properties[p], self->properties[p], FALSE, 90);
      add_column (self, specs[i].key, _(specs[i].title), specs[i].numeric, specs[i].width);
    }
}

/* ------------------------------------------------------------------------- */
/* Query                                                                     */

static const char *
entry_text (GtkEditable *editable)
{
  const char *text = gtk_editable_get_text (editable);

  while (*text == ' ')
    text++;
  return *text != '\0' ? text : NULL;
}

static void
set_if (JsonObject *query, const char *name, const char *value)
{
  if (value != NULL)
    json_object_set_string_member (query, name, value);
}

static void
apply_query (SynAssetsView *self)
{
  g_autoptr(JsonObject) query = NULL;
  guint discipline = gtk_drop_down_get_selected (self->discipline_dropdown);
  const char * const *disciplines = syn_disciplines ();
  gboolean cables = gtk_toggle_button_get_active (self->cables_button);

  g_clear_handle_id (&self->apply_source, g_source_remove);
  if (self->session == NULL || syn_session_get_project_id (self->session) == NULL)
    {
      syn_grid_model_set_query (self->model, cables, NULL);
      return;
    }
  query = json_object_new ();
  json_object_set_string_member (query, "project_id", syn_session_get_project_id (self->session));
  set_if (query, "tag", entry_text (GTK_EDITABLE (self->tag_entry)));
  set_if (query, "type", entry_text (GTK_EDITABLE (self->type_entry)));
  set_if (query, "area", entry_text (GTK_EDITABLE (self->area_entry)));
  set_if (query, "where", entry_text (GTK_EDITABLE (self->where_entry)));
  if (discipline != GTK_INVALID_LIST_POSITION && discipline > 0 && disciplines[discipline - 1] != NULL)
    json_object_set_string_member (query, "discipline", disciplines[discipline - 1]);
  if (self->sort_key != NULL)
    {
      g_autofree char *sort = g_strconcat (self->sort_descending ? "-" : "", self->sort_key, NULL);

      json_object_set_string_member (query, "sort", sort);
    }
  syn_grid_model_set_query (self->model, cables, query);
}

static gboolean
apply_cb (gpointer data)
{
  SynAssetsView *self = data;

  self->apply_source = 0;
  apply_query (self);
  return G_SOURCE_REMOVE;
}

/* Typing waits for a pause before the list is asked again. */
static void
on_filter_typed (SynAssetsView *self)
{
  g_clear_handle_id (&self->apply_source, g_source_remove);
  self->apply_source = g_timeout_add (TYPING_PAUSE_MS, apply_cb, self);
}

void
syn_assets_view_apply_filters (SynAssetsView *self)
{
  g_return_if_fail (SYN_IS_ASSETS_VIEW (self));
  apply_query (self);
}

static void
on_sort_changed (SynAssetsView *self)
{
  g_autofree char *key = NULL;
  gboolean descending = FALSE;

  read_sort (self, &key, &descending);
  if (g_strcmp0 (key, self->sort_key) == 0 && descending == self->sort_descending)
    return;
  g_free (self->sort_key);
  self->sort_key = g_steal_pointer (&key);
  self->sort_descending = descending;
  apply_query (self);
}

/* The property columns typed (applied when Enter is pressed or the entry
 * is left, not at every key). */
static void
on_columns_activate (SynAssetsView *self)
{
  g_auto(GStrv) parts = g_strsplit (gtk_editable_get_text (GTK_EDITABLE (self->columns_entry)), ",", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) chosen = NULL;

  for (guint i = 0; parts[i]; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] != '\0')
        g_strv_builder_add (builder, parts[i]);
    }
  chosen = g_strv_builder_end (builder);
  if (self->properties != NULL && g_strv_equal ((const char * const *) chosen, (const char * const *) self->properties))
    return;
  g_strfreev (self->properties);
  self->properties = g_steal_pointer (&chosen);
  build_columns (self);
}

static void
on_kind_toggled (SynAssetsView *self)
{
  gboolean cables = gtk_toggle_button_get_active (self->cables_button);

  g_clear_pointer (&self->sort_key, g_free);
  gtk_widget_set_visible (GTK_WIDGET (self->columns_entry), !cables);
  build_columns (self);
  apply_query (self);
  update_actions (self);
}

/* ------------------------------------------------------------------------- */
/* Counts and state                                                          */

static void
update_count (SynAssetsView *self)
{
  gboolean cables = syn_grid_model_get_cables (self->model);
  guint64 total = syn_grid_model_get_total (self->model);
  g_autofree char *number = syn_format_count ((gint64) total);
  g_autofree char *text = NULL;

  if (syn_grid_model_get_error (self->model) != NULL)
    {
      /* Translators: a list could not be read; the reason follows */
      text = g_strdup_printf (_("Could not load the list: %s"), syn_grid_model_get_error (self->model));
      gtk_widget_add_css_class (GTK_WIDGET (self->count_label), "error");
    }
  else
    {
      text = g_strdup_printf (cables ? g_dngettext (GETTEXT_PACKAGE, "%s cable", "%s cables", (gulong) total)
                                     : g_dngettext (GETTEXT_PACKAGE, "%s asset", "%s assets", (gulong) total),
                              number);
      gtk_widget_remove_css_class (GTK_WIDGET (self->count_label), "error");
    }
  gtk_label_set_text (self->count_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->count_label), text);
}

static void
on_loading_changed (SynAssetsView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

gboolean
syn_assets_view_get_busy (SynAssetsView *self)
{
  g_return_val_if_fail (SYN_IS_ASSETS_VIEW (self), FALSE);
  return syn_grid_model_get_loading (self->model);
}

/* ------------------------------------------------------------------------- */
/* Selection                                                                 */

/* The selected positions, in order. */
static GArray *
selected_positions (SynAssetsView *self)
{
  g_autoptr(GtkBitset) set = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GArray *positions = g_array_new (FALSE, FALSE, sizeof (guint));
  GtkBitsetIter iter;
  guint position;

  if (gtk_bitset_iter_init_first (&iter, set, &position))
    do
      g_array_append_val (positions, position);
    while (gtk_bitset_iter_next (&iter, &position));
  return positions;
}

static SynGridRow *
first_selected (SynAssetsView *self)
{
  g_autoptr(GtkBitset) set = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));

  if (gtk_bitset_is_empty (set))
    return NULL;
  return g_list_model_get_item (G_LIST_MODEL (self->selection), gtk_bitset_get_minimum (set));
}

static void
update_actions (SynAssetsView *self)
{
  g_autoptr(GtkBitset) set = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  gboolean cables = syn_grid_model_get_cables (self->model);
  gboolean any = !gtk_bitset_is_empty (set);
  gboolean project = self->session != NULL && syn_session_get_project_id (self->session) != NULL;
  /* a past moment is read-only: shown, searched, exported, never changed */
  gboolean writable = self->session != NULL && syn_session_get_as_of (self->session) == NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "grid.delete", any && writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "grid.open-history", any);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "grid.export", project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "grid.new", project && writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "grid.edit", any && !cables && writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "grid.hand-back", any && !cables && writable);
}

/* ------------------------------------------------------------------------- */
/* Hierarchy                                                                 */

static SynJsonItem *
asset_node (const char *id, const char *tag, const char *type, const char *label)
{
  g_autoptr(JsonObject) o = json_object_new ();

  json_object_set_string_member (o, "kind", "asset");
  syn_json_set_string_or_null (o, "id", id);
  syn_json_set_string_or_null (o, "tag", tag);
  syn_json_set_string_or_null (o, "type", type);
  return syn_json_item_new (o, label);
}

typedef struct
{
  SynAssetsView *self;
  GListStore    *store;
  guint          generation;
} RelationsLoad;

static void
relations_loaded (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RelationsLoad *load = user_data;
  g_autoptr(SynAssetsView) self = load->self;
  g_autoptr(GListStore) store = load->store;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  guint generation = load->generation;
  JsonArray *edges, *cables;

  g_free (load);
  if (answer == NULL || generation != self->hierarchy_generation)
    {
      if (answer == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (self->hierarchy_title, error->message);
      return;
    }
  edges = json_object_get_array_member (json_node_get_object (answer), "edges");
  cables = json_object_get_array_member (json_node_get_object (answer), "cables");
  for (guint i = 0; edges && i < json_array_get_length (edges); i++)
    {
      JsonObject *edge = json_array_get_object_element (edges, i);
      JsonObject *other = json_object_get_object_member (edge, "asset");
      const char *tag = syn_json_get_string (other, "tag");
      const char *type = syn_json_get_string (other, "type");
      g_autofree char *label = NULL;
      g_autoptr(SynJsonItem) node = NULL;

      if (g_strcmp0 (syn_json_get_string (edge, "direction"), "out") == 0)
        /* Translators: an edge from the asset shown: "powers 210-PP-001 (PUMP)" */
        label = g_strdup_printf (_("%s %s (%s)"), syn_json_get_string (edge, "relation"), tag ? tag : "?",
                                 type ? type : "?");
      else
        /* Translators: an edge to the asset shown: "210-M-001 (MOTOR) powers it" */
        label = g_strdup_printf (_("%s (%s) %s it"), tag ? tag : "?", type ? type : "?",
                                 syn_json_get_string (edge, "relation"));
      node = asset_node (syn_json_get_string (other, "id"), tag, type, label);
      g_list_store_append (store, node);
    }
  for (guint i = 0; cables && i < json_array_get_length (cables); i++)
    {
      JsonObject *cable = json_array_get_object_element (cables, i);
      g_autoptr(JsonObject) o = json_object_new ();
      g_autoptr(SynJsonItem) node = NULL;
      g_autofree char *label = NULL;
      const char *from = syn_json_get_string (cable, "from_tag");
      const char *to = syn_json_get_string (cable, "to_tag");

      json_object_set_string_member (o, "kind", "cable");
      syn_json_set_string_or_null (o, "id", syn_json_get_string (cable, "id"));
      syn_json_set_string_or_null (o, "tag", syn_json_get_string (cable, "tag"));
      /* Translators: a cable, where it comes from and where it goes: "Cable 210-M-001-PWR: MCC-1 → 210-M-001" */
      label = g_strdup_printf (_("Cable %s: %s → %s"), syn_json_get_string (cable, "tag"), from ? from : "—",
                               to ? to : "—");
      node = syn_json_item_new (o, label);
      g_list_store_append (store, node);
    }
  if (store == self->hierarchy_roots && g_list_model_get_n_items (G_LIST_MODEL (store)) == 0)
    gtk_label_set_text (self->hierarchy_title, _("No edges or cables: nothing is linked to it."));
}

static void
relations_free_pending (RelationsLoad *load)
{
  g_object_unref (load->self);
  g_object_unref (load->store);
  g_free (load);
}

static void
load_relations (SynAssetsView *self, GListStore *store, const char *asset_id)
{
  g_autoptr(JsonObject) params = json_object_new ();
  RelationsLoad *load = g_new0 (RelationsLoad, 1);

  load->self = g_object_ref (self);
  load->store = g_object_ref (store);
  load->generation = self->hierarchy_generation;
  json_object_set_string_member (params, "project_id", syn_session_get_project_id (self->session));
  json_object_set_string_member (params, "asset_id", asset_id);
  if (syn_session_get_data_backend (self->session) == NULL)
    {
      relations_free_pending (load);
      return;
    }
  syn_backend_call_async (syn_session_get_data_backend (self->session), SYN_OP_ASSET_RELATIONS, params,
                          self->cancellable, relations_loaded, load);
}

/* An asset node's children: its own relations, asked for when expanded. */
static GListModel *
hierarchy_children (gpointer item, gpointer data)
{
  SynAssetsView *self = data;
  SynJsonItem *node = item;
  GListStore *store;

  if (g_strcmp0 (syn_json_item_get_string (node, "kind"), "asset") != 0 ||
      syn_json_item_get_string (node, "id") == NULL || self->session == NULL)
    return NULL;
  store = g_list_store_new (SYN_TYPE_JSON_ITEM);
  load_relations (self, store, syn_json_item_get_string (node, "id"));
  return G_LIST_MODEL (store);
}

static void
show_hierarchy (SynAssetsView *self)
{
  g_autoptr(SynGridRow) row = first_selected (self);
  g_autofree char *title = NULL;
  const char *key = row && syn_grid_row_get_loaded (row) ? syn_grid_row_get_id (row) : NULL;

  if (g_strcmp0 (key, self->hierarchy_for) == 0)
    return;
  g_free (self->hierarchy_for);
  self->hierarchy_for = g_strdup (key);
  self->hierarchy_generation++;
  g_list_store_remove_all (self->hierarchy_roots);
  if (key == NULL || self->session == NULL)
    {
      gtk_label_set_text (self->hierarchy_title, _("Select an asset or a cable to see what it is linked to."));
      return;
    }
  if (syn_grid_row_is_cable (row))
    {
      SynCable *cable = syn_grid_row_get_cable (row);
      JsonObject *o = syn_grid_row_get_json (row);
      g_autofree char *to = NULL, *from = NULL;

      /* Translators: the hierarchy of a cable: its tag */
      title = g_strdup_printf (_("Cable %s, between:"), cable->tag);
      if (cable->to_asset_id != NULL)
        {
          g_autoptr(SynJsonItem) node = NULL;

          /* Translators: the asset a cable goes to (its load) */
          to = g_strdup_printf (_("To %s"), syn_json_get_string (o, "to_tag"));
          node = asset_node (cable->to_asset_id, syn_json_get_string (o, "to_tag"), NULL, to);
          g_list_store_append (self->hierarchy_roots, node);
        }
      if (cable->from_asset_id != NULL)
        {
          g_autoptr(SynJsonItem) node = NULL;

          /* Translators: the asset a cable comes from */
          from = g_strdup_printf (_("From %s"), syn_json_get_string (o, "from_tag"));
          node = asset_node (cable->from_asset_id, syn_json_get_string (o, "from_tag"), NULL, from);
          g_list_store_append (self->hierarchy_roots, node);
        }
    }
  else
    {
      SynAsset *asset = syn_grid_row_get_asset (row);

      /* Translators: the hierarchy of an asset: its tag and type */
      title = g_strdup_printf (_("%s (%s), linked to:"), asset->tag, asset->type);
      load_relations (self, self->hierarchy_roots, asset->id);
    }
  gtk_label_set_text (self->hierarchy_title, title);
}

static void
hierarchy_setup (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), label);
  gtk_list_item_set_child (item, expander);
}

static void
hierarchy_bind (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  GtkTreeListRow *row = gtk_list_item_get_item (item);
  GtkTreeExpander *expander = GTK_TREE_EXPANDER (gtk_list_item_get_child (item));
  SynJsonItem *node = gtk_tree_list_row_get_item (row);

  gtk_tree_expander_set_list_row (expander, row);
  gtk_label_set_text (GTK_LABEL (gtk_tree_expander_get_child (expander)), syn_json_item_get_label (node));
  gtk_widget_set_tooltip_text (GTK_WIDGET (expander), syn_json_item_get_label (node));
  g_object_unref (node);
}

static void
hierarchy_unbind (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (gtk_list_item_get_child (item)), NULL);
}

/* ------------------------------------------------------------------------- */
/* Actions                                                                   */

/* An asset's history; a cable's by its tag. */
static void
open_history (SynAssetsView *self, gboolean cable, const char *id, const char *tag)
{
  if (self->session == NULL || tag == NULL)
    return;
  if (cable)
    /* TODO: cable history comes with issue 12 (the asset history view
     * learns cables); until then it answers that no asset has the tag */
    syn_session_show_asset (self->session, NULL, tag);
  else
    syn_session_show_asset (self->session, id, tag);
}

static void
on_activate (GtkColumnView *grid, guint position, SynAssetsView *self)
{
  g_autoptr(SynGridRow) row = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (row != NULL && syn_grid_row_get_loaded (row))
    open_history (self, syn_grid_row_is_cable (row), syn_grid_row_get_id (row), syn_grid_row_get_tag (row));
}

static void
open_history_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynAssetsView *self = SYN_ASSETS_VIEW (widget);
  g_autoptr(SynGridRow) row = first_selected (self);

  if (row != NULL && syn_grid_row_get_loaded (row))
    open_history (self, syn_grid_row_is_cable (row), syn_grid_row_get_id (row), syn_grid_row_get_tag (row));
}

static void
on_hierarchy_activate (GtkListView *list, guint position, SynAssetsView *self)
{
  g_autoptr(GtkTreeListRow) row = g_list_model_get_item (G_LIST_MODEL (self->hierarchy), position);
  g_autoptr(SynJsonItem) node = row ? gtk_tree_list_row_get_item (row) : NULL;

  if (node != NULL)
    open_history (self, g_strcmp0 (syn_json_item_get_string (node, "kind"), "cable") == 0,
                  syn_json_item_get_string (node, "id"), syn_json_item_get_string (node, "tag"));
}

/* Deleting: the selection's rows are read first (the dialog names what
 * goes), then deleted as one batch, offered back with Undo. */
typedef struct
{
  SynAssetsView *self;
  GPtrArray     *asset_ids;   /* char * */
  GPtrArray     *cable_ids;
  GPtrArray     *tags;        /* char *, for the question */
} Deletion;

static void
deletion_free (gpointer data)
{
  Deletion *d = data;

  g_object_unref (d->self);
  g_ptr_array_unref (d->asset_ids);
  g_ptr_array_unref (d->cable_ids);
  g_ptr_array_unref (d->tags);
  g_free (d);
}

static void
deletion_closure_free (gpointer data, GClosure *closure)
{
  deletion_free (data);
}

static JsonArray *
id_array (GPtrArray *ids)
{
  JsonArray *array = json_array_sized_new (ids->len);

  for (guint i = 0; i < ids->len; i++)
    json_array_add_string_element (array, g_ptr_array_index (ids, i));
  return array;
}

/* "2 assets and 1 cable", "3 cables"… */
static char *
describe_counts (guint assets, guint cables)
{
  g_autofree char *a = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u asset", "%u assets", assets), assets);
  g_autofree char *c = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u cable", "%u cables", cables), cables);

  if (assets > 0 && cables > 0)
    /* Translators: counts of what is deleted: "2 assets and 1 cable" */
    return g_strdup_printf (_("%s and %s"), a, c);
  return g_strdup (assets > 0 ? a : c);
}

static void
entities_deleted (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SynAssetsView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  g_autofree char *counts = NULL;
  g_autofree char *text = NULL;
  JsonObject *o;

  if (self->session == NULL)
    return;
  if (answer == NULL)
    {
      syn_session_report_error (self->session, _("Could not delete"), error);
      return;
    }
  o = json_node_get_object (answer);
  counts = describe_counts ((guint) json_object_get_int_member_with_default (o, "deleted_assets", 0),
                            (guint) json_object_get_int_member_with_default (o, "deleted_cables", 0));
  /* Translators: after a deletion: what went ("2 assets and 3 cables") */
  text = g_strdup_printf (_("Deleted %s."), counts);
  syn_batch_undo_offer (self->session, text, syn_json_get_string (o, "correlation_id"));
  syn_session_data_changed (self->session);
}

static void
on_delete_response (AdwMessageDialog *dialog, const char *response, Deletion *d)
{
  SynAssetsView *self = d->self;
  g_autoptr(JsonObject) params = NULL;

  if (g_strcmp0 (response, "delete") != 0 || self->session == NULL || syn_session_get_project_id (self->session) == NULL)
    return;
  params = json_object_new ();
  json_object_set_string_member (params, "project_id", syn_session_get_project_id (self->session));
  if (d->asset_ids->len > 0)
    json_object_set_array_member (params, "asset_ids", id_array (d->asset_ids));
  if (d->cable_ids->len > 0)
    json_object_set_array_member (params, "cable_ids", id_array (d->cable_ids));
  syn_backend_call_async (syn_session_get_backend (self->session), SYN_OP_DELETE_ENTITIES, params, self->cancellable,
                          entities_deleted, g_object_ref (self));
}

#define NAMED_TAGS 5

/* The question, naming how many and which. */
static void
ask_delete (Deletion *d)
{
  SynAssetsView *self = d->self;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *counts = describe_counts (d->asset_ids->len, d->cable_ids->len);
  g_autofree char *heading = NULL;
  g_autofree char *names = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GPtrArray) shown = g_ptr_array_new ();
  GtkWidget *dialog;
  guint more;

  for (guint i = 0; i < d->tags->len && i < NAMED_TAGS; i++)
    g_ptr_array_add (shown, g_ptr_array_index (d->tags, i));
  g_ptr_array_add (shown, NULL);
  names = g_strjoinv (", ", (char **) shown->pdata);
  more = d->tags->len > NAMED_TAGS ? d->tags->len - NAMED_TAGS : 0;
  if (more > 0)
    {
      /* Translators: the tags named, then how many more are deleted */
      g_autofree char *longer = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s and %u more", "%s and %u more", more),
                                                 names, more);

      g_free (names);
      names = g_steal_pointer (&longer);
    }
  /* Translators: the question before a deletion: "Delete 2 assets and 1 cable?" */
  heading = g_strdup_printf (_("Delete %s?"), counts);
  body = g_strdup_printf ("%s\n\n%s", names,
                          d->asset_ids->len > 0
                          ? _("An asset goes with its edges and cables. All of it is one batch: Undo, or a rollback "
                              "on the timeline, brings it back. A cable a rule made comes back at the next run.")
                          : _("One batch: Undo, or a rollback on the timeline, brings them back. A cable a rule made "
                              "comes back at the next run."));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_delete_response), d, deletion_closure_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
delete_rows_fetched (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SynAssetsView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = syn_grid_model_fetch_rows_finish (SYN_GRID_MODEL (object), result, &error);
  Deletion *d;

  if (rows == NULL)
    {
      if (self->session != NULL)
        syn_session_report_error (self->session, _("Could not delete"), error);
      return;
    }
  if (rows->len == 0)
    return;
  d = g_new0 (Deletion, 1);
  d->self = g_object_ref (self);
  d->asset_ids = g_ptr_array_new_with_free_func (g_free);
  d->cable_ids = g_ptr_array_new_with_free_func (g_free);
  d->tags = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < rows->len; i++)
    {
      SynGridRow *row = g_ptr_array_index (rows, i);

      g_ptr_array_add (syn_grid_row_is_cable (row) ? d->cable_ids : d->asset_ids, g_strdup (syn_grid_row_get_id (row)));
      g_ptr_array_add (d->tags, g_strdup (syn_grid_row_get_tag (row)));
    }
  ask_delete (d);
}

static void
delete_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynAssetsView *self = SYN_ASSETS_VIEW (widget);
  g_autoptr(GArray) positions = selected_positions (self);

  if (positions->len == 0)
    return;
  syn_grid_model_fetch_rows_async (self->model, positions, self->cancellable, delete_rows_fetched, g_object_ref (self));
}

/* ------------------------------------------------------------------------- */
/* Editing                                                                   */

static void
new_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynAssetsView *self = SYN_ASSETS_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->session == NULL || syn_session_get_project_id (self->session) == NULL)
    return;
  gtk_window_present (GTK_WINDOW (syn_asset_editor_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                               self->session, NULL)));
}

static void
edit_rows_fetched (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SynAssetsView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = syn_grid_model_fetch_rows_finish (SYN_GRID_MODEL (object), result, &error);
  g_autoptr(GPtrArray) assets = g_ptr_array_new ();
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->session == NULL)
    return;
  if (rows == NULL)
    {
      syn_session_report_error (self->session, _("Could not read the selection"), error);
      return;
    }
  for (guint i = 0; i < rows->len; i++)
    if (!syn_grid_row_is_cable (g_ptr_array_index (rows, i)))
      g_ptr_array_add (assets, syn_grid_row_get_json (g_ptr_array_index (rows, i)));
  if (assets->len == 0)
    return;
  gtk_window_present (GTK_WINDOW (syn_asset_editor_dialog_new_for_many (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                                          : NULL,
                                                                        self->session, assets)));
}

static void
edit_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynAssetsView *self = SYN_ASSETS_VIEW (widget);
  g_autoptr(SynGridRow) row = first_selected (self);
  g_autoptr(GArray) positions = selected_positions (self);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->session == NULL || row == NULL || syn_grid_model_get_cables (self->model))
    return;
  /* a selection: one change for all of it */
  if (positions->len > 1)
    {
      syn_grid_model_fetch_rows_async (self->model, positions, self->cancellable, edit_rows_fetched,
                                       g_object_ref (self));
      return;
    }
  if (!syn_grid_row_get_loaded (row) || syn_grid_row_is_cable (row))
    return;
  gtk_window_present (GTK_WINDOW (syn_asset_editor_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                               self->session, syn_grid_row_get_json (row))));
}

static void
handed_back (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SynAssetsView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  g_autofree char *text = NULL;
  JsonObject *o;

  if (self->session == NULL)
    return;
  if (answer == NULL)
    {
      syn_session_report_error (self->session, _("Could not hand the values back"), error);
      return;
    }
  o = json_node_get_object (answer);
  if (syn_json_get_string (o, "correlation_id") == NULL)
    /* Translators: hand back asked for an asset that holds nothing of its own */
    text = g_strdup_printf (_("%s holds no value of its own: the rules already set it."), syn_json_get_string (o, "tag"));
  else
    /* Translators: an asset's held values were handed back to the rules */
    text = g_strdup_printf (_("Handed the values of %s back to the rules: the next run sets them."),
                            syn_json_get_string (o, "tag"));
  syn_batch_undo_offer (self->session, text, syn_json_get_string (o, "correlation_id"));
  syn_session_data_changed (self->session);
}

/* Everything the selected asset holds against its rules goes back to them
 * (the history view hands back one value at a time). */
static void
hand_back_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynAssetsView *self = SYN_ASSETS_VIEW (widget);
  g_autoptr(SynGridRow) row = first_selected (self);
  g_autoptr(JsonObject) params = NULL;

  if (self->session == NULL || row == NULL || !syn_grid_row_get_loaded (row) || syn_grid_row_is_cable (row))
    return;
  params = json_object_new ();
  json_object_set_string_member (params, "project_id", syn_session_get_project_id (self->session));
  json_object_set_string_member (params, "asset_id", syn_grid_row_get_id (row));
  json_object_set_boolean_member (params, "all", TRUE);
  syn_backend_call_async (syn_session_get_backend (self->session), SYN_OP_RESET_ASSET, params, self->cancellable,
                          handed_back, g_object_ref (self));
}

static void
on_context_pressed (GtkGestureClick *gesture, int n_press, double x, double y, SynAssetsView *self)
{
  graphene_point_t point;

  if (!gtk_widget_compute_point (GTK_WIDGET (self->grid), GTK_WIDGET (self), &GRAPHENE_POINT_INIT ((float) x, (float) y),
                                 &point))
    return;
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_popover),
                               &(GdkRectangle) { (int) point.x, (int) point.y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->context_popover));
}

/* ------------------------------------------------------------------------- */
/* Export                                                                    */

static void
exported (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SynAssetsView) self = user_data;
  g_autoptr(GError) error = NULL;
  guint rows = 0;

  if (self->session == NULL)
    return;
  if (!syn_export_to_file_finish (result, &rows, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        syn_session_report_error (self->session, _("Could not export"), error);
      return;
    }
  {
    g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %u row.", "Exported %u rows.",
                                                          rows), rows);

    syn_session_report_info (self->session, text);
  }
}

typedef struct
{
  SynAssetsView *self;
  GFile         *file;
  gboolean       json;
} SelectionExport;

/* The selection written as the export of the list writes it: the same
 * columns and cells (the exporter's), from the rows the grid has. */
static void
selection_rows_fetched (GObject *object, GAsyncResult *result, gpointer user_data)
{
  SelectionExport *e = user_data;
  g_autoptr(SynAssetsView) self = e->self;
  g_autoptr(GFile) file = e->file;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = syn_grid_model_fetch_rows_finish (SYN_GRID_MODEL (object), result, &error);
  SynExportFormat format = e->json ? SYN_EXPORT_JSON : SYN_EXPORT_CSV;
  SynExportTable *table;
  g_autofree JsonNode **cells = NULL;
  guint n_rows = 0, n;
  char *content;

  g_free (e);
  if (rows == NULL)
    {
      if (self->session != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        syn_session_report_error (self->session, _("Could not export"), error);
      return;
    }
  table = syn_export_table_new (syn_grid_model_get_cables (self->model) ? SYN_EXPORT_CABLES : SYN_EXPORT_ASSETS,
                                format, (const char * const *) self->properties);
  n = syn_export_table_n_columns (table);
  cells = g_new0 (JsonNode *, n);
  for (guint r = 0; r < rows->len; r++)
    {
      for (guint c = 0; c < n; c++)
        cells[c] = syn_grid_row_get_cell (g_ptr_array_index (rows, r), syn_export_table_key (table, c));
      syn_export_table_add_row (table, cells);
    }
  content = syn_export_table_finish (table, &n_rows);
  syn_export_text_to_file_async (content, n_rows, file, self->cancellable, exported, g_object_ref (self));
}

static GArray *
all_positions (SynAssetsView *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  GArray *positions = g_array_sized_new (FALSE, FALSE, sizeof (guint), n);

  for (guint i = 0; i < n; i++)
    g_array_append_val (positions, i);
  return positions;
}

void
syn_assets_view_export_to_file (SynAssetsView *self, const char *what, GFile *file)
{
  g_autoptr(JsonObject) params = NULL;
  JsonObject *query;

  g_return_if_fail (SYN_IS_ASSETS_VIEW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->session == NULL || (query = syn_grid_model_get_query (self->model)) == NULL)
    return;
  /* a past moment has no export operation: its rows, all of them, as the selection's */
  if (g_strcmp0 (what, "selection") == 0 || syn_session_get_as_of (self->session) != NULL)
    {
      g_autoptr(GArray) positions = g_strcmp0 (what, "selection") == 0 ? selected_positions (self)
                                                                        : all_positions (self);
      SelectionExport *e = g_new0 (SelectionExport, 1);

      e->self = g_object_ref (self);
      e->file = g_object_ref (file);
      e->json = g_strcmp0 (what, "json") == 0;
      syn_grid_model_fetch_rows_async (self->model, positions, self->cancellable, selection_rows_fetched, e);
      return;
    }
  params = syn_json_object_copy (query);
  json_object_set_string_member (params, "kind", syn_grid_model_get_cables (self->model) ? "cables" : "assets");
  json_object_set_string_member (params, "format", g_strcmp0 (what, "json") == 0 ? "json" : "csv");
  if (self->properties != NULL && self->properties[0] != NULL && !syn_grid_model_get_cables (self->model))
    {
      g_autofree char *props = g_strjoinv (",", self->properties);

      json_object_set_string_member (params, "properties", props);
    }
  syn_export_to_file_async (syn_session_get_backend (self->session), params, file, self->cancellable, exported,
                            g_object_ref (self));
}

typedef struct
{
  SynAssetsView *self;
  char          *what;
} ExportChoice;

static void
export_choice_free (gpointer data)
{
  ExportChoice *choice = data;

  g_object_unref (choice->self);
  g_free (choice->what);
  g_free (choice);
}

static void
on_export_chosen (GFile *file, gpointer data)
{
  ExportChoice *choice = data;

  syn_assets_view_export_to_file (choice->self, choice->what, file);
}

static void
export_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynAssetsView *self = SYN_ASSETS_VIEW (widget);
  const char *what = g_variant_get_string (parameter, NULL);
  gboolean cables = syn_grid_model_get_cables (self->model);
  SynProject *project = self->session ? syn_session_get_project (self->session) : NULL;
  g_autofree char *name = NULL;
  ExportChoice *choice;

  if (project == NULL)
    return;
  /* Translators: the file name an export suggests: the project, then what it holds */
  name = g_strdup_printf (_("%s-%s.%s"), project->name,
                          g_str_equal (what, "selection") ? (cables ? _("cables-selected") : _("assets-selected"))
                                                          : (cables ? _("cables") : _("assets")),
                          g_str_equal (what, "json") ? "json" : "csv");
  g_strdelimit (name, "/\\:", '_');
  choice = g_new0 (ExportChoice, 1);
  choice->self = g_object_ref (self);
  choice->what = g_strdup (what);
  syn_export_chooser_run (GTK_WINDOW (gtk_widget_get_root (widget)),
                          cables ? _("Export the Cable Schedule") : _("Export the Asset List"), name,
                          g_str_equal (what, "json") ? "json" : "csv", on_export_chosen, choice, export_choice_free);
}

/* ------------------------------------------------------------------------- */
/* Session                                                                   */

static void
on_project_changed (SynAssetsView *self)
{
  /* as of a past moment, the moment's state answers the same operations */
  syn_grid_model_set_backend (self->model, self->session ? syn_session_get_data_backend (self->session) : NULL);
  g_clear_pointer (&self->hierarchy_for, g_free);
  show_hierarchy (self);
  apply_query (self);
  update_actions (self);
}

static void
on_revision_changed (SynAssetsView *self)
{
  /* others' batches do not change a past moment */
  if (syn_session_get_as_of (self->session) != NULL)
    return;
  syn_grid_model_reload (self->model);
  /* what it is linked to may have changed too */
  g_clear_pointer (&self->hierarchy_for, g_free);
  show_hierarchy (self);
}

static void
on_selection_changed (SynAssetsView *self)
{
  update_actions (self);
  show_hierarchy (self);
}

SynSession *
syn_assets_view_get_session (SynAssetsView *self)
{
  g_return_val_if_fail (SYN_IS_ASSETS_VIEW (self), NULL);
  return self->session;
}

void
syn_assets_view_set_session (SynAssetsView *self, SynSession *session)
{
  g_return_if_fail (SYN_IS_ASSETS_VIEW (self));
  g_return_if_fail (session == NULL || SYN_IS_SESSION (session));

  if (self->session == session)
    return;
  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      g_signal_handlers_disconnect_by_data (syn_session_get_status (self->session), self);
    }
  g_set_object (&self->session, session);
  if (session != NULL)
    {
      g_signal_connect_swapped (syn_session_get_status (session), "notify::report", G_CALLBACK (update_markers), self);
      g_signal_connect_swapped (session, "notify::project", G_CALLBACK (on_project_changed), self);
      g_signal_connect_swapped (session, "notify::backend", G_CALLBACK (on_project_changed), self);
      g_signal_connect_swapped (session, "notify::revision", G_CALLBACK (on_revision_changed), self);
      g_signal_connect_swapped (session, "notify::data-backend", G_CALLBACK (on_project_changed), self);
    }
  on_project_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

SynGridModel *
syn_assets_view_get_model (SynAssetsView *self)
{
  g_return_val_if_fail (SYN_IS_ASSETS_VIEW (self), NULL);
  return self->model;
}

GtkColumnView *
syn_assets_view_get_grid (SynAssetsView *self)
{
  g_return_val_if_fail (SYN_IS_ASSETS_VIEW (self), NULL);
  return self->grid;
}

GtkSelectionModel *
syn_assets_view_get_selection (SynAssetsView *self)
{
  g_return_val_if_fail (SYN_IS_ASSETS_VIEW (self), NULL);
  return GTK_SELECTION_MODEL (self->selection);
}

GListModel *
syn_assets_view_get_hierarchy (SynAssetsView *self)
{
  g_return_val_if_fail (SYN_IS_ASSETS_VIEW (self), NULL);
  return G_LIST_MODEL (self->hierarchy);
}

gboolean
syn_assets_view_get_cables (SynAssetsView *self)
{
  g_return_val_if_fail (SYN_IS_ASSETS_VIEW (self), FALSE);
  return gtk_toggle_button_get_active (self->cables_button);
}

void
syn_assets_view_set_cables (SynAssetsView *self, gboolean cables)
{
  g_return_if_fail (SYN_IS_ASSETS_VIEW (self));
  gtk_toggle_button_set_active (cables ? self->cables_button : self->assets_button, TRUE);
}

const char *
syn_assets_view_get_sort (SynAssetsView *self, gboolean *descending)
{
  g_return_val_if_fail (SYN_IS_ASSETS_VIEW (self), NULL);
  if (descending != NULL)
    *descending = self->sort_descending;
  return self->sort_key;
}

void
syn_assets_view_focus_search (SynAssetsView *self)
{
  g_return_if_fail (SYN_IS_ASSETS_VIEW (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->tag_entry));
}

/* Narrow, the hierarchy goes under the grid. */
void
syn_assets_view_set_narrow (SynAssetsView *self, gboolean narrow)
{
  g_return_if_fail (SYN_IS_ASSETS_VIEW (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->paned),
                                  narrow ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
  gtk_widget_set_size_request (self->hierarchy_pane, narrow ? -1 : 240, narrow ? 140 : -1);
}

/* ------------------------------------------------------------------------- */

static void
syn_assets_view_dispose (GObject *object)
{
  SynAssetsView *self = SYN_ASSETS_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->apply_source, g_source_remove);
  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      g_signal_handlers_disconnect_by_data (syn_session_get_status (self->session), self);
    }
  g_clear_object (&self->session);
  if (self->grid != NULL)
    {
      g_signal_handlers_disconnect_by_data (gtk_column_view_get_sorter (self->grid), self);
      gtk_column_view_set_model (self->grid, NULL);
    }
  if (self->hierarchy_list != NULL)
    gtk_list_view_set_model (self->hierarchy_list, NULL);
  g_clear_pointer (&self->context_popover, gtk_widget_unparent);
  syn_ui_dispose_template (GTK_WIDGET (self), SYN_TYPE_ASSETS_VIEW);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->hierarchy);
  g_clear_object (&self->hierarchy_roots);

  G_OBJECT_CLASS (syn_assets_view_parent_class)->dispose (object);
}

static void
syn_assets_view_finalize (GObject *object)
{
  SynAssetsView *self = SYN_ASSETS_VIEW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->discipline_names);
  g_clear_pointer (&self->properties, g_strfreev);
  g_clear_pointer (&self->sort_key, g_free);
  g_clear_pointer (&self->hierarchy_for, g_free);
  g_clear_pointer (&self->markers, g_hash_table_unref);

  G_OBJECT_CLASS (syn_assets_view_parent_class)->finalize (object);
}

static void
syn_assets_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SynAssetsView *self = SYN_ASSETS_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, syn_assets_view_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
syn_assets_view_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SynAssetsView *self = SYN_ASSETS_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      syn_assets_view_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
syn_assets_view_class_init (SynAssetsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = syn_assets_view_dispose;
  object_class->finalize = syn_assets_view_finalize;
  object_class->get_property = syn_assets_view_get_property;
  object_class->set_property = syn_assets_view_set_property;

  properties[PROP_SESSION] = syn_ui_session_param_spec ();
  properties[PROP_BUSY] = syn_ui_busy_param_spec ();
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/synapse_rules/Synapse/ui/syn-assets-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SynAssetsView, assets_button);
  gtk_widget_class_bind_template_child (widget_class, SynAssetsView, cables_button);
  gtk_widget_class_bind_template_child (widget_class, SynAssetsView, tag_entry);
  gtk_widget_class_bind_template_child (widget_class, SynAssetsView, count_label);
  gtk_widget_class_bind_template_child (widget_class, SynAssetsView, filter_flow);
  gtk_widget_class_bind_template_child (widget_class, SynAssetsView, type_entry);
  gtk_widget_class_bind_template_child (widget_class, SynAssetsView, area_entry);
  gtk_widget_class_bind_template_child (widget_class, SynAssetsView, discipline_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SynAssetsView, where_entry);
  gtk_widget_class_bind_template_child (widget_class, SynAssetsView, columns_entry);
  gtk_widget_class_bind_template_child (widget_class, SynAssetsView, export_button);
  gtk_widget_class_bind_template_child (widget_class, SynAssetsView, history_button);
  gtk_widget_class_bind_template_child (widget_class, SynAssetsView, delete_button);
  gtk_widget_class_bind_template_child (widget_class, SynAssetsView, context_menu);
  gtk_widget_class_bind_template_child (widget_class, SynAssetsView, paned);
  gtk_widget_class_bind_template_child (widget_class, SynAssetsView, scroller);
  gtk_widget_class_bind_template_child (widget_class, SynAssetsView, grid);
  gtk_widget_class_bind_template_child (widget_class, SynAssetsView, hierarchy_pane);
  gtk_widget_class_bind_template_child (widget_class, SynAssetsView, hierarchy_title);
  gtk_widget_class_bind_template_child (widget_class, SynAssetsView, hierarchy_list);

  gtk_widget_class_install_action (widget_class, "grid.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "grid.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "grid.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "grid.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "grid.hand-back", NULL, hand_back_action);
  gtk_widget_class_install_action (widget_class, "grid.open-history", NULL, open_history_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "grid.delete", NULL);
}

static void
syn_assets_view_init (SynAssetsView *self)
{
  const char * const *disciplines = syn_disciplines ();
  g_autoptr(GtkListItemFactory) hierarchy_factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkNoSelection) hierarchy_selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->markers = g_hash_table_new (NULL, NULL);
  self->model = syn_grid_model_new ();
  self->selection = gtk_multi_selection_new (G_LIST_MODEL (g_object_ref (self->model)));
  gtk_column_view_set_model (self->grid, GTK_SELECTION_MODEL (self->selection));

  self->discipline_names = gtk_string_list_new (NULL);
  gtk_string_list_append (self->discipline_names, _("Any discipline"));
  for (guint i = 0; disciplines[i]; i++)
    gtk_string_list_append (self->discipline_names, syn_format_discipline (disciplines[i]));
  gtk_drop_down_set_model (self->discipline_dropdown, G_LIST_MODEL (self->discipline_names));

  self->hierarchy_roots = g_list_store_new (SYN_TYPE_JSON_ITEM);
  self->hierarchy = gtk_tree_list_model_new (G_LIST_MODEL (g_object_ref (self->hierarchy_roots)), FALSE, FALSE,
                                             hierarchy_children, self, NULL);
  hierarchy_selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->hierarchy)));
  g_signal_connect (hierarchy_factory, "setup", G_CALLBACK (hierarchy_setup), self);
  g_signal_connect (hierarchy_factory, "bind", G_CALLBACK (hierarchy_bind), self);
  g_signal_connect (hierarchy_factory, "unbind", G_CALLBACK (hierarchy_unbind), self);
  gtk_list_view_set_factory (self->hierarchy_list, hierarchy_factory);
  gtk_list_view_set_model (self->hierarchy_list, GTK_SELECTION_MODEL (hierarchy_selection));

  self->applying = TRUE;
  build_columns (self);
  self->applying = FALSE;

  g_signal_connect_swapped (self->model, "notify::total", G_CALLBACK (update_count), self);
  g_signal_connect_swapped (self->model, "notify::error", G_CALLBACK (update_count), self);
  g_signal_connect_swapped (self->model, "notify::loading", G_CALLBACK (on_loading_changed), self);
  g_signal_connect_swapped (self->selection, "selection-changed", G_CALLBACK (on_selection_changed), self);
  g_signal_connect_swapped (gtk_column_view_get_sorter (self->grid), "changed", G_CALLBACK (on_sort_changed), self);
  g_signal_connect (self->grid, "activate", G_CALLBACK (on_activate), self);
  {
    GtkGesture *click = gtk_gesture_click_new ();

    gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
    g_signal_connect (click, "pressed", G_CALLBACK (on_context_pressed), self);
    gtk_widget_add_controller (GTK_WIDGET (self->grid), GTK_EVENT_CONTROLLER (click));
    self->context_popover = gtk_popover_menu_new_from_model (self->context_menu);
    gtk_popover_set_has_arrow (GTK_POPOVER (self->context_popover), FALSE);
    gtk_widget_set_halign (self->context_popover, GTK_ALIGN_START);
    gtk_widget_set_parent (self->context_popover, GTK_WIDGET (self));
  }
  g_signal_connect (self->hierarchy_list, "activate", G_CALLBACK (on_hierarchy_activate), self);
  g_signal_connect_swapped (self->cables_button, "toggled", G_CALLBACK (on_kind_toggled), self);
  g_signal_connect_swapped (self->tag_entry, "search-changed", G_CALLBACK (apply_query), self);
  g_signal_connect_swapped (self->type_entry, "changed", G_CALLBACK (on_filter_typed), self);
  g_signal_connect_swapped (self->area_entry, "changed", G_CALLBACK (on_filter_typed), self);
  g_signal_connect_swapped (self->where_entry, "activate", G_CALLBACK (apply_query), self);
  g_signal_connect_swapped (self->columns_entry, "activate", G_CALLBACK (on_columns_activate), self);
  g_signal_connect_swapped (self->discipline_dropdown, "notify::selected", G_CALLBACK (apply_query), self);
  update_count (self);
  update_actions (self);
}
