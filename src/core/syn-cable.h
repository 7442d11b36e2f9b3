/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-cable.h: SynCable, a power or signal cable between two assets, with its sizing results. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SYN_TYPE_CABLE (syn_cable_get_type ())

G_DECLARE_FINAL_TYPE (SynCable, syn_cable, SYN, CABLE, GObject)

/* Plain data: the fields are public, like a GdkRGBA with a reference count.
 * Strings are owned (g_free), JSON members owned by reference; doubles are NAN
 * and times 0 when unset. */
struct _SynCable
{
  GObject parent_instance;

  char *id;
  char *project_id;
  char *tag;
  char *from_asset_id;
  char *to_asset_id;
  char *cable_type;
  double voltage;
  double length_m;
  char *conductor_size;
  double flc_a;
  double ampacity_a;
  double voltage_drop_pct;
  JsonObject *properties;
  char *created_by_rule_id;
  /* How a rule derived it, or the holds a person put on it (see
   * src/engine/syn-derivation.h); NULL when there is nothing to record. */
  JsonObject *derivation;
};

SynCable *syn_cable_new       (void);
SynCable *syn_cable_copy      (SynCable   *self);
JsonNode  *syn_cable_to_json   (SynCable   *self);
SynCable *syn_cable_from_json (JsonObject *object,
                                GError    **error);

G_END_DECLS
