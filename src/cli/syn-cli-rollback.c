/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-cli-rollback.c: synapse subcommands (being written). */
#include "config.h"

#include "syn-cli-private.h"

int
_syn_cli_rollback (int argc, char **argv)
{
  return _syn_cli_usage_error ("not available yet");
}
