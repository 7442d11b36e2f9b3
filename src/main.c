/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c: the synapse binary: subcommands, and later the GUI. */
#include "config.h"

#include <glib.h>

int
main (int argc, char *argv[])
{
  return 0;
}
