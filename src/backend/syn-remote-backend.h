/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-remote-backend.h: SynRemoteBackend: the SynBackend operations over a team server's REST and WebSocket API. */
#pragma once

#include "syn-backend.h"

G_BEGIN_DECLS

#define SYN_TYPE_REMOTE_BACKEND (syn_remote_backend_get_type ())

G_DECLARE_FINAL_TYPE (SynRemoteBackend, syn_remote_backend, SYN, REMOTE_BACKEND, GObject)

SynRemoteBackend *syn_remote_backend_new          (const char       *url,
                                                   GError          **error);
const char       *syn_remote_backend_get_url      (SynRemoteBackend *self);
/* https:// and wss:// trust the certificates of @ca_file (PEM: a self-signed
 * server's, or a private CA's) instead of the system's. syn_remote_backend_new()
 * reads $SYNAPSE_CA_FILE when set (the GUI's sign-in has no option for it). */
gboolean          syn_remote_backend_set_ca_file  (SynRemoteBackend *self,
                                                   const char       *ca_file,
                                                   GError          **error);
void              syn_remote_backend_set_token    (SynRemoteBackend *self,
                                                   const char       *token);
const char       *syn_remote_backend_get_token    (SynRemoteBackend *self);
const char       *syn_remote_backend_get_username (SynRemoteBackend *self);

/* Signing in: the backend keeps the session's token for every later call. */
void              syn_remote_backend_login_async  (SynRemoteBackend    *self,
                                                   const char          *username,
                                                   const char          *password,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean          syn_remote_backend_login_finish (SynRemoteBackend    *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
gboolean          syn_remote_backend_login        (SynRemoteBackend    *self,
                                                   const char          *username,
                                                   const char          *password,
                                                   GCancellable        *cancellable,
                                                   GError             **error);

G_END_DECLS
