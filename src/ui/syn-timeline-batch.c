/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-timeline-batch.c: SynTimelineBatch, what the timeline says about one batch, loaded on demand. */
#include "config.h"

#include <glib/gi18n.h>

#include "core/syn-json.h"
#include "core/syn-vocabulary.h"
#include "syn-timeline-batch.h"
#include "syn-ui-format.h"

struct _SynTimelineBatch
{
  GObject   parent_instance;

  char     *correlation_id;
  gboolean  loaded;
  char     *kind;
  char     *mode;
  char     *user;
  char     *time;
  char     *summary;
  gint64    events_count;
  gboolean  rolled_back;
  gboolean  can_roll_back;
  gboolean  can_redo;
  char     *head_hash;    /* the project's chain head right after the batch */
  gint64    position;     /* of its newest event */
};

G_DEFINE_FINAL_TYPE (SynTimelineBatch, syn_timeline_batch, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
syn_timeline_batch_finalize (GObject *object)
{
  SynTimelineBatch *self = SYN_TIMELINE_BATCH (object);

  g_clear_pointer (&self->correlation_id, g_free);
  g_clear_pointer (&self->kind, g_free);
  g_clear_pointer (&self->mode, g_free);
  g_clear_pointer (&self->user, g_free);
  g_clear_pointer (&self->time, g_free);
  g_clear_pointer (&self->summary, g_free);
  g_clear_pointer (&self->head_hash, g_free);

  G_OBJECT_CLASS (syn_timeline_batch_parent_class)->finalize (object);
}

static void
syn_timeline_batch_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SynTimelineBatch *self = SYN_TIMELINE_BATCH (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
syn_timeline_batch_class_init (SynTimelineBatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = syn_timeline_batch_finalize;
  object_class->get_property = syn_timeline_batch_get_property;

  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
syn_timeline_batch_init (SynTimelineBatch *self)
{
}

SynTimelineBatch *
syn_timeline_batch_new (const char *correlation_id)
{
  SynTimelineBatch *self;

  g_return_val_if_fail (correlation_id != NULL, NULL);

  self = g_object_new (SYN_TYPE_TIMELINE_BATCH, NULL);
  self->correlation_id = g_strdup (correlation_id);
  return self;
}

const char *
syn_timeline_batch_get_correlation_id (SynTimelineBatch *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_BATCH (self), NULL);
  return self->correlation_id;
}

gboolean
syn_timeline_batch_get_loaded (SynTimelineBatch *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_BATCH (self), FALSE);
  return self->loaded;
}

static JsonObject *
payload_of (JsonObject *event)
{
  JsonNode *node = event ? json_object_get_member (event, "payload") : NULL;

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* A batch is known by its newest and oldest events: the oldest says what
 * kind of batch it is (BATCH_STARTED, CSV_IMPORTED, BATCH_ROLLED_BACK,
 * BATCH_REDONE, INTEGRITY_REPAIRED or a single edit), the newest carries
 * the summary of a run (BATCH_COMPLETED). */
void
syn_timeline_batch_set_events (SynTimelineBatch *self,
                               JsonObject       *newest,
                               JsonObject       *oldest,
                               gint64            events_count)
{
  const char *first_type, *last_type, *user;

  g_return_if_fail (SYN_IS_TIMELINE_BATCH (self));
  g_return_if_fail (newest != NULL && oldest != NULL);

  first_type = syn_json_get_string (oldest, "event_type");
  last_type = syn_json_get_string (newest, "event_type");
  /* the backend names the users it knows; others are recorded by login name */
  user = syn_json_get_string (newest, "user_name");
  if (user == NULL)
    user = syn_json_get_string (newest, "user_id");

  g_clear_pointer (&self->kind, g_free);
  g_clear_pointer (&self->mode, g_free);
  g_clear_pointer (&self->summary, g_free);
  g_clear_pointer (&self->user, g_free);
  g_clear_pointer (&self->time, g_free);
  self->can_roll_back = TRUE;
  self->can_redo = FALSE;

  if (g_strcmp0 (first_type, SYN_EVENT_BATCH_STARTED) == 0)
    {
      const char *mode = syn_json_get_string (payload_of (oldest), "mode");

      self->kind = g_strdup (_("Rule execution"));
      self->mode = g_strdup (mode ? mode : "execute");
      if (g_strcmp0 (last_type, SYN_EVENT_BATCH_COMPLETED) == 0)
        {
          JsonNode *summary = json_object_get_member (payload_of (newest), "summary");

          self->summary = syn_format_batch_summary (summary && JSON_NODE_HOLDS_OBJECT (summary)
                                                    ? json_node_get_object (summary) : NULL);
        }
    }
  else if (g_strcmp0 (first_type, SYN_EVENT_CSV_IMPORTED) == 0)
    {
      self->kind = g_strdup (_("CSV import"));
      self->mode = g_strdup ("import");
      self->summary = syn_format_event_summary (oldest);
    }
  else if (g_strcmp0 (first_type, SYN_EVENT_BATCH_ROLLED_BACK) == 0)
    {
      self->kind = g_strdup (_("Rollback"));
      self->mode = g_strdup ("rollback");
      /* Translators: a rollback batch that undid %d batches */
      self->summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "undid %d batch", "undid %d batches",
                                                   (gulong) events_count), (int) events_count);
      /* a rollback is not rolled back: it is undone by redoing it */
      self->can_roll_back = FALSE;
      self->can_redo = TRUE;
    }
  else if (g_strcmp0 (first_type, SYN_EVENT_BATCH_REDONE) == 0)
    {
      self->kind = g_strdup (_("Redo"));
      self->mode = g_strdup ("redo");
      self->summary = syn_format_event_summary (oldest);
    }
  else if (g_strcmp0 (first_type, SYN_EVENT_INTEGRITY_REPAIRED) == 0)
    {
      self->kind = g_strdup (_("Repair"));
      self->mode = g_strdup ("repair");
      self->summary = syn_format_event_summary (oldest);
    }
  else
    {
      g_autofree char *subject = syn_format_event_subject (oldest);
      g_autofree char *what = syn_format_event_summary (oldest);

      self->kind = g_strdup (syn_json_get_string (oldest, "rule_id") ? _("Batch") : _("Manual edit"));
      self->mode = g_strdup ("edit");
      self->summary = g_strdup_printf ("%s: %s %s", syn_format_event_type (first_type), subject, what);
    }
  if (self->summary == NULL)
    self->summary = g_strdup ("");
  self->user = g_strdup (user ? user : _("local user"));
  self->time = syn_format_time (syn_json_get_string (newest, "timestamp"));
  self->events_count = events_count;
  /* the newest event's chain hash is the project's head hash after the batch */
  g_free (self->head_hash);
  self->head_hash = g_strdup (syn_json_get_string (newest, "hash"));
  self->position = json_object_get_int_member_with_default (newest, "position", 0);
  self->rolled_back = json_object_get_boolean_member_with_default (newest, "is_rolled_back", FALSE);
  /* what is rolled back can be applied again */
  if (self->rolled_back)
    {
      self->can_roll_back = FALSE;
      self->can_redo = TRUE;
    }
  self->loaded = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

const char *
syn_timeline_batch_get_kind (SynTimelineBatch *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_BATCH (self), NULL);
  return self->kind;
}

