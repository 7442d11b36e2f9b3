/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-asset-history-view.c: SynAssetHistoryView: find an asset or a cable by tag (with completion),
 * then its events oldest first with before/after tables, and links to its batches and related assets.
 *
 * A tag finds what has it or had it (SYN_OP_FIND_TAG): a deleted asset or
 * cable shows its history too; when the tag was used again, the newest is
 * shown and the others are offered beside it.
 *
 * What a person holds against the rules (values changed, a rule's output
 * deleted: the asset's derivation "held" and "withheld") is listed with a
 * button that hands it back to the rules (SYN_OP_RESET_ASSET). */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "core/syn-json.h"
#include "syn-asset-history-view.h"
#include "syn-explain-pane.h"
#include "syn-history-row.h"
#include "syn-json-item.h"
#include "syn-ui-format.h"
#include "syn-ui-widget.h"

#define COMPLETE_DELAY_MS  150
#define COMPLETE_LIMIT     20
#define CABLE_PAGE         500
#define KIND_ASSET         "asset"
#define KIND_CABLE         "cable"
#define CABLE_MAX_PAGES    10

struct _SynAssetHistoryView
{
  GtkWidget           parent_instance;

  SynSession         *session;
  GListStore         *events;           /* SynTimelineEvent, oldest first */
  GListStore         *related;          /* SynJsonItem {id?, tag, role} */
  GListStore         *held;             /* SynJsonItem {kind: property|field|rule, name}, labelled */
  GtkListStore       *completions;
  GtkEntryCompletion *completion;
  char               *asset_id;
  char               *asset_tag;
  char               *kind;             /* of the shown entity: "asset" or "cable" */
  gboolean            deleted;
  JsonArray          *entities;         /* what had the searched tag, newest first (find_tag) */
  GListStore         *others;           /* SynJsonItem: the other entities of it */
  GCancellable       *cancellable;      /* the shown asset's calls */
  GCancellable       *complete_cancellable;
  GCancellable       *reset_cancellable; /* hand-backs: they finish whatever is shown next */
  gboolean            resetting;
  guint               complete_source;
  guint               busy;
  gboolean            setting_text;
  gboolean            narrow;           /* held rows: the button under the text */

  GtkEntry           *tag_entry;
  GtkStack           *stack;
  GtkLabel           *empty_title;
  GtkLabel           *empty_body;
  GtkLabel           *tag_label;
  GtkLabel           *type_label;
  GtkLabel           *count_label;
  GtkSpinner         *spinner;
  GtkLabel           *description_label;
  GtkLabel           *meta_label;
  GtkWidget          *related_box;
  GtkFlowBox         *related_flow;
  GtkWidget          *held_box;
  GtkWidget          *hand_back_all_button;
  GtkListBox         *held_list;
  GtkListView        *history_list;
  GtkWidget          *pages_switcher;
  GtkStack           *pages;
  SynExplainPane     *explain_pane;
};

G_DEFINE_FINAL_TYPE (SynAssetHistoryView, syn_asset_history_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum {
  RELATED_PARENT,
  RELATED_CHILD,
  RELATED_CABLE_END,
} RelatedRole;

/* Where the asset is read from: the project now, or as of the past moment
 * the session shows (the history then ends at that moment). */
static SynBackend *
data_backend (SynAssetHistoryView *self)
{
  return syn_session_get_data_backend (self->session);
}

static gboolean
as_of (SynAssetHistoryView *self)
{
  return self->session != NULL && syn_session_get_as_of (self->session) != NULL;
}

static void
busy_push (SynAssetHistoryView *self)
{
  if (self->busy++ == 0)
    {
      gtk_spinner_set_spinning (self->spinner, TRUE);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
}

static void
busy_pop (SynAssetHistoryView *self)
{
  g_return_if_fail (self->busy > 0);
  if (--self->busy == 0)
    {
      gtk_spinner_set_spinning (self->spinner, FALSE);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
}

typedef struct
{
  SynAssetHistoryView *self;
  GCancellable        *cancellable;
  guint                page;
  char                *text;          /* what the answer is matched against */
} Call;

static Call *
call_new (SynAssetHistoryView *self)
{
  Call *call = g_new0 (Call, 1);

  call->self = g_object_ref (self);
  call->cancellable = g_object_ref (self->cancellable);
  busy_push (self);
  return call;
}

/* Returns FALSE (and frees the call) when the answer is for an asset that
 * is no longer shown. */
static gboolean
call_done (Call *call, GError *error)
{
  gboolean current = !g_cancellable_is_cancelled (call->cancellable) &&
                     !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  if (current)
    busy_pop (call->self);
  return current;
}

static void
call_free (Call *call)
{
  g_object_unref (call->self);
  g_object_unref (call->cancellable);
  g_free (call->text);
  g_free (call);
}

static void
show_empty (SynAssetHistoryView *self, const char *title, const char *body)
{
  gtk_label_set_text (self->empty_title, title);
  gtk_label_set_text (self->empty_body, body ? body : "");
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

/* ------------------------------------------------------------------------- */
/* Related assets                                                            */

static void
on_related_clicked (GtkButton *button, SynAssetHistoryView *self)
{
  SynJsonItem *item = g_object_get_data (G_OBJECT (button), "item");

  syn_session_show_asset (self->session, syn_json_item_get_string (item, "id"), syn_json_item_get_string (item, "tag"));
}

static void
add_related (SynAssetHistoryView *self, const char *id, const char *tag, const char *label)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(SynJsonItem) item = NULL;
  GtkWidget *button;

  if (tag == NULL || g_strcmp0 (id, self->asset_id) == 0)
    return;
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->related)); i++)
    {
      g_autoptr(SynJsonItem) other = g_list_model_get_item (G_LIST_MODEL (self->related), i);

      if (g_strcmp0 (syn_json_item_get_string (other, "tag"), tag) == 0)
        return;
    }
  syn_json_set_string_or_null (object, "id", id);
  json_object_set_string_member (object, "tag", tag);
  item = syn_json_item_new (object, label);
  g_list_store_append (self->related, item);

  button = gtk_button_new_with_label (label);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "related");
  gtk_widget_set_tooltip_text (button, _("Show the history of this asset"));
  g_object_set_data_full (G_OBJECT (button), "item", g_object_ref (item), g_object_unref);
  g_signal_connect (button, "clicked", G_CALLBACK (on_related_clicked), self);
  gtk_flow_box_append (self->related_flow, button);
  gtk_widget_set_visible (self->related_box, TRUE);
}

