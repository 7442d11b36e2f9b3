/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-run-error-list.c: SynRunErrorList: every error and warning of a run, one expander per rule with its
 * counts, each row opening its asset's history.
 *
 * A run can report thousands: the rows are a GtkListView over a tree list
 * model (a rule's errors are made into rows only when it is expanded, and
 * only those on screen), and the run's list is read once per frame
 * (syn_run_error_list_sync), each rule's new errors added in one splice. */
#include "config.h"

#include <glib/gi18n.h>

#include "syn-json-item.h"
#include "syn-run-error-group.h"
#include "syn-run-error-list.h"
#include "syn-ui-format.h"

struct _SynRunErrorList
{
  GtkWidget        parent_instance;

  SynSession      *session;
  SynExecutionRun *run;
  guint            read;           /* how many of the run's errors are grouped */
  GListStore      *groups;         /* SynRunErrorGroup, in the order the rules first failed */
  GHashTable      *by_rule;        /* rule id ("" for none) -> SynRunErrorGroup (borrowed) */
  GtkTreeListModel *tree;

  GtkWidget       *box;
  GtkLabel        *title;
  GtkListView     *view;
  GtkWidget       *empty;
};

G_DEFINE_FINAL_TYPE (SynRunErrorList, syn_run_error_list, GTK_TYPE_WIDGET)

static GListModel *
create_children (gpointer item, gpointer data)
{
  if (!SYN_IS_RUN_ERROR_GROUP (item))
    return NULL;
  return g_object_ref (syn_run_error_group_get_items (item));
}

static const char *
rule_name (SynRunErrorList *self, const char *rule_id)
{
  if (rule_id == NULL)
    return _("The run itself");
  return self->session ? syn_session_get_rule_label (self->session, rule_id) : rule_id;
}

/* "12 errors, 3 warnings": what a rule's expander and the title say. */
static char *
format_counts (guint errors, guint warnings)
{
  g_autofree char *e = syn_format_count (errors);
  g_autofree char *w = syn_format_count (warnings);
  g_autofree char *error_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s error", "%s errors", errors), e);
  g_autofree char *warning_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s warning", "%s warnings",
                                                                warnings), w);

  if (warnings == 0)
    return g_steal_pointer (&error_text);
  if (errors == 0)
    return g_steal_pointer (&warning_text);
  /* Translators: "12 errors, 3 warnings" */
  return g_strdup_printf (_("%s, %s"), error_text, warning_text);
}

static void
update_title (SynRunErrorList *self)
{
  guint errors = 0, warnings = 0, rules = g_list_model_get_n_items (G_LIST_MODEL (self->groups));
  g_autofree char *counts = NULL;
  g_autofree char *text = NULL;

  for (guint i = 0; i < rules; i++)
    {
      g_autoptr(SynRunErrorGroup) group = g_list_model_get_item (G_LIST_MODEL (self->groups), i);

      errors += syn_run_error_group_get_errors (group);
      warnings += syn_run_error_group_get_warnings (group);
    }
  counts = format_counts (errors, warnings);
  /* Translators: "241 errors, 3 warnings in 4 rules" */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s in %u rule", "%s in %u rules", rules), counts, rules);
  gtk_label_set_text (self->title, rules > 0 ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->title), rules > 0);
  gtk_widget_set_visible (self->empty, rules == 0);
}

/* Groups the run's errors not grouped yet. */
void
syn_run_error_list_sync (SynRunErrorList *self)
{
  g_autoptr(GHashTable) added = NULL;
  GListModel *errors;
  guint n;

  g_return_if_fail (SYN_IS_RUN_ERROR_LIST (self));

  if (self->run == NULL)
    return;
  errors = syn_execution_run_get_error_list (self->run);
  n = g_list_model_get_n_items (errors);
  if (n <= self->read)
    return;
  added = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
  for (; self->read < n; self->read++)
    {
      SynRunError *error = g_list_model_get_item (errors, self->read);
      const char *rule_id = syn_run_error_get_rule_id (error);
      SynRunErrorGroup *group = g_hash_table_lookup (self->by_rule, rule_id ? rule_id : "");
      GPtrArray *batch;

      if (group == NULL)
        {
          g_autoptr(SynRunErrorGroup) created = syn_run_error_group_new (rule_id, rule_name (self, rule_id));

          group = created;
          g_hash_table_insert (self->by_rule, g_strdup (rule_id ? rule_id : ""), group);
          g_list_store_append (self->groups, created);
        }
      batch = g_hash_table_lookup (added, group);
      if (batch == NULL)
        {
          batch = g_ptr_array_new_with_free_func (g_object_unref);
          g_hash_table_insert (added, group, batch);
        }
      g_ptr_array_add (batch, error);
    }
  {
    GHashTableIter iter;
    gpointer group, batch;

    g_hash_table_iter_init (&iter, added);
    while (g_hash_table_iter_next (&iter, &group, &batch))
      syn_run_error_group_add (group, batch);
  }
  update_title (self);
}

