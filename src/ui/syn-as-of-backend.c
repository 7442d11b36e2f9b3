/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-as-of-backend.c: SynAsOfBackend: the lists, assets and relations of a project as of a past moment,
 * answered from one SYN_OP_STATE_AS_OF answer; writes refused; an asset's history cut at the moment.
 *
 * The views page, filter and sort through the same operations as for now,
 * so the grid and the asset history need no second code path. Filtering
 * and sorting a large state runs in a worker: the state is only read there
 * (json-glib's reference counts are not atomic, so no thread takes a
 * reference to it; answers are deep copies). */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "core/syn-asset.h"
#include "core/syn-cable.h"
#include "core/syn-json.h"
#include "engine/syn-exporter.h"
#include "syn-as-of-backend.h"

#define MAX_LIMIT 500

typedef struct
{
  char   *key;       /* the filters and the sort it was made for */
  GArray *indices;   /* guint, into the state's array */
} ListCache;

struct _SynAsOfBackend
{
  GObject     parent_instance;

  SynBackend *live;
  JsonNode   *state;
  gint64      position;
  char       *label;

  GMutex      lock;         /* what follows, built by the first worker that needs it */
  GHashTable *assets_by_id; /* id -> JsonObject (borrowed from the state) */
  ListCache   cache[2];     /* assets, cables */
};

static void syn_as_of_backend_iface_init (SynBackendInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SynAsOfBackend, syn_as_of_backend, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SYN_TYPE_BACKEND, syn_as_of_backend_iface_init))

static void
syn_as_of_backend_finalize (GObject *object)
{
  SynAsOfBackend *self = SYN_AS_OF_BACKEND (object);

  for (guint k = 0; k < G_N_ELEMENTS (self->cache); k++)
    {
      g_clear_pointer (&self->cache[k].key, g_free);
      g_clear_pointer (&self->cache[k].indices, g_array_unref);
    }
  g_clear_pointer (&self->assets_by_id, g_hash_table_unref);
  g_clear_pointer (&self->state, json_node_unref);
  g_clear_pointer (&self->label, g_free);
  g_clear_object (&self->live);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (syn_as_of_backend_parent_class)->finalize (object);
}

static void
syn_as_of_backend_class_init (SynAsOfBackendClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = syn_as_of_backend_finalize;
}

static void
syn_as_of_backend_init (SynAsOfBackend *self)
{
  g_mutex_init (&self->lock);
}

SynBackend *
syn_as_of_backend_new (SynBackend *live, JsonNode *state)
{
  SynAsOfBackend *self;
  JsonObject *as_of;

  g_return_val_if_fail (SYN_IS_BACKEND (live), NULL);
  g_return_val_if_fail (state != NULL && JSON_NODE_HOLDS_OBJECT (state), NULL);

  self = g_object_new (SYN_TYPE_AS_OF_BACKEND, NULL);
  self->live = g_object_ref (live);
  self->state = state;
  as_of = json_object_get_object_member (json_node_get_object (state), "as_of");
  self->position = as_of ? json_object_get_int_member_with_default (as_of, "position", 0) : 0;
  self->label = g_strdup_printf ("%s (as of position %" G_GINT64_FORMAT ")", syn_backend_describe (live),
                                 self->position);
  return SYN_BACKEND (self);
}

gint64
syn_as_of_backend_get_position (SynAsOfBackend *self)
{
  g_return_val_if_fail (SYN_IS_AS_OF_BACKEND (self), 0);
  return self->position;
}

/* ------------------------------------------------------------------------- */
/* Reading the state (in workers)                                            */

static JsonArray *
state_array (SynAsOfBackend *self, const char *kind)
{
  JsonNode *node = json_object_get_member (json_node_get_object (self->state), kind);

  return node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* Called with the lock held. */
static void
ensure_index (SynAsOfBackend *self)
{
  JsonArray *assets = state_array (self, "assets");

  if (self->assets_by_id != NULL)
    return;
  self->assets_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; assets && i < json_array_get_length (assets); i++)
    {
      JsonObject *asset = json_array_get_object_element (assets, i);

      if (asset != NULL && syn_json_get_string (asset, "id") != NULL)
        g_hash_table_insert (self->assets_by_id, (gpointer) syn_json_get_string (asset, "id"), asset);
    }
}

