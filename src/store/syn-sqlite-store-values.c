/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-sqlite-store-values.c: SynSqliteStore: values bound to statement parameters (text, times, JSON) and read back from columns. */
#include "config.h"

#include <math.h>

#include "syn-sqlite-store-private.h"

/* ------------------------------------------------------------------------- */
/* Binding                                                                   */

void
_syn_sqlite_bind_text (sqlite3_stmt *stmt, int idx, const char *value)
{
  if (value != NULL)
    sqlite3_bind_text (stmt, idx, value, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, idx);
}

/* For strings that outlive the statement's next step. */
void
_syn_sqlite_bind_static (sqlite3_stmt *stmt, int idx, const char *value)
{
  if (value != NULL)
    sqlite3_bind_text (stmt, idx, value, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, idx);
}

static void
bind_take_text (sqlite3_stmt *stmt, int idx, char *value)
{
  sqlite3_bind_text (stmt, idx, value, -1, g_free);
}

void
_syn_sqlite_bind_double (sqlite3_stmt *stmt, int idx, double value)
{
  if (isnan (value))
    sqlite3_bind_null (stmt, idx);
  else
    sqlite3_bind_double (stmt, idx, value);
}

void
_syn_sqlite_bind_time (sqlite3_stmt *stmt, int idx, gint64 value)
{
  if (value == 0)
    sqlite3_bind_null (stmt, idx);
  else
    sqlite3_bind_int64 (stmt, idx, value);
}

void
_syn_sqlite_bind_json (sqlite3_stmt *stmt, int idx, JsonNode *node, const char *fallback)
{
  if (node == NULL)
    {
      if (fallback != NULL)
        sqlite3_bind_text (stmt, idx, fallback, -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (stmt, idx);
      return;
    }
  if (JSON_NODE_HOLDS_OBJECT (node) && json_object_get_size (json_node_get_object (node)) == 0)
    sqlite3_bind_text (stmt, idx, "{}", 2, SQLITE_STATIC);
  else
    bind_take_text (stmt, idx, syn_json_to_string_fast (node));
}

void
_syn_sqlite_bind_json_object (sqlite3_stmt *stmt, int idx, JsonObject *object)
{
  bind_take_text (stmt, idx, syn_json_object_to_string (object));
}

void
_syn_sqlite_bind_json_object_or_null (sqlite3_stmt *stmt, int idx, JsonObject *object)
{
  if (object == NULL)
    sqlite3_bind_null (stmt, idx);
  else
    bind_take_text (stmt, idx, syn_json_object_to_string (object));
}

char *
_syn_sqlite_col_text (sqlite3_stmt *stmt, int idx)
{
  const unsigned char *text = sqlite3_column_text (stmt, idx);

  return text ? g_strdup ((const char *) text) : NULL;
}

double
_syn_sqlite_col_double (sqlite3_stmt *stmt, int idx)
{
  if (sqlite3_column_type (stmt, idx) == SQLITE_NULL)
    return NAN;
  return sqlite3_column_double (stmt, idx);
}

JsonNode *
_syn_sqlite_col_json (sqlite3_stmt *stmt, int idx)
{
  const char *text = (const char *) sqlite3_column_text (stmt, idx);
  int len = sqlite3_column_bytes (stmt, idx);

  JsonNode *node;

  if (text == NULL)
    return NULL;
  /* what we wrote: the fast parser, the strict one only if it cannot read it */
  if ((node = syn_json_parse_trusted (text, len)) != NULL)
    return node;
  return syn_json_parse (text, len, NULL);
}

JsonObject *
_syn_sqlite_col_json_object (sqlite3_stmt *stmt, int idx)
{
  g_autoptr(JsonNode) node = _syn_sqlite_col_json (stmt, idx);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return json_object_new ();
  return json_object_ref (json_node_get_object (node));
}

JsonObject *
_syn_sqlite_col_json_object_or_null (sqlite3_stmt *stmt, int idx)
{
  g_autoptr(JsonNode) node = _syn_sqlite_col_json (stmt, idx);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_ref (json_node_get_object (node));
}

static char *
col_text (gpointer stmt, int col)
{
  return _syn_sqlite_col_text (stmt, col);
}

static gint64
col_int (gpointer stmt, int col)
{
  return sqlite3_column_int64 (stmt, col);
}

static gboolean
col_bool (gpointer stmt, int col)
{
  return sqlite3_column_int (stmt, col) != 0;
}

static JsonNode *
col_json (gpointer stmt, int col)
{
  return _syn_sqlite_col_json (stmt, col);
}

static double
col_double (gpointer stmt, int col)
{
  return _syn_sqlite_col_double (stmt, col);
}

/* A row of @shape's columns, as a new object of its type. */
gpointer
_syn_sqlite_read_row (sqlite3_stmt *stmt, const SynRowShape *shape)
{
  static const SynColumnReaders readers = { col_text, col_int, col_bool, col_json, col_double };

  return _syn_store_read_row (shape, &readers, stmt);
}

static void
param_text (gpointer stmt, int col, const char *value)
{
  _syn_sqlite_bind_text (stmt, col + 1, value);
}

static void
param_take (gpointer stmt, int col, char *value)
{
  bind_take_text (stmt, col + 1, value);
}

static void
param_double (gpointer stmt, int col, double value)
{
  _syn_sqlite_bind_double (stmt, col + 1, value);
}

/* @object's fields bound as ?1, ?2... in @shape's order. */
void
_syn_sqlite_bind_row (sqlite3_stmt *stmt, const SynRowShape *shape, gconstpointer object)
{
  static const SynColumnWriters writers = { param_text, param_take, param_double };

  _syn_store_write_row (shape, &writers, stmt, object);
}
