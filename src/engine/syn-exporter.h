/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-exporter.h: the cable schedule, the asset list and the filtered timeline as CSV or JSON tables. */
#pragma once

#include <json-glib/json-glib.h>

#include "store/syn-store.h"

G_BEGIN_DECLS

typedef enum {
  SYN_EXPORT_CABLES,
  SYN_EXPORT_ASSETS,
  SYN_EXPORT_TIMELINE,
} SynExportKind;

typedef enum {
  SYN_EXPORT_CSV,    /* RFC 4180: UTF-8 with a byte-order mark, CRLF, quoted where needed */
  SYN_EXPORT_JSON,   /* {"kind", "columns": [{key, title, unit}], "rows": [{key: value}]} */
} SynExportFormat;

/* The most events one timeline export takes: narrower filters beyond. */
#define SYN_EXPORT_MAX_EVENTS 100000

/* One column: @key in JSON rows, "@title (@unit)" as the CSV header. */
typedef struct
{
  const char *key;
  const char *title;
  const char *unit;     /* NULL: none */
} SynExportColumn;

gboolean     syn_export_kind_parse    (const char       *text,
                                       SynExportKind    *out,
                                       GError          **error);
gboolean     syn_export_format_parse  (const char       *text,
                                       SynExportFormat  *out,
                                       GError          **error);
const char  *syn_export_kind_name     (SynExportKind     kind);
const char  *syn_export_content_type  (SynExportFormat   format);

/* The fixed columns of a kind (assets: the chosen properties come before
 * "created_by"), @n_columns of them. */
const SynExportColumn *syn_export_columns (SynExportKind  kind,
                                           guint         *n_columns);

/* A cell of an asset or a cable by its column key (a property's name for
 * the asset list's chosen ones): a string, a number or NULL (JSON null). */
JsonNode    *syn_export_asset_cell    (SynAsset         *asset,
                                       const char       *key,
                                       const char       *creator);
JsonNode    *syn_export_cable_cell    (SynCable         *cable,
                                       const char       *key,
                                       const char       *from_tag,
                                       const char       *to_tag,
                                       const char       *creator);
/* A cell as a CSV field or a grid shows it: numbers without a useless fraction. */
char        *syn_export_cell_text     (JsonNode         *cell);

/* A table written row by row. */
typedef struct _SynExportTable SynExportTable;

SynExportTable *syn_export_table_new      (SynExportKind      kind,
                                           SynExportFormat    format,
                                           const char * const *properties);
void            syn_export_table_add_row  (SynExportTable    *table,
                                           JsonNode         **cells);
guint           syn_export_table_n_columns (SynExportTable   *table);
const char     *syn_export_table_key      (SynExportTable    *table,
                                           guint              column);
/* The text; the table is freed. */
char           *syn_export_table_finish   (SynExportTable    *table,
                                           guint             *n_rows);
void            syn_export_table_free     (SynExportTable    *table);

/* A whole export from the store: cables and assets by @entities (its page
 * ignored), the timeline by @events (its page ignored). @properties: the
 * asset list's chosen properties. */
char        *syn_exporter_run         (SynStore            *store,
                                       SynExportKind        kind,
                                       SynExportFormat      format,
                                       const SynEntityQuery *entities,
                                       const SynEventQuery  *events,
                                       const char * const   *properties,
                                       guint               *n_rows,
                                       GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SynExportTable, syn_export_table_free)

G_END_DECLS
