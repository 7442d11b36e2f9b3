/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-local-backend-assets.c: SynLocalBackend operations: CSV import and manual edits of assets. */
#include "config.h"

#include "syn-local-backend-private.h"

const SynOpEntry _syn_ops_assets[] = {
  { NULL, NULL }
};
