/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-cli.c: the synapse command line as a user runs it: errors, exit statuses, --json, databases, serve, plurals. */
#include "config.h"

#include <gio/gio.h>
#include <signal.h>
#include <string.h>

#include "core/syn-core.h"
#include "store/syn-pg-store.h"
#include "syn-test-cli.h"
#include "syn-test-fixture.h"
#include "syn-test-pg.h"

/* ------------------------------------------------------------------------- */
/* Running the command line                                                  */

/* synapse ARGS... (NULL-terminated) in @home, @input on stdin; the C locale. */
static void
run_in (const char *home, SynTestCliResult *r, const char *input, const char *first, ...)
{
  g_autoptr(GSubprocessLauncher) launcher = syn_test_cli_launcher (home, G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                         G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                         G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *arg;
  va_list args;

  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  g_ptr_array_add (argv, (gpointer) syn_test_synapse_bin ());
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  syn_test_cli_run (launcher, (const char * const *) argv->pdata, input, r);
}

/* In the fixture's folder, on its database: --db URI is appended. */
#define run_cli(f, r, input, ...) run_in ((f)->tmpdir, (r), (input), __VA_ARGS__, "--db", (f)->uri, NULL)

/* Exactly one line on stderr, "synapse: " and @part; the exit status. */
static void
expect_error (SynTestCliResult *r, int status, const char *part)
{
  const char *end;

  if (r->status != status)
    g_error ("exit %d, expected %d: %s", r->status, status, r->err);
  g_assert_true (g_str_has_prefix (r->err, "synapse: "));
  end = strchr (r->err, '\n');
  g_assert_nonnull (end);
  g_assert_cmpstr (end + 1, ==, "");
  /* one prefix, not two */
  g_assert_null (strstr (r->err + strlen ("synapse: "), "synapse:"));
  if (part != NULL && strstr (r->err, part) == NULL)
    g_error ("\"%s\" does not say \"%s\"", r->err, part);
}

/* --json: {"error": {"code", "message", "details"}} on stdout; its details. */
static JsonObject *
expect_json_error (SynTestCliResult *r, const char *code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = syn_json_parse (r->out, -1, &error);
  JsonObject *e;

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  e = json_object_get_object_member (json_node_get_object (root), "error");
  g_assert_nonnull (e);
  g_assert_cmpstr (syn_json_get_string (e, "code"), ==, code);
  g_assert_nonnull (syn_json_get_string (e, "message"));
  g_assert_true (json_object_has_member (e, "details"));
  if (JSON_NODE_HOLDS_NULL (json_object_get_member (e, "details")))
    return NULL;
  return json_object_ref (json_object_get_object_member (e, "details"));
}

static guint
count_projects (SynTestFixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) projects = syn_store_list_projects (f->store, &error);

  g_assert_no_error (error);
  return projects->len;
}

