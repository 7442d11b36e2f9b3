/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-state-hash.h: the SHA-256 of a project's canonical state (assets, cables, edges). */
#pragma once

#include "store/syn-store.h"

G_BEGIN_DECLS

char *syn_state_hash_compute (SynStore   *store,
                              const char *project_id,
                              GError    **error);

G_END_DECLS
