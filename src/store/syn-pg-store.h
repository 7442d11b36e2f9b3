/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-pg-store.h: SynPgStore, the SynStore on a PostgreSQL server (libpq). */
#pragma once

#include "syn-store.h"

G_BEGIN_DECLS

#define SYN_TYPE_PG_STORE (syn_pg_store_get_type ())

G_DECLARE_FINAL_TYPE (SynPgStore, syn_pg_store, SYN, PG_STORE, GObject)

/* @uri: a libpq connection URI (postgresql://...) or key/value string. */
SynStore *syn_pg_store_open                  (const char  *uri,
                                              GError     **error);
gboolean  syn_pg_store_is_uri                (const char  *uri);
int       syn_pg_store_schema_version        (SynPgStore  *self);
int       syn_pg_store_latest_schema_version (void);
/* The server process of this connection (pg_stat_activity.pid); 0 if none. */
int       syn_pg_store_get_backend_pid       (SynPgStore  *self);
/* @uri with its database replaced by @dbname, as a key/value connection string. */
char     *syn_pg_uri_with_database           (const char  *uri,
                                              const char  *dbname,
                                              GError     **error);
/* @uri with one option (password, host...) set, as a key/value connection string. */
char     *syn_pg_uri_with_option             (const char  *uri,
                                              const char  *keyword,
                                              const char  *value,
                                              GError     **error);
char     *syn_pg_uri_get_option              (const char  *uri,
                                              const char  *keyword);

G_END_DECLS
