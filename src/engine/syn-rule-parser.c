/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-rule-parser.c: parsing and validation of rule definitions, and their definition JSON. */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "core/syn-json.h"
#include "core/syn-vocabulary.h"
#include "engine/syn-engine-error.h"
#include "engine/syn-naming-template.h"
#include "engine/syn-rule-parser.h"

/* Every error of this file goes through invalid(), so that each one names the
 * rule and the field the same way, whatever the depth of the field. */

static const struct { const char *name; gint64 priority; } sources[] = {
  { "FIRM", 10 }, { "COUNTRY", 30 }, { "PROJECT", 50 }, { "CLIENT", 100 },
};

static const char * const action_types[] = {
  "CREATE_CHILD", "CREATE_CABLE", "CREATE_RELATIONSHIP", "SET_PROPERTY", "VALIDATE", NULL
};

static const char * const reserved_action_types[] = { "CREATE_PACKAGE", "ALLOCATE_IO", NULL };

static const char * const operators[] = {
  "==", "!=", ">", "<", ">=", "<=", "in", "not_in", "contains", "exists", "missing", "matches", NULL
};

/* project_id, created_at and updated_at are accepted so that a rule read back
 * from the store or the API can be saved again; the scope is the caller's. */
static const char * const top_level_fields[] = {
  "id", "name", "description", "source", "priority", "discipline", "is_enforced",
  "is_active", "action_type", "condition", "action", "project_id", "created_at",
  "updated_at", NULL
};

static gboolean invalid (GError **error, const char *rule, const char *path,
                         const char *format, ...) G_GNUC_PRINTF (4, 5);

static gboolean
invalid (GError **error, const char *rule, const char *path, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID_RULE,
               "Rule \"%s\": %s: %s", rule, path, message);
  return FALSE;
}

static gboolean
is_absent (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

static gboolean
is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
is_number (JsonNode *node)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

static gboolean
is_scalar (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node);
}

static const char *
type_name (JsonNode *node)
{
  if (is_absent (node))
    return "null";
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "an object";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "an array";
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return "a string";
    case G_TYPE_BOOLEAN:
      return "a boolean";
    default:
      return "a number";
    }
}

/* Whether a string begins with a number, as the condition evaluator reads
 * "150 PSI": ordering tests against anything else could never hold. */
static gboolean
begins_with_number (const char *s)
{
  while (g_ascii_isspace (*s))
    s++;
  if (*s == '+' || *s == '-')
    s++;
  if (*s == '.')
    s++;
  return g_ascii_isdigit (*s);
}

static char *
join_names (const char * const *names)
{
  return g_strjoinv (", ", (char **) names);
}

gint64
syn_rule_source_default_priority (const char *source)
{
  if (source == NULL)
    return -1;
  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    if (g_str_equal (source, sources[i].name))
      return sources[i].priority;
  return -1;
}

static gboolean
is_blank (const char *s)
{
  while (g_ascii_isspace (*s))
    s++;
  return *s == '\0';
}

/* Ids end up in URLs (/rules/{rule_id}) and file names: keep them plain. */
static gboolean
id_is_plain (const char *id)
{
  /* "." and ".." would be dot segments in a URL: such a rule could never
   * be addressed (PUT, DELETE) again */
  if (*id == '\0' || g_str_equal (id, ".") || g_str_equal (id, ".."))
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!g_ascii_isalnum (*p) && strchr ("-_.:", *p) == NULL)
      return FALSE;
  return TRUE;
}

static gboolean
check_string (JsonNode *node, const char *rule, const char *path, GError **error)
{
  if (!is_string (node))
    return invalid (error, rule, path, "must be a string, not %s", type_name (node));
  if (*json_node_get_string (node) == '\0')
    return invalid (error, rule, path, "must not be empty");
  return TRUE;
}

static gboolean
check_template (JsonNode *node, const char *rule, const char *path, GError **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!check_string (node, rule, path, error))
    return FALSE;
  if (!syn_naming_template_validate (json_node_get_string (node), &local_error))
    return invalid (error, rule, path, "%s", local_error->message);
  return TRUE;
}

