/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-explain-pane.h: SynExplainPane, why: each rule's verdict on an asset, and who set each of its values. */
#pragma once

#include <gtk/gtk.h>

#include "syn-session.h"

G_BEGIN_DECLS

#define SYN_TYPE_EXPLAIN_PANE (syn_explain_pane_get_type ())

G_DECLARE_FINAL_TYPE (SynExplainPane, syn_explain_pane, SYN, EXPLAIN_PANE, GtkWidget)

GtkWidget  *syn_explain_pane_new          (void);
void        syn_explain_pane_set_session  (SynExplainPane *self,
                                           SynSession     *session);
void        syn_explain_pane_explain      (SynExplainPane *self,
                                           const char     *asset_id);
void        syn_explain_pane_set_narrow   (SynExplainPane *self,
                                           gboolean        narrow);
const char *syn_explain_pane_get_asset_id (SynExplainPane *self);
gboolean    syn_explain_pane_get_busy     (SynExplainPane *self);
GListModel *syn_explain_pane_get_verdicts (SynExplainPane *self);
GListModel *syn_explain_pane_get_values   (SynExplainPane *self);

G_END_DECLS
