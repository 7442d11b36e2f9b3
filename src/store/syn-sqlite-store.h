/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-sqlite-store.h: SynSqliteStore, the SynStore on an embedded SQLite file. */
#pragma once

#include "syn-store.h"

G_BEGIN_DECLS

#define SYN_TYPE_SQLITE_STORE (syn_sqlite_store_get_type ())

G_DECLARE_FINAL_TYPE (SynSqliteStore, syn_sqlite_store, SYN, SQLITE_STORE, GObject)

SynStore *syn_sqlite_store_open                 (const char *path,
                                                 GError    **error);
SynStore *syn_sqlite_store_open_full            (const char *path,
                                                 gboolean    create,
                                                 GError    **error);
int       syn_sqlite_store_schema_version       (SynSqliteStore *self);
int       syn_sqlite_store_latest_schema_version (void);
/* SQLite's page cache per connection, in KiB: for connections opened from
 * now on in this process (0: SYN_SQLITE_CACHE_KIB), or for one (0: back to
 * the process's). */
#define SYN_SQLITE_CACHE_KIB 65536
void      syn_sqlite_store_set_default_cache_size (guint kib);
void      syn_sqlite_store_set_cache_size         (SynSqliteStore *self,
                                                   guint           kib);

G_END_DECLS