static void
parent_found (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Call *call = user_data;
  SynAssetHistoryView *self = call->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  const char *causation = call->text;
  JsonArray *events;

  if (!call_done (call, error) || answer == NULL)
    {
      call_free (call);
      return;
    }
  events = json_object_get_array_member (json_node_get_object (answer), "events");
  for (guint i = 0; events && i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);
      JsonObject *payload = json_object_get_object_member (event, "payload");

      if (g_strcmp0 (syn_json_get_string (event, "id"), causation) == 0 && payload != NULL)
        {
          g_autofree char *label = NULL;

          /* Translators: the asset a rule created this one for, e.g. "created for 210-PP-001" */
          label = g_strdup_printf (_("created for %s"), syn_json_get_string (payload, "source_tag"));
          add_related (self, syn_json_get_string (payload, "source_asset_id"),
                       syn_json_get_string (payload, "source_tag"), label);
          break;
        }
    }
  call_free (call);
}

/* The asset a rule created this one for: the source of the rule event that
 * caused its creation, found among that rule's events of the batch just
 * before it. */
static void
find_parent (SynAssetHistoryView *self)
{
  g_autoptr(JsonObject) params = json_object_new ();
  JsonObject *created = NULL;
  Call *call;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->events)) && created == NULL; i++)
    {
      g_autoptr(SynTimelineEvent) item = g_list_model_get_item (G_LIST_MODEL (self->events), i);
      JsonObject *event = syn_timeline_event_get_json (item);

      if (g_strcmp0 (syn_json_get_string (event, "event_type"), "ASSET_CREATED") == 0 &&
          syn_json_get_string (event, "rule_id") != NULL && syn_json_get_string (event, "causation_id") != NULL)
        created = event;
    }
  if (created == NULL)
    return;
  call = call_new (self);
  call->text = g_strdup (syn_json_get_string (created, "causation_id"));
  json_object_set_string_member (params, "project_id", syn_session_get_project_id (self->session));
  json_object_set_string_member (params, "correlation_id", syn_json_get_string (created, "correlation_id"));
  json_object_set_string_member (params, "rule_id", syn_json_get_string (created, "rule_id"));
  json_object_set_string_member (params, "event_types", "RULE_EXECUTED,RULE_SKIPPED");
  json_object_set_string_member (params, "to_date", syn_json_get_string (created, "timestamp"));
  json_object_set_boolean_member (params, "include_rolled_back", TRUE);
  json_object_set_int_member (params, "limit", 50);
  syn_backend_call_async (data_backend (self), SYN_OP_TIMELINE, params, self->cancellable,
                          parent_found, call);
}

static void
children_found (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Call *call = user_data;
  SynAssetHistoryView *self = call->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  g_autofree char *suffix = NULL;
  JsonArray *assets;

  if (!call_done (call, error) || answer == NULL)
    {
      call_free (call);
      return;
    }
  /* rule-made children are described "TYPE for PARENT-TAG" by the engine */
  suffix = g_strdup_printf (" for %s", self->asset_tag);
  assets = json_object_get_array_member (json_node_get_object (answer), "assets");
  for (guint i = 0; assets && i < json_array_get_length (assets); i++)
    {
      JsonObject *asset = json_array_get_object_element (assets, i);
      const char *description = syn_json_get_string (asset, "description");

      if (syn_json_get_string (asset, "created_by_rule_id") != NULL && description != NULL &&
          g_str_has_suffix (description, suffix))
        {
          g_autofree char *label = g_strdup_printf ("%s %s", syn_json_get_string (asset, "type"),
                                                    syn_json_get_string (asset, "tag"));

          add_related (self, syn_json_get_string (asset, "id"), syn_json_get_string (asset, "tag"), label);
        }
    }
  call_free (call);
}

static void
find_children (SynAssetHistoryView *self)
{
  g_autoptr(JsonObject) params = json_object_new ();

  json_object_set_string_member (params, "project_id", syn_session_get_project_id (self->session));
  json_object_set_string_member (params, "q", self->asset_tag);
  json_object_set_int_member (params, "limit", 100);
  syn_backend_call_async (data_backend (self), SYN_OP_LIST_ASSETS, params, self->cancellable,
                          children_found, call_new (self));
}

static void
cable_end_found (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Call *call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  const char *cable = call->text;

  if (call_done (call, error) && answer != NULL)
    {
      JsonObject *asset = json_node_get_object (answer);
      /* Translators: the asset at the other end of a cable: "cable 210-M-001-PWR to 210-MCC-01" */
      g_autofree char *label = g_strdup_printf (_("cable %s to %s"), cable, syn_json_get_string (asset, "tag"));

      add_related (call->self, syn_json_get_string (asset, "id"), syn_json_get_string (asset, "tag"), label);
    }
  call_free (call);
}

static void cables_page (SynAssetHistoryView *self, guint page);

static void
cables_loaded (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Call *call = user_data;
  SynAssetHistoryView *self = call->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  JsonArray *cables;
  gint64 pages;

  if (!call_done (call, error) || answer == NULL)
    {
      call_free (call);
      return;
    }
  cables = json_object_get_array_member (json_node_get_object (answer), "cables");
  pages = json_object_get_int_member_with_default (json_node_get_object (answer), "pages", 1);
  for (guint i = 0; cables && i < json_array_get_length (cables); i++)
    {
      JsonObject *cable = json_array_get_object_element (cables, i);
      const char *from = syn_json_get_string (cable, "from_asset_id");
      const char *to = syn_json_get_string (cable, "to_asset_id");
      const char *other = g_strcmp0 (from, self->asset_id) == 0 ? to : g_strcmp0 (to, self->asset_id) == 0 ? from : NULL;
      g_autofree char *label = NULL;

      if (g_strcmp0 (from, self->asset_id) != 0 && g_strcmp0 (to, self->asset_id) != 0)
        continue;
      /* Translators: a cable of the asset: its tag and conductor size */
      label = g_strdup_printf (_("cable %s (%s)"), syn_json_get_string (cable, "tag"),
                               syn_json_get_string (cable, "conductor_size") ? syn_json_get_string (cable, "conductor_size") : "—");
      {
        GtkWidget *badge = gtk_label_new (label);

        gtk_widget_add_css_class (badge, "badge");
        gtk_widget_set_tooltip_text (badge, _("A cable of this asset"));
        gtk_flow_box_append (self->related_flow, badge);
        gtk_widget_set_visible (self->related_box, TRUE);
      }
      if (other != NULL)
        {
          g_autoptr(JsonObject) params = json_object_new ();
          Call *end = call_new (self);

          end->text = g_strdup (syn_json_get_string (cable, "tag"));
          json_object_set_string_member (params, "project_id", syn_session_get_project_id (self->session));
          json_object_set_string_member (params, "asset_id", other);
          syn_backend_call_async (data_backend (self), SYN_OP_GET_ASSET, params,
                                  self->cancellable, cable_end_found, end);
        }
    }
  /* cables carry no asset filter in the API: look through a bounded number of pages */
  if ((gint64) call->page < pages && call->page < CABLE_MAX_PAGES)
    cables_page (self, call->page + 1);
  call_free (call);
}

