/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-run-error.h: SynRunError, one recoverable ERROR of a run (the rule, the asset, what went wrong). */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SYN_TYPE_RUN_ERROR (syn_run_error_get_type ())

G_DECLARE_FINAL_TYPE (SynRunError, syn_run_error, SYN, RUN_ERROR, GObject)

SynRunError *syn_run_error_new          (const char  *rule_id,
                                         const char  *asset_id,
                                         const char  *asset_tag,
                                         const char  *message,
                                         const char  *severity);
const char  *syn_run_error_get_rule_id  (SynRunError *self);
const char  *syn_run_error_get_asset_id (SynRunError *self);
const char  *syn_run_error_get_asset_tag (SynRunError *self);
const char  *syn_run_error_get_message  (SynRunError *self);
const char  *syn_run_error_get_severity (SynRunError *self);

G_END_DECLS
