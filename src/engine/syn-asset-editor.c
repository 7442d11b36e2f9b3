/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-asset-editor.c: manual edits of assets, each one batch, so each is on the timeline and can be rolled back. */
#include "config.h"

#include "engine/syn-asset-editor.h"
#include "engine/syn-batch.h"
#include "engine/syn-derivation.h"
#include "engine/syn-engine-error.h"

G_GNUC_PRINTF (2, 3)
static gboolean
invalid (GError **error, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  if (error != NULL)
    *error = g_error_new_valist (SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_FIELD, format, args);
  va_end (args);
  return FALSE;
}

/* A string field: trimmed, NULL for null or blank (an empty description is
 * no description), unless @required. */
static gboolean
read_text (const char *name, JsonNode *node, gboolean required, char **out, GError **error)
{
  g_autofree char *text = NULL;

  *out = NULL;
  if (!JSON_NODE_HOLDS_NULL (node))
    {
      if (json_node_get_value_type (node) != G_TYPE_STRING)
        return invalid (error, "%s: must be a string", name);
      text = g_strstrip (g_strdup (json_node_get_string (node)));
      if (*text == '\0')
        g_clear_pointer (&text, g_free);
    }
  if (text == NULL && required)
    return invalid (error, "%s: must not be empty", name);
  *out = g_steal_pointer (&text);
  return TRUE;
}

static gboolean
apply_properties (SynAsset *asset, JsonNode *node, GError **error)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, "properties: must be an object");
  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &key, &value))
    {
      if (*key == '\0')
        return invalid (error, "properties: a property name must not be empty");
      /* null removes: the REST PATCH's merge semantics. */
      if (JSON_NODE_HOLDS_NULL (value))
        {
          if (json_object_has_member (asset->properties, key))
            json_object_remove_member (asset->properties, key);
        }
      else
        json_object_set_member (asset->properties, key, syn_json_node_deep_copy (value));
    }
  return TRUE;
}

/* Applies @changes to @asset, field by field. Unknown fields are errors, so a
 * misspelt one is never silently dropped. On failure @asset is partly changed. */
static gboolean
apply_changes (SynAsset *asset, JsonObject *changes, GError **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, changes);
  while (json_object_iter_next (&iter, &name, &node))
    {
      g_autofree char *text = NULL;

      if (g_str_equal (name, "properties"))
        {
          if (!apply_properties (asset, node, error))
            return FALSE;
        }
      else if (g_str_equal (name, "tag"))
        {
          if (!read_text (name, node, TRUE, &text, error))
            return FALSE;
          g_free (asset->tag);
          asset->tag = g_steal_pointer (&text);
        }
      else if (g_str_equal (name, "type"))
        {
          if (!read_text (name, node, TRUE, &text, error))
            return FALSE;
          g_free (asset->type);
          asset->type = g_utf8_strup (text, -1);
        }
      else if (g_str_equal (name, "description"))
        {
          if (!read_text (name, node, FALSE, &text, error))
            return FALSE;
          g_free (asset->description);
          asset->description = g_steal_pointer (&text);
        }
      else if (g_str_equal (name, "area"))
        {
          if (!read_text (name, node, FALSE, &text, error))
            return FALSE;
          g_free (asset->area);
          asset->area = g_steal_pointer (&text);
        }
      else if (g_str_equal (name, "discipline"))
        {
          g_autofree char *upper = NULL;

          if (!read_text (name, node, FALSE, &text, error))
            return FALSE;
          upper = text ? g_ascii_strup (text, -1) : NULL;
          if (upper != NULL && !syn_is_discipline (upper))
            return invalid (error, "discipline: unknown discipline \"%s\" (expected ELECTRICAL, "
                            "AUTOMATION, MECHANICAL, PROCESS, PIPING or INSTRUMENTATION)", text);
          g_free (asset->discipline);
          asset->discipline = g_steal_pointer (&upper);
        }
      else
        return invalid (error, "%s: unknown field (expected tag, type, description, discipline, "
                        "area or properties)", name);
    }
  return TRUE;
}

