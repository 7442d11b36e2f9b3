/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-explain-pane.c: SynExplainPane: the backend's explain of an asset (SYN_OP_EXPLAIN), worded: each
 * rule's verdict and why, then each value and who set it (a rule or a person, in which batch), with a
 * link to that batch on the timeline.
 *
 * The rules whose condition the asset does not meet (most of them, for
 * another type) are folded under one expander: what fired, was held or
 * failed comes first. The engine's words (verdicts, reasons) are its
 * vocabulary: they are worded here, through gettext. */
#include "config.h"

#include <glib/gi18n.h>

#include "core/syn-json.h"
#include "syn-explain-pane.h"
#include "syn-json-item.h"
#include "syn-ui-format.h"

struct _SynExplainPane
{
  GtkWidget     parent_instance;

  SynSession   *session;
  char         *asset_id;
  GCancellable *cancellable;
  gboolean      busy;
  gboolean      narrow;            /* the batch link under the text, the badge above the title */
  GListStore   *verdicts;          /* SynJsonItem: a rule's verdict, labelled with why */
  GListStore   *values;            /* SynJsonItem: {field, value, event_type, rule_id, user_id, correlation_id...} */

  GtkWidget    *scrolled;
  GtkLabel     *status_label;
  GtkListBox   *rules_list;
  GtkExpander  *unmatched_expander;
  GtkListBox   *unmatched_list;
  GtkListBox   *values_list;
};

