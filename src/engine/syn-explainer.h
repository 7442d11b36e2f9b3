/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-explainer.h: explain: each rule's verdict on an asset, and the provenance of its values. */
#pragma once

#include "store/syn-store.h"

G_BEGIN_DECLS

JsonNode *syn_explain_asset (SynStore    *store,
                             const char  *project_id,
                             const char  *asset_id,
                             GError     **error);

G_END_DECLS
