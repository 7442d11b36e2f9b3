/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-event-store.c: the specification's EventStore and SnapshotService tests, and beyond. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "engine/syn-batch.h"
#include "engine/syn-batch-id.h"
#include "engine/syn-engine-error.h"
#include "engine/syn-event-store.h"
#include "engine/syn-snapshot-service.h"
#include "syn-test-fixture.h"

static SynEvent *
emit_simple (SynEventStore *es, const char *type, const char *agg_type, const char *agg_id,
             const char *discipline)
{
  g_autoptr(GError) error = NULL;
  SynEvent *event = syn_event_store_emit (es, type, agg_type, agg_id, NULL, NULL, discipline,
                                         NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (event);
  return event;
}

static void
commit (SynEventStore *es)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (syn_event_store_commit_batch (es, &error));
  g_assert_no_error (error);
}

static GPtrArray *
query (SynTestFixture *f, SynEventQuery *q, guint64 *total)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *events = syn_store_query_events (f->store, q, total, &error);

  g_assert_no_error (error);
  g_assert_nonnull (events);
  return events;
}

/* --- Ported from the specification's test_event_store.py ----------------- */

static void
test_emit_creates_event (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynEventStore) es = syn_event_store_new (f->store, f->project->id, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autoptr(SynEvent) event = NULL;
  g_autoptr(SynEvent) stored = NULL;

  json_object_set_string_member (payload, "tag", "P-101");
  json_object_set_string_member (payload, "type", "PUMP");
  g_assert_nonnull (syn_event_store_start_batch (es, &error));
  event = syn_event_store_emit (es, SYN_EVENT_ASSET_CREATED, SYN_AGGREGATE_ASSET, "asset-123",
                                syn_json_node_new_object (json_object_ref (payload)), NULL,
                                "ELECTRICAL", NULL, NULL, &error);
  g_assert_no_error (error);
  commit (es);

  g_assert_nonnull (event->id);
  g_assert_true (syn_uuid_is_valid (event->id));
  g_assert_cmpstr (event->event_type, ==, "ASSET_CREATED");
  g_assert_cmpstr (event->aggregate_id, ==, "asset-123");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (event->payload), "tag"), ==, "P-101");

  stored = syn_store_get_event (f->store, event->id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);
  g_assert_cmpstr (stored->event_type, ==, "ASSET_CREATED");
  g_assert_cmpstr (stored->aggregate_type, ==, "ASSET");
  g_assert_cmpstr (stored->discipline, ==, "ELECTRICAL");
  g_assert_cmpstr (stored->project_id, ==, f->project->id);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (stored->payload), "tag"), ==, "P-101");
  g_assert_cmpint (stored->position, ==, event->position);
  g_assert_cmpint (stored->position, >, 0);
  g_assert_false (stored->is_rolled_back);
}

static void
test_batch_correlation (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynEventStore) es = syn_event_store_new (f->store, f->project->id, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *correlation_id = g_strdup (syn_event_store_start_batch (es, &error));
  g_autoptr(SynEvent) e1 = emit_simple (es, SYN_EVENT_ASSET_CREATED, SYN_AGGREGATE_ASSET, "asset-1", NULL);
  g_autoptr(SynEvent) e2 = emit_simple (es, SYN_EVENT_ASSET_CREATED, SYN_AGGREGATE_ASSET, "asset-2", NULL);

  commit (es);
  g_assert_true (syn_uuid_is_valid (correlation_id));
  g_assert_cmpstr (e1->correlation_id, ==, correlation_id);
  g_assert_cmpstr (e2->correlation_id, ==, correlation_id);
  g_assert_cmpint (e1->sequence_num, ==, 0);
  g_assert_cmpint (e2->sequence_num, ==, 1);
  g_assert_cmpint (e1->position, <, e2->position);
}

static void
test_query_by_filters (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynEventStore) es = syn_event_store_new (f->store, f->project->id, NULL);
  g_autoptr(SynEventQuery) q = syn_event_query_new (NULL);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  guint64 total = 0;

  syn_event_store_start_batch (es, &error);
  g_object_unref (emit_simple (es, SYN_EVENT_ASSET_CREATED, SYN_AGGREGATE_ASSET, "asset-1", "ELECTRICAL"));
  g_object_unref (emit_simple (es, SYN_EVENT_CABLE_CREATED, SYN_AGGREGATE_CABLE, "cable-1", "ELECTRICAL"));
  g_object_unref (emit_simple (es, SYN_EVENT_ASSET_CREATED, SYN_AGGREGATE_ASSET, "asset-2", "AUTOMATION"));
  commit (es);

  q->discipline = g_strdup ("ELECTRICAL");
  events = syn_event_store_query (es, q, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 2);
  g_assert_cmpuint (events->len, ==, 2);
  g_clear_pointer (&events, g_ptr_array_unref);

  g_clear_pointer (&q->discipline, g_free);
  q->event_types = g_strsplit ("ASSET_CREATED", ",", -1);
  events = syn_event_store_query (es, q, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 2);
}

static void
test_get_asset_history (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynEventStore) es = syn_event_store_new (f->store, f->project->id, NULL);
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *payload;

  syn_event_store_start_batch (es, &error);
  payload = json_object_new ();
  json_object_set_string_member (payload, "tag", "P-101");
  g_object_unref (syn_event_store_emit (es, SYN_EVENT_ASSET_CREATED, SYN_AGGREGATE_ASSET, "asset-test",
                                        syn_json_node_new_object (payload), NULL, NULL, NULL, NULL, &error));
  commit (es);

  syn_event_store_start_batch (es, &error);
  payload = json_object_new ();
  json_object_set_object_member (payload, "before", json_object_new ());
  json_object_set_null_member (json_object_get_object_member (payload, "before"), "hp");
  json_object_set_object_member (payload, "after", json_object_new ());
  json_object_set_int_member (json_object_get_object_member (payload, "after"), "hp", 50);
  g_object_unref (syn_event_store_emit (es, SYN_EVENT_ASSET_UPDATED, SYN_AGGREGATE_ASSET, "asset-test",
                                        syn_json_node_new_object (payload), NULL, NULL, NULL, NULL, &error));
  commit (es);

  history = syn_event_store_get_asset_history (es, "asset-test", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 2);
  g_assert_cmpstr (((SynEvent *) history->pdata[0])->event_type, ==, "ASSET_CREATED");
  g_assert_cmpstr (((SynEvent *) history->pdata[1])->event_type, ==, "ASSET_UPDATED");
}

static JsonNode *
entities_with_tag (const char *tag)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "assets");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, "1");
  json_builder_set_member_name (b, "tag");
  json_builder_add_string_value (b, tag);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "cables");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "edges");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
test_create_and_retrieve_snapshot (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynSnapshotService) service = syn_snapshot_service_new (f->store, f->project->id);
  g_autofree char *correlation_id = syn_uuid_new ();
  g_autoptr(SynSnapshot) created = NULL;
  g_autoptr(SynSnapshot) retrieved = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *assets;

  created = syn_snapshot_service_create_snapshot (service, correlation_id, entities_with_tag ("P-101"), &error);
  g_assert_no_error (error);
  g_assert_nonnull (created);

  retrieved = syn_snapshot_service_get_by_correlation (service, correlation_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (retrieved);
  assets = json_object_get_array_member (json_node_get_object (retrieved->snapshot_data), "assets");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (assets, 0), "tag"), ==, "P-101");
  g_assert_cmpstr (retrieved->status, ==, "ACTIVE");
  g_assert_cmpint (retrieved->executed_at, >, 0);
}

