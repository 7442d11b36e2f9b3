/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-backend.c: SynBackend dispatch, a blocking call for the command line, and error mapping. */
#include "config.h"

#include "core/syn-json.h"
#include "engine/syn-engine-error.h"
#include "store/syn-store.h"
#include "syn-backend.h"

/* A backend error may carry details (a JSON object) next to its message:
 * they travel in the REST error body and back. */
typedef struct
{
  JsonNode *details;
} SynBackendErrorPrivate;

static void
syn_backend_error_private_init (SynBackendErrorPrivate *priv)
{
  priv->details = NULL;
}

static void
syn_backend_error_private_copy (const SynBackendErrorPrivate *src, SynBackendErrorPrivate *dest)
{
  dest->details = src->details ? json_node_ref (src->details) : NULL;
}

static void
syn_backend_error_private_clear (SynBackendErrorPrivate *priv)
{
  g_clear_pointer (&priv->details, json_node_unref);
}

G_DEFINE_EXTENDED_ERROR (SynBackendError, syn_backend_error)
G_DEFINE_INTERFACE (SynBackend, syn_backend, G_TYPE_OBJECT)

static void
syn_backend_default_init (SynBackendInterface *iface)
{
  /**
   * SynBackend::execution-message:
   * @execution_id: the run the message belongs to
   * @message: the JSON of DESIGN.md section 7.2
   */
  g_signal_new ("execution-message", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0,
                NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, JSON_TYPE_NODE);

  /**
   * SynBackend::project-changed:
   * @project_id: a watched project (syn_backend_watch_project())
   * @first_position: the first of its new events
   * @last_position: its newest event now
   *
   * Batches were committed in the project, through this backend or any
   * other client of its database: new events hold the positions from
   * @first_position to @last_position (a rollback appends one too). Read
   * them from the last position you have (the timeline, or the project
   * feed): changes that come close together may be told once.
   */
  g_signal_new ("project-changed", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0,
                NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_INT64, G_TYPE_INT64);
}

/* A request without "execution_id" gets one here (SynExecutionRun makes
 * its own, to know its messages before the answer). */
void
syn_backend_execute_async (SynBackend          *self,
                           JsonObject          *request,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(JsonObject) copy = NULL;

  g_return_if_fail (SYN_IS_BACKEND (self));
  g_return_if_fail (request != NULL);

  if (syn_json_get_string (request, "execution_id") == NULL)
    {
      g_autofree char *id = syn_uuid_new ();

      copy = syn_json_object_copy (request);
      json_object_set_string_member (copy, "execution_id", id);
      request = copy;
    }
  SYN_BACKEND_GET_IFACE (self)->execute_async (self, request, cancellable, callback, user_data);
}

/**
 * syn_backend_watch_project:
 * @project_id: a project's id
 * @after_position: tell of the events after this position; -1: after the
 *   project's newest event now
 *
 * Starts telling ::project-changed for the project; each call needs its
 * syn_backend_unwatch_project().
 */
void
syn_backend_watch_project (SynBackend *self, const char *project_id, gint64 after_position)
{
  g_return_if_fail (SYN_IS_BACKEND (self));
  g_return_if_fail (project_id != NULL);

  SYN_BACKEND_GET_IFACE (self)->watch_project (self, project_id, after_position);
}

void
syn_backend_unwatch_project (SynBackend *self, const char *project_id)
{
  g_return_if_fail (SYN_IS_BACKEND (self));
  g_return_if_fail (project_id != NULL);

  SYN_BACKEND_GET_IFACE (self)->unwatch_project (self, project_id);
}

JsonNode *
syn_backend_execute_finish (SynBackend *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (SYN_IS_BACKEND (self), NULL);
  return SYN_BACKEND_GET_IFACE (self)->execute_finish (self, result, error);
}

gboolean
syn_backend_cancel_execution (SynBackend *self, const char *execution_id)
{
  g_return_val_if_fail (SYN_IS_BACKEND (self), FALSE);
  g_return_val_if_fail (execution_id != NULL, FALSE);
  return SYN_BACKEND_GET_IFACE (self)->cancel_execution (self, execution_id);
}

