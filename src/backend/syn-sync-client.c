/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-sync-client.c: SynSyncClient: a server's project cloned into a SQLite file, its offline batches pushed back. */
#include "config.h"

#include <errno.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "core/syn-core.h"
#include "engine/syn-state-checkpoint.h"
#include "engine/syn-state-hash.h"
#include "engine/syn-verifier.h"
#include "store/syn-store.h"
#include "syn-remote-backend.h"
#include "syn-sync-client.h"

/* Events per page: the feed's largest. */
#define PAGE_EVENTS 1000

struct _SynSyncClient
{
  GObject          parent_instance;

  SynBackend      *server;
  char            *server_url;
  char            *path;
  SynSyncProgress  progress;
  gpointer         progress_data;
};

G_DEFINE_FINAL_TYPE (SynSyncClient, syn_sync_client, G_TYPE_OBJECT)

static void
syn_sync_client_dispose (GObject *object)
{
  SynSyncClient *self = SYN_SYNC_CLIENT (object);

  g_clear_object (&self->server);
  G_OBJECT_CLASS (syn_sync_client_parent_class)->dispose (object);
}

static void
syn_sync_client_finalize (GObject *object)
{
  SynSyncClient *self = SYN_SYNC_CLIENT (object);

  g_clear_pointer (&self->server_url, g_free);
  g_clear_pointer (&self->path, g_free);
  G_OBJECT_CLASS (syn_sync_client_parent_class)->finalize (object);
}

static void
syn_sync_client_class_init (SynSyncClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = syn_sync_client_dispose;
  object_class->finalize = syn_sync_client_finalize;
}

static void
syn_sync_client_init (SynSyncClient *self)
{
}

SynSyncClient *
syn_sync_client_new (SynBackend *server, const char *server_url, const char *path)
{
  SynSyncClient *self;

  g_return_val_if_fail (server == NULL || SYN_IS_BACKEND (server), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (SYN_TYPE_SYNC_CLIENT, NULL);
  self->server = server ? g_object_ref (server) : NULL;
  self->server_url = g_strdup (server_url);
  self->path = g_strdup (path);
  return self;
}

void
syn_sync_client_set_progress (SynSyncClient *self, SynSyncProgress progress, gpointer user_data)
{
  g_return_if_fail (SYN_IS_SYNC_CLIENT (self));
  self->progress = progress;
  self->progress_data = user_data;
}

static void
report (SynSyncClient *self, const char *stage, guint64 done, guint64 total)
{
  if (self->progress != NULL)
    self->progress (stage, done, total, self->progress_data);
}

static gboolean
require_server (SynSyncClient *self, GError **error)
{
  if (self->server != NULL)
    return TRUE;
  g_set_error_literal (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_UNAVAILABLE, _("The server is needed for this"));
  return FALSE;
}

/* An object answer of the server (a non-object is its failure). */
static JsonObject *
call_object (SynSyncClient *self, const char *op, JsonObject *params, GError **error)
{
  g_autoptr(JsonNode) answer = syn_backend_call_sync (self->server, op, params, NULL, error);

  if (answer == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (answer))
    {
      g_set_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_FAILED, "The server's answer to %s is no object", op);
      return NULL;
    }
  return json_object_ref (json_node_get_object (answer));
}

static JsonObject *
project_params (const char *project_id)
{
  JsonObject *params = json_object_new ();

  json_object_set_string_member (params, "project_id", project_id);
  return params;
}

/* An object member, or NULL (absent, null). */
static JsonObject *
object_member (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* One page of the server's events past @after: the page (its "events"
 * in *@items, NULL or empty at the end). */
static JsonObject *
fetch_page (SynSyncClient *self, const char *project_id, gint64 after, JsonArray **items, GError **error)
{
  g_autoptr(JsonObject) params = project_params (project_id);
  JsonObject *page;

  json_object_set_int_member (params, "after", after);
  json_object_set_int_member (params, "limit", PAGE_EVENTS);
  if (!(page = call_object (self, SYN_OP_EVENTS_AFTER, params, error)))
    return NULL;
  *items = json_object_get_array_member (page, "events");
  return page;
}

/* ------------------------------------------------------------------------- */
/* Building a clone                                                          */

typedef struct
{
  char       *project_id;
  JsonObject *project;       /* the server's answer */
  JsonObject *state;         /* state_hash, head_hash, head_position: the server's, before the events */
  gint64      local_head;
  guint64     events;
  GHashTable *batches;       /* the correlation ids whose snapshot is copied */
  gboolean    in_txn;        /* a pull: one transaction for the whole */
} Build;

