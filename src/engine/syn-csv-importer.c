/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-csv-importer.c: CSV import: the reader's rows checked against the project (new tags, or a revised list matched by tag), written as one batch. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "engine/syn-asset-editor.h"
#include "engine/syn-batch.h"
#include "engine/syn-csv-importer.h"
#include "engine/syn-csv-reader.h"
#include "engine/syn-derivation.h"
#include "engine/syn-engine-error.h"
#include "engine/syn-explainer.h"

const char *
syn_csv_import_mode_to_string (SynCsvImportMode mode)
{
  return mode == SYN_CSV_IMPORT_REVISION ? "revision" : "add";
}

gboolean
syn_csv_import_mode_from_string (const char *text, SynCsvImportMode *mode)
{
  g_return_val_if_fail (mode != NULL, FALSE);

  if (g_strcmp0 (text, "add") == 0)
    *mode = SYN_CSV_IMPORT_ADD;
  else if (g_strcmp0 (text, "revision") == 0)
    *mode = SYN_CSV_IMPORT_REVISION;
  else
    return FALSE;
  return TRUE;
}

G_GNUC_PRINTF (3, 4)
static void
add_issue (GPtrArray *issues, guint line, const char *format, ...)
{
  SynCsvIssue *issue = g_new0 (SynCsvIssue, 1);
  va_list args;

  va_start (args, format);
  issue->line = line;
  issue->message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (issues, issue);
}

static int
compare_issue_lines (gconstpointer a, gconstpointer b)
{
  const SynCsvIssue *ia = *(const SynCsvIssue * const *) a;
  const SynCsvIssue *ib = *(const SynCsvIssue * const *) b;

  return (ia->line > ib->line) - (ia->line < ib->line);
}

/* Upper-cases a known discipline in place; FALSE for an unknown one. */
static gboolean
normalize_discipline (SynAsset *asset)
{
  g_autofree char *upper = NULL;

  if (asset->discipline == NULL)
    return TRUE;
  upper = g_ascii_strup (asset->discipline, -1);
  g_strstrip (upper);
  if (!syn_is_discipline (upper))
    return FALSE;
  g_free (asset->discipline);
  asset->discipline = g_steal_pointer (&upper);
  return TRUE;
}

/* What a rule made is no source: a list never names it missing. */
static gboolean
is_rule_output (SynAsset *asset)
{
  return asset->created_by_rule_id != NULL || syn_derivation_get_rule_id (asset->derivation) != NULL;
}

/* ------------------------------------------------------------------------- */
/* The plan: what each row does, what the list no longer names               */

typedef enum {
  ROW_CREATED,
  ROW_UPDATED,
  ROW_UNCHANGED,
} RowFate;

typedef struct
{
  RowFate fate;
  guint line;
  SynAsset *row;         /* the file's */
  SynAsset *before;      /* the project's; NULL when created */
  SynAsset *after;       /* what it becomes (updated) */
  JsonArray *changes;    /* [{field, old, new, overwrote_manual}] */
  GPtrArray *held;       /* char*: fields now held against the rules */
  GPtrArray *overwrote;  /* char*: changed fields a person had set by hand */
} Row;

static void
row_free (Row *row)
{
  g_clear_object (&row->row);
  g_clear_object (&row->before);
  g_clear_object (&row->after);
  g_clear_pointer (&row->changes, json_array_unref);
  g_clear_pointer (&row->held, g_ptr_array_unref);
  g_clear_pointer (&row->overwrote, g_ptr_array_unref);
  g_free (row);
}

typedef struct
{
  SynAsset *asset;
  guint edges;
  guint cables;
} Missing;

static void
missing_free (Missing *missing)
{
  g_clear_object (&missing->asset);
  g_free (missing);
}

typedef struct
{
  SynStore *store;
  const char *project_id;
  const SynCsvImportOptions *options;
  SynCsvAssetList *list;
  GPtrArray *errors;       /* SynCsvIssue*, rows not taken */
  GPtrArray *warnings;     /* SynCsvIssue*, rows taken all the same */
  GPtrArray *rows;         /* Row*, the rows taken, in file order */
  GPtrArray *missing;      /* Missing*, ordered by tag */
  GPtrArray *stored;       /* revision: the project's assets */
  GHashTable *by_tag;      /* revision: tag -> SynAsset*, from stored */
  guint created, updated, unchanged;
} Import;

