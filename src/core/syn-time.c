/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-time.c: microsecond UTC timestamps, formatted as "2026-11-26T11:12:19.123456+00:00". */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "syn-json.h"
#include "syn-time.h"

gint64
syn_time_now_usec (void)
{
  return g_get_real_time ();
}

char *
syn_time_to_iso8601 (gint64 usec)
{
  gint64 secs = usec / G_USEC_PER_SEC;
  gint64 frac = usec % G_USEC_PER_SEC;
  g_autoptr(GDateTime) dt = NULL;

  if (frac < 0)
    {
      frac += G_USEC_PER_SEC;
      secs -= 1;
    }
  dt = g_date_time_new_from_unix_utc (secs);
  if (dt == NULL)
    return g_strdup ("1970-01-01T00:00:00.000000+00:00");
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d.%06d+00:00",
                          g_date_time_get_year (dt), g_date_time_get_month (dt),
                          g_date_time_get_day_of_month (dt), g_date_time_get_hour (dt),
                          g_date_time_get_minute (dt), g_date_time_get_second (dt),
                          (int) frac);
}

/* Accepts a full ISO 8601 date-time (a missing offset means UTC) or a bare date
 * (YYYY-MM-DD), which stands for the start of that day, or its last microsecond
 * when @end_of_day is set, so that a date range given as dates is inclusive. */
gboolean
syn_time_parse_iso8601 (const char  *text,
                        gboolean     end_of_day,
                        gint64      *out_usec,
                        GError     **error)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = NULL;
  gsize len;

  g_return_val_if_fail (out_usec != NULL, FALSE);

  if (text == NULL || *text == '\0')
    goto invalid;
  len = strlen (text);

  if (len == 10 && text[4] == '-' && text[7] == '-')
    {
      int y, m, d;
      char tail;

      if (sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        goto invalid;
      dt = g_date_time_new (utc, y, m, d, 0, 0, 0);
      if (dt == NULL)
        goto invalid;
      *out_usec = g_date_time_to_unix (dt) * G_USEC_PER_SEC;
      if (end_of_day)
        *out_usec += (gint64) 86400 * G_USEC_PER_SEC - 1;
      return TRUE;
    }

  dt = g_date_time_new_from_iso8601 (text, utc);
  if (dt == NULL)
    goto invalid;
  *out_usec = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
  return TRUE;

invalid:
  g_set_error (error, SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_DATE,
               "Invalid date \"%s\": expected ISO 8601 (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS[.ffffff][+HH:MM])",
               text ? text : "");
  return FALSE;
}
