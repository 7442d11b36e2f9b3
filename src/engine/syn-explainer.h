/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-explainer.h: explain: each rule's verdict on an asset, and the provenance of its values. */
#pragma once

#include "store/syn-store.h"

G_BEGIN_DECLS

JsonNode *syn_explain_asset (SynStore    *store,
                             const char  *project_id,
                             const char  *asset_id,
                             GError     **error);

/* One value an event of an asset's history set: @field is a column ("tag",
 * "type", "description", "discipline", "area"; @value may hold null) or
 * "properties.KEY" (@value NULL: removed). An ASSET_DELETED calls it with
 * @field NULL: what came before is gone. */
typedef void (*SynValueWriteFunc) (const char *field,
                                   JsonNode   *value,
                                   SynEvent   *event,
                                   gpointer    user_data);

/* Who set each value: calls @func for every write of @history (an
 * asset's events, oldest first), in order. */
void      syn_explain_walk_writes (GPtrArray          *history,
                                   SynValueWriteFunc   func,
                                   gpointer            user_data);

G_END_DECLS
