/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-cli-sync.c: `synapse clone` and `synapse sync`: a team project taken offline and brought back. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "backend/syn-sync-client.h"
#include "syn-cli-private.h"

static void
print_progress (const char *stage, guint64 done, guint64 total, gpointer user_data)
{
  if (g_str_equal (stage, "push"))
    fprintf (stderr, _("\rOperations pushed: %" G_GUINT64_FORMAT), done);
  else if (g_str_equal (stage, "events"))
    fprintf (stderr, _("\rEvents fetched: %" G_GUINT64_FORMAT), done);
  else if (done == 0)
    fprintf (stderr, _("\nReplaying %" G_GUINT64_FORMAT " events...\n"), total);
  fflush (stderr);
}

/* The default clone file of a project: one database per clone. */
static char *
default_clone_path (const char *project)
{
  g_autofree char *name = g_strconcat (project, ".db", NULL);

  g_strdelimit (name, "/\\:", '_');
  return g_build_filename (g_get_user_data_dir (), "synapse", "clones", name, NULL);
}

int
_syn_cli_clone (int argc, char **argv)
{
  g_auto(SynCliCommon) common = { 0 };
  g_autofree char *project = NULL;
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SynBackend) server = NULL;
  g_autoptr(SynSyncClient) client = NULL;
  g_autoptr(JsonNode) answer = NULL;
  gint64 started;
  JsonObject *o;
  GOptionEntry entries[] = {
    { "project", 'p', 0, G_OPTION_ARG_STRING, &project, "The server's project, by id or name", "P" },
    { NULL }
  };

  if (!_syn_cli_parse (&argc, &argv, "URL",
                       "Copy a team project to a database of its own (--db FILE) to work on it offline:\n"
                       "its events with their hash chain (each hash recomputed and compared), its rules,\n"
                       "and its state replayed from the events (compared with the server's state hash).\n"
                       "Sign in with --user NAME, or use the token saved by an earlier sign-in.",
                       entries, &common, &error))
    return _syn_cli_fail (error);
  if (argc != 2 || project == NULL)
    return _syn_cli_usage_error ("clone: usage: synapse clone URL --project P [--db FILE]");
  if (common.connect != NULL)
    return _syn_cli_usage_error ("clone: the server is the URL argument, not --connect");
  common.connect = g_strdup (argv[1]);
  path = common.db ? g_strdup (common.db) : default_clone_path (project);
  dir = g_path_get_dirname (path);
  /* the default folder is ours to make; a given path's is not */
  if (common.db == NULL && g_mkdir_with_parents (dir, 0700) != 0)
    return _syn_cli_usage_error ("clone: cannot create the clone's folder");
  g_clear_pointer (&common.db, g_free);
  if (!(server = _syn_cli_backend (&common, &error)))
    return _syn_cli_fail (error);
  client = syn_sync_client_new (server, argv[1], path);
  if (!common.json)
    syn_sync_client_set_progress (client, print_progress, NULL);
  started = g_get_monotonic_time ();
  if (!(answer = syn_sync_client_clone (client, project, &error)))
    return _syn_cli_fail (error);
  o = json_node_get_object (answer);
  json_object_set_string_member (o, "path", path);
  json_object_set_double_member (o, "seconds", (g_get_monotonic_time () - started) / 1e6);
  if (common.json)
    {
      _syn_cli_print_json (answer);
      return 0;
    }
  printf (_("Cloned %s into %s: %" G_GINT64_FORMAT " events, %.1f MB in %.1f s\n"),
          syn_json_get_string (o, "name"), path, json_object_get_int_member (o, "events"),
          json_object_get_int_member (o, "bytes") / 1e6, json_object_get_double_member (o, "seconds"));
  printf (_("Head hash %s (the server's), state hash %s\n"), syn_json_get_string (o, "head_hash"),
          syn_json_get_string (o, "state_hash"));
  return 0;
}

static void
print_value (JsonObject *object, const char *member)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *text = node ? syn_json_to_string (node) : g_strdup ("null");

  printf ("  %-24s", text);
}

