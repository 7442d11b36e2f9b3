/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-run-error-group.h: SynRunErrorGroup, the errors and warnings of one rule in a run, for the error list. */
#pragma once

#include <gio/gio.h>

#include "backend/syn-run-error.h"

G_BEGIN_DECLS

#define SYN_TYPE_RUN_ERROR_GROUP (syn_run_error_group_get_type ())

G_DECLARE_FINAL_TYPE (SynRunErrorGroup, syn_run_error_group, SYN, RUN_ERROR_GROUP, GObject)

SynRunErrorGroup *syn_run_error_group_new          (const char       *rule_id,
                                                    const char       *rule_name);
const char       *syn_run_error_group_get_rule_id  (SynRunErrorGroup *self);
const char       *syn_run_error_group_get_rule_name (SynRunErrorGroup *self);
GListModel       *syn_run_error_group_get_items    (SynRunErrorGroup *self);
guint             syn_run_error_group_get_errors   (SynRunErrorGroup *self);
guint             syn_run_error_group_get_warnings (SynRunErrorGroup *self);
void              syn_run_error_group_add          (SynRunErrorGroup *self,
                                                    GPtrArray        *errors);

G_END_DECLS
