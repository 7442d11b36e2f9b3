/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-execution.h: SynExecution, one run of the rule engine (or an import, an edit, a rollback). */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SYN_TYPE_EXECUTION (syn_execution_get_type ())

G_DECLARE_FINAL_TYPE (SynExecution, syn_execution, SYN, EXECUTION, GObject)

/* Plain data: the fields are public, like a GdkRGBA with a reference count.
 * Strings are owned (g_free), JSON members owned by reference; doubles are NAN
 * and times 0 when unset. */
struct _SynExecution
{
  GObject parent_instance;

  char *execution_id;
  char *project_id;
  char *correlation_id;
  char *mode;
  JsonNode *filters;
  char *status;
  char *user_id;
  gint64 started_at;
  gint64 finished_at;
  JsonNode *summary;
  char *error;
};

SynExecution *syn_execution_new       (void);
SynExecution *syn_execution_copy      (SynExecution   *self);
JsonNode  *syn_execution_to_json   (SynExecution   *self);
SynExecution *syn_execution_from_json (JsonObject *object,
                                        GError    **error);

G_END_DECLS
