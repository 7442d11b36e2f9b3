/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-rollback-service.h: the specification's RollbackService: undo a batch exactly, from its snapshot. */
#pragma once

#include "store/syn-store.h"

G_BEGIN_DECLS

JsonNode  *syn_rollback_service_rollback      (SynStore    *store,
                                               const char  *project_id,
                                               const char  *correlation_id,
                                               const char  *user_id,
                                               gboolean     cascade,
                                               GError     **error);
GPtrArray *syn_rollback_service_find_blockers (SynStore    *store,
                                               const char  *project_id,
                                               const char  *correlation_id,
                                               GError     **error);

G_END_DECLS
