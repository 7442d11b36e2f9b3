/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-pg-listener.h: SynPgListener, the live feed of committed batches on PostgreSQL (LISTEN/NOTIFY). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SYN_TYPE_PG_LISTENER (syn_pg_listener_get_type ())

G_DECLARE_FINAL_TYPE (SynPgListener, syn_pg_listener, SYN, PG_LISTENER, GObject)

/* Opens a connection of its own to the database of @uri and listens there;
 * signals are emitted on the thread-default main context of the caller.
 *
 * "batch-committed" (project_id, first_position, last_position): a batch
 * with events of that project committed, in any process; read them with
 * syn_store_list_events_after() from the last position you have, which
 * returns every event of the project in order even when notifications
 * arrive late or merge.
 *
 * "reconnected": the connection was lost and is back; batches committed in
 * between were not announced, so catch up from the last position you have.
 * A lost connection is retried every second, then less often (up to 5 s).
 *
 * "notification" (channel, payload): one on a channel given to
 * syn_pg_listener_new_for_channels(), its payload as it was sent. */
SynPgListener *syn_pg_listener_new          (const char     *uri,
                                             GError        **error);
SynPgListener *syn_pg_listener_new_for_channels (const char          *uri,
                                                 const char * const  *channels,
                                                 GError             **error);
/* The same without the database now (a failover under way): it connects in
 * the background, retrying as after a loss, and says "reconnected" once it
 * listens (on the event channel only). */
SynPgListener *syn_pg_listener_new_in_background (const char *uri);
gboolean       syn_pg_listener_is_connected (SynPgListener  *self);

G_END_DECLS