static void
build_clear (Build *b)
{
  g_clear_pointer (&b->project_id, g_free);
  g_clear_pointer (&b->project, json_object_unref);
  g_clear_pointer (&b->state, json_object_unref);
  g_clear_pointer (&b->batches, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Build, build_clear)

/* The server's rules (the project's and the library's) in the clone, in
 * place of any other. */
static gboolean
copy_rules (SynSyncClient *self, SynStore *store, const char *project_id, GError **error)
{
  g_autoptr(JsonObject) params = project_params (project_id);
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GPtrArray) local = NULL;
  g_autoptr(GHashTable) server_ids = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *rules;

  if (!(answer = syn_backend_call_sync (self->server, SYN_OP_LIST_RULES, params, NULL, error)))
    return FALSE;
  if (!JSON_NODE_HOLDS_ARRAY (answer))
    {
      g_set_error_literal (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_FAILED, "The server's rules are no list");
      return FALSE;
    }
  rules = json_node_get_array (answer);
  /* a pull: the clone's own rule changes give way to the server's rules */
  if (!(local = syn_store_list_rules (store, project_id, TRUE, error)))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (rules); i++)
    g_hash_table_add (server_ids, (gpointer) syn_json_get_string (json_array_get_object_element (rules, i), "id"));
  for (guint i = 0; i < local->len; i++)
    {
      SynRule *rule = g_ptr_array_index (local, i);

      if (!g_hash_table_contains (server_ids, rule->id) && !syn_store_delete_rule (store, rule->id, error))
        return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (rules); i++)
    {
      g_autoptr(SynRule) rule = syn_rule_from_json (json_array_get_object_element (rules, i), error);

      if (rule == NULL || !syn_store_save_rule (store, rule, error))
        return FALSE;
    }
  return TRUE;
}

/* The records of the page of events past @after the clone just appended
 * (@events, in its numbering): the snapshots of their batches (each once),
 * their findings, and the derive mark when it names one of them. */
static gboolean
copy_records (SynSyncClient *self, SynStore *store, Build *b, gint64 after, GPtrArray *events, GError **error)
{
  g_autoptr(JsonObject) params = project_params (b->project_id);
  g_autoptr(JsonObject) records = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) batches = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *snapshots, *findings;
  JsonObject *mark;

  json_object_set_int_member (params, "after", after);
  json_object_set_int_member (params, "limit", PAGE_EVENTS);
  if (!(records = call_object (self, SYN_OP_SYNC_RECORDS, params, error)))
    return FALSE;
  for (guint i = 0; i < events->len; i++)
    {
      SynEvent *e = g_ptr_array_index (events, i);

      g_hash_table_insert (ids, e->id, e);
      g_hash_table_add (batches, e->correlation_id);
    }
  if (b->batches == NULL)
    b->batches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  snapshots = json_object_get_array_member (records, "snapshots");
  for (guint i = 0; snapshots != NULL && i < json_array_get_length (snapshots); i++)
    {
      g_autoptr(SynSnapshot) snapshot = syn_snapshot_from_json (json_array_get_object_element (snapshots, i), error);

      if (snapshot == NULL)
        return FALSE;
      /* a batch past the head is not copied; one across two pages once */
      if (!g_hash_table_contains (batches, snapshot->correlation_id) ||
          g_hash_table_contains (b->batches, snapshot->correlation_id))
        continue;
      g_free (snapshot->project_id);
      snapshot->project_id = g_strdup (b->project_id);
      if (!syn_store_insert_snapshot (store, snapshot, error))
        return FALSE;
      g_hash_table_add (b->batches, g_strdup (snapshot->correlation_id));
    }
  findings = json_object_get_array_member (records, "findings");
  for (guint i = 0; findings != NULL && i < json_array_get_length (findings); i++)
    {
      JsonObject *item = json_array_get_object_element (findings, i);
      g_autoptr(SynFinding) finding = syn_finding_new ();

      if (!g_hash_table_contains (ids, syn_json_get_string (item, "event_id")))
        continue;
      finding->event_id = g_strdup (syn_json_get_string (item, "event_id"));
      finding->project_id = g_strdup (b->project_id);
      finding->rule_id = g_strdup (syn_json_get_string (item, "rule_id"));
      finding->source_asset_id = g_strdup (syn_json_get_string (item, "source_asset_id"));
      finding->digest = g_strdup (syn_json_get_string (item, "digest"));
      if (!syn_store_insert_finding (store, finding, error))
        return FALSE;
    }
  mark = object_member (records, "derive_mark");
  if (mark != NULL)
    {
      SynEvent *at = g_hash_table_lookup (ids, syn_json_get_string (mark, "event_id"));
      JsonNode *summary = json_object_get_member (mark, "summary");

      if (summary != NULL && JSON_NODE_HOLDS_NULL (summary))
        summary = NULL;
      if (at != NULL && !syn_store_set_derive_mark (store, b->project_id, at->position,
                                                    syn_json_get_string (mark, "rules_digest"), summary, error))
        return FALSE;
    }
  return TRUE;
}

/* Each step of a build writes in a transaction of its own, unless the
 * caller holds one for the whole (a pull). */
static gboolean
step_begin (SynStore *store, Build *b, GError **error)
{
  return b->in_txn || syn_store_begin (store, error);
}

static gboolean
step_end (SynStore *store, Build *b, gboolean ok, GError **error)
{
  if (b->in_txn)
    return ok;
  if (!ok)
    {
      syn_store_rollback (store);
      return FALSE;
    }
  return syn_store_commit (store, error);
}

