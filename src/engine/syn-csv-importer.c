/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-csv-importer.c: CSV import: the reader's rows, checked against the project, written as one batch. */
#include "config.h"

#include "engine/syn-batch.h"
#include "engine/syn-csv-importer.h"
#include "engine/syn-csv-reader.h"
#include "engine/syn-engine-error.h"

G_GNUC_PRINTF (3, 4)
static void
add_issue (GPtrArray *issues, guint line, const char *format, ...)
{
  SynCsvIssue *issue = g_new0 (SynCsvIssue, 1);
  va_list args;

  va_start (args, format);
  issue->line = line;
  issue->message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (issues, issue);
}

static int
compare_issue_lines (gconstpointer a, gconstpointer b)
{
  const SynCsvIssue *ia = *(const SynCsvIssue * const *) a;
  const SynCsvIssue *ib = *(const SynCsvIssue * const *) b;

  return (ia->line > ib->line) - (ia->line < ib->line);
}

/* The reader's assets carry no line numbers, so the file is read again for
 * them: an asset comes from the first row of the right width holding its tag
 * (the reader reports every later one as a duplicate). Tag -> line. */
static GHashTable *
map_tag_lines (const char *data, gsize length, GError **error)
{
  g_autoptr(GPtrArray) records = syn_csv_parse (data, length, error);
  g_autoptr(GHashTable) lines = NULL;
  SynCsvRecord *header;
  guint tag_column = G_MAXUINT;

  if (records == NULL)
    return NULL;
  lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (records->len == 0)
    return g_steal_pointer (&lines);

  header = g_ptr_array_index (records, 0);
  for (guint i = 0; i < header->fields->len && tag_column == G_MAXUINT; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (header->fields, i), "TAG") == 0)
      tag_column = i;
  if (tag_column == G_MAXUINT)
    return g_steal_pointer (&lines);

  for (guint r = 1; r < records->len; r++)
    {
      SynCsvRecord *record = g_ptr_array_index (records, r);
      g_autofree char *tag = NULL;

      if (record->fields->len != header->fields->len)
        continue;
      /* Trimmed as the reader trims it, so the keys match its tags. */
      tag = g_strstrip (g_strdup (g_ptr_array_index (record->fields, tag_column)));
      if (*tag != '\0' && !g_hash_table_contains (lines, tag))
        g_hash_table_insert (lines, g_steal_pointer (&tag), GUINT_TO_POINTER (record->line));
    }
  return g_steal_pointer (&lines);
}

/* Upper-cases a known discipline in place; FALSE for an unknown one. */
static gboolean
normalize_discipline (SynAsset *asset)
{
  g_autofree char *upper = NULL;

  if (asset->discipline == NULL)
    return TRUE;
  upper = g_ascii_strup (asset->discipline, -1);
  g_strstrip (upper);
  if (!syn_is_discipline (upper))
    return FALSE;
  g_free (asset->discipline);
  asset->discipline = g_steal_pointer (&upper);
  return TRUE;
}

/* Nothing of a batch that is not to be is written: its transaction goes. */
static void
abandon (SynBatch **batch)
{
  if (*batch == NULL)
    return;
  syn_batch_abandon (*batch);
  g_clear_object (batch);
}

static JsonNode *
build_answer (const char *correlation_id,
              guint       imported,
              guint       skipped,
              GPtrArray  *issues,
              const char *status)
{
  JsonObject *answer = json_object_new ();
  JsonArray *errors = json_array_sized_new (issues->len);

  for (guint i = 0; i < issues->len; i++)
    {
      SynCsvIssue *issue = g_ptr_array_index (issues, i);
      JsonObject *entry = json_object_new ();

      json_object_set_int_member (entry, "line", issue->line);
      json_object_set_string_member (entry, "message", issue->message);
      json_array_add_object_element (errors, entry);
    }
  syn_json_set_string_or_null (answer, "correlation_id", correlation_id);
  json_object_set_int_member (answer, "imported", imported);
  json_object_set_int_member (answer, "skipped", skipped);
  json_object_set_array_member (answer, "errors", errors);
  json_object_set_string_member (answer, "status", status);
  return syn_json_node_new_object (answer);
}

/* Writes the accepted assets: CSV_IMPORTED first, then each ASSET_CREATED
 * caused by it, then the snapshot at commit. On failure nothing remains. */
