/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-history-checks.h: the checks of a project's history: hash chain, gapless batches, replay = tables, snapshots, checkpoints. */
#pragma once

#include "store/syn-store.h"
#include "syn-state-replay.h"

G_BEGIN_DECLS

#define SYN_CHECK_CHAIN     "chain"
#define SYN_CHECK_SEQUENCES "sequences"
#define SYN_CHECK_REPLAY    "replay"
#define SYN_CHECK_SNAPSHOTS "snapshots"
#define SYN_CHECK_EXPECT    "expect"
#define SYN_CHECK_CHECKPOINTS "checkpoints"

/* What one verification of a project shares between its checks. */
typedef struct
{
  SynStore       *store;
  char           *project_id;
  char           *expect;            /* a head hash to find in the chain, or NULL */
  /* set by the chain check */
  gint64          head_position;     /* -1: no events */
  char           *head_hash;         /* the stored hash of the newest event */
  gint64          expect_position;   /* where @expect was found, -1: nowhere */
  guint64         n_events;
  JsonArray      *sequence_findings; /* found in the same pass, listed by the sequences check */
  GHashTable     *batch_sizes;       /* correlation id -> number of events (GINT_TO_POINTER) */
  /* set by the replay check */
  SynStateReplay *replay;
  JsonArray      *checkpoint_findings; /* found as it passes each checkpoint, listed by the checkpoints check */
} SynHistoryCheck;

SynHistoryCheck *syn_history_check_new  (SynStore        *store,
                                         const char      *project_id,
                                         const char      *expect);
void             syn_history_check_free (SynHistoryCheck *self);

/* Each adds its findings ({check, kind, message, event_id?, position?,
 * batch?, entity_type?, entity_id?}) to @findings; FALSE only when it
 * cannot read. chain runs first: sequences and expect use what it saw,
 * snapshots what replay built. */
gboolean syn_history_check_chain     (SynHistoryCheck *self, JsonArray *findings, GError **error);
gboolean syn_history_check_sequences (SynHistoryCheck *self, JsonArray *findings, GError **error);
gboolean syn_history_check_expect    (SynHistoryCheck *self, JsonArray *findings, GError **error);
gboolean syn_history_check_replay    (SynHistoryCheck *self, JsonArray *findings, GError **error);
gboolean syn_history_check_snapshots (SynHistoryCheck *self, JsonArray *findings, GError **error);
/* Each state checkpoint equals the replay at its position (its content,
 * hash, event count and the chain hash there); replay runs first. */
gboolean syn_history_check_checkpoints (SynHistoryCheck *self, JsonArray *findings, GError **error);

/* The fast path (the server's check on start): the chain of the events
 * after @after_position, following @previous (the hash at that position,
 * or SYN_EVENT_GENESIS_HASH after -1/0). Sets *@head_position and
 * *@head_hash to the newest event's (unchanged when none is newer) and
 * *@broken to a message naming the first event that breaks the chain
 * (NULL when whole). */
gboolean syn_history_walk_chain      (SynStore    *store,
                                      const char  *project_id,
                                      gint64       after_position,
                                      const char  *previous,
                                      gint64      *head_position,
                                      char       **head_hash,
                                      char       **broken,
                                      GError     **error);

/* The check a server runs on start: each project's chain from where the
 * last such check found it whole (chain_marks), then the mark moved to its
 * head. {ok, checked_at, events_checked, projects: [{project_id, name, ok,
 * head_position, head_hash, events_checked, broken?}]}; ok false when a
 * chain breaks. FALSE only when the database cannot be read. */
JsonNode *syn_history_check_on_start (SynStore    *store,
                                      GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SynHistoryCheck, syn_history_check_free)

G_END_DECLS