static void
test_mark_rolled_back (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynSnapshotService) service = syn_snapshot_service_new (f->store, f->project->id);
  g_autofree char *correlation_id = syn_uuid_new ();
  g_autoptr(SynSnapshot) snapshot = NULL;
  g_autoptr(SynSnapshot) marked = NULL;
  g_autoptr(SynUser) user = syn_user_new ();
  g_autoptr(GError) error = NULL;

  user->id = g_strdup ("user-123");
  user->username = g_strdup ("ada");
  user->role = g_strdup ("engineer");
  g_assert_true (syn_store_insert_user (f->store, user, &error));

  g_object_unref (syn_snapshot_service_create_snapshot (service, correlation_id,
                                                        syn_json_node_new_object (json_object_new ()), &error));
  g_assert_no_error (error);
  marked = syn_snapshot_service_mark_rolled_back (service, correlation_id, "user-123", &error);
  g_assert_no_error (error);
  g_assert_nonnull (marked);

  snapshot = syn_snapshot_service_get_by_correlation (service, correlation_id, &error);
  g_assert_cmpstr (snapshot->status, ==, "ROLLED_BACK");
  g_assert_cmpstr (snapshot->rolled_back_by, ==, "user-123");
  g_assert_cmpint (snapshot->rolled_back_at, >=, snapshot->executed_at);
}

/* --- Beyond the specification --------------------------------------------- */

static void
test_snapshot_count_and_list_active (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynSnapshotService) service = syn_snapshot_service_new (f->store, f->project->id);
  g_autoptr(GPtrArray) active = NULL;
  g_autoptr(GError) error = NULL;
  char *ids[3];

  for (guint i = 0; i < 3; i++)
    {
      ids[i] = syn_uuid_new ();
      g_object_unref (syn_snapshot_service_create_snapshot (service, ids[i], NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_true (syn_snapshot_service_update_event_count (service, ids[0], 42, &error));
  g_assert_no_error (error);
  g_object_unref (syn_snapshot_service_mark_rolled_back (service, ids[1], NULL, &error));
  g_assert_no_error (error);

  active = syn_snapshot_service_list_active (service, 50, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (active->len, ==, 2);
  /* newest first */
  g_assert_cmpstr (((SynSnapshot *) active->pdata[0])->correlation_id, ==, ids[2]);
  g_assert_cmpstr (((SynSnapshot *) active->pdata[1])->correlation_id, ==, ids[0]);
  g_assert_cmpint (((SynSnapshot *) active->pdata[1])->events_count, ==, 42);

  /* a rolled-back snapshot is final: no second move, no count change */
  g_assert_null (syn_snapshot_service_mark_rolled_back (service, ids[1], NULL, &error));
  g_assert_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_false (syn_snapshot_service_update_event_count (service, ids[1], 7, &error));
  g_assert_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  /* a second snapshot for one batch is refused */
  g_assert_null (syn_snapshot_service_create_snapshot (service, ids[0], NULL, &error));
  g_assert_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_CONSTRAINT);
  for (guint i = 0; i < 3; i++)
    g_free (ids[i]);
}

/* A fixed mix: 3 batches of 10 events over two disciplines and event types. */
static void
populate_mix (SynTestFixture *f, char **correlations)
{
  g_autoptr(SynEventStore) es = syn_event_store_new (f->store, f->project->id, NULL);
  g_autoptr(GError) error = NULL;
  static const char *types[] = { SYN_EVENT_ASSET_CREATED, SYN_EVENT_CABLE_CREATED, SYN_EVENT_RULE_EXECUTED };
  static const char *aggs[] = { SYN_AGGREGATE_ASSET, SYN_AGGREGATE_CABLE, SYN_AGGREGATE_RULE };

  for (guint b = 0; b < 3; b++)
    {
      correlations[b] = g_strdup (syn_event_store_start_batch (es, &error));
      for (guint i = 0; i < 10; i++)
        {
          g_autofree char *agg_id = g_strdup_printf ("agg-%u", i % 4);
          g_autoptr(SynEvent) e = syn_event_store_emit (es, types[i % 3], aggs[i % 3], agg_id, NULL,
                                                        i % 2 ? "rule-odd" : "rule-even",
                                                        i % 2 ? "ELECTRICAL" : "AUTOMATION",
                                                        NULL, NULL, &error);
          g_assert_no_error (error);
        }
      commit (es);
    }
}

static guint64
count_for (SynTestFixture *f, SynEventQuery *q)
{
  g_autoptr(GPtrArray) events = NULL;
  guint64 total = 0;

  q->limit = SYN_EVENT_QUERY_MAX_LIMIT;
  events = query (f, q, &total);
  g_assert_cmpuint (events->len, ==, MIN (total, q->limit));
  return total;
}

static void
test_every_filter (SynTestFixture *f, gconstpointer data)
{
  char *corr[3];
  g_autoptr(SynEventQuery) q = NULL;

  populate_mix (f, corr);

  q = syn_event_query_new (f->project->id);
  g_assert_cmpuint (count_for (f, q), ==, 30);

  q->discipline = g_strdup ("ELECTRICAL");
  g_assert_cmpuint (count_for (f, q), ==, 15);
  g_clear_pointer (&q->discipline, g_free);

  q->event_types = g_strsplit ("ASSET_CREATED,CABLE_CREATED", ",", -1);
  g_assert_cmpuint (count_for (f, q), ==, 21);   /* i%3 in {0,1}: 7 per batch */
  g_clear_pointer (&q->event_types, g_strfreev);

  /* two types and a discipline: i%3 in {0,1} and i odd -> i in {1,3,7,9} */
  q->discipline = g_strdup ("ELECTRICAL");
  q->event_types = g_strsplit ("ASSET_CREATED,CABLE_CREATED", ",", -1);
  g_assert_cmpuint (count_for (f, q), ==, 12);
  g_clear_pointer (&q->discipline, g_free);
  g_clear_pointer (&q->event_types, g_strfreev);

  q->aggregate_types = g_strsplit ("RULE", ",", -1);
  g_assert_cmpuint (count_for (f, q), ==, 9);
  g_clear_pointer (&q->aggregate_types, g_strfreev);

  q->aggregate_id = g_strdup ("agg-0");           /* i in {0,4,8} */
  g_assert_cmpuint (count_for (f, q), ==, 9);
  g_clear_pointer (&q->aggregate_id, g_free);

  q->rule_id = g_strdup ("rule-odd");
  g_assert_cmpuint (count_for (f, q), ==, 15);
  g_clear_pointer (&q->rule_id, g_free);

  q->correlation_id = g_strdup (corr[1]);
  g_assert_cmpuint (count_for (f, q), ==, 10);

  /* combined: batch 1, ELECTRICAL, ASSET_CREATED: i odd and i%3==0 -> i in {3,9} */
  q->discipline = g_strdup ("ELECTRICAL");
  q->event_types = g_strsplit ("ASSET_CREATED", ",", -1);
  g_assert_cmpuint (count_for (f, q), ==, 2);
  q->aggregate_types = g_strsplit ("ASSET", ",", -1);
  q->rule_id = g_strdup ("rule-odd");
  q->aggregate_id = g_strdup ("agg-1");           /* i = 9 */
  g_assert_cmpuint (count_for (f, q), ==, 1);

  for (guint i = 0; i < 3; i++)
    g_free (corr[i]);
}

static void
test_newest_first_and_paging (SynTestFixture *f, gconstpointer data)
{
  char *corr[3];
  g_autoptr(SynEventQuery) q = NULL;
  g_autoptr(GPtrArray) all = NULL;
  guint64 total = 0;
  g_autoptr(GError) error = NULL;

  populate_mix (f, corr);
  q = syn_event_query_new (f->project->id);
  q->limit = 500;
  all = query (f, q, &total);
  g_assert_cmpuint (all->len, ==, 30);
  for (guint i = 1; i < all->len; i++)
    g_assert_cmpint (((SynEvent *) all->pdata[i - 1])->position, >, ((SynEvent *) all->pdata[i])->position);
  /* the newest event is the last of the last batch */
  g_assert_cmpstr (((SynEvent *) all->pdata[0])->correlation_id, ==, corr[2]);
  g_assert_cmpint (((SynEvent *) all->pdata[0])->sequence_num, ==, 9);

  /* limit 1: each page is the next event */
  q->limit = 1;
  for (guint page = 0; page < 30; page++)
    {
      g_autoptr(GPtrArray) one = NULL;

      q->offset = page;
      one = query (f, q, &total);
      g_assert_cmpuint (total, ==, 30);
      g_assert_cmpuint (one->len, ==, 1);
      g_assert_cmpstr (((SynEvent *) one->pdata[0])->id, ==, ((SynEvent *) all->pdata[page])->id);
    }

  /* last page is partial, past the last page is empty with the right total */
  q->limit = 7;
  q->offset = 28;
  {
    g_autoptr(GPtrArray) last = query (f, q, &total);
    g_assert_cmpuint (last->len, ==, 2);
    g_assert_cmpuint (total, ==, 30);
  }
  q->offset = 1000;
  {
    g_autoptr(GPtrArray) past = query (f, q, &total);
    g_assert_cmpuint (past->len, ==, 0);
    g_assert_cmpuint (total, ==, 30);
  }

  /* limit above the maximum, and zero, are refused, naming the parameter */
  q->offset = 0;
  q->limit = SYN_EVENT_QUERY_MAX_LIMIT + 1;
  g_assert_null (syn_store_query_events (f->store, q, &total, &error));
  g_assert_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "limit"));
  g_clear_error (&error);
  q->limit = 0;
  g_assert_null (syn_store_query_events (f->store, q, &total, &error));
  g_assert_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* unknown event type and bad correlation id are refused */
  q->limit = 10;
  q->event_types = g_strsplit ("ASSET_EXPLODED", ",", -1);
  g_assert_null (syn_store_query_events (f->store, q, &total, &error));
  g_assert_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "ASSET_EXPLODED"));
  g_clear_error (&error);
  g_clear_pointer (&q->event_types, g_strfreev);
  q->correlation_id = g_strdup ("not-a-uuid");
  g_assert_null (syn_store_query_events (f->store, q, &total, &error));
  g_assert_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID);

  for (guint i = 0; i < 3; i++)
    g_free (corr[i]);
}

