/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-service.c: synapse serve as a service runs it: the config file, --check-config, secrets, SIGTERM and SIGHUP. */
#include "config.h"

#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

#include "core/syn-core.h"
#include "server/syn-server-config.h"
#include "store/syn-pg-store.h"
#include "syn-test-cli.h"
#include "syn-test-fixture.h"

/* ------------------------------------------------------------------------- */
/* Helpers                                                                   */

static char *
write_file (const char *dir, const char *name, const char *contents)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
run_in (const char *home, SynTestCliResult *r, const char *input, ...)
{
  g_autoptr(GSubprocessLauncher) launcher =
    syn_test_cli_launcher (home, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                 G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) syn_test_synapse_bin ());
  va_start (args, input);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  syn_test_cli_result_clear (r);
  syn_test_cli_run (launcher, (const char * const *) argv->pdata, input, r);
}

/* A running `synapse serve`: its process, its output read line by line. */
typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
  char             *url;
  char             *password;   /* the first admin's, from the banner */
  GString          *seen;
} Serve;

static char *
serve_read_line (Serve *s)
{
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line_utf8 (s->out, NULL, NULL, &error);

  g_assert_no_error (error);
  if (line != NULL)
    g_string_append_printf (s->seen, "%s\n", line);
  return line;
}

/* Reads until a line holding @needle; fails when the output ends first. */
static char *
serve_wait_line (Serve *s, const char *needle)
{
  for (;;)
    {
      char *line = serve_read_line (s);

      if (line == NULL)
        g_error ("synapse serve ended before \"%s\": %s", needle, s->seen->str);
      if (strstr (line, needle) != NULL)
        return line;
      g_free (line);
    }
}

static void
serve_start (Serve *s, const char *home, const char * const *args)
{
  /* standard error too: what a reload says there */
  g_autoptr(GSubprocessLauncher) launcher =
    syn_test_cli_launcher (home, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  /* build-aux/lsan.supp names the frames below libsoup 3.2's leaks (each
   * accepted socket, each replaced certificate): the fast unwinder stops in
   * the libraries, which have no frame pointers */
  {
    const char *given = g_getenv ("ASAN_OPTIONS");
    g_autofree char *options = g_strconcat (given ? given : "", given ? ":" : "", "fast_unwind_on_malloc=0", NULL);

    g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", options, TRUE);
  }
  g_ptr_array_add (argv, (gpointer) syn_test_synapse_bin ());
  g_ptr_array_add (argv, (gpointer) "serve");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  s->seen = g_string_new (NULL);
  s->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  s->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (s->process));
  for (;;)
    {
      g_autofree char *line = serve_read_line (s);
      const char *at;

      if (line == NULL)
        g_error ("synapse serve stopped before serving: %s", s->seen->str);
      if (g_str_has_prefix (line, "    ") && s->password == NULL && strstr (s->seen->str, "Created the first user"))
        s->password = g_strstrip (g_strdup (line));
      if ((at = strstr (line, " at http")) != NULL)
        {
          const char *end = strstr (at, "/ (");

          s->url = g_strndup (at + 4, end ? (gsize) (end - at - 4) : strlen (at + 4));
          return;
        }
    }
}

/* Waits for the process; its exit status. */
static int
serve_wait (Serve *s)
{
  g_autoptr(GError) error = NULL;

  /* the rest of its output, so it never blocks on a full pipe */
  for (char *line; (line = serve_read_line (s)) != NULL;)
    g_free (line);
  g_subprocess_wait (s->process, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (s->process))
    g_error ("synapse serve was killed by signal %d: %s", g_subprocess_get_term_sig (s->process), s->seen->str);
  if (g_subprocess_get_exit_status (s->process) != 0)
    g_test_message ("synapse serve: exit %d: %s", g_subprocess_get_exit_status (s->process), s->seen->str);
  return g_subprocess_get_exit_status (s->process);
}

