/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-state-hash.h: the SHA-256 of a project's canonical state (assets, cables, edges). */
#pragma once

#include "store/syn-store.h"

G_BEGIN_DECLS

char *syn_state_hash_compute (SynStore   *store,
                              const char *project_id,
                              GError    **error);
/* The same hash over a state held in memory (SynAsset, SynCable, SynEdge),
 * already in the store's order: assets and cables by tag, edges by id. */
char *syn_state_hash_of      (GPtrArray  *assets,
                              GPtrArray  *cables,
                              GPtrArray  *edges);

G_END_DECLS
