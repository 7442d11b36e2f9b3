/* SPDX-License-Identifier: GPL-3.0-or-later */
/* crash-harness.c: SIGKILLs processes writing one database at random moments, then checks every invariant and goes on. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libsoup/soup.h>

#include "backend/syn-local-backend.h"
#include "core/syn-core.h"
#include "engine/syn-rule-engine.h"
#include "engine/syn-state-hash.h"
#include "engine/syn-state-replay.h"
#include "engine/syn-auth.h"
#include "crash-check.h"
#include "syn-test-fixture.h"
#include "syn-test-pg.h"

#define PASSWORD "crash harness password"
#define MAX_PROJECT_ASSETS 1200

/* ========================================================================= */
/* The worker: real work on the database until it is killed                  */

typedef struct
{
  SynLocalBackend *backend;
  SynStore        *store;
  GRand           *rand;
  char            *project_id;
  guint            n_ops;
} Worker;

static void
say (const char *format, ...) G_GNUC_PRINTF (1, 2);

/* A marker line for the parent, written before the next step starts. */
static void
say (const char *format, ...)
{
  va_list args;

  va_start (args, format);
  vprintf (format, args);
  va_end (args);
  putchar ('\n');
  fflush (stdout);
}

static gint64
project_head (SynStore *store, const char *project_id)
{
  g_autoptr(SynEventQuery) query = syn_event_query_new (project_id);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;

  query->include_rolled_back = TRUE;
  query->limit = 1;
  if (!(events = syn_store_query_events (store, query, NULL, &error)))
    g_error ("head: %s", error->message);
  return events->len > 0 ? ((SynEvent *) events->pdata[0])->position : 0;
}

static JsonNode *
worker_call (Worker *w, const char *op, JsonObject *params, GError **error)
{
  return syn_backend_call_sync (SYN_BACKEND (w->backend), op, params, NULL, error);
}

/* A generated P&ID list: pumps (motors, cables, edges follow), tanks, agitators. */
static char *
generated_csv (GRand *rand, guint rows)
{
  GString *csv = g_string_new ("TAG,TYPE,DESCRIPTION,AREA,DISCIPLINE,pump_type,hp,length_m\n");
  guint area = (guint) g_rand_int_range (rand, 1000, 99999);

  for (guint i = 0; i < rows; i++)
    {
      guint pick = (guint) g_rand_int_range (rand, 0, 10);

      if (pick < 7)
        g_string_append_printf (csv, "%u-PP-%03u,PUMP,Generated pump %u,%u,MECHANICAL,%s,%d,%d\n", area, i, i, area,
                                pick < 5 ? "CENTRIFUGAL" : "SLURRY", g_rand_int_range (rand, 5, 400),
                                g_rand_int_range (rand, 10, 300));
      else if (pick < 9)
        g_string_append_printf (csv, "%u-TK-%03u,TANK,Generated tank %u,%u,PROCESS,,,\n", area, i, i, area);
      else
        g_string_append_printf (csv, "%u-AG-%03u,AGITATOR,Generated agitator %u,%u,MECHANICAL,,%d,\n", area, i, i,
                                area, g_rand_int_range (rand, 5, 100));
    }
  return g_string_free (csv, FALSE);
}

/* The project to work on: the newest one under the size limit, else a new demo. */
static gboolean
worker_pick_project (Worker *w)
{
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;
  guint64 total = 0;

  g_clear_pointer (&w->project_id, g_free);
  if (!(projects = syn_store_list_projects (w->store, &error)))
    g_error ("projects: %s", error->message);
  for (guint i = 0; i < projects->len; i++)
    {
      SynProject *p = g_ptr_array_index (projects, i);
      g_autoptr(GPtrArray) one = NULL;

      if (!g_str_has_prefix (p->name, "crash-"))
        continue;
      if (!(one = syn_store_list_assets (w->store, p->id, NULL, NULL, 0, 1, &total, &error)))
        g_error ("assets: %s", error->message);
      if (total < MAX_PROJECT_ASSETS)
        {
          w->project_id = g_strdup (p->id);
          return TRUE;
        }
    }
  return FALSE;
}

static void
op_demo (Worker *w)
{
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("crash-%08x", g_rand_int (w->rand));

  json_object_set_string_member (params, "name", name);
  say ("B demo - 0");
  if (!(answer = worker_call (w, SYN_OP_CREATE_DEMO, params, &error)))
    g_error ("demo: %s", error->message);
  say ("C");
}

static void
op_import (Worker *w)
{
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (params, "project_id", w->project_id);
  {
    g_autofree char *csv = generated_csv (w->rand, (guint) g_rand_int_range (w->rand, 50, 400));

    json_object_set_string_member (params, "csv", csv);
  }
  say ("B import %s %" G_GINT64_FORMAT, w->project_id, project_head (w->store, w->project_id));
  if (!(answer = worker_call (w, SYN_OP_IMPORT_CSV, params, &error)))
    g_error ("import: %s", error->message);
  say ("C");
}

