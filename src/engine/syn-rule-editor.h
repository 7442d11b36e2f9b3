/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-rule-editor.h: changes of rule definitions, each one batch with its event, so they are on the timeline and roll back. */
#pragma once

#include "store/syn-store.h"

G_BEGIN_DECLS

/* The stream a rule's changes are recorded in: its project's, or the rule
 * library's (SYN_LIBRARY_PROJECT_ID) for a library rule. */
const char *syn_rule_editor_stream (SynRule     *rule);

/* Saves @rule (parsed and validated) in its scope: RULE_DEFINITION_CREATED
 * or _UPDATED (before, after, diff) in a batch of its own. A rule id belongs
 * to one scope (SYN_ENGINE_ERROR_CONFLICT otherwise). @correlation_id is
 * NULL when nothing changed. A rule change never changes assets by itself:
 * the next run re-derives. Returns the rule as stored. */
SynRule    *syn_rule_editor_save   (SynStore    *store,
                                    SynRule     *rule,
                                    const char  *user_id,
                                    char       **correlation_id,
                                    GError     **error);
/* Deletes a rule (of @project_id only, when given): RULE_DEFINITION_DELETED. */
gboolean    syn_rule_editor_delete (SynStore    *store,
                                    const char  *rule_id,
                                    const char  *project_id,
                                    const char  *user_id,
                                    char       **correlation_id,
                                    GError     **error);

G_END_DECLS
