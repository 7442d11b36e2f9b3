/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-redo-service.h: redo: a rolled-back batch applied again, exactly, as a batch of its own. */
#pragma once

#include "store/syn-store.h"

G_BEGIN_DECLS

/* Applies again what the rolled-back batch @correlation_id did (or, for a
 * rollback's own batch, every batch it rolled back, oldest first: undoing
 * the rollback), in one new batch that can itself be rolled back:
 * BATCH_REDONE per batch, then its entity and rule-definition changes,
 * caused by it. When nothing happened in between, the state is exactly the
 * one the batch left. {status: "redone", correlation_id, redone: [ids],
 * redo_correlation_id, summary: {assets_created, assets_updated,
 * assets_deleted, cables_created, cables_updated, cables_deleted,
 * edges_created, edges_deleted, rules_changed}}.
 * Errors: SYN_ENGINE_ERROR_INVALID (not a UUID, not rolled back, no
 * snapshot), _NOT_FOUND, _ROLLBACK_BLOCKED (later batches changed the same
 * entities, or refer to what it deletes: see find_blockers), _CONFLICT (a
 * tag in use, an end that is gone, named with the batch that did it), or
 * the store's; on any, nothing has changed. */
JsonNode  *syn_redo_service_redo          (SynStore    *store,
                                           const char  *project_id,
                                           const char  *correlation_id,
                                           const char  *user_id,
                                           GError     **error);
/* The live batches that stand in the way of that redo: later ones that
 * changed an entity or a rule definition it changed, and the ones whose
 * edges, cables or rule outputs refer to an asset it deletes, or that
 * deleted an asset its edges and cables need. Correlation ids, newest first. */
GPtrArray *syn_redo_service_find_blockers (SynStore    *store,
                                           const char  *project_id,
                                           const char  *correlation_id,
                                           GError     **error);

G_END_DECLS
