/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-event-query.h: SynEventQuery, the filters and page of a timeline query. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SYN_TYPE_EVENT_QUERY (syn_event_query_get_type ())

#define SYN_EVENT_QUERY_DEFAULT_LIMIT 100
#define SYN_EVENT_QUERY_MAX_LIMIT     500

/* Every filter of the specification's EventStore.query(); NULL or FALSE means
 * "no filter". Dates are microseconds since the epoch, both bounds inclusive.
 * after_position and before_position (0: none) bound the page, not the total:
 * keyset pagination, the page of events just older than before_position (or
 * just newer than after_position), newest first, found at page-1 speed at any
 * depth, where an offset has to walk every event above it. */
typedef struct
{
  char      *project_id;
  char     **event_types;
  char     **aggregate_types;
  char      *aggregate_id;
  char      *rule_id;
  char      *discipline;
  char      *correlation_id;
  gboolean   has_from_date;
  gint64     from_date;
  gboolean   has_to_date;
  gint64     to_date;
  gboolean   include_rolled_back;
  guint      limit;
  guint64    offset;
  gint64     after_position;
  gint64     before_position;
} SynEventQuery;

GType          syn_event_query_get_type (void) G_GNUC_CONST;
SynEventQuery *syn_event_query_new      (const char          *project_id);
SynEventQuery *syn_event_query_copy     (const SynEventQuery *self);
void           syn_event_query_free     (SynEventQuery       *self);
gboolean       syn_event_query_validate (const SynEventQuery *self,
                                         GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SynEventQuery, syn_event_query_free)

G_END_DECLS