static void
import_clear (Import *imp)
{
  g_clear_pointer (&imp->list, syn_csv_asset_list_free);
  g_clear_pointer (&imp->errors, g_ptr_array_unref);
  g_clear_pointer (&imp->warnings, g_ptr_array_unref);
  g_clear_pointer (&imp->rows, g_ptr_array_unref);
  g_clear_pointer (&imp->missing, g_ptr_array_unref);
  g_clear_pointer (&imp->by_tag, g_hash_table_unref);
  g_clear_pointer (&imp->stored, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Import, import_clear)

static JsonNode *
string_node (const char *text)
{
  return text != NULL ? json_node_init_string (json_node_alloc (), text) : NULL;
}

static void
add_change (Row *row, const char *field, JsonNode *old, JsonNode *new_value)
{
  JsonObject *change = json_object_new ();

  json_object_set_string_member (change, "field", field);
  json_object_set_member (change, "old", old ? syn_json_node_deep_copy (old) : json_node_new (JSON_NODE_NULL));
  json_object_set_member (change, "new", new_value ? syn_json_node_deep_copy (new_value) : json_node_new (JSON_NODE_NULL));
  json_object_set_boolean_member (change, "overwrote_manual", FALSE);
  json_array_add_object_element (row->changes, change);
}

/* The file's text and a stored value are one value when equal, or when the
 * stored one is a number a person typed (75) and the text reads as that
 * number ("75"): the list changes nothing there. */
static gboolean
same_value (JsonNode *stored, JsonNode *file)
{
  GType type;
  const char *text;
  char *end = NULL;
  double number;

  if (stored == NULL || file == NULL)
    return stored == file;
  if (syn_json_node_equal (stored, file))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (stored) || !JSON_NODE_HOLDS_VALUE (file) ||
      json_node_get_value_type (file) != G_TYPE_STRING)
    return FALSE;
  type = json_node_get_value_type (stored);
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return FALSE;
  text = json_node_get_string (file);
  errno = 0;
  number = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || errno != 0)
    return FALSE;
  return number == (type == G_TYPE_INT64 ? (double) json_node_get_int (stored) : json_node_get_double (stored));
}

/* One property the file has a column for. Compared with the asset's own
 * value, beneath what a SET_PROPERTY rule laid over it: when the rule lays a
 * value, the file's new one goes beneath it unless it is another value,
 * which wins over the rule (held, as a person's edit). */
static void
revise_property (Row *row, SynAsset *own, const char *key, gboolean derived)
{
  SynAsset *after = row->after;
  JsonNode *theirs = json_object_get_member (row->row->properties, key);
  JsonNode *mine = json_object_get_member (own->properties, key);
  JsonNode *shown = json_object_get_member (after->properties, key);
  JsonObject *layer = syn_derivation_get_layer (after->derivation, key);
  g_autofree char *field = g_strconcat (SYN_FIELD_PROPERTY_PREFIX, key, NULL);

  if ((derived && theirs == NULL) || same_value (mine, theirs))
    return;
  if (layer != NULL && (theirs == NULL || same_value (shown, theirs)))
    {
      g_autofree char *rule_id = g_strdup (syn_json_get_string (layer, "rule_id"));
      g_autofree char *inputs = g_strdup (syn_json_get_string (layer, "inputs"));

      add_change (row, field, mine, theirs);
      syn_derivation_set_layer (&after->derivation, key, rule_id, inputs, theirs);
      return;
    }
  add_change (row, field, shown, theirs);
  if (theirs != NULL)
    json_object_set_member (after->properties, key, syn_json_node_deep_copy (theirs));
  else if (shown != NULL)
    json_object_remove_member (after->properties, key);
}

static gboolean
assets_equal (SynAsset *a, SynAsset *b)
{
  g_autoptr(JsonNode) ja = syn_asset_to_json (a);
  g_autoptr(JsonNode) jb = syn_asset_to_json (b);

  return syn_json_node_equal (ja, jb);
}

