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
/* Guards the mark's first batch of @project_id: inside its transaction,
 * with the project locked, no other batch may have come past @position
 * (where the caller's conflict check read the project); else that batch
 * is abandoned (SYN_STORE_ERROR_BUSY) and syn_push_mark_moved() is TRUE:
 * a change between check and write is never overwritten silently. */
void        syn_push_mark_guard    (SynStore   *store,
                                    const char *project_id,
                                    gint64      position);
gboolean    syn_push_mark_moved    (SynStore   *store);
/* On a clone: while set, the first batch committed on @stream (the
 * project's or the rule library's) writes @entry (its correlation_id set
 * to the batch's) into @project_id's sync operations in its own
 * transaction, so that no crash leaves a local batch nothing pushes. */
void        syn_push_mark_set_record   (SynStore   *store,
                                        const char *stream,
                                        const char *project_id,
                                        JsonObject *entry);
/* Whether the record was written; the record mark is cleared. */
gboolean    syn_push_mark_clear_record (SynStore   *store);
/* The first batch the mark's operation made (NULL: none yet). */
const char *syn_push_mark_get_batch (SynStore  *store);

G_END_DECLS
