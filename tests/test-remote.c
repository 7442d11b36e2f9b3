/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-remote.c: the same scenarios through the command line with --db and with --connect (and through
 * SynRemoteBackend and SynLocalBackend): the outcomes must be the same. */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include "backend/syn-api-routes.h"
#include "backend/syn-local-backend.h"
#include "backend/syn-remote-backend.h"
#include "core/syn-core.h"
#include "engine/syn-time-travel.h"
#include "server/syn-server-private.h"
#include "syn-test-cli.h"
#include "syn-test-fixture.h"
#include "syn-test-server.h"

typedef struct
{
  SynTestServer *srv;
  char          *tmpdir;
  char          *local_db;
  char          *config_home;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->srv = syn_test_server_start (NULL);
  g_free (syn_test_server_add_user (f->srv, "admin", "admin"));
  g_free (syn_test_server_add_user (f->srv, "victor", "viewer"));
  f->tmpdir = g_dir_make_tmp ("synapse-remote-XXXXXX", &error);
  g_assert_no_error (error);
  f->local_db = g_build_filename (f->tmpdir, "local.db", NULL);
  f->config_home = g_build_filename (f->tmpdir, "config", NULL);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  syn_test_server_stop (f->srv);
  syn_test_rm_rf (f->tmpdir);
  g_free (f->tmpdir);
  g_free (f->local_db);
  g_free (f->config_home);
}

/* ------------------------------------------------------------------------- */
/* Running the command line                                                  */

static char *
data_file (const char *name)
{
  const char *dir = g_getenv ("SYNAPSE_DATA_DIR");

  g_assert_nonnull (dir);
  return g_build_filename (dir, "demo", name, NULL);
}

/* synapse ARGS... with @target ("--db FILE" or "--connect URL") appended;
 * @password, if any, in SYNAPSE_PASSWORD; @input on stdin. */
static void
run_cli (Fixture *f, SynTestCliResult *r, const char * const *target, const char *password, const char *input, ...)
{
  g_autoptr(GSubprocessLauncher) launcher = syn_test_cli_launcher (f->tmpdir, G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                              G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                              G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) syn_test_synapse_bin ());
  va_start (args, input);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  for (guint i = 0; target && target[i]; i++)
    g_ptr_array_add (argv, (gpointer) target[i]);
  g_ptr_array_add (argv, NULL);

  if (password != NULL)
    g_subprocess_launcher_setenv (launcher, "SYNAPSE_PASSWORD", password, TRUE);
  syn_test_cli_run (launcher, (const char * const *) argv->pdata, input, r);
}

/* ------------------------------------------------------------------------- */
/* Outcomes, independent of ids                                              */

static int
compare_lines (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* The project's state with asset ids replaced by tags: two databases that
 * saw the same scenario give the same digest. */
static char *
normalized_state (SynStore *store, const char *project_name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynProject) project = syn_store_find_project (store, project_name, &error);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GPtrArray) cables = NULL;
  g_autoptr(GPtrArray) edges = NULL;
  g_autoptr(GHashTable) tags = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) edge_lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_nonnull (project);
  assets = syn_store_list_assets (store, project->id, NULL, NULL, 0, 0, NULL, &error);
  g_assert_no_error (error);
  cables = syn_store_list_cables (store, project->id, 0, 0, NULL, &error);
  g_assert_no_error (error);
  edges = syn_store_list_edges (store, project->id, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < assets->len; i++)
    {
      SynAsset *a = g_ptr_array_index (assets, i);
      g_autoptr(JsonNode) node = syn_asset_to_json (a);
      g_autofree char *text = NULL;

      g_hash_table_insert (tags, a->id, a->tag);
      json_object_remove_member (json_node_get_object (node), "id");
      json_object_remove_member (json_node_get_object (node), "project_id");
      text = syn_json_canonical (node);
      g_string_append_printf (out, "A %s\n", text);
    }
  for (guint i = 0; i < cables->len; i++)
    {
      SynCable *c = g_ptr_array_index (cables, i);
      g_autoptr(JsonNode) node = syn_cable_to_json (c);
      JsonObject *o = json_node_get_object (node);
      g_autofree char *text = NULL;

      json_object_remove_member (o, "id");
      json_object_remove_member (o, "project_id");
      syn_json_set_string_or_null (o, "from_asset_id", c->from_asset_id ? g_hash_table_lookup (tags, c->from_asset_id) : NULL);
      syn_json_set_string_or_null (o, "to_asset_id", c->to_asset_id ? g_hash_table_lookup (tags, c->to_asset_id) : NULL);
      text = syn_json_canonical (node);
      g_string_append_printf (out, "C %s\n", text);
    }
  for (guint i = 0; i < edges->len; i++)
    {
      SynEdge *e = g_ptr_array_index (edges, i);

      g_ptr_array_add (edge_lines, g_strdup_printf ("E %s %s %s %s\n", (char *) g_hash_table_lookup (tags, e->source_asset_id),
                                                    e->relation, (char *) g_hash_table_lookup (tags, e->target_asset_id),
                                                    e->created_by_rule_id ? e->created_by_rule_id : "-"));
    }
  g_ptr_array_sort (edge_lines, compare_lines);
  for (guint i = 0; i < edge_lines->len; i++)
    g_string_append (out, g_ptr_array_index (edge_lines, i));
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, out->str, (gssize) out->len);
}