/* One page appended: each hash the clone computes must be the server's. */
static gboolean
append_page (SynStore *store, Build *b, GPtrArray *events, GPtrArray *hashes, GError **error)
{
  if (!syn_store_append_events (store, events, error))
    return FALSE;
  for (guint i = 0; i < events->len; i++)
    {
      SynEvent *e = g_ptr_array_index (events, i);

      if (g_strcmp0 (e->hash, hashes->pdata[i]) != 0)
        {
          g_set_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_FAILED,
                       _("The server's hash chain breaks at event %s: the clone computes %s, the server says %s"),
                       e->id, e->hash, (const char *) hashes->pdata[i]);
          return FALSE;
        }
      b->local_head = e->position;
    }
  return TRUE;
}

/* A pull's rollbacks of batches the clone had before: their events and
 * snapshot marked as the server's are (the marks are outside the events;
 * a batch of the same pull came marked). */
static gboolean
mark_rollbacks (SynStore *store, Build *b, GPtrArray *events, GError **error)
{
  for (guint i = 0; b->in_txn && i < events->len; i++)
    {
      SynEvent *e = g_ptr_array_index (events, i);
      g_autoptr(SynSnapshot) snapshot = NULL;

      if (g_strcmp0 (e->event_type, SYN_EVENT_BATCH_ROLLED_BACK) != 0 || e->aggregate_id == NULL)
        continue;
      if (!syn_store_mark_batch_rolled_back (store, b->project_id, e->aggregate_id, e->correlation_id, e->timestamp,
                                             NULL, error))
        return FALSE;
      snapshot = syn_store_get_snapshot (store, b->project_id, e->aggregate_id, NULL);
      if (snapshot != NULL && g_strcmp0 (snapshot->status, SYN_SNAPSHOT_ACTIVE) == 0 &&
          !syn_store_mark_snapshot_rolled_back (store, b->project_id, e->aggregate_id, e->user_id, e->timestamp,
                                                error))
        return FALSE;
    }
  return TRUE;
}

/* The server's events past @after up to its head, page by page, appended
 * as they are, with their records. */
static gboolean
copy_events (SynSyncClient *self, SynStore *store, Build *b, gint64 after, GError **error)
{
  gint64 head = json_object_get_int_member_with_default (b->state, "head_position", -1);

  while (after < head)
    {
      g_autoptr(JsonObject) page = NULL;
      g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GPtrArray) hashes = g_ptr_array_new ();
      JsonArray *items = NULL;
      gint64 page_after = after;

      if (!(page = fetch_page (self, b->project_id, after, &items, error)))
        return FALSE;
      if (items == NULL || json_array_get_length (items) == 0)
        break;
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *item = json_array_get_object_element (items, i);
          SynEvent *e;

          if (json_object_get_int_member_with_default (item, "position", 0) > head)
            break;
          if (!(e = syn_event_from_json (item, error)))
            return FALSE;
          g_ptr_array_add (hashes, (gpointer) syn_json_get_string (item, "hash"));
          g_ptr_array_add (events, e);
        }
      after = json_object_get_int_member_with_default (page, "last_position", head);
      if (events->len == 0)
        break;
      if (!step_begin (store, b, error) ||
          !step_end (store, b, append_page (store, b, events, hashes, error) &&
                               copy_records (self, store, b, page_after, events, error) &&
                               mark_rollbacks (store, b, events, error), error))
        return FALSE;
      b->events += events->len;
      report (self, "events", b->events, 0);
    }
  return TRUE;
}

/* The clone's entities, replayed from its events (as verify and "as of"
 * do, from the newest checkpoint before), then its state hash, which must
 * be the server's. */
static gboolean
replay_entities (SynSyncClient *self, SynStore *store, Build *b, GError **error)
{
  static const char *const kinds[] = { SYN_AGGREGATE_ASSET, SYN_AGGREGATE_CABLE, SYN_AGGREGATE_EDGE };
  g_autoptr(SynStateReplay) replay = NULL;
  g_autofree char *hash = NULL;

  report (self, "replay", 0, b->events);
  if (b->local_head > 0 && !(replay = syn_state_checkpoint_replay_to (store, b->project_id, b->local_head, error)))
    return FALSE;
  if (replay != NULL)
    {
      gboolean ok = step_begin (store, b, error);

      for (guint k = 0; k < G_N_ELEMENTS (kinds) && ok; k++)
        {
          g_autoptr(GPtrArray) entities = syn_state_replay_list_entities (replay, kinds[k]);

          for (guint i = 0; i < entities->len && ok; i++)
            {
              gpointer entity = g_ptr_array_index (entities, i);

              if (k == 0)
                ok = syn_store_insert_asset (store, entity, error);
              else if (k == 1)
                ok = syn_store_insert_cable (store, entity, error);
              else
                ok = syn_store_insert_edge (store, entity, error);
            }
        }
      if (!step_end (store, b, ok, error))
        return FALSE;
    }
  report (self, "replay", b->events, b->events);
  if (!(hash = syn_state_hash_compute (store, b->project_id, error)))
    return FALSE;
  if (g_strcmp0 (hash, syn_json_get_string (b->state, "state_hash")) != 0)
    {
      g_set_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_FAILED,
                   _("The clone's state hash %s is not the server's %s"), hash,
                   syn_json_get_string (b->state, "state_hash"));
      return FALSE;
    }
  return TRUE;
}

