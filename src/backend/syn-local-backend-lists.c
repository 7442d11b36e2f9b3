/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-local-backend-lists.c: SynLocalBackend: the asset list and the cable schedule (filtered, sorted,
 * by page), an asset's relations from its edges and cables, and exports. */
#include "config.h"

#include <string.h>

#include "core/syn-core.h"
#include "engine/syn-exporter.h"
#include "engine/syn-moment.h"
#include "engine/syn-time-travel.h"
#include "syn-local-backend-private.h"

#define invalid(error, ...) _syn_op_fail (error, SYN_BACKEND_ERROR_INVALID, __VA_ARGS__)

/* The filters and order of a list from its parameters: tag (a pattern), q
 * (assets: tag or description), type, area, discipline, where (tests), sort. */
static SynEntityQuery *
entity_query (SynOpContext *ctx, JsonObject *params, SynEntityKind kind, SynProject **project, GError **error)
{
  static const char * const names[] = { "tag", "q", "type", "area", "discipline", "where", "sort" };
  const char *values[G_N_ELEMENTS (names)] = { NULL };
  g_autoptr(SynEntityQuery) q = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!(*project = _syn_require_project (ctx, params, error)))
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (names) && local_error == NULL; i++)
    values[i] = _syn_param_string (params, names[i], FALSE, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (values[4] != NULL && !syn_is_discipline (values[4]))
    {
      g_autofree char *upper = g_ascii_strup (values[4], -1);

      if (!syn_is_discipline (upper))
        return invalid (error, "discipline: unknown discipline \"%s\"", values[4]);
    }

  q = syn_entity_query_new (kind, (*project)->id);
  q->tag = g_strdup (values[0]);
  q->search = g_strdup (values[1]);
  q->type = g_strdup (values[2]);
  q->area = g_strdup (values[3]);
  q->discipline = g_strdup (values[4]);
  syn_entity_query_set_sort (q, values[6]);
  if (!syn_entity_query_add_tests (q, values[5], &local_error) || !syn_entity_query_validate (q, &local_error))
    return invalid (error, "%s", local_error->message);
  return g_steal_pointer (&q);
}

/* An asset or a cable as its page gives it, with the tags of a cable's ends
 * and the user who created what no rule made. */
static JsonNode *
page_item_json (SynEntityPage *page, gpointer item)
{
  JsonNode *node;
  JsonObject *o;
  const char *creator;

  if (SYN_IS_CABLE (item))
    {
      SynCable *cable = item;

      node = syn_cable_to_json (cable);
      o = json_node_get_object (node);
      syn_json_set_string_or_null (o, "from_tag", cable->from_asset_id
                                   ? g_hash_table_lookup (page->asset_tags, cable->from_asset_id) : NULL);
      syn_json_set_string_or_null (o, "to_tag", cable->to_asset_id
                                   ? g_hash_table_lookup (page->asset_tags, cable->to_asset_id) : NULL);
      creator = g_hash_table_lookup (page->creators, cable->id);
    }
  else
    {
      node = syn_asset_to_json (item);
      o = json_node_get_object (node);
      creator = g_hash_table_lookup (page->creators, ((SynAsset *) item)->id);
    }
  syn_json_set_string_or_null (o, "created_by_user_id", creator);
  return node;
}

static JsonNode *
list_entities (SynOpContext *ctx, JsonObject *params, SynEntityKind kind, GError **error)
{
  g_autoptr(SynProject) project = NULL;
  g_autoptr(SynEntityQuery) q = entity_query (ctx, params, kind, &project, error);
  g_autoptr(SynEntityPage) page = NULL;
  guint64 number = 1, limit = 50;
  JsonObject *answer;
  JsonArray *array;

  if (q == NULL ||
      !_syn_param_uint (params, "page", 1, G_MAXINT32, 1, &number, error) ||
      !_syn_param_uint (params, "limit", 1, 500, 50, &limit, error))
    return NULL;
  q->count = TRUE;
  q->limit = (guint) limit;
  q->offset = (number - 1) * limit;
  if (!(page = syn_store_query_entities (ctx->store, q, error)))
    return NULL;

  answer = json_object_new ();
  array = json_array_sized_new (page->items->len);
  for (guint i = 0; i < page->items->len; i++)
    json_array_add_element (array, page_item_json (page, g_ptr_array_index (page->items, i)));
  json_object_set_array_member (answer, kind == SYN_ENTITY_CABLES ? "cables" : "assets", array);
  json_object_set_int_member (answer, "total", (gint64) page->total);
  json_object_set_int_member (answer, "page", (gint64) number);
  json_object_set_int_member (answer, "pages", (gint64) ((page->total + limit - 1) / limit));
  return syn_json_node_new_object (answer);
}

