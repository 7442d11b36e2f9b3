/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-rule-engine-private.h: the state of one run, shared by the engine and its actions. */
#pragma once

#include "syn-batch.h"
#include "syn-engine-error.h"
#include "syn-rule-engine.h"

G_BEGIN_DECLS

#define SYN_ENGINE_MAX_PASSES 8

typedef struct
{
  guint processed;
  guint actions;
  guint skipped;
  guint errors;
} SynRuleCounts;

/* Who set a property in this batch: a later rule of lower rank does not overwrite it. */
typedef struct
{
  const char *rule_id;     /* borrowed from the run's rules */
  gint64      priority;
  gboolean    enforced;
} SynClaim;

typedef struct
{
  SynStore             *store;
  SynProject           *project;
  SynBatch             *batch;
  char                 *execution_id;
  char                 *user_id;
  gboolean              dry_run;
  GCancellable         *cancellable;
  SynEngineMessageFunc  message_func;
  gpointer              message_data;

  GPtrArray            *rules;            /* SynRule, in execution order */
  GHashTable           *assets_by_id;     /* id -> SynAsset (owned) */
  GHashTable           *assets_by_tag;    /* tag -> SynAsset */
  GHashTable           *assets_by_type_area; /* "TYPE\x1fAREA" -> GPtrArray of SynAsset */
  GHashTable           *children;         /* parent id -> GPtrArray of SynEdge (child -> parent) */
  GHashTable           *edge_keys;        /* "source\x1ftarget\x1frelation" set */
  GHashTable           *cable_tags;       /* set */
  GHashTable           *claims;           /* "asset\x1fkey" -> SynClaim */
  GPtrArray            *created_this_pass; /* SynAsset */

  /* for the summary */
  GHashTable           *rules_evaluated;
  GHashTable           *assets_evaluated;
  guint                 actions_taken;
  guint                 skipped;
  guint                 errors;
  guint                 created_assets;
  guint                 created_cables;
  guint                 created_edges;
  guint                 rules_total;
  guint                 rules_completed;
  GHashTable           *rules_completed_set;
  guint                 progress;
  guint                 pass;
} SynEngineRun;

void      _syn_engine_send           (SynEngineRun  *run,
                                      JsonObject    *message);
void      _syn_engine_send_error     (SynEngineRun  *run,
                                      const char    *rule_id,
                                      const char    *asset_id,
                                      const char    *message,
                                      gboolean       recoverable);
SynEvent *_syn_engine_rule_event     (SynEngineRun  *run,
                                      const char    *event_type,
                                      SynRule       *rule,
                                      SynAsset      *source,
                                      const char    *reason,
                                      JsonObject    *extra,
                                      GError       **error);
void      _syn_engine_add_asset      (SynEngineRun  *run,
                                      SynAsset      *asset,
                                      gboolean       created);
void      _syn_engine_add_edge       (SynEngineRun  *run,
                                      SynEdge       *edge);
gboolean  _syn_engine_apply_rule     (SynEngineRun  *run,
                                      SynRule       *rule,
                                      SynAsset      *source,
                                      SynRuleCounts *counts,
                                      GError       **error);
char     *_syn_engine_edge_key       (const char    *source_id,
                                      const char    *target_id,
                                      const char    *relation);

G_END_DECLS
