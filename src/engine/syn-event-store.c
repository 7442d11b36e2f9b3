/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-event-store.c: SynEventStore: a batch is one store transaction; events are buffered and appended in bulk. */
#include "config.h"

#include "syn-event-store.h"
#include "syn-push-mark.h"
#include "syn-state-checkpoint.h"

/* Events are appended to the store in groups: few round trips, bounded memory. */
#define FLUSH_EVERY 1024

struct _SynEventStore
{
  GObject    parent_instance;

  SynStore  *store;
  char      *project_id;
  char      *user_id;
  char      *correlation_id;
  gint64     sequence_counter;
  GPtrArray *pending;
  guint      owns_transaction : 1;
  guint      in_batch : 1;
  guint      discard : 1;
};

G_DEFINE_FINAL_TYPE (SynEventStore, syn_event_store, G_TYPE_OBJECT)

static void
syn_event_store_dispose (GObject *object)
{
  SynEventStore *self = SYN_EVENT_STORE (object);

  /* A batch nobody committed is abandoned whole. */
  if (self->in_batch)
    syn_event_store_abandon_batch (self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (syn_event_store_parent_class)->dispose (object);
}

static void
syn_event_store_finalize (GObject *object)
{
  SynEventStore *self = SYN_EVENT_STORE (object);

  g_clear_pointer (&self->project_id, g_free);
  g_clear_pointer (&self->user_id, g_free);
  g_clear_pointer (&self->correlation_id, g_free);
  g_clear_pointer (&self->pending, g_ptr_array_unref);

  G_OBJECT_CLASS (syn_event_store_parent_class)->finalize (object);
}

static void
syn_event_store_class_init (SynEventStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = syn_event_store_dispose;
  object_class->finalize = syn_event_store_finalize;
}

static void
syn_event_store_init (SynEventStore *self)
{
  self->pending = g_ptr_array_new_with_free_func (g_object_unref);
}

SynEventStore *
syn_event_store_new (SynStore *store, const char *project_id, const char *user_id)
{
  SynEventStore *self;

  g_return_val_if_fail (SYN_IS_STORE (store), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  self = g_object_new (SYN_TYPE_EVENT_STORE, NULL);
  self->store = g_object_ref (store);
  self->project_id = g_strdup (project_id);
  self->user_id = g_strdup (user_id);
  return self;
}

SynStore *
syn_event_store_get_store (SynEventStore *self)
{
  g_return_val_if_fail (SYN_IS_EVENT_STORE (self), NULL);
  return self->store;
}

const char *
syn_event_store_get_project_id (SynEventStore *self)
{
  g_return_val_if_fail (SYN_IS_EVENT_STORE (self), NULL);
  return self->project_id;
}

const char *
syn_event_store_get_user_id (SynEventStore *self)
{
  g_return_val_if_fail (SYN_IS_EVENT_STORE (self), NULL);
  return self->user_id;
}

/* Starts a new batch: a new correlation id, sequence from 0, and a store
 * transaction (unless the caller already opened one, which the batch joins). */
const char *
syn_event_store_start_batch (SynEventStore *self, GError **error)
{
  g_return_val_if_fail (SYN_IS_EVENT_STORE (self), NULL);

  if (self->in_batch)
    {
      g_set_error_literal (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID,
                           "A batch is already in progress");
      return NULL;
    }
  if (!syn_store_in_transaction (self->store))
    {
      if (!syn_store_begin (self->store, error))
        return NULL;
      self->owns_transaction = TRUE;
    }
  g_free (self->correlation_id);
  self->correlation_id = syn_uuid_new ();
  self->sequence_counter = 0;
  self->in_batch = TRUE;
  return self->correlation_id;
}

const char *
syn_event_store_get_correlation_id (SynEventStore *self)
{
  g_return_val_if_fail (SYN_IS_EVENT_STORE (self), NULL);
  return self->correlation_id;
}

gboolean
syn_event_store_in_batch (SynEventStore *self)
{
  g_return_val_if_fail (SYN_IS_EVENT_STORE (self), FALSE);
  return self->in_batch;
}

/* Events emitted in the current batch so far. */
gint64
syn_event_store_get_batch_count (SynEventStore *self)
{
  g_return_val_if_fail (SYN_IS_EVENT_STORE (self), 0);
  return self->in_batch ? self->sequence_counter : 0;
}

/* Events emitted while set are numbered as usual, then dropped at flush:
 * how a dry run goes through every step without writing. */
void
syn_event_store_set_discard (SynEventStore *self, gboolean discard)
{
  g_return_if_fail (SYN_IS_EVENT_STORE (self));
  self->discard = discard != FALSE;
}

gboolean
syn_event_store_flush (SynEventStore *self, GError **error)
{
  g_return_val_if_fail (SYN_IS_EVENT_STORE (self), FALSE);

  if (self->pending->len == 0)
    return TRUE;
  if (self->discard)
    {
      g_ptr_array_set_size (self->pending, 0);
      return TRUE;
    }
  if (!syn_store_append_events (self->store, self->pending, error))
    return FALSE;
  g_ptr_array_set_size (self->pending, 0);
  return TRUE;
}

/* Returns a new reference to the event; its position is set once flushed.
 * @payload and @metadata are taken (may be NULL). */
SynEvent *
syn_event_store_emit (SynEventStore *self,
                      const char    *event_type,
                      const char    *aggregate_type,
                      const char    *aggregate_id,
                      JsonNode      *payload,
                      const char    *rule_id,
                      const char    *discipline,
                      const char    *causation_id,
                      JsonNode      *metadata,
                      GError       **error)
{
  g_autoptr(JsonNode) owned_payload = payload;
  g_autoptr(JsonNode) owned_metadata = metadata;
  SynEvent *event;

  g_return_val_if_fail (SYN_IS_EVENT_STORE (self), NULL);
  g_return_val_if_fail (event_type != NULL, NULL);
  g_return_val_if_fail (aggregate_type != NULL, NULL);

  if (!syn_is_event_type (event_type))
    {
      g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID,
                   "Unknown event type \"%s\"", event_type);
      return NULL;
    }
  if (!syn_is_aggregate_type (aggregate_type))
    {
      g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID,
                   "Unknown aggregate type \"%s\"", aggregate_type);
      return NULL;
    }
  if (!self->in_batch && syn_event_store_start_batch (self, error) == NULL)
    return NULL;

  event = syn_event_new ();
  event->id = syn_uuid_new ();
  event->event_type = g_strdup (event_type);
  event->aggregate_type = g_strdup (aggregate_type);
  event->aggregate_id = g_strdup (aggregate_id);
  event->project_id = g_strdup (self->project_id);
  event->rule_id = g_strdup (rule_id);
  event->discipline = g_strdup (discipline);
  event->payload = owned_payload ? g_steal_pointer (&owned_payload)
                                 : syn_json_node_new_object (json_object_new ());
  event->metadata = owned_metadata ? g_steal_pointer (&owned_metadata)
                                   : syn_json_node_new_object (json_object_new ());
  /* a clone's pushed operation: its ids in every event (syn-push-mark.h) */
  {
    JsonObject *sync = syn_push_mark_metadata (self->store);

    if (sync != NULL && JSON_NODE_HOLDS_OBJECT (event->metadata))
      json_object_set_object_member (json_node_get_object (event->metadata), "sync", sync);
    else if (sync != NULL)
      json_object_unref (sync);
  }
  event->correlation_id = g_strdup (self->correlation_id);
  event->causation_id = g_strdup (causation_id);
  event->sequence_num = self->sequence_counter++;
  event->user_id = g_strdup (self->user_id);
  event->timestamp = syn_time_now_usec ();

  g_ptr_array_add (self->pending, g_object_ref (event));
  if (self->pending->len >= FLUSH_EVERY && !syn_event_store_flush (self, error))
    {
      g_object_unref (event);
      return NULL;
    }
  return event;
}

