/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-cli-assets.c: synapse subcommands (being written). */
#include "config.h"

#include "syn-cli-private.h"

int
_syn_cli_import (int argc, char **argv)
{
  return _syn_cli_usage_error ("not available yet");
}

int
_syn_cli_asset (int argc, char **argv)
{
  return _syn_cli_usage_error ("not available yet");
}
