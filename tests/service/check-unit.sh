#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check-unit.sh UNIT SYNAPSE: systemd-analyze verify on the service unit, its ExecStart pointed at the built binary.
set -eu
unit=$1
synapse=$2
command -v systemd-analyze >/dev/null 2>&1 || { echo "no systemd-analyze: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# verify checks that ExecStart's program exists: the installed path is not there yet
sed "s|^ExecStart=[^ ]*/synapse |ExecStart=$synapse |" "$unit" >"$tmp/synapse-server.service"
grep -q "^ExecStart=$synapse serve --config /etc/synapse/server.conf\$" "$tmp/synapse-server.service"
# the hardening the issue asks for is there
for line in 'User=synapse' 'StateDirectory=synapse' 'ConfigurationDirectory=synapse' 'ProtectSystem=strict' \
            'ProtectHome=yes' 'NoNewPrivileges=yes' 'PrivateTmp=yes' 'PrivateDevices=yes' \
            'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6' 'SystemCallFilter=@system-service' \
            'CapabilityBoundingSet=' 'LockPersonality=yes' 'MemoryDenyWriteExecute=yes' \
            'ExecReload=kill -HUP $MAINPID' 'Type=notify'; do
  grep -qxF "$line" "$unit" || { echo "missing: $line"; exit 1; }
done
out=$(systemd-analyze verify --man=no "$tmp/synapse-server.service" 2>&1) || { echo "$out"; exit 1; }
# verify exits 0 on some warnings: any line about our unit is one
if echo "$out" | grep -F "synapse-server.service"; then
  exit 1
fi
echo "systemd-analyze verify: clean"
