/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-sync-jobs.h: the GUI's offline work off the main loop: SynSyncClient's clone, status, sync and resolve
 * in a worker thread (GTask), with the clone's progress brought back to the main context. */
#pragma once

#include <gio/gio.h>

#include "backend/syn-remote-backend.h"
#include "backend/syn-sync-client.h"

G_BEGIN_DECLS

typedef enum {
  SYN_SYNC_JOB_CLONE,
  SYN_SYNC_JOB_STATUS,
  SYN_SYNC_JOB_SYNC,
  SYN_SYNC_JOB_RESOLVE,
} SynSyncJobKind;

/* Called on the main context with the clone's stage ("events", "replay"). */
typedef void (*SynSyncJobProgress) (GObject    *target,
                                    const char *stage,
                                    guint64     done,
                                    guint64     total);

typedef struct
{
  SynSyncJobKind      kind;
  SynRemoteBackend   *server;          /* nullable: status as last seen */
  const char         *path;            /* the clone's file */
  const char         *project;         /* an id or a name */
  gint64              op_id;           /* resolve */
  const char         *choice;          /* resolve: "mine" or "theirs" */
  GObject            *progress_target; /* held weakly */
  SynSyncJobProgress  progress;
} SynSyncJobRequest;

void      syn_sync_job_run_async  (const SynSyncJobRequest *request,
                                   GCancellable            *cancellable,
                                   GAsyncReadyCallback      callback,
                                   gpointer                 user_data);
/* The SynSyncClient's answer (resolve: {id, resolution}). */
JsonNode *syn_sync_job_run_finish (GAsyncResult            *result,
                                   GError                 **error);

/* Where a project's clone goes by default: the user's data folder,
 * synapse/clones/PROJECT.db (PROJECT-2.db... when taken). */
char     *syn_sync_job_default_path (const char            *project_name);

G_END_DECLS
