/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-db-uri.c: --db and --connect strings: SQLite or PostgreSQL, libpq's connection string parsing and its rewrite, server URLs. */
#include "config.h"

#include <libpq-fe.h>
#include <string.h>

#include "backend/syn-remote-backend.h"
#include "fuzz-common.h"
#include "store/syn-pg-store.h"
#include "store/syn-store.h"

/* The options libpq reads from @conninfo, as keyword -> value. */
static GHashTable *
conninfo_options (const char *conninfo)
{
  PQconninfoOption *options = PQconninfoParse (conninfo, NULL);
  GHashTable *table;

  if (options == NULL)
    return NULL;
  table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    if (o->val != NULL)
      g_hash_table_insert (table, g_strdup (o->keyword), g_strdup (o->val));
  PQconninfoFree (options);
  return table;
}

/* syn_pg_uri_with_database() (the test databases, "synapse serve" on a new
 * database): the rewrite must parse again, with the new name and every
 * other option as it was; a string libpq refuses is a clear error. */
static void
check_pg (const char *uri)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *rewritten = syn_pg_uri_with_database (uri, "fuzz 'db' \\ name", &error);
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  GHashTableIter iter;
  const char *key, *value;

  if (rewritten == NULL)
    {
      g_assert (error != NULL);
      g_assert_null (conninfo_options (uri));
      return;
    }
  g_assert_no_error (error);
  before = conninfo_options (uri);
  after = conninfo_options (rewritten);
  g_assert_nonnull (before);
  if (after == NULL)
    g_error ("the rewrite of a valid connection string does not parse: %s", rewritten);
  g_assert_cmpstr (g_hash_table_lookup (after, "dbname"), ==, "fuzz 'db' \\ name");
  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, (gpointer *) &key, (gpointer *) &value))
    if (!g_str_equal (key, "dbname"))
      g_assert_cmpstr (g_hash_table_lookup (after, key), ==, value);
}

/* SQLite: only the strings that name no file are opened for real (an
 * arbitrary path would create directories anywhere). */
static void
check_sqlite (const char *uri)
{
  const char *path = g_str_has_prefix (uri, "sqlite://") ? uri + strlen ("sqlite://") : uri;
  g_autoptr(GError) error = NULL;
  g_autoptr(SynStore) store = NULL;

  if (*path != '\0' && strcmp (path, ":memory:") != 0)
    return;
  store = syn_store_open (uri, &error);
  g_assert ((store != NULL) != (error != NULL));
  if (store != NULL)
    g_assert_cmpstr (syn_store_get_backend_name (store), ==, "sqlite");
}

/* --connect URL: parsed, nothing sent. */
static void
check_server_url (const char *url)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynRemoteBackend) remote = syn_remote_backend_new (url, &error);

  g_assert ((remote != NULL) != (error != NULL));
  if (remote != NULL)
    g_assert_nonnull (syn_backend_describe (SYN_BACKEND (remote)));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  /* a command-line argument: a C string */
  g_autofree char *text = g_strndup ((const char *) data, size);

  syn_fuzz_init_logging ();
  if (syn_pg_store_is_uri (text))
    check_pg (text);
  else
    check_sqlite (text);
  check_server_url (text);
  return 0;
}
