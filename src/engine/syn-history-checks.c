/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-history-checks.c: the checks of a project's history: hash chain, gapless batches, replay = tables, snapshots, checkpoints. */
#include "config.h"

#include <string.h>

#include "syn-entity-kind-private.h"
#include "syn-history-checks.h"
#include "syn-state-checkpoint.h"

/* Events read per query while walking the log. */
#define PAGE 5000
/* Differences listed per check: the first ones say where to look. */
#define MAX_LISTED 20

SynHistoryCheck *
syn_history_check_new (SynStore *store, const char *project_id, const char *expect)
{
  SynHistoryCheck *self;

  g_return_val_if_fail (SYN_IS_STORE (store), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  self = g_new0 (SynHistoryCheck, 1);
  self->store = g_object_ref (store);
  self->project_id = g_strdup (project_id);
  self->expect = g_strdup (expect);
  self->head_position = -1;
  self->expect_position = -1;
  self->sequence_findings = json_array_new ();
  self->checkpoint_findings = json_array_new ();
  self->batch_sizes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return self;
}

void
syn_history_check_free (SynHistoryCheck *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->store);
  g_clear_pointer (&self->replay, syn_state_replay_free);
  g_clear_pointer (&self->sequence_findings, json_array_unref);
  g_clear_pointer (&self->checkpoint_findings, json_array_unref);
  g_clear_pointer (&self->batch_sizes, g_hash_table_unref);
  g_free (self->head_hash);
  g_free (self->expect);
  g_free (self->project_id);
  g_free (self);
}

static JsonObject *
add_finding (JsonArray *findings, const char *check, const char *kind, char *message)
{
  JsonObject *f = json_object_new ();

  json_object_set_string_member (f, "check", check);
  json_object_set_string_member (f, "kind", kind);
  json_object_set_string_member (f, "message", message);
  g_free (message);
  json_array_add_object_element (findings, f);
  return f;
}

static void
name_event (JsonObject *f, SynEvent *e)
{
  json_object_set_string_member (f, "event_id", e->id);
  json_object_set_int_member (f, "position", e->position);
  json_object_set_string_member (f, "batch", e->correlation_id);
}

/* ------------------------------------------------------------------------- */
/* The chain                                                                 */

typedef struct
{
  char   *previous;   /* the stored hash of the event before */
  gint64  position;
  char   *broken;     /* the first break, said */
  SynEvent *broken_event;
} Walk;

/* One event: its stored hash must be the hash of its content after the one
 * before. The next event follows the stored hash, so a change shows once,
 * where it is (a removed event: at the one after it). */
static void
walk_event (Walk *walk, SynEvent *e)
{
  g_autofree char *expected = syn_event_compute_hash (e, walk->previous);

  if (walk->broken == NULL && g_strcmp0 (expected, e->hash) != 0)
    {
      walk->broken = e->hash == NULL
        ? g_strdup_printf ("event %s (%s, position %" G_GINT64_FORMAT ", batch %s) has no hash",
                           e->id, e->event_type, e->position, e->correlation_id)
        : g_strdup_printf ("the hash chain breaks at event %s (%s, position %" G_GINT64_FORMAT ", batch %s): its "
                           "hash does not match its content after the event before it (changed, or an event "
                           "before it removed or moved)", e->id, e->event_type, e->position, e->correlation_id);
      walk->broken_event = g_object_ref (e);
    }
  g_free (walk->previous);
  walk->previous = g_strdup (e->hash ? e->hash : expected);
  walk->position = e->position;
}

typedef void (*EventVisit) (SynEvent *e, gpointer data);

static gboolean
walk_events (SynStore *store, const char *project_id, gint64 after, EventVisit visit, gpointer data, GError **error)
{
  for (;;)
    {
      g_autoptr(GPtrArray) page = syn_store_list_events_after (store, project_id, after, PAGE, error);

      if (page == NULL)
        return FALSE;
      for (guint i = 0; i < page->len; i++)
        {
          SynEvent *e = g_ptr_array_index (page, i);

          visit (e, data);
          after = MAX (after, e->position);
        }
      if (page->len < PAGE)
        return TRUE;
    }
}

