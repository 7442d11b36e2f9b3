/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-sqlite-store-entities.c: SynSqliteStore: assets, cables, edges and rule definitions. */
#include "config.h"

#include "syn-sqlite-store-private.h"

/* ------------------------------------------------------------------------- */
/* Assets                                                                    */

#define ASSET_COLS "id, project_id, tag, type, description, discipline, area, properties, created_by_rule_id, derivation"

static gpointer
read_asset (sqlite3_stmt *stmt)
{
  return _syn_sqlite_read_row (stmt, &_syn_asset_row);
}

static void
bind_asset (sqlite3_stmt *stmt, SynAsset *asset)
{
  _syn_sqlite_bind_row (stmt, &_syn_asset_row, asset);
}

static gboolean
sqlite_insert_asset (SynStore *store, SynAsset *asset, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "INSERT INTO assets (" ASSET_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", error)))
    return FALSE;
  if (asset->id == NULL)
    asset->id = syn_uuid_new ();
  bind_asset (stmt, asset);
  if (!_syn_sqlite_step_done (self, stmt, error))
    {
      if (error && *error && (*error)->code == SYN_STORE_ERROR_CONSTRAINT)
        g_prefix_error (error, "Asset %s: ", asset->tag);
      return FALSE;
    }
  return TRUE;
}

static gboolean
sqlite_update_asset (SynStore *store, SynAsset *asset, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "UPDATE assets SET project_id = ?2, tag = ?3, type = ?4, description = ?5, "
                                       "discipline = ?6, area = ?7, properties = ?8, created_by_rule_id = ?9, "
                                       "derivation = ?10 WHERE id = ?1", error)))
    return FALSE;
  bind_asset (stmt, asset);
  return _syn_sqlite_step_done (self, stmt, error) && _syn_sqlite_require_changed (self, "asset", asset->id, error);
}

static gboolean
delete_by_id (SynSqliteStore *self, const char *sql, const char *what,
              const char *project_id, const char *id, GError **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, sql, error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  _syn_sqlite_bind_text (stmt, 2, id);
  return _syn_sqlite_step_done (self, stmt, error) && _syn_sqlite_require_changed (self, what, id, error);
}

static gboolean
sqlite_delete_asset (SynStore *store, const char *project_id, const char *asset_id, GError **error)
{
  return delete_by_id (SYN_SQLITE_STORE (store), "DELETE FROM assets WHERE project_id = ?1 AND id = ?2",
                       "asset", project_id, asset_id, error);
}

static SynAsset *
sqlite_get_asset (SynStore *store, const char *project_id, const char *asset_id, GError **error)
{
  return _syn_sqlite_get_by_two (SYN_SQLITE_STORE (store),
                                 "SELECT " ASSET_COLS " FROM assets WHERE project_id = ?1 AND id = ?2",
                                 read_asset, project_id, asset_id, error);
}

static SynAsset *
sqlite_get_asset_by_tag (SynStore *store, const char *project_id, const char *tag, GError **error)
{
  return _syn_sqlite_get_by_two (SYN_SQLITE_STORE (store),
                                 "SELECT " ASSET_COLS " FROM assets WHERE project_id = ?1 AND tag = ?2",
                                 read_asset, project_id, tag, error);
}

static GPtrArray *
sqlite_list_assets (SynStore *store, const char *project_id, const char *type, const char *search,
                    guint64 offset, guint limit, guint64 *total, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  const char *where = " FROM assets WHERE project_id = ?1 AND (?2 IS NULL OR type = ?2) "
                      "AND (?3 IS NULL OR instr(lower(tag), lower(?3)) > 0 "
                      "OR instr(lower(COALESCE(description, '')), lower(?3)) > 0)";
  g_autofree char *sql = g_strconcat ("SELECT " ASSET_COLS, where, " ORDER BY tag LIMIT ?4 OFFSET ?5", NULL);
  sqlite3_stmt *stmt;

  if (total != NULL)
    {
      g_autofree char *count_sql = g_strconcat ("SELECT count(*)", where, NULL);

      if (!(stmt = _syn_sqlite_stmt (self, count_sql, error)))
        return NULL;
      _syn_sqlite_bind_text (stmt, 1, project_id);
      _syn_sqlite_bind_text (stmt, 2, type);
      _syn_sqlite_bind_text (stmt, 3, search);
      if (!_syn_sqlite_count_rows (self, stmt, total, error))
        return NULL;
    }
  if (!(stmt = _syn_sqlite_stmt (self, sql, error)))
    return NULL;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  _syn_sqlite_bind_text (stmt, 2, type);
  _syn_sqlite_bind_text (stmt, 3, search);
  sqlite3_bind_int64 (stmt, 4, limit == 0 ? -1 : (gint64) limit);
  sqlite3_bind_int64 (stmt, 5, (gint64) offset);
  return _syn_sqlite_collect_rows (self, stmt, read_asset, error);
}

