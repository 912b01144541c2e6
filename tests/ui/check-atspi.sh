#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The terminal on the demo, its shift open, walked by check-atspi.py over
# AT-SPI. Run on its own session bus (dbus-run-session) and display (xvfb-run).
#
# usage: check-atspi.sh PDV CHECK_ATSPI_PY   ($PDVCTL makes the database)
set -u

pdv=$1
checker=$2
dir=$(mktemp -d)
app=""

cleanup() {
  if [ -n "$app" ] && kill -0 "$app" 2>/dev/null; then
    kill "$app" 2>/dev/null
    wait "$app" 2>/dev/null
  fi
  rm -rf "$dir"
}
trap cleanup EXIT

"$PDVCTL" --db "$dir/t.db" init --demo --name "Bar 1" >/dev/null || exit 1
"$PDVCTL" --db "$dir/t.db" shift open --amount 100 --pin 1111 >/dev/null || exit 1

"$pdv" --db "$dir/t.db" >"$dir/pdv.log" 2>&1 &
app=$!
/usr/bin/python3 "$checker"
status=$?
[ $status -eq 0 ] || cat "$dir/pdv.log"
exit $status
