/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-rule-condition.c: evaluation of rule conditions (asset_type, project_country, all/any property tests). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "core/syn-json.h"
#include "engine/syn-quantity.h"
#include "engine/syn-rule-condition.h"

/* Conditions run once per rule and asset, a hundred thousand times in a big
 * batch: the matching path reads the asset and the JSON in place and
 * allocates only for verdicts, compound values and the first use of a regex. */

typedef enum {
  OP_INVALID,
  OP_EQ,
  OP_NE,
  OP_GT,
  OP_LT,
  OP_GE,
  OP_LE,
  OP_IN,
  OP_NOT_IN,
  OP_CONTAINS,
  OP_EXISTS,
  OP_MISSING,
  OP_MATCHES,
} Op;

typedef enum {
  VAL_ABSENT,
  VAL_STRING,
  VAL_NUMBER,
  VAL_BOOL,
  VAL_COMPOUND,
} ValueKind;

/* A borrowed view of a value: an asset column (str) or a JSON node. */
typedef struct
{
  ValueKind kind;
  const char *str;
  JsonNode *node;
} Value;

#define NUMBER_BUF_SIZE G_ASCII_DTOSTR_BUF_SIZE

static Op
op_from_string (const char *op)
{
  static const struct { const char *name; Op op; } ops[] = {
    { "==", OP_EQ }, { "!=", OP_NE }, { ">", OP_GT }, { "<", OP_LT },
    { ">=", OP_GE }, { "<=", OP_LE }, { "in", OP_IN }, { "not_in", OP_NOT_IN },
    { "contains", OP_CONTAINS }, { "exists", OP_EXISTS },
    { "missing", OP_MISSING }, { "matches", OP_MATCHES },
  };

  if (op == NULL)
    return OP_INVALID;
  for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
    if (g_str_equal (op, ops[i].name))
      return ops[i].op;
  return OP_INVALID;
}

/* Empty strings count as absent, as an empty CSV cell does. */
static void
value_from_node (Value *v, JsonNode *node, gboolean empty_is_absent)
{
  v->node = node;
  v->str = NULL;
  v->kind = VAL_ABSENT;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return;
  if (!JSON_NODE_HOLDS_VALUE (node))
    {
      v->kind = VAL_COMPOUND;
      return;
    }
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      v->str = json_node_get_string (node);
      if (*v->str != '\0' || !empty_is_absent)
        v->kind = VAL_STRING;
      break;
    case G_TYPE_BOOLEAN:
      v->kind = VAL_BOOL;
      break;
    case G_TYPE_INT64:
    case G_TYPE_DOUBLE:
      v->kind = VAL_NUMBER;
      break;
    default:
      break;
    }
}

static void
value_from_string (Value *v, const char *str)
{
  v->node = NULL;
  v->str = str;
  v->kind = str != NULL && *str != '\0' ? VAL_STRING : VAL_ABSENT;
}

/* Columns first: a property cannot shadow the asset's own fields. */
static void
lookup_key (SynAsset *asset, const char *key, Value *v)
{
  if (g_str_equal (key, "tag"))
    value_from_string (v, asset->tag);
  else if (g_str_equal (key, "type"))
    value_from_string (v, asset->type);
  else if (g_str_equal (key, "area"))
    value_from_string (v, asset->area);
  else if (g_str_equal (key, "discipline"))
    value_from_string (v, asset->discipline);
  else if (g_str_equal (key, "description"))
    value_from_string (v, asset->description);
  else
    value_from_node (v,
                     asset->properties ? json_object_get_member (asset->properties, key) : NULL,
                     TRUE);
}

static const char *
format_number (double d, char *buf)
{
  if (isfinite (d) && d == floor (d) && fabs (d) < 1e15)
    g_snprintf (buf, NUMBER_BUF_SIZE, "%" G_GINT64_FORMAT, (gint64) d);
  else
    g_ascii_formatd (buf, NUMBER_BUF_SIZE, "%.15g", d);
  return buf;
}

/* The text of a scalar, for string comparison, substrings and regexes. */
static const char *
value_text (const Value *v, char *buf)
{
  switch (v->kind)
    {
    case VAL_STRING:
      return v->str;
    case VAL_BOOL:
      return json_node_get_boolean (v->node) ? "true" : "false";
    case VAL_NUMBER:
      return format_number (json_node_get_double (v->node), buf);
    case VAL_ABSENT:
    case VAL_COMPOUND:
    default:
      return NULL;
    }
}

/* "150 PSI" -> 150 with unit "PSI": the engine's one number scanner
 * (syn_quantity_scan), then whatever follows, trimmed. */
