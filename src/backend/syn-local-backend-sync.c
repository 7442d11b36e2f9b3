/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-local-backend-sync.c: SynLocalBackend and offline work: clone operations recorded, pushed ones applied once. */
#include "config.h"

#include <string.h>

#include "core/syn-core.h"
#include "engine/syn-auth.h"
#include "engine/syn-csv-reader.h"
#include "engine/syn-push-mark.h"
#include "syn-api-routes.h"
#include "syn-local-backend-private.h"

/* The operations a clone pushes as they were: the project's edits, imports,
 * rollbacks, rule changes and runs (the server runs the rules itself, on
 * its newest state). */
static const char *const pushable_ops[] = {
  SYN_OP_CREATE_ASSET, SYN_OP_UPDATE_ASSET, SYN_OP_DELETE_ASSET, SYN_OP_UPDATE_ASSETS, SYN_OP_DELETE_ENTITIES,
  SYN_OP_RESET_ASSET, SYN_OP_IMPORT_CSV, SYN_OP_ROLLBACK, SYN_OP_REDO, SYN_OP_SAVE_RULE, SYN_OP_DELETE_RULE,
  SYN_OP_EXECUTE, NULL
};

static gboolean
is_rule_change (const char *op)
{
  return g_strcmp0 (op, SYN_OP_SAVE_RULE) == 0 || g_strcmp0 (op, SYN_OP_DELETE_RULE) == 0;
}

/* The fields of an asset an edit names: "description", "properties.hp". */
static const char *const asset_fields[] = { "tag", "type", "description", "discipline", "area", NULL };

/* An object member, or NULL (absent, or not an object). */
static JsonObject *
object_member (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonNode *
field_value (JsonObject *asset, const char *field)
{
  JsonObject *properties;

  if (asset == NULL)
    return NULL;
  if (g_str_has_prefix (field, "properties."))
    {
      properties = object_member (asset, "properties");
      return properties ? json_object_get_member (properties, field + strlen ("properties.")) : NULL;
    }
  return json_object_get_member (asset, field);
}

static gboolean
values_equal (JsonNode *a, JsonNode *b)
{
  gboolean a_null = a == NULL || JSON_NODE_HOLDS_NULL (a);
  gboolean b_null = b == NULL || JSON_NODE_HOLDS_NULL (b);

  if (a_null || b_null)
    return a_null && b_null;
  return syn_json_node_equal (a, b);
}

static JsonNode *
value_or_null (JsonNode *node)
{
  return node ? json_node_copy (node) : json_node_new (JSON_NODE_NULL);
}

/* The fields an edit's parameters change, as the basis names them. */
static GPtrArray *
edited_fields (JsonObject *params)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func (g_free);
  JsonObject *properties;

  for (guint i = 0; asset_fields[i] != NULL; i++)
    if (json_object_has_member (params, asset_fields[i]))
      g_ptr_array_add (fields, g_strdup (asset_fields[i]));
  if (json_object_has_member (params, "properties") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (params, "properties")))
    {
      g_autoptr(GList) names = NULL;

      properties = json_object_get_object_member (params, "properties");
      names = json_object_get_members (properties);
      for (GList *l = names; l != NULL; l = l->next)
        g_ptr_array_add (fields, g_strconcat ("properties.", l->data, NULL));
    }
  return fields;
}

static JsonObject *
asset_json (SynStore *store, const char *project_id, const char *asset_id)
{
  g_autoptr(SynAsset) asset = syn_store_get_asset (store, project_id, asset_id, NULL);
  g_autoptr(JsonNode) node = NULL;

  if (asset == NULL)
    return NULL;
  node = syn_asset_to_json (asset);
  return json_object_ref (json_node_get_object (node));
}

