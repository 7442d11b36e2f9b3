/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-timeline-view.c: SynTimelineView: the filter bar, the events-over-time chart and the events,
 * newest first, grouped by batch; Roll back from a batch's header.
 *
 * Filters become the timeline operation's parameters; the list model pages
 * them in from the backend, the chart counts events per period with the same
 * filters (bar the dates, so the chart keeps the whole picture). */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "core/syn-json.h"
#include "core/syn-time.h"
#include "core/syn-vocabulary.h"
#include "engine/syn-batch-id.h"
#include "syn-diff-window.h"
#include "syn-rollback-dialog.h"
#include "syn-json-item.h"
#include "syn-timeline-row.h"
#include "syn-timeline-view.h"
#include "syn-ui-format.h"
#include "syn-ui-widget.h"

#define APPLY_DELAY_MS     300
#define CHART_MAX_BUCKETS  60
#define CHART_MIN_BUCKETS  12
#define CHART_MAX_DAYS     60
#define COMPACT_WIDTH      600

struct _SynTimelineView
{
  GtkWidget         parent_instance;

  SynSession       *session;
  SynTimelineModel *model;
  SynTimelineFold  *fold;            /* the model, collapsed batches left out */
  GtkSingleSelection *selection;
  JsonObject       *menu_event;      /* the event the context menu is about */
  GtkWidget        *menu;            /* GtkPopoverMenu */
  char             *compare_batch;   /* the batch marked for a comparison */
  gint64            compare_position;
  char             *compare_label;
  GtkWidget        *sticky_row;      /* SynTimelineRow: the header of the first row's batch */
  GCancellable     *fold_cancellable;
  GtkStringList    *rule_names;
  GPtrArray        *rule_ids;        /* index 0: any rule (NULL) */
  GtkStringList    *discipline_names;
  GPtrArray        *type_checks;     /* GtkCheckButton, one per event type */
  char             *asset_tag;       /* the tag asset_id was resolved from */
  char             *asset_id;
  guint             apply_source;
  GCancellable     *cancellable;     /* until disposed */
  GCancellable     *resolve_cancellable;
  gboolean          resolving;
  gboolean          updating_filters;

  /* chart */
  guint             chart_generation;
  char             *chart_key;
  JsonObject       *chart_query;
  GArray           *chart_bounds;    /* gint64 */
  GArray           *chart_counts;    /* guint64 */
  gint64            chart_step;
  GPtrArray        *series_names;
  GArray           *series_counts;   /* guint64, series by series, bucket by bucket */
  gboolean          chart_busy;

  /* template */
  GtkSearchEntry   *asset_entry;
  GtkDropDown      *rule_dropdown;
  GtkDropDown      *discipline_dropdown;
  GtkMenuButton    *types_button;
  GtkBox           *types_box;
  GtkEntry         *batch_entry;
  GtkEntry         *from_entry;
  GtkEntry         *to_entry;
  GtkWidget        *from_picker;     /* GtkMenuButton with a GtkCalendar */
  GtkWidget        *to_picker;
  GtkCheckButton   *rolled_back_check;
  SynTimelineChart *chart;
  GtkDropDown      *stack_dropdown;
  GtkLabel         *count_label;
  GtkSpinner       *spinner;
  GtkLabel         *error_label;
  GtkScrolledWindow *scroller;
  GtkWidget        *sticky_box;
  GtkFlowBox       *filter_box;
  GtkRevealer      *filter_revealer;
  GtkToggleButton  *filters_toggle;
  gboolean          compact;         /* rows made to fit a narrow window */
  guint             compact_source;
  guint             sticky_source;
  guint             sticky_retries;   /* re-asks while the top row loads */
  guint             sticky_tick;      /* tick callback: the header after the next layout */
  guint             sticky_ticks;
  GtkListView      *list_view;
  GtkWidget        *new_events_button;
  gboolean          reload_pending;
};

G_DEFINE_FINAL_TYPE (SynTimelineView, syn_timeline_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_BUSY,
  PROP_INCLUDE_ROLLED_BACK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void apply_filters (SynTimelineView *self);
static void chart_finished (SynTimelineView *self);
static void start_chart   (SynTimelineView *self, gboolean force);

/* ------------------------------------------------------------------------- */
/* Filters                                                                   */

static void
show_error (SynTimelineView *self, const char *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->error_label), message);
}

static GtkWidget *
field (SynTimelineView *self, guint i)
{
  GtkWidget *fields[] = { GTK_WIDGET (self->batch_entry), GTK_WIDGET (self->from_entry), GTK_WIDGET (self->to_entry) };

  return i < G_N_ELEMENTS (fields) ? fields[i] : NULL;
}

static void
unmark_fields (SynTimelineView *self)
{
  GtkWidget *w;

  for (guint i = 0; (w = field (self, i)) != NULL; i++)
    {
      gtk_widget_remove_css_class (w, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

/* The field in error style, and the message saying what is wrong with it. */
static void
mark_field (SynTimelineView *self, GtkWidget *widget, const char *message)
{
  if (widget != NULL)
    {
      gtk_widget_add_css_class (widget, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  show_error (self, message);
}

static gboolean
apply_cb (gpointer data)
{
  SynTimelineView *self = data;

  self->apply_source = 0;
  apply_filters (self);
  return G_SOURCE_REMOVE;
}

/* Typing waits a moment; choosing applies at once. Neither blocks. */
static void
schedule_apply (SynTimelineView *self, gboolean now)
{
  if (self->updating_filters)
    return;
  g_clear_handle_id (&self->apply_source, g_source_remove);
  if (now)
    apply_filters (self);
  else
    self->apply_source = g_timeout_add (APPLY_DELAY_MS, apply_cb, self);
}

static void
on_text_changed (SynTimelineView *self)
{
  schedule_apply (self, FALSE);
}

static void
on_choice_changed (SynTimelineView *self)
{
  schedule_apply (self, TRUE);
}

static void
on_rolled_back_toggled (SynTimelineView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INCLUDE_ROLLED_BACK]);
  schedule_apply (self, TRUE);
}

static void
update_types_label (SynTimelineView *self)
{
  guint n = 0;
  g_autofree char *label = NULL;

  for (guint i = 0; i < self->type_checks->len; i++)
    if (gtk_check_button_get_active (self->type_checks->pdata[i]))
      n++;
  if (n == 0)
    label = g_strdup (_("All event types"));
  else
    label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d event type", "%d event types", n), (int) n);
  gtk_menu_button_set_label (self->types_button, label);
}

static void
on_type_toggled (SynTimelineView *self)
{
  update_types_label (self);
  schedule_apply (self, TRUE);
}

static char *
event_types_param (SynTimelineView *self)
{
  g_autoptr(GString) types = g_string_new (NULL);

  for (guint i = 0; i < self->type_checks->len; i++)
    if (gtk_check_button_get_active (self->type_checks->pdata[i]))
      {
        if (types->len > 0)
          g_string_append_c (types, ',');
        g_string_append (types, g_object_get_data (self->type_checks->pdata[i], "value"));
      }
  return types->len ? g_string_free (g_steal_pointer (&types), FALSE) : NULL;
}

static const char *
entry_text (GtkEditable *editable)
{
  const char *text = gtk_editable_get_text (editable);

  while (*text == ' ')
    text++;
  return *text ? text : NULL;
}

/* A date field's text as the timeline operation takes it (UTC, RFC 3339). */
static gboolean
date_param (JsonObject *query, const char *member, GtkEditable *entry, gboolean end, GError **error)
{
  const char *text = entry_text (entry);
  g_autofree char *iso = NULL;
  gint64 usec;

  if (text == NULL)
    return TRUE;
  if (!syn_parse_date_field (text, end, &usec, error))
    return FALSE;
  iso = syn_time_to_iso8601 (usec);
  json_object_set_string_member (query, member, iso);
  return TRUE;
}

/* The chart's filters are the list's without the dates. @bad_field: the
 * entry whose text is refused, when one is. */
static JsonObject *
build_query (SynTimelineView *self, gboolean with_dates, GtkWidget **bad_field, GError **error)
{
  g_autoptr(JsonObject) query = json_object_new ();
  const char *batch = entry_text (GTK_EDITABLE (self->batch_entry));
  guint rule = gtk_drop_down_get_selected (self->rule_dropdown);
  guint discipline = gtk_drop_down_get_selected (self->discipline_dropdown);
  g_autofree char *types = event_types_param (self);

  json_object_set_string_member (query, "project_id", syn_session_get_project_id (self->session));
  if (self->asset_id != NULL)
    json_object_set_string_member (query, "asset_id", self->asset_id);
  if (rule != GTK_INVALID_LIST_POSITION && rule > 0 && rule < self->rule_ids->len)
    json_object_set_string_member (query, "rule_id", self->rule_ids->pdata[rule]);
  if (discipline != GTK_INVALID_LIST_POSITION && discipline > 0)
    json_object_set_string_member (query, "discipline", syn_disciplines ()[discipline - 1]);
  if (types != NULL)
    json_object_set_string_member (query, "event_types", types);
  if (batch != NULL)
    {
      g_autofree char *id = g_strstrip (g_strdup (batch));

      /* the backend finds the one batch a short id names, or says why not */
      if (!syn_batch_id_is_valid (id))
        {
          if (bad_field != NULL)
            *bad_field = GTK_WIDGET (self->batch_entry);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("“%s” is not a batch id: give it whole, or 8 or more of its hex digits (as the rows show them)"),
                       id);
          return NULL;
        }
      json_object_set_string_member (query, "correlation_id", id);
    }
  if (with_dates)
    {
      gint64 from = 0, to = 0;

      if (!date_param (query, "from_date", GTK_EDITABLE (self->from_entry), FALSE, error))
        {
          if (bad_field != NULL)
            *bad_field = GTK_WIDGET (self->from_entry);
          return NULL;
        }
      if (!date_param (query, "to_date", GTK_EDITABLE (self->to_entry), TRUE, error))
        {
          if (bad_field != NULL)
            *bad_field = GTK_WIDGET (self->to_entry);
          return NULL;
        }
      if (json_object_has_member (query, "from_date") && json_object_has_member (query, "to_date") &&
          syn_time_parse_iso8601 (json_object_get_string_member (query, "from_date"), FALSE, &from, NULL) &&
          syn_time_parse_iso8601 (json_object_get_string_member (query, "to_date"), FALSE, &to, NULL) && from > to)
        {
          if (bad_field != NULL)
            *bad_field = GTK_WIDGET (self->to_entry);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("The end date is before the start date"));
          return NULL;
        }
    }
  json_object_set_boolean_member (query, "include_rolled_back",
                                  gtk_check_button_get_active (self->rolled_back_check));
  return g_steal_pointer (&query);
}

static void
asset_resolved (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SynTimelineView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->resolving = FALSE;
  g_clear_pointer (&self->asset_id, g_free);
  g_clear_pointer (&self->asset_tag, g_free);
  if (answer == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("No asset with the tag “%s” in this project"),
                                               gtk_editable_get_text (GTK_EDITABLE (self->asset_entry)));

      gtk_widget_add_css_class (GTK_WIDGET (self->asset_entry), "error");
      show_error (self, text);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
      return;
    }
  self->asset_id = g_strdup (syn_json_get_string (json_node_get_object (answer), "id"));
  self->asset_tag = g_strdup (syn_json_get_string (json_node_get_object (answer), "tag"));
  apply_filters (self);
}