static gboolean
parse_number_prefix (const char *s, double *number, const char **unit, gsize *unit_len)
{
  const char *p = syn_quantity_scan (s, number);
  const char *end;

  if (p == NULL)
    return FALSE;
  while (g_ascii_isspace (*p))
    p++;
  end = p + strlen (p);
  while (end > p && g_ascii_isspace (end[-1]))
    end--;
  *unit = p;
  *unit_len = end - p;
  return TRUE;
}

static gboolean
value_number (const Value *v, double *number, const char **unit, gsize *unit_len)
{
  if (v->kind == VAL_NUMBER)
    {
      *number = json_node_get_double (v->node);
      *unit = "";
      *unit_len = 0;
      return TRUE;
    }
  if (v->kind == VAL_STRING)
    return parse_number_prefix (v->str, number, unit, unit_len);
  return FALSE;
}

/* Both sides numeric, and not two different suffixes: "600V" == 600 and
 * "600 V" == "600V", but tags "210-PP-001" and "210-PP-002" (suffixes
 * "-PP-001" and "-PP-002") are compared as the strings they are. */
static gboolean
values_numbers (const Value *a, const Value *b, double *na, double *nb)
{
  const char *ua, *ub;
  gsize la, lb;

  if (!value_number (a, na, &ua, &la) || !value_number (b, nb, &ub, &lb))
    return FALSE;
  return la == 0 || lb == 0 || (la == lb && g_ascii_strncasecmp (ua, ub, la) == 0);
}

static gboolean
values_equal (const Value *a, const Value *b)
{
  char buf_a[NUMBER_BUF_SIZE];
  char buf_b[NUMBER_BUF_SIZE];
  const char *ta, *tb;
  double na, nb;

  if (a->kind == VAL_ABSENT || b->kind == VAL_ABSENT)
    return FALSE;
  if (a->kind == VAL_COMPOUND || b->kind == VAL_COMPOUND)
    return a->kind == b->kind && syn_json_node_equal (a->node, b->node);
  if (values_numbers (a, b, &na, &nb))
    return na == nb;
  ta = value_text (a, buf_a);
  tb = value_text (b, buf_b);
  return ta != NULL && tb != NULL && strcmp (ta, tb) == 0;
}

static gboolean
value_in_array (const Value *actual, JsonNode *list)
{
  JsonArray *array;

  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    return FALSE;
  array = json_node_get_array (list);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      Value element;

      value_from_node (&element, json_array_get_element (array, i), FALSE);
      if (values_equal (actual, &element))
        return TRUE;
    }
  return FALSE;
}

static gboolean
value_contains (const Value *actual, const Value *expected)
{
  char buf_a[NUMBER_BUF_SIZE];
  char buf_e[NUMBER_BUF_SIZE];
  const char *ta, *te;

  if (actual->kind == VAL_COMPOUND)
    return JSON_NODE_HOLDS_ARRAY (actual->node) && value_in_array (expected, actual->node);
  ta = value_text (actual, buf_a);
  te = value_text (expected, buf_e);
  return ta != NULL && te != NULL && strstr (ta, te) != NULL;
}

/* Patterns are few (one per rule test) and evaluated per asset: compile each
 * once. The cache is bounded so that edited rules cannot grow it forever. */
#define REGEX_CACHE_MAX 64

static GMutex regex_lock;
static GHashTable *regex_cache;

static GRegex *
regex_lookup (const char *pattern)
{
  GRegex *regex;

  g_mutex_lock (&regex_lock);
  if (regex_cache == NULL)
    regex_cache = g_hash_table_new_full (g_str_hash, g_str_equal,
                                         g_free, (GDestroyNotify) g_regex_unref);
  regex = g_hash_table_lookup (regex_cache, pattern);
  if (regex == NULL)
    {
      regex = g_regex_new (pattern, G_REGEX_DEFAULT, G_REGEX_MATCH_DEFAULT, NULL);
      if (regex != NULL)
        {
          if (g_hash_table_size (regex_cache) >= REGEX_CACHE_MAX)
            g_hash_table_remove_all (regex_cache);
          g_hash_table_insert (regex_cache, g_strdup (pattern), regex);
        }
    }
  if (regex != NULL)
    g_regex_ref (regex);
  g_mutex_unlock (&regex_lock);
  return regex;
}

