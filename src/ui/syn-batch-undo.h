/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-batch-undo.h: an edit's toast with Undo, and the Undo itself (a rollback of the edit's batch). */
#pragma once

#include "syn-session.h"

G_BEGIN_DECLS

/* Says @text with an Undo button that rolls back @correlation_id
 * (win.undo-batch); without a batch (nothing changed), just @text. */
void syn_batch_undo_offer (SynSession *session,
                           const char *text,
                           const char *correlation_id);
/* Rolls back @correlation_id, says so with a Redo button, and refreshes the views. */
void syn_batch_undo       (SynSession *session,
                           const char *correlation_id);

G_END_DECLS