/* Every event of the project, in order: type, aggregate type, rolled back. */
static char *
event_sequence (SynStore *store, const char *project_name, guint *n_events)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynProject) project = syn_store_find_project (store, project_name, &error);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_nonnull (project);
  events = syn_store_list_events_after (store, project->id, 0, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    {
      SynEvent *e = g_ptr_array_index (events, i);

      g_string_append_printf (out, "%s %s %s %" G_GINT64_FORMAT " %d\n", e->event_type, e->aggregate_type,
                              e->rule_id ? e->rule_id : "-", e->sequence_num, e->is_rolled_back);
    }
  *n_events = events->len;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

typedef struct
{
  char *summary;          /* canonical JSON of the first execution's summary */
  char *message_types;    /* the types of its live messages, in order */
  char *second_summary;
  char *rollback_summary;
  char *redo_summary;
  char *refusal;          /* the refused rollback's --json error: code, number of blockers */
  char *history_total;
  char *timeline_total;
  char *state_hash;
} Outcome;

static void
outcome_clear (Outcome *o)
{
  g_free (o->summary);
  g_free (o->message_types);
  g_free (o->second_summary);
  g_free (o->rollback_summary);
  g_free (o->redo_summary);
  g_free (o->refusal);
  g_free (o->history_total);
  g_free (o->timeline_total);
  g_free (o->state_hash);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Outcome, outcome_clear)

static char *
summary_of_run (const char *jsonl, char **types, char **correlation_id, char **created_tag)
{
  g_auto(GStrv) lines = g_strsplit (jsonl, "\n", -1);
  g_autoptr(GString) seq = g_string_new (NULL);
  char *summary = NULL;

  for (guint i = 0; lines[i]; i++)
    {
      g_autoptr(JsonNode) node = NULL;
      JsonObject *m;

      if (*lines[i] == '\0')
        continue;
      node = syn_test_cli_json (lines[i]);
      m = json_node_get_object (node);
      g_string_append_printf (seq, "%s ", syn_json_get_string (m, "type"));
      if (created_tag != NULL && *created_tag == NULL && g_strcmp0 (syn_json_get_string (m, "action"), "CREATED") == 0)
        *created_tag = g_strdup (syn_json_get_string (json_object_get_object_member (m, "result"), "created_tag"));
      if (g_strcmp0 (syn_json_get_string (m, "type"), "COMPLETED") == 0)
        {
          summary = syn_json_canonical (json_object_get_member (m, "summary"));
          if (correlation_id != NULL)
            *correlation_id = g_strdup (syn_json_get_string (m, "correlation_id"));
        }
    }
  g_assert_nonnull (summary);
  if (types != NULL)
    *types = g_string_free (g_steal_pointer (&seq), FALSE);
  return summary;
}

/* The scenario: a project, its asset list, the baseline rules, a run, a
 * manual edit, a second run, a cascaded rollback of the first run. */
static void
run_scenario (Fixture *f, const char * const *target, Outcome *o)
{
  g_autofree char *csv = data_file ("gold-mine-assets.csv");
  g_autofree char *rules = data_file ("baseline-rules.json");
  g_autofree char *first_batch = NULL;
  g_autofree char *rollback_batch = NULL;
  g_autofree char *redo_batch = NULL;
  g_autofree char *created_tag = NULL;
  g_auto(SynTestCliResult) r = { 0 };

  run_cli (f, &r, target, NULL, NULL, "project", "create", "Plant", "--country", "CA", NULL);
  syn_test_cli_expect_ok (&r, "project create");
  syn_test_cli_result_clear (&r);
  run_cli (f, &r, target, NULL, NULL, "import", csv, "--project", "Plant", NULL);
  syn_test_cli_expect_ok (&r, "import");
  syn_test_cli_result_clear (&r);
  run_cli (f, &r, target, NULL, NULL, "rules", "add", rules, "--project", "Plant", NULL);
  syn_test_cli_expect_ok (&r, "rules add");
  syn_test_cli_result_clear (&r);

  run_cli (f, &r, target, NULL, NULL, "execute", "--project", "Plant", "--json", NULL);
  syn_test_cli_expect_ok (&r, "execute");
  o->summary = summary_of_run (r.out, &o->message_types, &first_batch, &created_tag);
  g_assert_nonnull (created_tag);
  syn_test_cli_result_clear (&r);

  /* an edit of what the first run made */
  run_cli (f, &r, target, NULL, NULL, "asset", "set", created_tag, "--project", "Plant", "--set", "checked=yes", NULL);
  syn_test_cli_expect_ok (&r, "asset set");
  syn_test_cli_result_clear (&r);
  run_cli (f, &r, target, NULL, NULL, "execute", "--project", "Plant", "--json", NULL);
  syn_test_cli_expect_ok (&r, "execute again");
  o->second_summary = summary_of_run (r.out, NULL, NULL, NULL);
  syn_test_cli_result_clear (&r);

  /* the second run and the edit touched what the first made: refused... */
  run_cli (f, &r, target, NULL, NULL, "rollback", first_batch, "--project", "Plant", "--json", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "synapse: "));
  {
    g_autoptr(JsonNode) refused = syn_test_cli_json (r.out);
    JsonObject *e = json_object_get_object_member (json_node_get_object (refused), "error");
    JsonArray *blockers = json_object_get_array_member (json_object_get_object_member (e, "details"),
                                                        "blocking_batches");

    o->refusal = g_strdup_printf ("%s %u", syn_json_get_string (e, "code"), json_array_get_length (blockers));
  }
  syn_test_cli_result_clear (&r);
  /* ...unless cascaded; by its short id, as the command line shows it */
  run_cli (f, &r, target, NULL, NULL, "timeline", "--project", "Plant", "--batch", first_batch + strlen (first_batch) - 8,
           "--limit", "1", NULL);
  syn_test_cli_expect_ok (&r, "timeline --batch SHORT");
  g_assert_nonnull (strstr (r.out, first_batch + strlen (first_batch) - 8));
  syn_test_cli_result_clear (&r);
  run_cli (f, &r, target, NULL, NULL, "rollback", first_batch + strlen (first_batch) - 8, "--project", "Plant",
           "--cascade", "--json", NULL);
  syn_test_cli_expect_ok (&r, "rollback --cascade");
  {
    g_autoptr(JsonNode) answer = syn_test_cli_json (r.out);

    /* --json keeps the full ids */
    g_assert_cmpstr (syn_json_get_string (json_node_get_object (answer), "correlation_id"), ==, first_batch);
    o->rollback_summary = syn_json_canonical (json_object_get_member (json_node_get_object (answer), "summary"));
    rollback_batch = g_strdup (syn_json_get_string (json_node_get_object (answer), "rollback_correlation_id"));
  }
  syn_test_cli_result_clear (&r);

  /* undone by redoing it, then undone again; nothing dangles throughout */
  run_cli (f, &r, target, NULL, NULL, "redo", rollback_batch, "--project", "Plant", "--json", NULL);
  syn_test_cli_expect_ok (&r, "redo");
  {
    g_autoptr(JsonNode) answer = syn_test_cli_json (r.out);

    o->redo_summary = syn_json_canonical (json_object_get_member (json_node_get_object (answer), "summary"));
    redo_batch = g_strdup (syn_json_get_string (json_node_get_object (answer), "redo_correlation_id"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (answer), "redone")),
                      >=, 2);
  }
  syn_test_cli_result_clear (&r);
  /* twice: the first redo is in the way, and the refusal lists it, with who */
  run_cli (f, &r, target, NULL, NULL, "redo", rollback_batch, "--project", "Plant", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "Blocking batches, newest first:"));
  g_assert_nonnull (strstr (r.err, redo_batch + strlen (redo_batch) - 8));
  syn_test_cli_result_clear (&r);
  run_cli (f, &r, target, NULL, NULL, "verify", "--project", "Plant", NULL);
  syn_test_cli_expect_ok (&r, "verify");
  g_assert_nonnull (strstr (r.out, "Plant: OK (references, chain, sequences, replay, snapshots, checkpoints)"));
  syn_test_cli_result_clear (&r);
  run_cli (f, &r, target, NULL, NULL, "rollback", redo_batch, "--project", "Plant", NULL);
  syn_test_cli_expect_ok (&r, "rollback of the redo");
  syn_test_cli_result_clear (&r);
  run_cli (f, &r, target, NULL, NULL, "repair", "--project", "Plant", "--dry-run", NULL);
  syn_test_cli_expect_ok (&r, "repair --dry-run");
  g_assert_nonnull (strstr (r.out, "Plant: nothing to repair"));
  syn_test_cli_result_clear (&r);

  /* a deleted asset keeps its history, found by its tag */
  run_cli (f, &r, target, NULL, NULL, "asset", "delete", "110-PP-001", "--project", "Plant", NULL);
  syn_test_cli_expect_ok (&r, "asset delete");
  syn_test_cli_result_clear (&r);
  run_cli (f, &r, target, NULL, NULL, "history", "110-PP-001", "--project", "Plant", NULL);
  syn_test_cli_expect_ok (&r, "history of a deleted asset");
  g_assert_nonnull (strstr (r.out, "110-PP-001 (PUMP, deleted)"));
  g_assert_nonnull (strstr (r.out, "ASSET_DELETED"));
  syn_test_cli_result_clear (&r);
  run_cli (f, &r, target, NULL, NULL, "history", "110-PP-001", "--project", "Plant", "--id",
           "00000000-0000-0000-0000-000000000001", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "00000000-0000-0000-0000-000000000001"));
  syn_test_cli_result_clear (&r);

  run_cli (f, &r, target, NULL, NULL, "history", "210-PP-001", "--project", "Plant", "--json", NULL);
  syn_test_cli_expect_ok (&r, "history");
  {
    g_autoptr(JsonNode) answer = syn_test_cli_json (r.out);

    o->history_total = g_strdup_printf ("%" G_GINT64_FORMAT,
                                        json_object_get_int_member (json_node_get_object (answer), "total_events"));
  }
  syn_test_cli_result_clear (&r);
  run_cli (f, &r, target, NULL, NULL, "timeline", "--project", "Plant", "--include-rolled-back", "--json", NULL);
  syn_test_cli_expect_ok (&r, "timeline");
  {
    g_autoptr(JsonNode) answer = syn_test_cli_json (r.out);

    o->timeline_total = g_strdup_printf ("%" G_GINT64_FORMAT,
                                         json_object_get_int_member (json_node_get_object (answer), "total"));
  }
  syn_test_cli_result_clear (&r);
  run_cli (f, &r, target, NULL, NULL, "state-hash", "--project", "Plant", NULL);
  syn_test_cli_expect_ok (&r, "state-hash");
  /* the state hash, without the head hash beside it: each database's
   * events have ids and times of their own, so their chains differ */
  o->state_hash = g_strndup (r.out, strcspn (r.out, " \n"));
}