/* ------------------------------------------------------------------------- */
/* Cables                                                                    */

#define CABLE_COLS "id, project_id, tag, from_asset_id, to_asset_id, cable_type, voltage, length_m, " \
                   "conductor_size, flc_a, ampacity_a, voltage_drop_pct, properties, created_by_rule_id, derivation"

static gpointer
read_cable (sqlite3_stmt *stmt)
{
  return _syn_sqlite_read_row (stmt, &_syn_cable_row);
}

static void
bind_cable (sqlite3_stmt *stmt, SynCable *cable)
{
  _syn_sqlite_bind_row (stmt, &_syn_cable_row, cable);
}

static gboolean
sqlite_insert_cable (SynStore *store, SynCable *cable, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "INSERT INTO cables (" CABLE_COLS ") VALUES "
                                       "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)", error)))
    return FALSE;
  if (cable->id == NULL)
    cable->id = syn_uuid_new ();
  bind_cable (stmt, cable);
  if (!_syn_sqlite_step_done (self, stmt, error))
    {
      if (error && *error && (*error)->code == SYN_STORE_ERROR_CONSTRAINT)
        g_prefix_error (error, "Cable %s: ", cable->tag);
      return FALSE;
    }
  return TRUE;
}

static gboolean
sqlite_update_cable (SynStore *store, SynCable *cable, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "UPDATE cables SET project_id = ?2, tag = ?3, from_asset_id = ?4, "
                                       "to_asset_id = ?5, cable_type = ?6, voltage = ?7, length_m = ?8, "
                                       "conductor_size = ?9, flc_a = ?10, ampacity_a = ?11, "
                                       "voltage_drop_pct = ?12, properties = ?13, created_by_rule_id = ?14, derivation = ?15 "
                                       "WHERE id = ?1", error)))
    return FALSE;
  bind_cable (stmt, cable);
  return _syn_sqlite_step_done (self, stmt, error) && _syn_sqlite_require_changed (self, "cable", cable->id, error);
}

static gboolean
sqlite_delete_cable (SynStore *store, const char *project_id, const char *cable_id, GError **error)
{
  return delete_by_id (SYN_SQLITE_STORE (store), "DELETE FROM cables WHERE project_id = ?1 AND id = ?2",
                       "cable", project_id, cable_id, error);
}

static SynCable *
sqlite_get_cable (SynStore *store, const char *project_id, const char *cable_id, GError **error)
{
  return _syn_sqlite_get_by_two (SYN_SQLITE_STORE (store),
                                 "SELECT " CABLE_COLS " FROM cables WHERE project_id = ?1 AND id = ?2",
                                 read_cable, project_id, cable_id, error);
}

static SynCable *
sqlite_get_cable_by_tag (SynStore *store, const char *project_id, const char *tag, GError **error)
{
  return _syn_sqlite_get_by_two (SYN_SQLITE_STORE (store),
                                 "SELECT " CABLE_COLS " FROM cables WHERE project_id = ?1 AND tag = ?2",
                                 read_cable, project_id, tag, error);
}

static GPtrArray *
sqlite_list_asset_cables (SynStore *store, const char *project_id, const char *asset_id, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT " CABLE_COLS " FROM cables WHERE project_id = ?1 AND "
                                       "(to_asset_id = ?2 OR from_asset_id = ?2) ORDER BY tag", error)))
    return NULL;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  _syn_sqlite_bind_text (stmt, 2, asset_id);
  return _syn_sqlite_collect_rows (self, stmt, read_cable, error);
}

static GPtrArray *
sqlite_list_cables (SynStore *store, const char *project_id, guint64 offset, guint limit,
                    guint64 *total, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (total != NULL)
    {
      if (!(stmt = _syn_sqlite_stmt (self, "SELECT count(*) FROM cables WHERE project_id = ?1", error)))
        return NULL;
      _syn_sqlite_bind_text (stmt, 1, project_id);
      if (!_syn_sqlite_count_rows (self, stmt, total, error))
        return NULL;
    }
  if (!(stmt = _syn_sqlite_stmt (self, "SELECT " CABLE_COLS " FROM cables WHERE project_id = ?1 "
                                       "ORDER BY tag LIMIT ?2 OFFSET ?3", error)))
    return NULL;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  sqlite3_bind_int64 (stmt, 2, limit == 0 ? -1 : (gint64) limit);
  sqlite3_bind_int64 (stmt, 3, (gint64) offset);
  return _syn_sqlite_collect_rows (self, stmt, read_cable, error);
}

