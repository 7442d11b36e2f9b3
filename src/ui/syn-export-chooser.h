/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-export-chooser.h: where an export goes (the file chooser, through the portal in a sandbox) and
 * writing it there off the main loop. */
#pragma once

#include <gtk/gtk.h>

#include "backend/syn-backend.h"

G_BEGIN_DECLS

typedef void (*SynExportChosenFunc) (GFile    *file,
                                     gpointer  user_data);

/* Asks where to save (@suggested_name in the last folder); @func gets the
 * file, or is not called when the person cancels. */
void     syn_export_chooser_run           (GtkWindow           *parent,
                                           const char          *title,
                                           const char          *suggested_name,
                                           const char          *format,
                                           SynExportChosenFunc  func,
                                           gpointer             user_data,
                                           GDestroyNotify       destroy);

/* The backend's export (SYN_OP_EXPORT with @params) written to @file;
 * finishes with the number of rows written. */
void     syn_export_to_file_async         (SynBackend          *backend,
                                           JsonObject          *params,
                                           GFile               *file,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
/* @content (taken) written to @file, as @rows rows. */
void     syn_export_text_to_file_async    (char                *content,
                                           guint                rows,
                                           GFile               *file,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean syn_export_to_file_finish        (GAsyncResult        *result,
                                           guint               *rows,
                                           GError             **error);

G_END_DECLS
