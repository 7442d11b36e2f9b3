/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-cli-assets.c: synapse import, and synapse asset add|set|delete|list. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "syn-cli-private.h"

/* ------------------------------------------------------------------------- */
/* import                                                                    */

static void
print_import_issues (JsonArray *issues, const char *kind)
{
  for (guint i = 0; issues != NULL && i < json_array_get_length (issues); i++)
    {
      JsonObject *e = json_array_get_object_element (issues, i);

      printf ("line %" G_GINT64_FORMAT ": %s%s\n", json_object_get_int_member (e, "line"), kind,
              syn_json_get_string (e, "message"));
    }
}

/* A value of a revision's diff: strings quoted (a blank shows), none for
 * what is absent. */
static char *
format_value (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("(none)");
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup_printf ("\"%s\"", json_node_get_string (node));
  return syn_json_to_string (node);
}

static void
print_updated (JsonObject *entry, gboolean only_overwrites)
{
  JsonArray *changes = json_object_get_array_member (entry, "changes");
  JsonArray *held = json_object_get_array_member (entry, "held");

  printf ("  ~ %s (line %" G_GINT64_FORMAT ")\n", syn_json_get_string (entry, "tag"),
          json_object_get_int_member (entry, "line"));
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      gboolean overwrote = json_object_get_boolean_member (change, "overwrote_manual");
      g_autofree char *old = NULL;
      g_autofree char *new_value = NULL;

      if (only_overwrites && !overwrote)
        continue;
      old = format_value (json_object_get_member (change, "old"));
      new_value = format_value (json_object_get_member (change, "new"));
      printf ("      %s: %s -> %s%s\n", syn_json_get_string (change, "field"), old, new_value,
              overwrote ? "   (overwrites a manual edit)" : "");
    }
  if (!only_overwrites && json_array_get_length (held) > 0)
    {
      printf ("      now held against the rules:");
      for (guint i = 0; i < json_array_get_length (held); i++)
        printf (" %s", json_array_get_string_element (held, i));
      printf ("\n");
    }
}

static void
print_missing (JsonObject *answer)
{
  JsonArray *missing = json_object_get_array_member (json_object_get_object_member (answer, "diff"), "missing");
  gboolean delete = json_object_get_boolean_member (answer, "delete_missing");
  gboolean dry_run = json_object_get_boolean_member (answer, "dry_run");

  if (json_array_get_length (missing) == 0)
    return;
  if (!delete)
    printf ("Missing from the file (kept; --delete-missing deletes them):\n");
  else
    printf ("Missing from the file (%s with their edges and cables):\n", dry_run ? "to be deleted" : "deleted");
  for (guint i = 0; i < json_array_get_length (missing); i++)
    {
      JsonObject *m = json_array_get_object_element (missing, i);

      printf ("  - %s %s", syn_json_get_string (m, "tag"), syn_json_get_string (m, "type"));
      if (json_object_has_member (m, "edges"))
        {
          g_autofree char *edges = SYN_CLI_COUNT (json_object_get_int_member (m, "edges"), "%d edge", "%d edges");
          g_autofree char *cables = SYN_CLI_COUNT (json_object_get_int_member (m, "cables"), "%d cable", "%d cables");

          printf (" (%s, %s)", edges, cables);
        }
      printf ("\n");
    }
}

/* A revision: the counts, then the diff (the whole of it in a preview;
 * after an import, what overwrote manual edits and what is missing). */
