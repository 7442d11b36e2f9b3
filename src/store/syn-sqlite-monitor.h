/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-sqlite-monitor.h: SynSqliteMonitor: commits to a SQLite file by any connection or process (PRAGMA data_version). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SYN_TYPE_SQLITE_MONITOR (syn_sqlite_monitor_get_type ())

G_DECLARE_FINAL_TYPE (SynSqliteMonitor, syn_sqlite_monitor, SYN, SQLITE_MONITOR, GObject)

/* Opens a connection of its own to the SQLite file at @path, which never
 * writes; every @interval_ms a worker asks it "PRAGMA data_version", which
 * moves when any other connection (of this process or another) committed.
 * "changed" is then emitted on the thread-default main context of the caller. */
SynSqliteMonitor *syn_sqlite_monitor_new (const char  *path,
                                          guint        interval_ms,
                                          GError     **error);

G_END_DECLS
