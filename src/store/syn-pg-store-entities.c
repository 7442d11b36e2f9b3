/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-pg-store-entities.c: SynPgStore: assets, cables, edges and rule definitions. */
#include "config.h"

#include "syn-pg-store-private.h"

/* Synchronous: rollback relies on NOT_FOUND to tell what is already gone. */
static gboolean
delete_by_id (SynStore *store, const char *sql, const char *what, const char *project_id,
              const char *id, GError **error)
{
  SynPgStore *self = SYN_PG_STORE (store);
  g_auto(SynPgParams) p = { 0 };
  g_autoptr(PGresult) res = NULL;

  _syn_pg_add_text (&p, project_id);
  _syn_pg_add_text (&p, id);
  res = _syn_pg_exec (self, sql, &p, TRUE, error);
  if (res == NULL || !_syn_pg_require_changed (res, what, id, error))
    return FALSE;
  _syn_pg_forget_insert (self, what, id);
  return TRUE;
}

static gpointer
get_by_two (SynStore *store, const char *sql, SynPgRowReader reader, const char *a, const char *b,
            GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, a);
  _syn_pg_add_text (&p, b);
  return _syn_pg_query_one (SYN_PG_STORE (store), sql, &p, reader, error);
}

/* "@limit 0 means all", as SQLite's LIMIT -1: PostgreSQL's LIMIT NULL. */
static void
add_limit (SynPgParams *p, guint limit)
{
  if (limit == 0)
    _syn_pg_add_text (p, NULL);
  else
    _syn_pg_add_int (p, limit);
}

/* ------------------------------------------------------------------------- */
/* Assets                                                                    */

#define ASSET_COLS "id, project_id, tag, type, description, discipline, area, properties, created_by_rule_id, derivation"

static gpointer
read_asset (PGresult *res, int row)
{
  return _syn_pg_read_row (res, row, &_syn_asset_row);
}

static void
add_asset (SynPgParams *p, SynAsset *asset)
{
  _syn_pg_add_row (p, &_syn_asset_row, asset);
}

static gboolean
pg_insert_asset (SynStore *store, SynAsset *asset, GError **error)
{
  SynPgStore *self = SYN_PG_STORE (store);
  g_auto(SynPgParams) p = { 0 };

  if (asset->id == NULL)
    asset->id = syn_uuid_new ();
  add_asset (&p, asset);
  if (!_syn_pg_write_behind (self, "INSERT INTO assets (" ASSET_COLS ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                             &p, g_strdup_printf ("Asset %s: ", asset->tag), NULL, NULL, error))
    return FALSE;
  _syn_pg_remember_insert (self, "asset", asset->id);
  return TRUE;
}

#define UPDATE_ASSET "UPDATE assets SET project_id = $2, tag = $3, type = $4, description = $5, " \
                     "discipline = $6, area = $7, properties = $8, created_by_rule_id = $9, derivation = $10 " \
                     "WHERE id = $1"

static gboolean
pg_update_asset (SynStore *store, SynAsset *asset, GError **error)
{
  SynPgStore *self = SYN_PG_STORE (store);
  g_auto(SynPgParams) p = { 0 };
  g_autoptr(PGresult) res = NULL;

  add_asset (&p, asset);
  /* a row this transaction inserted is there to update: no need to wait for the answer */
  if (_syn_pg_inserted_here (self, "asset", asset->id))
    return _syn_pg_write_behind (self, UPDATE_ASSET, &p, NULL, "asset", asset->id, error);
  res = _syn_pg_exec (self, UPDATE_ASSET, &p, TRUE, error);
  return res != NULL && _syn_pg_require_changed (res, "asset", asset->id, error);
}

static gboolean
pg_delete_asset (SynStore *store, const char *project_id, const char *asset_id, GError **error)
{
  return delete_by_id (store, "DELETE FROM assets WHERE project_id = $1 AND id = $2", "asset",
                       project_id, asset_id, error);
}

static SynAsset *
pg_get_asset (SynStore *store, const char *project_id, const char *asset_id, GError **error)
{
  return get_by_two (store, "SELECT " ASSET_COLS " FROM assets WHERE project_id = $1 AND id = $2",
                     read_asset, project_id, asset_id, error);
}

