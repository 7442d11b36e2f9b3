/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-timeline-chart.c: SynTimelineChart, a bar chart of events per period with a count axis and a
 * time axis, stacked by series, drawn with GtkSnapshot; a click (or Enter) on a bar asks for that period. */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "syn-timeline-chart.h"
#include "syn-ui-format.h"

#define PAD          6.0
#define LABEL_HEIGHT 16.0
#define LEGEND_HEIGHT 18.0
#define DAY_USEC     ((gint64) 86400 * G_USEC_PER_SEC)

struct _SynTimelineChart
{
  GtkWidget  parent_instance;

  GArray    *bounds;      /* gint64: n + 1 period bounds, local minutes, hours or days */
  GArray    *counts;      /* guint64 */
  gint64     step;        /* the periods' length (days: DAY_USEC, give or take a time change) */
  guint64    max;
  guint64    min_nonzero;
  GPtrArray *series_names;
  GArray    *series;      /* guint64, n_series × n buckets, series by series */
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

/* The series' colours: the GNOME palette, readable on light and dark. */
static const GdkRGBA palette[] = {
  { 0.21, 0.52, 0.89, 1 },   /* blue 3 */
  { 0.20, 0.82, 0.48, 1 },   /* green 3 */
  { 0.96, 0.76, 0.07, 1 },   /* yellow 3 */
  { 1.00, 0.47, 0.00, 1 },   /* orange 3 */
  { 0.88, 0.11, 0.14, 1 },   /* red 3 */
  { 0.57, 0.25, 0.67, 1 },   /* purple 3 */
  { 0.60, 0.45, 0.33, 1 },   /* brown 3 */
  { 0.60, 0.60, 0.58, 1 },   /* light 5 */
};

static void
get_fg_color (GtkWidget *widget, GdkRGBA *color)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), color);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

gboolean
syn_timeline_chart_get_log_scale (SynTimelineChart *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_CHART (self), FALSE);
  return self->min_nonzero > 0 && self->max / self->min_nonzero >= SYN_TIMELINE_CHART_LOG_RATIO;
}

static int
text_width (GtkWidget *widget, const char *text)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
  int width;

  pango_layout_get_pixel_size (layout, &width, NULL);
  g_object_unref (layout);
  return width;
}

/* Room on the left for the count axis' widest label. */
static double
axis_width (SynTimelineChart *self)
{
  g_autofree char *max = syn_format_count ((gint64) self->max);

  return self->counts->len == 0 ? 0 : text_width (GTK_WIDGET (self), max) + 6;
}

static graphene_rect_t
plot_area (SynTimelineChart *self)
{
  double w = gtk_widget_get_width (GTK_WIDGET (self));
  double h = gtk_widget_get_height (GTK_WIDGET (self));
  double left = PAD + axis_width (self);

  return GRAPHENE_RECT_INIT (left, PAD + LEGEND_HEIGHT, MAX (0, w - left - PAD),
                             MAX (0, h - 2 * PAD - LABEL_HEIGHT - LEGEND_HEIGHT));
}

/* A count's height in the plot, linear or log (1 is one step above 0). */
static double
scaled (SynTimelineChart *self, guint64 count, double height)
{
  if (count == 0 || self->max == 0)
    return 0;
  if (syn_timeline_chart_get_log_scale (self))
    return height * log10 ((double) count + 1) / log10 ((double) self->max + 1);
  return height * (double) count / (double) self->max;
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

/* A period's start as the time axis writes it: the time of day for periods
 * shorter than a day, the date for days (the first label has both). */
static char *
time_label (SynTimelineChart *self, gint64 usec, gboolean full)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;

  if (local == NULL)
    return g_strdup ("—");
  if (self->step >= DAY_USEC)
    return g_date_time_format (local, full ? "%Y-%m-%d" : "%m-%d");
  return g_date_time_format (local, full ? "%Y-%m-%d %H:%M" : "%H:%M");
}

/* The count axis: 0 and the highest bar (linear), or the powers of ten
 * up to it (log), with faint lines across. */