static void
on_started (const char *execution_id, const char *correlation_id, gpointer data)
{
  say ("T %s", correlation_id);
}

static void
op_execute (Worker *w)
{
  g_autoptr(SynRuleEngine) engine = syn_rule_engine_new (syn_store_get_uri (w->store));
  g_autoptr(JsonObject) request = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (request, "project_id", w->project_id);
  json_object_set_string_member (request, "mode", "execute");
  say ("B execute %s %" G_GINT64_FORMAT, w->project_id, project_head (w->store, w->project_id));
  if (!(answer = syn_rule_engine_run (engine, w->store, NULL, request, "crash-worker", NULL, on_started,
                                      NULL, NULL, &error)))
    g_error ("execute: %s", error->message);
  say ("C");
}

/* A random asset of the project (a new reference), or NULL for none. */
static SynAsset *
random_asset (Worker *w)
{
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  guint64 total = 0;

  if (!(assets = syn_store_list_assets (w->store, w->project_id, NULL, NULL, 0, 1, &total, &error)))
    g_error ("assets: %s", error->message);
  if (total == 0)
    return NULL;
  g_clear_pointer (&assets, g_ptr_array_unref);
  if (!(assets = syn_store_list_assets (w->store, w->project_id, NULL, NULL,
                                        (guint64) g_rand_int_range (w->rand, 0, (gint32) total), 1, NULL, &error)))
    g_error ("assets: %s", error->message);
  return assets->len > 0 ? g_object_ref (g_ptr_array_index (assets, 0)) : NULL;
}

static void
op_edit (Worker *w)
{
  g_autoptr(SynAsset) asset = random_asset (w);
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  guint pick = (guint) g_rand_int_range (w->rand, 0, 10);
  const char *op;

  json_object_set_string_member (params, "project_id", w->project_id);
  if (asset == NULL || pick < 3)
    {
      g_autofree char *tag = g_strdup_printf ("%u-PP-%03u", (guint) g_rand_int_range (w->rand, 100000, 999999),
                                              (guint) g_rand_int_range (w->rand, 0, 1000));
      JsonObject *props = json_object_new ();

      op = SYN_OP_CREATE_ASSET;
      json_object_set_string_member (params, "tag", tag);
      json_object_set_string_member (params, "type", "PUMP");
      json_object_set_string_member (params, "area", "77");
      json_object_set_string_member (props, "pump_type", "CENTRIFUGAL");
      json_object_set_int_member (props, "hp", g_rand_int_range (w->rand, 5, 500));
      json_object_set_object_member (params, "properties", props);
    }
  else if (pick < 4)
    {
      op = SYN_OP_DELETE_ASSET;
      json_object_set_string_member (params, "asset_id", asset->id);
    }
  else
    {
      JsonObject *props = json_object_new ();
      g_autofree char *description = g_strdup_printf ("edited %u", g_rand_int (w->rand));

      op = SYN_OP_UPDATE_ASSET;
      json_object_set_string_member (params, "asset_id", asset->id);
      json_object_set_int_member (props, "crash_edit", g_rand_int (w->rand));
      if (pick < 6)
        json_object_set_null_member (props, "manufacturer");
      json_object_set_object_member (params, "properties", props);
      json_object_set_string_member (params, "description", description);
    }
  say ("B %s %s %" G_GINT64_FORMAT, op, w->project_id, project_head (w->store, w->project_id));
  answer = worker_call (w, op, params, &error);
  /* a tag taken meanwhile is a refusal, not a failure */
  if (answer == NULL && !g_error_matches (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_CONFLICT))
    g_error ("%s: %s", op, error->message);
  say ("C");
}

static void
op_rollback (Worker *w)
{
  g_autoptr(GPtrArray) snapshots = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  SynSnapshot *target;

  if (!(snapshots = syn_store_list_snapshots (w->store, w->project_id, TRUE, 12, &error)))
    g_error ("snapshots: %s", error->message);
  if (snapshots->len == 0)
    return;
  target = g_ptr_array_index (snapshots, g_rand_int_range (w->rand, 0, (gint32) snapshots->len));
  json_object_set_string_member (params, "project_id", w->project_id);
  json_object_set_string_member (params, "correlation_id", target->correlation_id);
  json_object_set_boolean_member (params, "cascade", g_rand_boolean (w->rand));
  say ("B rollback %s %" G_GINT64_FORMAT, w->project_id, project_head (w->store, w->project_id));
  answer = worker_call (w, SYN_OP_ROLLBACK, params, &error);
  /* blocked (no cascade) or a clash while restoring: refused, nothing written */
  if (answer == NULL && error->domain != SYN_BACKEND_ERROR)
    g_error ("rollback: %s", error->message);
  say ("C");
}

