/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-cli.c: subcommand dispatch, common options, errors on one line, JSON output. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "backend/syn-local-backend.h"
#include "store/syn-store.h"
#include "syn-cli-private.h"

/* --json was given: errors are also printed as JSON on stdout. One command
 * runs per process, so this is the command's. */
static gboolean json_errors;

static const SynCliEntry commands[] = {
  { "project", "List, create, rename or archive projects", _syn_cli_project },
  { "timeline", "Show a project's events, newest first", _syn_cli_timeline },
  { "history", "Show the events of one asset or cable, oldest first (deleted ones too)", _syn_cli_history },
  { "state-hash", "Print the SHA-256 of a project's canonical state and its hash chain's head", _syn_cli_state_hash },
  { "state", "Show a project's assets, cables and edges as they were at a moment", _syn_cli_state },
  { "diff", "What changed in a project between two moments, and who changed it", _syn_cli_diff },
  { "demo", "Create the gold-mine demo project with its rules", _syn_cli_demo },
  { "import", "Import a P&ID asset list (CSV) as one batch: new tags, or a revised list", _syn_cli_import },
  { "asset", "Add, change or delete one asset (each a batch)", _syn_cli_asset },
  { "rules", "List, add or remove rule definitions", _syn_cli_rules },
  { "execute", "Run the rules on a project (or preview with --dry-run)", _syn_cli_execute },
  { "status", "Whether a project is up to date with its rules, and what a run would change", _syn_cli_status },
  { "rollback", "Roll back a batch exactly", _syn_cli_rollback },
  { "redo", "Apply a rolled-back batch again (undo a rollback)", _syn_cli_redo },
  { "verify", "Check a project's database (hash chain, replay, snapshots, references) or an audit file",
    _syn_cli_verify },
  { "repair", "Delete what refers to missing assets, as a batch of events", _syn_cli_repair },
  { "export", "Write the cable schedule, the asset list or the timeline as CSV or JSON, or the audit file",
    _syn_cli_export },
  { "explain", "Why each rule did or didn't fire on an asset; who set each property", _syn_cli_explain },
  { "serve", "Run the team server (REST and WebSocket API)", _syn_cli_serve },
  { "user", "Add, list, disable, enable or delete users; change passwords and roles", _syn_cli_user },
  { "member", "Add members to a project, remove them, list them", _syn_cli_member },
  { "clone", "Copy a team project to a database of its own, to work on it offline", _syn_cli_clone },
  { "sync", "Push a clone's offline work to its server and bring the clone up to date", _syn_cli_sync },
};

gboolean
syn_cli_is_subcommand (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (commands[i].name, name) == 0)
      return TRUE;
  return g_strcmp0 (name, "help") == 0;
}

static void
print_help (FILE *out)
{
  fprintf (out, "Usage: synapse COMMAND [OPTIONS...]\n\nCommands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-12s %s\n", commands[i].name, commands[i].summary);
  fprintf (out, "\nEvery command takes --db FILE|postgresql://URI (default: %s) and --json,\n"
                "or --connect URL [--user NAME] to work on a team server.\n"
                "Run synapse COMMAND --help for its options.\n", "the local database");
}

int
syn_cli_run (int argc, char **argv)
{
  g_return_val_if_fail (argc >= 2, 2);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (commands[i].name, argv[1]) == 0)
      return commands[i].run (argc - 1, argv + 1);
  if (g_strcmp0 (argv[1], "help") == 0 || g_strcmp0 (argv[1], "--help") == 0)
    {
      print_help (stdout);
      return 0;
    }
  {
    g_autofree char *message = g_strdup_printf ("unknown command \"%s\" (see synapse help)", argv[1]);

    return _syn_cli_usage_error (message);
  }
}

gboolean
_syn_cli_parse (int            *argc,
                char         ***argv,
                const char     *usage,
                const char     *summary,
                GOptionEntry   *entries,
                SynCliCommon   *common,
                GError        **error)
{
  g_autoptr(GOptionContext) context = g_option_context_new (usage);
  GOptionEntry common_entries[] = {
    { "db", 0, 0, G_OPTION_ARG_STRING, &common->db, "Database: a SQLite file or a postgresql:// URI", "URI" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &common->json, "Print the API's JSON answer", NULL },
    { "connect", 0, 0, G_OPTION_ARG_STRING, &common->connect, "Work on a team server instead of a database", "URL" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &common->user, "Sign in to the server as NAME (password from stdin or SYNAPSE_PASSWORD)", "NAME" },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &common->ca_file,
      "Trust the server certificates of this PEM file (a self-signed one) for --connect https://", "FILE" },
    { NULL }
  };

  /* before parsing, so that a bad option is reported in JSON too */
  for (int i = 1; i < *argc && g_strcmp0 ((*argv)[i], "--") != 0; i++)
    if (g_strcmp0 ((*argv)[i], "--json") == 0)
      json_errors = TRUE;
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, common_entries, NULL);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, NULL);
  return g_option_context_parse (context, argc, argv, error);
}

