/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-json-item.c: SynJsonItem, a list-model item around one JSON object. */
#include "config.h"

#include "core/syn-json.h"
#include "syn-json-item.h"

struct _SynJsonItem
{
  GObject     parent_instance;

  JsonObject *object;
  char       *label;
  gboolean    active;
};

G_DEFINE_FINAL_TYPE (SynJsonItem, syn_json_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LABEL,
  PROP_ACTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
syn_json_item_finalize (GObject *object)
{
  SynJsonItem *self = SYN_JSON_ITEM (object);

  g_clear_pointer (&self->object, json_object_unref);
  g_clear_pointer (&self->label, g_free);

  G_OBJECT_CLASS (syn_json_item_parent_class)->finalize (object);
}

static void
syn_json_item_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SynJsonItem *self = SYN_JSON_ITEM (object);

  switch (prop_id)
    {
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
syn_json_item_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SynJsonItem *self = SYN_JSON_ITEM (object);

  switch (prop_id)
    {
    case PROP_ACTIVE:
      syn_json_item_set_active (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
syn_json_item_class_init (SynJsonItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = syn_json_item_finalize;
  object_class->get_property = syn_json_item_get_property;
  object_class->set_property = syn_json_item_set_property;

  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
syn_json_item_init (SynJsonItem *self)
{
}

/* Takes a reference on @object; the item must only be used on the main thread
 * (json-glib reference counts are not atomic). */
SynJsonItem *
syn_json_item_new (JsonObject *object, const char *label)
{
  SynJsonItem *self;

  g_return_val_if_fail (object != NULL, NULL);

  self = g_object_new (SYN_TYPE_JSON_ITEM, NULL);
  self->object = json_object_ref (object);
  self->label = g_strdup (label);
  return self;
}

JsonObject *
syn_json_item_get_object (SynJsonItem *self)
{
  g_return_val_if_fail (SYN_IS_JSON_ITEM (self), NULL);
  return self->object;
}

/* Puts another object in the item: a list keeps its rows and only those
 * bound to it redraw (they follow ::notify::label). */
void
syn_json_item_set_object (SynJsonItem *self, JsonObject *object, const char *label)
{
  g_return_if_fail (SYN_IS_JSON_ITEM (self));
  g_return_if_fail (object != NULL);

  if (object != self->object)
    {
      json_object_ref (object);
      json_object_unref (self->object);
      self->object = object;
    }
  g_free (self->label);
  self->label = g_strdup (label);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABEL]);
}

const char *
syn_json_item_get_string (SynJsonItem *self, const char *member)
{
  g_return_val_if_fail (SYN_IS_JSON_ITEM (self), NULL);
  return syn_json_get_string (self->object, member);
}

gint64
syn_json_item_get_int (SynJsonItem *self, const char *member)
{
  JsonNode *node;

  g_return_val_if_fail (SYN_IS_JSON_ITEM (self), 0);
  node = json_object_get_member (self->object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  return json_node_get_int (node);
}

const char *
syn_json_item_get_label (SynJsonItem *self)
{
  g_return_val_if_fail (SYN_IS_JSON_ITEM (self), NULL);
  return self->label;
}

gboolean
syn_json_item_get_active (SynJsonItem *self)
{
  g_return_val_if_fail (SYN_IS_JSON_ITEM (self), FALSE);
  return self->active;
}

void
syn_json_item_set_active (SynJsonItem *self, gboolean active)
{
  g_return_if_fail (SYN_IS_JSON_ITEM (self));

  active = !!active;
  if (self->active == active)
    return;
  self->active = active;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}
