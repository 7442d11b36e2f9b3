/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-cli-integrity.c: synapse verify and repair: check a project's database, delete what dangles as a batch of events. */
#include "config.h"

#include <stdio.h>

#include "engine/syn-audit.h"
#include "syn-cli-private.h"

/* What one command does for one project, and says of it. */
typedef struct
{
  const char *command;
  const char *op;
  gboolean    (*print) (const char *label, JsonObject *answer);   /* FALSE: something found */
} Job;

static void
print_findings (JsonArray *findings)
{
  for (guint i = 0; findings != NULL && i < json_array_get_length (findings); i++)
    {
      JsonObject *f = json_array_get_object_element (findings, i);
      g_autofree char *id = _syn_cli_short_id (syn_json_get_string (f, "batch"));
      g_autofree char *batch = syn_json_get_string (f, "batch")
        ? g_strdup_printf (" (last written by batch %s)", id) : g_strdup ("");

      printf ("  %s  %s: %s%s\n", syn_json_get_string (f, "check"), syn_json_get_string (f, "kind"),
              syn_json_get_string (f, "message"), batch);
    }
}

static gboolean
print_verify (const char *label, JsonObject *answer)
{
  JsonArray *checks = json_object_get_array_member (answer, "checks");
  JsonArray *findings = json_object_get_array_member (answer, "findings");
  guint n = findings ? json_array_get_length (findings) : 0;
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; checks != NULL && i < json_array_get_length (checks); i++)
    g_string_append_printf (names, "%s%s", i ? ", " : "",
                            syn_json_get_string (json_array_get_object_element (checks, i), "name"));
  if (n == 0)
    printf ("%s: OK (%s)\n", label, names->str);
  else
    {
      g_autofree char *count = SYN_CLI_COUNT (n, "%d finding", "%d findings");

      printf ("%s: %s (%s)\n", label, count, names->str);
    }
  /* the head hash to write down: `verify --expect` checks a copy against it */
  if (json_object_has_member (answer, "head_hash"))
    printf ("  head %s (%" G_GINT64_FORMAT " events)\n", syn_json_get_string (answer, "head_hash"),
            json_object_get_int_member (answer, "events"));
  print_findings (findings);
  return json_object_get_boolean_member_with_default (answer, "ok", FALSE);
}

static gboolean
print_repair (const char *label, JsonObject *answer)
{
  const char *status = syn_json_get_string (answer, "status");
  JsonArray *findings = json_object_get_array_member (answer, "findings");
  guint n = findings ? json_array_get_length (findings) : 0;

  if (g_strcmp0 (status, "nothing_to_repair") == 0)
    printf ("%s: nothing to repair\n", label);
  else if (g_strcmp0 (status, "dry_run") == 0)
    {
      g_autofree char *rows = SYN_CLI_COUNT (n, "%d row", "%d rows");

      printf ("%s: would delete %s that refer to missing assets (dry run, nothing written):\n", label, rows);
    }
  else
    {
      g_autofree char *edges = SYN_CLI_COUNT (json_object_get_int_member (answer, "edges_deleted"),
                                              "%d edge", "%d edges");
      g_autofree char *cables = SYN_CLI_COUNT (json_object_get_int_member (answer, "cables_deleted"),
                                               "%d cable", "%d cables");
      g_autofree char *batch = _syn_cli_short_id (syn_json_get_string (answer, "correlation_id"));

      printf ("%s: deleted %s and %s that referred to missing assets, as batch %s:\n", label, edges, cables, batch);
    }
  print_findings (findings);
  return TRUE;
}

/* The projects to cover: the one given (id or name), or every one, as
 * {id, label} pairs in one flat array. */
static GPtrArray *
projects_to_cover (SynBackend *backend, const char *project, GError **error)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonObject) params = NULL;
  JsonArray *projects;

  if (project != NULL)
    {
      g_ptr_array_add (out, g_strdup (project));
      g_ptr_array_add (out, g_strdup (project));
      return out;
    }
  /* archived projects too: their history is checked as any other */
  params = json_object_new ();
  json_object_set_boolean_member (params, "include_archived", TRUE);
  if (!(list = _syn_cli_call (backend, SYN_OP_LIST_PROJECTS, params, error)))
    {
      g_ptr_array_unref (out);
      return NULL;
    }
  projects = json_node_get_array (list);
  for (guint i = 0; i < json_array_get_length (projects); i++)
    {
      JsonObject *p = json_array_get_object_element (projects, i);

      g_ptr_array_add (out, g_strdup (syn_json_get_string (p, "id")));
      g_ptr_array_add (out, g_strdup (syn_json_get_string (p, "name")));
    }
  return out;
}

/* `synapse verify --file FILE`: an audit file, checked without any database. */
static int
verify_file (const char *file, const char *expect, gboolean json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_audit_verify_file (file, expect, &error);

  if (answer == NULL)
    return _syn_cli_fail (error);
  if (json)
    {
      _syn_cli_print_json (answer);
      return json_object_get_boolean_member (json_node_get_object (answer), "ok") ? 0 : 1;
    }
  return print_verify (file, json_node_get_object (answer)) ? 0 : 1;
}

