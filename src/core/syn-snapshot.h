/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-snapshot.h: SynSnapshot, the pre-image of a batch, kept for its rollback. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SYN_TYPE_SNAPSHOT (syn_snapshot_get_type ())

G_DECLARE_FINAL_TYPE (SynSnapshot, syn_snapshot, SYN, SNAPSHOT, GObject)

/* Plain data: the fields are public, like a GdkRGBA with a reference count.
 * Strings are owned (g_free), JSON members owned by reference; doubles are NAN
 * and times 0 when unset. */
struct _SynSnapshot
{
  GObject parent_instance;

  char *id;
  char *correlation_id;
  char *project_id;
  JsonNode *snapshot_data;
  gint64 events_count;
  char *status;
  gint64 executed_at;
  gint64 rolled_back_at;
  char *rolled_back_by;
};

SynSnapshot *syn_snapshot_new       (void);
SynSnapshot *syn_snapshot_copy      (SynSnapshot   *self);
JsonNode  *syn_snapshot_to_json   (SynSnapshot   *self);
SynSnapshot *syn_snapshot_from_json (JsonObject *object,
                                      GError    **error);

G_END_DECLS