SynBackend *
_syn_cli_backend (SynCliCommon *common, GError **error)
{
  g_autofree char *path = NULL;
  const char *uri = common->db;
  SynLocalBackend *local;

  if (common->connect != NULL)
    {
      if (common->db != NULL)
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "Give --db or --connect, not both");
          return NULL;
        }
      return _syn_cli_connect (common, error);
    }
  if (common->user != NULL || common->ca_file != NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s goes with --connect URL",
                   common->user != NULL ? "--user" : "--ca-file");
      return NULL;
    }
  if (uri == NULL)
    uri = g_getenv ("SYNAPSE_DB");
  /* the default database's folder is ours to make; a given path's is not */
  if (uri == NULL)
    {
      uri = path = syn_store_default_path ();
      if (common->creates && !syn_store_make_default_folder (error))
        return NULL;
    }
  local = syn_local_backend_new_full (uri, common->creates ? SYN_STORE_OPEN_DEFAULT : SYN_STORE_OPEN_EXISTING, error);
  /* the person logged in made the batch, as the GUI records it: one name for one user */
  if (local != NULL)
    syn_local_backend_set_user_id (local, g_get_user_name ());
  return SYN_BACKEND (local);
}

JsonNode *
_syn_cli_call (SynBackend *backend, const char *op, JsonObject *params, GError **error)
{
  return syn_backend_call_sync (backend, op, params, NULL, error);
}

/* The one place errors are printed: one line on stderr, "synapse: " and the
 * message; with --json also {"error": {"code", "message", "details"}} on
 * stdout, the shape of the REST error body (details: what the error says
 * beyond its message, or null), on one line: the last of a JSON Lines
 * stream (execute) too. Returns the exit status. */
static int
report_error (const char *code, const char *message, JsonNode *details, int status)
{
  g_autofree char *line = g_strdup (message ? message : "failed");

  if (json_errors)
    {
      g_autoptr(JsonObject) root = json_object_new ();
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *text = NULL;
      JsonObject *e = json_object_new ();

      json_object_set_string_member (e, "code", code);
      json_object_set_string_member (e, "message", line);
      syn_json_set_copy_or_null (e, "details", details);
      json_object_set_object_member (root, "error", e);
      node = syn_json_node_new_object (g_steal_pointer (&root));
      text = syn_json_to_string (node);
      printf ("%s\n", text);
      fflush (stdout);
    }
  g_strdelimit (line, "\n\r", ' ');
  fprintf (stderr, "synapse: %s\n", line);
  return status;
}

/* Exit status 2 for a command refused as given (bad usage, or input the
 * backend refuses: HTTP 400), 1 for any other failure. */
int
_syn_cli_fail (GError *error)
{
  g_autoptr(GError) mapped = NULL;

  if (error == NULL)
    return report_error ("failed", "failed", NULL, 1);
  if (error->domain == G_OPTION_ERROR)
    return report_error ("usage", error->message, NULL, 2);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return report_error ("cancelled", error->message, NULL, 1);
  mapped = g_error_copy (error);
  syn_backend_error_from_other (&mapped);
  return report_error (syn_backend_status_code_name ((guint) syn_backend_error_to_http_status (mapped)),
                       error->message, syn_backend_error_get_details (mapped),
                       g_error_matches (mapped, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID) ? 2 : 1);
}

int
_syn_cli_usage_error (const char *message)
{
  return report_error ("usage", message, NULL, 2);
}

void
_syn_cli_print_json (JsonNode *node)
{
  g_autofree char *text = syn_json_to_string_pretty (node);

  printf ("%s\n", text);
}

void
_syn_cli_common_clear (SynCliCommon *common)
{
  g_clear_pointer (&common->db, g_free);
  g_clear_pointer (&common->connect, g_free);
  g_clear_pointer (&common->ca_file, g_free);
  g_clear_pointer (&common->user, g_free);
}

/* The last 8 hex digits: ids are time-ordered (UUID v7), so their beginnings
 * are shared by everything made in the same minute; their ends are random. */
char *
_syn_cli_short_id (const char *uuid)
{
  gsize len;

  if (uuid == NULL)
    return g_strdup ("-");
  len = strlen (uuid);
  return g_strdup (len > 8 ? uuid + len - 8 : uuid);
}

/* "2026-11-26T11:12:19.123456+00:00" -> "2026-11-26 11:12:19" (UTC). */
char *
_syn_cli_local_time (const char *iso)
{
  if (iso == NULL || strlen (iso) < 19)
    return g_strdup (iso ? iso : "-");
  return g_strdup_printf ("%.10s %.8s", iso, iso + 11);
}