static void
draw_count_axis (SynTimelineChart *self, GtkSnapshot *snapshot, graphene_rect_t *area, const GdkRGBA *dim,
                 const GdkRGBA *grid)
{
  GtkWidget *widget = GTK_WIDGET (self);
  double bottom = area->origin.y + area->size.height;
  double last_y = G_MAXDOUBLE;
  g_autofree char *max = syn_format_count ((gint64) self->max);

  append_text (snapshot, widget, "0", area->origin.x - 4, bottom - LABEL_HEIGHT / 2 - 1, TRUE, dim);
  if (syn_timeline_chart_get_log_scale (self))
    for (guint64 tick = 10; tick < self->max; tick *= 10)
      {
        double y = bottom - scaled (self, tick, area->size.height);
        g_autofree char *text = syn_format_count ((gint64) tick);

        if (last_y - y < LABEL_HEIGHT || y - area->origin.y < LABEL_HEIGHT)
          continue;
        gtk_snapshot_append_color (snapshot, grid, &GRAPHENE_RECT_INIT (area->origin.x, y, area->size.width, 1));
        append_text (snapshot, widget, text, area->origin.x - 4, y - LABEL_HEIGHT / 2, TRUE, dim);
        last_y = y;
      }
  gtk_snapshot_append_color (snapshot, grid, &GRAPHENE_RECT_INIT (area->origin.x, area->origin.y,
                                                                  area->size.width, 1));
  append_text (snapshot, widget, max, area->origin.x - 4, area->origin.y - LABEL_HEIGHT / 2, TRUE, dim);
  gtk_snapshot_append_color (snapshot, dim, &GRAPHENE_RECT_INIT (area->origin.x - 1, area->origin.y, 1,
                                                                 area->size.height));
}

/* The time axis: as many period starts as fit without touching. */
static void
draw_time_axis (SynTimelineChart *self, GtkSnapshot *snapshot, graphene_rect_t *area, double slot,
                const GdkRGBA *dim)
{
  GtkWidget *widget = GTK_WIDGET (self);
  double y = area->origin.y + area->size.height + 3;
  g_autofree char *first = time_label (self, g_array_index (self->bounds, gint64, 0), TRUE);
  g_autofree char *sample = time_label (self, g_array_index (self->bounds, gint64, 0), FALSE);
  double first_w = text_width (widget, first) + 12;
  double w = text_width (widget, sample) + 12;
  guint every = MAX (1, (guint) ceil (w / MAX (1, slot)));
  double right = area->origin.x + area->size.width;

  append_text (snapshot, widget, first, area->origin.x, y, FALSE, dim);
  for (guint i = every; i < self->counts->len; i += every)
    {
      double x = area->origin.x + i * slot;
      g_autofree char *text = NULL;

      if (x < area->origin.x + first_w || x + w > right + 6)
        continue;
      text = time_label (self, g_array_index (self->bounds, gint64, i), FALSE);
      gtk_snapshot_append_color (snapshot, dim, &GRAPHENE_RECT_INIT (x, y - 3, 1, 3));
      append_text (snapshot, widget, text, x + 2, y, FALSE, dim);
    }
}

/* The series' names and colours, or what the bars count. */
static void
draw_legend (SynTimelineChart *self, GtkSnapshot *snapshot, graphene_rect_t *area, const GdkRGBA *dim)
{
  GtkWidget *widget = GTK_WIDGET (self);
  double x = area->origin.x + area->size.width;
  double y = PAD;
  double needed = 0;
  gboolean fits;

  /* all the series named, or none (the bars' tooltips name them) */
  for (guint s = 0; s < self->series_names->len; s++)
    needed += text_width (widget, g_ptr_array_index (self->series_names, s)) + 26;
  fits = x - needed >= area->origin.x + 160;
  for (guint s = self->series_names->len; s > 0 && fits; s--)
    {
      const char *name = g_ptr_array_index (self->series_names, s - 1);
      double w = text_width (widget, name);
      gboolean empty = TRUE;

      for (guint i = 0; i < self->counts->len && empty; i++)
        empty = g_array_index (self->series, guint64, (s - 1) * self->counts->len + i) == 0;
      if (empty)
        continue;
      x -= w;
      append_text (snapshot, widget, name, x, y, FALSE, dim);
      x -= 14;
      gtk_snapshot_append_color (snapshot, &palette[(s - 1) % G_N_ELEMENTS (palette)],
                                 &GRAPHENE_RECT_INIT (x, y + 4, 10, 10));
      x -= 12;
    }
  {
    g_autofree char *text = NULL;
    int minutes = (int) (self->step / (60 * G_USEC_PER_SEC)), hours = minutes / 60;

    /* Translators: what the bars of the events chart count */
    if (minutes <= 1)
      text = g_strdup (_("events per minute"));
    else if (minutes < 60)
      text = g_strdup_printf (_("events per %d minutes"), minutes);
    else if (hours <= 1)
      text = g_strdup (_("events per hour"));
    else if (self->step < DAY_USEC)
      text = g_strdup_printf (_("events per %d hours"), hours);
    else
      text = g_strdup (_("events per day"));
    if (syn_timeline_chart_get_log_scale (self))
      {
        /* Translators: the chart's unit, then that its scale is logarithmic */
        g_autofree char *log = g_strdup_printf (_("%s (log scale)"), text);

        g_free (text);
        text = g_steal_pointer (&log);
      }
    append_text (snapshot, widget, text, area->origin.x, y, FALSE, dim);
  }
}

