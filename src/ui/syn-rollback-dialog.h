/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-rollback-dialog.h: SynRollbackDialog, confirm a rollback; on refusal, offer the cascade. */
#pragma once

#include <gtk/gtk.h>

#include "syn-session.h"
#include "syn-timeline-batch.h"

G_BEGIN_DECLS

#define SYN_TYPE_ROLLBACK_DIALOG (syn_rollback_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SynRollbackDialog, syn_rollback_dialog, SYN, ROLLBACK_DIALOG, GtkWindow)

SynRollbackDialog *syn_rollback_dialog_new         (GtkWindow         *parent,
                                                    SynSession        *session,
                                                    const char        *correlation_id,
                                                    SynTimelineBatch  *batch);
gboolean           syn_rollback_dialog_get_ready   (SynRollbackDialog *self);
guint              syn_rollback_dialog_get_n_blockers (SynRollbackDialog *self);
void               syn_rollback_dialog_confirm     (SynRollbackDialog *self);

G_END_DECLS