static JsonNode *
op_list_assets (SynOpContext *ctx, JsonObject *params, GError **error)
{
  return list_entities (ctx, params, SYN_ENTITY_ASSETS, error);
}

static JsonNode *
op_list_cables (SynOpContext *ctx, JsonObject *params, GError **error)
{
  return list_entities (ctx, params, SYN_ENTITY_CABLES, error);
}

/* ------------------------------------------------------------------------- */
/* Relations                                                                 */

static JsonObject *
asset_brief (SynAsset *asset, const char *id)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "id", id);
  syn_json_set_string_or_null (o, "tag", asset ? asset->tag : NULL);
  syn_json_set_string_or_null (o, "type", asset ? asset->type : NULL);
  syn_json_set_string_or_null (o, "description", asset ? asset->description : NULL);
  return o;
}

/* The asset's edges both ways and its cables, from the store: what a run
 * made or a person linked, not guessed from descriptions. */
static JsonNode *
op_asset_relations (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = NULL;
  g_autoptr(SynAsset) asset = NULL;
  g_autoptr(GPtrArray) edges = NULL;
  g_autoptr(GPtrArray) cables = NULL;
  const char *asset_id;
  JsonObject *answer;
  JsonArray *edge_array, *cable_array;

  if (!(project = _syn_require_project (ctx, params, error)) ||
      !(asset_id = _syn_param_string (params, "asset_id", TRUE, error)))
    return NULL;
  if (!(asset = syn_store_get_asset (ctx->store, project->id, asset_id, error)))
    {
      if (error == NULL || *error == NULL)
        g_set_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_NOT_FOUND,
                     "No asset \"%s\" in project %s", asset_id, project->name);
      return NULL;
    }
  if (!(edges = syn_store_list_edges (ctx->store, project->id, asset_id, error)) ||
      !(cables = syn_store_list_asset_cables (ctx->store, project->id, asset_id, error)))
    return NULL;

  edge_array = json_array_sized_new (edges->len);
  for (guint i = 0; i < edges->len; i++)
    {
      SynEdge *edge = g_ptr_array_index (edges, i);
      gboolean out = g_strcmp0 (edge->source_asset_id, asset_id) == 0;
      const char *other_id = out ? edge->target_asset_id : edge->source_asset_id;
      g_autoptr(SynAsset) other = syn_store_get_asset (ctx->store, project->id, other_id, error);
      JsonObject *o = json_object_new ();

      if (other == NULL && error != NULL && *error != NULL)
        {
          json_object_unref (o);
          json_array_unref (edge_array);
          return NULL;
        }
      json_object_set_string_member (o, "id", edge->id);
      json_object_set_string_member (o, "relation", edge->relation);
      json_object_set_string_member (o, "direction", out ? "out" : "in");
      syn_json_set_string_or_null (o, "created_by_rule_id", edge->created_by_rule_id);
      json_object_set_object_member (o, "asset", asset_brief (other, other_id));
      json_array_add_object_element (edge_array, o);
    }

  cable_array = json_array_sized_new (cables->len);
  for (guint i = 0; i < cables->len; i++)
    {
      SynCable *cable = g_ptr_array_index (cables, i);
      JsonNode *node = syn_cable_to_json (cable);
      JsonObject *o = json_node_get_object (node);
      const char *ends[2] = { cable->from_asset_id, cable->to_asset_id };
      const char *names[2] = { "from_tag", "to_tag" };

      for (guint e = 0; e < 2; e++)
        {
          g_autoptr(SynAsset) end = NULL;

          if (ends[e] != NULL && g_strcmp0 (ends[e], asset_id) == 0)
            end = g_object_ref (asset);
          else if (ends[e] != NULL)
            end = syn_store_get_asset (ctx->store, project->id, ends[e], NULL);
          syn_json_set_string_or_null (o, names[e], end ? end->tag : NULL);
        }
      json_object_set_string_member (o, "direction", g_strcmp0 (cable->to_asset_id, asset_id) == 0 ? "in" : "out");
      json_array_add_element (cable_array, node);
    }

  answer = json_object_new ();
  json_object_set_member (answer, "asset", syn_asset_to_json (asset));
  json_object_set_array_member (answer, "edges", edge_array);
  json_object_set_array_member (answer, "cables", cable_array);
  return syn_json_node_new_object (answer);
}

