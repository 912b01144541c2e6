#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Checks the pdv-syncd unit as systemd reads it (systemd-analyze verify, with
# the built server in place of the installed one), that it keeps its
# hardening, and that the sample settings are ones pdv-syncd accepts.
#
# usage: check-unit.sh UNIT PDV_SYNCD SAMPLE_CONF
set -eu

unit=$1
syncd=$2
conf=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
status=0

fail() {
  echo "FAIL: $*"
  status=1
}

# Where the installed server would be, the built one; the rest as installed.
sed "s|^ExecStart=[^ ]*|ExecStart=$syncd|" "$unit" > "$dir/pdv-syncd.service"
if out=$(systemd-analyze verify --man=no "$dir/pdv-syncd.service" 2>&1) && [ -z "$out" ]; then
  echo "ok: systemd-analyze verify"
else
  fail "systemd-analyze verify: $out"
fi

for directive in DynamicUser=yes StateDirectory=pdv-syncd NoNewPrivileges=yes ProtectSystem=strict \
                 UMask=0077 LoadCredential=admin-token: MemoryDenyWriteExecute=yes; do
  if grep -q "^$directive" "$unit"; then
    echo "ok: $directive"
  else
    fail "the unit lost $directive"
  fi
done

# The sample settings are read as they ship, with the store and port made
# local: a setting pdv-syncd does not know would stop it here.
sed -e "s|^db=.*|db=$dir/syncd.db|" -e "s|^listen=.*|listen=127.0.0.1:0|" "$conf" > "$dir/pdv-syncd.conf"
"$syncd" --config "$dir/pdv-syncd.conf" > "$dir/out" 2> "$dir/err" &
pid=$!
i=0
until grep -q '^listening on ' "$dir/out" 2>/dev/null; do
  if ! kill -0 "$pid" 2>/dev/null || [ $i -ge 600 ]; then
    fail "pdv-syncd did not start with the sample settings: $(cat "$dir/err")"
    break
  fi
  i=$((i + 1))
  sleep 0.1
done
kill "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
[ $status -eq 0 ] && echo "ok: the sample settings start pdv-syncd"
exit $status
