/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-rule-editor-dialog.h: SynRuleEditorDialog, a rule's JSON edited, checked with the field's error
 * placed in the text, previewed (what saving would do), then saved. */
#pragma once

#include <gtk/gtk.h>

#include "syn-session.h"

G_BEGIN_DECLS

#define SYN_TYPE_RULE_EDITOR_DIALOG (syn_rule_editor_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SynRuleEditorDialog, syn_rule_editor_dialog, SYN, RULE_EDITOR_DIALOG, GtkWindow)

/* @rule: the rule's definition (as list_rules answers it), or NULL for a
 * new rule of the project. A library rule is saved to the library. */
SynRuleEditorDialog *syn_rule_editor_dialog_new         (GtkWindow           *parent,
                                                         SynSession          *session,
                                                         JsonObject          *rule);
GtkTextBuffer       *syn_rule_editor_dialog_get_buffer  (SynRuleEditorDialog *self);
/* Checks the text and asks what saving it would do; Save is offered once
 * a preview of the text as it is has come back. */
void                 syn_rule_editor_dialog_preview     (SynRuleEditorDialog *self);
gboolean             syn_rule_editor_dialog_get_can_save (SynRuleEditorDialog *self);
void                 syn_rule_editor_dialog_save        (SynRuleEditorDialog *self);
gboolean             syn_rule_editor_dialog_get_busy    (SynRuleEditorDialog *self);
/* The errors listed under the text ("" when none), the line marked (from 0; -1: none). */
char                *syn_rule_editor_dialog_get_errors  (SynRuleEditorDialog *self);
int                  syn_rule_editor_dialog_get_error_line (SynRuleEditorDialog *self);
/* The preview's text, or NULL. */
const char          *syn_rule_editor_dialog_get_preview (SynRuleEditorDialog *self);

G_END_DECLS
