/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-security-common.h: helpers shared by the security tests (test-hostile.c, test-authz.c). */
#pragma once

#include <json-glib/json-glib.h>

#include "syn-test-fixture.h"
#include "syn-test-server.h"

G_BEGIN_DECLS

gboolean       syn_security_take_full   (int *argc, char ***argv);
SynTestServer *syn_security_server_start (const SynTestServerOptions *options, SynTestFixture *db);
gint64         syn_security_query_int   (const SynTestFixture *db, const char *sql);
JsonObject    *syn_security_object      (JsonNode *node);
void           syn_security_wait_run    (SynTestServer *srv, const char *token, const char *execution_id);
void           syn_security_append_rules (SynStore *store, GString *s, const char *project_id);
void           syn_security_postgres_missing (void);

G_END_DECLS
