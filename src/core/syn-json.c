/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-json.c: JSON parsing, canonical serialisation (for hashing) and field helpers. */
#include "config.h"

#include <errno.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "syn-fields.h"
#include "syn-json.h"
#include "syn-time.h"

G_DEFINE_QUARK (syn-core-error-quark, syn_core_error)

/* json-glib parses recursively: a hostile body of 100,000 '[' overflows the
 * stack. Nothing we accept nests deeper than a few levels, so refuse deep
 * documents before parsing them. */
static gboolean
check_depth (const char *text, gsize length, GError **error)
{
  gboolean in_string = FALSE;
  gboolean in_token = FALSE;   /* a bare top-level number or literal */
  gboolean closed = FALSE;     /* the top-level value has ended */
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            {
              in_string = FALSE;
              closed = depth == 0;
            }
          continue;
        }
      /* json-glib 1.6 reads a second top-level value after the first and
       * leaks what it built of it: "[5][...]" and "null[...]" cost memory on
       * every request */
      if (depth == 0)
        {
          if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            {
              closed = closed || in_token;
              in_token = FALSE;
              continue;
            }
          if (closed || (in_token && (c == '[' || c == '{' || c == '"')))
            {
              g_set_error_literal (error, SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_JSON,
                                   "Malformed JSON: more than one value at the top level");
              return FALSE;
            }
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > SYN_JSON_MAX_DEPTH)
            {
              g_set_error (error, SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_JSON,
                           "Malformed JSON: nested deeper than %u levels", SYN_JSON_MAX_DEPTH);
              return FALSE;
            }
        }
      else if ((c == ']' || c == '}') && depth > 0)
        closed = --depth == 0;
      else if (depth == 0)
        in_token = TRUE;
    }
  return TRUE;
}

static int
hex4 (const char *p)
{
  int value = 0;

  for (guint i = 0; i < 4; i++)
    {
      int d = g_ascii_xdigit_value (p[i]);

      if (d < 0)
        return -1;
      value = value * 16 + d;
    }
  return value;
}

/* json-glib turns "\u0000" into a NUL that silently cuts the string short
 * ("<uuid>\u0000junk" reads as the uuid) and a lone surrogate ("\ud800")
 * into bytes that are not UTF-8, which every later answer would carry: both
 * are refused. Valid surrogate pairs are fine. */
static gboolean
check_escapes (const char *text, gsize length, GError **error)
{
  gboolean in_string = FALSE;

  if (memchr (text, '\\', length) == NULL)
    return TRUE;
  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];
      int code;

      if (!in_string)
        {
          in_string = c == '"';
          continue;
        }
      if (c == '"')
        {
          in_string = FALSE;
          continue;
        }
      if (c != '\\' || i + 1 >= length)
        continue;
      i++;
      if (text[i] != 'u')
        continue;
      /* json-glib 1.6 leaks its token on a bad \u escape: refused here */
      if (i + 4 >= length || (code = hex4 (text + i + 1)) < 0)
        {
          g_set_error_literal (error, SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_JSON,
                               "Malformed JSON: \\u not followed by four hexadecimal digits");
          return FALSE;
        }
      i += 4;
      if (code == 0)
        {
          g_set_error_literal (error, SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_JSON,
                               "Malformed JSON: \\u0000 (a NUL character) in a string");
          return FALSE;
        }
      if (code >= 0xDC00 && code <= 0xDFFF)
        goto lone;
      if (code >= 0xD800 && code <= 0xDBFF)
        {
          int low = i + 6 < length && text[i + 1] == '\\' && text[i + 2] == 'u' ? hex4 (text + i + 3) : -1;

          if (low < 0xDC00 || low > 0xDFFF)
            goto lone;
          i += 6;
        }
    }
  return TRUE;

lone:
  g_set_error_literal (error, SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_JSON,
                       "Malformed JSON: a lone UTF-16 surrogate (\\uD800-\\uDFFF) in a string is not UTF-8");
  return FALSE;
}

