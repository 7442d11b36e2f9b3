/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-local-backend-ops.c: the operations of SynLocalBackend: validate parameters, call store
 * and engine, answer JSON shaped as the REST API's. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "core/syn-core.h"
#include "engine/syn-batch-id.h"
#include "engine/syn-event-store.h"
#include "engine/syn-state-hash.h"
#include "engine/syn-tag-history.h"
#include "syn-local-backend-private.h"

#define DEFAULT_PAGE_LIMIT 50
#define MAX_PAGE_LIMIT     500

/* ------------------------------------------------------------------------- */
/* Parameters                                                                */

gpointer
_syn_op_fail (GError **error, int code, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  if (error != NULL)
    *error = g_error_new_valist (SYN_BACKEND_ERROR, code, format, args);
  va_end (args);
  return NULL;
}

#define invalid(error, ...) _syn_op_fail (error, SYN_BACKEND_ERROR_INVALID, __VA_ARGS__)

const char *
_syn_param_string (JsonObject *params, const char *name, gboolean required, GError **error)
{
  JsonNode *node = params ? json_object_get_member (params, name) : NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        invalid (error, "%s: required", name);
      return NULL;
    }
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return invalid (error, "%s: must be a string", name);
  if (required && *json_node_get_string (node) == '\0')
    return invalid (error, "%s: must not be empty", name);
  return json_node_get_string (node);
}

/* A name people see and type (a project's, a user's): trimmed; blank or
 * whitespace-only is refused like a missing one, so nothing is saved under
 * a name nobody can read back. */
char *
_syn_param_name (JsonObject *params, const char *name, gboolean required, gsize max_chars, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *text = _syn_param_string (params, name, FALSE, &local_error);
  g_autofree char *trimmed = NULL;

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (text == NULL)
    return required ? invalid (error, "%s: required", name) : NULL;
  trimmed = g_strstrip (g_strdup (text));
  if (*trimmed == '\0')
    return invalid (error, "%s: must not be blank", name);
  if (!g_utf8_validate (trimmed, -1, NULL))
    return invalid (error, "%s: not valid UTF-8", name);
  if ((gsize) g_utf8_strlen (trimmed, -1) > max_chars)
    return invalid (error, "%s: longer than %" G_GSIZE_FORMAT " characters", name, max_chars);
  return g_steal_pointer (&trimmed);
}

/* Accepts a JSON integer or a string of digits (query parameters are text). */
gboolean
_syn_param_uint (JsonObject  *params,
                 const char  *name,
                 guint64      min,
                 guint64      max,
                 guint64      fallback,
                 guint64     *out,
                 GError     **error)
{
  JsonNode *node = params ? json_object_get_member (params, name) : NULL;
  gint64 value;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      *out = fallback;
      return TRUE;
    }
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    value = json_node_get_int (node);
  else if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);
      char *end = NULL;

      if (*text == '\0' || (!g_ascii_isdigit (*text) && *text != '-'))
        return invalid (error, "%s: \"%s\" is not a whole number", name, text), FALSE;
      errno = 0;
      value = g_ascii_strtoll (text, &end, 10);
      /* "-0" is no count of anything: refused as any other negative */
      if (*end != '\0' || errno == ERANGE || (*text == '-' && value == 0))
        return invalid (error, "%s: \"%s\" is not a whole number in range", name, text), FALSE;
    }
  else
    return invalid (error, "%s: must be a whole number", name), FALSE;

  if (value < 0 || (guint64) value < min || (guint64) value > max)
    return invalid (error, "%s: must be between %" G_GUINT64_FORMAT " and %" G_GUINT64_FORMAT,
                    name, min, max), FALSE;
  *out = (guint64) value;
  return TRUE;
}

gboolean
_syn_param_bool (JsonObject *params, const char *name, gboolean fallback, gboolean *out, GError **error)
{
  JsonNode *node = params ? json_object_get_member (params, name) : NULL;

  *out = fallback;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    {
      *out = json_node_get_boolean (node);
      return TRUE;
    }
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);

      if (g_ascii_strcasecmp (text, "true") == 0 || strcmp (text, "1") == 0)
        *out = TRUE;
      else if (g_ascii_strcasecmp (text, "false") == 0 || strcmp (text, "0") == 0)
        *out = FALSE;
      else
        return invalid (error, "%s: \"%s\" is not true or false", name, text), FALSE;
      return TRUE;
    }
  return invalid (error, "%s: must be true or false", name), FALSE;
}

