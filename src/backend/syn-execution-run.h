/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-execution-run.h: SynExecutionRun, one run of the rules as the front ends see it: it starts the run,
 * folds its live messages into properties, keeps every error, and cancels. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "syn-backend.h"

G_BEGIN_DECLS

#define SYN_TYPE_EXECUTION_RUN (syn_execution_run_get_type ())

G_DECLARE_FINAL_TYPE (SynExecutionRun, syn_execution_run, SYN, EXECUTION_RUN, GObject)

SynExecutionRun *syn_execution_run_new           (SynBackend           *backend,
                                                  const char           *project_id,
                                                  gboolean              dry_run,
                                                  JsonObject           *filters);
void             syn_execution_run_start_async   (SynExecutionRun      *self,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean         syn_execution_run_start_finish  (SynExecutionRun      *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
gboolean         syn_execution_run_cancel        (SynExecutionRun      *self);
void             syn_execution_run_apply_message (SynExecutionRun      *self,
                                                  JsonNode             *message);

SynBackend      *syn_execution_run_get_backend        (SynExecutionRun *self);
const char      *syn_execution_run_get_execution_id   (SynExecutionRun *self);
const char      *syn_execution_run_get_project_id     (SynExecutionRun *self);
gboolean         syn_execution_run_get_dry_run        (SynExecutionRun *self);
const char      *syn_execution_run_get_correlation_id (SynExecutionRun *self);
gboolean         syn_execution_run_get_running        (SynExecutionRun *self);
gboolean         syn_execution_run_get_finished       (SynExecutionRun *self);
const char      *syn_execution_run_get_status         (SynExecutionRun *self);
gboolean         syn_execution_run_get_up_to_date     (SynExecutionRun *self);
guint            syn_execution_run_get_progress       (SynExecutionRun *self);
const char      *syn_execution_run_get_current_rule   (SynExecutionRun *self);
guint            syn_execution_run_get_rules_completed (SynExecutionRun *self);
guint            syn_execution_run_get_rules_total    (SynExecutionRun *self);
guint            syn_execution_run_get_rules_idle     (SynExecutionRun *self);
guint            syn_execution_run_get_total_assets   (SynExecutionRun *self);
guint            syn_execution_run_get_actions        (SynExecutionRun *self);
guint            syn_execution_run_get_skipped        (SynExecutionRun *self);
guint            syn_execution_run_get_errors         (SynExecutionRun *self);
guint            syn_execution_run_get_warnings       (SynExecutionRun *self);
gint64           syn_execution_run_get_elapsed_ms     (SynExecutionRun *self);
GListModel      *syn_execution_run_get_error_list     (SynExecutionRun *self);
JsonObject      *syn_execution_run_get_summary        (SynExecutionRun *self);
gint64           syn_execution_run_get_duration_ms    (SynExecutionRun *self);
const char      *syn_execution_run_get_failure        (SynExecutionRun *self);
JsonNode        *syn_execution_run_get_final_message  (SynExecutionRun *self);

G_END_DECLS
