/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-redo-service.c: redo: a rolled-back batch applied again, exactly, as a batch of its own. */
#include "config.h"

#include "syn-batch-id.h"
#include "syn-batch.h"
#include "syn-engine-error.h"
#include "syn-entity-kind-private.h"
#include "syn-integrity.h"
#include "syn-redo-service.h"

/* Rule definitions come back too: a fourth kind, after the entities. */
#define KIND_RULE    N_KINDS
#define N_REDO_KINDS (N_KINDS + 1)

static const char * const redo_aggregates[N_REDO_KINDS] = {
  SYN_AGGREGATE_ASSET, SYN_AGGREGATE_CABLE, SYN_AGGREGATE_EDGE, SYN_AGGREGATE_RULE,
};

/* Where one batch left one entity, from its events. */
typedef struct
{
  char     *id;
  JsonNode *after;        /* as the batch left it; NULL: deleted */
  char     *rule_id;      /* of the batch's last event on it */
  char     *discipline;
} Change;

/* One rolled-back batch, as redo sees it. */
typedef struct
{
  char       *correlation_id;
  gint64      last_position;
  GPtrArray  *changes[N_REDO_KINDS];   /* Change *, in the order first touched */
} Target;

static void
change_free (Change *change)
{
  g_free (change->id);
  g_clear_pointer (&change->after, json_node_unref);
  g_free (change->rule_id);
  g_free (change->discipline);
  g_free (change);
}

static void
target_free (Target *target)
{
  g_free (target->correlation_id);
  for (guint k = 0; k < N_REDO_KINDS; k++)
    g_clear_pointer (&target->changes[k], g_ptr_array_unref);
  g_free (target);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Target, target_free)

/* Rule definitions' events, as entity_changes says the entities'. */
static const struct
{
  const char *type;
  char        change;
} rule_changes[] = {
  { SYN_EVENT_RULE_DEFINITION_CREATED, 'c' },
  { SYN_EVENT_RULE_DEFINITION_UPDATED, 'u' },
  { SYN_EVENT_RULE_DEFINITION_DELETED, 'd' },
};

/* Which kind an event changes, and how; FALSE for bookkeeping events. */
static gboolean
classify (SynEvent *event, guint *kind, char *change)
{
  for (guint i = 0; i < G_N_ELEMENTS (entity_changes); i++)
    if (g_strcmp0 (event->event_type, entity_changes[i].type) == 0)
      {
        *kind = entity_changes[i].kind;
        *change = entity_changes[i].change;
        return TRUE;
      }
  for (guint i = 0; i < G_N_ELEMENTS (rule_changes); i++)
    if (g_strcmp0 (event->event_type, rule_changes[i].type) == 0)
      {
        *kind = KIND_RULE;
        *change = rule_changes[i].change;
        return TRUE;
      }
  return FALSE;
}

static gboolean
damaged (GError **error, const char *correlation_id, const char *detail)
{
  g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_FAILED,
               "The events of batch %s are damaged: %s", correlation_id, detail);
  return FALSE;
}

/* The entity an event leaves: a creation's payload, an update's "after". */
static JsonNode *
image_after (SynEvent *event, char change)
{
  JsonNode *node = event->payload;

  if (node != NULL && change == 'u')
    node = JSON_NODE_HOLDS_OBJECT (node) ? json_object_get_member (json_node_get_object (node), "after") : NULL;
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? node : NULL;
}

/* Folds the batch's events into one change per entity. NULL without an
 * error when it has none. */
