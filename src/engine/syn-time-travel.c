/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-time-travel.c: a project as of any moment, and the difference between two moments, from the replay. */
#include "config.h"

#include <string.h>

#include "syn-engine-error.h"
#include "syn-entity-kind-private.h"
#include "syn-moment.h"
#include "syn-state-checkpoint.h"
#include "syn-state-replay.h"
#include "syn-time-travel.h"

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static JsonObject *
moment_object (SynStore *store, const char *project_id, const char *moment, gint64 position, GError **error)
{
  JsonObject *o = json_object_new ();
  g_autoptr(GPtrArray) at = NULL;

  json_object_set_string_member (o, "moment", moment ? moment : "now");
  json_object_set_int_member (o, "position", position);
  /* the time of the last event folded */
  if (position > 0 && (at = syn_store_list_events_after (store, project_id, position - 1, 1, error)) != NULL &&
      at->len > 0 && ((SynEvent *) g_ptr_array_index (at, 0))->position == position)
    {
      SynEvent *e = g_ptr_array_index (at, 0);
      g_autofree char *when = syn_time_to_iso8601 (e->timestamp);

      json_object_set_string_member (o, "timestamp", when);
      json_object_set_string_member (o, "correlation_id", e->correlation_id);
      json_object_set_string_member (o, "head_hash", e->hash);
    }
  return o;
}

/* From the newest checkpoint at or before @position. */
static SynStateReplay *
replay_to (SynStore *store, const char *project_id, gint64 position, GError **error)
{
  return syn_state_checkpoint_replay_to (store, project_id, position, error);
}

static gboolean
require_project (SynStore *store, const char *project_id, GError **error)
{
  g_autoptr(SynProject) project = syn_store_get_project (store, project_id, error);

  if (project == NULL && error != NULL && *error == NULL)
    g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_NOT_FOUND, "No project %s", project_id);
  return project != NULL;
}