/* The asset ids an edit names. */
static GPtrArray *
edited_assets (const char *op, JsonObject *params)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  const char *one = syn_json_get_string (params, "asset_id");
  JsonArray *many;

  if (one != NULL && (g_str_equal (op, SYN_OP_UPDATE_ASSET) || g_str_equal (op, SYN_OP_DELETE_ASSET)))
    g_ptr_array_add (ids, g_strdup (one));
  if (g_str_equal (op, SYN_OP_UPDATE_ASSETS) && json_object_has_member (params, "asset_ids") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (params, "asset_ids")))
    {
      many = json_object_get_array_member (params, "asset_ids");
      for (guint i = 0; i < json_array_get_length (many); i++)
        if (json_array_get_string_element (many, i) != NULL)
          g_ptr_array_add (ids, g_strdup (json_array_get_string_element (many, i)));
    }
  return ids;
}

/**
 * _syn_sync_basis:
 *
 * What an edit is made on, read before it runs: {"assets": {ID: {"tag",
 * "fields": {FIELD: value before}}}}, the fields it changes (a deletion:
 * all of them). NULL for an operation that is no edit of assets.
 */
/* An import's basis: the tags its rows name that exist here, which the
 * rows would change (a row for a tag deleted on the server meanwhile would
 * make it again). */
static JsonObject *
import_basis (SynStore *store, const char *project_id, JsonObject *params)
{
  const char *csv = syn_json_get_string (params, "csv");
  g_autoptr(SynCsvAssetList) list = csv ? syn_csv_read_assets (csv, strlen (csv), NULL) : NULL;
  g_autoptr(GList) tags = NULL;
  JsonObject *basis;
  JsonArray *existing;

  if (list == NULL)
    return NULL;
  basis = json_object_new ();
  existing = json_array_new ();
  tags = g_list_sort (g_hash_table_get_keys (list->tags), (GCompareFunc) g_strcmp0);
  for (GList *l = tags; l != NULL; l = l->next)
    {
      g_autoptr(SynAsset) asset = syn_store_get_asset_by_tag (store, project_id, l->data, NULL);

      if (asset != NULL)
        json_array_add_string_element (existing, l->data);
    }
  json_object_set_array_member (basis, "tags", existing);
  return basis;
}

JsonObject *
_syn_sync_basis (SynStore *store, const char *project_id, const char *op, JsonObject *params)
{
  g_autoptr(GPtrArray) ids = edited_assets (op, params);
  g_autoptr(GPtrArray) fields = edited_fields (params);
  JsonObject *basis, *assets;

  if (g_str_equal (op, SYN_OP_IMPORT_CSV))
    return import_basis (store, project_id, params);
  if (ids->len == 0)
    return NULL;
  basis = json_object_new ();
  assets = json_object_new ();
  json_object_set_object_member (basis, "assets", assets);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(JsonObject) asset = asset_json (store, project_id, ids->pdata[i]);
      JsonObject *entry = json_object_new (), *values = json_object_new ();

      if (asset != NULL && g_str_equal (op, SYN_OP_DELETE_ASSET))
        {
          /* a deletion stands on the whole asset */
          g_ptr_array_set_size (fields, 0);
          for (guint f = 0; asset_fields[f] != NULL; f++)
            g_ptr_array_add (fields, g_strdup (asset_fields[f]));
          g_ptr_array_add (fields, g_strdup ("properties"));
        }
      for (guint f = 0; f < fields->len; f++)
        json_object_set_member (values, fields->pdata[f], value_or_null (field_value (asset, fields->pdata[f])));
      if (asset != NULL)
        json_object_set_string_member (entry, "tag", syn_json_get_string (asset, "tag"));
      json_object_set_object_member (entry, "fields", values);
      json_object_set_object_member (assets, ids->pdata[i], entry);
    }
  return basis;
}

/* The conflicts of an edit with the server's state: each field of the
 * basis whose value here is no longer the one the edit was made on (and not
 * already the edit's own). */
