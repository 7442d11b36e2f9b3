/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-clone-dialog.h: SynCloneDialog, "Work Offline": where the copy of a team project goes, its progress,
 * Cancel. */
#pragma once

#include <adwaita.h>

#include "backend/syn-remote-backend.h"
#include "core/syn-project.h"

G_BEGIN_DECLS

#define SYN_TYPE_CLONE_DIALOG (syn_clone_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SynCloneDialog, syn_clone_dialog, SYN, CLONE_DIALOG, AdwWindow)

/* ::cloned (path, project_id) once the copy is whole; the dialog then closes. */
SynCloneDialog *syn_clone_dialog_new      (GtkWindow        *parent,
                                           SynRemoteBackend *server,
                                           SynProject       *project);
const char     *syn_clone_dialog_get_path (SynCloneDialog   *self);
void            syn_clone_dialog_set_path (SynCloneDialog   *self,
                                           const char       *path);
gboolean        syn_clone_dialog_get_busy (SynCloneDialog   *self);
const char     *syn_clone_dialog_get_progress_text (SynCloneDialog *self);

G_END_DECLS