/* A batch rolled back, applied again (or, for none, nothing). */
static void
op_redo (Worker *w)
{
  g_autoptr(GPtrArray) snapshots = NULL;
  g_autoptr(GPtrArray) undone = g_ptr_array_new ();
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  SynSnapshot *target;

  if (!(snapshots = syn_store_list_snapshots (w->store, w->project_id, FALSE, 24, &error)))
    g_error ("snapshots: %s", error->message);
  for (guint i = 0; i < snapshots->len; i++)
    if (g_strcmp0 (((SynSnapshot *) g_ptr_array_index (snapshots, i))->status, SYN_SNAPSHOT_ROLLED_BACK) == 0)
      g_ptr_array_add (undone, g_ptr_array_index (snapshots, i));
  if (undone->len == 0)
    return;
  target = g_ptr_array_index (undone, g_rand_int_range (w->rand, 0, (gint32) undone->len));
  json_object_set_string_member (params, "project_id", w->project_id);
  json_object_set_string_member (params, "correlation_id", target->correlation_id);
  say ("B redo %s %" G_GINT64_FORMAT, w->project_id, project_head (w->store, w->project_id));
  answer = worker_call (w, SYN_OP_REDO, params, &error);
  /* later batches in the way, a tag taken, an end gone: refused, nothing written */
  if (answer == NULL && error->domain != SYN_BACKEND_ERROR)
    g_error ("redo: %s", error->message);
  say ("C");
}

static int
run_worker (const char *uri, guint32 seed)
{
  Worker w = { 0 };
  g_autoptr(GError) error = NULL;

  w.rand = g_rand_new_with_seed (seed);
  if (!(w.store = syn_store_open (uri, &error)) || !(w.backend = syn_local_backend_new (uri, &error)))
    g_error ("open: %s", error->message);
  syn_local_backend_set_user_id (w.backend, "crash-worker");
  say ("R");
  for (;;)
    {
      guint pick = (guint) g_rand_int_range (w.rand, 0, 100);

      if (!worker_pick_project (&w))
        {
          op_demo (&w);
          continue;
        }
      if (pick < 25)
        op_import (&w);
      else if (pick < 55)
        op_execute (&w);
      else if (pick < 80)
        op_edit (&w);
      else if (pick < 92)
        op_rollback (&w);
      else
        op_redo (&w);
      w.n_ops++;
    }
  return 0;
}

/* ========================================================================= */
/* The parent                                                                */

typedef struct
{
  const char  *db_kind;
  char        *uri;
  char        *tmpdir;
  const char  *synapse;
  GRand       *rand;
  guint        max_delay_ms;
  CrashChecker *checker;
  CrashReport  report;

  guint        kills;
  guint        worker_kills;
  guint        mid_op;            /* an operation begun, nothing of it committed */
  guint        mid_execution;     /* ... an execution with its transaction open (STARTED seen) */
  guint        after_commit;      /* killed between commit and saying so */
  guint        between_ops;
  guint        exited;            /* died before the kill (a failure unless it is the CLI finishing) */
  guint        cli_kills;
  guint        cli_nothing;
  guint        cli_committed;
  guint        ops_committed;
  guint        checks;
  guint        server_kills;
  guint        server_runs_lost;      /* the streamed run killed before its commit */
  guint        server_runs_done;
  guint        server_rollbacks_lost; /* the rollback killed before its commit */
  guint        server_rollbacks_done;
} Harness;

static const char *self_path;

static SynStore *
open_store (Harness *h)
{
  g_autoptr(GError) error = NULL;
  SynStore *store = syn_store_open (h->uri, &error);

  if (store == NULL)
    crash_report_fail (&h->report, "the database does not open: %s", error->message);
  return store;
}

/* Reopens the database and checks every invariant (what is new, or all). */
static void
check (Harness *h, gboolean full)
{
  g_autoptr(SynStore) store = open_store (h);

  h->checks++;
  if (store != NULL)
    crash_checker_run (h->checker, store, full, &h->report);
}

static gint64
head_of (Harness *h, const char *project_id)
{
  g_autoptr(SynStore) store = open_store (h);

  return store ? project_head (store, project_id) : -1;
}

static GPid
spawn (Harness *h, const char * const *argv, int *out_fd)
{
  g_autoptr(GError) error = NULL;
  GPid pid = 0;

  if (!g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDERR_TO_DEV_NULL,
                                 NULL, NULL, &pid, NULL, out_fd, NULL, &error))
    g_error ("spawn %s: %s", argv[0], error->message);
  return pid;
}

/* Sleeps @ms, then SIGKILLs; TRUE when the kill found it alive. */
static gboolean
kill_after (GPid pid, guint ms)
{
  int status = 0;
  gboolean alive;

  g_usleep ((gulong) ms * 1000);
  alive = waitpid (pid, &status, WNOHANG) == 0;
  if (alive)
    {
      kill (pid, SIGKILL);
      waitpid (pid, &status, 0);
    }
  g_spawn_close_pid (pid);
  return alive;
}

