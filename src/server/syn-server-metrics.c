/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-server-metrics.c: SynServerMetrics: request counters and a latency histogram, rendered for Prometheus. */
#include "config.h"

#include "syn-server-metrics.h"

/* Upper bounds in seconds, as Prometheus client libraries default them. */
static const double buckets[] = { 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0 };

typedef struct
{
  guint64 count[G_N_ELEMENTS (buckets)];   /* per bucket, not cumulative */
  guint64 total;
  double  sum;                             /* seconds */
} Histogram;

struct _SynServerMetrics
{
  GMutex      lock;
  GHashTable *requests;    /* "method\x1froute\x1fstatus" -> guint64 * */
  GHashTable *latency;     /* "method\x1froute" -> Histogram */
  guint       executions_running;
  guint64     executions_total;
};

SynServerMetrics *
syn_server_metrics_new (void)
{
  SynServerMetrics *self = g_new0 (SynServerMetrics, 1);

  g_mutex_init (&self->lock);
  self->requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->latency = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

void
syn_server_metrics_free (SynServerMetrics *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->requests);
  g_hash_table_unref (self->latency);
  g_mutex_clear (&self->lock);
  g_free (self);
}

void
syn_server_metrics_request (SynServerMetrics *self, const char *method, const char *route, guint status,
                            gint64 duration_usec)
{
  g_autofree char *key = NULL;
  g_autofree char *route_key = NULL;
  guint64 *count;
  Histogram *h;
  double seconds = (double) MAX (duration_usec, 0) / G_USEC_PER_SEC;
  guint i;

  g_return_if_fail (self != NULL);
  g_return_if_fail (method != NULL);

  /* an unmatched path is one series, whatever it was */
  route_key = g_strdup_printf ("%s\x1f%s", method, route ? route : "unmatched");
  key = g_strdup_printf ("%s\x1f%u", route_key, status);
  g_mutex_lock (&self->lock);
  count = g_hash_table_lookup (self->requests, key);
  if (count == NULL)
    {
      count = g_new0 (guint64, 1);
      g_hash_table_insert (self->requests, g_steal_pointer (&key), count);
    }
  (*count)++;
  h = g_hash_table_lookup (self->latency, route_key);
  if (h == NULL)
    {
      h = g_new0 (Histogram, 1);
      g_hash_table_insert (self->latency, g_steal_pointer (&route_key), h);
    }
  for (i = 0; i < G_N_ELEMENTS (buckets) && seconds > buckets[i]; i++)
    ;
  if (i < G_N_ELEMENTS (buckets))
    h->count[i]++;
  h->total++;
  h->sum += seconds;
  g_mutex_unlock (&self->lock);
}

void
syn_server_metrics_execution_started (SynServerMetrics *self)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->lock);
  self->executions_running++;
  self->executions_total++;
  g_mutex_unlock (&self->lock);
}

void
syn_server_metrics_execution_finished (SynServerMetrics *self)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->lock);
  if (self->executions_running > 0)
    self->executions_running--;
  g_mutex_unlock (&self->lock);
}

/* A label value as the text format escapes it: \, " and newline. */
static void
append_label (GString *out, const char *name, const char *value, gboolean first)
{
  g_string_append_printf (out, "%s%s=\"", first ? "" : ",", name);
  for (const char *p = value; *p != '\0'; p++)
    if (*p == '\\' || *p == '"')
      g_string_append_printf (out, "\\%c", *p);
    else if (*p == '\n')
      g_string_append (out, "\\n");
    else
      g_string_append_c (out, *p);
  g_string_append_c (out, '"');
}

static void
append_double (GString *out, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.9g", value));
}

static GList *
sorted_keys (GHashTable *table)
{
  return g_list_sort (g_hash_table_get_keys (table), (GCompareFunc) g_strcmp0);
}

