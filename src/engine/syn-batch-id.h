/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-batch-id.h: batch ids as people give them: the full id, or 8 or more hex digits of its start or end. */
#pragma once

#include "store/syn-store.h"

G_BEGIN_DECLS

/* The fewest hex digits that name a batch (and what the CLI and GUI show). */
#define SYN_BATCH_ID_MIN_DIGITS 8

gboolean  syn_batch_id_is_valid (const char  *text);
gboolean  syn_batch_id_check    (const char  *text,
                                 GError     **error);
gboolean  syn_batch_id_check_full (const char *correlation_id,
                                   int         code,
                                   GError    **error);
char     *syn_batch_id_resolve  (SynStore    *store,
                                 const char  *project_id,
                                 const char  *text,
                                 GError     **error);

G_END_DECLS
