/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-batch-undo.c: an edit's toast with Undo; Undo rolls the edit's batch back without a dialog (the edit
 * was just made, nothing came after it that a cascade would take), and offers Redo. */
#include "config.h"

#include <glib/gi18n.h>

#include "core/syn-json.h"
#include "syn-batch-undo.h"
#include "syn-ui-format.h"

static char *
detailed (const char *action, const char *correlation_id)
{
  g_autoptr(GVariant) target = g_variant_ref_sink (g_variant_new_string (correlation_id));

  return g_action_print_detailed_name (action, target);
}

void
syn_batch_undo_offer (SynSession *session, const char *text, const char *correlation_id)
{
  g_autofree char *undo = NULL;

  g_return_if_fail (SYN_IS_SESSION (session));
  g_return_if_fail (text != NULL);

  if (correlation_id == NULL)
    {
      syn_session_report_info (session, text);
      return;
    }
  undo = detailed ("win.undo-batch", correlation_id);
  /* Translators: the button beside an edit's message that takes the edit back */
  syn_session_report_info_with_action (session, text, C_("an edit", "_Undo"), undo);
}

static void
undone (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SynSession) session = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  g_autofree char *counts = NULL;
  g_autofree char *text = NULL;
  const char *rollback_id;

  if (answer == NULL)
    {
      syn_session_report_error (session, _("Could not undo"), error);
      return;
    }
  counts = syn_format_rollback_summary (json_object_get_object_member (json_node_get_object (answer), "summary"));
  /* Translators: after Undo of an edit: what the rollback did ("1 asset deleted") */
  text = g_strdup_printf (_("Undone: %s."), counts);
  rollback_id = syn_json_get_string (json_node_get_object (answer), "rollback_correlation_id");
  if (rollback_id != NULL)
    {
      g_autofree char *redo = detailed ("win.redo", rollback_id);

      /* Translators: the button beside "Undone: …" that makes the edit again */
      syn_session_report_info_with_action (session, text, _("_Redo"), redo);
    }
  else
    syn_session_report_info (session, text);
  syn_session_data_changed (session);
}

void
syn_batch_undo (SynSession *session, const char *correlation_id)
{
  g_autoptr(JsonObject) params = json_object_new ();

  g_return_if_fail (SYN_IS_SESSION (session));
  g_return_if_fail (correlation_id != NULL);

  if (syn_session_get_backend (session) == NULL || syn_session_get_project_id (session) == NULL)
    return;
  json_object_set_string_member (params, "project_id", syn_session_get_project_id (session));
  json_object_set_string_member (params, "correlation_id", correlation_id);
  syn_backend_call_async (syn_session_get_backend (session), SYN_OP_ROLLBACK, params, NULL, undone,
                          g_object_ref (session));
}
