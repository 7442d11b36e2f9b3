/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-project-status.c: SynProjectStatus, whether a project is up to date with its rules, checked off the main loop.
 *
 * The check (SYN_OP_PROJECT_STATUS) derives the whole project on the
 * backend's worker: some milliseconds on the demo, seconds on a hundred
 * thousand assets. Requests are coalesced (a burst of changes is one check,
 * held back at most MAX_WAIT_MS), a newer request cancels the answer of the
 * older one, and for the same project one check runs at a time: the
 * backend's derive cannot be interrupted, so the next waits for the one it
 * cancelled instead of piling up beside it. */
#include "config.h"

#include "core/syn-json.h"
#include "syn-project-status.h"
#include "syn-ui-format.h"

#define DELAY_MS     150
#define MAX_WAIT_MS  1000

struct _SynProjectStatus
{
  GObject          parent_instance;

  SynProjectState  state;
  JsonObject      *report;          /* the last answer for the project, NULL before one */
  GHashTable      *out_of_date;     /* its "out_of_date" ids, made when first asked */
  char            *error;

  SynBackend      *backend;         /* what to check */
  char            *project_id;
  guint            delay_source;
  gint64           pending_since;   /* when the first request of the coming check came */

  GCancellable    *cancellable;     /* of the newest check */
  guint            generation;      /* of the newest check */
  gboolean         running;         /* a check of this backend and project has not answered yet */
  guint            running_generation;
  gboolean         start_when_done; /* the next check waits for the running one */
};

G_DEFINE_FINAL_TYPE (SynProjectStatus, syn_project_status, G_TYPE_OBJECT)
G_DEFINE_ENUM_TYPE (SynProjectState, syn_project_state,
                    G_DEFINE_ENUM_VALUE (SYN_PROJECT_STATE_NONE, "none"),
                    G_DEFINE_ENUM_VALUE (SYN_PROJECT_STATE_CHECKING, "checking"),
                    G_DEFINE_ENUM_VALUE (SYN_PROJECT_STATE_UP_TO_DATE, "up-to-date"),
                    G_DEFINE_ENUM_VALUE (SYN_PROJECT_STATE_OUT_OF_DATE, "out-of-date"),
                    G_DEFINE_ENUM_VALUE (SYN_PROJECT_STATE_FAILED, "failed"))

enum {
  PROP_0,
  PROP_STATE,
  PROP_REPORT,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  SynProjectStatus *self;
  guint             generation;
} CheckCall;

