/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-engine-error.c: the engine's GError domain. */
#include "config.h"

#include "engine/syn-engine-error.h"

G_DEFINE_QUARK (syn-engine-error-quark, syn_engine_error)
