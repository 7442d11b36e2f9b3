/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-server-dispatch.c: SynServer: the route table's dispatch: the path matched, body and query read and checked, the role, the handler. */
#include "config.h"

#include <string.h>

#include "core/syn-core.h"
#include "syn-server-private.h"

/* ------------------------------------------------------------------------- */
/* Dispatch                                                                  */

/* "/api/v1/projects/A%20B/assets" -> {"api", "v1", "projects", "A B", "assets"}. */
static char **
split_path (const char *path)
{
  g_auto(GStrv) raw = g_strsplit (path, "/", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; raw[i]; i++)
    {
      g_autofree char *decoded = NULL;

      if (raw[i][0] == '\0')
        continue;
      decoded = g_uri_unescape_string (raw[i], NULL);
      if (decoded == NULL || !g_utf8_validate (decoded, -1, NULL))
        return NULL;
      g_strv_builder_add (builder, decoded);
    }
  return g_strv_builder_end (builder);
}

static const char *
bearer_token (SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");

  if (header == NULL || g_ascii_strncasecmp (header, "Bearer ", 7) != 0)
    return NULL;
  header += 7;
  while (*header == ' ')
    header++;
  return *header ? header : NULL;
}

typedef struct
{
  GHashTable *members;   /* JsonObject -> members parsed */
  char       *duplicate;
} DuplicateScan;

static void
on_object_member (JsonParser *parser, JsonObject *object, const char *name, gpointer data)
{
  DuplicateScan *scan = data;
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (scan->members, object)) + 1;

  g_hash_table_insert (scan->members, object, GUINT_TO_POINTER (n));
  /* a name seen before was replaced, not added */
  if (scan->duplicate == NULL && json_object_get_size (object) < n)
    scan->duplicate = g_strdup (name);
}

/* json-glib keeps the last of two members with one name: {"cascade": true,
 * "cascade": false} would mean whatever the last one says, unseen. The
 * first name given twice, or NULL (the text is already known to parse). */
static char *
duplicate_member (const char *data, gsize len)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  DuplicateScan scan = { g_hash_table_new (NULL, NULL), NULL };

  g_signal_connect (parser, "object-member", G_CALLBACK (on_object_member), &scan);
  json_parser_load_from_data (parser, data, (gssize) len, NULL);
  g_hash_table_unref (scan.members);
  return scan.duplicate;
}

/* A body, decoded per @route, into @params (the fuzz targets call this too). */
gboolean
_syn_server_parse_body (const SynApiRoute *route, const char *data, gsize len, JsonObject *params, GError **error)
{
  g_autoptr(JsonNode) root = NULL;

  switch (route->body)
    {
    case SYN_BODY_NONE:
      if (len > 0)
        {
          g_set_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID,
                       "body: %s %s takes none", route->method, route->pattern);
          return FALSE;
        }
      return TRUE;

    case SYN_BODY_CSV:
      if (!g_utf8_validate_len (data ? data : "", len, NULL) || (len > 0 && memchr (data, '\0', len) != NULL))
        {
          g_set_error_literal (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID,
                               "body: the CSV file must be UTF-8 text");
          return FALSE;
        }
      {
        g_autofree char *text = g_strndup (data ? data : "", len);

        json_object_set_string_member (params, "csv", text);
      }
      return TRUE;

    case SYN_BODY_JSON:
    case SYN_BODY_RULE:
    default:
      break;
    }

  if (len == 0)
    {
      if (route->body == SYN_BODY_RULE)
        {
          g_set_error_literal (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID, "body: a rule object is required");
          return FALSE;
        }
      return TRUE;
    }
  root = syn_json_parse (data, (gssize) len, error);
  if (root == NULL)
    {
      g_prefix_error (error, "body: ");
      syn_backend_error_from_other (error);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID, "body: must be a JSON object");
      return FALSE;
    }
  {
    g_autofree char *twice = duplicate_member (data, len);

    if (twice != NULL)
      {
        g_set_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID, "body: duplicate member \"%s\"", twice);
        return FALSE;
      }
  }
  if (route->body == SYN_BODY_RULE)
    {
      json_object_set_object_member (params, "rule", json_object_ref (json_node_get_object (root)));
      return TRUE;
    }
  {
    JsonObjectIter iter;
    const char *name;
    JsonNode *node;

    if (!syn_api_route_check_members (route, json_node_get_object (root), error))
      return FALSE;
    json_object_iter_init (&iter, json_node_get_object (root));
    while (json_object_iter_next (&iter, &name, &node))
      json_object_set_member (params, name, json_node_ref (node));
  }
  return TRUE;
}