static gboolean
value_matches (const Value *actual, const Value *pattern)
{
  g_autoptr(GRegex) regex = NULL;
  char buf[NUMBER_BUF_SIZE];
  const char *text = value_text (actual, buf);

  if (text == NULL || pattern->kind != VAL_STRING)
    return FALSE;
  regex = regex_lookup (pattern->str);
  return regex != NULL && g_regex_match (regex, text, G_REGEX_MATCH_DEFAULT, NULL);
}

/* One {key, op, value} test; a malformed one never holds. */
static gboolean
test_holds (JsonNode *test_node, SynAsset *asset, Value *actual)
{
  JsonObject *test;
  const char *key;
  Value expected;
  double na, nb;
  Op op;

  value_from_string (actual, NULL);
  if (test_node == NULL || !JSON_NODE_HOLDS_OBJECT (test_node))
    return FALSE;
  test = json_node_get_object (test_node);
  key = syn_json_get_string (test, "key");
  op = op_from_string (syn_json_get_string (test, "op"));
  if (key == NULL || op == OP_INVALID)
    return FALSE;

  lookup_key (asset, key, actual);
  value_from_node (&expected, json_object_get_member (test, "value"), FALSE);

  switch (op)
    {
    case OP_EQ:
      return values_equal (actual, &expected);
    case OP_NE:
      /* The negation of ==: an absent value is "not equal". */
      return !values_equal (actual, &expected);
    case OP_GT:
      return values_numbers (actual, &expected, &na, &nb) && na > nb;
    case OP_LT:
      return values_numbers (actual, &expected, &na, &nb) && na < nb;
    case OP_GE:
      return values_numbers (actual, &expected, &na, &nb) && na >= nb;
    case OP_LE:
      return values_numbers (actual, &expected, &na, &nb) && na <= nb;
    case OP_IN:
      return value_in_array (actual, expected.node);
    case OP_NOT_IN:
      return !value_in_array (actual, expected.node);
    case OP_CONTAINS:
      return value_contains (actual, &expected);
    case OP_EXISTS:
      return actual->kind != VAL_ABSENT;
    case OP_MISSING:
      return actual->kind == VAL_ABSENT;
    case OP_MATCHES:
      return value_matches (actual, &expected);
    case OP_INVALID:
    default:
      return FALSE;
    }
}

/* asset_type and project_country: one string or a list of them. */
static gboolean
name_in (JsonNode *node, const char *name, gboolean ignore_case)
{
  if (name == NULL || *name == '\0')
    return FALSE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *s = json_node_get_string (node);
      return ignore_case ? g_ascii_strcasecmp (s, name) == 0 : strcmp (s, name) == 0;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          const char *s;

          if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
            continue;
          s = json_node_get_string (element);
          if (ignore_case ? g_ascii_strcasecmp (s, name) == 0 : strcmp (s, name) == 0)
            return TRUE;
        }
    }
  return FALSE;
}

/* Verdict text: strings bare, numbers without a trailing .0, lists in brackets. */
static void
append_node_text (GString *out, JsonNode *node)
{
  char buf[NUMBER_BUF_SIZE];

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      g_string_append (out, "null");
      return;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      g_string_append_c (out, '[');
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          if (i > 0)
            g_string_append (out, ", ");
          append_node_text (out, json_array_get_element (array, i));
        }
      g_string_append_c (out, ']');
      return;
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autofree char *json = syn_json_to_string (node);
      g_string_append (out, json);
      return;
    }
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      g_string_append (out, json_node_get_string (node));
      break;
    case G_TYPE_BOOLEAN:
      g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
      break;
    default:
      g_string_append (out, format_number (json_node_get_double (node), buf));
    }
}

static char *
value_to_text (const Value *v)
{
  GString *out;

  if (v->kind == VAL_ABSENT)
    return NULL;
  if (v->node == NULL)
    return g_strdup (v->str);
  out = g_string_new (NULL);
  append_node_text (out, v->node);
  return g_string_free (out, FALSE);
}

static void
append_test_text (GString *out, JsonNode *test_node)
{
  JsonObject *test;
  const char *key, *op;
  JsonNode *value;

  if (test_node == NULL || !JSON_NODE_HOLDS_OBJECT (test_node))
    {
      g_string_append (out, "(invalid test)");
      return;
    }
  test = json_node_get_object (test_node);
  key = syn_json_get_string (test, "key");
  op = syn_json_get_string (test, "op");
  value = json_object_get_member (test, "value");
  g_string_append_printf (out, "%s %s", key ? key : "(no key)", op ? op : "(no op)");
  if (value != NULL && op_from_string (op) != OP_EXISTS && op_from_string (op) != OP_MISSING)
    {
      g_string_append_c (out, ' ');
      append_node_text (out, value);
    }
}