static void
cables_page (SynAssetHistoryView *self, guint page)
{
  g_autoptr(JsonObject) params = json_object_new ();
  Call *call = call_new (self);

  call->page = page;
  json_object_set_string_member (params, "project_id", syn_session_get_project_id (self->session));
  json_object_set_int_member (params, "page", page);
  json_object_set_int_member (params, "limit", CABLE_PAGE);
  syn_backend_call_async (data_backend (self), SYN_OP_LIST_CABLES, params, self->cancellable,
                          cables_loaded, call);
}

/* ------------------------------------------------------------------------- */
/* What people hold against the rules                                        */

static const char *
rule_name (SynAssetHistoryView *self, const char *rule_id)
{
  return syn_session_get_rule_label (self->session, rule_id);
}

static void
add_held (GPtrArray *items, const char *kind, const char *name, const char *label)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_string_member (object, "kind", kind);
  json_object_set_string_member (object, "name", name);
  g_ptr_array_add (items, syn_json_item_new (object, label));
}

/* The asset's derivation: "held" lists the fields a person changed against
 * the rules ("tag", "properties.enclosure"), "withheld" the rules whose
 * output a person deleted. */
static void
show_held (SynAssetHistoryView *self, JsonObject *asset)
{
  JsonObject *derivation = syn_ui_json_object (asset, "derivation");
  JsonObject *properties = syn_ui_json_object (asset, "properties");
  JsonArray *held = syn_ui_json_array (derivation, "held");
  JsonArray *withheld = syn_ui_json_array (derivation, "withheld");
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; held && i < json_array_get_length (held); i++)
    {
      const char *field = json_array_get_string_element (held, i);
      g_autofree char *label = NULL;

      if (field == NULL)
        continue;
      if (g_str_has_prefix (field, "properties."))
        {
          const char *key = field + strlen ("properties.");
          JsonNode *value = properties ? json_object_get_member (properties, key) : NULL;
          g_autofree char *text = value ? syn_format_value (value) : NULL;

          if (text != NULL)
            /* Translators: a property a person changed against the rules, and its value */
            label = g_strdup_printf (_("Property “%s”: %s"), key, text);
          else
            /* Translators: a property the rules set that a person removed */
            label = g_strdup_printf (_("Property “%s”: removed"), key);
          add_held (items, "property", key, label);
        }
      else
        {
          JsonNode *value = json_object_get_member (asset, field);
          g_autofree char *text = syn_format_value (value);

          /* Translators: a field of the asset a person changed against the rules, and its value */
          label = g_strdup_printf (_("%s: %s"), syn_format_field (field), text);
          add_held (items, "field", field, label);
        }
    }
  for (guint i = 0; withheld && i < json_array_get_length (withheld); i++)
    {
      const char *rule = json_array_get_string_element (withheld, i);
      g_autofree char *label = NULL;

      if (rule == NULL)
        continue;
      /* Translators: %s is a rule's name: what it made for this asset, a person deleted */
      label = g_strdup_printf (_("Output of “%s”: deleted"), rule_name (self, rule));
      add_held (items, "rule", rule, label);
    }
  g_list_store_splice (self->held, 0, g_list_model_get_n_items (G_LIST_MODEL (self->held)),
                       items->pdata, items->len);
  gtk_widget_set_visible (self->held_box, items->len > 0);
  gtk_widget_set_visible (self->hand_back_all_button, items->len > 1);
}

static GtkWidget *
create_held_row (gpointer item, gpointer user_data)
{
  SynAssetHistoryView *self = user_data;
  SynJsonItem *held = item;
  const char *kind = syn_json_item_get_string (held, "kind");
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (syn_json_item_get_label (held));
  GtkWidget *subtitle = gtk_label_new (g_strcmp0 (kind, "rule") == 0
                                       ? _("A person deleted it: this rule does not make it again")
                                       : _("A person changed it: the rules keep their hands off it"));
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Hand Back to the Rules"));

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (title), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (title), TRUE);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_wrap (GTK_LABEL (subtitle), TRUE);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_widget_set_valign (texts, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (texts), title);
  gtk_box_append (GTK_BOX (texts), subtitle);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, g_strcmp0 (kind, "rule") == 0
                                         ? _("The next run makes it again")
                                         : _("The next run sets it again"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "history.hand-back");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(ss)", kind, syn_json_item_get_string (held, "name"));
  gtk_accessible_update_relation (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, title, NULL, -1);

  gtk_box_append (GTK_BOX (box), texts);
  gtk_box_append (GTK_BOX (box), button);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (box), self->narrow ? GTK_ORIENTATION_VERTICAL
                                                                     : GTK_ORIENTATION_HORIZONTAL);
  gtk_widget_set_halign (button, self->narrow ? GTK_ALIGN_END : GTK_ALIGN_FILL);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

typedef struct
{
  SynAssetHistoryView *self;
  char                *kind;    /* NULL: everything */
} ResetCall;

