/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-state-checkpoint.c: state checkpoints every so many events, so a moment's state replays from near it. */
#include "config.h"

#include <string.h>

#include "syn-engine-error.h"
#include "syn-state-checkpoint.h"

static guint64 interval = SYN_STATE_CHECKPOINT_EVERY;

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

gboolean
syn_state_checkpoint_due (guint64 n_events)
{
  return interval > 0 && n_events > 0 && n_events % interval == 0;
}

char *
syn_state_checkpoint_content_hash (const char *state)
{
  g_return_val_if_fail (state != NULL, NULL);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, state, -1);
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
  c.state = syn_state_replay_serialize (replay);
  c.content_hash = syn_state_checkpoint_content_hash (c.state);
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
      g_autofree char *hash = syn_state_checkpoint_content_hash (c->state);

      /* a damaged checkpoint is skipped, not believed: verify names it */
      if (strcmp (hash, c->content_hash) == 0)
        replay = syn_state_replay_new_at (project_id, c->position, (guint64) c->events, c->state, NULL);
    }
  if (replay == NULL)
    replay = syn_state_replay_new (project_id);
  syn_state_replay_set_write_checkpoints (replay, interval > 0);
  if (!syn_state_replay_fold_to (replay, store, position, NULL, NULL, error))
    return NULL;
  return g_steal_pointer (&replay);
}
