/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-test-cli.h: running the synapse binary from a test, in a home of the test's own. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  int   status;    /* the exit status; -1 when killed */
  char *out;
  char *err;
} SynTestCliResult;

void                 syn_test_cli_result_clear (SynTestCliResult *result);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SynTestCliResult, syn_test_cli_result_clear)

/* $SYNAPSE_BIN, which meson test sets. */
const char          *syn_test_synapse_bin      (void);
/* A launcher whose children keep to @home: XDG_DATA_HOME and
 * XDG_CONFIG_HOME below it (the default database, saved tokens), no
 * SYNAPSE_DB, SYNAPSE_TOKEN or SYNAPSE_PASSWORD of the tester's. */
GSubprocessLauncher *syn_test_cli_launcher     (const char       *home,
                                                GSubprocessFlags  flags);
/* Exit status 0 and no GLib warning: otherwise the test fails, saying @what. */
void                 syn_test_cli_expect_ok    (SynTestCliResult *result,
                                                const char       *what);
/* The JSON a command printed (the test fails unless it is JSON). */
JsonNode            *syn_test_cli_json         (const char       *text);
/* Runs @argv (the binary first, NULL-terminated) with @input on stdin. */
void                 syn_test_cli_run          (GSubprocessLauncher *launcher,
                                                const char * const  *argv,
                                                const char          *input,
                                                SynTestCliResult    *result);

G_END_DECLS