static gboolean
set_not_found (GError **error, const char *project_id, const char *asset_id)
{
  g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_NOT_FOUND,
               "No asset %s in project %s", asset_id, project_id);
  return FALSE;
}

/* The asset, or NULL with an error (not found, or the store's). */
static SynAsset *
require_asset (SynStore *store, const char *project_id, const char *asset_id, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  SynAsset *asset = syn_store_get_asset (store, project_id, asset_id, &local_error);

  if (asset == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        set_not_found (error, project_id, asset_id);
    }
  return asset;
}

/* The unique constraint would catch it too, but not with a message naming the tag. */
static gboolean
require_free_tag (SynStore *store, const char *project_id, const char *tag, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SynAsset) existing = syn_store_get_asset_by_tag (store, project_id, tag, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (existing != NULL)
    {
      g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_CONSTRAINT,
                   "tag %s already exists in the project", tag);
      return FALSE;
    }
  return TRUE;
}

/* Checks made inside the batch see what the write will see: no other writer
 * comes between (the transaction holds the write lock, and the project's). */
static SynBatch *
begin_batch (SynStore *store, const char *project_id, const char *user_id, GError **error)
{
  g_autoptr(SynBatch) batch = syn_batch_begin (store, project_id, user_id, error);

  if (batch == NULL)
    return NULL;
  if (!syn_store_lock_project (store, project_id, error))
    {
      syn_batch_abandon (batch);
      return NULL;
    }
  return g_steal_pointer (&batch);
}

static gboolean
commit_batch (SynBatch *batch, char **correlation_id, GError **error)
{
  g_autofree char *id = g_strdup (syn_batch_get_correlation_id (batch));

  if (!syn_batch_commit (batch, error))
    return FALSE;
  if (correlation_id != NULL)
    *correlation_id = g_steal_pointer (&id);
  return TRUE;
}

static gboolean
fail_batch (SynBatch *batch, GError **error, GError *cause)
{
  syn_batch_abandon (batch);
  g_propagate_error (error, cause);
  return FALSE;
}

/* Creates an asset from @fields: tag and type (required), description,
 * discipline, area, properties. One batch with its ASSET_CREATED event. */
