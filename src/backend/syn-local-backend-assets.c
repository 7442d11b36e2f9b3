/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-local-backend-assets.c: SynLocalBackend operations: CSV import and manual edits of assets. */
#include "config.h"

#include <string.h>

#include "engine/syn-asset-editor.h"
#include "engine/syn-csv-importer.h"
#include "engine/syn-engine-error.h"
#include "syn-local-backend-private.h"

/* The asset fields of a call: every member but the addressing ones and the
 * transport's own (the server passes the user as "_user_id"). What is left
 * goes to the editor, which refuses unknown fields by name. */
static JsonObject *
asset_fields (JsonObject *params, const char *skip)
{
  JsonObject *fields = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, params);
  while (json_object_iter_next (&iter, &name, &node))
    {
      if (g_str_equal (name, "project_id") || g_strcmp0 (name, skip) == 0 || name[0] == '_')
        continue;
      json_object_set_member (fields, name, syn_json_node_deep_copy (node));
    }
  return fields;
}

static JsonNode *
asset_answer (SynAsset *asset, const char *correlation_id)
{
  JsonNode *node = syn_asset_to_json (asset);

  syn_json_set_string_or_null (json_node_get_object (node), "correlation_id", correlation_id);
  return node;
}

/* {project_id, csv: the file's text, strict?, mode?: "add" (default) or
 * "revision", dry_run?, delete_missing? (revision only)}; the flags are
 * booleans or "true"/"false" (query parameters are text). */
static JsonNode *
op_import_csv (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = NULL;
  g_autoptr(GError) local_error = NULL;
  SynCsvImportOptions options = { .mode = SYN_CSV_IMPORT_ADD };
  const char *csv;
  const char *mode;

  if (!(project = _syn_require_project (ctx, params, error)))
    return NULL;
  /* Not required by _syn_param_string: an empty file is the importer's
   * "no header row", a clearer message than "must not be empty". */
  csv = _syn_param_string (params, "csv", FALSE, &local_error);
  if (local_error == NULL && csv == NULL)
    g_set_error_literal (&local_error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID, "csv: required");
  if (local_error == NULL && (mode = _syn_param_string (params, "mode", FALSE, &local_error)) != NULL &&
      !syn_csv_import_mode_from_string (mode, &options.mode))
    g_set_error (&local_error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID,
                 "mode: \"%s\" is not a mode of import (expected add or revision)", mode);
  if (local_error == NULL)
    _syn_param_bool (params, "strict", FALSE, &options.strict, &local_error);
  if (local_error == NULL)
    _syn_param_bool (params, "dry_run", FALSE, &options.dry_run, &local_error);
  if (local_error == NULL)
    _syn_param_bool (params, "delete_missing", FALSE, &options.delete_missing, &local_error);
  if (local_error == NULL && options.delete_missing && options.mode != SYN_CSV_IMPORT_REVISION)
    g_set_error_literal (&local_error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID,
                         "delete_missing: only with mode=revision (an import of new tags deletes nothing)");
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return syn_csv_import_with_options (ctx->store, project->id, ctx->user_id, csv, strlen (csv), &options, error);
}

/* {project_id, tag, type, description?, discipline?, area?, properties?} */
static JsonNode *
op_create_asset (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = NULL;
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(SynAsset) asset = NULL;
  g_autofree char *correlation_id = NULL;

  if (!(project = _syn_require_project (ctx, params, error)))
    return NULL;
  fields = asset_fields (params, NULL);
  asset = syn_asset_editor_create (ctx->store, project->id, ctx->user_id, fields, &correlation_id, error);
  if (asset == NULL)
    return NULL;
  return asset_answer (asset, correlation_id);
}

/* {project_id, asset_id, properties?: {key: value or null}, description?,
 * discipline?, area?, type?, tag?}; correlation_id null when nothing changed. */
static JsonNode *
op_update_asset (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = NULL;
  g_autoptr(JsonObject) patch = NULL;
  g_autoptr(SynAsset) asset = NULL;
  g_autofree char *correlation_id = NULL;
  const char *asset_id;

  if (!(project = _syn_require_project (ctx, params, error)) ||
      !(asset_id = _syn_param_string (params, "asset_id", TRUE, error)))
    return NULL;
  patch = asset_fields (params, "asset_id");
  asset = syn_asset_editor_update (ctx->store, project->id, ctx->user_id, asset_id, patch,
                                   &correlation_id, error);
  if (asset == NULL)
    return NULL;
  return asset_answer (asset, correlation_id);
}

/* {project_id, asset_id} -> {deleted: true, asset_id, correlation_id} */
static JsonNode *
op_delete_asset (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = NULL;
  g_autofree char *correlation_id = NULL;
  const char *asset_id;
  JsonObject *answer;

  if (!(project = _syn_require_project (ctx, params, error)) ||
      !(asset_id = _syn_param_string (params, "asset_id", TRUE, error)))
    return NULL;
  if (!syn_asset_editor_delete (ctx->store, project->id, ctx->user_id, asset_id, &correlation_id, error))
    return NULL;
  answer = json_object_new ();
  json_object_set_boolean_member (answer, "deleted", TRUE);
  json_object_set_string_member (answer, "asset_id", asset_id);
  json_object_set_string_member (answer, "correlation_id", correlation_id);
  return syn_json_node_new_object (answer);
}

