/* SPDX-License-Identifier: GPL-3.0-or-later */
/* living-property.c: incremental equals from scratch: random projects, random rule sets, long random sequences of steps. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "engine/syn-asset-editor.h"
#include "engine/syn-csv-importer.h"
#include "engine/syn-derivation.h"
#include "engine/syn-engine-error.h"
#include "engine/syn-rollback-service.h"
#include "engine/syn-rule-editor.h"
#include "engine/syn-rule-engine.h"
#include "engine/syn-rule-parser.h"
#include "engine/syn-state-hash.h"
#include "engine/syn-state-replay.h"
#include "../syn-test-pg.h"

/* After every run, the project's derived content must equal what one run
 * makes on a fresh database given the same sources, the same holds and the
 * same rules; after every rollback of the newest batch, the state hash must
 * be the one before it; replay must always equal the tables, and no edge or
 * cable may point at an asset that is gone. The fresh database is SQLite
 * whatever the tested one is, so the two stores are also compared. */

typedef struct
{
  GRand      *rand;
  SynStore   *store;
  char       *uri;
  char       *tmpdir;
  SynProject *project;
  GPtrArray  *batches;        /* char *: correlation ids, oldest first */
  GPtrArray  *hashes;         /* char *: the state hash before each */
  guint       serial;
  /* counts */
  guint       steps, runs, checks, rollbacks, refused, cycles;
  guint       failures;
  gboolean    verbose;
} Case;

static char *tmp_root;

