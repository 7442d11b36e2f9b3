/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-store-rows.c: the columns of the rows both stores read, as the fields of their domain types. */
#include "config.h"

#include "core/syn-core.h"
#include "syn-store-private.h"

#define COLUMN(type, kind, field) { SYN_COLUMN_##kind, G_STRUCT_OFFSET (type, field) }
#define EVENT(kind, field)     COLUMN (SynEvent, kind, field)
#define SNAPSHOT(kind, field)  COLUMN (SynSnapshot, kind, field)
#define EXECUTION(kind, field) COLUMN (SynExecution, kind, field)
#define RULE(kind, field)      COLUMN (SynRule, kind, field)
#define PROJECT(kind, field)   COLUMN (SynProject, kind, field)
#define USER(kind, field)      COLUMN (SynUser, kind, field)
#define ASSET(kind, field)     COLUMN (SynAsset, kind, field)
#define CABLE(kind, field)     COLUMN (SynCable, kind, field)
#define EDGE(kind, field)      COLUMN (SynEdge, kind, field)
#define SHAPE(new_func, columns) { (gpointer (*) (void)) new_func, G_N_ELEMENTS (columns), columns }

static const SynColumn event_columns[] = {
  EVENT (INT, position), EVENT (TEXT, id), EVENT (TEXT, event_type), EVENT (TEXT, aggregate_type),
  EVENT (TEXT, aggregate_id), EVENT (TEXT, project_id), EVENT (TEXT, rule_id), EVENT (TEXT, discipline),
  EVENT (JSON, payload), EVENT (JSON, metadata), EVENT (TEXT, correlation_id), EVENT (TEXT, causation_id),
  EVENT (INT, sequence_num), EVENT (TEXT, user_id), EVENT (INT, timestamp), EVENT (BOOL, is_rolled_back),
  EVENT (TEXT, hash)
};

static const SynColumn snapshot_columns[] = {
  SNAPSHOT (TEXT, id), SNAPSHOT (TEXT, correlation_id), SNAPSHOT (TEXT, project_id),
  SNAPSHOT (JSON, snapshot_data), SNAPSHOT (INT, events_count), SNAPSHOT (TEXT, status),
  SNAPSHOT (INT, executed_at), SNAPSHOT (INT, rolled_back_at), SNAPSHOT (TEXT, rolled_back_by)
};

static const SynColumn execution_columns[] = {
  EXECUTION (TEXT, execution_id), EXECUTION (TEXT, project_id), EXECUTION (TEXT, correlation_id),
  EXECUTION (TEXT, mode), EXECUTION (JSON, filters), EXECUTION (TEXT, status), EXECUTION (TEXT, user_id),
  EXECUTION (INT, started_at), EXECUTION (INT, finished_at), EXECUTION (JSON, summary),
  EXECUTION (TEXT, error)
};

static const SynColumn rule_columns[] = {
  RULE (TEXT, id), RULE (TEXT, project_id), RULE (TEXT, name), RULE (TEXT, description), RULE (TEXT, source),
  RULE (INT, priority), RULE (TEXT, discipline), RULE (BOOL, is_enforced), RULE (BOOL, is_active),
  RULE (TEXT, action_type), RULE (JSON, condition), RULE (JSON, action), RULE (INT, created_at),
  RULE (INT, updated_at)
};

static const SynColumn project_columns[] = {
  PROJECT (TEXT, id), PROJECT (TEXT, name), PROJECT (TEXT, description), PROJECT (TEXT, country),
  PROJECT (INT, created_at)
};

static const SynColumn user_columns[] = {
  USER (TEXT, id), USER (TEXT, username), USER (TEXT, display_name), USER (TEXT, role),
  USER (TEXT, password_hash), USER (INT, created_at)
};

static const SynColumn asset_columns[] = {
  ASSET (TEXT, id), ASSET (TEXT, project_id), ASSET (TEXT, tag), ASSET (TEXT, type), ASSET (TEXT, description),
  ASSET (TEXT, discipline), ASSET (TEXT, area), ASSET (OBJECT, properties), ASSET (TEXT, created_by_rule_id),
  ASSET (OBJECT_OR_NULL, derivation)
};