static const char *
asset_tag (SynAsOfBackend *self, const char *id)
{
  JsonObject *asset = id ? g_hash_table_lookup (self->assets_by_id, id) : NULL;

  return asset ? syn_json_get_string (asset, "tag") : NULL;
}

/* A copy of a state's entity as the list operations give it (a cable with
 * its ends' tags). */
static JsonNode *
entity_copy (SynAsOfBackend *self, JsonObject *entity, gboolean cable)
{
  JsonObject *copy = syn_json_object_copy (entity);

  if (cable)
    {
      syn_json_set_string_or_null (copy, "from_tag", asset_tag (self, syn_json_get_string (entity, "from_asset_id")));
      syn_json_set_string_or_null (copy, "to_tag", asset_tag (self, syn_json_get_string (entity, "to_asset_id")));
    }
  return syn_json_node_new_object (copy);
}

static gboolean
equals_ci (const char *value, const char *wanted)
{
  return wanted == NULL || (value != NULL && g_ascii_strcasecmp (value, wanted) == 0);
}

static gboolean
contains_ci (const char *value, const char *needle)
{
  g_autofree char *a = NULL, *b = NULL;

  if (value == NULL)
    return FALSE;
  a = g_utf8_casefold (value, -1);
  b = g_utf8_casefold (needle, -1);
  return strstr (a, b) != NULL;
}

/* As the store's tag filter: a prefix, or a pattern with * and ?. */
static gboolean
tag_matches (const char *tag, GPatternSpec *pattern)
{
  g_autofree char *folded = NULL;

  if (pattern == NULL)
    return TRUE;
  if (tag == NULL)
    return FALSE;
  folded = g_utf8_casefold (tag, -1);
  return g_pattern_spec_match_string (pattern, folded);
}

typedef struct
{
  guint     index;
  JsonNode *cell;     /* the sort column's cell */
} SortEntry;

static int
compare_cells (gconstpointer a, gconstpointer b, gpointer descending)
{
  const SortEntry *x = a, *y = b;
  gboolean xn = x->cell == NULL || JSON_NODE_HOLDS_NULL (x->cell);
  gboolean yn = y->cell == NULL || JSON_NODE_HOLDS_NULL (y->cell);
  int c = 0;

  /* empty cells last, whichever the direction */
  if (xn || yn)
    return xn && yn ? (int) x->index - (int) y->index : xn ? 1 : -1;
  if (json_node_get_value_type (x->cell) != G_TYPE_STRING && json_node_get_value_type (y->cell) != G_TYPE_STRING)
    {
      double p = json_node_get_double (x->cell), q = json_node_get_double (y->cell);

      c = p < q ? -1 : p > q ? 1 : 0;
    }
  else
    {
      g_autofree char *p = syn_export_cell_text (x->cell);
      g_autofree char *q = syn_export_cell_text (y->cell);

      c = g_ascii_strcasecmp (p, q);
    }
  if (GPOINTER_TO_INT (descending))
    c = -c;
  return c != 0 ? c : (int) x->index - (int) y->index;
}

static void
sort_entry_clear (gpointer data)
{
  SortEntry *e = data;

  g_clear_pointer (&e->cell, json_node_unref);
}

