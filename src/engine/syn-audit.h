/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-audit.h: the audit trail file: a project's events with their hashes, checkable without the database. */
#pragma once

#include <gio/gio.h>

#include "store/syn-store.h"

G_BEGIN_DECLS

#define SYN_AUDIT_FORMAT  "synapse-audit"
#define SYN_AUDIT_VERSION 1

/* The audit file of @project_id's events after @from_position up to
 * @to_position (-1: the newest), in JSON Lines (docs/design-notes.md,
 * "Audit trail"): a header with the hash the first event follows, one
 * event a line (syn_event_to_json(), its hash included), a trailer with
 * the head hash and the count. *@n_events and *@head_hash say what it holds. */
GString  *syn_audit_export      (SynStore    *store,
                                 const char  *project_id,
                                 gint64       from_position,
                                 gint64       to_position,
                                 guint64     *n_events,
                                 char       **head_hash,
                                 GError     **error);

/* The same file written to @stream a page of events at a time, as they are
 * read: memory stays one page whatever the project's size. */
gboolean  syn_audit_write       (SynStore      *store,
                                 const char    *project_id,
                                 gint64         from_position,
                                 gint64         to_position,
                                 GOutputStream *stream,
                                 guint64       *n_events,
                                 char         **head_hash,
                                 GError       **error);

/* Checks an audit file without a database: the chain event by event from
 * the header's hash, strictly increasing positions, the trailer's head
 * hash and count, and @expect (a head hash someone wrote down) when given.
 * The answer is shaped as syn_verifier_verify_full()'s, with "file" for
 * "project_id"'s company. FALSE only when the file cannot be read or is no
 * audit file (SYN_ENGINE_ERROR_INVALID, naming the line). */
JsonNode *syn_audit_verify_file (const char  *path,
                                 const char  *expect,
                                 GError     **error);

G_END_DECLS
