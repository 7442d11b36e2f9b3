/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-hostile.c: hostile input on every route of the server's table: a 4xx JSON error naming the problem, nothing changed. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/syn-core.h"
#include "engine/syn-state-hash.h"
#include "engine/syn-auth.h"
#include "server/syn-server-private.h"
#include "syn-security-common.h"
#include "syn-test-fixture.h"
#include "syn-test-pg.h"
#include "syn-test-server.h"

/* Small caps, so that oversized bodies stay cheap to send. */
#define BODY_CAP   (64 * 1024)
#define IMPORT_CAP (128 * 1024)

static gboolean full_run;   /* --full: every class on PostgreSQL too */

typedef struct
{
  SynTestServer *srv;
  SynTestFixture db;        /* backend and uri only: for raw counts */
  gboolean       subset;    /* SQL injection only (PostgreSQL in CI) */
  gboolean       quick;     /* fewer body variants (CI; --full: all) */
  char          *admin;
  char          *project_a;
  char          *project_b;
  char          *asset_a;
  char          *tag_a;
  char          *rule_a;
  char          *library_rule;
  char          *execution_a;
  char          *batch_a;
  char          *fingerprint;
  guint          requests;  /* hostile requests sent */
  guint          literal;   /* of which accepted as plain data (a description, a search) */
} Fixture;

/* Totals over every case, for the summary line. */
static guint total_requests;
static guint total_literal;

static const SynTestServerOptions on_sqlite = { .max_body_size = BODY_CAP, .max_import_size = IMPORT_CAP };
static const SynTestServerOptions on_postgres = { .max_body_size = BODY_CAP, .max_import_size = IMPORT_CAP,
                                                  .postgres = TRUE };

/* ------------------------------------------------------------------------- */
/* Payloads                                                                  */

typedef struct
{
  const char *name;
  const char *text;      /* decoded; may hold raw invalid UTF-8 */
  gboolean    sql;       /* in the PostgreSQL subset of the CI run */
  gboolean    quick;     /* in bodies, in the CI run */
} Payload;

static const Payload strings[] = {
  { "sql-or", "' OR 1=1 --", TRUE, TRUE },
  { "sql-drop", "'; DROP TABLE workflow_events; --", FALSE, TRUE },
  { "sql-union", "x' UNION SELECT id, password_hash FROM users --", TRUE, FALSE },
  { "sql-dquote", "\" OR \"\"=\"", FALSE, FALSE },
  { "sql-comment", "1/**/OR/**/1=1;--", FALSE, FALSE },
  { "sql-like", "%_%", FALSE, TRUE },
  { "traversal", "../../etc/passwd", FALSE, TRUE },
  { "traversal-win", "..\\..\\windows\\win.ini", FALSE, FALSE },
  { "dot-dot", "..", FALSE, TRUE },
  { "format", "%s%s%s%n%x", FALSE, FALSE },
  { "control", "a\tb\r\nc\x01", FALSE, TRUE },
  { "invalid-utf8", "\xff\xfe\xc3\x28", FALSE, TRUE },
};

/* Used as they are in a path segment or a query value. */
static const char * const encoded[] = {
  "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
  "..%2f..%2f..%2fetc%2fpasswd",
  "%252e%252e%252f",
  "%c0%ae%c0%ae%2f",
  "%00",
  "a%00b",
  "%ff%fe",
  "%2F",
};

static const char * const numbers[] = {
  "99999999999999999999", "1e308", "9223372036854775807", "9223372036854775808",
  "18446744073709551616", "-9223372036854775809", "-0", "-1", "0", "NaN", "Infinity",
  "1e3", "0x10", "+1", "%201", "1.5", "",
};

static const char * const dates[] = {
  "2026-02-30", "2026-13-01", "2026-01-01T25:00:00Z", "+99999-01-01", "0000-00-00", "yesterday", "2026-01-01T00:00:00+99:00",
};

static const char * const uuids[] = {
  "00000000-0000-0000-0000-00000000000g", "00000000000000000000000000000000",
  "{00000000-0000-0000-0000-000000000000}", "00000000-0000-0000-0000-0000000000001",
};

/* What replaces one value of a JSON body (raw JSON text). */
static const char * const json_values[] = {
  "[]", "12", "1e308", "\"a\\u0000b\"", "\"\\ud800\"",
  /* not in the CI run */
  "{}", "99999999999999999999", "-0", "true", "[\"' OR 1=1 --\"]",
};
#define QUICK_JSON_VALUES 5

/* ------------------------------------------------------------------------- */
/* Helpers                                                                   */

static guint failures;

/* A broken promise: fatal at once, or with SYN_TEST_KEEP_GOING set, listed
 * and fatal at the end of the case (to see them all in one run). */
static void
failure (const char *format, ...) G_GNUC_PRINTF (1, 2);

static void
failure (const char *format, ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  if (g_getenv ("SYN_TEST_KEEP_GOING") == NULL)
    g_error ("%s", text);
  g_printerr ("FAILED: %s\n", text);
  failures++;
}

static JsonNode *
call (Fixture *f, const char *method, const char *path, const char *ctype, const char *body, guint expected)
{
  guint status = 0;
  JsonNode *answer = syn_test_http (f->srv, method, path, f->admin, body ? ctype : NULL, body, -1, &status);

  if (status != expected)
    {
      g_autofree char *text = answer ? syn_json_to_string (answer) : g_strdup ("(no body)");

      g_error ("%s %s: %u, expected %u: %s", method, path, status, expected, text);
    }
  return answer;
}

/* A JSON string literal; bytes >= 0x80 go through as they are (invalid
 * UTF-8 stays invalid). */
static char *
json_literal (const char *text)
{
  GString *s = g_string_new ("\"");

  for (const char *p = text; *p; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (s, "\\%c", c);
      else if (c < 0x20)
        g_string_append_printf (s, "\\u%04x", c);
      else
        g_string_append_c (s, (char) c);
    }
  g_string_append_c (s, '"');
  return g_string_free (s, FALSE);
}

static char *
escape (const char *text)
{
  return g_uri_escape_string (text, NULL, FALSE);
}

/* Everything a request could change, in one string. Every change of a
 * project's assets, cables or edges appends an event, so the newest event
 * and the row counts stand for all projects; the two this test aims at
 * also give their state hash, rules and executions. Users (with their
 * password hashes), tokens and members are counted or listed too. */
