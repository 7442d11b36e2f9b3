/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-db-file.c: any file opened as a SQLite database: it opens and reads, or fails with a clear error. */
#include "config.h"

#include <glib/gstdio.h>

#include "core/syn-core.h"
#include "engine/syn-state-hash.h"
#include "fuzz-common.h"
#include "store/syn-event-query.h"
#include "store/syn-store.h"

/* A failure must say what failed: a GError with a message. */
static void
check_error (gboolean ok, GError *error)
{
  if (ok)
    g_assert_null (error);
  else
    g_assert (error != NULL && error->message != NULL && *error->message != '\0');
}

static void
read_project (SynStore *store, SynProject *project)
{
  g_autoptr(SynEventQuery) query = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(GError) error = NULL;
  guint64 total = 0;

  /* a row without its key (only a tampered file has one) names nothing to read */
  if (project->id == NULL)
    return;
  query = syn_event_query_new (project->id);
  query->limit = 50;
  query->include_rolled_back = TRUE;
  events = syn_store_query_events (store, query, &total, &error);
  check_error (events != NULL, error);
  g_clear_error (&error);

  assets = syn_store_list_assets (store, project->id, NULL, NULL, 0, 50, &total, &error);
  check_error (assets != NULL, error);
  g_clear_error (&error);

  rules = syn_store_list_rules (store, project->id, TRUE, &error);
  check_error (rules != NULL, error);
  g_clear_error (&error);

  hash = syn_state_hash_compute (store, project->id, &error);
  check_error (hash != NULL, error);
  g_clear_error (&error);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static char *path;
  g_autoptr(GError) error = NULL;
  g_autoptr(SynStore) store = NULL;
  g_autoptr(GPtrArray) projects = NULL;

  syn_fuzz_init_logging ();
  if (path == NULL)
    path = syn_fuzz_scratch_path ("input.db");
  for (guint i = 0; i < 3; i++)
    {
      static const char * const suffixes[] = { "", "-wal", "-shm" };
      g_autofree char *name = g_strconcat (path, suffixes[i], NULL);

      g_unlink (name);
    }
  if (!g_file_set_contents (path, (const char *) data, (gssize) size, &error))
    g_error ("%s", error->message);

  store = syn_store_open (path, &error);
  check_error (store != NULL, error);
  if (store == NULL)
    return 0;

  projects = syn_store_list_projects (store, &error);
  check_error (projects != NULL, error);
  for (guint i = 0; projects != NULL && i < projects->len && i < 4; i++)
    read_project (store, g_ptr_array_index (projects, i));
  return 0;
}
