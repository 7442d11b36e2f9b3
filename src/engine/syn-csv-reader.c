/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-csv-reader.c: a CSV parser that keeps physical line numbers, and the asset list mapping. */
#include "config.h"

#include <string.h>

#include "engine/syn-csv-reader.h"
#include "engine/syn-engine-error.h"

void
syn_csv_record_free (SynCsvRecord *record)
{
  if (record == NULL)
    return;
  g_clear_pointer (&record->fields, g_ptr_array_unref);
  g_free (record);
}

static gboolean
is_blank_char (char c)
{
  return c == ' ' || c == '\t';
}

/* Blank: nothing but white space, line breaks of a quoted value included. */
static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isspace (*p))
        return FALSE;
    }
  return TRUE;
}

typedef struct
{
  GPtrArray *records;    /* SynCsvRecord* */
  GPtrArray *fields;     /* char*, of the record being read */
  GString *field;        /* the field being read */
  gsize quoted_len;      /* leading bytes of field that trimming must keep */
  gboolean field_started;
  guint record_line;
} Parser;

static void
parser_clear (Parser *parser)
{
  g_clear_pointer (&parser->records, g_ptr_array_unref);
  g_clear_pointer (&parser->fields, g_ptr_array_unref);
  if (parser->field != NULL)
    g_string_free (g_steal_pointer (&parser->field), TRUE);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Parser, parser_clear)

static void
parser_end_field (Parser *parser)
{
  GString *field = parser->field;

  /* Blanks around an unquoted value are padding, inside quotes they are data. */
  while (field->len > parser->quoted_len && is_blank_char (field->str[field->len - 1]))
    g_string_truncate (field, field->len - 1);
  g_ptr_array_add (parser->fields, g_strndup (field->str, field->len));
  g_string_truncate (field, 0);
  parser->quoted_len = 0;
  parser->field_started = FALSE;
}

static void
parser_end_record (Parser *parser, guint next_line)
{
  gboolean blank = TRUE;

  for (guint i = 0; i < parser->fields->len && blank; i++)
    blank = is_blank (g_ptr_array_index (parser->fields, i));

  /* Spreadsheets pad with lines of bare commas; those are no records. */
  if (blank)
    {
      g_ptr_array_set_size (parser->fields, 0);
    }
  else
    {
      SynCsvRecord *record = g_new0 (SynCsvRecord, 1);

      record->line = parser->record_line;
      record->fields = g_steal_pointer (&parser->fields);
      g_ptr_array_add (parser->records, record);
      parser->fields = g_ptr_array_new_with_free_func (g_free);
    }
  parser->record_line = next_line;
}

/* The physical line of @pos, counting CRLF, LF and CR each as one break. */
static guint
line_at (const char *data, const char *pos)
{
  guint line = 1;

  /* p[1] is readable: p < pos, and pos points into the data. */
  for (const char *p = data; p < pos; p++)
    {
      if (*p == '\n' || (*p == '\r' && p[1] != '\n'))
        line++;
    }
  return line;
}

/* Excel writes a byte order mark in front of "CSV UTF-8" files. */
static void
skip_bom (const char **data, gsize *length)
{
  static const char bom[] = "\xEF\xBB\xBF";

  if (*length >= strlen (bom) && memcmp (*data, bom, strlen (bom)) == 0)
    {
      *data += strlen (bom);
      *length -= strlen (bom);
    }
}

/* The delimiter of the header: of comma, semicolon and tab, the one it holds
 * most often outside quotes (a comma when none: a one-column header). The
 * header is the first line with a character that is neither blank nor one of
 * these: spreadsheets pad with lines of bare delimiters. European spreadsheets
 * write semicolons (the comma is their decimal mark), databases tabs. */
