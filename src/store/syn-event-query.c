/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-event-query.c: SynEventQuery, a boxed set of timeline filters. */
#include "config.h"

#include "core/syn-json.h"
#include "core/syn-vocabulary.h"
#include "syn-event-query.h"
#include "syn-store.h"

G_DEFINE_BOXED_TYPE (SynEventQuery, syn_event_query, syn_event_query_copy, syn_event_query_free)

SynEventQuery *
syn_event_query_new (const char *project_id)
{
  SynEventQuery *self = g_new0 (SynEventQuery, 1);

  self->project_id = g_strdup (project_id);
  self->limit = SYN_EVENT_QUERY_DEFAULT_LIMIT;
  return self;
}

SynEventQuery *
syn_event_query_copy (const SynEventQuery *self)
{
  SynEventQuery *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->project_id = g_strdup (self->project_id);
  copy->event_types = g_strdupv (self->event_types);
  copy->aggregate_types = g_strdupv (self->aggregate_types);
  copy->aggregate_id = g_strdup (self->aggregate_id);
  copy->rule_id = g_strdup (self->rule_id);
  copy->discipline = g_strdup (self->discipline);
  copy->correlation_id = g_strdup (self->correlation_id);
  return copy;
}

void
syn_event_query_free (SynEventQuery *self)
{
  if (self == NULL)
    return;
  g_free (self->project_id);
  g_strfreev (self->event_types);
  g_strfreev (self->aggregate_types);
  g_free (self->aggregate_id);
  g_free (self->rule_id);
  g_free (self->discipline);
  g_free (self->correlation_id);
  g_free (self);
}

gboolean
syn_event_query_validate (const SynEventQuery *self, GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->project_id == NULL)
    {
      g_set_error_literal (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID,
                           "project_id is required");
      return FALSE;
    }
  for (guint i = 0; self->event_types && self->event_types[i]; i++)
    if (!syn_is_event_type (self->event_types[i]))
      {
        g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID,
                     "event_types: unknown event type \"%s\"", self->event_types[i]);
        return FALSE;
      }
  for (guint i = 0; self->aggregate_types && self->aggregate_types[i]; i++)
    if (!syn_is_aggregate_type (self->aggregate_types[i]))
      {
        g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID,
                     "aggregate_types: unknown aggregate type \"%s\"", self->aggregate_types[i]);
        return FALSE;
      }
  if (self->correlation_id != NULL && !syn_uuid_is_valid (self->correlation_id))
    {
      g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID,
                   "correlation_id: \"%s\" is not a UUID", self->correlation_id);
      return FALSE;
    }
  if (self->limit < 1 || self->limit > SYN_EVENT_QUERY_MAX_LIMIT)
    {
      g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID,
                   "limit: must be between 1 and %d", SYN_EVENT_QUERY_MAX_LIMIT);
      return FALSE;
    }
  if (self->after_position < 0 || self->before_position < 0)
    {
      g_set_error_literal (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID,
                           self->after_position < 0 ? "after: must be a position (0 or more)"
                                                    : "before: must be a position (0 or more)");
      return FALSE;
    }
  if (self->has_from_date && self->has_to_date && self->from_date > self->to_date)
    {
      g_set_error_literal (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID,
                           "from_date: after to_date");
      return FALSE;
    }
  return TRUE;
}