static SynAsset *
pg_get_asset_by_tag (SynStore *store, const char *project_id, const char *tag, GError **error)
{
  return get_by_two (store, "SELECT " ASSET_COLS " FROM assets WHERE project_id = $1 AND tag = $2",
                     read_asset, project_id, tag, error);
}

static GPtrArray *
pg_list_assets (SynStore *store, const char *project_id, const char *type, const char *search,
                guint64 offset, guint limit, guint64 *total, GError **error)
{
  SynPgStore *self = SYN_PG_STORE (store);
  /* lower() and strpos() as SQLite's lower() and instr() */
  const char *where = " FROM assets WHERE project_id = $1 AND ($2::text IS NULL OR type = $2) "
                      "AND ($3::text IS NULL OR strpos(lower(tag), lower($3)) > 0 "
                      "OR strpos(lower(COALESCE(description, '')), lower($3)) > 0)";
  g_autofree char *sql = g_strconcat ("SELECT " ASSET_COLS, where, " ORDER BY tag LIMIT $4 OFFSET $5", NULL);
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, project_id);
  _syn_pg_add_text (&p, type);
  _syn_pg_add_text (&p, search);
  if (total != NULL)
    {
      g_autofree char *count_sql = g_strconcat ("SELECT count(*)", where, NULL);

      if (!_syn_pg_query_count (self, count_sql, &p, total, error))
        return NULL;
    }
  add_limit (&p, limit);
  _syn_pg_add_int (&p, (gint64) MIN (offset, (guint64) G_MAXINT64));
  return _syn_pg_query_rows (self, sql, &p, read_asset, error);
}

/* ------------------------------------------------------------------------- */
/* Cables                                                                    */

#define CABLE_COLS "id, project_id, tag, from_asset_id, to_asset_id, cable_type, voltage, length_m, " \
                   "conductor_size, flc_a, ampacity_a, voltage_drop_pct, properties, created_by_rule_id, derivation"

static gpointer
read_cable (PGresult *res, int row)
{
  return _syn_pg_read_row (res, row, &_syn_cable_row);
}

static void
add_cable (SynPgParams *p, SynCable *cable)
{
  _syn_pg_add_row (p, &_syn_cable_row, cable);
}

static gboolean
pg_insert_cable (SynStore *store, SynCable *cable, GError **error)
{
  SynPgStore *self = SYN_PG_STORE (store);
  g_auto(SynPgParams) p = { 0 };

  if (cable->id == NULL)
    cable->id = syn_uuid_new ();
  add_cable (&p, cable);
  if (!_syn_pg_write_behind (self, "INSERT INTO cables (" CABLE_COLS ") VALUES "
                             "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
                             &p, g_strdup_printf ("Cable %s: ", cable->tag), NULL, NULL, error))
    return FALSE;
  _syn_pg_remember_insert (self, "cable", cable->id);
  return TRUE;
}

#define UPDATE_CABLE "UPDATE cables SET project_id = $2, tag = $3, from_asset_id = $4, to_asset_id = $5, " \
                     "cable_type = $6, voltage = $7, length_m = $8, conductor_size = $9, flc_a = $10, " \
                     "ampacity_a = $11, voltage_drop_pct = $12, properties = $13, created_by_rule_id = $14, " \
                     "derivation = $15 " \
                     "WHERE id = $1"

static gboolean
pg_update_cable (SynStore *store, SynCable *cable, GError **error)
{
  SynPgStore *self = SYN_PG_STORE (store);
  g_auto(SynPgParams) p = { 0 };
  g_autoptr(PGresult) res = NULL;

  add_cable (&p, cable);
  if (_syn_pg_inserted_here (self, "cable", cable->id))
    return _syn_pg_write_behind (self, UPDATE_CABLE, &p, NULL, "cable", cable->id, error);
  res = _syn_pg_exec (self, UPDATE_CABLE, &p, TRUE, error);
  return res != NULL && _syn_pg_require_changed (res, "cable", cable->id, error);
}

static gboolean
pg_delete_cable (SynStore *store, const char *project_id, const char *cable_id, GError **error)
{
  return delete_by_id (store, "DELETE FROM cables WHERE project_id = $1 AND id = $2", "cable",
                       project_id, cable_id, error);
}