/* The project by id, or by name (the command line's --project takes either). */
SynProject *
_syn_require_project (SynOpContext *ctx, JsonObject *params, GError **error)
{
  const char *id = _syn_param_string (params, "project_id", TRUE, error);
  SynProject *project;

  if (id == NULL)
    return NULL;
  project = syn_store_find_project (ctx->store, id, error);
  if (project == NULL && (error == NULL || *error == NULL))
    g_set_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_NOT_FOUND, "No project \"%s\"", id);
  return project;
}

/* A batch id as people give it (the full id, or 8 or more hex digits of its
 * start or end) as the full id of the project's batch it names. Errors name
 * the parameter: 400 when it is no batch id or matches several batches
 * (each named), 404 when none. */
char *
_syn_resolve_batch (SynOpContext *ctx, SynProject *project, const char *name, const char *text, GError **error)
{
  char *id = syn_batch_id_resolve (ctx->store, project->id, text, error);

  if (id == NULL)
    {
      syn_backend_error_from_other (error);
      g_prefix_error (error, "%s: ", name);
    }
  return id;
}

static gboolean
page_params (JsonObject *params, guint64 *page, guint64 *limit, GError **error)
{
  return _syn_param_uint (params, "page", 1, G_MAXINT32, 1, page, error) &&
         _syn_param_uint (params, "limit", 1, MAX_PAGE_LIMIT, DEFAULT_PAGE_LIMIT, limit, error);
}

JsonNode *
_syn_page_answer (const char  *items_name,
                  GPtrArray   *items,
                  JsonNode  *(*to_json) (gpointer),
                  guint64      total,
                  guint64      page,
                  guint64      limit)
{
  JsonObject *answer = json_object_new ();
  JsonArray *array = json_array_sized_new (items->len);

  for (guint i = 0; i < items->len; i++)
    json_array_add_element (array, to_json (g_ptr_array_index (items, i)));
  json_object_set_array_member (answer, items_name, array);
  json_object_set_int_member (answer, "total", (gint64) total);
  json_object_set_int_member (answer, "page", (gint64) page);
  json_object_set_int_member (answer, "pages", (gint64) ((total + limit - 1) / limit));
  return syn_json_node_new_object (answer);
}

JsonNode *
_syn_array_answer (GPtrArray *items, JsonNode *(*to_json) (gpointer))
{
  JsonArray *array = json_array_sized_new (items->len);
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < items->len; i++)
    json_array_add_element (array, to_json (g_ptr_array_index (items, i)));
  json_node_take_array (node, array);
  return node;
}

/* ------------------------------------------------------------------------- */
/* Projects                                                                  */

static JsonNode *
op_list_projects (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(GPtrArray) projects = NULL;
  gboolean archived = FALSE;

  if (!_syn_param_bool (params, "include_archived", FALSE, &archived, error))
    return NULL;
  projects = archived ? syn_store_list_projects_with_archived (ctx->store, error)
                      : syn_store_list_projects (ctx->store, error);
  return projects ? _syn_array_answer (projects, (gpointer) syn_project_to_json) : NULL;
}

/* A project's optional description and country (two letters), as create
 * and update take them. */