static void
walk_visit (SynEvent *e, gpointer data)
{
  walk_event (data, e);
}

gboolean
syn_history_walk_chain (SynStore *store, const char *project_id, gint64 after_position, const char *previous,
                        gint64 *head_position, char **head_hash, char **broken, GError **error)
{
  Walk walk = { g_strdup (previous ? previous : SYN_EVENT_GENESIS_HASH), after_position, NULL, NULL };
  gboolean ok;

  g_return_val_if_fail (SYN_IS_STORE (store), FALSE);
  g_return_val_if_fail (project_id != NULL && head_position != NULL && head_hash != NULL && broken != NULL, FALSE);

  ok = walk_events (store, project_id, MAX (after_position, 0), walk_visit, &walk, error);
  if (ok && walk.position != after_position)
    {
      *head_position = walk.position;
      g_free (*head_hash);
      *head_hash = g_strdup (walk.previous);
    }
  *broken = ok ? g_steal_pointer (&walk.broken) : NULL;
  g_free (walk.broken);
  g_clear_object (&walk.broken_event);
  g_free (walk.previous);
  return ok;
}

JsonNode *
syn_history_check_on_start (SynStore *store, GError **error)
{
  g_autoptr(GPtrArray) projects = NULL;
  g_autofree char *now = syn_time_to_iso8601 (syn_time_now_usec ());
  JsonArray *list = json_array_new ();
  JsonObject *answer = json_object_new ();
  gboolean all_ok = TRUE;
  gint64 total = 0;

  g_return_val_if_fail (SYN_IS_STORE (store), NULL);

  /* archived projects too: archiving hides a project, not its history */
  if (!(projects = syn_store_list_projects_with_archived (store, error)))
    goto fail;
  for (guint i = 0; i < projects->len; i++)
    {
      SynProject *p = g_ptr_array_index (projects, i);
      g_autofree char *mark_hash = NULL, *head = NULL, *broken = NULL;
      gint64 mark = -1, head_position;
      JsonObject *o = json_object_new ();

      json_array_add_object_element (list, o);
      if (!syn_store_get_chain_mark (store, p->id, &mark, &mark_hash, error))
        goto fail;
      head_position = mark;
      head = g_strdup (mark_hash);
      if (!syn_history_walk_chain (store, p->id, mark, mark_hash, &head_position, &head, &broken, error))
        goto fail;
      json_object_set_string_member (o, "project_id", p->id);
      json_object_set_string_member (o, "name", p->name);
      json_object_set_boolean_member (o, "ok", broken == NULL);
      json_object_set_int_member (o, "head_position", head_position);
      syn_json_set_string_or_null (o, "head_hash", head);
      json_object_set_int_member (o, "from_position", MAX (mark, 0));
      if (broken != NULL)
        {
          json_object_set_string_member (o, "broken", broken);
          all_ok = FALSE;
        }
      else if (head != NULL && head_position > mark &&
               !syn_store_set_chain_mark (store, p->id, head_position, head, error))
        goto fail;
      total++;
    }
  json_object_set_boolean_member (answer, "ok", all_ok);
  json_object_set_string_member (answer, "checked_at", now);
  json_object_set_int_member (answer, "projects_checked", total);
  json_object_set_array_member (answer, "projects", list);
  return syn_json_node_new_object (answer);

fail:
  json_array_unref (list);
  json_object_unref (answer);
  return NULL;
}

/* Per batch: the next sequence number expected and the position of the
 * last; its events and how many of them read rolled back. */
typedef struct
{
  gint64 next_seq;
  gint64 last_position;
  gint64 events;
  gint64 rolled_back;
} BatchRun;

typedef struct
{
  SynHistoryCheck *check;
  Walk             walk;
  GHashTable      *runs;        /* correlation id -> BatchRun */
  GHashTable      *rollbacks;   /* batch -> its BATCH_ROLLED_BACK (SynEvent, borrowed from the walk: copied) */
  gint64           last_position;
  guint            listed;
} ChainPass;