static void
apply_filters (SynTimelineView *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) query = NULL;
  GtkWidget *bad_field = NULL;
  const char *tag;

  if (self->session == NULL || syn_session_get_project_id (self->session) == NULL ||
      syn_session_get_backend (self->session) == NULL)
    {
      syn_timeline_model_set_query (self->model, NULL);
      syn_timeline_chart_clear (self->chart, NULL);
      return;
    }

  /* an asset is filtered by id: look the tag up first */
  tag = entry_text (GTK_EDITABLE (self->asset_entry));
  gtk_widget_remove_css_class (GTK_WIDGET (self->asset_entry), "error");
  if (tag == NULL)
    {
      g_cancellable_cancel (self->resolve_cancellable);
      self->resolving = FALSE;
      g_clear_pointer (&self->asset_id, g_free);
      g_clear_pointer (&self->asset_tag, g_free);
    }
  else if (g_strcmp0 (tag, self->asset_tag) != 0)
    {
      g_autoptr(JsonObject) params = json_object_new ();

      g_cancellable_cancel (self->resolve_cancellable);
      g_clear_object (&self->resolve_cancellable);
      self->resolve_cancellable = g_cancellable_new ();
      json_object_set_string_member (params, "project_id", syn_session_get_project_id (self->session));
      json_object_set_string_member (params, "tag", tag);
      self->resolving = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
      syn_backend_call_async (syn_session_get_backend (self->session), SYN_OP_GET_ASSET, params,
                              self->resolve_cancellable, asset_resolved, g_object_ref (self));
      return;
    }

  unmark_fields (self);
  query = build_query (self, TRUE, &bad_field, &error);
  if (query == NULL)
    {
      /* nothing shown rather than the old list under the error */
      mark_field (self, bad_field, error->message);
      syn_timeline_model_set_query (self->model, NULL);
      if (bad_field == GTK_WIDGET (self->batch_entry))
        {
          g_clear_pointer (&self->chart_key, g_free);
          self->chart_generation++;
          syn_timeline_chart_clear (self->chart, NULL);
          chart_finished (self);
        }
      return;
    }
  show_error (self, NULL);
  syn_timeline_model_set_query (self->model, query);
  start_chart (self, FALSE);
}

static void
set_dates (SynTimelineView *self, const char *from, const char *to)
{
  self->updating_filters = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->from_entry), from ? from : "");
  gtk_editable_set_text (GTK_EDITABLE (self->to_entry), to ? to : "");
  self->updating_filters = FALSE;
}

static void
clear_filters (SynTimelineView *self)
{
  self->updating_filters = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->asset_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->batch_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->from_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->to_entry), "");
  gtk_drop_down_set_selected (self->rule_dropdown, 0);
  gtk_drop_down_set_selected (self->discipline_dropdown, 0);
  for (guint i = 0; i < self->type_checks->len; i++)
    gtk_check_button_set_active (self->type_checks->pdata[i], FALSE);
  self->updating_filters = FALSE;
  update_types_label (self);
  syn_timeline_chart_set_selected (self->chart, -1);
}

static void
clear_filters_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynTimelineView *self = SYN_TIMELINE_VIEW (widget);

  clear_filters (self);
  schedule_apply (self, TRUE);
}

static void
on_batch_icon (GtkEntry *entry, GtkEntryIconPosition position, SynTimelineView *self)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  schedule_apply (self, TRUE);
}

/* A chart's bar -> the date fields, written as they are typed (and read
 * back to the same period): whole local days as YYYY-MM-DD, else
 * YYYY-MM-DD HH:MM, the "to" field's minute taken whole. */
static gboolean
local_midnight (gint64 usec)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;

  return local != NULL && usec % G_USEC_PER_SEC == 0 && g_date_time_get_hour (local) == 0 &&
         g_date_time_get_minute (local) == 0 && g_date_time_get_second (local) == 0;
}

static void
on_bucket_activated (SynTimelineChart *chart, gint64 from, gint64 to, SynTimelineView *self)
{
  gboolean days = local_midnight (from) && local_midnight (to + 1);
  g_autofree char *from_text = syn_format_time_usec (from, !days);
  g_autofree char *to_text = syn_format_time_usec (to, !days);

  set_dates (self, from_text, to_text);
  schedule_apply (self, TRUE);
}

/* The calendar's day -> its date field, as typed. */
static void
on_day_selected (GtkCalendar *calendar, SynTimelineView *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (calendar), "entry");
  g_autoptr(GDateTime) date = gtk_calendar_get_date (calendar);
  g_autofree char *text = g_date_time_format (date, "%Y-%m-%d");
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (calendar), GTK_TYPE_POPOVER);

  gtk_editable_set_text (entry, text);
  if (popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));
  schedule_apply (self, TRUE);
}

/* The calendar opens on the field's date, when it holds one. */
static void
on_calendar_shown (GtkWidget *popover, GtkCalendar *calendar)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (calendar), "entry");
  gint64 usec;

  if (syn_parse_date_field (gtk_editable_get_text (entry), FALSE, &usec, NULL))
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
      g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;

      if (local != NULL)
        gtk_calendar_select_day (calendar, local);
    }
}

/* A button beside the date field with a calendar in its popover. */
static GtkWidget *
add_date_picker (SynTimelineView *self, GtkWidget *entry, const char *label)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *calendar = gtk_calendar_new ();

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "x-office-calendar-symbolic");
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_object_set_data (G_OBJECT (calendar), "entry", entry);
  g_signal_connect (calendar, "day-selected", G_CALLBACK (on_day_selected), self);
  g_signal_connect (popover, "show", G_CALLBACK (on_calendar_shown), calendar);
  gtk_popover_set_child (GTK_POPOVER (popover), calendar);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (entry)), button, entry);
  return button;
}

/* ------------------------------------------------------------------------- */
/* Chart: events per hour (up to two days) or per local day                  */

/* The chart's filters, to find its oldest or newest event (one a page). */
static JsonObject *
chart_params (SynTimelineView *self, gint64 page)
{
  JsonObject *params = syn_json_object_copy (self->chart_query);

  json_object_set_int_member (params, "page", page);
  json_object_set_int_member (params, "limit", 1);
  return params;
}

typedef struct
{
  SynTimelineView *self;
  guint            generation;
  guint            index;
} ChartCall;

static ChartCall *
chart_call_new (SynTimelineView *self, guint index)
{
  ChartCall *call = g_new0 (ChartCall, 1);

  call->self = g_object_ref (self);
  call->generation = self->chart_generation;
  call->index = index;
  return call;
}

static void
chart_call_free (ChartCall *call)
{
  g_object_unref (call->self);
  g_free (call);
}