gboolean
_syn_param_project_details (JsonObject *params, const char **description, const char **country, GError **error)
{
  g_autoptr(GError) local_error = NULL;

  *description = _syn_param_string (params, "description", FALSE, &local_error);
  if (local_error == NULL)
    *country = _syn_param_string (params, "country", FALSE, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (*country != NULL && (strlen (*country) != 2 || !g_ascii_isalpha ((*country)[0]) ||
                           !g_ascii_isalpha ((*country)[1])))
    return invalid (error, "country: \"%s\" is not a two-letter country code (e.g. CA)", *country), FALSE;
  return TRUE;
}

static JsonNode *
op_create_project (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = syn_project_new ();
  g_autofree char *name = NULL;
  const char *description = NULL, *country = NULL;

  if (!(name = _syn_param_name (params, "name", TRUE, SYN_MAX_NAME_CHARS, error)) ||
      !_syn_param_project_details (params, &description, &country, error))
    return NULL;

  project->name = g_steal_pointer (&name);
  project->description = g_strdup (description);
  project->country = country ? g_ascii_strup (country, -1) : NULL;
  if (!syn_store_insert_project (ctx->store, project, error))
    return NULL;
  return syn_project_to_json (project);
}

static JsonNode *
op_get_project (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = _syn_require_project (ctx, params, error);

  return project ? syn_project_to_json (project) : NULL;
}

/* ------------------------------------------------------------------------- */
/* Events                                                                    */

static gboolean
parse_date_param (JsonObject *params, const char *name, gboolean end_of_day,
                  gboolean *has, gint64 *out, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *text = _syn_param_string (params, name, FALSE, error);

  *has = FALSE;
  if (text == NULL)
    return error == NULL || *error == NULL;
  if (!syn_time_parse_iso8601 (text, end_of_day, out, &local_error))
    return invalid (error, "%s: %s", name, local_error->message), FALSE;
  *has = TRUE;
  return TRUE;
}

static char **
parse_list_param (JsonObject *params, const char *name, GError **error)
{
  JsonNode *node = json_object_get_member (params, name);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (json_node_get_value_type (element) != G_TYPE_STRING)
            return invalid (error, "%s: must be a list of names", name);
          g_strv_builder_add (builder, json_node_get_string (element));
        }
    }
  else if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_auto(GStrv) parts = g_strsplit (json_node_get_string (node), ",", -1);

      for (guint i = 0; parts[i]; i++)
        {
          g_strstrip (parts[i]);
          if (*parts[i] != '\0')
            g_strv_builder_add (builder, parts[i]);
        }
    }
  else
    return invalid (error, "%s: must be a comma-separated list", name);
  return g_strv_builder_end (builder);
}

/* The timeline's filters (the page too, when @page is given) as a query;
 * @project is set to the project. */