G_DEFINE_FINAL_TYPE (SynExplainPane, syn_explain_pane, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void lay_out_row (GtkWidget *row, gboolean narrow);

/* ------------------------------------------------------------------------- */
/* Words                                                                     */

static const char *
verdict_label (const char *verdict)
{
  static const struct { const char *verdict; const char *label; } labels[] = {
    /* Translators: a rule's verdict on an asset */
    { "fired", N_("Fired") },
    { "skipped", N_("Skipped") },
    { "held", N_("Held") },
    { "error", N_("Error") },
    { "not_matched", N_("Not matched") },
    { "satisfied", N_("Satisfied") },
    { "pending", N_("Pending") },
    { "inactive", N_("Switched off") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (labels[i].verdict, verdict) == 0)
      return _(labels[i].label);
  return verdict ? verdict : "—";
}

/* The order the verdicts are listed in: what acted on the asset first. */
static int
verdict_rank (const char *verdict)
{
  static const char * const order[] = { "error", "held", "fired", "skipped", "pending", "satisfied", "inactive",
                                        "not_matched" };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (g_strcmp0 (order[i], verdict) == 0)
      return (int) i;
  return G_N_ELEMENTS (order);
}

static char *
join_strings (JsonArray *array)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();

  for (guint i = 0; array && i < json_array_get_length (array); i++)
    if (json_node_get_value_type (json_array_get_element (array, i)) == G_TYPE_STRING)
      g_ptr_array_add (parts, (gpointer) json_array_get_string_element (array, i));
  return syn_format_list ((const char * const *) parts->pdata, parts->len);
}

/* Why, in words: the verdict's reason and its details. */
static char *
format_reason (JsonObject *r)
{
  const char *verdict = syn_json_get_string (r, "verdict");
  GString *why = g_string_new (NULL);

  if (g_strcmp0 (verdict, "fired") == 0)
    {
      JsonArray *array = syn_ui_json_array (r, "outputs");
      guint outputs = array ? json_array_get_length (array) : 0;

      if (outputs > 0)
        g_string_append_printf (why, g_dngettext (GETTEXT_PACKAGE, "Its condition holds; its %u output stands",
                                                  "Its condition holds; its %u outputs stand", outputs), outputs);
      else
        g_string_append (why, _("Its condition holds; what it set stands"));
    }
  else if (g_strcmp0 (verdict, "skipped") == 0)
    {
      if (syn_json_get_string (r, "winner_rule_id") != NULL)
        /* Translators: %s is the rule that set the value instead */
        g_string_append_printf (why, _("Skipped: %s, a rule before it, set it"), syn_json_get_string (r, "winner_rule_id"));
      else if (syn_json_get_string (r, "existing_tag") != NULL)
        /* Translators: %s is a tag */
        g_string_append_printf (why, _("Skipped: %s exists already"), syn_json_get_string (r, "existing_tag"));
      else
        g_string_append (why, _("Skipped on its last run"));
    }
  else if (g_strcmp0 (verdict, "held") == 0)
    {
      g_autofree char *fields = join_strings (syn_ui_json_array (r, "fields"));

      if (fields != NULL && *fields != '\0')
        /* Translators: %s lists properties, "hp and voltage" */
        g_string_append_printf (why, _("A person holds %s against it: the rule leaves it as it is"), fields);
      else
        g_string_append (why, _("A person holds its output against it: the rule leaves it as it is"));
    }
  else if (g_strcmp0 (verdict, "error") == 0)
    /* Translators: %s is the engine's message */
    g_string_append_printf (why, _("Its last run failed on it: %s"), syn_json_get_string (r, "reason"));
  else if (g_strcmp0 (verdict, "not_matched") == 0)
    {
      const char *test = syn_json_get_string (r, "failed_test");
      const char *actual = syn_json_get_string (r, "actual");

      if (test != NULL)
        /* Translators: a failed condition, then the asset's value */
        g_string_append_printf (why, _("Its condition does not hold: %s (the asset has %s)"), test,
                                actual ? actual : _("nothing"));
      else
        g_string_append (why, _("Its condition does not hold"));
    }
  else if (g_strcmp0 (verdict, "satisfied") == 0)
    g_string_append (why, _("Its condition holds and its values are already in place"));
  else if (g_strcmp0 (verdict, "pending") == 0)
    g_string_append (why, _("Its condition holds, but it has not run on this asset yet (or its run was rolled back)"));
  else if (g_strcmp0 (verdict, "inactive") == 0)
    g_string_append (why, _("The rule is switched off"));
  else
    g_string_append (why, syn_json_get_string (r, "reason") ? syn_json_get_string (r, "reason") : "");
  if (json_object_get_boolean_member_with_default (r, "out_of_date", FALSE))
    g_string_append (why, _("; its outputs remain until the next run retracts them"));
  return g_string_free (why, FALSE);
}

static const char *
rule_label (SynExplainPane *self, const char *rule_id)
{
  return self->session ? syn_session_get_rule_label (self->session, rule_id) : rule_id;
}

/* Who set a value: "rule FIRM: Motor for pump" or "alice, by hand". */
static char *
format_setter (SynExplainPane *self, JsonObject *p)
{
  const char *rule = syn_json_get_string (p, "rule_id");
  const char *user = syn_json_get_string (p, "user_id");
  const char *event = syn_format_event_type (syn_json_get_string (p, "event_type"));
  g_autofree char *when = syn_format_time (syn_json_get_string (p, "timestamp"));

  if (rule != NULL)
    /* Translators: who set a value: a rule, then the kind of event and when */
    return g_strdup_printf (_("Set by the rule %s · %s · %s"), rule_label (self, rule), event, when);
  /* Translators: who set a value: a person (or an import), then the kind of event and when */
  return g_strdup_printf (_("Set by %s · %s · %s"), user ? user : _("a person"), event, when);
}

/* ------------------------------------------------------------------------- */
/* Rows                                                                      */

static void
on_batch_clicked (GtkButton *button, SynExplainPane *self)
{
  const char *correlation_id = g_object_get_data (G_OBJECT (button), "correlation-id");

  if (self->session != NULL && correlation_id != NULL)
    syn_session_show_batch (self->session, correlation_id);
}

static GtkWidget *
batch_button (SynExplainPane *self, const char *correlation_id)
{
  g_autofree char *id = syn_format_short_id (correlation_id);
  /* Translators: a link to a batch on the timeline; %s is its short id */
  g_autofree char *label = g_strdup_printf (_("Batch %s"), id);
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "batch-link");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Show this batch on the timeline"));
  g_object_set_data_full (G_OBJECT (button), "correlation-id", g_strdup (correlation_id), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (on_batch_clicked), self);
  return button;
}

/* A row: a badge (or a field name), a title, a line under it, and a link
 * to the batch when there is one. The button goes under the text when
 * narrow: a GtkBox of two lines, wrapping labels. */