/* The positions in the state's array of what the filters keep, in the sort's order. Called with the lock held. */
static GArray *
filter_and_sort (SynAsOfBackend *self, JsonObject *params, gboolean cables)
{
  JsonArray *items = state_array (self, cables ? "cables" : "assets");
  const char *tag = syn_json_get_string (params, "tag");
  const char *search = syn_json_get_string (params, "q");
  const char *type = syn_json_get_string (params, "type");
  const char *area = syn_json_get_string (params, "area");
  const char *discipline = syn_json_get_string (params, "discipline");
  const char *sort = syn_json_get_string (params, "sort");
  gboolean descending = sort != NULL && sort[0] == '-';
  g_autoptr(GPatternSpec) pattern = NULL;
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (SortEntry));
  GArray *indices;

  g_array_set_clear_func (entries, sort_entry_clear);
  if (tag != NULL && *tag != '\0')
    {
      g_autofree char *folded = g_utf8_casefold (tag, -1);
      g_autofree char *glob = strpbrk (folded, "*?") ? g_strdup (folded) : g_strconcat (folded, "*", NULL);

      pattern = g_pattern_spec_new (glob);
    }
  if (descending)
    sort++;
  for (guint i = 0; items && i < json_array_get_length (items); i++)
    {
      JsonObject *o = json_array_get_object_element (items, i);
      /* a cable's area and discipline are its load's */
      JsonObject *place = cables ? g_hash_table_lookup (self->assets_by_id,
                                                        syn_json_get_string (o, "to_asset_id")
                                                        ? syn_json_get_string (o, "to_asset_id") : "")
                                 : o;
      SortEntry e = { i, NULL };

      if (o == NULL || !tag_matches (syn_json_get_string (o, "tag"), pattern) ||
          (search != NULL && !cables && !contains_ci (syn_json_get_string (o, "tag"), search) &&
           !contains_ci (syn_json_get_string (o, "description"), search)) ||
          !equals_ci (syn_json_get_string (o, cables ? "cable_type" : "type"), type) ||
          ((area || discipline) && place == NULL) ||
          (place != NULL && !equals_ci (syn_json_get_string (place, "area"), area)) ||
          (place != NULL && !equals_ci (syn_json_get_string (place, "discipline"), discipline)))
        continue;
      if (sort != NULL && *sort != '\0')
        {
          if (cables)
            {
              g_autoptr(SynCable) cable = syn_cable_from_json (o, NULL);

              e.cell = cable ? syn_export_cable_cell (cable, sort,
                                                      asset_tag (self, syn_json_get_string (o, "from_asset_id")),
                                                      asset_tag (self, syn_json_get_string (o, "to_asset_id")), NULL)
                             : NULL;
            }
          else
            {
              g_autoptr(SynAsset) asset = syn_asset_from_json (o, NULL);

              e.cell = asset ? syn_export_asset_cell (asset, sort, NULL) : NULL;
            }
        }
      g_array_append_val (entries, e);
    }
  if (sort != NULL && *sort != '\0')
    g_array_sort_with_data (entries, compare_cells, GINT_TO_POINTER (descending));
  indices = g_array_sized_new (FALSE, FALSE, sizeof (guint), entries->len);
  for (guint i = 0; i < entries->len; i++)
    g_array_append_val (indices, g_array_index (entries, SortEntry, i).index);
  return indices;
}

static char *
list_key (JsonObject *params)
{
  static const char * const names[] = { "tag", "q", "type", "area", "discipline", "sort" };
  GString *key = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *value = syn_json_get_string (params, names[i]);

      g_string_append_printf (key, "%s\x1f", value ? value : "");
    }
  return g_string_free (key, FALSE);
}

static JsonNode *
fail (GError **error, int code, const char *format, ...) G_GNUC_PRINTF (3, 4);

static JsonNode *
fail (GError **error, int code, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  if (error != NULL && *error == NULL)
    *error = g_error_new_valist (SYN_BACKEND_ERROR, code, format, args);
  va_end (args);
  return NULL;
}

static gboolean
param_uint (JsonObject *params, const char *name, gint64 max, gint64 fallback, gint64 *out, GError **error)
{
  JsonNode *node = json_object_get_member (params, name);

  *out = fallback;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < 1 || json_node_get_int (node) > max)
    {
      fail (error, SYN_BACKEND_ERROR_INVALID, "%s: a whole number from 1 to %" G_GINT64_FORMAT, name, max);
      return FALSE;
    }
  *out = json_node_get_int (node);
  return TRUE;
}

