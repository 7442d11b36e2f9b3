/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-pg-store-values.c: SynPgStore: values to text parameters (times, JSON, arrays) and back from result columns. */
#include "config.h"

#include <math.h>

#include "syn-pg-store-private.h"

/* ------------------------------------------------------------------------- */
/* Parameters                                                                */

void
syn_pg_params_clear (SynPgParams *p)
{
  for (int i = 0; i < p->n; i++)
    g_clear_pointer (&p->owned[i], g_free);
  p->n = 0;
}

void
_syn_pg_add_text (SynPgParams *p, const char *value)
{
  g_assert (p->n < SYN_PG_MAX_PARAMS);
  p->owned[p->n] = NULL;
  p->values[p->n++] = value;
}

void
_syn_pg_add_take (SynPgParams *p, char *value)
{
  g_assert (p->n < SYN_PG_MAX_PARAMS);
  p->owned[p->n] = value;
  p->values[p->n++] = value;
}

void
_syn_pg_add_int (SynPgParams *p, gint64 value)
{
  _syn_pg_add_take (p, g_strdup_printf ("%" G_GINT64_FORMAT, value));
}

void
_syn_pg_add_bool (SynPgParams *p, gboolean value)
{
  _syn_pg_add_text (p, value ? "true" : "false");
}

void
_syn_pg_add_double (SynPgParams *p, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (value))
    _syn_pg_add_text (p, NULL);
  else
    _syn_pg_add_take (p, g_strdup (g_ascii_dtostr (buf, sizeof buf, value)));
}

/* Days since 1970-01-01 to a civil date (proleptic Gregorian). */
static void
civil_from_days (gint64 z, int *y, unsigned *m, unsigned *d)
{
  gint64 era, yoe, doy, mp;

  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  yoe = z - era * 146097;
  yoe = (yoe - yoe / 1460 + yoe / 36524 - yoe / 146096) / 365;
  doy = z - era * 146097 - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *d = (unsigned) (doy - (153 * mp + 2) / 5 + 1);
  *m = (unsigned) (mp < 10 ? mp + 3 : mp - 9);
  *y = (int) (yoe + era * 400 + (*m <= 2));
}