char *
syn_time_travel_state_text (SynStore *store, const char *project_id, const char *moment, GError **error)
{
  g_autoptr(SynStateReplay) replay = NULL;
  g_autoptr(JsonObject) as_of = NULL;
  g_autofree char *hash = NULL;
  GString *out;
  gint64 position = 0;

  g_return_val_if_fail (SYN_IS_STORE (store), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  if (!require_project (store, project_id, error) ||
      !syn_moment_resolve (store, project_id, moment, &position, error) ||
      !(replay = replay_to (store, project_id, position, error)))
    return NULL;
  hash = syn_state_replay_hash (replay);
  as_of = moment_object (store, project_id, moment, position, error);
  /* written from the entities' canonical texts: building an object per
   * entity cost more than the replay (issue 15) */
  out = g_string_sized_new (4096);
  g_string_append (out, "{\"project_id\":");
  syn_json_canonical_append_string (out, project_id);
  g_string_append (out, ",\"as_of\":");
  {
    g_autoptr(JsonNode) node = syn_json_node_new_object (json_object_ref (as_of));

    syn_json_canonical_append (out, node);
  }
  g_string_append (out, ",\"state_hash\":");
  syn_json_canonical_append_string (out, hash);
  g_string_append (out, ",\"counts\":{");
  for (guint k = 0; k < N_KINDS; k++)
    g_string_append_printf (out, "%s\"%s\":%u", k ? "," : "", kind_names[k],
                            syn_state_replay_count (replay, kind_aggregates[k]));
  g_string_append_c (out, '}');
  for (guint k = 0; k < N_KINDS; k++)
    {
      g_string_append_printf (out, ",\"%s\":", kind_names[k]);
      syn_state_replay_append_sorted (replay, kind_aggregates[k], out);
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

JsonNode *
syn_time_travel_state (SynStore *store, const char *project_id, const char *moment, GError **error)
{
  g_autofree char *text = syn_time_travel_state_text (store, project_id, moment, error);
  JsonNode *node;

  if (text == NULL)
    return NULL;
  node = syn_json_parse_trusted (text, strlen (text));
  /* written above from canonical texts */
  g_assert (node != NULL);
  return node;
}

/* ------------------------------------------------------------------------- */
/* Diff                                                                      */

/* Who touched what between the two moments: id -> JsonArray of batches. */
typedef struct
{
  GHashTable *touched[N_KINDS];
} Touches;

static void
touch (Touches *t, EntityKind k, const char *id, const SynEventText *e)
{
  JsonArray *batches = g_hash_table_lookup (t->touched[k], id);
  guint n;
  JsonObject *b;
  g_autofree char *when = NULL;

  if (batches == NULL)
    {
      batches = json_array_new ();
      g_hash_table_insert (t->touched[k], g_strdup (id), batches);
    }
  n = json_array_get_length (batches);
  if (n > 0 && g_strcmp0 (syn_json_get_string (json_array_get_object_element (batches, n - 1), "correlation_id"),
                          e->correlation_id) == 0)
    return;
  b = json_object_new ();
  when = syn_time_to_iso8601 (e->timestamp);
  json_object_set_string_member (b, "correlation_id", e->correlation_id);
  syn_json_set_string_or_null (b, "user_id", e->user_id);
  json_object_set_string_member (b, "timestamp", when);
  json_object_set_string_member (b, "event_type", e->event_type);
  json_array_add_object_element (batches, b);
}

static void
visit_touch (SynStateReplay *replay, const SynEventText *e, gpointer data)
{
  Touches *t = data;
  g_autoptr(JsonNode) payload = NULL;

  for (guint k = 0; k < N_KINDS; k++)
    if (g_strcmp0 (e->aggregate_type, kind_aggregates[k]) == 0 && e->aggregate_id != NULL)
      {
        touch (t, k, e->aggregate_id, e);
        return;
      }
  /* a rollback names the ids it deleted and restored */
  if (g_strcmp0 (e->event_type, SYN_EVENT_BATCH_ROLLED_BACK) != 0 ||
      !(payload = syn_json_parse (e->payload, -1, NULL)) || !JSON_NODE_HOLDS_OBJECT (payload))
    return;
  for (guint k = 0; k < N_KINDS; k++)
    for (guint side = 0; side < 2; side++)
      {
        g_autofree char *name = g_strconcat (side ? "restored_" : "deleted_", kind_names[k], NULL);
        JsonNode *node = json_object_get_member (json_node_get_object (payload), name);
        JsonArray *ids = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

        for (guint i = 0; ids != NULL && i < json_array_get_length (ids); i++)
          if (json_array_get_string_element (ids, i) != NULL)
            touch (t, k, json_array_get_string_element (ids, i), e);
      }
}

/* Field by field, properties one by one; derivation records left out (the
 * state hash's view of an entity). */
static JsonArray *
field_changes (JsonObject *old, JsonObject *new)
{
  JsonArray *out = json_array_new ();
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GList) a = json_object_get_members (old);
  g_autoptr(GList) b = json_object_get_members (new);
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();

  for (GList *l = a; l; l = l->next)
    g_hash_table_add (names, l->data);
  for (GList *l = b; l; l = l->next)
    g_hash_table_add (names, l->data);
  {
    GHashTableIter iter;
    gpointer name;

    g_hash_table_iter_init (&iter, names);
    while (g_hash_table_iter_next (&iter, &name, NULL))
      g_ptr_array_add (sorted, name);
  }
  g_ptr_array_sort (sorted, compare_names);
  for (guint i = 0; i < sorted->len; i++)
    {
      const char *name = g_ptr_array_index (sorted, i);
      JsonNode *x = json_object_get_member (old, name);
      JsonNode *y = json_object_get_member (new, name);

      if (strcmp (name, "derivation") == 0 || syn_json_node_equal (x, y))
        continue;
      if (strcmp (name, "properties") == 0 && x && y && JSON_NODE_HOLDS_OBJECT (x) && JSON_NODE_HOLDS_OBJECT (y))
        {
          g_autoptr(JsonArray) inner = field_changes (json_node_get_object (x), json_node_get_object (y));

          for (guint j = 0; j < json_array_get_length (inner); j++)
            {
              JsonObject *c = json_array_get_object_element (inner, j);
              g_autofree char *full = g_strconcat ("properties.", syn_json_get_string (c, "field"), NULL);

              json_object_set_string_member (c, "field", full);
              json_array_add_element (out, json_node_copy (json_array_get_element (inner, j)));
            }
          continue;
        }
      {
        JsonObject *c = json_object_new ();

        json_object_set_string_member (c, "field", name);
        json_object_set_member (c, "old", x ? json_node_copy (x) : json_node_new (JSON_NODE_NULL));
        json_object_set_member (c, "new", y ? json_node_copy (y) : json_node_new (JSON_NODE_NULL));
        json_array_add_object_element (out, c);
      }
    }
  return out;
}

static JsonObject *
change_object (const char *id, JsonNode *entity, JsonArray *fields, JsonArray *batches)
{
  JsonObject *c = json_object_new ();
  const char *tag = syn_json_get_string (json_node_get_object (entity), "tag");

  json_object_set_string_member (c, "id", id);
  if (tag != NULL)
    json_object_set_string_member (c, "tag", tag);
  json_object_set_member (c, "entity", json_node_copy (entity));
  if (fields != NULL)
    json_object_set_array_member (c, "fields", fields);
  json_object_set_array_member (c, "batches", batches ? json_array_ref (batches) : json_array_new ());
  return c;
}

JsonNode *
syn_time_travel_diff (SynStore *store, const char *project_id, const char *from, const char *to, GError **error)
{
  g_autoptr(SynStateReplay) replay = NULL;
  g_autofree char *from_hash = NULL, *to_hash = NULL;
  GHashTable *before[N_KINDS] = { NULL };
  Touches touches = { { NULL } };
  gint64 a = 0, b = 0;
  gint64 n_added = 0, n_removed = 0, n_changed = 0;
  JsonObject *answer, *side, *counts;

  g_return_val_if_fail (SYN_IS_STORE (store), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  if (!require_project (store, project_id, error) ||
      !syn_moment_resolve (store, project_id, from, &a, error) ||
      !syn_moment_resolve (store, project_id, to ? to : "now", &b, error))
    return NULL;
  if (b < a)
    {
      g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID,
                   "--to (%s, position %" G_GINT64_FORMAT ") is before --from (%s, position %" G_GINT64_FORMAT ")",
                   to ? to : "now", b, from, a);
      return NULL;
    }
  if (!(replay = replay_to (store, project_id, a, error)))
    return NULL;
  from_hash = syn_state_replay_hash (replay);
  for (guint k = 0; k < N_KINDS; k++)
    {
      g_autoptr(GPtrArray) ids = syn_state_replay_list_ids (replay, kind_aggregates[k]);

      /* the texts (shared, not copied): equal texts are unchanged entities,
       * and only the others are read as objects */
      before[k] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ref_string_release);
      touches.touched[k] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_array_unref);
      for (guint i = 0; i < ids->len; i++)
        g_hash_table_insert (before[k], g_strdup (g_ptr_array_index (ids, i)),
                             g_ref_string_acquire ((char *) syn_state_replay_peek_text (replay, kind_aggregates[k],
                                                                                        g_ptr_array_index (ids, i))));
    }
  if (!syn_state_replay_fold_to (replay, store, b, visit_touch, &touches, error))
    {
      for (guint k = 0; k < N_KINDS; k++)
        {
          g_hash_table_unref (touches.touched[k]);
          g_hash_table_unref (before[k]);
        }
      return NULL;
    }
  to_hash = syn_state_replay_hash (replay);

  answer = json_object_new ();
  json_object_set_string_member (answer, "project_id", project_id);
  side = moment_object (store, project_id, from, a, NULL);
  json_object_set_string_member (side, "state_hash", from_hash);
  json_object_set_object_member (answer, "from", side);
  side = moment_object (store, project_id, to, b, NULL);
  json_object_set_string_member (side, "state_hash", to_hash);
  json_object_set_object_member (answer, "to", side);

  for (guint k = 0; k < N_KINDS; k++)
    {
      g_autoptr(GPtrArray) ids = syn_state_replay_list_ids (replay, kind_aggregates[k]);
      g_autoptr(GPtrArray) gone = g_ptr_array_new ();
      JsonArray *added = json_array_new (), *removed = json_array_new (), *changed = json_array_new ();
      JsonObject *group = json_object_new ();
      GHashTableIter iter;
      gpointer id, node;

      for (guint i = 0; i < ids->len; i++)
        {
          const char *rid = g_ptr_array_index (ids, i);
          const char *now_text = syn_state_replay_peek_text (replay, kind_aggregates[k], rid);
          const char *then_text = g_hash_table_lookup (before[k], rid);
          JsonArray *batches = g_hash_table_lookup (touches.touched[k], rid);
          g_autoptr(JsonNode) now = NULL;
          g_autoptr(JsonNode) then = NULL;

          if (then_text != NULL && strcmp (then_text, now_text) == 0)
            {
              g_hash_table_remove (before[k], rid);
              continue;
            }
          now = syn_json_parse_trusted (now_text, strlen (now_text));
          if (then_text == NULL)
            json_array_add_object_element (added, change_object (rid, now, NULL, batches));
          else
            {
              JsonArray *fields = NULL;

              then = syn_json_parse_trusted (then_text, strlen (then_text));
              fields = field_changes (json_node_get_object (then), json_node_get_object (now));

              if (json_array_get_length (fields) > 0)
                json_array_add_object_element (changed, change_object (rid, now, fields, batches));
              else
                json_array_unref (fields);
              g_hash_table_remove (before[k], rid);
            }
        }
      g_hash_table_iter_init (&iter, before[k]);
      while (g_hash_table_iter_next (&iter, &id, &node))
        g_ptr_array_add (gone, id);
      g_ptr_array_sort (gone, compare_names);
      for (guint i = 0; i < gone->len; i++)
        {
          const char *then_text = g_hash_table_lookup (before[k], g_ptr_array_index (gone, i));
          g_autoptr(JsonNode) then = syn_json_parse_trusted (then_text, strlen (then_text));

          json_array_add_object_element (removed, change_object (g_ptr_array_index (gone, i), then, NULL,
                                                                 g_hash_table_lookup (touches.touched[k],
                                                                                      g_ptr_array_index (gone, i))));
        }
      n_added += json_array_get_length (added);
      n_removed += json_array_get_length (removed);
      n_changed += json_array_get_length (changed);
      json_object_set_array_member (group, "added", added);
      json_object_set_array_member (group, "removed", removed);
      json_object_set_array_member (group, "changed", changed);
      json_object_set_object_member (answer, kind_names[k], group);
      g_hash_table_unref (touches.touched[k]);
      g_hash_table_unref (before[k]);
    }
  counts = json_object_new ();
  json_object_set_int_member (counts, "added", n_added);
  json_object_set_int_member (counts, "removed", n_removed);
  json_object_set_int_member (counts, "changed", n_changed);
  json_object_set_object_member (answer, "counts", counts);
  return syn_json_node_new_object (answer);
}

