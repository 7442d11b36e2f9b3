/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-exporter.c: the cable schedule, the asset list and the filtered timeline as CSV or JSON, for the
 * command line, the REST routes and the GUI alike.
 *
 * CSV follows RFC 4180 (CRLF, fields quoted when they hold a comma, a quote
 * or a line break, quotes doubled) in UTF-8 with a byte-order mark, so a
 * spreadsheet opens it as UTF-8; the header names each column with its unit.
 * Numbers are written with a dot and no thousands separator. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "core/syn-json.h"
#include "core/syn-time.h"
#include "syn-engine-error.h"
#include "syn-exporter.h"

/* Rows read from the store at a time. */
#define CHUNK 5000

static const SynExportColumn cable_columns[] = {
  { "tag", "tag", NULL },
  { "from", "from", NULL },
  { "to", "to", NULL },
  { "cable_type", "type", NULL },
  { "voltage", "voltage", "V" },
  { "length_m", "length", "m" },
  { "conductor_size", "conductor size", NULL },
  { "flc_a", "FLC", "A" },
  { "ampacity_a", "ampacity", "A" },
  { "voltage_drop_pct", "voltage drop", "%" },
  { "created_by", "created by", NULL },
};

static const SynExportColumn asset_columns[] = {
  { "tag", "tag", NULL },
  { "type", "type", NULL },
  { "description", "description", NULL },
  { "area", "area", NULL },
  { "discipline", "discipline", NULL },
  { "created_by", "created by", NULL },
};

static const SynExportColumn timeline_columns[] = {
  { "position", "position", NULL },
  { "timestamp", "time", "UTC" },
  { "event_type", "event type", NULL },
  { "aggregate_type", "aggregate type", NULL },
  { "aggregate_id", "aggregate id", NULL },
  { "tag", "tag", NULL },
  { "rule_id", "rule", NULL },
  { "discipline", "discipline", NULL },
  { "correlation_id", "batch", NULL },
  { "sequence_num", "sequence", NULL },
  { "user_id", "user", NULL },
  { "is_rolled_back", "rolled back", NULL },
};

static const char * const kind_names[] = { "cables", "assets", "timeline" };

gboolean
syn_export_kind_parse (const char *text, SynExportKind *out, GError **error)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (kind_names); i++)
    if (g_str_equal (text, kind_names[i]))
      {
        *out = (SynExportKind) i;
        return TRUE;
      }
  g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID,
               "kind: \"%s\" is not cables, assets or timeline", text ? text : "");
  return FALSE;
}

gboolean
syn_export_format_parse (const char *text, SynExportFormat *out, GError **error)
{
  if (text == NULL || g_ascii_strcasecmp (text, "csv") == 0)
    *out = SYN_EXPORT_CSV;
  else if (g_ascii_strcasecmp (text, "json") == 0)
    *out = SYN_EXPORT_JSON;
  else
    {
      g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID, "format: \"%s\" is not csv or json", text);
      return FALSE;
    }
  return TRUE;
}

const char *
syn_export_kind_name (SynExportKind kind)
{
  return kind_names[CLAMP ((guint) kind, 0, G_N_ELEMENTS (kind_names) - 1)];
}

const char *
syn_export_content_type (SynExportFormat format)
{
  return format == SYN_EXPORT_JSON ? "application/json" : "text/csv; charset=utf-8";
}

const SynExportColumn *
syn_export_columns (SynExportKind kind, guint *n_columns)
{
  switch (kind)
    {
    case SYN_EXPORT_CABLES:
      *n_columns = G_N_ELEMENTS (cable_columns);
      return cable_columns;
    case SYN_EXPORT_ASSETS:
      *n_columns = G_N_ELEMENTS (asset_columns);
      return asset_columns;
    case SYN_EXPORT_TIMELINE:
    default:
      *n_columns = G_N_ELEMENTS (timeline_columns);
      return timeline_columns;
    }
}

/* ------------------------------------------------------------------------- */
/* Cells                                                                     */

static JsonNode *
string_cell (const char *text)
{
  JsonNode *node = json_node_new (JSON_NODE_NULL);

  if (text != NULL && *text != '\0')
    {
      json_node_init_string (node, text);
    }
  return node;
}

static JsonNode *
number_cell (double value)
{
  JsonNode *node = json_node_new (JSON_NODE_NULL);

  if (!isnan (value))
    json_node_init_double (node, value);
  return node;
}

