/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-rule-condition.h: evaluation of a rule's condition against one asset, with the reason for the explain feature. */
#pragma once

#include <json-glib/json-glib.h>

#include "core/syn-asset.h"

G_BEGIN_DECLS

/* Why a condition did not match: the first test that failed, as text
 * ("pump_type == CENTRIFUGAL", "asset_type in [PUMP]"), and the asset's actual
 * value as text (NULL when the asset has none). Both NULL when matched.
 * syn_rule_condition_evaluate() overwrites the verdict without reading it:
 * clear it before reusing it. */
typedef struct
{
  gboolean matched;
  char *failed_test;
  char *actual;
} SynConditionVerdict;

gboolean syn_rule_condition_evaluate  (JsonNode            *condition,
                                       SynAsset            *asset,
                                       const char          *project_country,
                                       SynConditionVerdict *verdict);
void     syn_condition_verdict_clear  (SynConditionVerdict *verdict);
gboolean syn_rule_condition_matches   (JsonNode            *condition,
                                       SynAsset            *asset,
                                       const char          *project_country);

/* g_auto(SynConditionVerdict) verdict = { 0 }; */
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SynConditionVerdict, syn_condition_verdict_clear)

G_END_DECLS