static SynCable *
pg_get_cable (SynStore *store, const char *project_id, const char *cable_id, GError **error)
{
  return get_by_two (store, "SELECT " CABLE_COLS " FROM cables WHERE project_id = $1 AND id = $2",
                     read_cable, project_id, cable_id, error);
}

static SynCable *
pg_get_cable_by_tag (SynStore *store, const char *project_id, const char *tag, GError **error)
{
  return get_by_two (store, "SELECT " CABLE_COLS " FROM cables WHERE project_id = $1 AND tag = $2",
                     read_cable, project_id, tag, error);
}

static GPtrArray *
pg_list_asset_cables (SynStore *store, const char *project_id, const char *asset_id, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, project_id);
  _syn_pg_add_text (&p, asset_id);
  return _syn_pg_query_rows (SYN_PG_STORE (store), "SELECT " CABLE_COLS " FROM cables WHERE project_id = $1 AND "
                             "(to_asset_id = $2 OR from_asset_id = $2) ORDER BY tag", &p, read_cable, error);
}

static GPtrArray *
pg_list_cables (SynStore *store, const char *project_id, guint64 offset, guint limit,
                guint64 *total, GError **error)
{
  SynPgStore *self = SYN_PG_STORE (store);
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, project_id);
  if (total != NULL &&
      !_syn_pg_query_count (self, "SELECT count(*) FROM cables WHERE project_id = $1", &p, total, error))
    return NULL;
  add_limit (&p, limit);
  _syn_pg_add_int (&p, (gint64) MIN (offset, (guint64) G_MAXINT64));
  return _syn_pg_query_rows (self, "SELECT " CABLE_COLS " FROM cables WHERE project_id = $1 "
                             "ORDER BY tag LIMIT $2 OFFSET $3", &p, read_cable, error);
}

/* ------------------------------------------------------------------------- */
/* The asset list and the cable schedule                                     */

#define ASSET_COLS_A "a.id, a.project_id, a.tag, a.type, a.description, a.discipline, a.area, a.properties, " \
                     "a.created_by_rule_id, a.derivation"
#define CABLE_COLS_C "c.id, c.project_id, c.tag, c.from_asset_id, c.to_asset_id, c.cable_type, c.voltage, " \
                     "c.length_m, c.conductor_size, c.flc_a, c.ampacity_a, c.voltage_drop_pct, c.properties, " \
                     "c.created_by_rule_id, c.derivation"

static PGresult *
entity_exec (SynPgStore *self, const SynEntityQuery *q, gboolean count, GError **error)
{
  g_autoptr(GPtrArray) params = NULL;
  g_autofree char *sql = _syn_entity_query_sql (q, q->kind == SYN_ENTITY_CABLES ? CABLE_COLS_C : ASSET_COLS_A,
                                                TRUE, count, &params);
  g_auto(SynPgParams) p = { 0 };

  for (guint i = 0; i < params->len; i++)
    {
      SynSqlParam *param = g_ptr_array_index (params, i);

      if (param->kind == SYN_SQL_TEXT)
        _syn_pg_add_text (&p, param->text);
      else if (param->kind == SYN_SQL_INT && param->number < 0)
        _syn_pg_add_text (&p, NULL);   /* LIMIT NULL: all */
      else if (param->kind == SYN_SQL_INT)
        _syn_pg_add_int (&p, (gint64) param->number);
      else
        _syn_pg_add_double (&p, param->number);
    }
  return _syn_pg_exec (self, sql, &p, TRUE, error);
}

static void
keep_text (GHashTable *table, PGresult *res, int row, int key_col, int value_col)
{
  if (PQgetisnull (res, row, key_col) || PQgetisnull (res, row, value_col) ||
      g_hash_table_contains (table, PQgetvalue (res, row, key_col)))
    return;
  g_hash_table_insert (table, g_strdup (PQgetvalue (res, row, key_col)), g_strdup (PQgetvalue (res, row, value_col)));
}