static gboolean
chart_call_stale (ChartCall *call, GError *error)
{
  return call->generation != call->self->chart_generation ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void update_status (SynTimelineView *self);

static void
chart_finished (SynTimelineView *self)
{
  self->chart_busy = FALSE;
  update_status (self);
}

/* The series the bars are split into: the event kinds, or the disciplines
 * (none when the filters name one), and the last for what is left. */
static const char * const chart_kinds[] = { "created", "updated", "deleted", "rule", "rule-error" };

static void
plan_series (SynTimelineView *self)
{
  g_ptr_array_set_size (self->series_names, 0);
  if (gtk_drop_down_get_selected (self->stack_dropdown) == 1)
    {
      const char * const *disciplines = syn_disciplines ();

      if (syn_json_get_string (self->chart_query, "discipline") != NULL)
        return;
      for (guint i = 0; disciplines[i]; i++)
        g_ptr_array_add (self->series_names, g_strdup (syn_format_discipline (disciplines[i])));
      g_ptr_array_add (self->series_names, g_strdup (_("No discipline")));
    }
  else
    {
      const char *names[] = { N_("Created"), N_("Changed"), N_("Deleted"), N_("Rules"), N_("Rule errors") };

      G_STATIC_ASSERT (G_N_ELEMENTS (names) == G_N_ELEMENTS (chart_kinds));
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        g_ptr_array_add (self->series_names, g_strdup (_(names[i])));
      g_ptr_array_add (self->series_names, g_strdup (_("Other")));
    }
}

/* Which series an answer's key (an event type or a discipline) counts in. */
static guint
series_of (SynTimelineView *self, const char *key)
{
  guint last = self->series_names->len - 1;

  if (gtk_drop_down_get_selected (self->stack_dropdown) == 1)
    {
      const char * const *disciplines = syn_disciplines ();

      for (guint i = 0; disciplines[i] && i < last; i++)
        if (g_strcmp0 (disciplines[i], key) == 0)
          return i;
      return last;
    }
  for (guint i = 0; i < G_N_ELEMENTS (chart_kinds); i++)
    if (g_str_equal (syn_format_event_kind (key), chart_kinds[i]))
      return i;
  return last;
}

#define CHART_BARS   0
#define CHART_SERIES 1

static void chart_count (SynTimelineView *self, guint what);

/* A count by period landed: the bars (their totals, from the timestamp
 * index alone), then their split (which reads the events' types or
 * disciplines: slower, so the bars show first). */
static void
chart_counted (GObject *object, GAsyncResult *result, gpointer user_data)
{
  ChartCall *call = user_data;
  SynTimelineView *self = call->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  guint n = self->chart_counts->len, n_series;
  guint what = call->index;
  JsonArray *periods;

  if (chart_call_stale (call, error))
    {
      chart_call_free (call);
      return;
    }
  chart_call_free (call);
  if (answer == NULL)
    {
      if (what == CHART_BARS)
        {
          syn_timeline_chart_clear (self->chart, error->message);
          chart_finished (self);
        }
      return;
    }
  periods = json_object_get_array_member (json_node_get_object (answer), "periods");
  if (what == CHART_BARS)
    {
      for (guint i = 0; i < n; i++)
        {
          JsonObject *period = periods && i < json_array_get_length (periods)
                               ? json_array_get_object_element (periods, i) : NULL;

          g_array_index (self->chart_counts, guint64, i) =
            period ? (guint64) MAX (0, json_object_get_int_member_with_default (period, "total", 0)) : 0;
        }
      syn_timeline_chart_set_buckets (self->chart, (const gint64 *) (gpointer) self->chart_bounds->data,
                                      (const guint64 *) (gpointer) self->chart_counts->data, n, self->chart_step);
      chart_finished (self);
      chart_count (self, CHART_SERIES);
      return;
    }

  n_series = self->series_names->len;
  g_array_set_size (self->series_counts, n * n_series);
  if (self->series_counts->len > 0)
    memset (self->series_counts->data, 0, sizeof (guint64) * self->series_counts->len);
  for (guint i = 0; i < n && n_series > 0 && periods != NULL && i < json_array_get_length (periods); i++)
    {
      JsonObject *period = json_array_get_object_element (periods, i);
      JsonObjectIter iter;
      const char *key;
      JsonNode *value;

      if (!json_object_has_member (period, "counts"))
        continue;
      json_object_iter_init (&iter, json_object_get_object_member (period, "counts"));
      while (json_object_iter_next (&iter, &key, &value))
        g_array_index (self->series_counts, guint64, series_of (self, key) * n + i) +=
          (guint64) MAX (0, json_node_get_int (value));
    }
  g_ptr_array_add (self->series_names, NULL);
  syn_timeline_chart_set_series (self->chart, (const char * const *) self->series_names->pdata,
                                 (const guint64 *) (gpointer) self->series_counts->data, n_series);
  g_ptr_array_remove_index (self->series_names, n_series);
}

/* One count by period for the whole chart: its bars, or their split as the
 * drop-down says (nothing to ask when the filters leave one series). */
static void
chart_count (SynTimelineView *self, guint what)
{
  g_autoptr(JsonObject) params = syn_json_object_copy (self->chart_query);
  g_autoptr(GString) bounds = g_string_new (NULL);
  gboolean by_discipline = gtk_drop_down_get_selected (self->stack_dropdown) == 1;

  if (what == CHART_SERIES)
    {
      plan_series (self);
      if (self->series_names->len == 0)
        return;
    }
  for (guint i = 0; i < self->chart_bounds->len; i++)
    {
      g_autofree char *text = syn_time_to_iso8601 (g_array_index (self->chart_bounds, gint64, i));

      g_string_append_printf (bounds, "%s%s", i ? "," : "", text);
    }
  json_object_set_string_member (params, "bounds", bounds->str);
  json_object_set_string_member (params, "split",
                                 what == CHART_BARS ? "none" : by_discipline ? "discipline" : "event_type");
  if (what == CHART_BARS)
    {
      self->chart_busy = TRUE;
      update_status (self);
    }
  syn_backend_call_async (syn_session_get_backend (self->session), SYN_OP_TIMELINE_COUNTS, params, self->cancellable,
                          chart_counted, chart_call_new (self, what));
}

static void
on_stack_changed (SynTimelineView *self)
{
  if (self->chart_busy || self->chart_counts->len == 0 || self->chart_query == NULL)
    return;
  self->chart_generation++;
  chart_count (self, CHART_SERIES);
}

static gint64
local_usec (GDateTime *dt)
{
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

/* The periods: the shortest of these steps that covers the events in
 * CHART_MAX_BUCKETS bars (a project that lives an hour gets minutes),
 * else whole local days (the last CHART_MAX_DAYS), ending with the newest
 * event's. Steps start on local round times (10:05, 14:00). */
static const int chart_steps_minutes[] = { 1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720 };

static void
chart_plan (SynTimelineView *self, gint64 oldest, gint64 newest)
{
  g_autoptr(GDateTime) newest_utc = g_date_time_new_from_unix_utc (newest / G_USEC_PER_SEC);
  g_autoptr(GDateTime) newest_local = g_date_time_to_local (newest_utc);
  g_autoptr(GDateTime) last = NULL;
  int minutes = 0;
  guint n;

  for (guint i = 0; i < G_N_ELEMENTS (chart_steps_minutes) && minutes == 0; i++)
    if (newest - oldest < (gint64) chart_steps_minutes[i] * 60 * G_USEC_PER_SEC * (CHART_MAX_BUCKETS - 1))
      minutes = chart_steps_minutes[i];
  if (minutes > 0)
    {
      int of_day = g_date_time_get_hour (newest_local) * 60 + g_date_time_get_minute (newest_local);

      of_day -= of_day % minutes;
      last = g_date_time_new_local (g_date_time_get_year (newest_local), g_date_time_get_month (newest_local),
                                    g_date_time_get_day_of_month (newest_local), of_day / 60, of_day % 60, 0);
      self->chart_step = (gint64) minutes * 60 * G_USEC_PER_SEC;
      n = (guint) CLAMP ((local_usec (last) - oldest) / self->chart_step + 2, 1, CHART_MAX_BUCKETS);
      /* a dozen bars at least, so that one burst is not one wide bar */
      n = MAX (n, CHART_MIN_BUCKETS);
    }
  else
    {
      last = g_date_time_new_local (g_date_time_get_year (newest_local), g_date_time_get_month (newest_local),
                                    g_date_time_get_day_of_month (newest_local), 0, 0, 0);
      self->chart_step = (gint64) 86400 * G_USEC_PER_SEC;
      n = (guint) CLAMP ((local_usec (last) - oldest) / self->chart_step + 2, 1, CHART_MAX_DAYS);
    }

  g_array_set_size (self->chart_bounds, n + 1);
  g_array_set_size (self->chart_counts, n);
  for (guint i = 0; i <= n; i++)
    {
      int back = (int) n - 1 - (int) i;
      g_autoptr(GDateTime) bound = minutes > 0 ? g_date_time_add_minutes (last, -back * minutes)
                                               : g_date_time_add_days (last, -back);

      g_array_index (self->chart_bounds, gint64, i) = local_usec (bound);
      if (i < n)
        g_array_index (self->chart_counts, guint64, i) = 0;
    }
  chart_count (self, CHART_BARS);
}

static gint64
event_time (JsonNode *answer)
{
  JsonNode *events = json_object_get_member (json_node_get_object (answer), "events");
  gint64 usec = 0;

  if (events == NULL || !JSON_NODE_HOLDS_ARRAY (events) || json_array_get_length (json_node_get_array (events)) == 0)
    return -1;
  if (!syn_time_parse_iso8601 (syn_json_get_string (json_array_get_object_element (json_node_get_array (events), 0),
                                                     "timestamp"), FALSE, &usec, NULL))
    return -1;
  return usec;
}

static void
chart_oldest_found (GObject *object, GAsyncResult *result, gpointer user_data)
{
  ChartCall *call = user_data;
  SynTimelineView *self = call->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  gint64 oldest = answer ? event_time (answer) : -1;

  if (chart_call_stale (call, error))
    {
      chart_call_free (call);
      return;
    }
  /* call->index carries nothing here; the newest time was kept in the bounds */
  if (oldest < 0)
    {
      syn_timeline_chart_clear (self->chart, error ? error->message : NULL);
      chart_finished (self);
    }
  else
    chart_plan (self, oldest, g_array_index (self->chart_bounds, gint64, 0));
  chart_call_free (call);
}

static void
chart_newest_found (GObject *object, GAsyncResult *result, gpointer user_data)
{
  ChartCall *call = user_data;
  SynTimelineView *self = call->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  g_autoptr(JsonObject) params = NULL;
  gint64 newest = answer ? event_time (answer) : -1;
  gint64 total;

  if (chart_call_stale (call, error))
    {
      chart_call_free (call);
      return;
    }
  if (newest < 0)
    {
      syn_timeline_chart_clear (self->chart, answer ? _("No events to chart") : NULL);
      chart_finished (self);
      chart_call_free (call);
      return;
    }
  total = json_object_get_int_member_with_default (json_node_get_object (answer), "total", 1);
  g_array_set_size (self->chart_bounds, 1);
  g_array_index (self->chart_bounds, gint64, 0) = newest;
  params = chart_params (self, MAX (1, total));
  syn_backend_call_async (syn_session_get_backend (self->session), SYN_OP_TIMELINE, params, self->cancellable,
                          chart_oldest_found, call);
}

/* Recounted when the filters (bar the dates) or the data change. */
static void
start_chart (SynTimelineView *self, gboolean force)
{
  g_autoptr(JsonObject) query = NULL;
  g_autoptr(JsonObject) params = NULL;
  g_autofree char *key = NULL;

  if (self->session == NULL || syn_session_get_backend (self->session) == NULL ||
      syn_session_get_project_id (self->session) == NULL)
    return;
  query = build_query (self, FALSE, NULL, NULL);
  if (query == NULL)
    return;
  key = syn_json_object_to_string (query);
  if (!force && g_strcmp0 (key, self->chart_key) == 0)
    return;
  g_free (self->chart_key);
  self->chart_key = g_steal_pointer (&key);
  g_clear_pointer (&self->chart_query, json_object_unref);
  self->chart_query = g_steal_pointer (&query);
  self->chart_generation++;
  self->chart_busy = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  params = chart_params (self, 1);
  syn_backend_call_async (syn_session_get_backend (self->session), SYN_OP_TIMELINE, params, self->cancellable,
                          chart_newest_found, chart_call_new (self, 0));
}

/* ------------------------------------------------------------------------- */
/* List                                                                      */

static void
row_setup (GtkSignalListItemFactory *factory, GtkListItem *list_item, SynTimelineView *self)
{
  GtkWidget *row = syn_timeline_row_new (self->model);

  syn_timeline_row_set_fold (SYN_TIMELINE_ROW (row), self->fold);
  syn_timeline_row_set_compact (SYN_TIMELINE_ROW (row), self->compact);
  gtk_list_item_set_child (list_item, row);
}

static void
row_bind (GtkSignalListItemFactory *factory, GtkListItem *list_item, SynTimelineView *self)
{
  syn_timeline_row_set_item (SYN_TIMELINE_ROW (gtk_list_item_get_child (list_item)),
                             gtk_list_item_get_item (list_item));
}

static void
row_unbind (GtkSignalListItemFactory *factory, GtkListItem *list_item, SynTimelineView *self)
{
  syn_timeline_row_set_item (SYN_TIMELINE_ROW (gtk_list_item_get_child (list_item)), NULL);
}

/* What a row names, opened: an asset's or a cable's history, a
 * relationship's source asset, the asset a rule worked on; a rule's own
 * events show that rule's events, a batch's own events that batch's. */
static gboolean
open_event (SynTimelineView *self, JsonObject *event)
{
  const char *aggregate = event ? syn_json_get_string (event, "aggregate_type") : NULL;
  JsonNode *node = event ? json_object_get_member (event, "payload") : NULL;
  JsonObject *payload = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *rule_id = event ? syn_json_get_string (event, "rule_id") : NULL;
  g_autofree char *subject = event ? syn_format_event_subject (event) : NULL;

  if (event == NULL || self->session == NULL)
    return FALSE;
  if (g_strcmp0 (aggregate, SYN_AGGREGATE_ASSET) == 0)
    syn_session_show_asset (self->session, syn_json_get_string (event, "aggregate_id"), subject);
  else if (g_strcmp0 (aggregate, SYN_AGGREGATE_CABLE) == 0)
    /* the history looks a tag up among cables too (the subject is the cable's tag) */
    syn_session_show_asset (self->session, NULL, subject);
  else if (syn_json_get_string (payload, "source_asset_id") != NULL)
    syn_session_show_asset (self->session, syn_json_get_string (payload, "source_asset_id"),
                            syn_json_get_string (event, "source_tag") ? syn_json_get_string (event, "source_tag")
                                                                      : syn_json_get_string (payload, "source_tag"));
  else if (rule_id != NULL || g_strcmp0 (aggregate, SYN_AGGREGATE_RULE) == 0)
    {
      const char *id = rule_id ? rule_id : syn_json_get_string (event, "aggregate_id");

      for (guint i = 1; i < self->rule_ids->len; i++)
        if (g_strcmp0 (self->rule_ids->pdata[i], id) == 0)
          {
            gtk_drop_down_set_selected (self->rule_dropdown, i);
            return TRUE;
          }
      return FALSE;
    }
  else if (syn_json_get_string (event, "correlation_id") != NULL)
    syn_timeline_view_show_batch (self, syn_json_get_string (event, "correlation_id"));
  else
    return FALSE;
  return TRUE;
}

static JsonObject *
event_at (SynTimelineView *self, guint position)
{
  g_autoptr(SynTimelineEvent) item = g_list_model_get_item (G_LIST_MODEL (self->fold), position);

  return item ? syn_timeline_event_get_json (item) : NULL;
}

/* Enter (or a double click) on a row opens what it names. */
static void
on_activate (GtkListView *list, guint position, SynTimelineView *self)
{
  open_event (self, event_at (self, position));
}

/* ------------------------------------------------------------------------- */
/* Context menu                                                              */

/* Whether the window shows a past moment: nothing can change then. */
static gboolean
shows_past (SynTimelineView *self)
{
  return self->session != NULL && syn_session_get_as_of (self->session) != NULL;
}

static void
update_menu_actions (SynTimelineView *self)
{
  JsonObject *event = self->menu_event;
  const char *batch = event ? syn_json_get_string (event, "correlation_id") : NULL;
  SynTimelineBatch *info = batch ? syn_timeline_model_get_batch (self->model, batch) : NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.copy-tag", event != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.open-row", event != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.filter-row-batch", batch != NULL);
  /* a batch not yet described is offered: the dialog says what can be done */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.roll-back-row-batch",
                                 batch != NULL && !shows_past (self) &&
                                 (info == NULL || !syn_timeline_batch_get_loaded (info) ||
                                  syn_timeline_batch_get_can_roll_back (info)));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.show-as-of-row",
                                 event != NULL && json_object_has_member (event, "position"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.compare-now-row", batch != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.mark-compare-row", batch != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.compare-marked-row",
                                 batch != NULL && self->compare_batch != NULL &&
                                 g_strcmp0 (batch, self->compare_batch) != 0);
}

static GtkWidget *
row_widget_at (SynTimelineView *self, double x, double y)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self->list_view), x, y, GTK_PICK_DEFAULT);

  return picked ? gtk_widget_get_ancestor (picked, SYN_TYPE_TIMELINE_ROW) : NULL;
}