static const SynColumn cable_columns[] = {
  CABLE (TEXT, id), CABLE (TEXT, project_id), CABLE (TEXT, tag), CABLE (TEXT, from_asset_id),
  CABLE (TEXT, to_asset_id), CABLE (TEXT, cable_type), CABLE (DOUBLE, voltage), CABLE (DOUBLE, length_m),
  CABLE (TEXT, conductor_size), CABLE (DOUBLE, flc_a), CABLE (DOUBLE, ampacity_a), CABLE (DOUBLE, voltage_drop_pct),
  CABLE (OBJECT, properties), CABLE (TEXT, created_by_rule_id), CABLE (OBJECT_OR_NULL, derivation)
};

static const SynColumn edge_columns[] = {
  EDGE (TEXT, id), EDGE (TEXT, project_id), EDGE (TEXT, source_asset_id), EDGE (TEXT, target_asset_id),
  EDGE (TEXT, relation), EDGE (TEXT, created_by_rule_id), EDGE (OBJECT_OR_NULL, derivation)
};

const SynRowShape _syn_event_row = SHAPE (syn_event_new, event_columns);
const SynRowShape _syn_snapshot_row = SHAPE (syn_snapshot_new, snapshot_columns);
const SynRowShape _syn_execution_row = SHAPE (syn_execution_new, execution_columns);
const SynRowShape _syn_rule_row = SHAPE (syn_rule_new, rule_columns);
const SynRowShape _syn_project_row = SHAPE (syn_project_new, project_columns);
const SynRowShape _syn_user_row = SHAPE (syn_user_new, user_columns);
const SynRowShape _syn_asset_row = SHAPE (syn_asset_new, asset_columns);
const SynRowShape _syn_cable_row = SHAPE (syn_cable_new, cable_columns);
const SynRowShape _syn_edge_row = SHAPE (syn_edge_new, edge_columns);

/* A row of @shape's columns, as a new object of its type, each column
 * read by the store's own reader of its kind from @source. */
gpointer
_syn_store_read_row (const SynRowShape *shape, const SynColumnReaders *readers, gpointer source)
{
  gpointer object = shape->new_object ();

  for (guint i = 0; i < shape->n_columns; i++)
    {
      gpointer field = G_STRUCT_MEMBER_P (object, shape->columns[i].offset);
      int col = (int) i;

      switch (shape->columns[i].kind)
        {
        case SYN_COLUMN_TEXT:
          *(char **) field = readers->text (source, col);
          break;
        case SYN_COLUMN_INT:
          *(gint64 *) field = readers->integer (source, col);
          break;
        case SYN_COLUMN_BOOL:
          *(gboolean *) field = readers->boolean (source, col);
          break;
        case SYN_COLUMN_DOUBLE:
          *(double *) field = readers->real (source, col);
          break;
        case SYN_COLUMN_OBJECT:
        case SYN_COLUMN_OBJECT_OR_NULL:
          {
            g_autoptr(JsonNode) node = readers->json (source, col);
            JsonObject **slot = field;

            /* the new object's own (properties: an empty one) gives way */
            g_clear_pointer (slot, json_object_unref);
            if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
              *slot = json_object_ref (json_node_get_object (node));
            else if (shape->columns[i].kind == SYN_COLUMN_OBJECT)
              *slot = json_object_new ();
          }
          break;
        case SYN_COLUMN_JSON:
        default:
          *(JsonNode **) field = readers->json (source, col);
          break;
        }
    }
  return object;
}

/* @object's fields as the parameters of @target, in @shape's order. */
void
_syn_store_write_row (const SynRowShape *shape, const SynColumnWriters *writers, gpointer target, gconstpointer object)
{
  for (guint i = 0; i < shape->n_columns; i++)
    {
      gconstpointer field = G_STRUCT_MEMBER_P ((gpointer) object, shape->columns[i].offset);
      int col = (int) i;

      switch (shape->columns[i].kind)
        {
        case SYN_COLUMN_TEXT:
          writers->text (target, col, *(char * const *) field);
          break;
        case SYN_COLUMN_DOUBLE:
          writers->real (target, col, *(const double *) field);
          break;
        case SYN_COLUMN_OBJECT:
        case SYN_COLUMN_OBJECT_OR_NULL:
          if (*(JsonObject * const *) field == NULL)
            writers->text (target, col, NULL);
          else
            writers->take (target, col, syn_json_object_to_string (*(JsonObject * const *) field));
          break;
        case SYN_COLUMN_INT:
        case SYN_COLUMN_BOOL:
        case SYN_COLUMN_JSON:
        default:
          g_assert_not_reached ();
        }
    }
}
