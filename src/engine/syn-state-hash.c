/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-state-hash.c: canonical state hash: proves a rollback exact and a replay equal. */
#include "config.h"

#include "syn-state-hash.h"

typedef JsonNode *(*ToJson) (gpointer object);

static void
hash_section (GChecksum *sum, const char *name, GPtrArray *items, ToJson to_json)
{
  g_autoptr(GString) buf = g_string_new (NULL);

  g_string_append_printf (buf, "\"%s\":[", name);
  g_checksum_update (sum, (const guchar *) buf->str, buf->len);
  for (guint i = 0; i < items->len; i++)
    {
      g_autoptr(JsonNode) node = to_json (g_ptr_array_index (items, i));

      /* Derivation records are the engine's bookkeeping (which rule made
       * what from which inputs, what a person holds): they travel in events,
       * snapshots and rollbacks, but the hash covers what the project holds,
       * so a database migrated to them hashes as its replay does. */
      if (json_object_has_member (json_node_get_object (node), "derivation"))
        json_object_remove_member (json_node_get_object (node), "derivation");
      g_string_truncate (buf, 0);
      if (i > 0)
        g_string_append_c (buf, ',');
      syn_json_canonical_append (buf, node);
      g_checksum_update (sum, (const guchar *) buf->str, buf->len);
    }
  g_checksum_update (sum, (const guchar *) "]", 1);
}

/* SHA-256 over {"assets":[...],"cables":[...],"edges":[...]} in canonical JSON
 * (sorted keys, no whitespace, without the derivation records), assets and
 * cables ordered by tag, edges by id:
 * equal states give equal hashes whatever the order of the writes. */
char *
syn_state_hash_compute (SynStore *store, const char *project_id, GError **error)
{
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GPtrArray) cables = NULL;
  g_autoptr(GPtrArray) edges = NULL;

  g_return_val_if_fail (SYN_IS_STORE (store), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  if (!(assets = syn_store_list_assets (store, project_id, NULL, NULL, 0, 0, NULL, error)) ||
      !(cables = syn_store_list_cables (store, project_id, 0, 0, NULL, error)) ||
      !(edges = syn_store_list_edges (store, project_id, NULL, error)))
    return NULL;
  return syn_state_hash_of (assets, cables, edges);
}

char *
syn_state_hash_of (GPtrArray *assets, GPtrArray *cables, GPtrArray *edges)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  g_return_val_if_fail (assets != NULL && cables != NULL && edges != NULL, NULL);

  g_checksum_update (sum, (const guchar *) "{", 1);
  hash_section (sum, "assets", assets, (ToJson) syn_asset_to_json);
  g_checksum_update (sum, (const guchar *) ",", 1);
  hash_section (sum, "cables", cables, (ToJson) syn_cable_to_json);
  g_checksum_update (sum, (const guchar *) ",", 1);
  hash_section (sum, "edges", edges, (ToJson) syn_edge_to_json);
  g_checksum_update (sum, (const guchar *) "}", 1);
  return g_strdup (g_checksum_get_string (sum));
}
