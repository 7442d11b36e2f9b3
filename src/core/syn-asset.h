/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-asset.h: SynAsset, one asset of a project (pump, motor, tank...). */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SYN_TYPE_ASSET (syn_asset_get_type ())

G_DECLARE_FINAL_TYPE (SynAsset, syn_asset, SYN, ASSET, GObject)

/* Plain data: the fields are public, like a GdkRGBA with a reference count.
 * Strings are owned (g_free), JSON members owned by reference; doubles are NAN
 * and times 0 when unset. */
struct _SynAsset
{
  GObject parent_instance;

  char *id;
  char *project_id;
  char *tag;
  char *type;
  char *description;
  char *discipline;
  char *area;
  JsonObject *properties;
  char *created_by_rule_id;
  /* How a rule derived it, or the holds a person put on it (see
   * src/engine/syn-derivation.h); NULL when there is nothing to record. */
  JsonObject *derivation;
};

SynAsset *syn_asset_new       (void);
SynAsset *syn_asset_copy      (SynAsset   *self);
JsonNode  *syn_asset_to_json   (SynAsset   *self);
SynAsset *syn_asset_from_json (JsonObject *object,
                                GError    **error);

/* The text columns by name ("tag", "type", "description", "discipline",
 * "area", "created_by_rule_id"): NULL-terminated, for code that treats
 * them alike (diffs, holds). Get returns NULL for an unknown name; set
 * ignores one. */
const char * const *syn_asset_columns    (void);
const char         *syn_asset_get_column (SynAsset   *self,
                                          const char *name);
void                syn_asset_set_column (SynAsset   *self,
                                          const char *name,
                                          const char *value);

G_END_DECLS
