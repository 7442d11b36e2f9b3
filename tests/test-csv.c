/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-csv.c: tests of the CSV parser and of the mapping of asset list rows to assets. */
#include "config.h"

#include <string.h>

#include "engine/syn-csv-reader.h"
#include "engine/syn-engine-error.h"

static GPtrArray *
parse_ok (const char *data, gsize length)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *records = syn_csv_parse (data, length, &error);

  g_assert_no_error (error);
  g_assert_nonnull (records);
  return records;
}

/* Checks record @index: its line, and its fields, NULL-terminated. */
G_GNUC_NULL_TERMINATED
static void
assert_record (GPtrArray *records, guint index, guint line, ...)
{
  SynCsvRecord *record;
  va_list args;
  const char *expected;
  guint i = 0;

  g_assert_cmpuint (index, <, records->len);
  record = g_ptr_array_index (records, index);
  g_assert_cmpuint (record->line, ==, line);

  va_start (args, line);
  while ((expected = va_arg (args, const char *)) != NULL)
    {
      g_assert_cmpuint (i, <, record->fields->len);
      g_assert_cmpstr (g_ptr_array_index (record->fields, i), ==, expected);
      i++;
    }
  va_end (args);
  g_assert_cmpuint (record->fields->len, ==, i);
}

static SynCsvAssetList *
read_ok (const char *data)
{
  g_autoptr(GError) error = NULL;
  SynCsvAssetList *list = syn_csv_read_assets (data, strlen (data), &error);

  g_assert_no_error (error);
  g_assert_nonnull (list);
  g_assert_nonnull (list->assets);
  g_assert_nonnull (list->issues);
  return list;
}

static SynAsset *
asset_at (SynCsvAssetList *list, guint index)
{
  g_assert_cmpuint (index, <, list->assets->len);
  return g_ptr_array_index (list->assets, index);
}

static void
assert_issue (SynCsvAssetList *list, guint index, guint line, const char *message)
{
  SynCsvIssue *issue;

  g_assert_cmpuint (index, <, list->issues->len);
  issue = g_ptr_array_index (list->issues, index);
  g_assert_cmpuint (issue->line, ==, line);
  g_assert_cmpstr (issue->message, ==, message);
}

static void
assert_read_error (const char *data, gsize length, const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynCsvAssetList) list = syn_csv_read_assets (data, length, &error);

  g_assert_null (list);
  g_assert_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID_CSV);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_quotes (void)
{
  const char *data = "a,\"b\",c\n"
                     "\"\",x,\"\"\n"
                     " \"  padded  \" ,  bare  ,\t\"q\"\t\n"
                     "6\" LINE,\"closed\"tail,x\"y\"\n";
  g_autoptr(GPtrArray) records = parse_ok (data, strlen (data));

  g_assert_cmpuint (records->len, ==, 4);
  assert_record (records, 0, 1, "a", "b", "c", NULL);
  assert_record (records, 1, 2, "", "x", "", NULL);
  /* Blanks inside quotes are data, around them padding. */
  assert_record (records, 2, 3, "  padded  ", "bare", "q", NULL);
  /* A quote that does not open a field is a literal. */
  assert_record (records, 3, 4, "6\" LINE", "closedtail", "x\"y\"", NULL);
}

static void
test_commas_in_quotes (void)
{
  const char *data = "TAG,TYPE,DESCRIPTION\n"
                     "P-1,PUMP,\"Pump, feed, 3 stage\"\n"
                     "\"P,2\",PUMP,\",\"\n";
  g_autoptr(GPtrArray) records = parse_ok (data, strlen (data));
  g_autoptr(SynCsvAssetList) list = read_ok (data);

  g_assert_cmpuint (records->len, ==, 3);
  assert_record (records, 1, 2, "P-1", "PUMP", "Pump, feed, 3 stage", NULL);
  assert_record (records, 2, 3, "P,2", "PUMP", ",", NULL);

  g_assert_cmpuint (list->issues->len, ==, 0);
  g_assert_cmpuint (list->assets->len, ==, 2);
  g_assert_cmpstr (asset_at (list, 0)->description, ==, "Pump, feed, 3 stage");
  g_assert_cmpstr (asset_at (list, 1)->tag, ==, "P,2");
}