static char *
read_all (int fd)
{
  GString *text = g_string_new (NULL);
  char buf[4096];
  ssize_t n;

  while ((n = read (fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0)
      g_string_append_len (text, buf, n);
  close (fd);
  return g_string_free (text, FALSE);
}

/* One worker, killed at a random moment; its last marker says what it was doing. */
static void
round_worker (Harness *h, guint round)
{
  g_autofree char *seed = g_strdup_printf ("%u", g_rand_int (h->rand));
  const char *argv[] = { self_path, "--worker", h->uri, "--seed", seed, NULL };
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  const char *last_begin = NULL;
  gboolean in_op = FALSE, in_tx = FALSE;
  int fd = -1;
  GPid pid;

  pid = spawn (h, argv, &fd);
  if (!kill_after (pid, (guint) g_rand_int_range (h->rand, 0, (gint32) h->max_delay_ms + 1)))
    {
      h->exited++;
      crash_report_fail (&h->report, "round %u: the worker died before the kill", round);
    }
  h->kills++;
  h->worker_kills++;
  out = read_all (fd);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] == 'B')
        in_op = TRUE, in_tx = FALSE, last_begin = lines[i];
      else if (lines[i][0] == 'T')
        in_tx = TRUE;
      else if (lines[i][0] == 'C')
        in_op = FALSE, in_tx = FALSE, h->ops_committed++;
    }

  if (!in_op)
    h->between_ops++;
  else
    {
      g_auto(GStrv) words = g_strsplit (last_begin, " ", 4);

      if (g_strv_length (words) == 4 && g_strcmp0 (words[2], "-") != 0)
        {
          gint64 before = g_ascii_strtoll (words[3], NULL, 10);
          gint64 after = head_of (h, words[2]);

          if (after == before)
            {
              h->mid_op++;
              if (in_tx)
                h->mid_execution++;
            }
          else
            h->after_commit++;
        }
      else
        h->mid_op++;
    }
}

static char *
newest_project (Harness *h)
{
  g_autoptr(SynStore) store = open_store (h);
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;
  char *id = NULL;

  if (store == NULL || !(projects = syn_store_list_projects (store, &error)))
    return NULL;
  for (guint i = 0; i < projects->len; i++)
    if (g_str_has_prefix (((SynProject *) projects->pdata[i])->name, "crash-"))
      {
        g_free (id);
        id = g_strdup (((SynProject *) projects->pdata[i])->id);
      }
  return id;
}

/* The synapse command line, killed at a random moment. */
static void
round_cli (Harness *h, guint round)
{
  g_autofree char *project_id = newest_project (h);
  g_autofree char *csv_path = NULL;
  g_autofree char *csv = NULL;
  gint64 before, after;
  int fd = -1;
  GPid pid;

  if (project_id == NULL)
    {
      round_worker (h, round);
      return;
    }
  before = head_of (h, project_id);
  if (g_rand_boolean (h->rand))
    {
      const char *argv[] = { h->synapse, "--db", h->uri, "execute", "--project", project_id, NULL };

      pid = spawn (h, argv, &fd);
    }
  else
    {
      const char *argv[] = { h->synapse, "--db", h->uri, "import", NULL, "--project", project_id, NULL };

      csv_path = g_build_filename (h->tmpdir, "import.csv", NULL);
      csv = generated_csv (h->rand, (guint) g_rand_int_range (h->rand, 100, 400));
      g_file_set_contents (csv_path, csv, -1, NULL);
      argv[4] = csv_path;
      pid = spawn (h, argv, &fd);
    }
  kill_after (pid, (guint) g_rand_int_range (h->rand, 0, (gint32) h->max_delay_ms + 1));
  g_free (read_all (fd));
  h->kills++;
  h->cli_kills++;
  after = head_of (h, project_id);
  if (after == before)
    h->cli_nothing++;
  else
    h->cli_committed++;
}

/* ========================================================================= */
/* Server kills                                                              */

typedef struct
{
  GPid    pid;
  char   *url;
} Server;

static gboolean
start_server (Harness *h, Server *s)
{
  const char *argv[] = { h->synapse, "serve", "--db", h->uri, "--port", "0", NULL };
  g_autoptr(GIOChannel) channel = NULL;
  int fd = -1;

  s->pid = spawn (h, argv, &fd);
  channel = g_io_channel_unix_new (fd);
  g_io_channel_set_close_on_unref (channel, TRUE);
  for (;;)
    {
      g_autofree char *line = NULL;
      const char *at;

      if (g_io_channel_read_line (channel, &line, NULL, NULL, NULL) != G_IO_STATUS_NORMAL)
        {
          crash_report_fail (&h->report, "the server did not start");
          return FALSE;
        }
      if ((at = strstr (line, " at http://")) != NULL)
        {
          const char *end = strstr (at, "/ (");

          s->url = g_strndup (at + 4, end ? (gsize) (end - at - 4) : strlen (at + 4));
          /* the rest of its output is never read: the pipe closes with the stream */
          return TRUE;
        }
    }
}

