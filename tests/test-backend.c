/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-backend.c: the backend layer's own pieces: error mapping, the shared route table, the run
 * object, project changes. */
#include "config.h"

#include <string.h>

#include "backend/syn-local-backend.h"
#include "core/syn-core.h"
#include "engine/syn-engine-error.h"
#include "store/syn-store.h"
#include "syn-test-fixture.h"

/* ------------------------------------------------------------------------- */
/* Error mapping                                                             */

typedef struct
{
  GQuark domain;
  int    code;
  int    status;
} Mapping;

/* One mapping of every layer's errors onto HTTP statuses. It used to be
 * written three times, and SYN_ENGINE_ERROR_FAILED (a damaged snapshot, a
 * replay that cannot go on) was a 400 in one copy and a 500 in the others. */
static void
test_error_mapping (void)
{
  const Mapping mappings[] = {
    { SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_FAILED, 500 },
    { SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_CYCLE, 500 },
    { SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_NOT_FOUND, 404 },
    { SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_BUSY, 423 },
    { SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_ROLLBACK_BLOCKED, 409 },
    { SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_ROLLBACK_REFUSED, 400 },
    { SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID_CSV, 400 },
    { SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID_RULE, 400 },
    { SYN_STORE_ERROR, SYN_STORE_ERROR_CONSTRAINT, 409 },
    { SYN_STORE_ERROR, SYN_STORE_ERROR_BUSY, 423 },
    { SYN_STORE_ERROR, SYN_STORE_ERROR_CONNECTION, 503 },
    { SYN_STORE_ERROR, SYN_STORE_ERROR_FAILED, 500 },
    { SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_FIELD, 400 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (mappings); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (mappings[i].domain, mappings[i].code, "the message");

      syn_backend_error_from_other (&error);
      g_assert_true (error->domain == SYN_BACKEND_ERROR);
      g_assert_cmpstr (error->message, ==, "the message");
      if (syn_backend_error_to_http_status (error) != mappings[i].status)
        g_error ("%s %d: %d, expected %d", g_quark_to_string (mappings[i].domain), mappings[i].code,
                 syn_backend_error_to_http_status (error), mappings[i].status);
    }
}

/* ------------------------------------------------------------------------- */

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/synapse/backend/error-mapping", test_error_mapping);

  return g_test_run ();
}
