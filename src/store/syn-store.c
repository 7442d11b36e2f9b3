/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-store.c: SynStore interface dispatch, and the factory that picks an implementation from a URI. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "syn-pg-store.h"
#include "syn-sqlite-store.h"
#include "syn-store.h"
#include "syn-store-private.h"

G_DEFINE_QUARK (syn-store-error-quark, syn_store_error)
G_DEFINE_INTERFACE (SynStore, syn_store, G_TYPE_OBJECT)

static void
syn_store_default_init (SynStoreInterface *iface)
{
}

SynStore *
syn_store_open (const char *uri, GError **error)
{
  return syn_store_open_full (uri, SYN_STORE_OPEN_DEFAULT, error);
}

/* PostgreSQL never creates a database: EXISTING changes nothing there. */
SynStore *
syn_store_open_full (const char *uri, SynStoreOpenFlags flags, GError **error)
{
  g_return_val_if_fail (uri != NULL, NULL);

  if (syn_pg_store_is_uri (uri))
    return syn_pg_store_open (uri, error);
  return syn_sqlite_store_open_full (uri, (flags & SYN_STORE_OPEN_EXISTING) == 0, error);
}

SynStore *
syn_store_open_another (SynStore *self, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);

  return syn_store_open (syn_store_get_uri (self), error);
}

/* The local database: $XDG_DATA_HOME/synapse/synapse.db. */
char *
syn_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "synapse", "synapse.db", NULL);
}

gboolean
syn_store_make_default_folder (GError **error)
{
  g_autofree char *path = syn_store_default_path ();
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_OPEN, "Cannot create %s: %s", dir, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

const char *
syn_store_get_backend_name (SynStore *self)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);

  return SYN_STORE_GET_IFACE (self)->get_backend_name (self);
}

const char *
syn_store_get_uri (SynStore *self)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);

  return SYN_STORE_GET_IFACE (self)->get_uri (self);
}

gboolean
syn_store_begin (SynStore *self, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);

  return SYN_STORE_GET_IFACE (self)->begin (self, error);
}

/* Events appended by this process, for the server's /metrics: counted
 * when their transaction commits (a rolled-back one adds nothing). */
static guint64 events_appended;
G_LOCK_DEFINE_STATIC (events_appended);

static GQuark
pending_quark (void)
{
  return g_quark_from_static_string ("syn-store-pending-events");
}

guint64
syn_store_get_events_appended (void)
{
  guint64 n;

  G_LOCK (events_appended);
  n = events_appended;
  G_UNLOCK (events_appended);
  return n;
}

static void
count_appended (guint64 n)
{
  G_LOCK (events_appended);
  events_appended += n;
  G_UNLOCK (events_appended);
}

gboolean
syn_store_commit (SynStore *self, GError **error)
{
  gboolean ok;

  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);

  ok = SYN_STORE_GET_IFACE (self)->commit (self, error);
  if (ok && !syn_store_in_transaction (self))
    {
      count_appended (GPOINTER_TO_SIZE (g_object_get_qdata (G_OBJECT (self), pending_quark ())));
      g_object_set_qdata (G_OBJECT (self), pending_quark (), NULL);
    }
  return ok;
}

void
syn_store_rollback (SynStore *self)
{
  g_return_if_fail (SYN_IS_STORE (self));

  SYN_STORE_GET_IFACE (self)->rollback (self);
  if (!syn_store_in_transaction (self))
    g_object_set_qdata (G_OBJECT (self), pending_quark (), NULL);
}

gboolean
syn_store_in_transaction (SynStore *self)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);

  return SYN_STORE_GET_IFACE (self)->in_transaction (self);
}

gboolean
syn_store_lock_project (SynStore *self, const char *project_id, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);

  return SYN_STORE_GET_IFACE (self)->lock_project (self, project_id, error);
}

gboolean
syn_store_insert_project (SynStore *self, SynProject *project, GError **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);
  g_return_val_if_fail (project != NULL, FALSE);

  if (project->id == NULL)
    project->id = syn_uuid_new ();
  if (project->created_at == 0)
    project->created_at = syn_time_now_usec ();
  if (SYN_STORE_GET_IFACE (self)->insert_project (self, project, &local_error))
    return TRUE;
  /* the one unique column a new project can collide on is its name */
  if (g_error_matches (local_error, SYN_STORE_ERROR, SYN_STORE_ERROR_CONSTRAINT))
    g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_CONSTRAINT,
                 "A project named \"%s\" already exists", project->name);
  else
    g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

SynProject *
syn_store_get_project (SynStore *self, const char *project_id, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);

  return SYN_STORE_GET_IFACE (self)->get_project (self, project_id, error);
}

SynProject *
syn_store_find_project (SynStore *self, const char *id_or_name, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);

  return SYN_STORE_GET_IFACE (self)->find_project (self, id_or_name, error);
}

GPtrArray *
syn_store_list_projects (SynStore *self, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);

  return SYN_STORE_GET_IFACE (self)->list_projects (self, error);
}

GPtrArray *
syn_store_list_projects_with_archived (SynStore *self, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);

  return SYN_STORE_GET_IFACE (self)->list_projects_with_archived (self, error);
}

gboolean
syn_store_insert_user (SynStore *self, SynUser *user, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);

  return SYN_STORE_GET_IFACE (self)->insert_user (self, user, error);
}

SynUser *
syn_store_get_user (SynStore *self, const char *user_id, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);

  return SYN_STORE_GET_IFACE (self)->get_user (self, user_id, error);
}

SynUser *
syn_store_get_user_by_name (SynStore *self, const char *username, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);

  return SYN_STORE_GET_IFACE (self)->get_user_by_name (self, username, error);
}

GPtrArray *
syn_store_list_users (SynStore *self, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);

  return SYN_STORE_GET_IFACE (self)->list_users (self, error);
}

gboolean
syn_store_insert_asset (SynStore *self, SynAsset *asset, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);

  return SYN_STORE_GET_IFACE (self)->insert_asset (self, asset, error);
}

