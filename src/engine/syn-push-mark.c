/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-push-mark.c: what a clone's pushed operation leaves on the server batch it makes: its idempotency key and ids. */
#include "config.h"

#include "core/syn-core.h"
#include "syn-push-mark.h"

/* Kept on the connection: the operation runs on one worker's store, and
 * every batch service (editor, importer, rollback, rules) writes through it
 * without knowing of clones. */
#define PUSH_MARK_KEY "syn-push-mark"

typedef struct
{
  char *clone_id;
  char *local_batch_id;
  char *batch;           /* the first batch committed under the mark */
} PushMark;

static void
push_mark_free (PushMark *mark)
{
  g_free (mark->clone_id);
  g_free (mark->local_batch_id);
  g_free (mark->batch);
  g_free (mark);
}

char *
syn_push_mark_key (const char *clone_id, const char *local_batch_id)
{
  g_return_val_if_fail (clone_id != NULL && local_batch_id != NULL, NULL);
  return g_strconcat (clone_id, ":", local_batch_id, NULL);
}

void
syn_push_mark_set (SynStore *store, const char *clone_id, const char *local_batch_id)
{
  PushMark *mark;

  g_return_if_fail (SYN_IS_STORE (store));
  g_return_if_fail (clone_id != NULL && local_batch_id != NULL);

  mark = g_new0 (PushMark, 1);
  mark->clone_id = g_strdup (clone_id);
  mark->local_batch_id = g_strdup (local_batch_id);
  g_object_set_data_full (G_OBJECT (store), PUSH_MARK_KEY, mark, (GDestroyNotify) push_mark_free);
}

void
syn_push_mark_clear (SynStore *store)
{
  g_return_if_fail (SYN_IS_STORE (store));
  g_object_set_data (G_OBJECT (store), PUSH_MARK_KEY, NULL);
}

JsonObject *
syn_push_mark_metadata (SynStore *store)
{
  PushMark *mark;
  JsonObject *sync;

  g_return_val_if_fail (SYN_IS_STORE (store), NULL);
  if (!(mark = g_object_get_data (G_OBJECT (store), PUSH_MARK_KEY)))
    return NULL;
  sync = json_object_new ();
  json_object_set_string_member (sync, "clone_id", mark->clone_id);
  json_object_set_string_member (sync, "local_batch_id", mark->local_batch_id);
  return sync;
}

gboolean
syn_push_mark_record (SynStore *store, const char *project_id, const char *correlation_id, GError **error)
{
  PushMark *mark;
  g_autofree char *key = NULL;

  g_return_val_if_fail (SYN_IS_STORE (store), FALSE);
  g_return_val_if_fail (project_id != NULL && correlation_id != NULL, FALSE);

  if (!(mark = g_object_get_data (G_OBJECT (store), PUSH_MARK_KEY)) || mark->batch != NULL)
    return TRUE;
  key = syn_push_mark_key (mark->clone_id, mark->local_batch_id);
  if (!syn_store_insert_push_key (store, key, project_id, correlation_id, error))
    return FALSE;
  mark->batch = g_strdup (correlation_id);
  return TRUE;
}

const char *
syn_push_mark_get_batch (SynStore *store)
{
  PushMark *mark;

  g_return_val_if_fail (SYN_IS_STORE (store), NULL);
  mark = g_object_get_data (G_OBJECT (store), PUSH_MARK_KEY);
  return mark ? mark->batch : NULL;
}