static void
render_requests (SynServerMetrics *self, GString *out)
{
  g_autoptr(GList) keys = sorted_keys (self->requests);

  g_string_append (out, "# HELP synapse_http_requests_total HTTP requests answered, by method, route and status.\n"
                        "# TYPE synapse_http_requests_total counter\n");
  for (GList *l = keys; l != NULL; l = l->next)
    {
      g_auto(GStrv) parts = g_strsplit (l->data, "\x1f", 3);
      guint64 *count = g_hash_table_lookup (self->requests, l->data);

      g_string_append (out, "synapse_http_requests_total{");
      append_label (out, "method", parts[0], TRUE);
      append_label (out, "route", parts[1], FALSE);
      append_label (out, "status", parts[2], FALSE);
      g_string_append_printf (out, "} %" G_GUINT64_FORMAT "\n", *count);
    }
}

static void
render_latency (SynServerMetrics *self, GString *out)
{
  g_autoptr(GList) keys = sorted_keys (self->latency);

  g_string_append (out, "# HELP synapse_http_request_duration_seconds Time from the request's start to its answer.\n"
                        "# TYPE synapse_http_request_duration_seconds histogram\n");
  for (GList *l = keys; l != NULL; l = l->next)
    {
      g_auto(GStrv) parts = g_strsplit (l->data, "\x1f", 2);
      Histogram *h = g_hash_table_lookup (self->latency, l->data);
      guint64 cumulative = 0;

      for (guint i = 0; i <= G_N_ELEMENTS (buckets); i++)
        {
          g_string_append (out, "synapse_http_request_duration_seconds_bucket{");
          append_label (out, "method", parts[0], TRUE);
          append_label (out, "route", parts[1], FALSE);
          g_string_append (out, ",le=\"");
          if (i < G_N_ELEMENTS (buckets))
            {
              cumulative += h->count[i];
              append_double (out, buckets[i]);
            }
          else
            {
              cumulative = h->total;
              g_string_append (out, "+Inf");
            }
          g_string_append_printf (out, "\"} %" G_GUINT64_FORMAT "\n", cumulative);
        }
      g_string_append (out, "synapse_http_request_duration_seconds_sum{");
      append_label (out, "method", parts[0], TRUE);
      append_label (out, "route", parts[1], FALSE);
      g_string_append (out, "} ");
      append_double (out, h->sum);
      g_string_append (out, "\nsynapse_http_request_duration_seconds_count{");
      append_label (out, "method", parts[0], TRUE);
      append_label (out, "route", parts[1], FALSE);
      g_string_append_printf (out, "} %" G_GUINT64_FORMAT "\n", h->total);
    }
}

char *
syn_server_metrics_render (SynServerMetrics *self, guint websocket_clients, guint64 events_appended)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (self != NULL, g_string_free (out, FALSE));

  g_mutex_lock (&self->lock);
  render_requests (self, out);
  render_latency (self, out);
  g_string_append_printf (out,
                          "# HELP synapse_executions_running Rule runs this server is running now.\n"
                          "# TYPE synapse_executions_running gauge\n"
                          "synapse_executions_running %u\n"
                          "# HELP synapse_executions_started_total Rule runs this server started.\n"
                          "# TYPE synapse_executions_started_total counter\n"
                          "synapse_executions_started_total %" G_GUINT64_FORMAT "\n",
                          self->executions_running, self->executions_total);
  g_mutex_unlock (&self->lock);
  g_string_append_printf (out,
                          "# HELP synapse_events_appended_total Events this process appended (committed).\n"
                          "# TYPE synapse_events_appended_total counter\n"
                          "synapse_events_appended_total %" G_GUINT64_FORMAT "\n"
                          "# HELP synapse_websocket_clients WebSocket clients connected now.\n"
                          "# TYPE synapse_websocket_clients gauge\n"
                          "synapse_websocket_clients %u\n",
                          events_appended, websocket_clients);
  return g_string_free (out, FALSE);
}
