/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-execution-run.c: SynExecutionRun: a run's live messages folded into properties, for the command
 * line and the execution panel alike.
 *
 * Messages can come by the tens of thousands a second: each is folded with
 * the notifications frozen, so a message costs one notification per
 * property it changed; a view that wants fewer reads the properties once
 * per frame rather than binding the counters. */
#include "config.h"

#include "core/syn-json.h"
#include "syn-execution-run.h"
#include "syn-run-error.h"

struct _SynExecutionRun
{
  GObject       parent_instance;

  SynBackend   *backend;
  gulong        message_handler;
  char         *execution_id;
  char         *project_id;
  JsonObject   *filters;
  gboolean      dry_run;

  gboolean      started;        /* asked of the backend */
  gboolean      finished;
  gboolean      cancel_asked;
  char         *status;
  char         *correlation_id;
  guint         progress;
  char         *current_rule;
  guint         rules_completed;
  guint         rules_total;
  guint         rules_idle;     /* had no candidates: never pending */
  guint         total_assets;
  guint         actions;
  guint         skipped;
  guint         errors;
  guint         warnings;
  GListStore   *error_list;     /* SynRunError: every recoverable ERROR */
  JsonObject   *summary;
  gint64        duration_ms;
  gint64        started_at;     /* monotonic, microseconds */
  gint64        finished_at;
  char         *failure;
  JsonNode     *final_message;
};

G_DEFINE_FINAL_TYPE (SynExecutionRun, syn_execution_run, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BACKEND,
  PROP_PROJECT_ID,
  PROP_DRY_RUN,
  PROP_FILTERS,
  PROP_EXECUTION_ID,
  PROP_CORRELATION_ID,
  PROP_RUNNING,
  PROP_FINISHED,
  PROP_STATUS,
  PROP_UP_TO_DATE,
  PROP_PROGRESS,
  PROP_CURRENT_RULE,
  PROP_RULES_COMPLETED,
  PROP_RULES_TOTAL,
  PROP_RULES_IDLE,
  PROP_TOTAL_ASSETS,
  PROP_ACTIONS,
  PROP_SKIPPED,
  PROP_ERRORS,
  PROP_WARNINGS,
  PROP_ERROR_LIST,
  PROP_SUMMARY,
  PROP_DURATION_MS,
  PROP_FAILURE,
  N_PROPS
};

