/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-push-mark.h: what a clone's pushed operation leaves on the server batch it makes: its idempotency key and ids. */
#pragma once

#include "store/syn-store.h"

G_BEGIN_DECLS

/* The idempotency key of a clone's local batch: "CLONE_ID:LOCAL_BATCH_ID". */
char       *syn_push_mark_key      (const char *clone_id,
                                    const char *local_batch_id);
/* While set on @store (one worker's connection), every event its batches
 * emit carries metadata "sync": {clone_id, local_batch_id}, and the first
 * batch committed writes the key (syn_store_insert_push_key()) in its own
 * transaction, so that the operation is applied once whatever retries. */
void        syn_push_mark_set      (SynStore   *store,
                                    const char *clone_id,
                                    const char *local_batch_id);
void        syn_push_mark_clear    (SynStore   *store);
/* The "sync" metadata member while set (a new object), else NULL. */
JsonObject *syn_push_mark_metadata (SynStore   *store);
/* Called by a batch's commit inside its transaction: writes the key the
 * first time; nothing when no mark is set. */
gboolean    syn_push_mark_record   (SynStore   *store,
                                    const char *project_id,
                                    const char *correlation_id,
                                    GError    **error);
/* The first batch the mark's operation made (NULL: none yet). */
const char *syn_push_mark_get_batch (SynStore  *store);

G_END_DECLS