/* The state as of @moment: the REST body is, byte for byte, what the tree
 * of the answer writes (the server sends the text the replay wrote, issue
 * 15), and `synapse state --as-of --json` prints the same through --db and
 * --connect. */
static void
check_state_as_of (Fixture *f, const char *project_name, const char *moment)
{
  const char *remote[] = { "--connect", f->srv->url, NULL };
  const char *server_db[] = { "--db", f->srv->db_uri, NULL };
  g_auto(SynTestCliResult) r = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(SynProject) project = syn_store_find_project (f->srv->store, project_name, &error);
  g_autoptr(JsonNode) tree = NULL;
  g_autofree char *token = syn_test_server_login (f->srv, "admin");
  g_autofree char *escaped = g_uri_escape_string (moment, NULL, FALSE);
  g_autofree char *url = NULL, *auth = NULL, *expected = NULL, *body = NULL, *direct_out = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (project);
  tree = syn_time_travel_state (f->srv->store, project->id, moment, &error);
  g_assert_no_error (error);
  expected = syn_json_to_string (tree);
  url = g_strdup_printf ("%s/api/v1/projects/%s/state?as_of=%s", f->srv->url, project->id, escaped);
  msg = soup_message_new ("GET", url);
  auth = g_strdup_printf ("Bearer %s", token);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  bytes = soup_session_send_and_read (f->srv->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL), ==,
                   "application/json");
  body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_assert_cmpstr (body, ==, expected);

  run_cli (f, &r, server_db, NULL, NULL, "state", "--project", project_name, "--as-of", moment, "--json", NULL);
  syn_test_cli_expect_ok (&r, "state --as-of --json --db");
  direct_out = g_steal_pointer (&r.out);
  syn_test_cli_result_clear (&r);
  run_cli (f, &r, remote, NULL, NULL, "state", "--project", project_name, "--as-of", moment, "--json", NULL);
  syn_test_cli_expect_ok (&r, "state --as-of --json --connect");
  g_assert_cmpstr (r.out, ==, direct_out);
}

static void
test_cli_same_outcome (Fixture *f, gconstpointer data)
{
  const char *local[] = { "--db", f->local_db, NULL };
  const char *remote[] = { "--connect", f->srv->url, NULL };
  const char *server_db[] = { "--db", f->srv->db_uri, NULL };
  g_auto(Outcome) lo = { 0 };
  g_auto(Outcome) ro = { 0 };
  g_auto(SynTestCliResult) r = { 0 };
  g_autoptr(SynStore) local_store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *local_state = NULL;
  g_autofree char *remote_state = NULL;
  g_autofree char *local_events = NULL;
  g_autofree char *remote_events = NULL;
  guint n_local = 0, n_remote = 0;

  /* sign in once; the token is saved for the next commands */
  run_cli (f, &r, remote, SYN_TEST_PASSWORD, NULL, "project", "list", "--user", "admin", NULL);
  syn_test_cli_expect_ok (&r, "project list --user admin");
  syn_test_cli_result_clear (&r);

  run_scenario (f, local, &lo);
  run_scenario (f, remote, &ro);

  g_assert_cmpstr (lo.summary, ==, ro.summary);
  g_assert_cmpstr (lo.message_types, ==, ro.message_types);
  g_assert_cmpstr (lo.second_summary, ==, ro.second_summary);
  g_assert_cmpstr (lo.rollback_summary, ==, ro.rollback_summary);
  g_assert_cmpstr (lo.redo_summary, ==, ro.redo_summary);
  g_assert_cmpstr (lo.refusal, ==, ro.refusal);
  g_assert_true (g_str_has_prefix (lo.refusal, "conflict "));
  g_assert_cmpstr (lo.history_total, ==, ro.history_total);
  g_assert_cmpstr (lo.timeline_total, ==, ro.timeline_total);
  g_test_message ("first run %s; %s events", ro.summary, ro.timeline_total);

  /* the same events, in the same order, and the same state */
  local_store = syn_store_open (f->local_db, &error);
  g_assert_no_error (error);
  local_events = event_sequence (local_store, "Plant", &n_local);
  remote_events = event_sequence (f->srv->store, "Plant", &n_remote);
  g_assert_cmpuint (n_local, ==, n_remote);
  g_assert_cmpuint (n_local, >, 100);
  g_assert_cmpstr (local_events, ==, remote_events);
  local_state = normalized_state (local_store, "Plant");
  remote_state = normalized_state (f->srv->store, "Plant");
  g_assert_cmpstr (local_state, ==, remote_state);

  /* the server's state hash is that of its database, read directly */
  run_cli (f, &r, server_db, NULL, NULL, "state-hash", "--project", "Plant", NULL);
  syn_test_cli_expect_ok (&r, "state-hash --db");
  /* the same database: the same head hash too */
  g_assert_true (g_str_has_prefix (r.out, ro.state_hash));

  check_state_as_of (f, "Plant", "now");
  check_state_as_of (f, "Plant", "50");
}

