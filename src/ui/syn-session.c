/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-session.c: SynSession, the backend, the projects and the current project the views share.
 *
 * Views never call each other: they follow the session's properties (backend,
 * project, revision), its project status and its signals (show-batch,
 * show-asset, message, message-with-action). */
#include "config.h"

#include <glib/gi18n.h>

#include "backend/syn-local-backend.h"
#include "core/syn-json.h"
#include "syn-as-of-backend.h"
#include "syn-json-item.h"
#include "syn-project-status.h"
#include "syn-session.h"
#include "syn-ui-format.h"

struct _SynSession
{
  GObject       parent_instance;

  SynBackend   *backend;
  gboolean      remote;
  char         *connection_label;
  GListStore   *projects;       /* SynProject */
  SynProject   *project;
  GListStore   *rules;          /* SynJsonItem: rule definitions */
  SynProjectStatus *status;     /* whether the project is up to date with its rules */
  guint         revision;
  guint         loading;
  GCancellable *cancellable;    /* the calls of the current backend */

  /* following the project: others' batches (another engineer on the
   * server, the command line on the same file), told by the backend */
  SynBackend   *watched_backend;
  char         *watched_project;
  gulong        changed_handler;
  guint         follow_generation;
  gint64        known_position;   /* the newest event the views have; -1 while it is read */
  gint64        told_position;    /* told meanwhile: a change unless the read covers it */
  gboolean      external_change;

  /* the project as of a past moment, read-only (NULL: now) */
  char         *as_of;
  SynBackend   *as_of_backend;  /* once its state is read */
  JsonObject   *as_of_info;     /* {moment, position, timestamp?, correlation_id?, head_hash?, state_hash, counts} */
  GCancellable *as_of_cancellable;
  gboolean      as_of_loading;
};

G_DEFINE_FINAL_TYPE (SynSession, syn_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BACKEND,
  PROP_REMOTE,
  PROP_CONNECTION_LABEL,
  PROP_PROJECTS,
  PROP_PROJECT,
  PROP_PROJECT_ID,
  PROP_RULES,
  PROP_REVISION,
  PROP_LOADING,
  PROP_AS_OF,
  PROP_DATA_BACKEND,
  N_PROPS
};

enum {
  SIGNAL_MESSAGE,
  SIGNAL_MESSAGE_WITH_ACTION,
  SIGNAL_SHOW_BATCH,
  SIGNAL_SHOW_ASSET,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void follow_restart (SynSession *self);
static void follow_stop (SynSession *self);
static void as_of_clear (SynSession *self);

static void
syn_session_dispose (GObject *object)
{
  SynSession *self = SYN_SESSION (object);

  follow_stop (self);
  g_cancellable_cancel (self->cancellable);
  as_of_clear (self);
  if (self->status != NULL)
    syn_project_status_check (self->status, NULL, NULL);
  g_clear_object (&self->backend);
  g_clear_object (&self->project);
  if (self->projects != NULL)
    g_list_store_remove_all (self->projects);
  if (self->rules != NULL)
    g_list_store_remove_all (self->rules);

  G_OBJECT_CLASS (syn_session_parent_class)->dispose (object);
}

static void
syn_session_finalize (GObject *object)
{
  SynSession *self = SYN_SESSION (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->projects);
  g_clear_object (&self->rules);
  g_clear_object (&self->status);
  g_clear_pointer (&self->connection_label, g_free);
  g_clear_pointer (&self->as_of, g_free);

  G_OBJECT_CLASS (syn_session_parent_class)->finalize (object);
}

static void
syn_session_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SynSession *self = SYN_SESSION (object);