static JsonArray *
find_conflicts (SynStore *store, const char *project_id, JsonObject *params, JsonObject *basis)
{
  JsonArray *conflicts = json_array_new ();
  JsonObject *assets = basis ? object_member (basis, "assets") : NULL;
  g_autoptr(GList) ids = assets ? json_object_get_members (assets) : NULL;

  for (GList *l = ids; l != NULL; l = l->next)
    {
      /* a client's basis: anything but the shape above is none */
      JsonObject *entry = object_member (assets, l->data);
      JsonObject *values = entry ? object_member (entry, "fields") : NULL;
      g_autoptr(JsonObject) theirs = asset_json (store, project_id, l->data);
      g_autoptr(GList) fields = values ? json_object_get_members (values) : NULL;

      for (GList *f = fields; f != NULL; f = f->next)
        {
          JsonNode *base = json_object_get_member (values, f->data);
          JsonNode *now = theirs ? field_value (theirs, f->data) : NULL;
          JsonNode *mine = field_value (params, f->data);
          JsonObject *c;

          if (theirs != NULL && (values_equal (base, now) || (mine != NULL && values_equal (mine, now))))
            continue;
          c = json_object_new ();
          json_object_set_string_member (c, "entity_type", SYN_AGGREGATE_ASSET);
          json_object_set_string_member (c, "entity_id", l->data);
          json_object_set_string_member (c, "tag", syn_json_get_string (entry, "tag"));
          json_object_set_string_member (c, "field", theirs ? f->data : NULL);
          json_object_set_member (c, "base", value_or_null (base));
          json_object_set_member (c, "theirs", value_or_null (now));
          json_object_set_member (c, "mine", value_or_null (mine));
          json_object_set_string_member (c, "reason", theirs ? "changed on the server" : "deleted on the server");
          json_array_add_object_element (conflicts, c);
          if (theirs == NULL)
            break;   /* one line says the asset is gone */
        }
    }
  /* an import's rows for tags the server deleted since */
  if (basis != NULL && json_object_has_member (basis, "tags") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (basis, "tags")))
    {
      JsonArray *tags = json_object_get_array_member (basis, "tags");

      for (guint i = 0; i < json_array_get_length (tags); i++)
        {
          JsonNode *element = json_array_get_element (tags, i);
          const char *tag = JSON_NODE_HOLDS_VALUE (element) ? json_node_get_string (element) : NULL;
          g_autoptr(SynAsset) asset = tag ? syn_store_get_asset_by_tag (store, project_id, tag, NULL) : NULL;
          JsonObject *c;

          if (tag == NULL || asset != NULL)
            continue;
          c = json_object_new ();
          json_object_set_string_member (c, "entity_type", SYN_AGGREGATE_ASSET);
          json_object_set_string_member (c, "tag", tag);
          json_object_set_null_member (c, "field");
          json_object_set_string_member (c, "base", "present");
          json_object_set_null_member (c, "theirs");
          json_object_set_string_member (c, "mine", "import row");
          json_object_set_string_member (c, "reason", "deleted on the server");
          json_array_add_object_element (conflicts, c);
        }
    }
  return conflicts;
}

gboolean
_syn_sync_op_is_recorded (const char *op)
{
  return op != NULL && g_strv_contains (pushable_ops, op);
}

static JsonNode *
push_answer (const char *status, const char *correlation_id, const char *local_batch_id, JsonNode *result)
{
  JsonObject *answer = json_object_new ();

  json_object_set_string_member (answer, "status", status);
  json_object_set_string_member (answer, "correlation_id", correlation_id);
  json_object_set_string_member (answer, "local_batch_id", local_batch_id);
  if (result != NULL)
    json_object_set_member (answer, "result", result);
  return syn_json_node_new_object (answer);
}

/* The library's rules change only by an administrator's hand, online
 * (the route's role) or pushed. No user (a local database): no roles. */
static gboolean
require_library_role (SynOpContext *ctx, GError **error)
{
  g_autoptr(SynUser) user = NULL;

  if (ctx->user_id == NULL)
    return TRUE;
  user = syn_store_get_user (ctx->store, ctx->user_id, error);
  if (user == NULL)
    {
      if (error != NULL && *error == NULL)
        _syn_op_fail (error, SYN_BACKEND_ERROR_UNAUTHORIZED, "No user %s", ctx->user_id);
      return FALSE;
    }
  if (g_strcmp0 (user->role, SYN_AUTH_ROLE_ADMIN) != 0)
    {
      _syn_op_fail (error, SYN_BACKEND_ERROR_FORBIDDEN, "Changing a library rule needs the admin role");
      return FALSE;
    }
  return TRUE;
}

