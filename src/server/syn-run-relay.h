/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-run-relay.h: SynRunRelay: the live messages of executions through PostgreSQL, so any server streams any run. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "backend/syn-local-backend.h"

G_BEGIN_DECLS

#define SYN_RUN_RELAY_DEFAULT_HEARTBEAT  5       /* seconds between an owner's heartbeats */
#define SYN_RUN_RELAY_DEFAULT_LOST_AFTER 30      /* seconds without heartbeat: the run is failed */
#define SYN_RUN_RELAY_DEFAULT_RETENTION  86400   /* seconds a finished run's messages are kept */
#define SYN_RUN_RELAY_PAGE               500     /* messages per read */

#define SYN_TYPE_RUN_RELAY (syn_run_relay_get_type ())

G_DECLARE_FINAL_TYPE (SynRunRelay, syn_run_relay, SYN, RUN_RELAY, GObject)

SynRunRelay *syn_run_relay_new             (SynLocalBackend      *backend,
                                            GError              **error);
const char  *syn_run_relay_get_server_id   (SynRunRelay          *self);
guint        syn_run_relay_get_lost_after  (SynRunRelay          *self);
void         syn_run_relay_set_lost_after  (SynRunRelay          *self,
                                            guint                 seconds);
guint        syn_run_relay_get_retention   (SynRunRelay          *self);
void         syn_run_relay_register_async  (SynRunRelay          *self,
                                            const char           *execution_id,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean     syn_run_relay_register_finish (GAsyncResult         *result,
                                            GError              **error);
void         syn_run_relay_describe_async  (SynRunRelay          *self,
                                            const char           *execution_id,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
JsonNode    *syn_run_relay_describe_finish (GAsyncResult         *result,
                                            GError              **error);
void         syn_run_relay_read_async      (SynRunRelay          *self,
                                            const char           *execution_id,
                                            gint64                after_seq,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
JsonNode    *syn_run_relay_read_finish     (GAsyncResult         *result,
                                            GError              **error);
void         syn_run_relay_cancel_async    (SynRunRelay          *self,
                                            const char           *execution_id,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean     syn_run_relay_cancel_finish   (GAsyncResult         *result,
                                            GError              **error);

G_END_DECLS