static void
test_escaped_quotes (void)
{
  const char *raw = "\"say \"\"hi\"\"\",\"\"\"\",\"a\"\"\"\n";
  const char *data = "TAG,TYPE,SIZE\n"
                     "L-1,LINE,\"6\"\" CS\"\n";
  g_autoptr(GPtrArray) records = parse_ok (raw, strlen (raw));
  g_autoptr(SynCsvAssetList) list = read_ok (data);

  g_assert_cmpuint (records->len, ==, 1);
  assert_record (records, 0, 1, "say \"hi\"", "\"", "a\"", NULL);

  g_assert_cmpuint (list->assets->len, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (asset_at (list, 0)->properties, "size"),
                   ==, "6\" CS");
}

static void
test_newline_in_quotes (void)
{
  const char *data = "TAG,TYPE,DESCRIPTION\n"
                     "P-1,PUMP,\"line one\n"
                     "line two\r\n"
                     "line three\"\n"
                     "P-2,PUMP,plain\n"
                     "P-3,PUMP\n";
  g_autoptr(GPtrArray) records = parse_ok (data, strlen (data));
  g_autoptr(SynCsvAssetList) list = read_ok (data);

  g_assert_cmpuint (records->len, ==, 4);
  /* Line breaks in a value read as LF, whatever the file used. */
  assert_record (records, 1, 2, "P-1", "PUMP", "line one\nline two\nline three", NULL);
  assert_record (records, 2, 5, "P-2", "PUMP", "plain", NULL);
  assert_record (records, 3, 6, "P-3", "PUMP", NULL);

  g_assert_cmpuint (list->rows, ==, 3);
  g_assert_cmpuint (list->assets->len, ==, 2);
  g_assert_cmpstr (asset_at (list, 0)->description, ==, "line one\nline two\nline three");
  g_assert_cmpuint (list->issues->len, ==, 1);
  assert_issue (list, 0, 6, "Expected 3 fields, got 2");
}

static void
test_bom (void)
{
  const char *data = "\xEF\xBB\xBFTAG,TYPE\nP-1,PUMP\n";
  g_autoptr(GPtrArray) records = parse_ok (data, strlen (data));
  g_autoptr(SynCsvAssetList) list = read_ok (data);

  assert_record (records, 0, 1, "TAG", "TYPE", NULL);
  g_assert_cmpuint (list->assets->len, ==, 1);
  g_assert_cmpstr (asset_at (list, 0)->tag, ==, "P-1");

  /* A BOM anywhere else is text, not a marker. */
  {
    const char *later = "a\n\xEF\xBB\xBF" "b\n";
    g_autoptr(GPtrArray) more = parse_ok (later, strlen (later));

    assert_record (more, 1, 2, "\xEF\xBB\xBF" "b", NULL);
  }
}

static void
test_crlf (void)
{
  const char *data = "TAG,TYPE\r\nP-1,PUMP\r\n\r\nP-2,VALVE\r\n";
  g_autoptr(GPtrArray) records = parse_ok (data, strlen (data));
  g_autoptr(SynCsvAssetList) list = read_ok (data);

  g_assert_cmpuint (records->len, ==, 3);
  assert_record (records, 0, 1, "TAG", "TYPE", NULL);
  assert_record (records, 1, 2, "P-1", "PUMP", NULL);
  assert_record (records, 2, 4, "P-2", "VALVE", NULL);
  g_assert_cmpuint (list->assets->len, ==, 2);
  g_assert_cmpstr (asset_at (list, 1)->type, ==, "VALVE");
}

static void
test_cr_only (void)
{
  const char *data = "TAG,TYPE\rP-1,PUMP\r\rP-2,VALVE";
  g_autoptr(GPtrArray) records = parse_ok (data, strlen (data));

  g_assert_cmpuint (records->len, ==, 3);
  assert_record (records, 0, 1, "TAG", "TYPE", NULL);
  assert_record (records, 1, 2, "P-1", "PUMP", NULL);
  assert_record (records, 2, 4, "P-2", "VALVE", NULL);
}