/* ------------------------------------------------------------------------- */
/* Exports as of a moment                                                    */

/* The person of the newest creation of @id up to @position (rolled back
 * since or not: it made the entity that existed then), or NULL. */
static char *
creator_at (SynStore *store, const char *project_id, const char *event_type, const char *id, gint64 position,
            GError **error)
{
  g_autoptr(SynEventQuery) q = syn_event_query_new (project_id);
  g_autoptr(GPtrArray) found = NULL;
  const char *types[] = { event_type, NULL };

  q->event_types = g_strdupv ((char **) types);
  q->aggregate_id = g_strdup (id);
  q->include_rolled_back = TRUE;
  q->before_position = position + 1;
  q->limit = 1;
  if (!(found = syn_store_query_events (store, q, NULL, error)))
    return NULL;
  return found->len > 0 ? g_strdup (((SynEvent *) g_ptr_array_index (found, 0))->user_id) : NULL;
}

/* One creation event in the scratch database, for its "created_by". */
static gboolean
add_creation (SynStore *store, SynStore *scratch, GPtrArray *creations, const char *project_id,
              const char *event_type, const char *aggregate_type, const char *id, gint64 position, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *user = creator_at (store, project_id, event_type, id, position, &local_error);
  SynEvent *e;

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (user == NULL)
    return TRUE;
  e = syn_event_new ();
  e->event_type = g_strdup (event_type);
  e->aggregate_type = g_strdup (aggregate_type);
  e->aggregate_id = g_strdup (id);
  e->project_id = g_strdup (project_id);
  e->correlation_id = g_strdup ("00000000-0000-0000-0000-000000000000");
  e->sequence_num = creations->len;
  e->user_id = g_steal_pointer (&user);
  g_ptr_array_add (creations, e);
  return TRUE;
}

