/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-entity-query.c: SynEntityQuery: filters and order of the asset and cable lists, and the one
 * SQL both stores run for them (placeholders and a few functions differ). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "syn-entity-query.h"
#include "syn-store.h"
#include "syn-store-private.h"

G_DEFINE_BOXED_TYPE (SynEntityQuery, syn_entity_query, syn_entity_query_copy, syn_entity_query_free)

static void
test_free (SynEntityTest *test)
{
  g_free (test->key);
  g_free (test->value);
  g_free (test);
}

static SynEntityTest *
test_copy (const SynEntityTest *test, gpointer unused)
{
  SynEntityTest *copy = g_memdup2 (test, sizeof *test);

  copy->key = g_strdup (test->key);
  copy->value = g_strdup (test->value);
  return copy;
}

SynEntityQuery *
syn_entity_query_new (SynEntityKind kind, const char *project_id)
{
  SynEntityQuery *self = g_new0 (SynEntityQuery, 1);

  self->kind = kind;
  self->project_id = g_strdup (project_id);
  self->tests = g_ptr_array_new_with_free_func ((GDestroyNotify) test_free);
  return self;
}

SynEntityQuery *
syn_entity_query_copy (const SynEntityQuery *self)
{
  SynEntityQuery *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->project_id = g_strdup (self->project_id);
  copy->tag = g_strdup (self->tag);
  copy->search = g_strdup (self->search);
  copy->type = g_strdup (self->type);
  copy->area = g_strdup (self->area);
  copy->discipline = g_strdup (self->discipline);
  copy->sort = g_strdup (self->sort);
  copy->tests = g_ptr_array_copy (self->tests, (GCopyFunc) test_copy, NULL);
  g_ptr_array_set_free_func (copy->tests, (GDestroyNotify) test_free);
  return copy;
}

void
syn_entity_query_free (SynEntityQuery *self)
{
  if (self == NULL)
    return;
  g_free (self->project_id);
  g_free (self->tag);
  g_free (self->search);
  g_free (self->type);
  g_free (self->area);
  g_free (self->discipline);
  g_free (self->sort);
  g_ptr_array_unref (self->tests);
  g_free (self);
}

static const char * const asset_columns[] = {
  "tag", "type", "description", "area", "discipline", "created_by", NULL
};
static const char * const cable_columns[] = {
  "tag", "from", "to", "cable_type", "voltage", "length_m", "conductor_size", "flc_a", "ampacity_a",
  "voltage_drop_pct", "created_by", NULL
};

const char * const *
syn_entity_query_columns (SynEntityKind kind)
{
  return kind == SYN_ENTITY_CABLES ? cable_columns : asset_columns;
}

void
syn_entity_query_set_sort (SynEntityQuery *self, const char *sort)
{
  g_return_if_fail (self != NULL);

  g_clear_pointer (&self->sort, g_free);
  self->descending = sort != NULL && sort[0] == '-';
  if (sort != NULL && sort[0] == '-')
    sort++;
  if (sort != NULL && *sort != '\0')
    self->sort = g_strstrip (g_strdup (sort));
}

/* A whole number, as the test's value: "100", "-2.5", "1e3". */
static gboolean
parse_whole_number (const char *text, double *out)
{
  char *end = NULL;

  if (*text == '\0' || !(g_ascii_isdigit (*text) || strchr ("+-.", *text)))
    return FALSE;
  *out = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && isfinite (*out);
}

static gboolean
parse_test (const char *text, SynEntityTest **out, GError **error)
{
  static const struct { const char *token; SynTestOp op; } ops[] = {
    /* two-character ones first */
    { "==", SYN_TEST_EQ }, { "!=", SYN_TEST_NE }, { ">=", SYN_TEST_GE }, { "<=", SYN_TEST_LE },
    { "=", SYN_TEST_EQ }, { ">", SYN_TEST_GT }, { "<", SYN_TEST_LT }, { "~", SYN_TEST_CONTAINS },
  };
  const char *at = NULL;
  guint which = 0;
  g_autofree char *key = NULL;
  g_autofree char *value = NULL;
  SynEntityTest *test;

  /* the first operator character splits key and value */
  for (const char *p = text; *p != '\0' && at == NULL; p++)
    for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
      if (strncmp (p, ops[i].token, strlen (ops[i].token)) == 0)
        {
          at = p;
          which = i;
          break;
        }
  if (at == NULL)
    {
      g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID,
                   "where: \"%s\" is not a test (KEY OP VALUE, OP one of == != > >= < <= ~)", text);
      return FALSE;
    }
  key = g_strstrip (g_strndup (text, at - text));
  value = g_strstrip (g_strdup (at + strlen (ops[which].token)));
  if (*key == '\0' || *value == '\0')
    {
      g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID,
                   "where: \"%s\" needs a key and a value", text);
      return FALSE;
    }
  if (strpbrk (key, "\"\\") != NULL)
    {
      g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID,
                   "where: the key \"%s\" holds a quote or a backslash", key);
      return FALSE;
    }
  test = g_new0 (SynEntityTest, 1);
  test->op = ops[which].op;
  test->numeric = test->op != SYN_TEST_CONTAINS && parse_whole_number (value, &test->number);
  test->key = g_steal_pointer (&key);
  test->value = g_steal_pointer (&value);
  *out = test;
  return TRUE;
}