static void
print_revision (JsonObject *answer)
{
  const char *status = syn_json_get_string (answer, "status");
  JsonObject *diff = json_object_get_object_member (answer, "diff");
  JsonArray *created = json_object_get_array_member (diff, "created");
  JsonArray *updated = json_object_get_array_member (diff, "updated");
  gboolean preview = json_object_get_boolean_member (answer, "dry_run");
  gboolean delete_missing = json_object_get_boolean_member (answer, "delete_missing");
  guint overwrites = 0;

  /* the short id, as everywhere: rollback takes it */
  if (g_strcmp0 (status, "imported") == 0)
    {
      g_autofree char *batch = _syn_cli_short_id (syn_json_get_string (answer, "correlation_id"));

      printf ("Revision imported in batch %s: ", batch);
    }
  else if (g_strcmp0 (status, "unchanged") == 0)
    printf ("Nothing to change (the project already has the file's values)%s: ",
            preview ? ", nothing written" : "");
  else if (g_strcmp0 (status, "preview") == 0)
    printf ("Preview of the revision (nothing written): ");
  else if (g_strcmp0 (status, "empty") == 0)
    printf ("Nothing to import: no row of the file can be taken: ");
  else
    printf ("Revision refused (--strict), nothing written: ");
  printf ("%" G_GINT64_FORMAT " created, %" G_GINT64_FORMAT " updated, %" G_GINT64_FORMAT " unchanged, %"
          G_GINT64_FORMAT " missing%s, %" G_GINT64_FORMAT " skipped\n",
          json_object_get_int_member (answer, "created"), json_object_get_int_member (answer, "updated"),
          json_object_get_int_member (answer, "unchanged"), json_object_get_int_member (answer, "missing"),
          json_object_get_int_member (answer, "deleted") > 0 ? " (deleted)"
          : preview && delete_missing && json_object_get_int_member (answer, "missing") > 0 ? " (to be deleted)"
          : "",
          json_object_get_int_member (answer, "skipped"));

  if (preview)
    {
      if (json_array_get_length (created) > 0)
        printf ("Created:\n");
      for (guint i = 0; i < json_array_get_length (created); i++)
        {
          JsonObject *entry = json_array_get_object_element (created, i);

          printf ("  + %s %s (line %" G_GINT64_FORMAT ")\n", syn_json_get_string (entry, "tag"),
                  syn_json_get_string (entry, "type"), json_object_get_int_member (entry, "line"));
        }
      if (json_array_get_length (updated) > 0)
        printf ("Updated:\n");
      for (guint i = 0; i < json_array_get_length (updated); i++)
        print_updated (json_array_get_object_element (updated, i), FALSE);
    }
  else
    {
      for (guint i = 0; i < json_array_get_length (updated); i++)
        {
          JsonObject *entry = json_array_get_object_element (updated, i);

          if (json_array_get_length (json_object_get_array_member (entry, "overwrote_manual")) == 0)
            continue;
          if (overwrites++ == 0)
            printf ("Manual edits overwritten by the file:\n");
          print_updated (entry, TRUE);
        }
    }
  print_missing (answer);
}

/* 0 when something was imported, previewed, or the file was valid (if
 * empty or unchanged); 1 when --strict refused it or every row was bad. */
static int
import_report (JsonNode *node, gboolean json)
{
  JsonObject *answer = json_node_get_object (node);
  const char *status = syn_json_get_string (answer, "status");
  JsonArray *errors = json_object_get_array_member (answer, "errors");
  JsonArray *warnings = json_object_get_array_member (answer, "warnings");
  guint n_errors = json_array_get_length (errors);
  gint64 imported = json_object_get_int_member (answer, "imported");
  gint64 skipped = json_object_get_int_member (answer, "skipped");
  g_autofree char *batch = _syn_cli_short_id (syn_json_get_string (answer, "correlation_id"));
  g_autofree char *assets = SYN_CLI_COUNT (imported, "%d asset", "%d assets");

  if (json)
    _syn_cli_print_json (node);
  else if (g_strcmp0 (syn_json_get_string (answer, "mode"), "revision") == 0)
    print_revision (answer);
  else if (g_strcmp0 (status, "imported") == 0)
    printf ("Imported %s in batch %s (%" G_GINT64_FORMAT " skipped)\n", assets, batch, skipped);
  else if (g_strcmp0 (status, "preview") == 0)
    printf ("Preview (nothing written): %s to import (%" G_GINT64_FORMAT " skipped)\n", assets, skipped);
  else if (n_errors == 0)
    printf ("Nothing to import: the file has no data rows\n");
  if (!json)
    {
      print_import_issues (errors, "");
      print_import_issues (warnings, "warning: ");
    }

  if (g_strcmp0 (status, "refused") == 0)
    {
      g_autofree char *count = SYN_CLI_COUNT (n_errors, "%d error", "%d errors");

      fprintf (stderr, "synapse: import refused (--strict): %s, nothing imported\n", count);
      return 1;
    }
  if (g_strcmp0 (status, "empty") == 0 && n_errors > 0)
    {
      fprintf (stderr, "synapse: nothing imported: every row has errors (%" G_GINT64_FORMAT " skipped)\n",
               skipped);
      return 1;
    }
  return 0;
}