static GtkWidget *
make_row (SynExplainPane *self, const char *badge, const char *badge_class, const char *title, const char *detail,
          const char *correlation_id)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *head = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *title_label = gtk_label_new (title);
  GtkWidget *detail_label = gtk_label_new (detail);

  if (badge != NULL)
    {
      GtkWidget *badge_label = gtk_label_new (badge);

      gtk_widget_add_css_class (badge_label, "badge");
      gtk_widget_add_css_class (badge_label, "verdict");
      if (badge_class != NULL)
        gtk_widget_add_css_class (badge_label, badge_class);
      gtk_widget_set_valign (badge_label, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (head), badge_label);
    }
  gtk_label_set_xalign (GTK_LABEL (title_label), 0);
  gtk_label_set_wrap (GTK_LABEL (title_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (title_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (title_label), TRUE);
  gtk_widget_set_hexpand (title_label, TRUE);
  gtk_widget_add_css_class (title_label, "heading");
  gtk_box_append (GTK_BOX (head), title_label);
  gtk_label_set_xalign (GTK_LABEL (detail_label), 0);
  gtk_label_set_wrap (GTK_LABEL (detail_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (detail_label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (detail_label, "dim-label");
  gtk_box_append (GTK_BOX (texts), head);
  gtk_box_append (GTK_BOX (texts), detail_label);
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_box_append (GTK_BOX (box), texts);
  if (correlation_id != NULL)
    gtk_box_append (GTK_BOX (box), batch_button (self, correlation_id));
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  lay_out_row (row, self->narrow);
  return row;
}

/* A row's box, badge line and link, laid out for the width. */
static void
lay_out_row (GtkWidget *row, gboolean narrow)
{
  GtkWidget *box = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));
  GtkWidget *texts = gtk_widget_get_first_child (box);
  GtkWidget *head = gtk_widget_get_first_child (texts);
  GtkWidget *link = gtk_widget_get_next_sibling (texts);

  gtk_orientable_set_orientation (GTK_ORIENTABLE (box), narrow ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (head), narrow ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
  for (GtkWidget *child = gtk_widget_get_first_child (head); child; child = gtk_widget_get_next_sibling (child))
    gtk_widget_set_halign (child, narrow ? GTK_ALIGN_START : GTK_ALIGN_FILL);
  if (link != NULL)
    gtk_widget_set_halign (link, narrow ? GTK_ALIGN_START : GTK_ALIGN_FILL);
}

static void
lay_out_list (GtkListBox *list, gboolean narrow)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (list)); row; row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row))
      lay_out_row (row, narrow);
}

/* Laid out for a narrow width (the history view says so). */
void
syn_explain_pane_set_narrow (SynExplainPane *self, gboolean narrow)
{
  g_return_if_fail (SYN_IS_EXPLAIN_PANE (self));

  self->narrow = !!narrow;
  lay_out_list (self->rules_list, self->narrow);
  lay_out_list (self->unmatched_list, self->narrow);
  lay_out_list (self->values_list, self->narrow);
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static int
compare_verdicts (gconstpointer a, gconstpointer b)
{
  JsonObject *ra = *(JsonObject * const *) a;
  JsonObject *rb = *(JsonObject * const *) b;
  int rank = verdict_rank (syn_json_get_string (ra, "verdict")) - verdict_rank (syn_json_get_string (rb, "verdict"));

  return rank != 0 ? rank : g_strcmp0 (syn_json_get_string (ra, "rule_id"), syn_json_get_string (rb, "rule_id"));
}

static void
show_rules (SynExplainPane *self, JsonArray *rules)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  guint unmatched = 0;

  for (guint i = 0; rules && i < json_array_get_length (rules); i++)
    g_ptr_array_add (sorted, json_array_get_object_element (rules, i));
  g_ptr_array_sort (sorted, compare_verdicts);
  for (guint i = 0; i < sorted->len; i++)
    {
      JsonObject *r = sorted->pdata[i];
      const char *verdict = syn_json_get_string (r, "verdict");
      g_autofree char *why = format_reason (r);
      g_autofree char *css = g_strconcat ("verdict-", verdict ? verdict : "unknown", NULL);
      gboolean folded = g_strcmp0 (verdict, "not_matched") == 0;
      GtkWidget *row = make_row (self, verdict_label (verdict), css,
                                 syn_json_get_string (r, "rule_name") ? syn_json_get_string (r, "rule_name")
                                                                      : syn_json_get_string (r, "rule_id"),
                                 why, syn_json_get_string (r, "correlation_id"));

      g_ptr_array_add (items, syn_json_item_new (r, why));
      gtk_list_box_append (folded ? self->unmatched_list : self->rules_list, row);
      unmatched += folded;
    }
  if (unmatched > 0)
    {
      g_autofree char *label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                             "%u rule whose condition it does not meet",
                                                             "%u rules whose condition it does not meet", unmatched),
                                                unmatched);

      gtk_expander_set_label (self->unmatched_expander, label);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->unmatched_expander), unmatched > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->rules_list), sorted->len > unmatched);
  g_list_store_splice (self->verdicts, 0, g_list_model_get_n_items (G_LIST_MODEL (self->verdicts)),
                       items->pdata, items->len);
}

