/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-security-common.c: helpers shared by the security tests (test-hostile.c, test-authz.c). */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "core/syn-core.h"
#include "engine/syn-rule-parser.h"
#include "syn-security-common.h"
#include "syn-test-pg.h"

/* Whether --full (ours: the on-demand run) is among the arguments; takes it
 * out before GLib reads the rest. */
gboolean
syn_security_take_full (int *argc, char ***argv)
{
  gboolean full = FALSE;

  for (int i = 1; i < *argc; i++)
    if (g_str_equal ((*argv)[i], "--full"))
      {
        full = TRUE;
        memmove (&(*argv)[i], &(*argv)[i + 1], (size_t) (*argc - i) * sizeof (char *));
        (*argc)--;
        i--;
      }
  return full;
}

/* A server on a thread; @db gets its backend and uri (for raw counts). */
SynTestServer *
syn_security_server_start (const SynTestServerOptions *options, SynTestFixture *db)
{
  SynTestServer *srv = syn_test_server_start (options);

  db->backend = options->postgres ? SYN_TEST_BACKEND_POSTGRESQL : SYN_TEST_BACKEND_SQLITE;
  db->uri = srv->db_uri;
  return srv;
}

/* The first column of the first row of a raw query. SQLite: a connection
 * of its own that waits for a lock rather than failing at once (a run the
 * server finishes may be checkpointing). */
gint64
syn_security_query_int (const SynTestFixture *db, const char *sql)
{
  sqlite3 *conn = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  if (db->backend == SYN_TEST_BACKEND_POSTGRESQL)
    return syn_test_pg_query_int (db->uri, sql);
  g_assert_cmpint (sqlite3_open_v2 (db->uri, &conn, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (conn, 60000);
  g_assert_cmpint (sqlite3_prepare_v2 (conn, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (conn);
  return value;
}

JsonObject *
syn_security_object (JsonNode *node)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

/* Waits until the run @execution_id has finished: its feed closes. */
void
syn_security_wait_run (SynTestServer *srv, const char *token, const char *execution_id)
{
  g_autofree char *path = g_strdup_printf ("/ws/execution/%s", execution_id);
  g_autoptr(SynTestWs) ws = syn_test_ws_connect (srv, path, token);

  g_assert_nonnull (ws->conn);
  g_assert_true (syn_test_ws_wait_closed (ws, 120000));
}

/* Appends the rules of @project_id (NULL: the library) to a fingerprint. */
void
syn_security_append_rules (SynStore *store, GString *s, const char *project_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rules = syn_store_list_rules (store, project_id, project_id == NULL, &error);

  g_assert_no_error (error);
  for (guint r = 0; r < rules->len; r++)
    {
      g_autoptr(JsonNode) node = syn_rule_to_definition_json (g_ptr_array_index (rules, r));
      g_autofree char *text = syn_json_to_string (node);

      g_string_append_printf (s, "\n  %s", text);
    }
}

void
syn_security_postgres_missing (void)
{
  g_test_skip ("PostgreSQL's server binaries are not installed");
}