gboolean
syn_entity_query_add_tests (SynEntityQuery *self, const char *text, GError **error)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GPtrArray) tests = g_ptr_array_new_with_free_func ((GDestroyNotify) test_free);

  g_return_val_if_fail (self != NULL, FALSE);

  if (text == NULL)
    return TRUE;
  parts = g_strsplit (text, ",", -1);
  for (guint i = 0; parts[i]; i++)
    {
      SynEntityTest *test = NULL;

      g_strstrip (parts[i]);
      if (*parts[i] == '\0')
        continue;
      if (!parse_test (parts[i], &test, error))
        return FALSE;
      g_ptr_array_add (tests, test);
    }
  /* all or nothing */
  g_ptr_array_extend_and_steal (self->tests, g_steal_pointer (&tests));
  return TRUE;
}

gboolean
syn_entity_query_validate (const SynEntityQuery *self, GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->project_id == NULL)
    {
      g_set_error_literal (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID, "project_id is required");
      return FALSE;
    }
  if (self->tests->len > SYN_ENTITY_QUERY_MAX_TESTS)
    {
      g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID,
                   "where: at most %d tests", SYN_ENTITY_QUERY_MAX_TESTS);
      return FALSE;
    }
  if (self->sort != NULL && strpbrk (self->sort, "\"\\") != NULL)
    {
      g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID,
                   "sort: \"%s\" holds a quote or a backslash", self->sort);
      return FALSE;
    }
  return TRUE;
}

SynEntityPage *
syn_entity_page_new (void)
{
  SynEntityPage *page = g_new0 (SynEntityPage, 1);

  page->items = g_ptr_array_new_with_free_func (g_object_unref);
  page->asset_tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  page->creators = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return page;
}

void
syn_entity_page_free (SynEntityPage *page)
{
  if (page == NULL)
    return;
  g_ptr_array_unref (page->items);
  g_hash_table_unref (page->asset_tags);
  g_hash_table_unref (page->creators);
  g_free (page);
}

/* ------------------------------------------------------------------------- */
/* SQL                                                                       */

typedef struct
{
  gboolean   postgres;
  GString   *sql;
  GPtrArray *params;   /* SynSqlParam */
} Build;

static void
param_free (SynSqlParam *param)
{
  g_free (param->text);
  g_free (param);
}

/* Appends a placeholder for a new parameter; returns its number. */
static guint
add_param (Build *b, SynSqlParamKind kind, const char *text, double number)
{
  SynSqlParam *param = g_new0 (SynSqlParam, 1);

  param->kind = kind;
  param->text = g_strdup (text);
  param->number = number;
  g_ptr_array_add (b->params, param);
  return b->params->len;
}

/* PostgreSQL is told the type of each text parameter: lower() has more than one. */
static void
placeholder (Build *b, guint n)
{
  const SynSqlParam *param = g_ptr_array_index (b->params, n - 1);

  g_string_append_printf (b->sql, b->postgres ? "$%u" : "?%u", n);
  if (b->postgres && param->kind == SYN_SQL_TEXT)
    g_string_append (b->sql, "::text");
}

static void
text_param (Build *b, const char *text)
{
  placeholder (b, add_param (b, SYN_SQL_TEXT, text, 0));
}

static void
number_param (Build *b, double number)
{
  guint n = add_param (b, SYN_SQL_NUMBER, NULL, number);

  placeholder (b, n);
  if (b->postgres)
    g_string_append (b->sql, "::float8");
}

