/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-live-message.h: the live messages of a run (DESIGN.md section 7.2): one builder of the ERROR message. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* ERROR {rule_id, asset_id, message, recoverable[, severity]}: @severity
 * ("error" or "warning") is left out when NULL, which readers take as "error". */
JsonObject *syn_live_message_error (const char *rule_id,
                                    const char *asset_id,
                                    const char *message,
                                    gboolean    recoverable,
                                    const char *severity);

G_END_DECLS
