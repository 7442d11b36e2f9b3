#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# quickstart.sh: the command-line demo on the local SQLite database: a demo project, a batch, its timeline.
set -euo pipefail
synapse=$1; shift
project="Gold Mine Demo $(date +%Y%m%d-%H%M%S)"
echo "Database: ${SYNAPSE_DB:-default}"
"$synapse" demo --name "$project"
"$synapse" execute --project "$project"
"$synapse" timeline --project "$project" --event-types ASSET_CREATED,CABLE_CREATED --limit 10
"$synapse" explain 210-M-001 --project "$project"
"$synapse" state-hash --project "$project"
