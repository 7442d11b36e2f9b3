/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-csv.c: CSV import: the reader, the asset list's row checks, and the importer's batch on an in-memory database. */
#include "config.h"

#include "core/syn-core.h"
#include "engine/syn-csv-importer.h"
#include "engine/syn-csv-reader.h"
#include "fuzz-common.h"
#include "store/syn-store.h"

/* A fresh in-memory database now and then, and a fresh project for every
 * input: each import then meets an empty project, as the seeds expect, and
 * memory stays bounded over a long run. */
#define INPUTS_PER_STORE 4096

static SynStore *store;
static guint store_inputs;

static void
check_records (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = syn_csv_parse ((const char *) data, size, &error);

  if (records == NULL)
    {
      g_assert (error != NULL);
      return;
    }
  for (guint i = 0; i < records->len; i++)
    {
      SynCsvRecord *record = g_ptr_array_index (records, i);

      g_assert (record->fields != NULL && record->fields->len > 0);
      for (guint j = 0; j < record->fields->len; j++)
        g_assert (g_ptr_array_index (record->fields, j) != NULL);
    }
}

static void
check_asset_list (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynCsvAssetList) list = syn_csv_read_assets ((const char *) data, size, &error);

  if (list == NULL)
    {
      g_assert (error != NULL);
      return;
    }
  g_assert (list->assets->len <= list->rows);
  for (guint i = 0; i < list->assets->len; i++)
    {
      SynAsset *asset = g_ptr_array_index (list->assets, i);

      g_assert (asset->tag != NULL && *asset->tag != '\0');
      g_assert (asset->type != NULL && asset->properties != NULL);
      g_assert (g_utf8_validate (asset->tag, -1, NULL));
    }
}

static void
check_import (const uint8_t *data, size_t size)
{
  g_autoptr(SynProject) project = syn_project_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;

  if (store == NULL || ++store_inputs >= INPUTS_PER_STORE)
    {
      g_clear_object (&store);
      store = syn_store_open (":memory:", &error);
      g_assert_no_error (error);
      store_inputs = 0;
    }
  project->name = g_strdup_printf ("Fuzz %u", store_inputs);
  g_assert_true (syn_store_insert_project (store, project, &error));
  g_assert_no_error (error);

  /* strict or not by the size's parity: both paths, no input byte spent */
  answer = syn_csv_import (store, project->id, NULL, (const char *) data, size, size % 2 == 1, &error);
  if (answer == NULL)
    {
      g_assert (error != NULL);
      g_assert_false (syn_store_in_transaction (store));
      return;
    }
  g_assert (JSON_NODE_HOLDS_OBJECT (answer));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  syn_fuzz_init_logging ();
  check_records (data, size);
  check_asset_list (data, size);
  check_import (data, size);
  return 0;
}