  switch (prop_id)
    {
    case PROP_BACKEND:
      g_value_set_object (value, self->backend);
      break;
    case PROP_REMOTE:
      g_value_set_boolean (value, self->remote);
      break;
    case PROP_CONNECTION_LABEL:
      g_value_set_string (value, self->connection_label);
      break;
    case PROP_PROJECTS:
      g_value_set_object (value, self->projects);
      break;
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    case PROP_PROJECT_ID:
      g_value_set_string (value, syn_session_get_project_id (self));
      break;
    case PROP_RULES:
      g_value_set_object (value, self->rules);
      break;
    case PROP_REVISION:
      g_value_set_uint (value, self->revision);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading > 0);
      break;
    case PROP_AS_OF:
      g_value_set_string (value, self->as_of);
      break;
    case PROP_DATA_BACKEND:
      g_value_set_object (value, syn_session_get_data_backend (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
syn_session_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SynSession *self = SYN_SESSION (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      syn_session_set_project (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
syn_session_class_init (SynSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = syn_session_dispose;
  object_class->finalize = syn_session_finalize;
  object_class->get_property = syn_session_get_property;
  object_class->set_property = syn_session_set_property;

  properties[PROP_BACKEND] =
    g_param_spec_object ("backend", NULL, NULL, SYN_TYPE_BACKEND, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_REMOTE] =
    g_param_spec_boolean ("remote", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONNECTION_LABEL] =
    g_param_spec_string ("connection-label", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROJECTS] =
    g_param_spec_object ("projects", NULL, NULL, G_TYPE_LIST_MODEL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, SYN_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROJECT_ID] =
    g_param_spec_string ("project-id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_RULES] =
    g_param_spec_object ("rules", NULL, NULL, G_TYPE_LIST_MODEL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_REVISION] =
    g_param_spec_uint ("revision", NULL, NULL, 0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * SynSession:as-of:
   *
   * The past moment the project is shown as of (a position, a date or a
   * batch, syn_moment_resolve()), read-only; NULL: now.
   */
  properties[PROP_AS_OF] =
    g_param_spec_string ("as-of", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * SynSession:data-backend:
   *
   * Where the views read the project's assets and cables from: the backend
   * now, the state of the moment while as of one (NULL while it is read).
   */
  properties[PROP_DATA_BACKEND] =
    g_param_spec_object ("data-backend", NULL, NULL, SYN_TYPE_BACKEND, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SynSession::message:
   * @text: what to tell the user
   * @is_error: whether it is an error
   *
   * Shown in the window (errors are never only on stderr).
   */
  signals[SIGNAL_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);
  /**
   * SynSession::message-with-action:
   * @text: what to tell the user (news, not an error)
   * @label: the button that goes with it ("_Undo")
   * @detailed_action: what the button does ("win.redo('…')")
   *
   * Shown in the window with its button, until dismissed or replaced.
   */
  signals[SIGNAL_MESSAGE_WITH_ACTION] =
    g_signal_new ("message-with-action", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * SynSession::show-batch:
   * @correlation_id: the batch to show on the timeline
   */
  signals[SIGNAL_SHOW_BATCH] =
    g_signal_new ("show-batch", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * SynSession::show-asset:
   * @asset_id: (nullable): the asset to show in the asset history
   * @tag: (nullable): its tag, when the id is not known
   */
  signals[SIGNAL_SHOW_ASSET] =
    g_signal_new ("show-asset", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
syn_session_init (SynSession *self)
{
  self->projects = g_list_store_new (SYN_TYPE_PROJECT);
  self->rules = g_list_store_new (SYN_TYPE_JSON_ITEM);
  self->status = syn_project_status_new ();
  self->cancellable = g_cancellable_new ();
  self->connection_label = g_strdup (_("Not connected"));
}

SynSession *
syn_session_new (void)
{
  return g_object_new (SYN_TYPE_SESSION, NULL);
}

SynBackend *
syn_session_get_backend (SynSession *self)
{
  g_return_val_if_fail (SYN_IS_SESSION (self), NULL);
  return self->backend;
}

static void
loading_push (SynSession *self)
{
  if (self->loading++ == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
loading_pop (SynSession *self)
{
  g_return_if_fail (self->loading > 0);
  if (--self->loading == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Everything belongs to the backend it came from: switching (local to
 * remote, or back) drops the projects and cancels what is on its way. */
void
syn_session_set_backend (SynSession *self, SynBackend *backend, gboolean remote, const char *label)
{
  g_return_if_fail (SYN_IS_SESSION (self));
  g_return_if_fail (backend == NULL || SYN_IS_BACKEND (backend));

  g_object_freeze_notify (G_OBJECT (self));
  syn_session_set_as_of (self, NULL);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (self->loading > 0)
    {
      self->loading = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
    }

  g_list_store_remove_all (self->rules);
  g_list_store_remove_all (self->projects);
  if (g_set_object (&self->backend, backend))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BACKEND]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATA_BACKEND]);
    }
  syn_session_set_project (self, NULL);
  follow_restart (self);
  if (self->remote != !!remote)
    {
      self->remote = !!remote;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMOTE]);
    }
  g_free (self->connection_label);
  self->connection_label = g_strdup (label ? label : backend ? _("Local") : _("Not connected"));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION_LABEL]);
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
syn_session_get_remote (SynSession *self)
{
  g_return_val_if_fail (SYN_IS_SESSION (self), FALSE);
  return self->remote;
}

const char *
syn_session_get_connection_label (SynSession *self)
{
  g_return_val_if_fail (SYN_IS_SESSION (self), NULL);
  return self->connection_label;
}

GListModel *
syn_session_get_projects (SynSession *self)
{
  g_return_val_if_fail (SYN_IS_SESSION (self), NULL);
  return G_LIST_MODEL (self->projects);
}

SynProject *
syn_session_get_project (SynSession *self)
{
  g_return_val_if_fail (SYN_IS_SESSION (self), NULL);
  return self->project;
}

const char *
syn_session_get_project_id (SynSession *self)
{
  g_return_val_if_fail (SYN_IS_SESSION (self), NULL);
  return self->project ? self->project->id : NULL;
}

GListModel *
syn_session_get_rules (SynSession *self)
{
  g_return_val_if_fail (SYN_IS_SESSION (self), NULL);
  return G_LIST_MODEL (self->rules);
}

/* How the rule @rule_id is shown: its name among the project's rules, else
 * its id (a rule since deleted). */
const char *
syn_session_get_rule_label (SynSession *self, const char *rule_id)
{
  g_return_val_if_fail (SYN_IS_SESSION (self), rule_id);

  for (guint i = 0; rule_id != NULL && i < g_list_model_get_n_items (G_LIST_MODEL (self->rules)); i++)
    {
      g_autoptr(SynJsonItem) rule = g_list_model_get_item (G_LIST_MODEL (self->rules), i);

      if (g_strcmp0 (syn_json_item_get_string (rule, "id"), rule_id) == 0)
        return syn_json_item_get_label (rule);
    }
  return rule_id;
}

/* Whether the current project is up to date with its rules, checked again
 * whenever the project, its data or its rules change. */
SynProjectStatus *
syn_session_get_status (SynSession *self)
{
  g_return_val_if_fail (SYN_IS_SESSION (self), NULL);
  return self->status;
}

static void
check_status (SynSession *self)
{
  syn_project_status_check (self->status, self->backend, self->project ? self->project->id : NULL);
}

/* While ::notify::revision is emitted: whether the change was seen by
 * following the project (someone else's batch) rather than made here. */
gboolean
syn_session_get_external_change (SynSession *self)
{
  g_return_val_if_fail (SYN_IS_SESSION (self), FALSE);
  return self->external_change;
}

guint
syn_session_get_revision (SynSession *self)
{
  g_return_val_if_fail (SYN_IS_SESSION (self), 0);
  return self->revision;
}

gboolean
syn_session_get_loading (SynSession *self)
{
  g_return_val_if_fail (SYN_IS_SESSION (self), FALSE);
  return self->loading > 0;
}

/* ------------------------------------------------------------------------- */
/* Following the project                                                     */

typedef struct
{
  SynSession *self;
  guint       generation;
} FollowCall;

/* What the project holds is now what the views show: a batch told after
 * this read is someone else's. */
static void
position_read (GObject *object, GAsyncResult *result, gpointer user_data)
{
  FollowCall *call = user_data;
  g_autoptr(SynSession) self = call->self;
  guint generation = call->generation;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  JsonArray *events;
  gint64 position = 0;

  g_free (call);
  /* a read from before the last change of ours: the next one tells */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || generation != self->follow_generation)
    return;
  if (answer == NULL)
    {
      /* not known: the next change told is taken as new */
      self->known_position = MAX (self->told_position, 0);
      return;
    }
  events = json_object_get_array_member (json_node_get_object (answer), "events");
  if (events != NULL && json_array_get_length (events) > 0)
    position = json_object_get_int_member_with_default (json_array_get_object_element (events, 0), "position", 0);
  self->known_position = position;
  if (self->told_position > position)
    {
      self->known_position = self->told_position;
      self->external_change = TRUE;
      syn_session_data_changed (self);
      self->external_change = FALSE;
    }
}

/* The project's newest event (one index step), read anew. */
static void
read_position (SynSession *self)
{
  g_autoptr(JsonObject) params = NULL;
  FollowCall *call;

  self->known_position = -1;
  self->told_position = -1;
  if (self->backend == NULL || self->project == NULL)
    return;
  params = json_object_new ();
  json_object_set_string_member (params, "project_id", self->project->id);
  json_object_set_boolean_member (params, "include_rolled_back", TRUE);
  json_object_set_int_member (params, "limit", 1);
  call = g_new0 (FollowCall, 1);
  call->self = g_object_ref (self);
  call->generation = self->follow_generation;
  syn_backend_call_async (self->backend, SYN_OP_TIMELINE, params, self->cancellable, position_read, call);
}

/* A batch was committed in the project: ours (the views reloaded already,
 * or the read under way covers it) or someone else's. */
static void
on_project_changed (SynBackend *backend, const char *project_id, gint64 first, gint64 last, SynSession *self)
{
  if (self->project == NULL || g_strcmp0 (project_id, self->project->id) != 0)
    return;
  if (self->known_position < 0)
    {
      self->told_position = MAX (self->told_position, last);
      return;
    }
  if (last <= self->known_position)
    return;
  self->known_position = last;
  self->external_change = TRUE;
  syn_session_data_changed (self);
  self->external_change = FALSE;
}

static void
follow_stop (SynSession *self)
{
  if (self->watched_backend != NULL)
    {
      g_clear_signal_handler (&self->changed_handler, self->watched_backend);
      syn_backend_unwatch_project (self->watched_backend, self->watched_project);
    }
  g_clear_object (&self->watched_backend);
  g_clear_pointer (&self->watched_project, g_free);
}

/* Starts over: what the project holds now is what the views load. */
static void
follow_restart (SynSession *self)
{
  follow_stop (self);
  self->follow_generation++;
  if (self->backend == NULL || self->project == NULL)
    return;
  self->watched_backend = g_object_ref (self->backend);
  self->watched_project = g_strdup (self->project->id);
  self->changed_handler = g_signal_connect (self->backend, "project-changed", G_CALLBACK (on_project_changed), self);
  syn_backend_watch_project (self->backend, self->project->id, -1);
  read_position (self);
}

/* ------------------------------------------------------------------------- */
/* Rules of the current project                                              */

static void
rules_loaded (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SynSession) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  JsonArray *array;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  loading_pop (self);
  if (answer == NULL)
    {
      syn_session_report_error (self, _("Could not load the rules"), error);
      return;
    }
  array = json_node_get_array (answer);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *rule = json_array_get_object_element (array, i);

      g_ptr_array_add (items, syn_json_item_new (rule, syn_json_get_string (rule, "name")));
    }
  g_list_store_splice (self->rules, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rules)),
                       items->pdata, items->len);
  check_status (self);
}

static void
load_rules (SynSession *self)
{
  g_autoptr(JsonObject) params = json_object_new ();

  g_list_store_remove_all (self->rules);
  if (self->backend == NULL || self->project == NULL)
    return;
  json_object_set_string_member (params, "project_id", self->project->id);
  loading_push (self);
  syn_backend_call_async (self->backend, SYN_OP_LIST_RULES, params, self->cancellable, rules_loaded,
                          g_object_ref (self));
}

void
syn_session_set_project (SynSession *self, SynProject *project)
{
  g_return_if_fail (SYN_IS_SESSION (self));
  g_return_if_fail (project == NULL || SYN_IS_PROJECT (project));

  if (self->project == project ||
      (self->project && project && g_strcmp0 (self->project->id, project->id) == 0))
    return;
  /* a moment is one project's */
  syn_session_set_as_of (self, NULL);
  g_set_object (&self->project, project);
  load_rules (self);
  follow_restart (self);
  check_status (self);
  self->revision++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT_ID]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVISION]);
}

/* The project's data changed (a batch committed or rolled back): views reload. */
void
syn_session_data_changed (SynSession *self)
{
  g_return_if_fail (SYN_IS_SESSION (self));

  /* what the project holds now is the new baseline of the follower */
  if (!self->external_change)
    {
      self->follow_generation++;
      read_position (self);
    }
  check_status (self);
  self->revision++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVISION]);
}