static void
test_empty_lines (void)
{
  const char *data = "\n"
                     "TAG,TYPE\n"
                     "\n"
                     "   \n"
                     ",\n"
                     " ,\t, \n"
                     "\"\",\"  \"\n"
                     "P-1,PUMP\n"
                     "\n";
  g_autoptr(GPtrArray) records = parse_ok (data, strlen (data));
  g_autoptr(SynCsvAssetList) list = read_ok (data);

  g_assert_cmpuint (records->len, ==, 2);
  assert_record (records, 0, 2, "TAG", "TYPE", NULL);
  assert_record (records, 1, 8, "P-1", "PUMP", NULL);
  g_assert_cmpuint (list->rows, ==, 1);
  g_assert_cmpuint (list->issues->len, ==, 0);
  g_assert_cmpuint (list->assets->len, ==, 1);

  {
    g_autoptr(GPtrArray) none = parse_ok ("", 0);
    g_autoptr(GPtrArray) blank = parse_ok ("\n\r\n ,, \n", strlen ("\n\r\n ,, \n"));

    g_assert_cmpuint (none->len, ==, 0);
    g_assert_cmpuint (blank->len, ==, 0);
  }
}

static void
test_trailing_newline (void)
{
  static const char *variants[] = {
    "TAG,TYPE\nP-1,PUMP",
    "TAG,TYPE\nP-1,PUMP\n",
    "TAG,TYPE\nP-1,PUMP\r\n",
    "TAG,TYPE\nP-1,PUMP\n\n\n",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      g_autoptr(GPtrArray) records = parse_ok (variants[i], strlen (variants[i]));
      g_autoptr(SynCsvAssetList) list = read_ok (variants[i]);

      g_assert_cmpuint (records->len, ==, 2);
      assert_record (records, 1, 2, "P-1", "PUMP", NULL);
      g_assert_cmpuint (list->rows, ==, 1);
      g_assert_cmpuint (list->assets->len, ==, 1);
    }

  /* A trailing comma is an empty last field, not nothing. */
  {
    g_autoptr(GPtrArray) records = parse_ok ("a,", 2);

    assert_record (records, 0, 1, "a", "", NULL);
  }
  /* A quoted last field may end the file too. */
  {
    g_autoptr(GPtrArray) records = parse_ok ("a,\"b\"", 5);

    assert_record (records, 0, 1, "a", "b", NULL);
  }
}

static void
test_ragged_rows (void)
{
  const char *data = "TAG,TYPE,AREA\n"
                     "P-1,PUMP\n"
                     "P-2,PUMP,210,extra\n"
                     "P-3,PUMP,210\n"
                     "P-4,PUMP,210,\n";
  g_autoptr(SynCsvAssetList) list = read_ok (data);

  g_assert_cmpuint (list->rows, ==, 4);
  g_assert_cmpuint (list->assets->len, ==, 1);
  g_assert_cmpstr (asset_at (list, 0)->tag, ==, "P-3");
  g_assert_cmpstr (asset_at (list, 0)->area, ==, "210");
  g_assert_cmpuint (list->issues->len, ==, 3);
  assert_issue (list, 0, 2, "Expected 3 fields, got 2");
  assert_issue (list, 1, 3, "Expected 3 fields, got 4");
  assert_issue (list, 2, 5, "Expected 3 fields, got 4");
}

static void
test_missing_values (void)
{
  const char *data = "TAG,TYPE,DESCRIPTION\n"
                     ",PUMP,no tag\n"
                     "P-2,,no type\n"
                     "  ,\"  \",neither\n"
                     "P-4,PUMP,fine\n";
  g_autoptr(SynCsvAssetList) list = read_ok (data);

  g_assert_cmpuint (list->rows, ==, 4);
  g_assert_cmpuint (list->assets->len, ==, 1);
  g_assert_cmpstr (asset_at (list, 0)->tag, ==, "P-4");
  g_assert_cmpuint (list->issues->len, ==, 4);
  assert_issue (list, 0, 2, "Missing TAG value");
  assert_issue (list, 1, 3, "Missing TYPE value");
  assert_issue (list, 2, 4, "Missing TAG value");
  assert_issue (list, 3, 4, "Missing TYPE value");
}

static void
test_duplicate_tags (void)
{
  const char *data = "TAG,TYPE,DESCRIPTION\n"
                     "P-1,PUMP,first\n"
                     "P-2,PUMP,other\n"
                     "\n"
                     " P-1 ,MOTOR,second\n"
                     "P-1,PUMP,third\n"
                     "p-1,PUMP,other case\n";
  g_autoptr(SynCsvAssetList) list = read_ok (data);

  g_assert_cmpuint (list->rows, ==, 5);
  /* The earlier row wins; the later ones are the errors. */
  g_assert_cmpuint (list->assets->len, ==, 3);
  g_assert_cmpstr (asset_at (list, 0)->tag, ==, "P-1");
  g_assert_cmpstr (asset_at (list, 0)->description, ==, "first");
  g_assert_cmpstr (asset_at (list, 1)->tag, ==, "P-2");
  g_assert_cmpstr (asset_at (list, 2)->tag, ==, "p-1");
  g_assert_cmpuint (list->issues->len, ==, 2);
  assert_issue (list, 0, 5, "Duplicate tag \"P-1\" (first on line 2)");
  assert_issue (list, 1, 6, "Duplicate tag \"P-1\" (first on line 2)");
}