/* Times a push is tried when another batch comes between its check and
 * its write; then it is refused as busy (the clone pushes it again later). */
#define PUSH_ATTEMPTS 3
#define PUSH_HOOK_KEY "syn-sync-push-hook"

typedef struct
{
  GFunc    func;
  gpointer data;
} PushHook;

void
syn_local_backend_set_push_hook (SynLocalBackend *self, GFunc hook, gpointer user_data)
{
  PushHook *h = NULL;

  g_return_if_fail (SYN_IS_LOCAL_BACKEND (self));

  if (hook != NULL)
    {
      h = g_new0 (PushHook, 1);
      h->func = hook;
      h->data = user_data;
    }
  g_object_set_data_full (G_OBJECT (self), PUSH_HOOK_KEY, h, g_free);
}

static void
run_push_hook (SynOpContext *ctx)
{
  PushHook *h = g_object_get_data (G_OBJECT (ctx->backend), PUSH_HOOK_KEY);

  if (h != NULL)
    h->func (ctx->store, h->data);
}

/* The conflicts of an edit with the server's state now: FALSE (a 409 with
 * them) when there are some; *@checked is the project's head it read. */
static gboolean
check_basis (SynOpContext *ctx, SynProject *project, const char *op, JsonObject *inner, JsonObject *basis,
             const char *local_batch_id, gint64 *checked, GError **error)
{
  g_autoptr(JsonArray) conflicts = NULL;
  g_autofree char *hash = NULL;
  JsonObject *details;
  g_autoptr(JsonNode) node = NULL;

  /* the head first: a batch between it and the reads below only makes the
   * guard try again */
  if (!syn_store_get_chain_head (ctx->store, project->id, checked, &hash, error))
    return FALSE;
  conflicts = find_conflicts (ctx->store, project->id, inner, basis);
  if (json_array_get_length (conflicts) == 0)
    return TRUE;
  details = json_object_new ();
  node = syn_json_node_new_object (details);
  json_object_set_array_member (details, "conflicts", json_array_ref (conflicts));
  json_object_set_string_member (details, "local_batch_id", local_batch_id);
  _syn_op_fail (error, SYN_BACKEND_ERROR_CONFLICT, "%s conflicts with changes made on the server", op);
  if (error != NULL)
    syn_backend_error_set_details (*error, node);
  return FALSE;
}

/* {project_id, clone_id, local_batch_id, op, params, basis?, force?} ->
 * {status: applied|applied_before, correlation_id (the server's batch, null
 * when the operation changed nothing), local_batch_id, result?}; 409 with
 * details {conflicts: [...]} when an edit meets a server change. */