gboolean
syn_store_update_asset (SynStore *self, SynAsset *asset, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);

  return SYN_STORE_GET_IFACE (self)->update_asset (self, asset, error);
}

gboolean
syn_store_delete_asset (SynStore *self, const char *project_id, const char *asset_id, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);

  return SYN_STORE_GET_IFACE (self)->delete_asset (self, project_id, asset_id, error);
}

SynAsset *
syn_store_get_asset (SynStore *self, const char *project_id, const char *asset_id, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);

  return SYN_STORE_GET_IFACE (self)->get_asset (self, project_id, asset_id, error);
}

SynAsset *
syn_store_get_asset_by_tag (SynStore *self, const char *project_id, const char *tag, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);

  return SYN_STORE_GET_IFACE (self)->get_asset_by_tag (self, project_id, tag, error);
}

GPtrArray *
syn_store_list_assets (SynStore *self, const char *project_id, const char *type, const char *search, guint64 offset, guint limit, guint64 *total, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);

  return SYN_STORE_GET_IFACE (self)->list_assets (self, project_id, type, search, offset, limit, total, error);
}

gboolean
syn_store_insert_cable (SynStore *self, SynCable *cable, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);

  return SYN_STORE_GET_IFACE (self)->insert_cable (self, cable, error);
}

gboolean
syn_store_update_cable (SynStore *self, SynCable *cable, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);

  return SYN_STORE_GET_IFACE (self)->update_cable (self, cable, error);
}

gboolean
syn_store_delete_cable (SynStore *self, const char *project_id, const char *cable_id, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);

  return SYN_STORE_GET_IFACE (self)->delete_cable (self, project_id, cable_id, error);
}

SynCable *
syn_store_get_cable (SynStore *self, const char *project_id, const char *cable_id, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);

  return SYN_STORE_GET_IFACE (self)->get_cable (self, project_id, cable_id, error);
}

SynCable *
syn_store_get_cable_by_tag (SynStore *self, const char *project_id, const char *tag, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);

  return SYN_STORE_GET_IFACE (self)->get_cable_by_tag (self, project_id, tag, error);
}

GPtrArray *
syn_store_list_cables (SynStore *self, const char *project_id, guint64 offset, guint limit, guint64 *total, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);

  return SYN_STORE_GET_IFACE (self)->list_cables (self, project_id, offset, limit, total, error);
}

SynEntityPage *
syn_store_query_entities (SynStore *self, const SynEntityQuery *query, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  if (!syn_entity_query_validate (query, error))
    return NULL;
  return SYN_STORE_GET_IFACE (self)->query_entities (self, query, error);
}

GPtrArray *
syn_store_list_asset_cables (SynStore *self, const char *project_id, const char *asset_id, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);
  g_return_val_if_fail (project_id != NULL && asset_id != NULL, NULL);

  return SYN_STORE_GET_IFACE (self)->list_asset_cables (self, project_id, asset_id, error);
}

gboolean
syn_store_insert_edge (SynStore *self, SynEdge *edge, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);

  return SYN_STORE_GET_IFACE (self)->insert_edge (self, edge, error);
}

gboolean
syn_store_delete_edge (SynStore *self, const char *project_id, const char *edge_id, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);

  return SYN_STORE_GET_IFACE (self)->delete_edge (self, project_id, edge_id, error);
}

SynEdge *
syn_store_get_edge (SynStore *self, const char *project_id, const char *edge_id, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);

  return SYN_STORE_GET_IFACE (self)->get_edge (self, project_id, edge_id, error);
}

SynEdge *
syn_store_find_edge (SynStore *self, const char *project_id, const char *source_asset_id, const char *target_asset_id, const char *relation, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);

  return SYN_STORE_GET_IFACE (self)->find_edge (self, project_id, source_asset_id, target_asset_id, relation, error);
}

GPtrArray *
syn_store_list_edges (SynStore *self, const char *project_id, const char *asset_id, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);

  return SYN_STORE_GET_IFACE (self)->list_edges (self, project_id, asset_id, error);
}

gboolean
syn_store_save_rule (SynStore *self, SynRule *rule, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);

  return SYN_STORE_GET_IFACE (self)->save_rule (self, rule, error);
}

gboolean
syn_store_delete_rule (SynStore *self, const char *rule_id, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);

  return SYN_STORE_GET_IFACE (self)->delete_rule (self, rule_id, error);
}

SynRule *
syn_store_get_rule (SynStore *self, const char *rule_id, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);

  return SYN_STORE_GET_IFACE (self)->get_rule (self, rule_id, error);
}

GPtrArray *
syn_store_list_rules (SynStore *self, const char *project_id, gboolean include_library, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);

  return SYN_STORE_GET_IFACE (self)->list_rules (self, project_id, include_library, error);
}

gboolean
syn_store_append_events (SynStore *self, GPtrArray *events, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);

  if (!SYN_STORE_GET_IFACE (self)->append_events (self, events, error))
    return FALSE;
  if (syn_store_in_transaction (self))
    {
      gsize pending = GPOINTER_TO_SIZE (g_object_get_qdata (G_OBJECT (self), pending_quark ()));

      g_object_set_qdata (G_OBJECT (self), pending_quark (), GSIZE_TO_POINTER (pending + events->len));
    }
  else
    count_appended (events->len);
  return TRUE;
}

GPtrArray *
syn_store_query_events (SynStore *self, const SynEventQuery *query, guint64 *total, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);

  return SYN_STORE_GET_IFACE (self)->query_events (self, query, total, error);
}

/* One allocation: free it with g_free(). */
SynPeriodCount *
syn_period_count_new (guint period, const char *key, guint64 count)
{
  gsize len = key ? strlen (key) : 0;
  SynPeriodCount *self = g_malloc (sizeof *self + len + 1);

  self->period = period;
  self->count = count;
  memcpy (self->key, key ? key : "", len + 1);
  return self;
}