static void
test_cli_sign_in (Fixture *f, gconstpointer data)
{
  const char *remote[] = { "--connect", f->srv->url, NULL };
  g_autofree char *tokens = g_build_filename (f->config_home, "synapse", "tokens.json", NULL);
  g_auto(SynTestCliResult) r = { 0 };
  struct stat st;

  /* not signed in */
  run_cli (f, &r, remote, NULL, NULL, "project", "list", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "Not signed in"));
  /* one line */
  g_assert_true (strchr (r.err, '\n') == r.err + strlen (r.err) - 1);
  syn_test_cli_result_clear (&r);

  /* a wrong password, from stdin */
  run_cli (f, &r, remote, NULL, "not the password\n", "project", "list", "--user", "admin", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "Wrong username or password"));
  syn_test_cli_result_clear (&r);

  /* the right one from stdin; the token is saved, readable by its owner only */
  run_cli (f, &r, remote, NULL, SYN_TEST_PASSWORD "\n", "project", "create", "Mill", "--user", "admin", NULL);
  syn_test_cli_expect_ok (&r, "project create --user");
  syn_test_cli_result_clear (&r);
  g_assert_cmpint (stat (tokens, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* an admin adds an engineer (the new password on stdin), who signs in */
  run_cli (f, &r, remote, NULL, "engineer password\n", "user", "add", "erin", "--role", "engineer", NULL);
  syn_test_cli_expect_ok (&r, "user add");
  syn_test_cli_result_clear (&r);
  run_cli (f, &r, remote, NULL, NULL, "member", "add", "erin", "--project", "Mill", NULL);
  syn_test_cli_expect_ok (&r, "member add");
  syn_test_cli_result_clear (&r);
  run_cli (f, &r, remote, "engineer password", NULL, "project", "list", "--json", "--user", "erin", NULL);
  syn_test_cli_expect_ok (&r, "project list as erin");
  {
    g_autoptr(JsonNode) list = syn_test_cli_json (r.out);

    g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);
  }
  syn_test_cli_result_clear (&r);

  /* the saved token is now erin's: no users for her */
  run_cli (f, &r, remote, NULL, NULL, "user", "list", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "admin"));
  syn_test_cli_result_clear (&r);

  /* a viewer cannot import */
  {
    g_autofree char *csv = data_file ("gold-mine-assets.csv");

    run_cli (f, &r, remote, SYN_TEST_PASSWORD, NULL, "import", csv, "--project", "Mill", "--user", "victor", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "No project"));
  }
  syn_test_cli_result_clear (&r);

  /* user add works on a local database too (no sign-in there) */
  {
    const char *local[] = { "--db", f->local_db, NULL };

    run_cli (f, &r, local, NULL, "local password\n", "user", "add", "lou", "--role", "viewer", NULL);
    syn_test_cli_expect_ok (&r, "user add --db");
    syn_test_cli_result_clear (&r);
    run_cli (f, &r, local, NULL, NULL, "user", "list", NULL);
    syn_test_cli_expect_ok (&r, "user list --db");
    g_assert_nonnull (strstr (r.out, "lou"));
  }
}

/* A revised asset list from the command line, on a database and through
 * the server (the route carries mode, dry_run and delete_missing): the
 * same preview, the same import. */
static void
test_cli_import_revision (Fixture *f, gconstpointer data)
{
  const char *local[] = { "--db", f->local_db, NULL };
  const char *remote[] = { "--connect", f->srv->url, NULL };
  const char * const *targets[] = { local, remote };
  g_autofree char *rev_a = g_build_filename (f->tmpdir, "rev-a.csv", NULL);
  g_autofree char *rev_b = g_build_filename (f->tmpdir, "rev-b.csv", NULL);
  g_autoptr(GPtrArray) previews = g_ptr_array_new_with_free_func (g_free);
  g_auto(SynTestCliResult) r = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (rev_a, "TAG,TYPE,HP\nP-1,PUMP,75\nP-2,PUMP,20\nT-1,TANK,\n", -1, &error));
  g_assert_true (g_file_set_contents (rev_b, "TAG;TYPE;HP\nP-1;PUMP;100\nP-2;PUMP;20\nP-3;PUMP;5\n", -1, &error));
  g_assert_no_error (error);
  run_cli (f, &r, remote, SYN_TEST_PASSWORD, NULL, "project", "list", "--user", "admin", NULL);
  syn_test_cli_expect_ok (&r, "project list --user admin");
  syn_test_cli_result_clear (&r);

  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    {
      g_autoptr(JsonNode) answer = NULL;
      g_autoptr(JsonNode) list = NULL;
      JsonObject *diff;

      run_cli (f, &r, targets[t], NULL, NULL, "project", "create", "Plant", NULL);
      syn_test_cli_expect_ok (&r, "project create");
      syn_test_cli_result_clear (&r);
      run_cli (f, &r, targets[t], NULL, NULL, "import", rev_a, "--project", "Plant", NULL);
      syn_test_cli_expect_ok (&r, "import");
      syn_test_cli_result_clear (&r);

      /* the preview, as JSON and as text */
      run_cli (f, &r, targets[t], NULL, NULL, "import", rev_b, "--project", "Plant", "--revision", "--dry-run",
               "--delete-missing", "--json", NULL);
      syn_test_cli_expect_ok (&r, "import --revision --dry-run --json");
      answer = syn_test_cli_json (r.out);
      g_assert_cmpstr (syn_json_get_string (json_node_get_object (answer), "status"), ==, "preview");
      diff = json_object_get_object_member (json_node_get_object (answer), "diff");
      /* what differs between the databases (ids) left out */
      json_object_remove_member (json_array_get_object_element (json_object_get_array_member (diff, "updated"), 0),
                                 "asset_id");
      json_object_remove_member (json_array_get_object_element (json_object_get_array_member (diff, "missing"), 0),
                                 "asset_id");
      g_ptr_array_add (previews, syn_json_canonical (answer));
      syn_test_cli_result_clear (&r);
      run_cli (f, &r, targets[t], NULL, NULL, "import", rev_b, "--project", "Plant", "--revision", "--dry-run",
               "--delete-missing", NULL);
      syn_test_cli_expect_ok (&r, "import --revision --dry-run");
      g_assert_nonnull (strstr (r.out, "Preview of the revision (nothing written): 1 created, 1 updated, "
                                       "1 unchanged, 1 missing (to be deleted), 0 skipped"));
      g_assert_nonnull (strstr (r.out, "  + P-3 PUMP (line 4)"));
      g_assert_nonnull (strstr (r.out, "      properties.hp: \"75\" -> \"100\""));
      g_assert_nonnull (strstr (r.out, "  - T-1 TANK (0 edges, 0 cables)"));
      syn_test_cli_result_clear (&r);

      run_cli (f, &r, targets[t], NULL, NULL, "import", rev_b, "--project", "Plant", "--revision",
               "--delete-missing", NULL);
      syn_test_cli_expect_ok (&r, "import --revision --delete-missing");
      g_assert_nonnull (strstr (r.out, "Revision imported in batch "));
      g_assert_nonnull (strstr (r.out, "1 missing (deleted)"));
      syn_test_cli_result_clear (&r);

      run_cli (f, &r, targets[t], NULL, NULL, "asset", "list", "--project", "Plant", "--json", NULL);
      syn_test_cli_expect_ok (&r, "asset list");
      list = syn_test_cli_json (r.out);
      g_assert_cmpint (json_object_get_int_member (json_node_get_object (list), "total"), ==, 3);
      syn_test_cli_result_clear (&r);

      /* bad usage: --delete-missing belongs to a revision */
      run_cli (f, &r, targets[t], NULL, NULL, "import", rev_b, "--project", "Plant", "--delete-missing", NULL);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_nonnull (strstr (r.err, "--revision"));
      syn_test_cli_result_clear (&r);
    }
  g_assert_cmpstr (g_ptr_array_index (previews, 0), ==, g_ptr_array_index (previews, 1));
}

