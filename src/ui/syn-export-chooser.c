/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-export-chooser.c: the save dialog of exports (GtkFileChooserNative: the portal in a sandbox, so
 * the application needs no file access) and writing the file without blocking the window. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "core/syn-json.h"
#include "syn-export-chooser.h"

typedef struct
{
  SynExportChosenFunc func;
  gpointer            user_data;
  GDestroyNotify      destroy;
} Chosen;

static void
on_response (GtkNativeDialog *chooser, int response, Chosen *chosen)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        chosen->func (file, chosen->user_data);
    }
  if (chosen->destroy != NULL)
    chosen->destroy (chosen->user_data);
  g_free (chosen);
  g_object_unref (chooser);
}

void
syn_export_chooser_run (GtkWindow           *parent,
                        const char          *title,
                        const char          *suggested_name,
                        const char          *format,
                        SynExportChosenFunc  func,
                        gpointer             user_data,
                        GDestroyNotify       destroy)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  Chosen *chosen = g_new0 (Chosen, 1);

  g_return_if_fail (func != NULL);

  chosen->func = func;
  chosen->user_data = user_data;
  chosen->destroy = destroy;
  chooser = gtk_file_chooser_native_new (title, parent, GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  if (g_strcmp0 (format, "json") == 0)
    {
      gtk_file_filter_set_name (filter, _("JSON files"));
      gtk_file_filter_add_mime_type (filter, "application/json");
      gtk_file_filter_add_suffix (filter, "json");
    }
  else
    {
      gtk_file_filter_set_name (filter, _("CSV files"));
      gtk_file_filter_add_mime_type (filter, "text/csv");
      gtk_file_filter_add_suffix (filter, "csv");
    }
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), suggested_name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_response), chosen);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ------------------------------------------------------------------------- */
/* Writing                                                                   */

typedef struct
{
  GFile *file;
  char  *content;
  guint  rows;
} Write;

static void
write_free (Write *w)
{
  g_clear_object (&w->file);
  g_free (w->content);
  g_free (w);
}

static void
written (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Write *w = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_int (task, w->rows);
}

/* The whole file replaced at once: a failed write leaves the old one. */
static void
write_content (GTask *task)
{
  Write *w = g_task_get_task_data (task);

  g_file_replace_contents_async (w->file, w->content, strlen (w->content), NULL, FALSE, G_FILE_CREATE_NONE,
                                 g_task_get_cancellable (task), written, task);
}

static void
exported (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  Write *w = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  JsonObject *o;

  if (answer == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  o = json_node_get_object (answer);
  w->content = g_strdup (syn_json_get_string (o, "content") ? syn_json_get_string (o, "content") : "");
  w->rows = (guint) json_object_get_int_member_with_default (o, "rows", 0);
  write_content (task);
}

static GTask *
write_task (GFile *file, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Write *w = g_new0 (Write, 1);

  g_task_set_source_tag (task, write_task);
  w->file = g_object_ref (file);
  g_task_set_task_data (task, w, (GDestroyNotify) write_free);
  return task;
}

void
syn_export_to_file_async (SynBackend          *backend,
                          JsonObject          *params,
                          GFile               *file,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (SYN_IS_BACKEND (backend));
  g_return_if_fail (params != NULL);
  g_return_if_fail (G_IS_FILE (file));

  syn_backend_call_async (backend, SYN_OP_EXPORT, params, cancellable, exported,
                          write_task (file, cancellable, callback, user_data));
}

void
syn_export_text_to_file_async (char                *content,
                               guint                rows,
                               GFile               *file,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;
  Write *w;

  g_return_if_fail (content != NULL);
  g_return_if_fail (G_IS_FILE (file));

  task = write_task (file, cancellable, callback, user_data);
  w = g_task_get_task_data (task);
  w->content = content;
  w->rows = rows;
  write_content (task);
}

gboolean
syn_export_to_file_finish (GAsyncResult *result, guint *rows, GError **error)
{
  gssize n;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  n = g_task_propagate_int (G_TASK (result), error);
  if (n < 0)
    return FALSE;
  if (rows != NULL)
    *rows = (guint) n;
  return TRUE;
}