/* The clone as `synapse verify` checks it, against the server's head
 * hash: the chain, the replay against the tables, the snapshots against
 * the events (copied from the server, they must agree here too). */
static gboolean
verify_clone (SynSyncClient *self, SynStore *store, Build *b, GError **error)
{
  g_autoptr(JsonNode) verified = NULL;
  JsonObject *answer;
  JsonArray *findings;

  report (self, "verify", 0, b->events);
  if (!(verified = syn_verifier_verify_full (store, b->project_id, syn_json_get_string (b->state, "head_hash"),
                                             error)))
    return FALSE;
  answer = json_node_get_object (verified);
  if (json_object_get_boolean_member_with_default (answer, "ok", FALSE))
    return TRUE;
  findings = json_object_get_array_member (answer, "findings");
  g_set_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_FAILED, _("The clone does not verify: %s"),
               findings && json_array_get_length (findings) > 0
                 ? syn_json_get_string (json_array_get_object_element (findings, 0), "message") : "?");
  return FALSE;
}

/* The whole project into a new SQLite file at @path. */
static gboolean
build_clone (SynSyncClient *self, const char *path, const char *project, Build *b, GError **error)
{
  g_autoptr(SynStore) store = NULL;
  g_autoptr(JsonObject) params = project_params (project);
  g_autoptr(SynProject) copy = NULL;

  if (!(b->project = call_object (self, SYN_OP_GET_PROJECT, params, error)))
    return FALSE;
  b->project_id = g_strdup (syn_json_get_string (b->project, "id"));
  g_clear_pointer (&params, json_object_unref);
  params = project_params (b->project_id);
  /* the head first: the events are taken up to it, whatever comes later */
  if (!(b->state = call_object (self, SYN_OP_STATE_HASH, params, error)))
    return FALSE;
  if (!(copy = syn_project_from_json (b->project, error)))
    return FALSE;
  if (!(store = syn_store_open_full (path, SYN_STORE_OPEN_DEFAULT, error)))
    return FALSE;
  if (!syn_store_insert_project (store, copy, error) ||
      !copy_rules (self, store, b->project_id, error) ||
      !copy_events (self, store, b, 0, error) ||
      !replay_entities (self, store, b, error) ||
      !verify_clone (self, store, b, error))
    return FALSE;
  return TRUE;
}

static void
remove_database (const char *path)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

/* The finished database at @part becomes the clone at @path, in one
 * rename: a clone is whole or not there. Both are closed. */
static gboolean
install (const char *part, const char *path, GError **error)
{
  static const char *const journals[] = { "-wal", "-shm" };

  if (g_rename (part, path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "Cannot rename %s: %s", part,
                   g_strerror (saved_errno));
      return FALSE;
    }
  /* the old file's journal belongs to no database any more */
  for (guint i = 0; i < G_N_ELEMENTS (journals); i++)
    {
      g_autofree char *file = g_strconcat (path, journals[i], NULL);

      g_unlink (file);
    }
  return TRUE;
}

/* The clone record of a build: its base is the server's head it equals. */
static JsonObject *
clone_record (SynSyncClient *self, Build *b, const char *clone_id, const char *username, gint64 created_at)
{
  JsonObject *clone = json_object_new ();
  gint64 now = syn_time_now_usec ();

  json_object_set_string_member (clone, "clone_id", clone_id);
  json_object_set_string_member (clone, "server_url", self->server_url ? self->server_url : "");
  json_object_set_string_member (clone, "server_project_id", b->project_id);
  json_object_set_string_member (clone, "username", username);
  json_object_set_int_member (clone, "base_position", json_object_get_int_member (b->state, "head_position"));
  json_object_set_string_member (clone, "base_head_hash", syn_json_get_string (b->state, "head_hash"));
  json_object_set_int_member (clone, "local_base_position", b->local_head > 0 ? b->local_head : 0);
  json_object_set_int_member (clone, "server_head_position", json_object_get_int_member (b->state, "head_position"));
  json_object_set_int_member (clone, "server_batches_behind", 0);
  json_object_set_int_member (clone, "server_seen_at", now);
  json_object_set_int_member (clone, "created_at", created_at ? created_at : now);
  json_object_set_int_member (clone, "synced_at", now);
  return clone;
}