static char *
write_file (SynTestFixture *f, const char *name, const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->tmpdir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static const char *motor_rule =
  "{\"id\": \"motor\", \"name\": \"FIRM: Pumps require Motor\", \"source\": \"FIRM\", \"action_type\": \"CREATE_CHILD\","
  " \"discipline\": \"ELECTRICAL\", \"condition\": {\"asset_type\": \"PUMP\"},"
  " \"action\": {\"type\": \"MOTOR\", \"naming\": \"{area}-M-{tag_number}\", \"relation\": \"powers\"}}";

/* The "correlation_id" of a command's --json answer. */
static char *
correlation_of (SynTestCliResult *r)
{
  g_autoptr(JsonNode) answer = syn_test_cli_json (r->out);

  return g_strdup (syn_json_get_string (json_node_get_object (answer), "correlation_id"));
}

/* ------------------------------------------------------------------------- */
/* Names                                                                     */

/* Blank or whitespace-only names are refused (exit 2, 400 "invalid"),
 * nothing is written; a name is kept trimmed. */
static void
test_blank_names (SynTestFixture *f, gconstpointer data)
{
  g_auto(SynTestCliResult) r = { 0 };
  g_autoptr(JsonObject) details = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SynProject) mill = NULL;
  g_autoptr(GPtrArray) users = NULL;

  run_cli (f, &r, NULL, "project", "create", "   ");
  expect_error (&r, 2, "name: must not be blank");
  run_cli (f, &r, NULL, "project", "create", " \t ", "--json");
  expect_error (&r, 2, "name: must not be blank");
  details = expect_json_error (&r, "invalid");
  g_assert_null (details);
  run_cli (f, &r, NULL, "demo", "--name", "  ");
  expect_error (&r, 2, "name: must not be blank");
  g_assert_cmpuint (count_projects (f), ==, 1);

  run_cli (f, &r, NULL, "project", "create", "  Mill  ");
  syn_test_cli_expect_ok (&r, "project create");
  mill = syn_store_find_project (f->store, "Mill", &error);
  g_assert_no_error (error);
  g_assert_nonnull (mill);

  run_cli (f, &r, "a good password\n", "user", "add", "   ", "--role", "viewer");
  expect_error (&r, 2, "username");
  run_cli (f, &r, "a good password\n", "user", "add", "bob", "--role", "viewer", "--display-name", "   ");
  expect_error (&r, 2, "display_name: must not be blank");
  users = syn_store_list_users (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (users->len, ==, 0);
}

/* ------------------------------------------------------------------------- */
/* Errors                                                                    */

/* One line on stderr with one prefix; exit 2 for bad usage and refused
 * input, 1 for other failures; with --json the error on stdout too. */
static void
test_errors (SynTestFixture *f, gconstpointer data)
{
  g_auto(SynTestCliResult) r = { 0 };

  run_cli (f, &r, NULL, "timeline", "--project", "Test", "--limit", "0");
  expect_error (&r, 2, "limit: must be between 1 and 500");
  g_assert_cmpstr (r.out, ==, "");
  run_cli (f, &r, NULL, "timeline", "--project", "Test", "--limit", "0", "--json");
  expect_error (&r, 2, "limit");
  g_assert_null (expect_json_error (&r, "invalid"));

  run_cli (f, &r, NULL, "timeline", "--project", "Nowhere", "--json");
  expect_error (&r, 1, "No project \"Nowhere\"");
  g_assert_null (expect_json_error (&r, "not_found"));

  run_cli (f, &r, NULL, "timeline", "--project", "Test", "--no-such-option", "--json");
  expect_error (&r, 2, "--no-such-option");
  g_assert_null (expect_json_error (&r, "usage"));

  run_cli (f, &r, NULL, "execute", "--project", "Test", "--discipline", "ELECTRICITY");
  expect_error (&r, 2, "unknown discipline \"ELECTRICITY\"");

  run_in (f->tmpdir, &r, NULL, "frobnicate", "--json", NULL);
  expect_error (&r, 2, "unknown command \"frobnicate\"");
}

/* A rollback refused for later batches: its blockers as the error's
 * details on stdout with --json, listed on stderr without. */
static void
test_rollback_refused_json (SynTestFixture *f, gconstpointer data)
{
  g_auto(SynTestCliResult) r = { 0 };
  g_autoptr(JsonObject) details = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  JsonArray *blockers;
  gboolean named = FALSE;

  run_cli (f, &r, NULL, "asset", "add", "210-PP-001", "--type", "PUMP", "--project", "Test", "--json");
  syn_test_cli_expect_ok (&r, "asset add");
  first = correlation_of (&r);
  run_cli (f, &r, NULL, "asset", "set", "210-PP-001", "--set", "hp=50", "--project", "Test", "--json");
  syn_test_cli_expect_ok (&r, "asset set");
  second = correlation_of (&r);

  run_cli (f, &r, NULL, "rollback", first, "--project", "Test", "--json");
  expect_error (&r, 1, NULL);
  details = expect_json_error (&r, "conflict");
  g_assert_nonnull (details);
  blockers = json_object_get_array_member (details, "blocking_batches");
  g_assert_nonnull (blockers);
  for (guint i = 0; i < json_array_get_length (blockers); i++)
    named = named || g_strcmp0 (syn_json_get_string (json_array_get_object_element (blockers, i),
                                                     "correlation_id"), second) == 0;
  g_assert_true (named);

  run_cli (f, &r, NULL, "rollback", first, "--project", "Test");
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_true (g_str_has_prefix (r.err, "synapse: "));
  g_assert_nonnull (strstr (r.err, second));
}

/* ------------------------------------------------------------------------- */
/* Disciplines                                                               */

/* A discipline in any case filters as in upper case, as the CSV import
 * and edits take it. */
static void
test_discipline_any_case (SynTestFixture *f, gconstpointer data)
{
  g_auto(SynTestCliResult) r = { 0 };
  g_autoptr(JsonNode) upper = NULL;
  g_autoptr(JsonNode) lower = NULL;
  g_autoptr(JsonNode) started = NULL;
  JsonArray *applied;

  run_cli (f, &r, NULL, "asset", "add", "210-M-001", "--type", "MOTOR", "--discipline", "electrical",
           "--project", "Test");
  syn_test_cli_expect_ok (&r, "asset add");
  run_cli (f, &r, NULL, "asset", "add", "210-PP-001", "--type", "PUMP", "--discipline", "Mechanical",
           "--project", "Test");
  syn_test_cli_expect_ok (&r, "asset add");

  run_cli (f, &r, NULL, "timeline", "--project", "Test", "--discipline", "ELECTRICAL", "--json");
  syn_test_cli_expect_ok (&r, "timeline ELECTRICAL");
  upper = syn_test_cli_json (r.out);
  run_cli (f, &r, NULL, "timeline", "--project", "Test", "--discipline", "electrical", "--json");
  syn_test_cli_expect_ok (&r, "timeline electrical");
  lower = syn_test_cli_json (r.out);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (upper), "total"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (lower), "total"), ==, 1);

  run_cli (f, &r, NULL, "execute", "--project", "Test", "--dry-run", "--discipline", "eLeCtRiCaL", "--json");
  syn_test_cli_expect_ok (&r, "execute --discipline eLeCtRiCaL");
  {
    g_auto(GStrv) lines = g_strsplit (r.out, "\n", 2);

    started = syn_test_cli_json (lines[0]);
  }
  g_assert_cmpstr (syn_json_get_string (json_node_get_object (started), "type"), ==, "STARTED");
  applied = json_object_get_array_member (json_object_get_object_member (json_node_get_object (started),
                                                                        "filters_applied"), "disciplines");
  g_assert_cmpuint (json_array_get_length (applied), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (applied, 0), ==, "ELECTRICAL");
}

