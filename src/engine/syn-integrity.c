/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-integrity.c: no edge or cable points at an asset that does not exist: verify, repair, and the checks rollback and redo make. */
#include "config.h"

#include "syn-batch.h"
#include "syn-engine-error.h"
#include "syn-integrity.h"

/* Events read per page when looking back through one entity's history. */
#define HISTORY_PAGE 200

/* ------------------------------------------------------------------------- */
/* Who did what to an entity                                                 */

/* A page of one entity's events, newest first. */
static GPtrArray *
entity_events (SynStore    *store,
               const char  *project_id,
               const char  *aggregate_type,
               const char  *aggregate_id,
               gboolean     include_rolled_back,
               guint        limit,
               guint64      offset,
               GError     **error)
{
  g_autoptr(SynEventQuery) query = syn_event_query_new (project_id);

  query->aggregate_types = g_new0 (char *, 2);
  query->aggregate_types[0] = g_strdup (aggregate_type);
  query->aggregate_id = g_strdup (aggregate_id);
  query->include_rolled_back = include_rolled_back;
  query->limit = limit;
  query->offset = offset;
  return syn_store_query_events (store, query, NULL, error);
}

char *
syn_integrity_last_batch (SynStore    *store,
                          const char  *project_id,
                          const char  *aggregate_type,
                          const char  *aggregate_id,
                          GError     **error)
{
  g_autoptr(GPtrArray) events = NULL;

  g_return_val_if_fail (SYN_IS_STORE (store), NULL);

  if (!(events = entity_events (store, project_id, aggregate_type, aggregate_id, FALSE, 1, 0, error)))
    return NULL;
  return events->len > 0 ? g_strdup (((SynEvent *) events->pdata[0])->correlation_id) : NULL;
}

/* The entity a *_CREATED payload or an *_UPDATED "after" holds. */
static JsonObject *
image_after (SynEvent *event)
{
  JsonObject *payload;
  JsonNode *after;

  if (event->payload == NULL || !JSON_NODE_HOLDS_OBJECT (event->payload))
    return NULL;
  payload = json_node_get_object (event->payload);
  if (!g_str_has_suffix (event->event_type, "_UPDATED"))
    return payload;
  after = json_object_get_member (payload, "after");
  return after != NULL && JSON_NODE_HOLDS_OBJECT (after) ? json_node_get_object (after) : NULL;
}

/* The batch whose event gave the entity the tag it still has: its creation,
 * or the newest rename to it. NULL when no event says (a row written
 * without one). */
static char *
batch_of_tag (SynStore *store, const char *project_id, const char *aggregate_type, const char *id, const char *tag)
{
  for (guint64 offset = 0;; offset += HISTORY_PAGE)
    {
      g_autoptr(GPtrArray) events = entity_events (store, project_id, aggregate_type, id, FALSE, HISTORY_PAGE,
                                                   offset, NULL);

      if (events == NULL || events->len == 0)
        return NULL;
      for (guint i = 0; i < events->len; i++)
        {
          SynEvent *event = g_ptr_array_index (events, i);
          JsonObject *image = image_after (event);
          JsonObject *payload = event->payload && JSON_NODE_HOLDS_OBJECT (event->payload)
            ? json_node_get_object (event->payload) : NULL;
          JsonNode *diff = payload ? json_object_get_member (payload, "diff") : NULL;
          gboolean created = g_str_has_suffix (event->event_type, "_CREATED");
          gboolean renamed = g_str_has_suffix (event->event_type, "_UPDATED") && diff != NULL &&
                             JSON_NODE_HOLDS_OBJECT (diff) && json_object_has_member (json_node_get_object (diff), "tag");

          if ((created || renamed) && image != NULL && g_strcmp0 (syn_json_get_string (image, "tag"), tag) == 0)
            return g_strdup (event->correlation_id);
        }
      if (events->len < HISTORY_PAGE)
        return NULL;
    }
}

static gboolean
conflict (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
conflict (GError **error, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_CONFLICT, message);
  return FALSE;
}

/* "tag X is in use by asset Y since batch Z" */
static gboolean
tag_taken (SynStore *store, GError **error, const char *project_id, const char *kind, const char *aggregate_type,
           const char *tag, const char *holder_id)
{
  g_autofree char *since = batch_of_tag (store, project_id, aggregate_type, holder_id, tag);

  if (since != NULL)
    return conflict (error, "tag %s is in use by %s %s since batch %s", tag, kind, holder_id, since);
  return conflict (error, "tag %s is in use by %s %s", tag, kind, holder_id);
}