/* A name, or a non-empty list of names (asset_type, project_country). */
static gboolean
check_name_or_list (JsonNode *node, const char *rule, const char *path, GError **error)
{
  JsonArray *array;

  if (is_string (node))
    return check_string (node, rule, path, error);
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, rule, path, "must be a string or an array of strings, not %s",
                    type_name (node));
  array = json_node_get_array (node);
  if (json_array_get_length (array) == 0)
    return invalid (error, rule, path, "must not be an empty array");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *element_path = g_strdup_printf ("%s[%u]", path, i);

      if (!check_string (json_array_get_element (array, i), rule, element_path, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_string_array (JsonNode *node, const char *rule, const char *path, GError **error)
{
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, rule, path, "must be an array of strings, not %s", type_name (node));
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *element_path = g_strdup_printf ("%s[%u]", path, i);

      if (!check_string (json_array_get_element (array, i), rule, element_path, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_one_of (JsonNode           *node,
              const char * const *allowed,
              const char         *rule,
              const char         *path,
              GError            **error)
{
  g_autofree char *list = NULL;

  if (!check_string (node, rule, path, error))
    return FALSE;
  if (g_strv_contains (allowed, json_node_get_string (node)))
    return TRUE;
  list = join_names (allowed);
  return invalid (error, rule, path, "must be one of %s, not \"%s\"",
                  list, json_node_get_string (node));
}

static gboolean
check_test (JsonNode *node, const char *rule, const char *path, GError **error)
{
  JsonObject *test;
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;
  const char *op;
  g_autofree char *key_path = g_strdup_printf ("%s.key", path);
  g_autofree char *op_path = g_strdup_printf ("%s.op", path);
  g_autofree char *value_path = g_strdup_printf ("%s.value", path);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, rule, path, "must be an object {key, op, value}, not %s",
                    type_name (node));
  test = json_node_get_object (node);

  json_object_iter_init (&iter, test);
  while (json_object_iter_next (&iter, &member, NULL))
    if (!g_str_equal (member, "key") && !g_str_equal (member, "op") && !g_str_equal (member, "value"))
      {
        g_autofree char *member_path = g_strdup_printf ("%s.%s", path, member);
        return invalid (error, rule, member_path, "unknown field (a test has key, op and value)");
      }

  if (is_absent (json_object_get_member (test, "key")))
    return invalid (error, rule, key_path, "missing");
  if (!check_string (json_object_get_member (test, "key"), rule, key_path, error))
    return FALSE;
  if (is_absent (json_object_get_member (test, "op")))
    return invalid (error, rule, op_path, "missing");
  if (!check_string (json_object_get_member (test, "op"), rule, op_path, error))
    return FALSE;
  op = json_object_get_string_member (test, "op");
  if (!g_strv_contains (operators, op))
    {
      g_autofree char *list = join_names (operators);
      return invalid (error, rule, op_path, "unknown operator \"%s\" (expected one of %s)", op, list);
    }

  value = json_object_get_member (test, "value");
  if (g_str_equal (op, "exists") || g_str_equal (op, "missing"))
    {
      /* A value here usually means a misunderstanding ("exists": false). */
      if (!is_absent (value))
        return invalid (error, rule, value_path, "not used with operator \"%s\"", op);
      return TRUE;
    }
  if (is_absent (value))
    return invalid (error, rule, value_path, "missing (operator \"%s\" needs a value)", op);

  if (g_str_equal (op, "in") || g_str_equal (op, "not_in"))
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (value))
        return invalid (error, rule, value_path, "must be an array with operator \"%s\", not %s",
                        op, type_name (value));
      array = json_node_get_array (value);
      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!is_scalar (json_array_get_element (array, i)))
          {
            g_autofree char *element_path = g_strdup_printf ("%s[%u]", value_path, i);
            return invalid (error, rule, element_path, "must be a string, number or boolean, not %s",
                            type_name (json_array_get_element (array, i)));
          }
      return TRUE;
    }
  if (g_str_equal (op, ">") || g_str_equal (op, "<") || g_str_equal (op, ">=") || g_str_equal (op, "<="))
    {
      if (!is_number (value) && !(is_string (value) && begins_with_number (json_node_get_string (value))))
        return invalid (error, rule, value_path, "must be a number with operator \"%s\"", op);
      return TRUE;
    }
  if (g_str_equal (op, "matches"))
    {
      g_autoptr(GRegex) regex = NULL;
      g_autoptr(GError) regex_error = NULL;

      if (!is_string (value))
        return invalid (error, rule, value_path, "must be a regular expression string, not %s",
                        type_name (value));
      regex = g_regex_new (json_node_get_string (value), G_REGEX_DEFAULT, G_REGEX_MATCH_DEFAULT,
                           &regex_error);
      if (regex == NULL)
        return invalid (error, rule, value_path, "invalid regular expression: %s",
                        regex_error->message);
      return TRUE;
    }
  /* ==, != and contains */
  if (!is_scalar (value))
    return invalid (error, rule, value_path, "must be a string, number or boolean, not %s",
                    type_name (value));
  return TRUE;
}

