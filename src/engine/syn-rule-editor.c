/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-rule-editor.c: rule definitions added, changed, switched on or off and removed, each as a batch of events. */
#include "config.h"

#include "syn-batch.h"
#include "syn-engine-error.h"
#include "syn-rule-editor.h"

const char *
syn_rule_editor_stream (SynRule *rule)
{
  g_return_val_if_fail (SYN_IS_RULE (rule), NULL);

  return rule->project_id ? rule->project_id : SYN_LIBRARY_PROJECT_ID;
}

/* The batch is opened first: the checks below then hold until commit. */
static SynBatch *
begin (SynStore *store, const char *stream, const char *user_id, GError **error)
{
  g_autoptr(SynBatch) batch = syn_batch_begin (store, stream, user_id, error);

  if (batch == NULL)
    return NULL;
  if (!syn_store_lock_project (store, stream, error))
    {
      syn_batch_abandon (batch);
      return NULL;
    }
  return g_steal_pointer (&batch);
}

static gboolean
finish (SynBatch *batch, SynEvent *event, GError *local_error, char **correlation_id, GError **error)
{
  g_autofree char *id = g_strdup (syn_batch_get_correlation_id (batch));

  if (local_error != NULL)
    {
      syn_batch_abandon (batch);
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (event == NULL)
    {
      /* nothing changed: no batch */
      syn_batch_abandon (batch);
      return TRUE;
    }
  if (!syn_batch_commit (batch, error))
    return FALSE;
  if (correlation_id != NULL)
    *correlation_id = g_steal_pointer (&id);
  return TRUE;
}

static gboolean
same_definition (SynRule *a, SynRule *b)
{
  g_autoptr(JsonNode) x = syn_rule_to_json (a);
  g_autoptr(JsonNode) y = syn_rule_to_json (b);

  for (guint i = 0; i < 2; i++)
    {
      JsonObject *o = json_node_get_object (i == 0 ? x : y);

      json_object_remove_member (o, "created_at");
      json_object_remove_member (o, "updated_at");
    }
  return syn_json_node_equal (x, y);
}

SynRule *
syn_rule_editor_save (SynStore    *store,
                      SynRule     *rule,
                      const char  *user_id,
                      char       **correlation_id,
                      GError     **error)
{
  g_autoptr(SynBatch) batch = NULL;
  g_autoptr(SynRule) existing = NULL;
  g_autoptr(SynRule) saved = NULL;
  g_autoptr(SynEvent) event = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (SYN_IS_STORE (store), NULL);
  g_return_val_if_fail (SYN_IS_RULE (rule), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (correlation_id != NULL)
    *correlation_id = NULL;
  if (!(batch = begin (store, syn_rule_editor_stream (rule), user_id, error)))
    return NULL;
  existing = syn_store_get_rule (store, rule->id, &local_error);
  /* a rule id belongs to one scope: a project cannot take over another's rule */
  if (local_error == NULL && existing != NULL && g_strcmp0 (existing->project_id, rule->project_id) != 0)
    g_set_error (&local_error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_CONFLICT,
                 "Rule \"%s\" already exists in another scope", rule->id);
  if (local_error == NULL)
    {
      saved = syn_rule_copy (rule);
      saved->created_at = existing ? existing->created_at : syn_time_now_usec ();
      saved->updated_at = syn_time_now_usec ();
      /* the same definition again is no change: no event, no batch */
      if (existing == NULL || !same_definition (existing, saved))
        event = syn_batch_save_rule (batch, existing, saved, &local_error);
    }
  if (!finish (batch, event, local_error, correlation_id, error))
    return NULL;
  return event != NULL ? g_steal_pointer (&saved) : g_steal_pointer (&existing);
}

gboolean
syn_rule_editor_delete (SynStore    *store,
                        const char  *rule_id,
                        const char  *project_id,
                        const char  *user_id,
                        char       **correlation_id,
                        GError     **error)
{
  g_autoptr(SynBatch) batch = NULL;
  g_autoptr(SynRule) rule = NULL;
  g_autoptr(SynEvent) event = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (SYN_IS_STORE (store), FALSE);
  g_return_val_if_fail (rule_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (correlation_id != NULL)
    *correlation_id = NULL;
  /* find its scope first, then take the lock of its stream and look again */
  if (!(rule = syn_store_get_rule (store, rule_id, error)) && (error == NULL || *error == NULL))
    g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_NOT_FOUND, "No rule \"%s\"", rule_id);
  if (rule == NULL)
    return FALSE;
  if (project_id != NULL && g_strcmp0 (rule->project_id, project_id) != 0)
    {
      g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_NOT_FOUND, "No rule \"%s\" in this project", rule_id);
      return FALSE;
    }
  if (!(batch = begin (store, syn_rule_editor_stream (rule), user_id, error)))
    return FALSE;
  g_clear_object (&rule);
  rule = syn_store_get_rule (store, rule_id, &local_error);
  if (local_error == NULL && rule == NULL)
    g_set_error (&local_error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_NOT_FOUND, "No rule \"%s\"", rule_id);
  if (local_error == NULL)
    event = syn_batch_save_rule (batch, rule, NULL, &local_error);
  return finish (batch, event, local_error, correlation_id, error);
}