static SynEntityPage *
pg_query_entities (SynStore *store, const SynEntityQuery *q, GError **error)
{
  SynPgStore *self = SYN_PG_STORE (store);
  g_autoptr(SynEntityPage) page = syn_entity_page_new ();
  g_autoptr(PGresult) res = NULL;
  gboolean cable = q->kind == SYN_ENTITY_CABLES;

  if (q->count)
    {
      g_autoptr(PGresult) counted = entity_exec (self, q, TRUE, error);

      if (counted == NULL)
        return NULL;
      page->total = PQntuples (counted) > 0 ? (guint64) _syn_pg_col_int (counted, 0, 0) : 0;
    }
  if (!(res = entity_exec (self, q, FALSE, error)))
    return NULL;
  for (int row = 0; row < PQntuples (res); row++)
    if (cable)
      {
        g_ptr_array_add (page->items, read_cable (res, row));
        keep_text (page->asset_tags, res, row, 3, 15);
        keep_text (page->asset_tags, res, row, 4, 16);
        keep_text (page->creators, res, row, 0, 17);
      }
    else
      {
        g_ptr_array_add (page->items, read_asset (res, row));
        keep_text (page->creators, res, row, 0, 10);
      }
  return g_steal_pointer (&page);
}

/* ------------------------------------------------------------------------- */
/* Edges                                                                     */

#define EDGE_COLS "id, project_id, source_asset_id, target_asset_id, relation, created_by_rule_id, derivation"

static gpointer
read_edge (PGresult *res, int row)
{
  return _syn_pg_read_row (res, row, &_syn_edge_row);
}

static gboolean
pg_insert_edge (SynStore *store, SynEdge *edge, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  if (edge->id == NULL)
    edge->id = syn_uuid_new ();
  _syn_pg_add_row (&p, &_syn_edge_row, edge);
  return _syn_pg_write_behind (SYN_PG_STORE (store), "INSERT INTO edges (" EDGE_COLS ") VALUES "
                               "($1, $2, $3, $4, $5, $6, $7)", &p, NULL, NULL, NULL, error);
}

static gboolean
pg_delete_edge (SynStore *store, const char *project_id, const char *edge_id, GError **error)
{
  return delete_by_id (store, "DELETE FROM edges WHERE project_id = $1 AND id = $2", "edge",
                       project_id, edge_id, error);
}

static SynEdge *
pg_get_edge (SynStore *store, const char *project_id, const char *edge_id, GError **error)
{
  return get_by_two (store, "SELECT " EDGE_COLS " FROM edges WHERE project_id = $1 AND id = $2",
                     read_edge, project_id, edge_id, error);
}

static SynEdge *
pg_find_edge (SynStore *store, const char *project_id, const char *source_asset_id,
              const char *target_asset_id, const char *relation, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, project_id);
  _syn_pg_add_text (&p, source_asset_id);
  _syn_pg_add_text (&p, target_asset_id);
  _syn_pg_add_text (&p, relation);
  return _syn_pg_query_one (SYN_PG_STORE (store), "SELECT " EDGE_COLS " FROM edges WHERE project_id = $1 "
                            "AND source_asset_id = $2 AND target_asset_id = $3 AND relation = $4",
                            &p, read_edge, error);
}

static GPtrArray *
pg_list_edges (SynStore *store, const char *project_id, const char *asset_id, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, project_id);
  if (asset_id == NULL)
    return _syn_pg_query_rows (SYN_PG_STORE (store), "SELECT " EDGE_COLS " FROM edges WHERE project_id = $1 "
                               "ORDER BY id", &p, read_edge, error);
  _syn_pg_add_text (&p, asset_id);
  return _syn_pg_query_rows (SYN_PG_STORE (store), "SELECT " EDGE_COLS " FROM edges WHERE project_id = $1 "
                             "AND (source_asset_id = $2 OR target_asset_id = $2) ORDER BY id",
                             &p, read_edge, error);
}

/* ------------------------------------------------------------------------- */
/* Rules                                                                     */

#define RULE_COLS "id, project_id, name, description, source, priority, discipline, is_enforced, " \
                  "is_active, action_type, condition, action, " SYN_PG_USEC ("created_at") ", " \
                  SYN_PG_USEC ("updated_at")