/* A table of the operations in conflict: one line per field, both values. */
static void
print_conflicts (JsonArray *ops)
{
  if (json_array_get_length (ops) == 0)
    return;
  printf (_("%-6s %-16s %-12s %-20s %-24s  %-24s  %s\n"), _("OP"), _("OPERATION"), _("TAG"), _("FIELD"),
          _("MINE"), _("THEIRS"), _("REASON"));
  for (guint i = 0; i < json_array_get_length (ops); i++)
    {
      JsonObject *op = json_array_get_object_element (ops, i);
      JsonNode *node = json_object_get_member (op, "conflict");
      JsonObject *conflict = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonArray *fields = conflict && json_object_has_member (conflict, "conflicts")
                            ? json_object_get_array_member (conflict, "conflicts") : NULL;

      if (fields == NULL || json_array_get_length (fields) == 0)
        {
          printf ("%-6" G_GINT64_FORMAT " %-16s %-12s %-20s %-24s  %-24s  %s\n", json_object_get_int_member (op, "id"),
                  syn_json_get_string (op, "op"), "", "", "", "",
                  conflict ? syn_json_get_string (conflict, "message") : "");
          continue;
        }
      for (guint f = 0; f < json_array_get_length (fields); f++)
        {
          JsonObject *c = json_array_get_object_element (fields, f);

          printf ("%-6" G_GINT64_FORMAT " %-16s %-12s %-20s", json_object_get_int_member (op, "id"),
                  syn_json_get_string (op, "op"), syn_json_get_string (c, "tag") ? syn_json_get_string (c, "tag") : "",
                  syn_json_get_string (c, "field") ? syn_json_get_string (c, "field") : "");
          print_value (c, "mine");
          print_value (c, "theirs");
          printf ("  %s\n", syn_json_get_string (c, "reason"));
        }
    }
  printf (_("Resolve each with synapse sync --resolve OP=mine|theirs.\n"));
}

static JsonArray *
conflicts_of (JsonArray *ops)
{
  JsonArray *out = json_array_new ();

  for (guint i = 0; i < json_array_get_length (ops); i++)
    {
      JsonObject *op = json_array_get_object_element (ops, i);

      if (g_strcmp0 (syn_json_get_string (op, "status"), "conflict") == 0)
        json_array_add_object_element (out, json_object_ref (op));
    }
  return out;
}

static int
print_status (JsonNode *answer, gboolean json)
{
  JsonObject *o = json_node_get_object (answer);
  g_autoptr(JsonArray) conflicts = conflicts_of (json_object_get_array_member (o, "operations"));
  g_autofree char *seen = NULL;

  if (json)
    {
      _syn_cli_print_json (answer);
      return 0;
    }
  seen = syn_time_to_iso8601 (json_object_get_int_member (o, "behind_seen_at"));
  printf (_("%s: %" G_GINT64_FORMAT " local batches ahead, %" G_GINT64_FORMAT " server batches behind (%s %s)\n"),
          syn_json_get_string (o, "project"), json_object_get_int_member (o, "ahead"),
          json_object_get_int_member (o, "behind"),
          json_object_get_boolean_member (o, "behind_asked_now") ? _("asked now") : _("when last seen,"),
          json_object_get_boolean_member (o, "behind_asked_now") ? "" : seen);
  print_conflicts (conflicts);
  return 0;
}