static void
syn_timeline_chart_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  SynTimelineChart *self = SYN_TIMELINE_CHART (widget);
  graphene_rect_t area = plot_area (self);
  GdkRGBA fg, bar, strong, dim, grid;
  guint n = self->counts->len, n_series = self->series_names->len;
  double slot;

  get_fg_color (widget, &fg);
  bar = strong = dim = grid = fg;
  bar.alpha *= 0.35;
  strong.alpha *= 0.85;
  dim.alpha *= 0.7;
  grid.alpha *= 0.1;

  if (n == 0 || self->max == 0)
    {
      if (self->message != NULL)
        append_text (snapshot, widget, self->message, PAD, PAD, FALSE, &dim);
      return;
    }

  slot = area.size.width / n;
  draw_count_axis (self, snapshot, &area, &dim, &grid);
  for (guint i = 0; i < n; i++)
    {
      guint64 count = g_array_index (self->counts, guint64, i);
      double h = count == 0 ? 0 : MAX (2.0, scaled (self, count, area.size.height));
      double gap = slot > 6 ? 2 : (slot > 3 ? 1 : 0);
      double x = area.origin.x + i * slot + gap / 2, w = MAX (1, slot - gap);
      double bottom = area.origin.y + area.size.height;
      gboolean strong_bar = (int) i == self->hovered || (int) i == self->selected;

      if (n_series == 0 || count == 0)
        gtk_snapshot_append_color (snapshot, strong_bar ? &strong : &bar, &GRAPHENE_RECT_INIT (x, bottom - h, w, h));
      else
        /* the bar's height is the total's; each series takes its share of it */
        for (guint s = 0; s < n_series; s++)
          {
            guint64 part = g_array_index (self->series, guint64, s * n + i);
            double ph = h * (double) part / (double) count;
            GdkRGBA color = palette[s % G_N_ELEMENTS (palette)];

            if (part == 0)
              continue;
            color.alpha = strong_bar ? 1.0 : 0.75;
            gtk_snapshot_append_color (snapshot, &color, &GRAPHENE_RECT_INIT (x, bottom - ph, w, ph));
            bottom -= ph;
          }
      /* the selected period is marked by more than its colour: an underline */
      if ((int) i == self->selected)
        gtk_snapshot_append_color (snapshot, &fg,
                                   &GRAPHENE_RECT_INIT (area.origin.x + i * slot, area.origin.y + area.size.height + 1,
                                                        slot, 2));
    }
  gtk_snapshot_append_color (snapshot, &dim,
                             &GRAPHENE_RECT_INIT (area.origin.x, area.origin.y + area.size.height, area.size.width, 1));
  draw_time_axis (self, snapshot, &area, slot, &dim);
  draw_legend (self, snapshot, &area, &dim);
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
      *minimum = 110;
      *natural = 130;
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
  guint64 count;
  g_autofree char *when = NULL;
  g_autofree char *number = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  if (index < 0)
    return FALSE;
  count = g_array_index (self->counts, guint64, index);
  when = syn_format_time_usec (g_array_index (self->bounds, gint64, index), self->step < DAY_USEC);
  number = syn_format_count ((gint64) count);
  /* Translators: tooltip of a bar of the events chart: a date (and time), a count */
  g_string_printf (text, g_dngettext (GETTEXT_PACKAGE, "%s: %s event — click to show this period",
                                      "%s: %s events — click to show this period", (gulong) count), when, number);
  for (guint s = 0; s < self->series_names->len; s++)
    {
      guint64 part = g_array_index (self->series, guint64, s * self->counts->len + (guint) index);
      g_autofree char *p = syn_format_count ((gint64) part);

      if (part > 0)
        g_string_append_printf (text, "\n%s: %s", (const char *) g_ptr_array_index (self->series_names, s), p);
    }
  gtk_tooltip_set_text (tooltip, text->str);
  return TRUE;
}

