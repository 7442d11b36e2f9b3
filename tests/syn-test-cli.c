/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-test-cli.c: running the synapse binary from a test, in a home of the test's own. */
#include "config.h"

#include <string.h>

#include "core/syn-json.h"
#include "syn-test-cli.h"

void
syn_test_cli_result_clear (SynTestCliResult *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

const char *
syn_test_synapse_bin (void)
{
  const char *bin = g_getenv ("SYNAPSE_BIN");

  g_assert_nonnull (bin);
  return bin;
}

GSubprocessLauncher *
syn_test_cli_launcher (const char *home, GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);
  g_autofree char *data = g_build_filename (home, "data", NULL);
  g_autofree char *config = g_build_filename (home, "config", NULL);

  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "SYNAPSE_DB");
  g_subprocess_launcher_unsetenv (launcher, "SYNAPSE_TOKEN");
  g_subprocess_launcher_unsetenv (launcher, "SYNAPSE_PASSWORD");
  return launcher;
}

void
syn_test_cli_expect_ok (SynTestCliResult *result, const char *what)
{
  if (result->status != 0)
    g_error ("%s: exit %d: %s", what, result->status, result->err);
  /* normal runs print no GLib warnings */
  g_assert_null (strstr (result->err, "WARNING"));
  g_assert_null (strstr (result->err, "CRITICAL"));
}

JsonNode *
syn_test_cli_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = syn_json_parse (text, -1, &error);

  g_assert_no_error (error);
  return node;
}

void
syn_test_cli_run (GSubprocessLauncher *launcher, const char * const *argv, const char *input,
                  SynTestCliResult *result)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  syn_test_cli_result_clear (result);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input ? input : "", NULL, &result->out, &result->err, &error);
  g_assert_no_error (error);
  result->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
}