gint64
_syn_store_minute_of (gint64 usec)
{
  return usec >= 0 ? usec / SYN_MINUTE_USEC : -((-(usec + 1)) / SYN_MINUTE_USEC) - 1;
}

static guint
minute_count_hash (gconstpointer key)
{
  const SynMinuteCount *c = key;

  return g_str_hash (c->project_id) ^ g_str_hash (c->event_type) * 31 ^ g_str_hash (c->discipline) * 17 ^
         (guint) c->minute;
}

static gboolean
minute_count_equal (gconstpointer a, gconstpointer b)
{
  const SynMinuteCount *x = a, *y = b;

  return x->minute == y->minute && g_str_equal (x->event_type, y->event_type) &&
         g_str_equal (x->discipline, y->discipline) && g_str_equal (x->project_id, y->project_id);
}

GArray *
_syn_store_minute_counts (GPtrArray *events)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (minute_count_hash, minute_count_equal, g_free, NULL);
  GArray *counts = g_array_new (FALSE, FALSE, sizeof (SynMinuteCount));

  for (guint i = 0; i < events->len; i++)
    {
      SynEvent *e = g_ptr_array_index (events, i);
      SynMinuteCount key = { e->project_id, e->event_type, e->discipline ? e->discipline : "",
                             _syn_store_minute_of (e->timestamp), 0, 0 };
      gpointer index;

      if (!g_hash_table_lookup_extended (seen, &key, NULL, &index))
        {
          g_array_append_val (counts, key);
          index = GUINT_TO_POINTER (counts->len);
          g_hash_table_insert (seen, g_memdup2 (&key, sizeof key), index);
        }
      /* rolled back ones move when their batch's rolled_back_batches row
       * covers them (copied flagged events too), never here */
      g_array_index (counts, SynMinuteCount, GPOINTER_TO_UINT (index) - 1).n++;
    }
  return counts;
}

/* The per-minute counts hold event types, disciplines and times: other
 * filters (an aggregate, a rule, a batch) walk the events. */
static gboolean
minute_counts_answer (SynStore *self, const SynEventQuery *q)
{
  return SYN_STORE_GET_IFACE (self)->count_event_minutes != NULL &&
         !(q->aggregate_types && q->aggregate_types[0]) && q->aggregate_id == NULL && q->rule_id == NULL &&
         q->correlation_id == NULL;
}

/* Adds @part's counts as period @period (or each item's own when -1) to
 * @answer, one item per period and key (@sums: "PERIOD/KEY" -> its item). */
static void
add_counts (GHashTable *sums, GPtrArray *answer, GPtrArray *part, gint period)
{
  for (guint i = 0; i < part->len; i++)
    {
      SynPeriodCount *c = g_ptr_array_index (part, i);
      g_autofree char *key = g_strdup_printf ("%u/%s", period >= 0 ? (guint) period : c->period, c->key);
      SynPeriodCount *sum = g_hash_table_lookup (sums, key);

      if (sum == NULL)
        {
          sum = syn_period_count_new (period >= 0 ? (guint) period : c->period, c->key, c->count);
          g_ptr_array_add (answer, sum);
          g_hash_table_insert (sums, g_steal_pointer (&key), sum);
        }
      else
        sum->count += c->count;
    }
}

/* Each period (cut to the query's dates) as its whole minutes, counted from
 * the per-minute counts in one statement, and its edges off a minute,
 * counted from the events (a few seconds of them each). The dates are in
 * the periods: the edges are walked without them. */
static GPtrArray *
count_by_minutes (SynStore *self, const SynEventQuery *query, const gint64 *bounds, guint n_bounds,
                  SynEventSplit split, GError **error)
{
  SynStoreInterface *iface = SYN_STORE_GET_IFACE (self);
  g_autoptr(SynEventQuery) undated = syn_event_query_copy (query);
  g_autoptr(GHashTable) sums = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) answer = g_ptr_array_new_with_free_func (g_free);
  g_autofree gint64 *minutes = g_new0 (gint64, 2 * (n_bounds - 1));
  g_autoptr(GPtrArray) whole = NULL;

  undated->has_from_date = undated->has_to_date = FALSE;
  for (guint i = 0; i + 1 < n_bounds; i++)
    {
      gint64 lo = bounds[i], hi = bounds[i + 1], edges[4];
      guint n_edges = 0;

      if (query->has_from_date)
        lo = MAX (lo, query->from_date);
      if (query->has_to_date && query->to_date < G_MAXINT64)
        hi = MIN (hi, query->to_date + 1);
      if (lo >= hi)
        continue;
      /* the minutes wholly inside [lo, hi); far from the int64 edges only */
      if (lo > G_MININT64 + SYN_MINUTE_USEC && hi < G_MAXINT64 - SYN_MINUTE_USEC &&
          _syn_store_minute_of (lo - 1) + 1 < _syn_store_minute_of (hi))
        {
          minutes[2 * i] = _syn_store_minute_of (lo - 1) + 1;
          minutes[2 * i + 1] = _syn_store_minute_of (hi);
          if (lo < minutes[2 * i] * SYN_MINUTE_USEC)
            {
              edges[n_edges++] = lo;
              edges[n_edges++] = minutes[2 * i] * SYN_MINUTE_USEC;
            }
          if (minutes[2 * i + 1] * SYN_MINUTE_USEC < hi)
            {
              edges[n_edges++] = minutes[2 * i + 1] * SYN_MINUTE_USEC;
              edges[n_edges++] = hi;
            }
        }
      else
        {
          edges[n_edges++] = lo;
          edges[n_edges++] = hi;
        }
      for (guint e = 0; e < n_edges; e += 2)
        {
          g_autoptr(GPtrArray) part = iface->count_events_by_period (self, undated, edges + e, 2, split, error);

          if (part == NULL)
            return NULL;
          add_counts (sums, answer, part, (gint) i);
        }
    }
  if (!(whole = iface->count_event_minutes (self, query, minutes, n_bounds - 1, split, error)))
    return NULL;
  add_counts (sums, answer, whole, -1);
  return g_steal_pointer (&answer);
}

