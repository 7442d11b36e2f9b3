/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-tag-history.c: the assets and cables that have or had a tag, deleted ones too, newest first. */
#include "config.h"

#include "syn-engine-error.h"
#include "syn-tag-history.h"

typedef struct
{
  gint64      position;     /* of the newest event that gave it the tag; G_MAXINT64: none */
  JsonObject *entity;
} Found;

static void
found_clear (gpointer data)
{
  Found *found = data;

  g_clear_pointer (&found->entity, json_object_unref);
}

static int
newest_first (gconstpointer a, gconstpointer b)
{
  const Found *x = a, *y = b;

  return (x->position < y->position) - (x->position > y->position);
}

/* The entity an event carries: the payload of a creation or deletion,
 * "after" of an update. */
static JsonObject *
entity_of (SynEvent *event)
{
  JsonObject *payload = event->payload && JSON_NODE_HOLDS_OBJECT (event->payload)
                        ? json_node_get_object (event->payload) : NULL;
  JsonNode *after = payload ? json_object_get_member (payload, "after") : NULL;

  if (after != NULL && JSON_NODE_HOLDS_OBJECT (after))
    return json_node_get_object (after);
  return payload;
}

static JsonObject *
entity_new (const char *kind, const char *id, const char *tag, const char *type, gboolean deleted,
            gint64 last_seen)
{
  JsonObject *o = json_object_new ();
  g_autofree char *when = last_seen != 0 ? syn_time_to_iso8601 (last_seen) : NULL;

  json_object_set_string_member (o, "kind", kind);
  json_object_set_string_member (o, "id", id);
  json_object_set_string_member (o, "tag", tag);
  syn_json_set_string_or_null (o, "type", type);
  json_object_set_boolean_member (o, "deleted", deleted);
  syn_json_set_string_or_null (o, "last_seen", when);
  return o;
}

/* The entities of one kind: from the events that gave them the tag, with
 * what they are now (or were when deleted); and one that has the tag
 * without any event (written before events, or by hand). */
static gboolean
find_kind (SynStore *store, const char *project_id, const char *tag, gboolean cables, GArray *out,
           GError **error)
{
  const char *kind = cables ? "cable" : "asset";
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(SynAsset) live_asset = NULL;
  g_autoptr(SynCable) live_cable = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *live_id = NULL;
  gboolean live_seen = FALSE;

  if (!(events = syn_store_find_tag_events (store, project_id, cables ? SYN_AGGREGATE_CABLE : SYN_AGGREGATE_ASSET,
                                            tag, error)))
    return FALSE;
  if (cables)
    live_cable = syn_store_get_cable_by_tag (store, project_id, tag, &local_error);
  else
    live_asset = syn_store_get_asset_by_tag (store, project_id, tag, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  live_id = live_cable ? live_cable->id : live_asset ? live_asset->id : NULL;

  for (guint i = 0; i < events->len; i++)
    {
      SynEvent *e = g_ptr_array_index (events, i);
      JsonObject *was = entity_of (e);
      g_autoptr(SynAsset) asset = NULL;
      g_autoptr(SynCable) cable = NULL;
      const char *now_tag, *type;
      Found found;

      if (cables)
        cable = syn_store_get_cable (store, project_id, e->aggregate_id, &local_error);
      else
        asset = syn_store_get_asset (store, project_id, e->aggregate_id, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      now_tag = cable ? cable->tag : asset ? asset->tag : tag;
      type = cable ? cable->cable_type : asset ? asset->type
             : was ? syn_json_get_string (was, cables ? "cable_type" : "type") : NULL;
      found.position = e->position;
      found.entity = entity_new (kind, e->aggregate_id, now_tag, type, asset == NULL && cable == NULL, e->timestamp);
      g_array_append_val (out, found);
      live_seen = live_seen || g_strcmp0 (e->aggregate_id, live_id) == 0;
    }
  if (live_id != NULL && !live_seen)
    {
      Found found = { G_MAXINT64, entity_new (kind, live_id, tag, cables ? live_cable->cable_type : live_asset->type,
                                              FALSE, 0) };

      g_array_append_val (out, found);
    }
  return TRUE;
}

/* Every asset and cable of @project_id that has or had @tag (@kind "asset"
 * or "cable" for one kind, NULL for both), rolled-back events left out:
 * {tag, entities: [{kind, id, tag (now, or when last seen), type, deleted,
 * last_seen}]}, newest first by the last event that gave it the tag (one
 * that has it without any event comes first). */
JsonNode *
syn_tag_history_find (SynStore *store, const char *project_id, const char *tag, const char *kind, GError **error)
{
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (Found));
  JsonObject *answer;
  JsonArray *entities;

  g_return_val_if_fail (SYN_IS_STORE (store), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);
  g_return_val_if_fail (tag != NULL, NULL);

  g_array_set_clear_func (found, found_clear);
  if (kind != NULL && g_strcmp0 (kind, "asset") != 0 && g_strcmp0 (kind, "cable") != 0)
    {
      g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID,
                   "kind: \"%s\" is not asset or cable", kind);
      return NULL;
    }
  if ((g_strcmp0 (kind, "cable") != 0 && !find_kind (store, project_id, tag, FALSE, found, error)) ||
      (g_strcmp0 (kind, "asset") != 0 && !find_kind (store, project_id, tag, TRUE, found, error)))
    return NULL;
  g_array_sort (found, newest_first);

  entities = json_array_sized_new (found->len);
  for (guint i = 0; i < found->len; i++)
    json_array_add_object_element (entities, json_object_ref (g_array_index (found, Found, i).entity));
  answer = json_object_new ();
  json_object_set_string_member (answer, "tag", tag);
  json_object_set_array_member (answer, "entities", entities);
  return syn_json_node_new_object (answer);
}
