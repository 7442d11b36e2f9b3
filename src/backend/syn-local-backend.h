/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-local-backend.h: SynLocalBackend: store and engine in-process, work on worker threads. */
#pragma once

#include "store/syn-store.h"
#include "syn-backend.h"

G_BEGIN_DECLS

/* Operations only the local backend offers: what the team server asks of
 * it for each request and each feed, never a client of the server. */
#define SYN_OP_AUTHENTICATE    "authenticate"    /* {token} -> {user, expires_at}; 401 when unknown or expired */
#define SYN_OP_ENSURE_ADMIN    "ensure_admin"    /* {} -> {created, username?, password?, unshown: [username]}: an admin when there is no user */
#define SYN_OP_PASSWORD_SHOWN  "password_shown"  /* {username} -> user: its password has been shown (ensure_admin's) */
#define SYN_OP_AUTHORIZE_PROJECT  "authorize_project"  /* {project_id: id or name} -> project; 404 unless the acting user is a member or an admin */
#define SYN_OP_READINESS       "readiness"       /* {} -> {database: "ok", schema_applied, schema_shipped}: the database asked now */
#define SYN_OP_PROJECT_HEAD    "project_head"    /* {project_id} -> {project_id, last_position}: the newest event's position (0: none) */

/* How often (ms) a SQLite database is asked whether another connection
 * committed, while a project is watched. */
#define SYN_LOCAL_BACKEND_DEFAULT_CHANGE_INTERVAL 500

#define SYN_TYPE_LOCAL_BACKEND (syn_local_backend_get_type ())

G_DECLARE_FINAL_TYPE (SynLocalBackend, syn_local_backend, SYN, LOCAL_BACKEND, GObject)

SynLocalBackend *syn_local_backend_new         (const char      *db_uri,
                                                GError         **error);
SynLocalBackend *syn_local_backend_new_full    (const char      *db_uri,
                                                SynStoreOpenFlags flags,
                                                GError         **error);
const char      *syn_local_backend_get_uri     (SynLocalBackend *self);
void             syn_local_backend_set_user_id (SynLocalBackend *self,
                                                const char      *user_id);
const char      *syn_local_backend_get_user_id (SynLocalBackend *self);
void             syn_local_backend_set_change_interval (SynLocalBackend *self,
                                                        guint            interval_ms);
SynStore        *syn_local_backend_acquire_store (SynLocalBackend *self,
                                                  GError         **error);
void             syn_local_backend_release_store (SynLocalBackend *self,
                                                  SynStore        *store);
GPtrArray       *syn_local_backend_get_execution_texts    (SynLocalBackend *self,
                                                           const char      *execution_id,
                                                           guint            from,
                                                           gboolean        *done);
JsonNode        *syn_local_backend_describe_execution     (SynLocalBackend *self,
                                                           const char      *execution_id);
guint            syn_local_backend_cancel_all_executions   (SynLocalBackend *self);
guint            syn_local_backend_count_running_executions (SynLocalBackend *self);
/* For tests: @hook (its store, @user_data) runs on the worker between a
 * pushed operation's conflict check and its write (NULL: none). */
void             syn_local_backend_set_push_hook          (SynLocalBackend *self,
                                                           GFunc            hook,
                                                           gpointer         user_data);

G_END_DECLS