static void
stop_server (Server *s, gboolean hard)
{
  int status;

  if (s->pid > 0)
    {
      kill (s->pid, hard ? SIGKILL : SIGTERM);
      waitpid (s->pid, &status, 0);
      g_spawn_close_pid (s->pid);
      s->pid = 0;
    }
  g_clear_pointer (&s->url, g_free);
}

static JsonNode *
http (SoupSession *session, Server *s, const char *method, const char *path, const char *token,
      const char *content_type, const char *body, guint *status)
{
  g_autofree char *url = g_strconcat (s->url, path, NULL);
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

      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  *status = answer ? soup_message_get_status (msg) : 0;
  if (answer == NULL || g_bytes_get_size (answer) == 0)
    return NULL;
  return syn_json_parse (g_bytes_get_data (answer, NULL), (gssize) g_bytes_get_size (answer), NULL);
}

static char *
login (Harness *h, SoupSession *session, Server *s)
{
  guint status = 0;
  g_autoptr(JsonNode) answer = http (session, s, "POST", "/api/v1/auth/login", NULL, "application/json",
                                     "{\"username\": \"crash\", \"password\": \"" PASSWORD "\"}", &status);

  if (status != 200 || answer == NULL)
    {
      crash_report_fail (&h->report, "login: status %u", status);
      return NULL;
    }
  return g_strdup (syn_json_get_string (json_node_get_object (answer), "token"));
}

static void
ensure_user (Harness *h)
{
  g_autoptr(SynStore) store = open_store (h);
  g_autoptr(SynUser) existing = NULL;
  g_autoptr(SynUser) user = NULL;
  g_autoptr(GError) error = NULL;

  if (store == NULL || (existing = syn_store_get_user_by_name (store, "crash", NULL)) != NULL)
    return;
  user = syn_user_new ();
  user->username = g_strdup ("crash");
  user->role = g_strdup ("admin");
  user->password_hash = syn_auth_hash_password (PASSWORD, &error);
  if (!syn_store_insert_user (store, user, &error))
    g_error ("user: %s", error->message);
}

typedef struct
{
  SoupWebsocketConnection *conn;
  GError                  *error;
  guint                    n_texts;
  gboolean                 closed;
  gboolean                 done;
} Ws;

static void
on_ws_message (SoupWebsocketConnection *conn, gint type, GBytes *message, gpointer data)
{
  ((Ws *) data)->n_texts++;
}

static void
on_ws_closed (SoupWebsocketConnection *conn, gpointer data)
{
  ((Ws *) data)->closed = TRUE;
}

static void
on_ws_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  Ws *ws = data;

  ws->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &ws->error);
  if (ws->conn != NULL)
    {
      g_signal_connect (ws->conn, "message", G_CALLBACK (on_ws_message), ws);
      g_signal_connect (ws->conn, "closed", G_CALLBACK (on_ws_closed), ws);
    }
  ws->done = TRUE;
}

static void
on_posted (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  *(gboolean *) data = TRUE;
}

/* One turn of the default context, or a short nap when nothing was ready. */
static void
iterate_once (void)
{
  if (!g_main_context_iteration (NULL, FALSE))
    g_usleep (1000);
}

/* Iterates the default context until *@flag or @timeout_ms passes (a hang guard only). */
static gboolean
iterate_until (gboolean *flag, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!*flag && g_get_monotonic_time () < end)
    iterate_once ();
  return *flag;
}

/* A project big enough for a run that takes a while. */
static char *
server_project (Harness *h, SoupSession *session, Server *s, const char *token)
{
  g_autofree char *name = g_strdup_printf ("server-%08x", g_rand_int (h->rand));
  g_autofree char *body = g_strdup_printf ("{\"name\": \"%s\"}", name);
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) imported = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  guint status = 0;
  char *id;

  answer = http (session, s, "POST", "/api/v1/demo", token, "application/json", body, &status);
  if (status != 201)
    {
      crash_report_fail (&h->report, "demo through the server: status %u", status);
      return NULL;
    }
  id = g_strdup (syn_json_get_string (json_object_get_object_member (json_node_get_object (answer), "project"), "id"));
  path = g_strdup_printf ("/api/v1/projects/%s/import", id);
  text = generated_csv (h->rand, 900);
  imported = http (session, s, "POST", path, token, "text/csv", text, &status);
  if (status != 200)
    crash_report_fail (&h->report, "import through the server: status %u", status);
  return id;
}

/* SIGKILL the server while a watcher streams an execution: the watcher must
 * see the end, the database must check clean, a new server must serve it. */