JsonNode *
syn_json_parse (const char *text, gssize length, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  if (length < 0)
    length = (gssize) strlen (text);
  if (!g_utf8_validate_len (text, (gsize) length, NULL))
    {
      g_set_error_literal (error, SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_JSON,
                           "Malformed JSON: the text is not valid UTF-8");
      return NULL;
    }
  if (!check_depth (text, (gsize) length, error) || !check_escapes (text, (gsize) length, error))
    return NULL;
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

/* ------------------------------------------------------------------------- */
/* A fast parser for trusted text                                            */

typedef struct
{
  const char *p;
  const char *end;
  guint       depth;
} Scan;

static JsonNode *scan_value (Scan *s);

static void
scan_blanks (Scan *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t'))
    s->p++;
}

static int
hex_digit (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
scan_hex4 (Scan *s, gunichar *out)
{
  gunichar v = 0;

  if (s->end - s->p < 4)
    return FALSE;
  for (int i = 0; i < 4; i++)
    {
      int d = hex_digit (s->p[i]);

      if (d < 0)
        return FALSE;
      v = (v << 4) | (gunichar) d;
    }
  s->p += 4;
  *out = v;
  return TRUE;
}

/* A string (the opening quote read); NULL on an error. */
static char *
scan_string (Scan *s)
{
  const char *start = s->p;
  GString *out = NULL;

  /* the common case: no escape, copied at once */
  while (s->p < s->end && *s->p != '"' && *s->p != '\\' && (guchar) *s->p >= 0x20)
    s->p++;
  if (s->p < s->end && *s->p == '"')
    {
      char *text = g_strndup (start, s->p - start);

      s->p++;
      return text;
    }
  out = g_string_new_len (start, s->p - start);
  while (s->p < s->end)
    {
      char c = *s->p++;

      if (c == '"')
        return g_string_free (out, FALSE);
      if ((guchar) c < 0x20)
        break;
      if (c != '\\')
        {
          g_string_append_c (out, c);
          continue;
        }
      if (s->p >= s->end)
        break;
      switch (c = *s->p++)
        {
        case '"': case '\\': case '/': g_string_append_c (out, c); break;
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          {
            gunichar u, low;

            if (!scan_hex4 (s, &u) || u == 0)
              goto fail;
            if (u >= 0xD800 && u <= 0xDBFF)
              {
                if (s->end - s->p < 6 || s->p[0] != '\\' || s->p[1] != 'u')
                  goto fail;
                s->p += 2;
                if (!scan_hex4 (s, &low) || low < 0xDC00 || low > 0xDFFF)
                  goto fail;
                u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
              }
            else if (u >= 0xDC00 && u <= 0xDFFF)
              goto fail;
            g_string_append_unichar (out, u);
            break;
          }
        default:
          goto fail;
        }
    }
fail:
  g_string_free (out, TRUE);
  return NULL;
}

static JsonNode *
scan_number (Scan *s)
{
  const char *start = s->p;
  gboolean integral = TRUE;
  char buf[64];

  if (s->p < s->end && *s->p == '-')
    s->p++;
  if (s->p >= s->end || !g_ascii_isdigit (*s->p))
    return NULL;
  while (s->p < s->end && g_ascii_isdigit (*s->p))
    s->p++;
  if (s->p < s->end && *s->p == '.')
    {
      integral = FALSE;
      s->p++;
      if (s->p >= s->end || !g_ascii_isdigit (*s->p))
        return NULL;
      while (s->p < s->end && g_ascii_isdigit (*s->p))
        s->p++;
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      integral = FALSE;
      s->p++;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (s->p >= s->end || !g_ascii_isdigit (*s->p))
        return NULL;
      while (s->p < s->end && g_ascii_isdigit (*s->p))
        s->p++;
    }
  if ((gsize) (s->p - start) >= sizeof buf)
    return NULL;
  memcpy (buf, start, s->p - start);
  buf[s->p - start] = '\0';
  if (integral)
    {
      char *end;
      gint64 v;

      errno = 0;
      v = g_ascii_strtoll (buf, &end, 10);
      if (errno == 0 && *end == '\0')
        return json_node_init_int (json_node_alloc (), v);
    }
  return json_node_init_double (json_node_alloc (), g_ascii_strtod (buf, NULL));
}

static gboolean
scan_word (Scan *s, const char *word)
{
  gsize n = strlen (word);

  if ((gsize) (s->end - s->p) < n || memcmp (s->p, word, n) != 0)
    return FALSE;
  s->p += n;
  return TRUE;
}

static JsonNode *
scan_value (Scan *s)
{
  scan_blanks (s);
  if (s->p >= s->end || ++s->depth > 256)
    return NULL;
  switch (*s->p)
    {
    case '{':
      {
        JsonObject *object = json_object_new ();

        s->p++;
        scan_blanks (s);
        if (s->p < s->end && *s->p == '}')
          {
            JsonNode *node = json_node_init_object (json_node_alloc (), object);

            json_object_unref (object);
            s->p++;
            s->depth--;
            return node;
          }
        for (;;)
          {
            g_autofree char *key = NULL;
            JsonNode *member;

            scan_blanks (s);
            if (s->p >= s->end || *s->p != '"')
              break;
            s->p++;
            if (!(key = scan_string (s)))
              break;
            scan_blanks (s);
            if (s->p >= s->end || *s->p != ':')
              break;
            s->p++;
            if (!(member = scan_value (s)))
              break;
            /* trusted text has no duplicate member (ours never do): the
             * last one would win, as in JsonParser */
            json_object_set_member (object, key, member);
            scan_blanks (s);
            if (s->p < s->end && *s->p == ',')
              {
                s->p++;
                continue;
              }
            if (s->p < s->end && *s->p == '}')
              {
                JsonNode *node = json_node_alloc ();

                s->p++;
                s->depth--;
                json_node_init_object (node, object);
                json_object_unref (object);
                return node;
              }
            break;
          }
        json_object_unref (object);
        return NULL;
      }
    case '[':
      {
        JsonArray *array = json_array_new ();

        s->p++;
        scan_blanks (s);
        if (s->p < s->end && *s->p == ']')
          {
            JsonNode *node = json_node_alloc ();

            s->p++;
            s->depth--;
            json_node_init_array (node, array);
            json_array_unref (array);
            return node;
          }
        for (;;)
          {
            JsonNode *element = scan_value (s);

            if (element == NULL)
              break;
            json_array_add_element (array, element);
            scan_blanks (s);
            if (s->p < s->end && *s->p == ',')
              {
                s->p++;
                continue;
              }
            if (s->p < s->end && *s->p == ']')
              {
                JsonNode *node = json_node_alloc ();

                s->p++;
                s->depth--;
                json_node_init_array (node, array);
                json_array_unref (array);
                return node;
              }
            break;
          }
        json_array_unref (array);
        return NULL;
      }
    case '"':
      {
        char *text;
        JsonNode *node;

        s->p++;
        if (!(text = scan_string (s)))
          return NULL;
        node = json_node_init_string (json_node_alloc (), text);
        g_free (text);
        s->depth--;
        return node;
      }
    case 't':
      s->depth--;
      return scan_word (s, "true") ? json_node_init_boolean (json_node_alloc (), TRUE) : NULL;
    case 'f':
      s->depth--;
      return scan_word (s, "false") ? json_node_init_boolean (json_node_alloc (), FALSE) : NULL;
    case 'n':
      s->depth--;
      return scan_word (s, "null") ? json_node_init_null (json_node_alloc ()) : NULL;
    default:
      s->depth--;
      return scan_number (s);
    }
}

JsonNode *
syn_json_parse_trusted (const char *text, gsize length)
{
  Scan s = { text, text + length, 0 };
  JsonNode *node;

  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate_len (text, length, NULL) || !(node = scan_value (&s)))
    return NULL;
  scan_blanks (&s);
  if (s.p != s.end)
    {
      json_node_unref (node);
      return NULL;
    }
  return node;
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

/* Not json_to_string(): json-glib 1.6 writes 1e308 as "1e+308.0", which
 * no parser reads back (an asset with such a property would break every
 * answer that shows it). */
char *
syn_json_to_string (JsonNode *node)
{
  if (node == NULL)
    return g_strdup ("null");
  return syn_json_to_string_fast (node);
}

char *
syn_json_object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = NULL;

  if (object == NULL || json_object_get_size (object) == 0)
    return g_strdup ("{}");
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, object);
  return syn_json_to_string_fast (node);
}