/* A row of a revised list for an asset the project has: what the asset
 * becomes. The file speaks of its own columns only: a property under no
 * header is left as it is. On a rule's output a blank cell leaves the rule's
 * value: the list names such an asset to change a value, not to take the
 * rule's away. The change is a person's, as an edit is: what a rule wrote
 * and the file changes becomes held. */
static void
revise (Row *row, GStrv columns)
{
  static const char * const fields[] = { "type", "description", "discipline", "area", NULL };
  gboolean derived = is_rule_output (row->before);
  g_autoptr(SynAsset) own = syn_asset_copy (row->before);

  row->after = syn_asset_copy (row->before);
  syn_derivation_strip_layers (own);
  for (guint i = 0; columns[i] != NULL; i++)
    {
      const char *name = columns[i];

      if (g_str_equal (name, "tag"))
        continue;
      if (g_strv_contains (fields, name))
        {
          const char *theirs = syn_asset_get_column (row->row, name);
          g_autoptr(JsonNode) old = NULL;
          g_autoptr(JsonNode) new_value = NULL;

          if ((derived && theirs == NULL) || g_strcmp0 (syn_asset_get_column (own, name), theirs) == 0)
            continue;
          old = string_node (syn_asset_get_column (row->before, name));
          new_value = string_node (theirs);
          add_change (row, name, old, new_value);
          syn_asset_set_column (row->after, name, theirs);
        }
      else
        revise_property (row, own, name, derived);
    }
  row->held = syn_derivation_note_manual_change (row->before, row->after);
  row->fate = assets_equal (row->before, row->after) ? ROW_UNCHANGED : ROW_UPDATED;
}

static void
note_writer (const char *field, JsonNode *value, SynEvent *event, gpointer user_data)
{
  GHashTable *writers = user_data;

  if (field == NULL)
    g_hash_table_remove_all (writers);
  else
    g_hash_table_insert (writers, g_strdup (field), event);
}

/* Which of the row's changes overwrite a person's edit: a value whose
 * newest writer is an ASSET_CREATED or ASSET_UPDATED that no rule wrote and
 * no other event caused (an import's rows are caused by its CSV_IMPORTED, a
 * rule's by its RULE_EXECUTED); only a manual edit is left. Rolled-back
 * events do not count: the history leaves them out. */
static gboolean
find_overwritten (Import *imp, Row *row, GError **error)
{
  g_autoptr(GPtrArray) history = syn_store_get_asset_history (imp->store, imp->project_id, row->before->id, error);
  g_autoptr(GHashTable) writers = NULL;

  if (history == NULL)
    return FALSE;
  writers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  syn_explain_walk_writes (history, note_writer, writers);
  for (guint i = 0; i < json_array_get_length (row->changes); i++)
    {
      JsonObject *change = json_array_get_object_element (row->changes, i);
      const char *field = json_object_get_string_member (change, "field");
      SynEvent *writer = g_hash_table_lookup (writers, field);

      if (writer == NULL || writer->rule_id != NULL || writer->causation_id != NULL)
        continue;
      json_object_set_boolean_member (change, "overwrote_manual", TRUE);
      g_ptr_array_add (row->overwrote, g_strdup (field));
    }
  return TRUE;
}

/* The asset types a rule names: its condition's, the child it makes, the
 * targets of its relationships and the child its cable goes to. */
static void
add_types (GHashTable *types, JsonNode *node)
{
  if (node == NULL)
    return;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    g_hash_table_add (types, g_utf8_strup (json_node_get_string (node), -1));
  else if (JSON_NODE_HOLDS_ARRAY (node))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
      add_types (types, json_array_get_element (json_node_get_array (node), i));
}

