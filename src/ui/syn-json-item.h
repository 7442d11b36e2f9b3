/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-json-item.h: SynJsonItem, a list-model item around one JSON object (rules, log lines, assets). */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SYN_TYPE_JSON_ITEM (syn_json_item_get_type ())

G_DECLARE_FINAL_TYPE (SynJsonItem, syn_json_item, SYN, JSON_ITEM, GObject)

SynJsonItem *syn_json_item_new         (JsonObject  *object,
                                        const char  *label);
JsonObject  *syn_json_item_get_object  (SynJsonItem *self);
void         syn_json_item_set_object  (SynJsonItem *self,
                                        JsonObject  *object,
                                        const char  *label);
const char  *syn_json_item_get_string  (SynJsonItem *self,
                                        const char  *member);
gint64       syn_json_item_get_int     (SynJsonItem *self,
                                        const char  *member);
const char  *syn_json_item_get_label   (SynJsonItem *self);
gboolean     syn_json_item_get_active  (SynJsonItem *self);
void         syn_json_item_set_active  (SynJsonItem *self,
                                        gboolean     active);

G_END_DECLS
