/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c: the synapse binary: subcommands without a display, the GUI otherwise. */
#include "config.h"

#include <glib.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "cli/syn-cli.h"
#include "ui/syn-application.h"

/* Where the translations are: SYNAPSE_LOCALEDIR if set, the build tree's
 * when this binary is the build tree's (run without installing), else the
 * installed ones. */
static char *
locale_dir (void)
{
  const char *env = g_getenv ("SYNAPSE_LOCALEDIR");
  g_autofree char *exe = NULL;
  g_autofree char *build_root = NULL;

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  exe = g_file_read_link ("/proc/self/exe", NULL);
  build_root = g_strconcat (BUILD_ROOT, G_DIR_SEPARATOR_S, NULL);
  if (exe != NULL && g_str_has_prefix (exe, build_root) && g_file_test (BUILD_LOCALEDIR, G_FILE_TEST_IS_DIR))
    return g_strdup (BUILD_LOCALEDIR);
  return g_strdup (LOCALEDIR);
}

int
main (int argc, char *argv[])
{
  g_autofree char *localedir = locale_dir ();

  setlocale (LC_ALL, "");
  /* the command line's counts go through ngettext too */
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  if (argc >= 2 && (syn_cli_is_subcommand (argv[1]) || argv[1][0] != '-'))
    return syn_cli_run (argc, argv);

  /* No subcommand (or only options such as --connect URL): the window.
   * GTK is initialised there and only there. */
  return syn_application_run_main (argc, argv);
}
