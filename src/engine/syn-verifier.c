/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-verifier.c: `synapse verify`: the checks a project's database must pass, each adding its findings to one list. */
#include "config.h"

#include "syn-integrity.h"
#include "syn-verifier.h"

/* Adds the check's findings to @findings; FALSE only when it cannot read. */
typedef gboolean (*CheckFunc) (SynStore *store, const char *project_id, JsonArray *findings, GError **error);

/* In the order they run and are listed: a new check is one more entry. */
static const struct
{
  const char *name;
  CheckFunc   run;
} checks[] = {
  { SYN_INTEGRITY_CHECK, syn_integrity_find_dangling },
};

JsonNode *
syn_verifier_verify (SynStore *store, const char *project_id, GError **error)
{
  g_autoptr(JsonArray) findings = json_array_new ();
  g_autoptr(JsonArray) done = json_array_new ();
  JsonObject *answer;

  g_return_val_if_fail (SYN_IS_STORE (store), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      guint before = json_array_get_length (findings);
      JsonObject *check;

      if (!checks[i].run (store, project_id, findings, error))
        {
          g_prefix_error (error, "Check %s: ", checks[i].name);
          return NULL;
        }
      check = json_object_new ();
      json_object_set_string_member (check, "name", checks[i].name);
      json_object_set_boolean_member (check, "ok", json_array_get_length (findings) == before);
      json_object_set_int_member (check, "findings", json_array_get_length (findings) - before);
      json_array_add_object_element (done, check);
    }

  answer = json_object_new ();
  json_object_set_string_member (answer, "project_id", project_id);
  json_object_set_boolean_member (answer, "ok", json_array_get_length (findings) == 0);
  json_object_set_array_member (answer, "checks", g_steal_pointer (&done));
  json_object_set_array_member (answer, "findings", g_steal_pointer (&findings));
  return syn_json_node_new_object (answer);
}