static int
run_job (int argc, char **argv, Job *job, const char *summary)
{
  g_auto(SynCliCommon) common = { 0 };
  g_autofree char *project = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SynBackend) backend = NULL;
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(JsonArray) answers = json_array_new ();
  g_autofree char *expect = NULL;
  g_autofree char *file = NULL;
  gboolean dry_run = FALSE;
  gboolean all_ok = TRUE;
  GOptionEntry entries[] = {
    { "project", 'p', 0, G_OPTION_ARG_STRING, &project, "Project id or name (default: every project)", "P" },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, "Say what it would delete, write nothing", NULL },
    { NULL },
    { NULL },
    { NULL }
  };

  if (job->print == print_verify)
    {
      entries[1] = (GOptionEntry) { "expect", 0, 0, G_OPTION_ARG_STRING, &expect,
                                    "A head hash written down earlier: it must be in the project's chain", "HASH" };
      entries[2] = (GOptionEntry) { "file", 0, 0, G_OPTION_ARG_FILENAME, &file,
                                    "Check an audit file (synapse export audit) instead of a database", "FILE" };
    }
  if (!_syn_cli_parse (&argc, &argv, "", summary, entries, &common, &error))
    return _syn_cli_fail (error);
  if (argc > 1)
    {
      g_autofree char *usage = g_strdup_printf ("%s: takes no arguments (usage: synapse %s [--project P])",
                                                job->command, job->command);

      return _syn_cli_usage_error (usage);
    }
  if (file != NULL)
    {
      if (project != NULL)
        return _syn_cli_usage_error ("verify: --file checks the file alone, without --project");
      return verify_file (file, expect, common.json);
    }
  if (expect != NULL && project == NULL)
    return _syn_cli_usage_error ("verify: --expect needs --project (a head hash is one project's)");
  if (!(backend = _syn_cli_backend (&common, &error)) ||
      !(projects = projects_to_cover (backend, project, &error)))
    return _syn_cli_fail (error);

  for (guint i = 0; i + 1 < projects->len; i += 2)
    {
      g_autoptr(JsonObject) params = json_object_new ();
      JsonNode *answer;

      json_object_set_string_member (params, "project_id", g_ptr_array_index (projects, i));
      if (dry_run)
        json_object_set_boolean_member (params, "dry_run", TRUE);
      if (expect != NULL)
        json_object_set_string_member (params, "expect", expect);
      if (!(answer = _syn_cli_call (backend, job->op, params, &error)))
        return _syn_cli_fail (error);
      json_array_add_element (answers, answer);
      if (!common.json)
        all_ok = job->print (g_ptr_array_index (projects, i + 1), json_node_get_object (answer)) && all_ok;
      else
        all_ok = json_object_get_boolean_member_with_default (json_node_get_object (answer), "ok", TRUE) && all_ok;
    }

  if (common.json)
    {
      g_autoptr(JsonNode) out = NULL;

      /* one project: its answer as the API gives it; all: the list */
      if (project != NULL && json_array_get_length (answers) == 1)
        out = json_node_copy (json_array_get_element (answers, 0));
      else
        {
          JsonObject *all = json_object_new ();

          if (job->print == print_verify)
            json_object_set_boolean_member (all, "ok", all_ok);
          json_object_set_array_member (all, "projects", json_array_ref (answers));
          out = syn_json_node_new_object (all);
        }
      _syn_cli_print_json (out);
    }
  else if (projects->len == 0)
    printf ("No projects.\n");
  return all_ok ? 0 : 1;
}

int
_syn_cli_verify (int argc, char **argv)
{
  Job job = { "verify", SYN_OP_VERIFY, print_verify };

  return run_job (argc, argv, &job,
                  "Check a project's database (every project without --project): no edge or cable refers to\n"
                  "an asset that does not exist; each event's hash chains it to the one before (nothing\n"
                  "changed, removed or moved since it was written); every batch's events are numbered\n"
                  "without gaps in position order; the replay of the events equals the tables; each\n"
                  "snapshot agrees with its events. With --expect, the head hash someone wrote down must\n"
                  "be in the chain. With --file, an audit file is checked without any database. Each\n"
                  "finding names the first event, batch or entity at fault. Writes nothing. Exit status\n"
                  "0 when all holds, 1 with findings.");
}

int
_syn_cli_repair (int argc, char **argv)
{
  Job job = { "repair", SYN_OP_REPAIR, print_repair };

  return run_job (argc, argv, &job,
                  "Delete the edges and cables that refer to missing assets (rows a database written before\n"
                  "the references were checked may hold) as one batch of events per project, each deletion\n"
                  "saying why: nothing goes silently, and the batch shows on the timeline.");
}
