/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-timeline-chart.c: SynTimelineChart, a bar chart of events per hour or per day, drawn with
 * GtkSnapshot in the theme's colours; a click (or Enter) on a bar asks for that period. */
#include "config.h"

#include <glib/gi18n.h>

#include "syn-timeline-chart.h"
#include "syn-ui-format.h"

#define PAD          6.0
#define LABEL_HEIGHT 16.0

struct _SynTimelineChart
{
  GtkWidget  parent_instance;

  GArray    *bounds;      /* gint64: n + 1 period bounds, local hours or days */
  GArray    *counts;      /* guint64 */
  gboolean   hourly;
  guint64    max;
  int        hovered;
  int        selected;
  char      *message;
};

G_DEFINE_FINAL_TYPE (SynTimelineChart, syn_timeline_chart, GTK_TYPE_WIDGET)

enum {
  SIGNAL_BUCKET_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
get_fg_color (GtkWidget *widget, GdkRGBA *color)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), color);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static graphene_rect_t
plot_area (SynTimelineChart *self)
{
  double w = gtk_widget_get_width (GTK_WIDGET (self));
  double h = gtk_widget_get_height (GTK_WIDGET (self));

  return GRAPHENE_RECT_INIT (PAD, PAD, MAX (0, w - 2 * PAD), MAX (0, h - 2 * PAD - LABEL_HEIGHT));
}

static int
bucket_at (SynTimelineChart *self, double x)
{
  graphene_rect_t area = plot_area (self);
  int index;

  if (self->counts->len == 0 || x < area.origin.x || x >= area.origin.x + area.size.width)
    return -1;
  index = (int) ((x - area.origin.x) / (area.size.width / self->counts->len));
  return CLAMP (index, 0, (int) self->counts->len - 1);
}

static void
append_text (GtkSnapshot *snapshot, GtkWidget *widget, const char *text, double x, double y,
             gboolean align_right, const GdkRGBA *color)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (align_right ? x - width : x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
  g_object_unref (layout);
}

static void
syn_timeline_chart_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  SynTimelineChart *self = SYN_TIMELINE_CHART (widget);
  graphene_rect_t area = plot_area (self);
  GdkRGBA fg, bar, strong, dim;
  double slot, height = gtk_widget_get_height (widget);

  get_fg_color (widget, &fg);
  bar = strong = dim = fg;
  bar.alpha *= 0.35;
  strong.alpha *= 0.85;
  dim.alpha *= 0.6;

  if (self->counts->len == 0 || self->max == 0)
    {
      if (self->message != NULL)
        append_text (snapshot, widget, self->message, area.origin.x, area.origin.y, FALSE, &dim);
      return;
    }

  slot = area.size.width / self->counts->len;
  for (guint i = 0; i < self->counts->len; i++)
    {
      guint64 count = g_array_index (self->counts, guint64, i);
      double h = count == 0 ? 0 : MAX (2.0, area.size.height * count / self->max);
      double gap = slot > 6 ? 2 : (slot > 3 ? 1 : 0);
      gboolean strong_bar = (int) i == self->hovered || (int) i == self->selected;

      gtk_snapshot_append_color (snapshot, strong_bar ? &strong : &bar,
                                 &GRAPHENE_RECT_INIT (area.origin.x + i * slot + gap / 2,
                                                      area.origin.y + area.size.height - h,
                                                      MAX (1, slot - gap), h));
      /* the selected period is marked by more than its colour: an underline */
      if ((int) i == self->selected)
        gtk_snapshot_append_color (snapshot, &fg,
                                   &GRAPHENE_RECT_INIT (area.origin.x + i * slot, area.origin.y + area.size.height + 1,
                                                        slot, 2));
    }
  /* baseline, period bounds, the scale */
  gtk_snapshot_append_color (snapshot, &dim,
                             &GRAPHENE_RECT_INIT (area.origin.x, area.origin.y + area.size.height, area.size.width, 1));
  {
    gboolean hours = self->hourly;
    g_autofree char *first = syn_format_time_usec (g_array_index (self->bounds, gint64, 0), hours);
    g_autofree char *last = syn_format_time_usec (g_array_index (self->bounds, gint64, self->counts->len - 1), hours);
    g_autofree char *max = syn_format_count ((gint64) self->max);
    /* Translators: the highest bar of the events chart, e.g. "max 1,234 per hour" */
    g_autofree char *scale = g_strdup_printf (hours ? _("max %s per hour") : _("max %s per day"), max);

    append_text (snapshot, widget, first, area.origin.x, height - LABEL_HEIGHT - 2, FALSE, &dim);
    append_text (snapshot, widget, last, area.origin.x + area.size.width, height - LABEL_HEIGHT - 2, TRUE, &dim);
    append_text (snapshot, widget, scale, area.origin.x + area.size.width, area.origin.y, TRUE, &dim);
  }
  if (gtk_widget_has_visible_focus (widget) && self->selected >= 0)
    gtk_snapshot_append_color (snapshot, &strong,
                               &GRAPHENE_RECT_INIT (area.origin.x + self->selected * slot, area.origin.y, slot, 1));
}

static void
syn_timeline_chart_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 160;
      *natural = 600;
    }
  else
    {
      *minimum = 72;
      *natural = 84;
    }
}