static void
fail (Case *c, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
fail (Case *c, const char *format, ...)
{
  va_list args;
  g_autofree char *text = NULL;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  c->failures++;
  fprintf (stderr, "FAILURE: %s\n", text);
}

static const char *
pick (Case *c, const char * const *choices)
{
  return choices[g_rand_int_range (c->rand, 0, g_strv_length ((char **) choices))];
}

/* --- rule sets --------------------------------------------------------------- */

static char *
random_rule (Case *c, guint i)
{
  static const char * const pump_types[] = { "CENTRIFUGAL", "SLURRY", NULL };
  static const char * const namings[] = { "{area}-M-{tag_number}", "{tag}-M", "M-{tag_number}", "{tag}-M-{prop.hp}", NULL };
  static const char * const sources[] = { "FIRM", "COUNTRY", "PROJECT", "CLIENT", NULL };
  int kind = g_rand_int_range (c->rand, 0, 8);
  const char *source = pick (c, sources);
  gboolean enforced = g_rand_int_range (c->rand, 0, 5) == 0;

  switch (kind)
    {
    case 0:
      return g_strdup_printf ("{\"id\": \"r%u-motor\", \"name\": \"%s: Pumps need motors %u\", \"source\": \"%s\","
                              " \"action_type\": \"CREATE_CHILD\", \"condition\": {\"asset_type\": \"PUMP\","
                              " \"all\": [{\"key\": \"pump_type\", \"op\": \"==\", \"value\": \"%s\"}]},"
                              " \"action\": {\"type\": \"MOTOR\", \"naming\": \"%s\", \"relation\": \"powers\","
                              " \"inherit_properties\": [\"hp\", \"length_m\", \"system\"],"
                              " \"properties\": {\"enclosure\": \"TEFC\"}}}",
                              i, source, i, source, pick (c, pump_types), pick (c, namings));
    case 1:
      return g_strdup_printf ("{\"id\": \"r%u-volts\", \"name\": \"%s: Motors %u V\", \"source\": \"%s\","
                              " \"is_enforced\": %s, \"action_type\": \"SET_PROPERTY\","
                              " \"condition\": {\"asset_type\": \"MOTOR\"},"
                              " \"action\": {\"properties\": {\"voltage\": %d}, \"mode\": \"%s\"}}",
                              i, source, i, source, enforced ? "true" : "false",
                              g_rand_boolean (c->rand) ? 600 : 480, g_rand_boolean (c->rand) ? "set" : "default");
    case 2:
      return g_strdup_printf ("{\"id\": \"r%u-cable\", \"name\": \"%s: Motors need cables %u\", \"source\": \"%s\","
                              " \"action_type\": \"CREATE_CABLE\", \"condition\": {\"asset_type\": \"MOTOR\"},"
                              " \"action\": {\"naming\": \"{tag}-P%u\", \"to\": \"source\", \"cable_type\": \"TECK90\","
                              " \"sizing\": \"auto\"}}", i, source, i, source, i);
    case 3:
      return g_strdup_printf ("{\"id\": \"r%u-pumpcable\", \"name\": \"%s: Pump motor cables %u\", \"source\": \"%s\","
                              " \"action_type\": \"CREATE_CABLE\", \"condition\": {\"asset_type\": \"PUMP\"},"
                              " \"action\": {\"naming\": \"{tag}-C%u\", \"to\": \"child:MOTOR\", \"cable_type\": \"TECK90\","
                              " \"sizing\": \"auto\"}}", i, source, i, source, i);
    case 4:
      return g_strdup_printf ("{\"id\": \"r%u-seal\", \"name\": \"%s: Seals %u\", \"source\": \"%s\","
                              " \"is_enforced\": %s, \"action_type\": \"SET_PROPERTY\","
                              " \"condition\": {\"asset_type\": \"PUMP\", \"any\": [{\"key\": \"hp\", \"op\": \">\", \"value\": %d}]},"
                              " \"action\": {\"properties\": {\"seal\": \"%s\"}}}",
                              i, source, i, source, enforced ? "true" : "false", g_rand_int_range (c->rand, 10, 200),
                              g_rand_boolean (c->rand) ? "DOUBLE" : "SINGLE");
    case 5:
      return g_strdup_printf ("{\"id\": \"r%u-lt\", \"name\": \"%s: Tanks need LTs %u\", \"source\": \"%s\","
                              " \"action_type\": \"CREATE_CHILD\", \"condition\": {\"asset_type\": \"TANK\"},"
                              " \"action\": {\"type\": \"LEVEL_TRANSMITTER\", \"naming\": \"LT-%u-{tag_number}\","
                              " \"relation\": \"measures\", \"inherit_properties\": [\"system\"]}}", i, source, i, source, i);
    case 6:
      return g_strdup_printf ("{\"id\": \"r%u-feeds\", \"name\": \"%s: Tanks feed pumps %u\", \"source\": \"%s\","
                              " \"action_type\": \"CREATE_RELATIONSHIP\", \"condition\": {\"asset_type\": \"TANK\"},"
                              " \"action\": {\"relation\": \"feeds\", \"target\": {\"asset_type\": \"PUMP\","
                              " \"match\": \"same_area\"}}}", i, source, i, source);
    default:
      return g_strdup_printf ("{\"id\": \"r%u-check\", \"name\": \"%s: Pumps need hp %u\", \"source\": \"%s\","
                              " \"action_type\": \"VALIDATE\", \"condition\": {\"asset_type\": \"PUMP\","
                              " \"all\": [{\"key\": \"hp\", \"op\": \"missing\"}]}, \"action\": {\"message\": \"no hp\"}}",
                              i, source, i, source);
    }
}

static gboolean
save_rule_json (SynStore *store, const char *project_id, const char *json, GError **error)
{
  g_autoptr(JsonObject) def = syn_json_parse_object (json, -1, error);
  g_autoptr(SynRule) rule = NULL;
  g_autoptr(SynRule) saved = NULL;

  if (def == NULL || !(rule = syn_rule_parse (def, project_id, error)))
    return FALSE;
  saved = syn_rule_editor_save (store, rule, "property", NULL, error);
  return saved != NULL;
}

/* --- sources ------------------------------------------------------------------ */

static char *
random_row (Case *c)
{
  static const char * const areas[] = { "210", "310", NULL };
  static const char * const pump_types[] = { "CENTRIFUGAL", "SLURRY", NULL };
  static const char * const hps[] = { "", "25", "50", "75 HP", "150", "30 kW", "fifty", NULL };
  static const char * const lengths[] = { "", "40", "120", "200 m", "600 ft", NULL };
  guint n = ++c->serial;

  if (g_rand_int_range (c->rand, 0, 4) == 0)
    return g_strdup_printf ("%s-TK-%03u,TANK,%s,S%d,,,\n", pick (c, areas), n, pick (c, areas),
                            g_rand_int_range (c->rand, 1, 3));
  return g_strdup_printf ("%s-PP-%03u,PUMP,%s,S%d,%s,%s,%s\n", pick (c, areas), n, pick (c, areas),
                          g_rand_int_range (c->rand, 1, 3), pick (c, pump_types), pick (c, hps), pick (c, lengths));
}

static gboolean
import_rows (Case *c, guint n, GError **error)
{
  g_autoptr(GString) csv = g_string_new ("TAG,TYPE,AREA,SYSTEM,PUMP_TYPE,HP,LENGTH_M\n");
  g_autoptr(JsonNode) answer = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *row = random_row (c);

      g_string_append (csv, row);
    }
  answer = syn_csv_import (c->store, c->project->id, "property", csv->str, csv->len, FALSE, error);
  return answer != NULL;
}