/* The body, decoded per the route, into req->params. */
static gboolean
read_body (SynRequest *req, GError **error)
{
  SoupMessageBody *body = soup_server_message_get_request_body (req->msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);

  return _syn_server_parse_body (req->route, data, len, req->params, error);
}

/* The query parameters @route takes, into @params (the fuzz targets call this too). */
gboolean
_syn_server_parse_query (const SynApiRoute *route, GHashTable *query, gboolean websocket, JsonObject *params,
                         GError **error)
{
  GHashTableIter iter;
  const char *name, *value;

  if (query == NULL)
    return TRUE;
  g_hash_table_iter_init (&iter, query);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, (gpointer *) &value))
    {
      if (websocket && g_str_equal (name, "token"))
        continue;
      if (!syn_api_route_takes_query (route, name))
        {
          g_set_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID, "%s: unknown parameter", name);
          return FALSE;
        }
      if (!g_utf8_validate (value, -1, NULL))
        {
          g_set_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID, "%s: not UTF-8", name);
          return FALSE;
        }
      json_object_set_string_member (params, name, value);
    }
  return TRUE;
}

/* A body must say what it is, when it says anything: JSON routes take
 * application/json (or a +json type), the import takes CSV or plain text.
 * A form or multipart post is refused rather than read as JSON. NULL when
 * it is fine; else what the route takes. */
static const char *
refused_content_type (SynRequest *req)
{
  static const char * const csv[] = { "text/csv", "text/plain", "application/csv", "text/x-csv",
                                      "application/octet-stream", NULL };
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  const char *type;

  if (req->route->body == SYN_BODY_NONE || soup_server_message_get_request_body (req->msg)->length == 0 ||
      (type = soup_message_headers_get_content_type (headers, NULL)) == NULL)
    return NULL;
  if (req->route->body == SYN_BODY_CSV)
    {
      for (guint i = 0; csv[i]; i++)
        if (g_ascii_strcasecmp (type, csv[i]) == 0)
          return NULL;
      return "text/csv";
    }
  if (g_ascii_strcasecmp (type, "application/json") == 0 || g_str_has_suffix (type, "+json"))
    return NULL;
  return "application/json";
}

static void authorized (SynRequest *req);

static void
on_route_project (SynRequest *req, JsonNode *answer, GError *error)
{
  if (error != NULL)
    {
      _syn_server_reply_error (req, error);
      return;
    }
  json_object_set_string_member (req->params, "project_id", req->project_id);
  /* an archived project keeps its history for reading; nothing changes it
   * but the admin's own routes on the project itself */
  if (req->project_archived && !g_str_equal (req->route->method, "GET") &&
      req->route->min_role >= SYN_API_ROLE_ENGINEER && req->route->op != NULL &&
      !g_str_equal (req->route->op, SYN_OP_ARCHIVE_PROJECT) && !g_str_equal (req->route->op, SYN_OP_UPDATE_PROJECT))
    {
      _syn_server_reply_status (req, 409, NULL, "The project is archived: it can be read, not changed");
      return;
    }
  authorized (req);
}

/* Signed in: project access, then the role, then the handler. A user
 * outside the project gets 404 before any role check can tell it exists. */
