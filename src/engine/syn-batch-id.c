/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-batch-id.c: batch ids as people give them: the full id, or a unique prefix or suffix of 8 or more hex digits. */
#include "config.h"

#include "syn-batch-id.h"
#include "syn-engine-error.h"

/* An ambiguous id names this many candidates, then how many more. */
#define MAX_CANDIDATES_NAMED 10

/* The hex digits of @text, lowercase, dashes dropped; NULL when it holds
 * anything else or too few or too many of them. */
static char *
digits_of (const char *text)
{
  g_autoptr(GString) digits = g_string_new (NULL);

  if (text == NULL)
    return NULL;
  for (const char *c = text; *c != '\0'; c++)
    {
      if (*c == '-')
        continue;
      if (!g_ascii_isxdigit (*c))
        return NULL;
      g_string_append_c (digits, g_ascii_tolower (*c));
    }
  if (digits->len < SYN_BATCH_ID_MIN_DIGITS || digits->len > 32)
    return NULL;
  return g_string_free (g_steal_pointer (&digits), FALSE);
}

/* Whether @text can name a batch: 8 to 32 hex digits, in either case, with
 * or without dashes (a full id is 32 of them). */
gboolean
syn_batch_id_is_valid (const char *text)
{
  g_autofree char *digits = digits_of (text);

  return digits != NULL;
}

/* As syn_batch_id_is_valid(), with SYN_ENGINE_ERROR_INVALID saying what a
 * batch id is when it is not one. */
gboolean
syn_batch_id_check (const char *text, GError **error)
{
  if (syn_batch_id_is_valid (text))
    return TRUE;
  g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID,
               "\"%s\" is not a batch id (its full id, or %d or more of its hex digits)",
               text ? text : "", SYN_BATCH_ID_MIN_DIGITS);
  return FALSE;
}

/* Whether @correlation_id is a whole batch id (a UUID), as a rollback or a
 * redo takes it; if not, SYN_ENGINE_ERROR @code (the operation's refusal)
 * with the specification's message. */
gboolean
syn_batch_id_check_full (const char *correlation_id, int code, GError **error)
{
  if (syn_uuid_is_valid (correlation_id))
    return TRUE;
  g_set_error_literal (error, SYN_ENGINE_ERROR, code, "Invalid correlation_id format");
  return FALSE;
}

/* What kind of batch its first event makes it. */
static const char *
batch_kind (SynEvent *first)
{
  const char *type = first->event_type;

  if (g_strcmp0 (type, SYN_EVENT_BATCH_STARTED) == 0)
    return "rule run";
  if (g_strcmp0 (type, SYN_EVENT_CSV_IMPORTED) == 0)
    return "import";
  if (g_strcmp0 (type, SYN_EVENT_BATCH_ROLLED_BACK) == 0)
    return "rollback";
  if (g_str_has_prefix (type, "RULE_DEFINITION_"))
    return "rule change";
  return first->rule_id != NULL ? "rule output" : "edit";
}

static void
set_ambiguous (const char *text, GPtrArray *matches, GError **error)
{
  g_autoptr(GString) list = g_string_new (NULL);

  for (guint i = 0; i < matches->len && i < MAX_CANDIDATES_NAMED; i++)
    {
      SynEvent *first = g_ptr_array_index (matches, i);
      g_autofree char *when = syn_time_to_iso8601 (first->timestamp);

      g_string_append_printf (list, "%s%s (%s, %s)", i ? "; " : "", first->correlation_id, when,
                              batch_kind (first));
    }
  if (matches->len > MAX_CANDIDATES_NAMED)
    g_string_append_printf (list, "; and %u more", matches->len - MAX_CANDIDATES_NAMED);
  g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID,
               "\"%s\" matches %u batches, give more digits: %s", text, matches->len, list->str);
}

/* The full id of the one batch of @project_id that @text names: its id as
 * written, with its dashes (any case; returned lowercase whether or not it
 * exists, for the caller to look up), or a prefix or suffix of 8 or more of
 * its hex digits (32 without dashes are looked up like any other).
 * SYN_ENGINE_ERROR_INVALID when @text is no batch id or matches several
 * batches (the message names each: id, time, kind); _NOT_FOUND for none. */
char *
syn_batch_id_resolve (SynStore *store, const char *project_id, const char *text, GError **error)
{
  g_autofree char *digits = NULL;
  g_autoptr(GPtrArray) matches = NULL;

  g_return_val_if_fail (SYN_IS_STORE (store), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  if (!syn_batch_id_check (text, error))
    return NULL;
  /* written as an id is: the caller looks it up (and says when it is none) */
  if (syn_uuid_is_valid (text))
    return g_ascii_strdown (text, -1);
  digits = digits_of (text);

  if (!(matches = syn_store_find_batches (store, project_id, digits, error)))
    return NULL;
  if (matches->len == 0)
    {
      g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_NOT_FOUND,
                   "no batch id of this project begins or ends with \"%s\"", text);
      return NULL;
    }
  if (matches->len > 1)
    {
      set_ambiguous (text, matches, error);
      return NULL;
    }
  return g_strdup (((SynEvent *) g_ptr_array_index (matches, 0))->correlation_id);
}
