/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-cli-events.c: synapse timeline, history (of assets and cables, deleted ones too) and state-hash. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "syn-cli-private.h"

/* Resolves --project (id or name) to the project's id. */
char *
_syn_cli_resolve_project (SynBackend *backend, const char *project, GError **error)
{
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;

  json_object_set_string_member (params, "project_id", project);
  answer = _syn_cli_call (backend, SYN_OP_GET_PROJECT, params, error);
  if (answer == NULL)
    return NULL;
  return g_strdup (syn_json_get_string (json_node_get_object (answer), "id"));
}

SynBackend *
_syn_cli_open_project (SynCliCommon *common, const char *project, char **project_id, GError **error)
{
  g_autoptr(SynBackend) backend = _syn_cli_backend (common, error);

  if (backend == NULL || !(*project_id = _syn_cli_resolve_project (backend, project, error)))
    return NULL;
  return g_steal_pointer (&backend);
}

JsonObject *
_syn_cli_resolve_asset (SynBackend *backend, const char *project_id, const char *tag, GError **error)
{
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;

  json_object_set_string_member (params, "project_id", project_id);
  json_object_set_string_member (params, "tag", tag);
  answer = _syn_cli_call (backend, SYN_OP_GET_ASSET, params, error);
  if (answer == NULL)
    return NULL;
  return json_object_ref (json_node_get_object (answer));
}

/* What the event is about, for one line: a tag when the payload has one. */
static const char *
event_subject (JsonObject *event)
{
  JsonObject *payload = json_object_get_object_member (event, "payload");
  const char *tag = NULL;

  if (payload != NULL)
    {
      tag = syn_json_get_string (payload, "tag");
      if (tag == NULL && json_object_has_member (payload, "after") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (payload, "after")))
        tag = syn_json_get_string (json_object_get_object_member (payload, "after"), "tag");
      if (tag == NULL)
        tag = syn_json_get_string (payload, "source_tag");
    }
  if (tag == NULL)
    tag = syn_json_get_string (event, "aggregate_id");
  return tag ? tag : "-";
}

static void
print_event_line (JsonObject *event, gboolean with_batch)
{
  g_autofree char *when = _syn_cli_local_time (syn_json_get_string (event, "timestamp"));
  g_autofree char *batch = _syn_cli_short_id (syn_json_get_string (event, "correlation_id"));
  const char *rule = syn_json_get_string (event, "rule_id");
  gboolean rolled_back = json_object_get_boolean_member_with_default (event, "is_rolled_back", FALSE);

  printf ("%s  %-24s  %-6s  %-20s  %-24s", when, syn_json_get_string (event, "event_type"),
          syn_json_get_string (event, "aggregate_type"), event_subject (event), rule ? rule : "-");
  if (with_batch)
    printf ("  %s", batch);
  if (rolled_back)
    printf ("  [rolled back]");
  /* a clone's batch not yet on its server (synapse sync) */
  if (json_object_get_boolean_member_with_default (event, "pending", FALSE))
    printf ("  [pending]");
  printf ("\n");
}

void
_syn_cli_timeline_filters_clear (SynCliTimelineFilters *f)
{
  g_clear_pointer (&f->asset, g_free);
  g_clear_pointer (&f->rule, g_free);
  g_clear_pointer (&f->discipline, g_free);
  g_clear_pointer (&f->event_types, g_free);
  g_clear_pointer (&f->batch, g_free);
  g_clear_pointer (&f->from, g_free);
  g_clear_pointer (&f->to, g_free);
}

/* The options of `synapse timeline`'s filters, for `timeline` and `export timeline`. */
GOptionEntry *
_syn_cli_timeline_filter_entries (SynCliTimelineFilters *f)
{
  GOptionEntry entries[] = {
    { "asset", 0, 0, G_OPTION_ARG_STRING, &f->asset, "Events of the asset with this tag", "TAG" },
    { "rule", 0, 0, G_OPTION_ARG_STRING, &f->rule, "Events of this rule", "ID" },
    { "discipline", 0, 0, G_OPTION_ARG_STRING, &f->discipline, "Events of this discipline", "D" },
    { "event-types", 0, 0, G_OPTION_ARG_STRING, &f->event_types, "Comma-separated event types", "A,B" },
    { "batch", 0, 0, G_OPTION_ARG_STRING, &f->batch, "Events of one batch (its id, or 8 or more hex digits of its start or end)", "BATCH" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &f->from, "From this date or time (ISO 8601, inclusive)", "DATE" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &f->to, "Up to this date or time (ISO 8601, inclusive)", "DATE" },
    { "include-rolled-back", 0, 0, G_OPTION_ARG_NONE, &f->include_rolled_back, "Show rolled-back events too", NULL },
    { NULL }
  };

  return g_memdup2 (entries, sizeof entries);
}

