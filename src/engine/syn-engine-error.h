/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-engine-error.h: SYN_ENGINE_ERROR, the GError domain of the engine. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SYN_ENGINE_ERROR (syn_engine_error_quark ())

typedef enum {
  SYN_ENGINE_ERROR_FAILED,
  SYN_ENGINE_ERROR_INVALID_RULE,
  SYN_ENGINE_ERROR_INVALID_CSV,
  SYN_ENGINE_ERROR_SIZING,
  SYN_ENGINE_ERROR_CYCLE,
  SYN_ENGINE_ERROR_CANCELLED,
  SYN_ENGINE_ERROR_BUSY,
  SYN_ENGINE_ERROR_NOT_FOUND,
  SYN_ENGINE_ERROR_ROLLBACK_REFUSED,
  SYN_ENGINE_ERROR_ROLLBACK_BLOCKED, /* later batches stand in the way (of a rollback or a redo) */
  SYN_ENGINE_ERROR_CONFLICT,        /* the change clashes with what is there (a rule id in another scope) */
  SYN_ENGINE_ERROR_INVALID,         /* a request that cannot apply (rules run on the rule library) */
} SynEngineError;

GQuark syn_engine_error_quark (void);

G_END_DECLS