/* A list of ids: absent is none; anything but an array of strings is refused by name. */
static gboolean
id_list (JsonObject *params, const char *name, GStrv *out, GError **error)
{
  JsonNode *node = json_object_get_member (params, name);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID, "%s: must be an array of ids", name);
      return FALSE;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING ||
          *json_node_get_string (item) == '\0')
        {
          g_set_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID, "%s[%u]: must be an id", name, i);
          return FALSE;
        }
      g_strv_builder_add (builder, json_node_get_string (item));
    }
  *out = g_strv_builder_end (builder);
  return TRUE;
}

/* {project_id, asset_ids?, cable_ids?} -> {deleted_assets, deleted_cables,
 * correlation_id}: a selection deleted as one batch. */
static JsonNode *
op_delete_entities (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = NULL;
  g_autofree char *correlation_id = NULL;
  g_auto(GStrv) asset_ids = NULL;
  g_auto(GStrv) cable_ids = NULL;
  guint assets = 0, cables = 0;
  JsonObject *answer;

  if (!(project = _syn_require_project (ctx, params, error)) || !id_list (params, "asset_ids", &asset_ids, error) ||
      !id_list (params, "cable_ids", &cable_ids, error))
    return NULL;
  if (!syn_asset_editor_delete_many (ctx->store, project->id, ctx->user_id, (const char * const *) asset_ids,
                                     (const char * const *) cable_ids, &assets, &cables, &correlation_id, error))
    return NULL;
  answer = json_object_new ();
  json_object_set_int_member (answer, "deleted_assets", assets);
  json_object_set_int_member (answer, "deleted_cables", cables);
  json_object_set_string_member (answer, "correlation_id", correlation_id);
  return syn_json_node_new_object (answer);
}

/* {project_id, asset_ids, properties?, description?, discipline?, area?,
 * type?} -> {updated, correlation_id, assets}: one change to a selection,
 * one batch (correlation_id null when nothing changed); the assets as they
 * are now. */
static JsonNode *
op_update_assets (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = NULL;
  g_autoptr(JsonObject) patch = NULL;
  g_autofree char *correlation_id = NULL;
  g_auto(GStrv) asset_ids = NULL;
  g_autoptr(GPtrArray) assets = NULL;
  guint updated = 0;
  JsonObject *answer;
  JsonArray *array;

  if (!(project = _syn_require_project (ctx, params, error)) || !id_list (params, "asset_ids", &asset_ids, error))
    return NULL;
  patch = asset_fields (params, "asset_ids");
  if (!syn_asset_editor_update_many (ctx->store, project->id, ctx->user_id, (const char * const *) asset_ids, patch,
                                     &updated, &assets, &correlation_id, error))
    return NULL;
  answer = json_object_new ();
  json_object_set_int_member (answer, "updated", updated);
  syn_json_set_string_or_null (answer, "correlation_id", correlation_id);
  array = json_array_sized_new (assets->len);
  for (guint i = 0; i < assets->len; i++)
    json_array_add_element (array, syn_asset_to_json (g_ptr_array_index (assets, i)));
  json_object_set_array_member (answer, "assets", array);
  return syn_json_node_new_object (answer);
}

/* {project_id, asset_id, properties?, fields?, rules?}: hands held values
 * (and withheld rule outputs) back to the rules; correlation_id null when
 * nothing was held. */
static JsonNode *
op_reset_asset (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = NULL;
  g_autoptr(JsonObject) what = NULL;
  g_autoptr(SynAsset) asset = NULL;
  g_autofree char *correlation_id = NULL;
  const char *asset_id;

  if (!(project = _syn_require_project (ctx, params, error)) ||
      !(asset_id = _syn_param_string (params, "asset_id", TRUE, error)))
    return NULL;
  what = asset_fields (params, "asset_id");
  asset = syn_asset_editor_reset (ctx->store, project->id, ctx->user_id, asset_id, what, &correlation_id, error);
  if (asset == NULL)
    return NULL;
  return asset_answer (asset, correlation_id);
}

const SynOpEntry _syn_ops_assets[] = {
  { SYN_OP_RESET_ASSET, op_reset_asset },
  { SYN_OP_IMPORT_CSV, op_import_csv },
  { SYN_OP_CREATE_ASSET, op_create_asset },
  { SYN_OP_UPDATE_ASSET, op_update_asset },
  { SYN_OP_DELETE_ASSET, op_delete_asset },
  { SYN_OP_DELETE_ENTITIES, op_delete_entities },
  { SYN_OP_UPDATE_ASSETS, op_update_assets },
  { NULL, NULL }
};
