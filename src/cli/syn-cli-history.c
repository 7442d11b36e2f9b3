/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-cli-history.c: synapse state --as-of, diff and export audit: a project at any moment, what changed, its audit file. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "backend/syn-local-backend.h"
#include "engine/syn-audit.h"
#include "engine/syn-moment.h"
#include "syn-cli-private.h"

#define MOMENT_HELP "a date (2026-03-01: its end, UTC; or 2026-03-01T14:00:00Z), an event position, a batch id or now"

/* Writes @content to @output (standard output when NULL), whole or not at all. */
static int
write_content (const char *output, const char *content, const char *what)
{
  g_autoptr(GError) error = NULL;

  if (output == NULL)
    {
      fwrite (content, 1, strlen (content), stdout);
      return fflush (stdout) == 0 ? 0 : 1;
    }
  if (!g_file_set_contents (output, content, (gssize) strlen (content), &error))
    return _syn_cli_fail (error);
  fprintf (stderr, "Wrote %s to %s\n", what, output);
  return 0;
}

static void
print_entity_line (const char *kind, JsonObject *o)
{
  if (g_str_equal (kind, "edges"))
    printf ("  %s  %s -> %s\n", syn_json_get_string (o, "relation"), syn_json_get_string (o, "source_asset_id"),
            syn_json_get_string (o, "target_asset_id"));
  else
    printf ("  %-20s %s\n", syn_json_get_string (o, "tag"),
            syn_json_get_string (o, g_str_equal (kind, "assets") ? "type" : "cable_type")
            ? syn_json_get_string (o, g_str_equal (kind, "assets") ? "type" : "cable_type") : "");
}

int
_syn_cli_state (int argc, char **argv)
{
  g_auto(SynCliCommon) common = { 0 };
  g_autofree char *project = NULL, *as_of = NULL, *project_id = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SynBackend) backend = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;
  GOptionEntry entries[] = {
    { "project", 'p', 0, G_OPTION_ARG_STRING, &project, "Project id or name", "P" },
    { "as-of", 0, 0, G_OPTION_ARG_STRING, &as_of, "The moment: " MOMENT_HELP, "WHEN" },
    { NULL }
  };
  static const char * const kinds[] = { "assets", "cables", "edges" };
  JsonObject *o, *moment;
  const char *text;

  if (!_syn_cli_parse (&argc, &argv, "", "Show a project's assets, cables and edges as they were at a moment, "
                       "from the replay of its events\n(rollbacks in between as they happened), with the state "
                       "hash of that moment.", entries, &common, &error))
    return _syn_cli_fail (error);
  if (project == NULL || as_of == NULL)
    return _syn_cli_usage_error ("state: --project and --as-of are required");
  if (!(backend = _syn_cli_open_project (&common, project, &project_id, &error)))
    return _syn_cli_fail (error);
  json_object_set_string_member (params, "project_id", project_id);
  json_object_set_string_member (params, "as_of", as_of);
  /* a local backend answers with the JSON text: no tree of the whole state
   * for --json (issue 15); a server's answer comes parsed */
  json_object_set_boolean_member (params, SYN_PARAM_AS_TEXT, TRUE);
  if (!(answer = _syn_cli_call (backend, SYN_OP_STATE_AS_OF, params, &error)))
    return _syn_cli_fail (error);
  text = syn_json_get_string (json_node_get_object (answer), SYN_ANSWER_TEXT);
  if (common.json && text != NULL)
    {
      g_autofree char *pretty = syn_json_text_pretty (text);

      printf ("%s\n", pretty);
      return 0;
    }
  if (common.json)
    {
      _syn_cli_print_json (answer);
      return 0;
    }
  if (text != NULL)
    {
      JsonNode *parsed = syn_json_parse_trusted (text, strlen (text));

      g_assert (parsed != NULL);
      json_node_unref (answer);
      answer = parsed;
    }
  o = json_node_get_object (answer);
  moment = json_object_get_object_member (o, "as_of");
  printf ("As of %s (position %" G_GINT64_FORMAT "%s%s)\nState hash %s\n", as_of,
          json_object_get_int_member (moment, "position"),
          syn_json_get_string (moment, "timestamp") ? ", " : "",
          syn_json_get_string (moment, "timestamp") ? syn_json_get_string (moment, "timestamp") : "",
          syn_json_get_string (o, "state_hash"));
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      JsonArray *list = json_object_get_array_member (o, kinds[k]);

      printf ("%s: %u\n", kinds[k], json_array_get_length (list));
      for (guint i = 0; i < json_array_get_length (list); i++)
        print_entity_line (kinds[k], json_array_get_object_element (list, i));
    }
  return 0;
}