/* --- derived content ------------------------------------------------------------ */

static int
compare_lines (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

/* The project as a person sees it, by tags: what both runs must agree on. */
static char *
content (SynStore *store, const char *project_id, GError **error)
{
  g_autoptr(GPtrArray) assets = syn_store_list_assets (store, project_id, NULL, NULL, 0, 0, NULL, error);
  g_autoptr(GPtrArray) cables = assets ? syn_store_list_cables (store, project_id, 0, 0, NULL, error) : NULL;
  g_autoptr(GPtrArray) edges = cables ? syn_store_list_edges (store, project_id, NULL, error) : NULL;
  g_autoptr(GHashTable) tags = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) out = g_string_new (NULL);

  if (edges == NULL)
    return NULL;
  for (guint i = 0; i < assets->len; i++)
    {
      SynAsset *a = g_ptr_array_index (assets, i);
      g_autoptr(JsonNode) props = syn_json_node_new_object (json_object_ref (a->properties));
      g_autofree char *p = syn_json_canonical (props);

      g_hash_table_insert (tags, a->id, a->tag);
      g_ptr_array_add (lines, g_strdup_printf ("A %s %s [%s] [%s] [%s] [%s] %s by %s", a->tag, a->type,
                                               a->description ? a->description : "", a->discipline ? a->discipline : "",
                                               a->area ? a->area : "", syn_derivation_has_holds (a->derivation) ? "held" : "",
                                               p, a->created_by_rule_id ? a->created_by_rule_id : "-"));
    }
  for (guint i = 0; i < cables->len; i++)
    {
      SynCable *k = g_ptr_array_index (cables, i);
      g_autoptr(JsonNode) props = syn_json_node_new_object (json_object_ref (k->properties));
      g_autofree char *p = syn_json_canonical (props);

      g_ptr_array_add (lines, g_strdup_printf ("C %s %s>%s %s %g %g %s %g %g %g %s by %s", k->tag,
                                               k->from_asset_id ? (char *) g_hash_table_lookup (tags, k->from_asset_id) : "-",
                                               (char *) g_hash_table_lookup (tags, k->to_asset_id), k->cable_type,
                                               k->voltage, k->length_m, k->conductor_size, k->flc_a, k->ampacity_a,
                                               k->voltage_drop_pct, p, k->created_by_rule_id));
    }
  for (guint i = 0; i < edges->len; i++)
    {
      SynEdge *e = g_ptr_array_index (edges, i);

      g_ptr_array_add (lines, g_strdup_printf ("E %s -%s-> %s by %s",
                                               (char *) g_hash_table_lookup (tags, e->source_asset_id), e->relation,
                                               (char *) g_hash_table_lookup (tags, e->target_asset_id),
                                               e->created_by_rule_id ? e->created_by_rule_id : "-"));
    }
  g_ptr_array_sort (lines, compare_lines);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (out, "%s\n", (char *) g_ptr_array_index (lines, i));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static JsonNode *
run_engine (SynStore *store, const char *project_id, GError **error)
{
  g_autoptr(SynRuleEngine) engine = syn_rule_engine_new (syn_store_get_uri (store));
  g_autoptr(JsonObject) request = json_object_new ();

  json_object_set_string_member (request, "project_id", project_id);
  json_object_set_string_member (request, "mode", "execute");
  return syn_rule_engine_run (engine, store, NULL, request, "property", NULL, NULL, NULL, NULL, error);
}

/* The fresh project: its sources as they are beneath the rules (with what a
 * person holds), the assets a person holds values of, the same rules; one run. */
static char *
from_scratch (Case *c, GError **error)
{
  g_autofree char *path = g_strdup_printf ("%s/scratch-%u.db", c->tmpdir, c->runs);
  g_autoptr(SynStore) fresh = syn_store_open (path, error);
  g_autoptr(SynProject) project = NULL;
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(JsonNode) answer = NULL;
  char *result;

  if (fresh == NULL)
    return NULL;
  project = syn_project_copy (c->project);
  if (!syn_store_insert_project (fresh, project, error) ||
      !(assets = syn_store_list_assets (c->store, c->project->id, NULL, NULL, 0, 0, NULL, error)) ||
      !(rules = syn_store_list_rules (c->store, c->project->id, FALSE, error)))
    return NULL;
  for (guint i = 0; i < rules->len; i++)
    if (!syn_store_save_rule (fresh, g_ptr_array_index (rules, i), error))
      return NULL;
  for (guint i = 0; i < assets->len; i++)
    {
      g_autoptr(SynAsset) a = syn_asset_copy (g_ptr_array_index (assets, i));

      /* what the rules laid is theirs to lay again */
      syn_derivation_strip_layers (a);
      /* a rule's output comes again only if a person holds part of it */
      if (syn_derivation_get_rule_id (a->derivation) != NULL && !syn_derivation_has_holds (a->derivation))
        continue;
      if (!syn_store_insert_asset (fresh, a, error))
        return NULL;
    }
  if (!(answer = run_engine (fresh, project->id, error)))
    return NULL;
  result = content (fresh, project->id, error);
  g_clear_object (&fresh);
  unlink (path);
  return result;
}

static gboolean
check_integrity (Case *c, const char *when)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *replay = syn_state_replay_compute (c->store, c->project->id, &error);
  g_autofree char *hash = syn_state_hash_compute (c->store, c->project->id, NULL);
  g_autoptr(GPtrArray) assets = syn_store_list_assets (c->store, c->project->id, NULL, NULL, 0, 0, NULL, NULL);
  g_autoptr(GPtrArray) cables = syn_store_list_cables (c->store, c->project->id, 0, 0, NULL, NULL);
  g_autoptr(GPtrArray) edges = syn_store_list_edges (c->store, c->project->id, NULL, NULL);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  c->checks++;
  if (replay == NULL)
    fail (c, "%s: replay failed: %s", when, error->message);
  else if (g_strcmp0 (replay, hash) != 0)
    fail (c, "%s: the replay of the events differs from the tables", when);
  for (guint i = 0; i < assets->len; i++)
    g_hash_table_add (ids, ((SynAsset *) assets->pdata[i])->id);
  for (guint i = 0; i < edges->len; i++)
    {
      SynEdge *e = g_ptr_array_index (edges, i);

      if (!g_hash_table_contains (ids, e->source_asset_id) || !g_hash_table_contains (ids, e->target_asset_id))
        fail (c, "%s: edge %s points at an asset that is gone", when, e->id);
    }
  for (guint i = 0; i < cables->len; i++)
    {
      SynCable *k = g_ptr_array_index (cables, i);

      if (!g_hash_table_contains (ids, k->to_asset_id) ||
          (k->from_asset_id && !g_hash_table_contains (ids, k->from_asset_id)))
        fail (c, "%s: cable %s points at an asset that is gone", when, k->tag);
    }
  return TRUE;
}

