/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-server-limits.c: SynServer: request body caps: a declared length over the cap refused at once, a chunked body counted as it comes. */
#include "config.h"

#include "syn-server-private.h"

static GQuark
body_size_quark (void)
{
  return g_quark_from_static_string ("syn-server-body-size");
}

/* ------------------------------------------------------------------------- */
/* Body caps                                                                 */

static gboolean
is_import (SoupServerMessage *msg, const char *path)
{
  return soup_server_message_get_method (msg) == SOUP_METHOD_POST && g_str_has_suffix (path, "/import");
}

static void
refuse_too_large (SoupServerMessage *msg, guint64 cap)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autofree char *text = g_strdup_printf ("The request body is larger than %" G_GUINT64_FORMAT " bytes", cap);

  /* what is still coming is read and dropped, never kept */
  soup_message_body_set_accumulate (body, FALSE);
  soup_message_body_truncate (body);
  _syn_server_set_error_body (msg, 413, NULL, text);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
}

static void
on_got_chunk (SoupServerMessage *msg, GBytes *chunk, gpointer data)
{
  guint64 cap = GPOINTER_TO_SIZE (data);
  guint64 seen = GPOINTER_TO_SIZE (g_object_get_qdata (G_OBJECT (msg), body_size_quark ()));

  seen += g_bytes_get_size (chunk);
  g_object_set_qdata (G_OBJECT (msg), body_size_quark (), GSIZE_TO_POINTER (seen));
  if (seen > cap && soup_server_message_get_status (msg) == 0)
    refuse_too_large (msg, cap);
}

/* Before the body is read: a declared length over the cap is refused at
 * once; a chunked body is counted as it comes. */
void
_syn_server_handle_early (SoupServer        *soup,
                          SoupServerMessage *msg,
                          const char        *path,
                          GHashTable        *query,
                          gpointer           data)
{
  SynServer *self = data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  guint64 cap = is_import (msg, path) ? self->max_import_size : self->max_body_size;

  /* a keep-alive connection open before the shutdown: no new work */
  if (self->shutting_down)
    {
      SoupMessageHeaders *reply = soup_server_message_get_response_headers (msg);

      _syn_server_set_error_body (msg, 503, NULL, "The server is shutting down");
      soup_message_headers_replace (reply, "Retry-After", "5");
      soup_message_headers_replace (reply, "Connection", "close");
      return;
    }
  switch (soup_message_headers_get_encoding (headers))
    {
    case SOUP_ENCODING_CONTENT_LENGTH:
      if ((guint64) soup_message_headers_get_content_length (headers) > cap)
        refuse_too_large (msg, cap);
      break;
    case SOUP_ENCODING_CHUNKED:
    case SOUP_ENCODING_EOF:
      g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk), GSIZE_TO_POINTER ((gsize) cap));
      break;
    case SOUP_ENCODING_UNRECOGNIZED:
    case SOUP_ENCODING_NONE:
    case SOUP_ENCODING_BYTERANGES:
    default:
      break;
    }
}
