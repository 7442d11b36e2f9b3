/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-state-checkpoint.h: state checkpoints every so many events, so a moment's state replays from near it. */
#pragma once

#include "store/syn-store.h"
#include "syn-state-replay.h"

G_BEGIN_DECLS

/* A checkpoint falls each time a project's event count reaches a multiple
 * of this (docs/design-notes.md, "Checkpoints"). */
#define SYN_STATE_CHECKPOINT_EVERY 25000

/* The interval in events (SYN_STATE_CHECKPOINT_EVERY unless set; 0: no
 * checkpoints); process-wide, set by tests and benchmarks only. */
guint64         syn_state_checkpoint_get_interval (void);
void            syn_state_checkpoint_set_interval (guint64          events);
/* Whether a checkpoint falls after the @n_events-th event. */
gboolean        syn_state_checkpoint_due          (guint64          n_events);

/* How a checkpoint's state is stored: the canonical JSON packed by zlib
 * (level 1) in base64 after this prefix; a state without it is the JSON
 * itself (checkpoints written before, and tests). content_hash is always
 * over the JSON. */
#define SYN_STATE_CHECKPOINT_ZLIB_PREFIX "zlib:"

char           *syn_state_checkpoint_encode       (const char      *state);
/* The canonical JSON of a stored state (either form); NULL with
 * SYN_ENGINE_ERROR_FAILED when the packed form cannot be unpacked. */
char           *syn_state_checkpoint_decode       (const char      *stored,
                                                   GError         **error);

/* SHA-256 (hex) of a checkpoint's state text (the JSON, unpacked). */
char           *syn_state_checkpoint_content_hash (const char      *state);

/* Writes @replay's state as the checkpoint at its position (the event
 * there has the chain hash @head_hash), unless one is there already. */
gboolean        syn_state_checkpoint_write        (SynStore        *store,
                                                   SynStateReplay  *replay,
                                                   const char      *head_hash,
                                                   GError         **error);

/* The project's state after its events up to @position: from the newest
 * checkpoint at or before it (whose content must match its hash), then the
 * events after it, writing the checkpoints it passes that are missing. */
SynStateReplay *syn_state_checkpoint_replay_to    (SynStore        *store,
                                                   const char      *project_id,
                                                   gint64           position,
                                                   GError         **error);

/* Checkpoints written ahead of need: after each batch the event store
 * commits (syn_event_store_commit_batch()), the ones that fell since the
 * newest are written, so that the first "as of" on a big project does not
 * replay it all. On unless set (benchmarks time it apart). */
void            syn_state_checkpoint_set_write_ahead (gboolean     write);
gboolean        syn_state_checkpoint_get_write_ahead (void);
/* Writes the checkpoints that fell since the project's newest one, when one
 * did (a replay from it to now); cheap otherwise (the event count). */
gboolean        syn_state_checkpoint_write_due    (SynStore        *store,
                                                   const char      *project_id,
                                                   GError         **error);

G_END_DECLS