SynEventQuery *
_syn_timeline_query_from_params (SynOpContext *ctx, JsonObject *params, SynProject **project, GError **error)
{
  g_autoptr(SynEventQuery) q = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *asset_id, *rule_id, *discipline, *correlation_id;
  g_autofree char *batch = NULL;

  if (!(*project = _syn_require_project (ctx, params, error)))
    return NULL;
  q = syn_event_query_new ((*project)->id);

  asset_id = _syn_param_string (params, "asset_id", FALSE, &local_error);
  if (!local_error) rule_id = _syn_param_string (params, "rule_id", FALSE, &local_error);
  if (!local_error) discipline = _syn_param_string (params, "discipline", FALSE, &local_error);
  if (!local_error) correlation_id = _syn_param_string (params, "correlation_id", FALSE, &local_error);
  if (!local_error) q->event_types = parse_list_param (params, "event_types", &local_error);
  if (!local_error) parse_date_param (params, "from_date", FALSE, &q->has_from_date, &q->from_date, &local_error);
  if (!local_error) parse_date_param (params, "to_date", TRUE, &q->has_to_date, &q->to_date, &local_error);
  if (!local_error) _syn_param_bool (params, "include_rolled_back", FALSE, &q->include_rolled_back, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  for (guint i = 0; q->event_types && q->event_types[i]; i++)
    if (!syn_is_event_type (q->event_types[i]))
      return invalid (error, "event_types: unknown event type \"%s\"", q->event_types[i]);
  if (discipline != NULL && syn_discipline_canonical (discipline) == NULL)
    return invalid (error, "discipline: unknown discipline \"%s\"", discipline);
  if (q->has_from_date && q->has_to_date && q->from_date > q->to_date)
    return invalid (error, "from_date: after to_date");
  if (correlation_id != NULL && !(batch = _syn_resolve_batch (ctx, *project, "correlation_id", correlation_id, error)))
    return NULL;

  if (asset_id != NULL)
    {
      /* as in the specification: an asset's events are its aggregate's */
      q->aggregate_types = g_strsplit (SYN_AGGREGATE_ASSET, ",", -1);
      q->aggregate_id = g_strdup (asset_id);
    }
  q->rule_id = g_strdup (rule_id);
  q->discipline = g_strdup (syn_discipline_canonical (discipline));
  q->correlation_id = g_steal_pointer (&batch);
  return g_steal_pointer (&q);
}

/* The name of a user the store knows (people of a team server are
 * recorded by id); NULL for anyone else, whose id (a login name) is shown. */
static char *
user_name (SynStore *store, const char *user_id)
{
  g_autoptr(SynUser) user = NULL;

  if (user_id == NULL || !syn_uuid_is_valid (user_id))
    return NULL;
  user = syn_store_get_user (store, user_id, NULL);
  if (user == NULL)
    return NULL;
  return g_strdup (user->display_name && *user->display_name ? user->display_name : user->username);
}

static const char *
cached_name (GHashTable *cache, const char *key, char *(*look_up) (SynStore *, const char *, const char *),
             SynStore *store, const char *project_id)
{
  gpointer found;

  if (key == NULL)
    return NULL;
  if (!g_hash_table_lookup_extended (cache, key, NULL, &found))
    {
      found = look_up (store, project_id, key);
      g_hash_table_insert (cache, g_strdup (key), found);
    }
  return found;
}

static char *
look_up_user (SynStore *store, const char *project_id, const char *user_id)
{
  return user_name (store, user_id);
}

static char *
look_up_tag (SynStore *store, const char *project_id, const char *asset_id)
{
  g_autoptr(SynAsset) asset = syn_store_get_asset (store, project_id, asset_id, NULL);

  return asset ? g_strdup (asset->tag) : NULL;
}

/* What the events name by id, by name: "user_name" beside "user_id", and
 * the tags of a relationship's ends ("source_tag", "target_tag"), when
 * those assets still exist. Not part of the events (nor of their hashes). */
void
_syn_events_add_names (SynStore *store, const char *project_id, JsonArray *events)
{
  g_autoptr(GHashTable) users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);
      JsonNode *payload = event ? json_object_get_member (event, "payload") : NULL;
      JsonObject *edge = payload && JSON_NODE_HOLDS_OBJECT (payload) ? json_node_get_object (payload) : NULL;
      const char *name;

      if (event == NULL)
        continue;
      if ((name = cached_name (users, syn_json_get_string (event, "user_id"), look_up_user, store, project_id)))
        json_object_set_string_member (event, "user_name", name);
      if (edge == NULL || syn_json_get_string (event, "event_type") == NULL ||
          !g_str_has_prefix (syn_json_get_string (event, "event_type"), "RELATIONSHIP_"))
        continue;
      if ((name = cached_name (tags, syn_json_get_string (edge, "source_asset_id"), look_up_tag, store, project_id)))
        json_object_set_string_member (event, "source_tag", name);
      if ((name = cached_name (tags, syn_json_get_string (edge, "target_asset_id"), look_up_tag, store, project_id)))
        json_object_set_string_member (event, "target_tag", name);
    }
}

/* The diff's batches (syn_time_travel_diff()) by name too: "user_name"
 * beside each "user_id" the store knows, as the timeline gives them. */
void
_syn_diff_add_names (SynStore *store, JsonNode *diff)
{
  g_autoptr(GHashTable) users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  static const char * const kinds[] = { "assets", "cables", "edges" };
  static const char * const changes[] = { "added", "removed", "changed" };
  JsonObject *root = json_node_get_object (diff);

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    for (guint c = 0; c < G_N_ELEMENTS (changes); c++)
      {
        JsonNode *g = json_object_get_member (root, kinds[k]);
        JsonObject *group = g && JSON_NODE_HOLDS_OBJECT (g) ? json_node_get_object (g) : NULL;
        JsonNode *l = group ? json_object_get_member (group, changes[c]) : NULL;
        JsonArray *list = l && JSON_NODE_HOLDS_ARRAY (l) ? json_node_get_array (l) : NULL;

        for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
          {
            JsonNode *m = json_object_get_member (json_array_get_object_element (list, i), "batches");
            JsonArray *batches = m && JSON_NODE_HOLDS_ARRAY (m) ? json_node_get_array (m) : NULL;

            for (guint b = 0; batches != NULL && b < json_array_get_length (batches); b++)
              {
                JsonObject *batch = json_array_get_object_element (batches, b);
                const char *name = cached_name (users, syn_json_get_string (batch, "user_id"), look_up_user, store,
                                                NULL);

                if (name != NULL)
                  json_object_set_string_member (batch, "user_name", name);
              }
          }
      }
}

