/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-state-checkpoint.c: state checkpoints every so many events, so a moment's state replays from near it. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>

#include "syn-engine-error.h"
#include "syn-state-checkpoint.h"
#include "store/syn-event-query.h"

static guint64 interval = SYN_STATE_CHECKPOINT_EVERY;
static gboolean ahead = TRUE;
/* project id -> the event count last tried ahead (guarded): a project whose
 * replay stops at an anomaly writes no checkpoint, and must not be
 * replayed again at each batch */
static GMutex tried_lock;
static GHashTable *tried;

guint64
syn_state_checkpoint_get_interval (void)
{
  return interval;
}

void
syn_state_checkpoint_set_interval (guint64 events)
{
  interval = events;
}

void
syn_state_checkpoint_set_write_ahead (gboolean write)
{
  ahead = write;
}

gboolean
syn_state_checkpoint_get_write_ahead (void)
{
  return ahead;
}

gboolean
syn_state_checkpoint_due (guint64 n_events)
{
  return interval > 0 && n_events > 0 && n_events % interval == 0;
}

char *
syn_state_checkpoint_content_hash (const char *state)
{
  g_return_val_if_fail (state != NULL, NULL);
  return syn_sha256_hex (state, strlen (state));
}

/* zlib through GIO's converter, all of @in at once. */
static guint8 *
convert_all (GConverter *converter, const guint8 *in, gsize in_len, gsize *out_len, GError **error)
{
  gsize size = MAX (in_len / 4, 4096), used = 0;
  g_autofree guint8 *out = g_malloc (size);
  GConverterResult result;

  do
    {
      g_autoptr(GError) local_error = NULL;
      gsize read = 0, written = 0;

      result = g_converter_convert (converter, in, in_len, out + used, size - used, G_CONVERTER_INPUT_AT_END,
                                    &read, &written, &local_error);
      if (result == G_CONVERTER_ERROR)
        {
          if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          size *= 2;
          out = g_realloc (out, size);
          continue;
        }
      in += read;
      in_len -= read;
      used += written;
      if (used == size)
        {
          size *= 2;
          out = g_realloc (out, size);
        }
    }
  while (result != G_CONVERTER_FINISHED);
  *out_len = used;
  return g_steal_pointer (&out);
}

char *
syn_state_checkpoint_encode (const char *state)
{
  g_autoptr(GZlibCompressor) zlib = NULL;
  g_autofree guint8 *packed = NULL;
  g_autofree char *base64 = NULL;
  gsize len = 0;

  g_return_val_if_fail (state != NULL, NULL);

  /* level 1: a checkpoint is written once and read often; this JSON packs ~8:1 anyway */
  zlib = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 1);
  if (!(packed = convert_all (G_CONVERTER (zlib), (const guint8 *) state, strlen (state), &len, NULL)))
    return g_strdup (state);
  base64 = g_base64_encode (packed, len);
  return g_strconcat (SYN_STATE_CHECKPOINT_ZLIB_PREFIX, base64, NULL);
}

char *
syn_state_checkpoint_decode (const char *stored, GError **error)
{
  g_autoptr(GZlibDecompressor) zlib = NULL;
  g_autofree guchar *packed = NULL;
  g_autoptr(GError) local_error = NULL;
  char *state;
  gsize len = 0, state_len = 0;

  g_return_val_if_fail (stored != NULL, NULL);

  if (!g_str_has_prefix (stored, SYN_STATE_CHECKPOINT_ZLIB_PREFIX))
    return g_strdup (stored);
  packed = g_base64_decode (stored + strlen (SYN_STATE_CHECKPOINT_ZLIB_PREFIX), &len);
  zlib = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB);
  if (len == 0 || !(state = (char *) convert_all (G_CONVERTER (zlib), packed, len, &state_len, &local_error)))
    {
      g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_FAILED, "The checkpoint's compressed state is damaged%s%s",
                   local_error ? ": " : "", local_error ? local_error->message : "");
      return NULL;
    }
  state = g_realloc (state, state_len + 1);
  state[state_len] = '\0';
  if (memchr (state, '\0', state_len) != NULL)
    {
      g_free (state);
      g_set_error_literal (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_FAILED,
                           "The checkpoint's compressed state holds a NUL byte");
      return NULL;
    }
  return state;
}