static gboolean
add_rule_types (Import *imp, GHashTable *types, GError **error)
{
  g_autoptr(GPtrArray) rules = syn_store_list_rules (imp->store, imp->project_id, TRUE, error);

  if (rules == NULL)
    return FALSE;
  for (guint i = 0; i < rules->len; i++)
    {
      SynRule *rule = g_ptr_array_index (rules, i);
      JsonObject *condition = rule->condition && JSON_NODE_HOLDS_OBJECT (rule->condition)
                              ? json_node_get_object (rule->condition) : NULL;
      JsonObject *action = rule->action && JSON_NODE_HOLDS_OBJECT (rule->action)
                           ? json_node_get_object (rule->action) : NULL;
      const char *to;

      if (condition != NULL)
        add_types (types, json_object_get_member (condition, "asset_type"));
      if (action == NULL)
        continue;
      if (g_strcmp0 (rule->action_type, "CREATE_CHILD") == 0)
        add_types (types, json_object_get_member (action, "type"));
      if (json_object_has_member (action, "target") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (action, "target")))
        add_types (types, json_object_get_member (json_object_get_object_member (action, "target"), "asset_type"));
      to = syn_json_get_string (action, "to");
      if (to != NULL && g_str_has_prefix (to, "child:"))
        g_hash_table_add (types, g_utf8_strup (to + strlen ("child:"), -1));
    }
  return TRUE;
}

/* Whether an asset of @type is in the project: an earlier import (or a
 * person) put it there, so the type is no typo. */
static gboolean
project_has_type (Import *imp, const char *type, gboolean *has, GError **error)
{
  g_autoptr(GPtrArray) found = NULL;

  if (imp->stored != NULL)
    {
      *has = FALSE;
      for (guint i = 0; i < imp->stored->len && !*has; i++)
        *has = g_strcmp0 (((SynAsset *) g_ptr_array_index (imp->stored, i))->type, type) == 0;
      return TRUE;
    }
  found = syn_store_list_assets (imp->store, imp->project_id, type, NULL, 0, 1, NULL, error);
  if (found == NULL)
    return FALSE;
  *has = found->len > 0;
  return TRUE;
}

/* A type no rule and nothing in the project knows is likely a typo
 * ("PUPM"): a warning on the first row of it, the rows still taken. */
static gboolean
warn_unknown_types (Import *imp, GError **error)
{
  g_autoptr(GHashTable) known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) first = g_hash_table_new (g_str_hash, g_str_equal);   /* type -> Row* */
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);  /* type -> count */
  g_autoptr(GPtrArray) order = g_ptr_array_new ();

  if (imp->rows->len == 0)
    return TRUE;
  if (!add_rule_types (imp, known, error))
    return FALSE;
  for (guint i = 0; i < imp->rows->len; i++)
    {
      Row *row = g_ptr_array_index (imp->rows, i);
      const char *type = row->row->type;
      gboolean has = FALSE;

      if (g_hash_table_contains (known, type))
        continue;
      if (!g_hash_table_contains (first, type))
        {
          if (!project_has_type (imp, type, &has, error))
            return FALSE;
          if (has)
            {
              g_hash_table_add (known, g_strdup (type));
              continue;
            }
          g_hash_table_insert (first, (gpointer) type, row);
          g_ptr_array_add (order, (gpointer) type);
        }
      g_hash_table_insert (counts, (gpointer) type,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, type)) + 1));
    }
  for (guint i = 0; i < order->len; i++)
    {
      const char *type = g_ptr_array_index (order, i);
      Row *row = g_hash_table_lookup (first, type);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, type));

      add_issue (imp->warnings, row->line, "Unknown type \"%s\": no rule and no earlier import knows it "
                 "(%u %s)", type, n, n == 1 ? "row" : "rows");
    }
  return TRUE;
}