static Target *
target_load (SynStore *store, const char *project_id, const char *correlation_id, GError **error)
{
  g_autoptr(Target) target = g_new0 (Target, 1);
  g_autoptr(GPtrArray) events = NULL;
  GHashTable *by_id[N_REDO_KINDS];

  if (!(events = syn_store_get_events_by_correlation (store, project_id, correlation_id, error)))
    return NULL;
  if (events->len == 0)
    return NULL;
  target->correlation_id = g_strdup (correlation_id);
  for (guint k = 0; k < N_REDO_KINDS; k++)
    {
      target->changes[k] = g_ptr_array_new_with_free_func ((GDestroyNotify) change_free);
      by_id[k] = g_hash_table_new (g_str_hash, g_str_equal);
    }
  for (guint i = 0; i < events->len; i++)
    {
      SynEvent *event = g_ptr_array_index (events, i);
      Change *change;
      JsonNode *after = NULL;
      guint k;
      char how;

      target->last_position = MAX (target->last_position, event->position);
      if (!classify (event, &k, &how))
        continue;
      if (event->aggregate_id == NULL || (how != 'd' && !(after = image_after (event, how))))
        {
          for (guint j = 0; j < N_REDO_KINDS; j++)
            g_hash_table_unref (by_id[j]);
          damaged (error, correlation_id, "an event without its entity");
          return NULL;
        }
      if (!(change = g_hash_table_lookup (by_id[k], event->aggregate_id)))
        {
          change = g_new0 (Change, 1);
          change->id = g_strdup (event->aggregate_id);
          g_ptr_array_add (target->changes[k], change);
          g_hash_table_insert (by_id[k], change->id, change);
        }
      g_clear_pointer (&change->after, json_node_unref);
      change->after = after ? json_node_ref (after) : NULL;
      g_free (change->rule_id);
      change->rule_id = g_strdup (event->rule_id);
      g_free (change->discipline);
      change->discipline = g_strdup (event->discipline);
    }
  for (guint k = 0; k < N_REDO_KINDS; k++)
    g_hash_table_unref (by_id[k]);
  return g_steal_pointer (&target);
}

/* ------------------------------------------------------------------------- */
/* What stands in the way                                                    */

static void
add_blocker (GPtrArray *blockers, const char *correlation_id, const char *ignore)
{
  if (correlation_id == NULL || g_strcmp0 (correlation_id, ignore) == 0 ||
      g_ptr_array_find_with_equal_func (blockers, correlation_id, g_str_equal, NULL))
    return;
  g_ptr_array_add (blockers, g_strdup (correlation_id));
}

static GPtrArray *
change_ids (Target *target, guint kind, gboolean deleted_only)
{
  GPtrArray *ids = g_ptr_array_new ();

  for (guint i = 0; i < target->changes[kind]->len; i++)
    {
      Change *change = g_ptr_array_index (target->changes[kind], i);

      if (!deleted_only || change->after == NULL)
        g_ptr_array_add (ids, change->id);
    }
  return ids;
}

/* Whether the batch changed the definition of one of @rule_ids (a run of a
 * rule has events on it too, which do not count). */
static gboolean
changed_rule_definition (SynStore *store, const char *project_id, const char *correlation_id, GPtrArray *rule_ids,
                         gboolean *changed, GError **error)
{
  g_autoptr(GPtrArray) events = syn_store_get_events_by_correlation (store, project_id, correlation_id, error);

  *changed = FALSE;
  if (events == NULL)
    return FALSE;
  for (guint i = 0; i < events->len && !*changed; i++)
    {
      SynEvent *event = g_ptr_array_index (events, i);

      *changed = !event->is_rolled_back && g_str_has_prefix (event->event_type, "RULE_DEFINITION_") &&
                 g_ptr_array_find_with_equal_func (rule_ids, event->aggregate_id, g_str_equal, NULL);
    }
  return TRUE;
}

/* Whether @correlation_id is a redo of batches all older than @position
 * only: it put back the state they left, the one a target after them
 * starts from (undoing a cascade one batch at a time, oldest first). */
static gboolean
redoes_older_only (SynStore *store, const char *project_id, const char *correlation_id, gint64 position,
                   gboolean *older, GError **error)
{
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) events = NULL;
  guint n_redone = 0;

  *older = FALSE;
  /* a redo starts with BATCH_REDONE: any other batch is read no further */
  if (!(first = syn_store_get_events_by_sequence (store, project_id, correlation_id, 0, 0, error)))
    return FALSE;
  if (first->len == 0 || g_strcmp0 (((SynEvent *) g_ptr_array_index (first, 0))->event_type,
                                    SYN_EVENT_BATCH_REDONE) != 0)
    return TRUE;
  if (!(events = syn_store_get_events_by_correlation (store, project_id, correlation_id, error)))
    return FALSE;
  for (guint i = 0; i < events->len; i++)
    {
      SynEvent *event = g_ptr_array_index (events, i);
      g_autoptr(GPtrArray) original = NULL;

      if (g_strcmp0 (event->event_type, SYN_EVENT_BATCH_REDONE) != 0)
        continue;
      if (!(original = syn_store_get_events_by_correlation (store, project_id, event->aggregate_id, error)))
        return FALSE;
      if (original->len == 0 || ((SynEvent *) g_ptr_array_index (original, original->len - 1))->position >= position)
        return TRUE;
      n_redone++;
    }
  *older = n_redone > 0;
  return TRUE;
}