/* ------------------------------------------------------------------------- */
/* Projects                                                                  */

typedef struct
{
  SynSession *self;
  char       *preferred_id;
  gboolean    create_demo;
} LoadProjects;

static void
load_projects_free (LoadProjects *load)
{
  g_object_unref (load->self);
  g_free (load->preferred_id);
  g_free (load);
}

static void
demo_created (GObject *object, GAsyncResult *result, gpointer user_data)
{
  LoadProjects *load = user_data;
  SynSession *self = load->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      load_projects_free (load);
      return;
    }
  loading_pop (self);
  if (answer == NULL)
    syn_session_report_error (self, _("Could not create the demo project"), error);
  else
    {
      JsonNode *project = json_object_get_member (json_node_get_object (answer), "project");

      syn_session_report_info (self, _("Welcome! The demo project of a gold mine is ready: press Execute to run its rules."));
      syn_session_load_projects (self, syn_json_get_string (json_node_get_object (project), "id"), FALSE);
    }
  load_projects_free (load);
}

static void
projects_loaded (GObject *object, GAsyncResult *result, gpointer user_data)
{
  LoadProjects *load = user_data;
  SynSession *self = load->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  g_autoptr(GPtrArray) projects = g_ptr_array_new_with_free_func (g_object_unref);
  SynProject *select = NULL;
  JsonArray *array;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      load_projects_free (load);
      return;
    }
  if (answer == NULL)
    {
      loading_pop (self);
      syn_session_report_error (self, _("Could not load the projects"), error);
      load_projects_free (load);
      return;
    }

  array = json_node_get_array (answer);
  if (json_array_get_length (array) == 0 && load->create_demo)
    {
      g_autoptr(JsonObject) params = json_object_new ();

      /* first start: the demo, so that Execute works at once */
      syn_backend_call_async (self->backend, SYN_OP_CREATE_DEMO, params, self->cancellable, demo_created, load);
      return;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      SynProject *project = syn_project_from_json (json_array_get_object_element (array, i), NULL);

      if (project == NULL)
        continue;
      g_ptr_array_add (projects, project);
      if (select == NULL && g_strcmp0 (project->id, load->preferred_id) == 0)
        select = project;
    }
  if (select == NULL && self->project != NULL)
    for (guint i = 0; i < projects->len && select == NULL; i++)
      if (g_strcmp0 (((SynProject *) projects->pdata[i])->id, self->project->id) == 0)
        select = projects->pdata[i];
  if (select == NULL && projects->len > 0)
    select = projects->pdata[0];

  g_list_store_splice (self->projects, 0, g_list_model_get_n_items (G_LIST_MODEL (self->projects)),
                       projects->pdata, projects->len);
  syn_session_set_project (self, select);
  loading_pop (self);
  load_projects_free (load);
}