gboolean
syn_integrity_check_asset_tag (SynStore *store, SynAsset *asset, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SynAsset) holder = NULL;

  g_return_val_if_fail (SYN_IS_STORE (store), FALSE);
  g_return_val_if_fail (SYN_IS_ASSET (asset), FALSE);

  holder = syn_store_get_asset_by_tag (store, asset->project_id, asset->tag, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (holder == NULL || g_strcmp0 (holder->id, asset->id) == 0)
    return TRUE;
  return tag_taken (store, error, asset->project_id, "asset", SYN_AGGREGATE_ASSET, asset->tag, holder->id);
}

gboolean
syn_integrity_check_cable_tag (SynStore *store, SynCable *cable, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SynCable) holder = NULL;

  g_return_val_if_fail (SYN_IS_STORE (store), FALSE);
  g_return_val_if_fail (SYN_IS_CABLE (cable), FALSE);

  holder = syn_store_get_cable_by_tag (store, cable->project_id, cable->tag, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (holder == NULL || g_strcmp0 (holder->id, cable->id) == 0)
    return TRUE;
  return tag_taken (store, error, cable->project_id, "cable", SYN_AGGREGATE_CABLE, cable->tag, holder->id);
}

gboolean
syn_integrity_check_edge_free (SynStore *store, SynEdge *edge, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SynEdge) twin = NULL;
  g_autofree char *since = NULL;

  g_return_val_if_fail (SYN_IS_STORE (store), FALSE);
  g_return_val_if_fail (SYN_IS_EDGE (edge), FALSE);

  twin = syn_store_find_edge (store, edge->project_id, edge->source_asset_id, edge->target_asset_id, edge->relation,
                              &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (twin == NULL || g_strcmp0 (twin->id, edge->id) == 0)
    return TRUE;
  since = syn_integrity_last_batch (store, edge->project_id, SYN_AGGREGATE_EDGE, twin->id, NULL);
  return conflict (error, "asset %s %s asset %s already, by edge %s%s%s", edge->source_asset_id, edge->relation,
                   edge->target_asset_id, twin->id, since ? " since batch " : "", since ? since : "");
}

/* ------------------------------------------------------------------------- */
/* Ends                                                                      */

/* Why an asset is not there, as the end of "which ...". */
static char *
why_missing (SynStore *store, const char *project_id, const char *asset_id)
{
  g_autoptr(GPtrArray) events = entity_events (store, project_id, SYN_AGGREGATE_ASSET, asset_id, TRUE, 1, 0, NULL);
  SynEvent *newest = events && events->len > 0 ? events->pdata[0] : NULL;

  if (newest == NULL)
    return g_strdup ("does not exist");
  if (newest->is_rolled_back)
    return g_strdup_printf ("is gone since batch %s, which made it, was rolled back", newest->correlation_id);
  if (g_strcmp0 (newest->event_type, SYN_EVENT_ASSET_DELETED) == 0)
    return g_strdup_printf ("batch %s deleted", newest->correlation_id);
  return g_strdup ("does not exist");
}

static gboolean
check_end (SynStore *store, const char *project_id, const char *what, const char *asset_id, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SynAsset) asset = NULL;
  g_autofree char *why = NULL;

  if (asset_id == NULL)
    return TRUE;
  asset = syn_store_get_asset (store, project_id, asset_id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (asset != NULL)
    return TRUE;
  why = why_missing (store, project_id, asset_id);
  return conflict (error, "%s would refer to asset %s, which %s", what, asset_id, why);
}

static gboolean
check_edge_ends (SynStore *store, SynEdge *edge, GError **error)
{
  g_autofree char *what = NULL;

  what = g_strdup_printf ("the \"%s\" edge %s", edge->relation, edge->id);
  return check_end (store, edge->project_id, what, edge->source_asset_id, error) &&
         check_end (store, edge->project_id, what, edge->target_asset_id, error);
}