JsonNode *
syn_export_asset_cell (SynAsset *asset, const char *key, const char *creator)
{
  const char *column;

  g_return_val_if_fail (SYN_IS_ASSET (asset), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (g_str_equal (key, "created_by"))
    return string_cell (asset->created_by_rule_id ? asset->created_by_rule_id : creator);
  if ((column = syn_asset_get_column (asset, key)) != NULL || g_strv_contains (syn_asset_columns (), key))
    return string_cell (column);
  if (asset->properties != NULL && json_object_has_member (asset->properties, key))
    {
      JsonNode *value = json_object_get_member (asset->properties, key);

      if (JSON_NODE_HOLDS_VALUE (value))
        return json_node_copy (value);
      if (!JSON_NODE_HOLDS_NULL (value))
        {
          g_autofree char *text = json_to_string (value, FALSE);

          return string_cell (text);
        }
    }
  return json_node_new (JSON_NODE_NULL);
}

JsonNode *
syn_export_cable_cell (SynCable *cable, const char *key, const char *from_tag, const char *to_tag,
                       const char *creator)
{
  g_return_val_if_fail (SYN_IS_CABLE (cable), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (g_str_equal (key, "tag"))
    return string_cell (cable->tag);
  if (g_str_equal (key, "from"))
    return string_cell (from_tag);
  if (g_str_equal (key, "to"))
    return string_cell (to_tag);
  if (g_str_equal (key, "cable_type"))
    return string_cell (cable->cable_type);
  if (g_str_equal (key, "voltage"))
    return number_cell (cable->voltage);
  if (g_str_equal (key, "length_m"))
    return number_cell (cable->length_m);
  if (g_str_equal (key, "conductor_size"))
    return string_cell (cable->conductor_size);
  if (g_str_equal (key, "flc_a"))
    return number_cell (cable->flc_a);
  if (g_str_equal (key, "ampacity_a"))
    return number_cell (cable->ampacity_a);
  if (g_str_equal (key, "voltage_drop_pct"))
    return number_cell (cable->voltage_drop_pct);
  if (g_str_equal (key, "created_by"))
    return string_cell (cable->created_by_rule_id ? cable->created_by_rule_id : creator);
  return json_node_new (JSON_NODE_NULL);
}

/* The tag an event is about, when its payload says. */
static const char *
event_tag (SynEvent *event)
{
  JsonObject *payload = event->payload && JSON_NODE_HOLDS_OBJECT (event->payload)
                        ? json_node_get_object (event->payload) : NULL;
  JsonObject *after;

  if (payload == NULL)
    return NULL;
  if (syn_json_get_string (payload, "tag") != NULL)
    return syn_json_get_string (payload, "tag");
  if (json_object_has_member (payload, "after") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (payload, "after")) &&
      (after = json_object_get_object_member (payload, "after")) != NULL)
    return syn_json_get_string (after, "tag");
  return syn_json_get_string (payload, "source_asset_tag");
}

static JsonNode *
event_cell (SynEvent *event, const char *key)
{
  JsonNode *node;

  if (g_str_equal (key, "position"))
    return number_cell ((double) event->position);
  if (g_str_equal (key, "timestamp"))
    {
      g_autofree char *text = syn_time_to_iso8601 (event->timestamp);

      return string_cell (text);
    }
  if (g_str_equal (key, "tag"))
    return string_cell (event_tag (event));
  if (g_str_equal (key, "sequence_num"))
    return number_cell ((double) event->sequence_num);
  if (g_str_equal (key, "is_rolled_back"))
    {
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_boolean (node, event->is_rolled_back);
      return node;
    }
  if (g_str_equal (key, "event_type"))
    return string_cell (event->event_type);
  if (g_str_equal (key, "aggregate_type"))
    return string_cell (event->aggregate_type);
  if (g_str_equal (key, "aggregate_id"))
    return string_cell (event->aggregate_id);
  if (g_str_equal (key, "rule_id"))
    return string_cell (event->rule_id);
  if (g_str_equal (key, "discipline"))
    return string_cell (event->discipline);
  if (g_str_equal (key, "correlation_id"))
    return string_cell (event->correlation_id);
  return string_cell (event->user_id);
}

char *
syn_export_cell_text (JsonNode *cell)
{
  if (cell == NULL || !JSON_NODE_HOLDS_VALUE (cell))
    return g_strdup ("");
  switch (json_node_get_value_type (cell))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (cell));
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (cell) ? "true" : "false");
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (cell));
    case G_TYPE_DOUBLE:
    default:
      {
        double d = json_node_get_double (cell);
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        if (d == floor (d) && fabs (d) < 1e15)
          return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) d);
        /* ten significant digits: what a computed drop means, no binary noise */
        return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.10g", d));
      }
    }
}

