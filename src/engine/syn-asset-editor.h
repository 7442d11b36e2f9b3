/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-asset-editor.h: manual edits of assets (create, update, delete), each one batch. */
#pragma once

#include "engine/syn-batch.h"
#include "store/syn-store.h"

G_BEGIN_DECLS

SynAsset *syn_asset_editor_create (SynStore    *store,
                                   const char  *project_id,
                                   const char  *user_id,
                                   JsonObject  *fields,
                                   char       **correlation_id,
                                   GError     **error);
SynAsset *syn_asset_editor_update (SynStore    *store,
                                   const char  *project_id,
                                   const char  *user_id,
                                   const char  *asset_id,
                                   JsonObject  *patch,
                                   char       **correlation_id,
                                   GError     **error);
gboolean  syn_asset_editor_delete (SynStore    *store,
                                   const char  *project_id,
                                   const char  *user_id,
                                   const char  *asset_id,
                                   char       **correlation_id,
                                   GError     **error);
/* One patch (no tag) applied to several assets in one batch. */
gboolean  syn_asset_editor_update_many (SynStore            *store,
                                        const char          *project_id,
                                        const char          *user_id,
                                        const char * const  *asset_ids,
                                        JsonObject          *patch,
                                        guint               *updated,
                                        GPtrArray          **assets,
                                        char               **correlation_id,
                                        GError             **error);
/* Deletes assets (with their edges and cables) and cables in one batch. */
gboolean  syn_asset_editor_delete_many (SynStore            *store,
                                        const char          *project_id,
                                        const char          *user_id,
                                        const char * const  *asset_ids,
                                        const char * const  *cable_ids,
                                        guint               *assets_deleted,
                                        guint               *cables_deleted,
                                        char               **correlation_id,
                                        GError             **error);
/* The delete of a person's edit, inside a batch the caller holds (an
 * import's revision deletes the assets its list no longer names). */
gboolean  syn_asset_editor_delete_in_batch (SynBatch    *batch,
                                            SynAsset    *asset,
                                            const char  *causation_id,
                                            guint       *edges_deleted,
                                            guint       *cables_deleted,
                                            GError     **error);
/* Hands values back to the rules: @what is {properties?: [KEY...], fields?:
 * [COLUMN...], rules?: [RULE_ID...]} or {all: true} (everything the asset
 * holds). The next run re-derives them. One batch, or none when
 * nothing was held. */
SynAsset *syn_asset_editor_reset  (SynStore    *store,
                                   const char  *project_id,
                                   const char  *user_id,
                                   const char  *asset_id,
                                   JsonObject  *what,
                                   char       **correlation_id,
                                   GError     **error);

G_END_DECLS
