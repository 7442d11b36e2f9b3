#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check-man.sh PAGE SYNAPSE: the manual page renders without a warning and names every command `synapse help` lists.
set -eu
page=$1
synapse=$2
command -v groff >/dev/null 2>&1 || { echo "no groff: skipped"; exit 77; }
warnings=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$page" 2>&1)
if [ -n "$warnings" ]; then
  echo "groff warns:"
  echo "$warnings"
  exit 1
fi
missing=0
# "  NAME   summary" lines between "Commands:" and the blank line after them
for name in $("$synapse" help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p'); do
  if ! grep -qE "^\.B $(echo "$name" | sed 's/-/\\\\-/g')( |\$)" "$page"; then
    echo "the manual page has no entry for: synapse $name"
    missing=1
  fi
done
[ "$missing" -eq 0 ]
echo "groff: clean; every command has an entry"
