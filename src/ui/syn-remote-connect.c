/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-remote-connect.c: sign in to a team server: a SynRemoteBackend, then the login operation;
 * the backend keeps the token for every later call. */
#include "config.h"

#include <glib/gi18n.h>

#include "backend/syn-remote-backend.h"
#include "core/syn-json.h"
#include "syn-remote-connect.h"

static void
logged_in (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);

  if (answer == NULL)
    {
      if (g_error_matches (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_UNAUTHORIZED))
        {
          g_task_return_new_error (task, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_UNAUTHORIZED,
                                   _("Wrong user name or password"));
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, g_object_ref (object), g_object_unref);
}

void
syn_remote_connect_async (const char          *url,
                          const char          *username,
                          const char          *password,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(SynRemoteBackend) backend = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(GError) error = NULL;

  g_return_if_fail (url != NULL);
  g_return_if_fail (username != NULL);

  g_task_set_source_tag (task, syn_remote_connect_async);
  backend = syn_remote_backend_new (url, &error);
  if (backend == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  json_object_set_string_member (params, "username", username);
  json_object_set_string_member (params, "password", password ? password : "");
  syn_backend_call_async (SYN_BACKEND (backend), SYN_OP_LOGIN, params, cancellable, logged_in,
                          g_steal_pointer (&task));
}

/* @label: (out): what the header bar says: the server and who signed in */
SynBackend *
syn_remote_connect_finish (GAsyncResult *result, char **label, GError **error)
{
  SynBackend *backend;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == syn_remote_connect_async, NULL);

  backend = g_task_propagate_pointer (G_TASK (result), error);
  if (backend != NULL && label != NULL)
    {
      SynRemoteBackend *remote = SYN_REMOTE_BACKEND (backend);
      const char *user = syn_remote_backend_get_username (remote);

      /* Translators: the connection state: a server URL and a user name */
      *label = g_strdup_printf (_("%s — %s"), syn_remote_backend_get_url (remote), user ? user : "?");
    }
  return backend;
}