static gboolean
check_tests (JsonNode *node, const char *rule, const char *path, GError **error)
{
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, rule, path, "must be an array of tests, not %s", type_name (node));
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *test_path = g_strdup_printf ("%s[%u]", path, i);

      if (!check_test (json_array_get_element (array, i), rule, test_path, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_condition (JsonNode *condition, const char *rule, GError **error)
{
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;

  if (is_absent (condition))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (condition))
    return invalid (error, rule, "condition", "must be an object, not %s", type_name (condition));

  json_object_iter_init (&iter, json_node_get_object (condition));
  while (json_object_iter_next (&iter, &member, &node))
    {
      g_autofree char *path = g_strdup_printf ("condition.%s", member);

      if (g_str_equal (member, "asset_type") || g_str_equal (member, "project_country"))
        {
          if (!is_absent (node) && !check_name_or_list (node, rule, path, error))
            return FALSE;
        }
      else if (g_str_equal (member, "all") || g_str_equal (member, "any"))
        {
          if (!is_absent (node) && !check_tests (node, rule, path, error))
            return FALSE;
        }
      else
        return invalid (error, rule, path,
                        "unknown condition key (expected asset_type, project_country, all or any)");
    }
  return TRUE;
}

/* The fields of one action type: what check_fields() knows about. */
typedef enum {
  FIELD_STRING,
  FIELD_TEMPLATE,
  FIELD_STRING_ARRAY,
  FIELD_OBJECT,
  FIELD_NUMBER,
} FieldKind;

typedef struct
{
  const char *name;
  FieldKind kind;
  gboolean required;
} FieldSpec;

static const FieldSpec create_child_fields[] = {
  { "type", FIELD_STRING, TRUE },
  { "naming", FIELD_TEMPLATE, TRUE },
  { "relation", FIELD_STRING, TRUE },
  { "discipline", FIELD_STRING, FALSE },
  { "inherit_properties", FIELD_STRING_ARRAY, FALSE },
  { "properties", FIELD_OBJECT, FALSE },
  { NULL, 0, FALSE }
};

static const FieldSpec create_cable_fields[] = {
  { "naming", FIELD_TEMPLATE, TRUE },
  { "to", FIELD_STRING, TRUE },
  { "from", FIELD_STRING, FALSE },
  { "cable_type", FIELD_STRING, TRUE },
  { "sizing", FIELD_STRING, TRUE },
  { "conductor_size", FIELD_STRING, FALSE },
  { "insulation", FIELD_STRING, FALSE },
  { "voltage_drop_limit_pct", FIELD_NUMBER, FALSE },
  { NULL, 0, FALSE }
};

static const FieldSpec create_relationship_fields[] = {
  { "relation", FIELD_STRING, TRUE },
  { "target", FIELD_OBJECT, TRUE },
  { NULL, 0, FALSE }
};

static const FieldSpec relationship_target_fields[] = {
  { "asset_type", FIELD_STRING, TRUE },
  { "match", FIELD_STRING, TRUE },
  { "tag", FIELD_TEMPLATE, FALSE },
  { NULL, 0, FALSE }
};

static const FieldSpec set_property_fields[] = {
  { "properties", FIELD_OBJECT, TRUE },
  /* optional: "set" when absent */
  { "mode", FIELD_STRING, FALSE },
  { NULL, 0, FALSE }
};

static const FieldSpec validate_fields[] = {
  { "message", FIELD_STRING, TRUE },
  { "severity", FIELD_STRING, FALSE },
  { NULL, 0, FALSE }
};

/* Unknown fields are errors: a misspelt optional field ("sizng") would
 * otherwise silently fall back to its default. */
static gboolean
check_fields (JsonObject      *object,
              const FieldSpec *specs,
              const char      *rule,
              const char      *prefix,
              GError         **error)
{
  JsonObjectIter iter;
  const char *member;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &member, NULL))
    {
      gboolean known = FALSE;

      for (const FieldSpec *spec = specs; spec->name != NULL && !known; spec++)
        known = g_str_equal (spec->name, member);
      if (!known)
        {
          g_autofree char *path = g_strdup_printf ("%s.%s", prefix, member);
          return invalid (error, rule, path, "unknown field");
        }
    }

  for (const FieldSpec *spec = specs; spec->name != NULL; spec++)
    {
      JsonNode *node = json_object_get_member (object, spec->name);
      g_autofree char *path = g_strdup_printf ("%s.%s", prefix, spec->name);

      if (is_absent (node))
        {
          if (spec->required)
            return invalid (error, rule, path, "missing");
          continue;
        }
      switch (spec->kind)
        {
        case FIELD_STRING:
          if (!check_string (node, rule, path, error))
            return FALSE;
          break;
        case FIELD_TEMPLATE:
          if (!check_template (node, rule, path, error))
            return FALSE;
          break;
        case FIELD_STRING_ARRAY:
          if (!check_string_array (node, rule, path, error))
            return FALSE;
          break;
        case FIELD_OBJECT:
          if (!JSON_NODE_HOLDS_OBJECT (node))
            return invalid (error, rule, path, "must be an object, not %s", type_name (node));
          break;
        case FIELD_NUMBER:
          if (!is_number (node))
            return invalid (error, rule, path, "must be a number, not %s", type_name (node));
          break;
        default:
          g_assert_not_reached ();
        }
    }
  return TRUE;
}