static JsonNode *
list_page (SynAsOfBackend *self, JsonObject *params, gboolean cables, GError **error)
{
  ListCache *cache = &self->cache[cables ? 1 : 0];
  g_autofree char *key = list_key (params);
  const char *where = syn_json_get_string (params, "where");
  JsonArray *items = state_array (self, cables ? "cables" : "assets");
  JsonArray *array;
  JsonObject *answer;
  gint64 page, limit;
  guint total;

  if (where != NULL && *where != '\0')
    return fail (error, SYN_BACKEND_ERROR_INVALID,
                 _("Conditions (where) are not available for a past moment: filter by tag, type, area or discipline"));
  if (!param_uint (params, "page", G_MAXINT32, 1, &page, error) ||
      !param_uint (params, "limit", MAX_LIMIT, 50, &limit, error))
    return NULL;
  array = json_array_new ();
  g_mutex_lock (&self->lock);
  ensure_index (self);
  if (g_strcmp0 (cache->key, key) != 0)
    {
      g_clear_pointer (&cache->indices, g_array_unref);
      cache->indices = filter_and_sort (self, params, cables);
      g_free (cache->key);
      cache->key = g_steal_pointer (&key);
    }
  total = cache->indices->len;
  for (gint64 i = (page - 1) * limit; i < page * limit && i < total; i++)
    json_array_add_element (array, entity_copy (self, json_array_get_object_element (items, g_array_index (cache->indices, guint, i)),
                                                cables));
  g_mutex_unlock (&self->lock);
  answer = json_object_new ();
  json_object_set_array_member (answer, cables ? "cables" : "assets", array);
  json_object_set_int_member (answer, "total", total);
  json_object_set_int_member (answer, "page", page);
  json_object_set_int_member (answer, "pages", (total + limit - 1) / limit);
  return syn_json_node_new_object (answer);
}

static JsonObject *
find_by_tag (JsonArray *items, const char *tag)
{
  for (guint i = 0; items && tag && i < json_array_get_length (items); i++)
    if (g_strcmp0 (syn_json_get_string (json_array_get_object_element (items, i), "tag"), tag) == 0)
      return json_array_get_object_element (items, i);
  return NULL;
}

static JsonNode *
get_asset (SynAsOfBackend *self, JsonObject *params, GError **error)
{
  const char *id = syn_json_get_string (params, "asset_id");
  const char *tag = syn_json_get_string (params, "tag");
  JsonObject *asset = id ? g_hash_table_lookup (self->assets_by_id, id) : find_by_tag (state_array (self, "assets"), tag);

  if (asset == NULL)
    /* Translators: an asset looked up in a past state of the project */
    return fail (error, SYN_BACKEND_ERROR_NOT_FOUND, _("No asset “%s” at that moment"), id ? id : tag ? tag : "");
  return syn_json_node_new_object (syn_json_object_copy (asset));
}

static JsonObject *
asset_brief (JsonObject *asset, const char *id)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "id", id);
  syn_json_set_string_or_null (o, "tag", asset ? syn_json_get_string (asset, "tag") : NULL);
  syn_json_set_string_or_null (o, "type", asset ? syn_json_get_string (asset, "type") : NULL);
  syn_json_set_string_or_null (o, "description", asset ? syn_json_get_string (asset, "description") : NULL);
  return o;
}