static gboolean
find_missing (Import *imp, GError **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean count = imp->options->delete_missing && imp->options->dry_run;

  for (guint i = 0; i < imp->stored->len; i++)
    {
      SynAsset *asset = g_ptr_array_index (imp->stored, i);
      Missing *missing;

      if (is_rule_output (asset) || g_hash_table_contains (imp->list->tags, asset->tag))
        continue;
      missing = g_new0 (Missing, 1);
      missing->asset = g_object_ref (asset);
      g_ptr_array_add (imp->missing, missing);

      /* what the delete would take with it, each edge and cable once */
      if (count)
        {
          g_autoptr(GPtrArray) edges = syn_store_list_edges (imp->store, imp->project_id, asset->id, error);
          g_autoptr(GPtrArray) cables = NULL;

          if (edges == NULL ||
              !(cables = syn_store_list_asset_cables (imp->store, imp->project_id, asset->id, error)))
            return FALSE;
          for (guint e = 0; e < edges->len; e++)
            missing->edges += g_hash_table_add (seen, g_strdup (((SynEdge *) g_ptr_array_index (edges, e))->id));
          for (guint c = 0; c < cables->len; c++)
            missing->cables += g_hash_table_add (seen, g_strdup (((SynCable *) g_ptr_array_index (cables, c))->id));
        }
    }
  return TRUE;
}

/* Looks the row's tag up: in the project's assets (a revision reads them
 * all), or one by one (an import of new tags into a big project). */