static void
note_batch (Case *c, const char *correlation_id, const char *hash_before)
{
  if (correlation_id == NULL)
    return;
  g_ptr_array_add (c->batches, g_strdup (correlation_id));
  g_ptr_array_add (c->hashes, g_strdup (hash_before));
}

/* The newest batch of the project (anything may have written it). */
static char *
newest_batch (Case *c)
{
  g_autoptr(SynEventQuery) q = syn_event_query_new (c->project->id);
  g_autoptr(GPtrArray) page = NULL;

  q->limit = 1;
  page = syn_store_query_events (c->store, q, NULL, NULL);
  return page && page->len ? g_strdup (((SynEvent *) page->pdata[0])->correlation_id) : NULL;
}

/* --- steps -------------------------------------------------------------------- */

static SynAsset *
random_asset (Case *c, gboolean derived)
{
  g_autoptr(GPtrArray) assets = syn_store_list_assets (c->store, c->project->id, NULL, NULL, 0, 0, NULL, NULL);
  g_autoptr(GPtrArray) pool = g_ptr_array_new ();

  for (guint i = 0; i < assets->len; i++)
    {
      SynAsset *a = g_ptr_array_index (assets, i);

      if ((syn_derivation_get_rule_id (a->derivation) != NULL) == derived)
        g_ptr_array_add (pool, a);
    }
  if (pool->len == 0)
    return NULL;
  return g_object_ref (g_ptr_array_index (pool, g_rand_int_range (c->rand, 0, pool->len)));
}