/* Keyset pages ("before"/"after" a position) give, page by page, exactly the
 * events of the offset pages, for every filter shape (those read from one
 * index in position order and those sorted), and leave the total alone. */
static void
check_keyset_walk (SynTestFixture *f, SynEventQuery *q)
{
  g_autoptr(GPtrArray) all = NULL;
  guint64 total = 0, page_total = 0;
  guint seen = 0;

  q->limit = SYN_EVENT_QUERY_MAX_LIMIT;
  q->offset = 0;
  q->after_position = q->before_position = 0;
  all = query (f, q, &total);
  g_assert_cmpuint (all->len, ==, total);
  g_assert_cmpuint (total, >, 0);

  /* downwards: each page just older than the last one's oldest */
  q->limit = 4;
  do
    {
      g_autoptr(GPtrArray) page = query (f, q, &page_total);

      g_assert_cmpuint (page_total, ==, total);
      g_assert_cmpuint (page->len, ==, MIN (4, total - seen));
      for (guint i = 0; i < page->len; i++)
        g_assert_cmpint (((SynEvent *) page->pdata[i])->position, ==, ((SynEvent *) all->pdata[seen + i])->position);
      seen += page->len;
      if (page->len > 0)
        q->before_position = ((SynEvent *) page->pdata[page->len - 1])->position;
      if (page->len < 4)
        break;
    }
  while (TRUE);
  g_assert_cmpuint (seen, ==, total);

  /* upwards from the oldest: each page just newer than the last one's
   * newest, itself newest first */
  {
    guint remaining = (guint) total - 1;

    q->before_position = 0;
    q->after_position = ((SynEvent *) all->pdata[total - 1])->position;
    do
      {
        g_autoptr(GPtrArray) page = query (f, q, &page_total);

        g_assert_cmpuint (page_total, ==, total);
        g_assert_cmpuint (page->len, ==, MIN (4, remaining));
        for (guint i = 0; i < page->len; i++)
          g_assert_cmpint (((SynEvent *) page->pdata[i])->position, ==,
                           ((SynEvent *) all->pdata[remaining - page->len + i])->position);
        if (page->len == 0)
          break;
        remaining -= page->len;
        q->after_position = ((SynEvent *) page->pdata[0])->position;
      }
    while (TRUE);
    g_assert_cmpuint (remaining, ==, 0);
  }

  /* both bounds: the events strictly between them */
  if (total >= 3)
    {
      g_autoptr(GPtrArray) between = NULL;

      q->after_position = ((SynEvent *) all->pdata[total - 1])->position;
      q->before_position = ((SynEvent *) all->pdata[0])->position;
      q->limit = SYN_EVENT_QUERY_MAX_LIMIT;
      between = query (f, q, &page_total);
      g_assert_cmpuint (between->len, ==, total - 2);
      g_assert_cmpint (((SynEvent *) between->pdata[0])->position, ==, ((SynEvent *) all->pdata[1])->position);
    }
  q->after_position = q->before_position = 0;
  q->offset = 0;
}

/* The counts by period against the events the same query lists, period by
 * period and key by key. */
static void
check_counts_by_period (SynTestFixture *f, SynEventQuery *q, const gint64 *bounds, guint n_bounds, SynEventSplit split)
{
  g_autoptr(GHashTable) expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) counts = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  guint64 total = 0;

  q->limit = SYN_EVENT_QUERY_MAX_LIMIT;
  all = query (f, q, &total);
  g_assert_cmpuint (all->len, ==, total);
  for (guint i = 0; i < all->len; i++)
    {
      SynEvent *e = all->pdata[i];

      for (guint p = 0; p + 1 < n_bounds; p++)
        if (e->timestamp >= bounds[p] && e->timestamp < bounds[p + 1])
          {
            const char *key = split == SYN_EVENT_SPLIT_TYPE ? e->event_type
                            : split == SYN_EVENT_SPLIT_DISCIPLINE ? (e->discipline ? e->discipline : "") : "";
            char *k = g_strdup_printf ("%u/%s", p, key);
            guint64 *n = g_hash_table_lookup (expected, k);

            if (n == NULL)
              g_hash_table_insert (expected, k, (n = g_new0 (guint64, 1)));
            else
              g_free (k);
            (*n)++;
          }
    }

  counts = syn_store_count_events_by_period (f->store, q, bounds, n_bounds, split, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (counts->len, ==, g_hash_table_size (expected));
  for (guint i = 0; i < counts->len; i++)
    {
      SynPeriodCount *c = counts->pdata[i];
      g_autofree char *k = g_strdup_printf ("%u/%s", c->period, c->key);
      guint64 *n = g_hash_table_lookup (expected, k);

      if (n == NULL)
        g_error ("a count for %s that the timeline does not list", k);
      g_assert_cmpuint (c->count, ==, *n);
    }
}