/* ------------------------------------------------------------------------- */
/* The asset list and the cable schedule                                     */

#define ASSET_COLS_A "a.id, a.project_id, a.tag, a.type, a.description, a.discipline, a.area, a.properties, " \
                     "a.created_by_rule_id, a.derivation"
#define CABLE_COLS_C "c.id, c.project_id, c.tag, c.from_asset_id, c.to_asset_id, c.cable_type, c.voltage, " \
                     "c.length_m, c.conductor_size, c.flc_a, c.ampacity_a, c.voltage_drop_pct, c.properties, " \
                     "c.created_by_rule_id, c.derivation"

/* The statement, and (@key) its SQL and parameters as one string. */
static sqlite3_stmt *
entity_stmt (SynSqliteStore *self, const SynEntityQuery *q, gboolean count, char **key, GError **error)
{
  g_autoptr(GPtrArray) params = NULL;
  g_autofree char *sql = _syn_entity_query_sql (q, q->kind == SYN_ENTITY_CABLES ? CABLE_COLS_C : ASSET_COLS_A,
                                                FALSE, count, &params);
  sqlite3_stmt *stmt = _syn_sqlite_stmt (self, sql, error);

  if (key != NULL)
    {
      GString *k = g_string_new (sql);

      for (guint i = 0; i < params->len; i++)
        {
          SynSqlParam *param = g_ptr_array_index (params, i);

          g_string_append_printf (k, "\x1f%s\x1f%.17g", param->text ? param->text : "", param->number);
        }
      *key = g_string_free (k, FALSE);
    }
  for (guint i = 0; stmt != NULL && i < params->len; i++)
    {
      SynSqlParam *param = g_ptr_array_index (params, i);

      if (param->kind == SYN_SQL_TEXT)
        _syn_sqlite_bind_text (stmt, (int) i + 1, param->text);
      else if (param->kind == SYN_SQL_INT)
        sqlite3_bind_int64 (stmt, (int) i + 1, (gint64) param->number);
      else
        sqlite3_bind_double (stmt, (int) i + 1, param->number);
    }
  return stmt;
}

static void
keep_text (GHashTable *table, sqlite3_stmt *stmt, int key_col, int value_col)
{
  const char *key = (const char *) sqlite3_column_text (stmt, key_col);
  const char *value = (const char *) sqlite3_column_text (stmt, value_col);

  if (key != NULL && value != NULL && !g_hash_table_contains (table, key))
    g_hash_table_insert (table, g_strdup (key), g_strdup (value));
}

static SynEntityPage *
sqlite_query_entities (SynStore *store, const SynEntityQuery *q, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  g_autoptr(SynEntityPage) page = syn_entity_page_new ();
  gboolean cable = q->kind == SYN_ENTITY_CABLES;
  sqlite3_stmt *stmt;
  int rc;

  /* a total is counted once while the database stays as it is: a grid
   * asks for it with every window */
  if (q->count)
    {
      g_autofree char *key = NULL;
      guint64 *cached;

      if (!(stmt = entity_stmt (self, q, TRUE, &key, error)))
        return NULL;
      if (!self->in_transaction && !_syn_sqlite_counts_fresh (self, error))
        return NULL;
      cached = self->in_transaction ? NULL : g_hash_table_lookup (self->event_counts, key);
      if (cached != NULL)
        page->total = *cached;
      else
        {
          if (!_syn_sqlite_count_rows (self, stmt, &page->total, error))
            return NULL;
          if (!self->in_transaction)
            g_hash_table_insert (self->event_counts, g_steal_pointer (&key), g_memdup2 (&page->total, sizeof page->total));
        }
    }
  if (!(stmt = entity_stmt (self, q, FALSE, NULL, error)))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (cable)
        {
          SynCable *c = read_cable (stmt);

          g_ptr_array_add (page->items, c);
          keep_text (page->asset_tags, stmt, 3, 15);
          keep_text (page->asset_tags, stmt, 4, 16);
          keep_text (page->creators, stmt, 0, 17);
        }
      else
        {
          g_ptr_array_add (page->items, read_asset (stmt));
          keep_text (page->creators, stmt, 0, 10);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _syn_sqlite_fail (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&page);
}

/* ------------------------------------------------------------------------- */
/* Edges                                                                     */

#define EDGE_COLS "id, project_id, source_asset_id, target_asset_id, relation, created_by_rule_id, derivation"

static gpointer
read_edge (sqlite3_stmt *stmt)
{
  return _syn_sqlite_read_row (stmt, &_syn_edge_row);
}

static gboolean
sqlite_insert_edge (SynStore *store, SynEdge *edge, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "INSERT INTO edges (" EDGE_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error)))
    return FALSE;
  if (edge->id == NULL)
    edge->id = syn_uuid_new ();
  _syn_sqlite_bind_row (stmt, &_syn_edge_row, edge);
  return _syn_sqlite_step_done (self, stmt, error);
}