/* ------------------------------------------------------------------------- */
/* Renaming                                                                  */

static SynAsset *
asset_by_tag (SynTestFixture *f, const char *tag)
{
  g_autoptr(GError) error = NULL;
  SynAsset *asset = syn_store_get_asset_by_tag (f->store, f->project->id, tag, &error);

  g_assert_no_error (error);
  return asset;
}

/* asset set --tag renames (an ASSET_UPDATED of the tag, the same asset);
 * a tag in use is refused. The rule-made child named from the old tag is
 * renamed by the next run: the same child, its new name. */
static void
test_asset_rename (SynTestFixture *f, gconstpointer data)
{
  g_auto(SynTestCliResult) r = { 0 };
  g_autofree char *rules = write_file (f, "motor.json", motor_rule);
  g_autoptr(SynAsset) pump = NULL;
  g_autoptr(SynAsset) renamed = NULL;
  g_autoptr(SynAsset) motor = NULL;
  g_autoptr(SynAsset) motor_after = NULL;
  g_autoptr(JsonNode) history = NULL;
  JsonArray *events;
  JsonObject *last;

  run_cli (f, &r, NULL, "asset", "add", "210-PP-001", "--type", "PUMP", "--area", "210", "--project", "Test");
  syn_test_cli_expect_ok (&r, "asset add");
  run_cli (f, &r, NULL, "rules", "add", rules, "--project", "Test");
  syn_test_cli_expect_ok (&r, "rules add");
  run_cli (f, &r, NULL, "execute", "--project", "Test");
  syn_test_cli_expect_ok (&r, "execute");
  pump = asset_by_tag (f, "210-PP-001");
  motor = asset_by_tag (f, "210-M-001");
  g_assert_nonnull (pump);
  g_assert_nonnull (motor);

  run_cli (f, &r, NULL, "asset", "set", "210-PP-001", "--tag", "210-PP-009", "--project", "Test");
  syn_test_cli_expect_ok (&r, "asset set --tag");
  g_assert_nonnull (strstr (r.out, "now 210-PP-009"));
  renamed = asset_by_tag (f, "210-PP-009");
  g_assert_nonnull (renamed);
  g_assert_cmpstr (renamed->id, ==, pump->id);
  g_assert_null (asset_by_tag (f, "210-PP-001"));
  run_cli (f, &r, NULL, "history", "210-PP-009", "--project", "Test", "--json");
  syn_test_cli_expect_ok (&r, "history");
  history = syn_test_cli_json (r.out);
  events = json_object_get_array_member (json_node_get_object (history), "history");
  last = json_array_get_object_element (events, json_array_get_length (events) - 1);
  g_assert_cmpstr (syn_json_get_string (last, "event_type"), ==, "ASSET_UPDATED");

  /* a tag in use, a blank one: refused, nothing written */
  run_cli (f, &r, NULL, "asset", "set", "210-PP-009", "--tag", "210-M-001", "--project", "Test", "--json");
  expect_error (&r, 1, "tag 210-M-001 already exists");
  g_assert_null (expect_json_error (&r, "conflict"));
  run_cli (f, &r, NULL, "asset", "set", "210-PP-009", "--tag", "  ", "--project", "Test");
  expect_error (&r, 2, "tag: must not be empty");
  g_clear_object (&renamed);
  renamed = asset_by_tag (f, "210-PP-009");
  g_assert_nonnull (renamed);

  /* the living model: the next run renames the child, the same asset */
  run_cli (f, &r, NULL, "execute", "--project", "Test");
  syn_test_cli_expect_ok (&r, "execute after the rename");
  g_assert_null (asset_by_tag (f, "210-M-001"));
  motor_after = asset_by_tag (f, "210-M-009");
  g_assert_nonnull (motor_after);
  g_assert_cmpstr (motor_after->id, ==, motor->id);
  run_cli (f, &r, NULL, "status", "--project", "Test");
  syn_test_cli_expect_ok (&r, "status");
  g_assert_true (g_str_has_prefix (r.out, "Up to date"));
}