gboolean
syn_state_checkpoint_write (SynStore *store, SynStateReplay *replay, const char *head_hash, GError **error)
{
  g_autoptr(SynStateCheckpoint) there = NULL;
  g_autofree char *project_id = NULL;
  SynStateCheckpoint c = { 0 };
  gint64 position;
  gboolean ok;

  g_return_val_if_fail (SYN_IS_STORE (store), FALSE);
  g_return_val_if_fail (replay != NULL, FALSE);

  if (head_hash == NULL)
    return TRUE;     /* an event from before the chain: not provable, no checkpoint */
  position = syn_state_replay_get_position (replay);
  project_id = syn_state_replay_dup_project_id (replay);
  if (!syn_store_find_checkpoint (store, project_id, position, FALSE, &there, error))
    return FALSE;
  if (there != NULL && there->position == position)
    return TRUE;
  c.project_id = project_id;
  c.position = position;
  c.events = (gint64) syn_state_replay_get_n_events (replay);
  c.head_hash = (char *) head_hash;
  {
    g_autofree char *state = syn_state_replay_serialize (replay);

    c.content_hash = syn_state_checkpoint_content_hash (state);
    c.state = syn_state_checkpoint_encode (state);
  }
  ok = syn_store_insert_checkpoint (store, &c, error);
  g_free (c.state);
  g_free (c.content_hash);
  return ok;
}

SynStateReplay *
syn_state_checkpoint_replay_to (SynStore *store, const char *project_id, gint64 position, GError **error)
{
  g_autoptr(SynStateCheckpoint) c = NULL;
  g_autoptr(SynStateReplay) replay = NULL;

  g_return_val_if_fail (SYN_IS_STORE (store), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  if (interval > 0 && !syn_store_find_checkpoint (store, project_id, position, TRUE, &c, error))
    return NULL;
  if (c != NULL)
    {
      g_autofree char *state = syn_state_checkpoint_decode (c->state, NULL);
      g_autofree char *hash = state ? syn_state_checkpoint_content_hash (state) : NULL;

      /* a damaged checkpoint is skipped, not believed: verify names it */
      if (hash != NULL && strcmp (hash, c->content_hash) == 0)
        replay = syn_state_replay_new_at (project_id, c->position, (guint64) c->events, state, NULL);
    }
  if (replay == NULL)
    replay = syn_state_replay_new (project_id);
  syn_state_replay_set_write_checkpoints (replay, interval > 0);
  if (!syn_state_replay_fold_to (replay, store, position, NULL, NULL, error))
    return NULL;
  return g_steal_pointer (&replay);
}

gboolean
syn_state_checkpoint_write_due (SynStore *store, const char *project_id, GError **error)
{
  g_autoptr(SynStateCheckpoint) last = NULL;
  g_autoptr(SynEventQuery) query = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(SynStateReplay) replay = NULL;
  guint64 total = 0, since;

  g_return_val_if_fail (SYN_IS_STORE (store), FALSE);
  g_return_val_if_fail (project_id != NULL, FALSE);

  if (interval == 0 || !ahead)
    return TRUE;
  if (!syn_store_find_checkpoint (store, project_id, G_MAXINT64, FALSE, &last, error))
    return FALSE;
  /* the project's event count (the store keeps it cached) */
  query = syn_event_query_new (project_id);
  query->include_rolled_back = TRUE;
  query->limit = 1;
  if (!(page = syn_store_query_events (store, query, &total, error)))
    return FALSE;
  since = last ? (guint64) last->events : 0;
  if (total < since + interval)
    return TRUE;
  g_mutex_lock (&tried_lock);
  if (tried == NULL)
    tried = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  since = MAX (since, GPOINTER_TO_SIZE (g_hash_table_lookup (tried, project_id)));
  if (total >= since + interval)
    g_hash_table_insert (tried, g_strdup (project_id), GSIZE_TO_POINTER ((gsize) total));
  g_mutex_unlock (&tried_lock);
  if (total < since + interval)
    return TRUE;
  /* from the newest checkpoint, writing the ones that fell since */
  replay = syn_state_checkpoint_replay_to (store, project_id, G_MAXINT64, error);
  return replay != NULL;
}