/* The filters as the timeline operation's parameters (the asset by its tag). */
gboolean
_syn_cli_timeline_filter_params (SynCliTimelineFilters *f, SynBackend *backend, const char *project_id,
                                 JsonObject *params, GError **error)
{
  json_object_set_string_member (params, "project_id", project_id);
  if (f->asset != NULL)
    {
      g_autoptr(JsonObject) a = _syn_cli_resolve_asset (backend, project_id, f->asset, error);

      if (a == NULL)
        return FALSE;
      json_object_set_string_member (params, "asset_id", syn_json_get_string (a, "id"));
    }
  if (f->rule) json_object_set_string_member (params, "rule_id", f->rule);
  if (f->discipline) json_object_set_string_member (params, "discipline", f->discipline);
  if (f->event_types) json_object_set_string_member (params, "event_types", f->event_types);
  if (f->batch) json_object_set_string_member (params, "correlation_id", f->batch);
  if (f->from) json_object_set_string_member (params, "from_date", f->from);
  if (f->to) json_object_set_string_member (params, "to_date", f->to);
  json_object_set_boolean_member (params, "include_rolled_back", f->include_rolled_back);
  return TRUE;
}

/* @a and @b into one NULL-terminated array (for GOptionContext). */
GOptionEntry *
_syn_cli_join_entries (const GOptionEntry *a, const GOptionEntry *b)
{
  guint na = 0, nb = 0;
  GOptionEntry *all;

  while (a[na].long_name != NULL)
    na++;
  while (b[nb].long_name != NULL)
    nb++;
  all = g_new0 (GOptionEntry, na + nb + 1);
  memcpy (all, a, na * sizeof *a);
  memcpy (all + na, b, nb * sizeof *b);
  return all;
}

int
_syn_cli_timeline (int argc, char **argv)
{
  g_auto(SynCliCommon) common = { 0 };
  g_auto(SynCliTimelineFilters) filters = { 0 };
  g_autofree char *project = NULL;
  g_autofree char *project_id = NULL;
  int page = 0, limit = 50;
  gint64 after = 0, before = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(SynBackend) backend = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;
  GOptionEntry own[] = {
    { "project", 'p', 0, G_OPTION_ARG_STRING, &project, "Project id or name", "P" },
    { "page", 0, 0, G_OPTION_ARG_INT, &page, "Page number (from 1)", "N" },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, "Events per page (1-500)", "N" },
    { "after", 0, 0, G_OPTION_ARG_INT64, &after, "The page of events just newer than this position (any depth, as fast as page 1)", "POSITION" },
    { "before", 0, 0, G_OPTION_ARG_INT64, &before, "The page of events just older than this position", "POSITION" },
    { NULL }
  };
  g_autofree GOptionEntry *filter_entries = _syn_cli_timeline_filter_entries (&filters);
  g_autofree GOptionEntry *entries = _syn_cli_join_entries (own, filter_entries);
  JsonArray *events;
  int ret = 0;

  if (!_syn_cli_parse (&argc, &argv, "", "Show a project's events, newest first.", entries, &common, &error))
    return _syn_cli_fail (error);
  if (project == NULL)
    return _syn_cli_usage_error ("timeline: --project is required");
  if (argc > 1)
    return _syn_cli_usage_error ("timeline: unexpected argument");
  if (!(backend = _syn_cli_open_project (&common, project, &project_id, &error)) ||
      !_syn_cli_timeline_filter_params (&filters, backend, project_id, params, &error))
    return _syn_cli_fail (error);
  if (page != 0 || (after == 0 && before == 0))
    json_object_set_int_member (params, "page", page != 0 ? page : 1);
  json_object_set_int_member (params, "limit", limit);
  if (after != 0)
    json_object_set_int_member (params, "after", after);
  if (before != 0)
    json_object_set_int_member (params, "before", before);

  if (!(answer = _syn_cli_call (backend, SYN_OP_TIMELINE, params, &error)))
    return _syn_cli_fail (error);
  if (common.json)
    {
      _syn_cli_print_json (answer);
      return ret;
    }

  events = json_object_get_array_member (json_node_get_object (answer), "events");
  printf ("%-19s  %-24s  %-6s  %-20s  %-24s  %s\n", "TIME (UTC)", "EVENT", "AGG", "SUBJECT", "RULE", "BATCH");
  for (guint i = 0; i < json_array_get_length (events); i++)
    print_event_line (json_array_get_object_element (events, i), TRUE);
  {
    g_autofree char *total = SYN_CLI_COUNT (json_object_get_int_member (json_node_get_object (answer), "total"),
                                            "%d event", "%d events");

    guint n = json_array_get_length (events);

    if (after == 0 && before == 0)
      printf ("Page %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT ", %s\n",
              json_object_get_int_member (json_node_get_object (answer), "page"),
              MAX (json_object_get_int_member (json_node_get_object (answer), "pages"), 1), total);
    else if (n == 0)
      printf ("No events there, of %s\n", total);
    else
      {
        /* the positions to give for the next pages either way */
        gint64 newest = json_object_get_int_member (json_array_get_object_element (events, 0), "position");
        gint64 oldest = json_object_get_int_member (json_array_get_object_element (events, n - 1), "position");

        printf ("Positions %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT " of %s; older: --before %" G_GINT64_FORMAT
                ", newer: --after %" G_GINT64_FORMAT "\n", oldest, newest, total, oldest, newest);
      }
  }
  return ret;
}