/* ------------------------------------------------------------------------- */
/* Plurals                                                                   */

/* Counts agree in number: "1 event", "1 asset restored". */
static void
test_plurals (SynTestFixture *f, gconstpointer data)
{
  g_auto(SynTestCliResult) r = { 0 };
  g_autofree char *edit = NULL;

  run_cli (f, &r, NULL, "asset", "add", "210-PP-001", "--type", "PUMP", "--project", "Test");
  syn_test_cli_expect_ok (&r, "asset add");
  run_cli (f, &r, NULL, "history", "210-PP-001", "--project", "Test");
  syn_test_cli_expect_ok (&r, "history");
  g_assert_true (g_str_has_suffix (r.out, "\n1 event\n"));
  run_cli (f, &r, NULL, "timeline", "--project", "Test");
  syn_test_cli_expect_ok (&r, "timeline");
  g_assert_true (g_str_has_suffix (r.out, "Page 1 of 1, 1 event\n"));
  /* keyset pages: the positions to go on with, either way */
  run_cli (f, &r, NULL, "timeline", "--project", "Test", "--before", "1000000");
  syn_test_cli_expect_ok (&r, "timeline --before");
  g_assert_nonnull (strstr (r.out, " of 1 event; older: --before "));
  run_cli (f, &r, NULL, "timeline", "--project", "Test", "--after", "1000000");
  syn_test_cli_expect_ok (&r, "timeline --after");
  g_assert_true (g_str_has_suffix (r.out, "No events there, of 1 event\n"));
  run_cli (f, &r, NULL, "asset", "list", "--project", "Test");
  syn_test_cli_expect_ok (&r, "asset list");
  g_assert_true (g_str_has_suffix (r.out, ", 1 asset\n"));

  run_cli (f, &r, NULL, "asset", "set", "210-PP-001", "--set", "hp=50", "--project", "Test", "--json");
  syn_test_cli_expect_ok (&r, "asset set");
  edit = correlation_of (&r);
  run_cli (f, &r, NULL, "rollback", edit, "--project", "Test");
  syn_test_cli_expect_ok (&r, "rollback");
  g_assert_nonnull (strstr (r.out, ": 0 assets, 0 cables, 0 edges deleted, 1 asset restored (1 event)\n"));
}

