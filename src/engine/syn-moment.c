/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-moment.c: a moment of a project's history as people give it (a date, a position, a batch) as a position. */
#include "config.h"

#include <string.h>

#include "syn-batch-id.h"
#include "syn-engine-error.h"
#include "syn-moment.h"

static gboolean
all_digits (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

/* The newest event of @q (rolled-back ones included): its position, or 0. */
/* Whether @text (digits) is no position of a project whose newest is @head. */
static gboolean
past_head (const char *text, gint64 head)
{
  guint64 value = 0;

  return strlen (text) >= SYN_BATCH_ID_MIN_DIGITS &&
         (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &value, NULL) || (gint64) value > head);
}

/* Whether @text names exactly one batch of the project. */
static gboolean
batch_named (SynStore *store, const char *project_id, const char *text)
{
  g_autofree char *batch = syn_batch_id_resolve (store, project_id, text, NULL);

  return batch != NULL;
}

static gboolean
newest_position (SynStore *store, SynEventQuery *q, gint64 *position, GError **error)
{
  g_autoptr(GPtrArray) events = NULL;

  q->include_rolled_back = TRUE;
  q->limit = 1;
  if (!(events = syn_store_query_events (store, q, NULL, error)))
    return FALSE;
  *position = events->len > 0 ? ((SynEvent *) g_ptr_array_index (events, 0))->position : 0;
  return TRUE;
}

gboolean
syn_moment_resolve (SynStore *store, const char *project_id, const char *text, gint64 *position, GError **error)
{
  g_autoptr(SynEventQuery) q = NULL;
  g_autofree char *head = NULL;
  gint64 head_position = -1;
  gint64 when = 0;

  g_return_val_if_fail (SYN_IS_STORE (store), FALSE);
  g_return_val_if_fail (project_id != NULL && position != NULL, FALSE);

  if (text == NULL || *text == '\0')
    {
      g_set_error_literal (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID,
                           "No moment given: a date (2026-03-01 or 2026-03-01T14:00:00Z), an event position, "
                           "a batch id or \"now\"");
      return FALSE;
    }
  if (!syn_store_get_chain_head (store, project_id, &head_position, &head, error))
    return FALSE;
  if (g_ascii_strcasecmp (text, "now") == 0)
    {
      *position = MAX (head_position, 0);
      return TRUE;
    }
  /* digits: a position; but 8 or more of them past the newest event may be
   * a short batch id whose hex digits happen to be decimal ones */
  if (all_digits (text) && !(past_head (text, head_position) && batch_named (store, project_id, text)))
    {
      guint64 value = 0;

      if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &value, NULL) || (gint64) value > head_position)
        {
          g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID,
                       "Position %s is after the project's newest event (position %" G_GINT64_FORMAT ")",
                       text, MAX (head_position, 0));
          return FALSE;
        }
      *position = (gint64) value;
      return TRUE;
    }

  q = syn_event_query_new (project_id);
  /* a date first: "2026-03-01" is also 8 hex digits */
  if (syn_time_parse_iso8601 (text, TRUE, &when, NULL))
    {
      q->has_to_date = TRUE;
      q->to_date = when;
      return newest_position (store, q, position, error);
    }
  if (syn_batch_id_is_valid (text))
    {
      g_autofree char *batch = syn_batch_id_resolve (store, project_id, text, error);

      if (batch == NULL)
        return FALSE;
      q->correlation_id = g_steal_pointer (&batch);
      return newest_position (store, q, position, error);
    }
  g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID,
               "\"%s\" is no moment: give a date (2026-03-01 or 2026-03-01T14:00:00Z), an event position, "
               "a batch id (8 or more hex digits of it) or \"now\"", text);
  return FALSE;
}
