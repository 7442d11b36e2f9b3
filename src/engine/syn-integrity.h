/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-integrity.h: no edge or cable points at an asset that does not exist: verify, repair, and the checks rollback and redo make. */
#pragma once

#include "store/syn-store.h"

G_BEGIN_DECLS

/* The name of the check below in `synapse verify`'s list. */
#define SYN_INTEGRITY_CHECK "references"

/* Adds a finding to @findings for each edge or cable of the project with an
 * end that is no asset of it: {check: "references", kind: "dangling_edge" |
 * "dangling_cable", entity_type, entity_id, batch (the last that wrote it,
 * or null), message, missing_asset_ids, entity}. Read-only. */
gboolean  syn_integrity_find_dangling (SynStore    *store,
                                       const char  *project_id,
                                       JsonArray   *findings,
                                       GError     **error);
/* Deletes every dangling edge and cable of the project as one batch of its
 * own: INTEGRITY_REPAIRED (why, and how many), then RELATIONSHIP_DELETED and
 * CABLE_DELETED caused by it, each saying which ends are missing. Then
 * validates the constraints where nothing breaks them any more. @dry_run:
 * only says what it would delete. {status: "repaired" | "nothing_to_repair"
 * | "dry_run", project_id, correlation_id (null without a batch),
 * edges_deleted, cables_deleted, findings (as above: what it deletes),
 * constraints_valid (not for a dry run)}. */
JsonNode *syn_integrity_repair        (SynStore    *store,
                                       const char  *project_id,
                                       const char  *user_id,
                                       gboolean     dry_run,
                                       GError     **error);

/* The checks of the batches that put entities back (rollback, redo): each
 * fails with SYN_ENGINE_ERROR_CONFLICT and a sentence naming the entity and
 * the batch that stands in the way, for the caller to prefix. */

/* Before writing @asset with its id: no other asset has its tag ("tag X is
 * in use by asset Y since batch Z"). */
gboolean  syn_integrity_check_asset_tag (SynStore    *store,
                                         SynAsset    *asset,
                                         GError     **error);
gboolean  syn_integrity_check_cable_tag (SynStore    *store,
                                         SynCable    *cable,
                                         GError     **error);
/* No other edge joins the same assets by the same relation. */
gboolean  syn_integrity_check_edge_free (SynStore    *store,
                                         SynEdge     *edge,
                                         GError     **error);
/* After the writes, in their transaction: no cable of @cable_ids and no
 * edge of @edge_ids (sets of the ids a batch wrote; either may be NULL)
 * lacks an end, else which one, and which batch took the end away. Costs
 * two queries, however many were written. */
gboolean  syn_integrity_check_written_ends (SynStore    *store,
                                            const char  *project_id,
                                            GHashTable  *cable_ids,
                                            GHashTable  *edge_ids,
                                            GError     **error);
/* After the writes: no edge or cable names one of the deleted @asset_ids
 * (char *), else which batches made them. */
gboolean  syn_integrity_check_unreferenced (SynStore    *store,
                                            const char  *project_id,
                                            GPtrArray   *asset_ids,
                                            GError     **error);

/* The batch of the newest event, not rolled back, on one entity; NULL
 * without an error when there is none. */
char     *syn_integrity_last_batch (SynStore    *store,
                                    const char  *project_id,
                                    const char  *aggregate_type,
                                    const char  *aggregate_id,
                                    GError     **error);

G_END_DECLS