static void
syn_timeline_chart_finalize (GObject *object)
{
  SynTimelineChart *self = SYN_TIMELINE_CHART (object);

  g_clear_pointer (&self->counts, g_array_unref);
  g_clear_pointer (&self->bounds, g_array_unref);
  g_clear_pointer (&self->series, g_array_unref);
  g_clear_pointer (&self->series_names, g_ptr_array_unref);
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
  self->series = g_array_new (FALSE, TRUE, sizeof (guint64));
  self->series_names = g_ptr_array_new_with_free_func (g_free);
  self->step = (gint64) 3600 * G_USEC_PER_SEC;
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
 * [bounds[i], bounds[i + 1]). Local days are not all 24 hours long.
 * @step_usec: the periods' nominal length. The series go. */
void
syn_timeline_chart_set_buckets (SynTimelineChart *self,
                                const gint64     *bounds,
                                const guint64    *counts,
                                guint             n_buckets,
                                gint64            step_usec)
{
  g_return_if_fail (SYN_IS_TIMELINE_CHART (self));
  g_return_if_fail (n_buckets == 0 || (bounds != NULL && counts != NULL));
  g_return_if_fail (step_usec > 0);

  self->step = step_usec;
  g_array_set_size (self->bounds, 0);
  if (n_buckets > 0)
    g_array_append_vals (self->bounds, bounds, n_buckets + 1);
  g_array_set_size (self->counts, 0);
  g_array_append_vals (self->counts, counts, n_buckets);
  g_array_set_size (self->series, 0);
  g_ptr_array_set_size (self->series_names, 0);
  self->max = 0;
  self->min_nonzero = 0;
  for (guint i = 0; i < n_buckets; i++)
    {
      self->max = MAX (self->max, counts[i]);
      if (counts[i] > 0 && (self->min_nonzero == 0 || counts[i] < self->min_nonzero))
        self->min_nonzero = counts[i];
    }
  self->hovered = -1;
  if (self->selected >= (int) n_buckets)
    self->selected = -1;
  g_clear_pointer (&self->message, g_free);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Splits each bar: @counts holds @n_series rows of as many counts as there
 * are buckets, which add up to each bucket's count (0 series: plain bars). */
void
syn_timeline_chart_set_series (SynTimelineChart   *self,
                               const char * const *names,
                               const guint64      *counts,
                               guint               n_series)
{
  g_return_if_fail (SYN_IS_TIMELINE_CHART (self));
  g_return_if_fail (n_series == 0 || (names != NULL && counts != NULL));

  g_ptr_array_set_size (self->series_names, 0);
  g_array_set_size (self->series, 0);
  for (guint s = 0; s < n_series; s++)
    g_ptr_array_add (self->series_names, g_strdup (names[s]));
  g_array_append_vals (self->series, counts, n_series * self->counts->len);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gint64
syn_timeline_chart_get_step (SynTimelineChart *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_CHART (self), 0);
  return self->step;
}

guint
syn_timeline_chart_get_n_series (SynTimelineChart *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_CHART (self), 0);
  return self->series_names->len;
}

const char *
syn_timeline_chart_get_series_name (SynTimelineChart *self, guint series)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_CHART (self), NULL);
  g_return_val_if_fail (series < self->series_names->len, NULL);
  return g_ptr_array_index (self->series_names, series);
}

guint64
syn_timeline_chart_get_series_count (SynTimelineChart *self, guint series, guint index)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_CHART (self), 0);
  g_return_val_if_fail (series < self->series_names->len && index < self->counts->len, 0);
  return g_array_index (self->series, guint64, series * self->counts->len + index);
}

void
syn_timeline_chart_clear (SynTimelineChart *self, const char *message)
{
  g_return_if_fail (SYN_IS_TIMELINE_CHART (self));

  g_array_set_size (self->counts, 0);
  g_array_set_size (self->bounds, 0);
  g_array_set_size (self->series, 0);
  g_ptr_array_set_size (self->series_names, 0);
  self->max = 0;
  self->min_nonzero = 0;
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
