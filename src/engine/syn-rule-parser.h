/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-rule-parser.h: rule definitions (DESIGN.md section 4): parsing, validation and their JSON form. */
#pragma once

#include <json-glib/json-glib.h>

#include "core/syn-rule.h"

G_BEGIN_DECLS

/* Errors are SYN_ENGINE_ERROR_INVALID_RULE, their message naming the rule and
 * the field: Rule "firm-pump-motor": condition.all[0].op: unknown operator "=~"
 * syn_rule_source_default_priority() returns -1 for an unknown source. */

SynRule  *syn_rule_parse                   (JsonObject  *object,
                                            const char  *project_id,
                                            GError     **error);
gboolean  syn_rule_validate                (SynRule     *rule,
                                            GError     **error);
JsonNode *syn_rule_to_definition_json      (SynRule     *rule);
gint64    syn_rule_source_default_priority (const char  *source);

G_END_DECLS