static char *
fingerprint (Fixture *f)
{
  static const char * const counts[] = {
    "SELECT count(*) FROM workflow_events",
    "SELECT coalesce(max(position), 0) FROM workflow_events",
    "SELECT count(*) FROM rolled_back_batches",
    "SELECT count(*) FROM execution_snapshots",
    "SELECT count(*) FROM assets",
    "SELECT count(*) FROM cables",
    "SELECT count(*) FROM edges",
    "SELECT count(*) FROM projects",
    "SELECT count(*) FROM users",
    "SELECT count(*) FROM user_tokens",
    "SELECT count(*) FROM project_members",
    "SELECT count(*) FROM rule_definitions",
    "SELECT count(*) FROM executions",
  };
  const char *projects[] = { f->project_a, f->project_b };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    g_string_append_printf (s, "%" G_GINT64_FORMAT " ", syn_security_query_int (&f->db, counts[i]));
  for (guint i = 0; i < G_N_ELEMENTS (projects); i++)
    {
      g_autofree char *hash = syn_state_hash_compute (f->srv->store, projects[i], &error);
      g_autoptr(GPtrArray) runs = NULL;
      guint64 total = 0;

      g_assert_no_error (error);
      g_string_append_printf (s, "\n%s %s", projects[i], hash);
      syn_security_append_rules (f->srv->store, s, projects[i]);
      runs = syn_store_list_executions (f->srv->store, projects[i], 0, 1000, &total, &error);
      g_assert_no_error (error);
      for (guint r = 0; r < runs->len; r++)
        {
          SynExecution *x = g_ptr_array_index (runs, r);

          g_string_append_printf (s, "\n  run %s %s", x->execution_id, x->status);
        }
    }
  g_string_append (s, "\nlibrary");
  syn_security_append_rules (f->srv->store, s, NULL);
  users = syn_store_list_users (f->srv->store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < users->len; i++)
    {
      SynUser *u = g_ptr_array_index (users, i);

      g_string_append_printf (s, "\nuser %s %s %s", u->username, u->role, u->password_hash);
    }
  return g_string_free (s, FALSE);
}

static void
expect_unchanged (Fixture *f, const char *what)
{
  g_autofree char *now = fingerprint (f);

  if (g_strcmp0 (now, f->fingerprint) != 0)
    {
      failure ("%s changed the database:\n--- before\n%s\n--- after\n%s", what, f->fingerprint, now);
      g_free (f->fingerprint);
      f->fingerprint = g_steal_pointer (&now);
    }
}

/* Whether @node holds @text as a string anywhere. */
static gboolean
holds_string (JsonNode *node, const char *text)
{
  if (node == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, NULL, &member))
        if (holds_string (member, text))
          return TRUE;
      return FALSE;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (holds_string (json_array_get_element (array, i), text))
          return TRUE;
      return FALSE;
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      /* kept as sent, give or take case and outer spaces (types are upper case) */
      g_autofree char *a = g_utf8_casefold (json_node_get_string (node), -1);
      g_autofree char *b = g_utf8_casefold (text, -1);

      return g_str_equal (g_strstrip (a), g_strstrip (b));
    }
  return FALSE;
}

/* A list answer that matched nothing. */
static gboolean
is_empty_list (JsonNode *node)
{
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    return json_array_get_length (json_node_get_array (node)) == 0;
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) &&
         json_object_has_member (json_node_get_object (node), "total") &&
         json_object_get_int_member (json_node_get_object (node), "total") == 0;
}

/* ------------------------------------------------------------------------- */
/* Requests built from the route table                                       */

typedef enum {
  ACCEPT_NEVER,    /* a 4xx, nothing else */
  ACCEPT_DATA,     /* or 2xx with the text kept literally as data */
  ACCEPT_FILTER,   /* or 2xx with a list that matched nothing */
} Accept;

typedef struct
{
  const SynApiRoute *route;
  gboolean        websocket;
  char          **names;       /* path variables, in order */
  char          **values;      /* encoded */
  GPtrArray      *query;       /* "name=encoded" */
  const char     *ctype;
  GString        *body;
  gsize           body_len;    /* bodies may hold NUL */
} Request;

static void
request_free (Request *r)
{
  g_strfreev (r->names);
  g_strfreev (r->values);
  g_ptr_array_unref (r->query);
  g_string_free (r->body, TRUE);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

/* A real value for a path or query variable of the baseline (encoded). */
static char *
baseline_value (Fixture *f, const SynApiRoute *route, const char *name)
{
  if (g_str_equal (name, "project_id"))
    return g_strdup (f->project_a);
  if (g_str_equal (name, "asset_id"))
    return g_strdup (f->asset_a);
  /* no cable of that id: an empty history, a well-formed request all the same */
  if (g_str_equal (name, "cable_id"))
    return g_strdup ("00000000-0000-0000-0000-000000000001");
  if (g_str_equal (name, "tag"))
    return escape (f->tag_a);
  if (g_str_equal (name, "rule_id"))
    return g_strdup (strstr (route->pattern, "library") ? f->library_rule : f->rule_a);
  if (g_str_equal (name, "execution_id"))
    return g_strdup (f->execution_a);
  if (g_str_equal (name, "correlation_id"))
    return g_strdup (f->batch_a);
  if (g_str_equal (name, "page"))
    return g_strdup ("1");
  /* the live feed from its start; on the timeline, a keyset bound is an
   * optional filter (issue 16), not in the baseline */
  if (g_str_equal (name, "after") && g_str_has_prefix (route->pattern, "ws/"))
    return g_strdup ("0");
  if (g_str_equal (name, "limit"))
    return g_strdup ("10");
  /* a moment (issue 15): the project now, or before its first event */
  if (g_str_equal (name, "as_of"))
    return g_strdup ("now");
  if (g_str_equal (name, "from") && strstr (route->pattern, "/diff"))
    return g_strdup ("0");
  /* the periods of a chart: one, around every event */
  if (g_str_equal (name, "bounds"))
    return escape ("2000-01-01T00:00:00Z,2100-01-01T00:00:00Z");
  return NULL;   /* an optional filter: not in the baseline */
}

#define PUMP_RULE \
  "{\"id\": \"%s\", \"name\": \"Pumps require Motor\", \"source\": \"FIRM\"," \
  " \"action_type\": \"CREATE_CHILD\", \"discipline\": \"ELECTRICAL\"," \
  " \"condition\": {\"asset_type\": [\"PUMP\"], \"all\": [{\"key\": \"pump_type\", \"op\": \"==\", \"value\": \"CENTRIFUGAL\"}]}," \
  " \"action\": {\"type\": \"MOTOR\", \"naming\": \"{area}-M-{tag_number}\", \"relation\": \"powers\"," \
  " \"inherit_properties\": [\"hp\"]}}"

/* The baseline body of a route: what a well-behaved client sends. */
static char *
baseline_body (Fixture *f, const SynApiRoute *route)
{
  const char *m = route->method, *p = route->pattern;

  switch (route->body)
    {
    case SYN_BODY_NONE:
      return NULL;
    case SYN_BODY_CSV:
      return g_strdup ("TAG,TYPE,DESCRIPTION\nT-8@N@,TANK,Feed tank\n");
    case SYN_BODY_RULE:
      return g_strdup_printf (PUMP_RULE, g_str_equal (m, "PUT") ? (strstr (p, "library") ? f->library_rule : f->rule_a)
                                                                 : "new-rule-@N@");
    case SYN_BODY_JSON:
    default:
      break;
    }
  if (g_str_has_suffix (p, "auth/login"))
    return g_strdup_printf ("{\"username\": \"admin\", \"password\": \"%s\"}", SYN_TEST_PASSWORD);
  if (g_str_has_suffix (p, "/users"))
    return g_strdup ("{\"username\": \"newbie@N@\", \"password\": \"long enough\", \"role\": \"viewer\", \"display_name\": \"N\"}");
  if (g_str_equal (p, "api/v1/projects"))
    return g_strdup ("{\"name\": \"Gamma @N@\", \"description\": \"d\", \"country\": \"CA\"}");
  if (g_str_has_suffix (p, "/demo"))
    return g_strdup ("{\"name\": \"Demo @N@\"}");
  if (g_str_has_suffix (p, "/members"))
    return g_strdup ("{\"username\": \"victor\"}");
  if (g_str_has_suffix (p, "/assets") && g_str_equal (m, "PATCH"))
    return g_strdup_printf ("{\"asset_ids\": [\"%s\"], \"description\": \"d3\", \"area\": \"300\"}", f->asset_a);
  if (g_str_has_suffix (p, "/assets"))
    return g_strdup ("{\"tag\": \"T-9@N@\", \"type\": \"TANK\", \"description\": \"d\", \"area\": \"100\","
                     " \"discipline\": \"MECHANICAL\", \"properties\": {\"volume\": \"5 m3\"}}");
  if (g_str_has_suffix (p, "{asset_id}"))
    return g_strdup ("{\"description\": \"d2\", \"area\": \"200\", \"properties\": {\"volume\": \"6 m3\"}}");
  if (g_str_has_suffix (p, "/execute"))
    return g_strdup_printf ("{\"project_id\": \"%s\", \"mode\": \"dry_run\", \"filters\": {\"rule_ids\": [\"%s\"],"
                            " \"disciplines\": [\"ELECTRICAL\"], \"asset_types\": [\"PUMP\"]}}", f->project_a, f->rule_a);
  if (g_str_has_suffix (p, "/rollback"))
    return g_strdup_printf ("{\"correlation_id\": \"%s\", \"cascade\": false}", f->batch_a);
  if (g_str_has_suffix (p, "/reset"))
    return g_strdup ("{\"properties\": [\"volume\"], \"fields\": [\"area\"]}");
  if (g_str_has_suffix (p, "/redo"))
    return g_strdup_printf ("{\"correlation_id\": \"%s\"}", f->batch_a);
  if (g_str_has_suffix (p, "/repair"))
    return g_strdup ("{\"dry_run\": true}");
  if (g_str_has_suffix (p, "/delete"))
    return g_strdup_printf ("{\"asset_ids\": [\"%s\"]}", f->asset_a);
  /* a route this test does not know yet: its body is still probed */
  return g_strdup ("{}");
}

static Request *
baseline (Fixture *f, const SynApiRoute *route, gboolean websocket)
{
  Request *r = g_new0 (Request, 1);
  g_auto(GStrv) parts = g_strsplit (route->pattern, "/", -1);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) values = g_strv_builder_new ();
  g_auto(GStrv) query = g_strsplit (route->query, ",", -1);
  g_autofree char *body = baseline_body (f, route);

  r->route = route;
  r->websocket = websocket;
  for (guint i = 0; parts[i]; i++)
    if (parts[i][0] == '{')
      {
        g_autofree char *name = g_strndup (parts[i] + 1, strlen (parts[i]) - 2);
        g_autofree char *value = baseline_value (f, route, name);

        g_strv_builder_add (names, name);
        g_strv_builder_add (values, value ? value : "x");
      }
  r->names = g_strv_builder_end (names);
  r->values = g_strv_builder_end (values);
  r->query = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; query[i]; i++)
    {
      g_autofree char *value = query[i][0] ? baseline_value (f, route, query[i]) : NULL;

      if (value != NULL)
        g_ptr_array_add (r->query, g_strdup_printf ("%s=%s", query[i], value));
    }
  r->ctype = route->body == SYN_BODY_CSV ? "text/csv" : body ? "application/json" : NULL;
  r->body = g_string_new (body);
  r->body_len = body ? strlen (body) : 0;
  return r;
}