static void
test_missing_tag_column (void)
{
  const char *no_tag = "NAME,TYPE\nP-1,PUMP\n";
  const char *no_type = "TAG,KIND\nP-1,PUMP\n";
  const char *neither = "\n\nNAME,KIND\nP-1,PUMP\n";

  assert_read_error (no_tag, strlen (no_tag), "Line 1: missing required column TAG");
  assert_read_error (no_type, strlen (no_type), "Line 1: missing required column TYPE");
  assert_read_error (neither, strlen (neither), "Line 3: missing required columns TAG and TYPE");
  assert_read_error ("", 0, "The file is empty: no header row");
  assert_read_error ("\n,,\n", 4, "The file is empty: no header row");
}

static void
test_duplicate_columns (void)
{
  const char *same = "TAG,TYPE,System,SYSTEM\nP-1,PUMP,a,b\n";
  const char *tags = "Tag,TYPE,TAG\nP-1,PUMP,P-2\n";

  assert_read_error (same, strlen (same),
                    "Line 1: column \"SYSTEM\" appears twice in the header (columns 3 and 4)");
  assert_read_error (tags, strlen (tags),
                    "Line 1: column \"TAG\" appears twice in the header (columns 1 and 3)");
}

static void
test_header_case (void)
{
  const char *data = "tag,Type,description,Area,dIsCiPlInE\n"
                     "210-PP-001,pump,Feed pump,210,MECHANICAL\n";
  g_autoptr(SynCsvAssetList) list = read_ok (data);
  SynAsset *asset;

  g_assert_cmpuint (list->issues->len, ==, 0);
  g_assert_cmpuint (list->assets->len, ==, 1);
  asset = asset_at (list, 0);
  g_assert_cmpstr (asset->tag, ==, "210-PP-001");
  g_assert_cmpstr (asset->type, ==, "PUMP");
  g_assert_cmpstr (asset->description, ==, "Feed pump");
  g_assert_cmpstr (asset->area, ==, "210");
  g_assert_cmpstr (asset->discipline, ==, "MECHANICAL");
  /* Known columns are fields, never properties as well. */
  g_assert_cmpuint (json_object_get_size (asset->properties), ==, 0);
}

static void
test_properties (void)
{
  const char *data = "TAG,TYPE,DESCRIPTION,AREA,DISCIPLINE,SYSTEM,Flow Rate,HP,Débit\n"
                     "\" P-1 \",\" centrifugal pump \",,,,Cooling water,, 50 HP ,12 m³/h\n"
                     "P-2,Tank,,  ,,,,,\n";
  g_autoptr(SynCsvAssetList) list = read_ok (data);
  SynAsset *asset;

  g_assert_cmpuint (list->issues->len, ==, 0);
  g_assert_cmpuint (list->assets->len, ==, 2);

  asset = asset_at (list, 0);
  g_assert_null (asset->id);
  g_assert_null (asset->project_id);
  g_assert_null (asset->created_by_rule_id);
  g_assert_cmpstr (asset->tag, ==, "P-1");
  g_assert_cmpstr (asset->type, ==, "CENTRIFUGAL PUMP");
  g_assert_null (asset->description);
  g_assert_null (asset->area);
  g_assert_null (asset->discipline);
  g_assert_cmpuint (json_object_get_size (asset->properties), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (asset->properties, "system"), ==,
                   "Cooling water");
  g_assert_cmpstr (json_object_get_string_member (asset->properties, "hp"), ==, "50 HP");
  g_assert_cmpstr (json_object_get_string_member (asset->properties, "débit"), ==, "12 m³/h");
  g_assert_false (json_object_has_member (asset->properties, "flow rate"));

  asset = asset_at (list, 1);
  g_assert_cmpstr (asset->type, ==, "TANK");
  g_assert_null (asset->area);
  g_assert_cmpuint (json_object_get_size (asset->properties), ==, 0);
}