static void
test_counts_by_period (SynTestFixture *f, gconstpointer data)
{
  char *corr[3];
  g_autoptr(SynEventQuery) q = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) refused = NULL;
  g_autoptr(GError) error = NULL;
  gint64 bounds[4], newest, oldest;
  guint64 total = 0;

  populate_mix (f, corr);
  g_assert_true (syn_store_mark_batch_rolled_back (f->store, f->project->id, corr[1], NULL, syn_time_now_usec (), NULL,
                                                   &error));
  g_assert_no_error (error);
  q = syn_event_query_new (f->project->id);
  q->include_rolled_back = TRUE;
  q->limit = SYN_EVENT_QUERY_MAX_LIMIT;
  all = query (f, q, &total);
  newest = ((SynEvent *) all->pdata[0])->timestamp;
  oldest = ((SynEvent *) all->pdata[all->len - 1])->timestamp;
  /* an empty period first, the newest event on the last one's edge (out) */
  bounds[0] = oldest - G_USEC_PER_SEC;
  bounds[1] = oldest;
  bounds[2] = ((SynEvent *) all->pdata[all->len / 2])->timestamp;
  bounds[3] = newest;
  if (bounds[2] <= bounds[1])
    bounds[2] = bounds[1] + 1;
  if (bounds[3] <= bounds[2])
    bounds[3] = bounds[2] + 1;

  for (SynEventSplit split = SYN_EVENT_SPLIT_NONE; split <= SYN_EVENT_SPLIT_DISCIPLINE; split++)
    {
      q->include_rolled_back = TRUE;
      check_counts_by_period (f, q, bounds, 4, split);
      q->include_rolled_back = FALSE;
      check_counts_by_period (f, q, bounds, 4, split);
      q->event_types = g_strsplit ("ASSET_CREATED,RULE_EXECUTED", ",", -1);
      check_counts_by_period (f, q, bounds, 4, split);
      q->discipline = g_strdup ("ELECTRICAL");
      check_counts_by_period (f, q, bounds, 4, split);
      g_clear_pointer (&q->event_types, g_strfreev);
      g_clear_pointer (&q->discipline, g_free);
      q->aggregate_types = g_strsplit ("ASSET", ",", -1);
      q->aggregate_id = g_strdup ("agg-0");
      check_counts_by_period (f, q, bounds, 4, split);
      g_clear_pointer (&q->aggregate_types, g_strfreev);
      g_clear_pointer (&q->aggregate_id, g_free);
    }
  /* every event in one period: the newest one included */
  bounds[1] = newest + 1;
  check_counts_by_period (f, q, bounds, 2, SYN_EVENT_SPLIT_TYPE);

  /* bounds out of order are refused, naming them */
  bounds[1] = bounds[0];
  refused = syn_store_count_events_by_period (f->store, q, bounds, 2, SYN_EVENT_SPLIT_NONE, &error);
  g_assert_null (refused);
  g_assert_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "increasing"));
  for (guint b = 0; b < 3; b++)
    g_free (corr[b]);
}

/* The answer from the per-minute counts equals the walk of the events
 * (the store's count_events_by_period, as before them), item by item. */
static void
check_counts_equal_walk (SynTestFixture *f, SynEventQuery *q, const gint64 *bounds, guint n_bounds,
                         SynEventSplit split)
{
  g_autoptr(GHashTable) walked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) counts = NULL;
  g_autoptr(GPtrArray) walk = NULL;
  g_autoptr(GError) error = NULL;

  walk = SYN_STORE_GET_IFACE (f->store)->count_events_by_period (f->store, q, bounds, n_bounds, split, &error);
  g_assert_no_error (error);
  counts = syn_store_count_events_by_period (f->store, q, bounds, n_bounds, split, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < walk->len; i++)
    {
      SynPeriodCount *c = walk->pdata[i];

      g_hash_table_insert (walked, g_strdup_printf ("%u/%s", c->period, c->key), c);
    }
  g_assert_cmpuint (counts->len, ==, walk->len);
  for (guint i = 0; i < counts->len; i++)
    {
      SynPeriodCount *c = counts->pdata[i];
      g_autofree char *k = g_strdup_printf ("%u/%s", c->period, c->key);
      SynPeriodCount *w = g_hash_table_lookup (walked, k);

      if (w == NULL)
        g_error ("a count for %s that the walk of the events does not give", k);
      g_assert_cmpuint (c->count, ==, w->count);
    }
}

/* @n batches of @per events of @project_id at random times over 40
 * minutes from @base; their correlation ids in @batches. @copied: as a
 * clone copies a rolled-back batch, its events flagged, in two pages. */
static void
append_spread (SynTestFixture *f, const char *project_id, gint64 base, guint n, guint per, GPtrArray *batches,
               gboolean copied)
{
  static const char *types[] = { SYN_EVENT_ASSET_CREATED, SYN_EVENT_ASSET_UPDATED, SYN_EVENT_CABLE_CREATED,
                                 SYN_EVENT_RULE_EXECUTED };
  static const char *disciplines[] = { "ELECTRICAL", "AUTOMATION", NULL };

  for (guint b = 0; b < n; b++)
    {
      g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GError) error = NULL;
      char *corr = syn_uuid_new ();

      for (guint i = 0; i < per; i++)
        {
          SynEvent *e = syn_event_new ();

          e->event_type = g_strdup (types[g_test_rand_int_range (0, G_N_ELEMENTS (types))]);
          e->aggregate_type = g_strdup (SYN_AGGREGATE_ASSET);
          e->aggregate_id = g_strdup_printf ("agg-%d", g_test_rand_int_range (0, 5));
          e->project_id = g_strdup (project_id);
          e->discipline = g_strdup (disciplines[g_test_rand_int_range (0, G_N_ELEMENTS (disciplines))]);
          e->correlation_id = g_strdup (corr);
          e->sequence_num = i + 1;
          /* some exactly on a minute, the rest anywhere */
          e->timestamp = base + (gint64) g_test_rand_int_range (0, 40) * 60 * G_USEC_PER_SEC +
                         (g_test_rand_bit () ? 0 : g_test_rand_int_range (0, 60 * G_USEC_PER_SEC));
          e->is_rolled_back = copied;
          g_ptr_array_add (events, e);
          if (copied && i == per / 2)
            {
              g_assert_true (syn_store_append_events (f->store, events, &error));
              g_assert_no_error (error);
              g_ptr_array_set_size (events, 0);
            }
        }
      g_assert_true (syn_store_append_events (f->store, events, &error));
      g_assert_no_error (error);
      g_ptr_array_add (batches, corr);
    }
}

/* The chart's counts kept per minute answer as the events do: random
 * projects with rolled-back batches, bounds on minutes, off them and mixed,
 * every split and filter, against the walk of the events and against the
 * events the timeline lists. */
static void
test_counts_by_minutes (SynTestFixture *f, gconstpointer data)
{
  const gint64 minute = 60 * G_USEC_PER_SEC;
  const gint64 base = G_GINT64_CONSTANT (1767225600) * G_USEC_PER_SEC;   /* 2026-01-01T00:00:00Z */
  g_autoptr(GPtrArray) batches = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) others = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SynProject) other = syn_project_new ();
  g_autoptr(SynEventQuery) q = syn_event_query_new (f->project->id);
  g_autoptr(GError) error = NULL;
  gint64 bounds[3][11];

  other->name = g_strdup ("other");
  g_assert_true (syn_store_insert_project (f->store, other, &error));
  g_assert_no_error (error);
  append_spread (f, f->project->id, base, 8, 25, batches, FALSE);
  append_spread (f, other->id, base, 4, 25, others, FALSE);
  /* a rolled-back batch copied as a clone copies it: counted once */
  append_spread (f, f->project->id, base, 1, 25, batches, TRUE);
  /* two batches rolled back, one of the other project's */
  for (guint b = 0; b < 3; b++)
    {
      const char *project_id = b < 2 ? f->project->id : other->id;
      const char *corr = b < 2 ? batches->pdata[b * 3 + 1] : others->pdata[0];

      gboolean ok = syn_store_mark_batch_rolled_back (f->store, project_id, corr, NULL, base + 50 * minute, NULL,
                                                      &error);

      g_assert_no_error (error);
      g_assert_true (ok);
    }

  for (guint i = 0; i < 11; i++)
    {
      bounds[0][i] = base - 5 * minute + (gint64) i * 5 * minute;               /* on minutes */
      bounds[1][i] = base - 17 * G_USEC_PER_SEC + (gint64) i * 4 * minute;       /* off them */
      bounds[2][i] = base + (gint64) i * 3 * minute + (i % 2 ? 123456 : 0);      /* both */
    }
  for (guint b = 0; b < 3; b++)
    for (SynEventSplit split = SYN_EVENT_SPLIT_NONE; split <= SYN_EVENT_SPLIT_DISCIPLINE; split++)
      for (guint filter = 0; filter < 7; filter++)
        {
          q->include_rolled_back = filter == 1;
          q->event_types = filter == 2 ? g_strsplit ("ASSET_UPDATED,RULE_EXECUTED", ",", -1) : NULL;
          q->discipline = filter == 3 || filter == 2 ? g_strdup ("ELECTRICAL") : NULL;
          q->has_from_date = q->has_to_date = filter == 4 || filter == 5;
          q->from_date = base + 7 * minute + (filter == 5 ? 999 : 0);
          q->to_date = base + 31 * minute - (filter == 5 ? 1 : 12345);
          q->aggregate_id = filter == 6 ? g_strdup ("agg-1") : NULL;
          check_counts_equal_walk (f, q, bounds[b], 11, split);
          check_counts_by_period (f, q, bounds[b], 11, split);
          g_clear_pointer (&q->event_types, g_strfreev);
          g_clear_pointer (&q->discipline, g_free);
          g_clear_pointer (&q->aggregate_id, g_free);
        }

  /* and the whole minutes do come from the counts, not from the events */
  g_assert_true (syn_test_exec_raw (f, "UPDATE event_minute_counts SET n = n + 1000", NULL));
  {
    g_autoptr(GPtrArray) counts = syn_store_count_events_by_period (f->store, q, bounds[0], 11,
                                                                   SYN_EVENT_SPLIT_NONE, &error);
    guint64 sum = 0;

    g_assert_no_error (error);
    for (guint i = 0; i < counts->len; i++)
      sum += ((SynPeriodCount *) counts->pdata[i])->count;
    g_assert_cmpuint (sum, >, 1000);
  }
}