/* A person edits a source's property, or a rule output's; @structural
 * allows the pump type (which makes or takes back motors). */
static void
edit_property (Case *c, gboolean derived, gboolean structural)
{
  static const char * const keys[] = { "hp", "length_m", "system", "voltage", "enclosure", "seal", "pump_type", NULL };
  static const char * const values[] = { "\"CENTRIFUGAL\"", "\"SLURRY\"", "20", "\"90 HP\"", "null", "\"S2\"", "600",
                                         "150", NULL };
  g_autoptr(SynAsset) a = random_asset (c, derived);
  g_autoptr(JsonObject) patch = NULL;
  g_autoptr(SynAsset) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *key;

  if (a == NULL)
    return;
  do
    key = pick (c, keys);
  while (!structural && strcmp (key, "pump_type") == 0);
  text = g_strdup_printf ("{\"properties\": {\"%s\": %s}}", key, pick (c, values));
  patch = syn_json_parse_object (text, -1, NULL);
  after = syn_asset_editor_update (c->store, c->project->id, "person", a->id, patch, NULL, &error);
  if (after == NULL)
    fail (c, "edit: %s", error->message);
}

static void
step (Case *c)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash_before = syn_state_hash_compute (c->store, c->project->id, NULL);
  g_autofree char *before_batch = newest_batch (c);
  int what = g_rand_int_range (c->rand, 0, 100);

  c->steps++;
  if (what < 30)
    {
      /* a third of the runs follow a revision of a few values (no pump type):
       * what the engine can re-derive from what changed alone */
      if (what < 10)
        {
          for (int k = g_rand_int_range (c->rand, 1, 4); k > 0; k--)
            {
              g_autofree char *edit_after = NULL;

              edit_property (c, g_rand_boolean (c->rand), FALSE);
              edit_after = newest_batch (c);
              if (edit_after != NULL && g_strcmp0 (edit_after, before_batch) != 0)
                note_batch (c, edit_after, hash_before);
              /* the next batch starts from here */
              g_free (hash_before);
              hash_before = syn_state_hash_compute (c->store, c->project->id, NULL);
              g_free (before_batch);
              before_batch = g_steal_pointer (&edit_after);
            }
        }

      g_autoptr(JsonNode) answer = run_engine (c->store, c->project->id, &error);
      g_autofree char *incremental = NULL;
      g_autofree char *scratch = NULL;

      c->runs++;
      if (answer == NULL)
        {
          if (g_error_matches (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_CYCLE))
            {
              c->cycles++;
              if (c->verbose)
                fprintf (stderr, "cycle: %s\n", error->message);
            }
          else
            fail (c, "run: %s", error->message);
          return;
        }
      note_batch (c, json_object_get_string_member (json_node_get_object (answer), "correlation_id"), hash_before);
      incremental = content (c->store, c->project->id, NULL);
      scratch = from_scratch (c, &error);
      if (scratch == NULL)
        fail (c, "the run from scratch failed: %s", error->message);
      else if (g_strcmp0 (incremental, scratch) != 0)
        {
          fail (c, "after run %u, incremental differs from scratch", c->runs);
          if (c->verbose)
            fprintf (stderr, "--- incremental\n%s--- scratch\n%s", incremental, scratch);
        }
      check_integrity (c, "after a run");
      /* and right after, nothing to do */
      {
        g_autoptr(JsonNode) again = run_engine (c->store, c->project->id, &error);

        if (again == NULL)
          fail (c, "second run: %s", error->message);
        else if (g_strcmp0 (json_object_get_string_member (json_node_get_object (again), "status"), "up_to_date") != 0)
          fail (c, "a second run right after run %u was not up to date", c->runs);
      }
    }
  else if (what < 45)
    edit_property (c, what >= 40, TRUE);
  else if (what < 52)
    {
      /* a person deletes an asset: a source, or a rule's output */
      g_autoptr(SynAsset) a = random_asset (c, g_rand_boolean (c->rand));

      if (a != NULL && !syn_asset_editor_delete (c->store, c->project->id, "person", a->id, NULL, &error))
        fail (c, "delete: %s", error->message);
    }
  else if (what < 60)
    {
      if (!import_rows (c, g_rand_int_range (c->rand, 1, 4), &error))
        fail (c, "import: %s", error->message);
    }
  else if (what < 70)
    {
      /* a rule added or replaced, switched on or off */
      g_autoptr(GPtrArray) rules = syn_store_list_rules (c->store, c->project->id, FALSE, NULL);

      if (rules->len > 0 && g_rand_boolean (c->rand))
        {
          g_autoptr(SynRule) changed = syn_rule_copy (g_ptr_array_index (rules, g_rand_int_range (c->rand, 0, rules->len)));
          g_autoptr(SynRule) saved = NULL;

          changed->is_active = !changed->is_active;
          saved = syn_rule_editor_save (c->store, changed, "property", NULL, &error);
          if (saved == NULL)
            fail (c, "switch a rule: %s", error->message);
        }
      else
        {
          g_autofree char *json = random_rule (c, g_rand_int_range (c->rand, 0, 6));

          if (!save_rule_json (c->store, c->project->id, json, &error))
            fail (c, "save a rule: %s", error->message);
        }
    }
  else if (what < 75)
    {
      g_autoptr(GPtrArray) rules = syn_store_list_rules (c->store, c->project->id, FALSE, NULL);

      if (rules->len > 0 &&
          !syn_rule_editor_delete (c->store, ((SynRule *) rules->pdata[g_rand_int_range (c->rand, 0, rules->len)])->id,
                                   NULL, "property", NULL, &error))
        fail (c, "remove a rule: %s", error->message);
    }
  else if (what < 80)
    {
      /* a person hands an asset back to the rules */
      g_autoptr(GPtrArray) assets = syn_store_list_assets (c->store, c->project->id, NULL, NULL, 0, 0, NULL, NULL);

      for (guint i = 0; i < assets->len; i++)
        {
          SynAsset *a = g_ptr_array_index (assets, i);

          if (syn_derivation_has_holds (a->derivation) ||
              (a->derivation && json_object_has_member (a->derivation, "withheld")))
            {
              g_autoptr(JsonObject) what_all = json_object_new ();
              g_autoptr(SynAsset) done = NULL;

              json_object_set_boolean_member (what_all, "all", TRUE);
              done = syn_asset_editor_reset (c->store, c->project->id, "person", a->id, what_all, NULL, &error);
              if (done == NULL)
                fail (c, "reset: %s", error->message);
              break;
            }
        }
    }
  else
    {
      /* the newest batch rolled back: the state is what it was before it */
      g_autofree char *newest = newest_batch (c);
      g_autoptr(JsonNode) rolled = NULL;

      if (newest == NULL || c->batches->len == 0 ||
          g_strcmp0 (newest, g_ptr_array_index (c->batches, c->batches->len - 1)) != 0)
        return;
      rolled = syn_rollback_service_rollback (c->store, c->project->id, newest, "property", FALSE, &error);
      if (rolled == NULL)
        {
          c->refused++;
          return;
        }
      c->rollbacks++;
      {
        g_autofree char *now = syn_state_hash_compute (c->store, c->project->id, NULL);

        if (g_strcmp0 (now, g_ptr_array_index (c->hashes, c->hashes->len - 1)) != 0)
          fail (c, "the rollback of batch %s did not restore the state", newest);
      }
      g_ptr_array_remove_index (c->batches, c->batches->len - 1);
      g_ptr_array_remove_index (c->hashes, c->hashes->len - 1);
      check_integrity (c, "after a rollback");
      return;
    }
  /* every other step is a batch of its own (or none): remember it for its rollback */
  {
    g_autofree char *after = newest_batch (c);

    if (after != NULL && g_strcmp0 (after, before_batch) != 0)
      note_batch (c, after, hash_before);
  }
}

