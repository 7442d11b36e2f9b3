/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-csv-importer.h: the import of a P&ID asset list (CSV) into a project, as one batch: new tags, or a revised list. */
#pragma once

#include "store/syn-store.h"

G_BEGIN_DECLS

typedef enum {
  SYN_CSV_IMPORT_ADD,       /* every row a new asset; a tag the project has is a row error */
  SYN_CSV_IMPORT_REVISION,  /* rows matched by tag: created, updated or unchanged; the
                             * project's other source assets are missing from the list */
} SynCsvImportMode;

typedef struct
{
  SynCsvImportMode mode;
  gboolean strict;          /* any row error: nothing is written */
  gboolean dry_run;         /* the answer only: nothing is written */
  gboolean delete_missing;  /* revision: delete what the list no longer names */
} SynCsvImportOptions;

/* "add", "revision". */
const char *syn_csv_import_mode_to_string   (SynCsvImportMode  mode);
gboolean    syn_csv_import_mode_from_string (const char       *text,
                                             SynCsvImportMode *mode);

/* An import of new tags (SYN_CSV_IMPORT_ADD). */
JsonNode *syn_csv_import              (SynStore                  *store,
                                       const char                *project_id,
                                       const char                *user_id,
                                       const char                *data,
                                       gsize                      length,
                                       gboolean                   strict,
                                       GError                   **error);
JsonNode *syn_csv_import_with_options (SynStore                  *store,
                                       const char                *project_id,
                                       const char                *user_id,
                                       const char                *data,
                                       gsize                      length,
                                       const SynCsvImportOptions *options,
                                       GError                   **error);

G_END_DECLS