static Request *
request_copy (const Request *r)
{
  Request *c = g_new0 (Request, 1);

  c->route = r->route;
  c->websocket = r->websocket;
  c->names = g_strdupv (r->names);
  c->values = g_strdupv (r->values);
  c->query = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < r->query->len; i++)
    g_ptr_array_add (c->query, g_strdup (g_ptr_array_index (r->query, i)));
  c->ctype = r->ctype;
  c->body = g_string_new_len (r->body->str, (gssize) r->body->len);
  c->body_len = r->body_len;
  return c;
}

static char *
request_path (const Request *r)
{
  g_auto(GStrv) parts = g_strsplit (r->route->pattern, "/", -1);
  GString *path = g_string_new (NULL);
  guint v = 0;

  for (guint i = 0; parts[i]; i++)
    {
      g_string_append_c (path, '/');
      g_string_append (path, parts[i][0] == '{' ? r->values[v++] : parts[i]);
    }
  for (guint i = 0; i < r->query->len; i++)
    {
      g_string_append_c (path, i == 0 ? '?' : '&');
      g_string_append (path, g_ptr_array_index (r->query, i));
    }
  return g_string_free (path, FALSE);
}

static void
set_query (Request *r, const char *name, const char *value)
{
  for (guint i = 0; i < r->query->len; i++)
    {
      const char *q = g_ptr_array_index (r->query, i);

      if (g_str_has_prefix (q, name) && q[strlen (name)] == '=')
        {
          g_ptr_array_remove_index (r->query, i);
          break;
        }
    }
  g_ptr_array_add (r->query, g_strdup_printf ("%s=%s", name, value));
}

static void
set_body (Request *r, const char *ctype, const char *body, gssize len)
{
  g_string_truncate (r->body, 0);
  g_string_append_len (r->body, body, len < 0 ? (gssize) strlen (body) : len);
  r->body_len = r->body->len;
  r->ctype = ctype;
}

/* ------------------------------------------------------------------------- */
/* Sending one hostile variant and judging the answer                        */

static gboolean
mentions (const char *message, const char *part)
{
  g_autofree char *a = g_utf8_casefold (message, -1);
  g_autofree char *b = NULL;

  if (part == NULL || *part == '\0' || !g_utf8_validate (part, -1, NULL))
    return FALSE;
  b = g_utf8_casefold (part, -1);
  return strstr (a, b) != NULL;
}

/* One request; a dropped connection or an answer that is not JSON fails
 * the test, showing what came back. */
static SoupMessage *
send_raw (Fixture *f, const char *method, const char *path, const char *ctype, GString *body, JsonNode **answer)
{
  g_autofree char *url = g_strconcat (f->srv->url, path, NULL);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", f->admin);
  SoupMessage *msg = soup_message_new (method, url);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (msg);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (body->len > 0)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body->str, body->len);

      soup_message_set_request_body_from_bytes (msg, ctype, bytes);
    }
  reply = soup_session_send_and_read (f->srv->session, msg, NULL, &error);
  if (reply == NULL)
    g_error ("%s %s: no answer: %s", method, path, error->message);
  *answer = NULL;
  /* an export (issue 14) answers the file itself: judged by its row count */
  if (soup_message_headers_get_one (soup_message_get_response_headers (msg), "X-Synapse-Rows") != NULL &&
      SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    {
      g_autoptr(JsonObject) o = json_object_new ();

      json_object_set_int_member (o, "total", g_ascii_strtoll (soup_message_headers_get_one (
                                    soup_message_get_response_headers (msg), "X-Synapse-Rows"), NULL, 10));
      *answer = syn_json_node_new_object (g_steal_pointer (&o));
    }
  else if (g_bytes_get_size (reply) > 0)
    {
      *answer = syn_json_parse (g_bytes_get_data (reply, NULL), (gssize) g_bytes_get_size (reply), &error);
      if (*answer == NULL)
        g_error ("%s %s: %u, not JSON (%s): %.*s", method, path, soup_message_get_status (msg), error->message,
                 (int) MIN (g_bytes_get_size (reply), 2000), (const char *) g_bytes_get_data (reply, NULL));
    }
  return msg;
}