/* ------------------------------------------------------------------------- */
/* Exports                                                                   */

static JsonNode *
op_export (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SynProject) project = NULL;
  g_autoptr(SynEntityQuery) entities = NULL;
  g_autoptr(SynEventQuery) events = NULL;
  g_auto(GStrv) properties = NULL;
  g_autofree char *content = NULL;
  g_autofree char *filename = NULL;
  const char *kind_text, *format_text, *props, *as_of = NULL;
  SynExportKind kind;
  SynExportFormat format;
  guint n_rows = 0;
  JsonObject *answer;

  kind_text = _syn_param_string (params, "kind", TRUE, &local_error);
  if (!local_error) format_text = _syn_param_string (params, "format", FALSE, &local_error);
  if (!local_error) props = _syn_param_string (params, "properties", FALSE, &local_error);
  if (!local_error) as_of = _syn_param_string (params, "as_of", FALSE, &local_error);
  if (local_error == NULL &&
      (!syn_export_kind_parse (kind_text, &kind, &local_error) ||
       !syn_export_format_parse (format_text, &format, &local_error)))
    syn_backend_error_from_other (&local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (as_of != NULL && kind == SYN_EXPORT_TIMELINE)
    return _syn_op_fail (error, SYN_BACKEND_ERROR_INVALID,
                         "as_of: the timeline takes from and to; as_of is for cables and assets");
  if (kind == SYN_EXPORT_TIMELINE)
    {
      if (!(events = _syn_timeline_query_from_params (ctx, params, &project, error)))
        return NULL;
    }
  else if (!(entities = entity_query (ctx, params, kind == SYN_EXPORT_CABLES ? SYN_ENTITY_CABLES : SYN_ENTITY_ASSETS,
                                      &project, error)))
    return NULL;
  if (props != NULL && kind == SYN_EXPORT_ASSETS)
    {
      properties = g_strsplit (props, ",", -1);
      for (guint i = 0; properties[i]; i++)
        g_strstrip (properties[i]);
    }

  if (as_of != NULL)
    {
      gint64 position;

      /* a bad moment names the parameter */
      if (!syn_moment_resolve (ctx->store, project->id, as_of, &position, error))
        {
          syn_backend_error_from_other (error);
          g_prefix_error (error, "as_of: ");
          return NULL;
        }
      content = syn_time_travel_export (ctx->store, as_of, kind, format, entities,
                                        (const char * const *) properties, &n_rows, error);
    }
  else
    content = syn_exporter_run (ctx->store, kind, format, entities, events, (const char * const *) properties,
                                &n_rows, error);
  if (content == NULL)
    {
      syn_backend_error_from_other (error);
      return NULL;
    }
  filename = as_of != NULL
             ? g_strdup_printf ("%s-%s-as-of-%s.%s", project->name, syn_export_kind_name (kind), as_of,
                                format == SYN_EXPORT_JSON ? "json" : "csv")
             : g_strdup_printf ("%s-%s.%s", project->name, syn_export_kind_name (kind),
                                format == SYN_EXPORT_JSON ? "json" : "csv");
  g_strdelimit (filename, "/\\:", '_');
  answer = json_object_new ();
  json_object_set_string_member (answer, "kind", syn_export_kind_name (kind));
  json_object_set_string_member (answer, "format", format == SYN_EXPORT_JSON ? "json" : "csv");
  json_object_set_string_member (answer, "content_type", syn_export_content_type (format));
  json_object_set_string_member (answer, "filename", filename);
  json_object_set_int_member (answer, "rows", n_rows);
  if (as_of != NULL)
    json_object_set_string_member (answer, "as_of", as_of);
  json_object_set_string_member (answer, "content", content);
  return syn_json_node_new_object (answer);
}

const SynOpEntry _syn_ops_lists[] = {
  { SYN_OP_LIST_ASSETS, op_list_assets },
  { SYN_OP_LIST_CABLES, op_list_cables },
  { SYN_OP_ASSET_RELATIONS, op_asset_relations },
  { SYN_OP_EXPORT, op_export },
  { NULL, NULL }
};
