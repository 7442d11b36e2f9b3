/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-local-backend-rules.c: SynLocalBackend operations: rules, execution and explain. */
#include "config.h"

#include "syn-local-backend-private.h"

const SynOpEntry _syn_ops_rules[] = {
  { NULL, NULL }
};