JsonNode *
syn_sync_client_clone (SynSyncClient *self, const char *project, GError **error)
{
  g_auto(Build) b = { 0 };
  g_autoptr(SynStore) store = NULL;
  g_autoptr(JsonObject) clone = NULL;
  g_autofree char *clone_id = syn_uuid_new ();
  g_autofree char *part = NULL;
  JsonObject *answer;
  GStatBuf st;

  g_return_val_if_fail (SYN_IS_SYNC_CLIENT (self), NULL);
  g_return_val_if_fail (project != NULL, NULL);

  if (!require_server (self, error))
    return NULL;
  if (g_file_test (self->path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                   _("%s exists already: a clone is a database of its own"), self->path);
      return NULL;
    }
  part = g_strconcat (self->path, ".part", NULL);
  remove_database (part);
  if (!build_clone (self, part, project, &b, error) ||
      !(store = syn_store_open_full (part, SYN_STORE_OPEN_EXISTING, error)))
    {
      remove_database (part);
      return NULL;
    }
  clone = clone_record (self, &b, clone_id,
                        SYN_IS_REMOTE_BACKEND (self->server)
                          ? syn_remote_backend_get_username (SYN_REMOTE_BACKEND (self->server)) : NULL, 0);
  if (!syn_store_put_clone (store, b.project_id, clone, error))
    {
      g_clear_object (&store);
      remove_database (part);
      return NULL;
    }
  g_clear_object (&store);
  if (!install (part, self->path, error))
    {
      remove_database (part);
      return NULL;
    }
  answer = json_object_new ();
  json_object_set_string_member (answer, "project_id", b.project_id);
  json_object_set_string_member (answer, "name", syn_json_get_string (b.project, "name"));
  json_object_set_int_member (answer, "events", (gint64) b.events);
  json_object_set_int_member (answer, "head_position", json_object_get_int_member (b.state, "head_position"));
  json_object_set_string_member (answer, "head_hash", syn_json_get_string (b.state, "head_hash"));
  json_object_set_string_member (answer, "state_hash", syn_json_get_string (b.state, "state_hash"));
  json_object_set_string_member (answer, "clone_id", clone_id);
  json_object_set_int_member (answer, "bytes", g_stat (self->path, &st) == 0 ? (gint64) st.st_size : 0);
  return syn_json_node_new_object (answer);
}

/* ------------------------------------------------------------------------- */
/* Status                                                                    */

typedef struct
{
  SynStore   *store;
  SynProject *project;
  JsonObject *clone;
  GPtrArray  *ops;
} Clone;

static void
clone_clear (Clone *c)
{
  g_clear_pointer (&c->ops, g_ptr_array_unref);
  g_clear_pointer (&c->clone, json_object_unref);
  g_clear_object (&c->project);
  g_clear_object (&c->store);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Clone, clone_clear)

static gboolean
open_clone (SynSyncClient *self, const char *project, Clone *c, GError **error)
{
  if (!(c->store = syn_store_open_full (self->path, SYN_STORE_OPEN_EXISTING, error)))
    return FALSE;
  if (!(c->project = syn_store_find_project (c->store, project, error)))
    {
      if (error == NULL || *error == NULL)
        g_set_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_NOT_FOUND, _("No project %s in %s"), project,
                     self->path);
      return FALSE;
    }
  if (!syn_store_get_clone (c->store, c->project->id, &c->clone, error))
    return FALSE;
  if (c->clone == NULL)
    {
      g_set_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID, _("%s in %s is no clone of a server's project"),
                   c->project->name, self->path);
      return FALSE;
    }
  return (c->ops = syn_store_list_sync_ops (c->store, c->project->id, error)) != NULL;
}

static guint
count_ops (GPtrArray *ops, const char *status)
{
  guint n = 0;

  for (guint i = 0; i < ops->len; i++)
    if (g_strcmp0 (syn_json_get_string (ops->pdata[i], "status"), status) == 0)
      n++;
  return n;
}

/* The server's batches since the clone's base, counted from its events. */
static gboolean
count_behind (SynSyncClient *self, Clone *c, gint64 *behind, gint64 *head, GError **error)
{
  g_autoptr(GHashTable) batches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 after = json_object_get_int_member (c->clone, "base_position");

  *head = after;
  for (;;)
    {
      g_autoptr(JsonObject) page = NULL;
      JsonArray *items = NULL;

      if (!(page = fetch_page (self, syn_json_get_string (c->clone, "server_project_id"), after, &items, error)))
        return FALSE;
      if (items == NULL || json_array_get_length (items) == 0)
        break;
      for (guint i = 0; i < json_array_get_length (items); i++)
        g_hash_table_add (batches, g_strdup (syn_json_get_string (json_array_get_object_element (items, i),
                                                                  "correlation_id")));
      after = *head = json_object_get_int_member (page, "last_position");
    }
  *behind = g_hash_table_size (batches);
  return TRUE;
}

static JsonArray *
ops_array (GPtrArray *ops, const char *only_status)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < ops->len; i++)
    if (only_status == NULL || g_strcmp0 (syn_json_get_string (ops->pdata[i], "status"), only_status) == 0)
      json_array_add_object_element (array, json_object_ref (ops->pdata[i]));
  return array;
}

