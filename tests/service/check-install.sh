#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check-install.sh BUILD PREFIX APP_ID: meson install into a temporary DESTDIR, then every file a package needs is there.
set -eu
build=$1
prefix=$2
app_id=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
meson install -C "$build" --destdir "$tmp" --no-rebuild --quiet >"$tmp.log" 2>&1 || { cat "$tmp.log"; rm -f "$tmp.log"; exit 1; }
rm -f "$tmp.log"
root="$tmp$prefix"
status=0
expect () {
  if [ -e "$1" ]; then echo "ok: ${1#$tmp}"; else echo "MISSING: ${1#$tmp}"; status=1; fi
}
expect "$root/bin/synapse"
expect "$root/share/applications/$app_id.desktop"
expect "$root/share/metainfo/$app_id.metainfo.xml"
expect "$root/share/glib-2.0/schemas/$app_id.gschema.xml"
expect "$root/share/icons/hicolor/scalable/apps/$app_id.svg"
expect "$root/share/locale/fr/LC_MESSAGES/synapse.mo"
expect "$root/share/man/man1/synapse.1"
expect "$root/share/doc/synapse/server.conf"
# the unit and its user: where systemd's pkg-config file says, under the prefix
unit=$(find "$tmp" -path '*/systemd/system/synapse-server.service' | head -n 1)
if [ -n "$unit" ]; then
  echo "ok: ${unit#$tmp}"
  grep -qxF "ExecStart=$prefix/bin/synapse serve --config /etc/synapse/server.conf" "$unit" ||
    { echo "the unit does not start $prefix/bin/synapse"; status=1; }
else
  echo "MISSING: synapse-server.service"; status=1
fi
if find "$tmp" -path '*/sysusers.d/synapse.conf' | grep -q .; then echo "ok: sysusers.d/synapse.conf"; else
  echo "MISSING: sysusers.d/synapse.conf"; status=1; fi
exit $status
