/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-finding.c: SynFinding, one row of the rule findings log. */
#include "config.h"

#include "syn-finding.h"

G_DEFINE_FINAL_TYPE (SynFinding, syn_finding, G_TYPE_OBJECT)

static void
syn_finding_finalize (GObject *object)
{
  SynFinding *self = SYN_FINDING (object);

  g_clear_pointer (&self->event_id, g_free);
  g_clear_pointer (&self->project_id, g_free);
  g_clear_pointer (&self->rule_id, g_free);
  g_clear_pointer (&self->source_asset_id, g_free);
  g_clear_pointer (&self->digest, g_free);

  G_OBJECT_CLASS (syn_finding_parent_class)->finalize (object);
}

static void
syn_finding_class_init (SynFindingClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = syn_finding_finalize;
}

static void
syn_finding_init (SynFinding *self)
{
}

SynFinding *
syn_finding_new (void)
{
  return g_object_new (SYN_TYPE_FINDING, NULL);
}