/* As SYN_OP_ASSET_RELATIONS answers, from the state's edges and cables. */
static JsonNode *
asset_relations (SynAsOfBackend *self, JsonObject *params, GError **error)
{
  const char *id = syn_json_get_string (params, "asset_id");
  JsonObject *asset = id ? g_hash_table_lookup (self->assets_by_id, id) : NULL;
  JsonArray *edges = state_array (self, "edges"), *cables = state_array (self, "cables");
  JsonArray *edge_array, *cable_array;
  JsonObject *answer;

  if (asset == NULL)
    return fail (error, SYN_BACKEND_ERROR_NOT_FOUND, _("No asset “%s” at that moment"), id ? id : "");
  edge_array = json_array_new ();
  for (guint i = 0; edges && i < json_array_get_length (edges); i++)
    {
      JsonObject *edge = json_array_get_object_element (edges, i);
      gboolean out = g_strcmp0 (syn_json_get_string (edge, "source_asset_id"), id) == 0;
      const char *other;
      JsonObject *o;

      if (!out && g_strcmp0 (syn_json_get_string (edge, "target_asset_id"), id) != 0)
        continue;
      other = syn_json_get_string (edge, out ? "target_asset_id" : "source_asset_id");
      o = json_object_new ();
      syn_json_set_string_or_null (o, "id", syn_json_get_string (edge, "id"));
      syn_json_set_string_or_null (o, "relation", syn_json_get_string (edge, "relation"));
      json_object_set_string_member (o, "direction", out ? "out" : "in");
      syn_json_set_string_or_null (o, "created_by_rule_id", syn_json_get_string (edge, "created_by_rule_id"));
      json_object_set_object_member (o, "asset", asset_brief (other ? g_hash_table_lookup (self->assets_by_id, other)
                                                                    : NULL, other ? other : ""));
      json_array_add_object_element (edge_array, o);
    }
  cable_array = json_array_new ();
  for (guint i = 0; cables && i < json_array_get_length (cables); i++)
    {
      JsonObject *cable = json_array_get_object_element (cables, i);
      gboolean in = g_strcmp0 (syn_json_get_string (cable, "to_asset_id"), id) == 0;
      JsonNode *copy;

      if (!in && g_strcmp0 (syn_json_get_string (cable, "from_asset_id"), id) != 0)
        continue;
      copy = entity_copy (self, cable, TRUE);
      json_object_set_string_member (json_node_get_object (copy), "direction", in ? "in" : "out");
      json_array_add_element (cable_array, copy);
    }
  answer = json_object_new ();
  json_object_set_object_member (answer, "asset", syn_json_object_copy (asset));
  json_object_set_array_member (answer, "edges", edge_array);
  json_object_set_array_member (answer, "cables", cable_array);
  return syn_json_node_new_object (answer);
}

/* What had the tag at that moment: one asset or cable at most (tags are
 * unique among the living). */
static JsonNode *
find_tag (SynAsOfBackend *self, JsonObject *params, GError **error)
{
  const char *tag = syn_json_get_string (params, "tag");
  const char *kind = syn_json_get_string (params, "kind");
  JsonArray *entities = json_array_new ();
  JsonObject *answer;

  for (guint k = 0; k < 2; k++)
    {
      const char *name = k ? "cable" : "asset";
      JsonObject *found;
      JsonObject *o;

      if ((kind != NULL && g_strcmp0 (kind, name) != 0) ||
          !(found = find_by_tag (state_array (self, k ? "cables" : "assets"), tag)))
        continue;
      o = json_object_new ();
      json_object_set_string_member (o, "kind", name);
      syn_json_set_string_or_null (o, "id", syn_json_get_string (found, "id"));
      syn_json_set_string_or_null (o, "tag", tag);
      syn_json_set_string_or_null (o, "type", syn_json_get_string (found, k ? "cable_type" : "type"));
      json_object_set_boolean_member (o, "deleted", FALSE);
      json_array_add_object_element (entities, o);
    }
  if (json_array_get_length (entities) == 0)
    {
      json_array_unref (entities);
      return fail (error, SYN_BACKEND_ERROR_NOT_FOUND, _("No asset or cable had the tag “%s” at that moment"),
                   tag ? tag : "");
    }
  answer = json_object_new ();
  syn_json_set_string_or_null (answer, "tag", tag);
  json_object_set_array_member (answer, "entities", entities);
  return syn_json_node_new_object (answer);
}

typedef struct
{
  char       *op;
  JsonObject *params;   /* a copy of the caller's */
} Request;

static void
request_free (Request *r)
{
  g_free (r->op);
  json_object_unref (r->params);
  g_free (r);
}

static void
answer_in_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  SynAsOfBackend *self = source;
  Request *r = data;
  GError *error = NULL;
  JsonNode *answer;

  if (g_str_equal (r->op, SYN_OP_LIST_ASSETS) || g_str_equal (r->op, SYN_OP_LIST_CABLES))
    answer = list_page (self, r->params, g_str_equal (r->op, SYN_OP_LIST_CABLES), &error);
  else
    {
      g_mutex_lock (&self->lock);
      ensure_index (self);
      g_mutex_unlock (&self->lock);
      if (g_str_equal (r->op, SYN_OP_GET_ASSET))
        answer = get_asset (self, r->params, &error);
      else if (g_str_equal (r->op, SYN_OP_ASSET_RELATIONS))
        answer = asset_relations (self, r->params, &error);
      else
        answer = find_tag (self, r->params, &error);
    }
  if (answer == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, answer, (GDestroyNotify) json_node_unref);
}