/* Opens the local database at @path (that must exist with
 * SYN_STORE_OPEN_EXISTING), makes it the session's backend with its events
 * recorded as @user_id's, and loads its projects, @preferred_id selected.
 * Returns the backend (the session holds it), NULL with @error set. */
SynBackend *
syn_session_open_local (SynSession       *self,
                        const char       *path,
                        SynStoreOpenFlags flags,
                        const char       *user_id,
                        const char       *label,
                        const char       *preferred_id,
                        gboolean          create_demo_if_empty,
                        GError          **error)
{
  g_autoptr(SynLocalBackend) backend = NULL;

  g_return_val_if_fail (SYN_IS_SESSION (self), NULL);
  g_return_val_if_fail (path != NULL && user_id != NULL, NULL);

  backend = syn_local_backend_new_full (path, flags, error);
  if (backend == NULL)
    return NULL;
  syn_local_backend_set_user_id (backend, user_id);
  syn_session_set_backend (self, SYN_BACKEND (backend), FALSE, label);
  syn_session_load_projects (self, preferred_id, create_demo_if_empty);
  return SYN_BACKEND (backend);
}

/* Loads the project list and selects @preferred_id (or the current one, or
 * the first); an empty database gets the demo project first when asked. */
void
syn_session_load_projects (SynSession *self, const char *preferred_id, gboolean create_demo_if_empty)
{
  g_autoptr(JsonObject) params = json_object_new ();
  LoadProjects *load;

  g_return_if_fail (SYN_IS_SESSION (self));

  if (self->backend == NULL)
    return;
  load = g_new0 (LoadProjects, 1);
  load->self = g_object_ref (self);
  load->preferred_id = g_strdup (preferred_id);
  load->create_demo = create_demo_if_empty;
  loading_push (self);
  syn_backend_call_async (self->backend, SYN_OP_LIST_PROJECTS, params, self->cancellable, projects_loaded, load);
}

