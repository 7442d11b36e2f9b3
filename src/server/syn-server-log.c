/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-server-log.c: SynServer: the request log, one line per request: time, method, path (never the query), status, duration. */
#include "config.h"

#include <stdio.h>

#include "syn-server-private.h"

static GQuark
started_quark (void)
{
  return g_quark_from_static_string ("syn-server-started");
}

static GQuark
route_quark (void)
{
  return g_quark_from_static_string ("syn-server-route");
}

static GQuark
metrics_quark (void)
{
  return g_quark_from_static_string ("syn-server-metrics");
}

SynServerMetrics *
_syn_server_get_metrics (SynServer *self)
{
  SynServerMetrics *metrics = g_object_get_qdata (G_OBJECT (self), metrics_quark ());

  if (metrics == NULL)
    {
      metrics = syn_server_metrics_new ();
      g_object_set_qdata_full (G_OBJECT (self), metrics_quark (), metrics, (GDestroyNotify) syn_server_metrics_free);
    }
  return metrics;
}

void
_syn_server_message_set_route (SoupServerMessage *msg, const SynApiRoute *route)
{
  g_object_set_qdata (G_OBJECT (msg), route_quark (), (gpointer) route);
}

const SynApiRoute *
_syn_server_message_get_route (SoupServerMessage *msg)
{
  return g_object_get_qdata (G_OBJECT (msg), route_quark ());
}

/* ------------------------------------------------------------------------- */
/* The request log                                                           */

void
_syn_server_log_line (SynServer *self, const char *method, const char *path, const char *status,
                      gint64 started)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *when = NULL;
  double ms;

  if (!self->log_requests)
    return;
  now = g_date_time_new_now_utc ();
  when = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");
  ms = started > 0 ? (double) (g_get_monotonic_time () - started) / 1000.0 : 0.0;
  /* one write per line, so lines of concurrent requests never interleave */
  {
    g_autofree char *line = g_strdup_printf ("%sZ %s %s %s %.2f ms\n", when, method, path, status, ms);

    fputs (line, stdout);
    fflush (stdout);
  }
}

void
_syn_server_on_request_started (SoupServer *soup, SoupServerMessage *msg, gpointer data)
{
  gint64 *started = g_new (gint64, 1);

  *started = g_get_monotonic_time ();
  g_object_set_qdata_full (G_OBJECT (msg), started_quark (), started, g_free);
}

gint64
_syn_server_message_started (SoupServerMessage *msg)
{
  gint64 *started = g_object_get_qdata (G_OBJECT (msg), started_quark ());

  return started ? *started : 0;
}

/* The path without the query: a WebSocket's ?token= never reaches the log. */
void
_syn_server_on_request_done (SoupServer *soup, SoupServerMessage *msg, gpointer data)
{
  SynServer *self = data;
  GUri *uri = soup_server_message_get_uri (msg);
  char status[16];

  const SynApiRoute *route = _syn_server_message_get_route (msg);
  gint64 started = _syn_server_message_started (msg);

  syn_server_metrics_request (_syn_server_get_metrics (self), soup_server_message_get_method (msg),
                              route ? route->pattern : NULL, soup_server_message_get_status (msg),
                              started > 0 ? g_get_monotonic_time () - started : 0);
  g_snprintf (status, sizeof status, "%u", soup_server_message_get_status (msg));
  _syn_server_log_line (self, soup_server_message_get_method (msg), uri ? g_uri_get_path (uri) : "-",
            status, _syn_server_message_started (msg));
}

/* The client went away before the answer was sent (libsoup then says 500). */
void
_syn_server_on_request_aborted (SoupServer *soup, SoupServerMessage *msg, gpointer data)
{
  SynServer *self = data;
  GUri *uri = soup_server_message_get_uri (msg);

  _syn_server_log_line (self, soup_server_message_get_method (msg), uri ? g_uri_get_path (uri) : "-",
            "aborted", _syn_server_message_started (msg));
}