GPtrArray *
syn_store_count_events_by_period (SynStore *self, const SynEventQuery *query, const gint64 *bounds, guint n_bounds,
                                  SynEventSplit split, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (bounds != NULL && n_bounds >= 2, NULL);

  for (guint i = 1; i < n_bounds; i++)
    if (bounds[i] <= bounds[i - 1])
      {
        g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID,
                     "Period bounds must be in increasing order (bound %u is not after bound %u)", i + 1, i);
        return NULL;
      }
  if (!syn_event_query_validate (query, error))
    return NULL;
  if (!minute_counts_answer (self, query))
    return SYN_STORE_GET_IFACE (self)->count_events_by_period (self, query, bounds, n_bounds, split, error);
  return count_by_minutes (self, query, bounds, n_bounds, split, error);
}

GPtrArray *
syn_store_get_events_by_correlation (SynStore *self, const char *project_id, const char *correlation_id, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);

  return SYN_STORE_GET_IFACE (self)->get_events_by_correlation (self, project_id, correlation_id, error);
}

GPtrArray *
syn_store_get_asset_history (SynStore *self, const char *project_id, const char *asset_id, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);

  return SYN_STORE_GET_IFACE (self)->get_asset_history (self, project_id, asset_id, error);
}

GPtrArray *
syn_store_list_events_after (SynStore *self, const char *project_id, gint64 after_position, guint limit, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);

  return SYN_STORE_GET_IFACE (self)->list_events_after (self, project_id, after_position, limit, error);
}

GPtrArray *
syn_store_list_event_texts_after (SynStore *self, const char *project_id, gint64 after_position, guint limit,
                                  GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  return SYN_STORE_GET_IFACE (self)->list_event_texts_after (self, project_id, after_position, limit, error);
}

void
syn_event_text_free (SynEventText *event)
{
  if (event == NULL)
    return;
  g_free (event->id);
  g_free (event->event_type);
  g_free (event->aggregate_type);
  g_free (event->aggregate_id);
  g_free (event->correlation_id);
  g_free (event->hash);
  g_free (event->payload);
  g_free (event->metadata);
  g_free (event->user_id);
  g_free (event);
}

SynEvent *
syn_store_get_event (SynStore *self, const char *event_id, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);

  return SYN_STORE_GET_IFACE (self)->get_event (self, event_id, error);
}

gboolean
syn_store_mark_batch_rolled_back (SynStore *self, const char *project_id, const char *correlation_id, const char *rollback_correlation_id, gint64 when, guint64 *n_events, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);
  g_return_val_if_fail (project_id != NULL && correlation_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return SYN_STORE_GET_IFACE (self)->mark_batch_rolled_back (self, project_id, correlation_id, rollback_correlation_id, when, n_events, error);
}

GPtrArray *
syn_store_list_later_batches (SynStore *self, const char *project_id, const char *aggregate_type, const char * const *aggregate_ids, guint n_ids, gint64 after_position, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);
  g_return_val_if_fail (aggregate_ids != NULL || n_ids == 0, NULL);

  return SYN_STORE_GET_IFACE (self)->list_later_batches (self, project_id, aggregate_type, aggregate_ids, n_ids, after_position, error);
}

gboolean
syn_store_insert_snapshot (SynStore *self, SynSnapshot *snapshot, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);

  return SYN_STORE_GET_IFACE (self)->insert_snapshot (self, snapshot, error);
}

SynSnapshot *
syn_store_get_snapshot (SynStore *self, const char *project_id, const char *correlation_id, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);

  return SYN_STORE_GET_IFACE (self)->get_snapshot (self, project_id, correlation_id, error);
}

gboolean
syn_store_update_snapshot_events_count (SynStore *self, const char *project_id, const char *correlation_id, gint64 events_count, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);

  return SYN_STORE_GET_IFACE (self)->update_snapshot_events_count (self, project_id, correlation_id, events_count, error);
}

gboolean
syn_store_mark_snapshot_rolled_back (SynStore *self, const char *project_id, const char *correlation_id, const char *user_id, gint64 when, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);

  return SYN_STORE_GET_IFACE (self)->mark_snapshot_rolled_back (self, project_id, correlation_id, user_id, when, error);
}

GPtrArray *
syn_store_list_snapshots (SynStore *self, const char *project_id, gboolean active_only, guint limit, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);

  return SYN_STORE_GET_IFACE (self)->list_snapshots (self, project_id, active_only, limit, error);
}

gboolean
syn_store_insert_execution (SynStore *self, SynExecution *execution, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);

  return SYN_STORE_GET_IFACE (self)->insert_execution (self, execution, error);
}

gboolean
syn_store_update_execution (SynStore *self, SynExecution *execution, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);

  return SYN_STORE_GET_IFACE (self)->update_execution (self, execution, error);
}

SynExecution *
syn_store_get_execution (SynStore *self, const char *execution_id, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);

  return SYN_STORE_GET_IFACE (self)->get_execution (self, execution_id, error);
}

GPtrArray *
syn_store_list_executions (SynStore *self, const char *project_id, guint64 offset, guint limit, guint64 *total, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);

  return SYN_STORE_GET_IFACE (self)->list_executions (self, project_id, offset, limit, total, error);
}

gboolean
syn_store_insert_finding (SynStore *self, SynFinding *finding, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);
  g_return_val_if_fail (SYN_IS_FINDING (finding), FALSE);

  return SYN_STORE_GET_IFACE (self)->insert_finding (self, finding, error);
}

GPtrArray *
syn_store_list_findings (SynStore *self, const char *project_id, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  return SYN_STORE_GET_IFACE (self)->list_findings (self, project_id, error);
}

GPtrArray *
syn_store_list_findings_between (SynStore *self, const char *project_id, gint64 after, gint64 until, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  return SYN_STORE_GET_IFACE (self)->list_findings_between (self, project_id, after, until, error);
}