/* A hand-back under way: the view is busy, and takes no other. */
static void
set_resetting (SynAssetHistoryView *self, gboolean resetting)
{
  gboolean was_busy = self->busy > 0 || self->resetting > 0;

  self->resetting = resetting;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.hand-back", !resetting);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.hand-back-all", !resetting);
  if (was_busy != (self->busy > 0 || self->resetting > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
reset_done (GObject *object, GAsyncResult *result, gpointer user_data)
{
  ResetCall *call = user_data;
  g_autoptr(SynAssetHistoryView) self = call->self;
  g_autofree char *kind = call->kind;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);

  g_free (call);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (answer == NULL)
    /* a viewer on a team server, among others: the backend says why */
    syn_session_report_error (self->session, _("Could not hand it back to the rules"), error);
  else
    {
      syn_session_report_info (self->session,
                               kind == NULL ? _("Handed back to the rules: the next run sets it all again")
                               : g_strcmp0 (kind, "rule") == 0 ? _("Handed back to the rules: the next run makes it again")
                               : _("Handed back to the rules: the next run sets it again"));
      /* the asset shows what it holds now (busy until it has), the project status follows */
      syn_session_data_changed (self->session);
    }
  set_resetting (self, FALSE);
}

/* Hands @name (of @kind: property, field or rule; NULL: all the asset
 * holds) back to the rules. */
static void
hand_back (SynAssetHistoryView *self, const char *kind, const char *name)
{
  g_autoptr(JsonObject) params = json_object_new ();
  ResetCall *call;

  /* a past moment is read-only */
  if (self->session == NULL || self->asset_id == NULL || self->resetting || as_of (self) ||
      syn_session_get_backend (self->session) == NULL || syn_session_get_project_id (self->session) == NULL)
    return;
  json_object_set_string_member (params, "project_id", syn_session_get_project_id (self->session));
  json_object_set_string_member (params, "asset_id", self->asset_id);
  if (kind == NULL)
    json_object_set_boolean_member (params, "all", TRUE);
  else
    {
      JsonArray *names = json_array_new ();

      json_array_add_string_element (names, name);
      json_object_set_array_member (params,
                                    g_strcmp0 (kind, "property") == 0 ? "properties"
                                    : g_strcmp0 (kind, "rule") == 0 ? "rules" : "fields",
                                    names);
    }
  call = g_new0 (ResetCall, 1);
  call->self = g_object_ref (self);
  call->kind = g_strdup (kind);
  set_resetting (self, TRUE);
  syn_backend_call_async (syn_session_get_backend (self->session), SYN_OP_RESET_ASSET, params,
                          self->reset_cancellable, reset_done, call);
}

static void
hand_back_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  const char *kind, *name;

  g_variant_get (parameter, "(&s&s)", &kind, &name);
  if (g_strcmp0 (kind, "property") == 0 || g_strcmp0 (kind, "field") == 0 || g_strcmp0 (kind, "rule") == 0)
    hand_back (SYN_ASSET_HISTORY_VIEW (widget), kind, name);
}

static void
hand_back_all_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  hand_back (SYN_ASSET_HISTORY_VIEW (widget), NULL, NULL);
}

/* ------------------------------------------------------------------------- */
/* The asset and its history                                                 */

/* The assets at the ends of the shown cable, as its newest event has them. */
static void
find_cable_ends (SynAssetHistoryView *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->events));
  g_autoptr(SynTimelineEvent) newest = n > 0 ? g_list_model_get_item (G_LIST_MODEL (self->events), n - 1) : NULL;
  JsonObject *payload = newest ? syn_ui_json_object (syn_timeline_event_get_json (newest), "payload") : NULL;
  JsonObject *cable = payload && syn_ui_json_object (payload, "after") ? syn_ui_json_object (payload, "after") : payload;
  const char *ends[] = { "from_asset_id", "to_asset_id" };

  for (guint i = 0; cable != NULL && i < G_N_ELEMENTS (ends); i++)
    {
      g_autoptr(JsonObject) params = NULL;
      Call *end;

      if (syn_json_get_string (cable, ends[i]) == NULL)
        continue;
      params = json_object_new ();
      end = call_new (self);
      end->text = g_strdup (self->asset_tag);
      json_object_set_string_member (params, "project_id", syn_session_get_project_id (self->session));
      json_object_set_string_member (params, "asset_id", syn_json_get_string (cable, ends[i]));
      syn_backend_call_async (data_backend (self), SYN_OP_GET_ASSET, params, self->cancellable,
                              cable_end_found, end);
    }
}

static void
history_loaded (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Call *call = user_data;
  SynAssetHistoryView *self = call->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *count = NULL;
  JsonArray *history;

  if (!call_done (call, error))
    {
      call_free (call);
      return;
    }
  if (answer == NULL)
    {
      syn_session_report_error (self->session, _("Could not load the history"), error);
      call_free (call);
      return;
    }
  history = json_object_get_array_member (json_node_get_object (answer), "history");
  for (guint i = 0; history && i < json_array_get_length (history); i++)
    g_ptr_array_add (items, syn_timeline_event_new_for_json (json_array_get_object_element (history, i)));
  g_list_store_splice (self->events, 0, g_list_model_get_n_items (G_LIST_MODEL (self->events)),
                       items->pdata, items->len);
  if (as_of (self))
    /* Translators: the history of an asset shown as of a past moment */
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d event up to that moment, oldest first",
                                          "%d events up to that moment, oldest first", items->len), (int) items->len);
  else
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d event, oldest first", "%d events, oldest first",
                                          items->len), (int) items->len);
  gtk_label_set_text (self->count_label, count);
  /* a cable's relatives are its ends */
  if (g_strcmp0 (self->kind, KIND_CABLE) == 0)
    find_cable_ends (self);
  else
    {
      find_parent (self);
      if (!self->deleted)
        {
          find_children (self);
          cables_page (self, 1);
        }
    }
  call_free (call);
}

/* The other entities that had the tag, offered beside the shown one. */
static void
show_others (SynAssetHistoryView *self)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; self->entities && i < json_array_get_length (self->entities); i++)
    {
      JsonObject *entity = json_array_get_object_element (self->entities, i);
      gboolean cable = g_strcmp0 (syn_json_get_string (entity, "kind"), KIND_CABLE) == 0;
      gboolean deleted = json_object_get_boolean_member_with_default (entity, "deleted", FALSE);
      g_autofree char *id = syn_format_short_id (syn_json_get_string (entity, "id"));
      g_autofree char *label = NULL;
      SynJsonItem *item;
      GtkWidget *button;

      if (g_strcmp0 (syn_json_get_string (entity, "id"), self->asset_id) == 0)
        continue;
      /* Translators: another asset or cable that had the searched tag: its tag and the end of its id */
      label = g_strdup_printf (cable ? (deleted ? _("cable %s, deleted (…%s)") : _("cable %s (…%s)"))
                                     : (deleted ? _("asset %s, deleted (…%s)") : _("asset %s (…%s)")),
                               syn_json_get_string (entity, "tag"), id);
      item = syn_json_item_new (entity, label);
      g_ptr_array_add (items, item);
      button = gtk_button_new_with_label (label);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_add_css_class (button, "related");
      gtk_widget_set_tooltip_text (button, _("It had this tag too: show its history"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "history.show-entity");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", syn_json_get_string (entity, "id"));
      gtk_flow_box_append (self->related_flow, button);
      gtk_widget_set_visible (self->related_box, TRUE);
    }
  g_list_store_splice (self->others, 0, g_list_model_get_n_items (G_LIST_MODEL (self->others)),
                       items->pdata, items->len);
}

static void
load_history (SynAssetHistoryView *self)
{
  g_autoptr(JsonObject) params = json_object_new ();
  gboolean cable = g_strcmp0 (self->kind, KIND_CABLE) == 0;

  json_object_set_string_member (params, "project_id", syn_session_get_project_id (self->session));
  json_object_set_string_member (params, cable ? "cable_id" : "asset_id", self->asset_id);
  syn_backend_call_async (data_backend (self), cable ? SYN_OP_CABLE_HISTORY : SYN_OP_ASSET_HISTORY,
                          params, self->cancellable, history_loaded, call_new (self));
}