SynAsset *
syn_asset_editor_create (SynStore    *store,
                         const char  *project_id,
                         const char  *user_id,
                         JsonObject  *fields,
                         char       **correlation_id,
                         GError     **error)
{
  g_autoptr(SynAsset) asset = syn_asset_new ();
  g_autoptr(SynProject) project = NULL;
  g_autoptr(SynBatch) batch = NULL;
  g_autoptr(SynEvent) event = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (SYN_IS_STORE (store), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);
  g_return_val_if_fail (fields != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (correlation_id != NULL)
    *correlation_id = NULL;
  if (!apply_changes (asset, fields, error))
    return NULL;
  if (asset->tag == NULL)
    return invalid (error, "tag: required"), NULL;
  if (asset->type == NULL)
    return invalid (error, "type: required"), NULL;

  if (!(batch = begin_batch (store, project_id, user_id, error)))
    return NULL;
  project = syn_store_get_project (store, project_id, &local_error);
  if (project == NULL && local_error == NULL)
    g_set_error (&local_error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_NOT_FOUND,
                 "No project %s", project_id);
  if (local_error == NULL)
    require_free_tag (store, project_id, asset->tag, &local_error);
  if (local_error == NULL)
    event = syn_batch_create_asset (batch, asset, NULL, NULL, &local_error);
  if (local_error != NULL)
    return fail_batch (batch, error, g_steal_pointer (&local_error)), NULL;
  if (!commit_batch (batch, correlation_id, error))
    return NULL;
  return g_steal_pointer (&asset);
}

static gboolean
assets_equal (SynAsset *a, SynAsset *b)
{
  g_autoptr(JsonNode) ja = syn_asset_to_json (a);
  g_autoptr(JsonNode) jb = syn_asset_to_json (b);

  return syn_json_node_equal (ja, jb);
}

/* Applies @patch ({properties: {key: value or null to remove}, description,
 * discipline, area, type, tag}, properties merged) as one batch with its
 * ASSET_UPDATED event. A patch that changes nothing makes no batch:
 * @correlation_id is then NULL and the asset is returned as it is. */
SynAsset *
syn_asset_editor_update (SynStore    *store,
                         const char  *project_id,
                         const char  *user_id,
                         const char  *asset_id,
                         JsonObject  *patch,
                         char       **correlation_id,
                         GError     **error)
{
  g_autoptr(SynAsset) current = NULL;
  g_autoptr(SynAsset) probe = NULL;
  g_autoptr(SynAsset) before = NULL;
  g_autoptr(SynAsset) after = NULL;
  g_autoptr(SynBatch) batch = NULL;
  g_autoptr(SynEvent) event = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (SYN_IS_STORE (store), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);
  g_return_val_if_fail (asset_id != NULL, NULL);
  g_return_val_if_fail (patch != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (correlation_id != NULL)
    *correlation_id = NULL;

  /* A first look outside any transaction: a bad patch or one that changes
   * nothing never waits for the write lock. */
  if (!(current = require_asset (store, project_id, asset_id, error)))
    return NULL;
  probe = syn_asset_copy (current);
  if (!apply_changes (probe, patch, error))
    return NULL;
  if (assets_equal (current, probe))
    return g_steal_pointer (&current);

  if (!(batch = begin_batch (store, project_id, user_id, error)))
    return NULL;
  /* Read again under the lock: the pre-image must be what the write replaces. */
  if (!(before = require_asset (store, project_id, asset_id, &local_error)))
    return fail_batch (batch, error, g_steal_pointer (&local_error)), NULL;
  after = syn_asset_copy (before);
  if (!apply_changes (after, patch, &local_error))
    return fail_batch (batch, error, g_steal_pointer (&local_error)), NULL;
  /* what a rule wrote and a person now changes is the person's: held */
  g_ptr_array_unref (syn_derivation_note_manual_change (before, after));
  if (g_strcmp0 (before->tag, after->tag) != 0 &&
      !require_free_tag (store, project_id, after->tag, &local_error))
    return fail_batch (batch, error, g_steal_pointer (&local_error)), NULL;

  event = syn_batch_update_asset (batch, before, after, NULL, NULL, &local_error);
  if (local_error != NULL)
    return fail_batch (batch, error, g_steal_pointer (&local_error)), NULL;
  if (event == NULL)
    {
      /* Someone else made the same change meanwhile. */
      syn_batch_abandon (batch);
      return g_steal_pointer (&before);
    }
  if (!commit_batch (batch, correlation_id, error))
    return NULL;
  return g_steal_pointer (&after);
}

/* Applies @patch (as syn_asset_editor_update(), but no tag: a tag is one
 * asset's) to each of @asset_ids, one batch for all; the assets it leaves
 * as they were are not in it, and nothing to change makes no batch
 * (@correlation_id NULL). @updated counts the assets changed; @assets,
 * when not NULL, receives each asset as it is now (SynAsset), in order. */
gboolean
syn_asset_editor_update_many (SynStore            *store,
                              const char          *project_id,
                              const char          *user_id,
                              const char * const  *asset_ids,
                              JsonObject          *patch,
                              guint               *updated,
                              GPtrArray          **assets,
                              char               **correlation_id,
                              GError             **error)
{
  g_autoptr(SynBatch) batch = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) now = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = 0;

  g_return_val_if_fail (SYN_IS_STORE (store), FALSE);
  g_return_val_if_fail (project_id != NULL, FALSE);
  g_return_val_if_fail (patch != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (correlation_id != NULL)
    *correlation_id = NULL;
  if (asset_ids == NULL || asset_ids[0] == NULL)
    return invalid (error, "asset_ids: required (the assets to change)");
  if (json_object_has_member (patch, "tag"))
    return invalid (error, "tag: one asset's own; rename assets one at a time");
  if (!(batch = begin_batch (store, project_id, user_id, error)))
    return FALSE;
  for (guint i = 0; asset_ids[i] != NULL; i++)
    {
      g_autoptr(SynAsset) before = require_asset (store, project_id, asset_ids[i], &local_error);
      g_autoptr(SynAsset) after = NULL;
      g_autoptr(SynEvent) event = NULL;

      if (before == NULL)
        return fail_batch (batch, error, g_steal_pointer (&local_error));
      after = syn_asset_copy (before);
      if (!apply_changes (after, patch, &local_error))
        return fail_batch (batch, error, g_steal_pointer (&local_error));
      if (assets_equal (before, after))
        {
          g_ptr_array_add (now, g_steal_pointer (&before));
          continue;
        }
      /* what a rule wrote and a person now changes is the person's: held */
      g_ptr_array_unref (syn_derivation_note_manual_change (before, after));
      event = syn_batch_update_asset (batch, before, after, NULL, NULL, &local_error);
      if (local_error != NULL)
        return fail_batch (batch, error, g_steal_pointer (&local_error));
      if (event != NULL)
        n++;
      if (event != NULL)
        g_ptr_array_add (now, g_steal_pointer (&after));
      else
        g_ptr_array_add (now, g_steal_pointer (&before));
    }
  if (n == 0)
    syn_batch_abandon (batch);
  else if (!commit_batch (batch, correlation_id, error))
    return FALSE;
  if (updated != NULL)
    *updated = n;
  if (assets != NULL)
    *assets = g_steal_pointer (&now);
  return TRUE;
}

/* A person deleting what a rule made: the rule leaves that source alone
 * until handed back (the source's record says so, in the same batch). */
static gboolean
withhold_from_source (SynBatch *batch, SynAsset *asset, const char *causation_id, GError **error)
{
  SynStore *store = syn_batch_get_store (batch);
  const char *project_id = syn_batch_get_project_id (batch);
  const char *rule_id = syn_derivation_get_rule_id (asset->derivation);
  const char *source_id = syn_derivation_get_source (asset->derivation);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SynAsset) source = NULL;
  g_autoptr(SynAsset) after = NULL;
  g_autoptr(SynEvent) event = NULL;

  if (rule_id == NULL || source_id == NULL)
    return TRUE;
  source = syn_store_get_asset (store, project_id, source_id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (source == NULL)
    return TRUE;
  after = syn_asset_copy (source);
  syn_derivation_withhold (&after->derivation, rule_id);
  event = syn_batch_update_asset (batch, source, after, NULL, causation_id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* A person's delete inside @batch: every edge touching @asset and every
 * cable from or to it first (RELATIONSHIP_DELETED, CABLE_DELETED), then the
 * asset (ASSET_DELETED), so that nothing is left pointing at an asset that
 * is gone; a rule's output is withheld from its source. The events are
 * caused by @causation_id (NULL for an edit of its own; an import's
 * CSV_IMPORTED). @edges and @cables, when not NULL, count what went. */
gboolean
syn_asset_editor_delete_in_batch (SynBatch    *batch,
                                  SynAsset    *asset,
                                  const char  *causation_id,
                                  guint       *edges_deleted,
                                  guint       *cables_deleted,
                                  GError     **error)
{
  SynStore *store = syn_batch_get_store (batch);
  const char *project_id = syn_batch_get_project_id (batch);
  g_autoptr(GPtrArray) edges = NULL;
  g_autoptr(GPtrArray) cables = NULL;
  g_autoptr(SynEvent) event = NULL;
  guint n_cables = 0;

  g_return_val_if_fail (SYN_IS_BATCH (batch), FALSE);
  g_return_val_if_fail (SYN_IS_ASSET (asset), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!(edges = syn_store_list_edges (store, project_id, asset->id, error)) ||
      !(cables = syn_store_list_asset_cables (store, project_id, asset->id, error)))
    return FALSE;
  for (guint i = 0; i < edges->len; i++)
    {
      g_autoptr(SynEvent) e = syn_batch_delete_edge (batch, g_ptr_array_index (edges, i), NULL, causation_id, error);

      if (e == NULL)
        return FALSE;
    }
  for (guint i = 0; i < cables->len; i++)
    {
      SynCable *cable = g_ptr_array_index (cables, i);
      g_autoptr(SynEvent) e = NULL;

      if (g_strcmp0 (cable->from_asset_id, asset->id) != 0 && g_strcmp0 (cable->to_asset_id, asset->id) != 0)
        continue;
      if (!(e = syn_batch_delete_cable (batch, cable, NULL, causation_id, error)))
        return FALSE;
      n_cables++;
    }
  if (!(event = syn_batch_delete_asset (batch, asset, NULL, causation_id, error)) ||
      !withhold_from_source (batch, asset, causation_id, error))
    return FALSE;
  if (edges_deleted != NULL)
    *edges_deleted = edges->len;
  if (cables_deleted != NULL)
    *cables_deleted = n_cables;
  return TRUE;
}

/* Deletes the asset with every edge touching it and every cable from or to
 * it, as one batch (see syn_asset_editor_delete_in_batch()). */
gboolean
syn_asset_editor_delete (SynStore    *store,
                         const char  *project_id,
                         const char  *user_id,
                         const char  *asset_id,
                         char       **correlation_id,
                         GError     **error)
{
  g_autoptr(SynAsset) asset = NULL;
  g_autoptr(SynBatch) batch = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (SYN_IS_STORE (store), FALSE);
  g_return_val_if_fail (project_id != NULL, FALSE);
  g_return_val_if_fail (asset_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (correlation_id != NULL)
    *correlation_id = NULL;
  if (!(batch = begin_batch (store, project_id, user_id, error)))
    return FALSE;
  if (!(asset = require_asset (store, project_id, asset_id, &local_error)) ||
      !syn_asset_editor_delete_in_batch (batch, asset, NULL, NULL, NULL, &local_error))
    return fail_batch (batch, error, g_steal_pointer (&local_error));
  return commit_batch (batch, correlation_id, error);
}

/* A cable a person deletes; one the rules made comes back at their next run. */
static gboolean
delete_cable_in_batch (SynBatch *batch, const char *cable_id, GError **error)
{
  SynStore *store = syn_batch_get_store (batch);
  const char *project_id = syn_batch_get_project_id (batch);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SynCable) cable = syn_store_get_cable (store, project_id, cable_id, &local_error);
  g_autoptr(SynEvent) event = NULL;

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (cable == NULL)
    {
      g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_NOT_FOUND, "No cable %s in project %s", cable_id,
                   project_id);
      return FALSE;
    }
  event = syn_batch_delete_cable (batch, cable, NULL, NULL, error);
  return event != NULL;
}

/* Deletes a selection, assets (each with its edges and cables) and cables,
 * as one batch: one rollback takes all of it back. An asset that does not
 * exist fails the whole batch; nothing is written then. */
gboolean
syn_asset_editor_delete_many (SynStore            *store,
                              const char          *project_id,
                              const char          *user_id,
                              const char * const  *asset_ids,
                              const char * const  *cable_ids,
                              guint               *assets_deleted,
                              guint               *cables_deleted,
                              char               **correlation_id,
                              GError             **error)
{
  g_autoptr(SynBatch) batch = NULL;
  g_autoptr(GError) local_error = NULL;
  guint n_assets = 0, n_cables = 0;

  g_return_val_if_fail (SYN_IS_STORE (store), FALSE);
  g_return_val_if_fail (project_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (correlation_id != NULL)
    *correlation_id = NULL;
  if ((asset_ids == NULL || asset_ids[0] == NULL) && (cable_ids == NULL || cable_ids[0] == NULL))
    return invalid (error, "asset_ids or cable_ids: required (the ids to delete)");
  if (!(batch = begin_batch (store, project_id, user_id, error)))
    return FALSE;
  /* the cables first: those of a deleted asset are then gone with it */
  for (guint i = 0; cable_ids != NULL && cable_ids[i] != NULL; i++, n_cables++)
    if (!delete_cable_in_batch (batch, cable_ids[i], &local_error))
      return fail_batch (batch, error, g_steal_pointer (&local_error));
  for (guint i = 0; asset_ids != NULL && asset_ids[i] != NULL; i++)
    {
      g_autoptr(SynAsset) asset = require_asset (store, project_id, asset_ids[i], &local_error);
      guint cables = 0;

      if (asset == NULL || !syn_asset_editor_delete_in_batch (batch, asset, NULL, NULL, &cables, &local_error))
        return fail_batch (batch, error, g_steal_pointer (&local_error));
      n_assets++;
      n_cables += cables;
    }
  if (!commit_batch (batch, correlation_id, error))
    return FALSE;
  if (assets_deleted != NULL)
    *assets_deleted = n_assets;
  if (cables_deleted != NULL)
    *cables_deleted = n_cables;
  return TRUE;
}

/* ------------------------------------------------------------------------- */
/* Handing values back to the rules                                          */

static gboolean
names_from (JsonObject *what, const char *member, GStrv *out, GError **error)
{
  JsonNode *node = json_object_get_member (what, member);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, "%s: must be a list of strings", member);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (node), i);

      if (json_node_get_value_type (element) != G_TYPE_STRING || *json_node_get_string (element) == '\0')
        return invalid (error, "%s[%u]: must be a name", member, i);
      g_strv_builder_add (builder, json_node_get_string (element));
    }
  *out = g_strv_builder_end (builder);
  return TRUE;
}

static gboolean
check_reset (JsonObject *what, GStrv *properties, GStrv *fields, GStrv *rules, GError **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  JsonNode *all;

  json_object_iter_init (&iter, what);
  while (json_object_iter_next (&iter, &name, &node))
    if (!g_str_equal (name, "properties") && !g_str_equal (name, "fields") && !g_str_equal (name, "rules") &&
        !g_str_equal (name, "all"))
      return invalid (error, "%s: unknown field (expected properties, fields, rules or all)", name);
  if (!names_from (what, "properties", properties, error) || !names_from (what, "fields", fields, error) ||
      !names_from (what, "rules", rules, error))
    return FALSE;
  all = json_object_get_member (what, "all");
  if (all != NULL && (json_node_get_value_type (all) != G_TYPE_BOOLEAN || !json_node_get_boolean (all)))
    return invalid (error, "all: must be true (or left out)");
  /* nothing named is a mistake, not \"everything\": that takes all: true */
  if (all == NULL && (*properties == NULL || !**properties) && (*fields == NULL || !**fields) &&
      (*rules == NULL || !**rules))
    return invalid (error, "name what to hand back to the rules: properties, fields, rules, or all: true");
  if (all != NULL && (*properties != NULL || *fields != NULL || *rules != NULL))
    return invalid (error, "all: goes alone (without properties, fields or rules)");
  for (guint i = 0; *fields && (*fields)[i]; i++)
    if (!g_strv_contains (syn_asset_columns (), (*fields)[i]) || g_str_equal ((*fields)[i], "created_by_rule_id"))
      return invalid (error, "fields[%u]: \"%s\" is not a field (expected tag, type, description, discipline "
                      "or area)", i, (*fields)[i]);
  return TRUE;
}

/* What a person changed is no longer what the rule wrote from its inputs:
 * the fingerprint goes, so the next run writes the rule's values again
 * rather than take the asset as made from the same inputs. */
static void
forget_inputs (SynAsset *asset)
{
  if (syn_derivation_get_rule_id (asset->derivation) != NULL &&
      json_object_has_member (asset->derivation, "inputs"))
    json_object_set_null_member (asset->derivation, "inputs");
}

/* Releases what @what names (everything when it names nothing); a name
 * that is not held is an error, so a typo is never a silent no-op. */
static gboolean
release (SynAsset *asset, GStrv properties, GStrv fields, GStrv rules, GError **error)
{
  gboolean all = (properties == NULL || !*properties) && (fields == NULL || !*fields) && (rules == NULL || !*rules);

  if (all)
    {
      if (asset->derivation != NULL)
        {
          if (json_object_has_member (asset->derivation, "held"))
            json_object_remove_member (asset->derivation, "held");
          if (json_object_has_member (asset->derivation, "withheld"))
            json_object_remove_member (asset->derivation, "withheld");
          if (json_object_get_size (asset->derivation) == 0)
            g_clear_pointer (&asset->derivation, json_object_unref);
        }
      forget_inputs (asset);
      return TRUE;
    }
  for (guint i = 0; properties && properties[i]; i++)
    {
      g_autofree char *field = g_strconcat (SYN_FIELD_PROPERTY_PREFIX, properties[i], NULL);

      if (!syn_derivation_release (&asset->derivation, field))
        return invalid (error, "%s: property \"%s\" is not held against the rules", asset->tag, properties[i]);
    }
  for (guint i = 0; fields && fields[i]; i++)
    if (!syn_derivation_release (&asset->derivation, fields[i]))
      return invalid (error, "%s: %s is not held against the rules", asset->tag, fields[i]);
  for (guint i = 0; rules && rules[i]; i++)
    if (!syn_derivation_unwithhold (&asset->derivation, rules[i]))
      return invalid (error, "%s: nothing of rule %s was deleted by a person", asset->tag, rules[i]);
  forget_inputs (asset);
  return TRUE;
}

SynAsset *
syn_asset_editor_reset (SynStore    *store,
                        const char  *project_id,
                        const char  *user_id,
                        const char  *asset_id,
                        JsonObject  *what,
                        char       **correlation_id,
                        GError     **error)
{
  g_auto(GStrv) properties = NULL;
  g_auto(GStrv) fields = NULL;
  g_auto(GStrv) rules = NULL;
  g_autoptr(SynAsset) before = NULL;
  g_autoptr(SynAsset) after = NULL;
  g_autoptr(SynBatch) batch = NULL;
  g_autoptr(SynEvent) event = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (SYN_IS_STORE (store), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);
  g_return_val_if_fail (asset_id != NULL, NULL);
  g_return_val_if_fail (what != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (correlation_id != NULL)
    *correlation_id = NULL;
  if (!check_reset (what, &properties, &fields, &rules, error))
    return NULL;
  if (!(batch = begin_batch (store, project_id, user_id, error)))
    return NULL;
  if (!(before = require_asset (store, project_id, asset_id, &local_error)))
    return fail_batch (batch, error, g_steal_pointer (&local_error)), NULL;
  after = syn_asset_copy (before);
  if (!release (after, properties, fields, rules, &local_error))
    return fail_batch (batch, error, g_steal_pointer (&local_error)), NULL;
  event = syn_batch_update_asset (batch, before, after, NULL, NULL, &local_error);
  if (local_error != NULL)
    return fail_batch (batch, error, g_steal_pointer (&local_error)), NULL;
  if (event == NULL)
    {
      /* nothing was held: nothing to hand back */
      syn_batch_abandon (batch);
      return g_steal_pointer (&before);
    }
  if (!commit_batch (batch, correlation_id, error))
    return NULL;
  return g_steal_pointer (&after);
}