/* The live batches after the target on the same entities and definitions. */
static gboolean
take_later_batches (SynStore *store, const char *project_id, Target *target, GPtrArray *blockers,
                    const char *ignore, GError **error)
{
  for (guint k = 0; k < N_REDO_KINDS; k++)
    {
      g_autoptr(GPtrArray) ids = change_ids (target, k, FALSE);
      g_autoptr(GPtrArray) later = NULL;

      if (ids->len == 0)
        continue;
      later = syn_store_list_later_batches (store, project_id, redo_aggregates[k], (const char * const *) ids->pdata,
                                            ids->len, target->last_position, error);
      if (later == NULL)
        return FALSE;
      for (guint i = 0; i < later->len; i++)
        {
          const char *batch = g_ptr_array_index (later, i);
          gboolean changed = TRUE;
          gboolean older = FALSE;

          if (g_strcmp0 (batch, ignore) == 0)
            continue;
          if (!redoes_older_only (store, project_id, batch, target->last_position, &older, error))
            return FALSE;
          if (k == KIND_RULE && !changed_rule_definition (store, project_id, batch, ids, &changed, error))
            return FALSE;
          if (changed && !older)
            add_blocker (blockers, batch, ignore);
        }
    }
  return TRUE;
}

/* The assets the target deletes that something else refers to now: the
 * batches that made those referrers. */
static gboolean
take_referrers (SynStore *store, const char *project_id, Target *target, GPtrArray *blockers, const char *ignore,
                GError **error)
{
  g_autoptr(GPtrArray) deleted = change_ids (target, KIND_ASSET, TRUE);
  g_autoptr(GHashTable) goes = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *found[] = {
    g_ptr_array_new_with_free_func (g_free), g_ptr_array_new_with_free_func (g_free),
    g_ptr_array_new_with_free_func (g_free),
  };
  static const guint found_kinds[] = { KIND_EDGE, KIND_CABLE, KIND_ASSET };
  gboolean ok;

  for (guint k = 0; k < N_KINDS; k++)
    for (guint i = 0; i < target->changes[k]->len; i++)
      {
        Change *change = g_ptr_array_index (target->changes[k], i);

        if (change->after == NULL)
          g_hash_table_add (goes, change->id);
      }
  ok = syn_store_list_asset_referrers (store, project_id, (const char * const *) deleted->pdata, deleted->len,
                                       found[0], found[1], found[2], error);
  for (guint f = 0; ok && f < G_N_ELEMENTS (found); f++)
    for (guint i = 0; i < found[f]->len; i++)
      {
        const char *id = g_ptr_array_index (found[f], i);
        g_autofree char *batch = NULL;

        /* what the batch deletes along with the asset is no obstacle */
        if (g_hash_table_contains (goes, id))
          continue;
        batch = syn_integrity_last_batch (store, project_id, redo_aggregates[found_kinds[f]], id, NULL);
        add_blocker (blockers, batch, ignore);
      }
  for (guint f = 0; f < G_N_ELEMENTS (found); f++)
    g_ptr_array_unref (found[f]);
  return ok;
}

/* The ends the target's edges and cables need that a later batch deleted:
 * that batch. (An end that went with a rolled-back batch is said when the
 * redo writes: redo that batch first.) */
