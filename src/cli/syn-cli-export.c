/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-cli-export.c: synapse export cables|assets|timeline: a project's lists as CSV or JSON files. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "syn-cli-private.h"

#define USAGE "cables|assets|timeline|audit"

int
_syn_cli_export (int argc, char **argv)
{
  g_auto(SynCliCommon) common = { 0 };
  g_auto(SynCliTimelineFilters) timeline = { 0 };
  g_autofree char *project = NULL, *format = NULL, *output = NULL;
  g_autofree char *tag = NULL, *search = NULL, *type = NULL, *area = NULL, *discipline = NULL;
  g_autofree char *where = NULL, *sort = NULL, *properties = NULL, *as_of = NULL;
  g_autofree char *project_id = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SynBackend) backend = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;
  GOptionEntry own[] = {
    { "project", 'p', 0, G_OPTION_ARG_STRING, &project, "Project id or name", "P" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, "csv (default) or json", "FORMAT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write to FILE (default: standard output)", "FILE" },
    { "tag", 0, 0, G_OPTION_ARG_STRING, &tag, "Cables, assets: tags like this (410-* or a prefix)", "PATTERN" },
    { "q", 0, 0, G_OPTION_ARG_STRING, &search, "Assets: with this text in the tag or description", "TEXT" },
    { "type", 0, 0, G_OPTION_ARG_STRING, &type, "Cables, assets: of this type", "TYPE" },
    { "area", 0, 0, G_OPTION_ARG_STRING, &area, "Cables, assets: in this area (a cable: its load's)", "AREA" },
    { "where", 0, 0, G_OPTION_ARG_STRING, &where, "Cables, assets: tests, comma-separated (\"hp>100,voltage==600\")", "TESTS" },
    { "sort", 0, 0, G_OPTION_ARG_STRING, &sort, "Cables, assets: by this column or property (-KEY: descending)", "KEY" },
    { "properties", 0, 0, G_OPTION_ARG_STRING, &properties, "Assets: these properties as columns", "A,B" },
    { "as-of", 0, 0, G_OPTION_ARG_STRING, &as_of, "Cables, assets: the list as it was at a moment (a date, an "
      "event position, a batch id or now)", "WHEN" },
    { NULL }
  };
  g_autofree GOptionEntry *filter_entries = _syn_cli_timeline_filter_entries (&timeline);
  g_autofree GOptionEntry *entries = _syn_cli_join_entries (own, filter_entries);
  const char *kind, *content;
  JsonObject *o;

  /* `export audit` has options of its own (its --from and --to are moments) */
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "audit") && (i == 1 || argv[i - 1][0] != '-' || strchr (argv[i - 1], '=') != NULL))
      return _syn_cli_export_audit (argc, argv);
  if (!_syn_cli_parse (&argc, &argv, USAGE, "Write the cable schedule, the asset list (with chosen properties) "
                       "or the filtered timeline as CSV or JSON.\nThe timeline takes the filters of "
                       "`synapse timeline`; --discipline filters all three; --as-of gives the cable schedule or the "
                       "asset list as it was then.", entries, &common, &error))
    return _syn_cli_fail (error);
  if (argc != 2)
    return _syn_cli_usage_error ("export: say what: cables, assets or timeline");
  kind = argv[1];
  if (!g_str_equal (kind, "cables") && !g_str_equal (kind, "assets") && !g_str_equal (kind, "timeline"))
    return _syn_cli_usage_error ("export: what to export is cables, assets or timeline");
  if (project == NULL)
    return _syn_cli_usage_error ("export: --project is required");
  if (format != NULL && g_ascii_strcasecmp (format, "csv") != 0 && g_ascii_strcasecmp (format, "json") != 0)
    return _syn_cli_usage_error ("export: --format is csv or json");
  if (g_str_equal (kind, "timeline") ? (tag || search || type || area || where || sort || properties || as_of)
                                     : (timeline.asset || timeline.rule || timeline.event_types || timeline.batch ||
                                        timeline.from || timeline.to || timeline.include_rolled_back))
    return _syn_cli_usage_error (g_str_equal (kind, "timeline")
                                 ? "export timeline: takes the filters of `synapse timeline`"
                                 : "export: the timeline's filters are for `export timeline`");
  if (properties != NULL && !g_str_equal (kind, "assets"))
    return _syn_cli_usage_error ("export: --properties is for assets");
  if (search != NULL && !g_str_equal (kind, "assets"))
    return _syn_cli_usage_error ("export: --q is for assets");

  if (!(backend = _syn_cli_open_project (&common, project, &project_id, &error)))
    return _syn_cli_fail (error);
  if (g_str_equal (kind, "timeline"))
    {
      if (!_syn_cli_timeline_filter_params (&timeline, backend, project_id, params, &error))
        return _syn_cli_fail (error);
    }
  else
    {
      const char *names[] = { "tag", "q", "type", "area", "discipline", "where", "sort", "properties", "as_of" };
      const char *values[] = { tag, search, type, area, timeline.discipline, where, sort, properties, as_of };

      json_object_set_string_member (params, "project_id", project_id);
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        if (values[i] != NULL)
          json_object_set_string_member (params, names[i], values[i]);
    }
  json_object_set_string_member (params, "kind", kind);
  json_object_set_string_member (params, "format", format && g_ascii_strcasecmp (format, "json") == 0 ? "json" : "csv");

  if (!(answer = _syn_cli_call (backend, SYN_OP_EXPORT, params, &error)))
    return _syn_cli_fail (error);
  o = json_node_get_object (answer);
  content = syn_json_get_string (o, "content");
  if (output == NULL)
    {
      fwrite (content, 1, strlen (content), stdout);
      return fflush (stdout) == 0 ? 0 : 1;
    }
  if (!g_file_set_contents (output, content, (gssize) strlen (content), &error))
    return _syn_cli_fail (error);
  fprintf (stderr, "Wrote %" G_GINT64_FORMAT " %s to %s\n", json_object_get_int_member_with_default (o, "rows", 0),
           g_str_equal (kind, "timeline") ? "events" : kind, output);
  return 0;
}