/* The columns first (tag, type...), then the properties by name. */
static void
add_values (SynExplainPane *self, JsonObject *provenance, gboolean properties, GPtrArray *items)
{
  g_autoptr(GList) names = provenance ? json_object_get_members (provenance) : NULL;

  names = g_list_sort (names, (GCompareFunc) g_strcmp0);
  for (GList *l = names; l; l = l->next)
    {
      JsonObject *p = json_object_get_object_member (provenance, l->data);
      g_autofree char *value = syn_format_value (json_object_get_member (p, "value"));
      g_autofree char *setter = format_setter (self, p);
      /* Translators: a value of the asset: "hp = 75" */
      g_autofree char *title = g_strdup_printf (_("%s = %s"), properties ? (const char *) l->data
                                                                         : syn_format_field (l->data), value);
      g_autoptr(JsonObject) copy = syn_json_object_copy (p);
      gboolean by_rule = syn_json_get_string (p, "rule_id") != NULL;

      json_object_set_string_member (copy, "field", l->data);
      gtk_list_box_append (self->values_list,
                           make_row (self, by_rule ? _("Rule") : _("Person"), by_rule ? "by-rule" : "by-person",
                                     title, setter, syn_json_get_string (p, "correlation_id")));
      g_ptr_array_add (items, syn_json_item_new (copy, setter));
    }
}

static void
show_values (SynExplainPane *self, JsonObject *answer)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  add_values (self, syn_ui_json_object (answer, "fields"), FALSE, items);
  add_values (self, syn_ui_json_object (answer, "provenance"), TRUE, items);
  g_list_store_splice (self->values, 0, g_list_model_get_n_items (G_LIST_MODEL (self->values)),
                       items->pdata, items->len);
}

/* ------------------------------------------------------------------------- */
/* Loading                                                                   */

static void
set_busy (SynExplainPane *self, gboolean busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
clear (SynExplainPane *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  clear_list (self->rules_list);
  clear_list (self->unmatched_list);
  clear_list (self->values_list);
  g_list_store_remove_all (self->verdicts);
  g_list_store_remove_all (self->values);
  gtk_widget_set_visible (GTK_WIDGET (self->unmatched_expander), FALSE);
}

typedef struct
{
  SynExplainPane *self;
  GCancellable   *cancellable;     /* cancelled: the answer is for an asset no longer shown */
} Call;

static void
call_free (Call *call)
{
  g_object_unref (call->self);
  g_object_unref (call->cancellable);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Call, call_free)

static void
explained (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(Call) call = user_data;
  SynExplainPane *self = call->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);

  /* a backend may answer a call it was asked to drop */
  if (g_cancellable_is_cancelled (call->cancellable) || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (answer == NULL)
    {
      /* Translators: %s says why */
      g_autofree char *text = g_strdup_printf (_("Could not explain this asset: %s"), error->message);

      gtk_label_set_text (self->status_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->status_label), TRUE);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), FALSE);
  show_rules (self, syn_ui_json_array (json_node_get_object (answer), "rules"));
  show_values (self, json_node_get_object (answer));
}

/* Asks the backend why, for the asset @asset_id of the session's project
 * (NULL: shows nothing). */
void
syn_explain_pane_explain (SynExplainPane *self, const char *asset_id)
{
  g_autoptr(JsonObject) params = json_object_new ();
  SynBackend *backend;
  Call *call;

  g_return_if_fail (SYN_IS_EXPLAIN_PANE (self));

  clear (self);
  g_free (self->asset_id);
  self->asset_id = g_strdup (asset_id);
  backend = self->session ? syn_session_get_backend (self->session) : NULL;
  if (asset_id == NULL || backend == NULL || syn_session_get_project_id (self->session) == NULL)
    {
      set_busy (self, FALSE);
      return;
    }
  self->cancellable = g_cancellable_new ();
  gtk_label_set_text (self->status_label, _("Asking the rules…"));
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), TRUE);
  set_busy (self, TRUE);
  json_object_set_string_member (params, "project_id", syn_session_get_project_id (self->session));
  json_object_set_string_member (params, "asset_id", asset_id);
  call = g_new0 (Call, 1);
  call->self = g_object_ref (self);
  call->cancellable = g_object_ref (self->cancellable);
  syn_backend_call_async (backend, SYN_OP_EXPLAIN, params, self->cancellable, explained, call);
}