static void
chain_visit (SynEvent *e, gpointer data)
{
  ChainPass *pass = data;
  SynHistoryCheck *self = pass->check;
  BatchRun *run;

  walk_event (&pass->walk, e);
  self->n_events++;
  if (self->expect != NULL && e->hash != NULL && g_ascii_strcasecmp (self->expect, e->hash) == 0 &&
      pass->walk.broken == NULL)
    self->expect_position = e->position;

  /* positions strictly increase; within a batch, sequence numbers count
   * 0, 1, 2... in position order */
  if (e->position <= pass->last_position && pass->listed++ < MAX_LISTED)
    name_event (add_finding (self->sequence_findings, SYN_CHECK_SEQUENCES, "position_order",
                             g_strdup_printf ("event %s: position %" G_GINT64_FORMAT " does not follow %"
                                              G_GINT64_FORMAT, e->id, e->position, pass->last_position)), e);
  pass->last_position = MAX (pass->last_position, e->position);

  if (!(run = g_hash_table_lookup (pass->runs, e->correlation_id)))
    {
      run = g_new0 (BatchRun, 1);
      g_hash_table_insert (pass->runs, g_strdup (e->correlation_id), run);
    }
  g_hash_table_insert (self->batch_sizes, g_strdup (e->correlation_id),
                       GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (self->batch_sizes,
                                                                              e->correlation_id)) + 1));
  if (e->sequence_num != run->next_seq && pass->listed++ < MAX_LISTED)
    name_event (add_finding (self->sequence_findings, SYN_CHECK_SEQUENCES,
                             e->sequence_num > run->next_seq ? "sequence_gap" : "sequence_order",
                             e->sequence_num > run->next_seq
                             ? g_strdup_printf ("batch %s: event %s is #%" G_GINT64_FORMAT " where #%" G_GINT64_FORMAT
                                                " was expected (an event of the batch is missing)",
                                                e->correlation_id, e->id, e->sequence_num, run->next_seq)
                             : g_strdup_printf ("batch %s: event %s (#%" G_GINT64_FORMAT ", position %" G_GINT64_FORMAT
                                                ") comes after #%" G_GINT64_FORMAT " (events out of order)",
                                                e->correlation_id, e->id, e->sequence_num, e->position,
                                                run->next_seq - 1)), e);
  run->next_seq = MAX (run->next_seq, e->sequence_num + 1);
  run->last_position = e->position;
  run->events++;
  if (e->is_rolled_back)
    run->rolled_back++;
  if (g_strcmp0 (e->event_type, SYN_EVENT_BATCH_ROLLED_BACK) == 0 && e->aggregate_id != NULL)
    g_hash_table_insert (pass->rollbacks, g_strdup (e->aggregate_id), syn_event_copy (e));
}

/* Rollback flags live outside the events (rolled_back_batches), where the
 * hash chain does not reach: they must be what the chained BATCH_ROLLED_BACK
 * events say, every event of each batch one names and none other, as many
 * as it counted (events_rolled_back). */
