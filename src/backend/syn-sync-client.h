/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-sync-client.h: SynSyncClient: a server's project cloned into a SQLite file, its offline batches pushed back. */
#pragma once

#include "syn-backend.h"

G_BEGIN_DECLS

#define SYN_TYPE_SYNC_CLIENT (syn_sync_client_get_type ())

G_DECLARE_FINAL_TYPE (SynSyncClient, syn_sync_client, SYN, SYNC_CLIENT, GObject)

/* @stage: "push" (operations pushed), "events" (fetched), "replay"; @total
 * 0 when unknown. */
typedef void (*SynSyncProgress) (const char *stage,
                                 guint64     done,
                                 guint64     total,
                                 gpointer    user_data);

/* @server: a signed-in remote backend (NULL: offline, status only); @path:
 * the clone's SQLite file. */
SynSyncClient *syn_sync_client_new          (SynBackend      *server,
                                             const char      *server_url,
                                             const char      *path);
void           syn_sync_client_set_progress (SynSyncClient   *self,
                                             SynSyncProgress  progress,
                                             gpointer         user_data);
/* Makes the clone of @project (an id or a name) at the path, which must not
 * exist: {project_id, name, events, head_position, head_hash, state_hash,
 * clone_id, bytes}. The chain (each hash recomputed) and the state (replayed
 * from the events) must equal the server's, or nothing is left behind. */
JsonNode      *syn_sync_client_clone        (SynSyncClient   *self,
                                             const char      *project,
                                             GError         **error);
/* {project_id, clone_id, server_url, ahead: local batches not yet on the
 * server, conflicts, behind: server batches since the base (asked now when
 * the server is given, else as last seen), behind_seen_at, base_position,
 * base_head_hash, operations: [...]} */
JsonNode      *syn_sync_client_status       (SynSyncClient   *self,
                                             const char      *project,
                                             GError         **error);
/* Pushes the pending operations oldest first, then rebuilds the clone from
 * the server: {pushed, applied_before, conflicts: [operations], dropped,
 * head_hash, state_hash}. A cut leaves what is not pushed pending. */
JsonNode      *syn_sync_client_sync         (SynSyncClient   *self,
                                             const char      *project,
                                             GError         **error);
/* An operation in conflict: "mine" pushes it again over the server's change
 * at the next sync, "theirs" drops it (recorded as dropped). */
gboolean       syn_sync_client_resolve      (SynSyncClient   *self,
                                             const char      *project,
                                             gint64           op_id,
                                             const char      *choice,
                                             GError         **error);

G_END_DECLS
