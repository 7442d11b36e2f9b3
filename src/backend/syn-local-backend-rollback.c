/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-local-backend-rollback.c: SynLocalBackend operations: rollback of batches. */
#include "config.h"

#include "syn-local-backend-private.h"

const SynOpEntry _syn_ops_rollback[] = {
  { NULL, NULL }
};