enum {
  SIGNAL_MESSAGE,
  SIGNAL_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------------- */
/* Folding                                                                   */

static void
set_uint (SynExecutionRun *self, guint *field, guint value, guint prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_string (SynExecutionRun *self, char **field, const char *value, guint prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static guint
member_uint (JsonObject *object, const char *name, guint fallback)
{
  gint64 value = object ? json_object_get_int_member_with_default (object, name, fallback) : fallback;

  return (guint) CLAMP (value, 0, G_MAXUINT);
}

static void
finish (SynExecutionRun *self, const char *status)
{
  set_string (self, &self->status, status, PROP_STATUS);
  set_string (self, &self->current_rule, NULL, PROP_CURRENT_RULE);
  self->finished = TRUE;
  self->finished_at = g_get_monotonic_time ();
  if (self->backend != NULL)
    g_clear_signal_handler (&self->message_handler, self->backend);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINISHED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UP_TO_DATE]);
}

static void
fold_error (SynExecutionRun *self, JsonObject *m)
{
  const char *text = syn_json_get_string (m, "message");

  if (json_object_get_boolean_member_with_default (m, "recoverable", TRUE))
    {
      g_autoptr(SynRunError) error = syn_run_error_new (syn_json_get_string (m, "rule_id"),
                                                        syn_json_get_string (m, "asset_id"),
                                                        syn_json_get_string (m, "asset_tag"), text,
                                                        syn_json_get_string (m, "severity"));

      g_list_store_append (self->error_list, error);
      /* the backend's count has the last word (COMPLETED): what a person
       * holds is a warning there, whatever its severity says */
      if (g_strcmp0 (syn_json_get_string (m, "severity"), "warning") == 0)
        set_uint (self, &self->warnings, self->warnings + 1, PROP_WARNINGS);
      set_uint (self, &self->errors, self->errors + 1, PROP_ERRORS);
      return;
    }
  /* the end: nothing of the run was committed; the message says whether it
   * was cancelled (by anyone) or failed, else what this client asked says */
  set_string (self, &self->failure, text ? text : "The execution failed", PROP_FAILURE);
  if (g_strcmp0 (syn_json_get_string (m, "status"), "cancelled") == 0 ||
      g_strcmp0 (syn_json_get_string (m, "status"), "failed") == 0)
    finish (self, syn_json_get_string (m, "status"));
  else
    finish (self, self->cancel_asked ? "cancelled" : "failed");
}

static void
fold_completed (SynExecutionRun *self, JsonObject *m)
{
  JsonObject *summary = json_object_get_object_member (m, "summary");
  const char *status = syn_json_get_string (m, "status");

  /* the backend's figures are the truth at the end */
  set_uint (self, &self->progress, 100, PROP_PROGRESS);
  if (summary != NULL)
    {
      guint executed = member_uint (summary, "rules_executed", self->rules_completed);

      /* every rule is through: those that had no candidates are not
       * pending, they leave the count (the bar says 100 %) */
      set_uint (self, &self->rules_idle, self->rules_total > executed ? self->rules_total - executed : 0,
                PROP_RULES_IDLE);
      set_uint (self, &self->rules_completed, executed, PROP_RULES_COMPLETED);
      set_uint (self, &self->rules_total, executed, PROP_RULES_TOTAL);
      set_uint (self, &self->actions, member_uint (summary, "actions_taken", self->actions), PROP_ACTIONS);
      set_uint (self, &self->skipped, member_uint (summary, "skipped", self->skipped), PROP_SKIPPED);
      set_uint (self, &self->errors, member_uint (summary, "errors", self->errors), PROP_ERRORS);
      g_clear_pointer (&self->summary, json_object_unref);
      self->summary = json_object_ref (summary);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
    }
  self->duration_ms = json_object_get_int_member_with_default (m, "duration_ms", 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION_MS]);
  /* an up-to-date run commits nothing and names no batch */
  set_string (self, &self->correlation_id, syn_json_get_string (m, "correlation_id"), PROP_CORRELATION_ID);
  finish (self, status ? status : self->dry_run ? "preview" : "completed");
}

/**
 * syn_execution_run_apply_message:
 * @message: a live message of this run (DESIGN.md section 7.2)
 *
 * Folds @message into the properties, then emits ::message (and
 * ::finished after the last one). The backend's messages come here by
 * themselves once started; a recorded stream can be given too.
 */