static void
print_diff (JsonObject *payload)
{
  JsonObject *diff = NULL;
  JsonObject *before = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (payload == NULL || !json_object_has_member (payload, "diff") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (payload, "diff")))
    return;
  diff = json_object_get_object_member (payload, "diff");
  if (json_object_has_member (payload, "before") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (payload, "before")))
    before = json_object_get_object_member (payload, "before");
  json_object_iter_init (&iter, diff);
  while (json_object_iter_next (&iter, &name, &node))
    {
      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonNode *ib = before ? json_object_get_member (before, name) : NULL;
          JsonObject *inner_before = ib && JSON_NODE_HOLDS_OBJECT (ib) ? json_node_get_object (ib) : NULL;
          JsonObjectIter inner;
          const char *key;
          JsonNode *value;

          json_object_iter_init (&inner, json_node_get_object (node));
          while (json_object_iter_next (&inner, &key, &value))
            {
              JsonNode *old = inner_before ? json_object_get_member (inner_before, key) : NULL;
              g_autofree char *old_text = syn_json_to_string (old);
              g_autofree char *new_text = syn_json_to_string (value);

              printf ("      %s.%s: %s -> %s\n", name, key, old ? old_text : "(absent)", new_text);
            }
        }
      else
        {
          JsonNode *old = before ? json_object_get_member (before, name) : NULL;
          g_autofree char *old_text = syn_json_to_string (old);
          g_autofree char *new_text = syn_json_to_string (node);

          printf ("      %s: %s -> %s\n", name, old ? old_text : "(absent)", new_text);
        }
    }
}

/* The shape of explain: TAG --project P, one operation on that
 * asset. Prints --json answers itself. Returns the exit status, and on
 * success without --json gives the asset and the answer to print. */