int
_syn_cli_import (int argc, char **argv)
{
  g_auto(SynCliCommon) common = { 0 };
  g_autofree char *project = NULL;
  g_autofree char *project_id = NULL;
  g_autofree char *contents = NULL;
  gboolean strict = FALSE, revision = FALSE, dry_run = FALSE, delete_missing = FALSE;
  gsize length = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(SynBackend) backend = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;
  GOptionEntry entries[] = {
    { "project", 'p', 0, G_OPTION_ARG_STRING, &project, "Project id or name", "P" },
    { "strict", 0, 0, G_OPTION_ARG_NONE, &strict, "Import nothing when any line is bad", NULL },
    { "revision", 0, 0, G_OPTION_ARG_NONE, &revision,
      "A revised list: rows matched by tag (created, updated, unchanged); tags it no longer names are listed", NULL },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, "Print what the import would do; write nothing", NULL },
    { "delete-missing", 0, 0, G_OPTION_ARG_NONE, &delete_missing,
      "With --revision: delete the assets the list no longer names (with their edges and cables)", NULL },
    { NULL }
  };
  int ret;

  if (!_syn_cli_parse (&argc, &argv, "FILE.csv", "Import a P&ID asset list (CSV) as one batch: new tags, or "
                       "with --revision a revised issue of the list.", entries, &common, &error))
    return _syn_cli_fail (error);
  if (project == NULL)
    ret = _syn_cli_usage_error ("import: --project is required");
  else if (argc != 2)
    ret = _syn_cli_usage_error ("usage: synapse import FILE.csv --project P [--strict] [--revision "
                                "[--delete-missing]] [--dry-run]");
  else if (delete_missing && !revision)
    ret = _syn_cli_usage_error ("import: --delete-missing goes with --revision");
  else if (!g_file_get_contents (argv[1], &contents, &length, &error))
    ret = _syn_cli_fail (error);
  /* The text travels as a JSON string, which would end at a NUL. */
  else if (memchr (contents, '\0', length) != NULL)
    ret = _syn_cli_usage_error ("import: the file is not text (it holds NUL bytes)");
  else if (!(backend = _syn_cli_open_project (&common, project, &project_id, &error)))
    ret = _syn_cli_fail (error);
  else
    {
      json_object_set_string_member (params, "project_id", project_id);
      json_object_set_string_member (params, "csv", contents);
      json_object_set_boolean_member (params, "strict", strict);
      if (revision)
        json_object_set_string_member (params, "mode", "revision");
      if (dry_run)
        json_object_set_boolean_member (params, "dry_run", TRUE);
      if (delete_missing)
        json_object_set_boolean_member (params, "delete_missing", TRUE);
      if (!(answer = _syn_cli_call (backend, SYN_OP_IMPORT_CSV, params, &error)))
        ret = _syn_cli_fail (error);
      else
        ret = import_report (answer, common.json);
    }

  return ret;
}

/* ------------------------------------------------------------------------- */
/* asset add|set|delete|list                                                 */

/* A whole number or a decimal, in the plain form people type: "50", "-3",
 * "0.75", "1e3". Not "007" (a code, not a number), "0x10", "inf" or " 5". */
static gboolean
is_plain_number (const char *text)
{
  const char *p = text;

  if (*p == '-')
    p++;
  if (!g_ascii_isdigit (*p) || (p[0] == '0' && g_ascii_isdigit (p[1])))
    return FALSE;
  while (g_ascii_isdigit (*p))
    p++;
  if (*p == '.')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }
  if (*p == 'e' || *p == 'E')
    {
      p++;
      if (*p == '+' || *p == '-')
        p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }
  return *p == '\0';
}

/* --set values: plain numbers become JSON numbers, anything else a string. */
static JsonNode *
property_value (const char *text)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  if (is_plain_number (text))
    {
      gboolean integral = strpbrk (text, ".eE") == NULL;
      gint64 whole;
      double value;

      errno = 0;
      whole = g_ascii_strtoll (text, NULL, 10);
      if (integral && errno == 0)
        {
          json_node_set_int (node, whole);
          return node;
        }
      errno = 0;
      value = g_ascii_strtod (text, NULL);
      if (errno == 0 && isfinite (value))
        {
          json_node_set_double (node, value);
          return node;
        }
    }
  json_node_set_string (node, text);
  return node;
}