/* ------------------------------------------------------------------------- */
/* Messages and navigation                                                   */

void
syn_session_report_error (SynSession *self, const char *what, const GError *error)
{
  g_autofree char *text = NULL;

  g_return_if_fail (SYN_IS_SESSION (self));

  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (what != NULL && error != NULL)
    text = g_strdup_printf ("%s: %s", what, error->message);
  else
    text = g_strdup (what ? what : error ? error->message : _("Something went wrong"));
  g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, text, TRUE);
}

void
syn_session_report_info (SynSession *self, const char *message)
{
  g_return_if_fail (SYN_IS_SESSION (self));
  g_return_if_fail (message != NULL);

  g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, message, FALSE);
}

void
syn_session_report_info_with_action (SynSession *self, const char *message, const char *label,
                                     const char *detailed_action)
{
  g_return_if_fail (SYN_IS_SESSION (self));
  g_return_if_fail (message != NULL && label != NULL && detailed_action != NULL);

  g_signal_emit (self, signals[SIGNAL_MESSAGE_WITH_ACTION], 0, message, label, detailed_action);
}

/* "Redid batch 3d3f36c6: 26 created, 6 changed, 0 deleted." or, for a
 * rollback's batch, what undoing it redid. */
static char *
describe_redo (JsonObject *answer)
{
  JsonObject *summary = json_object_get_object_member (answer, "summary");
  JsonArray *redone = json_object_get_array_member (answer, "redone");
  const char *asked = syn_json_get_string (answer, "correlation_id");
  g_autofree char *id = syn_format_short_id (asked);
  int n_redone = redone ? (int) json_array_get_length (redone) : 0;
  int created = 0, updated = 0, deleted = 0;

  for (const char * const *k = (const char * const[]) { "assets", "cables", "edges", NULL }; *k; k++)
    {
      g_autofree char *c = g_strconcat (*k, "_created", NULL);
      g_autofree char *u = g_strconcat (*k, "_updated", NULL);
      g_autofree char *d = g_strconcat (*k, "_deleted", NULL);

      created += summary ? (int) json_object_get_int_member_with_default (summary, c, 0) : 0;
      updated += summary ? (int) json_object_get_int_member_with_default (summary, u, 0) : 0;
      deleted += summary ? (int) json_object_get_int_member_with_default (summary, d, 0) : 0;
    }
  if (n_redone == 1 && g_strcmp0 (json_array_get_string_element (redone, 0), asked) == 0)
    /* Translators: the answer of a redo: batch id, then counts of entities */
    return g_strdup_printf (_("Redid batch %s: %d created, %d changed, %d deleted."), id, created, updated, deleted);
  /* Translators: the answer of undoing a rollback: its id, how many batches it redid, then counts */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Undid rollback %s, redoing %d batch: %d created, %d changed, %d deleted.",
                                       "Undid rollback %s, redoing %d batches: %d created, %d changed, %d deleted.",
                                       (gulong) n_redone), id, n_redone, created, updated, deleted);
}