char
syn_csv_detect_delimiter (const char *data, gsize length)
{
  static const char candidates[] = { ',', ';', '\t' };
  guint counts[G_N_ELEMENTS (candidates)] = { 0 };
  gboolean in_quotes = FALSE, content = FALSE;
  char best = ',';
  guint best_count = 0;

  if (data == NULL)
    return ',';
  skip_bom (&data, &length);
  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (c == '"')
        {
          in_quotes = !in_quotes;
          content = TRUE;
        }
      else if (in_quotes)
        continue;
      else if (c == '\n' || c == '\r')
        {
          if (content)
            break;
          memset (counts, 0, sizeof counts);
        }
      else if (memchr (candidates, c, sizeof candidates) != NULL)
        counts[(const char *) memchr (candidates, c, sizeof candidates) - candidates]++;
      else if (c != ' ')
        content = TRUE;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (candidates); i++)
    if (counts[i] > best_count)
      {
        best = candidates[i];
        best_count = counts[i];
      }
  return best;
}

/* The name of a delimiter, for messages: "a semicolon", "'|'". */
char *
syn_csv_delimiter_name (char delimiter)
{
  switch (delimiter)
    {
    case ',':
      return g_strdup ("a comma");
    case ';':
      return g_strdup ("a semicolon");
    case '\t':
      return g_strdup ("a tab");
    case ' ':
      return g_strdup ("a space");
    default:
      return g_strdup_printf ("'%c'", delimiter);
    }
}

GPtrArray *
syn_csv_parse (const char *data, gsize length, GError **error)
{
  return syn_csv_parse_with (data, length, syn_csv_detect_delimiter (data, length), error);
}

GPtrArray *
syn_csv_parse_with (const char *data, gsize length, char delimiter, GError **error)
{
  g_auto(Parser) parser = { 0 };
  const char *invalid;
  const char *p, *end;
  gboolean in_quotes = FALSE;
  guint line = 1;
  guint quote_line = 0;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_return_val_if_fail (delimiter == ',' || delimiter == ';' || delimiter == '\t', NULL);

  if (data == NULL)
    data = "";
  skip_bom (&data, &length);

  /* NUL bytes fail here too, which is right: no text file holds them. */
  if (!g_utf8_validate_len (data, length, &invalid))
    {
      g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID_CSV,
                   "Invalid UTF-8 on line %u", line_at (data, invalid));
      return NULL;
    }

  parser.records = g_ptr_array_new_with_free_func ((GDestroyNotify) syn_csv_record_free);
  parser.fields = g_ptr_array_new_with_free_func (g_free);
  parser.field = g_string_new (NULL);
  parser.record_line = 1;

  /* Every delimiter is ASCII, so walking bytes never splits a character. */
  p = data;
  end = data + length;
  while (p < end)
    {
      char c = *p;

      if (in_quotes)
        {
          if (c == '"' && p + 1 < end && p[1] == '"')
            {
              g_string_append_c (parser.field, '"');
              p += 2;
            }
          else if (c == '"')
            {
              in_quotes = FALSE;
              parser.quoted_len = parser.field->len;
              p++;
            }
          else if (c == '\r' || c == '\n')
            {
              /* A break inside a value is data, stored as one LF whatever
               * the file used, and still a physical line for numbering. */
              if (c == '\r' && p + 1 < end && p[1] == '\n')
                p++;
              g_string_append_c (parser.field, '\n');
              line++;
              p++;
            }
          else
            {
              g_string_append_c (parser.field, c);
              p++;
            }
        }
      else if (c == delimiter)
        {
          parser_end_field (&parser);
          p++;
        }
      else if (c == '\r' || c == '\n')
        {
          if (c == '\r' && p + 1 < end && p[1] == '\n')
            p++;
          p++;
          line++;
          parser_end_field (&parser);
          parser_end_record (&parser, line);
        }
      else if (c == '"' && !parser.field_started)
        {
          in_quotes = TRUE;
          quote_line = line;
          parser.field_started = TRUE;
          p++;
        }
      else if (is_blank_char (c) && !parser.field_started)
        {
          p++;
        }
      else
        {
          /* A quote inside an unquoted value is a literal: 6" LINE. */
          g_string_append_c (parser.field, c);
          parser.field_started = TRUE;
          p++;
        }
    }

  if (in_quotes)
    {
      g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID_CSV,
                   "Unterminated quoted field starting on line %u", quote_line);
      return NULL;
    }

  /* The last line need not end with a line break. */
  parser_end_field (&parser);
  parser_end_record (&parser, line);

  return g_steal_pointer (&parser.records);
}