static void
test_keyset_pages (SynTestFixture *f, gconstpointer data)
{
  char *corr[3];
  g_autoptr(SynEventQuery) q = NULL;
  g_autoptr(GError) error = NULL;
  guint64 total = 0;

  populate_mix (f, corr);
  /* one batch rolled back: filters with and without rolled-back events */
  g_assert_true (syn_store_mark_batch_rolled_back (f->store, f->project->id, corr[1], NULL, syn_time_now_usec (), NULL,
                                                   &error));
  g_assert_no_error (error);

  q = syn_event_query_new (f->project->id);
  check_keyset_walk (f, q);
  q->include_rolled_back = TRUE;
  check_keyset_walk (f, q);
  q->include_rolled_back = FALSE;

  q->event_types = g_strsplit ("ASSET_CREATED", ",", -1);
  check_keyset_walk (f, q);
  q->discipline = g_strdup ("ELECTRICAL");
  check_keyset_walk (f, q);
  g_clear_pointer (&q->event_types, g_strfreev);
  check_keyset_walk (f, q);                        /* discipline alone: sorted */
  q->event_types = g_strsplit ("ASSET_CREATED,CABLE_CREATED", ",", -1);
  check_keyset_walk (f, q);
  g_clear_pointer (&q->discipline, g_free);
  check_keyset_walk (f, q);                        /* two types: merged */
  g_clear_pointer (&q->event_types, g_strfreev);

  q->aggregate_types = g_strsplit ("ASSET", ",", -1);
  q->aggregate_id = g_strdup ("agg-0");
  check_keyset_walk (f, q);
  g_clear_pointer (&q->aggregate_types, g_strfreev);
  g_clear_pointer (&q->aggregate_id, g_free);

  q->rule_id = g_strdup ("rule-odd");
  check_keyset_walk (f, q);
  g_clear_pointer (&q->rule_id, g_free);

  /* a negative position is refused, naming the parameter */
  q->before_position = -1;
  g_assert_null (syn_store_query_events (f->store, q, &total, &error));
  g_assert_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "before"));

  for (guint i = 0; i < 3; i++)
    g_free (corr[i]);
}

/* A big batch leaves no WAL behind it: after the commit the file is cut to
 * nothing when no reader is on it (it used to stay as large as the batch,
 * 1 GB after 100,000 pumps, for as long as a server ran). SQLite only. */