static void
print_change (const char *kind, const char *change, JsonObject *c)
{
  JsonArray *fields = json_object_has_member (c, "fields") ? json_object_get_array_member (c, "fields") : NULL;
  JsonArray *batches = json_object_get_array_member (c, "batches");
  g_autoptr(GString) by = g_string_new (NULL);

  for (guint i = 0; batches != NULL && i < json_array_get_length (batches); i++)
    {
      JsonObject *b = json_array_get_object_element (batches, i);
      g_autofree char *id = _syn_cli_short_id (syn_json_get_string (b, "correlation_id"));
      const char *user = syn_json_get_string (b, "user_id");

      g_string_append_printf (by, "%s%s%s%s", i ? ", " : "", id, user ? " by " : "", user ? user : "");
    }
  printf ("  %-8s %s %s%s%s%s\n", change, kind, syn_json_get_string (c, "tag") ? syn_json_get_string (c, "tag")
                                                                              : syn_json_get_string (c, "id"),
          by->len ? " (" : "", by->str, by->len ? ")" : "");
  for (guint i = 0; fields != NULL && i < json_array_get_length (fields); i++)
    {
      JsonObject *f = json_array_get_object_element (fields, i);
      g_autofree char *old = syn_json_canonical (json_object_get_member (f, "old"));
      g_autofree char *new = syn_json_canonical (json_object_get_member (f, "new"));

      printf ("           %s: %s -> %s\n", syn_json_get_string (f, "field"), old, new);
    }
}

int
_syn_cli_diff (int argc, char **argv)
{
  g_auto(SynCliCommon) common = { 0 };
  g_autofree char *project = NULL, *from = NULL, *to = NULL, *format = NULL, *output = NULL, *project_id = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SynBackend) backend = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;
  GOptionEntry entries[] = {
    { "project", 'p', 0, G_OPTION_ARG_STRING, &project, "Project id or name", "P" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, "The first moment: " MOMENT_HELP, "A" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, "The second moment (default: now)", "B" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, "text (default), or csv: one row per field changed", "FORMAT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write the CSV to FILE", "FILE" },
    { NULL }
  };
  static const char * const kinds[] = { "assets", "cables", "edges" };
  static const char * const changes[] = { "added", "removed", "changed" };
  JsonObject *o, *counts;

  if (!_syn_cli_parse (&argc, &argv, "", "What changed in a project between two moments (the revision report): "
                       "assets, cables and edges\nadded, removed and changed field by field, with the batches and "
                       "people responsible.", entries, &common, &error))
    return _syn_cli_fail (error);
  if (project == NULL || from == NULL)
    return _syn_cli_usage_error ("diff: --project and --from are required");
  if (format != NULL && g_ascii_strcasecmp (format, "csv") != 0 && g_ascii_strcasecmp (format, "text") != 0)
    return _syn_cli_usage_error ("diff: --format is text or csv");
  if (output != NULL && format == NULL)
    return _syn_cli_usage_error ("diff: --output is for --format csv");
  if (!(backend = _syn_cli_open_project (&common, project, &project_id, &error)))
    return _syn_cli_fail (error);
  json_object_set_string_member (params, "project_id", project_id);
  json_object_set_string_member (params, "from", from);
  if (to != NULL)
    json_object_set_string_member (params, "to", to);
  if (format != NULL && g_ascii_strcasecmp (format, "csv") == 0)
    json_object_set_string_member (params, "format", "csv");
  if (!(answer = _syn_cli_call (backend, SYN_OP_DIFF, params, &error)))
    return _syn_cli_fail (error);
  o = json_node_get_object (answer);
  if (format != NULL && g_ascii_strcasecmp (format, "csv") == 0)
    return write_content (output, syn_json_get_string (o, "content"), "the difference");
  if (common.json)
    {
      _syn_cli_print_json (answer);
      return 0;
    }
  counts = json_object_get_object_member (o, "counts");
  printf ("From %s (position %" G_GINT64_FORMAT ") to %s (position %" G_GINT64_FORMAT "): %" G_GINT64_FORMAT
          " added, %" G_GINT64_FORMAT " removed, %" G_GINT64_FORMAT " changed\n",
          from, json_object_get_int_member (json_object_get_object_member (o, "from"), "position"),
          to ? to : "now", json_object_get_int_member (json_object_get_object_member (o, "to"), "position"),
          json_object_get_int_member (counts, "added"), json_object_get_int_member (counts, "removed"),
          json_object_get_int_member (counts, "changed"));
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      JsonObject *group = json_object_get_object_member (o, kinds[k]);

      for (guint c = 0; c < G_N_ELEMENTS (changes); c++)
        {
          JsonArray *list = json_object_get_array_member (group, changes[c]);

          for (guint i = 0; i < json_array_get_length (list); i++)
            print_change (kinds[k], changes[c], json_array_get_object_element (list, i));
        }
    }
  return 0;
}

