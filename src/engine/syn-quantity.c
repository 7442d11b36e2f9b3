/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-quantity.c: numbers with units: the one number scanner of the engine, and sizing inputs with their units. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "syn-engine-error.h"
#include "syn-quantity.h"

const char *
syn_quantity_scan (const char *text, double *out)
{
  const char *p = text;
  const char *start;
  gsize n_digits = 0;
  char buf[64];
  double value;

  if (text == NULL)
    return NULL;
  while (g_ascii_isspace (*p))
    p++;
  start = p;
  if (*p == '+' || *p == '-')
    p++;
  for (; g_ascii_isdigit (*p); p++)
    n_digits++;
  if (*p == '.')
    {
      for (p++; g_ascii_isdigit (*p); p++)
        n_digits++;
    }
  if (n_digits == 0)
    return NULL;

  /* An exponent only when digits follow, so "10EA" still reads as 10. */
  if (*p == 'e' || *p == 'E')
    {
      const char *q = p + 1;

      if (*q == '+' || *q == '-')
        q++;
      if (g_ascii_isdigit (*q))
        {
          while (g_ascii_isdigit (*q))
            q++;
          p = q;
        }
    }

  if (*p == ',' && g_ascii_isdigit (p[1]))
    return NULL;
  if ((gsize) (p - start) >= sizeof buf)
    return NULL;
  memcpy (buf, start, p - start);
  buf[p - start] = '\0';
  value = g_ascii_strtod (buf, NULL);
  if (!isfinite (value))
    return NULL;
  *out = value;
  return p;
}

gboolean
syn_parse_number_prefix (const char *text, double *out)
{
  double value;

  g_return_val_if_fail (out != NULL, FALSE);

  if (syn_quantity_scan (text, &value) == NULL)
    return FALSE;
  *out = value;
  return TRUE;
}

typedef struct
{
  const char *unit;    /* lower case */
  double      factor;  /* to the kind's own unit */
} Unit;

static const Unit power_units[] = {
  { "",   1.0 },
  { "hp", 1.0 },
  { "kw", 1.0 / 0.7457 },
};

static const Unit voltage_units[] = {
  { "",     1.0 },
  { "v",    1.0 },
  { "vac",  1.0 },
  { "kv",   1000.0 },
  { "kvac", 1000.0 },
};

static const Unit length_units[] = {
  { "",   1.0 },
  { "m",  1.0 },
  { "km", 1000.0 },
  { "ft", 0.3048 },
};

const char *
syn_quantity_units (SynQuantityKind kind)
{
  switch (kind)
    {
    case SYN_QUANTITY_POWER_HP:
      return "HP or kW";
    case SYN_QUANTITY_VOLTAGE_V:
      return "V or kV";
    case SYN_QUANTITY_LENGTH_M:
    default:
      return "m, km or ft";
    }
}

gboolean
syn_quantity_parse (const char *text, SynQuantityKind kind, double *out, GError **error)
{
  const Unit *units;
  gsize n_units;
  const char *p, *unit_start, *unit_end;
  double value, ignored;

  g_return_val_if_fail (out != NULL, FALSE);

  switch (kind)
    {
    case SYN_QUANTITY_POWER_HP:
      units = power_units, n_units = G_N_ELEMENTS (power_units);
      break;
    case SYN_QUANTITY_VOLTAGE_V:
      units = voltage_units, n_units = G_N_ELEMENTS (voltage_units);
      break;
    case SYN_QUANTITY_LENGTH_M:
    default:
      units = length_units, n_units = G_N_ELEMENTS (length_units);
      break;
    }

  if ((p = syn_quantity_scan (text, &value)) == NULL)
    {
      g_set_error_literal (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_SIZING, "not a number");
      return FALSE;
    }
  /* "600/347 V" names the line-to-line voltage first; the line-to-neutral
   * one after the slash plays no part in three-phase sizing. */
  if (kind == SYN_QUANTITY_VOLTAGE_V && *p == '/')
    {
      if ((p = syn_quantity_scan (p + 1, &ignored)) == NULL)
        {
          g_set_error_literal (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_SIZING,
                               "not a voltage (expected a number, or two as in 600/347 V)");
          return FALSE;
        }
    }
  while (g_ascii_isspace (*p))
    p++;
  unit_start = p;
  unit_end = p + strlen (p);
  while (unit_end > unit_start && g_ascii_isspace (unit_end[-1]))
    unit_end--;

  for (gsize i = 0; i < n_units; i++)
    {
      if (strlen (units[i].unit) == (gsize) (unit_end - unit_start) &&
          g_ascii_strncasecmp (unit_start, units[i].unit, unit_end - unit_start) == 0)
        {
          *out = value * units[i].factor;
          return TRUE;
        }
    }
  g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_SIZING, "unknown unit \"%.*s\" (expected %s)",
               (int) (unit_end - unit_start), unit_start, syn_quantity_units (kind));
  return FALSE;
}

gboolean
syn_parse_voltage (const char *text, double *out)
{
  double value;

  g_return_val_if_fail (out != NULL, FALSE);

  if (text == NULL || !syn_quantity_parse (text, SYN_QUANTITY_VOLTAGE_V, &value, NULL) ||
      !isfinite (value) || value <= 0)
    return FALSE;
  *out = value;
  return TRUE;
}