/* ------------------------------------------------------------------------- */
/* SynRemoteBackend beside SynLocalBackend                                   */

typedef struct
{
  GPtrArray *types;
  JsonNode  *final;
  char      *execution_id;
} Watch;

static void
on_message (SynBackend *backend, const char *execution_id, JsonNode *message, gpointer data)
{
  Watch *w = data;

  if (g_strcmp0 (execution_id, w->execution_id) != 0)
    return;
  g_ptr_array_add (w->types, g_strdup (syn_json_get_string (json_node_get_object (message), "type")));
  if (syn_backend_message_is_final (message))
    w->final = json_node_ref (message);
}

static gboolean
watch_done (gpointer data)
{
  return ((Watch *) data)->final != NULL;
}

typedef struct
{
  JsonNode *answer;
  GError   *error;
  gboolean  done;
} Started;

static void
on_started (GObject *object, GAsyncResult *result, gpointer data)
{
  Started *s = data;

  s->answer = syn_backend_execute_finish (SYN_BACKEND (object), result, &s->error);
  s->done = TRUE;
}

static gboolean
started_done (gpointer data)
{
  return ((Started *) data)->done;
}

/* Runs the project's rules through @backend; returns the types of the
 * messages and the final one. */
static void
run_through (SynBackend *backend, const char *project, gboolean cancel, Watch *w)
{
  g_autoptr(JsonObject) request = json_object_new ();
  Started s = { 0 };
  gulong handler;

  w->types = g_ptr_array_new_with_free_func (g_free);
  w->execution_id = syn_uuid_new ();
  json_object_set_string_member (request, "project_id", project);
  json_object_set_string_member (request, "mode", "execute");
  json_object_set_string_member (request, "execution_id", w->execution_id);
  handler = g_signal_connect (backend, "execution-message", G_CALLBACK (on_message), w);
  syn_backend_execute_async (backend, request, NULL, on_started, &s);
  g_assert_true (syn_test_wait_until (started_done, &s, 60000));
  g_assert_no_error (s.error);
  g_assert_cmpstr (syn_json_get_string (json_node_get_object (s.answer), "execution_id"), ==, w->execution_id);
  if (cancel)
    g_assert_true (syn_backend_cancel_execution (backend, w->execution_id));
  g_assert_true (syn_test_wait_until (watch_done, w, 120000));
  g_signal_handler_disconnect (backend, handler);
  json_node_unref (s.answer);
}

static void
watch_clear (Watch *w)
{
  g_clear_pointer (&w->types, g_ptr_array_unref);
  g_clear_pointer (&w->final, json_node_unref);
  g_clear_pointer (&w->execution_id, g_free);
}

static JsonNode *
call_ok (SynBackend *backend, const char *op, JsonObject *params)
{
  g_autoptr(GError) error = NULL;
  JsonNode *answer = syn_backend_call_sync (backend, op, params, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (answer);
  return answer;
}

static void
prepare (SynBackend *backend, const char *csv_text)
{
  g_autoptr(JsonObject) project = json_object_new ();
  g_autoptr(JsonObject) import = json_object_new ();
  g_autoptr(JsonObject) rule = json_object_new ();
  g_autoptr(JsonObject) def = syn_json_parse_object (
    "{\"id\": \"pump-motor\", \"name\": \"FIRM: Pumps require Motor\", \"source\": \"FIRM\","
    " \"action_type\": \"CREATE_CHILD\", \"condition\": {\"asset_type\": \"PUMP\"},"
    " \"action\": {\"type\": \"MOTOR\", \"naming\": \"{tag}-M\", \"relation\": \"powers\"}}", -1, NULL);

  json_object_set_string_member (project, "name", "Pumps");
  json_node_unref (call_ok (backend, SYN_OP_CREATE_PROJECT, project));
  json_object_set_string_member (import, "project_id", "Pumps");
  json_object_set_string_member (import, "csv", csv_text);
  json_node_unref (call_ok (backend, SYN_OP_IMPORT_CSV, import));
  json_object_set_string_member (rule, "project_id", "Pumps");
  json_object_set_object_member (rule, "rule", json_object_ref (def));
  json_node_unref (call_ok (backend, SYN_OP_SAVE_RULE, rule));
}

static char *
pumps (guint n)
{
  GString *csv = g_string_new ("TAG,TYPE\n");

  for (guint i = 1; i <= n; i++)
    g_string_append_printf (csv, "P-%05u,PUMP\n", i);
  return g_string_free (csv, FALSE);
}

static SynBackend *
remote_backend (Fixture *f, const char *username)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynRemoteBackend) remote = syn_remote_backend_new (f->srv->url, &error);
  g_autoptr(JsonObject) login = json_object_new ();

  g_assert_no_error (error);
  json_object_set_string_member (login, "username", username);
  json_object_set_string_member (login, "password", SYN_TEST_PASSWORD);
  json_node_unref (call_ok (SYN_BACKEND (remote), SYN_OP_LOGIN, login));
  g_assert_nonnull (syn_remote_backend_get_token (remote));
  g_assert_cmpstr (syn_remote_backend_get_username (remote), ==, username);
  return SYN_BACKEND (g_steal_pointer (&remote));
}