/* The replayed state in a new in-memory database, under the same project. */
static SynStore *
scratch_store (SynStore *store, SynProject *project, SynStateReplay *replay, SynExportKind kind, gint64 position,
               GError **error)
{
  g_autoptr(SynStore) scratch = syn_store_open (":memory:", error);
  g_autoptr(GPtrArray) assets = NULL, cables = NULL;
  g_autoptr(GPtrArray) creations = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SynProject) copy = NULL;

  if (scratch == NULL)
    return NULL;
  copy = syn_project_copy (project);
  assets = syn_state_replay_list_entities (replay, SYN_AGGREGATE_ASSET);
  cables = kind == SYN_EXPORT_CABLES ? syn_state_replay_list_entities (replay, SYN_AGGREGATE_CABLE)
                                     : g_ptr_array_new ();
  if (!syn_store_begin (scratch, error))
    return NULL;
  if (!syn_store_insert_project (scratch, copy, error))
    goto failed;
  for (guint i = 0; i < assets->len; i++)
    {
      SynAsset *a = g_ptr_array_index (assets, i);

      if (!syn_store_insert_asset (scratch, a, error) ||
          (kind == SYN_EXPORT_ASSETS && a->created_by_rule_id == NULL &&
           !add_creation (store, scratch, creations, project->id, SYN_EVENT_ASSET_CREATED, SYN_AGGREGATE_ASSET,
                          a->id, position, error)))
        goto failed;
    }
  for (guint i = 0; i < cables->len; i++)
    {
      SynCable *c = g_ptr_array_index (cables, i);

      if (!syn_store_insert_cable (scratch, c, error) ||
          (c->created_by_rule_id == NULL &&
           !add_creation (store, scratch, creations, project->id, SYN_EVENT_CABLE_CREATED, SYN_AGGREGATE_CABLE,
                          c->id, position, error)))
        goto failed;
    }
  if ((creations->len > 0 && !syn_store_append_events (scratch, creations, error)) ||
      !syn_store_commit (scratch, error))
    goto failed;
  return g_steal_pointer (&scratch);

