/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-asset-editor-dialog.h: SynAssetEditorDialog, add or change an asset (tag, type, description, area,
 * discipline, properties), errors shown at their field. */
#pragma once

#include <gtk/gtk.h>

#include "syn-session.h"

G_BEGIN_DECLS

#define SYN_TYPE_ASSET_EDITOR_DIALOG (syn_asset_editor_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SynAssetEditorDialog, syn_asset_editor_dialog, SYN, ASSET_EDITOR_DIALOG, GtkWindow)

/* @asset: the asset as the backend answers it, to change; NULL for a new one. */
SynAssetEditorDialog *syn_asset_editor_dialog_new          (GtkWindow            *parent,
                                                            SynSession           *session,
                                                            JsonObject           *asset);
/* Several assets at once (@assets: their JSON objects): the fields given
 * are set on each, one batch; no tag. */
SynAssetEditorDialog *syn_asset_editor_dialog_new_for_many (GtkWindow      *parent,
                                                            SynSession     *session,
                                                            GPtrArray      *assets);
/* The entry of a field: "tag", "type", "description", "area". */
GtkEditable          *syn_asset_editor_dialog_get_entry    (SynAssetEditorDialog *self,
                                                            const char           *field);
GtkDropDown          *syn_asset_editor_dialog_get_discipline (SynAssetEditorDialog *self);
/* A property row (a new one at the end); its key and value entries. */
void                  syn_asset_editor_dialog_add_property (SynAssetEditorDialog *self,
                                                            const char           *key,
                                                            const char           *value);
guint                 syn_asset_editor_dialog_get_n_properties (SynAssetEditorDialog *self);
GtkEditable          *syn_asset_editor_dialog_get_property_entry (SynAssetEditorDialog *self,
                                                                  guint                 index,
                                                                  gboolean              value);
void                  syn_asset_editor_dialog_remove_property (SynAssetEditorDialog *self,
                                                               guint                 index);
/* Checks, then creates or updates (one batch); closes when done. */
void                  syn_asset_editor_dialog_save         (SynAssetEditorDialog *self);
/* The error shown at @field ("tag", …, "properties.KEY" or "properties[N]",
 * "" for the dialog's own), or NULL. */
const char           *syn_asset_editor_dialog_get_error    (SynAssetEditorDialog *self,
                                                            const char           *field);
gboolean              syn_asset_editor_dialog_get_busy     (SynAssetEditorDialog *self);

G_END_DECLS