JsonNode *
syn_sync_client_status (SynSyncClient *self, const char *project, GError **error)
{
  g_auto(Clone) c = { 0 };
  JsonObject *answer;

  g_return_val_if_fail (SYN_IS_SYNC_CLIENT (self), NULL);
  g_return_val_if_fail (project != NULL, NULL);

  if (!open_clone (self, project, &c, error))
    return NULL;
  if (self->server != NULL)
    {
      gint64 behind = 0, head = 0;

      if (!count_behind (self, &c, &behind, &head, error))
        return NULL;
      json_object_set_int_member (c.clone, "server_batches_behind", behind);
      json_object_set_int_member (c.clone, "server_head_position", head);
      json_object_set_int_member (c.clone, "server_seen_at", syn_time_now_usec ());
      if (!syn_store_put_clone (c.store, c.project->id, c.clone, error))
        return NULL;
    }
  answer = json_object_new ();
  json_object_set_string_member (answer, "project_id", c.project->id);
  json_object_set_string_member (answer, "project", c.project->name);
  json_object_set_string_member (answer, "clone_id", syn_json_get_string (c.clone, "clone_id"));
  json_object_set_string_member (answer, "server_url", syn_json_get_string (c.clone, "server_url"));
  json_object_set_int_member (answer, "ahead", count_ops (c.ops, "pending") + count_ops (c.ops, "conflict"));
  json_object_set_int_member (answer, "conflicts", count_ops (c.ops, "conflict"));
  json_object_set_int_member (answer, "behind",
                              json_object_get_int_member_with_default (c.clone, "server_batches_behind", 0));
  json_object_set_boolean_member (answer, "behind_asked_now", self->server != NULL);
  json_object_set_int_member (answer, "behind_seen_at",
                              json_object_get_int_member_with_default (c.clone, "server_seen_at", 0));
  json_object_set_int_member (answer, "base_position", json_object_get_int_member (c.clone, "base_position"));
  json_object_set_int_member (answer, "local_base_position",
                              json_object_get_int_member (c.clone, "local_base_position"));
  json_object_set_string_member (answer, "base_head_hash", syn_json_get_string (c.clone, "base_head_hash"));
  json_object_set_array_member (answer, "operations", ops_array (c.ops, NULL));
  return syn_json_node_new_object (answer);
}

/* ------------------------------------------------------------------------- */
/* Sync                                                                      */

/* A rollback or redo of a local batch that was pushed names the server's. */
static void
map_batch_ids (JsonObject *params, GPtrArray *ops)
{
  const char *target = syn_json_get_string (params, "correlation_id");

  if (target == NULL)
    return;
  for (guint i = 0; i < ops->len; i++)
    if (g_strcmp0 (syn_json_get_string (ops->pdata[i], "correlation_id"), target) == 0 &&
        syn_json_get_string (ops->pdata[i], "server_correlation_id") != NULL)
      {
        json_object_set_string_member (params, "correlation_id",
                                       syn_json_get_string (ops->pdata[i], "server_correlation_id"));
        return;
      }
}

/* A refusal by the server is a conflict to show, never a loss: its details
 * (the fields, the blocking batches) or its message. */
static JsonObject *
conflict_of (const GError *push_error)
{
  JsonNode *details = syn_backend_error_get_details (push_error);
  JsonObject *conflict = details && JSON_NODE_HOLDS_OBJECT (details)
                           ? syn_json_object_copy (json_node_get_object (details)) : json_object_new ();

  json_object_set_string_member (conflict, "message", push_error->message);
  json_object_set_int_member (conflict, "status", syn_backend_error_to_http_status (push_error));
  return conflict;
}

/* Pushes one operation; FALSE only when the sync must stop (the server
 * cannot be reached): a refusal is recorded as a conflict. */
static gboolean
push_one (SynSyncClient *self, Clone *c, JsonObject *op, guint *pushed, guint *before, GError **error)
{
  g_autoptr(JsonObject) params = project_params (syn_json_get_string (c->clone, "server_project_id"));
  g_autoptr(JsonObject) inner = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) push_error = NULL;
  JsonObject *conflict = object_member (op, "conflict");
  gint64 id = json_object_get_int_member (op, "id");

  inner = syn_json_object_copy (json_object_get_object_member (op, "params"));
  /* a library rule change names no project */
  if (!json_object_get_boolean_member_with_default (inner, "library", FALSE))
    json_object_set_string_member (inner, "project_id", syn_json_get_string (c->clone, "server_project_id"));
  map_batch_ids (inner, c->ops);
  json_object_set_string_member (params, "clone_id", syn_json_get_string (c->clone, "clone_id"));
  json_object_set_string_member (params, "local_batch_id", syn_json_get_string (op, "correlation_id"));
  json_object_set_string_member (params, "op", syn_json_get_string (op, "op"));
  json_object_set_object_member (params, "params", g_steal_pointer (&inner));
  if (object_member (op, "basis") != NULL)
    json_object_set_object_member (params, "basis", json_object_ref (object_member (op, "basis")));
  /* "keep mine": applied over the server's change */
  if (conflict != NULL && g_strcmp0 (syn_json_get_string (conflict, "resolution"), "mine") == 0)
    json_object_set_boolean_member (params, "force", TRUE);

  answer = call_object (self, SYN_OP_SYNC_PUSH, params, &push_error);
  if (answer != NULL)
    {
      if (g_strcmp0 (syn_json_get_string (answer, "status"), "applied_before") == 0)
        (*before)++;
      else
        (*pushed)++;
      return syn_store_set_sync_op (c->store, id, "pushed", conflict,
                                    syn_json_get_string (answer, "correlation_id"), error);
    }
  if (g_error_matches (push_error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_UNAVAILABLE) ||
      g_error_matches (push_error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_UNAUTHORIZED) ||
      g_error_matches (push_error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_BUSY) ||
      push_error->domain != SYN_BACKEND_ERROR)
    {
      g_propagate_error (error, g_steal_pointer (&push_error));
      return FALSE;
    }
  {
    g_autoptr(JsonObject) found = conflict_of (push_error);

    return syn_store_set_sync_op (c->store, id, "conflict", found, NULL, error);
  }
}