static gpointer
read_rule (PGresult *res, int row)
{
  return _syn_pg_read_row (res, row, &_syn_rule_row);
}

static gboolean
pg_save_rule (SynStore *store, SynRule *rule, GError **error)
{
  g_auto(SynPgParams) p = { 0 };
  gint64 now = syn_time_now_usec ();

  if (rule->id == NULL)
    rule->id = syn_uuid_new ();
  /* times given are kept (a rollback puts a rule back as it was) */
  if (rule->created_at == 0)
    rule->created_at = now;
  if (rule->updated_at == 0)
    rule->updated_at = now;
  _syn_pg_add_text (&p, rule->id);
  _syn_pg_add_text (&p, rule->project_id);
  _syn_pg_add_text (&p, rule->name);
  _syn_pg_add_text (&p, rule->description);
  _syn_pg_add_text (&p, rule->source);
  _syn_pg_add_int (&p, rule->priority);
  _syn_pg_add_text (&p, rule->discipline);
  _syn_pg_add_bool (&p, rule->is_enforced);
  _syn_pg_add_bool (&p, rule->is_active);
  _syn_pg_add_text (&p, rule->action_type);
  _syn_pg_add_json (&p, rule->condition, "{}");
  _syn_pg_add_json (&p, rule->action, "{}");
  _syn_pg_add_time (&p, rule->created_at, FALSE);
  _syn_pg_add_time (&p, rule->updated_at, FALSE);
  return _syn_pg_exec_ok (SYN_PG_STORE (store), "INSERT INTO rule_definitions (id, project_id, name, "
                          "description, source, priority, discipline, is_enforced, is_active, action_type, "
                          "condition, action, created_at, updated_at) VALUES "
                          "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) "
                          "ON CONFLICT (id) DO UPDATE SET project_id = $2, name = $3, "
                          "description = $4, source = $5, priority = $6, discipline = $7, "
                          "is_enforced = $8, is_active = $9, action_type = $10, "
                          "condition = $11, action = $12, updated_at = $14", &p, error);
}

static gboolean
pg_delete_rule (SynStore *store, const char *rule_id, GError **error)
{
  g_auto(SynPgParams) p = { 0 };
  g_autoptr(PGresult) res = NULL;

  _syn_pg_add_text (&p, rule_id);
  res = _syn_pg_exec (SYN_PG_STORE (store), "DELETE FROM rule_definitions WHERE id = $1", &p, TRUE, error);
  return res != NULL && _syn_pg_require_changed (res, "rule", rule_id, error);
}

static SynRule *
pg_get_rule (SynStore *store, const char *rule_id, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, rule_id);
  return _syn_pg_query_one (SYN_PG_STORE (store), "SELECT " RULE_COLS " FROM rule_definitions WHERE id = $1",
                            &p, read_rule, error);
}

static GPtrArray *
pg_list_rules (SynStore *store, const char *project_id, gboolean include_library, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, project_id);
  _syn_pg_add_bool (&p, include_library);
  return _syn_pg_query_rows (SYN_PG_STORE (store), "SELECT " RULE_COLS " FROM rule_definitions WHERE "
                             "($1::text IS NOT NULL AND project_id = $1) OR "
                             "(($1::text IS NULL OR $2::boolean) AND project_id IS NULL) "
                             "ORDER BY priority DESC, name", &p, read_rule, error);
}

/* ------------------------------------------------------------------------- */
/* Integrity                                                                 */

/* An end that is no asset of the row's own project: missing, or another
 * project's (the foreign keys only say "some asset"). */
#define NOT_AN_ASSET(column, table) \
  "NOT EXISTS (SELECT 1 FROM assets a WHERE a.id = " table "." column " AND a.project_id = " table ".project_id)"

static GPtrArray *
pg_list_dangling_edges (SynStore *store, const char *project_id, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, project_id);
  return _syn_pg_query_rows (SYN_PG_STORE (store), "SELECT " EDGE_COLS " FROM edges e WHERE e.project_id = $1 AND ("
                             NOT_AN_ASSET ("source_asset_id", "e") " OR "
                             NOT_AN_ASSET ("target_asset_id", "e") ") ORDER BY e.id", &p, read_edge, error);
}

