/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-cli-explain.c: synapse explain: why each rule did or didn't fire on an asset; who set each value. */
#include "config.h"

#include <stdio.h>

#include "syn-cli-private.h"

static void
print_verdicts (JsonArray *rules)
{
  printf ("%-11s  %-44s  %s\n", "VERDICT", "RULE", "WHY");
  for (guint i = 0; i < json_array_get_length (rules); i++)
    {
      JsonObject *r = json_array_get_object_element (rules, i);
      const char *verdict = syn_json_get_string (r, "verdict");
      g_autoptr(GString) why = g_string_new (syn_json_get_string (r, "reason"));

      if (g_strcmp0 (verdict, "not_matched") == 0)
        g_string_append_printf (why, ": %s (actual: %s)", syn_json_get_string (r, "failed_test"),
                                syn_json_get_string (r, "actual") ? syn_json_get_string (r, "actual") : "absent");
      if (syn_json_get_string (r, "winner_rule_id"))
        g_string_append_printf (why, " by %s", syn_json_get_string (r, "winner_rule_id"));
      if (g_strcmp0 (verdict, "held") == 0 && json_object_has_member (r, "fields"))
        {
          JsonArray *fields = json_object_get_array_member (r, "fields");

          g_string_append (why, ": a person holds");
          for (guint f = 0; f < json_array_get_length (fields); f++)
            g_string_append_printf (why, "%s %s", f ? "," : "", json_array_get_string_element (fields, f));
        }
      if (json_object_get_boolean_member_with_default (r, "out_of_date", FALSE))
        g_string_append (why, "; its outputs remain until the next run retracts them");
      if (syn_json_get_string (r, "correlation_id"))
        {
          g_autofree char *batch = _syn_cli_short_id (syn_json_get_string (r, "correlation_id"));
          g_string_append_printf (why, " (batch %s", batch);
          if (json_object_has_member (r, "events"))
            {
              g_autofree char *n = SYN_CLI_COUNT (json_array_get_length (json_object_get_array_member (r, "events")),
                                                  "%d event", "%d events");

              g_string_append_printf (why, ", %s", n);
            }
          g_string_append (why, ")");
        }
      printf ("%-11s  %-44s  %s\n", verdict, syn_json_get_string (r, "rule_id"), why->str);
    }
}

static void
print_provenance (const char *title, JsonObject *provenance)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *node;

  if (json_object_get_size (provenance) == 0)
    return;
  printf ("\n%-20s  %-22s  %-16s  %-36s  %-8s  %s\n", title, "VALUE", "EVENT", "RULE", "BATCH", "WHEN (UTC)");
  json_object_iter_init (&iter, provenance);
  while (json_object_iter_next (&iter, &key, &node))
    {
      JsonObject *p = json_node_get_object (node);
      g_autofree char *value = syn_json_to_string (json_object_get_member (p, "value"));
      g_autofree char *batch = _syn_cli_short_id (syn_json_get_string (p, "correlation_id"));
      g_autofree char *when = _syn_cli_local_time (syn_json_get_string (p, "timestamp"));
      const char *rule = syn_json_get_string (p, "rule_id");

      printf ("%-20s  %-22s  %-16s  %-36s  %-8s  %s\n", key, value, syn_json_get_string (p, "event_type"),
              rule ? rule : (syn_json_get_string (p, "user_id") ? syn_json_get_string (p, "user_id") : "-"),
              batch, when);
    }
}

int
_syn_cli_explain (int argc, char **argv)
{
  g_autoptr(JsonObject) asset = NULL;
  g_autoptr(JsonNode) answer = NULL;
  JsonObject *a;
  int ret;

  ret = _syn_cli_asset_op (&argc, &argv, "explain", "Why each rule did or didn't fire on an asset; who set each value.",
                           SYN_OP_EXPLAIN, &asset, &answer);
  if (ret != 0 || answer == NULL)
    return ret;

  a = json_node_get_object (answer);
  printf ("%s (%s)\n\n", argv[1], syn_json_get_string (asset, "type"));
  print_verdicts (json_object_get_array_member (a, "rules"));
  print_provenance ("PROPERTY", json_object_get_object_member (a, "provenance"));
  print_provenance ("FIELD", json_object_get_object_member (a, "fields"));
  return 0;
}