static void
test_big_batch_truncates_wal (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynEventStore) es = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *filler = g_strnfill (20000, 'x');
  GStatBuf st;

  if (f->backend != SYN_TEST_BACKEND_SQLITE)
    {
      g_test_skip ("a SQLite file's WAL");
      return;
    }
  es = syn_event_store_new (f->store, f->project->id, NULL);
  syn_event_store_start_batch (es, &error);
  g_assert_no_error (error);
  /* some 10 MB of payloads: past the 8 MB after which the WAL is cut */
  for (guint i = 0; i < 500; i++)
    {
      JsonObject *payload = json_object_new ();
      g_autofree char *agg_id = g_strdup_printf ("asset-%u", i);
      g_autoptr(SynEvent) e = NULL;

      json_object_set_string_member (payload, "filler", filler);
      e = syn_event_store_emit (es, SYN_EVENT_ASSET_CREATED, SYN_AGGREGATE_ASSET, agg_id,
                                syn_json_node_new_object (payload), NULL, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
    }
  commit (es);

  wal = g_strconcat (f->uri, "-wal", NULL);
  g_assert_cmpint (g_stat (wal, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, 0);
  /* and the events are all there */
  g_assert_cmpint (syn_test_query_int (f, "SELECT count(*) FROM workflow_events"), ==, 500);
}

/* Totals are shared by the connections of a process, under the project's
 * newest position: a write through any connection is seen by every other,
 * and a new connection finds what another counted. SQLite only. */
static void
test_totals_shared_between_connections (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynStore) other = NULL;
  g_autoptr(SynStore) third = NULL;
  g_autoptr(SynEventStore) es = NULL;
  g_autoptr(SynEventQuery) q = syn_event_query_new (f->project->id);
  g_autoptr(GError) error = NULL;
  char *corr[3];
  guint64 total = 0;

  if (f->backend != SYN_TEST_BACKEND_SQLITE)
    {
      g_test_skip ("SQLite's connections");
      return;
    }
  populate_mix (f, corr);
  g_ptr_array_unref (query (f, q, &total));
  g_assert_cmpuint (total, ==, 30);

  other = syn_store_open (f->uri, &error);
  g_assert_no_error (error);
  g_ptr_array_unref (syn_store_query_events (other, q, &total, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 30);

  /* another connection writes: both see it, and so does a new one */
  es = syn_event_store_new (other, f->project->id, NULL);
  syn_event_store_start_batch (es, &error);
  g_assert_no_error (error);
  g_object_unref (emit_simple (es, SYN_EVENT_ASSET_CREATED, SYN_AGGREGATE_ASSET, "asset-new", NULL));
  commit (es);
  g_ptr_array_unref (query (f, q, &total));
  g_assert_cmpuint (total, ==, 31);
  g_ptr_array_unref (syn_store_query_events (other, q, &total, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 31);
  third = syn_store_open (f->uri, &error);
  g_assert_no_error (error);
  g_ptr_array_unref (syn_store_query_events (third, q, &total, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 31);

  /* a rollback marks events and appends one: the totals follow */
  g_assert_true (syn_store_mark_batch_rolled_back (f->store, f->project->id, corr[0], NULL, syn_time_now_usec (), NULL,
                                                   &error));
  g_assert_no_error (error);
  g_ptr_array_unref (syn_store_query_events (third, q, &total, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 21);

  for (guint i = 0; i < 3; i++)
    g_free (corr[i]);
}

/* Appends events with chosen timestamps directly. */
static void
append_at (SynTestFixture *f, const gint64 *stamps, guint n)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *corr = syn_uuid_new ();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    {
      SynEvent *e = syn_event_new ();

      e->event_type = g_strdup (SYN_EVENT_ASSET_UPDATED);
      e->aggregate_type = g_strdup (SYN_AGGREGATE_ASSET);
      e->aggregate_id = g_strdup_printf ("a%u", i);
      e->project_id = g_strdup (f->project->id);
      e->correlation_id = g_strdup (corr);
      e->sequence_num = i;
      e->timestamp = stamps[i];
      g_ptr_array_add (events, e);
    }
  g_assert_true (syn_store_append_events (f->store, events, &error));
  g_assert_no_error (error);
}

static void
test_date_range_boundaries (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynEventQuery) q = syn_event_query_new (f->project->id);
  g_autoptr(GError) error = NULL;
  gint64 day, stamps[5];

  g_assert_true (syn_time_parse_iso8601 ("2026-03-10", FALSE, &day, &error));
  stamps[0] = day - 1;                                  /* 2026-03-09T23:59:59.999999 */
  stamps[1] = day;                                      /* 2026-03-10T00:00:00 */
  stamps[2] = day + 12 * G_TIME_SPAN_HOUR + 1;          /* noon and a microsecond */
  stamps[3] = day + G_TIME_SPAN_DAY - 1;                /* last microsecond of the day */
  stamps[4] = day + G_TIME_SPAN_DAY;                    /* next day */
  append_at (f, stamps, 5);

  /* dates alone: the whole day, both bounds inclusive */
  q->has_from_date = syn_time_parse_iso8601 ("2026-03-10", FALSE, &q->from_date, &error);
  q->has_to_date = syn_time_parse_iso8601 ("2026-03-10", TRUE, &q->to_date, &error);
  g_assert_cmpuint (count_for (f, q), ==, 3);

  /* exact instants are inclusive */
  q->has_from_date = syn_time_parse_iso8601 ("2026-03-10T12:00:00.000001Z", FALSE, &q->from_date, &error);
  g_assert_no_error (error);
  g_assert_cmpint (q->from_date, ==, stamps[2]);
  q->has_to_date = TRUE;
  q->to_date = stamps[2];
  g_assert_cmpuint (count_for (f, q), ==, 1);

  /* an offset is honoured: 14:00+02:00 is noon UTC */
  q->has_from_date = syn_time_parse_iso8601 ("2026-03-10T14:00:00+02:00", FALSE, &q->from_date, &error);
  q->has_to_date = FALSE;
  g_assert_cmpuint (count_for (f, q), ==, 3);

  /* only an upper bound */
  q->has_from_date = FALSE;
  q->has_to_date = TRUE;
  q->to_date = stamps[0];
  g_assert_cmpuint (count_for (f, q), ==, 1);

  /* inverted range is refused */
  q->has_from_date = TRUE;
  q->from_date = stamps[4];
  {
    guint64 total;
    g_assert_null (syn_store_query_events (f->store, q, &total, &error));
    g_assert_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID);
    g_clear_error (&error);
  }

  /* bad dates name the problem */
  g_assert_false (syn_time_parse_iso8601 ("2026-13-45", FALSE, &day, &error));
  g_assert_error (error, SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_DATE);
  g_assert_nonnull (strstr (error->message, "2026-13-45"));
  g_clear_error (&error);
  g_assert_false (syn_time_parse_iso8601 ("yesterday", FALSE, &day, &error));
  g_assert_error (error, SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_DATE);
}

static void
test_microsecond_round_trip (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynEventQuery) q = syn_event_query_new (f->project->id);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(SynEvent) parsed = NULL;
  g_autofree char *iso = NULL;
  gint64 stamp = G_GINT64_CONSTANT (1772000000123457);  /* ...123457 us */
  gint64 back;
  guint64 total;

  append_at (f, &stamp, 1);
  events = query (f, q, &total);
  g_assert_cmpint (((SynEvent *) events->pdata[0])->timestamp, ==, stamp);

  iso = syn_time_to_iso8601 (stamp);
  g_assert_true (g_str_has_suffix (iso, ".123457+00:00"));
  g_assert_true (syn_time_parse_iso8601 (iso, FALSE, &back, &error));
  g_assert_cmpint (back, ==, stamp);

  /* and through the event's JSON form */
  json = syn_event_to_json (events->pdata[0]);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json), "timestamp"), ==, iso);
  parsed = syn_event_from_json (json_node_get_object (json), &error);
  g_assert_no_error (error);
  g_assert_cmpint (parsed->timestamp, ==, stamp);
  g_assert_cmpint (parsed->position, ==, ((SynEvent *) events->pdata[0])->position);
}

static void
test_unicode_payload (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynEventStore) es = syn_event_store_new (f->store, f->project->id, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SynEvent) stored = NULL;
  g_autoptr(SynEvent) event = NULL;
  const char *text = "Pompe centrifuge — Ø150 «été» 泵 \xF0\x9F\x92\xA7 \"quoted\" \\ tab\t";
  JsonObject *payload = json_object_new ();

  json_object_set_string_member (payload, "description", text);
  json_object_set_string_member (payload, "clé ünïcödé", "✓");
  event = syn_event_store_emit (es, SYN_EVENT_ASSET_CREATED, SYN_AGGREGATE_ASSET, "ä-1",
                                syn_json_node_new_object (payload), NULL, NULL, NULL, NULL, &error);
  commit (es);
  stored = syn_store_get_event (f->store, event->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (stored->payload), "description"), ==, text);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (stored->payload), "clé ünïcödé"), ==, "✓");
  g_assert_cmpstr (stored->aggregate_id, ==, "ä-1");
}

