/* SPDX-License-Identifier: GPL-3.0-or-later */
/* crash-check.h: the crash-safety invariants of a database, checked after every kill (incrementally). */
#pragma once

#include "store/syn-store.h"

G_BEGIN_DECLS

typedef struct _CrashChecker CrashChecker;

typedef struct
{
  guint64    batches_checked;
  guint64    events_checked;
  guint64    snapshots_checked;
  guint64    executions_checked;
  guint64    failures;
  GPtrArray *messages;        /* char *, the first failures' descriptions */
} CrashReport;

CrashChecker *crash_checker_new   (void);
void          crash_checker_free  (CrashChecker *self);
/* Checks what is new since the last run (everything the first time, or when
 * @full; a project without new events or changed row counts is compared
 * with its replay only then): batches whole (gapless sequence 0..n-1, snapshot with count n, an
 * execution's record, an import's rows), positions increasing, tables equal
 * to the replay of the events (no orphan, nothing missing, same state hash),
 * no dangling reference (tables or replay), no execution left 'running'. Adds to @report; FALSE only when the database
 * cannot be read at all (counted as a failure too). */
gboolean      crash_checker_run   (CrashChecker *self,
                                   SynStore     *store,
                                   gboolean      full,
                                   CrashReport  *report);
/* The number of batches (correlation ids) seen so far, over all projects. */
guint64       crash_checker_n_batches (CrashChecker *self);

void          crash_report_clear  (CrashReport  *report);
void          crash_report_fail   (CrashReport  *report,
                                   const char   *format,
                                   ...) G_GNUC_PRINTF (2, 3);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrashChecker, crash_checker_free)

G_END_DECLS