static void
asset_loaded (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Call *call = user_data;
  SynAssetHistoryView *self = call->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  g_autofree char *meta = NULL;
  JsonObject *asset;
  const char *description, *discipline, *area, *rule;

  if (!call_done (call, error))
    {
      call_free (call);
      return;
    }
  if (answer == NULL)
    {
      g_autofree char *title = g_strdup_printf (_("No asset “%s”"), self->asset_tag ? self->asset_tag : self->asset_id);

      show_empty (self, title, error->message);
      call_free (call);
      return;
    }
  asset = json_node_get_object (answer);
  g_free (self->asset_id);
  self->asset_id = g_strdup (syn_json_get_string (asset, "id"));
  g_free (self->asset_tag);
  self->asset_tag = g_strdup (syn_json_get_string (asset, "tag"));
  description = syn_json_get_string (asset, "description");
  discipline = syn_json_get_string (asset, "discipline");
  area = syn_json_get_string (asset, "area");
  rule = syn_json_get_string (asset, "created_by_rule_id");

  self->setting_text = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->tag_entry), self->asset_tag);
  self->setting_text = FALSE;
  gtk_label_set_text (self->tag_label, self->asset_tag);
  gtk_label_set_text (self->type_label, syn_json_get_string (asset, "type"));
  gtk_label_set_text (self->description_label, description ? description : "");
  gtk_widget_set_visible (GTK_WIDGET (self->description_label), description != NULL);
  /* Translators: an asset's discipline, area and where it came from */
  meta = g_strdup_printf (_("%s · area %s · %s"), syn_format_discipline (discipline), area ? area : "—",
                          rule ? rule : _("imported or added by hand"));
  gtk_label_set_text (self->meta_label, meta);
  show_others (self);
  if (as_of (self))
    {
      /* a past moment's values: nothing to hand back, no rules' verdicts of now */
      syn_explain_pane_explain (self->explain_pane, NULL);
      gtk_widget_set_visible (self->pages_switcher, FALSE);
      gtk_stack_set_visible_child_name (self->pages, "events");
    }
  else
    {
      show_held (self, asset);
      /* why it is as it is: a live asset's rules and values */
      syn_explain_pane_explain (self->explain_pane, self->asset_id);
      gtk_widget_set_visible (self->pages_switcher, TRUE);
    }
  gtk_stack_set_visible_child_name (self->stack, "asset");
  load_history (self);
  call_free (call);
}

static void
clear_shown (SynAssetHistoryView *self)
{
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (self->busy > 0)
    {
      self->busy = 0;
      gtk_spinner_set_spinning (self->spinner, FALSE);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
  g_list_store_remove_all (self->events);
  g_list_store_remove_all (self->related);
  g_list_store_remove_all (self->held);
  g_list_store_remove_all (self->others);
  gtk_widget_set_visible (self->held_box, FALSE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->related_flow))) != NULL)
    gtk_flow_box_remove (self->related_flow, child);
  gtk_widget_set_visible (self->related_box, FALSE);
  gtk_label_set_text (self->count_label, "");
  syn_explain_pane_explain (self->explain_pane, NULL);
}

/* A deleted asset, or a cable: what find_tag said of it, then its history. */
static void
show_record (SynAssetHistoryView *self, JsonObject *entity)
{
  gboolean cable = g_strcmp0 (self->kind, KIND_CABLE) == 0;
  const char *type = syn_json_get_string (entity, "type");
  g_autofree char *when = syn_format_time (syn_json_get_string (entity, "last_seen"));
  g_autofree char *meta = NULL;

  self->setting_text = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->tag_entry), self->asset_tag);
  self->setting_text = FALSE;
  gtk_label_set_text (self->tag_label, self->asset_tag);
  gtk_label_set_text (self->type_label, type ? type : cable ? _("Cable") : "—");
  gtk_widget_set_visible (GTK_WIDGET (self->description_label), FALSE);
  if (self->deleted)
    /* Translators: %s is when the deleted asset or cable last had the tag */
    meta = g_strdup_printf (cable ? _("Deleted cable · it last had this tag on %s")
                                  : _("Deleted asset · it last had this tag on %s"), when);
  else
    meta = g_strdup (_("Cable"));
  gtk_label_set_text (self->meta_label, meta);
  show_others (self);
  /* a deleted asset or a cable has a history, not rules' verdicts */
  syn_explain_pane_explain (self->explain_pane, NULL);
  gtk_widget_set_visible (self->pages_switcher, FALSE);
  gtk_stack_set_visible_child_name (self->pages, "events");
  gtk_stack_set_visible_child_name (self->stack, "asset");
  load_history (self);
}

/* Shows the entity of id @wanted among those that had the tag (the newest
 * when @wanted is NULL or not among them). */
static void
show_entity (SynAssetHistoryView *self, const char *wanted)
{
  JsonObject *entity = NULL;
  g_autofree char *id = NULL;

  for (guint i = 0; self->entities && i < json_array_get_length (self->entities) && entity == NULL; i++)
    if (g_strcmp0 (syn_json_get_string (json_array_get_object_element (self->entities, i), "id"), wanted) == 0)
      entity = json_array_get_object_element (self->entities, i);
  if (entity == NULL && self->entities != NULL && json_array_get_length (self->entities) > 0)
    entity = json_array_get_object_element (self->entities, 0);
  if (entity == NULL)
    return;
  id = g_strdup (syn_json_get_string (entity, "id"));

  clear_shown (self);
  g_free (self->asset_id);
  self->asset_id = g_strdup (id);
  g_free (self->asset_tag);
  self->asset_tag = g_strdup (syn_json_get_string (entity, "tag"));
  g_free (self->kind);
  self->kind = g_strdup (syn_json_get_string (entity, "kind"));
  self->deleted = json_object_get_boolean_member_with_default (entity, "deleted", FALSE);
  if (g_strcmp0 (self->kind, KIND_ASSET) == 0 && !self->deleted)
    {
      g_autoptr(JsonObject) params = json_object_new ();

      json_object_set_string_member (params, "project_id", syn_session_get_project_id (self->session));
      json_object_set_string_member (params, "asset_id", id);
      syn_backend_call_async (data_backend (self), SYN_OP_GET_ASSET, params, self->cancellable,
                              asset_loaded, call_new (self));
    }
  else
    show_record (self, entity);
}