/* The errors of @run from now on (NULL: none shown). */
void
syn_run_error_list_set_run (SynRunErrorList *self, SynExecutionRun *run)
{
  g_return_if_fail (SYN_IS_RUN_ERROR_LIST (self));
  g_return_if_fail (run == NULL || SYN_IS_EXECUTION_RUN (run));

  g_set_object (&self->run, run);
  self->read = 0;
  g_hash_table_remove_all (self->by_rule);
  g_list_store_remove_all (self->groups);
  syn_run_error_list_sync (self);
  update_title (self);
}

void
syn_run_error_list_set_session (SynRunErrorList *self, SynSession *session)
{
  g_return_if_fail (SYN_IS_RUN_ERROR_LIST (self));
  g_return_if_fail (session == NULL || SYN_IS_SESSION (session));

  g_set_object (&self->session, session);
}

/* The groups, one per rule (SynRunErrorGroup). */
GListModel *
syn_run_error_list_get_groups (SynRunErrorList *self)
{
  g_return_val_if_fail (SYN_IS_RUN_ERROR_LIST (self), NULL);
  return G_LIST_MODEL (self->groups);
}

/* How many rows the list has now (a group's errors count once expanded). */
guint
syn_run_error_list_get_n_items (SynRunErrorList *self)
{
  g_return_val_if_fail (SYN_IS_RUN_ERROR_LIST (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->tree));
}

/* As a click on the row at @position: a rule's row opens or closes it, an
 * error's opens its asset's history. */
void
syn_run_error_list_activate (SynRunErrorList *self, guint position)
{
  g_autoptr(GtkTreeListRow) row = NULL;
  g_autoptr(GObject) item = NULL;

  g_return_if_fail (SYN_IS_RUN_ERROR_LIST (self));

  row = g_list_model_get_item (G_LIST_MODEL (self->tree), position);
  if (row == NULL)
    return;
  item = gtk_tree_list_row_get_item (row);
  if (SYN_IS_RUN_ERROR_GROUP (item))
    gtk_tree_list_row_set_expanded (row, !gtk_tree_list_row_get_expanded (row));
  else if (SYN_IS_RUN_ERROR (item) && syn_run_error_get_asset_id (SYN_RUN_ERROR (item)) != NULL && self->session)
    syn_session_show_asset (self->session, syn_run_error_get_asset_id (SYN_RUN_ERROR (item)), NULL);
}

static void
on_activate (GtkListView *view, guint position, SynRunErrorList *self)
{
  syn_run_error_list_activate (self, position);
}

/* ------------------------------------------------------------------------- */
/* Rows                                                                      */

static void
row_setup (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer data)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  /* the row's text says "Error" or "Warning": the icon is decoration */
  GtkWidget *image = g_object_new (GTK_TYPE_IMAGE, "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *detail = gtk_label_new (NULL);

  gtk_widget_set_valign (image, GTK_ALIGN_START);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (title), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_label_set_ellipsize (GTK_LABEL (detail), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_widget_add_css_class (detail, "caption");
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_box_append (GTK_BOX (texts), title);
  gtk_box_append (GTK_BOX (texts), detail);
  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), texts);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), box);
  gtk_widget_add_css_class (expander, "run-error");
  gtk_list_item_set_child (list_item, expander);
}

static void
show_group_counts (SynRunErrorGroup *group, GParamSpec *pspec, GtkLabel *detail)
{
  g_autofree char *counts = format_counts (syn_run_error_group_get_errors (group),
                                           syn_run_error_group_get_warnings (group));

  gtk_label_set_text (detail, counts);
}

