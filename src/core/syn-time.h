/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-time.h: timestamps as microseconds since the Unix epoch, in UTC, and their ISO 8601 form. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gint64    syn_time_now_usec        (void);
char     *syn_time_to_iso8601      (gint64        usec);
gboolean  syn_time_parse_iso8601   (const char   *text,
                                    gboolean      end_of_day,
                                    gint64       *out_usec,
                                    GError      **error);

G_END_DECLS
