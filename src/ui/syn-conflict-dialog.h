/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-conflict-dialog.h: SynConflictDialog, a clone's operations in conflict with the server, each with its
 * fields' base, theirs and mine, and Keep Mine / Keep Theirs. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SYN_TYPE_CONFLICT_DIALOG (syn_conflict_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SynConflictDialog, syn_conflict_dialog, SYN, CONFLICT_DIALOG, AdwWindow)

/* @operations: the clone's operations in conflict (sync status's, status
 * "conflict"). ::resolved (op id, "mine" or "theirs") after each choice is
 * kept in the clone; the dialog closes once none is left. */
SynConflictDialog *syn_conflict_dialog_new     (GtkWindow         *parent,
                                                const char        *path,
                                                const char        *project_id,
                                                JsonArray         *operations);
guint              syn_conflict_dialog_get_n_left (SynConflictDialog *self);

G_END_DECLS