/* The SQL of a column of the list, or NULL for a property. */
static const char *
column_sql (SynEntityKind kind, const char *key, gboolean *numeric)
{
  static const struct { const char *key; const char *sql; gboolean numeric; } assets[] = {
    { "tag", "a.tag" }, { "type", "a.type" }, { "description", "a.description" }, { "area", "a.area" },
    { "discipline", "a.discipline" }, { "created_by", "a.created_by_rule_id" },
    { "created_by_rule_id", "a.created_by_rule_id" },
  }, cables[] = {
    { "tag", "c.tag" }, { "from", "fa.tag" }, { "to", "ta.tag" }, { "cable_type", "c.cable_type" },
    { "type", "c.cable_type" }, { "voltage", "c.voltage", TRUE }, { "length_m", "c.length_m", TRUE },
    { "conductor_size", "c.conductor_size" }, { "flc_a", "c.flc_a", TRUE }, { "ampacity_a", "c.ampacity_a", TRUE },
    { "voltage_drop_pct", "c.voltage_drop_pct", TRUE }, { "created_by", "c.created_by_rule_id" },
    { "created_by_rule_id", "c.created_by_rule_id" },
  };
  gboolean cable = kind == SYN_ENTITY_CABLES;
  guint n = cable ? G_N_ELEMENTS (cables) : G_N_ELEMENTS (assets);

  for (guint i = 0; i < n; i++)
    {
      const char *k = cable ? cables[i].key : assets[i].key;

      if (g_str_equal (k, key))
        {
          *numeric = cable ? cables[i].numeric : assets[i].numeric;
          return cable ? cables[i].sql : assets[i].sql;
        }
    }
  *numeric = FALSE;
  return NULL;
}

/* The value of @key: a column, or the property's JSON value (SQLite:
 * its native type; PostgreSQL: its text). */
static void
value_sql (Build *b, SynEntityKind kind, const char *key, gboolean *numeric)
{
  const char *column = column_sql (kind, key, numeric);
  const char *table = kind == SYN_ENTITY_CABLES ? "c" : "a";

  if (column != NULL)
    {
      g_string_append (b->sql, column);
      return;
    }
  if (b->postgres)
    {
      g_string_append_printf (b->sql, "(%s.properties->>", table);
      text_param (b, key);
      g_string_append_c (b->sql, ')');
    }
  else
    {
      g_autofree char *path = g_strdup_printf ("$.\"%s\"", key);

      g_string_append_printf (b->sql, "json_extract(%s.properties, ", table);
      text_param (b, path);
      g_string_append_c (b->sql, ')');
    }
}

/* The number a value starts with ("75 HP" -> 75), NULL when none; a
 * numeric column is its own. */
static void
number_sql (Build *b, SynEntityKind kind, const char *key)
{
  gboolean numeric;
  gsize mark = b->sql->len;

  value_sql (b, kind, key, &numeric);
  if (numeric)
    return;
  {
    g_autofree char *inner = g_strdup (b->sql->str + mark);

    g_string_truncate (b->sql, mark);
    if (b->postgres)
      g_string_append_printf (b->sql, "CAST(substring(CAST(%s AS text) FROM "
                              "'^\\s*[-+]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?') AS float8)", inner);
    else
      g_string_append_printf (b->sql, "syn_number(%s)", inner);
  }
}

static const char *
op_sql (SynTestOp op)
{
  switch (op)
    {
    case SYN_TEST_NE: return "<>";
    case SYN_TEST_GT: return ">";
    case SYN_TEST_GE: return ">=";
    case SYN_TEST_LT: return "<";
    case SYN_TEST_LE: return "<=";
    case SYN_TEST_EQ:
    case SYN_TEST_CONTAINS:
    default:
      return "=";
    }
}

/* An absent value makes != true and every other test false, as in rules. */
static void
test_sql (Build *b, SynEntityKind kind, const SynEntityTest *test)
{
  gboolean numeric;
  gsize mark = b->sql->len;
  g_autofree char *value = NULL;

  if (test->numeric)
    number_sql (b, kind, test->key);
  else
    {
      value_sql (b, kind, test->key, &numeric);
      /* text of a number column or a JSON number */
      value = g_strdup (b->sql->str + mark);
      g_string_truncate (b->sql, mark);
      g_string_append_printf (b->sql, "lower(CAST(%s AS text))", value);
      g_clear_pointer (&value, g_free);
    }
  value = g_strdup (b->sql->str + mark);
  g_string_truncate (b->sql, mark);

  if (test->op == SYN_TEST_CONTAINS)
    {
      g_string_append_printf (b->sql, b->postgres ? " AND strpos(%s, lower(" : " AND instr(%s, lower(", value);
      text_param (b, test->value);
      g_string_append (b->sql, ")) > 0");
      return;
    }
  g_string_append_printf (b->sql, test->op == SYN_TEST_NE ? " AND (%s IS NULL OR %s <> " : " AND %s %s ",
                          value, test->op == SYN_TEST_NE ? value : op_sql (test->op));
  if (test->numeric)
    number_param (b, test->number);
  else
    {
      g_string_append (b->sql, "lower(");
      text_param (b, test->value);
      g_string_append_c (b->sql, ')');
    }
  if (test->op == SYN_TEST_NE)
    g_string_append_c (b->sql, ')');
}

