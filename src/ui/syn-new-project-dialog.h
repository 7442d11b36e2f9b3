/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-new-project-dialog.h: SynNewProjectDialog, create a project and select it. */
#pragma once

#include <gtk/gtk.h>

#include "syn-session.h"

G_BEGIN_DECLS

#define SYN_TYPE_NEW_PROJECT_DIALOG (syn_new_project_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SynNewProjectDialog, syn_new_project_dialog, SYN, NEW_PROJECT_DIALOG, GtkWindow)

SynNewProjectDialog *syn_new_project_dialog_new (GtkWindow  *parent,
                                                 SynSession *session);

G_END_DECLS