gboolean
syn_store_is_legacy_project (SynStore *self, const char *project_id, gboolean *is_legacy, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);
  g_return_val_if_fail (project_id != NULL && is_legacy != NULL, FALSE);

  return SYN_STORE_GET_IFACE (self)->is_legacy_project (self, project_id, is_legacy, error);
}

gboolean
syn_store_clear_legacy_project (SynStore *self, const char *project_id, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);
  g_return_val_if_fail (project_id != NULL, FALSE);

  return SYN_STORE_GET_IFACE (self)->clear_legacy_project (self, project_id, error);
}

gboolean
syn_store_get_derive_mark (SynStore *self, const char *project_id, gint64 *position, char **rules_digest,
                           JsonNode **summary, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);
  g_return_val_if_fail (project_id != NULL && position != NULL && rules_digest != NULL && summary != NULL, FALSE);

  *position = -1;
  *rules_digest = NULL;
  *summary = NULL;
  return SYN_STORE_GET_IFACE (self)->get_derive_mark (self, project_id, position, rules_digest, summary, error);
}

gboolean
syn_store_set_derive_mark (SynStore *self, const char *project_id, gint64 position, const char *rules_digest,
                           JsonNode *summary, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);
  g_return_val_if_fail (project_id != NULL && rules_digest != NULL, FALSE);

  return SYN_STORE_GET_IFACE (self)->set_derive_mark (self, project_id, position, rules_digest, summary, error);
}

GPtrArray *
syn_store_list_dangling_edges (SynStore *self, const char *project_id, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  return SYN_STORE_GET_IFACE (self)->list_dangling_edges (self, project_id, error);
}

GPtrArray *
syn_store_list_dangling_cables (SynStore *self, const char *project_id, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  return SYN_STORE_GET_IFACE (self)->list_dangling_cables (self, project_id, error);
}

gboolean
syn_store_list_asset_referrers (SynStore *self, const char *project_id, const char * const *asset_ids, guint n_ids,
                                GPtrArray *edge_ids, GPtrArray *cable_ids, GPtrArray *derived_ids, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);
  g_return_val_if_fail (project_id != NULL, FALSE);
  g_return_val_if_fail (n_ids == 0 || asset_ids != NULL, FALSE);

  return SYN_STORE_GET_IFACE (self)->list_asset_referrers (self, project_id, asset_ids, n_ids, edge_ids, cable_ids,
                                                           derived_ids, error);
}

guint
_syn_store_entity_table (const char *aggregate_type)
{
  if (g_strcmp0 (aggregate_type, SYN_AGGREGATE_CABLE) == 0)
    return 1;
  if (g_strcmp0 (aggregate_type, SYN_AGGREGATE_EDGE) == 0)
    return 2;
  return 0;
}

gboolean
syn_store_delete_entities (SynStore *self, const char *project_id, const char *aggregate_type, const char * const *ids,
                           guint n_ids, GPtrArray *deleted, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);
  g_return_val_if_fail (project_id != NULL, FALSE);
  g_return_val_if_fail (g_strcmp0 (aggregate_type, SYN_AGGREGATE_ASSET) == 0 ||
                        g_strcmp0 (aggregate_type, SYN_AGGREGATE_CABLE) == 0 ||
                        g_strcmp0 (aggregate_type, SYN_AGGREGATE_EDGE) == 0, FALSE);
  g_return_val_if_fail (n_ids == 0 || ids != NULL, FALSE);
  g_return_val_if_fail (deleted != NULL, FALSE);

  return SYN_STORE_GET_IFACE (self)->delete_entities (self, project_id, aggregate_type, ids, n_ids, deleted, error);
}

gboolean
syn_store_validate_references (SynStore *self, gboolean *all_valid, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);
  g_return_val_if_fail (!syn_store_in_transaction (self), FALSE);

  return SYN_STORE_GET_IFACE (self)->validate_references (self, all_valid, error);
}

SynEvent *
syn_store_find_latest_rule_event (SynStore *self, const char *project_id, const char *rule_id, const char *source_asset_id, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);

  return SYN_STORE_GET_IFACE (self)->find_latest_rule_event (self, project_id, rule_id, source_asset_id, error);
}

GPtrArray *
syn_store_get_events_by_sequence (SynStore *self, const char *project_id, const char *correlation_id, gint64 first_seq, gint64 last_seq, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);

  return SYN_STORE_GET_IFACE (self)->get_events_by_sequence (self, project_id, correlation_id, first_seq, last_seq, error);
}

/* Authentication and membership. */

gboolean
syn_store_insert_token (SynStore *self, const char *token_hash, const char *user_id, gint64 created_at, gint64 expires_at, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);

  return SYN_STORE_GET_IFACE (self)->insert_token (self, token_hash, user_id, created_at, expires_at, error);
}

SynUser *
syn_store_get_token_user (SynStore *self, const char *token_hash, gint64 now, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);

  return SYN_STORE_GET_IFACE (self)->get_token_user (self, token_hash, now, error);
}

gboolean
syn_store_delete_token (SynStore *self, const char *token_hash, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);

  return SYN_STORE_GET_IFACE (self)->delete_token (self, token_hash, error);
}

gboolean
syn_store_delete_expired_tokens (SynStore *self, gint64 now, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);

  return SYN_STORE_GET_IFACE (self)->delete_expired_tokens (self, now, error);
}

gboolean
syn_store_add_project_member (SynStore *self, const char *project_id, const char *user_id, gint64 added_at, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);

  return SYN_STORE_GET_IFACE (self)->add_project_member (self, project_id, user_id, added_at, error);
}

gboolean
syn_store_is_project_member (SynStore *self, const char *project_id, const char *user_id, gboolean *is_member, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);

  return SYN_STORE_GET_IFACE (self)->is_project_member (self, project_id, user_id, is_member, error);
}

GPtrArray *
syn_store_list_project_members (SynStore *self, const char *project_id, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);

  return SYN_STORE_GET_IFACE (self)->list_project_members (self, project_id, error);
}