static void
tag_found (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Call *call = user_data;
  SynAssetHistoryView *self = call->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  JsonArray *entities;

  if (!call_done (call, error))
    {
      call_free (call);
      return;
    }
  if (answer == NULL && !g_error_matches (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_NOT_FOUND))
    {
      syn_session_report_error (self->session, _("Could not look the tag up"), error);
      call_free (call);
      return;
    }
  entities = answer ? json_object_get_array_member (json_node_get_object (answer), "entities") : NULL;
  g_clear_pointer (&self->entities, json_array_unref);
  if (entities == NULL || json_array_get_length (entities) == 0)
    {
      /* Translators: %s is the tag searched for */
      g_autofree char *title = g_strdup_printf (_("No asset or cable “%s”"), self->asset_tag);

      show_empty (self, title, _("Nothing in this project has or had this tag (what a rollback undid never was)."));
      call_free (call);
      return;
    }
  self->entities = json_array_ref (entities);
  show_entity (self, call->text);
  call_free (call);
}

/* Shows the asset of that id, or what has or had that tag when the id is
 * NULL (@prefer_id first among them, if it is one). */
static void
show_by_tag_or_id (SynAssetHistoryView *self, const char *asset_id, const char *tag, const char *prefer_id)
{
  g_autoptr(JsonObject) params = json_object_new ();
  g_autofree char *new_id = g_strdup (asset_id);
  g_autofree char *new_tag = g_strdup (tag);
  Call *call;

  clear_shown (self);
  g_clear_pointer (&self->entities, json_array_unref);
  g_free (self->asset_id);
  self->asset_id = g_steal_pointer (&new_id);
  g_free (self->asset_tag);
  self->asset_tag = g_steal_pointer (&new_tag);
  g_free (self->kind);
  self->kind = g_strdup (KIND_ASSET);
  self->deleted = FALSE;
  if (self->session == NULL || syn_session_get_project_id (self->session) == NULL ||
      data_backend (self) == NULL || (self->asset_id == NULL && self->asset_tag == NULL))
    return;
  if (self->asset_tag != NULL)
    {
      self->setting_text = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->tag_entry), self->asset_tag);
      self->setting_text = FALSE;
    }
  json_object_set_string_member (params, "project_id", syn_session_get_project_id (self->session));
  if (self->asset_id != NULL)
    {
      json_object_set_string_member (params, "asset_id", self->asset_id);
      syn_backend_call_async (data_backend (self), SYN_OP_GET_ASSET, params, self->cancellable,
                              asset_loaded, call_new (self));
      return;
    }
  json_object_set_string_member (params, "tag", self->asset_tag);
  call = call_new (self);
  call->text = g_strdup (prefer_id);
  syn_backend_call_async (data_backend (self), SYN_OP_FIND_TAG, params, self->cancellable,
                          tag_found, call);
}

/* Shows the asset of that id, or what has or had that tag (an asset or a
 * cable, deleted ones too: the newest) when the id is NULL. */
void
syn_asset_history_view_show_asset (SynAssetHistoryView *self, const char *asset_id, const char *tag)
{
  g_return_if_fail (SYN_IS_ASSET_HISTORY_VIEW (self));

  show_by_tag_or_id (self, asset_id, tag, NULL);
}

/* ------------------------------------------------------------------------- */
/* Completion                                                                */

static void
completions_loaded (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SynAssetHistoryView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  JsonArray *assets;

  if (answer == NULL)
    return;
  gtk_list_store_clear (self->completions);
  assets = json_object_get_array_member (json_node_get_object (answer), "assets");
  for (guint i = 0; assets && i < json_array_get_length (assets); i++)
    {
      JsonObject *asset = json_array_get_object_element (assets, i);

      gtk_list_store_insert_with_values (self->completions, NULL, -1,
                                         0, syn_json_get_string (asset, "tag"),
                                         1, syn_json_get_string (asset, "type"), -1);
    }
  if (gtk_widget_has_focus (GTK_WIDGET (self->tag_entry)) || gtk_widget_is_focus (GTK_WIDGET (self->tag_entry)))
    gtk_entry_completion_complete (self->completion);
}

static gboolean
complete_cb (gpointer data)
{
  SynAssetHistoryView *self = data;
  g_autoptr(JsonObject) params = json_object_new ();
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->tag_entry));

  self->complete_source = 0;
  if (*text == '\0' || self->session == NULL || syn_session_get_project_id (self->session) == NULL ||
      data_backend (self) == NULL)
    return G_SOURCE_REMOVE;
  g_cancellable_cancel (self->complete_cancellable);
  g_clear_object (&self->complete_cancellable);
  self->complete_cancellable = g_cancellable_new ();
  json_object_set_string_member (params, "project_id", syn_session_get_project_id (self->session));
  json_object_set_string_member (params, "q", text);
  json_object_set_int_member (params, "limit", COMPLETE_LIMIT);
  syn_backend_call_async (data_backend (self), SYN_OP_LIST_ASSETS, params,
                          self->complete_cancellable, completions_loaded, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
on_tag_changed (SynAssetHistoryView *self)
{
  if (self->setting_text)
    return;
  g_clear_handle_id (&self->complete_source, g_source_remove);
  self->complete_source = g_timeout_add (COMPLETE_DELAY_MS, complete_cb, self);
}

/* The backend already matched the text anywhere in the tag or description. */
static gboolean
match_any (GtkEntryCompletion *completion, const char *key, GtkTreeIter *iter, gpointer data)
{
  return TRUE;
}

static gboolean
on_match_selected (GtkEntryCompletion *completion, GtkTreeModel *model, GtkTreeIter *iter, SynAssetHistoryView *self)
{
  g_autofree char *tag = NULL;

  gtk_tree_model_get (model, iter, 0, &tag, -1);
  syn_asset_history_view_show_asset (self, NULL, tag);
  return TRUE;
}

static void
search_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynAssetHistoryView *self = SYN_ASSET_HISTORY_VIEW (widget);
  g_autofree char *tag = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->tag_entry))));

  if (*tag != '\0')
    syn_asset_history_view_show_asset (self, NULL, tag);
}

/* Another of those that had the tag. */
static void
show_entity_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynAssetHistoryView *self = SYN_ASSET_HISTORY_VIEW (widget);

  if (self->entities != NULL)
    show_entity (self, g_variant_get_string (parameter, NULL));
}

static void
show_batch_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynAssetHistoryView *self = SYN_ASSET_HISTORY_VIEW (widget);

  syn_session_show_batch (self->session, g_variant_get_string (parameter, NULL));
}

/* ------------------------------------------------------------------------- */
/* Session                                                                   */