void
syn_csv_issue_free (SynCsvIssue *issue)
{
  if (issue == NULL)
    return;
  g_free (issue->message);
  g_free (issue);
}

void
syn_csv_asset_list_free (SynCsvAssetList *list)
{
  if (list == NULL)
    return;
  g_clear_pointer (&list->assets, g_ptr_array_unref);
  g_clear_pointer (&list->lines, g_array_unref);
  g_clear_pointer (&list->issues, g_ptr_array_unref);
  g_clear_pointer (&list->tags, g_hash_table_unref);
  g_clear_pointer (&list->columns, g_strfreev);
  g_free (list);
}

typedef enum {
  COLUMN_PROPERTY,
  COLUMN_UNNAMED,
  COLUMN_TAG,
  COLUMN_TYPE,
  COLUMN_DESCRIPTION,
  COLUMN_AREA,
  COLUMN_DISCIPLINE,
} ColumnRole;

static const struct
{
  const char *name;
  ColumnRole role;
} named_columns[] = {
  { "TAG",         COLUMN_TAG },
  { "TYPE",        COLUMN_TYPE },
  { "DESCRIPTION", COLUMN_DESCRIPTION },
  { "AREA",        COLUMN_AREA },
  { "DISCIPLINE",  COLUMN_DISCIPLINE },
};

typedef struct
{
  ColumnRole role;
  const char *key; /* the lower-cased header; owned by the header table */
} Column;

G_GNUC_PRINTF (3, 4)
static void
add_issue (SynCsvAssetList *list, guint line, const char *format, ...)
{
  SynCsvIssue *issue = g_new0 (SynCsvIssue, 1);
  va_list args;

  va_start (args, format);
  issue->line = line;
  issue->message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (list->issues, issue);
}

/* Whether @header split at @c names both TAG and TYPE (any case, blanks
 * around). */
static gboolean
splits_into_tag_and_type (const char *header, char c)
{
  char separator[2] = { c, '\0' };
  g_auto(GStrv) parts = g_strsplit (header, separator, -1);
  gboolean tag = FALSE, type = FALSE;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      tag = tag || g_ascii_strcasecmp (parts[i], "TAG") == 0;
      type = type || g_ascii_strcasecmp (parts[i], "TYPE") == 0;
    }
  return tag && type;
}

/* In a header read as one column ("TAG|TYPE|HP"), the character that parts
 * it into columns TAG and TYPE: the delimiter the file uses, one we do not
 * read. Of several, the most frequent; a space only when no punctuation
 * does ("TAG | TYPE" is parted by '|'). '\0' when none does. */
static char
foreign_delimiter (const char *header)
{
  guint counts[128] = { 0 };
  char best = '\0';

  for (const char *p = header; *p != '\0'; p++)
    if ((guchar) *p < G_N_ELEMENTS (counts) && g_ascii_ispunct (*p) && *p != '_' && *p != '-' && *p != '"')
      counts[(guchar) *p]++;
  for (guint c = 1; c < G_N_ELEMENTS (counts); c++)
    if (counts[c] > 0 && (best == '\0' || counts[c] > counts[(guchar) best]) &&
        splits_into_tag_and_type (header, (char) c))
      best = (char) c;
  if (best == '\0' && splits_into_tag_and_type (header, ' '))
    best = ' ';
  return best;
}

/* Fills @columns from the header; FALSE with @error when the header cannot
 * describe the rows (duplicate names, TAG or TYPE missing). */