static gboolean
sqlite_delete_edge (SynStore *store, const char *project_id, const char *edge_id, GError **error)
{
  return delete_by_id (SYN_SQLITE_STORE (store), "DELETE FROM edges WHERE project_id = ?1 AND id = ?2",
                       "edge", project_id, edge_id, error);
}

static SynEdge *
sqlite_get_edge (SynStore *store, const char *project_id, const char *edge_id, GError **error)
{
  return _syn_sqlite_get_by_two (SYN_SQLITE_STORE (store),
                                 "SELECT " EDGE_COLS " FROM edges WHERE project_id = ?1 AND id = ?2",
                                 read_edge, project_id, edge_id, error);
}

static SynEdge *
sqlite_find_edge (SynStore *store, const char *project_id, const char *source_asset_id,
                  const char *target_asset_id, const char *relation, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT " EDGE_COLS " FROM edges WHERE project_id = ?1 AND "
                                       "source_asset_id = ?2 AND target_asset_id = ?3 AND relation = ?4", error)))
    return NULL;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  _syn_sqlite_bind_text (stmt, 2, source_asset_id);
  _syn_sqlite_bind_text (stmt, 3, target_asset_id);
  _syn_sqlite_bind_text (stmt, 4, relation);
  return _syn_sqlite_collect_one (self, stmt, read_edge, error);
}

static GPtrArray *
sqlite_list_edges (SynStore *store, const char *project_id, const char *asset_id, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (asset_id == NULL)
    stmt = _syn_sqlite_stmt (self, "SELECT " EDGE_COLS " FROM edges WHERE project_id = ?1 ORDER BY id", error);
  else
    stmt = _syn_sqlite_stmt (self, "SELECT " EDGE_COLS " FROM edges WHERE project_id = ?1 AND "
                                   "(source_asset_id = ?2 OR target_asset_id = ?2) ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  if (asset_id != NULL)
    _syn_sqlite_bind_text (stmt, 2, asset_id);
  return _syn_sqlite_collect_rows (self, stmt, read_edge, error);
}

/* ------------------------------------------------------------------------- */
/* Rules                                                                     */

#define RULE_COLS "id, project_id, name, description, source, priority, discipline, is_enforced, " \
                  "is_active, action_type, condition, action, created_at, updated_at"

static gpointer
read_rule (sqlite3_stmt *stmt)
{
  return _syn_sqlite_read_row (stmt, &_syn_rule_row);
}

static gboolean
sqlite_save_rule (SynStore *store, SynRule *rule, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;
  gint64 now = syn_time_now_usec ();

  if (!(stmt = _syn_sqlite_stmt (self, "INSERT INTO rule_definitions (" RULE_COLS ") VALUES "
                                       "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "
                                       "ON CONFLICT (id) DO UPDATE SET project_id = ?2, name = ?3, "
                                       "description = ?4, source = ?5, priority = ?6, discipline = ?7, "
                                       "is_enforced = ?8, is_active = ?9, action_type = ?10, "
                                       "condition = ?11, action = ?12, updated_at = ?14", error)))
    return FALSE;
  if (rule->id == NULL)
    rule->id = syn_uuid_new ();
  /* times given are kept (a rollback puts a rule back as it was) */
  if (rule->created_at == 0)
    rule->created_at = now;
  if (rule->updated_at == 0)
    rule->updated_at = now;
  _syn_sqlite_bind_text (stmt, 1, rule->id);
  _syn_sqlite_bind_text (stmt, 2, rule->project_id);
  _syn_sqlite_bind_text (stmt, 3, rule->name);
  _syn_sqlite_bind_text (stmt, 4, rule->description);
  _syn_sqlite_bind_text (stmt, 5, rule->source);
  sqlite3_bind_int64 (stmt, 6, rule->priority);
  _syn_sqlite_bind_text (stmt, 7, rule->discipline);
  sqlite3_bind_int (stmt, 8, rule->is_enforced ? 1 : 0);
  sqlite3_bind_int (stmt, 9, rule->is_active ? 1 : 0);
  _syn_sqlite_bind_text (stmt, 10, rule->action_type);
  _syn_sqlite_bind_json (stmt, 11, rule->condition, "{}");
  _syn_sqlite_bind_json (stmt, 12, rule->action, "{}");
  sqlite3_bind_int64 (stmt, 13, rule->created_at);
  sqlite3_bind_int64 (stmt, 14, rule->updated_at);
  return _syn_sqlite_step_done (self, stmt, error);
}

static gboolean
sqlite_delete_rule (SynStore *store, const char *rule_id, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "DELETE FROM rule_definitions WHERE id = ?1", error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, rule_id);
  return _syn_sqlite_step_done (self, stmt, error) && _syn_sqlite_require_changed (self, "rule", rule_id, error);
}