/* The last message of a run: COMPLETED, or an ERROR that ends it. */
gboolean
syn_backend_message_is_final (JsonNode *message)
{
  JsonObject *object;
  const char *type;

  if (message == NULL || !JSON_NODE_HOLDS_OBJECT (message))
    return FALSE;
  object = json_node_get_object (message);
  type = syn_json_get_string (object, "type");
  if (g_strcmp0 (type, "COMPLETED") == 0)
    return TRUE;
  return g_strcmp0 (type, "ERROR") == 0 &&
         !json_object_get_boolean_member_with_default (object, "recoverable", TRUE);
}

const char *
syn_backend_describe (SynBackend *self)
{
  g_return_val_if_fail (SYN_IS_BACKEND (self), NULL);
  return SYN_BACKEND_GET_IFACE (self)->describe (self);
}

/* @params is not taken; the backend keeps a reference while it works. */
void
syn_backend_call_async (SynBackend          *self,
                        const char          *op,
                        JsonObject          *params,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (SYN_IS_BACKEND (self));
  g_return_if_fail (op != NULL);

  SYN_BACKEND_GET_IFACE (self)->call_async (self, op, params, cancellable, callback, user_data);
}

JsonNode *
syn_backend_call_finish (SynBackend *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (SYN_IS_BACKEND (self), NULL);
  return SYN_BACKEND_GET_IFACE (self)->call_finish (self, result, error);
}

typedef struct
{
  GMainLoop *loop;
  JsonNode  *result;
  GError    *error;
} SyncCall;

static void
sync_call_done (GObject *object, GAsyncResult *result, gpointer user_data)
{
  SyncCall *call = user_data;

  call->result = syn_backend_call_finish (SYN_BACKEND (object), result, &call->error);
  g_main_loop_quit (call->loop);
}

/* For the command line: runs the call on a private main context, so nothing
 * else of the caller's main loop is dispatched meanwhile. */
JsonNode *
syn_backend_call_sync (SynBackend    *self,
                       const char    *op,
                       JsonObject    *params,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  SyncCall call = { 0 };

  g_return_val_if_fail (SYN_IS_BACKEND (self), NULL);

  g_main_context_push_thread_default (context);
  call.loop = g_main_loop_new (context, FALSE);
  syn_backend_call_async (self, op, params, cancellable, sync_call_done, &call);
  g_main_loop_run (call.loop);
  g_main_loop_unref (call.loop);
  g_main_context_pop_thread_default (context);

  if (call.error != NULL)
    {
      g_propagate_error (error, call.error);
      return NULL;
    }
  return call.result;
}

int
syn_backend_error_to_http_status (const GError *error)
{
  if (error == NULL || error->domain != SYN_BACKEND_ERROR)
    return 500;
  switch (error->code)
    {
    case SYN_BACKEND_ERROR_INVALID:      return 400;
    case SYN_BACKEND_ERROR_UNAUTHORIZED: return 401;
    case SYN_BACKEND_ERROR_FORBIDDEN:    return 403;
    case SYN_BACKEND_ERROR_NOT_FOUND:    return 404;
    case SYN_BACKEND_ERROR_CONFLICT:     return 409;
    case SYN_BACKEND_ERROR_TOO_LARGE:    return 413;
    case SYN_BACKEND_ERROR_BUSY:         return 423;
    case SYN_BACKEND_ERROR_UNAVAILABLE:  return 503;
    case SYN_BACKEND_ERROR_FAILED:
    default:                             return 500;
    }
}

const char *
syn_backend_status_code_name (guint status)
{
  switch (status)
    {
    case 400: return "invalid";
    case 401: return "unauthorized";
    case 403: return "forbidden";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 409: return "conflict";
    case 413: return "too_large";
    case 415: return "unsupported_media_type";
    case 423: return "busy";
    case 429: return "too_many_requests";
    case 503: return "unavailable";
    default:  return "failed";
    }
}

