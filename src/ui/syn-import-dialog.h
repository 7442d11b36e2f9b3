/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-import-dialog.h: SynImportDialog, import an asset list as new assets or as a revised list, previewed first. */
#pragma once

#include <gtk/gtk.h>

#include "syn-session.h"

G_BEGIN_DECLS

#define SYN_TYPE_IMPORT_DIALOG (syn_import_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SynImportDialog, syn_import_dialog, SYN, IMPORT_DIALOG, GtkWindow)

SynImportDialog *syn_import_dialog_new                (GtkWindow       *parent,
                                                       SynSession      *session,
                                                       const char      *file_name,
                                                       const char      *csv);
gboolean         syn_import_dialog_get_ready          (SynImportDialog *self);
gboolean         syn_import_dialog_get_revision       (SynImportDialog *self);
void             syn_import_dialog_set_revision       (SynImportDialog *self,
                                                       gboolean         revision);
void             syn_import_dialog_set_delete_missing (SynImportDialog *self,
                                                       gboolean         delete_missing);
JsonObject      *syn_import_dialog_get_preview        (SynImportDialog *self);
gboolean         syn_import_dialog_get_can_import     (SynImportDialog *self);
void             syn_import_dialog_confirm            (SynImportDialog *self);

G_END_DECLS