typedef struct
{
  const char *name;
  JsonNode   *value;
} Member;

static int
compare_members (const void *a, const void *b)
{
  return strcmp (((const Member *) a)->name, ((const Member *) b)->name);
}

static void
append_string_literal (GString *out, const char *s)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) s; *p; p++)
    {
      const guchar *run = p;

      /* a run of characters that need no escape, at once */
      while (*p >= 0x20 && *p != '"' && *p != '\\')
        p++;
      if (p > run)
        g_string_append_len (out, (const char *) run, p - run);
      if (*p == '\0')
        break;
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

void
syn_json_canonical_append_string (GString *out, const char *s)
{
  if (s == NULL)
    g_string_append (out, "null");
  else
    append_string_literal (out, s);
}

static void
append_canonical_double (GString *out, double d)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isfinite (d) && d == floor (d) && fabs (d) < 1e15)
    g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) d);
  else if (!isfinite (d))
    g_string_append (out, "null");
  else
    {
      /* the shortest form that reads back as the same double */
      static const char * const formats[] = { "%.15g", "%.16g", "%.17g" };

      for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
        {
          g_ascii_formatd (buf, sizeof buf, formats[f], d);
          if (g_ascii_strtod (buf, NULL) == d)
            break;
        }
      g_string_append (out, buf);
    }
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
        /* members and their values in one pass, sorted on the stack when
         * few: every event's hash goes through here (issue 15) */
        JsonObject *object = json_node_get_object (node);
        guint n = json_object_get_size (object);
        Member stack[32];
        g_autofree Member *heap = n > G_N_ELEMENTS (stack) ? g_new (Member, n) : NULL;
        Member *members = heap ? heap : stack;
        JsonObjectIter iter;
        const char *name;
        JsonNode *value;
        guint i = 0;

        json_object_iter_init (&iter, object);
        while (i < n && json_object_iter_next (&iter, &name, &value))
          members[i++] = (Member) { name, value };
        qsort (members, i, sizeof (Member), compare_members);
        g_string_append_c (out, '{');
        for (guint j = 0; j < i; j++)
          {
            if (j > 0)
              g_string_append_c (out, ',');
            append_string_literal (out, members[j].name);
            g_string_append_c (out, ':');
            syn_json_canonical_append (out, members[j].value);
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
          append_canonical_double (out, json_node_get_double (node));
          break;
        default:
          g_string_append (out, "null");
        }
      break;
    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
    }
}

/* Compact JSON in member order, for storage: json_to_string() builds a
 * generator object per call, which dominates when writing many events. */
void
syn_json_compact_append (GString *out, JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      g_string_append (out, "null");
      return;
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;
      gboolean first = TRUE;

      g_string_append_c (out, '{');
      json_object_iter_init_ordered (&iter, json_node_get_object (node));
      while (json_object_iter_next_ordered (&iter, &name, &member))
        {
          if (!first)
            g_string_append_c (out, ',');
          first = FALSE;
          append_string_literal (out, name);
          g_string_append_c (out, ':');
          syn_json_compact_append (out, member);
        }
      g_string_append_c (out, '}');
      return;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      g_string_append_c (out, '[');
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          syn_json_compact_append (out, json_array_get_element (array, i));
        }
      g_string_append_c (out, ']');
      return;
    }
  /* scalars are written as in the canonical form */
  syn_json_canonical_append (out, node);
}

