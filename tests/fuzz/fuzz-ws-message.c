/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-ws-message.c: what clients send on /ws/execution/{id} and /ws/projects/{id}/events, through the hub's own handler. */
#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <string.h>
#include <sys/socket.h>

#include "core/syn-core.h"
#include "fuzz-common.h"
#include "server/syn-ws-hub.h"

/* Messages are separated by this byte in an input (the dictionary has it). */
#define SEPARATOR 0x1e

static SynWsHub *hub;

static gboolean
on_watchdog (gpointer data)
{
  g_error ("ws-message: the hub still holds its watcher after 20 s");
  return G_SOURCE_REMOVE;
}

static SoupWebsocketConnection *
connection_new (GSocket **peer)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) ours = NULL;
  g_autoptr(GSocketConnection) stream = NULL;
  g_autoptr(GUri) uri = g_uri_parse ("ws://127.0.0.1/ws", G_URI_FLAGS_NONE, NULL);
  int fds[2];

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    g_error ("socketpair: %s", g_strerror (errno));
  ours = g_socket_new_from_fd (fds[0], &error);
  g_assert_no_error (error);
  *peer = g_socket_new_from_fd (fds[1], &error);
  g_assert_no_error (error);
  stream = g_socket_connection_factory_create_connection (ours);
  return soup_websocket_connection_new (G_IO_STREAM (stream), uri, SOUP_WEBSOCKET_CONNECTION_SERVER,
                                        NULL, NULL, NULL);
}

/* The first byte: which watch (a finished run, an unknown run, the demo
 * project's feed), whether the client may cancel, text or binary frames.
 * The rest: the messages, SEPARATOR between them. */
int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static const char *unknown_run = "4b0b7a5e-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
  SynFuzzWorld *world;
  g_autoptr(SoupWebsocketConnection) conn = NULL;
  g_autoptr(GSocket) peer = NULL;
  GSource *watchdog;
  guint8 mode;
  size_t start;

  syn_fuzz_init_logging ();
  world = syn_fuzz_world ();
  if (hub == NULL)
    hub = syn_ws_hub_new (world->backend);
  if (size == 0)
    return 0;
  mode = data[0];
  conn = connection_new (&peer);
  switch (mode % 3)
    {
    case 0:
      syn_ws_hub_watch_execution (hub, conn, world->execution_id, (mode & 0x08) != 0);
      break;
    case 1:
      syn_ws_hub_watch_execution (hub, conn, unknown_run, (mode & 0x08) != 0);
      break;
    default:
      syn_ws_hub_watch_project (hub, conn, world->project_id, (mode >> 4) * 40);
      break;
    }

  start = 1;
  while (start <= size)
    {
      const uint8_t *end = memchr (data + start, SEPARATOR, size - start);
      size_t len = end ? (size_t) (end - data) - start : size - start;
      g_autoptr(GBytes) bytes = g_bytes_new (data + start, len);

      /* as libsoup emits a received frame */
      g_signal_emit_by_name (conn, "message",
                             (mode & 0x04) ? SOUP_WEBSOCKET_DATA_BINARY : SOUP_WEBSOCKET_DATA_TEXT, bytes);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      start += len + 1;
    }

  /* the client goes away: the hub must let go of its watcher */
  g_socket_close (peer, NULL);
  watchdog = g_timeout_source_new_seconds (20);
  g_source_set_callback (watchdog, on_watchdog, NULL, NULL);
  g_source_attach (watchdog, NULL);
  while (syn_ws_hub_get_n_watchers (hub) > 0)
    g_main_context_iteration (NULL, TRUE);
  g_source_destroy (watchdog);
  g_source_unref (watchdog);
  return 0;
}