static SynRule *
sqlite_get_rule (SynStore *store, const char *rule_id, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT " RULE_COLS " FROM rule_definitions WHERE id = ?1", error)))
    return NULL;
  _syn_sqlite_bind_text (stmt, 1, rule_id);
  return _syn_sqlite_collect_one (self, stmt, read_rule, error);
}

static GPtrArray *
sqlite_list_rules (SynStore *store, const char *project_id, gboolean include_library, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT " RULE_COLS " FROM rule_definitions WHERE "
                                       "(?1 IS NOT NULL AND project_id = ?1) OR "
                                       "((?1 IS NULL OR ?2) AND project_id IS NULL) "
                                       "ORDER BY priority DESC, name", error)))
    return NULL;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  sqlite3_bind_int (stmt, 2, include_library ? 1 : 0);
  return _syn_sqlite_collect_rows (self, stmt, read_rule, error);
}

/* ------------------------------------------------------------------------- */
/* Integrity                                                                 */

/* An end that is no asset of the row's own project: missing, or another
 * project's (the foreign keys only say "some asset"). */
#define NOT_AN_ASSET(column, table) \
  "NOT EXISTS (SELECT 1 FROM assets a WHERE a.id = " table "." column " AND a.project_id = " table ".project_id)"

static GPtrArray *
sqlite_list_dangling_edges (SynStore *store, const char *project_id, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT " EDGE_COLS " FROM edges e WHERE e.project_id = ?1 AND ("
                                       NOT_AN_ASSET ("source_asset_id", "e") " OR "
                                       NOT_AN_ASSET ("target_asset_id", "e") ") ORDER BY e.id", error)))
    return NULL;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  return _syn_sqlite_collect_rows (self, stmt, read_edge, error);
}

static GPtrArray *
sqlite_list_dangling_cables (SynStore *store, const char *project_id, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT " CABLE_COLS " FROM cables c WHERE c.project_id = ?1 AND ("
                                       "(c.from_asset_id IS NOT NULL AND " NOT_AN_ASSET ("from_asset_id", "c") ") OR "
                                       "(c.to_asset_id IS NOT NULL AND " NOT_AN_ASSET ("to_asset_id", "c") ")) "
                                       "ORDER BY c.tag", error)))
    return NULL;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  return _syn_sqlite_collect_rows (self, stmt, read_cable, error);
}

/* Adds the first column of every row to @ids. */
static gboolean
collect_ids (SynSqliteStore *self, sqlite3_stmt *stmt, GPtrArray *ids, GError **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE || _syn_sqlite_fail (self, rc, error);
}

/* Ids as one JSON array, for json_each: any number of them is one
 * statement of fixed text. */
static char *
ids_json (const char * const *ids, guint n_ids)
{
  g_autoptr(JsonArray) array = json_array_sized_new (n_ids);
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < n_ids; i++)
    json_array_add_string_element (array, ids[i]);
  json_node_set_array (node, array);
  return syn_json_to_string (node);
}