static void
test_unnamed_columns (void)
{
  const char *data = "TAG,TYPE,,\n"
                     "P-1,PUMP,,\n"
                     "P-2,PUMP,,stray\n";
  g_autoptr(SynCsvAssetList) list = read_ok (data);

  g_assert_cmpuint (list->assets->len, ==, 1);
  g_assert_cmpstr (asset_at (list, 0)->tag, ==, "P-1");
  g_assert_cmpuint (json_object_get_size (asset_at (list, 0)->properties), ==, 0);
  g_assert_cmpuint (list->issues->len, ==, 1);
  assert_issue (list, 0, 3, "Value \"stray\" in column 4, which has no header");
}

static void
test_header_only (void)
{
  g_autoptr(SynCsvAssetList) list = read_ok ("TAG,TYPE,AREA\n");

  g_assert_cmpuint (list->rows, ==, 0);
  g_assert_cmpuint (list->assets->len, ==, 0);
  g_assert_cmpuint (list->issues->len, ==, 0);
}

static void
test_invalid_utf8 (void)
{
  const char *bad = "TAG,TYPE,DESCRIPTION\n"
                    "P-1,PUMP,\"two\n"
                    "lines\"\n"
                    "P-2,PUMP,caf\xe9\n";
  const char *nul = "TAG,TYPE\nP-1,PU\0MP\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = syn_csv_parse (bad, strlen (bad), &error);

  g_assert_null (records);
  g_assert_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID_CSV);
  g_assert_cmpstr (error->message, ==, "Invalid UTF-8 on line 4");

  assert_read_error (bad, strlen (bad), "Invalid UTF-8 on line 4");
  assert_read_error (nul, 19, "Invalid UTF-8 on line 2");
  assert_read_error ("TAG,TYPE\r\rP-1,\xc3", 15, "Invalid UTF-8 on line 3");
}

static void
test_unterminated_quote (void)
{
  const char *data = "TAG,TYPE,DESCRIPTION\n"
                     "P-1,PUMP,fine\n"
                     "P-2,PUMP,\"opened here\n"
                     "P-3,PUMP,never closed\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = syn_csv_parse (data, strlen (data), &error);

  g_assert_null (records);
  g_assert_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID_CSV);
  g_assert_cmpstr (error->message, ==, "Unterminated quoted field starting on line 3");

  assert_read_error (data, strlen (data), "Unterminated quoted field starting on line 3");
  assert_read_error ("\"", 1, "Unterminated quoted field starting on line 1");
}

/* European spreadsheets save with semicolons, databases export tabs: the
 * header says which. A semicolon or tab inside a comma file's quotes, or a
 * comma in a semicolon file's value, is data. */
static void
test_delimiters (void)
{
  const char *semicolons = "\xEF\xBB\xBF;;\n"
                           "TAG;TYPE;DESCRIPTION;HP\n"
                           "P-1;PUMP;\"Feed; main\";7,5\n"
                           "P-2;PUMP;Spare;\n";
  const char *tabs = "TAG\tTYPE\tDESCRIPTION\tHP\n"
                     "P-1\tPUMP\tFeed, main\t75\n"
                     "P-2\tPUMP\t\t\n";
  const char *commas = "TAG,TYPE,\"DESCRIPTION; long\"\n"
                       "P-1,PUMP,\"a\tb; c\"\n";
  g_autoptr(SynCsvAssetList) a = read_ok (semicolons);
  g_autoptr(SynCsvAssetList) b = read_ok (tabs);
  g_autoptr(SynCsvAssetList) c = read_ok (commas);

  g_assert_cmpint (syn_csv_detect_delimiter (semicolons, strlen (semicolons)), ==, ';');
  g_assert_cmpint (syn_csv_detect_delimiter (tabs, strlen (tabs)), ==, '\t');
  g_assert_cmpint (syn_csv_detect_delimiter (commas, strlen (commas)), ==, ',');
  g_assert_cmpint (syn_csv_detect_delimiter ("TAG\n", 4), ==, ',');

  g_assert_cmpuint (a->issues->len, ==, 0);
  g_assert_cmpuint (a->assets->len, ==, 2);
  g_assert_cmpstr (asset_at (a, 0)->description, ==, "Feed; main");
  g_assert_cmpstr (json_object_get_string_member (asset_at (a, 0)->properties, "hp"), ==, "7,5");
  g_assert_cmpuint (g_array_index (a->lines, guint, 0), ==, 3);
  g_assert_cmpuint (g_array_index (a->lines, guint, 1), ==, 4);

  g_assert_cmpuint (b->issues->len, ==, 0);
  g_assert_cmpuint (b->assets->len, ==, 2);
  g_assert_cmpstr (asset_at (b, 0)->description, ==, "Feed, main");
  g_assert_null (asset_at (b, 1)->description);
  g_assert_false (json_object_has_member (asset_at (b, 1)->properties, "hp"));

  g_assert_cmpuint (c->issues->len, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (asset_at (c, 0)->properties, "description; long"), ==, "a\tb; c");
}

