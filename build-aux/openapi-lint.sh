#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# openapi-lint.sh: the server's GET /api/v1/openapi.json validated by Redocly CLI (a maintained validator from npm).
#
#   build-aux/openapi-lint.sh [SYNAPSE]     the synapse binary (default: $SYNAPSE, else _build/src/synapse)
#   build-aux/openapi-lint.sh --fetch       only put the pinned validator in the npm cache (CI does, before the tests)
#
# Exit 77 (meson: SKIP) when npx is missing, or the validator is not in the
# npm cache: the test itself never goes to the network. Any error or warning
# of the lint (build-aux/redocly.yaml: the recommended rules) fails it.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
validator="@redocly/cli@2.77.0"   # pinned: a new release's new rules must not break the build unseen

if ! command -v npx >/dev/null; then
  echo "openapi-lint: SKIP: npx is missing (apt-get install nodejs npm)" >&2
  exit 77
fi
if [ "${1:-}" = --fetch ]; then
  exec npx --yes "$validator" --version
fi
if ! npx --offline --yes "$validator" --version >/dev/null 2>&1; then
  echo "openapi-lint: SKIP: $validator is not in the npm cache (build-aux/openapi-lint.sh --fetch)" >&2
  exit 77
fi

synapse=${1:-${SYNAPSE:-$top/_build/src/synapse}}
work=$(mktemp -d /tmp/synapse-openapi-XXXXXX)
server_pid=
cleanup () {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$synapse" serve --db "$work/lint.db" --port "$port" --quiet > "$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
  sleep 0.2
done
curl -sf "http://127.0.0.1:$port/api/v1/openapi.json" -o "$work/openapi.json"

status=0
npx --offline --yes "$validator" lint --config "$top/build-aux/redocly.yaml" --format stylish \
  "$work/openapi.json" > "$work/lint.txt" 2>&1 || status=$?
# the validator's own notices (a Node.js deprecation box) are not the document's
grep -v '[║╔╚]' "$work/lint.txt" | sed '/^\s*$/d'
if [ "$status" -ne 0 ] || grep -qE '^\s*[0-9]+:[0-9]+\s+(warning|error)' "$work/lint.txt"; then
  echo "openapi-lint: the document has problems (above)" >&2
  exit 1
fi
echo "openapi-lint: valid, no warnings"
