/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-execution-panel.h: SynExecutionPanel, run the rules with filters, watch the run live. */
#pragma once

#include <gtk/gtk.h>

#include "backend/syn-execution-run.h"
#include "syn-session.h"

G_BEGIN_DECLS

#define SYN_TYPE_EXECUTION_PANEL (syn_execution_panel_get_type ())

G_DECLARE_FINAL_TYPE (SynExecutionPanel, syn_execution_panel, SYN, EXECUTION_PANEL, GtkWidget)

SynSession *syn_execution_panel_get_session      (SynExecutionPanel *self);
void        syn_execution_panel_set_session      (SynExecutionPanel *self,
                                                  SynSession        *session);
gboolean    syn_execution_panel_get_running      (SynExecutionPanel *self);
gboolean    syn_execution_panel_get_dry_run      (SynExecutionPanel *self);
void        syn_execution_panel_set_dry_run      (SynExecutionPanel *self,
                                                  gboolean           dry_run);
const char *syn_execution_panel_get_correlation_id (SynExecutionPanel *self);
JsonNode   *syn_execution_panel_get_last_message (SynExecutionPanel *self);
SynExecutionRun *syn_execution_panel_get_run    (SynExecutionPanel *self);
GListModel *syn_execution_panel_get_log          (SynExecutionPanel *self);
void        syn_execution_panel_focus_search     (SynExecutionPanel *self);
gboolean    syn_execution_panel_get_narrow       (SynExecutionPanel *self);
void        syn_execution_panel_set_narrow       (SynExecutionPanel *self,
                                                  gboolean           narrow);
void        syn_execution_panel_set_show_filters (SynExecutionPanel *self,
                                                  gboolean           show_filters);

G_END_DECLS