/* The clone again, from the server, with the operations' records: the
 * local batches are replaced by the server's. */
static gboolean
rebuild (SynSyncClient *self, Clone *c, Build *b, GError **error)
{
  g_autoptr(SynStore) fresh = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autofree char *part = g_strconcat (self->path, ".part", NULL);

  remove_database (part);
  if (!build_clone (self, part, syn_json_get_string (c->clone, "server_project_id"), b, error) ||
      !(fresh = syn_store_open_full (part, SYN_STORE_OPEN_EXISTING, error)) ||
      !(ops = syn_store_list_sync_ops (c->store, c->project->id, error)))
    goto fail;
  record = clone_record (self, b, syn_json_get_string (c->clone, "clone_id"),
                         syn_json_get_string (c->clone, "username"),
                         json_object_get_int_member_with_default (c->clone, "created_at", 0));
  if (!syn_store_begin (fresh, error))
    goto fail;
  for (guint i = 0; i < ops->len; i++)
    if (!syn_store_add_sync_op (fresh, b->project_id, ops->pdata[i], error))
      {
        syn_store_rollback (fresh);
        goto fail;
      }
  if (!syn_store_put_clone (fresh, b->project_id, record, error) || !syn_store_commit (fresh, error))
    {
      syn_store_rollback (fresh);
      goto fail;
    }
  g_clear_object (&fresh);
  g_clear_object (&c->store);
  if (!install (part, self->path, error))
    goto fail;
  return TRUE;

fail:
  g_clear_object (&fresh);
  remove_database (part);
  return FALSE;
}

/* The server's event at the clone's base still has the base's hash: the
 * clone's history is a prefix of the server's. */
static gboolean
check_base (SynSyncClient *self, Clone *c, GError **error)
{
  g_autoptr(JsonObject) params = project_params (c->project->id);
  g_autoptr(JsonObject) page = NULL;
  gint64 base = json_object_get_int_member (c->clone, "base_position");
  const char *hash = syn_json_get_string (c->clone, "base_head_hash");
  JsonArray *items;
  JsonObject *first;

  if (base <= 0)
    return TRUE;   /* cloned empty: any history continues it */
  json_object_set_int_member (params, "after", base - 1);
  json_object_set_int_member (params, "limit", 1);
  if (!(page = call_object (self, SYN_OP_EVENTS_AFTER, params, error)))
    return FALSE;
  items = json_object_get_array_member (page, "events");
  first = items && json_array_get_length (items) > 0 ? json_array_get_object_element (items, 0) : NULL;
  if (first != NULL && json_object_get_int_member_with_default (first, "position", 0) == base &&
      g_strcmp0 (syn_json_get_string (first, "hash"), hash) == 0)
    return TRUE;
  g_set_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_CONFLICT,
               _("The server's history no longer holds the clone's base (position %" G_GINT64_FORMAT ", hash %s)"),
               base, hash ? hash : "?");
  return FALSE;
}

/* After the pushes, in one transaction on the clone: its own events since
 * the base go (syn_store_rewind_clone()), the server's since the base come
 * after it (their chain continuing the base's hash), the rules are the
 * server's, the tables are replayed from the newest checkpoint before and
 * their state hash must be the server's; then the new base. A crash or a
 * failure leaves the clone as it was. */
static gboolean
pull (SynSyncClient *self, Clone *c, Build *b, GError **error)
{
  g_autoptr(JsonObject) params = project_params (c->project->id);
  g_autoptr(JsonObject) record = NULL;
  gint64 base = json_object_get_int_member (c->clone, "base_position");
  gint64 local_base = json_object_get_int_member (c->clone, "local_base_position");
  gboolean ok;

  b->project_id = g_strdup (c->project->id);
  b->in_txn = TRUE;
  b->local_head = local_base;
  /* the head first: the events are taken up to it, whatever comes later */
  if (!check_base (self, c, error) ||
      !(b->state = call_object (self, SYN_OP_STATE_HASH, params, error)) ||
      !syn_store_begin (c->store, error))
    return FALSE;
  ok = syn_store_rewind_clone (c->store, b->project_id, local_base, error) &&
       copy_rules (self, c->store, b->project_id, error) &&
       copy_events (self, c->store, b, base, error) &&
       replay_entities (self, c->store, b, error);
  if (ok)
    {
      record = clone_record (self, b, syn_json_get_string (c->clone, "clone_id"),
                             syn_json_get_string (c->clone, "username"),
                             json_object_get_int_member_with_default (c->clone, "created_at", 0));
      ok = syn_store_put_clone (c->store, b->project_id, record, error) && syn_store_commit (c->store, error);
    }
  if (!ok)
    syn_store_rollback (c->store);
  return ok;
}