void
syn_execution_run_apply_message (SynExecutionRun *self, JsonNode *message)
{
  JsonObject *m;
  const char *type;

  g_return_if_fail (SYN_IS_EXECUTION_RUN (self));
  g_return_if_fail (message != NULL);

  if (self->finished || !JSON_NODE_HOLDS_OBJECT (message))
    return;
  m = json_node_get_object (message);
  type = syn_json_get_string (m, "type");

  g_object_freeze_notify (G_OBJECT (self));
  if (g_strcmp0 (type, "ACTION") == 0)
    set_uint (self, &self->actions, self->actions + 1, PROP_ACTIONS);
  else if (g_strcmp0 (type, "STARTED") == 0)
    {
      set_uint (self, &self->rules_total, member_uint (m, "total_rules", 0), PROP_RULES_TOTAL);
      set_uint (self, &self->total_assets, member_uint (m, "total_assets", 0), PROP_TOTAL_ASSETS);
      set_string (self, &self->correlation_id, syn_json_get_string (m, "correlation_id"), PROP_CORRELATION_ID);
    }
  else if (g_strcmp0 (type, "RULE_START") == 0)
    {
      set_string (self, &self->current_rule, syn_json_get_string (m, "rule_name"), PROP_CURRENT_RULE);
      set_uint (self, &self->progress, MAX (self->progress, member_uint (m, "progress", 0)), PROP_PROGRESS);
    }
  else if (g_strcmp0 (type, "PROGRESS") == 0)
    {
      set_uint (self, &self->progress, MAX (self->progress, member_uint (m, "progress", 0)), PROP_PROGRESS);
      set_uint (self, &self->rules_completed, member_uint (m, "rules_completed", self->rules_completed),
                PROP_RULES_COMPLETED);
      set_uint (self, &self->rules_total, member_uint (m, "rules_total", self->rules_total), PROP_RULES_TOTAL);
      set_uint (self, &self->actions, MAX (self->actions, member_uint (m, "actions_completed", 0)), PROP_ACTIONS);
      set_uint (self, &self->errors, MAX (self->errors, member_uint (m, "errors", 0)), PROP_ERRORS);
    }
  else if (g_strcmp0 (type, "RULE_COMPLETE") == 0)
    set_uint (self, &self->skipped, self->skipped + member_uint (m, "skipped", 0), PROP_SKIPPED);
  else if (g_strcmp0 (type, "ERROR") == 0)
    fold_error (self, m);
  else if (g_strcmp0 (type, "COMPLETED") == 0)
    fold_completed (self, m);
  if (self->finished)
    self->final_message = json_node_ref (message);
  g_object_thaw_notify (G_OBJECT (self));

  g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, message);
  if (self->finished)
    g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
}

/* ------------------------------------------------------------------------- */
/* Starting and cancelling                                                   */

static void
on_execution_message (SynBackend *backend, const char *execution_id, JsonNode *message, SynExecutionRun *self)
{
  if (g_strcmp0 (execution_id, self->execution_id) == 0)
    syn_execution_run_apply_message (self, message);
}

static void
on_started (GObject *object, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  SynExecutionRun *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_execute_finish (SYN_BACKEND (object), result, &error);

  if (answer == NULL)
    {
      /* refused before it began: busy, bad filters, unreachable server */
      if (!self->finished)
        {
          g_object_freeze_notify (G_OBJECT (self));
          set_string (self, &self->failure, error->message, PROP_FAILURE);
          finish (self, "failed");
          g_object_thaw_notify (G_OBJECT (self));
          g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (self->correlation_id == NULL)
    set_string (self, &self->correlation_id,
                syn_json_get_string (json_node_get_object (answer), "correlation_id"), PROP_CORRELATION_ID);
  /* asked while the run was waiting for its project */
  if (self->cancel_asked && !self->finished)
    syn_backend_cancel_execution (self->backend, self->execution_id);
  g_task_return_boolean (task, TRUE);
}

/**
 * syn_execution_run_start_async:
 *
 * Asks the backend to run; completes once the run holds its project (or
 * was refused: the run is then finished, its failure said). Every message
 * of the run is folded in from now on, whichever comes first.
 */
void
syn_execution_run_start_async (SynExecutionRun     *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonObject) request = NULL;

  g_return_if_fail (SYN_IS_EXECUTION_RUN (self));
  g_return_if_fail (SYN_IS_BACKEND (self->backend));
  g_return_if_fail (!self->started);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, syn_execution_run_start_async);
  self->started = TRUE;
  self->started_at = g_get_monotonic_time ();
  set_string (self, &self->status, "running", PROP_STATUS);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  request = json_object_new ();
  json_object_set_string_member (request, "project_id", self->project_id);
  json_object_set_string_member (request, "mode", self->dry_run ? "dry_run" : "execute");
  json_object_set_object_member (request, "filters", self->filters ? json_object_ref (self->filters)
                                                                   : json_object_new ());
  json_object_set_string_member (request, "execution_id", self->execution_id);
  /* before asking: the first messages may come before the answer */
  self->message_handler = g_signal_connect (self->backend, "execution-message",
                                            G_CALLBACK (on_execution_message), self);
  syn_backend_execute_async (self->backend, request, cancellable, on_started, g_steal_pointer (&task));
}

