/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-sign-in-dialog.h: SynSignInDialog, the server's address, a user name and a password. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SYN_TYPE_SIGN_IN_DIALOG (syn_sign_in_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SynSignInDialog, syn_sign_in_dialog, SYN, SIGN_IN_DIALOG, GtkWindow)

SynSignInDialog *syn_sign_in_dialog_new       (GtkWindow       *parent,
                                               const char      *url,
                                               const char      *username);
void             syn_sign_in_dialog_set_busy  (SynSignInDialog *self,
                                               gboolean         busy);
void             syn_sign_in_dialog_set_error (SynSignInDialog *self,
                                               const char      *message);
void             syn_sign_in_dialog_submit    (SynSignInDialog *self);

G_END_DECLS