/* Where a row's item is shown (the model's position, but for collapsed batches). */
static guint
shown_position (SynTimelineView *self, SynTimelineEvent *item)
{
  return syn_timeline_fold_get_shown_position (self->fold, syn_timeline_event_get_index (item));
}

static void
popup_menu_at (SynTimelineView *self, guint position, double x, double y)
{
  JsonObject *event = event_at (self, position);

  if (event == NULL)
    return;
  gtk_single_selection_set_selected (self->selection, position);
  g_clear_pointer (&self->menu_event, json_object_unref);
  self->menu_event = json_object_ref (event);
  update_menu_actions (self);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      gtk_popover_set_pointing_to (GTK_POPOVER (self->menu), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
      gtk_popover_popup (GTK_POPOVER (self->menu));
    }
}

static void
on_secondary_click (GtkGestureClick *gesture, int n_press, double x, double y, SynTimelineView *self)
{
  GtkWidget *row = row_widget_at (self, x, y);
  SynTimelineEvent *item = row ? syn_timeline_row_get_item (SYN_TIMELINE_ROW (row)) : NULL;
  guint position = item ? shown_position (self, item) : GTK_INVALID_LIST_POSITION;
  graphene_point_t point;

  if (position == GTK_INVALID_LIST_POSITION)
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  if (!gtk_widget_compute_point (GTK_WIDGET (self->list_view), GTK_WIDGET (self), &GRAPHENE_POINT_INIT (x, y), &point))
    point = GRAPHENE_POINT_INIT (x, y);
  popup_menu_at (self, position, point.x, point.y);
}