int
_syn_cli_sync (int argc, char **argv)
{
  g_auto(SynCliCommon) common = { 0 };
  g_autofree char *project = NULL;
  g_autofree char *resolve = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) offline_error = NULL;
  g_autoptr(SynBackend) server = NULL;
  g_autoptr(SynSyncClient) offline = NULL;
  g_autoptr(SynSyncClient) client = NULL;
  g_autoptr(JsonNode) status = NULL;
  g_autoptr(JsonNode) answer = NULL;
  gboolean status_only = FALSE;
  GOptionEntry entries[] = {
    { "project", 'p', 0, G_OPTION_ARG_STRING, &project, "The clone's project, by id or name", "P" },
    { "status", 0, 0, G_OPTION_ARG_NONE, &status_only, "Only say how far ahead and behind the clone is", NULL },
    { "resolve", 0, 0, G_OPTION_ARG_STRING, &resolve, "Resolve a conflict: keep mine or theirs", "OP=mine|theirs" },
    { NULL }
  };

  if (!_syn_cli_parse (&argc, &argv, "",
                       "Push a clone's offline batches to its server, each as the operation it was, then make\n"
                       "the clone equal to the server. An edit of a field the server changed since the clone's\n"
                       "base, a rollback the server refuses, is a conflict: listed, kept, never applied until\n"
                       "--resolve OP=mine (apply it over theirs at the next sync) or OP=theirs (drop it).",
                       entries, &common, &error))
    return _syn_cli_fail (error);
  if (argc > 1 || project == NULL)
    return _syn_cli_usage_error ("sync: usage: synapse sync --project P [--db FILE] [--status] "
                                 "[--resolve OP=mine|theirs]");
  if (common.connect != NULL)
    return _syn_cli_usage_error ("sync: the server is the clone's own, not --connect");
  path = common.db ? g_strdup (common.db) : default_clone_path (project);
  g_clear_pointer (&common.db, g_free);
  offline = syn_sync_client_new (NULL, NULL, path);
  if (resolve != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (resolve, "=", 2);
      char *end = NULL;
      gint64 id;

      if (g_strv_length (parts) != 2)
        return _syn_cli_usage_error ("sync: --resolve takes OP=mine or OP=theirs");
      id = g_ascii_strtoll (parts[0], &end, 10);
      if (end == parts[0] || *end != '\0')
        return _syn_cli_usage_error ("sync: --resolve: OP is the number sync --status shows");
      if (!syn_sync_client_resolve (offline, project, id, parts[1], &error))
        return _syn_cli_fail (error);
      if (!common.json)
        printf (_("Operation %" G_GINT64_FORMAT ": %s\n"), id,
                g_str_equal (parts[1], "mine") ? _("kept, pushed at the next sync") : _("dropped"));
      else
        {
          g_autoptr(JsonObject) o = json_object_new ();
          g_autoptr(JsonNode) node = NULL;

          json_object_set_int_member (o, "id", id);
          json_object_set_string_member (o, "resolution", parts[1]);
          node = syn_json_node_new_object (json_object_ref (o));
          _syn_cli_print_json (node);
        }
      return 0;
    }
  /* the clone knows its server */
  if (!(status = syn_sync_client_status (offline, project, &error)))
    return _syn_cli_fail (error);
  common.connect = g_strdup (syn_json_get_string (json_node_get_object (status), "server_url"));
  server = _syn_cli_backend (&common, status_only ? &offline_error : &error);
  if (server == NULL && !status_only)
    return _syn_cli_fail (error);
  client = syn_sync_client_new (server, common.connect, path);
  if (status_only)
    {
      g_autoptr(JsonNode) asked = server ? syn_sync_client_status (client, project, &offline_error) : NULL;

      /* unreachable: what was seen last */
      if (asked == NULL && !common.json)
        fprintf (stderr, _("The server is not reachable (%s): counts as last seen\n"),
                 offline_error ? offline_error->message : "");
      return print_status (asked ? asked : status, common.json);
    }
  if (!common.json)
    syn_sync_client_set_progress (client, print_progress, NULL);
  if (!(answer = syn_sync_client_sync (client, project, &error)))
    return _syn_cli_fail (error);
  if (common.json)
    {
      _syn_cli_print_json (answer);
      return 0;
    }
  {
    JsonObject *o = json_node_get_object (answer);
    JsonArray *conflicts = json_object_get_array_member (o, "conflicts");

    printf (_("Pushed %" G_GINT64_FORMAT " operations (%" G_GINT64_FORMAT " already applied), %u in conflict; "
              "the clone equals the server: head hash %s, state hash %s\n"),
            json_object_get_int_member (o, "pushed"), json_object_get_int_member (o, "applied_before"),
            json_array_get_length (conflicts), syn_json_get_string (o, "head_hash"),
            syn_json_get_string (o, "state_hash"));
    print_conflicts (conflicts);
  }
  return 0;
}