int
_syn_cli_asset_op (int *argc, char ***argv, const char *command, const char *summary, const char *op,
                   JsonObject **out_asset, JsonNode **out_answer)
{
  g_auto(SynCliCommon) common = { 0 };
  g_autofree char *project = NULL;
  g_autofree char *project_id = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SynBackend) backend = NULL;
  g_autoptr(JsonObject) asset = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;
  GOptionEntry entries[] = {
    { "project", 'p', 0, G_OPTION_ARG_STRING, &project, "Project id or name", "P" },
    { NULL }
  };
  int ret = 0;

  *out_asset = NULL;
  *out_answer = NULL;
  if (!_syn_cli_parse (argc, argv, "TAG", summary, entries, &common, &error))
    return _syn_cli_fail (error);
  if (project == NULL)
    {
      g_autofree char *message = g_strdup_printf ("%s: --project is required", command);
      ret = _syn_cli_usage_error (message);
    }
  else if (*argc != 2)
    {
      g_autofree char *message = g_strdup_printf ("usage: synapse %s TAG --project P", command);
      ret = _syn_cli_usage_error (message);
    }
  else if (!(backend = _syn_cli_open_project (&common, project, &project_id, &error)) ||
           !(asset = _syn_cli_resolve_asset (backend, project_id, (*argv)[1], &error)))
    ret = _syn_cli_fail (error);
  else
    {
      json_object_set_string_member (params, "project_id", project_id);
      json_object_set_string_member (params, "asset_id", syn_json_get_string (asset, "id"));
      if (!(answer = _syn_cli_call (backend, op, params, &error)))
        ret = _syn_cli_fail (error);
      else if (common.json)
        _syn_cli_print_json (answer);
      else
        {
          *out_asset = g_steal_pointer (&asset);
          *out_answer = g_steal_pointer (&answer);
        }
    }
  return ret;
}

/* One entity of a find_tag answer: "asset 0190...  MOTOR  deleted  last 2026-12-06 03:16:53". */
static void
print_entity_line (JsonObject *entity)
{
  g_autofree char *when = _syn_cli_local_time (syn_json_get_string (entity, "last_seen"));
  const char *type = syn_json_get_string (entity, "type");

  printf ("  %-5s  %s  %-12s  %-7s  %s%s\n", syn_json_get_string (entity, "kind"), syn_json_get_string (entity, "id"),
          type ? type : "-", json_object_get_boolean_member_with_default (entity, "deleted", FALSE) ? "deleted" : "current",
          syn_json_get_string (entity, "last_seen") ? "last had it " : "", syn_json_get_string (entity, "last_seen") ? when : "");
}

/* The entity of @entities to show: the one of id @id, else the newest. */
static JsonObject *
choose_entity (JsonArray *entities, const char *id)
{
  for (guint i = 0; i < json_array_get_length (entities); i++)
    {
      JsonObject *entity = json_array_get_object_element (entities, i);

      if (id == NULL || g_strcmp0 (syn_json_get_string (entity, "id"), id) == 0)
        return entity;
    }
  return NULL;
}

/* synapse history TAG: the asset or cable that has the tag, or had it
 * (deleted, or renamed since): the newest of them, or the one of --id. */