/* --set KEY=VALUE... and --unset KEY... into a properties patch. */
static JsonObject *
properties_patch (char **set, char **unset, GError **error)
{
  g_autoptr(JsonObject) properties = json_object_new ();

  for (guint i = 0; set && set[i]; i++)
    {
      const char *eq = strchr (set[i], '=');
      g_autofree char *key = NULL;

      if (eq == NULL || eq == set[i])
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--set %s: expected KEY=VALUE", set[i]);
          return NULL;
        }
      key = g_strndup (set[i], eq - set[i]);
      if (eq[1] == '\0')
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--set %s: empty value (to remove a property use --unset %s)", set[i], key);
          return NULL;
        }
      if (json_object_has_member (properties, key))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--set: property %s given twice", key);
          return NULL;
        }
      json_object_set_member (properties, key, property_value (eq + 1));
    }
  for (guint i = 0; unset && unset[i]; i++)
    {
      if (*unset[i] == '\0')
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               "--unset: empty property name");
          return NULL;
        }
      if (json_object_has_member (properties, unset[i]))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--unset %s: property also given to --set, or twice", unset[i]);
          return NULL;
        }
      json_object_set_null_member (properties, unset[i]);
    }
  return g_steal_pointer (&properties);
}

typedef struct
{
  char    *project;
  char    *type;
  char    *description;
  char    *area;
  char    *discipline;
  char   **set;
  char   **unset;
  char    *search;
  char    *page;   /* text: the operation checks the range and names the parameter */
  char    *limit;
  char   **property;  /* reset */
  char   **field;
  char   **rule;
  char    *tag;    /* set: the new tag */
} AssetOptions;

