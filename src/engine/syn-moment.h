/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-moment.h: a moment of a project's history as people give it (a date, a position, a batch) as a position. */
#pragma once

#include "store/syn-store.h"

G_BEGIN_DECLS

/* @text: "now"; a position (digits: the state after the project's events up
 * to it); an ISO 8601 date or time (a date alone: the end of that day, UTC;
 * the state after the last event at or before it); a batch id, whole or 8+
 * hex digits of its start or end (the state right after it). *@position is
 * 0 before the first event. SYN_ENGINE_ERROR_INVALID names what is wrong. */
gboolean syn_moment_resolve (SynStore    *store,
                             const char  *project_id,
                             const char  *text,
                             gint64      *position,
                             GError     **error);

G_END_DECLS