static gboolean
check_create_child (JsonObject *action, const char *rule, GError **error)
{
  JsonNode *discipline;

  if (!check_fields (action, create_child_fields, rule, "action", error))
    return FALSE;
  discipline = json_object_get_member (action, "discipline");
  if (!is_absent (discipline))
    return check_one_of (discipline, syn_disciplines (), rule, "action.discipline", error);
  return TRUE;
}

static gboolean
check_create_cable (JsonObject *action, const char *rule, GError **error)
{
  static const char * const sizings[] = { "auto", "manual", NULL };
  JsonNode *from;
  const char *to;
  const char *sizing;
  JsonNode *conductor_size;
  JsonNode *limit;

  if (!check_fields (action, create_cable_fields, rule, "action", error))
    return FALSE;

  to = json_object_get_string_member (action, "to");
  if (!g_str_equal (to, "source")
      && !(g_str_has_prefix (to, "child:") && to[strlen ("child:")] != '\0'))
    return invalid (error, rule, "action.to", "must be \"source\" or \"child:TYPE\", not \"%s\"", to);

  /* "source" names the rule's asset; anything else is the tag of the other end. */
  from = json_object_get_member (action, "from");
  if (!is_absent (from) && !g_str_equal (json_node_get_string (from), "source")
      && !check_template (from, rule, "action.from", error))
    return FALSE;

  if (!check_one_of (json_object_get_member (action, "sizing"), sizings, rule, "action.sizing", error))
    return FALSE;
  sizing = json_object_get_string_member (action, "sizing");
  conductor_size = json_object_get_member (action, "conductor_size");
  if (g_str_equal (sizing, "manual") && is_absent (conductor_size))
    return invalid (error, rule, "action.conductor_size", "missing (required with sizing \"manual\")");
  if (g_str_equal (sizing, "auto") && !is_absent (conductor_size))
    return invalid (error, rule, "action.conductor_size",
                    "only with sizing \"manual\" (automatic sizing chooses the conductor)");

  limit = json_object_get_member (action, "voltage_drop_limit_pct");
  if (!is_absent (limit))
    {
      double pct = json_node_get_double (limit);

      if (!isfinite (pct) || pct <= 0)
        return invalid (error, rule, "action.voltage_drop_limit_pct", "must be a number > 0");
    }
  return TRUE;
}

static gboolean
check_create_relationship (JsonObject *action, const char *rule, GError **error)
{
  static const char * const matches[] = { "same_area", "tag", NULL };
  JsonObject *target;
  const char *match;
  JsonNode *tag;

  if (!check_fields (action, create_relationship_fields, rule, "action", error))
    return FALSE;
  target = json_object_get_object_member (action, "target");
  if (!check_fields (target, relationship_target_fields, rule, "action.target", error))
    return FALSE;
  if (!check_one_of (json_object_get_member (target, "match"), matches, rule, "action.target.match", error))
    return FALSE;
  match = json_object_get_string_member (target, "match");
  tag = json_object_get_member (target, "tag");
  if (g_str_equal (match, "tag") && is_absent (tag))
    return invalid (error, rule, "action.target.tag", "missing (required with match \"tag\")");
  if (g_str_equal (match, "same_area") && !is_absent (tag))
    return invalid (error, rule, "action.target.tag", "only with match \"tag\"");
  return TRUE;
}