static JsonNode *
op_sync_push (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = NULL;
  g_autoptr(JsonObject) inner = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *key = NULL, *before = NULL, *batch = NULL;
  const char *clone_id, *local_batch_id, *op;
  JsonObject *basis = NULL;
  gboolean force = FALSE, library = FALSE;
  SynOpFunc func;
  JsonNode *result;

  if (!(project = _syn_require_project (ctx, params, error)) ||
      !(clone_id = _syn_param_string (params, "clone_id", TRUE, error)) ||
      !(local_batch_id = _syn_param_string (params, "local_batch_id", TRUE, error)) ||
      !(op = _syn_param_string (params, "op", TRUE, error)) ||
      !_syn_param_bool (params, "force", FALSE, &force, error) ||
      !syn_json_get_optional_object (params, "basis", &basis, error))
    return NULL;
  g_autoptr(JsonObject) owned_basis = basis;
  func = _syn_local_ops_lookup (op);
  if (!_syn_sync_op_is_recorded (op) || (func == NULL && !g_str_equal (op, SYN_OP_EXECUTE)))
    return _syn_op_fail (error, SYN_BACKEND_ERROR_INVALID, "Operation \"%s\" cannot be pushed", op);
  if (!json_object_has_member (params, "params") || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (params, "params")))
    return _syn_op_fail (error, SYN_BACKEND_ERROR_INVALID, "params must be an object");

  key = syn_push_mark_key (clone_id, local_batch_id);
  if (!syn_store_find_push_key (ctx->store, key, &before, error))
    return NULL;
  if (before != NULL)
    return push_answer ("applied_before", before, local_batch_id, NULL);

  inner = syn_json_object_copy (json_object_get_object_member (params, "params"));
  json_object_remove_member (inner, "_user_id");
  if (!_syn_param_bool (inner, "library", FALSE, &library, error))
    return NULL;
  json_object_remove_member (inner, "library");
  if (library)
    {
      /* a library rule change: the library's route, with its role */
      if (!is_rule_change (op))
        return _syn_op_fail (error, SYN_BACKEND_ERROR_INVALID, "Only a rule change can be the library's, not \"%s\"",
                             op);
      if (!require_library_role (ctx, error))
        return NULL;
      json_object_remove_member (inner, "project_id");
    }
  else
    json_object_set_string_member (inner, "project_id", project->id);
  /* the check, then the write guarded against any batch that came between
   * them (then checked again, on the newer state) */
  for (guint attempt = 1;; attempt++)
    {
      gint64 checked = -1;
      gboolean moved;

      if (!force && owned_basis != NULL && !check_basis (ctx, project, op, inner, owned_basis, local_batch_id, &checked,
                                                         error))
        return NULL;
      run_push_hook (ctx);
      syn_push_mark_set (ctx->store, clone_id, local_batch_id);
      if (checked >= 0)
        syn_push_mark_guard (ctx->store, project->id, checked);
      if (func != NULL)
        result = func (ctx, inner, &local_error);
      else
        result = _syn_local_runs_run_now (_syn_local_backend_get_runs (ctx->backend), ctx->store, inner, ctx->user_id,
                                          &local_error);
      batch = g_strdup (syn_push_mark_get_batch (ctx->store));
      moved = syn_push_mark_moved (ctx->store);
      syn_push_mark_clear (ctx->store);
      if (result != NULL || !moved || attempt == PUSH_ATTEMPTS)
        break;
      g_clear_error (&local_error);
      g_clear_pointer (&batch, g_free);
    }
  if (result == NULL)
    {
      /* the same push, applied meanwhile by a retry: its key won */
      if (g_error_matches (local_error, SYN_STORE_ERROR, SYN_STORE_ERROR_CONSTRAINT) &&
          syn_store_find_push_key (ctx->store, key, &before, NULL) && before != NULL)
        return push_answer ("applied_before", before, local_batch_id, NULL);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return push_answer ("applied", batch, local_batch_id, result);
}

const SynOpEntry _syn_ops_sync[] = {
  { SYN_OP_SYNC_PUSH, op_sync_push },
  { NULL, NULL }
};

struct _SynSyncRecording
{
  SynStore   *store;   /* where its record mark is set */
  char       *project_id;
  char       *stream;  /* where its events go: the project's, or the rule library's */
  char       *op;
  JsonObject *params;
  JsonObject *basis;
  gint64      head;    /* the stream's newest position before the operation */
};

void
_syn_sync_recording_free (SynSyncRecording *rec)
{
  if (rec->store != NULL)
    syn_push_mark_clear_record (rec->store);
  g_clear_object (&rec->store);
  g_free (rec->project_id);
  g_free (rec->stream);
  g_free (rec->op);
  g_clear_pointer (&rec->params, json_object_unref);
  g_clear_pointer (&rec->basis, json_object_unref);
  g_free (rec);
}

/* The project of a clone's database a library change is recorded under
 * (the first cloned one), or NULL when the database is no clone. */
static SynProject *
cloned_project (SynStore *store)
{
  g_autoptr(GPtrArray) projects = syn_store_list_projects (store, NULL);

  for (guint i = 0; projects != NULL && i < projects->len; i++)
    {
      SynProject *project = g_ptr_array_index (projects, i);
      g_autoptr(JsonObject) clone = NULL;

      if (syn_store_get_clone (store, project->id, &clone, NULL) && clone != NULL)
        return g_object_ref (project);
    }
  return NULL;
}