static gboolean
run_case (const char *db, guint seed, guint steps, gboolean verbose, guint *failures, Case *totals)
{
  Case c = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *pg_dbname = NULL;

  c.rand = g_rand_new_with_seed (seed);
  c.verbose = verbose;
  c.batches = g_ptr_array_new_with_free_func (g_free);
  c.hashes = g_ptr_array_new_with_free_func (g_free);
  c.tmpdir = g_strdup_printf ("%s/case-%u", tmp_root, seed);
  g_mkdir_with_parents (c.tmpdir, 0700);
  if (g_strcmp0 (db, "postgresql") == 0)
    c.uri = syn_test_pg_create_database (&pg_dbname);
  else
    c.uri = g_strdup_printf ("%s/project.db", c.tmpdir);
  if (!(c.store = syn_store_open (c.uri, &error)))
    g_error ("%s", error->message);
  c.project = syn_project_new ();
  c.project->name = g_strdup_printf ("Property %u", seed);
  c.project->country = g_strdup (g_rand_boolean (c.rand) ? "CA" : "US");
  if (!syn_store_insert_project (c.store, c.project, &error))
    g_error ("%s", error->message);

  if (!import_rows (&c, g_rand_int_range (c.rand, 4, 12), &error))
    g_error ("%s", error->message);
  for (guint i = 0, n = g_rand_int_range (c.rand, 2, 7); i < n; i++)
    {
      g_autofree char *json = random_rule (&c, i);

      if (!save_rule_json (c.store, c.project->id, json, &error))
        g_error ("%s", error->message);
    }
  for (guint i = 0; i < steps; i++)
    step (&c);

  totals->steps += c.steps;
  totals->runs += c.runs;
  totals->checks += c.checks;
  totals->rollbacks += c.rollbacks;
  totals->refused += c.refused;
  totals->cycles += c.cycles;
  *failures += c.failures;
  if (c.failures > 0)
    fprintf (stderr, "case %u (seed %u) on %s: %u failures\n", seed, seed, db, c.failures);

  g_clear_object (&c.store);
  g_clear_object (&c.project);
  g_ptr_array_unref (c.batches);
  g_ptr_array_unref (c.hashes);
  g_rand_free (c.rand);
  if (pg_dbname != NULL)
    syn_test_pg_drop_database (pg_dbname);
  g_free (c.uri);
  g_free (c.tmpdir);
  return c.failures == 0;
}

