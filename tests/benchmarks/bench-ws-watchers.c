/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-ws-watchers.c: N WebSocket watchers on one execution of a running server; each must receive
 * every message, in the same order. Run by build-aux/load-test.sh, never in CI. */
#include "config.h"

#include <libsoup/soup.h>
#include <stdio.h>
#include <string.h>

typedef struct
{
  SoupWebsocketConnection *conn;
  guint                    messages;
  guint                    checksum;   /* of the texts in order */
  gboolean                 closed;
  gboolean                 failed;
  gint64                   last;
} Watcher;

static guint n_done;

static void
on_message (SoupWebsocketConnection *conn, int type, GBytes *bytes, gpointer data)
{
  Watcher *w = data;
  gsize len = 0;
  const char *text = g_bytes_get_data (bytes, &len);

  if (type != SOUP_WEBSOCKET_DATA_TEXT || (len == 4 && memcmp (text, "ping", 4) == 0))
    return;
  w->messages++;
  w->checksum = w->checksum * 31 + (guint) g_str_hash (g_bytes_get_data (bytes, NULL) ? text : "");
  w->last = g_get_monotonic_time ();
}

static void
on_closed (SoupWebsocketConnection *conn, gpointer data)
{
  Watcher *w = data;

  w->closed = TRUE;
  n_done++;
}

static void
on_connected (GObject *object, GAsyncResult *result, gpointer data)
{
  Watcher *w = data;
  g_autoptr(GError) error = NULL;

  w->conn = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);
  if (w->conn == NULL)
    {
      g_printerr ("watcher: %s\n", error->message);
      w->failed = TRUE;
      n_done++;
      return;
    }
  soup_websocket_connection_set_max_incoming_payload_size (w->conn, 16 * 1024 * 1024);
  g_signal_connect (w->conn, "message", G_CALLBACK (on_message), w);
  g_signal_connect (w->conn, "closed", G_CALLBACK (on_closed), w);
}

int
main (int argc, char *argv[])
{
  g_autoptr(SoupSession) session = NULL;
  g_autofree Watcher *watchers = NULL;
  const char *url, *token, *execution_id;
  guint n, complete = 0, failed = 0;
  gint64 t0, last = 0;

  if (argc != 5)
    {
      g_printerr ("usage: %s SERVER_URL TOKEN EXECUTION_ID N_WATCHERS\n", argv[0]);
      return 2;
    }
  url = argv[1];
  token = argv[2];
  execution_id = argv[3];
  n = (guint) g_ascii_strtoull (argv[4], NULL, 10);
  watchers = g_new0 (Watcher, n);
  /* one connection per watcher, all at once */
  session = soup_session_new_with_options ("max-conns", (int) n + 8, "max-conns-per-host", (int) n + 8,
                                           "timeout", 0, "idle-timeout", 0, NULL);

  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *target = g_strdup_printf ("%s/ws/execution/%s", url, execution_id);
      g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", target);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
      soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL, on_connected,
                                            &watchers[i]);
    }
  while (n_done < n)
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < n; i++)
    {
      if (watchers[i].failed)
        failed++;
      else if (watchers[i].messages == watchers[0].messages && watchers[i].checksum == watchers[0].checksum)
        complete++;
      last = MAX (last, watchers[i].last);
      g_clear_object (&watchers[i].conn);
    }
  printf ("%u watchers: %u received all %u messages in the same order, %u differ, %u failed; "
          "last message %.1f s after connecting\n",
          n, complete, watchers[0].messages, n - complete - failed, failed, (double) (last - t0) / G_USEC_PER_SEC);
  return complete == n ? 0 : 1;
}