static void
asset_options_clear (AssetOptions *o)
{
  g_clear_pointer (&o->project, g_free);
  g_clear_pointer (&o->type, g_free);
  g_clear_pointer (&o->description, g_free);
  g_clear_pointer (&o->area, g_free);
  g_clear_pointer (&o->discipline, g_free);
  g_clear_pointer (&o->set, g_strfreev);
  g_clear_pointer (&o->unset, g_strfreev);
  g_clear_pointer (&o->search, g_free);
  g_clear_pointer (&o->page, g_free);
  g_clear_pointer (&o->limit, g_free);
  g_clear_pointer (&o->property, g_strfreev);
  g_clear_pointer (&o->field, g_strfreev);
  g_clear_pointer (&o->rule, g_strfreev);
  g_clear_pointer (&o->tag, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AssetOptions, asset_options_clear)

/* Which options an action takes. */
enum {
  OPT_TYPE        = 1 << 0,
  OPT_DESCRIPTION = 1 << 1,
  OPT_AREA        = 1 << 2,
  OPT_DISCIPLINE  = 1 << 3,
  OPT_SET         = 1 << 4,
  OPT_UNSET       = 1 << 5,
  OPT_SEARCH      = 1 << 6,
  OPT_PAGE        = 1 << 7,
  OPT_LIMIT       = 1 << 8,
  OPT_RESET       = 1 << 9,
  OPT_TAG         = 1 << 10,
};

#define OPTS_ADD  (OPT_TYPE | OPT_DESCRIPTION | OPT_AREA | OPT_DISCIPLINE | OPT_SET)
#define OPTS_SET  (OPTS_ADD | OPT_UNSET | OPT_TAG)
#define OPTS_LIST (OPT_TYPE | OPT_SEARCH | OPT_PAGE | OPT_LIMIT)
#define OPTS_RESET OPT_RESET

/* The options are parsed together; one that does not apply to the action
 * is refused rather than silently ignored. */
static gboolean
options_apply (const char *action, const AssetOptions *o, guint allowed)
{
  const struct { guint flag; const char *name; gboolean given; } options[] = {
    { OPT_TYPE, "type", o->type != NULL },
    { OPT_DESCRIPTION, "description", o->description != NULL },
    { OPT_AREA, "area", o->area != NULL },
    { OPT_DISCIPLINE, "discipline", o->discipline != NULL },
    { OPT_SET, "set", o->set != NULL },
    { OPT_UNSET, "unset", o->unset != NULL },
    { OPT_SEARCH, "search", o->search != NULL },
    { OPT_PAGE, "page", o->page != NULL },
    { OPT_LIMIT, "limit", o->limit != NULL },
    { OPT_RESET, "property", o->property != NULL },
    { OPT_RESET, "field", o->field != NULL },
    { OPT_RESET, "rule", o->rule != NULL },
    { OPT_TAG, "tag", o->tag != NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    {
      if (options[i].given && (allowed & options[i].flag) == 0)
        {
          g_autofree char *message = g_strdup_printf ("asset %s: --%s does not apply", action, options[i].name);

          _syn_cli_usage_error (message);
          return FALSE;
        }
    }
  return TRUE;
}

static void
set_optional (JsonObject *params, const char *name, const char *value)
{
  if (value != NULL)
    json_object_set_string_member (params, name, value);
}

static int
asset_add (SynBackend *backend, SynCliCommon *common, const char *project_id,
           const char *tag, AssetOptions *o)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonObject) properties = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *batch = NULL;
  JsonObject *asset;

  if (!(properties = properties_patch (o->set, NULL, &error)))
    return _syn_cli_fail (error);
  json_object_set_string_member (params, "project_id", project_id);
  json_object_set_string_member (params, "tag", tag);
  json_object_set_string_member (params, "type", o->type);
  set_optional (params, "description", o->description);
  set_optional (params, "area", o->area);
  set_optional (params, "discipline", o->discipline);
  json_object_set_object_member (params, "properties", g_steal_pointer (&properties));
  if (!(answer = _syn_cli_call (backend, SYN_OP_CREATE_ASSET, params, &error)))
    return _syn_cli_fail (error);
  if (common->json)
    {
      _syn_cli_print_json (answer);
      return 0;
    }
  asset = json_node_get_object (answer);
  batch = _syn_cli_short_id (syn_json_get_string (asset, "correlation_id"));
  printf ("Created asset %s (%s) in batch %s\n", syn_json_get_string (asset, "tag"),
          syn_json_get_string (asset, "id"), batch);
  return 0;
}

static int
asset_set (SynBackend *backend, SynCliCommon *common, const char *project_id,
           const char *tag, AssetOptions *o)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonObject) properties = NULL;
  g_autoptr(JsonObject) asset = NULL;
  g_autoptr(JsonNode) answer = NULL;
  const char *correlation_id;

  if (!(properties = properties_patch (o->set, o->unset, &error)))
    return _syn_cli_fail (error);
  if (!(asset = _syn_cli_resolve_asset (backend, project_id, tag, &error)))
    return _syn_cli_fail (error);
  json_object_set_string_member (params, "project_id", project_id);
  json_object_set_string_member (params, "asset_id", syn_json_get_string (asset, "id"));
  set_optional (params, "tag", o->tag);
  set_optional (params, "type", o->type);
  set_optional (params, "description", o->description);
  set_optional (params, "area", o->area);
  set_optional (params, "discipline", o->discipline);
  if (json_object_get_size (properties) > 0)
    json_object_set_object_member (params, "properties", g_steal_pointer (&properties));
  if (!(answer = _syn_cli_call (backend, SYN_OP_UPDATE_ASSET, params, &error)))
    return _syn_cli_fail (error);
  if (common->json)
    {
      _syn_cli_print_json (answer);
      return 0;
    }
  correlation_id = syn_json_get_string (json_node_get_object (answer), "correlation_id");
  if (correlation_id == NULL)
    printf ("No change to asset %s: nothing written\n", tag);
  else
    {
      g_autofree char *batch = _syn_cli_short_id (correlation_id);
      const char *now = syn_json_get_string (json_node_get_object (answer), "tag");

      if (g_strcmp0 (now, tag) != 0)
        printf ("Updated asset %s, now %s, in batch %s\n", tag, now, batch);
      else
        printf ("Updated asset %s in batch %s\n", tag, batch);
    }
  return 0;
}

static int
asset_delete (SynBackend *backend, SynCliCommon *common, const char *project_id, const char *tag)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonObject) asset = NULL;
  g_autoptr(JsonNode) answer = NULL;

  if (!(asset = _syn_cli_resolve_asset (backend, project_id, tag, &error)))
    return _syn_cli_fail (error);
  json_object_set_string_member (params, "project_id", project_id);
  json_object_set_string_member (params, "asset_id", syn_json_get_string (asset, "id"));
  if (!(answer = _syn_cli_call (backend, SYN_OP_DELETE_ASSET, params, &error)))
    return _syn_cli_fail (error);
  if (common->json)
    _syn_cli_print_json (answer);
  else
    {
      g_autofree char *batch = _syn_cli_short_id (syn_json_get_string (json_node_get_object (answer), "correlation_id"));

      printf ("Deleted asset %s in batch %s\n", tag, batch);
    }
  return 0;
}

