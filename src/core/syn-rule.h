/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-rule.h: SynRule, a rule definition as stored (the engine parses condition and action). */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SYN_TYPE_RULE (syn_rule_get_type ())

G_DECLARE_FINAL_TYPE (SynRule, syn_rule, SYN, RULE, GObject)

/* Plain data: the fields are public, like a GdkRGBA with a reference count.
 * Strings are owned (g_free), JSON members owned by reference; doubles are NAN
 * and times 0 when unset. */
struct _SynRule
{
  GObject parent_instance;

  char *id;
  char *project_id;
  char *name;
  char *description;
  char *source;
  gint64 priority;
  char *discipline;
  gboolean is_enforced;
  gboolean is_active;
  char *action_type;
  JsonNode *condition;
  JsonNode *action;
  gint64 created_at;
  gint64 updated_at;
};

SynRule *syn_rule_new       (void);
SynRule *syn_rule_copy      (SynRule   *self);
JsonNode  *syn_rule_to_json   (SynRule   *self);
SynRule *syn_rule_from_json (JsonObject *object,
                              GError    **error);

G_END_DECLS
