/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-new-project-dialog.c: SynNewProjectDialog: create a project through the backend and select it. */
#include "config.h"

#include <glib/gi18n.h>

#include "core/syn-json.h"
#include "syn-new-project-dialog.h"

struct _SynNewProjectDialog
{
  GtkWindow     parent_instance;

  SynSession   *session;
  GCancellable *cancellable;

  GtkEntry     *name_entry;
  GtkEntry     *country_entry;
  GtkEntry     *description_entry;
  GtkLabel     *error_label;
  GtkWidget    *create_button;
};

G_DEFINE_FINAL_TYPE (SynNewProjectDialog, syn_new_project_dialog, GTK_TYPE_WINDOW)

static void
project_created (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SynNewProjectDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_set_sensitive (self->create_button, TRUE);
  if (answer == NULL)
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }
  syn_session_load_projects (self->session, syn_json_get_string (json_node_get_object (answer), "id"), FALSE);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_create_clicked (SynNewProjectDialog *self)
{
  g_autoptr(JsonObject) params = json_object_new ();
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_entry))));
  g_autofree char *country = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->country_entry))));
  g_autofree char *description = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->description_entry))));

  if (*name == '\0')
    {
      gtk_label_set_text (self->error_label, _("A project needs a name."));
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
      return;
    }
  json_object_set_string_member (params, "name", name);
  if (*country != '\0')
    json_object_set_string_member (params, "country", country);
  if (*description != '\0')
    json_object_set_string_member (params, "description", description);
  gtk_widget_set_sensitive (self->create_button, FALSE);
  syn_backend_call_async (syn_session_get_backend (self->session), SYN_OP_CREATE_PROJECT, params, self->cancellable,
                          project_created, g_object_ref (self));
}

static void
syn_new_project_dialog_dispose (GObject *object)
{
  SynNewProjectDialog *self = SYN_NEW_PROJECT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), SYN_TYPE_NEW_PROJECT_DIALOG);

  G_OBJECT_CLASS (syn_new_project_dialog_parent_class)->dispose (object);
}

static void
syn_new_project_dialog_finalize (GObject *object)
{
  SynNewProjectDialog *self = SYN_NEW_PROJECT_DIALOG (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (syn_new_project_dialog_parent_class)->finalize (object);
}

static void
syn_new_project_dialog_class_init (SynNewProjectDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = syn_new_project_dialog_dispose;
  object_class->finalize = syn_new_project_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/synapse_rules/Synapse/ui/syn-new-project-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SynNewProjectDialog, name_entry);
  gtk_widget_class_bind_template_child (widget_class, SynNewProjectDialog, country_entry);
  gtk_widget_class_bind_template_child (widget_class, SynNewProjectDialog, description_entry);
  gtk_widget_class_bind_template_child (widget_class, SynNewProjectDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, SynNewProjectDialog, create_button);
  gtk_widget_class_bind_template_callback (widget_class, on_create_clicked);
}

static void
syn_new_project_dialog_init (SynNewProjectDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

SynNewProjectDialog *
syn_new_project_dialog_new (GtkWindow *parent, SynSession *session)
{
  SynNewProjectDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (SYN_IS_SESSION (session), NULL);

  self = g_object_new (SYN_TYPE_NEW_PROJECT_DIALOG, "transient-for", parent, NULL);
  self->session = g_object_ref (session);
  return self;
}
