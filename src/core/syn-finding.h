/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-finding.h: SynFinding, one row of the rule findings log: what a rule last reported about one source. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SYN_TYPE_FINDING (syn_finding_get_type ())

G_DECLARE_FINAL_TYPE (SynFinding, syn_finding, SYN, FINDING, GObject)

/* Plain data, like the other domain types. A (rule, source) pair's findings
 * (skipped as exists, overridden, not applicable or held by a person; an
 * error) are recorded when they change, by the event that reports them;
 * digest is NULL when they were all resolved. */
struct _SynFinding
{
  GObject parent_instance;

  char *event_id;
  char *project_id;
  char *rule_id;
  char *source_asset_id;
  char *digest;
  gint64 position;        /* of the event; 0 until read back */
};

SynFinding *syn_finding_new (void);

G_END_DECLS
