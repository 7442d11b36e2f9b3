/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-sign-in-dialog.c: SynSignInDialog: asks for a server, a user name and a password and says
 * why signing in failed; the window does the connecting (::sign-in). */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "syn-sign-in-dialog.h"

struct _SynSignInDialog
{
  GtkWindow         parent_instance;

  GtkEntry         *url_entry;
  GtkEntry         *username_entry;
  GtkPasswordEntry *password_entry;
  GtkLabel         *error_label;
  GtkSpinner       *spinner;
  GtkWidget        *sign_in_button;
};

G_DEFINE_FINAL_TYPE (SynSignInDialog, syn_sign_in_dialog, GTK_TYPE_WINDOW)

enum {
  SIGNAL_SIGN_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
syn_sign_in_dialog_submit (SynSignInDialog *self)
{
  g_autofree char *url = NULL;
  g_autofree char *username = NULL;
  const char *password;

  g_return_if_fail (SYN_IS_SIGN_IN_DIALOG (self));

  url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->url_entry))));
  username = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->username_entry))));
  password = gtk_editable_get_text (GTK_EDITABLE (self->password_entry));
  if (*url == '\0' || *username == '\0')
    {
      syn_sign_in_dialog_set_error (self, _("Give the server’s address and your user name."));
      gtk_widget_grab_focus (GTK_WIDGET (*url == '\0' ? self->url_entry : self->username_entry));
      return;
    }
  /* an address typed without its scheme is a plain HTTP server */
  if (strstr (url, "://") == NULL)
    {
      g_autofree char *with_scheme = g_strconcat ("http://", url, NULL);

      g_free (url);
      url = g_steal_pointer (&with_scheme);
      gtk_editable_set_text (GTK_EDITABLE (self->url_entry), url);
    }
  syn_sign_in_dialog_set_error (self, NULL);
  g_signal_emit (self, signals[SIGNAL_SIGN_IN], 0, url, username, password);
}

static void
on_sign_in_clicked (SynSignInDialog *self)
{
  syn_sign_in_dialog_submit (self);
}

static void
syn_sign_in_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SYN_TYPE_SIGN_IN_DIALOG);

  G_OBJECT_CLASS (syn_sign_in_dialog_parent_class)->dispose (object);
}

static void
syn_sign_in_dialog_class_init (SynSignInDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = syn_sign_in_dialog_dispose;

  /**
   * SynSignInDialog::sign-in:
   * @url: the server, with its scheme
   * @username: the user name
   * @password: the password (never stored)
   */
  signals[SIGNAL_SIGN_IN] =
    g_signal_new ("sign-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/synapse_rules/Synapse/ui/syn-sign-in-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SynSignInDialog, url_entry);
  gtk_widget_class_bind_template_child (widget_class, SynSignInDialog, username_entry);
  gtk_widget_class_bind_template_child (widget_class, SynSignInDialog, password_entry);
  gtk_widget_class_bind_template_child (widget_class, SynSignInDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, SynSignInDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, SynSignInDialog, sign_in_button);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_in_clicked);
}

static void
syn_sign_in_dialog_init (SynSignInDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

SynSignInDialog *
syn_sign_in_dialog_new (GtkWindow *parent, const char *url, const char *username)
{
  SynSignInDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  self = g_object_new (SYN_TYPE_SIGN_IN_DIALOG, "transient-for", parent, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->url_entry), url ? url : "");
  gtk_editable_set_text (GTK_EDITABLE (self->username_entry), username ? username : "");
  if (url == NULL || *url == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->url_entry));
  else if (username == NULL || *username == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->username_entry));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->password_entry));
  return self;
}

void
syn_sign_in_dialog_set_busy (SynSignInDialog *self, gboolean busy)
{
  g_return_if_fail (SYN_IS_SIGN_IN_DIALOG (self));

  /* the fields stay as they are: taking a focused field away loses its focus-out */
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (self->sign_in_button, !busy);
}

void
syn_sign_in_dialog_set_error (SynSignInDialog *self, const char *message)
{
  g_return_if_fail (SYN_IS_SIGN_IN_DIALOG (self));

  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}