/* Sends @r and checks the promise: 4xx with {"error": {code, message}}
 * whose message names @hint (a parameter, a field, or what is wrong),
 * and for writes an unchanged database; @accept says when a 2xx is right. */
/* A flag by the route table's own vocabulary: "0" is false, and words
 * that are not a flag are refused (a new flag is covered without a list). */
static gboolean
is_boolean (const char *name)
{
  const SynApiParam *param = syn_api_param_lookup (name);

  return param != NULL && g_strcmp0 (param->type, "boolean") == 0;
}

static void
probe_kept (Fixture *f, const Request *r, const char *what, const char * const *hints, Accept accept,
            const char *kept)
{
  g_autofree char *path = request_path (r);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) answer = NULL;
  gboolean write = !g_str_equal (r->route->method, "GET");
  guint status;

  if (g_getenv ("SYN_TEST_TRACE") != NULL)
    g_printerr ("# %s %s (%s)\n", r->route->method, path, what);
  /* what a create names is new each time: an earlier variant that was
   * taken as data must not turn this one into a conflict */
  {
    g_autofree char *serial = g_strdup_printf ("%u", f->requests);
    g_autoptr(GString) body = g_string_new_len (r->body->str, (gssize) r->body_len);

    g_string_replace (body, "@N@", serial, 0);
    msg = send_raw (f, r->route->method, path, body->len ? r->ctype : NULL, body, &answer);
  }
  status = soup_message_get_status (msg);
  f->requests++;
  /* failed sign-ins are slowed down (429) after a few: forgiven, so that
   * every login variant reaches the parsing it probes */
  if (g_str_has_suffix (r->route->pattern, "auth/login"))
    {
      SynServer *server = syn_test_server_get_server (f->srv);

      syn_login_throttle_succeeded (_syn_server_get_host_throttle (server), "127.0.0.1");
      syn_login_throttle_succeeded (_syn_server_get_throttle (server), "127.0.0.1 admin");
    }

  if (status >= 200 && status < 300 && accept != ACCEPT_NEVER)
    {
      if (accept == ACCEPT_FILTER && !is_empty_list (answer))
        failure ("%s %s (%s): a hostile filter matched something", r->route->method, path, what);
      if (kept != NULL && answer != NULL && !holds_string (answer, kept))
        failure ("%s %s (%s): accepted, but the answer does not hold the text as sent", r->route->method, path, what);
      f->literal++;
      /* a run taken as data goes on after the answer: its end first */
      if (answer != NULL && JSON_NODE_HOLDS_OBJECT (answer) && g_str_has_suffix (r->route->pattern, "/execute"))
        syn_security_wait_run (f->srv, f->admin, syn_json_get_string (json_node_get_object (answer), "execution_id"));
      if (write)
        {
          g_free (f->fingerprint);
          f->fingerprint = fingerprint (f);
        }
      return;
    }
  if (status < 400 || status >= 500)
    {
      g_autofree char *text = answer ? syn_json_to_string (answer) : g_strdup ("(no body)");

      failure ("%s %s (%s): %u, expected a 4xx: %s", r->route->method, path, what, status, text);
      if (write)
        {
          g_free (f->fingerprint);
          f->fingerprint = fingerprint (f);
        }
      return;
    }
  {
    const char *code = syn_test_error_code (answer);
    const char *message = syn_test_error_message (answer);
    /* a conflict comes after the text passed as data (a user made by an
     * earlier variant already has the name) */
    gboolean named = status == 404 || status == 413 || (status == 409 && accept == ACCEPT_DATA);

    g_assert_nonnull (code);
    g_assert_cmpstr (code, !=, "");
    for (guint i = 0; hints && hints[i] && !named; i++)
      named = mentions (message, hints[i]);
    if (!named)
      failure ("%s %s (%s): %u \"%s\" names none of the problem's words", r->route->method, path, what, status,
               message);
  }
  if (write)
    expect_unchanged (f, what);
}

static void
probe (Fixture *f, const Request *r, const char *what, const char * const *hints, Accept accept)
{
  probe_kept (f, r, what, hints, accept, NULL);
}

/* A free-text field or query value where the hostile text is legitimate data. */
static Accept
accept_for (const Request *r, const char *field, gboolean query)
{
  static const char * const data[] = {
    "description", "name", "password", "display_name", "username", "tag", "type", "area", "relation", "key",
    "asset_type", "inherit_properties", "rule_ids", "asset_types", "volume", "value", "naming", NULL,
  };
  /* the lists' filters (issue 14) take any text: no match, or a 400 naming it */
  static const char * const filters[] = { "q", "type", "rule_id", "tag", "area", "discipline", "where", NULL };
  /* a property's name to sort by or show as a column: any text, no filter */
  static const char * const names[] = { "sort", "properties", NULL };

  if (query && g_strv_contains (names, field))
    return ACCEPT_DATA;
  if (query)
    return g_strv_contains (filters, field) ? ACCEPT_FILTER : ACCEPT_NEVER;
  return g_strv_contains (data, field) ? ACCEPT_DATA : ACCEPT_NEVER;
}

/* ------------------------------------------------------------------------- */
/* Variants                                                                  */

static void
probe_path (Fixture *f, const Request *base)
{
  for (guint v = 0; base->names[v]; v++)
    {
      const char *name = base->names[v];
      const char *hints[] = { name, NULL, "path", NULL };

      for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
        {
          g_autoptr(Request) r = request_copy (base);
          g_autofree char *escaped = escape (strings[i].text);
          g_auto(GStrv) dots = g_strsplit (escaped, ".", -1);

          /* a ".." segment is resolved (RFC 3986) before any routing,
           * even encoded: what remains is routed and checked as usual */
          if ((f->subset && !strings[i].sql) || g_str_equal (strings[i].text, ".."))
            continue;
          g_free (r->values[v]);
          /* "." too: the client would resolve a ".." segment itself */
          r->values[v] = g_strjoinv ("%2E", dots);
          hints[1] = strings[i].text;
          probe (f, r, strings[i].name, hints, ACCEPT_NEVER);
        }
      for (guint i = 0; i < G_N_ELEMENTS (encoded) && !f->subset; i++)
        {
          g_autoptr(Request) r = request_copy (base);
          g_autofree char *what = g_strdup_printf ("path %s=%s", name, encoded[i]);
          const char *more[] = { name, "path", "UTF-8", NULL };

          g_free (r->values[v]);
          r->values[v] = g_strdup (encoded[i]);
          probe (f, r, what, more, ACCEPT_NEVER);
        }
      /* a valid id with something after a NUL */
      if (!f->subset)
        {
          g_autoptr(Request) r = request_copy (base);
          const char *more[] = { name, "path", NULL };
          char *old = r->values[v];

          r->values[v] = g_strconcat (old, "%00' OR 1=1 --", NULL);
          g_free (old);
          probe (f, r, "path value%00", more, ACCEPT_NEVER);
        }
    }
}

