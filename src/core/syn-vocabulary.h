/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-vocabulary.h: the fixed names of the domain (event and aggregate types, disciplines, roles). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Event types, exactly as the specification names them. */
#define SYN_EVENT_ASSET_CREATED            "ASSET_CREATED"
#define SYN_EVENT_ASSET_UPDATED            "ASSET_UPDATED"
#define SYN_EVENT_ASSET_DELETED            "ASSET_DELETED"
#define SYN_EVENT_CABLE_CREATED            "CABLE_CREATED"
#define SYN_EVENT_CABLE_UPDATED            "CABLE_UPDATED"
#define SYN_EVENT_CABLE_DELETED            "CABLE_DELETED"
#define SYN_EVENT_RELATIONSHIP_CREATED     "RELATIONSHIP_CREATED"
#define SYN_EVENT_RELATIONSHIP_DELETED     "RELATIONSHIP_DELETED"
#define SYN_EVENT_RULE_EXECUTION_STARTED   "RULE_EXECUTION_STARTED"
#define SYN_EVENT_RULE_EXECUTED            "RULE_EXECUTED"
#define SYN_EVENT_RULE_SKIPPED             "RULE_SKIPPED"
#define SYN_EVENT_RULE_ERROR               "RULE_ERROR"
#define SYN_EVENT_RULE_EXECUTION_COMPLETED "RULE_EXECUTION_COMPLETED"
#define SYN_EVENT_BATCH_STARTED            "BATCH_STARTED"
#define SYN_EVENT_BATCH_COMPLETED          "BATCH_COMPLETED"
#define SYN_EVENT_BATCH_ROLLED_BACK        "BATCH_ROLLED_BACK"
#define SYN_EVENT_CSV_IMPORTED             "CSV_IMPORTED"
#define SYN_EVENT_ROLLBACK                 "ROLLBACK"
/* Our additions, for changes the specification has no name for. */
#define SYN_EVENT_RULE_DEFINITION_CREATED  "RULE_DEFINITION_CREATED"
#define SYN_EVENT_RULE_DEFINITION_UPDATED  "RULE_DEFINITION_UPDATED"
#define SYN_EVENT_RULE_DEFINITION_DELETED  "RULE_DEFINITION_DELETED"
/* A rolled-back batch applied again (aggregate BATCH, the batch's id); its
 * entity events follow, caused by it. */
#define SYN_EVENT_BATCH_REDONE             "BATCH_REDONE"
/* Rows pointing at a missing asset deleted (aggregate BATCH, the repair's
 * own batch); the deletions follow, caused by it. */
#define SYN_EVENT_INTEGRITY_REPAIRED       "INTEGRITY_REPAIRED"

#define SYN_AGGREGATE_ASSET   "ASSET"
#define SYN_AGGREGATE_CABLE   "CABLE"
#define SYN_AGGREGATE_EDGE    "EDGE"
#define SYN_AGGREGATE_RULE    "RULE"
#define SYN_AGGREGATE_PACKAGE "PACKAGE"
#define SYN_AGGREGATE_BATCH   "BATCH"

#define SYN_SNAPSHOT_ACTIVE      "ACTIVE"
#define SYN_SNAPSHOT_ROLLED_BACK "ROLLED_BACK"

const char * const *syn_event_types      (void);
const char * const *syn_aggregate_types  (void);
const char * const *syn_disciplines      (void);
const char * const *syn_roles            (void);
gboolean            syn_is_event_type     (const char *name);
gboolean            syn_is_aggregate_type (const char *name);
gboolean            syn_is_discipline     (const char *name);
/* The discipline @name names, in any case ("electrical" -> "ELECTRICAL"), or NULL. */
const char         *syn_discipline_canonical (const char *name);
gboolean            syn_is_role           (const char *name);

G_END_DECLS
