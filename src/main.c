/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c: the synapse binary: subcommands without a display, the GUI otherwise. */
#include "config.h"

#include <glib.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "cli/syn-cli.h"
#include "ui/syn-application.h"

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "");
  /* the command line's counts go through ngettext too */
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  if (argc >= 2 && (syn_cli_is_subcommand (argv[1]) || argv[1][0] != '-'))
    return syn_cli_run (argc, argv);

  /* No subcommand (or only options such as --connect URL): the window.
   * GTK is initialised there and only there. */
  return syn_application_run_main (argc, argv);
}