/* The binary of the build tree speaks French without being installed: it
 * finds the catalogs built beside it (issue 14). */
static void
test_french_from_build_tree (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_auto(SynTestCliResult) r = { 0 };
  const char *add[] = { syn_test_synapse_bin (), "asset", "add", "210-PP-001", "--type", "PUMP", "--project", "Test",
                        "--db", f->uri, NULL };
  const char *history[] = { syn_test_synapse_bin (), "history", "210-PP-001", "--project", "Test", "--db", f->uri, NULL };

  launcher = syn_test_cli_launcher (f->tmpdir, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "fr", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "SYNAPSE_LOCALEDIR");
  syn_test_cli_run (launcher, add, NULL, &r);
  syn_test_cli_expect_ok (&r, "asset add");
  syn_test_cli_run (launcher, history, NULL, &r);
  syn_test_cli_expect_ok (&r, "history");
  g_assert_true (g_str_has_suffix (r.out, "\n1 événement\n"));
}

/* ------------------------------------------------------------------------- */
/* Databases                                                                 */

/* A command that only reads refuses a missing database and makes nothing;
 * a given path's folder is never made; the default one's is, by a command
 * that creates. */
static void
test_missing_database (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *home = g_dir_make_tmp ("synapse-cli-XXXXXX", &error);
  g_autofree char *missing = g_build_filename (home, "missing.db", NULL);
  g_autofree char *nofolder_dir = g_build_filename (home, "nofolder", NULL);
  g_autofree char *nofolder = g_build_filename (nofolder_dir, "x.db", NULL);
  g_autofree char *default_dir = g_build_filename (home, "data", "synapse", NULL);
  g_autofree char *default_db = g_build_filename (default_dir, "synapse.db", NULL);
  g_auto(SynTestCliResult) r = { 0 };

  g_assert_no_error (error);
  run_in (home, &r, NULL, "project", "list", "--db", missing, NULL);
  expect_error (&r, 1, "No database at");
  g_assert_nonnull (strstr (r.err, missing));
  run_in (home, &r, NULL, "timeline", "--project", "P", "--db", missing, NULL);
  expect_error (&r, 1, "No database at");
  run_in (home, &r, NULL, "status", "--project", "P", "--db", missing, NULL);
  expect_error (&r, 1, "No database at");
  run_in (home, &r, NULL, "user", "list", "--db", missing, NULL);
  expect_error (&r, 1, "No database at");
  run_in (home, &r, NULL, "rules", "list", "--library", "--db", missing, NULL);
  expect_error (&r, 1, "No database at");
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));

  run_in (home, &r, NULL, "project", "create", "Mill", "--db", nofolder, NULL);
  expect_error (&r, 1, "there is no folder");
  g_assert_false (g_file_test (nofolder_dir, G_FILE_TEST_EXISTS));

  /* the default database: read-only commands make no folder */
  run_in (home, &r, NULL, "project", "list", NULL);
  expect_error (&r, 1, "No database at");
  g_assert_false (g_file_test (default_dir, G_FILE_TEST_EXISTS));
  run_in (home, &r, NULL, "project", "create", "Mill", NULL);
  syn_test_cli_expect_ok (&r, "project create on the default database");
  g_assert_true (g_file_test (default_db, G_FILE_TEST_IS_REGULAR));
  run_in (home, &r, NULL, "project", "list", NULL);
  syn_test_cli_expect_ok (&r, "project list on the default database");
  g_assert_nonnull (strstr (r.out, "Mill"));

  syn_test_rm_rf (home);
}