/* Shift+F10 or the Menu key: the menu of the selected row. */
static void
context_menu_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynTimelineView *self = SYN_TIMELINE_VIEW (widget);
  guint position = gtk_single_selection_get_selected (self->selection);
  graphene_rect_t bounds;

  if (position == GTK_INVALID_LIST_POSITION)
    return;
  if (!gtk_widget_compute_bounds (GTK_WIDGET (self->scroller), widget, &bounds))
    graphene_rect_init (&bounds, 0, 0, 0, 0);
  popup_menu_at (self, position, bounds.origin.x + 24, bounds.origin.y + 12);
}

static void
copy_tag_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynTimelineView *self = SYN_TIMELINE_VIEW (widget);
  g_autofree char *subject = NULL;

  if (self->menu_event == NULL)
    return;
  subject = syn_format_event_subject (self->menu_event);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), subject);
  if (self->session != NULL)
    {
      /* Translators: %s is a tag (or a short id) copied to the clipboard */
      g_autofree char *text = g_strdup_printf (_("Copied “%s”"), subject);

      syn_session_report_info (self->session, text);
    }
}

static void
open_row_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynTimelineView *self = SYN_TIMELINE_VIEW (widget);

  open_event (self, self->menu_event);
}

static void
filter_row_batch_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynTimelineView *self = SYN_TIMELINE_VIEW (widget);
  const char *batch = self->menu_event ? syn_json_get_string (self->menu_event, "correlation_id") : NULL;

  if (batch != NULL)
    syn_timeline_view_show_batch (self, batch);
}

static void
roll_back_row_batch_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynTimelineView *self = SYN_TIMELINE_VIEW (widget);
  const char *batch = self->menu_event ? syn_json_get_string (self->menu_event, "correlation_id") : NULL;

  if (batch != NULL)
    gtk_widget_activate_action (widget, "timeline.rollback", "s", batch);
}

/* ------------------------------------------------------------------------- */
/* Past moments: the project as of one, and what changed between two        */

/* Shows the project as of @moment (read-only) in the Assets and Cables view. */
static void
show_as_of (SynTimelineView *self, const char *moment)
{
  if (self->session == NULL || moment == NULL)
    return;
  syn_session_set_as_of (self->session, moment);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-view", "s", "assets");
}

static void
show_as_of_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  const char *batch = g_variant_get_string (parameter, NULL);

  if (syn_uuid_is_valid (batch))
    show_as_of (SYN_TIMELINE_VIEW (widget), batch);
}

/* As of the event itself: its position. */
static void
show_as_of_row_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynTimelineView *self = SYN_TIMELINE_VIEW (widget);
  g_autofree char *position = NULL;

  if (self->menu_event == NULL || !json_object_has_member (self->menu_event, "position"))
    return;
  position = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (self->menu_event, "position"));
  show_as_of (self, position);
}

/* "batch 3d3f36c6 · alice · 2026-12-06 10:02", what the diff names a side by. */
static char *
describe_batch (SynTimelineView *self, JsonObject *event)
{
  const char *batch = syn_json_get_string (event, "correlation_id");
  SynTimelineBatch *info = batch ? syn_timeline_model_get_batch (self->model, batch) : NULL;
  g_autofree char *short_id = syn_format_short_id (batch);

  if (info != NULL && syn_timeline_batch_get_loaded (info))
    /* Translators: one side of a comparison: the batch's short id, its kind, who ran it, when */
    return g_strdup_printf (_("batch %s (%s) · %s · %s"), short_id, syn_timeline_batch_get_kind (info),
                            syn_timeline_batch_get_user (info), syn_timeline_batch_get_time (info));
  {
    g_autofree char *when = syn_format_time (syn_json_get_string (event, "timestamp"));
    const char *user = syn_json_get_string (event, "user_name") ? syn_json_get_string (event, "user_name")
                                                               : syn_json_get_string (event, "user_id");

    /* Translators: one side of a comparison: the batch's short id, who ran it, when */
    return g_strdup_printf (_("batch %s · %s · %s"), short_id, user ? user : _("local user"), when);
  }
}

static void
open_diff (SynTimelineView *self, const char *from, const char *from_label, const char *to, const char *to_label)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->session == NULL)
    return;
  gtk_window_present (GTK_WINDOW (syn_diff_window_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       self->session, from, from_label, to, to_label)));
}

/* What changed since the batch (right after it) until now. */
static void
compare_now_row_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynTimelineView *self = SYN_TIMELINE_VIEW (widget);
  const char *batch = self->menu_event ? syn_json_get_string (self->menu_event, "correlation_id") : NULL;
  g_autofree char *label = NULL;

  if (batch == NULL)
    return;
  label = describe_batch (self, self->menu_event);
  open_diff (self, batch, label, NULL, _("now"));
}

static void
mark_compare_row_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynTimelineView *self = SYN_TIMELINE_VIEW (widget);
  const char *batch = self->menu_event ? syn_json_get_string (self->menu_event, "correlation_id") : NULL;
  g_autofree char *text = NULL;
  g_autofree char *short_id = NULL;

  if (batch == NULL)
    return;
  g_free (self->compare_batch);
  self->compare_batch = g_strdup (batch);
  self->compare_position = json_object_get_int_member_with_default (self->menu_event, "position", 0);
  g_free (self->compare_label);
  self->compare_label = describe_batch (self, self->menu_event);
  short_id = syn_format_short_id (batch);
  if (self->session != NULL)
    {
      /* Translators: %s is a batch's short id, marked as one side of a comparison */
      text = g_strdup_printf (_("Batch %s marked: choose another batch and Compare with Marked Batch."), short_id);
      syn_session_report_info (self->session, text);
    }
}

/* Between the marked batch and this one, the older first. */
static void
compare_marked_row_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynTimelineView *self = SYN_TIMELINE_VIEW (widget);
  const char *batch = self->menu_event ? syn_json_get_string (self->menu_event, "correlation_id") : NULL;
  gint64 position = self->menu_event ? json_object_get_int_member_with_default (self->menu_event, "position", 0) : 0;
  g_autofree char *label = NULL;

  if (batch == NULL || self->compare_batch == NULL || g_strcmp0 (batch, self->compare_batch) == 0)
    return;
  label = describe_batch (self, self->menu_event);
  if (self->compare_position <= position)
    open_diff (self, self->compare_batch, self->compare_label, batch, label);
  else
    open_diff (self, batch, label, self->compare_batch, self->compare_label);
}

/* ------------------------------------------------------------------------- */
/* Collapsed batches and the sticky header                                   */

typedef struct
{
  SynTimelineView *self;
  guint            first;
  guint            generation;
  char            *correlation_id;
} FoldCall;

static void
fold_call_free (FoldCall *call)
{
  g_object_unref (call->self);
  g_free (call->correlation_id);
  g_free (call);
}

static guint
model_generation (SynTimelineView *self)
{
  return syn_paged_model_get_generation (SYN_PAGED_MODEL (self->model));
}

static void
fold_counted (GObject *object, GAsyncResult *result, gpointer user_data)
{
  FoldCall *call = user_data;
  SynTimelineView *self = call->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  g_autoptr(SynTimelineEvent) header = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || call->generation != model_generation (self))
    {
      fold_call_free (call);
      return;
    }
  header = g_list_model_get_item (G_LIST_MODEL (self->model), call->first);
  if (answer == NULL)
    show_error (self, error->message);
  else if (header != NULL &&
           g_strcmp0 (syn_timeline_event_get_correlation_id (header), call->correlation_id) == 0)
    syn_timeline_fold_collapse (self->fold, call->first,
                                (guint) MIN (G_MAXUINT, MAX (0, json_object_get_int_member_with_default (
                                  json_node_get_object (answer), "total", 0))));
  fold_call_free (call);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Collapsing asks how many of the list's events are the batch's (with the
 * list's filters): they follow its first row. */
static void
toggle_batch_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynTimelineView *self = SYN_TIMELINE_VIEW (widget);
  guint first = g_variant_get_uint32 (parameter);
  g_autoptr(SynTimelineEvent) header = g_list_model_get_item (G_LIST_MODEL (self->model), first);
  JsonObject *query = syn_timeline_model_get_query (self->model);
  g_autoptr(JsonObject) params = NULL;
  FoldCall *call;

  if (syn_timeline_fold_expand (self->fold, first))
    return;
  if (header == NULL || query == NULL || syn_timeline_event_get_correlation_id (header) == NULL ||
      self->session == NULL || syn_session_get_backend (self->session) == NULL)
    return;
  params = syn_json_object_copy (query);
  json_object_set_string_member (params, "correlation_id", syn_timeline_event_get_correlation_id (header));
  json_object_set_int_member (params, "page", 1);
  json_object_set_int_member (params, "limit", 1);
  call = g_new0 (FoldCall, 1);
  call->self = g_object_ref (self);
  call->first = first;
  call->generation = model_generation (self);
  call->correlation_id = g_strdup (syn_timeline_event_get_correlation_id (header));
  syn_backend_call_async (syn_session_get_backend (self->session), SYN_OP_TIMELINE, params, self->fold_cancellable,
                          fold_counted, call);
}

