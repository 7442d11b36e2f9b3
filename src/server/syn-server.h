/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-server.h: SynServer, the team server: REST and WebSocket API over a SynLocalBackend. */
#pragma once

#include <libsoup/soup.h>

#include "backend/syn-local-backend.h"

G_BEGIN_DECLS

#define SYN_SERVER_DEFAULT_PORT          8001
#define SYN_SERVER_DEFAULT_MAX_BODY      (G_GUINT64_CONSTANT (16) * 1024 * 1024)
#define SYN_SERVER_DEFAULT_MAX_IMPORT    (G_GUINT64_CONSTANT (64) * 1024 * 1024)

#define SYN_TYPE_SERVER (syn_server_get_type ())

G_DECLARE_FINAL_TYPE (SynServer, syn_server, SYN, SERVER, GObject)

SynServer  *syn_server_new             (SynLocalBackend  *backend);
gboolean    syn_server_listen          (SynServer        *self,
                                        const char       *address,
                                        guint             port,
                                        GTlsCertificate  *certificate,
                                        GError          **error);
void        syn_server_disconnect      (SynServer        *self);
void        syn_server_begin_shutdown  (SynServer        *self);
gboolean    syn_server_is_idle         (SynServer        *self);
guint       syn_server_get_port        (SynServer        *self);
const char *syn_server_get_url         (SynServer        *self);
SynLocalBackend *syn_server_get_backend (SynServer       *self);
SoupServer *syn_server_get_soup_server (SynServer      *self);

G_END_DECLS
