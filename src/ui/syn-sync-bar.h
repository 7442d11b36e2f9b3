/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-sync-bar.h: SynSyncBar, the bar across the window of a clone (offline work): how far ahead and behind
 * the copy is, Sync, its conflicts; and Work Offline, which makes the clone of a connected project. */
#pragma once

#include <gtk/gtk.h>

#include "backend/syn-remote-backend.h"
#include "syn-session.h"

G_BEGIN_DECLS

#define SYN_TYPE_SYNC_BAR (syn_sync_bar_get_type ())

G_DECLARE_FINAL_TYPE (SynSyncBar, syn_sync_bar, SYN, SYNC_BAR, GtkWidget)

void        syn_sync_bar_set_session      (SynSyncBar       *self,
                                           SynSession       *session);
void        syn_sync_bar_set_narrow       (SynSyncBar       *self,
                                           gboolean          narrow);
/* Work Offline: the dialog that clones the session's (remote) project, then
 * the window works on the clone. */
void        syn_sync_bar_work_offline     (SynSyncBar       *self);
/* Opens the clone at @path in the session; @server (nullable) is the signed-in
 * backend Sync uses. */
gboolean    syn_sync_bar_open_clone       (SynSyncBar       *self,
                                           const char       *path,
                                           const char       *project_id,
                                           SynRemoteBackend *server,
                                           GError          **error);
/* Reads the counts again: as last seen, or asking the server now. */
void        syn_sync_bar_refresh          (SynSyncBar       *self,
                                           gboolean          ask_server);
gboolean    syn_sync_bar_get_shown        (SynSyncBar       *self);
gboolean    syn_sync_bar_get_busy         (SynSyncBar       *self);
/* The last status read ({ahead, behind, conflicts, operations...}), or NULL. */
JsonObject *syn_sync_bar_get_status       (SynSyncBar       *self);
const char *syn_sync_bar_get_text         (SynSyncBar       *self);
const char *syn_sync_bar_get_sync_label   (SynSyncBar       *self);
/* The path of the clone shown, or NULL. */
const char *syn_sync_bar_get_path         (SynSyncBar       *self);

G_END_DECLS