static void
set_rows_compact (GtkWidget *widget, gboolean compact)
{
  if (SYN_IS_TIMELINE_ROW (widget))
    {
      syn_timeline_row_set_compact (SYN_TIMELINE_ROW (widget), compact);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    set_rows_compact (child, compact);
}

/* The list's width decides the rows' layout: below COMPACT_WIDTH, compact.
 * Told while the list is being allocated: changed after it. */
static gboolean
update_compact (gpointer data)
{
  SynTimelineView *self = data;
  double width = gtk_adjustment_get_page_size (gtk_scrolled_window_get_hadjustment (self->scroller));
  gboolean compact = width > 0 && width < COMPACT_WIDTH;

  self->compact_source = 0;
  if (compact == self->compact)
    return G_SOURCE_REMOVE;
  self->compact = compact;
  set_rows_compact (GTK_WIDGET (self->list_view), compact);
  syn_timeline_row_set_compact (SYN_TIMELINE_ROW (self->sticky_row), compact);
  /* narrow, the filters give the list the room: a button shows them */
  gtk_widget_set_visible (GTK_WIDGET (self->filters_toggle), compact);
  gtk_toggle_button_set_active (self->filters_toggle, FALSE);
  gtk_revealer_set_reveal_child (self->filter_revealer, !compact);
  return G_SOURCE_REMOVE;
}

static void
on_list_width (GtkAdjustment *adjustment, GParamSpec *pspec, SynTimelineView *self)
{
  if (self->compact_source == 0)
    self->compact_source = g_idle_add (update_compact, self);
}

static void
on_filters_toggled (SynTimelineView *self)
{
  if (self->compact)
    gtk_revealer_set_reveal_child (self->filter_revealer, gtk_toggle_button_get_active (self->filters_toggle));
}

/* The batch of the first row shown, its header kept above the list
 * when the row's own has scrolled away. */
static gboolean
update_sticky (SynTimelineView *self)
{
  GtkWidget *row = row_widget_at (self, 24, 1);
  SynTimelineEvent *item = row ? syn_timeline_row_get_item (SYN_TIMELINE_ROW (row)) : NULL;
  graphene_point_t top;
  gboolean show = FALSE;
  gboolean settled;

  if (item != NULL && syn_timeline_event_get_loaded (item) && syn_timeline_event_get_correlation_id (item) != NULL)
    {
      /* a first row whose header is wholly in sight needs no copy of it */
      show = !syn_timeline_event_get_first_in_batch (item) ||
             (gtk_widget_compute_point (row, GTK_WIDGET (self->list_view), &GRAPHENE_POINT_INIT (0, 0), &top) &&
              top.y < -1);
    }
  if (show)
    {
      SynTimelineEvent *current = syn_timeline_row_get_item (SYN_TIMELINE_ROW (self->sticky_row));

      if (current == NULL || g_strcmp0 (syn_timeline_event_get_correlation_id (current),
                                        syn_timeline_event_get_correlation_id (item)) != 0)
        syn_timeline_row_set_item (SYN_TIMELINE_ROW (self->sticky_row), item);
    }
  else
    syn_timeline_row_set_item (SYN_TIMELINE_ROW (self->sticky_row), NULL);
  gtk_widget_set_visible (self->sticky_box, show);

  /* not settled while the rows are still being placed or the top row's
   * event is still loading: nothing else would ask again */
  settled = item != NULL ? syn_timeline_event_get_loaded (item)
                         : g_list_model_get_n_items (G_LIST_MODEL (self->fold)) == 0 ||
                           !gtk_widget_get_mapped (GTK_WIDGET (self->list_view));
  return settled;
}

static gboolean
sticky_retry (gpointer data)
{
  SynTimelineView *self = data;

  self->sticky_source = 0;
  if (!update_sticky (self) && self->sticky_retries++ < 50)
    self->sticky_source = g_timeout_add (100, sticky_retry, self);
  return G_SOURCE_REMOVE;
}

static gboolean
sticky_tick (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  SynTimelineView *self = data;

  /* a frame's tick comes before its layout: the second tick is after
   * the layout that placed the rows for the new scroll */
  if (self->sticky_ticks++ == 0)
    return G_SOURCE_CONTINUE;
  self->sticky_tick = 0;
  sticky_retry (self);
  return G_SOURCE_REMOVE;
}

static void
queue_sticky (SynTimelineView *self)
{
  self->sticky_retries = 0;
  if (self->sticky_source != 0 || self->sticky_tick != 0)
    return;
  /* not from an idle: one can run between frames and read the layout of
   * before the scroll; once however often it scrolls */
  self->sticky_ticks = 0;
  self->sticky_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self->list_view), sticky_tick, self, NULL);
}

static void
update_status (SynTimelineView *self)
{
  gboolean loading = syn_timeline_model_get_loading (self->model);
  g_autofree char *count = syn_format_count ((gint64) syn_timeline_model_get_total (self->model));
  g_autofree char *text = NULL;

  gtk_spinner_set_spinning (self->spinner, loading || self->chart_busy || self->resolving);
  if (self->session == NULL || syn_session_get_project_id (self->session) == NULL)
    text = g_strdup ("");
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s event", "%s events",
                                         (gulong) syn_timeline_model_get_total (self->model)), count);
  gtk_label_set_text (self->count_label, text);
  /* while a new query loads, the error is the last one's */
  if (!loading && syn_timeline_model_get_error (self->model) != NULL)
    {
      const char *message = syn_timeline_model_get_error (self->model);
      const char *batch = entry_text (GTK_EDITABLE (self->batch_entry));
      GtkWidget *bad = NULL;

      /* the backend refused the batch (no such batch, several): the field is the culprit */
      if (batch != NULL && (strstr (message, batch) != NULL || strstr (message, "correlation_id") != NULL))
        bad = GTK_WIDGET (self->batch_entry);
      mark_field (self, bad, message);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* ------------------------------------------------------------------------- */
/* Actions                                                                   */

static void
show_batch_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  syn_timeline_view_show_batch (SYN_TIMELINE_VIEW (widget), g_variant_get_string (parameter, NULL));
}

static void
rollback_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynTimelineView *self = SYN_TIMELINE_VIEW (widget);
  const char *correlation_id = g_variant_get_string (parameter, NULL);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (!syn_uuid_is_valid (correlation_id) || shows_past (self))
    return;
  /* it presents itself once it knows what depends on the batch */
  syn_rollback_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->session, correlation_id,
                           syn_timeline_model_get_batch (self->model, correlation_id));
}

/* Applies a rolled-back batch again (or undoes a rollback): no dialog, as
 * the redo can itself be rolled back; the banner says what it did. */
static void
redo_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynTimelineView *self = SYN_TIMELINE_VIEW (widget);
  const char *correlation_id = g_variant_get_string (parameter, NULL);

  if (!syn_uuid_is_valid (correlation_id) || self->session == NULL || shows_past (self))
    return;
  syn_session_redo (self->session, correlation_id);
}

/* As edits, imports and runs are while the window shows a past moment:
 * Roll Back and Redo are off until it shows now again. */
static void
on_as_of_changed (SynTimelineView *self)
{
  gboolean now = !shows_past (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.rollback", now);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.redo", now);
  update_menu_actions (self);
}

/* ------------------------------------------------------------------------- */
/* Session                                                                   */

static void
rebuild_rules (SynTimelineView *self)
{
  GListModel *rules = self->session ? syn_session_get_rules (self->session) : NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const char *selected = NULL;
  guint select = 0, n = rules ? g_list_model_get_n_items (rules) : 0;
  g_autofree char *keep = NULL;

  if (gtk_drop_down_get_selected (self->rule_dropdown) < self->rule_ids->len)
    selected = self->rule_ids->pdata[gtk_drop_down_get_selected (self->rule_dropdown)];
  keep = g_strdup (selected);
  g_ptr_array_set_size (self->rule_ids, 0);
  g_ptr_array_add (self->rule_ids, NULL);
  g_ptr_array_add (names, (gpointer) _("Any rule"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SynJsonItem) rule = g_list_model_get_item (rules, i);

      g_ptr_array_add (self->rule_ids, g_strdup (syn_json_item_get_string (rule, "id")));
      g_ptr_array_add (names, (gpointer) syn_json_item_get_label (rule));
      if (keep != NULL && g_strcmp0 (keep, syn_json_item_get_string (rule, "id")) == 0)
        select = i + 1;
    }
  g_ptr_array_add (names, NULL);
  self->updating_filters = TRUE;
  gtk_string_list_splice (self->rule_names, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rule_names)),
                          (const char * const *) names->pdata);
  gtk_drop_down_set_selected (self->rule_dropdown, select);
  self->updating_filters = FALSE;
}

static void
on_rules_changed (GListModel *rules, guint position, guint removed, guint added, SynTimelineView *self)
{
  rebuild_rules (self);
}

