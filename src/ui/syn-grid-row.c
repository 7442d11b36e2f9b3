/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-grid-row.c: SynGridRow: an asset or a cable of the grid; its cells are the exporter's, so the grid
 * shows what an export writes. */
#include "config.h"

#include "core/syn-json.h"
#include "engine/syn-exporter.h"
#include "syn-grid-row.h"

struct _SynGridRow
{
  GObject     parent_instance;

  guint       index;
  JsonObject *json;
  SynAsset   *asset;
  SynCable   *cable;
};

G_DEFINE_FINAL_TYPE (SynGridRow, syn_grid_row, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
syn_grid_row_finalize (GObject *object)
{
  SynGridRow *self = SYN_GRID_ROW (object);

  g_clear_pointer (&self->json, json_object_unref);
  g_clear_object (&self->asset);
  g_clear_object (&self->cable);

  G_OBJECT_CLASS (syn_grid_row_parent_class)->finalize (object);
}

static void
syn_grid_row_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SynGridRow *self = SYN_GRID_ROW (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->json != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
syn_grid_row_class_init (SynGridRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = syn_grid_row_finalize;
  object_class->get_property = syn_grid_row_get_property;

  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
syn_grid_row_init (SynGridRow *self)
{
}

SynGridRow *
syn_grid_row_new (guint index)
{
  SynGridRow *self = g_object_new (SYN_TYPE_GRID_ROW, NULL);

  self->index = index;
  return self;
}

guint
syn_grid_row_get_index (SynGridRow *self)
{
  g_return_val_if_fail (SYN_IS_GRID_ROW (self), 0);
  return self->index;
}

gboolean
syn_grid_row_get_loaded (SynGridRow *self)
{
  g_return_val_if_fail (SYN_IS_GRID_ROW (self), FALSE);
  return self->json != NULL;
}

void
syn_grid_row_set_json (SynGridRow *self, JsonObject *object, gboolean cable)
{
  g_return_if_fail (SYN_IS_GRID_ROW (self));
  g_return_if_fail (object != NULL);

  g_clear_pointer (&self->json, json_object_unref);
  g_clear_object (&self->asset);
  g_clear_object (&self->cable);
  self->json = json_object_ref (object);
  /* an answer that does not read as one stays a row of its tag only */
  if (cable)
    self->cable = syn_cable_from_json (object, NULL);
  else
    self->asset = syn_asset_from_json (object, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

/* Back to a placeholder: the list was asked again, the row waits for its new page. */
void
syn_grid_row_reset (SynGridRow *self)
{
  g_return_if_fail (SYN_IS_GRID_ROW (self));

  if (self->json == NULL)
    return;
  g_clear_pointer (&self->json, json_object_unref);
  g_clear_object (&self->asset);
  g_clear_object (&self->cable);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

JsonObject *
syn_grid_row_get_json (SynGridRow *self)
{
  g_return_val_if_fail (SYN_IS_GRID_ROW (self), NULL);
  return self->json;
}

gboolean
syn_grid_row_is_cable (SynGridRow *self)
{
  g_return_val_if_fail (SYN_IS_GRID_ROW (self), FALSE);
  return self->cable != NULL;
}

const char *
syn_grid_row_get_id (SynGridRow *self)
{
  g_return_val_if_fail (SYN_IS_GRID_ROW (self), NULL);
  return self->json ? syn_json_get_string (self->json, "id") : NULL;
}

const char *
syn_grid_row_get_tag (SynGridRow *self)
{
  g_return_val_if_fail (SYN_IS_GRID_ROW (self), NULL);
  return self->json ? syn_json_get_string (self->json, "tag") : NULL;
}

SynAsset *
syn_grid_row_get_asset (SynGridRow *self)
{
  g_return_val_if_fail (SYN_IS_GRID_ROW (self), NULL);
  return self->asset;
}

SynCable *
syn_grid_row_get_cable (SynGridRow *self)
{
  g_return_val_if_fail (SYN_IS_GRID_ROW (self), NULL);
  return self->cable;
}

JsonNode *
syn_grid_row_get_cell (SynGridRow *self, const char *key)
{
  g_return_val_if_fail (SYN_IS_GRID_ROW (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (self->cable != NULL)
    return syn_export_cable_cell (self->cable, key, syn_json_get_string (self->json, "from_tag"),
                                  syn_json_get_string (self->json, "to_tag"),
                                  syn_json_get_string (self->json, "created_by_user_id"));
  if (self->asset != NULL)
    return syn_export_asset_cell (self->asset, key, syn_json_get_string (self->json, "created_by_user_id"));
  return json_node_new (JSON_NODE_NULL);
}

char *
syn_grid_row_get_text (SynGridRow *self, const char *key)
{
  g_autoptr(JsonNode) cell = syn_grid_row_get_cell (self, key);

  return syn_export_cell_text (cell);
}

gboolean
syn_grid_row_get_over_limit (SynGridRow *self)
{
  g_return_val_if_fail (SYN_IS_GRID_ROW (self), FALSE);
  return self->cable != NULL && g_strcmp0 (self->cable->conductor_size, "OVER_LIMIT") == 0;
}
