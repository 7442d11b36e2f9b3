/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-rule-engine-private.h: the state of one run, shared by the engine's evaluation (derive) and its writer (apply). */
#pragma once

#include "syn-batch.h"
#include "syn-derivation.h"
#include "syn-engine-error.h"
#include "syn-rule-engine.h"
#include "syn-rule-world.h"

G_BEGIN_DECLS

#define SYN_ENGINE_MAX_PASSES 8

/* A run has two halves. Derive (syn-rule-evaluator.c, syn-rule-actions.c)
 * computes, in memory and without writing, the project as the rules make it
 * from its sources: the stored project without the outputs of the rules in
 * scope, then every rule over every source in passes until a pass changes
 * nothing. Apply (syn-rule-applier.c) compares that with the stored project
 * and writes the difference as one batch: creations, updates in place,
 * retractions, and the findings that changed. Because derive always starts
 * from the sources, a run after any change gives what a run on a fresh copy
 * would: incremental equals from scratch. */

/* One rule evaluated on one source asset: the unit of attribution of every
 * change a run makes (its events are caused by the pair's rule event). */
typedef struct
{
  char      *key;          /* "RULE\x1fSOURCE" */
  char      *rule_id;
  char      *source_id;
  char      *source_tag;   /* when last evaluated (or as stored) */
  SynRule   *rule;         /* borrowed from the run; NULL: the rule is gone */
  guint      rule_index;   /* in the run's order; G_MAXUINT: not run (inactive, gone, out of scope) */
  guint      pass;         /* of its first change (its events' place), or of its first evaluation */
  guint64    eval_tick;    /* of its last evaluation */
  guint      evaluated : 1;
  guint      matched : 1;  /* at its last evaluation */
  guint      changed : 1;  /* it changed the derived project */
  char      *inputs;       /* fingerprint of what it last read */
  JsonArray *findings;     /* of its last evaluation: [{reason, message, ...}] */
  char      *digest;       /* of @findings; NULL when none */
  GPtrArray *deps;         /* what it read beyond its source (char *), for the next passes */
} SynPair;

typedef struct
{
  guint processed;
  guint actions;
  guint skipped;
  guint errors;
} SynRuleCounts;

/* Who set a property in this run: a later rule of lower rank does not overwrite it. */
typedef struct
{
  const char *rule_id;     /* borrowed from the run's rules */
  gint64      priority;
  gboolean    enforced;
  guint       order;       /* the rule's place in the run's order */
} SynClaim;

typedef struct
{
  SynStore             *store;
  SynProject           *project;
  SynBatch             *batch;             /* NULL when only deriving (status) */
  char                 *execution_id;
  char                 *user_id;
  gboolean              dry_run;
  GCancellable         *cancellable;
  SynEngineMessageFunc  message_func;
  gpointer              message_data;

  /* scope */
  GPtrArray            *rules;             /* SynRule to run, in execution order */
  GPtrArray            *all_rules;         /* every rule of the project and library (SynRule) */
  SynRule              *candidate;         /* a preview's rule, in place of the stored one of its id */
  GHashTable           *rule_index;        /* rule id -> GUINT_TO_POINTER (index + 1) in @rules */
  GHashTable           *rules_in_scope;    /* rule id set: whose outputs this run re-derives */
  gboolean              any_rule_in_scope; /* no rule filter: rules gone from the project count too */
  char                **asset_ids;         /* asset filters; NULL: none */
  char                **asset_types;
  GHashTable           *asset_scope;       /* @asset_ids as a set (borrowed strings); built when first asked */
  gint64                mark_position;     /* of the last up-to-date run, when the same rules are in force; -1 */
  JsonArray            *mark_standing;     /* that run's standing findings' messages */
  gboolean              incremental;       /* @asset_ids are what changed since the mark, and what hangs on it */

  /* the two worlds */
  SynRuleWorld         *stored;            /* the project as it is */
  SynRuleWorld         *derived;           /* the project as the rules make it */

  /* derive */
  GHashTable           *pairs;             /* key -> SynPair */
  GHashTable           *dependents;        /* dependency key -> GPtrArray of SynPair */
  GHashTable           *change_ticks;      /* dependency key -> guint64 tick of its last change */
  GHashTable           *changed_this_pass; /* dependency keys changed in this pass (owned) */
  GHashTable           *created_this_pass; /* asset ids new in this pass (owned) */
  GHashTable           *claims;            /* "ASSET\x1fKEY" -> SynClaim */
  GHashTable           *rule_digests;      /* rule id -> digest of its definition (16 hex) */
  GHashTable           *stored_findings;   /* pair key -> digest (current, from the log) */
  SynPair              *current;           /* the pair being evaluated */
  guint64               tick;
  guint64               change_count;
  GString              *reads;             /* what the current pair read, for its fingerprint */

  /* for the summary and messages */
  GHashTable           *rules_evaluated;
  GHashTable           *assets_evaluated;
  guint                 rules_total;
  guint                 total_assets;      /* stored when the run began */
  guint                 progress;
  guint                 pass;
  guint                 passes;
  guint                 errors;
  guint                 warnings;
  guint                 actions_taken;
  guint                 skipped;
  guint                 unchanged;
  guint                 created_assets, created_cables, created_edges;
  guint                 updated_assets, updated_cables;
  guint                 retracted_assets, retracted_cables, retracted_edges;
  guint                 findings_written;
  JsonArray            *standing;          /* the ERROR messages of standing findings, for the mark */
  gint64                timing_start;
  GHashTable           *pass_rule_counts;  /* "PASS\x1fRULE" -> SynRuleCounts, evaluation counts */
} SynEngineRun;

