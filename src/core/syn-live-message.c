/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-live-message.c: the live messages of a run: one builder of the ERROR message, which the engine, the server and the remote backend send. */
#include "config.h"

#include "syn-json.h"
#include "syn-live-message.h"

JsonObject *
syn_live_message_error (const char *rule_id, const char *asset_id, const char *message, gboolean recoverable,
                        const char *severity)
{
  JsonObject *m = json_object_new ();

  g_return_val_if_fail (message != NULL, m);

  json_object_set_string_member (m, "type", "ERROR");
  syn_json_set_string_or_null (m, "rule_id", rule_id);
  syn_json_set_string_or_null (m, "asset_id", asset_id);
  json_object_set_string_member (m, "message", message);
  json_object_set_boolean_member (m, "recoverable", recoverable);
  if (severity != NULL)
    json_object_set_string_member (m, "severity", severity);
  return m;
}