GPtrArray *
syn_store_list_member_projects (SynStore *self, const char *user_id, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);

  return SYN_STORE_GET_IFACE (self)->list_member_projects (self, user_id, error);
}

gboolean
syn_store_update_user_password (SynStore *self, const char *user_id, const char *password_hash, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);

  return SYN_STORE_GET_IFACE (self)->update_user_password (self, user_id, password_hash, error);
}

/* Batch ids and histories by tag. */

static gboolean
is_batch_digits (const char *digits)
{
  gsize n = digits ? strlen (digits) : 0;

  if (n < 8 || n > 32)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isxdigit (digits[i]) || g_ascii_isupper (digits[i]))
      return FALSE;
  return TRUE;
}

GPtrArray *
syn_store_find_batches (SynStore *self, const char *project_id, const char *digits, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  if (!is_batch_digits (digits))
    {
      g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID,
                   "\"%s\" is not 8 to 32 lowercase hex digits", digits ? digits : "");
      return NULL;
    }
  return SYN_STORE_GET_IFACE (self)->find_batches (self, project_id, digits, error);
}

GPtrArray *
syn_store_get_cable_history (SynStore *self, const char *project_id, const char *cable_id, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);

  return SYN_STORE_GET_IFACE (self)->get_cable_history (self, project_id, cable_id, error);
}

GPtrArray *
syn_store_find_tag_events (SynStore *self, const char *project_id, const char *aggregate_type, const char *tag,
                           GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);
  g_return_val_if_fail (g_strcmp0 (aggregate_type, SYN_AGGREGATE_ASSET) == 0 ||
                        g_strcmp0 (aggregate_type, SYN_AGGREGATE_CABLE) == 0, NULL);
  g_return_val_if_fail (tag != NULL, NULL);

  return SYN_STORE_GET_IFACE (self)->find_tag_events (self, project_id, aggregate_type, tag, error);
}

gboolean
syn_store_set_password_unshown (SynStore *self, const char *user_id, gboolean unshown, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);
  g_return_val_if_fail (user_id != NULL, FALSE);

  return SYN_STORE_GET_IFACE (self)->set_password_unshown (self, user_id, unshown, error);
}

GPtrArray *
syn_store_list_unshown_password_users (SynStore *self, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);

  return SYN_STORE_GET_IFACE (self)->list_unshown_password_users (self, error);
}

gboolean
syn_store_get_chain_head (SynStore *self, const char *project_id, gint64 *position, char **hash, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);
  g_return_val_if_fail (project_id != NULL && position != NULL && hash != NULL, FALSE);

  return SYN_STORE_GET_IFACE (self)->get_chain_head (self, project_id, position, hash, error);
}

gboolean
syn_store_get_chain_mark (SynStore *self, const char *project_id, gint64 *position, char **hash, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);
  g_return_val_if_fail (project_id != NULL && position != NULL && hash != NULL, FALSE);

  return SYN_STORE_GET_IFACE (self)->get_chain_mark (self, project_id, position, hash, error);
}

gboolean
syn_store_set_chain_mark (SynStore *self, const char *project_id, gint64 position, const char *hash, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);
  g_return_val_if_fail (project_id != NULL && hash != NULL, FALSE);

  return SYN_STORE_GET_IFACE (self)->set_chain_mark (self, project_id, position, hash, error);
}

void
syn_state_checkpoint_free (SynStateCheckpoint *checkpoint)
{
  if (checkpoint == NULL)
    return;
  g_free (checkpoint->project_id);
  g_free (checkpoint->head_hash);
  g_free (checkpoint->content_hash);
  g_free (checkpoint->state);
  g_free (checkpoint);
}

gboolean
syn_store_insert_checkpoint (SynStore *self, const SynStateCheckpoint *checkpoint, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);
  g_return_val_if_fail (checkpoint != NULL && checkpoint->project_id != NULL && checkpoint->state != NULL &&
                        checkpoint->head_hash != NULL && checkpoint->content_hash != NULL, FALSE);

  return SYN_STORE_GET_IFACE (self)->insert_checkpoint (self, checkpoint, error);
}

gboolean
syn_store_find_checkpoint (SynStore *self, const char *project_id, gint64 at_most, gboolean with_state,
                           SynStateCheckpoint **out, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);
  g_return_val_if_fail (project_id != NULL && out != NULL, FALSE);

  *out = NULL;
  return SYN_STORE_GET_IFACE (self)->find_checkpoint (self, project_id, at_most, with_state, out, error);
}

GPtrArray *
syn_store_list_checkpoints (SynStore *self, const char *project_id, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  return SYN_STORE_GET_IFACE (self)->list_checkpoints (self, project_id, error);
}

/* ------------------------------------------------------------------------- */
/* Shared by the implementations                                             */

gboolean
_syn_store_fill_chain (SynStore *store, const char * const *project_ids, SynStoreSetHash set_hash, GError **error)
{
  for (guint i = 0; project_ids[i] != NULL; i++)
    {
      const char *project_id = project_ids[i];
      g_autofree char *previous = g_strdup (SYN_EVENT_GENESIS_HASH);
      gint64 after = 0;

      for (;;)
        {
          g_autoptr(GPtrArray) page = syn_store_list_events_after (store, project_id, after, 1000, error);

          if (page == NULL)
            return FALSE;
          if (page->len == 0)
            break;
          for (guint j = 0; j < page->len; j++)
            {
              SynEvent *e = g_ptr_array_index (page, j);

              after = e->position;
              if (e->hash == NULL)
                {
                  e->hash = syn_event_compute_hash (e, previous);
                  if (!set_hash (store, e->position, e->hash, error))
                    return FALSE;
                }
              g_free (previous);
              previous = g_strdup (e->hash);
            }
        }
    }
  return TRUE;
}

static int
compare_migration_names (gconstpointer a, gconstpointer b)
{
  gint64 x = g_ascii_strtoll (*(char **) a, NULL, 10);
  gint64 y = g_ascii_strtoll (*(char **) b, NULL, 10);

  return (x > y) - (x < y);
}

