/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-csv-importer.h: the import of a P&ID asset list (CSV) into a project, as one batch. */
#pragma once

#include "store/syn-store.h"

G_BEGIN_DECLS

JsonNode *syn_csv_import (SynStore    *store,
                          const char  *project_id,
                          const char  *user_id,
                          const char  *data,
                          gsize        length,
                          gboolean     strict,
                          GError     **error);

G_END_DECLS