static void
server_kill_execution (Harness *h, SoupSession *session)
{
  Server s = { 0 };
  g_autofree char *token = NULL;
  g_autofree char *project_id = NULL;
  g_autofree char *execution_id = syn_uuid_new ();
  g_autofree char *body = NULL;
  g_autofree char *exec_url = NULL;
  Ws ws = { 0 };
  gboolean posted = FALSE;
  guint status = 0;
  g_autoptr(SoupMessage) post = NULL;
  g_autoptr(JsonNode) record = NULL;
  g_autofree char *record_path = NULL;

  if (!start_server (h, &s) || !(token = login (h, session, &s)) ||
      !(project_id = server_project (h, session, &s, token)))
    {
      stop_server (&s, TRUE);
      return;
    }
  body = g_strdup_printf ("{\"project_id\": \"%s\", \"execution_id\": \"%s\"}", project_id, execution_id);
  exec_url = g_strconcat (s.url, "/api/v1/rules/execute", NULL);
  post = soup_message_new ("POST", exec_url);
  {
    g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
    g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

    soup_message_headers_replace (soup_message_get_request_headers (post), "Authorization", auth);
    soup_message_set_request_body_from_bytes (post, "application/json", bytes);
  }
  soup_session_send_and_read_async (session, post, G_PRIORITY_DEFAULT, NULL, on_posted, &posted);

  /* the watcher joins as soon as the server knows the run */
  for (guint attempt = 0; attempt < 500 && ws.conn == NULL && !posted; attempt++)
    {
      g_autofree char *ws_url = g_strdup_printf ("%s/ws/execution/%s?token=%s", s.url, execution_id, token);
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", ws_url);

      ws.done = FALSE;
      g_clear_error (&ws.error);
      soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL, on_ws_connected, &ws);
      iterate_until (&ws.done, 30000);
      if (ws.conn == NULL)
        g_usleep (10000);
    }
  if (ws.conn == NULL)
    crash_report_fail (&h->report, "server kill: the watcher could not join the run");
  else
    {
      gboolean got = FALSE;
      gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

      /* a message or two streamed, then the kill */
      while (ws.n_texts < 2 && !ws.closed && g_get_monotonic_time () < end)
        iterate_once ();
      got = ws.n_texts > 0;
      if (!got)
        crash_report_fail (&h->report, "server kill: no message streamed");
    }
  h->server_kills++;
  stop_server (&s, TRUE);
  if (ws.conn != NULL && !iterate_until (&ws.closed, 30000))
    crash_report_fail (&h->report, "server kill: the watcher hangs (no close 30 s after the kill)");
  iterate_until (&posted, 30000);
  g_clear_object (&ws.conn);
  g_clear_error (&ws.error);

  check (h, FALSE);

  /* a new server serves the database; the run was never recorded */
  if (!start_server (h, &s) || !(g_free (token), token = login (h, session, &s)))
    {
      stop_server (&s, TRUE);
      return;
    }
  record_path = g_strdup_printf ("/api/v1/executions/%s", execution_id);
  record = http (session, &s, "GET", record_path, token, NULL, NULL, &status);
  if (status == 200)
    {
      const char *st = syn_json_get_string (json_node_get_object (record), "status");
      const char *why = syn_json_get_string (json_node_get_object (record), "error");

      /* killed after its commit (or after finding nothing to do): then it is
       * complete; before: never recorded, or on PostgreSQL (issue 17) known
       * from the runs' table and failed with its server, never running */
      if (g_strcmp0 (st, "failed") == 0 && why != NULL && strstr (why, "server running the execution stopped"))
        h->server_runs_lost++;
      else if (g_strcmp0 (st, "completed") != 0 && g_strcmp0 (st, "up_to_date") != 0)
        crash_report_fail (&h->report, "the interrupted execution is shown %s", st);
      else
        h->server_runs_done++;
    }
  else if (status != 404)
    crash_report_fail (&h->report, "the interrupted execution: status %u", status);
  else
    h->server_runs_lost++;
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/projects/%s/state-hash", project_id);
    g_autoptr(JsonNode) hash = http (session, &s, "GET", path, token, NULL, NULL, &status);
    g_autoptr(SynStore) store = open_store (h);
    g_autofree char *replayed = store ? syn_state_replay_compute (store, project_id, NULL) : NULL;

    if (status != 200 || g_strcmp0 (syn_json_get_string (json_node_get_object (hash), "state_hash"), replayed) != 0)
      crash_report_fail (&h->report, "the restarted server's state hash is not the replay's");
  }
  stop_server (&s, FALSE);
}