GStrv
_syn_store_list_migrations (const char *resource_dir)
{
  GStrv names = g_resources_enumerate_children (resource_dir, 0, NULL);

  if (names == NULL)
    return g_new0 (char *, 1);
  qsort (names, g_strv_length (names), sizeof (char *), compare_migration_names);
  return names;
}

int
_syn_store_latest_migration (const char *resource_dir)
{
  g_auto(GStrv) names = g_resources_enumerate_children (resource_dir, 0, NULL);
  int latest = 0;

  for (guint i = 0; names && names[i]; i++)
    latest = MAX (latest, (int) g_ascii_strtoll (names[i], NULL, 10));
  return latest;
}

char *
_syn_store_load_migration (const char *resource_dir, const char *name, GError **error)
{
  g_autofree char *resource_path = g_strconcat (resource_dir, name, NULL);
  g_autoptr(GBytes) bytes = NULL;

  bytes = g_resources_lookup_data (resource_path, 0, error);
  if (bytes == NULL)
    return NULL;
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

GHashTable *
_syn_store_later_batches_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

void
_syn_store_later_batch_seen (GHashTable *newest, const char *correlation_id, gint64 position)
{
  gint64 *known = g_hash_table_lookup (newest, correlation_id);

  if (known == NULL)
    g_hash_table_insert (newest, g_strdup (correlation_id), g_memdup2 (&position, sizeof position));
  else
    *known = MAX (*known, position);
}

typedef struct
{
  const char *correlation_id;
  gint64      position;
} LaterBatch;

static int
compare_later_batches (gconstpointer a, gconstpointer b)
{
  const LaterBatch *x = a, *y = b;

  return (x->position < y->position) - (x->position > y->position);
}

GPtrArray *
_syn_store_later_batches_sorted (GHashTable *newest)
{
  g_autoptr(GArray) sorted = g_array_sized_new (FALSE, FALSE, sizeof (LaterBatch), g_hash_table_size (newest));
  GPtrArray *result;
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, newest);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      LaterBatch batch = { key, *(gint64 *) value };

      g_array_append_val (sorted, batch);
    }
  g_array_sort (sorted, compare_later_batches);
  result = g_ptr_array_new_full (sorted->len, g_free);
  for (guint i = 0; i < sorted->len; i++)
    g_ptr_array_add (result, g_strdup (g_array_index (sorted, LaterBatch, i).correlation_id));
  return result;
}

static void
rolled_back_range_clear (gpointer data)
{
  g_free (((SynRolledBackRange *) data)->correlation_id);
}

GArray *
_syn_store_rolled_back_ranges_new (void)
{
  GArray *ranges = g_array_new (FALSE, FALSE, sizeof (SynRolledBackRange));

  g_array_set_clear_func (ranges, rolled_back_range_clear);
  return ranges;
}

GArray *
_syn_store_rolled_back_in (GPtrArray *events)
{
  GArray *found = NULL;

  for (guint i = 0; i < events->len; i++)
    {
      SynEvent *e = g_ptr_array_index (events, i);
      SynRolledBackBatch b = { e->project_id, NULL, NULL, 0 };
      gboolean known = FALSE;

      /* a BATCH_ROLLED_BACK names its batch as the aggregate; any other is
       * not a rollback's (a hand-made log may hold such events) */
      if (g_strcmp0 (e->event_type, SYN_EVENT_BATCH_ROLLED_BACK) == 0 &&
          g_strcmp0 (e->aggregate_type, SYN_AGGREGATE_BATCH) == 0 && syn_uuid_is_valid (e->aggregate_id))
        {
          b.correlation_id = e->aggregate_id;
          b.rollback_correlation_id = e->correlation_id;
          b.when = e->timestamp;
        }
      else if (e->is_rolled_back && e->correlation_id != NULL)
        {
          b.correlation_id = e->correlation_id;
          b.when = e->timestamp;
        }
      else
        continue;
      if (found == NULL)
        found = g_array_new (FALSE, FALSE, sizeof (SynRolledBackBatch));
      /* one per batch; a BATCH_ROLLED_BACK names who rolled it back */
      for (guint j = 0; j < found->len && !known; j++)
        {
          SynRolledBackBatch *seen = &g_array_index (found, SynRolledBackBatch, j);

          if (g_strcmp0 (seen->correlation_id, b.correlation_id) != 0)
            continue;
          known = TRUE;
          if (seen->rollback_correlation_id == NULL && b.rollback_correlation_id != NULL)
            *seen = b;
        }
      if (!known)
        g_array_append_val (found, b);
    }
  return found;
}

/* 32 hex digits (or '?' for unknown ones) as a UUID is written: 8-4-4-4-12. */
static void
dashed (const char *digits32, char out[37])
{
  guint o = 0;

  for (guint i = 0; i < 32; i++)
    {
      if (i == 8 || i == 12 || i == 16 || i == 20)
        out[o++] = '-';
      out[o++] = digits32[i];
    }
  out[o] = '\0';
}

void
_syn_store_batch_pattern (const char *digits, SynBatchPattern *out)
{
  gsize n = strlen (digits);
  char low[33], high[33], tail[33];
  char tail_dashed[37];
  const char *start;

  for (gsize i = 0; i < 32; i++)
    {
      low[i] = i < n ? digits[i] : '0';
      high[i] = i < n ? digits[i] : 'f';
      tail[i] = i < 32 - n ? '?' : digits[i - (32 - n)];
    }
  low[32] = high[32] = tail[32] = '\0';
  dashed (low, out->low);
  dashed (high, out->high);
  dashed (tail, tail_dashed);
  /* from the first known digit: a dash before it belongs to no digit */
  for (start = tail_dashed; *start == '?' || *start == '-'; start++)
    ;
  g_strlcpy (out->suffix, start, sizeof out->suffix);
}

static int
compare_positions (gconstpointer a, gconstpointer b)
{
  const SynEvent *x = *(SynEvent **) a, *y = *(SynEvent **) b;

  return (x->position > y->position) - (x->position < y->position);
}