static JsonNode *
op_timeline (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = NULL;
  g_autoptr(SynEventQuery) q = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(JsonNode) answer = NULL;
  guint64 page, limit, after, before, total = 0;

  if (!(q = _syn_timeline_query_from_params (ctx, params, &project, error)) ||
      !page_params (params, &page, &limit, error) ||
      !_syn_param_uint (params, "after", 1, G_MAXINT64, 0, &after, error) ||
      !_syn_param_uint (params, "before", 1, G_MAXINT64, 0, &before, error))
    return NULL;
  if (page > 1 && (page - 1) > G_MAXUINT64 / limit)
    return invalid (error, "page: too large");
  /* keyset pagination: a page next to a position, whatever its depth */
  if ((after > 0 || before > 0) && json_object_has_member (params, "page"))
    return invalid (error, "page: not with after or before (a position already says where the page is)");
  if (after > 0 && before > 0 && after >= before)
    return invalid (error, "after: must be below before");
  q->limit = (guint) limit;
  q->offset = (page - 1) * limit;
  q->after_position = (gint64) after;
  q->before_position = (gint64) before;

  events = syn_store_query_events (ctx->store, q, &total, error);
  if (events == NULL)
    return NULL;
  answer = _syn_page_answer ("events", events, (gpointer) syn_event_to_json, total, page, limit);
  _syn_events_add_names (ctx->store, project->id, json_object_get_array_member (json_node_get_object (answer), "events"));
  _syn_sync_mark_pending (ctx->store, project->id, json_object_get_array_member (json_node_get_object (answer), "events"));
  if (q->correlation_id != NULL)
    {
      /* one batch: the project's head hash right after it, its newest
       * event's hash (whatever the filters and the page) */
      g_autoptr(SynEventQuery) last = syn_event_query_new (q->project_id);
      g_autoptr(GPtrArray) newest = NULL;

      last->correlation_id = g_strdup (q->correlation_id);
      last->include_rolled_back = TRUE;
      last->limit = 1;
      if (!(newest = syn_store_query_events (ctx->store, last, NULL, error)))
        return NULL;
      if (newest->len > 0)
        syn_json_set_string_or_null (json_node_get_object (answer), "head_hash",
                                     ((SynEvent *) g_ptr_array_index (newest, 0))->hash);
    }
  /* a keyset page has no number: no "page" rather than a wrong one */
  if (after > 0 || before > 0)
    json_object_remove_member (json_node_get_object (answer), "page");
  return g_steal_pointer (&answer);
}

#define MAX_PERIODS 400

/* The timeline's filters counted in periods, each split by event type or
 * discipline when asked: what a chart of the timeline draws, in one
 * query rather than a count per bar and series. */