static void
on_project_changed (SynAssetHistoryView *self)
{
  clear_shown (self);
  g_clear_pointer (&self->asset_id, g_free);
  g_clear_pointer (&self->asset_tag, g_free);
  g_clear_pointer (&self->entities, json_array_unref);
  gtk_list_store_clear (self->completions);
  self->setting_text = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->tag_entry), "");
  self->setting_text = FALSE;
  show_empty (self, _("Search an asset or a cable by its tag"),
              _("Every change to it appears here, oldest first, deleted ones too: who made it, when, by which rule "
                "and batch, with its values before and after."));
}

static void
reshow (SynAssetHistoryView *self)
{
  g_autofree char *id = g_strdup (self->asset_id);
  g_autofree char *tag = g_strdup (self->asset_tag);

  if (tag != NULL || id != NULL)
    show_by_tag_or_id (self, tag ? NULL : id, tag, id);
}

static void
on_revision_changed (SynAssetHistoryView *self)
{
  /* others' batches do not change a past moment */
  if (as_of (self))
    return;
  /* it may be gone (deleted, rolled back): look its tag up again, the same
   * one first if it still had it */
  reshow (self);
}

static void
on_show_asset (SynSession *session, const char *asset_id, const char *tag, SynAssetHistoryView *self)
{
  syn_asset_history_view_show_asset (self, asset_id, asset_id ? NULL : tag);
}

void
syn_asset_history_view_set_session (SynAssetHistoryView *self, SynSession *session)
{
  g_return_if_fail (SYN_IS_ASSET_HISTORY_VIEW (self));
  g_return_if_fail (session == NULL || SYN_IS_SESSION (session));

  if (self->session == session)
    return;
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  syn_explain_pane_set_session (self->explain_pane, session);
  if (session != NULL)
    {
      g_signal_connect_swapped (session, "notify::project", G_CALLBACK (on_project_changed), self);
      g_signal_connect_swapped (session, "notify::backend", G_CALLBACK (on_project_changed), self);
      g_signal_connect_swapped (session, "notify::revision", G_CALLBACK (on_revision_changed), self);
      /* into a past moment and back: the same asset, as it was then or is now */
      g_signal_connect_swapped (session, "notify::data-backend", G_CALLBACK (reshow), self);
      g_signal_connect (session, "show-asset", G_CALLBACK (on_show_asset), self);
    }
  on_project_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

/* ------------------------------------------------------------------------- */

static void
row_setup (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer data)
{
  gtk_list_item_set_child (list_item, syn_history_row_new ());
  gtk_list_item_set_activatable (list_item, FALSE);
}

static void
row_bind (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer data)
{
  syn_history_row_set_item (SYN_HISTORY_ROW (gtk_list_item_get_child (list_item)), gtk_list_item_get_item (list_item));
}

static void
syn_asset_history_view_dispose (GObject *object)
{
  SynAssetHistoryView *self = SYN_ASSET_HISTORY_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->complete_cancellable);
  g_cancellable_cancel (self->reset_cancellable);
  g_clear_handle_id (&self->complete_source, g_source_remove);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  if (self->tag_entry != NULL)
    gtk_entry_set_completion (self->tag_entry, NULL);
  g_clear_object (&self->completion);
  syn_ui_dispose_template (GTK_WIDGET (self), SYN_TYPE_ASSET_HISTORY_VIEW);

  G_OBJECT_CLASS (syn_asset_history_view_parent_class)->dispose (object);
}

static void
syn_asset_history_view_finalize (GObject *object)
{
  SynAssetHistoryView *self = SYN_ASSET_HISTORY_VIEW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->complete_cancellable);
  g_clear_object (&self->reset_cancellable);
  g_clear_object (&self->events);
  g_clear_object (&self->related);
  g_clear_object (&self->held);
  g_clear_object (&self->others);
  g_clear_pointer (&self->entities, json_array_unref);
  g_clear_pointer (&self->kind, g_free);
  g_clear_object (&self->completions);
  g_clear_pointer (&self->asset_id, g_free);
  g_clear_pointer (&self->asset_tag, g_free);

  G_OBJECT_CLASS (syn_asset_history_view_parent_class)->finalize (object);
}

static void
syn_asset_history_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SynAssetHistoryView *self = SYN_ASSET_HISTORY_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, syn_asset_history_view_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
syn_asset_history_view_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SynAssetHistoryView *self = SYN_ASSET_HISTORY_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      syn_asset_history_view_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
syn_asset_history_view_class_init (SynAssetHistoryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = syn_asset_history_view_dispose;
  object_class->finalize = syn_asset_history_view_finalize;
  object_class->get_property = syn_asset_history_view_get_property;
  object_class->set_property = syn_asset_history_view_set_property;

  properties[PROP_SESSION] = syn_ui_session_param_spec ();
  properties[PROP_BUSY] = syn_ui_busy_param_spec ();
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SYN_TYPE_EXPLAIN_PANE);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/synapse_rules/Synapse/ui/syn-asset-history-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SynAssetHistoryView, tag_entry);
  gtk_widget_class_bind_template_child (widget_class, SynAssetHistoryView, stack);
  gtk_widget_class_bind_template_child (widget_class, SynAssetHistoryView, empty_title);
  gtk_widget_class_bind_template_child (widget_class, SynAssetHistoryView, empty_body);
  gtk_widget_class_bind_template_child (widget_class, SynAssetHistoryView, tag_label);
  gtk_widget_class_bind_template_child (widget_class, SynAssetHistoryView, type_label);
  gtk_widget_class_bind_template_child (widget_class, SynAssetHistoryView, count_label);
  gtk_widget_class_bind_template_child (widget_class, SynAssetHistoryView, spinner);
  gtk_widget_class_bind_template_child (widget_class, SynAssetHistoryView, description_label);
  gtk_widget_class_bind_template_child (widget_class, SynAssetHistoryView, meta_label);
  gtk_widget_class_bind_template_child (widget_class, SynAssetHistoryView, related_box);
  gtk_widget_class_bind_template_child (widget_class, SynAssetHistoryView, related_flow);
  gtk_widget_class_bind_template_child (widget_class, SynAssetHistoryView, held_box);
  gtk_widget_class_bind_template_child (widget_class, SynAssetHistoryView, hand_back_all_button);
  gtk_widget_class_bind_template_child (widget_class, SynAssetHistoryView, held_list);
  gtk_widget_class_bind_template_child (widget_class, SynAssetHistoryView, history_list);
  gtk_widget_class_bind_template_child (widget_class, SynAssetHistoryView, pages_switcher);
  gtk_widget_class_bind_template_child (widget_class, SynAssetHistoryView, pages);
  gtk_widget_class_bind_template_child (widget_class, SynAssetHistoryView, explain_pane);

  gtk_widget_class_install_action (widget_class, "history.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "history.show-batch", "s", show_batch_action);
  gtk_widget_class_install_action (widget_class, "history.show-entity", "s", show_entity_action);
  gtk_widget_class_install_action (widget_class, "history.hand-back", "(ss)", hand_back_action);
  gtk_widget_class_install_action (widget_class, "history.hand-back-all", NULL, hand_back_all_action);

  gtk_widget_class_set_css_name (widget_class, "assethistoryview");
}

