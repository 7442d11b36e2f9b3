/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-naming-template.c: validation and expansion of the tag templates of rule actions. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "engine/syn-engine-error.h"
#include "engine/syn-naming-template.h"

#define PROP_PREFIX "prop."

static const char * const simple_placeholders[] = {
  "tag", "type", "area", "tag_number", "parent_tag", "from_tag", "to_tag", NULL
};

static gboolean
placeholder_is_known (const char *name)
{
  if (g_str_has_prefix (name, PROP_PREFIX))
    return name[strlen (PROP_PREFIX)] != '\0';
  return g_strv_contains (simple_placeholders, name);
}

/* The trailing number of a tag, kept as written so that "001" stays "001",
 * with one letter after it when there is one: P&IDs number spares and
 * parallel units 001A, 001B, and their motors must differ as they do. */
static const char *
tag_number (const char *tag, gsize *length)
{
  const char *end = tag + strlen (tag);
  const char *digits_end = end;
  const char *p;

  if (digits_end > tag && g_ascii_isalpha (digits_end[-1]) &&
      digits_end - 1 > tag && g_ascii_isdigit (digits_end[-2]))
    digits_end--;
  p = digits_end;
  while (p > tag && g_ascii_isdigit (p[-1]))
    p--;
  if (p == digits_end)
    return NULL;
  *length = end - p;
  return p;
}

/* Numbers print as people write them: 75 rather than 75.0, 7.5 as is. */
static void
append_number (GString *out, JsonNode *node)
{
  double d;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
      return;
    }
  d = json_node_get_double (node);
  if (isfinite (d) && d == floor (d) && fabs (d) < 1e15)
    g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) d);
  else
    g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.15g", d));
}

static gboolean
append_property (GString     *out,
                 SynAsset    *source,
                 const char  *name,
                 GError     **error)
{
  const char *prop = name + strlen (PROP_PREFIX);
  JsonNode *node = NULL;

  if (source->properties != NULL)
    node = json_object_get_member (source->properties, prop);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node)
      || (json_node_get_value_type (node) == G_TYPE_STRING
          && *json_node_get_string (node) == '\0'))
    {
      g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_FAILED,
                   "{%s}: asset \"%s\" has no property \"%s\"",
                   name, source->tag ? source->tag : "", prop);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node))
    {
      g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_FAILED,
                   "{%s}: property \"%s\" of asset \"%s\" is not a single value",
                   name, prop, source->tag ? source->tag : "");
      return FALSE;
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
      append_number (out, node);
    }
  return TRUE;
}

static gboolean
append_placeholder (GString     *out,
                    const char  *name,
                    SynAsset    *source,
                    const char  *from_tag,
                    const char  *to_tag,
                    GError     **error)
{
  const char *tag = source->tag;
  const char *value = NULL;
  gsize length;

  if (g_str_has_prefix (name, PROP_PREFIX))
    return append_property (out, source, name, error);

  if (g_str_equal (name, "tag") || g_str_equal (name, "parent_tag"))
    value = tag;
  else if (g_str_equal (name, "type"))
    value = source->type;
  else if (g_str_equal (name, "area"))
    value = source->area;
  else if (g_str_equal (name, "from_tag"))
    value = from_tag;
  else if (g_str_equal (name, "to_tag"))
    value = to_tag;
  else if (g_str_equal (name, "tag_number"))
    {
      const char *digits = tag ? tag_number (tag, &length) : NULL;

      if (digits == NULL)
        {
          g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_FAILED,
                       "{tag_number}: tag \"%s\" does not end with a number (or a number and one letter)",
                       tag ? tag : "");
          return FALSE;
        }
      g_string_append_len (out, digits, length);
      return TRUE;
    }

  if (value == NULL || *value == '\0')
    {
      if (g_str_equal (name, "from_tag") || g_str_equal (name, "to_tag"))
        g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_FAILED,
                     "{%s}: not available for asset \"%s\" in this action",
                     name, tag ? tag : "");
      else
        g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_FAILED,
                     "{%s}: asset \"%s\" has no %s", name, tag ? tag : "", name);
      return FALSE;
    }
  g_string_append (out, value);
  return TRUE;
}

/* One walk serves both: with out == NULL it only checks the syntax and the
 * placeholder names, so validation and expansion can never disagree. */
static gboolean
walk_template (const char  *template,
               GString     *out,
               SynAsset    *source,
               const char  *from_tag,
               const char  *to_tag,
               GError     **error)
{
  const char *p = template;

  while (*p != '\0')
    {
      const char *end;
      g_autofree char *name = NULL;

      if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}'))
        {
          if (out != NULL)
            g_string_append_c (out, p[0]);
          p += 2;
          continue;
        }
      if (*p == '}')
        {
          g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID_RULE,
                       "unbalanced brace: \"}\" at offset %d without \"{\" (write \"}}\" for a literal brace)",
                       (int) (p - template));
          return FALSE;
        }
      if (*p != '{')
        {
          if (out != NULL)
            g_string_append_c (out, *p);
          p++;
          continue;
        }

      end = p + 1;
      while (*end != '\0' && *end != '}' && *end != '{')
        end++;
      if (*end != '}')
        {
          g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID_RULE,
                       "unbalanced brace: \"{\" at offset %d is not closed (write \"{{\" for a literal brace)",
                       (int) (p - template));
          return FALSE;
        }
      name = g_strndup (p + 1, end - p - 1);
      if (!placeholder_is_known (name))
        {
          g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID_RULE,
                       "unknown placeholder \"{%s}\"", name);
          return FALSE;
        }
      if (out != NULL && !append_placeholder (out, name, source, from_tag, to_tag, error))
        return FALSE;
      p = end + 1;
    }
  return TRUE;
}

gboolean
syn_naming_template_validate (const char  *template,
                              GError     **error)
{
  g_return_val_if_fail (template != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (*template == '\0')
    {
      g_set_error_literal (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID_RULE,
                           "empty template");
      return FALSE;
    }
  return walk_template (template, NULL, NULL, NULL, NULL, error);
}

char *
syn_naming_template_expand (const char  *template,
                            SynAsset    *source,
                            const char  *from_tag,
                            const char  *to_tag,
                            GError     **error)
{
  g_autoptr(GString) out = NULL;

  g_return_val_if_fail (template != NULL, NULL);
  g_return_val_if_fail (SYN_IS_ASSET (source), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  out = g_string_sized_new (strlen (template) + 16);
  if (!walk_template (template, out, source, from_tag, to_tag, error))
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}