static void
probe_query (Fixture *f, const Request *base)
{
  g_auto(GStrv) names = g_strsplit (base->route->query, ",", -1);

  for (guint q = 0; names[q]; q++)
    {
      const char *name = names[q];
      const char *hints[] = { name, NULL };

      if (*name == '\0')
        continue;
      for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
        {
          g_autoptr(Request) r = request_copy (base);
          g_autofree char *value = escape (strings[i].text);
          g_autofree char *what = g_strdup_printf ("query %s: %s", name, strings[i].name);

          if (f->subset && !strings[i].sql)
            continue;
          set_query (r, name, value);
          probe (f, r, what, hints, accept_for (r, name, TRUE));
        }
      if (f->subset)
        continue;
      for (guint i = 0; i < G_N_ELEMENTS (encoded); i++)
        {
          g_autoptr(Request) r = request_copy (base);
          g_autofree char *what = g_strdup_printf ("query %s=%s", name, encoded[i]);
          const char *more[] = { name, "UTF-8", "query", NULL };

          set_query (r, name, encoded[i]);
          probe (f, r, what, more, accept_for (r, name, TRUE));
        }
      for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
        {
          g_autoptr(Request) r = request_copy (base);
          g_autofree char *what = g_strdup_printf ("query %s=%s", name, numbers[i]);
          Accept accept = accept_for (r, name, TRUE);

          /* a number is a fine search text; an empty list no filter */
          if (accept == ACCEPT_FILTER || (numbers[i][0] == '\0' && g_str_equal (name, "event_types")))
            continue;
          /* the largest position is a position */
          if (g_str_equal (numbers[i], "9223372036854775807") && g_str_equal (name, "after"))
            continue;
          /* 0 is a fine flag (false) and a fine position */
          if (g_str_equal (numbers[i], "0") && (is_boolean (name) || g_str_equal (name, "strict") ||
                                                g_str_equal (name, "after") ||
                                                g_str_equal (name, "as_of") || g_str_equal (name, "from") ||
                                                g_str_equal (name, "to") ||
                                                g_str_equal (name, "include_rolled_back") ||
                                                g_str_equal (name, "dry_run") || g_str_equal (name, "delete_missing")))
            continue;
          set_query (r, name, numbers[i]);
          probe (f, r, what, hints, accept);
        }
      if (strstr (name, "date") || g_str_equal (name, "asset_id") || g_str_equal (name, "correlation_id") ||
          g_str_equal (name, "event_types") || g_str_equal (name, "discipline") || is_boolean (name) ||
          g_str_equal (name, "include_rolled_back") ||
          g_str_equal (name, "strict") || g_str_equal (name, "dry_run") || g_str_equal (name, "delete_missing") ||
          g_str_equal (name, "mode"))
        {
          const char * const *list = strstr (name, "date") ? dates : uuids;
          guint n = strstr (name, "date") ? G_N_ELEMENTS (dates) : G_N_ELEMENTS (uuids);

          for (guint i = 0; i < n; i++)
            {
              g_autoptr(Request) r = request_copy (base);
              g_autofree char *value = escape (list[i]);
              g_autofree char *what = g_strdup_printf ("query %s=%s", name, list[i]);

              set_query (r, name, value);
              probe (f, r, what, hints, ACCEPT_NEVER);
            }
          {
            g_autoptr(Request) r = request_copy (base);
            const char *more[] = { name, NULL };

            set_query (r, name, "NOT_A_THING");
            probe (f, r, "unknown filter value", more, ACCEPT_NEVER);
          }
        }
      /* a valid value with something after a NUL */
      {
        g_autoptr(Request) r = request_copy (base);
        g_autofree char *good = baseline_value (f, base->route, name);
        g_autofree char *value = g_strconcat (good ? good : "1", "%00' OR 1=1 --", NULL);
        const char *more[] = { name, "NUL", NULL };

        set_query (r, name, value);
        probe (f, r, "query value%00", more, accept_for (r, name, TRUE));
      }
    }
  /* a parameter the route does not take, and one given twice */
  {
    g_autoptr(Request) r = request_copy (base);
    const char *more[] = { "zz_unknown", NULL };

    set_query (r, "zz_unknown", "1");
    probe (f, r, "unknown query parameter", more, ACCEPT_NEVER);
  }
  {
    g_autoptr(Request) r = request_copy (base);
    const char *more[] = { "token", NULL };

    if (!base->websocket)
      {
        set_query (r, "token", f->admin);
        probe (f, r, "token in the query", more, ACCEPT_NEVER);
      }
  }
}

/* Every string (and the first element of every array) of the baseline
 * body, as a JSON path of member names and indices. */
static void
collect_leaves (JsonNode *node, const char *prefix, GPtrArray *out)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &member))
        {
          g_autofree char *path = g_strdup_printf ("%s%s%s", prefix, *prefix ? "/" : "", name);

          collect_leaves (member, path, out);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      if (json_array_get_length (array) > 0)
        {
          g_autofree char *path = g_strdup_printf ("%s/0", prefix);

          collect_leaves (json_array_get_element (array, 0), path, out);
        }
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && *prefix)
    g_ptr_array_add (out, g_strdup (prefix));
}

/* "filters/rule_ids/0" -> "rule_ids": the member that holds the value. */
static char *
leaf_field (const char *leaf)
{
  g_auto(GStrv) steps = g_strsplit (leaf, "/", -1);

  for (guint i = g_strv_length (steps); i > 0; i--)
    if (!g_ascii_isdigit (steps[i - 1][0]))
      return g_strdup (steps[i - 1]);
  return g_strdup (leaf);
}

#define MARK "@@HOSTILE-VALUE@@"

/* The body with the value at @leaf replaced by raw JSON text. */
static char *
replace_leaf (const char *body, const char *leaf, const char *json)
{
  g_autoptr(JsonNode) root = syn_json_parse (body, -1, NULL);
  g_auto(GStrv) steps = g_strsplit (leaf, "/", -1);
  JsonNode *node = root;
  g_autofree char *text = NULL;
  g_auto(GStrv) halves = NULL;

  for (guint i = 0; steps[i + 1]; i++)
    node = JSON_NODE_HOLDS_ARRAY (node) ? json_array_get_element (json_node_get_array (node), (guint) atoi (steps[i]))
                                        : json_object_get_member (json_node_get_object (node), steps[i]);
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      json_array_remove_element (array, 0);
      json_array_add_string_element (array, MARK);
    }
  else
    json_object_set_string_member (json_node_get_object (node), steps[g_strv_length (steps) - 1], MARK);
  text = json_to_string (root, FALSE);
  halves = g_strsplit (text, "\"" MARK "\"", 2);
  return g_strconcat (halves[0], json, halves[1], NULL);
}