char *
syn_json_to_string_fast (JsonNode *node)
{
  GString *out = g_string_sized_new (128);

  syn_json_compact_append (out, node);
  return g_string_free (out, FALSE);
}

static void
pretty_append (GString *out, JsonNode *node, guint depth)
{
  gboolean first = TRUE;

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node) && json_object_get_size (json_node_get_object (node)) > 0)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      g_string_append_c (out, '{');
      json_object_iter_init_ordered (&iter, json_node_get_object (node));
      while (json_object_iter_next_ordered (&iter, &name, &member))
        {
          g_string_append (out, first ? "\n" : ",\n");
          first = FALSE;
          g_string_append_printf (out, "%*s", (int) (depth + 1) * 2, "");
          append_string_literal (out, name);
          g_string_append (out, ": ");
          pretty_append (out, member, depth + 1);
        }
      g_string_append_printf (out, "\n%*s}", (int) depth * 2, "");
    }
  else if (node != NULL && JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) > 0)
    {
      JsonArray *array = json_node_get_array (node);

      g_string_append_c (out, '[');
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_string_append (out, i > 0 ? ",\n" : "\n");
          g_string_append_printf (out, "%*s", (int) (depth + 1) * 2, "");
          pretty_append (out, json_array_get_element (array, i), depth + 1);
        }
      g_string_append_printf (out, "\n%*s]", (int) depth * 2, "");
    }
  else
    syn_json_compact_append (out, node);
}

/* Indented by two, for people: json-glib 1.6's generator writes 1e308 as
 * "1e+308.0", which is not JSON, so the command line uses this one. */
char *
syn_json_to_string_pretty (JsonNode *node)
{
  GString *out = g_string_sized_new (256);

  pretty_append (out, node, 0);
  return g_string_free (out, FALSE);
}