/* A moment option to a position, or an error that names the option. */
static gboolean
resolve_moment (SynStore *store, const char *project_id, const char *option, const char *text, gint64 *position,
                GError **error)
{
  if (text == NULL)
    return TRUE;
  if (!syn_moment_resolve (store, project_id, text, position, error))
    {
      g_prefix_error (error, "%s: ", option);
      return FALSE;
    }
  return TRUE;
}

/* The audit file written to @output through a temporary file beside it,
 * renamed when whole: nothing half-written. */
static int
stream_audit (SynLocalBackend *backend, const char *project_id, const char *from, const char *to, const char *output)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *part = g_strconcat (output, ".part", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (part);
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autofree char *head = NULL;
  SynStore *store;
  gint64 a = 0, b = -1;
  guint64 n = 0;
  gboolean ok;

  if (!(store = syn_local_backend_acquire_store (backend, &error)))
    return _syn_cli_fail (error);
  ok = resolve_moment (store, project_id, "--from", from, &a, &error) &&
       resolve_moment (store, project_id, "--to", to, &b, &error) &&
       (stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, &error)) != NULL &&
       syn_audit_write (store, project_id, a, b, G_OUTPUT_STREAM (stream), &n, &head, &error) &&
       g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, &error) &&
       g_rename (part, output) == 0;
  syn_local_backend_release_store (backend, store);
  if (!ok)
    {
      if (stream != NULL)
        g_unlink (part);
      if (error == NULL)
        g_set_error (&error, G_FILE_ERROR, g_file_error_from_errno (errno), "%s: %s", output, g_strerror (errno));
      return _syn_cli_fail (error);
    }
  fprintf (stderr, "Wrote %" G_GUINT64_FORMAT " events (head %s) to %s\n", n, head, output);
  return 0;
}

int
_syn_cli_export_audit (int argc, char **argv)
{
  g_auto(SynCliCommon) common = { 0 };
  g_autofree char *project = NULL, *from = NULL, *to = NULL, *output = NULL, *project_id = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SynBackend) backend = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *what = NULL;
  GOptionEntry entries[] = {
    { "project", 'p', 0, G_OPTION_ARG_STRING, &project, "Project id or name", "P" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, "The events after this moment: " MOMENT_HELP, "A" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, "The events up to this moment (default: the newest)", "B" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write to FILE (required)", "FILE" },
    { NULL }
  };
  JsonObject *o;

  if (!_syn_cli_parse (&argc, &argv, "audit", "Write a project's events with their hashes, who, when, rule and batch, "
                       "and the head hash at the end,\nin the audit format (JSON Lines, docs/design-notes.md) that "
                       "`synapse verify --file FILE` checks without the database.", entries, &common, &error))
    return _syn_cli_fail (error);
  if (project == NULL || output == NULL)
    return _syn_cli_usage_error ("export audit: --project and --output are required");
  if (!(backend = _syn_cli_open_project (&common, project, &project_id, &error)))
    return _syn_cli_fail (error);
  /* on this machine's database the file is written as the events are
   * read: constant memory at any size */
  if (SYN_IS_LOCAL_BACKEND (backend))
    return stream_audit (SYN_LOCAL_BACKEND (backend), project_id, from, to, output);
  json_object_set_string_member (params, "project_id", project_id);
  if (from != NULL)
    json_object_set_string_member (params, "from", from);
  if (to != NULL)
    json_object_set_string_member (params, "to", to);
  if (!(answer = _syn_cli_call (backend, SYN_OP_EXPORT_AUDIT, params, &error)))
    return _syn_cli_fail (error);
  o = json_node_get_object (answer);
  what = g_strdup_printf ("%" G_GINT64_FORMAT " events (head %s)", json_object_get_int_member (o, "rows"),
                          syn_json_get_string (o, "head_hash"));
  return write_content (output, syn_json_get_string (o, "content"), what);
}
