/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-snapshot-service.h: SynSnapshotService, the specification's SnapshotService. */
#pragma once

#include "store/syn-store.h"

G_BEGIN_DECLS

#define SYN_TYPE_SNAPSHOT_SERVICE (syn_snapshot_service_get_type ())

G_DECLARE_FINAL_TYPE (SynSnapshotService, syn_snapshot_service, SYN, SNAPSHOT_SERVICE, GObject)

SynSnapshotService *syn_snapshot_service_new                (SynStore           *store,
                                                             const char         *project_id);
SynSnapshot        *syn_snapshot_service_create_snapshot    (SynSnapshotService *self,
                                                             const char         *correlation_id,
                                                             JsonNode           *entities,
                                                             GError            **error);
SynSnapshot        *syn_snapshot_service_get_by_correlation (SynSnapshotService *self,
                                                             const char         *correlation_id,
                                                             GError            **error);
gboolean            syn_snapshot_service_update_event_count (SynSnapshotService *self,
                                                             const char         *correlation_id,
                                                             gint64              count,
                                                             GError            **error);
SynSnapshot        *syn_snapshot_service_mark_rolled_back   (SynSnapshotService *self,
                                                             const char         *correlation_id,
                                                             const char         *user_id,
                                                             GError            **error);
GPtrArray          *syn_snapshot_service_list_active        (SynSnapshotService *self,
                                                             guint               limit,
                                                             GError            **error);

G_END_DECLS