static JsonNode *
op_timeline_counts (SynOpContext *ctx, JsonObject *params, GError **error)
{
  static const char * const splits[] = { "none", "event_type", "discipline", NULL };
  g_autoptr(SynProject) project = NULL;
  g_autoptr(SynEventQuery) q = NULL;
  g_autoptr(GPtrArray) counts = NULL;
  g_autoptr(GArray) bounds = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(JsonArray) periods = json_array_new ();
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) parts = NULL;
  JsonObject *answer;
  const char *text, *split_name;
  guint64 total = 0;
  guint split = 0;

  if (!(q = _syn_timeline_query_from_params (ctx, params, &project, error)))
    return NULL;
  if (!(text = _syn_param_string (params, "bounds", TRUE, error)))
    return NULL;
  split_name = _syn_param_string (params, "split", FALSE, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (split_name != NULL)
    {
      while (splits[split] != NULL && !g_str_equal (splits[split], split_name))
        split++;
      if (splits[split] == NULL)
        return invalid (error, "split: \"%s\" is not none, event_type or discipline", split_name);
    }

  parts = g_strsplit (text, ",", -1);
  for (guint i = 0; parts[i]; i++)
    {
      gint64 usec;

      if (!syn_time_parse_iso8601 (g_strstrip (parts[i]), FALSE, &usec, NULL))
        return invalid (error, "bounds: \"%s\" is not a date and time (ISO 8601)", parts[i]);
      if (bounds->len > 0 && usec <= g_array_index (bounds, gint64, bounds->len - 1))
        return invalid (error, "bounds: \"%s\" is not after the bound before it", parts[i]);
      g_array_append_val (bounds, usec);
    }
  if (bounds->len < 2 || bounds->len > MAX_PERIODS + 1)
    return invalid (error, "bounds: from 2 to %u dates, the edges of the periods", MAX_PERIODS + 1);

  if (!(counts = syn_store_count_events_by_period (ctx->store, q, (const gint64 *) (gpointer) bounds->data, bounds->len,
                                                   (SynEventSplit) split, error)))
    return NULL;
  for (guint i = 0; i + 1 < bounds->len; i++)
    {
      JsonObject *period = json_object_new ();

      json_object_set_string_member (period, "from", parts[i]);
      json_object_set_string_member (period, "to", parts[i + 1]);
      json_object_set_int_member (period, "total", 0);
      if (split > 0)
        json_object_set_object_member (period, "counts", json_object_new ());
      json_array_add_object_element (periods, period);
    }
  for (guint i = 0; i < counts->len; i++)
    {
      SynPeriodCount *c = g_ptr_array_index (counts, i);
      JsonObject *period;

      if (c->period >= json_array_get_length (periods))
        continue;
      period = json_array_get_object_element (periods, c->period);
      json_object_set_int_member (period, "total", json_object_get_int_member (period, "total") + (gint64) c->count);
      total += c->count;
      if (split > 0)
        json_object_set_int_member (json_object_get_object_member (period, "counts"), c->key, (gint64) c->count);
    }
  answer = json_object_new ();
  json_object_set_string_member (answer, "project_id", project->id);
  json_object_set_string_member (answer, "split", splits[split]);
  json_object_set_int_member (answer, "total", (gint64) total);
  json_object_set_array_member (answer, "periods", g_steal_pointer (&periods));
  return syn_json_node_new_object (answer);
}

/* {project_id, ID_NAME} -> {ID_NAME, history, total_events}: one entity's
 * events, oldest first, whether it still exists or not. */
static JsonNode *
entity_history (SynOpContext *ctx, JsonObject *params, const char *id_name,
                GPtrArray *(*read) (SynStore *, const char *, const char *, GError **), GError **error)
{
  g_autoptr(SynProject) project = NULL;
  g_autoptr(GPtrArray) history = NULL;
  const char *id;
  JsonObject *answer;
  JsonArray *array;

  if (!(project = _syn_require_project (ctx, params, error)) ||
      !(id = _syn_param_string (params, id_name, TRUE, error)))
    return NULL;
  if (!(history = read (ctx->store, project->id, id, error)))
    return NULL;

  answer = json_object_new ();
  array = json_array_sized_new (history->len);
  for (guint i = 0; i < history->len; i++)
    json_array_add_element (array, syn_event_to_json (g_ptr_array_index (history, i)));
  _syn_events_add_names (ctx->store, project->id, array);
  json_object_set_string_member (answer, id_name, id);
  json_object_set_array_member (answer, "history", array);
  json_object_set_int_member (answer, "total_events", history->len);
  return syn_json_node_new_object (answer);
}

static JsonNode *
op_asset_history (SynOpContext *ctx, JsonObject *params, GError **error)
{
  return entity_history (ctx, params, "asset_id", syn_store_get_asset_history, error);
}

static JsonNode *
op_cable_history (SynOpContext *ctx, JsonObject *params, GError **error)
{
  return entity_history (ctx, params, "cable_id", syn_store_get_cable_history, error);
}

/* {project_id, tag, kind?} -> {tag, entities}: the assets and cables that
 * have or had the tag, deleted ones too (syn-tag-history.h); 404 when
 * nothing ever had it, as for a tag's asset. */
