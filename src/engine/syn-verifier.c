/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-verifier.c: `synapse verify`: the checks a project's database must pass, each adding its findings to one list. */
#include "config.h"

#include "syn-history-checks.h"
#include "syn-integrity.h"
#include "syn-verifier.h"

/* Adds the check's findings to @findings; FALSE only when it cannot read. */
typedef gboolean (*CheckFunc) (SynHistoryCheck *ctx, JsonArray *findings, GError **error);

static gboolean
check_references (SynHistoryCheck *ctx, JsonArray *findings, GError **error)
{
  return syn_integrity_find_dangling (ctx->store, ctx->project_id, findings, error);
}

/* In the order they run and are listed: a new check is one more entry.
 * chain comes first (sequences and expect use what it read), replay
 * before snapshots (which compare with the replay). */
static const struct
{
  const char *name;
  CheckFunc   run;
  gboolean    only_expected;   /* runs only with an expected head hash */
} checks[] = {
  { SYN_INTEGRITY_CHECK, check_references, FALSE },
  { SYN_CHECK_CHAIN, syn_history_check_chain, FALSE },
  { SYN_CHECK_SEQUENCES, syn_history_check_sequences, FALSE },
  { SYN_CHECK_EXPECT, syn_history_check_expect, TRUE },
  { SYN_CHECK_REPLAY, syn_history_check_replay, FALSE },
  { SYN_CHECK_SNAPSHOTS, syn_history_check_snapshots, FALSE },
  { SYN_CHECK_CHECKPOINTS, syn_history_check_checkpoints, FALSE },
};

JsonNode *
syn_verifier_verify (SynStore *store, const char *project_id, GError **error)
{
  return syn_verifier_verify_full (store, project_id, NULL, error);
}

JsonNode *
syn_verifier_verify_full (SynStore *store, const char *project_id, const char *expect, GError **error)
{
  g_autoptr(SynHistoryCheck) ctx = NULL;
  g_autoptr(JsonArray) findings = json_array_new ();
  g_autoptr(JsonArray) done = json_array_new ();
  JsonObject *answer;

  g_return_val_if_fail (SYN_IS_STORE (store), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  ctx = syn_history_check_new (store, project_id, expect);
  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      guint before = json_array_get_length (findings);
      JsonObject *check;

      if (checks[i].only_expected && expect == NULL)
        continue;
      if (!checks[i].run (ctx, findings, error))
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
  json_object_set_int_member (answer, "events", (gint64) ctx->n_events);
  json_object_set_int_member (answer, "head_position", ctx->head_position);
  json_object_set_string_member (answer, "head_hash", ctx->head_hash ? ctx->head_hash : SYN_EVENT_GENESIS_HASH);
  if (expect != NULL)
    {
      json_object_set_string_member (answer, "expected", expect);
      if (ctx->expect_position >= 0)
        json_object_set_int_member (answer, "expected_position", ctx->expect_position);
    }
  json_object_set_array_member (answer, "checks", g_steal_pointer (&done));
  json_object_set_array_member (answer, "findings", g_steal_pointer (&findings));
  return syn_json_node_new_object (answer);
}