/* '*' and '?' to LIKE's '%' and '_', LIKE's own escaped; no wildcard: a prefix. */
static char *
like_pattern (const char *pattern)
{
  GString *out = g_string_new (NULL);
  gboolean wild = strpbrk (pattern, "*?") != NULL;

  for (const char *p = pattern; *p != '\0'; p++)
    switch (*p)
      {
      case '*':
        g_string_append_c (out, '%');
        break;
      case '?':
        g_string_append_c (out, '_');
        break;
      case '%':
      case '_':
      case '\\':
        g_string_append_c (out, '\\');
        G_GNUC_FALLTHROUGH;
      default:
        g_string_append_c (out, *p);
      }
  if (!wild)
    g_string_append_c (out, '%');
  return g_string_free (out, FALSE);
}

static void
equals_ci (Build *b, const char *column, const char *value)
{
  g_string_append_printf (b->sql, " AND lower(%s) = lower(", column);
  text_param (b, value);
  g_string_append_c (b->sql, ')');
}

static void
where_sql (Build *b, const SynEntityQuery *q)
{
  gboolean cable = q->kind == SYN_ENTITY_CABLES;
  const char *t = cable ? "c" : "a";

  g_string_append_printf (b->sql, " WHERE %s.project_id = ", t);
  text_param (b, q->project_id);
  if (q->tag != NULL && *q->tag != '\0')
    {
      g_autofree char *like = like_pattern (q->tag);

      g_string_append_printf (b->sql, " AND lower(%s.tag) LIKE lower(", t);
      text_param (b, like);
      g_string_append (b->sql, ") ESCAPE '\\'");
    }
  if (q->search != NULL && *q->search != '\0' && !cable)
    {
      guint n = add_param (b, SYN_SQL_TEXT, q->search, 0);
      const char *pos = b->postgres ? "strpos" : "instr";

      g_string_append_printf (b->sql, " AND (%s(lower(a.tag), lower(", pos);
      placeholder (b, n);
      g_string_append_printf (b->sql, ")) > 0 OR %s(lower(COALESCE(a.description, '')), lower(", pos);
      placeholder (b, n);
      g_string_append (b->sql, ")) > 0)");
    }
  if (q->type != NULL)
    equals_ci (b, cable ? "c.cable_type" : "a.type", q->type);
  if (q->area != NULL)
    equals_ci (b, cable ? "ta.area" : "a.area", q->area);
  if (q->discipline != NULL)
    equals_ci (b, cable ? "ta.discipline" : "a.discipline", q->discipline);
  for (guint i = 0; i < q->tests->len; i++)
    test_sql (b, q->kind, g_ptr_array_index (q->tests, i));
}

/* Absent values last whichever the direction; numbers before text; the
 * tag breaks ties, so pages never overlap. */
static void
order_sql (Build *b, const SynEntityQuery *q)
{
  const char *dir = q->descending ? " DESC" : "";
  const char *t = q->kind == SYN_ENTITY_CABLES ? "c" : "a";
  const char *sort = q->sort ? q->sort : "tag";
  gboolean numeric;
  g_autofree char *value = NULL;
  g_autofree char *number = NULL;
  gsize mark = b->sql->len;

  if (g_str_equal (sort, "tag"))
    {
      g_string_append_printf (b->sql, " ORDER BY %s.tag%s", t, dir);
      return;
    }
  value_sql (b, q->kind, sort, &numeric);
  value = g_strdup (b->sql->str + mark);
  g_string_truncate (b->sql, mark);
  if (numeric)
    {
      g_string_append_printf (b->sql, " ORDER BY (%s IS NULL), %s%s, %s.tag", value, value, dir, t);
      return;
    }
  number_sql (b, q->kind, sort);
  number = g_strdup (b->sql->str + mark);
  g_string_truncate (b->sql, mark);
  /* @value and @number each bound the property's key: two parameters */
  g_string_append_printf (b->sql, " ORDER BY (%s IS NULL), (%s IS NULL), %s%s, CAST(%s AS text)%s%s, %s.tag",
                          value, number, number, dir, value, b->postgres ? " COLLATE \"C\"" : "", dir, t);
}