static void
check_rollbacks (ChainPass *pass)
{
  SynHistoryCheck *self = pass->check;
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, pass->runs);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      BatchRun *run = value;
      SynEvent *rollback = g_hash_table_lookup (pass->rollbacks, key);
      JsonObject *payload = rollback && rollback->payload && JSON_NODE_HOLDS_OBJECT (rollback->payload)
                            ? json_node_get_object (rollback->payload) : NULL;
      gint64 counted = payload ? json_object_get_int_member_with_default (payload, "events_rolled_back", -1) : -1;

      if (rollback == NULL && run->rolled_back == 0)
        continue;
      if (rollback == NULL && pass->listed++ < MAX_LISTED)
        json_object_set_string_member (add_finding (self->sequence_findings, SYN_CHECK_SEQUENCES,
                                                    "rollback_unrecorded",
                                                    g_strdup_printf ("batch %s: %" G_GINT64_FORMAT " of its events "
                                                                     "read rolled back, but no BATCH_ROLLED_BACK "
                                                                     "names it", (const char *) key,
                                                                     run->rolled_back)),
                                       "batch", key);
      else if (rollback != NULL && (run->rolled_back != run->events || (counted >= 0 && counted != run->events)) &&
               pass->listed++ < MAX_LISTED)
        name_event (add_finding (self->sequence_findings, SYN_CHECK_SEQUENCES, "rollback_mismatch",
                                 g_strdup_printf ("batch %s: rolled back by event %s, which counted %" G_GINT64_FORMAT
                                                  " of its events, but %" G_GINT64_FORMAT " of its %" G_GINT64_FORMAT
                                                  " read rolled back", (const char *) key, rollback->id, counted,
                                                  run->rolled_back, run->events)), rollback);
    }
}

gboolean
syn_history_check_chain (SynHistoryCheck *self, JsonArray *findings, GError **error)
{
  ChainPass pass = { self, { g_strdup (SYN_EVENT_GENESIS_HASH), -1, NULL, NULL },
                     g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
                     g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref), 0, 0 };
  gboolean ok;

  g_return_val_if_fail (self != NULL && findings != NULL, FALSE);

  ok = walk_events (self->store, self->project_id, 0, chain_visit, &pass, error);
  if (ok)
    check_rollbacks (&pass);
  if (ok && pass.walk.broken != NULL)
    name_event (add_finding (findings, SYN_CHECK_CHAIN, "broken_chain", g_steal_pointer (&pass.walk.broken)),
                pass.walk.broken_event);
  if (ok && pass.walk.position >= 0)
    {
      self->head_position = pass.walk.position;
      self->head_hash = g_strdup (pass.walk.previous);
    }
  g_hash_table_unref (pass.runs);
  g_hash_table_unref (pass.rollbacks);
  g_free (pass.walk.broken);
  g_clear_object (&pass.walk.broken_event);
  g_free (pass.walk.previous);
  return ok;
}

gboolean
syn_history_check_sequences (SynHistoryCheck *self, JsonArray *findings, GError **error)
{
  g_return_val_if_fail (self != NULL && findings != NULL, FALSE);

  for (guint i = 0; i < json_array_get_length (self->sequence_findings); i++)
    json_array_add_element (findings, json_node_copy (json_array_get_element (self->sequence_findings, i)));
  return TRUE;
}

gboolean
syn_history_check_expect (SynHistoryCheck *self, JsonArray *findings, GError **error)
{
  g_return_val_if_fail (self != NULL && findings != NULL, FALSE);

  /* a hash written down earlier still proves everything up to it: the
   * database may have grown since */
  if (self->expect != NULL && self->expect_position < 0)
    add_finding (findings, SYN_CHECK_EXPECT, "unexpected_head",
                 g_strdup_printf ("the hash %s is not in this project's chain (its head is %s): the events it "
                                  "stands for were changed, or it is of another project", self->expect,
                                  self->head_hash ? self->head_hash : SYN_EVENT_GENESIS_HASH));
  return TRUE;
}

/* ------------------------------------------------------------------------- */
/* Replay = tables, snapshots                                                */