static void
redone (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SynSession) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  g_autofree char *text = NULL;

  if (answer == NULL)
    {
      syn_session_report_error (self, _("Could not redo"), error);
      return;
    }
  text = describe_redo (json_node_get_object (answer));
  syn_session_report_info (self, text);
  syn_session_data_changed (self);
}

/* Applies the rolled-back batch again, or undoes the rollback whose batch
 * it is; says what it did (or why not) in the window. */
void
syn_session_redo (SynSession *self, const char *correlation_id)
{
  g_autoptr(JsonObject) params = json_object_new ();

  g_return_if_fail (SYN_IS_SESSION (self));
  g_return_if_fail (correlation_id != NULL);

  if (self->backend == NULL || self->project == NULL)
    return;
  json_object_set_string_member (params, "project_id", self->project->id);
  json_object_set_string_member (params, "correlation_id", correlation_id);
  syn_backend_call_async (self->backend, SYN_OP_REDO, params, self->cancellable, redone, g_object_ref (self));
}

void
syn_session_show_batch (SynSession *self, const char *correlation_id)
{
  g_return_if_fail (SYN_IS_SESSION (self));
  g_return_if_fail (correlation_id != NULL);

  g_signal_emit (self, signals[SIGNAL_SHOW_BATCH], 0, correlation_id);
}