static gboolean
check_set_property (JsonObject *action, const char *rule, GError **error)
{
  static const char * const modes[] = { "set", "default", NULL };
  JsonObject *properties;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (!check_fields (action, set_property_fields, rule, "action", error))
    return FALSE;
  properties = json_object_get_object_member (action, "properties");
  if (json_object_get_size (properties) == 0)
    return invalid (error, rule, "action.properties", "must not be empty");
  json_object_iter_init (&iter, properties);
  while (json_object_iter_next (&iter, &name, &value))
    {
      g_autofree char *path = g_strdup_printf ("action.properties.%s", name);

      if (*name == '\0')
        return invalid (error, rule, "action.properties", "empty property name");
      /* Setting null would be a deletion in disguise; say what is meant. */
      if (is_absent (value))
        return invalid (error, rule, path, "must not be null");
    }
  if (is_absent (json_object_get_member (action, "mode")))
    return TRUE;
  return check_one_of (json_object_get_member (action, "mode"), modes, rule, "action.mode", error);
}

static gboolean
check_validate (JsonObject *action, const char *rule, GError **error)
{
  static const char * const severities[] = { "error", "warning", NULL };
  JsonNode *severity;

  if (!check_fields (action, validate_fields, rule, "action", error))
    return FALSE;
  severity = json_object_get_member (action, "severity");
  if (!is_absent (severity))
    return check_one_of (severity, severities, rule, "action.severity", error);
  return TRUE;
}

static gboolean
validate_with_label (SynRule *rule, const char *label, GError **error)
{
  JsonObject *action;

  if (rule->id == NULL)
    return invalid (error, label, "id", "missing");
  if (!id_is_plain (rule->id))
    return invalid (error, label, "id",
                    "\"%s\" must be letters, digits, \"-\", \"_\", \".\" or \":\"", rule->id);
  if (rule->name == NULL)
    return invalid (error, label, "name", "missing");
  if (is_blank (rule->name))
    return invalid (error, label, "name", "must not be blank");

  if (rule->source == NULL)
    return invalid (error, label, "source", "missing");
  if (syn_rule_source_default_priority (rule->source) < 0)
    return invalid (error, label, "source",
                    "must be one of FIRM, COUNTRY, PROJECT, CLIENT, not \"%s\"", rule->source);

  if (rule->discipline != NULL && !syn_is_discipline (rule->discipline))
    {
      g_autofree char *list = join_names (syn_disciplines ());
      return invalid (error, label, "discipline", "must be one of %s, not \"%s\"",
                      list, rule->discipline);
    }

  if (rule->action_type == NULL)
    return invalid (error, label, "action_type", "missing");
  if (g_strv_contains (reserved_action_types, rule->action_type))
    return invalid (error, label, "action_type", "%s is reserved, not supported yet",
                    rule->action_type);
  if (!g_strv_contains (action_types, rule->action_type))
    {
      g_autofree char *list = join_names (action_types);
      return invalid (error, label, "action_type", "unknown action type \"%s\" (expected one of %s)",
                      rule->action_type, list);
    }

  if (!check_condition (rule->condition, label, error))
    return FALSE;

  if (is_absent (rule->action))
    return invalid (error, label, "action", "missing");
  if (!JSON_NODE_HOLDS_OBJECT (rule->action))
    return invalid (error, label, "action", "must be an object, not %s", type_name (rule->action));
  action = json_node_get_object (rule->action);

  if (g_str_equal (rule->action_type, "CREATE_CHILD"))
    return check_create_child (action, label, error);
  if (g_str_equal (rule->action_type, "CREATE_CABLE"))
    return check_create_cable (action, label, error);
  if (g_str_equal (rule->action_type, "CREATE_RELATIONSHIP"))
    return check_create_relationship (action, label, error);
  if (g_str_equal (rule->action_type, "SET_PROPERTY"))
    return check_set_property (action, label, error);
  return check_validate (action, label, error);
}