static gboolean
take_deleted_ends (SynStore *store, const char *project_id, Target *target, GPtrArray *blockers,
                   const char *ignore, GError **error)
{
  static const char * const edge_ends[] = { "source_asset_id", "target_asset_id" };
  static const char * const cable_ends[] = { "from_asset_id", "to_asset_id" };
  /* the ends known not to matter: made by the target, or looked at already */
  g_autoptr(GHashTable) settled = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < target->changes[KIND_ASSET]->len; i++)
    {
      Change *change = g_ptr_array_index (target->changes[KIND_ASSET], i);

      if (change->after != NULL)
        g_hash_table_add (settled, change->id);
    }
  for (guint k = KIND_CABLE; k <= KIND_EDGE; k++)
    for (guint i = 0; i < target->changes[k]->len; i++)
      {
        Change *change = g_ptr_array_index (target->changes[k], i);
        const char * const *ends = k == KIND_EDGE ? edge_ends : cable_ends;

        for (guint e = 0; change->after != NULL && e < 2; e++)
          {
            const char *end = syn_json_get_string (json_node_get_object (change->after), ends[e]);
            g_autoptr(GError) local_error = NULL;
            g_autoptr(SynAsset) asset = NULL;
            g_autofree char *batch = NULL;

            if (end == NULL || !g_hash_table_add (settled, (gpointer) end))
              continue;
            asset = syn_store_get_asset (store, project_id, end, &local_error);
            if (local_error != NULL)
              {
                g_propagate_error (error, g_steal_pointer (&local_error));
                return FALSE;
              }
            /* gone, and the newest event on it that stands deleted it */
            if (asset == NULL)
              batch = syn_integrity_last_batch (store, project_id, SYN_AGGREGATE_ASSET, end, NULL);
            add_blocker (blockers, batch, ignore);
          }
      }
  return TRUE;
}

static gboolean
take_blockers (SynStore *store, const char *project_id, Target *target, GPtrArray *blockers, const char *ignore,
               GError **error)
{
  return take_later_batches (store, project_id, target, blockers, ignore, error) &&
         take_referrers (store, project_id, target, blockers, ignore, error) &&
         take_deleted_ends (store, project_id, target, blockers, ignore, error);
}

static int
compare_newest_first (gconstpointer a, gconstpointer b)
{
  /* UUID v7: the id's order is its time's */
  return -g_strcmp0 (*(const char **) a, *(const char **) b);
}

/* ------------------------------------------------------------------------- */
/* Which batches                                                             */


/* The batches a redo of @correlation_id applies again, oldest first: the
 * batch itself when it is rolled back, or every batch a rollback's own
 * batch rolled back (its events name them newest first). */
static GPtrArray *
resolve_targets (SynStore *store, const char *project_id, const char *correlation_id, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SynSnapshot) snapshot = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func ((GDestroyNotify) target_free);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  snapshot = syn_store_get_snapshot (store, project_id, correlation_id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (snapshot != NULL)
    {
      if (g_strcmp0 (snapshot->status, SYN_SNAPSHOT_ROLLED_BACK) != 0)
        {
          g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID,
                       "Batch %s is not rolled back: there is nothing to redo", correlation_id);
          return NULL;
        }
      g_ptr_array_add (ids, (gpointer) correlation_id);
    }
  else
    {
      if (!(events = syn_store_get_events_by_correlation (store, project_id, correlation_id, error)))
        return NULL;
      if (events->len == 0)
        {
          g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_NOT_FOUND,
                       "No batch found for correlation_id: %s", correlation_id);
          return NULL;
        }
      for (guint i = events->len; i > 0; i--)
        {
          SynEvent *event = g_ptr_array_index (events, i - 1);

          if (g_strcmp0 (event->event_type, SYN_EVENT_BATCH_ROLLED_BACK) != 0)
            {
              g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID,
                           "Batch %s has no snapshot: it was never rolled back, there is nothing to redo",
                           correlation_id);
              return NULL;
            }
          g_ptr_array_add (ids, event->aggregate_id);
        }
    }

  for (guint i = 0; i < ids->len; i++)
    {
      Target *target = target_load (store, project_id, ids->pdata[i], error);

      if (target == NULL)
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_NOT_FOUND,
                         "No batch found for correlation_id: %s", (char *) ids->pdata[i]);
          return NULL;
        }
      g_ptr_array_add (targets, target);
    }
  return g_steal_pointer (&targets);
}

static GPtrArray *
find_blockers (SynStore *store, const char *project_id, GPtrArray *targets, const char *ignore, GError **error)
{
  g_autoptr(GPtrArray) blockers = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < targets->len; i++)
    if (!take_blockers (store, project_id, g_ptr_array_index (targets, i), blockers, ignore, error))
      return NULL;
  g_ptr_array_sort (blockers, compare_newest_first);
  return g_steal_pointer (&blockers);
}

/* ------------------------------------------------------------------------- */
/* Applying again                                                            */

typedef struct
{
  SynStore   *store;
  SynBatch   *batch;
  const char *project_id;
  gint64      counts[N_REDO_KINDS][3];   /* created, updated, deleted */
  GPtrArray  *deleted_assets;            /* char *, for the check at the end */
  GHashTable *written_ends[N_KINDS];     /* cable and edge ids written (sets), for the check at the end */
} Redo;