static gboolean
check_cable_ends (SynStore *store, SynCable *cable, GError **error)
{
  g_autofree char *what = NULL;

  what = g_strdup_printf ("cable %s", cable->tag);
  return check_end (store, cable->project_id, what, cable->from_asset_id, error) &&
         check_end (store, cable->project_id, what, cable->to_asset_id, error);
}

gboolean
syn_integrity_check_written_ends (SynStore    *store,
                                  const char  *project_id,
                                  GHashTable  *cable_ids,
                                  GHashTable  *edge_ids,
                                  GError     **error)
{
  g_autoptr(GPtrArray) edges = NULL;
  g_autoptr(GPtrArray) cables = NULL;

  g_return_val_if_fail (SYN_IS_STORE (store), FALSE);

  /* two queries whatever the size of the batch; a row that dangled before
   * (an old database, not repaired yet) is none of this batch's doing */
  if (!(edges = syn_store_list_dangling_edges (store, project_id, error)) ||
      !(cables = syn_store_list_dangling_cables (store, project_id, error)))
    return FALSE;
  for (guint i = 0; i < edges->len; i++)
    {
      SynEdge *edge = g_ptr_array_index (edges, i);

      if (edge_ids != NULL && g_hash_table_contains (edge_ids, edge->id) &&
          !check_edge_ends (store, edge, error))
        return FALSE;
    }
  for (guint i = 0; i < cables->len; i++)
    {
      SynCable *cable = g_ptr_array_index (cables, i);

      if (cable_ids != NULL && g_hash_table_contains (cable_ids, cable->id) &&
          !check_cable_ends (store, cable, error))
        return FALSE;
    }
  return TRUE;
}

/* Adds the batch that last wrote each entity to @batches (a set), in the
 * order first seen into @order. */
static void
blame (SynStore *store, const char *project_id, const char *aggregate_type, GPtrArray *ids,
       GHashTable *batches, GPtrArray *order)
{
  for (guint i = 0; i < ids->len; i++)
    {
      char *batch = syn_integrity_last_batch (store, project_id, aggregate_type, ids->pdata[i], NULL);

      if (batch == NULL || g_hash_table_contains (batches, batch))
        {
          g_free (batch);
          continue;
        }
      g_hash_table_add (batches, batch);
      g_ptr_array_add (order, batch);
    }
}

gboolean
syn_integrity_check_unreferenced (SynStore *store, const char *project_id, GPtrArray *asset_ids, GError **error)
{
  g_autoptr(GPtrArray) edges = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) cables = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) batches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  g_autoptr(GString) names = g_string_new (NULL);

  g_return_val_if_fail (SYN_IS_STORE (store), FALSE);

  if (asset_ids == NULL || asset_ids->len == 0)
    return TRUE;
  if (!syn_store_list_asset_referrers (store, project_id, (const char * const *) asset_ids->pdata, asset_ids->len,
                                       edges, cables, NULL, error))
    return FALSE;
  if (edges->len == 0 && cables->len == 0)
    return TRUE;
  blame (store, project_id, SYN_AGGREGATE_EDGE, edges, batches, order);
  blame (store, project_id, SYN_AGGREGATE_CABLE, cables, batches, order);
  for (guint i = 0; i < order->len; i++)
    g_string_append_printf (names, "%s%s", i ? ", " : "", (char *) order->pdata[i]);
  return conflict (error, "%u edge%s and %u cable%s would refer to assets it deletes%s%s",
                   edges->len, edges->len == 1 ? "" : "s", cables->len, cables->len == 1 ? "" : "s",
                   order->len ? "; they come from batches " : "", names->str);
}

/* ------------------------------------------------------------------------- */
/* Verify                                                                    */

