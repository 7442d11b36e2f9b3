/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-timeline-event.c: SynTimelineEvent, one event of a list, a placeholder until its page arrives. */
#include "config.h"

#include "core/syn-json.h"
#include "syn-timeline-event.h"

struct _SynTimelineEvent
{
  GObject     parent_instance;

  guint       index;
  JsonObject *event;
  gboolean    first_in_batch;
};

G_DEFINE_FINAL_TYPE (SynTimelineEvent, syn_timeline_event, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADED,
  PROP_FIRST_IN_BATCH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
syn_timeline_event_finalize (GObject *object)
{
  SynTimelineEvent *self = SYN_TIMELINE_EVENT (object);

  g_clear_pointer (&self->event, json_object_unref);

  G_OBJECT_CLASS (syn_timeline_event_parent_class)->finalize (object);
}

static void
syn_timeline_event_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SynTimelineEvent *self = SYN_TIMELINE_EVENT (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->event != NULL);
      break;
    case PROP_FIRST_IN_BATCH:
      g_value_set_boolean (value, self->first_in_batch);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
syn_timeline_event_class_init (SynTimelineEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = syn_timeline_event_finalize;
  object_class->get_property = syn_timeline_event_get_property;

  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FIRST_IN_BATCH] =
    g_param_spec_boolean ("first-in-batch", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
syn_timeline_event_init (SynTimelineEvent *self)
{
}

/* A placeholder for the event at @index of its list. */
SynTimelineEvent *
syn_timeline_event_new (guint index)
{
  SynTimelineEvent *self = g_object_new (SYN_TYPE_TIMELINE_EVENT, NULL);

  self->index = index;
  return self;
}

SynTimelineEvent *
syn_timeline_event_new_for_json (JsonObject *event)
{
  SynTimelineEvent *self;

  g_return_val_if_fail (event != NULL, NULL);

  self = g_object_new (SYN_TYPE_TIMELINE_EVENT, NULL);
  self->event = json_object_ref (event);
  return self;
}

guint
syn_timeline_event_get_index (SynTimelineEvent *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_EVENT (self), 0);
  return self->index;
}

gboolean
syn_timeline_event_get_loaded (SynTimelineEvent *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_EVENT (self), FALSE);
  return self->event != NULL;
}

/* Fills a placeholder; rows bound to it update on ::notify::loaded. */
void
syn_timeline_event_set_json (SynTimelineEvent *self, JsonObject *event)
{
  g_return_if_fail (SYN_IS_TIMELINE_EVENT (self));
  g_return_if_fail (event != NULL);

  if (self->event == event)
    return;
  g_clear_pointer (&self->event, json_object_unref);
  self->event = json_object_ref (event);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

JsonObject *
syn_timeline_event_get_json (SynTimelineEvent *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_EVENT (self), NULL);
  return self->event;
}

const char *
syn_timeline_event_get_string (SynTimelineEvent *self, const char *member)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_EVENT (self), NULL);
  return syn_json_get_string (self->event, member);
}

const char *
syn_timeline_event_get_correlation_id (SynTimelineEvent *self)
{
  return syn_timeline_event_get_string (self, "correlation_id");
}

const char *
syn_timeline_event_get_event_type (SynTimelineEvent *self)
{
  return syn_timeline_event_get_string (self, "event_type");
}

gboolean
syn_timeline_event_get_rolled_back (SynTimelineEvent *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_EVENT (self), FALSE);
  return self->event != NULL &&
         json_object_get_boolean_member_with_default (self->event, "is_rolled_back", FALSE);
}

gboolean
syn_timeline_event_get_first_in_batch (SynTimelineEvent *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_EVENT (self), FALSE);
  return self->first_in_batch;
}

void
syn_timeline_event_set_first_in_batch (SynTimelineEvent *self, gboolean first)
{
  g_return_if_fail (SYN_IS_TIMELINE_EVENT (self));

  first = !!first;
  if (self->first_in_batch == first)
    return;
  self->first_in_batch = first;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIRST_IN_BATCH]);
}
