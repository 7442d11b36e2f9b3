/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-cli.h: the command-line subcommands of the synapse binary. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean syn_cli_is_subcommand (const char *name);
int      syn_cli_run           (int    argc,
                                char **argv);

G_END_DECLS
