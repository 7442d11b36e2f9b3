/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-vocabulary.c: lists and checks of the domain's fixed names. */
#include "config.h"

#include "syn-vocabulary.h"

static const char * const event_types[] = {
  SYN_EVENT_ASSET_CREATED, SYN_EVENT_ASSET_UPDATED, SYN_EVENT_ASSET_DELETED,
  SYN_EVENT_CABLE_CREATED, SYN_EVENT_CABLE_UPDATED, SYN_EVENT_CABLE_DELETED,
  SYN_EVENT_RELATIONSHIP_CREATED, SYN_EVENT_RELATIONSHIP_DELETED,
  SYN_EVENT_RULE_EXECUTION_STARTED, SYN_EVENT_RULE_EXECUTED, SYN_EVENT_RULE_SKIPPED,
  SYN_EVENT_RULE_ERROR, SYN_EVENT_RULE_EXECUTION_COMPLETED,
  SYN_EVENT_BATCH_STARTED, SYN_EVENT_BATCH_COMPLETED, SYN_EVENT_BATCH_ROLLED_BACK,
  SYN_EVENT_CSV_IMPORTED, SYN_EVENT_ROLLBACK,
  SYN_EVENT_RULE_DEFINITION_CREATED, SYN_EVENT_RULE_DEFINITION_UPDATED, SYN_EVENT_RULE_DEFINITION_DELETED,
  SYN_EVENT_BATCH_REDONE, SYN_EVENT_INTEGRITY_REPAIRED,
  NULL
};

static const char * const aggregate_types[] = {
  SYN_AGGREGATE_ASSET, SYN_AGGREGATE_CABLE, SYN_AGGREGATE_EDGE,
  SYN_AGGREGATE_RULE, SYN_AGGREGATE_PACKAGE, SYN_AGGREGATE_BATCH,
  NULL
};

static const char * const disciplines[] = {
  "ELECTRICAL", "AUTOMATION", "MECHANICAL", "PROCESS", "PIPING", "INSTRUMENTATION",
  NULL
};

static const char * const roles[] = { "admin", "engineer", "viewer", NULL };

const char * const *syn_event_types (void) { return event_types; }
const char * const *syn_aggregate_types (void) { return aggregate_types; }
const char * const *syn_disciplines (void) { return disciplines; }
const char * const *syn_roles (void) { return roles; }

static gboolean
in_list (const char * const *list, const char *name)
{
  return name != NULL && g_strv_contains (list, name);
}

gboolean syn_is_event_type (const char *name) { return in_list (event_types, name); }
gboolean syn_is_aggregate_type (const char *name) { return in_list (aggregate_types, name); }
gboolean syn_is_discipline (const char *name) { return in_list (disciplines, name); }
gboolean syn_is_role (const char *name) { return in_list (roles, name); }

/* Disciplines are matched without regard to case everywhere a person names
 * one (filters, edits, the CSV import); they are stored upper-case. */
const char *
syn_discipline_canonical (const char *name)
{
  for (guint i = 0; name != NULL && disciplines[i]; i++)
    if (g_ascii_strcasecmp (disciplines[i], name) == 0)
      return disciplines[i];
  return NULL;
}
