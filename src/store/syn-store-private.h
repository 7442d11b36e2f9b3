/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-store-private.h: what the SQLite and PostgreSQL stores share beyond the SynStore interface. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The migration scripts under @resource_dir ("0001_initial.sql", ...),
 * sorted by their version number. */
GStrv      _syn_store_list_migrations      (const char  *resource_dir);
int        _syn_store_latest_migration     (const char  *resource_dir);
/* One script's text (its version is the number its name starts with). */
char      *_syn_store_load_migration       (const char  *resource_dir,
                                            const char  *name,
                                            GError     **error);

/* list_later_batches: @newest maps a correlation id to its newest matching
 * position (both owned by the table, g_free). */
GHashTable *_syn_store_later_batches_new   (void);
void        _syn_store_later_batch_seen    (GHashTable  *newest,
                                            const char  *correlation_id,
                                            gint64       position);
/* The correlation ids, newest batch first. */
GPtrArray  *_syn_store_later_batches_sorted (GHashTable *newest);

G_END_DECLS