failed:
  syn_store_rollback (scratch);
  return NULL;
}

char *
syn_time_travel_export (SynStore *store, const char *moment, SynExportKind kind, SynExportFormat format,
                        const SynEntityQuery *entities, const char * const *properties, guint *n_rows,
                        GError **error)
{
  g_autoptr(SynProject) project = NULL;
  g_autoptr(SynStateReplay) replay = NULL;
  g_autoptr(SynStore) scratch = NULL;
  gint64 position = 0;

  g_return_val_if_fail (SYN_IS_STORE (store), NULL);
  g_return_val_if_fail (entities != NULL && entities->project_id != NULL, NULL);
  g_return_val_if_fail (kind == SYN_EXPORT_CABLES || kind == SYN_EXPORT_ASSETS, NULL);

  if (!require_project (store, entities->project_id, error) ||
      !(project = syn_store_get_project (store, entities->project_id, error)) ||
      !syn_moment_resolve (store, project->id, moment, &position, error) ||
      !(replay = replay_to (store, project->id, position, error)) ||
      !(scratch = scratch_store (store, project, replay, kind, position, error)))
    return NULL;
  return syn_exporter_run (scratch, kind, format, entities, NULL, properties, n_rows, error);
}

/* ------------------------------------------------------------------------- */
/* CSV                                                                       */

