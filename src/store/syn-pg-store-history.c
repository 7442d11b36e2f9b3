/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-pg-store-history.c: SynPgStore: batches by a part of their id, entity histories, entities by a past tag. */
#include "config.h"

#include <string.h>

#include "syn-pg-store-private.h"
#include "syn-store-private.h"

static gpointer
read_event (PGresult *res, int row)
{
  return _syn_pg_read_row (res, row, &_syn_event_row);
}

/* Ids beginning with the digits are a range of the correlation index (a
 * UUID orders as its bytes, so as its hex digits); ids ending with them
 * are compared as text. */
static GPtrArray *
pg_find_batches (SynStore *store, const char *project_id, const char *digits, GError **error)
{
  SynPgStore *self = SYN_PG_STORE (store);
  SynBatchPattern pattern;
  g_autoptr(GPtrArray) by_prefix = NULL;
  g_autoptr(GPtrArray) by_suffix = NULL;
  g_auto(SynPgParams) prefix = { 0 };
  g_auto(SynPgParams) suffix = { 0 };

  _syn_store_batch_pattern (digits, &pattern);
  _syn_pg_add_text (&prefix, project_id);
  _syn_pg_add_text (&prefix, pattern.low);
  _syn_pg_add_text (&prefix, pattern.high);
  if (!(by_prefix = _syn_pg_query_rows (self, "SELECT " SYN_PG_EVENT_COLS " FROM workflow_events "
                                        "WHERE correlation_id BETWEEN $2::uuid AND $3::uuid AND sequence_num = 0 "
                                        "AND project_id = $1", &prefix, read_event, error)))
    return NULL;

  _syn_pg_add_text (&suffix, project_id);
  _syn_pg_add_int (&suffix, (gint64) strlen (pattern.suffix));
  _syn_pg_add_text (&suffix, pattern.suffix);
  if (!(by_suffix = _syn_pg_query_rows (self, "SELECT " SYN_PG_EVENT_COLS " FROM workflow_events "
                                        "WHERE right(correlation_id::text, $2::int) = $3 AND sequence_num = 0 "
                                        "AND project_id = $1", &suffix, read_event, error)))
    return NULL;
  return _syn_store_batches_merge (by_prefix, by_suffix);
}

static GPtrArray *
entity_history (SynStore *store, const char *aggregate_type, const char *project_id, const char *id,
                GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, project_id);
  _syn_pg_add_text (&p, id);
  _syn_pg_add_text (&p, aggregate_type);
  return _syn_pg_query_rows (SYN_PG_STORE (store), "SELECT " SYN_PG_EVENT_COLS " FROM workflow_events "
                             "WHERE aggregate_type = $3 AND aggregate_id = $2 AND project_id = $1 "
                             "AND " SYN_STORE_NOT_ROLLED_BACK ("workflow_events") " ORDER BY position", &p, read_event, error);
}

static GPtrArray *
pg_get_asset_history (SynStore *store, const char *project_id, const char *asset_id, GError **error)
{
  return entity_history (store, SYN_AGGREGATE_ASSET, project_id, asset_id, error);
}

static GPtrArray *
pg_get_cable_history (SynStore *store, const char *project_id, const char *cable_id, GError **error)
{
  return entity_history (store, SYN_AGGREGATE_CABLE, project_id, cable_id, error);
}

/* As on SQLite: the entity is the payload of a creation or deletion,
 * "after" of an update; the event types narrow the scan to the project's
 * events of that kind. */
static GPtrArray *
pg_find_tag_events (SynStore *store, const char *project_id, const char *aggregate_type, const char *tag,
                    GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, project_id);
  _syn_pg_add_text (&p, aggregate_type);
  _syn_pg_add_take (&p, g_strconcat (aggregate_type, "_CREATED", NULL));
  _syn_pg_add_take (&p, g_strconcat (aggregate_type, "_UPDATED", NULL));
  _syn_pg_add_take (&p, g_strconcat (aggregate_type, "_DELETED", NULL));
  _syn_pg_add_text (&p, tag);
  return _syn_pg_query_rows (SYN_PG_STORE (store), "SELECT " SYN_PG_EVENT_COLS " FROM workflow_events "
                             "WHERE position IN (SELECT max(position) FROM workflow_events "
                             "WHERE project_id = $1 AND event_type IN ($3, $4, $5) AND "
                             SYN_STORE_NOT_ROLLED_BACK ("workflow_events") " "
                             "AND aggregate_type = $2 AND (payload->>'tag' = $6 OR payload->'after'->>'tag' = $6) "
                             "GROUP BY aggregate_id) ORDER BY position DESC", &p, read_event, error);
}

void
_syn_pg_store_history_iface_init (SynStoreInterface *iface)
{
  iface->get_asset_history = pg_get_asset_history;
  iface->find_batches = pg_find_batches;
  iface->get_cable_history = pg_get_cable_history;
  iface->find_tag_events = pg_find_tag_events;
}