gboolean
syn_rule_validate (SynRule  *rule,
                   GError  **error)
{
  const char *label;

  g_return_val_if_fail (SYN_IS_RULE (rule), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  label = rule->id ? rule->id : rule->name ? rule->name : "(unnamed)";
  return validate_with_label (rule, label, error);
}

/* Optional string members: absent and null mean unset. */
static gboolean
take_optional_string (JsonObject  *object,
                      const char  *member,
                      char       **out,
                      const char  *rule,
                      GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (is_absent (node))
    return TRUE;
  if (!is_string (node))
    return invalid (error, rule, member, "must be a string, not %s", type_name (node));
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
take_optional_boolean (JsonObject  *object,
                       const char  *member,
                       gboolean    *out,
                       const char  *rule,
                       GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (is_absent (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return invalid (error, rule, member, "must be true or false, not %s", type_name (node));
  *out = json_node_get_boolean (node);
  return TRUE;
}

SynRule *
syn_rule_parse (JsonObject  *object,
                const char  *project_id,
                GError     **error)
{
  g_autoptr(SynRule) rule = NULL;
  JsonObjectIter iter;
  const char *member;
  const char *label;
  JsonNode *node;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Name the rule as its author wrote it: a generated id means nothing to them. */
  label = syn_json_get_string (object, "id");
  if (label == NULL || *label == '\0')
    label = syn_json_get_string (object, "name");
  if (label == NULL || *label == '\0')
    label = "(unnamed)";

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &member, NULL))
    if (!g_strv_contains (top_level_fields, member))
      {
        invalid (error, label, member, "unknown field");
        return NULL;
      }

  rule = syn_rule_new ();
  rule->project_id = g_strdup (project_id);

  node = json_object_get_member (object, "id");
  if (is_absent (node))
    rule->id = syn_uuid_new ();
  else if (!check_string (node, label, "id", error))
    return NULL;
  else
    rule->id = g_strdup (json_node_get_string (node));

  if (is_absent (json_object_get_member (object, "name")))
    {
      invalid (error, label, "name", "missing");
      return NULL;
    }
  if (!take_optional_string (object, "name", &rule->name, label, error)
      || !take_optional_string (object, "description", &rule->description, label, error)
      || !take_optional_string (object, "source", &rule->source, label, error)
      || !take_optional_string (object, "discipline", &rule->discipline, label, error)
      || !take_optional_string (object, "action_type", &rule->action_type, label, error)
      || !take_optional_boolean (object, "is_enforced", &rule->is_enforced, label, error)
      || !take_optional_boolean (object, "is_active", &rule->is_active, label, error))
    return NULL;

  /* Priority: a whole number; absent means the source's default. */
  node = json_object_get_member (object, "priority");
  if (is_absent (node))
    rule->priority = syn_rule_source_default_priority (rule->source);
  else if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      invalid (error, label, "priority", "must be an integer, not %s", type_name (node));
      return NULL;
    }
  else
    rule->priority = json_node_get_int (node);

  node = json_object_get_member (object, "condition");
  if (!is_absent (node))
    rule->condition = syn_json_node_deep_copy (node);
  node = json_object_get_member (object, "action");
  if (!is_absent (node))
    rule->action = syn_json_node_deep_copy (node);

  if (!validate_with_label (rule, label, error))
    return NULL;
  return g_steal_pointer (&rule);
}

JsonNode *
syn_rule_to_definition_json (SynRule *rule)
{
  JsonObject *object;

  g_return_val_if_fail (SYN_IS_RULE (rule), NULL);

  object = json_object_new ();
  syn_json_set_string_or_null (object, "id", rule->id);
  syn_json_set_string_or_null (object, "project_id", rule->project_id);
  syn_json_set_string_or_null (object, "name", rule->name);
  syn_json_set_string_or_null (object, "description", rule->description);
  syn_json_set_string_or_null (object, "source", rule->source);
  json_object_set_int_member (object, "priority", rule->priority);
  syn_json_set_string_or_null (object, "discipline", rule->discipline);
  json_object_set_boolean_member (object, "is_enforced", rule->is_enforced);
  json_object_set_boolean_member (object, "is_active", rule->is_active);
  syn_json_set_string_or_null (object, "action_type", rule->action_type);
  /* An absent condition matches every asset, as the empty object does. */
  json_object_set_member (object, "condition",
                          is_absent (rule->condition)
                          ? syn_json_node_new_object (json_object_new ())
                          : syn_json_node_deep_copy (rule->condition));
  json_object_set_member (object, "action",
                          is_absent (rule->action)
                          ? json_node_new (JSON_NODE_NULL)
                          : syn_json_node_deep_copy (rule->action));
  return syn_json_node_new_object (object);
}