/* SIGKILL the server during a rollback of a big batch. */
static void
server_kill_rollback (Harness *h, SoupSession *session)
{
  Server s = { 0 };
  g_autofree char *token = NULL;
  g_autofree char *project_id = NULL;
  g_autofree char *body = NULL;
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) post = NULL;
  g_autoptr(SynStore) store = NULL;
  g_autoptr(GPtrArray) snapshots = NULL;
  g_autoptr(SynSnapshot) after = NULL;
  g_autofree char *cid = NULL;
  gboolean posted = FALSE;
  guint status = 0;

  if (!start_server (h, &s) || !(token = login (h, session, &s)) ||
      !(project_id = server_project (h, session, &s, token)))
    {
      stop_server (&s, TRUE);
      return;
    }
  /* the batch to undo: the import of 900 rows */
  store = open_store (h);
  if (store == NULL || !(snapshots = syn_store_list_snapshots (store, project_id, TRUE, 1, NULL)) ||
      snapshots->len == 0)
    {
      crash_report_fail (&h->report, "server kill: no batch to roll back");
      stop_server (&s, TRUE);
      return;
    }
  cid = g_strdup (((SynSnapshot *) snapshots->pdata[0])->correlation_id);
  g_clear_object (&store);
  body = g_strdup_printf ("{\"project_id\": \"%s\", \"correlation_id\": \"%s\", \"cascade\": true}", project_id, cid);
  url = g_strconcat (s.url, "/api/v1/rules/rollback", NULL);
  post = soup_message_new ("POST", url);
  {
    g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
    g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

    soup_message_headers_replace (soup_message_get_request_headers (post), "Authorization", auth);
    soup_message_set_request_body_from_bytes (post, "application/json", bytes);
  }
  soup_session_send_and_read_async (session, post, G_PRIORITY_DEFAULT, NULL, on_posted, &posted);
  {
    gint64 end = g_get_monotonic_time () + g_rand_int_range (h->rand, 0, 400) * 1000;

    while (g_get_monotonic_time () < end)
      iterate_once ();
  }
  h->server_kills++;
  stop_server (&s, TRUE);
  if (!iterate_until (&posted, 30000))
    crash_report_fail (&h->report, "server kill: the rollback request hangs");

  check (h, FALSE);
  store = open_store (h);
  after = store ? syn_store_get_snapshot (store, project_id, cid, NULL) : NULL;
  if (after != NULL && g_strcmp0 (after->status, SYN_SNAPSHOT_ACTIVE) == 0)
    h->server_rollbacks_lost++;
  else
    h->server_rollbacks_done++;

  if (!start_server (h, &s) || !(g_free (token), token = login (h, session, &s)))
    {
      stop_server (&s, TRUE);
      return;
    }
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/projects/%s/state-hash", project_id);
    g_autoptr(JsonNode) hash = http (session, &s, "GET", path, token, NULL, NULL, &status);

    if (status != 200 || hash == NULL)
      crash_report_fail (&h->report, "the restarted server does not answer: %u", status);
  }
  stop_server (&s, FALSE);
}

/* ========================================================================= */

static void
print_figures (Harness *h, gint64 t0)
{
  printf ("database: %s\n", h->db_kind);
  printf ("kills: %u (worker %u, synapse CLI %u, server %u)\n", h->kills + h->server_kills, h->worker_kills,
          h->cli_kills, h->server_kills);
  printf ("worker kills mid-operation, nothing of it committed: %u (of which an execution with its transaction open: %u)\n",
          h->mid_op, h->mid_execution);
  printf ("worker kills after a commit, before it was reported: %u; outside an operation (start-up, between two): %u\n",
          h->after_commit, h->between_ops);
  printf ("CLI kills: nothing committed %u, committed %u\n", h->cli_nothing, h->cli_committed);
  printf ("operations completed by killed workers: %u\n", h->ops_committed);
  printf ("server kills: %u (streamed runs: %u lost before commit, %u committed; rollbacks: %u lost before commit, %u committed)\n",
          h->server_kills, h->server_runs_lost, h->server_runs_done, h->server_rollbacks_lost, h->server_rollbacks_done);
  printf ("checks: %u; batches checked: %" G_GUINT64_FORMAT "; events checked: %" G_GUINT64_FORMAT
          "; snapshots checked: %" G_GUINT64_FORMAT "; executions checked: %" G_GUINT64_FORMAT "\n",
          h->checks, h->report.batches_checked, h->report.events_checked, h->report.snapshots_checked,
          h->report.executions_checked);
  printf ("batches in the database: %" G_GUINT64_FORMAT "\n", crash_checker_n_batches (h->checker));
  printf ("seconds: %.1f\n", (g_get_monotonic_time () - t0) / 1e6);
  for (guint i = 0; h->report.messages != NULL && i < h->report.messages->len; i++)
    printf ("FAILURE: %s\n", (char *) g_ptr_array_index (h->report.messages, i));
  printf ("invariant failures: %" G_GUINT64_FORMAT "\n", h->report.failures);
  fflush (stdout);
}