static void
serve_clear (Serve *s)
{
  if (s->process != NULL && !g_subprocess_get_if_exited (s->process) && !g_subprocess_get_if_signaled (s->process))
    {
      g_subprocess_force_exit (s->process);
      g_subprocess_wait (s->process, NULL, NULL);
    }
  g_clear_object (&s->out);
  g_clear_object (&s->process);
  g_clear_pointer (&s->url, g_free);
  g_clear_pointer (&s->password, g_free);
  if (s->seen != NULL)
    g_string_free (g_steal_pointer (&s->seen), TRUE);
}

/* ------------------------------------------------------------------------- */
/* The config file                                                           */

/* A good file serves; flags win over it (port and database here). */
static void
test_config_good (void)
{
  g_autofree char *home = g_dir_make_tmp ("synapse-service-XXXXXX", NULL);
  g_autofree char *conf = NULL;
  g_autofree char *flag_db = g_build_filename (home, "flag.db", NULL);
  g_autofree char *file_db = g_build_filename (home, "file.db", NULL);
  g_auto(SynTestCliResult) r = { 0 };
  Serve s = { 0 };

  /* port 1: were the file's port used, the server would not be on the flag's */
  conf = write_file (home, "server.conf",
                     "# the team server\n"
                     "[server]\n"
                     "listen = 127.0.0.1\n"
                     "port = 1\n"
                     "database = file.db\n"
                     "max-body-mb = 8\n"
                     "shutdown-timeout = 10\n"
                     "quiet = true\n");
  run_in (home, &r, NULL, "serve", "--check-config", "--config", conf, NULL);
  syn_test_cli_expect_ok (&r, "serve --check-config");
  g_assert_nonnull (strstr (r.out, "no problem found"));
  /* nothing was started, nothing made */
  g_assert_false (g_file_test (file_db, G_FILE_TEST_EXISTS));

  serve_start (&s, home, (const char *[]) { "--config", conf, "--port", "0", "--db", flag_db, NULL });
  g_assert_nonnull (strstr (s.seen->str, flag_db));
  g_assert_false (g_str_has_suffix (s.url, ":1"));
  g_assert_true (g_file_test (flag_db, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (file_db, G_FILE_TEST_EXISTS));
  g_subprocess_send_signal (s.process, SIGTERM);
  g_assert_cmpint (serve_wait (&s), ==, 0);
  serve_clear (&s);

  /* without the flag, the file's database (relative to the file) */
  serve_start (&s, home, (const char *[]) { "--config", conf, "--port", "0", NULL });
  g_assert_nonnull (strstr (s.seen->str, file_db));
  g_subprocess_send_signal (s.process, SIGINT);
  g_assert_cmpint (serve_wait (&s), ==, 0);
  serve_clear (&s);
  syn_test_rm_rf (home);
}

static void
expect_problem (SynTestCliResult *r, const char *problem)
{
  if (strstr (r->err, problem) == NULL)
    g_error ("expected the problem \"%s\" in:\n%s", problem, r->err);
}

/* The problem "@conf:@line: @what" was reported. */
static void
expect_problem_at (SynTestCliResult *r, const char *conf, int line, const char *what)
{
  g_autofree char *problem = g_strdup_printf ("%s:%d: %s", conf, line, what);

  expect_problem (r, problem);
}

/* Each kind of problem, each by file, line and key, all in one pass;
 * exit 1; the server does not start on such a file either. */
static void
test_config_bad (void)
{
  g_autofree char *home = g_dir_make_tmp ("synapse-service-XXXXXX", NULL);
  g_autofree char *conf = NULL;
  g_autofree char *expected = NULL;
  g_auto(SynTestCliResult) r = { 0 };

  conf = write_file (home, "server.conf",
                     "[server]\n"                          /* 1 */
                     "port = eighty\n"                     /* 2 */
                     "max-body-mb = 0\n"                   /* 3 */
                     "listen = localhost\n"                /* 4 */
                     "tls-cert = missing-cert.pem\n"       /* 5 */
                     "tls-key = missing-key.pem\n"         /* 6 */
                     "workers = 4\n"                       /* 7 */
                     "quiet = maybe\n"                     /* 8 */
                     "database = no-such-folder/x.db\n");  /* 9 */
  run_in (home, &r, NULL, "serve", "--check-config", "--config", conf, NULL);
  g_assert_cmpint (r.status, ==, 1);
  expect_problem_at (&r, conf, 2, "port: not a whole number");
  expect_problem_at (&r, conf, 3, "max-body-mb: 0 is not between 1 and 4096");
  expect_problem_at (&r, conf, 4, "listen: \"localhost\" is not an IP address");
  expected = g_strdup_printf ("%s:5: tls-cert: cannot read %s/missing-cert.pem", conf, home);
  expect_problem (&r, expected);
  g_clear_pointer (&expected, g_free);
  expect_problem_at (&r, conf, 7, "workers: unknown key");
  expect_problem_at (&r, conf, 8, "quiet: not true or false");
  /* the database is reached too, with --check-config only */
  expected = g_strdup_printf ("%s:9: database: %s/no-such-folder/x.db does not exist", conf, home);
  expect_problem (&r, expected);
  g_clear_pointer (&expected, g_free);

  /* the server refuses the file the same way, and starts nothing */
  run_in (home, &r, NULL, "serve", "--config", conf, "--port", "0", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_null (strstr (r.out, "serving"));
  expect_problem_at (&r, conf, 7, "workers: unknown key");

  /* lines GKeyFile cannot read, by line; an unknown group; a lone key */
  g_free (conf);
  conf = write_file (home, "broken.conf",
                     "port = 8001\n"
                     "[server]\n"
                     "this is not a setting\n"
                     "[database]\n"
                     "uri = x\n");
  run_in (home, &r, NULL, "serve", "--check-config", "--config", conf, NULL);
  g_assert_cmpint (r.status, ==, 1);
  expect_problem_at (&r, conf, 1, "a setting before the [server] line");
  expect_problem_at (&r, conf, 3, "\"this is not a setting\" is not a key = value line");
  expect_problem_at (&r, conf, 4, "unknown group [database]");

  /* a certificate without its key; a file that is not one */
  g_free (conf);
  {
    g_autofree char *junk = write_file (home, "junk.pem", "not a certificate\n");

    conf = write_file (home, "tls.conf", "[server]\ntls-cert = junk.pem\n");
    run_in (home, &r, NULL, "serve", "--check-config", "--config", conf, "--db", "x.db", NULL);
    g_assert_cmpint (r.status, ==, 1);
    expect_problem_at (&r, conf, 2, "tls-cert: give tls-cert and tls-key together");
    run_in (home, &r, NULL, "serve", "--check-config", "--config", conf, "--tls-key", junk, "--db", "x.db", NULL);
    g_assert_cmpint (r.status, ==, 1);
    expected = g_strdup_printf ("%s:2: tls-cert: %s with %s", conf, junk, junk);
    expect_problem (&r, expected);
    g_clear_pointer (&expected, g_free);
  }

  /* a flag's problem is named by the flag; a missing file by its name */
  run_in (home, &r, NULL, "serve", "--check-config", "--port", "70000", "--db", "x.db", NULL);
  g_assert_cmpint (r.status, ==, 1);
  expect_problem (&r, "--port: 70000 is not between 0 and 65535");
  run_in (home, &r, NULL, "serve", "--check-config", "--config", "/nonexistent/server.conf", NULL);
  g_assert_cmpint (r.status, ==, 1);
  expect_problem (&r, "/nonexistent/server.conf: cannot read the config file");
  syn_test_rm_rf (home);
}

/* The database password: from password-file, SYNAPSE_DB_PASSWORD, or the
 * file SYNAPSE_DB_PASSWORD_FILE names (the environment first), into the
 * PostgreSQL connection string; never for SQLite. */
static void
test_config_password (void)
{
  g_autofree char *home = g_dir_make_tmp ("synapse-service-XXXXXX", NULL);
  g_autofree char *secret = write_file (home, "db-password", "from the file\n");
  g_autofree char *other = write_file (home, "other-password", "from the env file");
  g_autofree char *empty = write_file (home, "empty-password", "\n");
  g_autofree char *conf = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SynServerConfig) config = syn_server_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *password = NULL;
  g_auto(SynTestCliResult) r = { 0 };

  g_unsetenv ("SYNAPSE_DB_PASSWORD");
  g_unsetenv ("SYNAPSE_DB_PASSWORD_FILE");
  conf = write_file (home, "server.conf",
                     "[server]\ndatabase = postgresql://synapse@db.invalid/synapse\npassword-file = db-password\n");
  g_assert_true (syn_server_config_load (config, conf, problems));
  g_assert_cmpuint (problems->len, ==, 0);

  uri = syn_server_config_database_uri (config, &error);
  g_assert_no_error (error);
  password = syn_pg_uri_get_option (uri, "password");
  g_assert_cmpstr (password, ==, "from the file");
  g_clear_pointer (&uri, g_free);
  g_clear_pointer (&password, g_free);

  g_setenv ("SYNAPSE_DB_PASSWORD", "from the env", TRUE);
  uri = syn_server_config_database_uri (config, &error);
  g_assert_no_error (error);
  password = syn_pg_uri_get_option (uri, "password");
  g_assert_cmpstr (password, ==, "from the env");
  g_clear_pointer (&uri, g_free);
  g_clear_pointer (&password, g_free);

  g_setenv ("SYNAPSE_DB_PASSWORD_FILE", other, TRUE);
  uri = syn_server_config_database_uri (config, &error);
  g_assert_no_error (error);
  password = syn_pg_uri_get_option (uri, "password");
  g_assert_cmpstr (password, ==, "from the env file");
  g_clear_pointer (&uri, g_free);
  g_clear_pointer (&password, g_free);

  g_setenv ("SYNAPSE_DB_PASSWORD_FILE", empty, TRUE);
  uri = syn_server_config_database_uri (config, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_null (uri);
  g_clear_error (&error);
  g_unsetenv ("SYNAPSE_DB_PASSWORD_FILE");
  g_unsetenv ("SYNAPSE_DB_PASSWORD");

  /* a password for a SQLite file is a mistake said as such */
  g_free (conf);
  conf = write_file (home, "sqlite.conf", "[server]\ndatabase = team.db\npassword-file = db-password\n");
  run_in (home, &r, NULL, "serve", "--check-config", "--config", conf, NULL);
  g_assert_cmpint (r.status, ==, 1);
  expect_problem (&r, "passwords are for PostgreSQL");
  /* a password file that cannot be read, by its line */
  g_free (conf);
  conf = write_file (home, "nopass.conf",
                     "[server]\ndatabase = postgresql://synapse@127.0.0.1:1/synapse\npassword-file = nowhere\n");
  run_in (home, &r, NULL, "serve", "--check-config", "--config", conf, NULL);
  g_assert_cmpint (r.status, ==, 1);
  expect_problem_at (&r, conf, 3, "password-file: cannot read the database password");
  /* a password on the command line is warned about (and here unreachable) */
  run_in (home, &r, NULL, "serve", "--check-config", "--db", "postgresql://synapse:hunter2@127.0.0.1:1/synapse", NULL);
  g_assert_cmpint (r.status, ==, 1);
  expect_problem (&r, "warning: the --db URI holds a password");
  expect_problem (&r, "--db: cannot connect");
  g_assert_null (strstr (r.err, "hunter2"));
  syn_test_rm_rf (home);
}

/* ------------------------------------------------------------------------- */
/* Signals                                                                   */

static const char *rules_json =
  "[{\"id\": \"pump-motor\", \"name\": \"FIRM: Pumps require Motor\", \"source\": \"FIRM\","
  " \"action_type\": \"CREATE_CHILD\", \"discipline\": \"ELECTRICAL\","
  " \"condition\": {\"asset_type\": [\"PUMP\"], \"all\": [{\"key\": \"pump_type\", \"op\": \"==\", \"value\": \"CENTRIFUGAL\"}]},"
  " \"action\": {\"type\": \"MOTOR\", \"naming\": \"{area}-M-{tag_number}\", \"relation\": \"powers\","
  " \"inherit_properties\": [\"hp\", \"length_m\"]}},"
  " {\"id\": \"motor-cable\", \"name\": \"FIRM: Motors require Power Cable\", \"source\": \"FIRM\","
  " \"action_type\": \"CREATE_CABLE\", \"discipline\": \"ELECTRICAL\","
  " \"condition\": {\"asset_type\": \"MOTOR\"},"
  " \"action\": {\"naming\": \"{tag}-PWR\", \"to\": \"source\", \"cable_type\": \"TECK90\", \"sizing\": \"auto\"}}]";

static char *
pumps_csv (guint n)
{
  GString *csv = g_string_new ("TAG,TYPE,AREA,DISCIPLINE,pump_type,hp,length_m\n");

  for (guint i = 1; i <= n; i++)
    g_string_append_printf (csv, "210-PP-%05u,PUMP,210,MECHANICAL,CENTRIFUGAL,%u,%u\n", i, 10 + i % 90, 20 + i % 80);
  return g_string_free (csv, FALSE);
}

static JsonNode *
http (SoupSession *session, const char *method, const char *url, const char *token, const char *body,
      guint expected)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  if (soup_message_get_status (msg) != expected)
    g_error ("%s %s: %u, not %u: %.*s", method, url, soup_message_get_status (msg), expected,
             (int) g_bytes_get_size (answer), (const char *) g_bytes_get_data (answer, NULL));
  return syn_json_parse (g_bytes_get_data (answer, NULL), (gssize) g_bytes_get_size (answer), NULL);
}

typedef struct
{
  SoupWebsocketConnection *conn;
  GError                  *error;
  GPtrArray               *texts;
  gboolean                 connected;
  gboolean                 closed;
} Watcher;

static void
on_ws_message (SoupWebsocketConnection *conn, gint type, GBytes *message, gpointer data)
{
  Watcher *w = data;

  g_ptr_array_add (w->texts, g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message)));
}