static const char *
creator_sql (gboolean cable)
{
  /* the same SQL in both dialects since rollback flags left the event rows */
  if (cable)
    return "(SELECT e.user_id FROM workflow_events e WHERE e.aggregate_type = 'CABLE' AND e.aggregate_id = c.id "
           "AND e.event_type = 'CABLE_CREATED' AND NOT EXISTS (SELECT 1 FROM rolled_back_batches rb "
           "WHERE rb.correlation_id = e.correlation_id) ORDER BY e.position DESC LIMIT 1)";
  return "(SELECT e.user_id FROM workflow_events e WHERE e.aggregate_type = 'ASSET' AND e.aggregate_id = a.id "
         "AND e.event_type = 'ASSET_CREATED' AND NOT EXISTS (SELECT 1 FROM rolled_back_batches rb "
         "WHERE rb.correlation_id = e.correlation_id) ORDER BY e.position DESC LIMIT 1)";
}

/* Whether the filters or the order read the tags or the area of a
 * cable's ends (the count can do without the joins otherwise). */
static gboolean
needs_ends (const SynEntityQuery *q)
{
  if (q->kind != SYN_ENTITY_CABLES)
    return FALSE;
  if (q->area != NULL || q->discipline != NULL || g_strcmp0 (q->sort, "from") == 0 || g_strcmp0 (q->sort, "to") == 0)
    return TRUE;
  for (guint i = 0; i < q->tests->len; i++)
    {
      const SynEntityTest *test = g_ptr_array_index (q->tests, i);

      if (g_str_equal (test->key, "from") || g_str_equal (test->key, "to"))
        return TRUE;
    }
  return FALSE;
}

static void
from_sql (Build *b, const SynEntityQuery *q, gboolean ends)
{
  if (q->kind != SYN_ENTITY_CABLES)
    g_string_append (b->sql, " FROM assets a");
  else if (ends)
    g_string_append (b->sql, " FROM cables c LEFT JOIN assets fa ON fa.id = c.from_asset_id "
                             "LEFT JOIN assets ta ON ta.id = c.to_asset_id");
  else
    g_string_append (b->sql, " FROM cables c");
}

/* A page is found by id first (the sort carries ids and keys, not whole
 * rows), then only its rows are read, with their ends and creators. */
char *
_syn_entity_query_sql (const SynEntityQuery *q,
                       const char           *columns,
                       gboolean              postgres,
                       gboolean              count,
                       GPtrArray           **params)
{
  Build b = { postgres, g_string_new (NULL), g_ptr_array_new_with_free_func ((GDestroyNotify) param_free) };
  gboolean cable = q->kind == SYN_ENTITY_CABLES;
  const char *t = cable ? "c" : "a";

  if (count)
    {
      g_string_append (b.sql, "SELECT count(*)");
      from_sql (&b, q, needs_ends (q));
      where_sql (&b, q);
      *params = b.params;
      return g_string_free (b.sql, FALSE);
    }
  if (cable)
    g_string_append_printf (b.sql, "SELECT %s, fa.tag, ta.tag, CASE WHEN c.created_by_rule_id IS NULL THEN %s END",
                            columns, creator_sql (TRUE));
  else
    g_string_append_printf (b.sql, "SELECT %s, CASE WHEN a.created_by_rule_id IS NULL THEN %s END",
                            columns, creator_sql (FALSE));
  from_sql (&b, q, TRUE);
  g_string_append_printf (b.sql, " WHERE %s.id IN (SELECT %s.id", t, t);
  from_sql (&b, q, needs_ends (q));
  where_sql (&b, q);
  order_sql (&b, q);
  g_string_append (b.sql, " LIMIT ");
  placeholder (&b, add_param (&b, SYN_SQL_INT, NULL, q->limit == 0 ? -1.0 : (double) q->limit));
  g_string_append (b.sql, " OFFSET ");
  placeholder (&b, add_param (&b, SYN_SQL_INT, NULL, (double) MIN (q->offset, (guint64) G_MAXINT64)));
  g_string_append_c (b.sql, ')');
  order_sql (&b, q);
  *params = b.params;
  return g_string_free (b.sql, FALSE);
}