static void
test_backends_same_messages (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynBackend) remote = remote_backend (f, "admin");
  g_autoptr(SynLocalBackend) local = syn_local_backend_new (f->local_db, &error);
  g_autofree char *csv = pumps (300);
  Watch lw = { 0 }, rw = { 0 };

  g_assert_no_error (error);
  prepare (SYN_BACKEND (local), csv);
  prepare (remote, csv);
  run_through (SYN_BACKEND (local), "Pumps", FALSE, &lw);
  run_through (remote, "Pumps", FALSE, &rw);

  g_assert_cmpuint (lw.types->len, ==, rw.types->len);
  for (guint i = 0; i < lw.types->len; i++)
    g_assert_cmpstr (g_ptr_array_index (lw.types, i), ==, g_ptr_array_index (rw.types, i));
  {
    g_autofree char *a = syn_json_canonical (json_object_get_member (json_node_get_object (lw.final), "summary"));
    g_autofree char *b = syn_json_canonical (json_object_get_member (json_node_get_object (rw.final), "summary"));

    g_assert_cmpstr (a, ==, b);
  }
  watch_clear (&lw);
  watch_clear (&rw);

  /* errors cross the wire with their codes */
  {
    g_autoptr(JsonObject) params = json_object_new ();
    g_autoptr(JsonNode) none = NULL;

    json_object_set_string_member (params, "project_id", "Nowhere");
    none = syn_backend_call_sync (remote, SYN_OP_GET_PROJECT, params, NULL, &error);
    g_assert_null (none);
    g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_NOT_FOUND);
    g_clear_error (&error);
    json_object_set_string_member (params, "project_id", "Pumps");
    json_object_set_string_member (params, "page", "0");
    none = syn_backend_call_sync (remote, SYN_OP_TIMELINE, params, NULL, &error);
    g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID);
    g_clear_error (&error);
  }
  /* a viewer outside the project */
  {
    g_autoptr(SynBackend) viewer = remote_backend (f, "victor");
    g_autoptr(JsonObject) params = json_object_new ();
    g_autoptr(JsonNode) none = NULL;

    json_object_set_string_member (params, "project_id", "Pumps");
    none = syn_backend_call_sync (viewer, SYN_OP_STATE_HASH, params, NULL, &error);
    g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_NOT_FOUND);
  }
}

static void
test_remote_cancel (Fixture *f, gconstpointer data)
{
  g_autoptr(SynBackend) remote = remote_backend (f, "admin");
  g_autofree char *csv = pumps (20000);
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;
  Watch w = { 0 };
  JsonObject *final;

  prepare (remote, csv);
  json_object_set_string_member (params, "project_id", "Pumps");
  before = call_ok (remote, SYN_OP_STATE_HASH, params);
  run_through (remote, "Pumps", TRUE, &w);
  final = json_node_get_object (w.final);
  g_assert_cmpstr (syn_json_get_string (final, "type"), ==, "ERROR");
  g_assert_false (json_object_get_boolean_member (final, "recoverable"));
  after = call_ok (remote, SYN_OP_STATE_HASH, params);
  g_assert_cmpstr (syn_json_get_string (json_node_get_object (before), "state_hash"), ==,
                   syn_json_get_string (json_node_get_object (after), "state_hash"));
  watch_clear (&w);
}

/* A chart's counts by period over REST: the same numbers as the timeline's
 * totals, type by type; bad bounds and splits are refused by name. */
static void
test_remote_timeline_counts (Fixture *f, gconstpointer data)
{
  g_autoptr(SynBackend) remote = remote_backend (f, "admin");
  g_autofree char *csv = pumps (30);
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) counts = NULL;
  g_autoptr(JsonNode) timeline = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *now = syn_time_to_iso8601 (syn_time_now_usec () + G_USEC_PER_SEC);
  g_autofree char *bounds = g_strdup_printf ("2000-01-01T00:00:00Z,%s,2100-01-01T00:00:00Z", now);
  JsonArray *periods;
  JsonObjectIter iter;
  const char *type;
  JsonNode *value;
  Watch w = { 0 };
  guint types = 0;

  prepare (remote, csv);
  run_through (remote, "Pumps", FALSE, &w);
  json_object_set_string_member (params, "project_id", "Pumps");
  timeline = call_ok (remote, SYN_OP_TIMELINE, params);
  json_object_set_string_member (params, "bounds", bounds);
  json_object_set_string_member (params, "split", "event_type");
  counts = call_ok (remote, SYN_OP_TIMELINE_COUNTS, params);
  periods = json_object_get_array_member (json_node_get_object (counts), "periods");
  g_assert_cmpuint (json_array_get_length (periods), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (counts), "total"), ==,
                   json_object_get_int_member (json_node_get_object (timeline), "total"));
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (periods, 0), "total"), ==,
                   json_object_get_int_member (json_node_get_object (timeline), "total"));
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (periods, 1), "total"), ==, 0);
  json_object_iter_init (&iter, json_object_get_object_member (json_array_get_object_element (periods, 0), "counts"));
  while (json_object_iter_next (&iter, &type, &value))
    {
      g_autoptr(JsonObject) one = json_object_new ();
      g_autoptr(JsonNode) listed = NULL;

      json_object_set_string_member (one, "project_id", "Pumps");
      json_object_set_string_member (one, "event_types", type);
      listed = call_ok (remote, SYN_OP_TIMELINE, one);
      g_assert_cmpint (json_node_get_int (value), ==, json_object_get_int_member (json_node_get_object (listed), "total"));
      types++;
    }
  g_assert_cmpuint (types, >=, 3);   /* the import's, the run's creations, its rule events */

  /* bounds out of order, a bound that is not a date, an unknown split */
  json_object_set_string_member (params, "bounds", "2100-01-01T00:00:00Z,2000-01-01T00:00:00Z");
  g_assert_null (syn_backend_call_sync (remote, SYN_OP_TIMELINE_COUNTS, params, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "bounds"));
  g_clear_error (&error);
  json_object_set_string_member (params, "bounds", "2000-01-01T00:00:00Z,soon");
  g_assert_null (syn_backend_call_sync (remote, SYN_OP_TIMELINE_COUNTS, params, NULL, &error));
  g_assert_nonnull (strstr (error->message, "\"soon\""));
  g_clear_error (&error);
  json_object_set_string_member (params, "bounds", bounds);
  json_object_set_string_member (params, "split", "colour");
  g_assert_null (syn_backend_call_sync (remote, SYN_OP_TIMELINE_COUNTS, params, NULL, &error));
  g_assert_nonnull (strstr (error->message, "split"));
  watch_clear (&w);
}

