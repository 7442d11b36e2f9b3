/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-cli-execute.c: synapse subcommands (being written). */
#include "config.h"

#include "syn-cli-private.h"

int
_syn_cli_execute (int argc, char **argv)
{
  return _syn_cli_usage_error ("not available yet");
}

int
_syn_cli_rules (int argc, char **argv)
{
  return _syn_cli_usage_error ("not available yet");
}

int
_syn_cli_demo (int argc, char **argv)
{
  return _syn_cli_usage_error ("not available yet");
}

int
_syn_cli_explain (int argc, char **argv)
{
  return _syn_cli_usage_error ("not available yet");
}