static void
assert_read_text (const char *data, const char *message)
{
  assert_read_error (data, strlen (data), message);
}

/* A delimiter we do not read is named, not reported as missing columns. */
static void
test_foreign_delimiter (void)
{
  assert_read_text ("TAG|TYPE|HP\nP-1|PUMP|5\n",
                    "Line 1: the header's columns are separated by '|'; an asset list is read with commas, "
                    "semicolons or tabs between columns");
  assert_read_text ("Description | tag | type\nx | P-1 | PUMP\n",
                    "Line 1: the header's columns are separated by '|'; an asset list is read with commas, "
                    "semicolons or tabs between columns");
  /* a comma elsewhere in the header does not hide it */
  assert_read_text ("TAG|TYPE|DESCRIPTION, long\nP-1|PUMP|x\n",
                    "Line 1: the header's columns are separated by '|'; an asset list is read with commas, "
                    "semicolons or tabs between columns");
  assert_read_text ("TAG TYPE HP\nP-1 PUMP 5\n",
                    "Line 1: the header's columns are separated by a space; an asset list is read with commas, "
                    "semicolons or tabs between columns");
  /* "Tag Number" is a name, not two columns */
  assert_read_text ("Tag Number,Kind\nP-1,PUMP\n", "Line 1: missing required columns TAG and TYPE");
}

/* What a revision needs: the columns the file speaks of, every tag it
 * names (bad rows too). */
static void
test_columns_and_tags (void)
{
  g_autoptr(SynCsvAssetList) list = read_ok ("Tag,Type,,HP\n"
                                             "P-1,PUMP,,5\n"
                                             "P-2,,,5\n"
                                             "P-3,PUMP,,5,extra\n");
  const char * const columns[] = { "tag", "type", "hp", NULL };

  g_assert_cmpstrv (list->columns, columns);
  g_assert_cmpuint (list->assets->len, ==, 1);
  g_assert_cmpuint (g_hash_table_size (list->tags), ==, 3);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (list->tags, "P-2")), ==, 3);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (list->tags, "P-3")), ==, 4);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/synapse/csv/quotes", test_quotes);
  g_test_add_func ("/synapse/csv/commas-in-quotes", test_commas_in_quotes);
  g_test_add_func ("/synapse/csv/escaped-quotes", test_escaped_quotes);
  g_test_add_func ("/synapse/csv/newline-in-quotes", test_newline_in_quotes);
  g_test_add_func ("/synapse/csv/bom", test_bom);
  g_test_add_func ("/synapse/csv/crlf", test_crlf);
  g_test_add_func ("/synapse/csv/cr-only", test_cr_only);
  g_test_add_func ("/synapse/csv/empty-lines", test_empty_lines);
  g_test_add_func ("/synapse/csv/trailing-newline", test_trailing_newline);
  g_test_add_func ("/synapse/csv/ragged-rows", test_ragged_rows);
  g_test_add_func ("/synapse/csv/missing-values", test_missing_values);
  g_test_add_func ("/synapse/csv/duplicate-tags", test_duplicate_tags);
  g_test_add_func ("/synapse/csv/missing-tag-column", test_missing_tag_column);
  g_test_add_func ("/synapse/csv/duplicate-columns", test_duplicate_columns);
  g_test_add_func ("/synapse/csv/header-case", test_header_case);
  g_test_add_func ("/synapse/csv/properties", test_properties);
  g_test_add_func ("/synapse/csv/unnamed-columns", test_unnamed_columns);
  g_test_add_func ("/synapse/csv/header-only", test_header_only);
  g_test_add_func ("/synapse/csv/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/synapse/csv/unterminated-quote", test_unterminated_quote);
  g_test_add_func ("/synapse/csv/delimiters", test_delimiters);
  g_test_add_func ("/synapse/csv/foreign-delimiter", test_foreign_delimiter);
  g_test_add_func ("/synapse/csv/columns-and-tags", test_columns_and_tags);

  return g_test_run ();
}