const char *
syn_timeline_batch_get_mode (SynTimelineBatch *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_BATCH (self), NULL);
  return self->mode;
}

const char *
syn_timeline_batch_get_user (SynTimelineBatch *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_BATCH (self), NULL);
  return self->user;
}

const char *
syn_timeline_batch_get_time (SynTimelineBatch *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_BATCH (self), NULL);
  return self->time;
}

const char *
syn_timeline_batch_get_summary (SynTimelineBatch *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_BATCH (self), NULL);
  return self->summary;
}

gint64
syn_timeline_batch_get_events_count (SynTimelineBatch *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_BATCH (self), 0);
  return self->events_count;
}

gboolean
syn_timeline_batch_get_rolled_back (SynTimelineBatch *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_BATCH (self), FALSE);
  return self->rolled_back;
}

gboolean
syn_timeline_batch_get_can_roll_back (SynTimelineBatch *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_BATCH (self), FALSE);
  return self->loaded && self->can_roll_back;
}

/* Whether Redo applies: a rolled-back batch, or a rollback (undone by
 * redoing what it rolled back). The engine may still refuse it when later
 * batches stand in the way. */
gboolean
syn_timeline_batch_get_can_redo (SynTimelineBatch *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_BATCH (self), FALSE);
  return self->can_redo;
}

/* The head of the project's hash chain right after the batch (its newest
 * event's hash), or NULL before it is loaded. */
const char *
syn_timeline_batch_get_head_hash (SynTimelineBatch *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_BATCH (self), NULL);
  return self->head_hash;
}

/* The position of the batch's newest event (0 before it is loaded). */
gint64
syn_timeline_batch_get_position (SynTimelineBatch *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_BATCH (self), 0);
  return self->position;
}