/* syn-rule-engine.c */
void      _syn_engine_send             (SynEngineRun  *run,
                                        JsonObject    *message);
void      _syn_engine_send_error       (SynEngineRun  *run,
                                        const char    *rule_id,
                                        const char    *asset_id,
                                        const char    *asset_tag,
                                        const char    *message,
                                        const char    *severity,
                                        gboolean       recoverable);
void      _syn_engine_run_init         (SynEngineRun  *run);
void      _syn_engine_run_clear        (SynEngineRun  *run);
void      _syn_engine_run_clear_later  (SynEngineRun  *run);
void      _syn_engine_reset_derive     (SynEngineRun  *run);
gboolean  _syn_engine_load_rules       (SynEngineRun  *run,
                                        JsonObject    *request,
                                        GError       **error);
gboolean  _syn_engine_load_stored      (SynEngineRun  *run,
                                        GError       **error);
void      _syn_engine_infer_origins    (SynEngineRun  *run);

/* syn-rule-incremental.c: a rerun after a few property edits */
gboolean  _syn_engine_derive_since_mark (SynEngineRun *run,
                                         GError      **error);
void      _syn_engine_send_standing    (SynEngineRun  *run,
                                        JsonObject    *entry);
void      _syn_engine_report_held      (SynEngineRun  *run,
                                        JsonArray     *rules,
                                        gboolean       out_of_scope);

/* syn-rule-legacy.c: projects from before derivation records */
gboolean  _syn_engine_infer_legacy_layers (SynEngineRun *run,
                                           GError      **error);
gboolean  _syn_engine_record_legacy    (SynStore      *store,
                                        SynProject    *project,
                                        GError       **error);

/* syn-rule-evaluator.c: derive */
gboolean  _syn_engine_derive           (SynEngineRun  *run,
                                        GError       **error);
void      _syn_engine_pair_free        (gpointer       pair);
SynPair  *_syn_engine_pair             (SynEngineRun  *run,
                                        const char    *rule_id,
                                        const char    *source_id);
gboolean  _syn_engine_asset_in_scope   (SynEngineRun  *run,
                                        const char    *asset_id);
gboolean  _syn_engine_rule_takes_type  (SynRule       *rule,
                                        const char    *type);
gboolean  _syn_engine_pair_in_scope    (SynEngineRun  *run,
                                        const char    *rule_id,
                                        const char    *source_id);
void      _syn_engine_changed          (SynEngineRun  *run,
                                        const char    *kind,
                                        const char    *key);
void      _syn_engine_depends          (SynEngineRun  *run,
                                        const char    *kind,
                                        const char    *key);
void      _syn_engine_update_progress  (SynEngineRun  *run,
                                        double         fraction);
void      _syn_engine_send_progress    (SynEngineRun  *run);

/* syn-rule-actions.c: what a rule derives from one source */
gboolean  _syn_engine_evaluate_pair    (SynEngineRun  *run,
                                        SynPair       *pair,
                                        SynRule       *rule,
                                        SynAsset      *source,
                                        GError       **error);
void      _syn_engine_remove_asset     (SynEngineRun  *run,
                                        const char    *asset_id);
void      _syn_engine_remove_outputs   (SynEngineRun  *run,
                                        const char    *rule_id,
                                        const char    *source_id);
char     *_syn_engine_findings_digest  (JsonArray     *findings);
/* Equal but perhaps for the fingerprints in their derivation records. */
gboolean  _syn_engine_assets_equal     (SynAsset      *a,
                                        SynAsset      *b);
gboolean  _syn_engine_cables_equal     (SynCable      *a,
                                        SynCable      *b);

/* syn-rule-applier.c: apply */
gboolean  _syn_engine_apply            (SynEngineRun  *run,
                                        GError       **error);
/* Counts what apply would write, per rule, without writing: the status report. */
JsonObject *_syn_engine_plan_report    (SynEngineRun  *run);

G_END_DECLS