/**
 * syn_backend_error_set_details:
 * @error: an error of SYN_BACKEND_ERROR
 * @details: (nullable): a JSON object; a reference is taken
 */
void
syn_backend_error_set_details (GError *error, JsonNode *details)
{
  SynBackendErrorPrivate *priv;

  g_return_if_fail (error != NULL && error->domain == SYN_BACKEND_ERROR);
  g_return_if_fail (details == NULL || JSON_NODE_HOLDS_OBJECT (details));

  priv = syn_backend_error_get_private (error);
  g_clear_pointer (&priv->details, json_node_unref);
  priv->details = details ? json_node_ref (details) : NULL;
}

/* (transfer none) (nullable): NULL for another domain or no details. */
JsonNode *
syn_backend_error_get_details (const GError *error)
{
  if (error == NULL || error->domain != SYN_BACKEND_ERROR)
    return NULL;
  return syn_backend_error_get_private (error)->details;
}

/* The one mapping of the store's, the core's and the engine's errors onto
 * backend codes (and so HTTP statuses), message kept. The error is
 * replaced, never changed in place: a domain's private data goes with it. */
void
syn_backend_error_from_other (GError **error)
{
  GError *e;
  int code = SYN_BACKEND_ERROR_FAILED;

  if (error == NULL || *error == NULL || (*error)->domain == SYN_BACKEND_ERROR)
    return;
  e = *error;
  if (e->domain == SYN_STORE_ERROR)
    {
      switch (e->code)
        {
        case SYN_STORE_ERROR_INVALID:    code = SYN_BACKEND_ERROR_INVALID; break;
        case SYN_STORE_ERROR_NOT_FOUND:  code = SYN_BACKEND_ERROR_NOT_FOUND; break;
        case SYN_STORE_ERROR_CONSTRAINT: code = SYN_BACKEND_ERROR_CONFLICT; break;
        case SYN_STORE_ERROR_BUSY:       code = SYN_BACKEND_ERROR_BUSY; break;
        case SYN_STORE_ERROR_CONNECTION:
        case SYN_STORE_ERROR_OPEN:       code = SYN_BACKEND_ERROR_UNAVAILABLE; break;
        default:                         code = SYN_BACKEND_ERROR_FAILED; break;
        }
    }
  else if (e->domain == SYN_CORE_ERROR)
    code = SYN_BACKEND_ERROR_INVALID;
  else if (e->domain == SYN_ENGINE_ERROR)
    {
      /* What the caller asked cannot be done: 4xx. Anything else (a damaged
       * snapshot, a cycle of rules) is a failure of ours: 500. */
      switch (e->code)
        {
        case SYN_ENGINE_ERROR_NOT_FOUND:         code = SYN_BACKEND_ERROR_NOT_FOUND; break;
        case SYN_ENGINE_ERROR_BUSY:              code = SYN_BACKEND_ERROR_BUSY; break;
        case SYN_ENGINE_ERROR_ROLLBACK_BLOCKED:
        case SYN_ENGINE_ERROR_CONFLICT:          code = SYN_BACKEND_ERROR_CONFLICT; break;
        case SYN_ENGINE_ERROR_INVALID:
        case SYN_ENGINE_ERROR_INVALID_RULE:
        case SYN_ENGINE_ERROR_INVALID_CSV:
        case SYN_ENGINE_ERROR_SIZING:
        case SYN_ENGINE_ERROR_ROLLBACK_REFUSED:  code = SYN_BACKEND_ERROR_INVALID; break;
        case SYN_ENGINE_ERROR_CYCLE:
        case SYN_ENGINE_ERROR_CANCELLED:
        case SYN_ENGINE_ERROR_FAILED:
        default:                                 code = SYN_BACKEND_ERROR_FAILED; break;
        }
    }
  else if (g_error_matches (e, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  *error = g_error_new_literal (SYN_BACKEND_ERROR, code, e->message);
  g_error_free (e);
}