/* PostgreSQL never makes a database: a missing one is an error too. */
static void
test_missing_database_pg (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = syn_pg_uri_with_database (f->uri, "synapse_cli_no_such_db", &error);
  g_auto(SynTestCliResult) r = { 0 };

  g_assert_no_error (error);
  run_in (f->tmpdir, &r, NULL, "project", "list", "--db", uri, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_true (g_str_has_prefix (r.err, "synapse: "));
  g_assert_cmpint (syn_test_pg_query_int (syn_test_pg_server_uri (),
                                          "SELECT count(*) FROM pg_database WHERE datname = 'synapse_cli_no_such_db'"),
                   ==, 0);
}

/* ------------------------------------------------------------------------- */
/* serve                                                                     */

/* A port held by someone else, for as long as the listener lives. */
static GSocketListener *
hold_port (guint16 *port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  GSocketListener *listener = g_socket_listener_new ();

  g_socket_listener_add_address (listener, any, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return listener;
}

/* synapse serve on a free port: its output up to the line that says it
 * serves, then stopped (SIGTERM). Returns that output. */
static char *
serve_once (SynTestFixture *f)
{
  g_autoptr(GSubprocessLauncher) launcher = syn_test_cli_launcher (f->tmpdir, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                    G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  process = g_subprocess_launcher_spawn (launcher, &error, syn_test_synapse_bin (), "serve", "--port", "0", "--quiet",
                                         "--db", f->uri, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);

      g_assert_no_error (error);
      if (line == NULL)
        g_error ("synapse serve stopped before serving: %s", out->str);
      g_string_append_printf (out, "%s\n", line);
      if (strstr (line, " serving the ") != NULL)
        break;
    }
  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gint64
unshown (SynTestFixture *f)
{
  return syn_test_query_int (f, "SELECT count(*) FROM users WHERE password_unshown = (1 = 1)");
}

/* The first admin is made only once the port is bound, and its password is
 * then shown; an admin whose password was never shown gets a recovery hint
 * at start, until given a password. */
static void
test_serve_admin (SynTestFixture *f, gconstpointer data)
{
  g_auto(SynTestCliResult) r = { 0 };
  g_autofree char *first = NULL;
  g_autofree char *again = NULL;
  g_autofree char *hinted = NULL;
  g_autofree char *recovered = NULL;
  g_autofree char *port_text = NULL;
  g_autoptr(GSocketListener) taken = NULL;
  guint16 port;

  taken = hold_port (&port);
  port_text = g_strdup_printf ("%u", port);
  run_cli (f, &r, NULL, "serve", "--port", port_text);
  expect_error (&r, 1, "Cannot listen on");
  g_assert_cmpint (syn_test_query_int (f, "SELECT count(*) FROM users"), ==, 0);
  g_socket_listener_close (taken);

  first = serve_once (f);
  g_assert_nonnull (strstr (first, "Created the first user, \"admin\""));
  g_assert_cmpint (syn_test_query_int (f, "SELECT count(*) FROM users"), ==, 1);
  g_assert_cmpint (unshown (f), ==, 0);
  again = serve_once (f);
  g_assert_null (strstr (again, "Created the first user"));
  g_assert_null (strstr (again, "never shown"));

  /* as a server that died before it could print the password leaves it */
  g_assert_true (syn_test_exec_raw (f, "UPDATE users SET password_unshown = (1 = 1)", NULL));
  hinted = serve_once (f);
  g_assert_nonnull (strstr (hinted, "The password of \"admin\" was never shown"));
  g_assert_nonnull (strstr (hinted, "synapse user passwd admin"));

  run_cli (f, &r, "a new password\n", "user", "passwd", "admin");
  syn_test_cli_expect_ok (&r, "user passwd");
  g_assert_cmpint (unshown (f), ==, 0);
  recovered = serve_once (f);
  g_assert_null (strstr (recovered, "never shown"));
}

/* ------------------------------------------------------------------------- */
/* execute                                                                   */

static char *
pumps_csv (guint n)
{
  g_autoptr(GString) csv = g_string_new ("tag,type,area,hp\n");

  for (guint i = 1; i <= n; i++)
    g_string_append_printf (csv, "P-%05u,PUMP,100,%u\n", i, 10 + i % 90);
  return g_string_free (g_steal_pointer (&csv), FALSE);
}

/* Ctrl-C: the run says "cancelled" in its last message, on stderr (one
 * line) and in the --json error; exit 1; nothing committed. */
static void
test_execute_cancelled (SynTestFixture *f, gconstpointer data)
{
  g_auto(SynTestCliResult) r = { 0 };
  g_autofree char *csv_text = pumps_csv (20000);
  g_autofree char *csv = write_file (f, "pumps.csv", csv_text);
  g_autofree char *rules = write_file (f, "motor.json", motor_rule);
  g_autoptr(GSubprocessLauncher) launcher = syn_test_cli_launcher (f->tmpdir, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                    G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GDataInputStream) err_lines = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) end = NULL;
  g_autoptr(JsonNode) error_line = NULL;
  gint64 events;

  run_cli (f, &r, NULL, "import", csv, "--project", "Test");
  syn_test_cli_expect_ok (&r, "import");
  run_cli (f, &r, NULL, "rules", "add", rules, "--project", "Test");
  syn_test_cli_expect_ok (&r, "rules add");
  events = syn_test_query_int (f, "SELECT count(*) FROM workflow_events");

  process = g_subprocess_launcher_spawn (launcher, &error, syn_test_synapse_bin (), "execute", "--project", "Test", "--json",
                                         "--db", f->uri, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  for (;;)
    {
      char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);

      g_assert_no_error (error);
      if (line == NULL)
        break;
      g_ptr_array_add (messages, line);
      /* the run has begun: cancel it as Ctrl-C does */
      if (messages->len == 1)
        g_subprocess_send_signal (process, SIGINT);
    }
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
  err_lines = g_data_input_stream_new (g_subprocess_get_stderr_pipe (process));
  err = g_data_input_stream_read_upto (err_lines, "", 0, NULL, NULL, &error);
  g_assert_no_error (error);
  /* what Ctrl-C says at once, then the one error line */
  g_assert_nonnull (strstr (err, "\nsynapse: Execution cancelled: nothing was committed\n"));

  g_assert_cmpuint (messages->len, >=, 3);
  end = syn_test_cli_json (g_ptr_array_index (messages, messages->len - 2));
  g_assert_cmpstr (syn_json_get_string (json_node_get_object (end), "type"), ==, "ERROR");
  g_assert_false (json_object_get_boolean_member (json_node_get_object (end), "recoverable"));
  g_assert_cmpstr (syn_json_get_string (json_node_get_object (end), "status"), ==, "cancelled");
  error_line = syn_test_cli_json (g_ptr_array_index (messages, messages->len - 1));
  g_assert_cmpstr (syn_json_get_string (json_object_get_object_member (json_node_get_object (error_line), "error"),
                                        "code"), ==, "cancelled");
  g_assert_cmpint (syn_test_query_int (f, "SELECT count(*) FROM workflow_events"), ==, events);
  g_assert_cmpint (syn_test_query_int (f, "SELECT count(*) FROM executions WHERE status = 'cancelled'"), ==, 1);
  g_assert_cmpint (syn_test_query_int (f, "SELECT count(*) FROM executions WHERE status = 'failed'"), ==, 0);
}

/* The audit file written as the events are read, whole or not at all; the
 * asset list as of a moment; bad moments named by their option. */
static void
test_history_files (SynTestFixture *f, gconstpointer data)
{
  g_auto(SynTestCliResult) r = { 0 };
  g_autofree char *audit = g_build_filename (f->tmpdir, "audit.jsonl", NULL);
  g_autofree char *part = g_strconcat (audit, ".part", NULL);
  g_autofree char *refused = g_build_filename (f->tmpdir, "refused.jsonl", NULL);
  g_autofree char *now = NULL;

  run_cli (f, &r, NULL, "asset", "add", "210-PP-001", "--type", "PUMP", "--project", "Test");
  syn_test_cli_expect_ok (&r, "asset add");
  run_cli (f, &r, NULL, "asset", "add", "210-PP-002", "--type", "PUMP", "--project", "Test");
  syn_test_cli_expect_ok (&r, "asset add");

  run_cli (f, &r, NULL, "export", "audit", "--project", "Test", "-o", audit);
  syn_test_cli_expect_ok (&r, "export audit");
  g_assert_true (g_file_test (audit, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
  run_in (f->tmpdir, &r, NULL, "verify", "--file", audit, NULL);
  syn_test_cli_expect_ok (&r, "verify --file");
  run_cli (f, &r, NULL, "export", "audit", "--project", "Test", "--from", "nonsense", "-o", refused);
  expect_error (&r, 2, "--from: \"nonsense\" is no moment");
  g_assert_false (g_file_test (refused, G_FILE_TEST_EXISTS));

  run_cli (f, &r, NULL, "export", "assets", "--project", "Test");
  syn_test_cli_expect_ok (&r, "export assets");
  now = g_strdup (r.out);
  run_cli (f, &r, NULL, "export", "assets", "--project", "Test", "--as-of", "now");
  syn_test_cli_expect_ok (&r, "export assets --as-of now");
  g_assert_cmpstr (r.out, ==, now);
  g_assert_nonnull (strstr (r.out, "210-PP-002"));
  run_cli (f, &r, NULL, "export", "assets", "--project", "Test", "--as-of", "2001-01-01");
  syn_test_cli_expect_ok (&r, "export assets --as-of 2001-01-01");
  g_assert_null (strstr (r.out, "210-PP-001"));
  run_cli (f, &r, NULL, "export", "cables", "--project", "Test", "--as-of", "yesterday");
  expect_error (&r, 2, "as_of: \"yesterday\" is no moment");
}

/* verify without --project covers archived projects: a changed event of
 * one is found (exit 1), named in the list. */
static void
test_verify_archived (SynTestFixture *f, gconstpointer data)
{
  g_auto(SynTestCliResult) r = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *message = NULL;
  JsonArray *projects;
  gboolean seen = FALSE;

  run_cli (f, &r, NULL, "asset", "add", "210-PP-001", "--type", "PUMP", "--project", "Test");
  syn_test_cli_expect_ok (&r, "asset add");
  run_cli (f, &r, NULL, "verify", "--json");
  syn_test_cli_expect_ok (&r, "verify");
  g_assert_true (syn_store_set_project_archived (f->store, f->project->id, syn_time_now_usec (), &error));
  g_assert_no_error (error);
  /* as someone with the database's files or its superuser would */
  if (f->backend == SYN_TEST_BACKEND_POSTGRESQL)
    g_assert_true (syn_test_exec_raw (f, "ALTER TABLE workflow_events DISABLE TRIGGER USER; UPDATE workflow_events "
                                         "SET payload = replace(payload::text, '210-PP-001', '210-PP-009')::jsonb",
                                      &message));
  else
    g_assert_true (syn_test_exec_raw (f, "DROP TRIGGER workflow_events_no_update; UPDATE workflow_events "
                                         "SET payload = replace(payload, '210-PP-001', '210-PP-009')", &message));

  run_cli (f, &r, NULL, "verify", "--json");
  g_assert_cmpint (r.status, ==, 1);
  answer = syn_test_cli_json (r.out);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (answer), "ok"));
  projects = json_object_get_array_member (json_node_get_object (answer), "projects");
  for (guint i = 0; i < json_array_get_length (projects); i++)
    {
      JsonObject *p = json_array_get_object_element (projects, i);

      if (g_strcmp0 (syn_json_get_string (p, "project_id"), f->project->id) == 0)
        {
          seen = TRUE;
          g_assert_false (json_object_get_boolean_member (p, "ok"));
        }
    }
  g_assert_true (seen);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  syn_test_add ("/synapse/cli/blank-names", test_blank_names);
  syn_test_add ("/synapse/cli/errors", test_errors);
  syn_test_add ("/synapse/cli/rollback-refused-json", test_rollback_refused_json);
  syn_test_add ("/synapse/cli/discipline-any-case", test_discipline_any_case);
  syn_test_add ("/synapse/cli/asset-rename", test_asset_rename);
  syn_test_add ("/synapse/cli/plurals", test_plurals);
  syn_test_add ("/synapse/cli/history-files", test_history_files);
  syn_test_add ("/synapse/cli/verify-archived", test_verify_archived);
  syn_test_add ("/synapse/cli/serve-admin", test_serve_admin);
  syn_test_add ("/synapse/cli/execute-cancelled", test_execute_cancelled);
  syn_test_add ("/synapse/cli/french-from-build-tree", test_french_from_build_tree);
  g_test_add_func ("/synapse/cli/sqlite/missing-database", test_missing_database);
  syn_test_add_postgresql ("/synapse/cli/postgresql/missing-database", test_missing_database_pg);
  return g_test_run ();
}
