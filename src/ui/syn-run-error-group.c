/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-run-error-group.c: SynRunErrorGroup: one rule's errors and warnings of a run, counted as they come. */
#include "config.h"

#include "syn-run-error-group.h"

struct _SynRunErrorGroup
{
  GObject     parent_instance;

  char       *rule_id;          /* NULL: errors of no rule (the run's own) */
  char       *rule_name;
  GListStore *items;            /* SynRunError, in the order they came */
  guint       errors;
  guint       warnings;
};

G_DEFINE_FINAL_TYPE (SynRunErrorGroup, syn_run_error_group, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ERRORS,
  PROP_WARNINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
syn_run_error_group_finalize (GObject *object)
{
  SynRunErrorGroup *self = SYN_RUN_ERROR_GROUP (object);

  g_clear_pointer (&self->rule_id, g_free);
  g_clear_pointer (&self->rule_name, g_free);
  g_clear_object (&self->items);

  G_OBJECT_CLASS (syn_run_error_group_parent_class)->finalize (object);
}

static void
syn_run_error_group_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SynRunErrorGroup *self = SYN_RUN_ERROR_GROUP (object);

  switch (prop_id)
    {
    case PROP_ERRORS:
      g_value_set_uint (value, self->errors);
      break;
    case PROP_WARNINGS:
      g_value_set_uint (value, self->warnings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
syn_run_error_group_class_init (SynRunErrorGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = syn_run_error_group_finalize;
  object_class->get_property = syn_run_error_group_get_property;

  properties[PROP_ERRORS] = g_param_spec_uint ("errors", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_WARNINGS] = g_param_spec_uint ("warnings", NULL, NULL, 0, G_MAXUINT, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
syn_run_error_group_init (SynRunErrorGroup *self)
{
  self->items = g_list_store_new (SYN_TYPE_RUN_ERROR);
}

/* @rule_name: how the rule is shown (its id when NULL) */
SynRunErrorGroup *
syn_run_error_group_new (const char *rule_id, const char *rule_name)
{
  SynRunErrorGroup *self = g_object_new (SYN_TYPE_RUN_ERROR_GROUP, NULL);

  self->rule_id = g_strdup (rule_id);
  self->rule_name = g_strdup (rule_name ? rule_name : rule_id);
  return self;
}

const char *
syn_run_error_group_get_rule_id (SynRunErrorGroup *self)
{
  g_return_val_if_fail (SYN_IS_RUN_ERROR_GROUP (self), NULL);
  return self->rule_id;
}

const char *
syn_run_error_group_get_rule_name (SynRunErrorGroup *self)
{
  g_return_val_if_fail (SYN_IS_RUN_ERROR_GROUP (self), NULL);
  return self->rule_name;
}

GListModel *
syn_run_error_group_get_items (SynRunErrorGroup *self)
{
  g_return_val_if_fail (SYN_IS_RUN_ERROR_GROUP (self), NULL);
  return G_LIST_MODEL (self->items);
}

guint
syn_run_error_group_get_errors (SynRunErrorGroup *self)
{
  g_return_val_if_fail (SYN_IS_RUN_ERROR_GROUP (self), 0);
  return self->errors;
}

guint
syn_run_error_group_get_warnings (SynRunErrorGroup *self)
{
  g_return_val_if_fail (SYN_IS_RUN_ERROR_GROUP (self), 0);
  return self->warnings;
}

/* Appends @errors (SynRunError) in one splice: a run's thousands of errors
 * come in batches, and the list redraws once per batch. */
void
syn_run_error_group_add (SynRunErrorGroup *self, GPtrArray *errors)
{
  guint warnings = 0;

  g_return_if_fail (SYN_IS_RUN_ERROR_GROUP (self));
  g_return_if_fail (errors != NULL);

  if (errors->len == 0)
    return;
  for (guint i = 0; i < errors->len; i++)
    if (g_strcmp0 (syn_run_error_get_severity (errors->pdata[i]), "warning") == 0)
      warnings++;
  g_list_store_splice (self->items, g_list_model_get_n_items (G_LIST_MODEL (self->items)), 0, errors->pdata,
                       errors->len);
  if (warnings > 0)
    {
      self->warnings += warnings;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WARNINGS]);
    }
  if (errors->len > warnings)
    {
      self->errors += errors->len - warnings;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERRORS]);
    }
}
