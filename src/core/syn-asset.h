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
};

SynAsset *syn_asset_new       (void);
SynAsset *syn_asset_copy      (SynAsset   *self);
JsonNode  *syn_asset_to_json   (SynAsset   *self);
SynAsset *syn_asset_from_json (JsonObject *object,
                                GError    **error);

G_END_DECLS