/* Raw SQL through a second connection: the triggers hold whoever writes. */
static void
test_triggers_refuse_changes (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynEventStore) es = syn_event_store_new (f->store, f->project->id, NULL);
  g_autoptr(SynEvent) event = emit_simple (es, SYN_EVENT_ASSET_CREATED, SYN_AGGREGATE_ASSET, "a", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SynEvent) after = NULL;
  g_autofree char *rollback_id = syn_uuid_new ();
  guint64 marked = 0;
  gboolean pg = f->backend == SYN_TEST_BACKEND_POSTGRESQL;
  /* the same changes in each dialect (PostgreSQL: typed values, and TRUNCATE) */
  const char *refused[] = {
    "DELETE FROM workflow_events",
    "UPDATE workflow_events SET payload = '{\"x\": 1}'",
    "UPDATE workflow_events SET event_type = 'ASSET_DELETED'",
    pg ? "UPDATE workflow_events SET \"timestamp\" = now()" : "UPDATE workflow_events SET timestamp = 0",
    pg ? "UPDATE workflow_events SET is_rolled_back = true, discipline = 'PIPING'"
       : "UPDATE workflow_events SET is_rolled_back = 1, discipline = 'PIPING'",
    /* the flag alone too: since migration 0013 a rollback writes a row of rolled_back_batches */
    pg ? "UPDATE workflow_events SET is_rolled_back = true" : "UPDATE workflow_events SET is_rolled_back = 1",
    "DELETE FROM execution_snapshots",
    "UPDATE execution_snapshots SET snapshot_data = '{\"x\": 1}'",
    pg ? "TRUNCATE workflow_events" : "DELETE FROM workflow_events WHERE 1",
    pg ? "TRUNCATE execution_snapshots" : "DELETE FROM execution_snapshots WHERE 1",
  };
  g_autoptr(SynSnapshotService) snapshots = syn_snapshot_service_new (f->store, f->project->id);

  commit (es);
  g_object_unref (syn_snapshot_service_create_snapshot (snapshots, event->correlation_id, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *message = NULL;

      g_assert_false (syn_test_exec_raw (f, refused[i], &message));
      g_assert_nonnull (strstr (message, "append-only"));
    }

  /* a rollback is one row beside the events, written once, never removed */
  g_assert_true (syn_store_mark_batch_rolled_back (f->store, f->project->id, event->correlation_id, rollback_id,
                                                   syn_time_now_usec (), &marked, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (marked, ==, 1);
  after = syn_store_get_event (f->store, event->id, &error);
  g_assert_true (after->is_rolled_back);
  g_assert_true (syn_store_mark_batch_rolled_back (f->store, f->project->id, event->correlation_id, rollback_id,
                                                   syn_time_now_usec (), &marked, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (marked, ==, 0);
  {
    g_autofree char *message = NULL;

    g_assert_false (syn_test_exec_raw (f, "DELETE FROM rolled_back_batches", &message));
    g_assert_nonnull (strstr (message, "append-only"));
    g_clear_pointer (&message, g_free);
    g_assert_false (syn_test_exec_raw (f, "UPDATE rolled_back_batches SET events_count = 0", &message));
    g_assert_nonnull (strstr (message, "append-only"));
  }
}

typedef struct
{
  SynTestFixture *fixture;
  guint           batches;
  guint           per_batch;
  GPtrArray      *correlations;
} AppendJob;

static gpointer
append_thread (gpointer data)
{
  AppendJob *job = data;
  g_autoptr(SynStore) store = syn_test_fixture_open_again (job->fixture);
  g_autoptr(SynEventStore) es = syn_event_store_new (store, job->fixture->project->id, NULL);
  g_autoptr(GError) error = NULL;

  for (guint b = 0; b < job->batches; b++)
    {
      const char *corr = syn_event_store_start_batch (es, &error);

      g_assert_no_error (error);
      g_ptr_array_add (job->correlations, g_strdup (corr));
      for (guint i = 0; i < job->per_batch; i++)
        {
          g_autoptr(SynEvent) e = syn_event_store_emit (es, SYN_EVENT_ASSET_CREATED, SYN_AGGREGATE_ASSET,
                                                        "x", NULL, NULL, NULL, NULL, NULL, &error);
          g_assert_no_error (error);
          if (i % 7 == 0)
            g_thread_yield ();
        }
      g_assert_true (syn_event_store_commit_batch (es, &error));
      g_assert_no_error (error);
    }
  return NULL;
}

static void
test_concurrent_appends (SynTestFixture *f, gconstpointer data)
{
  AppendJob jobs[2];
  GThread *threads[2];
  g_autoptr(SynEventQuery) q = syn_event_query_new (f->project->id);
  g_autoptr(GError) error = NULL;
  guint64 total;

  for (guint t = 0; t < 2; t++)
    {
      jobs[t] = (AppendJob) { f, 20, 1500, g_ptr_array_new_with_free_func (g_free) };
      threads[t] = g_thread_new ("append", append_thread, &jobs[t]);
    }
  for (guint t = 0; t < 2; t++)
    g_thread_join (threads[t]);

  for (guint t = 0; t < 2; t++)
    {
      for (guint b = 0; b < jobs[t].correlations->len; b++)
        {
          g_autoptr(GPtrArray) events = syn_store_get_events_by_correlation (f->store, f->project->id,
                                                                             jobs[t].correlations->pdata[b], &error);
          g_assert_no_error (error);
          g_assert_cmpuint (events->len, ==, 1500);
          for (guint i = 0; i < events->len; i++)
            {
              SynEvent *e = events->pdata[i];

              g_assert_cmpint (e->sequence_num, ==, i);   /* gapless */
              if (i > 0)
                g_assert_cmpint (e->position, >, ((SynEvent *) events->pdata[i - 1])->position);
            }
        }
      g_ptr_array_unref (jobs[t].correlations);
    }

  /* positions strictly increasing over all events */
  {
    g_autoptr(GPtrArray) all = syn_store_list_events_after (f->store, f->project->id, 0, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (all->len, ==, 2 * 20 * 1500);
    for (guint i = 1; i < all->len; i++)
      g_assert_cmpint (((SynEvent *) all->pdata[i])->position, >, ((SynEvent *) all->pdata[i - 1])->position);
  }
  q->limit = 1;
  g_ptr_array_unref (query (f, q, &total));
  g_assert_cmpuint (total, ==, 60000);
}

static void
test_abandoned_batch_leaves_nothing (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynEventQuery) q = syn_event_query_new (f->project->id);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GPtrArray) snaps = NULL;
  guint64 total = 99;

  {
    g_autoptr(SynBatch) batch = syn_batch_begin (f->store, f->project->id, NULL, &error);

    g_assert_no_error (error);
    /* more than one flush worth of events, and entity writes */
    for (guint i = 0; i < 3000; i++)
      {
        g_autoptr(SynAsset) asset = syn_asset_new ();
        g_autoptr(SynEvent) e = NULL;

        asset->tag = g_strdup_printf ("210-PP-%04u", i);
        asset->type = g_strdup ("PUMP");
        e = syn_batch_create_asset (batch, asset, NULL, NULL, &error);
        g_assert_no_error (error);
      }
    /* dropped without commit */
  }

  g_ptr_array_unref (query (f, q, &total));
  g_assert_cmpuint (total, ==, 0);
  assets = syn_store_list_assets (f->store, f->project->id, NULL, NULL, 0, 0, &total, &error);
  g_assert_cmpuint (total, ==, 0);
  snaps = syn_store_list_snapshots (f->store, f->project->id, FALSE, 0, &error);
  g_assert_cmpuint (snaps->len, ==, 0);

  /* an explicit abandon too, and the store is usable afterwards */
  {
    g_autoptr(SynBatch) batch = syn_batch_begin (f->store, f->project->id, NULL, &error);
    g_autoptr(SynEvent) e = syn_batch_emit (batch, SYN_EVENT_BATCH_STARTED, SYN_AGGREGATE_BATCH, NULL,
                                            NULL, NULL, NULL, NULL, &error);
    syn_batch_abandon (batch);
  }
  g_ptr_array_unref (query (f, q, &total));
  g_assert_cmpuint (total, ==, 0);
  g_assert_false (syn_store_in_transaction (f->store));
}

static void
test_batch_commits_everything (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynBatch) batch = syn_batch_begin (f->store, f->project->id, NULL, &error);
  g_autoptr(SynAsset) pump = syn_asset_new ();
  g_autoptr(SynAsset) pump2 = NULL;
  g_autoptr(SynEvent) e1 = NULL;
  g_autoptr(SynEvent) e2 = NULL;
  g_autoptr(SynEvent) e3 = NULL;
  g_autoptr(SynSnapshot) snap = NULL;
  g_autofree char *corr = NULL;
  JsonObject *data_obj, *diff;

  pump->tag = g_strdup ("210-PP-001");
  pump->type = g_strdup ("PUMP");
  json_object_set_int_member (pump->properties, "hp", 50);
  e1 = syn_batch_create_asset (batch, pump, NULL, NULL, &error);
  g_assert_no_error (error);
  corr = g_strdup (syn_batch_get_correlation_id (batch));
  g_assert_true (syn_batch_commit (batch, &error));
  g_assert_no_error (error);
  g_clear_object (&batch);

  /* second batch updates it: the snapshot has its pre-image, the event its diff */
  batch = syn_batch_begin (f->store, f->project->id, NULL, &error);
  pump2 = syn_asset_copy (pump);
  json_object_set_int_member (pump2->properties, "hp", 75);
  json_object_set_string_member (pump2->properties, "pump_type", "CENTRIFUGAL");
  e2 = syn_batch_update_asset (batch, pump, pump2, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (e2);
  /* no change, no event */
  e3 = syn_batch_update_asset (batch, pump2, pump2, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (e3);
  g_assert_true (syn_batch_commit (batch, &error));

  diff = json_object_get_object_member (json_node_get_object (e2->payload), "diff");
  g_assert_cmpuint (json_object_get_size (diff), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (diff, "properties"), "hp"), ==, 75);

  snap = syn_store_get_snapshot (f->store, f->project->id, e2->correlation_id, &error);
  g_assert_nonnull (snap);
  g_assert_cmpint (snap->events_count, ==, 1);
  data_obj = json_node_get_object (snap->snapshot_data);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (data_obj, "assets")), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                     json_array_get_object_element (json_object_get_array_member (data_obj, "assets"), 0),
                     "properties"), "hp"), ==, 50);

  g_clear_object (&snap);
  snap = syn_store_get_snapshot (f->store, f->project->id, corr, &error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_object_get_object_member (json_node_get_object (snap->snapshot_data), "created"),
                      "assets")), ==, 1);
}

