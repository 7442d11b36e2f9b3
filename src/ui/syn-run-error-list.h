/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-run-error-list.h: SynRunErrorList, every error and warning of a run, grouped by rule. */
#pragma once

#include <gtk/gtk.h>

#include "backend/syn-execution-run.h"
#include "syn-session.h"

G_BEGIN_DECLS

#define SYN_TYPE_RUN_ERROR_LIST (syn_run_error_list_get_type ())

G_DECLARE_FINAL_TYPE (SynRunErrorList, syn_run_error_list, SYN, RUN_ERROR_LIST, GtkWidget)

GtkWidget  *syn_run_error_list_new         (void);
void        syn_run_error_list_set_session (SynRunErrorList *self,
                                            SynSession      *session);
void        syn_run_error_list_set_run     (SynRunErrorList *self,
                                            SynExecutionRun *run);
void        syn_run_error_list_sync        (SynRunErrorList *self);
GListModel *syn_run_error_list_get_groups  (SynRunErrorList *self);
guint       syn_run_error_list_get_n_items (SynRunErrorList *self);
void        syn_run_error_list_activate    (SynRunErrorList *self,
                                            guint            position);

G_END_DECLS
