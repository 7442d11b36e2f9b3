/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-csv-reader.h: CSV parsing, and the mapping of a P&ID asset list's rows to SynAssets. */
#pragma once

#include <glib.h>

#include "core/syn-asset.h"

G_BEGIN_DECLS

/* One non-empty record of a CSV file. line is the physical line it starts on,
 * the first line of the file being 1; a quoted field may span more lines. */
typedef struct
{
  guint line;
  GPtrArray *fields; /* char*, owned */
} SynCsvRecord;

void        syn_csv_record_free      (SynCsvRecord *record);
/* The header's delimiter: ',', ';' or '\t' (see the .c file). */
char        syn_csv_detect_delimiter (const char   *data,
                                      gsize         length);
/* "a semicolon", "'|'": for messages. */
char       *syn_csv_delimiter_name   (char          delimiter);
/* Records delimited as the header is. */
GPtrArray  *syn_csv_parse            (const char   *data,
                                      gsize         length,
                                      GError      **error);
/* @delimiter: ',', ';' or '\t'. */
GPtrArray  *syn_csv_parse_with       (const char   *data,
                                      gsize         length,
                                      char          delimiter,
                                      GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SynCsvRecord, syn_csv_record_free)

/* A problem with one row; the row yields no asset. A row may have several. */
typedef struct
{
  guint line;
  char *message;
} SynCsvIssue;

/* What an asset list holds, checked on its own: duplicates against a
 * project's existing assets are the importer's business. */
typedef struct
{
  GPtrArray *assets;  /* SynAsset*, owned: tag, type, description, area,
                       * discipline and properties set; id and project_id NULL */
  GArray *lines;      /* guint: the line of each asset's row */
  GPtrArray *issues;  /* SynCsvIssue*, owned, in line order */
  GHashTable *tags;   /* every tag a data row names, good row or bad -> its first line */
  GStrv columns;      /* the header's lower-cased names ("tag", "type", "hp"...), in
                       * order, unnamed columns left out: what the file speaks of */
  guint rows;         /* data rows read, good or bad; empty lines not counted */
} SynCsvAssetList;

void             syn_csv_issue_free      (SynCsvIssue     *issue);
void             syn_csv_asset_list_free (SynCsvAssetList *list);
SynCsvAssetList *syn_csv_read_assets     (const char      *data,
                                          gsize            length,
                                          GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SynCsvIssue, syn_csv_issue_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SynCsvAssetList, syn_csv_asset_list_free)

G_END_DECLS
