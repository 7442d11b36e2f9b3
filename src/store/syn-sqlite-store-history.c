/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-sqlite-store-history.c: SynSqliteStore: batches by a part of their id, entity histories, entities by a past tag. */
#include "config.h"

#include <string.h>

#include "syn-sqlite-store-private.h"
#include "syn-store-private.h"

static gpointer
read_event (sqlite3_stmt *stmt)
{
  return _syn_sqlite_read_row (stmt, &_syn_event_row);
}

/* Ids beginning with the digits are a range of the correlation index
 * ("+project_id" keeps the planner off the project's indexes, which would
 * walk every event of the project); ids ending with them take a scan of
 * that index alone (it holds correlation_id, sequence_num and the
 * position): no table row is read but the matches'. */
static GPtrArray *
sqlite_find_batches (SynStore *store, const char *project_id, const char *digits, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  SynBatchPattern pattern;
  g_autoptr(GPtrArray) by_prefix = NULL;
  g_autoptr(GPtrArray) by_suffix = NULL;
  sqlite3_stmt *stmt;

  _syn_store_batch_pattern (digits, &pattern);
  if (!(stmt = _syn_sqlite_stmt (self, "SELECT " SYN_SQLITE_EVENT_COLS " FROM workflow_events "
                                       "WHERE correlation_id BETWEEN ?2 AND ?3 AND sequence_num = 0 "
                                       "AND +project_id = ?1", error)))
    return NULL;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  _syn_sqlite_bind_text (stmt, 2, pattern.low);
  _syn_sqlite_bind_text (stmt, 3, pattern.high);
  if (!(by_prefix = _syn_sqlite_collect_rows (self, stmt, read_event, error)))
    return NULL;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT " SYN_SQLITE_EVENT_COLS " FROM workflow_events "
                                       "WHERE position IN (SELECT position FROM workflow_events "
                                       "WHERE sequence_num = 0 AND substr(correlation_id, -?2) = ?3) "
                                       "AND project_id = ?1", error)))
    return NULL;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  sqlite3_bind_int (stmt, 2, (int) strlen (pattern.suffix));
  _syn_sqlite_bind_text (stmt, 3, pattern.suffix);
  if (!(by_suffix = _syn_sqlite_collect_rows (self, stmt, read_event, error)))
    return NULL;
  return _syn_store_batches_merge (by_prefix, by_suffix);
}

static GPtrArray *
entity_history (SynStore *store, const char *aggregate_type, const char *project_id, const char *id,
                GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT " SYN_SQLITE_EVENT_COLS " FROM workflow_events "
                                       "WHERE aggregate_type = ?3 AND aggregate_id = ?2 AND project_id = ?1 "
                                       "AND " SYN_STORE_NOT_ROLLED_BACK ("workflow_events") " ORDER BY position", error)))
    return NULL;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  _syn_sqlite_bind_text (stmt, 2, id);
  _syn_sqlite_bind_static (stmt, 3, aggregate_type);
  return _syn_sqlite_collect_rows (self, stmt, read_event, error);
}

static GPtrArray *
sqlite_get_asset_history (SynStore *store, const char *project_id, const char *asset_id, GError **error)
{
  return entity_history (store, SYN_AGGREGATE_ASSET, project_id, asset_id, error);
}

static GPtrArray *
sqlite_get_cable_history (SynStore *store, const char *project_id, const char *cable_id, GError **error)
{
  return entity_history (store, SYN_AGGREGATE_CABLE, project_id, cable_id, error);
}

/* The entity is the payload of a creation or deletion, "after" of an
 * update; the event types narrow the scan to the project's events of that
 * kind (the project+type index; "+aggregate_type" keeps the planner off the
 * aggregate index, which holds every project's). */
static GPtrArray *
sqlite_find_tag_events (SynStore *store, const char *project_id, const char *aggregate_type, const char *tag,
                        GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  g_autofree char *created = g_strconcat (aggregate_type, "_CREATED", NULL);
  g_autofree char *updated = g_strconcat (aggregate_type, "_UPDATED", NULL);
  g_autofree char *deleted = g_strconcat (aggregate_type, "_DELETED", NULL);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT " SYN_SQLITE_EVENT_COLS " FROM workflow_events "
                                       "WHERE position IN (SELECT max(position) FROM workflow_events "
                                       "WHERE project_id = ?1 AND event_type IN (?3, ?4, ?5) AND "
                                       SYN_STORE_NOT_ROLLED_BACK ("workflow_events") " "
                                       "AND +aggregate_type = ?2 AND (json_extract(payload, '$.tag') = ?6 "
                                       "OR json_extract(payload, '$.after.tag') = ?6) GROUP BY aggregate_id) "
                                       "ORDER BY position DESC", error)))
    return NULL;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  _syn_sqlite_bind_text (stmt, 2, aggregate_type);
  _syn_sqlite_bind_text (stmt, 3, created);
  _syn_sqlite_bind_text (stmt, 4, updated);
  _syn_sqlite_bind_text (stmt, 5, deleted);
  _syn_sqlite_bind_text (stmt, 6, tag);
  return _syn_sqlite_collect_rows (self, stmt, read_event, error);
}

void
_syn_sqlite_store_history_iface_init (SynStoreInterface *iface)
{
  iface->get_asset_history = sqlite_get_asset_history;
  iface->find_batches = sqlite_find_batches;
  iface->get_cable_history = sqlite_get_cable_history;
  iface->find_tag_events = sqlite_find_tag_events;
}
