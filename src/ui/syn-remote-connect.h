/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-remote-connect.h: sign in to a team server and get the backend that speaks to it. */
#pragma once

#include <gio/gio.h>

#include "backend/syn-backend.h"

G_BEGIN_DECLS

void        syn_remote_connect_async  (const char           *url,
                                       const char           *username,
                                       const char           *password,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
SynBackend *syn_remote_connect_finish (GAsyncResult         *result,
                                       char                **label,
                                       GError              **error);

G_END_DECLS