static gboolean
find_existing (Import *imp, const char *tag, SynAsset **existing, GError **error)
{
  g_autoptr(GError) local_error = NULL;

  if (imp->by_tag != NULL)
    {
      SynAsset *asset = g_hash_table_lookup (imp->by_tag, tag);

      *existing = asset ? g_object_ref (asset) : NULL;
      return TRUE;
    }
  *existing = syn_store_get_asset_by_tag (imp->store, imp->project_id, tag, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* What the import would do, read from the project as it stands (inside the
 * batch's transaction, after the project lock, unless a dry run). */
static gboolean
plan (Import *imp, GError **error)
{
  gboolean revision = imp->options->mode == SYN_CSV_IMPORT_REVISION;
  SynCsvAssetList *list = imp->list;

  imp->errors = g_steal_pointer (&list->issues);
  imp->warnings = g_ptr_array_new_with_free_func ((GDestroyNotify) syn_csv_issue_free);
  imp->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  imp->missing = g_ptr_array_new_with_free_func ((GDestroyNotify) missing_free);

  if (revision)
    {
      imp->stored = syn_store_list_assets (imp->store, imp->project_id, NULL, NULL, 0, 0, NULL, error);
      if (imp->stored == NULL)
        return FALSE;
      imp->by_tag = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; i < imp->stored->len; i++)
        {
          SynAsset *asset = g_ptr_array_index (imp->stored, i);

          g_hash_table_insert (imp->by_tag, asset->tag, asset);
        }
    }

  for (guint i = 0; i < list->assets->len; i++)
    {
      SynAsset *asset = g_ptr_array_index (list->assets, i);
      guint line = g_array_index (list->lines, guint, i);
      g_autoptr(SynAsset) existing = NULL;
      Row *row;

      /* the reader takes any discipline; the project only knows six */
      if (!normalize_discipline (asset))
        {
          add_issue (imp->errors, line, "Unknown discipline \"%s\" (expected ELECTRICAL, AUTOMATION, MECHANICAL, "
                     "PROCESS, PIPING or INSTRUMENTATION)", asset->discipline);
          continue;
        }
      if (!find_existing (imp, asset->tag, &existing, error))
        return FALSE;
      if (existing != NULL && !revision)
        {
          add_issue (imp->errors, line, "tag %s already exists in the project", asset->tag);
          continue;
        }
      row = g_new0 (Row, 1);
      row->line = line;
      row->row = g_object_ref (asset);
      row->changes = json_array_new ();
      row->overwrote = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (imp->rows, row);
      if (existing == NULL)
        {
          row->fate = ROW_CREATED;
          imp->created++;
          continue;
        }
      row->before = g_steal_pointer (&existing);
      revise (row, list->columns);
      if (row->fate == ROW_UNCHANGED)
        imp->unchanged++;
      else if (!find_overwritten (imp, row, error))
        return FALSE;
      else
        imp->updated++;
    }

  if (!warn_unknown_types (imp, error))
    return FALSE;
  /* a list with no row it can take says nothing of what is missing */
  if (revision && imp->rows->len > 0 && !find_missing (imp, error))
    return FALSE;

  /* stable: the issues of one line keep the reader's order */
  g_ptr_array_sort (imp->errors, compare_issue_lines);
  g_ptr_array_sort (imp->warnings, compare_issue_lines);
  return TRUE;
}

/* ------------------------------------------------------------------------- */
/* The answer                                                                */

static JsonArray *
issues_json (GPtrArray *issues)
{
  JsonArray *array = json_array_sized_new (issues->len);

  for (guint i = 0; i < issues->len; i++)
    {
      SynCsvIssue *issue = g_ptr_array_index (issues, i);
      JsonObject *entry = json_object_new ();

      json_object_set_int_member (entry, "line", issue->line);
      json_object_set_string_member (entry, "message", issue->message);
      json_array_add_object_element (array, entry);
    }
  return array;
}

static JsonArray *
strings_json (GPtrArray *strings)
{
  JsonArray *array = json_array_sized_new (strings ? strings->len : 0);

  for (guint i = 0; strings && i < strings->len; i++)
    json_array_add_string_element (array, g_ptr_array_index (strings, i));
  return array;
}

static guint
n_deleted (Import *imp, const char *status)
{
  return imp->options->delete_missing && g_str_equal (status, "imported") ? imp->missing->len : 0;
}

/* The revision's diff: created, updated (each change old -> new), unchanged
 * tags, missing (deleted or kept). */
static JsonObject *
diff_json (Import *imp, const char *status)
{
  JsonObject *diff = json_object_new ();
  JsonArray *created = json_array_new ();
  JsonArray *updated = json_array_new ();
  JsonArray *unchanged = json_array_new ();
  JsonArray *missing = json_array_new ();
  gboolean deleted = n_deleted (imp, status) > 0;
  gboolean counted = imp->options->delete_missing && (deleted || imp->options->dry_run);

  for (guint i = 0; i < imp->rows->len; i++)
    {
      Row *row = g_ptr_array_index (imp->rows, i);
      JsonObject *entry;

      if (row->fate == ROW_UNCHANGED)
        {
          json_array_add_string_element (unchanged, row->row->tag);
          continue;
        }
      entry = json_object_new ();
      json_object_set_int_member (entry, "line", row->line);
      json_object_set_string_member (entry, "tag", row->row->tag);
      if (row->fate == ROW_CREATED)
        {
          json_object_set_string_member (entry, "type", row->row->type);
          json_object_set_member (entry, "asset", syn_asset_to_json (row->row));
          json_array_add_object_element (created, entry);
          continue;
        }
      json_object_set_string_member (entry, "asset_id", row->before->id);
      json_object_set_array_member (entry, "changes", json_array_ref (row->changes));
      json_object_set_array_member (entry, "overwrote_manual", strings_json (row->overwrote));
      json_object_set_array_member (entry, "held", strings_json (row->held));
      json_array_add_object_element (updated, entry);
    }
  for (guint i = 0; i < imp->missing->len; i++)
    {
      Missing *m = g_ptr_array_index (imp->missing, i);
      JsonObject *entry = json_object_new ();

      json_object_set_string_member (entry, "tag", m->asset->tag);
      json_object_set_string_member (entry, "asset_id", m->asset->id);
      json_object_set_string_member (entry, "type", m->asset->type);
      syn_json_set_string_or_null (entry, "description", m->asset->description);
      json_object_set_boolean_member (entry, "deleted", deleted);
      if (counted)
        {
          json_object_set_int_member (entry, "edges", m->edges);
          json_object_set_int_member (entry, "cables", m->cables);
        }
      json_array_add_object_element (missing, entry);
    }
  json_object_set_array_member (diff, "created", created);
  json_object_set_array_member (diff, "updated", updated);
  json_object_set_array_member (diff, "unchanged", unchanged);
  json_object_set_array_member (diff, "missing", missing);
  return diff;
}

/* Add: {mode, status, correlation_id, imported, skipped, errors, warnings}.
 * A revision also: dry_run, delete_missing, rows, created, updated,
 * unchanged, missing, deleted and diff. imported counts the rows that
 * create or change an asset (would, in a preview), skipped the rows not
 * taken: those with errors, or all of them when refused. */
static JsonNode *
build_answer (Import *imp, const char *status, const char *correlation_id)
{
  JsonObject *answer = json_object_new ();
  gboolean writes = g_str_equal (status, "imported") || g_str_equal (status, "preview");
  guint rows = imp->list->rows;
  guint imported = writes ? imp->created + imp->updated : 0;
  guint taken = g_str_equal (status, "refused") ? 0 : imp->rows->len;

  json_object_set_string_member (answer, "mode", syn_csv_import_mode_to_string (imp->options->mode));
  json_object_set_string_member (answer, "status", status);
  syn_json_set_string_or_null (answer, "correlation_id", correlation_id);
  json_object_set_int_member (answer, "imported", imported);
  json_object_set_int_member (answer, "skipped", rows - taken);
  json_object_set_array_member (answer, "errors", issues_json (imp->errors));
  json_object_set_array_member (answer, "warnings", issues_json (imp->warnings));
  if (imp->options->mode != SYN_CSV_IMPORT_REVISION)
    return syn_json_node_new_object (answer);

  json_object_set_boolean_member (answer, "dry_run", imp->options->dry_run);
  json_object_set_boolean_member (answer, "delete_missing", imp->options->delete_missing);
  json_object_set_int_member (answer, "rows", rows);
  json_object_set_int_member (answer, "created", imp->created);
  json_object_set_int_member (answer, "updated", imp->updated);
  json_object_set_int_member (answer, "unchanged", imp->unchanged);
  json_object_set_int_member (answer, "missing", imp->missing->len);
  json_object_set_int_member (answer, "deleted", n_deleted (imp, status));
  json_object_set_object_member (answer, "diff", diff_json (imp, status));
  return syn_json_node_new_object (answer);
}

/* ------------------------------------------------------------------------- */
/* The batch                                                                 */

/* CSV_IMPORTED first, its payload the mode and the counts; then the rows in
 * file order (ASSET_CREATED, ASSET_UPDATED), then the deletes of what the
 * list no longer names, all caused by the CSV_IMPORTED; the snapshot at
 * commit. On failure nothing remains. */
static gboolean
write_batch (Import *imp, SynBatch *batch, GError **error)
{
  gboolean revision = imp->options->mode == SYN_CSV_IMPORT_REVISION;
  g_autoptr(SynEvent) imported_event = NULL;
  JsonObject *payload = json_object_new ();

  json_object_set_string_member (payload, "mode", syn_csv_import_mode_to_string (imp->options->mode));
  json_object_set_int_member (payload, "imported", imp->created + imp->updated);
  json_object_set_int_member (payload, "skipped", imp->list->rows - imp->rows->len);
  json_object_set_int_member (payload, "rows", imp->list->rows);
  json_object_set_int_member (payload, "errors", imp->errors->len);
  json_object_set_int_member (payload, "warnings", imp->warnings->len);
  if (revision)
    {
      json_object_set_int_member (payload, "created", imp->created);
      json_object_set_int_member (payload, "updated", imp->updated);
      json_object_set_int_member (payload, "unchanged", imp->unchanged);
      json_object_set_int_member (payload, "missing", imp->missing->len);
      json_object_set_int_member (payload, "deleted", imp->options->delete_missing ? imp->missing->len : 0);
    }
  imported_event = syn_batch_emit (batch, SYN_EVENT_CSV_IMPORTED, SYN_AGGREGATE_BATCH,
                                   syn_batch_get_correlation_id (batch),
                                   syn_json_node_new_object (payload), NULL, NULL, NULL, error);
  if (imported_event == NULL)
    return FALSE;

  for (guint i = 0; i < imp->rows->len; i++)
    {
      Row *row = g_ptr_array_index (imp->rows, i);
      g_autoptr(SynEvent) event = NULL;
      g_autoptr(JsonObject) note = NULL;
      g_autoptr(GError) local_error = NULL;

      if (row->fate == ROW_UNCHANGED)
        continue;
      if (row->fate == ROW_CREATED)
        {
          if (!(event = syn_batch_create_asset (batch, row->row, NULL, imported_event->id, error)))
            return FALSE;
          continue;
        }
      /* the manual edits the list overwrote, said where the change is */
      if (row->overwrote->len > 0)
        {
          note = json_object_new ();
          json_object_set_array_member (note, "overwrote_manual", strings_json (row->overwrote));
        }
      event = syn_batch_update_asset_noted (batch, row->before, row->after, NULL, imported_event->id, note,
                                            &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  for (guint i = 0; imp->options->delete_missing && i < imp->missing->len; i++)
    {
      Missing *m = g_ptr_array_index (imp->missing, i);

      if (!syn_asset_editor_delete_in_batch (batch, m->asset, imported_event->id, &m->edges, &m->cables, error))
        return FALSE;
    }
  return syn_batch_commit (batch, error);
}

/* Nothing of a batch that is not to be is written: its transaction goes. */
static void
abandon (SynBatch **batch)
{
  if (*batch == NULL)
    return;
  syn_batch_abandon (*batch);
  g_clear_object (batch);
}

JsonNode *
syn_csv_import (SynStore    *store,
                const char  *project_id,
                const char  *user_id,
                const char  *data,
                gsize        length,
                gboolean     strict,
                GError     **error)
{
  SynCsvImportOptions options = { .mode = SYN_CSV_IMPORT_ADD, .strict = strict };

  return syn_csv_import_with_options (store, project_id, user_id, data, length, &options, error);
}

/* Imports @data into the project as one batch. File-level problems (bad
 * encoding, no header, TAG or TYPE column missing...) are errors
 * (SYN_ENGINE_ERROR_INVALID_CSV); problems of single rows are reported in
 * the answer's errors, those rows skipped, unless strict, where any of them
 * refuses the whole file. Status: "imported" (committed), "preview" (a dry
 * run that would write), "unchanged" (a revision with nothing to write),
 * "refused" (strict) or "empty" (no row to take). See build_answer(). */
JsonNode *
syn_csv_import_with_options (SynStore                  *store,
                             const char                *project_id,
                             const char                *user_id,
                             const char                *data,
                             gsize                      length,
                             const SynCsvImportOptions *options,
                             GError                   **error)
{
  g_auto(Import) imp = { 0 };
  g_autoptr(SynProject) project = NULL;
  g_autoptr(SynBatch) batch = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *correlation_id = NULL;
  const char *status;

  g_return_val_if_fail (SYN_IS_STORE (store), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (options->delete_missing && options->mode != SYN_CSV_IMPORT_REVISION)
    {
      g_set_error_literal (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID,
                           "delete_missing: only a revision (mode revision) deletes what its list no longer names");
      return NULL;
    }
  imp.store = store;
  imp.project_id = project_id;
  imp.options = options;
  imp.list = syn_csv_read_assets (data, length, error);
  if (imp.list == NULL)
    return NULL;

  project = syn_store_get_project (store, project_id, &local_error);
  if (project == NULL)
    {
      if (local_error == NULL)
        g_set_error (&local_error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_NOT_FOUND, "No project %s", project_id);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  /* The project is read inside the batch's transaction, after the project
   * lock: no other writer comes between the plan and its write. A dry run
   * only reads. */
  if (!options->dry_run)
    {
      if (!(batch = syn_batch_begin (store, project_id, user_id, error)))
        return NULL;
      if (!syn_store_lock_project (store, project_id, error))
        {
          abandon (&batch);
          return NULL;
        }
    }
  if (!plan (&imp, error))
    {
      abandon (&batch);
      return NULL;
    }

  if (options->strict && imp.errors->len > 0)
    status = "refused";
  else if (imp.rows->len == 0)
    status = "empty";
  else if (imp.created + imp.updated == 0 && !(options->delete_missing && imp.missing->len > 0))
    status = "unchanged";
  else if (options->dry_run)
    status = "preview";
  else
    status = "imported";
  if (!g_str_equal (status, "imported"))
    {
      abandon (&batch);
      return build_answer (&imp, status, NULL);
    }

  correlation_id = g_strdup (syn_batch_get_correlation_id (batch));
  if (!write_batch (&imp, batch, error))
    {
      abandon (&batch);
      return NULL;
    }
  return build_answer (&imp, status, correlation_id);
}