void
_syn_server_signed_in (SynRequest *req)
{
  const SynApiRoute *route = req->route;

  if (route->project)
    {
      const char *key = syn_json_get_string (req->params, "project_id");

      if (key == NULL || *key == '\0')
        {
          _syn_server_reply_status (req, 400, NULL, "project_id: required");
          return;
        }
      _syn_server_authorize_project (req, key, on_route_project);
      return;
    }
  authorized (req);
}

static void
authorized (SynRequest *req)
{
  const SynApiRoute *route = req->route;
  SynRouteHandler handle;

  if (req->user != NULL && req->user->rank < (int) route->min_role)
    {
      static const char * const names[] = { "", "viewer", "engineer", "admin" };

      _syn_server_reply_status (req, 403, NULL, "This needs the %s role; %s is %s %s",
                                names[CLAMP (route->min_role, 0, 3)], req->user->username,
                                req->user->rank == 3 || req->user->rank == 2 ? "an" : "a",
                                req->user->role);
      return;
    }
  if (req->user != NULL)
    json_object_set_string_member (req->params, "_user_id", req->user->id);
  handle = _syn_server_route_handler (route);
  if (handle != NULL)
    handle (req);
  else
    _syn_server_call (req, route->op, req->params, _syn_server_generic_done);
}


void
_syn_server_handle_request (SoupServer        *soup,
                            SoupServerMessage *msg,
                            const char        *path,
                            GHashTable        *query,
                            gpointer           data)
{
  SynServer *self = data;
  SynRequest *req = _syn_server_request_new (self, msg);
  const char *method = soup_server_message_get_method (msg);
  g_auto(GStrv) segments = split_path (path);
  g_autoptr(GError) error = NULL;
  gboolean path_known = FALSE;
  gboolean websocket;

  if (segments == NULL)
    {
      _syn_server_reply_status (req, 400, NULL, "The path is not valid percent-encoded UTF-8");
      return;
    }
  websocket = segments[0] != NULL && g_str_equal (segments[0], "ws");
  req->route = syn_api_route_match (websocket ? syn_api_ws_routes : syn_api_routes, method, segments, &path_known);
  if (req->route == NULL)
    {
      if (path_known)
        _syn_server_reply_status (req, 405, NULL, "%s is not allowed on %s", method, path);
      else
        _syn_server_reply_status (req, 404, NULL, "No such resource: %s", path);
      return;
    }
  req->is_websocket = websocket;
  _syn_server_message_set_route (msg, req->route);

  {
    const char *wanted = refused_content_type (req);

    if (wanted != NULL)
      {
        _syn_server_reply_status (req, 415, NULL, "Content-Type: %s %s takes %s", method, req->route->pattern, wanted);
        return;
      }
  }
  /* the parameters: body, then query, then path (the path has the last word) */
  if (!read_body (req, &error))
    {
      _syn_server_reply_error (req, error);
      return;
    }
  /* libsoup decodes "?q=%00x" to "": the value would silently be cut short */
  {
    const char *raw = g_uri_get_query (soup_server_message_get_uri (msg));

    if (raw != NULL && strstr (raw, "%00") != NULL)
      {
        _syn_server_reply_status (req, 400, NULL, "The query holds a NUL character (%%00)");
        return;
      }
  }
  if (!_syn_server_parse_query (req->route, query, websocket, req->params, &error))
    {
      _syn_server_reply_error (req, error);
      return;
    }
  syn_api_route_take_path (req->route, segments, req->params);

  if (!syn_api_route_check_ids (req->route, req->params, &error))
    {
      _syn_server_reply_status (req, 400, NULL, "%s", error->message);
      return;
    }

  if (req->route->min_role == SYN_API_ROLE_NONE)
    {
      authorized (req);
      return;
    }
  req->token = g_strdup (bearer_token (msg));
  if (req->token == NULL && websocket && query != NULL && g_hash_table_lookup (query, "token") != NULL)
    req->token = g_strdup (g_hash_table_lookup (query, "token"));
  _syn_server_authenticate (req);
}