static void
rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        rm_rf (child);
      else
        unlink (child);
    }
  rmdir (path);
}

/* How the engine's runs went: whole, or over what changed since the last. */
static guint incremental_runs, incremental_fallbacks;

static GLogWriterOutput
count_incremental (GLogLevelFlags log_level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0 &&
        g_str_has_prefix (fields[i].value, "Incremental run of "))
      {
        if (strstr (fields[i].value, "gave way") != NULL)
          incremental_fallbacks++;
        else
          incremental_runs++;
        return G_LOG_WRITER_HANDLED;
      }
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

int
main (int argc, char *argv[])
{
  int cases = 3, steps = 30, seed = 1;
  char *db = NULL;
  gboolean verbose = FALSE;
  GOptionEntry entries[] = {
    { "cases", 0, 0, G_OPTION_ARG_INT, &cases, "Random projects to try", "N" },
    { "steps", 0, 0, G_OPTION_ARG_INT, &steps, "Steps per project", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "First seed (case k uses seed + k)", "S" },
    { "db", 0, 0, G_OPTION_ARG_STRING, &db, "sqlite (default) or postgresql", "DB" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Print both contents when they differ", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- incremental runs equal runs from scratch");
  g_autoptr(GError) error = NULL;
  Case totals = { 0 };
  guint failures = 0;
  gint64 t0 = g_get_monotonic_time ();

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 2;
    }
  if (db == NULL)
    db = g_strdup ("sqlite");
  if (g_strcmp0 (db, "postgresql") == 0 && syn_test_pg_bindir () == NULL)
    {
      printf ("PostgreSQL 15 is not installed: skipped\n");
      return 77;
    }
  g_log_set_writer_func (count_incremental, NULL, NULL);
  tmp_root = g_dir_make_tmp ("synapse-living-XXXXXX", &error);
  g_assert_no_error (error);
  for (int k = 0; k < cases; k++)
    run_case (db, (guint) (seed + k), (guint) steps, verbose, &failures, &totals);
  rm_rf (tmp_root);

  printf ("database: %s\n", db);
  printf ("cases: %d, steps: %u, runs: %u, compared with scratch: %u, rollbacks: %u (refused %u), cycles: %u\n",
          cases, totals.steps, totals.runs, totals.runs - totals.cycles, totals.rollbacks, totals.refused, totals.cycles);
  printf ("integrity checks: %u\n", totals.checks);
  printf ("incremental runs: %u (and %u that gave way to a whole derive)\n", incremental_runs, incremental_fallbacks);
  printf ("seconds: %.1f\n", (g_get_monotonic_time () - t0) / 1e6);
  printf ("failures: %u\n", failures);
  g_free (db);
  return failures == 0 ? 0 : 1;
}