JsonNode *
syn_sync_client_sync (SynSyncClient *self, const char *project, GError **error)
{
  g_auto(Clone) c = { 0 };
  g_auto(Build) b = { 0 };
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GError) pull_error = NULL;
  guint pushed = 0, before = 0;
  JsonObject *answer;

  g_return_val_if_fail (SYN_IS_SYNC_CLIENT (self), NULL);
  g_return_val_if_fail (project != NULL, NULL);

  if (!require_server (self, error) || !open_clone (self, project, &c, error))
    return NULL;
  for (guint i = 0; i < c.ops->len; i++)
    {
      JsonObject *op = c.ops->pdata[i];

      if (g_strcmp0 (syn_json_get_string (op, "status"), "pending") != 0)
        continue;
      if (!push_one (self, &c, op, &pushed, &before, error))
        return NULL;
      report (self, "push", pushed + before, 0);
      /* the later ones map their batch ids through this one's */
      g_clear_pointer (&c.ops, g_ptr_array_unref);
      if (!(c.ops = syn_store_list_sync_ops (c.store, c.project->id, error)))
        return NULL;
    }
  if (!pull (self, &c, &b, &pull_error))
    {
      /* the server cannot be reached: the sync stops here, resumed later */
      if (g_error_matches (pull_error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_UNAVAILABLE) ||
          g_error_matches (pull_error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_UNAUTHORIZED) ||
          g_error_matches (pull_error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_BUSY))
        {
          g_propagate_error (error, g_steal_pointer (&pull_error));
          return NULL;
        }
      /* else the whole project again, saying why */
      build_clear (&b);
      b = (Build) { 0 };
      if (!rebuild (self, &c, &b, error))
        return NULL;
    }
  if ((c.store == NULL && !(c.store = syn_store_open_full (self->path, SYN_STORE_OPEN_EXISTING, error))) ||
      !(after = syn_store_list_sync_ops (c.store, b.project_id, error)))
    return NULL;
  answer = json_object_new ();
  json_object_set_string_member (answer, "project_id", b.project_id);
  json_object_set_int_member (answer, "pushed", pushed);
  json_object_set_int_member (answer, "applied_before", before);
  json_object_set_array_member (answer, "conflicts", ops_array (after, "conflict"));
  json_object_set_int_member (answer, "dropped", count_ops (after, "dropped"));
  json_object_set_int_member (answer, "events", (gint64) b.events);
  json_object_set_string_member (answer, "pull", pull_error == NULL ? "incremental" : "rebuilt");
  if (pull_error != NULL)
    json_object_set_string_member (answer, "rebuilt_because", pull_error->message);
  json_object_set_string_member (answer, "head_hash", syn_json_get_string (b.state, "head_hash"));
  json_object_set_string_member (answer, "state_hash", syn_json_get_string (b.state, "state_hash"));
  return syn_json_node_new_object (answer);
}

gboolean
syn_sync_client_resolve (SynSyncClient *self, const char *project, gint64 op_id, const char *choice,
                         GError **error)
{
  g_auto(Clone) c = { 0 };

  g_return_val_if_fail (SYN_IS_SYNC_CLIENT (self), FALSE);
  g_return_val_if_fail (project != NULL && choice != NULL, FALSE);

  if (g_strcmp0 (choice, "mine") != 0 && g_strcmp0 (choice, "theirs") != 0)
    {
      g_set_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID,
                   _("A conflict is resolved with mine or theirs, not \"%s\""), choice);
      return FALSE;
    }
  if (!open_clone (self, project, &c, error))
    return FALSE;
  for (guint i = 0; i < c.ops->len; i++)
    {
      JsonObject *op = c.ops->pdata[i];
      g_autoptr(JsonObject) conflict = NULL;

      if (json_object_get_int_member (op, "id") != op_id)
        continue;
      if (g_strcmp0 (syn_json_get_string (op, "status"), "conflict") != 0)
        {
          g_set_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID,
                       _("Operation %" G_GINT64_FORMAT " is %s, not in conflict"), op_id,
                       syn_json_get_string (op, "status"));
          return FALSE;
        }
      conflict = object_member (op, "conflict") ? syn_json_object_copy (object_member (op, "conflict"))
                                                : json_object_new ();
      json_object_set_string_member (conflict, "resolution", choice);
      json_object_set_int_member (conflict, "resolved_at", syn_time_now_usec ());
      /* mine: pushed again, over the server's change, at the next sync;
       * theirs: kept, marked dropped, never pushed */
      return syn_store_set_sync_op (c.store, op_id, g_str_equal (choice, "mine") ? "pending" : "dropped",
                                    conflict, NULL, error);
    }
  g_set_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_NOT_FOUND, _("No operation %" G_GINT64_FORMAT " in %s"),
               op_id, self->path);
  return FALSE;
}