int
_syn_cli_history (int argc, char **argv)
{
  g_auto(SynCliCommon) common = { 0 };
  g_autofree char *project = NULL;
  g_autofree char *id = NULL;
  g_autofree char *project_id = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SynBackend) backend = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) found = NULL;
  g_autoptr(JsonNode) answer = NULL;
  GOptionEntry entries[] = {
    { "project", 'p', 0, G_OPTION_ARG_STRING, &project, "Project id or name", "P" },
    { "id", 0, 0, G_OPTION_ARG_STRING, &id, "The asset or cable of this id, when several had the tag", "UUID" },
    { NULL }
  };
  JsonArray *entities, *history;
  JsonObject *entity;
  const char *kind, *type;
  guint n_others;

  if (!_syn_cli_parse (&argc, &argv, "TAG",
                       "Show the events of one asset or cable, oldest first; deleted ones too.\n"
                       "When the tag was used again, the newest one that had it (the others are listed).",
                       entries, &common, &error))
    return _syn_cli_fail (error);
  if (project == NULL)
    return _syn_cli_usage_error ("history: --project is required");
  if (argc != 2)
    return _syn_cli_usage_error ("usage: synapse history TAG --project P [--id UUID]");
  if (!(backend = _syn_cli_open_project (&common, project, &project_id, &error)))
    return _syn_cli_fail (error);

  json_object_set_string_member (params, "project_id", project_id);
  json_object_set_string_member (params, "tag", argv[1]);
  if (!(found = _syn_cli_call (backend, SYN_OP_FIND_TAG, params, &error)))
    return _syn_cli_fail (error);
  entities = json_object_get_array_member (json_node_get_object (found), "entities");
  if (!(entity = choose_entity (entities, id)))
    {
      g_set_error (&error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_NOT_FOUND,
                   "No asset or cable of id %s had the tag \"%s\" in project %s", id, argv[1], project);
      return _syn_cli_fail (error);
    }

  kind = syn_json_get_string (entity, "kind");
  json_object_remove_member (params, "tag");
  json_object_set_string_member (params, g_strcmp0 (kind, "cable") == 0 ? "cable_id" : "asset_id",
                                 syn_json_get_string (entity, "id"));
  if (!(answer = _syn_cli_call (backend, g_strcmp0 (kind, "cable") == 0 ? SYN_OP_CABLE_HISTORY : SYN_OP_ASSET_HISTORY,
                                params, &error)))
    return _syn_cli_fail (error);
  if (common.json)
    {
      _syn_cli_print_json (answer);
      return 0;
    }

  type = syn_json_get_string (entity, "type");
  printf ("%s (%s%s%s%s)\n", syn_json_get_string (entity, "tag"), g_strcmp0 (kind, "cable") == 0 ? "cable" : "",
          g_strcmp0 (kind, "cable") == 0 && type ? " " : "", type ? type : "",
          json_object_get_boolean_member_with_default (entity, "deleted", FALSE) ? ", deleted" : "");
  history = json_object_get_array_member (json_node_get_object (answer), "history");
  for (guint i = 0; i < json_array_get_length (history); i++)
    {
      JsonObject *event = json_array_get_object_element (history, i);
      g_autofree char *when = _syn_cli_local_time (syn_json_get_string (event, "timestamp"));
      g_autofree char *batch = _syn_cli_short_id (syn_json_get_string (event, "correlation_id"));
      const char *rule = syn_json_get_string (event, "rule_id");
      /* by name when the backend knows the user (a team server records ids) */
      const char *user = syn_json_get_string (event, "user_name") ? syn_json_get_string (event, "user_name")
                                                                  : syn_json_get_string (event, "user_id");

      printf ("  %s  %-14s  rule %s  batch %s  by %s\n", when, syn_json_get_string (event, "event_type"),
              rule ? rule : "-", batch, user ? user : "-");
      print_diff (json_object_get_object_member (event, "payload"));
    }
  {
    g_autofree char *total = SYN_CLI_COUNT (json_object_get_int_member (json_node_get_object (answer), "total_events"),
                                            "%d event", "%d events");

    printf ("%s\n", total);
  }

  /* the tag was used again: say so, with the ids --id takes */
  n_others = json_array_get_length (entities) - 1;
  if (n_others > 0)
    {
      g_autofree char *others = SYN_CLI_COUNT (n_others, "%d other asset or cable", "%d other assets or cables");

      printf ("%s had the tag \"%s\" (show one with --id ID):\n", others, argv[1]);
      for (guint i = 0; i < json_array_get_length (entities); i++)
        if (json_array_get_object_element (entities, i) != entity)
          print_entity_line (json_array_get_object_element (entities, i));
    }
  return 0;
}

int
_syn_cli_state_hash (int argc, char **argv)
{
  g_auto(SynCliCommon) common = { 0 };
  g_autofree char *project = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SynBackend) backend = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;
  GOptionEntry entries[] = {
    { "project", 'p', 0, G_OPTION_ARG_STRING, &project, "Project id or name", "P" },
    { NULL }
  };
  int ret = 0;

  if (!_syn_cli_parse (&argc, &argv, "", "Print the SHA-256 of a project's canonical state.", entries, &common, &error))
    return _syn_cli_fail (error);
  if (project == NULL)
    return _syn_cli_usage_error ("state-hash: --project is required");
  if (!(backend = _syn_cli_backend (&common, &error)))
    return _syn_cli_fail (error);
  json_object_set_string_member (params, "project_id", project);
  if (!(answer = _syn_cli_call (backend, SYN_OP_STATE_HASH, params, &error)))
    return _syn_cli_fail (error);
  if (common.json)
    _syn_cli_print_json (answer);
  else
    {
      JsonObject *o = json_node_get_object (answer);

      /* the state hash first, as before, so scripts reading one word still work */
      printf ("%s  head %s\n", syn_json_get_string (o, "state_hash"), syn_json_get_string (o, "head_hash"));
    }
  return ret;
}