static gboolean
fail (SynConditionVerdict *verdict, char *failed_test, char *actual)
{
  if (verdict != NULL)
    {
      verdict->matched = FALSE;
      verdict->failed_test = failed_test;
      verdict->actual = actual;
    }
  else
    {
      g_free (failed_test);
      g_free (actual);
    }
  return FALSE;
}

static gboolean
fail_name (SynConditionVerdict *verdict, const char *what, JsonNode *node, const char *actual)
{
  GString *text;

  if (verdict == NULL)
    return FALSE;
  text = g_string_new (what);
  g_string_append (text, JSON_NODE_HOLDS_ARRAY (node) ? " in " : " == ");
  append_node_text (text, node);
  return fail (verdict, g_string_free (text, FALSE),
               actual != NULL && *actual != '\0' ? g_strdup (actual) : NULL);
}

static gboolean
evaluate (JsonNode            *condition,
          SynAsset            *asset,
          const char          *project_country,
          SynConditionVerdict *verdict)
{
  JsonObject *object;
  JsonNode *node;
  guint known = 0;
  Value actual;

  if (verdict != NULL)
    {
      verdict->matched = TRUE;
      verdict->failed_test = NULL;
      verdict->actual = NULL;
    }
  if (condition == NULL || JSON_NODE_HOLDS_NULL (condition))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (condition))
    return fail (verdict, verdict ? g_strdup ("(condition is not an object)") : NULL, NULL);
  object = json_node_get_object (condition);

  /* Fixed order, so that explanations name the most general test first. */
  node = json_object_get_member (object, "asset_type");
  if (node != NULL)
    known++;
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node) && !name_in (node, asset->type, FALSE))
    return fail_name (verdict, "asset_type", node, asset->type);

  node = json_object_get_member (object, "project_country");
  if (node != NULL)
    known++;
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node) && !name_in (node, project_country, TRUE))
    return fail_name (verdict, "project_country", node, project_country);

  node = json_object_get_member (object, "all");
  if (node != NULL)
    known++;
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *all = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (all); i++)
        {
          JsonNode *test = json_array_get_element (all, i);

          if (!test_holds (test, asset, &actual))
            {
              GString *text;

              if (verdict == NULL)
                return FALSE;
              text = g_string_new (NULL);
              append_test_text (text, test);
              return fail (verdict, g_string_free (text, FALSE), value_to_text (&actual));
            }
        }
    }

  node = json_object_get_member (object, "any");
  if (node != NULL)
    known++;
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node)
      && json_array_get_length (json_node_get_array (node)) > 0)
    {
      JsonArray *any = json_node_get_array (node);
      gboolean holds = FALSE;

      for (guint i = 0; i < json_array_get_length (any) && !holds; i++)
        holds = test_holds (json_array_get_element (any, i), asset, &actual);
      if (!holds)
        {
          GString *text;

          if (verdict == NULL)
            return FALSE;
          text = g_string_new ("any [");
          for (guint i = 0; i < json_array_get_length (any); i++)
            {
              if (i > 0)
                g_string_append (text, ", ");
              append_test_text (text, json_array_get_element (any, i));
            }
          g_string_append_c (text, ']');
          return fail (verdict, g_string_free (text, FALSE), NULL);
        }
    }

  /* A key this code does not know (a rule saved by a newer version, or never
   * validated) must not make the rule fire more widely than intended. */
  if (json_object_get_size (object) > known)
    return fail (verdict, verdict ? g_strdup ("(unknown condition key)") : NULL, NULL);

  return TRUE;
}

gboolean
syn_rule_condition_evaluate (JsonNode            *condition,
                             SynAsset            *asset,
                             const char          *project_country,
                             SynConditionVerdict *verdict)
{
  g_return_val_if_fail (SYN_IS_ASSET (asset), FALSE);
  g_return_val_if_fail (verdict != NULL, FALSE);

  return evaluate (condition, asset, project_country, verdict);
}

void
syn_condition_verdict_clear (SynConditionVerdict *verdict)
{
  g_return_if_fail (verdict != NULL);

  g_clear_pointer (&verdict->failed_test, g_free);
  g_clear_pointer (&verdict->actual, g_free);
  verdict->matched = FALSE;
}

gboolean
syn_rule_condition_matches (JsonNode   *condition,
                            SynAsset   *asset,
                            const char *project_country)
{
  g_return_val_if_fail (SYN_IS_ASSET (asset), FALSE);

  return evaluate (condition, asset, project_country, NULL);
}