static JsonNode *
op_find_tag (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  const char *tag, *kind = NULL;

  if (!(project = _syn_require_project (ctx, params, error)) ||
      !(tag = _syn_param_string (params, "tag", TRUE, error)))
    return NULL;
  kind = _syn_param_string (params, "kind", FALSE, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (!(answer = syn_tag_history_find (ctx->store, project->id, tag, kind, error)))
    return NULL;
  if (json_array_get_length (json_object_get_array_member (json_node_get_object (answer), "entities")) == 0)
    /* what a rollback undid never was: the timeline still shows it */
    return _syn_op_fail (error, SYN_BACKEND_ERROR_NOT_FOUND,
                         "No %s has or had the tag \"%s\" in project %s (rolled-back batches left out)",
                         kind ? kind : "asset or cable", tag, project->name);
  return g_steal_pointer (&answer);
}

/* ------------------------------------------------------------------------- */
/* Assets, cables, state                                                     */

static JsonNode *
op_get_asset (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = NULL;
  g_autoptr(SynAsset) asset = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *asset_id, *tag = NULL;

  if (!(project = _syn_require_project (ctx, params, error)))
    return NULL;
  asset_id = _syn_param_string (params, "asset_id", FALSE, &local_error);
  if (local_error == NULL && asset_id == NULL)
    tag = _syn_param_string (params, "tag", TRUE, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  asset = asset_id ? syn_store_get_asset (ctx->store, project->id, asset_id, error)
                   : syn_store_get_asset_by_tag (ctx->store, project->id, tag, error);
  if (asset == NULL)
    {
      if (error == NULL || *error == NULL)
        g_set_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_NOT_FOUND,
                     "No asset \"%s\" in project %s", asset_id ? asset_id : tag, project->name);
      return NULL;
    }
  return syn_asset_to_json (asset);
}

static JsonNode *
op_state_hash (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = _syn_require_project (ctx, params, error);
  g_autofree char *hash = NULL;
  g_autofree char *head = NULL;
  gint64 head_position = -1;
  JsonObject *answer;

  if (project == NULL || !(hash = syn_state_hash_compute (ctx->store, project->id, error)) ||
      !syn_store_get_chain_head (ctx->store, project->id, &head_position, &head, error))
    return NULL;
  answer = json_object_new ();
  json_object_set_string_member (answer, "project_id", project->id);
  json_object_set_string_member (answer, "state_hash", hash);
  /* the hash chain's head: what the state came from, as of that event */
  json_object_set_string_member (answer, "head_hash", head ? head : SYN_EVENT_GENESIS_HASH);
  json_object_set_int_member (answer, "head_position", head_position);
  return syn_json_node_new_object (answer);
}

/* ------------------------------------------------------------------------- */

const SynOpEntry _syn_ops_core[] = {
  { SYN_OP_LIST_PROJECTS, op_list_projects },
  { SYN_OP_CREATE_PROJECT, op_create_project },
  { SYN_OP_GET_PROJECT, op_get_project },
  { SYN_OP_TIMELINE, op_timeline },
  { SYN_OP_TIMELINE_COUNTS, op_timeline_counts },
  { SYN_OP_ASSET_HISTORY, op_asset_history },
  { SYN_OP_CABLE_HISTORY, op_cable_history },
  { SYN_OP_FIND_TAG, op_find_tag },
  { SYN_OP_GET_ASSET, op_get_asset },
  { SYN_OP_STATE_HASH, op_state_hash },
  { NULL, NULL }
};

SynOpFunc
_syn_local_ops_lookup (const char *op)
{
  static const SynOpEntry * const tables[] = {
    _syn_ops_core, _syn_ops_assets, _syn_ops_rollback, _syn_ops_rules,
    _syn_ops_sessions, _syn_ops_users, _syn_ops_members, _syn_ops_feed, _syn_ops_integrity, _syn_ops_lists,
    _syn_ops_history, _syn_ops_admin, _syn_ops_sync,
  };

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    for (const SynOpEntry *e = tables[t]; e->name != NULL; e++)
      if (g_strcmp0 (e->name, op) == 0)
        return e->func;
  return NULL;
}