static void
probe_body_values (Fixture *f, const Request *base)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) leaves = g_ptr_array_new_with_free_func (g_free);

  if (base->route->body != SYN_BODY_JSON && base->route->body != SYN_BODY_RULE)
    return;
  root = syn_json_parse (base->body->str, -1, NULL);
  collect_leaves (root, "", leaves);
  for (guint l = 0; l < leaves->len; l++)
    {
      const char *leaf = g_ptr_array_index (leaves, l);
      g_autofree char *field = leaf_field (leaf);
      const char *hints[] = { field, NULL, "UTF-8", "JSON", NULL };

      /* one parser reads the rules of every route: in CI its every value
       * is probed through POST .../rules only */
      if (f->quick && base->route->body == SYN_BODY_RULE && !g_str_equal (leaf, "id") &&
          !(g_str_equal (base->route->method, "POST") && base->route->project))
        continue;

      for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
        {
          g_autoptr(Request) r = request_copy (base);
          g_autofree char *literal = json_literal (strings[i].text);
          g_autofree char *body = replace_leaf (base->body->str, leaf, literal);
          g_autofree char *what = g_strdup_printf ("body %s: %s", leaf, strings[i].name);
          Accept accept = accept_for (r, hints[0], FALSE);

          if ((f->subset && !strings[i].sql) || (f->quick && !strings[i].quick))
            continue;
          set_body (r, r->ctype, body, -1);
          hints[1] = strings[i].text;
          /* a password is not shown again; nor are an execution's filters */
          probe_kept (f, r, what, hints, g_utf8_validate (strings[i].text, -1, NULL) ? accept : ACCEPT_NEVER,
                      g_str_equal (field, "password") || g_str_has_prefix (leaf, "filters/") ? NULL : strings[i].text);
        }
      for (guint i = 0; i < (f->quick ? QUICK_JSON_VALUES : G_N_ELEMENTS (json_values)) && !f->subset; i++)
        {
          /* true is no hostile value for a flag */
          if (g_str_equal (json_values[i], "true") && g_str_equal (field, "cascade"))
            continue;
          {
          g_autoptr(Request) r = request_copy (base);
          g_autofree char *body = replace_leaf (base->body->str, leaf, json_values[i]);
          g_autofree char *what = g_strdup_printf ("body %s=%s", leaf, json_values[i]);
          const char *more[] = { hints[0], "JSON", "UTF-8", "NUL", NULL };

          /* a property (or a rule's comparand) may be any JSON value */
          gboolean any = g_str_has_prefix (leaf, "properties/") || g_str_equal (field, "value");

          set_body (r, r->ctype, body, -1);
          probe (f, r, what, more, any ? ACCEPT_DATA : ACCEPT_NEVER);
          }
        }
    }
}

typedef struct
{
  const char *what;
  const char *ctype;
  const char *body;
  gssize      len;
  const char *hint;
} BodyCase;

static char *
nested (guint levels, const char *open)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < levels; i++)
    g_string_append (s, open);
  return g_string_free (s, FALSE);
}

/* Whole-body variants: broken, mistyped, oversized, deeply nested. */
static void
probe_body (Fixture *f, const Request *base)
{
  const SynApiRoute *route = base->route;
  gboolean json = route->body == SYN_BODY_JSON || route->body == SYN_BODY_RULE;
  g_autofree char *deep_array = nested (100000, "[");
  g_autofree char *deep_object = nested (100000, "{\"a\":");
  g_autoptr(GString) big = g_string_new (json ? "{\"pad\": \"" : "TAG,TYPE\n");
  guint cap = route->body == SYN_BODY_CSV ? IMPORT_CAP : BODY_CAP;
  BodyCase cases[16];
  guint n = 0;

  while (big->len <= cap + 1024)
    g_string_append (big, json ? "xxxxxxxxxxxxxxxx" : "T-1,TANK\n");
  if (json)
    g_string_append (big, "\"}");

#define CASE(w, c, b, l, h) cases[n++] = (BodyCase) { w, c, b, l, h }
  CASE ("oversized body", base->ctype ? base->ctype : "application/json", big->str, (gssize) big->len, "larger");
  switch (route->body)
    {
    case SYN_BODY_NONE:
      CASE ("a body where none is taken", "application/json", "{}", -1, "body");
      CASE ("text where none is taken", "text/plain", "x", -1, "body");
      break;
    case SYN_BODY_CSV:
      CASE ("CSV: invalid UTF-8", "text/csv", "TAG,TYPE\nT-\xff\xfe,TANK\n", -1, "UTF-8");
      CASE ("CSV: NUL byte", "text/csv", "TAG,TYPE\nT-1\0,TANK\n", 18, "UTF-8");
      CASE ("CSV: JSON content type", "application/json", "{\"csv\": \"TAG,TYPE\"}", -1, "Content-Type");
      CASE ("CSV: form content type", "application/x-www-form-urlencoded", base->body->str, -1, "Content-Type");
      CASE ("CSV: empty", "text/csv", "", 0, "header");
      break;
    case SYN_BODY_JSON:
    case SYN_BODY_RULE:
    default:
      CASE ("invalid UTF-8", base->ctype, "{\"name\": \"\xff\xfe\"}", -1, "UTF-8");
      CASE ("100,000 nested arrays", base->ctype, deep_array, -1, "nested");
      CASE ("100,000 nested objects", base->ctype, deep_object, -1, "nested");
      CASE ("truncated", base->ctype, base->body->str, (gssize) base->body->len / 2, "JSON");
      CASE ("array", base->ctype, "[]", -1, "object");
      CASE ("number", base->ctype, "42", -1, "object");
      CASE ("null", base->ctype, "null", -1, "object");
      CASE ("string", base->ctype, "\"x\"", -1, "object");
      CASE ("text/plain", "text/plain", base->body->str, -1, "Content-Type");
      CASE ("form", "application/x-www-form-urlencoded", base->body->str, -1, "Content-Type");
      CASE ("multipart", "multipart/form-data; boundary=x", base->body->str, -1, "Content-Type");
      break;
    }
#undef CASE

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(Request) r = request_copy (base);
      const char *hints[] = { cases[i].hint, NULL };

      if (f->subset && i > 0)
        break;
      set_body (r, cases[i].ctype, cases[i].body, cases[i].len);
      /* an empty body is sent without one */
      probe (f, r, cases[i].what, hints, ACCEPT_NEVER);
    }

  if (!json || f->subset)
    return;

  /* empty: every route that takes a JSON body needs something in it, but
   * a demo and a repair (all optional) and an asset patch (nothing to change) */
  if (!g_str_has_suffix (route->pattern, "/demo") && !g_str_has_suffix (route->pattern, "/repair") &&
      !g_str_has_suffix (route->pattern, "{asset_id}"))
    {
      g_autoptr(Request) r = request_copy (base);
      const char *hints[] = { "required", "rule", "body", NULL };

      set_body (r, base->ctype, "", 0);
      probe (f, r, "empty body", hints, ACCEPT_NEVER);
    }
  /* a member given twice (the first hostile), and a member nobody knows */
  {
    g_autoptr(JsonNode) root = syn_json_parse (base->body->str, -1, NULL);
    g_autoptr(GList) members = json_object_get_members (json_node_get_object (root));

    if (members != NULL)
      {
        g_autoptr(Request) r = request_copy (base);
        g_autofree char *body = g_strdup_printf ("{\"%s\": \"' OR 1=1 --\", %s", (char *) members->data,
                                                 base->body->str + 1);
        const char *hints[] = { members->data, "duplicate", NULL };

        set_body (r, base->ctype, body, -1);
        probe (f, r, "duplicate member", hints, ACCEPT_NEVER);
      }
    {
      g_autoptr(Request) r = request_copy (base);
      /* after the others, or alone in an object that had none */
      g_autofree char *body = members ? g_strdup_printf ("{\"zz_unknown\": 1, %s", base->body->str + 1)
                                      : g_strdup ("{\"zz_unknown\": 1}");
      const char *hints[] = { "zz_unknown", NULL };

      set_body (r, base->ctype, body, -1);
      probe (f, r, "unknown member", hints, ACCEPT_NEVER);
    }
  }
}