static void
on_project_changed (SynTimelineView *self)
{
  /* an asset tag or a batch of another project means nothing here */
  self->reload_pending = FALSE;
  gtk_widget_set_visible (self->new_events_button, FALSE);
  clear_filters (self);
  g_clear_pointer (&self->asset_id, g_free);
  g_clear_pointer (&self->asset_tag, g_free);
  g_clear_pointer (&self->compare_batch, g_free);
  g_clear_pointer (&self->compare_label, g_free);
  g_clear_pointer (&self->chart_key, g_free);
  /* answers for the chart of the project that was are dropped */
  self->chart_generation++;
  if (self->chart_busy)
    {
      self->chart_busy = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
  syn_timeline_model_set_backend (self->model, self->session ? syn_session_get_backend (self->session) : NULL);
  schedule_apply (self, TRUE);
}

static void
reload (SynTimelineView *self)
{
  self->reload_pending = FALSE;
  gtk_widget_set_visible (self->new_events_button, FALSE);
  if (syn_timeline_model_get_query (self->model) == NULL)
    {
      schedule_apply (self, TRUE);
      return;
    }
  syn_timeline_model_reload (self->model);
  start_chart (self, TRUE);
}

static gboolean
scrolled_down (SynTimelineView *self)
{
  return gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (self->scroller)) > 0;
}

/* Our own changes show at once; someone else's wait while the list is
 * scrolled down, so that what is being read does not jump away. */
static void
on_revision_changed (SynTimelineView *self)
{
  if (self->session == NULL || syn_session_get_backend (self->session) == NULL)
    return;
  if (syn_session_get_external_change (self->session) && scrolled_down (self))
    {
      self->reload_pending = TRUE;
      gtk_widget_set_visible (self->new_events_button, TRUE);
      return;
    }
  reload (self);
}

static void
on_new_events_clicked (SynTimelineView *self)
{
  reload (self);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
}

static void
on_scrolled (GtkAdjustment *adjustment, SynTimelineView *self)
{
  if (self->reload_pending && gtk_adjustment_get_value (adjustment) <= 0)
    reload (self);
  queue_sticky (self);
}

static void
on_show_batch (SynSession *session, const char *correlation_id, SynTimelineView *self)
{
  syn_timeline_view_show_batch (self, correlation_id);
}

void
syn_timeline_view_set_session (SynTimelineView *self, SynSession *session)
{
  g_return_if_fail (SYN_IS_TIMELINE_VIEW (self));
  g_return_if_fail (session == NULL || SYN_IS_SESSION (session));

  if (self->session == session)
    return;
  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      g_signal_handlers_disconnect_by_data (syn_session_get_rules (self->session), self);
    }
  g_set_object (&self->session, session);
  if (session != NULL)
    {
      g_signal_connect_swapped (session, "notify::project", G_CALLBACK (on_project_changed), self);
      g_signal_connect_swapped (session, "notify::backend", G_CALLBACK (on_project_changed), self);
      g_signal_connect_swapped (session, "notify::revision", G_CALLBACK (on_revision_changed), self);
      g_signal_connect_swapped (session, "notify::as-of", G_CALLBACK (on_as_of_changed), self);
      g_signal_connect (session, "show-batch", G_CALLBACK (on_show_batch), self);
      g_signal_connect (syn_session_get_rules (session), "items-changed", G_CALLBACK (on_rules_changed), self);
    }
  rebuild_rules (self);
  on_project_changed (self);
  on_as_of_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

/* ------------------------------------------------------------------------- */

static void
syn_timeline_view_dispose (GObject *object)
{
  SynTimelineView *self = SYN_TIMELINE_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->resolve_cancellable);
  self->chart_generation++;
  g_clear_handle_id (&self->apply_source, g_source_remove);
  g_clear_handle_id (&self->compact_source, g_source_remove);
  g_clear_handle_id (&self->sticky_source, g_source_remove);
  if (self->sticky_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->list_view), self->sticky_tick);
  self->sticky_tick = 0;
  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      g_signal_handlers_disconnect_by_data (syn_session_get_rules (self->session), self);
    }
  g_clear_object (&self->session);
  if (self->scroller != NULL)
    {
      g_signal_handlers_disconnect_by_data (gtk_scrolled_window_get_vadjustment (self->scroller), self);
      g_signal_handlers_disconnect_by_data (gtk_scrolled_window_get_hadjustment (self->scroller), self);
    }
  g_cancellable_cancel (self->fold_cancellable);
  if (self->fold != NULL)
    g_signal_handlers_disconnect_by_data (self->fold, self);
  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  g_clear_pointer (&self->menu, gtk_widget_unparent);
  g_clear_object (&self->selection);
  g_clear_object (&self->fold);
  syn_ui_dispose_template (GTK_WIDGET (self), SYN_TYPE_TIMELINE_VIEW);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (syn_timeline_view_parent_class)->dispose (object);
}

static void
syn_timeline_view_finalize (GObject *object)
{
  SynTimelineView *self = SYN_TIMELINE_VIEW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->resolve_cancellable);
  g_clear_object (&self->fold_cancellable);
  g_clear_pointer (&self->menu_event, json_object_unref);
  g_clear_pointer (&self->compare_batch, g_free);
  g_clear_pointer (&self->compare_label, g_free);
  g_clear_object (&self->rule_names);
  g_clear_object (&self->discipline_names);
  g_clear_pointer (&self->rule_ids, g_ptr_array_unref);
  g_clear_pointer (&self->type_checks, g_ptr_array_unref);
  g_clear_pointer (&self->asset_id, g_free);
  g_clear_pointer (&self->asset_tag, g_free);
  g_clear_pointer (&self->chart_key, g_free);
  g_clear_pointer (&self->chart_query, json_object_unref);
  g_clear_pointer (&self->chart_bounds, g_array_unref);
  g_clear_pointer (&self->chart_counts, g_array_unref);
  g_clear_pointer (&self->series_counts, g_array_unref);
  g_clear_pointer (&self->series_names, g_ptr_array_unref);

  G_OBJECT_CLASS (syn_timeline_view_parent_class)->finalize (object);
}

static void
syn_timeline_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SynTimelineView *self = SYN_TIMELINE_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, syn_timeline_view_get_busy (self));
      break;
    case PROP_INCLUDE_ROLLED_BACK:
      g_value_set_boolean (value, gtk_check_button_get_active (self->rolled_back_check));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
syn_timeline_view_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SynTimelineView *self = SYN_TIMELINE_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      syn_timeline_view_set_session (self, g_value_get_object (value));
      break;
    case PROP_INCLUDE_ROLLED_BACK:
      gtk_check_button_set_active (self->rolled_back_check, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
syn_timeline_view_class_init (SynTimelineViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = syn_timeline_view_dispose;
  object_class->finalize = syn_timeline_view_finalize;
  object_class->get_property = syn_timeline_view_get_property;
  object_class->set_property = syn_timeline_view_set_property;

  properties[PROP_SESSION] = syn_ui_session_param_spec ();
  properties[PROP_BUSY] = syn_ui_busy_param_spec ();
  properties[PROP_INCLUDE_ROLLED_BACK] =
    g_param_spec_boolean ("include-rolled-back", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SYN_TYPE_TIMELINE_CHART);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/synapse_rules/Synapse/ui/syn-timeline-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SynTimelineView, asset_entry);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineView, rule_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineView, discipline_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineView, types_button);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineView, types_box);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineView, batch_entry);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineView, from_entry);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineView, to_entry);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineView, rolled_back_check);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineView, chart);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineView, stack_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineView, count_label);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineView, spinner);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineView, error_label);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineView, scroller);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineView, sticky_box);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineView, filter_box);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineView, filter_revealer);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineView, filters_toggle);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineView, list_view);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineView, new_events_button);
  gtk_widget_class_bind_template_callback (widget_class, on_new_events_clicked);

  gtk_widget_class_install_action (widget_class, "timeline.show-batch", "s", show_batch_action);
  gtk_widget_class_install_action (widget_class, "timeline.rollback", "s", rollback_action);
  gtk_widget_class_install_action (widget_class, "timeline.redo", "s", redo_action);
  gtk_widget_class_install_action (widget_class, "timeline.clear-filters", NULL, clear_filters_action);
  gtk_widget_class_install_action (widget_class, "timeline.toggle-batch", "u", toggle_batch_action);
  gtk_widget_class_install_action (widget_class, "timeline.context-menu", NULL, context_menu_action);
  gtk_widget_class_install_action (widget_class, "timeline.open-row", NULL, open_row_action);
  gtk_widget_class_install_action (widget_class, "timeline.copy-tag", NULL, copy_tag_action);
  gtk_widget_class_install_action (widget_class, "timeline.filter-row-batch", NULL, filter_row_batch_action);
  gtk_widget_class_install_action (widget_class, "timeline.roll-back-row-batch", NULL, roll_back_row_batch_action);
  gtk_widget_class_install_action (widget_class, "timeline.show-as-of", "s", show_as_of_action);
  gtk_widget_class_install_action (widget_class, "timeline.show-as-of-row", NULL, show_as_of_row_action);
  gtk_widget_class_install_action (widget_class, "timeline.compare-now-row", NULL, compare_now_row_action);
  gtk_widget_class_install_action (widget_class, "timeline.mark-compare-row", NULL, mark_compare_row_action);
  gtk_widget_class_install_action (widget_class, "timeline.compare-marked-row", NULL, compare_marked_row_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "timeline.context-menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "timeline.context-menu", NULL);

  gtk_widget_class_set_css_name (widget_class, "timelineview");
}

static GtkWidget *
ellipsized_label_factory_item (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 36);
  return label;
}

static void
dropdown_setup (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer data)
{
  gtk_list_item_set_child (list_item, ellipsized_label_factory_item ());
}

