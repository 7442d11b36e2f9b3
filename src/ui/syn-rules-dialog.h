/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-rules-dialog.h: SynRulesDialog, the rules of the project and of the library, each with its switch,
 * opened in the rule editor. */
#pragma once

#include <gtk/gtk.h>

#include "syn-rule-editor-dialog.h"
#include "syn-session.h"

G_BEGIN_DECLS

#define SYN_TYPE_RULES_DIALOG (syn_rules_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SynRulesDialog, syn_rules_dialog, SYN, RULES_DIALOG, GtkWindow)

SynRulesDialog       *syn_rules_dialog_new        (GtkWindow      *parent,
                                                   SynSession     *session);
/* Loading the list or saving a switch. */
gboolean              syn_rules_dialog_get_busy   (SynRulesDialog *self);
/* The rules shown, in order (the project's, then the library's). */
guint                 syn_rules_dialog_get_n_rules (SynRulesDialog *self);
/* The switch of @rule_id, or NULL when it is not shown. */
GtkSwitch            *syn_rules_dialog_get_switch (SynRulesDialog *self,
                                                   const char     *rule_id);
/* Opens the editor on @rule_id, or on a new rule of the project (NULL). */
SynRuleEditorDialog  *syn_rules_dialog_edit       (SynRulesDialog *self,
                                                   const char     *rule_id);

G_END_DECLS