/* What the record says of the operation (its correlation_id is the batch's). */
static JsonObject *
record_entry (SynSyncRecording *rec, const char *user_id)
{
  JsonObject *entry = json_object_new ();

  json_object_set_string_member (entry, "op", rec->op);
  json_object_set_object_member (entry, "params", json_object_ref (rec->params));
  json_object_set_string_member (entry, "user_id", user_id);
  if (rec->basis != NULL)
    json_object_set_object_member (entry, "basis", json_object_ref (rec->basis));
  return entry;
}

SynSyncRecording *
_syn_sync_record_begin (SynStore *store, const char *op, JsonObject *params, const char *user_id)
{
  g_autoptr(JsonObject) entry = NULL;
  g_autoptr(SynProject) project = NULL;
  g_autoptr(JsonObject) clone = NULL;
  g_autofree char *hash = NULL;
  const char *key = params ? syn_json_get_string (params, "project_id") : NULL;
  /* a rule change without a project is the library's: recorded too, and
   * pushed as a library change (the server asks the role it asks online) */
  gboolean library = key == NULL && params != NULL && is_rule_change (op);
  SynSyncRecording *rec;
  gint64 head = -1;

  /* only a clone's projects are recorded; a failed look-up here leaves the
   * operation to report it */
  if (library)
    project = cloned_project (store);
  else if (key != NULL && (project = syn_store_find_project (store, key, NULL)) != NULL &&
           (!syn_store_get_clone (store, project->id, &clone, NULL) || clone == NULL))
    g_clear_object (&project);
  if (project == NULL ||
      !syn_store_get_chain_head (store, library ? SYN_LIBRARY_PROJECT_ID : project->id, &head, &hash, NULL))
    return NULL;
  rec = g_new0 (SynSyncRecording, 1);
  rec->project_id = g_strdup (project->id);
  rec->stream = g_strdup (library ? SYN_LIBRARY_PROJECT_ID : project->id);
  rec->op = g_strdup (op);
  rec->params = syn_json_object_copy (params);
  json_object_remove_member (rec->params, "_user_id");
  /* a run pushed is a new run on the server, with an id of its own */
  json_object_remove_member (rec->params, "execution_id");
  if (library)
    json_object_set_boolean_member (rec->params, "library", TRUE);
  else
    {
      json_object_set_string_member (rec->params, "project_id", project->id);
      rec->basis = _syn_sync_basis (store, project->id, op, params);
    }
  rec->head = head;
  /* written by the operation's first batch, in its transaction */
  rec->store = g_object_ref (store);
  entry = record_entry (rec, user_id);
  syn_push_mark_set_record (store, rec->stream, rec->project_id, entry);
  return rec;
}

gboolean
_syn_sync_record_end (SynSyncRecording *rec, SynStore *store, const char *user_id, GError **error)
{
  g_autoptr(GPtrArray) made = NULL;
  g_autoptr(JsonObject) entry = NULL;
  SynEvent *first;

  if (rec->store != NULL && syn_push_mark_clear_record (rec->store))
    return TRUE;   /* its batch wrote it */
  /* a batch written past the event store's commit (none is known): the
   * first event after the head before it */
  if (!(made = syn_store_list_events_after (store, rec->stream, rec->head, 1, error)))
    return FALSE;
  if (made->len == 0)
    return TRUE;   /* nothing written: nothing to push */
  first = g_ptr_array_index (made, 0);
  entry = record_entry (rec, user_id);
  json_object_set_string_member (entry, "correlation_id", first->correlation_id);
  return syn_store_add_sync_op (store, rec->project_id, entry, error);
}

void
_syn_sync_mark_pending (SynStore *store, const char *project_id, JsonArray *events)
{
  g_autoptr(JsonObject) clone = NULL;
  gint64 base;

  /* a failed look-up leaves the page as it is: the mark is a hint */
  if (events == NULL || !syn_store_get_clone (store, project_id, &clone, NULL) || clone == NULL)
    return;
  base = json_object_get_int_member_with_default (clone, "local_base_position", 0);
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);

      if (json_object_get_int_member_with_default (event, "position", 0) > base)
        json_object_set_boolean_member (event, "pending", TRUE);
    }
}
