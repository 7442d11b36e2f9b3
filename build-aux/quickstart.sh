#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# quickstart.sh: the README's first command: a demo on the local SQLite database.
set -euo pipefail
synapse=$1; shift
project="Quick start $(date +%Y%m%d-%H%M%S)"
echo "Database: $SYNAPSE_DB"
"$synapse" project create "$project" --country CA
"$synapse" project list
"$synapse" timeline --project "$project"
"$synapse" state-hash --project "$project"