/* The ends of a row that are no asset of its project. */
static JsonArray *
missing_ends (SynStore *store, const char *project_id, const char *a, const char *b, GError **error)
{
  g_autoptr(JsonArray) missing = json_array_new ();
  const char *ends[] = { a, b };

  for (guint i = 0; i < G_N_ELEMENTS (ends); i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(SynAsset) asset = NULL;

      if (ends[i] == NULL || (i == 1 && g_strcmp0 (a, b) == 0))
        continue;
      asset = syn_store_get_asset (store, project_id, ends[i], &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (asset == NULL)
        json_array_add_string_element (missing, ends[i]);
    }
  return g_steal_pointer (&missing);
}

/* One finding of the references check: @row (taken) is the entity, @what
 * names it in the message. */
static gboolean
add_dangling (SynStore *store, const char *project_id, JsonArray *findings, const char *kind,
              const char *aggregate_type, const char *id, const char *what, JsonNode *row,
              const char *a, const char *b, GError **error)
{
  g_autoptr(JsonNode) owned = row;
  g_autoptr(JsonArray) missing = NULL;
  g_autoptr(GString) message = g_string_new (NULL);
  g_autofree char *batch = NULL;
  JsonObject *finding;

  if (!(missing = missing_ends (store, project_id, a, b, error)))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (missing); i++)
    {
      const char *asset_id = json_array_get_string_element (missing, i);
      g_autofree char *why = why_missing (store, project_id, asset_id);

      g_string_append_printf (message, "%s%s refers to asset %s, which %s", i ? "; " : "", what, asset_id, why);
    }
  batch = syn_integrity_last_batch (store, project_id, aggregate_type, id, NULL);

  finding = json_object_new ();
  json_object_set_string_member (finding, "check", SYN_INTEGRITY_CHECK);
  json_object_set_string_member (finding, "kind", kind);
  json_object_set_string_member (finding, "entity_type", aggregate_type);
  json_object_set_string_member (finding, "entity_id", id);
  syn_json_set_string_or_null (finding, "batch", batch);
  json_object_set_string_member (finding, "message", message->str);
  json_object_set_array_member (finding, "missing_asset_ids", g_steal_pointer (&missing));
  json_object_set_member (finding, "entity", g_steal_pointer (&owned));
  json_array_add_object_element (findings, finding);
  return TRUE;
}