static void
row_bind (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer data)
{
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);
  GtkWidget *expander = gtk_list_item_get_child (list_item);
  GtkWidget *box = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (expander));
  GtkWidget *image = gtk_widget_get_first_child (box);
  GtkWidget *texts = gtk_widget_get_next_sibling (image);
  GtkLabel *title = GTK_LABEL (gtk_widget_get_first_child (texts));
  GtkLabel *detail = GTK_LABEL (gtk_widget_get_next_sibling (GTK_WIDGET (title)));
  gpointer item = gtk_tree_list_row_get_item (row);

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), row);
  gtk_widget_remove_css_class (expander, "error");
  gtk_widget_remove_css_class (expander, "warning");
  gtk_widget_remove_css_class (expander, "rule");
  if (SYN_IS_RUN_ERROR_GROUP (item))
    {
      SynRunErrorGroup *group = item;

      gtk_widget_set_visible (image, FALSE);
      gtk_label_set_text (title, syn_run_error_group_get_rule_name (group));
      show_group_counts (group, NULL, detail);
      gtk_widget_set_visible (GTK_WIDGET (detail), TRUE);
      gtk_widget_add_css_class (expander, "rule");
      g_signal_connect_object (group, "notify", G_CALLBACK (show_group_counts), detail, 0);
    }
  else
    {
      SynRunError *error = item;
      gboolean warning = g_strcmp0 (syn_run_error_get_severity (error), "warning") == 0;
      const char *asset_id = syn_run_error_get_asset_id (error);
      g_autofree char *id = asset_id ? syn_format_short_id (asset_id) : NULL;
      g_autofree char *text = NULL;

      gtk_widget_set_visible (image, TRUE);
      gtk_image_set_from_icon_name (GTK_IMAGE (image), warning ? "dialog-warning-symbolic" : "dialog-error-symbolic");
      /* the word says it, not only the colour and the icon */
      text = g_strdup_printf (warning ? _("Warning: %s") : _("Error: %s"), syn_run_error_get_message (error));
      gtk_label_set_text (title, text);
      if (syn_run_error_get_asset_tag (error) != NULL)
        {
          /* Translators: %s is an asset's tag, P-101 */
          g_autofree char *open = g_strdup_printf (_("%s: open its history"), syn_run_error_get_asset_tag (error));

          gtk_label_set_text (detail, open);
        }
      else if (id != NULL)
        {
          /* Translators: %s is the end of an asset's id */
          g_autofree char *open = g_strdup_printf (_("Asset …%s: open its history"), id);

          gtk_label_set_text (detail, open);
        }
      gtk_widget_set_visible (GTK_WIDGET (detail), id != NULL);
      gtk_widget_add_css_class (expander, warning ? "warning" : "error");
    }
  g_object_unref (item);
}

static void
row_unbind (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer data)
{
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);
  g_autoptr(GObject) item = gtk_tree_list_row_get_item (row);
  GtkWidget *expander = gtk_list_item_get_child (list_item);

  if (SYN_IS_RUN_ERROR_GROUP (item))
    {
      GtkWidget *texts = gtk_widget_get_next_sibling (gtk_widget_get_first_child (
        gtk_tree_expander_get_child (GTK_TREE_EXPANDER (expander))));

      g_signal_handlers_disconnect_by_func (item, show_group_counts,
                                            gtk_widget_get_next_sibling (gtk_widget_get_first_child (texts)));
    }
  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), NULL);
}

/* ------------------------------------------------------------------------- */

static void
syn_run_error_list_dispose (GObject *object)
{
  SynRunErrorList *self = SYN_RUN_ERROR_LIST (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->run);
  g_clear_object (&self->session);
  g_clear_object (&self->tree);

  G_OBJECT_CLASS (syn_run_error_list_parent_class)->dispose (object);
}

static void
syn_run_error_list_finalize (GObject *object)
{
  SynRunErrorList *self = SYN_RUN_ERROR_LIST (object);

  g_clear_pointer (&self->by_rule, g_hash_table_unref);
  g_clear_object (&self->groups);

  G_OBJECT_CLASS (syn_run_error_list_parent_class)->finalize (object);
}

static void
syn_run_error_list_class_init (SynRunErrorListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = syn_run_error_list_dispose;
  object_class->finalize = syn_run_error_list_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "runerrorlist");
}

static void
syn_run_error_list_init (SynRunErrorList *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *overlay = gtk_overlay_new ();

  self->groups = g_list_store_new (SYN_TYPE_RUN_ERROR_GROUP);
  self->by_rule = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->tree = gtk_tree_list_model_new (g_object_ref (G_LIST_MODEL (self->groups)), FALSE, FALSE,
                                        create_children, NULL, NULL);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  self->title = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->title, 0);
  gtk_label_set_wrap (self->title, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->title), FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self->title), "heading");

  g_signal_connect (factory, "setup", G_CALLBACK (row_setup), self);
  g_signal_connect (factory, "bind", G_CALLBACK (row_bind), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (row_unbind), self);
  self->view = GTK_LIST_VIEW (gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (
                                                   g_object_ref (G_LIST_MODEL (self->tree)))),
                                                 g_steal_pointer (&factory)));
  gtk_list_view_set_single_click_activate (self->view, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->view), "run-errors");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Errors and warnings of the run, by rule"), -1);
  g_signal_connect (self->view, "activate", G_CALLBACK (on_activate), self);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_has_frame (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 160);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->view));
  gtk_widget_set_vexpand (overlay, TRUE);
  gtk_overlay_set_child (GTK_OVERLAY (overlay), scrolled);
  self->empty = gtk_label_new (_("No errors and no warnings in this run."));
  gtk_widget_set_halign (self->empty, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (self->empty, GTK_ALIGN_CENTER);
  gtk_label_set_wrap (GTK_LABEL (self->empty), TRUE);
  gtk_widget_set_can_target (self->empty, FALSE);
  gtk_widget_add_css_class (self->empty, "dim-label");
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), self->empty);

  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->title));
  gtk_box_append (GTK_BOX (self->box), overlay);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
}

GtkWidget *
syn_run_error_list_new (void)
{
  return g_object_new (SYN_TYPE_RUN_ERROR_LIST, NULL);
}