/* --- Batch ids as people give them (issue 12) --------------------------- */

static guint
count_batches (SynTestFixture *f, const char *digits)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = syn_store_find_batches (f->store, f->project->id, digits, &error);

  g_assert_no_error (error);
  return found->len;
}

static char *
resolve (SynTestFixture *f, const char *text, GQuark domain, int code, const char *message_part)
{
  g_autoptr(GError) error = NULL;
  char *id = syn_batch_id_resolve (f->store, f->project->id, text, &error);

  if (message_part == NULL)
    {
      g_assert_no_error (error);
      return id;
    }
  g_assert_null (id);
  g_assert_error (error, domain, code);
  if (strstr (error->message, message_part) == NULL)
    g_error ("\"%s\" not in \"%s\"", message_part, error->message);
  return NULL;
}

static void
test_batch_ids (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynProject) other = syn_test_create_project (f->store, "Other", NULL);
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  const char *a = "0190aaaa-1111-7000-8000-00000000c0de";
  const char *b = "0190aaaa-2222-7000-8000-0000deadbeef";
  const char *c = "0190bbbb-3333-7000-8000-00000000c0de";
  const char *elsewhere = "0190cccc-4444-7000-8000-0000feedf00d";
  char *id;

  syn_test_append_batch (f->store, f->project->id, a, SYN_EVENT_CSV_IMPORTED, 2);
  syn_test_append_batch (f->store, f->project->id, b, SYN_EVENT_BATCH_STARTED, 2);
  syn_test_append_batch (f->store, f->project->id, c, SYN_EVENT_ASSET_UPDATED, 2);
  syn_test_append_batch (f->store, other->id, elsewhere, SYN_EVENT_BATCH_STARTED, 2);

  /* the store: by prefix and by suffix, one event (the first) per batch, oldest first */
  found = syn_store_find_batches (f->store, f->project->id, "0190aaaa", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 2);
  g_assert_cmpstr (((SynEvent *) found->pdata[0])->correlation_id, ==, a);
  g_assert_cmpstr (((SynEvent *) found->pdata[1])->correlation_id, ==, b);
  g_assert_cmpint (((SynEvent *) found->pdata[0])->sequence_num, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);
  g_assert_cmpuint (count_batches (f, "0000c0de"), ==, 2);
  /* across the dashes, both ways */
  g_assert_cmpuint (count_batches (f, "80000000deadbeef"), ==, 1);
  g_assert_cmpuint (count_batches (f, "0190bbbb3333"), ==, 1);
  /* another project's batches are not this one's */
  g_assert_cmpuint (count_batches (f, "feedf00d"), ==, 0);
  g_assert_null (syn_store_find_batches (f->store, f->project->id, "c0de", &error));
  g_assert_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* the resolver: a unique suffix or prefix, any case, dashes or not */
  id = resolve (f, "DEADBEEF", 0, 0, NULL);
  g_assert_cmpstr (id, ==, b);
  g_free (id);
  id = resolve (f, "0190bbbb", 0, 0, NULL);
  g_assert_cmpstr (id, ==, c);
  g_free (id);
  id = resolve (f, "0190aaaa-1111", 0, 0, NULL);
  g_assert_cmpstr (id, ==, a);
  g_free (id);
  /* a full id passes as it is, found or not; 32 digits without dashes are
   * looked up (none: not found, as the hostile tests expect) */
  id = resolve (f, "0190CCCC-4444-7000-8000-0000FEEDF00D", 0, 0, NULL);
  g_assert_cmpstr (id, ==, elsewhere);
  g_free (id);
  id = resolve (f, "0190aaaa11117000800000000000c0de", 0, 0, NULL);
  g_assert_cmpstr (id, ==, a);
  g_free (id);
  resolve (f, "00000000000000000000000000000000", SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_NOT_FOUND, "no batch id");

  /* ambiguous: refused, naming each candidate with its time and kind */
  resolve (f, "0000c0de", SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID, "matches 2 batches");
  resolve (f, "0000c0de", SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID, a);
  resolve (f, "0000c0de", SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID, c);
  resolve (f, "0000c0de", SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID, "import");
  resolve (f, "0000c0de", SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID, "edit");
  resolve (f, "0190aaaa", SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID, "rule run");
  /* none, and not a batch id at all */
  resolve (f, "feedf00d", SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_NOT_FOUND, "\"feedf00d\"");
  resolve (f, "c0de", SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID, "8 or more");
  resolve (f, "not-a-batch", SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID, "is not a batch id");
  g_assert_true (syn_batch_id_is_valid ("DeadBeef"));
  g_assert_false (syn_batch_id_is_valid ("deadbee"));
  g_assert_false (syn_batch_id_is_valid ("0190aaaa-1111-7000-8000-00000000c0de0"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  SYN_TEST_ADD ("/synapse/event-store/spec/emit-creates-event", test_emit_creates_event);
  SYN_TEST_ADD ("/synapse/event-store/spec/batch-correlation", test_batch_correlation);
  SYN_TEST_ADD ("/synapse/event-store/spec/query-by-filters", test_query_by_filters);
  SYN_TEST_ADD ("/synapse/event-store/spec/get-asset-history", test_get_asset_history);
  SYN_TEST_ADD ("/synapse/event-store/spec/create-and-retrieve-snapshot", test_create_and_retrieve_snapshot);
  SYN_TEST_ADD ("/synapse/event-store/spec/mark-rolled-back", test_mark_rolled_back);
  SYN_TEST_ADD ("/synapse/event-store/snapshot-count-and-list-active", test_snapshot_count_and_list_active);
  SYN_TEST_ADD ("/synapse/event-store/every-filter", test_every_filter);
  SYN_TEST_ADD ("/synapse/event-store/newest-first-and-paging", test_newest_first_and_paging);
  SYN_TEST_ADD ("/synapse/event-store/keyset-pages", test_keyset_pages);
  SYN_TEST_ADD ("/synapse/event-store/counts-by-period", test_counts_by_period);
  SYN_TEST_ADD ("/synapse/event-store/counts-by-minutes", test_counts_by_minutes);
  SYN_TEST_ADD ("/synapse/event-store/big-batch-truncates-wal", test_big_batch_truncates_wal);
  SYN_TEST_ADD ("/synapse/event-store/totals-shared-between-connections", test_totals_shared_between_connections);
  SYN_TEST_ADD ("/synapse/event-store/date-range-boundaries", test_date_range_boundaries);
  SYN_TEST_ADD ("/synapse/event-store/microsecond-round-trip", test_microsecond_round_trip);
  SYN_TEST_ADD ("/synapse/event-store/unicode-payload", test_unicode_payload);
  SYN_TEST_ADD ("/synapse/event-store/triggers-refuse-changes", test_triggers_refuse_changes);
  SYN_TEST_ADD ("/synapse/event-store/concurrent-appends", test_concurrent_appends);
  SYN_TEST_ADD ("/synapse/event-store/abandoned-batch-leaves-nothing", test_abandoned_batch_leaves_nothing);
  SYN_TEST_ADD ("/synapse/event-store/batch-commits-everything", test_batch_commits_everything);
  SYN_TEST_ADD ("/synapse/event-store/batch-ids", test_batch_ids);

  return g_test_run ();
}
