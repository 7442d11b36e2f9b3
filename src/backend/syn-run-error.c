/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-run-error.c: SynRunError, one recoverable ERROR of a run, as an item of a list model. */
#include "config.h"

#include "syn-run-error.h"

struct _SynRunError
{
  GObject  parent_instance;

  char    *rule_id;
  char    *asset_id;
  char    *asset_tag;
  char    *message;
  char    *severity;
};

G_DEFINE_FINAL_TYPE (SynRunError, syn_run_error, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RULE_ID,
  PROP_ASSET_ID,
  PROP_ASSET_TAG,
  PROP_MESSAGE,
  PROP_SEVERITY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
syn_run_error_finalize (GObject *object)
{
  SynRunError *self = SYN_RUN_ERROR (object);

  g_clear_pointer (&self->rule_id, g_free);
  g_clear_pointer (&self->asset_id, g_free);
  g_clear_pointer (&self->asset_tag, g_free);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->severity, g_free);

  G_OBJECT_CLASS (syn_run_error_parent_class)->finalize (object);
}

static void
syn_run_error_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SynRunError *self = SYN_RUN_ERROR (object);

  switch (prop_id)
    {
    case PROP_RULE_ID:
      g_value_set_string (value, self->rule_id);
      break;
    case PROP_ASSET_ID:
      g_value_set_string (value, self->asset_id);
      break;
    case PROP_ASSET_TAG:
      g_value_set_string (value, self->asset_tag);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_SEVERITY:
      g_value_set_string (value, self->severity);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
syn_run_error_class_init (SynRunErrorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = syn_run_error_finalize;
  object_class->get_property = syn_run_error_get_property;

  properties[PROP_RULE_ID] =
    g_param_spec_string ("rule-id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ASSET_ID] =
    g_param_spec_string ("asset-id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* the asset's tag when the run evaluated it (a person reads tags, not ids) */
  properties[PROP_ASSET_TAG] =
    g_param_spec_string ("asset-tag", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* "error" or "warning" */
  properties[PROP_SEVERITY] =
    g_param_spec_string ("severity", NULL, NULL, "error", G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
syn_run_error_init (SynRunError *self)
{
}

/* @severity: "error" or "warning"; %NULL (a message without one) is "error". */
SynRunError *
syn_run_error_new (const char *rule_id, const char *asset_id, const char *asset_tag, const char *message,
                   const char *severity)
{
  SynRunError *self = g_object_new (SYN_TYPE_RUN_ERROR, NULL);

  self->rule_id = g_strdup (rule_id);
  self->asset_id = g_strdup (asset_id);
  self->asset_tag = g_strdup (asset_tag);
  self->message = g_strdup (message);
  self->severity = g_strdup (severity ? severity : "error");
  return self;
}

const char *
syn_run_error_get_rule_id (SynRunError *self)
{
  g_return_val_if_fail (SYN_IS_RUN_ERROR (self), NULL);
  return self->rule_id;
}

const char *
syn_run_error_get_asset_id (SynRunError *self)
{
  g_return_val_if_fail (SYN_IS_RUN_ERROR (self), NULL);
  return self->asset_id;
}

/* %NULL when the message named no tag (a server of an older version) */
const char *
syn_run_error_get_asset_tag (SynRunError *self)
{
  g_return_val_if_fail (SYN_IS_RUN_ERROR (self), NULL);
  return self->asset_tag;
}

const char *
syn_run_error_get_message (SynRunError *self)
{
  g_return_val_if_fail (SYN_IS_RUN_ERROR (self), NULL);
  return self->message;
}

const char *
syn_run_error_get_severity (SynRunError *self)
{
  g_return_val_if_fail (SYN_IS_RUN_ERROR (self), NULL);
  return self->severity;
}
