/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-local-backend.h: SynLocalBackend: store and engine in-process, work on worker threads. */
#pragma once

#include "store/syn-store.h"
#include "syn-backend.h"

G_BEGIN_DECLS

#define SYN_TYPE_LOCAL_BACKEND (syn_local_backend_get_type ())

G_DECLARE_FINAL_TYPE (SynLocalBackend, syn_local_backend, SYN, LOCAL_BACKEND, GObject)

SynLocalBackend *syn_local_backend_new         (const char      *db_uri,
                                                GError         **error);
const char      *syn_local_backend_get_uri     (SynLocalBackend *self);
void             syn_local_backend_set_user_id (SynLocalBackend *self,
                                                const char      *user_id);
const char      *syn_local_backend_get_user_id (SynLocalBackend *self);
SynStore        *syn_local_backend_acquire_store (SynLocalBackend *self,
                                                  GError         **error);
void             syn_local_backend_release_store (SynLocalBackend *self,
                                                  SynStore        *store);
GPtrArray       *syn_local_backend_get_execution_messages (SynLocalBackend *self,
                                                           const char      *execution_id,
                                                           guint            from,
                                                           gboolean        *done);
JsonNode        *syn_local_backend_describe_execution     (SynLocalBackend *self,
                                                           const char      *execution_id);

G_END_DECLS