static void
csv_field (GString *out, const char *text)
{
  if (text == NULL)
    text = "";
  if (strpbrk (text, ",\"\n\r") == NULL)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static char *
value_text (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return syn_json_canonical (node);
}

static void
csv_row (GString *out, const char *kind, const char *change, JsonObject *c, JsonObject *field)
{
  JsonArray *batches = json_object_get_array_member (c, "batches");
  g_autoptr(GString) ids = g_string_new (NULL);
  g_autoptr(GString) users = g_string_new (NULL);
  g_autofree char *old = field ? value_text (json_object_get_member (field, "old")) : NULL;
  g_autofree char *new = field ? value_text (json_object_get_member (field, "new")) : NULL;
  const char *cells[] = { kind, change, syn_json_get_string (c, "id"), syn_json_get_string (c, "tag"),
                          field ? syn_json_get_string (field, "field") : NULL, old, new };

  for (guint i = 0; batches != NULL && i < json_array_get_length (batches); i++)
    {
      JsonObject *b = json_array_get_object_element (batches, i);
      const char *user = syn_json_get_string (b, "user_id");

      g_string_append_printf (ids, "%s%s", i ? " " : "", syn_json_get_string (b, "correlation_id"));
      if (user != NULL && strstr (users->str, user) == NULL)
        g_string_append_printf (users, "%s%s", users->len ? " " : "", user);
    }
  for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
    {
      csv_field (out, cells[i]);
      g_string_append_c (out, ',');
    }
  csv_field (out, ids->str);
  g_string_append_c (out, ',');
  csv_field (out, users->str);
  g_string_append (out, "\r\n");
}

char *
syn_time_travel_diff_csv (JsonNode *diff)
{
  GString *out = g_string_new ("kind,change,id,tag,field,old,new,batches,users\r\n");
  JsonObject *root;

  g_return_val_if_fail (diff != NULL && JSON_NODE_HOLDS_OBJECT (diff), NULL);

  root = json_node_get_object (diff);
  for (guint k = 0; k < N_KINDS; k++)
    {
      JsonObject *group = json_object_get_object_member (root, kind_names[k]);
      static const char * const changes[] = { "added", "removed", "changed" };

      for (guint c = 0; group != NULL && c < G_N_ELEMENTS (changes); c++)
        {
          JsonArray *list = json_object_get_array_member (group, changes[c]);

          for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
            {
              JsonObject *change = json_array_get_object_element (list, i);
              JsonArray *fields = json_object_has_member (change, "fields")
                                  ? json_object_get_array_member (change, "fields") : NULL;

              if (fields == NULL)
                csv_row (out, kind_names[k], changes[c], change, NULL);
              for (guint j = 0; fields != NULL && j < json_array_get_length (fields); j++)
                csv_row (out, kind_names[k], changes[c], change, json_array_get_object_element (fields, j));
            }
        }
    }
  return g_string_free (out, FALSE);
}