/* ------------------------------------------------------------------------- */
/* Fixture                                                                   */

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  const SynTestServerOptions *options = data;
  g_autofree char *admin_id = NULL;
  g_autofree char *members = NULL;
  g_autofree char *import = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  g_autofree char *rule = NULL;
  g_autoptr(JsonNode) answer = NULL;
  JsonObject *asset;

  f->srv = syn_security_server_start (options, &f->db);
  f->subset = options->postgres && !full_run;
  f->quick = !full_run;
  admin_id = syn_test_server_add_user (f->srv, "admin", "admin");
  g_free (syn_test_server_add_user (f->srv, "erin", "engineer"));
  g_free (syn_test_server_add_user (f->srv, "victor", "viewer"));
  f->admin = syn_test_server_login (f->srv, "admin");

  answer = call (f, "POST", "/api/v1/projects", "application/json", "{\"name\": \"Alpha\", \"country\": \"CA\"}", 201);
  f->project_a = g_strdup (syn_json_get_string (syn_security_object (answer), "id"));
  json_node_unref (g_steal_pointer (&answer));
  members = g_strdup_printf ("/api/v1/projects/%s/members", f->project_a);
  json_node_unref (call (f, "POST", members, "application/json", "{\"username\": \"erin\"}", 201));
  json_node_unref (call (f, "POST", members, "application/json", "{\"username\": \"victor\"}", 201));

  import = g_strdup_printf ("/api/v1/projects/%s/import", f->project_a);
  answer = call (f, "POST", import, "text/csv",
                 "TAG,TYPE,AREA,DISCIPLINE,pump_type,hp\n210-PP-001,PUMP,210,MECHANICAL,CENTRIFUGAL,50\n"
                 "210-PP-002,PUMP,210,MECHANICAL,CENTRIFUGAL,75\n210-TK-001,TANK,210,MECHANICAL,,\n", 200);
  f->batch_a = g_strdup (syn_json_get_string (syn_security_object (answer), "correlation_id"));
  json_node_unref (g_steal_pointer (&answer));
  path = g_strdup_printf ("/api/v1/projects/%s/assets/by-tag/210-PP-001", f->project_a);
  answer = call (f, "GET", path, NULL, NULL, 200);
  asset = syn_security_object (answer);
  f->asset_a = g_strdup (syn_json_get_string (asset, "id"));
  f->tag_a = g_strdup (syn_json_get_string (asset, "tag"));
  json_node_unref (g_steal_pointer (&answer));

  f->rule_a = g_strdup ("pump-motor");
  g_free (path);
  path = g_strdup_printf ("/api/v1/projects/%s/rules", f->project_a);
  rule = g_strdup_printf (PUMP_RULE, f->rule_a);
  json_node_unref (call (f, "POST", path, "application/json", rule, 201));
  f->library_rule = g_strdup ("library-pump-motor");
  g_free (rule);
  rule = g_strdup_printf (PUMP_RULE, f->library_rule);
  json_node_unref (call (f, "POST", "/api/v1/rules/library", "application/json", rule, 201));

  /* a finished dry run: an execution id to aim at */
  body = g_strdup_printf ("{\"project_id\": \"%s\", \"mode\": \"dry_run\"}", f->project_a);
  answer = call (f, "POST", "/api/v1/rules/execute", "application/json", body, 200);
  f->execution_a = g_strdup (syn_json_get_string (syn_security_object (answer), "execution_id"));
  json_node_unref (g_steal_pointer (&answer));
  syn_security_wait_run (f->srv, f->admin, f->execution_a);

  /* a second project, whose state must not move either */
  answer = call (f, "POST", "/api/v1/projects", "application/json", "{\"name\": \"Beta\"}", 201);
  f->project_b = g_strdup (syn_json_get_string (syn_security_object (answer), "id"));
  g_free (import);
  import = g_strdup_printf ("/api/v1/projects/%s/import", f->project_b);
  json_node_unref (call (f, "POST", import, "text/csv", "TAG,TYPE\n300-TK-001,TANK\n300-TK-002,TANK\n", 200));

  f->fingerprint = fingerprint (f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  total_requests += f->requests;
  total_literal += f->literal;
  g_test_message ("%u hostile requests (%u accepted as plain data)", f->requests, f->literal);
  syn_test_server_stop (f->srv);
  g_free (f->admin);
  g_free (f->project_a);
  g_free (f->project_b);
  g_free (f->asset_a);
  g_free (f->tag_a);
  g_free (f->rule_a);
  g_free (f->library_rule);
  g_free (f->execution_a);
  g_free (f->batch_a);
  g_free (f->fingerprint);
}

/* ------------------------------------------------------------------------- */
/* Cases                                                                     */

static void
probe_route (Fixture *f, const SynApiRoute *route, gboolean websocket, gboolean bodies)
{
  g_autoptr(Request) base = baseline (f, route, websocket);
  g_autofree char *what = g_strdup_printf ("%s %s (%s)", route->method, route->pattern,
                                           bodies ? "body" : "path and query");
  guint before = f->requests;
  gint64 started = g_get_monotonic_time ();

  if (!bodies)
    {
      probe_path (f, base);
      probe_query (f, base);
    }
  else
    {
      probe_body_values (f, base);
      probe_body (f, base);
    }
  /* reads are checked once per route; writes after each request */
  expect_unchanged (f, what);
  g_test_message ("%s: %u hostile requests, %.1f s", what, f->requests - before,
                  (double) (g_get_monotonic_time () - started) / G_USEC_PER_SEC);
}

static gboolean
creates_projects (const SynApiRoute *route)
{
  return g_strcmp0 (route->op, SYN_OP_CREATE_OWNED_PROJECT) == 0 || g_strcmp0 (route->op, SYN_OP_CREATE_DEMO) == 0;
}

/* Paths and queries of every route first, then bodies, those that make
 * projects last: a project that a body made with a hostile name (plain
 * data) would otherwise be found by that name in a later request. */
