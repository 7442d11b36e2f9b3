/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-time-travel.h: a project as of any moment, and the difference between two moments, from the replay. */
#pragma once

#include "store/syn-store.h"
#include "syn-exporter.h"

G_BEGIN_DECLS

/* The assets, cables and edges after the events up to @moment
 * (syn_moment_resolve()), rollbacks in between as they happened:
 * {project_id, as_of: {moment, position, timestamp?}, state_hash,
 *  counts: {assets, cables, edges}, assets: [...by tag], cables: [...by tag],
 *  edges: [...by id]}. */
JsonNode *syn_time_travel_state    (SynStore    *store,
                                    const char  *project_id,
                                    const char  *moment,
                                    GError     **error);

/* The same answer as JSON text (assets and cables by tag, edges by id),
 * written from the replay's canonical texts without building an object per
 * entity: what the command line and the REST route print. */
char     *syn_time_travel_state_text (SynStore   *store,
                                      const char *project_id,
                                      const char *moment,
                                      GError    **error);

/* What changed from @from to @to (NULL: now): {project_id, from: {moment,
 * position, state_hash}, to: {...}, counts: {added, removed, changed},
 * assets|cables|edges: {added: [change], removed: [change], changed:
 * [change]}} where a change is {id, tag?, entity (the new one; removed: the
 * old one), fields: [{field, old, new}] (changed only; properties as
 * "properties.NAME"), batches: [{correlation_id, user_id, timestamp,
 * event_type}] (the ones that touched it in between, oldest first)}. The
 * backend's diff adds "user_name" to a batch whose user it knows
 * (_syn_diff_add_names()), as the timeline does.
 * @to before @from is an error. */
JsonNode *syn_time_travel_diff     (SynStore    *store,
                                    const char  *project_id,
                                    const char  *from,
                                    const char  *to,
                                    GError     **error);

/* The cable schedule or the asset list (@kind SYN_EXPORT_CABLES or
 * _ASSETS) as of @moment, with the columns, filters and order of today's
 * export (syn_exporter_run()): the replayed state is loaded into a scratch
 * in-memory database and exported from there; "created_by" is the rule, or
 * the person of the newest creation of the entity up to the moment. */
char     *syn_time_travel_export   (SynStore             *store,
                                    const char           *moment,
                                    SynExportKind         kind,
                                    SynExportFormat       format,
                                    const SynEntityQuery *entities,
                                    const char * const   *properties,
                                    guint                *n_rows,
                                    GError              **error);

/* The diff as CSV, one row per field changed (one per entity added or
 * removed): kind,change,id,tag,field,old,new,batches,users. */
char     *syn_time_travel_diff_csv (JsonNode    *diff);

G_END_DECLS