static void
syn_asset_history_view_init (SynAssetHistoryView *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkCellRenderer *type_renderer;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->events = g_list_store_new (SYN_TYPE_TIMELINE_EVENT);
  self->related = g_list_store_new (SYN_TYPE_JSON_ITEM);
  self->held = g_list_store_new (SYN_TYPE_JSON_ITEM);
  self->others = g_list_store_new (SYN_TYPE_JSON_ITEM);
  self->cancellable = g_cancellable_new ();
  self->reset_cancellable = g_cancellable_new ();
  gtk_list_box_bind_model (self->held_list, G_LIST_MODEL (self->held), create_held_row, self, NULL);

  g_signal_connect (factory, "setup", G_CALLBACK (row_setup), self);
  g_signal_connect (factory, "bind", G_CALLBACK (row_bind), self);
  gtk_list_view_set_factory (self->history_list, factory);
  gtk_list_view_set_model (self->history_list,
                           GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->events)))));

  /* GtkEntryCompletion is the GTK 4.8 way to offer tags as one types */
  self->completions = gtk_list_store_new (2, G_TYPE_STRING, G_TYPE_STRING);
  self->completion = gtk_entry_completion_new ();
  gtk_entry_completion_set_model (self->completion, GTK_TREE_MODEL (self->completions));
  gtk_entry_completion_set_text_column (self->completion, 0);
  gtk_entry_completion_set_match_func (self->completion, match_any, NULL, NULL);
  gtk_entry_completion_set_minimum_key_length (self->completion, 1);
  type_renderer = gtk_cell_renderer_text_new ();
  g_object_set (type_renderer, "scale", 0.85, NULL);
  gtk_cell_layout_pack_end (GTK_CELL_LAYOUT (self->completion), type_renderer, FALSE);
  gtk_cell_layout_add_attribute (GTK_CELL_LAYOUT (self->completion), type_renderer, "text", 1);
  g_signal_connect (self->completion, "match-selected", G_CALLBACK (on_match_selected), self);
  gtk_entry_set_completion (self->tag_entry, self->completion);
  g_signal_connect_swapped (self->tag_entry, "changed", G_CALLBACK (on_tag_changed), self);
  g_signal_connect_swapped (self->tag_entry, "activate", G_CALLBACK (search_action), self);
}

SynSession *
syn_asset_history_view_get_session (SynAssetHistoryView *self)
{
  g_return_val_if_fail (SYN_IS_ASSET_HISTORY_VIEW (self), NULL);
  return self->session;
}

GListModel *
syn_asset_history_view_get_events (SynAssetHistoryView *self)
{
  g_return_val_if_fail (SYN_IS_ASSET_HISTORY_VIEW (self), NULL);
  return G_LIST_MODEL (self->events);
}

GListModel *
syn_asset_history_view_get_related (SynAssetHistoryView *self)
{
  g_return_val_if_fail (SYN_IS_ASSET_HISTORY_VIEW (self), NULL);
  return G_LIST_MODEL (self->related);
}

/* What a person holds against the rules on the shown asset: SynJsonItem
 * {kind: property, field or rule; name}, labelled as the view shows them. */
GListModel *
syn_asset_history_view_get_held (SynAssetHistoryView *self)
{
  g_return_val_if_fail (SYN_IS_ASSET_HISTORY_VIEW (self), NULL);
  return G_LIST_MODEL (self->held);
}

const char *
syn_asset_history_view_get_asset_id (SynAssetHistoryView *self)
{
  g_return_val_if_fail (SYN_IS_ASSET_HISTORY_VIEW (self), NULL);
  return self->asset_id;
}

/* What is shown: "asset" or "cable". */
const char *
syn_asset_history_view_get_kind (SynAssetHistoryView *self)
{
  g_return_val_if_fail (SYN_IS_ASSET_HISTORY_VIEW (self), NULL);
  return self->kind;
}

gboolean
syn_asset_history_view_get_deleted (SynAssetHistoryView *self)
{
  g_return_val_if_fail (SYN_IS_ASSET_HISTORY_VIEW (self), FALSE);
  return self->deleted;
}

/* The others that had the searched tag: SynJsonItem {kind, id, tag, type,
 * deleted, last_seen}, labelled as offered ("history.show-entity" shows one). */
GListModel *
syn_asset_history_view_get_others (SynAssetHistoryView *self)
{
  g_return_val_if_fail (SYN_IS_ASSET_HISTORY_VIEW (self), NULL);
  return G_LIST_MODEL (self->others);
}

gboolean
syn_asset_history_view_get_busy (SynAssetHistoryView *self)
{
  g_return_val_if_fail (SYN_IS_ASSET_HISTORY_VIEW (self), FALSE);
  return self->busy > 0 || self->resetting;
}

/* Laid out for a narrow width (the window decides): the hand-back buttons
 * go under what they hand back. */
void
syn_asset_history_view_set_narrow (SynAssetHistoryView *self, gboolean narrow)
{
  g_return_if_fail (SYN_IS_ASSET_HISTORY_VIEW (self));

  narrow = !!narrow;
  if (self->narrow == narrow)
    return;
  self->narrow = narrow;
  syn_explain_pane_set_narrow (self->explain_pane, narrow);
  /* the rows are made anew, laid out for it */
  gtk_list_box_bind_model (self->held_list, G_LIST_MODEL (self->held), create_held_row, self, NULL);
}

void
syn_asset_history_view_focus_search (SynAssetHistoryView *self)
{
  g_return_if_fail (SYN_IS_ASSET_HISTORY_VIEW (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->tag_entry));
}

/* The Why page: each rule's verdict on the shown asset, who set its values. */
SynExplainPane *
syn_asset_history_view_get_explain_pane (SynAssetHistoryView *self)
{
  g_return_val_if_fail (SYN_IS_ASSET_HISTORY_VIEW (self), NULL);
  return self->explain_pane;
}

/* Shows the events (@page "events") or why (@page "explain"). */
void
syn_asset_history_view_show_page (SynAssetHistoryView *self, const char *page)
{
  g_return_if_fail (SYN_IS_ASSET_HISTORY_VIEW (self));
  g_return_if_fail (page != NULL);

  gtk_stack_set_visible_child_name (self->pages, page);
}
