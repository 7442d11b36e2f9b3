/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-json.c: JSON parsing, canonical serialisation (for hashing) and field helpers. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "syn-json.h"

G_DEFINE_QUARK (syn-core-error-quark, syn_core_error)

JsonNode *
syn_json_parse (const char *text, gssize length, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  if (!json_parser_load_from_data (parser, text, length, &local_error))
    {
      g_set_error (error, SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_JSON,
                   "Malformed JSON: %s", local_error->message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_JSON,
                           "Malformed JSON: empty document");
      return NULL;
    }
  return json_node_ref (json_parser_get_root (parser));
}

JsonObject *
syn_json_parse_object (const char *text, gssize length, GError **error)
{
  g_autoptr(JsonNode) node = syn_json_parse (text, length, error);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_JSON,
                           "Malformed JSON: expected an object");
      return NULL;
    }
  return json_object_ref (json_node_get_object (node));
}

char *
syn_json_to_string (JsonNode *node)
{
  if (node == NULL)
    return g_strdup ("null");
  return json_to_string (node, FALSE);
}

char *
syn_json_object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = NULL;

  if (object == NULL)
    return g_strdup ("{}");
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

static void
append_string_literal (GString *out, const char *s)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) s; *p; p++)
    {
      switch (*p)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

/* Canonical form: keys sorted bytewise, no whitespace, integers as integers and
 * doubles with 17 significant digits, so equal states always hash equally. */
void
syn_json_canonical_append (GString *out, JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      g_string_append (out, "null");
      return;
    }

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);
        g_autoptr(GPtrArray) keys = g_ptr_array_new ();
        gboolean first = TRUE;

        for (GList *l = members; l; l = l->next)
          g_ptr_array_add (keys, l->data);
        g_ptr_array_sort (keys, compare_strings);
        g_string_append_c (out, '{');
        for (guint i = 0; i < keys->len; i++)
          {
            const char *key = g_ptr_array_index (keys, i);
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            append_string_literal (out, key);
            g_string_append_c (out, ':');
            syn_json_canonical_append (out, json_object_get_member (object, key));
          }
        g_string_append_c (out, '}');
        break;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            syn_json_canonical_append (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
        break;
      }
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          append_string_literal (out, json_node_get_string (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          {
            double d = json_node_get_double (node);
            char buf[G_ASCII_DTOSTR_BUF_SIZE];

            if (isfinite (d) && d == floor (d) && fabs (d) < 1e15)
              g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) d);
            else if (!isfinite (d))
              g_string_append (out, "null");
            else
              g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.17g", d));
            break;
          }
        default:
          g_string_append (out, "null");
        }
      break;
    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
    }
}

char *
syn_json_canonical (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  syn_json_canonical_append (out, node);
  return g_string_free (out, FALSE);
}

gboolean
syn_json_node_equal (JsonNode *a, JsonNode *b)
{
  g_autofree char *ca = syn_json_canonical (a);
  g_autofree char *cb = syn_json_canonical (b);

  return strcmp (ca, cb) == 0;
}

const char *
syn_json_get_string (JsonObject *object, const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gboolean
syn_json_get_optional_string (JsonObject  *object,
                              const char  *member,
                              const char **out,
                              GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_FIELD,
                   "Field \"%s\" must be a string", member);
      return FALSE;
    }
  *out = json_node_get_string (node);
  return TRUE;
}

gboolean
syn_json_get_optional_double (JsonObject  *object,
                              const char  *member,
                              double      *out,
                              GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  GType type;

  *out = NAN;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  type = json_node_get_value_type (node);
  if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
    {
      g_set_error (error, SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_FIELD,
                   "Field \"%s\" must be a number", member);
      return FALSE;
    }
  *out = json_node_get_double (node);
  return TRUE;
}

void
syn_json_set_string_or_null (JsonObject *object, const char *member, const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, member, value);
  else
    json_object_set_null_member (object, member);
}

void
syn_json_set_double_or_null (JsonObject *object, const char *member, double value)
{
  if (isnan (value))
    json_object_set_null_member (object, member);
  else if (value == floor (value) && fabs (value) < 1e15)
    json_object_set_int_member (object, member, (gint64) value);
  else
    json_object_set_double_member (object, member, value);
}

/* json_node_copy() shares objects and arrays: entities need copies of their own. */
JsonNode *
syn_json_node_deep_copy (JsonNode *node)
{
  if (node == NULL)
    return NULL;

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return syn_json_node_new_object (syn_json_object_copy (json_node_get_object (node)));
    case JSON_NODE_ARRAY:
      {
        JsonArray *src = json_node_get_array (node);
        JsonArray *dst = json_array_sized_new (json_array_get_length (src));
        JsonNode *ret = json_node_new (JSON_NODE_ARRAY);

        for (guint i = 0; i < json_array_get_length (src); i++)
          json_array_add_element (dst, syn_json_node_deep_copy (json_array_get_element (src, i)));
        json_node_take_array (ret, dst);
        return ret;
      }
    case JSON_NODE_VALUE:
    case JSON_NODE_NULL:
    default:
      return json_node_copy (node);
    }
}

JsonObject *
syn_json_object_copy (JsonObject *object)
{
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  if (object == NULL)
    return copy;
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &member))
    json_object_set_member (copy, name, syn_json_node_deep_copy (member));
  return copy;
}

JsonNode *
syn_json_node_new_object (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

gboolean
syn_uuid_is_valid (const char *text)
{
  return text != NULL && g_uuid_string_is_valid (text);
}

char *
syn_uuid_new (void)
{
  return g_uuid_string_random ();
}