static gboolean
sqlite_list_asset_referrers (SynStore *store, const char *project_id, const char * const *asset_ids, guint n_ids,
                             GPtrArray *edge_ids, GPtrArray *cable_ids, GPtrArray *derived_ids, GError **error)
{
  static const char * const queries[] = {
    /* each end by its index */
    "SELECT id FROM edges WHERE project_id = ?1 AND source_asset_id IN (SELECT value FROM json_each(?2)) "
    "UNION SELECT id FROM edges WHERE project_id = ?1 AND target_asset_id IN (SELECT value FROM json_each(?2))",
    "SELECT id FROM cables WHERE project_id = ?1 AND from_asset_id IN (SELECT value FROM json_each(?2)) "
    "UNION SELECT id FROM cables WHERE project_id = ?1 AND to_asset_id IN (SELECT value FROM json_each(?2))",
    /* no index on the record: one pass over the project's assets */
    "SELECT id FROM assets WHERE project_id = ?1 AND derivation IS NOT NULL "
    "AND json_extract(derivation, '$.source_asset_id') IN (SELECT value FROM json_each(?2))",
  };
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  GPtrArray *out[] = { edge_ids, cable_ids, derived_ids };
  g_autofree char *json = NULL;

  if (n_ids == 0)
    return TRUE;
  json = ids_json (asset_ids, n_ids);
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      sqlite3_stmt *stmt;

      if (out[q] == NULL)
        continue;
      if (!(stmt = _syn_sqlite_stmt (self, queries[q], error)))
        return FALSE;
      _syn_sqlite_bind_text (stmt, 1, project_id);
      _syn_sqlite_bind_text (stmt, 2, json);
      if (!collect_ids (self, stmt, out[q], error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
sqlite_delete_entities (SynStore *store, const char *project_id, const char *aggregate_type, const char * const *ids,
                        guint n_ids, GPtrArray *deleted, GError **error)
{
  /* fixed text per table: no parameter can name one */
  static const char * const statements[] = {
    "DELETE FROM assets WHERE project_id = ?1 AND id IN (SELECT value FROM json_each(?2)) RETURNING id",
    "DELETE FROM cables WHERE project_id = ?1 AND id IN (SELECT value FROM json_each(?2)) RETURNING id",
    "DELETE FROM edges WHERE project_id = ?1 AND id IN (SELECT value FROM json_each(?2)) RETURNING id",
  };
  const char *sql = statements[_syn_store_entity_table (aggregate_type)];
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  g_autofree char *json = NULL;
  sqlite3_stmt *stmt;

  if (n_ids == 0)
    return TRUE;
  if (!(stmt = _syn_sqlite_stmt (self, sql, error)))
    return FALSE;
  json = ids_json (ids, n_ids);
  _syn_sqlite_bind_text (stmt, 1, project_id);
  _syn_sqlite_bind_text (stmt, 2, json);
  return collect_ids (self, stmt, deleted, error);
}

/* SQLite's constraints are whole from the migration on (rows from before
 * are copied, not checked): nothing to validate. */
static gboolean
sqlite_validate_references (SynStore *store, gboolean *all_valid, GError **error)
{
  if (all_valid != NULL)
    *all_valid = TRUE;
  return TRUE;
}

/* ------------------------------------------------------------------------- */

void
_syn_sqlite_store_entities_iface_init (SynStoreInterface *iface)
{
  iface->insert_asset = sqlite_insert_asset;
  iface->update_asset = sqlite_update_asset;
  iface->delete_asset = sqlite_delete_asset;
  iface->get_asset = sqlite_get_asset;
  iface->get_asset_by_tag = sqlite_get_asset_by_tag;
  iface->list_assets = sqlite_list_assets;
  iface->insert_cable = sqlite_insert_cable;
  iface->update_cable = sqlite_update_cable;
  iface->delete_cable = sqlite_delete_cable;
  iface->get_cable = sqlite_get_cable;
  iface->get_cable_by_tag = sqlite_get_cable_by_tag;
  iface->list_cables = sqlite_list_cables;
  iface->list_asset_cables = sqlite_list_asset_cables;
  iface->query_entities = sqlite_query_entities;
  iface->insert_edge = sqlite_insert_edge;
  iface->delete_edge = sqlite_delete_edge;
  iface->get_edge = sqlite_get_edge;
  iface->find_edge = sqlite_find_edge;
  iface->list_edges = sqlite_list_edges;
  iface->save_rule = sqlite_save_rule;
  iface->delete_rule = sqlite_delete_rule;
  iface->get_rule = sqlite_get_rule;
  iface->list_rules = sqlite_list_rules;
  iface->list_dangling_edges = sqlite_list_dangling_edges;
  iface->list_dangling_cables = sqlite_list_dangling_cables;
  iface->list_asset_referrers = sqlite_list_asset_referrers;
  iface->delete_entities = sqlite_delete_entities;
  iface->validate_references = sqlite_validate_references;
}