gboolean
syn_integrity_find_dangling (SynStore *store, const char *project_id, JsonArray *findings, GError **error)
{
  g_autoptr(GPtrArray) edges = NULL;
  g_autoptr(GPtrArray) cables = NULL;

  g_return_val_if_fail (SYN_IS_STORE (store), FALSE);
  g_return_val_if_fail (project_id != NULL, FALSE);
  g_return_val_if_fail (findings != NULL, FALSE);

  if (!(edges = syn_store_list_dangling_edges (store, project_id, error)) ||
      !(cables = syn_store_list_dangling_cables (store, project_id, error)))
    return FALSE;
  for (guint i = 0; i < edges->len; i++)
    {
      SynEdge *edge = g_ptr_array_index (edges, i);
      g_autofree char *what = g_strdup_printf ("the \"%s\" edge %s", edge->relation, edge->id);

      if (!add_dangling (store, project_id, findings, "dangling_edge", SYN_AGGREGATE_EDGE, edge->id, what,
                         syn_edge_to_json (edge), edge->source_asset_id, edge->target_asset_id, error))
        return FALSE;
    }
  for (guint i = 0; i < cables->len; i++)
    {
      SynCable *cable = g_ptr_array_index (cables, i);
      g_autofree char *what = g_strdup_printf ("cable %s", cable->tag);

      if (!add_dangling (store, project_id, findings, "dangling_cable", SYN_AGGREGATE_CABLE, cable->id, what,
                         syn_cable_to_json (cable), cable->from_asset_id, cable->to_asset_id, error))
        return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------- */
/* Repair                                                                    */

/* Metadata of one deletion: which of its ends are missing. */
static JsonObject *
deletion_reason (SynStore *store, const char *project_id, const char *a, const char *b, GError **error)
{
  g_autoptr(JsonObject) reason = json_object_new ();
  JsonArray *missing = missing_ends (store, project_id, a, b, error);

  if (missing == NULL)
    return NULL;
  json_object_set_string_member (reason, "reason", "missing_asset");
  json_object_set_array_member (reason, "missing_asset_ids", missing);
  return g_steal_pointer (&reason);
}

/* Under the project's lock: what dangles, and (unless @dry_run) its deletion
 * with events, caused by one INTEGRITY_REPAIRED. */
static JsonNode *
repair_locked (SynBatch *batch, const char *project_id, gboolean dry_run, gboolean *wrote, GError **error)
{
  SynStore *store = syn_batch_get_store (batch);
  g_autoptr(GPtrArray) edges = NULL;
  g_autoptr(GPtrArray) cables = NULL;
  g_autoptr(JsonArray) findings = json_array_new ();
  g_autoptr(SynEvent) cause = NULL;
  gboolean any;
  JsonObject *answer;

  if (!syn_store_lock_project (store, project_id, error) ||
      !syn_integrity_find_dangling (store, project_id, findings, error) ||
      !(edges = syn_store_list_dangling_edges (store, project_id, error)) ||
      !(cables = syn_store_list_dangling_cables (store, project_id, error)))
    return NULL;

  any = edges->len > 0 || cables->len > 0;
  *wrote = any && !dry_run;
  if (*wrote)
    {
      JsonObject *payload = json_object_new ();

      json_object_set_string_member (payload, "reason",
                                     "edges and cables that refer to assets that do not exist, "
                                     "written before the database checked references");
      json_object_set_int_member (payload, "edges", edges->len);
      json_object_set_int_member (payload, "cables", cables->len);
      cause = syn_batch_emit (batch, SYN_EVENT_INTEGRITY_REPAIRED, SYN_AGGREGATE_BATCH,
                              syn_batch_get_correlation_id (batch), syn_json_node_new_object (payload),
                              NULL, NULL, NULL, error);
      if (cause == NULL)
        return NULL;
    }
  for (guint i = 0; *wrote && i < edges->len; i++)
    {
      SynEdge *edge = g_ptr_array_index (edges, i);
      g_autoptr(JsonObject) reason = deletion_reason (store, project_id, edge->source_asset_id,
                                                      edge->target_asset_id, error);
      g_autoptr(SynEvent) event = NULL;

      if (reason == NULL)
        return NULL;
      syn_batch_set_metadata (batch, reason);
      if (!(event = syn_batch_delete_edge (batch, edge, NULL, cause->id, error)))
        return NULL;
    }
  for (guint i = 0; *wrote && i < cables->len; i++)
    {
      SynCable *cable = g_ptr_array_index (cables, i);
      g_autoptr(JsonObject) reason = deletion_reason (store, project_id, cable->from_asset_id,
                                                      cable->to_asset_id, error);
      g_autoptr(SynEvent) event = NULL;

      if (reason == NULL)
        return NULL;
      syn_batch_set_metadata (batch, reason);
      if (!(event = syn_batch_delete_cable (batch, cable, NULL, cause->id, error)))
        return NULL;
    }
  syn_batch_set_metadata (batch, NULL);

  answer = json_object_new ();
  json_object_set_string_member (answer, "status", !any ? "nothing_to_repair" : dry_run ? "dry_run" : "repaired");
  json_object_set_string_member (answer, "project_id", project_id);
  syn_json_set_string_or_null (answer, "correlation_id", *wrote ? syn_batch_get_correlation_id (batch) : NULL);
  json_object_set_int_member (answer, "edges_deleted", dry_run ? 0 : edges->len);
  json_object_set_int_member (answer, "cables_deleted", dry_run ? 0 : cables->len);
  json_object_set_array_member (answer, "findings", g_steal_pointer (&findings));
  return syn_json_node_new_object (answer);
}

JsonNode *
syn_integrity_repair (SynStore    *store,
                      const char  *project_id,
                      const char  *user_id,
                      gboolean     dry_run,
                      GError     **error)
{
  g_autoptr(SynBatch) batch = NULL;
  g_autoptr(JsonNode) answer = NULL;
  gboolean wrote = FALSE;
  gboolean valid = FALSE;

  g_return_val_if_fail (SYN_IS_STORE (store), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);
  g_return_val_if_fail (!syn_store_in_transaction (store), NULL);

  /* the listing is read under the project's lock: nothing comes between it
   * and the deletions */
  if (!(batch = syn_batch_begin (store, project_id, user_id, error)))
    return NULL;
  answer = repair_locked (batch, project_id, dry_run, &wrote, error);
  if (answer == NULL || !wrote)
    {
      /* a dry run, or nothing to repair, makes no batch and no event */
      syn_batch_abandon (batch);
      if (answer == NULL)
        return NULL;
    }
  else if (!syn_batch_commit (batch, error))
    return NULL;
  if (dry_run)
    return g_steal_pointer (&answer);

  /* other projects may still break the constraints: then they stay as they
   * are, enforced on every new row */
  if (!syn_store_validate_references (store, &valid, error))
    return NULL;
  json_object_set_boolean_member (json_node_get_object (answer), "constraints_valid", valid);
  return g_steal_pointer (&answer);
}