static void
on_motion (GtkEventControllerMotion *motion, double x, double y, SynTimelineChart *self)
{
  int index = bucket_at (self, x);

  if (index != self->hovered)
    {
      self->hovered = index;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
on_leave (GtkEventControllerMotion *motion, SynTimelineChart *self)
{
  self->hovered = -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_released (GtkGestureClick *click, int n_press, double x, double y, SynTimelineChart *self)
{
  int index = bucket_at (self, x);

  if (index >= 0)
    syn_timeline_chart_activate_bucket (self, (guint) index);
}

static gboolean
on_key (GtkEventControllerKey *key, guint keyval, guint keycode, GdkModifierType state, SynTimelineChart *self)
{
  int n = (int) self->counts->len;

  if (n == 0)
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      syn_timeline_chart_set_selected (self, self->selected <= 0 ? 0 : self->selected - 1);
      return TRUE;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      syn_timeline_chart_set_selected (self, self->selected < 0 ? n - 1 : MIN (n - 1, self->selected + 1));
      return TRUE;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_space:
      if (self->selected >= 0)
        syn_timeline_chart_activate_bucket (self, (guint) self->selected);
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
on_query_tooltip (GtkWidget *widget, int x, int y, gboolean keyboard, GtkTooltip *tooltip, SynTimelineChart *self)
{
  int index = keyboard ? self->selected : bucket_at (self, x);
  gboolean hours = self->hourly;
  g_autofree char *when = NULL;
  g_autofree char *count = NULL;
  g_autofree char *text = NULL;

  if (index < 0)
    return FALSE;
  when = syn_format_time_usec (g_array_index (self->bounds, gint64, index), hours);
  count = syn_format_count ((gint64) g_array_index (self->counts, guint64, index));
  /* Translators: tooltip of a bar of the events chart: a date (and hour), a count */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s: %s event — click to show this period",
                                       "%s: %s events — click to show this period",
                                       (gulong) g_array_index (self->counts, guint64, index)), when, count);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
syn_timeline_chart_finalize (GObject *object)
{
  SynTimelineChart *self = SYN_TIMELINE_CHART (object);

  g_clear_pointer (&self->counts, g_array_unref);
  g_clear_pointer (&self->bounds, g_array_unref);
  g_clear_pointer (&self->message, g_free);

  G_OBJECT_CLASS (syn_timeline_chart_parent_class)->finalize (object);
}

static void
syn_timeline_chart_class_init (SynTimelineChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = syn_timeline_chart_finalize;
  widget_class->snapshot = syn_timeline_chart_snapshot;
  widget_class->measure = syn_timeline_chart_measure;

  /**
   * SynTimelineChart::bucket-activated:
   * @from_usec: the period's first microsecond
   * @to_usec: its last microsecond (inclusive, as the timeline's to_date)
   */
  signals[SIGNAL_BUCKET_ACTIVATED] =
    g_signal_new ("bucket-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT64);

  gtk_widget_class_set_css_name (widget_class, "timelinechart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
syn_timeline_chart_init (SynTimelineChart *self)
{
  GtkEventController *controller;

  self->counts = g_array_new (FALSE, TRUE, sizeof (guint64));
  self->bounds = g_array_new (FALSE, TRUE, sizeof (gint64));
  self->hovered = -1;
  self->selected = -1;
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "pointer");
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), self);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (controller, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
  g_signal_connect (controller, "released", G_CALLBACK (on_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_key), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Events over time"), -1);
}

GtkWidget *
syn_timeline_chart_new (void)
{
  return g_object_new (SYN_TYPE_TIMELINE_CHART, NULL);
}

/* @bounds: @n_buckets + 1 increasing times (microseconds): bucket i is
 * [bounds[i], bounds[i + 1]). Local days are not all 24 hours long. */
void
syn_timeline_chart_set_buckets (SynTimelineChart *self,
                                const gint64     *bounds,
                                const guint64    *counts,
                                guint             n_buckets,
                                gboolean          hourly)
{
  g_return_if_fail (SYN_IS_TIMELINE_CHART (self));
  g_return_if_fail (n_buckets == 0 || (bounds != NULL && counts != NULL));

  self->hourly = hourly;
  g_array_set_size (self->bounds, 0);
  if (n_buckets > 0)
    g_array_append_vals (self->bounds, bounds, n_buckets + 1);
  g_array_set_size (self->counts, 0);
  g_array_append_vals (self->counts, counts, n_buckets);
  self->max = 0;
  for (guint i = 0; i < n_buckets; i++)
    self->max = MAX (self->max, counts[i]);
  self->hovered = -1;
  if (self->selected >= (int) n_buckets)
    self->selected = -1;
  g_clear_pointer (&self->message, g_free);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
syn_timeline_chart_clear (SynTimelineChart *self, const char *message)
{
  g_return_if_fail (SYN_IS_TIMELINE_CHART (self));

  g_array_set_size (self->counts, 0);
  g_array_set_size (self->bounds, 0);
  self->max = 0;
  self->selected = -1;
  self->hovered = -1;
  g_free (self->message);
  self->message = g_strdup (message);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
syn_timeline_chart_get_n_buckets (SynTimelineChart *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_CHART (self), 0);
  return self->counts->len;
}

guint64
syn_timeline_chart_get_count (SynTimelineChart *self, guint index)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_CHART (self), 0);
  g_return_val_if_fail (index < self->counts->len, 0);
  return g_array_index (self->counts, guint64, index);
}

void
syn_timeline_chart_set_selected (SynTimelineChart *self, int index)
{
  g_return_if_fail (SYN_IS_TIMELINE_CHART (self));

  if (index >= (int) self->counts->len)
    index = -1;
  self->selected = index;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
syn_timeline_chart_activate_bucket (SynTimelineChart *self, guint index)
{
  gint64 from;

  g_return_if_fail (SYN_IS_TIMELINE_CHART (self));
  g_return_if_fail (index < self->counts->len);

  self->selected = (int) index;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  from = g_array_index (self->bounds, gint64, index);
  g_signal_emit (self, signals[SIGNAL_BUCKET_ACTIVATED], 0, from, g_array_index (self->bounds, gint64, index + 1) - 1);
}
