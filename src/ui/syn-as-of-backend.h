/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-as-of-backend.h: SynAsOfBackend, the project as of a past moment (SYN_OP_STATE_AS_OF's answer)
 * behind the SynBackend interface, read-only, for the views that show it. */
#pragma once

#include "backend/syn-backend.h"

G_BEGIN_DECLS

#define SYN_TYPE_AS_OF_BACKEND (syn_as_of_backend_get_type ())

G_DECLARE_FINAL_TYPE (SynAsOfBackend, syn_as_of_backend, SYN, AS_OF_BACKEND, GObject)

/* @state: SYN_OP_STATE_AS_OF's answer (taken; never changed or referenced
 * again by the caller: workers read it). @live: the backend it came from,
 * for the reads that history answers (an asset's events up to the moment). */
SynBackend *syn_as_of_backend_new          (SynBackend     *live,
                                            JsonNode       *state);
gint64      syn_as_of_backend_get_position (SynAsOfBackend *self);

G_END_DECLS
