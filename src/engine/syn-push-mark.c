/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-push-mark.c: what a clone's pushed operation leaves on the server batch it makes: its idempotency key and ids. */
#include "config.h"

#include "core/syn-core.h"
#include "syn-push-mark.h"

/* Kept on the connection: the operation runs on one worker's store, and
 * every batch service (editor, importer, rollback, rules) writes through it
 * without knowing of clones. */
#define PUSH_MARK_KEY "syn-push-mark"
#define RECORD_MARK_KEY "syn-record-mark"

typedef struct
{
  char *clone_id;
  char *local_batch_id;
  char *batch;           /* the first batch committed under the mark */
  char *guard_project;   /* NULL: unguarded */
  gint64 guard_position;
  gboolean moved;        /* the guard found another batch past its position */
} PushMark;

static void
push_mark_free (PushMark *mark)
{
  g_free (mark->clone_id);
  g_free (mark->local_batch_id);
  g_free (mark->batch);
  g_free (mark->guard_project);
  g_free (mark);
}

typedef struct
{
  char       *stream;
  char       *project_id;
  JsonObject *entry;
  gboolean    written;
} RecordMark;

static void
record_mark_free (RecordMark *mark)
{
  g_free (mark->stream);
  g_free (mark->project_id);
  json_object_unref (mark->entry);
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

void
syn_push_mark_guard (SynStore *store, const char *project_id, gint64 position)
{
  PushMark *mark;

  g_return_if_fail (SYN_IS_STORE (store));
  g_return_if_fail (project_id != NULL);

  if (!(mark = g_object_get_data (G_OBJECT (store), PUSH_MARK_KEY)))
    return;
  g_free (mark->guard_project);
  mark->guard_project = g_strdup (project_id);
  mark->guard_position = position;
}

gboolean
syn_push_mark_moved (SynStore *store)
{
  PushMark *mark;

  g_return_val_if_fail (SYN_IS_STORE (store), FALSE);
  mark = g_object_get_data (G_OBJECT (store), PUSH_MARK_KEY);
  return mark != NULL && mark->moved;
}

/* The project's next event past the guard's position is this batch's:
 * nobody wrote between the check and here. The lock (taken once per
 * transaction) keeps any later writer waiting until this one ends. */
static gboolean
check_guard (SynStore *store, PushMark *mark, const char *project_id, const char *correlation_id, GError **error)
{
  g_autoptr(GPtrArray) next = NULL;
  SynEvent *first;

  if (mark->guard_project == NULL || g_strcmp0 (mark->guard_project, project_id) != 0)
    return TRUE;
  if (!syn_store_lock_project (store, project_id, error) ||
      !(next = syn_store_list_events_after (store, project_id, mark->guard_position, 1, error)))
    return FALSE;
  first = next->len > 0 ? g_ptr_array_index (next, 0) : NULL;
  if (first == NULL || g_strcmp0 (first->correlation_id, correlation_id) == 0)
    return TRUE;
  mark->moved = TRUE;
  g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_BUSY,
               "Batch %s changed the project while a pushed operation was applied", first->correlation_id);
  return FALSE;
}

void
syn_push_mark_set_record (SynStore *store, const char *stream, const char *project_id, JsonObject *entry)
{
  RecordMark *mark;

  g_return_if_fail (SYN_IS_STORE (store));
  g_return_if_fail (stream != NULL && project_id != NULL && entry != NULL);

  mark = g_new0 (RecordMark, 1);
  mark->stream = g_strdup (stream);
  mark->project_id = g_strdup (project_id);
  mark->entry = json_object_ref (entry);
  g_object_set_data_full (G_OBJECT (store), RECORD_MARK_KEY, mark, (GDestroyNotify) record_mark_free);
}

gboolean
syn_push_mark_clear_record (SynStore *store)
{
  RecordMark *mark;
  gboolean written;

  g_return_val_if_fail (SYN_IS_STORE (store), FALSE);
  mark = g_object_get_data (G_OBJECT (store), RECORD_MARK_KEY);
  written = mark != NULL && mark->written;
  g_object_set_data (G_OBJECT (store), RECORD_MARK_KEY, NULL);
  return written;
}

static gboolean
write_record (SynStore *store, const char *stream, const char *correlation_id, GError **error)
{
  RecordMark *mark = g_object_get_data (G_OBJECT (store), RECORD_MARK_KEY);

  if (mark == NULL || mark->written || g_strcmp0 (mark->stream, stream) != 0)
    return TRUE;
  json_object_set_string_member (mark->entry, "correlation_id", correlation_id);
  if (!syn_store_add_sync_op (store, mark->project_id, mark->entry, error))
    return FALSE;
  mark->written = TRUE;
  return TRUE;
}

gboolean
syn_push_mark_record (SynStore *store, const char *project_id, const char *correlation_id, GError **error)
{
  PushMark *mark;
  g_autofree char *key = NULL;

  g_return_val_if_fail (SYN_IS_STORE (store), FALSE);
  g_return_val_if_fail (project_id != NULL && correlation_id != NULL, FALSE);

  if (!write_record (store, project_id, correlation_id, error))
    return FALSE;
  if (!(mark = g_object_get_data (G_OBJECT (store), PUSH_MARK_KEY)) || mark->batch != NULL)
    return TRUE;
  if (!check_guard (store, mark, project_id, correlation_id, error))
    return FALSE;
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
