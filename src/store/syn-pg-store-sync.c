/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-pg-store-sync.c: SynPgStore: offline work: the server's push keys (a clone is always SQLite). */
#include "config.h"

#include "syn-pg-store-private.h"

static gboolean
pg_find_push_key (SynStore *store, const char *key, char **correlation_id, GError **error)
{
  g_auto(SynPgParams) p = { 0 };
  g_autoptr(PGresult) res = NULL;

  _syn_pg_add_text (&p, key);
  if (!(res = _syn_pg_exec (SYN_PG_STORE (store), "SELECT correlation_id FROM sync_push_keys "
                            "WHERE idempotency_key = $1", &p, TRUE, error)))
    return FALSE;
  if (PQntuples (res) > 0)
    *correlation_id = _syn_pg_col_text (res, 0, 0);
  return TRUE;
}

static gboolean
pg_insert_push_key (SynStore *store, const char *key, const char *project_id, const char *correlation_id,
                    GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, key);
  _syn_pg_add_text (&p, project_id);
  _syn_pg_add_text (&p, correlation_id);
  return _syn_pg_exec_ok (SYN_PG_STORE (store), "INSERT INTO sync_push_keys (idempotency_key, project_id, "
                          "correlation_id, created_at) VALUES ($1, $2, $3, now())", &p, error);
}

void
_syn_pg_store_sync_iface_init (SynStoreInterface *iface)
{
  iface->find_push_key = pg_find_push_key;
  iface->insert_push_key = pg_insert_push_key;
}