static gboolean
read_header (SynCsvRecord *header,
             Column       *columns,
             GHashTable   *names,
             GError      **error)
{
  gboolean have_tag = FALSE, have_type = FALSE;

  for (guint i = 0; i < header->fields->len; i++)
    {
      const char *name = g_ptr_array_index (header->fields, i);
      g_autofree char *key = NULL;
      gpointer earlier;

      if (is_blank (name))
        {
          columns[i].role = COLUMN_UNNAMED;
          continue;
        }

      columns[i].role = COLUMN_PROPERTY;
      for (gsize j = 0; j < G_N_ELEMENTS (named_columns); j++)
        {
          if (g_ascii_strcasecmp (name, named_columns[j].name) == 0)
            columns[i].role = named_columns[j].role;
        }
      have_tag |= columns[i].role == COLUMN_TAG;
      have_type |= columns[i].role == COLUMN_TYPE;

      /* Two columns of one name would leave every row ambiguous. */
      key = g_utf8_strdown (name, -1);
      if (g_hash_table_lookup_extended (names, key, NULL, &earlier))
        {
          g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID_CSV,
                       "Line %u: column \"%s\" appears twice in the header (columns %u and %u)",
                       header->line, name, GPOINTER_TO_UINT (earlier) + 1, i + 1);
          return FALSE;
        }
      columns[i].key = key;
      g_hash_table_insert (names, g_steal_pointer (&key), GUINT_TO_POINTER (i));
    }

  if (!have_tag || !have_type)
    {
      const char *missing;
      char foreign;

      if (!have_tag && !have_type)
        missing = "columns TAG and TYPE";
      else if (!have_tag)
        missing = "column TAG";
      else
        missing = "column TYPE";
      /* "TAG|TYPE|HP" is read as one column: the delimiter is the news */
      foreign = '\0';
      for (guint i = 0; i < header->fields->len && foreign == '\0' && !have_tag && !have_type; i++)
        foreign = foreign_delimiter (g_ptr_array_index (header->fields, i));
      if (foreign != '\0')
        {
          g_autofree char *name = syn_csv_delimiter_name (foreign);

          g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID_CSV,
                       "Line %u: the header's columns are separated by %s; an asset list is read "
                       "with commas, semicolons or tabs between columns", header->line, name);
        }
      else
        g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID_CSV,
                     "Line %u: missing required %s", header->line, missing);
      return FALSE;
    }
  return TRUE;
}

static char *
dup_unless_blank (const char *value)
{
  return is_blank (value) ? NULL : g_strdup (value);
}