GPtrArray *
_syn_store_batches_merge (GPtrArray *by_prefix, GPtrArray *by_suffix)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *merged = g_ptr_array_new_with_free_func (g_object_unref);
  GPtrArray *halves[] = { by_prefix, by_suffix };

  for (guint h = 0; h < G_N_ELEMENTS (halves); h++)
    for (guint i = 0; i < halves[h]->len; i++)
      {
        SynEvent *e = g_ptr_array_index (halves[h], i);

        if (g_hash_table_add (seen, e->correlation_id))
          g_ptr_array_add (merged, g_object_ref (e));
      }
  g_ptr_array_sort (merged, compare_positions);
  return merged;
}

gboolean
syn_store_read_schema_version (SynStore *self, int *applied, int *shipped, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);

  return SYN_STORE_GET_IFACE (self)->read_schema_version (self, applied, shipped, error);
}

gboolean
syn_store_set_user_role (SynStore *self, const char *user_id, const char *role, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);

  return SYN_STORE_GET_IFACE (self)->set_user_role (self, user_id, role, error);
}

gboolean
syn_store_set_user_disabled (SynStore *self, const char *user_id, gint64 disabled_at, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);

  return SYN_STORE_GET_IFACE (self)->set_user_disabled (self, user_id, disabled_at, error);
}

gboolean
syn_store_get_user_disabled (SynStore *self, const char *user_id, gint64 *disabled_at, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);

  return SYN_STORE_GET_IFACE (self)->get_user_disabled (self, user_id, disabled_at, error);
}

gboolean
syn_store_delete_user (SynStore *self, const char *user_id, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);

  return SYN_STORE_GET_IFACE (self)->delete_user (self, user_id, error);
}

gboolean
syn_store_remove_project_member (SynStore *self, const char *project_id, const char *user_id, gboolean *removed, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);

  return SYN_STORE_GET_IFACE (self)->remove_project_member (self, project_id, user_id, removed, error);
}

gboolean
syn_store_update_project (SynStore *self, SynProject *project, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);

  return SYN_STORE_GET_IFACE (self)->update_project (self, project, error);
}

gboolean
syn_store_set_project_archived (SynStore *self, const char *project_id, gint64 archived_at, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);

  return SYN_STORE_GET_IFACE (self)->set_project_archived (self, project_id, archived_at, error);
}

gboolean
syn_store_get_project_archived (SynStore *self, const char *project_id, gint64 *archived_at, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);

  return SYN_STORE_GET_IFACE (self)->get_project_archived (self, project_id, archived_at, error);
}

/* Offline work (issue 18). */

static gboolean
clone_unsupported (SynStore *self, GError **error)
{
  g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID,
               "A clone is a SQLite database: %s keeps no clone", syn_store_get_backend_name (self));
  return FALSE;
}

gboolean
syn_store_get_clone (SynStore *self, const char *project_id, JsonObject **out, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);
  g_return_val_if_fail (project_id != NULL && out != NULL, FALSE);

  *out = NULL;
  if (SYN_STORE_GET_IFACE (self)->get_clone == NULL)
    return TRUE;   /* a database with no clones: none of its projects is one */
  return SYN_STORE_GET_IFACE (self)->get_clone (self, project_id, out, error);
}

gboolean
syn_store_rewind_clone (SynStore *self, const char *project_id, gint64 local_base, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);
  g_return_val_if_fail (project_id != NULL, FALSE);

  if (SYN_STORE_GET_IFACE (self)->rewind_clone == NULL)
    {
      g_set_error_literal (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID, "Only a clone (SQLite) is rewound");
      return FALSE;
    }
  return SYN_STORE_GET_IFACE (self)->rewind_clone (self, project_id, local_base, error);
}

gboolean
syn_store_put_clone (SynStore *self, const char *project_id, JsonObject *clone, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);
  g_return_val_if_fail (project_id != NULL && clone != NULL, FALSE);

  if (SYN_STORE_GET_IFACE (self)->put_clone == NULL)
    return clone_unsupported (self, error);
  return SYN_STORE_GET_IFACE (self)->put_clone (self, project_id, clone, error);
}

gboolean
syn_store_add_sync_op (SynStore *self, const char *project_id, JsonObject *op, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);
  g_return_val_if_fail (project_id != NULL && op != NULL, FALSE);

  if (SYN_STORE_GET_IFACE (self)->add_sync_op == NULL)
    return clone_unsupported (self, error);
  return SYN_STORE_GET_IFACE (self)->add_sync_op (self, project_id, op, error);
}

GPtrArray *
syn_store_list_sync_ops (SynStore *self, const char *project_id, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  if (SYN_STORE_GET_IFACE (self)->list_sync_ops == NULL)
    {
      clone_unsupported (self, error);
      return NULL;
    }
  return SYN_STORE_GET_IFACE (self)->list_sync_ops (self, project_id, error);
}

gboolean
syn_store_set_sync_op (SynStore *self, gint64 id, const char *status, JsonObject *conflict,
                       const char *server_correlation_id, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);
  g_return_val_if_fail (status != NULL, FALSE);

  if (SYN_STORE_GET_IFACE (self)->set_sync_op == NULL)
    return clone_unsupported (self, error);
  return SYN_STORE_GET_IFACE (self)->set_sync_op (self, id, status, conflict, server_correlation_id, error);
}

gboolean
syn_store_find_push_key (SynStore *self, const char *key, char **correlation_id, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL && correlation_id != NULL, FALSE);

  *correlation_id = NULL;
  return SYN_STORE_GET_IFACE (self)->find_push_key (self, key, correlation_id, error);
}

gboolean
syn_store_insert_push_key (SynStore *self, const char *key, const char *project_id, const char *correlation_id,
                           GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL && project_id != NULL && correlation_id != NULL, FALSE);

  return SYN_STORE_GET_IFACE (self)->insert_push_key (self, key, project_id, correlation_id, error);
}