/* ------------------------------------------------------------------------- */
/* Every route of the one table                                              */

typedef struct
{
  const char *project_id;
  const char *asset_id;
  const char *tag;
  const char *rule_id;
  const char *library_rule_id;
  const char *execution_id;
  const char *correlation_id;
  const char *cable_id;
} RouteValues;

/* A real value for each parameter a route's path or query may name. */
static JsonObject *
route_params (const SynApiRoute *route, const RouteValues *v)
{
  JsonObject *params = json_object_new ();
  g_auto(GStrv) query = g_strsplit (route->query, ",", -1);
  gboolean library = strstr (route->pattern, "library") != NULL;

  if (strstr (route->pattern, "{project_id}") || syn_api_route_takes_query (route, "project_id") ||
      (route->body == SYN_BODY_JSON && route->members && strstr (route->members, "project_id")))
    json_object_set_string_member (params, "project_id", v->project_id);
  if (strstr (route->pattern, "{asset_id}"))
    json_object_set_string_member (params, "asset_id", v->asset_id);
  if (strstr (route->pattern, "{cable_id}"))
    json_object_set_string_member (params, "cable_id", v->cable_id);
  if (strstr (route->pattern, "{tag}"))
    json_object_set_string_member (params, "tag", v->tag);
  if (strstr (route->pattern, "{rule_id}"))
    json_object_set_string_member (params, "rule_id", library ? v->library_rule_id : v->rule_id);
  if (strstr (route->pattern, "{execution_id}"))
    json_object_set_string_member (params, "execution_id", v->execution_id);
  /* the admin routes on users: the signed-in admin, whom they refuse (409) */
  if (strstr (route->pattern, "{username}"))
    json_object_set_string_member (params, "username", "admin");
  if (syn_api_route_takes_query (route, "correlation_id"))
    json_object_set_string_member (params, "correlation_id", v->correlation_id);
  syn_api_route_take_fixed (route, params);
  if (route->body == SYN_BODY_CSV)
    json_object_set_string_member (params, "csv", "TAG,TYPE\nT-9,TANK\n");
  if (route->body == SYN_BODY_RULE)
    json_object_set_object_member (params, "rule", syn_json_parse_object (
      "{\"name\": \"FIRM: Tanks need a level transmitter\", \"action_type\": \"CREATE_CHILD\","
      " \"condition\": {\"asset_type\": \"TANK\"},"
      " \"action\": {\"type\": \"TRANSMITTER\", \"naming\": \"{tag}-LT\", \"relation\": \"measures\"}}", -1, NULL));
  if (route->body == SYN_BODY_JSON && route->members != NULL && strstr (route->members, "correlation_id"))
    json_object_set_string_member (params, "correlation_id", v->correlation_id);
  for (guint i = 0; query[i] && query[i][0]; i++)
    if (g_str_equal (query[i], "page") || g_str_equal (query[i], "after"))
      json_object_set_string_member (params, query[i], "1");
  return params;
}

/* The server dispatches every entry of the table the remote backend builds
 * its requests from: a request built from an entry reaches that entry (never
 * "No such resource" or "not allowed"), and the WebSockets open. */
static void
test_every_route (Fixture *f, gconstpointer data)
{
  g_autoptr(SynBackend) remote = remote_backend (f, "admin");
  g_autofree char *csv = pumps (3);
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) project = NULL, asset = NULL, rules = NULL, library = NULL, batch = NULL;
  g_autoptr(JsonObject) lib_rule = syn_json_parse_object (
    "{\"id\": \"every-route-library\", \"name\": \"FIRM: Pumps need a seal\", \"source\": \"FIRM\","
    " \"action_type\": \"SET_PROPERTY\", \"condition\": {\"asset_type\": \"PUMP\"},"
    " \"action\": {\"properties\": {\"seal\": \"mechanical\"}, \"mode\": \"set\"}}", -1, NULL);
  Watch w = { 0 };
  RouteValues v = { 0 };
  const SynApiRoute *tables[] = { syn_api_routes, syn_api_ws_routes };
  guint n = 0;

  prepare (remote, csv);
  run_through (remote, "Pumps", FALSE, &w);
  json_object_set_string_member (params, "project_id", "Pumps");
  project = call_ok (remote, SYN_OP_GET_PROJECT, params);
  json_object_set_string_member (params, "tag", "P-00001");
  asset = call_ok (remote, SYN_OP_GET_ASSET, params);
  json_object_remove_member (params, "tag");
  json_object_set_object_member (params, "rule", json_object_ref (lib_rule));
  json_object_remove_member (params, "project_id");
  library = call_ok (remote, SYN_OP_SAVE_RULE, params);
  json_object_remove_member (params, "rule");
  json_object_set_string_member (params, "project_id", "Pumps");
  json_object_set_int_member (params, "limit", 1);
  batch = call_ok (remote, SYN_OP_TIMELINE, params);

  v.project_id = syn_json_get_string (json_node_get_object (project), "id");
  v.asset_id = syn_json_get_string (json_node_get_object (asset), "id");
  v.tag = "P-00001";
  v.rule_id = "pump-motor";
  v.library_rule_id = "every-route-library";
  v.execution_id = w.execution_id;
  /* no cable of that id: its history is empty, still answered */
  v.cable_id = "00000000-0000-0000-0000-000000000001";
  v.correlation_id = syn_json_get_string (json_array_get_object_element (json_object_get_array_member (
                       json_node_get_object (batch), "events"), 0), "correlation_id");

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    for (const SynApiRoute *route = tables[t]; route->pattern != NULL; route++, n++)
      {
        g_autoptr(JsonObject) p = route_params (route, &v);
        g_autoptr(GError) error = NULL;
        g_autoptr(SynApiRequest) request = syn_api_request_new (route, p, &error);
        /* a session of its own: logging out ends it */
        g_autofree char *token = syn_test_server_login (f->srv, "admin");
        g_autofree char *target = NULL;
        g_autoptr(JsonNode) answer = NULL;
        guint status = 0;

        g_assert_no_error (error);
        target = request->query ? g_strconcat (request->path, "?", request->query, NULL) : g_strdup (request->path);
        if (route->websocket)
          {
            g_autoptr(SynTestWs) ws = syn_test_ws_connect (f->srv, target, token);

            if (ws->conn == NULL)
              g_error ("%s %s: the handshake was refused (%u)", route->method, target, ws->status);
            continue;
          }
        answer = syn_test_http (f->srv, request->method, target, token, request->content_type, request->body, -1,
                                &status);
        if (status == 405 || (status == 404 && g_str_has_prefix (syn_test_error_message (answer), "No such resource")))
          g_error ("%s %s: not dispatched (%u)", route->method, target, status);
        if (status >= 500)
          g_error ("%s %s: %u %s", route->method, target, status, syn_test_error_message (answer));
      }
  g_assert_cmpuint (n, >, 35);
  watch_clear (&w);
}