static void
on_ws_closed (SoupWebsocketConnection *conn, gpointer data)
{
  ((Watcher *) data)->closed = TRUE;
}

static void
on_ws_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  Watcher *w = data;

  w->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &w->error);
  if (w->conn != NULL)
    {
      g_signal_connect (w->conn, "message", G_CALLBACK (on_ws_message), w);
      g_signal_connect (w->conn, "closed", G_CALLBACK (on_ws_closed), w);
    }
  w->connected = TRUE;
}

static void
iterate_until (gboolean *flag)
{
  while (!*flag)
    g_main_context_iteration (NULL, TRUE);
}

/* SIGTERM while an execution runs and a watcher streams it: the watcher is
 * told the run was cancelled, then closed with 1001; the server exits 0;
 * nothing of the run is in the database, which verifies. */
static void
test_sigterm (SynTestFixture *f, gconstpointer data)
{
  g_autofree char *csv = pumps_csv (20000);
  g_autofree char *csv_path = write_file (f->tmpdir, "pumps.csv", csv);
  g_autofree char *conf = NULL;
  g_autofree char *conf_text = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *login_body = NULL;
  g_autofree char *exec_body = NULL;
  g_autofree char *url = NULL;
  g_autofree char *ws_url = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(JsonNode) login = NULL;
  g_autoptr(JsonNode) started = NULL;
  g_autoptr(JsonNode) last = NULL;
  g_autoptr(SoupMessage) upgrade = NULL;
  g_auto(SynTestCliResult) r = { 0 };
  Watcher w = { 0 };
  Serve s = { 0 };
  const char *token;
  gboolean cancelled = FALSE;

  run_in (f->tmpdir, &r, NULL, "import", csv_path, "--project", f->project->id, "--db", f->uri, NULL);
  syn_test_cli_expect_ok (&r, "import");
  syn_test_save_rules (f, rules_json);
  before = syn_test_state_hash (f);

  /* the database (a URI for PostgreSQL) from the config file */
  {
    g_autoptr(GKeyFile) file = g_key_file_new ();

    g_key_file_set_string (file, "server", "database", f->uri);
    g_key_file_set_boolean (file, "server", "quiet", TRUE);
    g_key_file_set_integer (file, "server", "port", 0);
    conf_text = g_key_file_to_data (file, NULL, NULL);
    conf = write_file (f->tmpdir, "server.conf", conf_text);
  }
  serve_start (&s, f->tmpdir, (const char *[]) { "--config", conf, NULL });
  g_assert_nonnull (s.password);

  url = g_strconcat (s.url, "/api/v1/auth/login", NULL);
  login_body = g_strdup_printf ("{\"username\": \"admin\", \"password\": \"%s\"}", s.password);
  login = http (session, "POST", url, NULL, login_body, 200);
  token = syn_json_get_string (json_node_get_object (login), "token");
  g_free (url);
  url = g_strconcat (s.url, "/api/v1/rules/execute", NULL);
  exec_body = g_strdup_printf ("{\"project_id\": \"%s\"}", f->project->id);
  started = http (session, "POST", url, token, exec_body, 200);
  ws_url = g_strdup_printf ("%s%s?token=%s", s.url, syn_json_get_string (json_node_get_object (started), "ws_url"),
                            token);
  upgrade = soup_message_new ("GET", ws_url);
  w.texts = g_ptr_array_new_with_free_func (g_free);
  soup_session_websocket_connect_async (session, upgrade, NULL, NULL, G_PRIORITY_DEFAULT, NULL, on_ws_connected, &w);
  iterate_until (&w.connected);
  g_assert_no_error (w.error);
  soup_websocket_connection_set_max_incoming_payload_size (w.conn, 256 * 1024 * 1024);

  /* the run streams (its first message), then the stop */
  while (w.texts->len == 0 && !w.closed)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (w.closed);
  g_subprocess_send_signal (s.process, SIGTERM);
  iterate_until (&w.closed);

  g_assert_cmpint (soup_websocket_connection_get_close_code (w.conn), ==, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
  last = syn_json_parse (g_ptr_array_index (w.texts, w.texts->len - 1), -1, NULL);
  g_assert_nonnull (last);
  g_assert_cmpstr (syn_json_get_string (json_node_get_object (last), "type"), ==, "ERROR");
  cancelled = g_strcmp0 (syn_json_get_string (json_node_get_object (last), "status"), "cancelled") == 0;
  g_assert_true (cancelled);
  g_assert_cmpint (serve_wait (&s), ==, 0);
  g_assert_nonnull (strstr (s.seen->str, "cancelling 1 running execution"));

  /* nothing half-written: the state is as before, the database verifies */
  after = syn_test_state_hash (f);
  g_assert_cmpstr (before, ==, after);
  run_in (f->tmpdir, &r, NULL, "verify", "--db", f->uri, NULL);
  syn_test_cli_expect_ok (&r, "verify after the stop");

  g_clear_object (&w.conn);
  g_ptr_array_unref (w.texts);
  serve_clear (&s);
}

static gboolean
accept_any (SoupMessage *msg, GTlsCertificate *peer, GTlsCertificateFlags errors, gpointer data)
{
  /* self-signed: only which one is served matters here */
  return TRUE;
}

/* The certificate a new connection to @url is shown (one request on it). */
static GTlsCertificate *
served_certificate (const char *url)
{
  /* a session per call: a connection of its own, never one kept alive */
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *health = g_strconcat (url, "/api/v1/health", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", health);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any), NULL);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  return g_object_ref (soup_message_get_tls_peer_certificate (msg));
}

static void
make_certificate (const char *dir, const char *name)
{
  g_autofree char *cert = g_strdup_printf ("%s/%s-cert.pem", dir, name);
  g_autofree char *key = g_strdup_printf ("%s/%s-key.pem", dir, name);
  g_autofree char *subject = g_strdup_printf ("/CN=%s", name);
  const char *argv[] = { "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                         "-nodes", "-days", "2", "-subj", subject, "-keyout", key, "-out", cert, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

static void
copy_file (const char *from, const char *to)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (from, &contents, &len, &error);
  g_assert_no_error (error);
  g_file_set_contents (to, contents, (gssize) len, &error);
  g_assert_no_error (error);
}

/* SIGHUP reads the certificate and key again: new connections get the new
 * one; a file that does not load keeps the old one. */
static void
test_sighup (void)
{
  g_autofree char *home = g_dir_make_tmp ("synapse-service-XXXXXX", NULL);
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autofree char *one = NULL;
  g_autofree char *two = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *db = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GTlsCertificate) first = NULL;
  g_autoptr(GTlsCertificate) second = NULL;
  g_autoptr(GTlsCertificate) served = NULL;
  g_autoptr(GTlsCertificate) kept = NULL;
  Serve s = { 0 };

  if (openssl == NULL)
    {
      g_test_skip ("no openssl to make the certificates");
      return;
    }
  make_certificate (home, "one");
  make_certificate (home, "two");
  cert = g_build_filename (home, "cert.pem", NULL);
  key = g_build_filename (home, "key.pem", NULL);
  one = g_build_filename (home, "one-cert.pem", NULL);
  two = g_build_filename (home, "two-cert.pem", NULL);
  copy_file (one, cert);
  {
    g_autofree char *k = g_build_filename (home, "one-key.pem", NULL);

    copy_file (k, key);
  }
  first = g_tls_certificate_new_from_file (one, NULL);
  second = g_tls_certificate_new_from_file (two, NULL);
  db = g_build_filename (home, "team.db", NULL);
  conf = write_file (home, "server.conf", "[server]\nport = 0\nquiet = true\ntls-cert = cert.pem\ntls-key = key.pem\n");

  serve_start (&s, home, (const char *[]) { "--config", conf, "--db", db, NULL });
  g_assert_true (g_str_has_prefix (s.url, "https://"));
  served = served_certificate (s.url);
  g_assert_true (g_tls_certificate_is_same (served, first));
  g_clear_object (&served);

  /* renewed: both files replaced, then SIGHUP */
  copy_file (two, cert);
  {
    g_autofree char *k = g_build_filename (home, "two-key.pem", NULL);

    copy_file (k, key);
  }
  g_subprocess_send_signal (s.process, SIGHUP);
  line = serve_wait_line (&s, "Reloaded the TLS certificate");
  served = served_certificate (s.url);
  g_assert_true (g_tls_certificate_is_same (served, second));
  g_clear_object (&served);

  /* a broken file: the second one stays, and the server says why */
  g_file_set_contents (cert, "not a certificate\n", -1, NULL);
  g_subprocess_send_signal (s.process, SIGHUP);
  g_free (line);
  line = serve_wait_line (&s, "SIGHUP: keeping the current certificate");
  g_assert_nonnull (strstr (line, cert));
  kept = served_certificate (s.url);
  g_assert_true (g_tls_certificate_is_same (kept, second));
  g_subprocess_send_signal (s.process, SIGTERM);
  g_assert_cmpint (serve_wait (&s), ==, 0);
  serve_clear (&s);
  syn_test_rm_rf (home);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/synapse/service/config/good", test_config_good);
  g_test_add_func ("/synapse/service/config/bad", test_config_bad);
  g_test_add_func ("/synapse/service/config/password", test_config_password);
  syn_test_add ("/synapse/service/sigterm", test_sigterm);
  g_test_add_func ("/synapse/service/sighup", test_sighup);
  return g_test_run ();
}
