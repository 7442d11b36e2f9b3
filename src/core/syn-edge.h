/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-edge.h: SynEdge, a relationship between two assets (powers, measures, controls...). */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SYN_TYPE_EDGE (syn_edge_get_type ())

G_DECLARE_FINAL_TYPE (SynEdge, syn_edge, SYN, EDGE, GObject)

/* Plain data: the fields are public, like a GdkRGBA with a reference count.
 * Strings are owned (g_free), JSON members owned by reference; doubles are NAN
 * and times 0 when unset. */
struct _SynEdge
{
  GObject parent_instance;

  char *id;
  char *project_id;
  char *source_asset_id;
  char *target_asset_id;
  char *relation;
  char *created_by_rule_id;
  /* How a rule derived it, or the holds a person put on it (see
   * src/engine/syn-derivation.h); NULL when there is nothing to record. */
  JsonObject *derivation;
};

SynEdge *syn_edge_new       (void);
SynEdge *syn_edge_copy      (SynEdge   *self);
JsonNode  *syn_edge_to_json   (SynEdge   *self);
SynEdge *syn_edge_from_json (JsonObject *object,
                              GError    **error);

G_END_DECLS