static GPtrArray *
pg_list_dangling_cables (SynStore *store, const char *project_id, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, project_id);
  return _syn_pg_query_rows (SYN_PG_STORE (store), "SELECT " CABLE_COLS " FROM cables c WHERE c.project_id = $1 AND ("
                             "(c.from_asset_id IS NOT NULL AND " NOT_AN_ASSET ("from_asset_id", "c") ") OR "
                             "(c.to_asset_id IS NOT NULL AND " NOT_AN_ASSET ("to_asset_id", "c") ")) "
                             "ORDER BY c.tag", &p, read_cable, error);
}

static gboolean
pg_list_asset_referrers (SynStore *store, const char *project_id, const char * const *asset_ids, guint n_ids,
                         GPtrArray *edge_ids, GPtrArray *cable_ids, GPtrArray *derived_ids, GError **error)
{
  static const char * const queries[] = {
    /* each end by its index */
    "SELECT id FROM edges WHERE project_id = $1 AND source_asset_id = ANY ($2::text[]) "
    "UNION SELECT id FROM edges WHERE project_id = $1 AND target_asset_id = ANY ($2::text[])",
    "SELECT id FROM cables WHERE project_id = $1 AND from_asset_id = ANY ($2::text[]) "
    "UNION SELECT id FROM cables WHERE project_id = $1 AND to_asset_id = ANY ($2::text[])",
    /* no index on the record: one pass over the project's assets */
    "SELECT id FROM assets WHERE project_id = $1 AND derivation ->> 'source_asset_id' = ANY ($2::text[])",
  };
  SynPgStore *self = SYN_PG_STORE (store);
  GPtrArray *out[] = { edge_ids, cable_ids, derived_ids };
  g_auto(SynPgParams) p = { 0 };

  if (n_ids == 0)
    return TRUE;
  _syn_pg_add_text (&p, project_id);
  _syn_pg_add_text_array (&p, asset_ids, n_ids);
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autoptr(PGresult) res = NULL;

      if (out[q] == NULL)
        continue;
      if (!(res = _syn_pg_exec (self, queries[q], &p, TRUE, error)))
        return FALSE;
      for (int row = 0; row < PQntuples (res); row++)
        g_ptr_array_add (out[q], _syn_pg_col_text (res, row, 0));
    }
  return TRUE;
}

static gboolean
pg_delete_entities (SynStore *store, const char *project_id, const char *aggregate_type, const char * const *ids,
                    guint n_ids, GPtrArray *deleted, GError **error)
{
  /* fixed text per table: no parameter can name one */
  static const char * const statements[] = {
    "DELETE FROM assets WHERE project_id = $1 AND id = ANY ($2::text[]) RETURNING id",
    "DELETE FROM cables WHERE project_id = $1 AND id = ANY ($2::text[]) RETURNING id",
    "DELETE FROM edges WHERE project_id = $1 AND id = ANY ($2::text[]) RETURNING id",
  };
  static const char * const whats[] = { "asset", "cable", "edge" };
  guint table = _syn_store_entity_table (aggregate_type);
  const char *sql = statements[table];
  const char *what = whats[table];
  SynPgStore *self = SYN_PG_STORE (store);
  g_auto(SynPgParams) p = { 0 };
  g_autoptr(PGresult) res = NULL;

  if (n_ids == 0)
    return TRUE;
  _syn_pg_add_text (&p, project_id);
  _syn_pg_add_text_array (&p, ids, n_ids);
  if (!(res = _syn_pg_exec (self, sql, &p, TRUE, error)))
    return FALSE;
  for (int row = 0; row < PQntuples (res); row++)
    {
      char *id = _syn_pg_col_text (res, row, 0);

      _syn_pg_forget_insert (self, what, id);
      g_ptr_array_add (deleted, id);
    }
  return TRUE;
}

/* The constraints migration 0004 added NOT VALID because rows broke them
 * then: validated as soon as none does (after a repair). Fixed text: no
 * parameter can name a table or a constraint. */