static int
asset_list (SynBackend *backend, SynCliCommon *common, const char *project_id, AssetOptions *o)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;
  JsonObject *page;
  JsonArray *assets;
  g_autofree char *total = NULL;

  json_object_set_string_member (params, "project_id", project_id);
  if (o->type != NULL)
    {
      /* Types are stored upper-cased (import and edits both do it). */
      g_autofree char *type = g_utf8_strup (o->type, -1);

      json_object_set_string_member (params, "type", type);
    }
  set_optional (params, "q", o->search);
  set_optional (params, "page", o->page);
  set_optional (params, "limit", o->limit);
  if (!(answer = _syn_cli_call (backend, SYN_OP_LIST_ASSETS, params, &error)))
    return _syn_cli_fail (error);
  if (common->json)
    {
      _syn_cli_print_json (answer);
      return 0;
    }

  page = json_node_get_object (answer);
  assets = json_object_get_array_member (page, "assets");
  printf ("%-20s  %-22s  %-15s  %-6s  %s\n", "TAG", "TYPE", "DISCIPLINE", "AREA", "DESCRIPTION");
  for (guint i = 0; i < json_array_get_length (assets); i++)
    {
      JsonObject *a = json_array_get_object_element (assets, i);
      const char *discipline = syn_json_get_string (a, "discipline");
      const char *area = syn_json_get_string (a, "area");
      const char *description = syn_json_get_string (a, "description");

      printf ("%-20s  %-22s  %-15s  %-6s  %s\n", syn_json_get_string (a, "tag"),
              syn_json_get_string (a, "type"), discipline ? discipline : "-", area ? area : "-",
              description ? description : "");
    }
  total = SYN_CLI_COUNT (json_object_get_int_member (page, "total"), "%d asset", "%d assets");
  printf ("Page %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT ", %s\n", json_object_get_int_member (page, "page"),
          MAX (json_object_get_int_member (page, "pages"), 1), total);
  return 0;
}

static JsonArray *
names_array (char **names)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; names && names[i]; i++)
    json_array_add_string_element (array, names[i]);
  return array;
}

/* Hands what a person holds on TAG back to the rules (all of it, or what
 * --property, --field and --rule name); the next run re-derives it. */
static int
asset_reset (SynBackend *backend, SynCliCommon *common, const char *project_id, const char *tag, AssetOptions *o)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonObject) asset = NULL;
  g_autoptr(JsonNode) answer = NULL;
  const char *correlation_id;

  if (!(asset = _syn_cli_resolve_asset (backend, project_id, tag, &error)))
    return _syn_cli_fail (error);
  json_object_set_string_member (params, "project_id", project_id);
  json_object_set_string_member (params, "asset_id", syn_json_get_string (asset, "id"));
  if (o->property != NULL)
    json_object_set_array_member (params, "properties", names_array (o->property));
  if (o->field != NULL)
    json_object_set_array_member (params, "fields", names_array (o->field));
  if (o->rule != NULL)
    json_object_set_array_member (params, "rules", names_array (o->rule));
  if (o->property == NULL && o->field == NULL && o->rule == NULL)
    json_object_set_boolean_member (params, "all", TRUE);
  if (!(answer = _syn_cli_call (backend, SYN_OP_RESET_ASSET, params, &error)))
    return _syn_cli_fail (error);
  correlation_id = syn_json_get_string (json_node_get_object (answer), "correlation_id");
  if (common->json)
    _syn_cli_print_json (answer);
  else if (correlation_id == NULL)
    printf ("%s holds nothing against the rules: nothing to hand back\n", tag);
  else
    {
      g_autofree char *batch = _syn_cli_short_id (correlation_id);

      printf ("Handed %s back to the rules in batch %s; the next run re-derives it (synapse status shows what it "
              "would change)\n", tag, batch);
    }
  return 0;
}

#define ASSET_USAGE \
  "usage: synapse asset add|set|delete|reset TAG --project P [OPTIONS...] | list --project P (see synapse asset --help)"