/* Canonical JSON of an entity without its derivation (the state hash's form). */
static char *
entity_canonical (JsonNode *node)
{
  g_autoptr(JsonNode) copy = json_node_copy (node);
  g_autoptr(GString) out = g_string_new (NULL);

  if (JSON_NODE_HOLDS_OBJECT (copy) && json_object_has_member (json_node_get_object (copy), "derivation"))
    json_object_remove_member (json_node_get_object (copy), "derivation");
  syn_json_canonical_append (out, copy);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

typedef JsonNode *(*ToJson) (gpointer object);

static gboolean
list_table (SynHistoryCheck *self, EntityKind kind, GHashTable *out, GError **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  ToJson to_json;

  switch (kind)
    {
    case KIND_ASSET:
      rows = syn_store_list_assets (self->store, self->project_id, NULL, NULL, 0, 0, NULL, error);
      to_json = (ToJson) syn_asset_to_json;
      break;
    case KIND_CABLE:
      rows = syn_store_list_cables (self->store, self->project_id, 0, 0, NULL, error);
      to_json = (ToJson) syn_cable_to_json;
      break;
    case KIND_EDGE:
    case N_KINDS:
    default:
      rows = syn_store_list_edges (self->store, self->project_id, NULL, error);
      to_json = (ToJson) syn_edge_to_json;
      break;
    }
  if (rows == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      g_autoptr(JsonNode) node = to_json (g_ptr_array_index (rows, i));
      const char *id = syn_json_get_string (json_node_get_object (node), "id");

      g_hash_table_insert (out, g_strdup (id), entity_canonical (node));
    }
  return TRUE;
}

static void
add_entity_finding (JsonArray *findings, const char *check, const char *kind, EntityKind k, const char *id,
                    char *message)
{
  JsonObject *f = add_finding (findings, check, kind, message);

  json_object_set_string_member (f, "entity_type", kind_aggregates[k]);
  json_object_set_string_member (f, "entity_id", id);
}

static int
compare_ids (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The chain hash of the last event folded. */
static void
note_hash (SynStateReplay *replay, const SynEventText *e, gpointer data)
{
  char **hash = data;

  g_free (*hash);
  *hash = g_strdup (e->hash);
}

/* A checkpoint against the replay folded up to its position. */
static void
check_checkpoint (SynHistoryCheck *self, SynStateCheckpoint *c, const char *head_hash)
{
  g_autoptr(SynStateCheckpoint) full = NULL;
  g_autofree char *stored = NULL, *replayed = NULL, *state = NULL, *unpacked = NULL;
  g_autoptr(GError) error = NULL;
  char *message = NULL;

  if (!syn_store_find_checkpoint (self->store, self->project_id, c->position, TRUE, &full, &error) || full == NULL ||
      !(unpacked = syn_state_checkpoint_decode (full->state, &error)))
    message = g_strdup_printf ("the checkpoint at position %" G_GINT64_FORMAT " cannot be read: %s", c->position,
                               error ? error->message : "gone");
  else if (strcmp ((stored = syn_state_checkpoint_content_hash (unpacked)), full->content_hash) != 0)
    message = g_strdup_printf ("the checkpoint at position %" G_GINT64_FORMAT " was changed: its state hashes to %s, "
                               "not %s", c->position, stored, full->content_hash);
  else if (syn_state_replay_get_position (self->replay) != c->position ||
           syn_state_replay_get_n_events (self->replay) != (guint64) c->events)
    message = g_strdup_printf ("the checkpoint at position %" G_GINT64_FORMAT " (after %" G_GINT64_FORMAT
                               " events) is at no event: the events end at position %" G_GINT64_FORMAT
                               " there (after %" G_GUINT64_FORMAT ")", c->position, c->events,
                               syn_state_replay_get_position (self->replay),
                               syn_state_replay_get_n_events (self->replay));
  else if (g_strcmp0 (head_hash, c->head_hash) != 0)
    message = g_strdup_printf ("the checkpoint at position %" G_GINT64_FORMAT " follows the chain hash %s, the "
                               "event there has %s", c->position, c->head_hash, head_hash ? head_hash : "none");
  else if (strcmp ((replayed = syn_state_checkpoint_content_hash ((state = syn_state_replay_serialize (self->replay)))),
                   full->content_hash) != 0)
    message = g_strdup_printf ("the checkpoint at position %" G_GINT64_FORMAT " is not the state its events give "
                               "there (state %s, replay %s)", c->position, full->content_hash, replayed);
  if (message != NULL)
    {
      JsonObject *f = add_finding (self->checkpoint_findings, SYN_CHECK_CHECKPOINTS, "checkpoint_differs", message);

      json_object_set_int_member (f, "position", c->position);
    }
}

gboolean
syn_history_check_replay (SynHistoryCheck *self, JsonArray *findings, GError **error)
{
  g_autoptr(GPtrArray) checkpoints = NULL;
  g_autofree char *last_hash = NULL;
  guint listed = 0;

  g_return_val_if_fail (self != NULL && findings != NULL, FALSE);

  g_clear_pointer (&self->replay, syn_state_replay_free);
  self->replay = syn_state_replay_new (self->project_id);
  /* from the first event, stopping at each checkpoint to compare */
  if (!(checkpoints = syn_store_list_checkpoints (self->store, self->project_id, error)))
    return FALSE;
  for (guint i = 0; i < checkpoints->len; i++)
    {
      SynStateCheckpoint *c = g_ptr_array_index (checkpoints, i);

      if (!syn_state_replay_fold_to (self->replay, self->store, c->position, note_hash, &last_hash, error))
        return FALSE;
      check_checkpoint (self, c, last_hash);
    }
  if (!syn_state_replay_catch_up (self->replay, self->store, error))
    return FALSE;
  if (syn_state_replay_get_n_anomalies (self->replay) > 0)
    add_finding (findings, SYN_CHECK_REPLAY, "replay_anomaly",
                 g_strdup_printf ("%" G_GUINT64_FORMAT " events cannot follow the ones before them; the first: %s",
                                  syn_state_replay_get_n_anomalies (self->replay),
                                  syn_state_replay_get_first_anomaly (self->replay)));

  for (guint k = 0; k < N_KINDS; k++)
    {
      g_autoptr(GHashTable) table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_autoptr(GPtrArray) ids = syn_state_replay_list_ids (self->replay, kind_aggregates[k]);
      g_autoptr(GPtrArray) extra = g_ptr_array_new ();
      GHashTableIter iter;
      gpointer id;

      if (!list_table (self, k, table, error))
        return FALSE;
      for (guint i = 0; i < ids->len; i++)
        {
          const char *rid = g_ptr_array_index (ids, i);
          g_autoptr(JsonNode) node = syn_state_replay_get_entity (self->replay, kind_aggregates[k], rid);
          g_autofree char *replayed = entity_canonical (node);
          const char *stored = g_hash_table_lookup (table, rid);

          if (stored == NULL && listed++ < MAX_LISTED)
            add_entity_finding (findings, SYN_CHECK_REPLAY, "missing_row", k, rid,
                                g_strdup_printf ("%s %s exists by its events but not in the table", kind_names[k], rid));
          else if (stored != NULL && strcmp (stored, replayed) != 0 && listed++ < MAX_LISTED)
            add_entity_finding (findings, SYN_CHECK_REPLAY, "row_differs", k, rid,
                                g_strdup_printf ("%s %s in the table is not what its events say: table %s, events %s",
                                                 kind_names[k], rid, stored, replayed));
          g_hash_table_remove (table, rid);
        }
      /* what is left was written without events */
      g_hash_table_iter_init (&iter, table);
      while (g_hash_table_iter_next (&iter, &id, NULL))
        g_ptr_array_add (extra, id);
      g_ptr_array_sort (extra, compare_ids);
      for (guint i = 0; i < extra->len && listed < MAX_LISTED; i++, listed++)
        add_entity_finding (findings, SYN_CHECK_REPLAY, "row_without_events", k, g_ptr_array_index (extra, i),
                            g_strdup_printf ("%s %s is in the table but no event made it", kind_names[k],
                                             (const char *) g_ptr_array_index (extra, i)));
    }
  return TRUE;
}

/* One pre-image of a snapshot against the replay's. */
static gboolean
image_agrees (JsonObject *before, EntityKind k, JsonNode *image, const char **id)
{
  JsonNode *replayed;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  *id = JSON_NODE_HOLDS_OBJECT (image) ? syn_json_get_string (json_node_get_object (image), "id") : NULL;
  if (*id == NULL || before == NULL || !json_object_has_member (before, *id))
    return FALSE;
  replayed = json_object_get_member (before, *id);
  if (JSON_NODE_HOLDS_NULL (replayed))
    return FALSE;
  a = entity_canonical (image);
  b = entity_canonical (replayed);
  return strcmp (a, b) == 0;
}

gboolean
syn_history_check_snapshots (SynHistoryCheck *self, JsonArray *findings, GError **error)
{
  g_autoptr(GPtrArray) snapshots = NULL;
  guint listed = 0;

  g_return_val_if_fail (self != NULL && self->replay != NULL && findings != NULL, FALSE);

  if (!(snapshots = syn_store_list_snapshots (self->store, self->project_id, FALSE, 0, error)))
    return FALSE;
  for (guint i = 0; i < snapshots->len && listed < MAX_LISTED; i++)
    {
      SynSnapshot *s = g_ptr_array_index (snapshots, i);
      g_autoptr(JsonObject) images = syn_state_replay_get_before (self->replay, s->correlation_id);
      JsonObject *data = s->snapshot_data && JSON_NODE_HOLDS_OBJECT (s->snapshot_data)
                         ? json_node_get_object (s->snapshot_data) : NULL;
      JsonObject *created = data ? json_object_get_object_member (data, "created") : NULL;
      gint64 n = GPOINTER_TO_INT (g_hash_table_lookup (self->batch_sizes, s->correlation_id));
      g_autofree char *bad = NULL;

      if (s->events_count != n)
        bad = g_strdup_printf ("it counts %" G_GINT64_FORMAT " events, the log holds %" G_GINT64_FORMAT,
                               s->events_count, n);
      for (guint k = 0; bad == NULL && data != NULL && k < N_KINDS; k++)
        {
          JsonArray *pre = json_object_get_array_member (data, kind_names[k]);
          JsonArray *made = created ? json_object_get_array_member (created, kind_names[k]) : NULL;
          JsonObject *before = images ? json_object_get_object_member (images, kind_names[k]) : NULL;
          guint n_listed = (pre ? json_array_get_length (pre) : 0) + (made ? json_array_get_length (made) : 0);

          for (guint j = 0; bad == NULL && pre != NULL && j < json_array_get_length (pre); j++)
            {
              const char *id = NULL;

              if (!image_agrees (before, k, json_array_get_element (pre, j), &id))
                bad = g_strdup_printf ("its image of %s %s is not what the events say the batch found",
                                       kind_names[k], id ? id : "(no id)");
            }
          for (guint j = 0; bad == NULL && made != NULL && j < json_array_get_length (made); j++)
            {
              const char *id = json_array_get_string_element (made, j);
              JsonNode *was = before && id ? json_object_get_member (before, id) : NULL;

              if (was == NULL || !JSON_NODE_HOLDS_NULL (was))
                bad = g_strdup_printf ("it says the batch created %s %s, which its events do not",
                                       kind_names[k], id ? id : "(no id)");
            }
          if (bad == NULL && n_listed != (before ? json_object_get_size (before) : 0))
            bad = g_strdup_printf ("it lists %u %s, the batch's events change %u", n_listed, kind_names[k],
                                   before ? json_object_get_size (before) : 0);
        }
      if (bad != NULL)
        {
          JsonObject *f = add_finding (findings, SYN_CHECK_SNAPSHOTS, "snapshot_differs",
                                       g_strdup_printf ("the snapshot of batch %s does not agree with its events: %s",
                                                        s->correlation_id, bad));

          json_object_set_string_member (f, "batch", s->correlation_id);
          listed++;
        }
    }
  return TRUE;
}

gboolean
syn_history_check_checkpoints (SynHistoryCheck *self, JsonArray *findings, GError **error)
{
  g_return_val_if_fail (self != NULL && findings != NULL, FALSE);

  for (guint i = 0; i < json_array_get_length (self->checkpoint_findings) && i < MAX_LISTED; i++)
    json_array_add_element (findings, json_node_copy (json_array_get_element (self->checkpoint_findings, i)));
  return TRUE;
}