int
main (int argc, char **argv)
{
  g_autofree char *db_option = NULL;
  g_autofree char *worker_uri = NULL;
  const char *db;
  g_autofree char *synapse = NULL;
  gint kills = 20, server_kills = 0, max_delay = 1500, cli_percent = 25;
  gint64 seed = 1;
  gboolean keep = FALSE;
  gboolean pg_durable = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *pg_dbname = NULL;
  Harness h = { 0 };
  gint64 t0 = g_get_monotonic_time ();
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_STRING, &db_option, "sqlite or postgresql (a throwaway cluster)", "DB" },
    { "kills", 0, 0, G_OPTION_ARG_INT, &kills, "processes to kill (default 20)", "N" },
    { "server-kills", 0, 0, G_OPTION_ARG_INT, &server_kills, "rounds of server kills (execution + rollback)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "random seed", "S" },
    { "max-delay-ms", 0, 0, G_OPTION_ARG_INT, &max_delay, "kill within this many ms (default 1500)", "MS" },
    { "cli-percent", 0, 0, G_OPTION_ARG_INT, &cli_percent, "share of kills of the synapse CLI (default 25)", "P" },
    { "synapse", 0, 0, G_OPTION_ARG_FILENAME, &synapse, "the synapse binary (default $SYNAPSE_BIN)", "PATH" },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &keep, "keep the SQLite database", NULL },
    { "pg-durable", 0, 0, G_OPTION_ARG_NONE, &pg_durable, "PostgreSQL with fsync and synchronous commit on", NULL },
    { "worker", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &worker_uri, NULL, NULL },
    { NULL }
  };

  context = g_option_context_new ("- kill processes writing a database and check it");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (worker_uri != NULL)
    return run_worker (worker_uri, (guint32) seed);

  db = db_option ? db_option : "sqlite";
  self_path = g_file_read_link ("/proc/self/exe", NULL);
  h.db_kind = db;
  h.rand = g_rand_new_with_seed ((guint32) seed);
  h.max_delay_ms = (guint) MAX (max_delay, 1);
  h.checker = crash_checker_new ();
  h.synapse = synapse ? synapse : g_getenv ("SYNAPSE_BIN");
  h.tmpdir = g_dir_make_tmp ("synapse-crash-XXXXXX", &error);
  g_assert_no_error (error);
  if (g_strcmp0 (db, "sqlite") == 0)
    h.uri = g_build_filename (h.tmpdir, "crash.db", NULL);
  else if (g_strcmp0 (db, "postgresql") == 0)
    {
      if (syn_test_pg_bindir () == NULL)
        {
          printf ("PostgreSQL 15 is not installed: nothing to do\ninvariant failures: 0\n");
          return 0;
        }
      /* Killing a client needs no fsync: the server outlives it, and its
       * WAL decides what committed. --pg-durable for the production setting. */
      syn_test_pg_set_durable (pg_durable);
      h.uri = syn_test_pg_create_database (&pg_dbname);
    }
  else
    {
      g_printerr ("--db: sqlite or postgresql\n");
      return 2;
    }
  if (h.synapse == NULL && (cli_percent > 0 || server_kills > 0))
    {
      g_printerr ("give --synapse PATH or set SYNAPSE_BIN\n");
      return 2;
    }

  /* migrated, and the library rules in place */
  {
    g_autoptr(SynLocalBackend) backend = syn_local_backend_new (h.uri, &error);
    g_autoptr(JsonObject) params = json_object_new ();
    g_autoptr(JsonNode) answer = NULL;

    g_assert_no_error (error);
    json_object_set_string_member (params, "name", "crash-00000000");
    answer = syn_backend_call_sync (SYN_BACKEND (backend), SYN_OP_CREATE_DEMO, params, NULL, &error);
    g_assert_no_error (error);
  }
  check (&h, TRUE);

  for (guint i = 0; i < (guint) kills; i++)
    {
      if ((gint) g_rand_int_range (h.rand, 0, 100) < cli_percent)
        round_cli (&h, i);
      else
        round_worker (&h, i);
      check (&h, FALSE);
      if ((i + 1) % 25 == 0)
        g_printerr ("%u kills, %" G_GUINT64_FORMAT " events checked, %" G_GUINT64_FORMAT " failures, %.0f s\n",
                    i + 1, h.report.events_checked, h.report.failures, (g_get_monotonic_time () - t0) / 1e6);
    }
  if (server_kills > 0)
    {
      g_autoptr(SoupSession) session = soup_session_new ();

      ensure_user (&h);
      for (guint i = 0; i < (guint) server_kills; i++)
        {
          server_kill_execution (&h, session);
          server_kill_rollback (&h, session);
        }
    }
  /* everything once more, from scratch: a fresh replay of every event */
  {
    g_autoptr(CrashChecker) fresh = crash_checker_new ();

    crash_checker_free (h.checker);
    h.checker = g_steal_pointer (&fresh);
    check (&h, TRUE);
  }
  print_figures (&h, t0);

  if (keep && g_strcmp0 (db, "sqlite") == 0)
    printf ("kept: %s\n", h.uri);
  else
    syn_test_rm_rf (h.tmpdir);
  if (pg_dbname != NULL)
    syn_test_pg_drop_database (pg_dbname);
  crash_checker_free (h.checker);
  crash_report_clear (&h.report);
  g_rand_free (h.rand);
  g_free (h.uri);
  g_free (h.tmpdir);
  g_free ((char *) self_path);
  return h.report.failures == 0 ? 0 : 1;
}