void
_syn_pg_format_time (gint64 usec, char buf[40])
{
  /* 0001-01-01 and 9999-12-31T23:59:59.999999, in microseconds */
  const gint64 min = G_GINT64_CONSTANT (-62135596800000000);
  const gint64 max = G_GINT64_CONSTANT (253402300799999999);
  gint64 secs, days, rem_usec, sod;
  unsigned m, d;
  int y;

  usec = CLAMP (usec, min, max);
  secs = usec >= 0 ? usec / G_USEC_PER_SEC : -((-usec + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
  rem_usec = usec - secs * G_USEC_PER_SEC;
  days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  sod = secs - days * 86400;
  civil_from_days (days, &y, &m, &d);
  g_snprintf (buf, 40, "%04d-%02u-%02u %02d:%02d:%02d.%06d+00", y, m, d,
              (int) (sod / 3600), (int) (sod / 60 % 60), (int) (sod % 60), (int) rem_usec);
}

void
_syn_pg_add_time (SynPgParams *p, gint64 usec, gboolean null_if_zero)
{
  char buf[40];

  if (usec == 0 && null_if_zero)
    {
      _syn_pg_add_text (p, NULL);
      return;
    }
  _syn_pg_format_time (usec, buf);
  _syn_pg_add_take (p, g_strdup (buf));
}

void
_syn_pg_add_json (SynPgParams *p, JsonNode *node, const char *fallback)
{
  if (node == NULL)
    _syn_pg_add_text (p, fallback);
  else
    _syn_pg_add_take (p, syn_json_to_string_fast (node));
}

void
_syn_pg_add_json_object (SynPgParams *p, JsonObject *object)
{
  _syn_pg_add_take (p, syn_json_object_to_string (object));
}

void
_syn_pg_add_json_object_or_null (SynPgParams *p, JsonObject *object)
{
  if (object == NULL)
    _syn_pg_add_text (p, NULL);
  else
    _syn_pg_add_take (p, syn_json_object_to_string (object));
}

void
_syn_pg_add_text_array (SynPgParams *p, const char * const *values, guint n)
{
  GString *s = g_string_new ("{");

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (s, ',');
      if (values[i] == NULL)
        {
          g_string_append (s, "NULL");
          continue;
        }
      g_string_append_c (s, '"');
      for (const char *c = values[i]; *c; c++)
        {
          if (*c == '"' || *c == '\\')
            g_string_append_c (s, '\\');
          g_string_append_c (s, *c);
        }
      g_string_append_c (s, '"');
    }
  g_string_append_c (s, '}');
  _syn_pg_add_take (p, g_string_free (s, FALSE));
}

/* ------------------------------------------------------------------------- */
/* Columns                                                                   */

char *
_syn_pg_col_text (PGresult *res, int row, int col)
{
  return PQgetisnull (res, row, col) ? NULL : g_strdup (PQgetvalue (res, row, col));
}

gint64
_syn_pg_col_int (PGresult *res, int row, int col)
{
  return PQgetisnull (res, row, col) ? 0 : g_ascii_strtoll (PQgetvalue (res, row, col), NULL, 10);
}

gboolean
_syn_pg_col_bool (PGresult *res, int row, int col)
{
  return !PQgetisnull (res, row, col) && PQgetvalue (res, row, col)[0] == 't';
}

double
_syn_pg_col_double (PGresult *res, int row, int col)
{
  return PQgetisnull (res, row, col) ? NAN : g_ascii_strtod (PQgetvalue (res, row, col), NULL);
}

JsonNode *
_syn_pg_col_json (PGresult *res, int row, int col)
{
  JsonNode *node;

  if (PQgetisnull (res, row, col))
    return NULL;
  /* what we wrote: the fast parser, the strict one only if it cannot read it */
  if ((node = syn_json_parse_trusted (PQgetvalue (res, row, col), PQgetlength (res, row, col))) != NULL)
    return node;
  return syn_json_parse (PQgetvalue (res, row, col), PQgetlength (res, row, col), NULL);
}

JsonObject *
_syn_pg_col_json_object (PGresult *res, int row, int col)
{
  g_autoptr(JsonNode) node = _syn_pg_col_json (res, row, col);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return json_object_new ();
  return json_object_ref (json_node_get_object (node));
}

JsonObject *
_syn_pg_col_json_object_or_null (PGresult *res, int row, int col)
{
  g_autoptr(JsonNode) node = _syn_pg_col_json (res, row, col);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_ref (json_node_get_object (node));
}

/* One row of a result, as the readers of syn-store-rows.c take it. */
typedef struct
{
  PGresult *res;
  int       row;
} ResultRow;

static char *
row_text (gpointer source, int col)
{
  ResultRow *r = source;

  return _syn_pg_col_text (r->res, r->row, col);
}

static gint64
row_int (gpointer source, int col)
{
  ResultRow *r = source;

  return _syn_pg_col_int (r->res, r->row, col);
}

static gboolean
row_bool (gpointer source, int col)
{
  ResultRow *r = source;

  return _syn_pg_col_bool (r->res, r->row, col);
}

static JsonNode *
row_json (gpointer source, int col)
{
  ResultRow *r = source;

  return _syn_pg_col_json (r->res, r->row, col);
}

static double
row_double (gpointer source, int col)
{
  ResultRow *r = source;

  return _syn_pg_col_double (r->res, r->row, col);
}

/* A row of @shape's columns, as a new object of its type. */
gpointer
_syn_pg_read_row (PGresult *res, int row, const SynRowShape *shape)
{
  static const SynColumnReaders readers = { row_text, row_int, row_bool, row_json, row_double };
  ResultRow r = { res, row };

  return _syn_store_read_row (shape, &readers, &r);
}

/* parameters are appended in order: the column index is their place */
static void
param_text (gpointer p, G_GNUC_UNUSED int col, const char *value)
{
  _syn_pg_add_text (p, value);
}

static void
param_take (gpointer p, G_GNUC_UNUSED int col, char *value)
{
  _syn_pg_add_take (p, value);
}

static void
param_double (gpointer p, G_GNUC_UNUSED int col, double value)
{
  _syn_pg_add_double (p, value);
}

/* Appends @object's fields to @p in @shape's order. */
void
_syn_pg_add_row (SynPgParams *p, const SynRowShape *shape, gconstpointer object)
{
  static const SynColumnWriters writers = { param_text, param_take, param_double };

  _syn_store_write_row (shape, &writers, p, object);
}