/* ------------------------------------------------------------------------- */
/* History up to the moment                                                  */

static void
history_answered (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SynAsOfBackend *self = g_task_get_source_object (task);
  GError *error = NULL;
  JsonNode *answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  JsonArray *history, *kept;

  if (answer == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  history = json_object_get_array_member (json_node_get_object (answer), "history");
  kept = json_array_new ();
  /* what happened after the moment is not shown */
  for (guint i = 0; history && i < json_array_get_length (history); i++)
    {
      JsonObject *event = json_array_get_object_element (history, i);

      if (json_object_get_int_member_with_default (event, "position", G_MAXINT64) <= self->position)
        json_array_add_element (kept, json_node_ref (json_array_get_element (history, i)));
    }
  json_object_set_int_member (json_node_get_object (answer), "total_events", json_array_get_length (kept));
  json_object_set_array_member (json_node_get_object (answer), "history", kept);
  g_task_return_pointer (task, answer, (GDestroyNotify) json_node_unref);
}

static void
forwarded (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  JsonNode *answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);

  if (answer == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, answer, (GDestroyNotify) json_node_unref);
}

/* ------------------------------------------------------------------------- */
/* SynBackend                                                                */

static const char *
as_of_describe (SynBackend *backend)
{
  return SYN_AS_OF_BACKEND (backend)->label;
}

static void
refuse (GTask *task)
{
  g_task_return_new_error (task, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_FORBIDDEN, "%s",
                           _("Read-only: the project is shown as of a past moment; go back to now to change it"));
}

static void
as_of_call_async (SynBackend *backend, const char *op, JsonObject *params, GCancellable *cancellable,
                  GAsyncReadyCallback callback, gpointer user_data)
{
  SynAsOfBackend *self = SYN_AS_OF_BACKEND (backend);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, as_of_call_async);
  if (g_str_equal (op, SYN_OP_LIST_ASSETS) || g_str_equal (op, SYN_OP_LIST_CABLES) ||
      g_str_equal (op, SYN_OP_GET_ASSET) || g_str_equal (op, SYN_OP_ASSET_RELATIONS) ||
      g_str_equal (op, SYN_OP_FIND_TAG))
    {
      Request *r = g_new0 (Request, 1);

      r->op = g_strdup (op);
      r->params = syn_json_object_copy (params);
      g_task_set_task_data (task, r, (GDestroyNotify) request_free);
      g_task_run_in_thread (task, answer_in_thread);
      g_object_unref (task);
    }
  else if (g_str_equal (op, SYN_OP_ASSET_HISTORY) || g_str_equal (op, SYN_OP_CABLE_HISTORY))
    syn_backend_call_async (self->live, op, params, cancellable, history_answered, task);
  /* what does not depend on the moment */
  else if (g_str_equal (op, SYN_OP_TIMELINE) || g_str_equal (op, SYN_OP_LIST_RULES))
    syn_backend_call_async (self->live, op, params, cancellable, forwarded, task);
  else
    {
      refuse (task);
      g_object_unref (task);
    }
}

static JsonNode *
as_of_call_finish (SynBackend *backend, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, backend), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
as_of_execute_async (SynBackend *backend, JsonObject *request, GCancellable *cancellable,
                     GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (backend, cancellable, callback, user_data);

  refuse (task);
}

static gboolean
as_of_cancel_execution (SynBackend *backend, const char *execution_id)
{
  return FALSE;
}

/* nothing changes in the past */
static void
as_of_watch_project (SynBackend *backend, const char *project_id, gint64 after_position)
{
}

static void
as_of_unwatch_project (SynBackend *backend, const char *project_id)
{
}

static void
syn_as_of_backend_iface_init (SynBackendInterface *iface)
{
  iface->describe = as_of_describe;
  iface->call_async = as_of_call_async;
  iface->call_finish = as_of_call_finish;
  iface->execute_async = as_of_execute_async;
  iface->execute_finish = as_of_call_finish;
  iface->cancel_execution = as_of_cancel_execution;
  iface->watch_project = as_of_watch_project;
  iface->unwatch_project = as_of_unwatch_project;
}