/* ------------------------------------------------------------------------- */
/* Tables                                                                    */

struct _SynExportTable
{
  SynExportKind    kind;
  SynExportFormat  format;
  GPtrArray       *keys;     /* char * */
  GString         *out;
  guint            n_rows;
};

static void
csv_field (GString *out, const char *text)
{
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
add_column (SynExportTable *table, const char *key, const char *title, const char *unit, gboolean *first)
{
  g_autofree char *header = unit ? g_strdup_printf ("%s (%s)", title, unit) : g_strdup (title);

  g_ptr_array_add (table->keys, g_strdup (key));
  if (table->format == SYN_EXPORT_CSV)
    {
      if (!*first)
        g_string_append_c (table->out, ',');
      csv_field (table->out, header);
    }
  else
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "key");
      json_builder_add_string_value (b, key);
      json_builder_set_member_name (b, "title");
      json_builder_add_string_value (b, title);
      json_builder_set_member_name (b, "unit");
      if (unit)
        json_builder_add_string_value (b, unit);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      json_generator_set_root (gen, root);
      text = json_generator_to_data (gen, NULL);
      g_string_append_printf (table->out, "%s%s", *first ? "" : ",", text);
    }
  *first = FALSE;
}

SynExportTable *
syn_export_table_new (SynExportKind kind, SynExportFormat format, const char * const *properties)
{
  SynExportTable *table = g_new0 (SynExportTable, 1);
  const SynExportColumn *columns;
  guint n;
  gboolean first = TRUE;

  table->kind = kind;
  table->format = format;
  table->keys = g_ptr_array_new_with_free_func (g_free);
  table->out = g_string_new (NULL);
  if (format == SYN_EXPORT_CSV)
    g_string_append (table->out, "\xEF\xBB\xBF");
  else
    g_string_append_printf (table->out, "{\"kind\":\"%s\",\"columns\":[", syn_export_kind_name (kind));

  columns = syn_export_columns (kind, &n);
  for (guint i = 0; i < n; i++)
    {
      /* the chosen properties, before who created the asset */
      if (kind == SYN_EXPORT_ASSETS && g_str_equal (columns[i].key, "created_by"))
        for (guint p = 0; properties && properties[p]; p++)
          if (!g_ptr_array_find_with_equal_func (table->keys, properties[p], g_str_equal, NULL))
            add_column (table, properties[p], properties[p], NULL, &first);
      add_column (table, columns[i].key, columns[i].title, columns[i].unit, &first);
    }
  g_string_append (table->out, format == SYN_EXPORT_CSV ? "\r\n" : "],\"rows\":[");
  return table;
}

guint
syn_export_table_n_columns (SynExportTable *table)
{
  return table->keys->len;
}

const char *
syn_export_table_key (SynExportTable *table, guint column)
{
  g_return_val_if_fail (column < table->keys->len, NULL);
  return g_ptr_array_index (table->keys, column);
}

/* @cells: one per column, taken. */
void
syn_export_table_add_row (SynExportTable *table, JsonNode **cells)
{
  g_return_if_fail (table != NULL);

  if (table->format == SYN_EXPORT_CSV)
    for (guint i = 0; i < table->keys->len; i++)
      {
        g_autofree char *text = syn_export_cell_text (cells[i]);

        if (i > 0)
          g_string_append_c (table->out, ',');
        csv_field (table->out, text);
      }
  else
    {
      g_autoptr(JsonObject) row = json_object_new ();
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *text = NULL;

      for (guint i = 0; i < table->keys->len; i++)
        json_object_set_member (row, g_ptr_array_index (table->keys, i), json_node_copy (cells[i]));
      node = syn_json_node_new_object (g_steal_pointer (&row));
      text = json_to_string (node, FALSE);
      g_string_append_printf (table->out, "%s%s", table->n_rows ? "," : "", text);
    }
  for (guint i = 0; i < table->keys->len; i++)
    g_clear_pointer (&cells[i], json_node_unref);
  if (table->format == SYN_EXPORT_CSV)
    g_string_append (table->out, "\r\n");
  table->n_rows++;
}