static void
probe_table (Fixture *f, const SynApiRoute *table, gboolean websocket, gboolean bodies)
{
  for (const SynApiRoute *route = table; route->pattern != NULL; route++)
    if (!bodies || !creates_projects (route))
      probe_route (f, route, websocket, bodies);
  for (const SynApiRoute *route = table; route->pattern != NULL && bodies; route++)
    if (creates_projects (route))
      probe_route (f, route, websocket, bodies);
}

static void
test_every_route (Fixture *f, gconstpointer data)
{
  probe_table (f, syn_api_routes, FALSE, FALSE);
  probe_table (f, syn_api_ws_routes, TRUE, FALSE);
  probe_table (f, syn_api_routes, FALSE, TRUE);
  probe_table (f, syn_api_ws_routes, TRUE, TRUE);
  g_assert_cmpuint (failures, ==, 0);
  g_assert_cmpuint (f->requests, >, 100);
  /* and the server still answers */
  json_node_unref (call (f, "GET", "/api/v1/health", NULL, NULL, 200));
}

/* The bugs this test found, each on its own: a 4xx JSON error whose
 * message names the problem, and nothing changed. */
static void
test_regressions (Fixture *f, gconstpointer data)
{
  static const struct
  {
    const char *method;
    const char *path;       /* {A}: project A, {R}: its rule */
    const char *ctype;
    const char *body;
    guint       status;
    const char *part;
  } cases[] = {
    /* an escaped lone surrogate became bytes that are not UTF-8, echoed in
     * answers (and storable) */
    { "POST", "/api/v1/auth/login", "application/json", "{\"username\": \"\\ud800\", \"password\": \"x\"}", 400, "surrogate" },
    { "POST", "/api/v1/projects/{A}/assets", "application/json", "{\"tag\": \"T-\\udfff\", \"type\": \"TANK\"}", 400, "surrogate" },
    /* \u0000 silently cut a string short */
    { "POST", "/api/v1/projects/{A}/assets", "application/json", "{\"tag\": \"T-1\\u0000x\", \"type\": \"TANK\"}", 400, "NUL" },
    /* any Content-Type was read as JSON */
    { "POST", "/api/v1/projects", "text/plain", "{\"name\": \"Form\"}", 415, "application/json" },
    { "POST", "/api/v1/projects/{A}/import", "application/x-www-form-urlencoded", "TAG,TYPE\nF-1,TANK\n", 415, "text/csv" },
    /* the last of two members won, unseen */
    { "POST", "/api/v1/projects", "application/json", "{\"name\": \"One\", \"name\": \"Two\"}", 400, "duplicate member \"name\"" },
    /* unknown members were ignored: a typo went unnoticed */
    { "POST", "/api/v1/projects", "application/json", "{\"name\": \"Typo\", \"descripton\": \"x\"}", 400, "descripton" },
    { "POST", "/api/v1/auth/login", "application/json", "{\"username\": \"admin\", \"password\": \"" SYN_TEST_PASSWORD "\", \"x\": 1}", 400, "x: unknown" },
    /* ?q=%00 read as an empty search: everything matched */
    { "GET", "/api/v1/projects/{A}/assets?q=%00", NULL, NULL, 400, "NUL" },
    { "GET", "/api/v1/events/timeline?project_id={A}%00junk", NULL, NULL, 400, "NUL" },
    /* 1e308 was answered as 1e+308.0, which no client can read */
    { "POST", "/api/v1/projects/{A}/assets", "application/json", "{\"tag\": \"T-big\", \"type\": \"TANK\", \"properties\": {\"v\": 1e308}}", 201, NULL },
    /* a rule called ".." could never be addressed again */
    { "POST", "/api/v1/projects/{A}/rules", "application/json", "{\"id\": \"..\", \"name\": \"n\", \"source\": \"FIRM\", \"action_type\": \"CREATE_CHILD\", \"condition\": {\"asset_type\": \"TANK\"}, \"action\": {\"type\": \"LT\", \"naming\": \"{tag}-LT\", \"relation\": \"measures\"}}", 400, "id" },
    /* PUT: an id that is not a string was replaced by the path's */
    { "PUT", "/api/v1/projects/{A}/rules/{R}", "application/json", "{\"id\": 12, \"name\": \"n\", \"source\": \"FIRM\", \"action_type\": \"CREATE_CHILD\", \"condition\": {\"asset_type\": \"TANK\"}, \"action\": {\"type\": \"LT\", \"naming\": \"{tag}-LT\", \"relation\": \"measures\"}}", 400, "id" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(GStrv) a = g_strsplit (cases[i].path, "{A}", -1);
      g_autofree char *with_a = g_strjoinv (f->project_a, a);
      g_auto(GStrv) r = g_strsplit (with_a, "{R}", -1);
      g_autofree char *path = g_strjoinv (f->rule_a, r);
      g_autoptr(GString) body = g_string_new (cases[i].body);
      g_autoptr(JsonNode) answer = NULL;
      g_autoptr(SoupMessage) msg = send_raw (f, cases[i].method, path, cases[i].ctype, body, &answer);

      if (soup_message_get_status (msg) != cases[i].status)
        g_error ("%s %s: %u, expected %u", cases[i].method, path, soup_message_get_status (msg), cases[i].status);
      if (cases[i].part != NULL)
        {
          g_assert_nonnull (strstr (syn_test_error_message (answer), cases[i].part));
          expect_unchanged (f, path);
        }
      else
        {
          g_free (f->fingerprint);
          f->fingerprint = fingerprint (f);
        }
    }

  /* a WebSocket path asked without the handshake: JSON, not libsoup's page */
  {
    g_autofree char *path = g_strdup_printf ("/ws/projects/%s/events", f->project_a);
    g_autoptr(GString) none = g_string_new (NULL);
    g_autoptr(JsonNode) answer = NULL;
    g_autoptr(SoupMessage) msg = send_raw (f, "GET", path, NULL, none, &answer);

    g_assert_cmpuint (soup_message_get_status (msg), ==, 400);
    g_assert_nonnull (strstr (syn_test_error_message (answer), "WebSocket"));
  }
  g_assert_cmpuint (failures, ==, 0);
}

static void
print_totals (void)
{
  if (total_requests > 0)
    g_print ("# hostile: %u requests sent, %u accepted as plain data, every other one a 4xx\n",
             total_requests, total_literal);
}

int
main (int argc, char **argv)
{
  /* ours, before GLib reads the rest */
  full_run = syn_security_take_full (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/security/hostile/sqlite/regressions", Fixture, &on_sqlite, fixture_setup, test_regressions,
              fixture_teardown);
  g_test_add ("/security/hostile/sqlite/every-route", Fixture, &on_sqlite, fixture_setup, test_every_route,
              fixture_teardown);
  if (syn_test_pg_bindir () != NULL)
    g_test_add ("/security/hostile/postgresql/every-route", Fixture, &on_postgres, fixture_setup,
                test_every_route, fixture_teardown);
  else
    g_test_add_func ("/security/hostile/postgresql/every-route", syn_security_postgres_missing);
  atexit (print_totals);
  return g_test_run ();
}
