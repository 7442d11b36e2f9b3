/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-tag-history.h: the assets and cables that have or had a tag, deleted ones too, newest first. */
#pragma once

#include "store/syn-store.h"

G_BEGIN_DECLS

JsonNode *syn_tag_history_find (SynStore    *store,
                                const char  *project_id,
                                const char  *tag,
                                const char  *kind,
                                GError     **error);

G_END_DECLS