gboolean
syn_execution_run_start_finish (SynExecutionRun *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (SYN_IS_EXECUTION_RUN (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == syn_execution_run_start_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Nothing of the run is committed; its final message (an ERROR) says when
 * it stopped. Returns whether there was a run going on to cancel. */
gboolean
syn_execution_run_cancel (SynExecutionRun *self)
{
  g_return_val_if_fail (SYN_IS_EXECUTION_RUN (self), FALSE);

  if (!self->started || self->finished)
    return FALSE;
  self->cancel_asked = TRUE;
  syn_backend_cancel_execution (self->backend, self->execution_id);
  return TRUE;
}

/* ------------------------------------------------------------------------- */
/* GObject                                                                   */

/* Makes an execution's id: the front ends' runs get theirs here. */
SynExecutionRun *
syn_execution_run_new (SynBackend *backend, const char *project_id, gboolean dry_run, JsonObject *filters)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (backend == NULL || SYN_IS_BACKEND (backend), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  if (filters != NULL)
    node = syn_json_node_new_object (json_object_ref (filters));
  return g_object_new (SYN_TYPE_EXECUTION_RUN,
                       "backend", backend,
                       "project-id", project_id,
                       "dry-run", dry_run,
                       "filters", node,
                       NULL);
}

static void
syn_execution_run_dispose (GObject *object)
{
  SynExecutionRun *self = SYN_EXECUTION_RUN (object);

  if (self->backend != NULL)
    g_clear_signal_handler (&self->message_handler, self->backend);
  g_clear_object (&self->backend);

  G_OBJECT_CLASS (syn_execution_run_parent_class)->dispose (object);
}

static void
syn_execution_run_finalize (GObject *object)
{
  SynExecutionRun *self = SYN_EXECUTION_RUN (object);

  g_clear_pointer (&self->execution_id, g_free);
  g_clear_pointer (&self->project_id, g_free);
  g_clear_pointer (&self->filters, json_object_unref);
  g_clear_pointer (&self->status, g_free);
  g_clear_pointer (&self->correlation_id, g_free);
  g_clear_pointer (&self->current_rule, g_free);
  g_clear_object (&self->error_list);
  g_clear_pointer (&self->summary, json_object_unref);
  g_clear_pointer (&self->failure, g_free);
  g_clear_pointer (&self->final_message, json_node_unref);

  G_OBJECT_CLASS (syn_execution_run_parent_class)->finalize (object);
}

static void
syn_execution_run_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SynExecutionRun *self = SYN_EXECUTION_RUN (object);

  switch (prop_id)
    {
    case PROP_BACKEND:
      g_value_set_object (value, self->backend);
      break;
    case PROP_PROJECT_ID:
      g_value_set_string (value, self->project_id);
      break;
    case PROP_DRY_RUN:
      g_value_set_boolean (value, self->dry_run);
      break;
    case PROP_FILTERS:
      g_value_take_boxed (value, self->filters ? syn_json_node_new_object (json_object_ref (self->filters)) : NULL);
      break;
    case PROP_EXECUTION_ID:
      g_value_set_string (value, self->execution_id);
      break;
    case PROP_CORRELATION_ID:
      g_value_set_string (value, self->correlation_id);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, syn_execution_run_get_running (self));
      break;
    case PROP_FINISHED:
      g_value_set_boolean (value, self->finished);
      break;
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    case PROP_UP_TO_DATE:
      g_value_set_boolean (value, syn_execution_run_get_up_to_date (self));
      break;
    case PROP_PROGRESS:
      g_value_set_uint (value, self->progress);
      break;
    case PROP_CURRENT_RULE:
      g_value_set_string (value, self->current_rule);
      break;
    case PROP_RULES_COMPLETED:
      g_value_set_uint (value, self->rules_completed);
      break;
    case PROP_RULES_TOTAL:
      g_value_set_uint (value, self->rules_total);
      break;
    case PROP_RULES_IDLE:
      g_value_set_uint (value, self->rules_idle);
      break;
    case PROP_TOTAL_ASSETS:
      g_value_set_uint (value, self->total_assets);
      break;
    case PROP_ACTIONS:
      g_value_set_uint (value, self->actions);
      break;
    case PROP_SKIPPED:
      g_value_set_uint (value, self->skipped);
      break;
    case PROP_ERRORS:
      g_value_set_uint (value, self->errors);
      break;
    case PROP_WARNINGS:
      g_value_set_uint (value, self->warnings);
      break;
    case PROP_ERROR_LIST:
      g_value_set_object (value, self->error_list);
      break;
    case PROP_SUMMARY:
      g_value_take_boxed (value, self->summary ? syn_json_node_new_object (json_object_ref (self->summary)) : NULL);
      break;
    case PROP_DURATION_MS:
      g_value_set_int64 (value, self->duration_ms);
      break;
    case PROP_FAILURE:
      g_value_set_string (value, self->failure);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
syn_execution_run_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SynExecutionRun *self = SYN_EXECUTION_RUN (object);

  switch (prop_id)
    {
    case PROP_BACKEND:
      self->backend = g_value_dup_object (value);
      break;
    case PROP_PROJECT_ID:
      self->project_id = g_value_dup_string (value);
      break;
    case PROP_DRY_RUN:
      self->dry_run = g_value_get_boolean (value);
      break;
    case PROP_FILTERS:
      {
        JsonNode *node = g_value_get_boxed (value);

        if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
          self->filters = syn_json_object_copy (json_node_get_object (node));
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
syn_execution_run_class_init (SynExecutionRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = syn_execution_run_dispose;
  object_class->finalize = syn_execution_run_finalize;
  object_class->get_property = syn_execution_run_get_property;
  object_class->set_property = syn_execution_run_set_property;

  properties[PROP_BACKEND] = g_param_spec_object ("backend", NULL, NULL, SYN_TYPE_BACKEND, construct);
  properties[PROP_PROJECT_ID] = g_param_spec_string ("project-id", NULL, NULL, NULL, construct);
  properties[PROP_DRY_RUN] = g_param_spec_boolean ("dry-run", NULL, NULL, FALSE, construct);
  /* {rule_ids, disciplines, action_types, asset_ids, asset_types} */
  properties[PROP_FILTERS] = g_param_spec_boxed ("filters", NULL, NULL, JSON_TYPE_NODE, construct);
  properties[PROP_EXECUTION_ID] = g_param_spec_string ("execution-id", NULL, NULL, NULL, ro);
  /* the batch (null for a run that found nothing to do) */
  properties[PROP_CORRELATION_ID] = g_param_spec_string ("correlation-id", NULL, NULL, NULL, ro);
  /* started and not finished yet */
  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE, ro);
  properties[PROP_FINISHED] = g_param_spec_boolean ("finished", NULL, NULL, FALSE, ro);
  /* NULL before the start; "running"; then "completed", "up_to_date",
   * "preview", "failed" or "cancelled" */
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL, ro);
  /* finished finding nothing to do: no batch was committed */
  properties[PROP_UP_TO_DATE] = g_param_spec_boolean ("up-to-date", NULL, NULL, FALSE, ro);
  properties[PROP_PROGRESS] = g_param_spec_uint ("progress", NULL, NULL, 0, 100, 0, ro);
  properties[PROP_CURRENT_RULE] = g_param_spec_string ("current-rule", NULL, NULL, NULL, ro);
  properties[PROP_RULES_COMPLETED] = g_param_spec_uint ("rules-completed", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_RULES_TOTAL] = g_param_spec_uint ("rules-total", NULL, NULL, 0, G_MAXUINT, 0, ro);
  /* rules that had no candidates, known at the end: left out of rules-total */
  properties[PROP_RULES_IDLE] = g_param_spec_uint ("rules-idle", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_TOTAL_ASSETS] = g_param_spec_uint ("total-assets", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_ACTIONS] = g_param_spec_uint ("actions", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_SKIPPED] = g_param_spec_uint ("skipped", NULL, NULL, 0, G_MAXUINT, 0, ro);
  /* how many recoverable errors and warnings; each is in error-list */
  properties[PROP_ERRORS] = g_param_spec_uint ("errors", NULL, NULL, 0, G_MAXUINT, 0, ro);
  /* of the list, those of severity "warning" */
  properties[PROP_WARNINGS] = g_param_spec_uint ("warnings", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_ERROR_LIST] = g_param_spec_object ("error-list", NULL, NULL, G_TYPE_LIST_MODEL, ro);
  /* COMPLETED's summary as it came: every member, known or not */
  properties[PROP_SUMMARY] = g_param_spec_boxed ("summary", NULL, NULL, JSON_TYPE_NODE, ro);
  properties[PROP_DURATION_MS] = g_param_spec_int64 ("duration-ms", NULL, NULL, 0, G_MAXINT64, 0, ro);
  /* why the run ended without a batch: refused, failed or cancelled */
  properties[PROP_FAILURE] = g_param_spec_string ("failure", NULL, NULL, NULL, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SynExecutionRun::message:
   * @message: the live message, once folded in
   */
  signals[SIGNAL_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, JSON_TYPE_NODE);
  /**
   * SynExecutionRun::finished:
   *
   * The run ended (COMPLETED, a final ERROR, or a refused start); the
   * properties hold its outcome.
   */
  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
syn_execution_run_init (SynExecutionRun *self)
{
  self->execution_id = syn_uuid_new ();
  self->error_list = g_list_store_new (SYN_TYPE_RUN_ERROR);
}

/* ------------------------------------------------------------------------- */
/* Getters                                                                   */

SynBackend *
syn_execution_run_get_backend (SynExecutionRun *self)
{
  g_return_val_if_fail (SYN_IS_EXECUTION_RUN (self), NULL);
  return self->backend;
}

const char *
syn_execution_run_get_execution_id (SynExecutionRun *self)
{
  g_return_val_if_fail (SYN_IS_EXECUTION_RUN (self), NULL);
  return self->execution_id;
}

const char *
syn_execution_run_get_project_id (SynExecutionRun *self)
{
  g_return_val_if_fail (SYN_IS_EXECUTION_RUN (self), NULL);
  return self->project_id;
}

gboolean
syn_execution_run_get_dry_run (SynExecutionRun *self)
{
  g_return_val_if_fail (SYN_IS_EXECUTION_RUN (self), FALSE);
  return self->dry_run;
}

const char *
syn_execution_run_get_correlation_id (SynExecutionRun *self)
{
  g_return_val_if_fail (SYN_IS_EXECUTION_RUN (self), NULL);
  return self->correlation_id;
}

gboolean
syn_execution_run_get_running (SynExecutionRun *self)
{
  g_return_val_if_fail (SYN_IS_EXECUTION_RUN (self), FALSE);
  return self->started && !self->finished;
}

gboolean
syn_execution_run_get_finished (SynExecutionRun *self)
{
  g_return_val_if_fail (SYN_IS_EXECUTION_RUN (self), FALSE);
  return self->finished;
}

const char *
syn_execution_run_get_status (SynExecutionRun *self)
{
  g_return_val_if_fail (SYN_IS_EXECUTION_RUN (self), NULL);
  return self->status;
}

gboolean
syn_execution_run_get_up_to_date (SynExecutionRun *self)
{
  g_return_val_if_fail (SYN_IS_EXECUTION_RUN (self), FALSE);
  return g_strcmp0 (self->status, "up_to_date") == 0;
}

guint
syn_execution_run_get_progress (SynExecutionRun *self)
{
  g_return_val_if_fail (SYN_IS_EXECUTION_RUN (self), 0);
  return self->progress;
}

const char *
syn_execution_run_get_current_rule (SynExecutionRun *self)
{
  g_return_val_if_fail (SYN_IS_EXECUTION_RUN (self), NULL);
  return self->current_rule;
}

guint
syn_execution_run_get_rules_completed (SynExecutionRun *self)
{
  g_return_val_if_fail (SYN_IS_EXECUTION_RUN (self), 0);
  return self->rules_completed;
}

guint
syn_execution_run_get_rules_total (SynExecutionRun *self)
{
  g_return_val_if_fail (SYN_IS_EXECUTION_RUN (self), 0);
  return self->rules_total;
}

guint
syn_execution_run_get_rules_idle (SynExecutionRun *self)
{
  g_return_val_if_fail (SYN_IS_EXECUTION_RUN (self), 0);
  return self->rules_idle;
}

guint
syn_execution_run_get_total_assets (SynExecutionRun *self)
{
  g_return_val_if_fail (SYN_IS_EXECUTION_RUN (self), 0);
  return self->total_assets;
}

guint
syn_execution_run_get_actions (SynExecutionRun *self)
{
  g_return_val_if_fail (SYN_IS_EXECUTION_RUN (self), 0);
  return self->actions;
}

guint
syn_execution_run_get_skipped (SynExecutionRun *self)
{
  g_return_val_if_fail (SYN_IS_EXECUTION_RUN (self), 0);
  return self->skipped;
}

guint
syn_execution_run_get_errors (SynExecutionRun *self)
{
  g_return_val_if_fail (SYN_IS_EXECUTION_RUN (self), 0);
  return self->errors;
}

guint
syn_execution_run_get_warnings (SynExecutionRun *self)
{
  g_return_val_if_fail (SYN_IS_EXECUTION_RUN (self), 0);
  return self->warnings;
}

/* Time since the start, up to the end once finished (0 before the start):
 * the front ends show it while the run goes on. */
gint64
syn_execution_run_get_elapsed_ms (SynExecutionRun *self)
{
  g_return_val_if_fail (SYN_IS_EXECUTION_RUN (self), 0);

  if (!self->started)
    return 0;
  return ((self->finished ? self->finished_at : g_get_monotonic_time ()) - self->started_at) / 1000;
}

/* Every recoverable ERROR of the run so far (SynRunError), oldest first. */
GListModel *
syn_execution_run_get_error_list (SynExecutionRun *self)
{
  g_return_val_if_fail (SYN_IS_EXECUTION_RUN (self), NULL);
  return G_LIST_MODEL (self->error_list);
}

/* COMPLETED's summary ({rules_executed, ..., created: {...}} and whatever
 * else it holds), or NULL before it. */
JsonObject *
syn_execution_run_get_summary (SynExecutionRun *self)
{
  g_return_val_if_fail (SYN_IS_EXECUTION_RUN (self), NULL);
  return self->summary;
}

gint64
syn_execution_run_get_duration_ms (SynExecutionRun *self)
{
  g_return_val_if_fail (SYN_IS_EXECUTION_RUN (self), 0);
  return self->duration_ms;
}

const char *
syn_execution_run_get_failure (SynExecutionRun *self)
{
  g_return_val_if_fail (SYN_IS_EXECUTION_RUN (self), NULL);
  return self->failure;
}

/* COMPLETED, or the ERROR that ended the run; NULL before (or when the
 * start was refused). */
JsonNode *
syn_execution_run_get_final_message (SynExecutionRun *self)
{
  g_return_val_if_fail (SYN_IS_EXECUTION_RUN (self), NULL);
  return self->final_message;
}