static void
pretty_break (GString *out, guint depth)
{
  g_string_append_c (out, '\n');
  for (guint i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

/* pretty_append()'s layout laid over compact text: a big answer (the state
 * as of a moment) is printed without a tree of it (issue 15). */
char *
syn_json_text_pretty (const char *compact)
{
  GString *out;
  guint depth = 0;

  g_return_val_if_fail (compact != NULL, NULL);

  out = g_string_sized_new (strlen (compact) + strlen (compact) / 4);
  for (const char *p = compact; *p; p++)
    switch (*p)
      {
      case '"':
        /* a string as it is, escapes included */
        g_string_append_c (out, '"');
        for (p++; *p && *p != '"'; p++)
          {
            if (*p == '\\' && p[1])
              g_string_append_c (out, *p++);
            g_string_append_c (out, *p);
          }
        if (*p == '\0')
          return g_string_free (out, FALSE);
        g_string_append_c (out, '"');
        break;
      case '{':
      case '[':
        g_string_append_c (out, *p);
        /* empty ones stay as they are */
        if (p[1] == (*p == '{' ? '}' : ']'))
          g_string_append_c (out, *++p);
        else
          pretty_break (out, ++depth);
        break;
      case '}':
      case ']':
        pretty_break (out, depth > 0 ? --depth : 0);
        g_string_append_c (out, *p);
        break;
      case ',':
        g_string_append_c (out, ',');
        pretty_break (out, depth);
        break;
      case ':':
        g_string_append (out, ": ");
        break;
      default:
        g_string_append_c (out, *p);
      }
  return g_string_free (out, FALSE);
}

/* syn_json_text_canonical()'s reader: @p..@end, one value at a time. */
typedef struct
{
  const char *key;
  gsize       key_len;
  gsize       value;        /* its canonical text in the scratch string */
  gsize       value_len;
} TextMember;

static const char *
blanks_skipped (const char *p, const char *end)
{
  while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
    p++;
  return p;
}

static int
compare_text_members (const void *a, const void *b)
{
  const TextMember *x = a, *y = b;
  int c = memcmp (x->key, y->key, MIN (x->key_len, y->key_len));

  return c != 0 ? c : (x->key_len > y->key_len) - (x->key_len < y->key_len);
}

/* The end of the string literal at @p (its opening quote), or NULL. */
static const char *
string_end (const char *p, const char *end)
{
  for (p++; p < end; p++)
    if (*p == '\\')
      p++;
    else if (*p == '"')
      return p + 1;
  return NULL;
}

static const char *canonical_text_value (GString *out, const char *p, const char *end);

static const char *
canonical_text_object (GString *out, const char *p, const char *end)
{
  g_autoptr(GArray) members = g_array_new (FALSE, FALSE, sizeof (TextMember));
  g_autoptr(GString) scratch = g_string_new (NULL);

  p = blanks_skipped (p + 1, end);
  while (p < end && *p != '}')
    {
      TextMember m;
      const char *key_end;

      if (members->len > 0)
        {
          if (*p != ',')
            return NULL;
          p = blanks_skipped (p + 1, end);
        }
      if (p >= end || *p != '"' || !(key_end = string_end (p, end)))
        return NULL;
      m.key = p + 1;
      m.key_len = (gsize) (key_end - p - 2);
      /* an escaped key sorts by what it means, not by its text */
      if (memchr (m.key, '\\', m.key_len) != NULL)
        return NULL;
      p = blanks_skipped (key_end, end);
      if (p >= end || *p != ':')
        return NULL;
      m.value = scratch->len;
      if (!(p = canonical_text_value (scratch, blanks_skipped (p + 1, end), end)))
        return NULL;
      m.value_len = scratch->len - m.value;
      g_array_append_val (members, m);
      p = blanks_skipped (p, end);
    }
  if (p >= end)
    return NULL;
  g_array_sort (members, compare_text_members);
  g_string_append_c (out, '{');
  for (guint i = 0; i < members->len; i++)
    {
      TextMember *m = &g_array_index (members, TextMember, i);

      if (i > 0)
        {
          if (compare_text_members (m, m - 1) == 0)
            return NULL;     /* a key twice */
          g_string_append_c (out, ',');
        }
      g_string_append_c (out, '"');
      g_string_append_len (out, m->key, (gssize) m->key_len);
      g_string_append (out, "\":");
      g_string_append_len (out, scratch->str + m->value, (gssize) m->value_len);
    }
  g_string_append_c (out, '}');
  return p + 1;
}

static const char *
canonical_text_value (GString *out, const char *p, const char *end)
{
  const char *q;

  if (p >= end)
    return NULL;
  switch (*p)
    {
    case '{':
      return canonical_text_object (out, p, end);
    case '[':
      g_string_append_c (out, '[');
      p = blanks_skipped (p + 1, end);
      for (guint i = 0; p < end && *p != ']'; i++)
        {
          if (i > 0)
            {
              if (*p != ',')
                return NULL;
              g_string_append_c (out, ',');
              p = blanks_skipped (p + 1, end);
            }
          if (!(p = canonical_text_value (out, p, end)))
            return NULL;
          p = blanks_skipped (p, end);
        }
      if (p >= end)
        return NULL;
      g_string_append_c (out, ']');
      return p + 1;
    case '"':
      /* jsonb escapes as append_string_literal() does; any other escape
       * is read by parsing */
      if (!(q = string_end (p, end)))
        return NULL;
      for (const char *e = memchr (p, '\\', (gsize) (q - p)); e != NULL && e < q;
           e = memchr (e, '\\', (gsize) (q - e)))
        {
          if (e[1] == 'u' && q - e > 6 && e[2] == '0' && e[3] == '0' && (e[4] == '0' || e[4] == '1') &&
              (g_ascii_isdigit (e[5]) || (e[5] >= 'a' && e[5] <= 'f')) &&
              strchr ("\b\f\n\r\t", (e[4] - '0') * 16 + g_ascii_xdigit_value (e[5])) == NULL)
            e += 6;
          else if (e[1] != '\0' && strchr ("\"\\nrtbf", e[1]) != NULL)
            e += 2;
          else
            return NULL;
        }
      g_string_append_len (out, p, q - p);
      return q;
    case 't':
    case 'f':
    case 'n':
      for (q = p; q < end && g_ascii_isalpha (*q); q++)
        ;
      if (!((q - p == 4 && (memcmp (p, "true", 4) == 0 || memcmp (p, "null", 4) == 0)) ||
            (q - p == 5 && memcmp (p, "false", 5) == 0)))
        return NULL;
      g_string_append_len (out, p, q - p);
      return q;
    default:
      {
        gboolean integer = TRUE;
        guint digits = 0;
        g_autofree char *number = NULL;
        char *number_end;
        double d;

        for (q = p; q < end && (g_ascii_isdigit (*q) || strchr ("+-.eE", *q) != NULL); q++)
          if (g_ascii_isdigit (*q))
            digits++;
          else if (*q != '-' || q != p)
            integer = FALSE;
        if (digits == 0)
          return NULL;
        if (integer)
          {
            /* 15 digits are an integer either way; more might have been
             * a double written with an exponent */
            if (digits > 15 || (p[0] == '-' && p[1] == '0'))
              return NULL;
            g_string_append_len (out, p, q - p);
            return q;
          }
        number = g_strndup (p, (gsize) (q - p));
        d = g_ascii_strtod (number, &number_end);
        if (*number_end != '\0')
          return NULL;
        append_canonical_double (out, d);
        return q;
      }
    }
}

char *
syn_json_text_canonical (const char *text, gsize length)
{
  GString *out;
  const char *end = text + length;
  const char *p;

  g_return_val_if_fail (text != NULL, NULL);

  out = g_string_sized_new (length);
  p = canonical_text_value (out, blanks_skipped (text, end), end);
  if (p == NULL || blanks_skipped (p, end) != end)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

char *
syn_json_canonical (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  syn_json_canonical_append (out, node);
  return g_string_free (out, FALSE);
}

/* Structural equality with the canonical form's number rule (3 == 3.0):
 * compared in place, without serialising either side. */
gboolean
syn_json_node_equal (JsonNode *a, JsonNode *b)
{
  gboolean a_null = a == NULL || JSON_NODE_HOLDS_NULL (a);
  gboolean b_null = b == NULL || JSON_NODE_HOLDS_NULL (b);

  if (a_null || b_null)
    return a_null == b_null;
  if (json_node_get_node_type (a) != json_node_get_node_type (b))
    return FALSE;

  switch (json_node_get_node_type (a))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *oa = json_node_get_object (a);
        JsonObject *ob = json_node_get_object (b);
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        if (json_object_get_size (oa) != json_object_get_size (ob))
          return FALSE;
        json_object_iter_init (&iter, oa);
        while (json_object_iter_next (&iter, &name, &member))
          {
            JsonNode *other = json_object_get_member (ob, name);

            if (other == NULL || !syn_json_node_equal (member, other))
              return FALSE;
          }
        return TRUE;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *xa = json_node_get_array (a);
        JsonArray *xb = json_node_get_array (b);

        if (json_array_get_length (xa) != json_array_get_length (xb))
          return FALSE;
        for (guint i = 0; i < json_array_get_length (xa); i++)
          if (!syn_json_node_equal (json_array_get_element (xa, i), json_array_get_element (xb, i)))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_VALUE:
      {
        GType ta = json_node_get_value_type (a);
        GType tb = json_node_get_value_type (b);
        gboolean na = ta == G_TYPE_INT64 || ta == G_TYPE_DOUBLE;
        gboolean nb = tb == G_TYPE_INT64 || tb == G_TYPE_DOUBLE;

        if (na && nb)
          {
            if (ta == G_TYPE_INT64 && tb == G_TYPE_INT64)
              return json_node_get_int (a) == json_node_get_int (b);
            return json_node_get_double (a) == json_node_get_double (b);
          }
        if (ta != tb)
          return FALSE;
        if (ta == G_TYPE_STRING)
          return g_strcmp0 (json_node_get_string (a), json_node_get_string (b)) == 0;
        if (ta == G_TYPE_BOOLEAN)
          return json_node_get_boolean (a) == json_node_get_boolean (b);
        return FALSE;
      }
    case JSON_NODE_NULL:
    default:
      return TRUE;
    }
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

gboolean
syn_json_get_optional_object (JsonObject  *object,
                              const char  *member,
                              JsonObject **out,
                              GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_FIELD,
                   "Field \"%s\" must be an object", member);
      return FALSE;
    }
  *out = syn_json_object_copy (json_node_get_object (node));
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

/* ------------------------------------------------------------------------- */
/* The fields of the domain types                                          */

/* The plain members of a domain type, by table: read, written and copied
 * in the table's order, so that asset, cable and edge say it once each. */
static gpointer
slot (gconstpointer instance, const SynField *field)
{
  return G_STRUCT_MEMBER_P ((gpointer) instance, field->offset);
}

gboolean
syn_fields_from_json (gpointer instance, const SynField *fields, JsonObject *object, GError **error)
{
  for (const SynField *f = fields; f->name != NULL; f++)
    switch (f->kind)
      {
      case SYN_FIELD_STRING:
      case SYN_FIELD_REQUIRED_STRING:
        if (!syn_json_read_string (object, f->name, f->kind == SYN_FIELD_REQUIRED_STRING, slot (instance, f), error))
          return FALSE;
        break;
      case SYN_FIELD_DOUBLE:
        if (!syn_json_get_optional_double (object, f->name, slot (instance, f), error))
          return FALSE;
        break;
      case SYN_FIELD_OBJECT:
        {
          JsonObject *value = NULL;
          JsonObject **out = slot (instance, f);

          if (!syn_json_get_optional_object (object, f->name, &value, error))
            return FALSE;
          if (value != NULL)
            {
              g_clear_pointer (out, json_object_unref);
              *out = value;
            }
        }
        break;
      case SYN_FIELD_OPTIONAL_OBJECT:
        {
          JsonObject **out = slot (instance, f);

          g_clear_pointer (out, json_object_unref);
          if (!syn_json_get_optional_object (object, f->name, out, error))
            return FALSE;
        }
        break;
      case SYN_FIELD_INT:
        if (!syn_json_read_int (object, f->name, slot (instance, f), error))
          return FALSE;
        break;
      case SYN_FIELD_BOOLEAN:
        if (!syn_json_read_boolean (object, f->name, slot (instance, f), error))
          return FALSE;
        break;
      case SYN_FIELD_TIME:
        if (!syn_json_read_time (object, f->name, slot (instance, f), error))
          return FALSE;
        break;
      case SYN_FIELD_NODE:
        g_clear_pointer ((JsonNode **) slot (instance, f), json_node_unref);
        *(JsonNode **) slot (instance, f) = syn_json_dup_member (object, f->name);
        break;
      default:
        g_assert_not_reached ();
      }
  return TRUE;
}

JsonObject *
syn_fields_to_json (gconstpointer instance, const SynField *fields)
{
  JsonObject *object = json_object_new ();

  for (const SynField *f = fields; f->name != NULL; f++)
    switch (f->kind)
      {
      case SYN_FIELD_STRING:
      case SYN_FIELD_REQUIRED_STRING:
        syn_json_set_string_or_null (object, f->name, *(char **) slot (instance, f));
        break;
      case SYN_FIELD_DOUBLE:
        syn_json_set_double_or_null (object, f->name, *(double *) slot (instance, f));
        break;
      case SYN_FIELD_OBJECT:
        json_object_set_object_member (object, f->name, syn_json_object_copy (*(JsonObject **) slot (instance, f)));
        break;
      case SYN_FIELD_OPTIONAL_OBJECT:
        /* absent rather than null: only what has one says so */
        if (*(JsonObject **) slot (instance, f) != NULL)
          json_object_set_object_member (object, f->name, syn_json_object_copy (*(JsonObject **) slot (instance, f)));
        break;
      case SYN_FIELD_INT:
        json_object_set_int_member (object, f->name, *(gint64 *) slot (instance, f));
        break;
      case SYN_FIELD_BOOLEAN:
        json_object_set_boolean_member (object, f->name, *(gboolean *) slot (instance, f));
        break;
      case SYN_FIELD_TIME:
        syn_json_set_time_or_null (object, f->name, *(gint64 *) slot (instance, f));
        break;
      case SYN_FIELD_NODE:
        syn_json_set_copy_or_null (object, f->name, *(JsonNode **) slot (instance, f));
        break;
      default:
        g_assert_not_reached ();
      }
  return object;
}

void
syn_fields_clear (gpointer instance, const SynField *fields)
{
  for (const SynField *f = fields; f->name != NULL; f++)
    if (f->kind == SYN_FIELD_STRING || f->kind == SYN_FIELD_REQUIRED_STRING)
      g_clear_pointer ((char **) slot (instance, f), g_free);
    else if (f->kind == SYN_FIELD_OBJECT || f->kind == SYN_FIELD_OPTIONAL_OBJECT)
      g_clear_pointer ((JsonObject **) slot (instance, f), json_object_unref);
    else if (f->kind == SYN_FIELD_NODE)
      g_clear_pointer ((JsonNode **) slot (instance, f), json_node_unref);
}

void
syn_fields_copy (gpointer dest, gconstpointer src, const SynField *fields)
{
  for (const SynField *f = fields; f->name != NULL; f++)
    switch (f->kind)
      {
      case SYN_FIELD_STRING:
      case SYN_FIELD_REQUIRED_STRING:
        g_free (*(char **) slot (dest, f));
        *(char **) slot (dest, f) = g_strdup (*(char **) slot (src, f));
        break;
      case SYN_FIELD_DOUBLE:
        *(double *) slot (dest, f) = *(double *) slot (src, f);
        break;
      case SYN_FIELD_OBJECT:
      case SYN_FIELD_OPTIONAL_OBJECT:
        {
          JsonObject *value = *(JsonObject **) slot (src, f);

          g_clear_pointer ((JsonObject **) slot (dest, f), json_object_unref);
          if (value != NULL)
            *(JsonObject **) slot (dest, f) = syn_json_object_copy (value);
        }
        break;
      case SYN_FIELD_INT:
      case SYN_FIELD_TIME:
        *(gint64 *) slot (dest, f) = *(gint64 *) slot (src, f);
        break;
      case SYN_FIELD_BOOLEAN:
        *(gboolean *) slot (dest, f) = *(gboolean *) slot (src, f);
        break;
      case SYN_FIELD_NODE:
        g_clear_pointer ((JsonNode **) slot (dest, f), json_node_unref);
        *(JsonNode **) slot (dest, f) = syn_json_node_deep_copy (*(JsonNode **) slot (src, f));
        break;
      default:
        g_assert_not_reached ();
      }
}

gboolean
syn_json_read_string (JsonObject *object, const char *member, gboolean required, char **out, GError **error)
{
  JsonNode *node = json_object_get_member (object, member);
  const char *s;

  if (required && (node == NULL || JSON_NODE_HOLDS_NULL (node)))
    {
      g_set_error (error, SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_FIELD, "Missing required field \"%s\"", member);
      return FALSE;
    }
  if (!syn_json_get_optional_string (object, member, &s, error))
    return FALSE;
  if (s != NULL)
    *out = g_strdup (s);
  return TRUE;
}

/* @out: the member when it has a value of @type; NULL when absent or null. */
static gboolean
typed_member (JsonObject *object, const char *member, GType type, const char *expected,
              JsonNode **out, GError **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (json_node_get_value_type (node) != type)
    {
      g_set_error (error, SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_FIELD, "Field \"%s\" must be %s", member, expected);
      return FALSE;
    }
  *out = node;
  return TRUE;
}

gboolean
syn_json_read_int (JsonObject *object, const char *member, gint64 *out, GError **error)
{
  JsonNode *node;

  if (!typed_member (object, member, G_TYPE_INT64, "an integer", &node, error))
    return FALSE;
  if (node != NULL)
    *out = json_node_get_int (node);
  return TRUE;
}

gboolean
syn_json_read_boolean (JsonObject *object, const char *member, gboolean *out, GError **error)
{
  JsonNode *node;

  if (!typed_member (object, member, G_TYPE_BOOLEAN, "true or false", &node, error))
    return FALSE;
  if (node != NULL)
    *out = json_node_get_boolean (node);
  return TRUE;
}

/* An ISO 8601 text, as microseconds since the epoch. */
gboolean
syn_json_read_time (JsonObject *object, const char *member, gint64 *out, GError **error)
{
  const char *s;

  if (!syn_json_get_optional_string (object, member, &s, error))
    return FALSE;
  return s == NULL || syn_time_parse_iso8601 (s, FALSE, out, error);
}

/* A copy of the member's value; NULL when it is absent or null. */
JsonNode *
syn_json_dup_member (JsonObject *object, const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return syn_json_node_deep_copy (node);
}

/* ISO 8601 with offset; 0 ("not set") is null. */
void
syn_json_set_time_or_null (JsonObject *object, const char *member, gint64 usec)
{
  g_autofree char *text = NULL;

  if (usec == 0)
    {
      json_object_set_null_member (object, member);
      return;
    }
  text = syn_time_to_iso8601 (usec);
  json_object_set_string_member (object, member, text);
}

void
syn_json_set_copy_or_null (JsonObject *object, const char *member, JsonNode *node)
{
  json_object_set_member (object, member, node ? syn_json_node_deep_copy (node) : json_node_new (JSON_NODE_NULL));
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

/* Version 7 UUIDs (RFC 9562): a millisecond timestamp, then a counter within
 * the millisecond, then random bits. New ids sort after older ones, so the
 * indexes on ids grow at their right edge instead of being written all over. */
char *
syn_uuid_new (void)
{
  static GMutex lock;
  static gint64 last_ms;
  static guint counter;
  guint8 b[16];
  gint64 ms = g_get_real_time () / 1000;
  guint seq;

  g_mutex_lock (&lock);
  if (ms <= last_ms)
    {
      ms = last_ms;
      if (++counter > 0xfff)
        {
          /* 4096 ids in one millisecond: borrow the next one */
          ms = ++last_ms;
          counter = 0;
        }
    }
  else
    {
      last_ms = ms;
      counter = g_random_int_range (0, 0x400);
    }
  seq = counter;
  g_mutex_unlock (&lock);

  for (guint i = 0; i < 6; i++)
    b[i] = (guint8) (ms >> (8 * (5 - i)));
  b[6] = 0x70 | ((seq >> 8) & 0x0f);
  b[7] = seq & 0xff;
  for (guint i = 8; i < 16; i += 4)
    {
      guint32 r = g_random_int ();
      memcpy (b + i, &r, 4);
    }
  b[8] = 0x80 | (b[8] & 0x3f);

  /* formatted by hand: printf is most of the cost when ids are made by the million */
  {
    static const char hex[] = "0123456789abcdef";
    char *out = g_malloc (37);
    guint o = 0;

    for (guint i = 0; i < 16; i++)
      {
        if (i == 4 || i == 6 || i == 8 || i == 10)
          out[o++] = '-';
        out[o++] = hex[b[i] >> 4];
        out[o++] = hex[b[i] & 0x0f];
      }
    out[o] = '\0';
    return out;
  }
}

/* ------------------------------------------------------------------------- */
/* The schema of a field table                                               */

static JsonObject *
type_schema (const char *type, gboolean nullable)
{
  JsonObject *o = json_object_new ();

  if (nullable)
    {
      JsonArray *types = json_array_new ();

      json_array_add_string_element (types, type);
      json_array_add_string_element (types, "null");
      json_object_set_array_member (o, "type", types);
    }
  else
    json_object_set_string_member (o, "type", type);
  return o;
}

JsonObject *
syn_fields_schema (const SynField *fields)
{
  JsonObject *schema = json_object_new ();
  JsonObject *properties = json_object_new ();
  JsonArray *required = json_array_new ();

  g_return_val_if_fail (fields != NULL, schema);

  for (const SynField *f = fields; f->name != NULL; f++)
    {
      JsonObject *p = NULL;

      switch (f->kind)
        {
        case SYN_FIELD_REQUIRED_STRING:
          p = type_schema ("string", FALSE);
          json_array_add_string_element (required, f->name);
          break;
        case SYN_FIELD_STRING:
          p = type_schema ("string", TRUE);
          break;
        case SYN_FIELD_DOUBLE:
          p = type_schema ("number", TRUE);
          break;
        case SYN_FIELD_OBJECT:
        case SYN_FIELD_OPTIONAL_OBJECT:
          p = type_schema ("object", FALSE);
          break;
        case SYN_FIELD_INT:
          p = type_schema ("integer", FALSE);
          break;
        case SYN_FIELD_BOOLEAN:
          p = type_schema ("boolean", FALSE);
          break;
        case SYN_FIELD_TIME:
          p = type_schema ("string", TRUE);
          json_object_set_string_member (p, "format", "date-time");
          break;
        case SYN_FIELD_NODE:
        default:
          /* any JSON value: no constraint */
          p = json_object_new ();
          break;
        }
      json_object_set_object_member (properties, f->name, p);
    }
  json_object_set_string_member (schema, "type", "object");
  json_object_set_object_member (schema, "properties", properties);
  json_object_set_array_member (schema, "required", required);
  return schema;
}