void
syn_session_show_asset (SynSession *self, const char *asset_id, const char *tag)
{
  g_return_if_fail (SYN_IS_SESSION (self));
  g_return_if_fail (asset_id != NULL || tag != NULL);

  g_signal_emit (self, signals[SIGNAL_SHOW_ASSET], 0, asset_id, tag);
}

/* ------------------------------------------------------------------------- */
/* The project as of a past moment                                           */

static void
as_of_clear (SynSession *self)
{
  if (self->as_of_cancellable != NULL)
    g_cancellable_cancel (self->as_of_cancellable);
  g_clear_object (&self->as_of_cancellable);
  g_clear_object (&self->as_of_backend);
  g_clear_pointer (&self->as_of_info, json_object_unref);
}

static void
state_read (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SynSession) self = user_data;
  g_autoptr(GError) error = NULL;
  JsonNode *answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  JsonObject *state, *info;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->as_of_loading = FALSE;
  loading_pop (self);
  if (answer == NULL)
    {
      syn_session_report_error (self, _("Could not show the project as of that moment"), error);
      syn_session_set_as_of (self, NULL);
      return;
    }
  /* the banner's facts, copied: the state itself goes to the workers */
  state = json_node_get_object (answer);
  info = syn_json_object_copy (json_object_get_object_member (state, "as_of"));
  syn_json_set_string_or_null (info, "state_hash", syn_json_get_string (state, "state_hash"));
  if (json_object_get_object_member (state, "counts") != NULL)
    json_object_set_object_member (info, "counts", syn_json_object_copy (json_object_get_object_member (state, "counts")));
  self->as_of_info = info;
  self->as_of_backend = syn_as_of_backend_new (SYN_BACKEND (object), answer);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATA_BACKEND]);
}

/* Shows the project as of @moment (a position, a date or a batch), read-only,
 * until called with NULL (now). Batches committed meanwhile do not move it. */
void
syn_session_set_as_of (SynSession *self, const char *moment)
{
  g_autoptr(JsonObject) params = NULL;

  g_return_if_fail (SYN_IS_SESSION (self));

  if (moment != NULL && (self->backend == NULL || self->project == NULL))
    return;
  if (g_strcmp0 (moment, self->as_of) == 0)
    return;
  if (self->as_of_loading)
    {
      self->as_of_loading = FALSE;
      loading_pop (self);
    }
  as_of_clear (self);
  g_free (self->as_of);
  self->as_of = g_strdup (moment);
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AS_OF]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATA_BACKEND]);
  g_object_thaw_notify (G_OBJECT (self));
  if (moment == NULL)
    return;
  self->as_of_cancellable = g_cancellable_new ();
  params = json_object_new ();
  json_object_set_string_member (params, "project_id", self->project->id);
  json_object_set_string_member (params, "as_of", moment);
  self->as_of_loading = TRUE;
  loading_push (self);
  syn_backend_call_async (self->backend, SYN_OP_STATE_AS_OF, params, self->as_of_cancellable, state_read,
                          g_object_ref (self));
}

const char *
syn_session_get_as_of (SynSession *self)
{
  g_return_val_if_fail (SYN_IS_SESSION (self), NULL);
  return self->as_of;
}

/* What the moment shown is, once read: {moment, position, timestamp?,
 * correlation_id? (the batch of its last event), head_hash?, state_hash,
 * counts}; NULL at now or while it is read. */
JsonObject *
syn_session_get_as_of_info (SynSession *self)
{
  g_return_val_if_fail (SYN_IS_SESSION (self), NULL);
  return self->as_of_info;
}

SynBackend *
syn_session_get_data_backend (SynSession *self)
{
  g_return_val_if_fail (SYN_IS_SESSION (self), NULL);
  return self->as_of != NULL ? self->as_of_backend : self->backend;
}