static void
read_row (SynCsvAssetList *list,
          SynCsvRecord    *record,
          const Column    *columns,
          guint            n_columns,
          GHashTable      *tag_lines)
{
  g_autoptr(SynAsset) asset = NULL;
  g_autofree char *tag = NULL;
  g_autofree char *type = NULL;
  gboolean ok = TRUE;

  /* Every tag the file names, even on a row it cannot take: a revision
   * must not count that asset as missing from the list. */
  for (guint i = 0; i < n_columns && i < record->fields->len; i++)
    if (columns[i].role == COLUMN_TAG)
      {
        g_autofree char *named = g_strstrip (g_strdup (g_ptr_array_index (record->fields, i)));

        if (*named != '\0' && !g_hash_table_contains (list->tags, named))
          g_hash_table_insert (list->tags, g_steal_pointer (&named), GUINT_TO_POINTER (record->line));
      }

  if (record->fields->len != n_columns)
    {
      add_issue (list, record->line, "Expected %u fields, got %u",
                 n_columns, record->fields->len);
      return;
    }

  for (guint i = 0; i < n_columns; i++)
    {
      const char *value = g_ptr_array_index (record->fields, i);

      if (columns[i].role == COLUMN_TAG)
        {
          tag = g_strstrip (g_strdup (value));
        }
      else if (columns[i].role == COLUMN_TYPE)
        {
          g_autofree char *stripped = g_strstrip (g_strdup (value));

          type = g_utf8_strup (stripped, -1);
        }
    }

  if (*tag == '\0')
    {
      add_issue (list, record->line, "Missing TAG value");
      ok = FALSE;
    }
  else if (g_hash_table_contains (tag_lines, tag))
    {
      add_issue (list, record->line, "Duplicate tag \"%s\" (first on line %u)", tag,
                 GPOINTER_TO_UINT (g_hash_table_lookup (tag_lines, tag)));
      ok = FALSE;
    }
  else
    {
      g_hash_table_insert (tag_lines, g_strdup (tag), GUINT_TO_POINTER (record->line));
    }

  if (*type == '\0')
    {
      add_issue (list, record->line, "Missing TYPE value");
      ok = FALSE;
    }

  /* A value under no header has nowhere to go; dropping it would lose data. */
  for (guint i = 0; i < n_columns; i++)
    {
      const char *value = g_ptr_array_index (record->fields, i);

      if (columns[i].role == COLUMN_UNNAMED && !is_blank (value))
        {
          add_issue (list, record->line, "Value \"%s\" in column %u, which has no header",
                     value, i + 1);
          ok = FALSE;
        }
    }

  if (!ok)
    return;

  asset = syn_asset_new ();
  asset->tag = g_steal_pointer (&tag);
  asset->type = g_steal_pointer (&type);
  for (guint i = 0; i < n_columns; i++)
    {
      const char *value = g_ptr_array_index (record->fields, i);

      switch (columns[i].role)
        {
        case COLUMN_DESCRIPTION:
          asset->description = dup_unless_blank (value);
          break;
        case COLUMN_AREA:
          asset->area = dup_unless_blank (value);
          break;
        case COLUMN_DISCIPLINE:
          asset->discipline = dup_unless_blank (value);
          break;
        case COLUMN_PROPERTY:
          /* An empty cell means "no such property", not an empty one. */
          if (!is_blank (value))
            json_object_set_string_member (asset->properties, columns[i].key, value);
          break;
        case COLUMN_TAG:
        case COLUMN_TYPE:
        case COLUMN_UNNAMED:
        default:
          break;
        }
    }
  g_ptr_array_add (list->assets, g_steal_pointer (&asset));
  g_array_append_val (list->lines, record->line);
}

SynCsvAssetList *
syn_csv_read_assets (const char *data, gsize length, GError **error)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(SynCsvAssetList) list = NULL;
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(GHashTable) tag_lines = NULL;
  g_autofree Column *columns = NULL;
  SynCsvRecord *header;
  char delimiter;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  delimiter = syn_csv_detect_delimiter (data, length);
  records = syn_csv_parse_with (data, length, delimiter, error);
  if (records == NULL)
    return NULL;
  if (records->len == 0)
    {
      g_set_error_literal (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID_CSV,
                           "The file is empty: no header row");
      return NULL;
    }

  header = g_ptr_array_index (records, 0);
  columns = g_new0 (Column, header->fields->len);
  names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!read_header (header, columns, names, error))
    return NULL;

  list = g_new0 (SynCsvAssetList, 1);
  list->assets = g_ptr_array_new_with_free_func (g_object_unref);
  list->lines = g_array_new (FALSE, FALSE, sizeof (guint));
  list->issues = g_ptr_array_new_with_free_func ((GDestroyNotify) syn_csv_issue_free);
  list->tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  {
    g_autoptr(GStrvBuilder) keys = g_strv_builder_new ();

    for (guint i = 0; i < header->fields->len; i++)
      if (columns[i].role != COLUMN_UNNAMED)
        g_strv_builder_add (keys, columns[i].key);
    list->columns = g_strv_builder_end (keys);
  }
  tag_lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 1; i < records->len; i++)
    {
      read_row (list, g_ptr_array_index (records, i), columns, header->fields->len, tag_lines);
      list->rows++;
    }

  return g_steal_pointer (&list);
}
