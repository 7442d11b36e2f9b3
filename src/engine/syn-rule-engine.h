/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-rule-engine.h: SynRuleEngine: runs a project's rules as one batch, with live messages. */
#pragma once

#include <gio/gio.h>

#include "store/syn-store.h"

G_BEGIN_DECLS

#define SYN_TYPE_RULE_ENGINE (syn_rule_engine_get_type ())

G_DECLARE_FINAL_TYPE (SynRuleEngine, syn_rule_engine, SYN, RULE_ENGINE, GObject)

/* Called on the engine's thread: once when the batch has begun (the
 * execution holds its project), then for every live message (the JSON of
 * DESIGN.md section 7.2, a new reference the callee may keep). */
typedef void (*SynEngineStartedFunc) (const char *execution_id,
                                      const char *correlation_id,
                                      gpointer    user_data);
typedef void (*SynEngineMessageFunc) (JsonNode   *message,
                                      gpointer    user_data);

/* A request: {"project_id", "mode": "execute" | "dry_run", "filters": {rule_ids,
 * disciplines, action_types, asset_ids, asset_types}}. */
SynRuleEngine *syn_rule_engine_new            (const char            *db_uri);
JsonNode      *syn_rule_engine_run            (SynRuleEngine         *self,
                                               SynStore              *store,
                                               const char            *execution_id,
                                               JsonObject            *request,
                                               const char            *user_id,
                                               GCancellable          *cancellable,
                                               SynEngineStartedFunc   started,
                                               SynEngineMessageFunc   message,
                                               gpointer               user_data,
                                               GError               **error);
gboolean       syn_rule_engine_validate_request (JsonObject          *request,
                                                 GError             **error);
JsonNode      *syn_rule_engine_status         (SynStore              *store,
                                               const char            *project_id,
                                               GError               **error);
JsonNode      *syn_rule_engine_preview_rule   (SynStore              *store,
                                               const char            *project_id,
                                               SynRule               *rule,
                                               GError               **error);
void           syn_rule_engine_wait_for_cleanup (void);

G_END_DECLS