enum { CREATED, UPDATED, DELETED };

/* An event back from a write, counted; NULL without an error means "no
 * change" (@error is never NULL here: the caller passes its own). */
static gboolean
wrote (SynEvent *event, gint64 *count, GError **error)
{
  if (event != NULL)
    (*count)++;
  g_clear_object (&event);
  return *error == NULL;
}

/* Deletes the entity as it is now, if it still is. */
static gboolean
delete_current (Redo *redo, guint kind, Change *change, const char *cause, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 *count = &redo->counts[kind][DELETED];

  switch (kind)
    {
    case KIND_ASSET:
      {
        g_autoptr(SynAsset) current = syn_store_get_asset (redo->store, redo->project_id, change->id, &local_error);

        if (current == NULL)
          break;
        g_ptr_array_add (redo->deleted_assets, g_strdup (change->id));
        return wrote (syn_batch_delete_asset (redo->batch, current, change->rule_id, cause, error), count, error);
      }
    case KIND_CABLE:
      {
        g_autoptr(SynCable) current = syn_store_get_cable (redo->store, redo->project_id, change->id, &local_error);

        if (current == NULL)
          break;
        return wrote (syn_batch_delete_cable (redo->batch, current, change->rule_id, cause, error), count, error);
      }
    case KIND_EDGE:
      {
        g_autoptr(SynEdge) current = syn_store_get_edge (redo->store, redo->project_id, change->id, &local_error);

        if (current == NULL)
          break;
        return wrote (syn_batch_delete_edge (redo->batch, current, change->rule_id, cause, error), count, error);
      }
    default:
      g_assert_not_reached ();
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_asset (Redo *redo, Change *change, const char *correlation_id, const char *cause, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SynAsset) asset = syn_asset_from_json (json_node_get_object (change->after), &local_error);
  g_autoptr(SynAsset) current = NULL;

  if (asset == NULL)
    return damaged (error, correlation_id, local_error->message);
  if (!syn_integrity_check_asset_tag (redo->store, asset, error))
    return FALSE;
  current = syn_store_get_asset (redo->store, redo->project_id, asset->id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (current != NULL)
    return wrote (syn_batch_update_asset (redo->batch, current, asset, change->rule_id, cause, error),
                  &redo->counts[KIND_ASSET][UPDATED], error);
  return wrote (syn_batch_create_asset (redo->batch, asset, change->rule_id, cause, error),
                &redo->counts[KIND_ASSET][CREATED], error);
}

static gboolean
write_cable (Redo *redo, Change *change, const char *correlation_id, const char *cause, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SynCable) cable = syn_cable_from_json (json_node_get_object (change->after), &local_error);
  g_autoptr(SynCable) current = NULL;

  if (cable == NULL)
    return damaged (error, correlation_id, local_error->message);
  if (!syn_integrity_check_cable_tag (redo->store, cable, error))
    return FALSE;
  current = syn_store_get_cable (redo->store, redo->project_id, cable->id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_hash_table_add (redo->written_ends[KIND_CABLE], g_strdup (cable->id));
  if (current != NULL)
    return wrote (syn_batch_update_cable (redo->batch, current, cable, change->rule_id, cause, error),
                  &redo->counts[KIND_CABLE][UPDATED], error);
  return wrote (syn_batch_create_cable (redo->batch, cable, change->rule_id, change->discipline, cause, error),
                &redo->counts[KIND_CABLE][CREATED], error);
}

/* Edges have no update: one that differs is replaced under the same id. */
static gboolean
write_edge (Redo *redo, Change *change, const char *correlation_id, const char *cause, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SynEdge) edge = syn_edge_from_json (json_node_get_object (change->after), &local_error);
  g_autoptr(SynEdge) current = NULL;

  if (edge == NULL)
    return damaged (error, correlation_id, local_error->message);
  current = syn_store_get_edge (redo->store, redo->project_id, edge->id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (current != NULL)
    {
      g_autoptr(JsonNode) now = syn_edge_to_json (current);

      if (syn_json_node_equal (now, change->after))
        return TRUE;
      if (!wrote (syn_batch_delete_edge (redo->batch, current, change->rule_id, cause, error),
                  &redo->counts[KIND_EDGE][DELETED], error))
        return FALSE;
    }
  g_hash_table_add (redo->written_ends[KIND_EDGE], g_strdup (edge->id));
  return syn_integrity_check_edge_free (redo->store, edge, error) &&
         wrote (syn_batch_create_edge (redo->batch, edge, change->rule_id, change->discipline, cause, error),
                &redo->counts[KIND_EDGE][CREATED], error);
}

static gboolean
write_rule (Redo *redo, Change *change, const char *correlation_id, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SynRule) current = syn_store_get_rule (redo->store, change->id, &local_error);
  g_autoptr(SynRule) rule = NULL;

  if (local_error != NULL && !g_error_matches (local_error, SYN_STORE_ERROR, SYN_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_clear_error (&local_error);
  if (change->after != NULL && !(rule = syn_rule_from_json (json_node_get_object (change->after), &local_error)))
    return damaged (error, correlation_id, local_error->message);
  if (current == NULL && rule == NULL)
    return TRUE;
  return wrote (syn_batch_save_rule (redo->batch, current, rule, error), &redo->counts[KIND_RULE][UPDATED], error);
}

/* One batch again: BATCH_REDONE, then what goes (what refers to assets
 * first), then assets, cables, edges as it left them, then its rules. */
static gboolean
apply_target (Redo *redo, Target *target, GError **error)
{
  static const guint delete_order[] = { KIND_EDGE, KIND_CABLE, KIND_ASSET };
  g_autoptr(SynEvent) cause = NULL;
  g_autoptr(JsonObject) metadata = json_object_new ();
  JsonObject *payload = json_object_new ();
  const char *cid = target->correlation_id;

  json_object_set_string_member (payload, "original_correlation_id", cid);
  cause = syn_batch_emit (redo->batch, SYN_EVENT_BATCH_REDONE, SYN_AGGREGATE_BATCH, cid,
                          syn_json_node_new_object (payload), NULL, NULL, NULL, error);
  if (cause == NULL)
    return FALSE;
  /* every change says which batch it redoes */
  json_object_set_string_member (metadata, "redo_of", cid);
  syn_batch_set_metadata (redo->batch, metadata);

  for (guint o = 0; o < G_N_ELEMENTS (delete_order); o++)
    {
      guint k = delete_order[o];

      for (guint i = 0; i < target->changes[k]->len; i++)
        {
          Change *change = g_ptr_array_index (target->changes[k], i);

          if (change->after != NULL)
            continue;
          if (!delete_current (redo, k, change, cause->id, error))
            return FALSE;
        }
    }
  for (guint k = 0; k < N_REDO_KINDS; k++)
    for (guint i = 0; i < target->changes[k]->len; i++)
      {
        Change *change = g_ptr_array_index (target->changes[k], i);
        gboolean ok;

        if (change->after == NULL && k != KIND_RULE)
          continue;
        switch (k)
          {
          case KIND_ASSET: ok = write_asset (redo, change, cid, cause->id, error); break;
          case KIND_CABLE: ok = write_cable (redo, change, cid, cause->id, error); break;
          case KIND_EDGE: ok = write_edge (redo, change, cid, cause->id, error); break;
          default: ok = write_rule (redo, change, cid, error); break;
          }
        if (!ok)
          return FALSE;
      }
  syn_batch_set_metadata (redo->batch, NULL);
  return TRUE;
}

/* Before commit: nothing the redo deleted is still referred to, and every
 * edge and cable it wrote has both ends, else who stands in the way. */
static gboolean
check_references (Redo *redo, GError **error)
{
  return syn_integrity_check_unreferenced (redo->store, redo->project_id, redo->deleted_assets, error) &&
         syn_integrity_check_written_ends (redo->store, redo->project_id, redo->written_ends[KIND_CABLE],
                                           redo->written_ends[KIND_EDGE], error);
}

static JsonNode *
summary_node (Redo *redo)
{
  static const char * const verbs[] = { "created", "updated", "deleted" };
  JsonObject *summary = json_object_new ();

  for (guint k = 0; k < N_KINDS; k++)
    for (guint v = 0; v < G_N_ELEMENTS (verbs); v++)
      {
        g_autofree char *name = g_strdup_printf ("%s_%s", kind_names[k], verbs[v]);

        /* edges have no update */
        if (k != KIND_EDGE || v != UPDATED)
          json_object_set_int_member (summary, name, redo->counts[k][v]);
      }
  json_object_set_int_member (summary, "rules_changed", redo->counts[KIND_RULE][UPDATED]);
  return syn_json_node_new_object (summary);
}

/* Runs under the batch's write lock, so that every check holds until commit. */
static JsonNode *
redo_locked (Redo *redo, const char *correlation_id, GError **error)
{
  g_autoptr(GPtrArray) targets = NULL;
  g_autoptr(GPtrArray) blockers = NULL;
  g_autoptr(JsonArray) redone = json_array_new ();
  JsonObject *answer;

  if (!syn_store_lock_project (redo->store, redo->project_id, error) ||
      !(targets = resolve_targets (redo->store, redo->project_id, correlation_id, error)) ||
      !(blockers = find_blockers (redo->store, redo->project_id, targets,
                                  syn_batch_get_correlation_id (redo->batch), error)))
    return NULL;
  if (blockers->len > 0)
    {
      g_autofree char *list = NULL;

      g_ptr_array_add (blockers, NULL);
      list = g_strjoinv (", ", (char **) blockers->pdata);
      g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_ROLLBACK_BLOCKED,
                   "Batch %s cannot be redone: later batches changed what it changed, or refer to it: %s",
                   correlation_id, list);
      return NULL;
    }

  for (guint i = 0; i < targets->len; i++)
    {
      Target *target = g_ptr_array_index (targets, i);

      if (!apply_target (redo, target, error))
        {
          g_prefix_error (error, "Cannot redo batch %s: ", target->correlation_id);
          return NULL;
        }
      json_array_add_string_element (redone, target->correlation_id);
    }
  if (!check_references (redo, error))
    {
      g_prefix_error (error, "Cannot redo batch %s: ", correlation_id);
      return NULL;
    }

  answer = json_object_new ();
  json_object_set_string_member (answer, "status", "redone");
  json_object_set_string_member (answer, "correlation_id", correlation_id);
  json_object_set_array_member (answer, "redone", g_steal_pointer (&redone));
  json_object_set_string_member (answer, "redo_correlation_id", syn_batch_get_correlation_id (redo->batch));
  json_object_set_member (answer, "summary", summary_node (redo));
  return syn_json_node_new_object (answer);
}

/* ------------------------------------------------------------------------- */
/* Public API                                                                */

JsonNode *
syn_redo_service_redo (SynStore    *store,
                       const char  *project_id,
                       const char  *correlation_id,
                       const char  *user_id,
                       GError     **error)
{
  g_autoptr(SynBatch) batch = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) local_error = NULL;
  Redo redo = { 0 };

  g_return_val_if_fail (SYN_IS_STORE (store), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  /* the batch must own its transaction, or a failure could not undo it all */
  g_return_val_if_fail (!syn_store_in_transaction (store), NULL);

  if (!syn_batch_id_check_full (correlation_id, SYN_ENGINE_ERROR_INVALID, error))
    return NULL;
  /* opened first: the checks then hold until commit, and of two redos of
   * one batch the second sees the first's */
  if (!(batch = syn_batch_begin (store, project_id, user_id, error)))
    return NULL;

  redo.store = store;
  redo.batch = batch;
  redo.project_id = project_id;
  redo.deleted_assets = g_ptr_array_new_with_free_func (g_free);
  for (guint k = KIND_CABLE; k <= KIND_EDGE; k++)
    redo.written_ends[k] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  answer = redo_locked (&redo, correlation_id, &local_error);
  g_ptr_array_unref (redo.deleted_assets);
  for (guint k = KIND_CABLE; k <= KIND_EDGE; k++)
    g_hash_table_unref (redo.written_ends[k]);
  if (answer == NULL)
    {
      syn_batch_abandon (batch);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (!syn_batch_commit (batch, error))
    return NULL;
  return g_steal_pointer (&answer);
}

GPtrArray *
syn_redo_service_find_blockers (SynStore    *store,
                                const char  *project_id,
                                const char  *correlation_id,
                                GError     **error)
{
  g_autoptr(GPtrArray) targets = NULL;

  g_return_val_if_fail (SYN_IS_STORE (store), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  if (!syn_batch_id_check_full (correlation_id, SYN_ENGINE_ERROR_INVALID, error) ||
      !(targets = resolve_targets (store, project_id, correlation_id, error)))
    return NULL;
  return find_blockers (store, project_id, targets, NULL, error);
}