void
syn_explain_pane_set_session (SynExplainPane *self, SynSession *session)
{
  g_return_if_fail (SYN_IS_EXPLAIN_PANE (self));
  g_return_if_fail (session == NULL || SYN_IS_SESSION (session));

  if (g_set_object (&self->session, session))
    syn_explain_pane_explain (self, NULL);
}

const char *
syn_explain_pane_get_asset_id (SynExplainPane *self)
{
  g_return_val_if_fail (SYN_IS_EXPLAIN_PANE (self), NULL);
  return self->asset_id;
}

gboolean
syn_explain_pane_get_busy (SynExplainPane *self)
{
  g_return_val_if_fail (SYN_IS_EXPLAIN_PANE (self), FALSE);
  return self->busy;
}

/* Each rule's verdict as the backend said it (SynJsonItem), labelled with
 * why in words, in the order shown. */
GListModel *
syn_explain_pane_get_verdicts (SynExplainPane *self)
{
  g_return_val_if_fail (SYN_IS_EXPLAIN_PANE (self), NULL);
  return G_LIST_MODEL (self->verdicts);
}

/* Each value and who set it (SynJsonItem: the provenance with "field"),
 * labelled with the setter in words. */
GListModel *
syn_explain_pane_get_values (SynExplainPane *self)
{
  g_return_val_if_fail (SYN_IS_EXPLAIN_PANE (self), NULL);
  return G_LIST_MODEL (self->values);
}

/* ------------------------------------------------------------------------- */

static GtkWidget *
heading (const char *text, const char *caption)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (text);
  GtkWidget *sub = gtk_label_new (caption);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (sub), 0);
  gtk_label_set_wrap (GTK_LABEL (sub), TRUE);
  gtk_widget_add_css_class (sub, "dim-label");
  gtk_widget_add_css_class (sub, "caption");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), sub);
  gtk_widget_set_margin_top (box, 12);
  return box;
}

static GtkListBox *
boxed_list (const char *accessible_label)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_widget_add_css_class (list, "explain-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label, -1);
  return GTK_LIST_BOX (list);
}

static void
syn_explain_pane_dispose (GObject *object)
{
  SynExplainPane *self = SYN_EXPLAIN_PANE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->scrolled, gtk_widget_unparent);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (syn_explain_pane_parent_class)->dispose (object);
}

static void
syn_explain_pane_finalize (GObject *object)
{
  SynExplainPane *self = SYN_EXPLAIN_PANE (object);

  g_clear_pointer (&self->asset_id, g_free);
  g_clear_object (&self->verdicts);
  g_clear_object (&self->values);

  G_OBJECT_CLASS (syn_explain_pane_parent_class)->finalize (object);
}

static void
syn_explain_pane_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SynExplainPane *self = SYN_EXPLAIN_PANE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
syn_explain_pane_class_init (SynExplainPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = syn_explain_pane_dispose;
  object_class->finalize = syn_explain_pane_finalize;
  object_class->get_property = syn_explain_pane_get_property;

  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "explainpane");
}

static void
syn_explain_pane_init (SynExplainPane *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  self->verdicts = g_list_store_new (SYN_TYPE_JSON_ITEM);
  self->values = g_list_store_new (SYN_TYPE_JSON_ITEM);

  self->status_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->status_label, 0);
  gtk_label_set_wrap (self->status_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "dim-label");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), FALSE);

  self->rules_list = boxed_list (_("Each rule's verdict on this asset"));
  self->unmatched_list = boxed_list (_("Rules whose condition it does not meet"));
  self->unmatched_expander = GTK_EXPANDER (gtk_expander_new (NULL));
  gtk_expander_set_child (self->unmatched_expander, GTK_WIDGET (self->unmatched_list));
  gtk_widget_set_visible (GTK_WIDGET (self->unmatched_expander), FALSE);
  self->values_list = boxed_list (_("Who set each value"));

  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->status_label));
  gtk_box_append (GTK_BOX (box), heading (_("What each rule says of it"),
                                          _("Its verdict on this asset and why, as the rules stand now.")));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->rules_list));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->unmatched_expander));
  gtk_box_append (GTK_BOX (box), heading (_("Who set each value"),
                                          _("The rule or the person whose change it is, and its batch.")));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->values_list));
  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 18);

  self->scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scrolled), box);
  gtk_widget_set_parent (self->scrolled, GTK_WIDGET (self));
}

GtkWidget *
syn_explain_pane_new (void)
{
  return g_object_new (SYN_TYPE_EXPLAIN_PANE, NULL);
}