int
_syn_cli_asset (int argc, char **argv)
{
  g_auto(SynCliCommon) common = { 0 };
  g_auto(AssetOptions) o = { 0 };
  g_autofree char *project_id = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SynBackend) backend = NULL;
  GOptionEntry entries[] = {
    { "project", 'p', 0, G_OPTION_ARG_STRING, &o.project, "Project id or name", "P" },
    { "type", 0, 0, G_OPTION_ARG_STRING, &o.type, "Asset type (add, set); only this type (list)", "T" },
    { "tag", 0, 0, G_OPTION_ARG_STRING, &o.tag, "Rename the asset: its new tag (set)", "NEW" },
    { "description", 0, 0, G_OPTION_ARG_STRING, &o.description, "Description (empty to clear)", "D" },
    { "area", 0, 0, G_OPTION_ARG_STRING, &o.area, "Area (empty to clear)", "A" },
    { "discipline", 0, 0, G_OPTION_ARG_STRING, &o.discipline, "Discipline (empty to clear)", "D" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.set, "Set a property (repeatable; plain numbers become numbers)", "KEY=VALUE" },
    { "unset", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.unset, "Remove a property (repeatable)", "KEY" },
    { "search", 0, 0, G_OPTION_ARG_STRING, &o.search, "Only assets whose tag or description holds this (list)", "Q" },
    { "page", 0, 0, G_OPTION_ARG_STRING, &o.page, "Page number, from 1 (list)", "N" },
    { "limit", 0, 0, G_OPTION_ARG_STRING, &o.limit, "Assets per page, 1-500 (list)", "N" },
    { "property", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.property, "Hand this property back to the rules (reset; repeatable)", "KEY" },
    { "field", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.field, "Hand this field back to the rules (reset; repeatable)", "FIELD" },
    { "rule", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.rule, "Let this rule make again what a person deleted (reset; repeatable)", "RULE" },
    { NULL }
  };
  const char *action;
  int ret;

  if (!_syn_cli_parse (&argc, &argv, "add|set|delete|reset TAG | list",
                       "Add, change, delete or list assets (each change is one batch); reset hands what a person\n"
                       "changed on a rule's output back to the rules.",
                       entries, &common, &error))
    return _syn_cli_fail (error);

  action = argc >= 2 ? argv[1] : "";
  if (g_str_equal (action, "list") ? argc != 2 :
      (argc != 3 || !(g_str_equal (action, "add") || g_str_equal (action, "set") ||
                      g_str_equal (action, "delete") || g_str_equal (action, "reset"))))
    ret = _syn_cli_usage_error (ASSET_USAGE);
  else if (o.project == NULL)
    ret = _syn_cli_usage_error ("asset: --project is required");
  else if (g_str_equal (action, "add") && o.type == NULL)
    ret = _syn_cli_usage_error ("asset add: --type is required");
  else if (!options_apply (action, &o,
                           g_str_equal (action, "add") ? OPTS_ADD :
                           g_str_equal (action, "set") ? OPTS_SET :
                           g_str_equal (action, "list") ? OPTS_LIST :
                           g_str_equal (action, "reset") ? OPTS_RESET : 0))
    ret = 2;
  else if (g_str_equal (action, "set") && o.type == NULL && o.description == NULL && o.tag == NULL &&
           o.area == NULL && o.discipline == NULL && o.set == NULL && o.unset == NULL)
    ret = _syn_cli_usage_error ("asset set: nothing to change (use --set, --unset, --tag, --description...)");
  else if (!(backend = _syn_cli_backend (&common, &error)) ||
           !(project_id = _syn_cli_resolve_project (backend, o.project, &error)))
    ret = _syn_cli_fail (error);
  else if (g_str_equal (action, "add"))
    ret = asset_add (backend, &common, project_id, argv[2], &o);
  else if (g_str_equal (action, "set"))
    ret = asset_set (backend, &common, project_id, argv[2], &o);
  else if (g_str_equal (action, "delete"))
    ret = asset_delete (backend, &common, project_id, argv[2]);
  else if (g_str_equal (action, "reset"))
    ret = asset_reset (backend, &common, project_id, argv[2], &o);
  else
    ret = asset_list (backend, &common, project_id, &o);

  return ret;
}