static void
set_state (SynProjectStatus *self, SynProjectState state, JsonObject *report, const char *error)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (report != self->report)
    {
      g_clear_pointer (&self->report, json_object_unref);
      g_clear_pointer (&self->out_of_date, g_hash_table_unref);
      self->report = report ? json_object_ref (report) : NULL;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT]);
    }
  if (g_strcmp0 (error, self->error) != 0)
    {
      g_free (self->error);
      self->error = g_strdup (error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }
  if (state != self->state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void start_check (SynProjectStatus *self);

static void
check_done (GObject *object, GAsyncResult *result, gpointer user_data)
{
  CheckCall *call = user_data;
  g_autoptr(SynProjectStatus) self = call->self;
  guint generation = call->generation;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  JsonObject *report;

  g_free (call);
  if (self->running && generation == self->running_generation)
    self->running = FALSE;
  if (generation != self->generation || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* a newer check waited for this one to end */
      if (!self->running && self->start_when_done)
        start_check (self);
      return;
    }
  if (answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer))
    {
      set_state (self, SYN_PROJECT_STATE_FAILED, NULL, error ? error->message : "");
      return;
    }
  report = json_node_get_object (answer);
  set_state (self,
             json_object_get_boolean_member_with_default (report, "up_to_date", FALSE)
               ? SYN_PROJECT_STATE_UP_TO_DATE : SYN_PROJECT_STATE_OUT_OF_DATE,
             report, NULL);
}

static void
start_check (SynProjectStatus *self)
{
  g_autoptr(JsonObject) params = json_object_new ();
  CheckCall *call;

  self->start_when_done = FALSE;
  if (self->backend == NULL || self->project_id == NULL)
    return;
  call = g_new0 (CheckCall, 1);
  call->self = g_object_ref (self);
  call->generation = self->generation;
  self->running = TRUE;
  self->running_generation = self->generation;
  json_object_set_string_member (params, "project_id", self->project_id);
  syn_backend_call_async (self->backend, SYN_OP_PROJECT_STATUS, params, self->cancellable, check_done, call);
}

static gboolean
delay_done (gpointer data)
{
  SynProjectStatus *self = data;

  self->delay_source = 0;
  if (self->running)
    self->start_when_done = TRUE;
  else
    start_check (self);
  return G_SOURCE_REMOVE;
}

/* Checks @project_id on @backend soon (NULL: nothing to check). Call it
 * again whenever the project, its data or its rules change. */
void
syn_project_status_check (SynProjectStatus *self, SynBackend *backend, const char *project_id)
{
  gboolean same;
  gint64 now = g_get_monotonic_time ();

  g_return_if_fail (SYN_IS_PROJECT_STATUS (self));
  g_return_if_fail (backend == NULL || SYN_IS_BACKEND (backend));

  if (backend == NULL || project_id == NULL)
    backend = NULL, project_id = NULL;
  same = backend == self->backend && g_strcmp0 (project_id, self->project_id) == 0;

  /* whatever is under way answers for what was before this request */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->generation++;
  if (!same)
    {
      /* another project's check is not waited for */
      g_set_object (&self->backend, backend);
      g_free (self->project_id);
      self->project_id = g_strdup (project_id);
      self->running = FALSE;
      self->start_when_done = FALSE;
      g_clear_handle_id (&self->delay_source, g_source_remove);
    }
  if (project_id == NULL)
    {
      g_clear_handle_id (&self->delay_source, g_source_remove);
      set_state (self, SYN_PROJECT_STATE_NONE, NULL, NULL);
      return;
    }
  /* the same project keeps its last report while it is checked again: the
   * counts stay in place until the new ones come */
  set_state (self, SYN_PROJECT_STATE_CHECKING, same ? self->report : NULL, NULL);
  if (self->delay_source == 0)
    self->pending_since = now;
  else if (now - self->pending_since < (gint64) MAX_WAIT_MS * 1000)
    g_clear_handle_id (&self->delay_source, g_source_remove);
  if (self->delay_source == 0)
    self->delay_source = g_timeout_add (DELAY_MS, delay_done, self);
}

SynProjectState
syn_project_status_get_state (SynProjectStatus *self)
{
  g_return_val_if_fail (SYN_IS_PROJECT_STATUS (self), SYN_PROJECT_STATE_NONE);
  return self->state;
}

/* The last answer of SYN_OP_PROJECT_STATUS for the project, or NULL. */
JsonObject *
syn_project_status_get_report (SynProjectStatus *self)
{
  g_return_val_if_fail (SYN_IS_PROJECT_STATUS (self), NULL);
  return self->report;
}

/* Why the last check failed (state FAILED), or NULL. */
const char *
syn_project_status_get_error (SynProjectStatus *self)
{
  g_return_val_if_fail (SYN_IS_PROJECT_STATUS (self), NULL);
  return self->error;
}

/* The report's line of @rule_id ({rule_id, create, update, retract, held,
 * findings}), or NULL when a run would leave that rule's outputs as they are. */
JsonObject *
syn_project_status_get_rule (SynProjectStatus *self, const char *rule_id)
{
  JsonArray *rules;

  g_return_val_if_fail (SYN_IS_PROJECT_STATUS (self), NULL);

  rules = syn_ui_json_array (self->report, "rules");
  for (guint i = 0; rules && i < json_array_get_length (rules); i++)
    {
      JsonObject *rule = json_array_get_object_element (rules, i);

      if (rule != NULL && g_strcmp0 (syn_json_get_string (rule, "rule_id"), rule_id) == 0)
        return rule;
    }
  return NULL;
}

/* @member ("create", "update", "retract", "held", "findings") summed over the rules. */
gint64
syn_project_status_get_total (SynProjectStatus *self, const char *member)
{
  JsonArray *rules;
  gint64 total = 0;

  g_return_val_if_fail (SYN_IS_PROJECT_STATUS (self), 0);

  rules = syn_ui_json_array (self->report, "rules");
  for (guint i = 0; rules && i < json_array_get_length (rules); i++)
    {
      JsonObject *rule = json_array_get_object_element (rules, i);

      if (rule != NULL)
        total += json_object_get_int_member_with_default (rule, member, 0);
    }
  return total;
}

/* Whether a run would change the asset or cable @id (per the last answer). */
gboolean
syn_project_status_is_out_of_date (SynProjectStatus *self, const char *id)
{
  g_return_val_if_fail (SYN_IS_PROJECT_STATUS (self), FALSE);

  if (id == NULL || self->report == NULL)
    return FALSE;
  if (self->out_of_date == NULL)
    {
      JsonArray *ids = syn_ui_json_array (self->report, "out_of_date");

      self->out_of_date = g_hash_table_new (g_str_hash, g_str_equal);
      /* the strings belong to the report, kept as long as the table */
      for (guint i = 0; ids && i < json_array_get_length (ids); i++)
        if (json_array_get_string_element (ids, i) != NULL)
          g_hash_table_add (self->out_of_date, (gpointer) json_array_get_string_element (ids, i));
    }
  return g_hash_table_contains (self->out_of_date, id);
}

/* ------------------------------------------------------------------------- */

SynProjectStatus *
syn_project_status_new (void)
{
  return g_object_new (SYN_TYPE_PROJECT_STATUS, NULL);
}

static void
syn_project_status_dispose (GObject *object)
{
  SynProjectStatus *self = SYN_PROJECT_STATUS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->delay_source, g_source_remove);
  g_clear_object (&self->backend);

  G_OBJECT_CLASS (syn_project_status_parent_class)->dispose (object);
}

static void
syn_project_status_finalize (GObject *object)
{
  SynProjectStatus *self = SYN_PROJECT_STATUS (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->out_of_date, g_hash_table_unref);
  g_clear_pointer (&self->report, json_object_unref);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->project_id, g_free);

  G_OBJECT_CLASS (syn_project_status_parent_class)->finalize (object);
}

static void
syn_project_status_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SynProjectStatus *self = SYN_PROJECT_STATUS (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_REPORT:
      g_value_set_boxed (value, self->report);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
syn_project_status_class_init (SynProjectStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = syn_project_status_dispose;
  object_class->finalize = syn_project_status_finalize;
  object_class->get_property = syn_project_status_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, SYN_TYPE_PROJECT_STATE, SYN_PROJECT_STATE_NONE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_REPORT] =
    g_param_spec_boxed ("report", NULL, NULL, JSON_TYPE_OBJECT, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
syn_project_status_init (SynProjectStatus *self)
{
  self->cancellable = g_cancellable_new ();
}