/* Issue 14's editing operations through the server: a rule change
 * previewed (nothing written), a selection deleted as one batch. */
static void
test_remote_editing_ops (Fixture *f, gconstpointer data)
{
  g_autoptr(SynBackend) remote = remote_backend (f, "admin");
  g_autofree char *csv = pumps (3);
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonObject) rule = syn_json_parse_object (
    "{\"id\": \"pump-seal\", \"name\": \"Pumps need a seal\", \"source\": \"PROJECT\","
    " \"action_type\": \"SET_PROPERTY\", \"condition\": {\"asset_type\": \"PUMP\"},"
    " \"action\": {\"properties\": {\"seal\": \"mechanical\"}, \"mode\": \"set\"}}", -1, NULL);
  g_autoptr(JsonNode) preview = NULL, asset = NULL, deleted = NULL, rules = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) refused = NULL;
  JsonArray *ids;

  prepare (remote, csv);
  json_object_set_string_member (params, "project_id", "Pumps");
  json_object_set_object_member (params, "rule", json_object_ref (rule));
  preview = call_ok (remote, SYN_OP_PREVIEW_RULE, params);
  g_assert_cmpstr (syn_json_get_string (json_node_get_object (preview), "rule_id"), ==, "pump-seal");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (preview), "examples")),
                    >, 0);
  json_object_remove_member (params, "rule");
  rules = call_ok (remote, SYN_OP_LIST_RULES, params);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (rules)); i++)
    g_assert_cmpstr (syn_json_get_string (json_array_get_object_element (json_node_get_array (rules), i), "id"), !=,
                     "pump-seal");
  /* the parser's path, as over the local backend */
  json_object_set_object_member (json_object_get_object_member (rule, "condition"), "all",
                                 json_object_new ());
  json_object_set_object_member (params, "rule", json_object_ref (rule));
  refused = syn_backend_call_sync (remote, SYN_OP_PREVIEW_RULE, params, NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "condition.all"));
  json_object_remove_member (params, "rule");

  json_object_set_string_member (params, "tag", "P-00001");
  asset = call_ok (remote, SYN_OP_GET_ASSET, params);
  json_object_remove_member (params, "tag");
  ids = json_array_new ();
  json_array_add_string_element (ids, syn_json_get_string (json_node_get_object (asset), "id"));
  json_object_set_array_member (params, "asset_ids", ids);
  deleted = call_ok (remote, SYN_OP_DELETE_ENTITIES, params);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (deleted), "deleted_assets"), ==, 1);
  g_assert_nonnull (syn_json_get_string (json_node_get_object (deleted), "correlation_id"));
}

/* ------------------------------------------------------------------------- */
/* Project changes through the server's feed                                 */

typedef struct
{
  gint64 last;
  guint  told;
} Told;

static void
on_changed (SynBackend *backend, const char *project_id, gint64 first, gint64 last, Told *t)
{
  g_assert_cmpint (first, <=, last);
  g_assert_cmpint (first, >, t->last);
  t->last = last;
  t->told++;
}

typedef struct
{
  Told   *told;
  gint64  position;
} Until;

static gboolean
told_until (gpointer data)
{
  Until *u = data;

  return u->told->last >= u->position;
}

static gboolean
close_every_feed (gpointer data)
{
  syn_ws_hub_close_all (_syn_server_get_hub (data));
  return G_SOURCE_REMOVE;
}

/* An asset made through the server's REST API; the position of its event. */
static gint64
http_asset (Fixture *f, const char *token, const char *project_id, const char *tag)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/projects/%s/assets", project_id);
  g_autofree char *body = g_strdup_printf ("{\"tag\": \"%s\", \"type\": \"TANK\"}", tag);
  g_autofree char *timeline = g_strdup_printf ("/api/v1/events/timeline?project_id=%s&limit=1", project_id);
  g_autoptr(JsonNode) asset = NULL;
  g_autoptr(JsonNode) events = NULL;
  guint status = 0;

  asset = syn_test_http (f->srv, "POST", path, token, "application/json", body, -1, &status);
  g_assert_cmpuint (status, ==, 201);
  events = syn_test_http (f->srv, "GET", timeline, token, NULL, NULL, -1, &status);
  g_assert_cmpuint (status, ==, 200);
  return json_object_get_int_member (json_array_get_object_element (
           json_object_get_array_member (json_node_get_object (events), "events"), 0), "position");
}

/* The remote backend tells ::project-changed from the project feed: what
 * another client commits, then, after the connection was lost, what was
 * committed while it was away (it reconnects and catches up). */
static void
test_remote_project_changed (Fixture *f, gconstpointer data)
{
  g_autoptr(SynBackend) remote = remote_backend (f, "admin");
  g_autofree char *token = syn_test_server_login (f->srv, "admin");
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) project = NULL;
  Told told = { 0 };
  Until until = { &told, 0 };
  const char *project_id;

  json_object_set_string_member (params, "name", "Followed");
  project = call_ok (remote, SYN_OP_CREATE_PROJECT, params);
  project_id = syn_json_get_string (json_node_get_object (project), "id");
  g_signal_connect (remote, "project-changed", G_CALLBACK (on_changed), &told);
  /* a new project has no event yet: everything after 0 */
  syn_backend_watch_project (remote, project_id, 0);

  until.position = http_asset (f, token, project_id, "T-1");
  g_assert_true (syn_test_wait_until (told_until, &until, 20000));

  until.position = http_asset (f, token, project_id, "T-2");
  g_assert_true (syn_test_wait_until (told_until, &until, 20000));

  /* the server drops every feed; a commit comes before the feed is back */
  g_main_context_invoke (f->srv->context, close_every_feed, syn_test_server_get_server (f->srv));
  until.position = http_asset (f, token, project_id, "T-3");
  g_assert_true (syn_test_wait_until (told_until, &until, 20000));
  g_assert_cmpint (told.last, ==, until.position);

  syn_backend_unwatch_project (remote, project_id);
  g_signal_handlers_disconnect_by_data (remote, &told);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/remote/cli-same-outcome", test_cli_same_outcome);
  ADD ("/remote/cli-sign-in", test_cli_sign_in);
  ADD ("/remote/cli-import-revision", test_cli_import_revision);
  ADD ("/remote/backends-same-messages", test_backends_same_messages);
  ADD ("/remote/cancel", test_remote_cancel);
  ADD ("/remote/timeline-counts", test_remote_timeline_counts);
  ADD ("/remote/every-route", test_every_route);
  ADD ("/remote/project-changed", test_remote_project_changed);
  ADD ("/remote/editing-ops", test_remote_editing_ops);

  return g_test_run ();
}
