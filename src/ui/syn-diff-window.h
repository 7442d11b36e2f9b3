/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-diff-window.h: SynDiffWindow, what changed in a project between two moments (SYN_OP_DIFF): added,
 * removed and changed assets, cables and edges, field by field, with the batches and people; CSV export. */
#pragma once

#include <adwaita.h>

#include "syn-session.h"

G_BEGIN_DECLS

#define SYN_TYPE_DIFF_WINDOW (syn_diff_window_get_type ())

G_DECLARE_FINAL_TYPE (SynDiffWindow, syn_diff_window, SYN, DIFF_WINDOW, AdwWindow)

/* @from, @to: moments (a position, a date, a batch; @to NULL: now), named
 * for people by @from_label and @to_label. The comparison starts at once. */
SynDiffWindow *syn_diff_window_new            (GtkWindow     *parent,
                                               SynSession    *session,
                                               const char    *from,
                                               const char    *from_label,
                                               const char    *to,
                                               const char    *to_label);
gboolean       syn_diff_window_get_busy       (SynDiffWindow *self);
/* The diff's answer once loaded (NULL before, or when it failed). */
JsonObject    *syn_diff_window_get_diff       (SynDiffWindow *self);
/* The rows shown (SynJsonItem {row: group|entity|field, kind, change, ...}). */
GListModel    *syn_diff_window_get_rows       (SynDiffWindow *self);
const char    *syn_diff_window_get_counts_text (SynDiffWindow *self);
/* Writes the CSV (the operation's own format) to @file, as Export CSV does
 * once a file is chosen; busy until written. */
void           syn_diff_window_export_to_file (SynDiffWindow *self,
                                               GFile         *file);
/* How the last export ended: rows written, or -1 (and the error's text). */
gint64         syn_diff_window_get_exported   (SynDiffWindow *self,
                                               const char   **error);

G_END_DECLS