char *
syn_export_table_finish (SynExportTable *table, guint *n_rows)
{
  char *text;

  if (table->format == SYN_EXPORT_JSON)
    g_string_append (table->out, "]}\n");
  if (n_rows != NULL)
    *n_rows = table->n_rows;
  text = g_string_free (g_steal_pointer (&table->out), FALSE);
  syn_export_table_free (table);
  return text;
}

void
syn_export_table_free (SynExportTable *table)
{
  if (table == NULL)
    return;
  g_ptr_array_unref (table->keys);
  if (table->out != NULL)
    g_string_free (table->out, TRUE);
  g_free (table);
}

/* ------------------------------------------------------------------------- */
/* From the store                                                            */

static gboolean
export_entities (SynStore *store, SynExportTable *table, const SynEntityQuery *query, GError **error)
{
  g_autoptr(SynEntityQuery) q = syn_entity_query_copy (query);
  guint n = syn_export_table_n_columns (table);
  g_autofree JsonNode **cells = g_new0 (JsonNode *, n);

  q->count = FALSE;
  q->limit = CHUNK;
  for (q->offset = 0;; q->offset += CHUNK)
    {
      g_autoptr(SynEntityPage) page = syn_store_query_entities (store, q, error);

      if (page == NULL)
        return FALSE;
      for (guint r = 0; r < page->items->len; r++)
        {
          gpointer item = g_ptr_array_index (page->items, r);

          for (guint c = 0; c < n; c++)
            {
              const char *key = syn_export_table_key (table, c);

              if (q->kind == SYN_ENTITY_CABLES)
                {
                  SynCable *cable = item;

                  cells[c] = syn_export_cable_cell (cable, key,
                                                    cable->from_asset_id ? g_hash_table_lookup (page->asset_tags, cable->from_asset_id) : NULL,
                                                    cable->to_asset_id ? g_hash_table_lookup (page->asset_tags, cable->to_asset_id) : NULL,
                                                    g_hash_table_lookup (page->creators, cable->id));
                }
              else
                cells[c] = syn_export_asset_cell (item, key,
                                                  g_hash_table_lookup (page->creators, ((SynAsset *) item)->id));
            }
          syn_export_table_add_row (table, cells);
        }
      if (page->items->len < CHUNK)
        return TRUE;
    }
}

static gboolean
export_events (SynStore *store, SynExportTable *table, const SynEventQuery *query, GError **error)
{
  g_autoptr(SynEventQuery) q = syn_event_query_copy (query);
  guint n = syn_export_table_n_columns (table);
  g_autofree JsonNode **cells = g_new0 (JsonNode *, n);
  guint64 total = 0;

  q->limit = SYN_EVENT_QUERY_MAX_LIMIT;
  for (q->offset = 0;; q->offset += q->limit)
    {
      g_autoptr(GPtrArray) events = syn_store_query_events (store, q, q->offset == 0 ? &total : NULL, error);

      if (events == NULL)
        return FALSE;
      if (q->offset == 0 && total > SYN_EXPORT_MAX_EVENTS)
        {
          g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID,
                       "The filters select %" G_GUINT64_FORMAT " events; one export takes at most %d: "
                       "narrow them (dates, event types, a batch)", total, SYN_EXPORT_MAX_EVENTS);
          return FALSE;
        }
      for (guint r = 0; r < events->len; r++)
        {
          for (guint c = 0; c < n; c++)
            cells[c] = event_cell (g_ptr_array_index (events, r), syn_export_table_key (table, c));
          syn_export_table_add_row (table, cells);
        }
      if (events->len < q->limit)
        return TRUE;
    }
}

char *
syn_exporter_run (SynStore             *store,
                  SynExportKind         kind,
                  SynExportFormat       format,
                  const SynEntityQuery *entities,
                  const SynEventQuery  *events,
                  const char * const   *properties,
                  guint                *n_rows,
                  GError              **error)
{
  g_autoptr(SynExportTable) table = NULL;
  gboolean ok;

  g_return_val_if_fail (SYN_IS_STORE (store), NULL);
  g_return_val_if_fail (kind == SYN_EXPORT_TIMELINE ? events != NULL : entities != NULL, NULL);

  table = syn_export_table_new (kind, format, properties);
  if (kind == SYN_EXPORT_TIMELINE)
    ok = export_events (store, table, events, error);
  else
    ok = export_entities (store, table, entities, error);
  if (!ok)
    return NULL;
  return syn_export_table_finish (g_steal_pointer (&table), n_rows);
}