static gboolean
pg_validate_references (SynStore *store, gboolean *all_valid, GError **error)
{
  SynPgStore *self = SYN_PG_STORE (store);
  g_autoptr(PGresult) done = NULL;
  g_autoptr(PGresult) res = NULL;

  /* a utility statement: run as it is, never prepared */
  if (!(done = _syn_pg_exec (self,
                        "DO $$ BEGIN "
                        "IF EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'edges_source_asset_fk' "
                        "  AND conrelid = 'edges'::regclass AND NOT convalidated) "
                        "AND NOT EXISTS (SELECT 1 FROM edges e WHERE NOT EXISTS "
                        "  (SELECT 1 FROM assets a WHERE a.id = e.source_asset_id)) THEN "
                        "  ALTER TABLE edges VALIDATE CONSTRAINT edges_source_asset_fk; END IF; "
                        "IF EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'edges_target_asset_fk' "
                        "  AND conrelid = 'edges'::regclass AND NOT convalidated) "
                        "AND NOT EXISTS (SELECT 1 FROM edges e WHERE NOT EXISTS "
                        "  (SELECT 1 FROM assets a WHERE a.id = e.target_asset_id)) THEN "
                        "  ALTER TABLE edges VALIDATE CONSTRAINT edges_target_asset_fk; END IF; "
                        "IF EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'cables_from_asset_fk' "
                        "  AND conrelid = 'cables'::regclass AND NOT convalidated) "
                        "AND NOT EXISTS (SELECT 1 FROM cables c WHERE c.from_asset_id IS NOT NULL AND NOT EXISTS "
                        "  (SELECT 1 FROM assets a WHERE a.id = c.from_asset_id)) THEN "
                        "  ALTER TABLE cables VALIDATE CONSTRAINT cables_from_asset_fk; END IF; "
                        "IF EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'cables_to_asset_fk' "
                        "  AND conrelid = 'cables'::regclass AND NOT convalidated) "
                        "AND NOT EXISTS (SELECT 1 FROM cables c WHERE c.to_asset_id IS NOT NULL AND NOT EXISTS "
                        "  (SELECT 1 FROM assets a WHERE a.id = c.to_asset_id)) THEN "
                        "  ALTER TABLE cables VALIDATE CONSTRAINT cables_to_asset_fk; END IF; "
                        "END $$", NULL, FALSE, error)))
    return FALSE;
  if (all_valid == NULL)
    return TRUE;
  res = _syn_pg_exec (self, "SELECT count(*) FROM pg_constraint WHERE conrelid IN ('edges'::regclass, "
                            "'cables'::regclass) AND contype = 'f' AND NOT convalidated", NULL, TRUE, error);
  if (res == NULL)
    return FALSE;
  *all_valid = _syn_pg_col_int (res, 0, 0) == 0;
  return TRUE;
}

/* ------------------------------------------------------------------------- */

void
_syn_pg_store_entities_iface_init (SynStoreInterface *iface)
{
  iface->insert_asset = pg_insert_asset;
  iface->update_asset = pg_update_asset;
  iface->delete_asset = pg_delete_asset;
  iface->get_asset = pg_get_asset;
  iface->get_asset_by_tag = pg_get_asset_by_tag;
  iface->list_assets = pg_list_assets;
  iface->insert_cable = pg_insert_cable;
  iface->update_cable = pg_update_cable;
  iface->delete_cable = pg_delete_cable;
  iface->get_cable = pg_get_cable;
  iface->get_cable_by_tag = pg_get_cable_by_tag;
  iface->list_cables = pg_list_cables;
  iface->list_asset_cables = pg_list_asset_cables;
  iface->query_entities = pg_query_entities;
  iface->insert_edge = pg_insert_edge;
  iface->delete_edge = pg_delete_edge;
  iface->get_edge = pg_get_edge;
  iface->find_edge = pg_find_edge;
  iface->list_edges = pg_list_edges;
  iface->save_rule = pg_save_rule;
  iface->delete_rule = pg_delete_rule;
  iface->get_rule = pg_get_rule;
  iface->list_rules = pg_list_rules;
  iface->list_dangling_edges = pg_list_dangling_edges;
  iface->list_dangling_cables = pg_list_dangling_cables;
  iface->list_asset_referrers = pg_list_asset_referrers;
  iface->delete_entities = pg_delete_entities;
  iface->validate_references = pg_validate_references;
}
