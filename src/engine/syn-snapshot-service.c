/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-snapshot-service.c: SynSnapshotService: pre-images of batches, kept for their rollback. */
#include "config.h"

#include "syn-snapshot-service.h"

struct _SynSnapshotService
{
  GObject   parent_instance;

  SynStore *store;
  char     *project_id;
};

G_DEFINE_FINAL_TYPE (SynSnapshotService, syn_snapshot_service, G_TYPE_OBJECT)

static void
syn_snapshot_service_finalize (GObject *object)
{
  SynSnapshotService *self = SYN_SNAPSHOT_SERVICE (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->project_id, g_free);

  G_OBJECT_CLASS (syn_snapshot_service_parent_class)->finalize (object);
}

static void
syn_snapshot_service_class_init (SynSnapshotServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = syn_snapshot_service_finalize;
}

static void
syn_snapshot_service_init (SynSnapshotService *self)
{
}

SynSnapshotService *
syn_snapshot_service_new (SynStore *store, const char *project_id)
{
  SynSnapshotService *self;

  g_return_val_if_fail (SYN_IS_STORE (store), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  self = g_object_new (SYN_TYPE_SNAPSHOT_SERVICE, NULL);
  self->store = g_object_ref (store);
  self->project_id = g_strdup (project_id);
  return self;
}

/* @entities: {"assets": [...], "cables": [...], "edges": [...], ...}; taken.
 * Written in the caller's transaction when one is open (a batch), so the
 * snapshot commits with the batch or not at all. */
SynSnapshot *
syn_snapshot_service_create_snapshot (SynSnapshotService *self,
                                      const char         *correlation_id,
                                      JsonNode           *entities,
                                      GError            **error)
{
  g_autoptr(JsonNode) owned = entities;
  g_autoptr(SynSnapshot) snapshot = NULL;

  g_return_val_if_fail (SYN_IS_SNAPSHOT_SERVICE (self), NULL);
  g_return_val_if_fail (correlation_id != NULL, NULL);

  if (owned != NULL && !JSON_NODE_HOLDS_OBJECT (owned))
    {
      g_set_error_literal (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID,
                           "snapshot_data must be a JSON object");
      return NULL;
    }

  snapshot = syn_snapshot_new ();
  snapshot->correlation_id = g_strdup (correlation_id);
  snapshot->project_id = g_strdup (self->project_id);
  snapshot->snapshot_data = owned ? g_steal_pointer (&owned) : syn_json_node_new_object (json_object_new ());
  snapshot->status = g_strdup (SYN_SNAPSHOT_ACTIVE);
  snapshot->executed_at = syn_time_now_usec ();
  if (!syn_store_insert_snapshot (self->store, snapshot, error))
    return NULL;
  return g_steal_pointer (&snapshot);
}

SynSnapshot *
syn_snapshot_service_get_by_correlation (SynSnapshotService *self,
                                         const char         *correlation_id,
                                         GError            **error)
{
  g_return_val_if_fail (SYN_IS_SNAPSHOT_SERVICE (self), NULL);
  g_return_val_if_fail (correlation_id != NULL, NULL);

  return syn_store_get_snapshot (self->store, self->project_id, correlation_id, error);
}

gboolean
syn_snapshot_service_update_event_count (SynSnapshotService *self,
                                         const char         *correlation_id,
                                         gint64              count,
                                         GError            **error)
{
  g_return_val_if_fail (SYN_IS_SNAPSHOT_SERVICE (self), FALSE);
  g_return_val_if_fail (correlation_id != NULL, FALSE);

  return syn_store_update_snapshot_events_count (self->store, self->project_id, correlation_id, count, error);
}

SynSnapshot *
syn_snapshot_service_mark_rolled_back (SynSnapshotService *self,
                                       const char         *correlation_id,
                                       const char         *user_id,
                                       GError            **error)
{
  g_return_val_if_fail (SYN_IS_SNAPSHOT_SERVICE (self), NULL);
  g_return_val_if_fail (correlation_id != NULL, NULL);

  if (!syn_store_mark_snapshot_rolled_back (self->store, self->project_id, correlation_id, user_id,
                                            syn_time_now_usec (), error))
    return NULL;
  return syn_store_get_snapshot (self->store, self->project_id, correlation_id, error);
}

GPtrArray *
syn_snapshot_service_list_active (SynSnapshotService *self, guint limit, GError **error)
{
  g_return_val_if_fail (SYN_IS_SNAPSHOT_SERVICE (self), NULL);

  return syn_store_list_snapshots (self->store, self->project_id, TRUE, limit, error);
}