static void
end_batch (SynEventStore *self)
{
  g_ptr_array_set_size (self->pending, 0);
  self->in_batch = FALSE;
  self->owns_transaction = FALSE;
}

/* Appends what is buffered and commits the transaction the batch opened. On
 * failure the whole batch is abandoned: nothing of it remains. */
gboolean
syn_event_store_commit_batch (SynEventStore *self, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean owned;

  g_return_val_if_fail (SYN_IS_EVENT_STORE (self), FALSE);

  if (!self->in_batch)
    {
      g_set_error_literal (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID, "No batch in progress");
      return FALSE;
    }
  if (!syn_event_store_flush (self, error) ||
      (self->sequence_counter > 0 &&
       !syn_push_mark_record (self->store, self->project_id, self->correlation_id, error)))
    {
      syn_event_store_abandon_batch (self);
      return FALSE;
    }
  if (self->owns_transaction && !syn_store_commit (self->store, error))
    {
      end_batch (self);
      return FALSE;
    }
  owned = self->owns_transaction;
  end_batch (self);
  /* after the batch's own transaction, never inside a caller's: a cache,
   * whose failure costs time later, not this batch */
  if (owned && !syn_state_checkpoint_write_due (self->store, self->project_id, &local_error))
    g_message ("No state checkpoint written ahead for project %s (an as-of will write it): %s", self->project_id, local_error->message);
  return TRUE;
}

void
syn_event_store_abandon_batch (SynEventStore *self)
{
  g_return_if_fail (SYN_IS_EVENT_STORE (self));

  if (!self->in_batch)
    return;
  if (self->owns_transaction)
    syn_store_rollback (self->store);
  end_batch (self);
}

/* The query's project is always this store's: a caller cannot read another
 * project's events through it. */
GPtrArray *
syn_event_store_query (SynEventStore        *self,
                       const SynEventQuery  *query,
                       guint64              *total,
                       GError              **error)
{
  g_autoptr(SynEventQuery) scoped = NULL;

  g_return_val_if_fail (SYN_IS_EVENT_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  scoped = syn_event_query_copy (query);
  g_free (scoped->project_id);
  scoped->project_id = g_strdup (self->project_id);
  return syn_store_query_events (self->store, scoped, total, error);
}

GPtrArray *
syn_event_store_get_by_correlation (SynEventStore *self, const char *correlation_id, GError **error)
{
  g_return_val_if_fail (SYN_IS_EVENT_STORE (self), NULL);
  g_return_val_if_fail (correlation_id != NULL, NULL);

  return syn_store_get_events_by_correlation (self->store, self->project_id, correlation_id, error);
}

GPtrArray *
syn_event_store_get_asset_history (SynEventStore *self, const char *asset_id, GError **error)
{
  g_return_val_if_fail (SYN_IS_EVENT_STORE (self), NULL);
  g_return_val_if_fail (asset_id != NULL, NULL);

  return syn_store_get_asset_history (self->store, self->project_id, asset_id, error);
}