static gboolean
write_batch (SynBatch   *batch,
             GPtrArray  *accepted,
             guint       rows,
             guint       n_issues,
             GError    **error)
{
  g_autoptr(SynEvent) imported_event = NULL;
  JsonObject *payload = json_object_new ();

  json_object_set_int_member (payload, "imported", accepted->len);
  json_object_set_int_member (payload, "skipped", rows - accepted->len);
  json_object_set_int_member (payload, "rows", rows);
  json_object_set_int_member (payload, "errors", n_issues);
  imported_event = syn_batch_emit (batch, SYN_EVENT_CSV_IMPORTED, SYN_AGGREGATE_BATCH,
                                   syn_batch_get_correlation_id (batch),
                                   syn_json_node_new_object (payload), NULL, NULL, NULL, error);
  if (imported_event == NULL)
    return FALSE;

  for (guint i = 0; i < accepted->len; i++)
    {
      g_autoptr(SynEvent) created = syn_batch_create_asset (batch, g_ptr_array_index (accepted, i),
                                                            NULL, imported_event->id, error);

      if (created == NULL)
        return FALSE;
    }
  return syn_batch_commit (batch, error);
}

/* Imports @data into the project as one batch. File-level problems (bad
 * encoding, no header, TAG or TYPE column missing...) are errors
 * (SYN_ENGINE_ERROR_INVALID_CSV); problems of single rows are reported in the
 * answer, those rows skipped, unless @strict, where any of them refuses the
 * whole file. Answers {correlation_id, imported, skipped, errors: [{line,
 * message}], status: "imported" | "refused" | "empty"}. */
JsonNode *
syn_csv_import (SynStore    *store,
                const char  *project_id,
                const char  *user_id,
                const char  *data,
                gsize        length,
                gboolean     strict,
                GError     **error)
{
  g_autoptr(SynCsvAssetList) list = NULL;
  g_autoptr(GPtrArray) issues = NULL;
  g_autoptr(GPtrArray) accepted = NULL;
  g_autoptr(GHashTable) tag_lines = NULL;
  g_autoptr(SynProject) project = NULL;
  g_autoptr(SynBatch) batch = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *correlation_id = NULL;
  guint rows;

  g_return_val_if_fail (SYN_IS_STORE (store), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  list = syn_csv_read_assets (data, length, error);
  if (list == NULL)
    return NULL;
  rows = list->rows;

  project = syn_store_get_project (store, project_id, &local_error);
  if (project == NULL)
    {
      if (local_error == NULL)
        g_set_error (&local_error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_NOT_FOUND,
                     "No project %s", project_id);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  issues = g_steal_pointer (&list->issues);
  accepted = g_ptr_array_new ();
  if (list->assets->len > 0)
    {
      tag_lines = map_tag_lines (data, length, error);
      if (tag_lines == NULL)
        return NULL;
    }

  /* The reader takes any discipline; the project only knows six. */
  for (guint i = 0; i < list->assets->len; i++)
    {
      SynAsset *asset = g_ptr_array_index (list->assets, i);

      if (normalize_discipline (asset))
        g_ptr_array_add (accepted, asset);
      else
        add_issue (issues, GPOINTER_TO_UINT (g_hash_table_lookup (tag_lines, asset->tag)),
                   "Unknown discipline \"%s\" (expected ELECTRICAL, AUTOMATION, MECHANICAL, "
                   "PROCESS, PIPING or INSTRUMENTATION)", asset->discipline);
    }

  /* Existing tags are checked inside the batch's transaction, so no other
   * writer can add one between the check and the insert. */
  if (accepted->len > 0)
    {
      guint kept = 0;

      batch = syn_batch_begin (store, project_id, user_id, error);
      if (batch == NULL)
        return NULL;
      if (!syn_store_lock_project (store, project_id, error))
        {
          syn_batch_abandon (batch);
          return NULL;
        }
      for (guint i = 0; i < accepted->len; i++)
        {
          SynAsset *asset = g_ptr_array_index (accepted, i);
          g_autoptr(SynAsset) existing = syn_store_get_asset_by_tag (store, project_id, asset->tag,
                                                                     &local_error);

          if (local_error != NULL)
            {
              syn_batch_abandon (batch);
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          if (existing != NULL)
            add_issue (issues, GPOINTER_TO_UINT (g_hash_table_lookup (tag_lines, asset->tag)),
                       "tag %s already exists in the project", asset->tag);
          else
            accepted->pdata[kept++] = asset;
        }
      g_ptr_array_set_size (accepted, kept);
    }

  /* Stable: the issues of one line keep the reader's order. */
  g_ptr_array_sort (issues, compare_issue_lines);

  if (strict && issues->len > 0)
    {
      abandon (&batch);
      return build_answer (NULL, 0, rows, issues, "refused");
    }
  if (accepted->len == 0)
    {
      abandon (&batch);
      return build_answer (NULL, 0, rows, issues, "empty");
    }

  correlation_id = g_strdup (syn_batch_get_correlation_id (batch));
  if (!write_batch (batch, accepted, rows, issues->len, error))
    {
      syn_batch_abandon (batch);
      return NULL;
    }
  return build_answer (correlation_id, accepted->len, rows - accepted->len, issues, "imported");
}