static void
dropdown_bind (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer data)
{
  GtkStringObject *string = gtk_list_item_get_item (list_item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (list_item)), gtk_string_object_get_string (string));
}

static void
syn_timeline_view_init (SynTimelineView *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkListItemFactory) label_factory = gtk_signal_list_item_factory_new ();
  const char * const *disciplines = syn_disciplines ();
  const char * const *types = syn_event_types ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->rule_ids = g_ptr_array_new_with_free_func (g_free);
  self->type_checks = g_ptr_array_new ();
  self->chart_bounds = g_array_new (FALSE, TRUE, sizeof (gint64));
  self->chart_counts = g_array_new (FALSE, TRUE, sizeof (guint64));
  self->series_counts = g_array_new (FALSE, TRUE, sizeof (guint64));
  self->series_names = g_ptr_array_new_with_free_func (g_free);
  self->chart_step = (gint64) 3600 * G_USEC_PER_SEC;
  self->model = syn_timeline_model_new ();

  /* dropdowns: long rule names are ellipsized, the list shows them whole */
  g_signal_connect (label_factory, "setup", G_CALLBACK (dropdown_setup), NULL);
  g_signal_connect (label_factory, "bind", G_CALLBACK (dropdown_bind), NULL);
  self->rule_names = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (self->rule_dropdown, G_LIST_MODEL (self->rule_names));
  gtk_drop_down_set_factory (self->rule_dropdown, label_factory);
  self->discipline_names = gtk_string_list_new (NULL);
  gtk_string_list_append (self->discipline_names, _("Any discipline"));
  for (guint i = 0; disciplines[i]; i++)
    gtk_string_list_append (self->discipline_names, syn_format_discipline (disciplines[i]));
  gtk_drop_down_set_model (self->discipline_dropdown, G_LIST_MODEL (self->discipline_names));
  g_signal_connect_swapped (self->rule_dropdown, "notify::selected", G_CALLBACK (on_choice_changed), self);
  g_signal_connect_swapped (self->discipline_dropdown, "notify::selected", G_CALLBACK (on_choice_changed), self);

  for (guint i = 0; types[i]; i++)
    {
      GtkWidget *check = gtk_check_button_new_with_label (syn_format_event_type (types[i]));

      g_object_set_data (G_OBJECT (check), "value", (gpointer) types[i]);
      gtk_widget_set_tooltip_text (check, types[i]);
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (on_type_toggled), self);
      gtk_box_append (self->types_box, check);
      g_ptr_array_add (self->type_checks, check);
    }
  update_types_label (self);

  g_signal_connect_swapped (self->asset_entry, "search-changed", G_CALLBACK (on_text_changed), self);
  g_signal_connect_swapped (self->asset_entry, "activate", G_CALLBACK (on_choice_changed), self);
  g_signal_connect_swapped (self->batch_entry, "changed", G_CALLBACK (on_text_changed), self);
  g_signal_connect_swapped (self->batch_entry, "activate", G_CALLBACK (on_choice_changed), self);
  g_signal_connect (self->batch_entry, "icon-press", G_CALLBACK (on_batch_icon), self);
  g_signal_connect_swapped (self->from_entry, "changed", G_CALLBACK (on_text_changed), self);
  g_signal_connect_swapped (self->from_entry, "activate", G_CALLBACK (on_choice_changed), self);
  g_signal_connect_swapped (self->to_entry, "changed", G_CALLBACK (on_text_changed), self);
  g_signal_connect_swapped (self->to_entry, "activate", G_CALLBACK (on_choice_changed), self);
  g_signal_connect_swapped (self->rolled_back_check, "toggled", G_CALLBACK (on_rolled_back_toggled), self);
  g_signal_connect (self->chart, "bucket-activated", G_CALLBACK (on_bucket_activated), self);
  g_signal_connect_swapped (self->stack_dropdown, "notify::selected", G_CALLBACK (on_stack_changed), self);
  self->from_picker = add_date_picker (self, GTK_WIDGET (self->from_entry), _("Pick the first day"));
  self->to_picker = add_date_picker (self, GTK_WIDGET (self->to_entry), _("Pick the last day"));

  g_signal_connect (factory, "setup", G_CALLBACK (row_setup), self);
  g_signal_connect (factory, "bind", G_CALLBACK (row_bind), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (row_unbind), self);
  gtk_list_view_set_factory (self->list_view, factory);
  self->fold = syn_timeline_fold_new (G_LIST_MODEL (self->model));
  self->fold_cancellable = g_cancellable_new ();
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->fold)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  {
    GtkGesture *click = gtk_gesture_click_new ();
    g_autoptr(GMenu) menu = g_menu_new ();
    g_autoptr(GMenu) batch_section = g_menu_new ();
    g_autoptr(GMenu) past_section = g_menu_new ();

    gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
    g_signal_connect (click, "pressed", G_CALLBACK (on_secondary_click), self);
    gtk_widget_add_controller (GTK_WIDGET (self->list_view), GTK_EVENT_CONTROLLER (click));
    g_menu_append (menu, _("_Open"), "timeline.open-row");
    g_menu_append (menu, _("_Copy Tag"), "timeline.copy-tag");
    g_menu_append (batch_section, _("Only _This Batch"), "timeline.filter-row-batch");
    g_menu_append (batch_section, _("_Roll Back Batch…"), "timeline.roll-back-row-batch");
    g_menu_append_section (menu, NULL, G_MENU_MODEL (batch_section));
    g_menu_append (past_section, _("_Show the Project as of This Event"), "timeline.show-as-of-row");
    g_menu_append (past_section, _("Compare with _Now"), "timeline.compare-now-row");
    g_menu_append (past_section, _("_Mark for Comparison"), "timeline.mark-compare-row");
    g_menu_append (past_section, _("Compare with _Marked Batch"), "timeline.compare-marked-row");
    g_menu_append_section (menu, NULL, G_MENU_MODEL (past_section));
    self->menu = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
    gtk_popover_set_has_arrow (GTK_POPOVER (self->menu), FALSE);
    gtk_popover_set_position (GTK_POPOVER (self->menu), GTK_POS_BOTTOM);
    gtk_widget_set_halign (self->menu, GTK_ALIGN_START);
    gtk_widget_set_parent (self->menu, GTK_WIDGET (self));
  }
  self->sticky_row = syn_timeline_row_new (self->model);
  syn_timeline_row_set_header_only (SYN_TIMELINE_ROW (self->sticky_row), TRUE);
  gtk_box_append (GTK_BOX (self->sticky_box), self->sticky_row);
  g_signal_connect_swapped (self->fold, "items-changed", G_CALLBACK (queue_sticky), self);
  g_signal_connect (gtk_scrolled_window_get_hadjustment (self->scroller), "notify::page-size",
                    G_CALLBACK (on_list_width), self);
  g_signal_connect_swapped (self->filters_toggle, "toggled", G_CALLBACK (on_filters_toggled), self);
  /* the filters' wrappers are not stops of their own for Tab */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->filter_box)); child;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_set_focusable (child, FALSE);
  g_signal_connect (self->list_view, "activate", G_CALLBACK (on_activate), self);
  g_signal_connect (gtk_scrolled_window_get_vadjustment (self->scroller), "value-changed",
                    G_CALLBACK (on_scrolled), self);
  g_signal_connect_swapped (self->model, "notify::loading", G_CALLBACK (update_status), self);
  g_signal_connect_swapped (self->model, "notify::total", G_CALLBACK (update_status), self);
  /* a reload refills the rows in place: folds made on the old ones go */
  g_signal_connect_object (self->model, "notify::total", G_CALLBACK (syn_timeline_fold_expand_all), self->fold,
                           G_CONNECT_SWAPPED);
  g_signal_connect_swapped (self->model, "notify::error", G_CALLBACK (update_status), self);
}

SynSession *
syn_timeline_view_get_session (SynTimelineView *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_VIEW (self), NULL);
  return self->session;
}

SynTimelineModel *
syn_timeline_view_get_model (SynTimelineView *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_VIEW (self), NULL);
  return self->model;
}

SynTimelineChart *
syn_timeline_view_get_chart (SynTimelineView *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_VIEW (self), NULL);
  return self->chart;
}

GtkWidget *
syn_timeline_view_get_list_view (SynTimelineView *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_VIEW (self), NULL);
  return GTK_WIDGET (self->list_view);
}

/* Whether a query, a tag lookup or the chart is on its way (or typed
 * filters wait to be applied). */
gboolean
syn_timeline_view_get_busy (SynTimelineView *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_VIEW (self), FALSE);
  return self->apply_source != 0 || self->resolving || self->chart_busy ||
         syn_timeline_model_get_loading (self->model);
}

/* Only the batch's events, whatever the other filters said. */
void
syn_timeline_view_show_batch (SynTimelineView *self, const char *correlation_id)
{
  g_return_if_fail (SYN_IS_TIMELINE_VIEW (self));
  g_return_if_fail (correlation_id != NULL);

  clear_filters (self);
  self->updating_filters = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->batch_entry), correlation_id);
  self->updating_filters = FALSE;
  schedule_apply (self, TRUE);
}

void
syn_timeline_view_focus_search (SynTimelineView *self)
{
  g_return_if_fail (SYN_IS_TIMELINE_VIEW (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->asset_entry));
}
