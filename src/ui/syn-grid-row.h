/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-grid-row.h: SynGridRow, one asset or cable of the Assets and Cables grid, a placeholder until its page arrives. */
#pragma once

#include <json-glib/json-glib.h>

#include "core/syn-asset.h"
#include "core/syn-cable.h"

G_BEGIN_DECLS

#define SYN_TYPE_GRID_ROW (syn_grid_row_get_type ())

G_DECLARE_FINAL_TYPE (SynGridRow, syn_grid_row, SYN, GRID_ROW, GObject)

SynGridRow *syn_grid_row_new          (guint       index);
guint       syn_grid_row_get_index    (SynGridRow *self);
gboolean    syn_grid_row_get_loaded   (SynGridRow *self);
/* An asset or a cable as the list operations answer it (a cable with
 * from_tag and to_tag); rows follow ::notify::loaded. */
void        syn_grid_row_set_json     (SynGridRow *self,
                                       JsonObject *object,
                                       gboolean    cable);
void        syn_grid_row_reset        (SynGridRow *self);
JsonObject *syn_grid_row_get_json     (SynGridRow *self);
gboolean    syn_grid_row_is_cable     (SynGridRow *self);
const char *syn_grid_row_get_id       (SynGridRow *self);
const char *syn_grid_row_get_tag      (SynGridRow *self);
SynAsset   *syn_grid_row_get_asset    (SynGridRow *self);
SynCable   *syn_grid_row_get_cable    (SynGridRow *self);
/* The cell of a column (the exporter's keys; a property's name), as the
 * export writes it: NULL (JSON null) when empty. */
JsonNode   *syn_grid_row_get_cell     (SynGridRow *self,
                                       const char *key);
char       *syn_grid_row_get_text     (SynGridRow *self,
                                       const char *key);
/* A cable the sizing could not size (conductor size OVER_LIMIT). */
gboolean    syn_grid_row_get_over_limit (SynGridRow *self);

G_END_DECLS
