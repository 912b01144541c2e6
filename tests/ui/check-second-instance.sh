#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A second pdv in the same session says what it did: with the database the
# running one has, it brings that window to the front and exits 0; with
# another, it says why it cannot open it and exits 1. Run on its own session
# bus (dbus-run-session) and a display.
#
# usage: check-second-instance.sh PDV   ($PDVCTL makes the databases)
set -u

pdv=$1
dir=$(mktemp -d)
first=""
status=0

cleanup() {
  if [ -n "$first" ] && kill -0 "$first" 2>/dev/null; then
    kill "$first" 2>/dev/null
    wait "$first" 2>/dev/null
  fi
  rm -rf "$dir"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*"
  status=1
}

"$PDVCTL" --db "$dir/a.db" init --name "Bar 1" >/dev/null || exit 1
"$PDVCTL" --db "$dir/b.db" init --name "Bar 2" >/dev/null || exit 1

"$pdv" --db "$dir/a.db" >"$dir/first.log" 2>&1 &
first=$!

# Until the first one owns its name on the bus (a minute at most).
owned=false
for _ in $(seq 600); do
  if gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
       --method org.freedesktop.DBus.NameHasOwner br.com.pdv.Terminal 2>/dev/null | grep -q true; then
    owned=true
    break
  fi
  kill -0 "$first" 2>/dev/null || break
  sleep 0.1
done
if [ "$owned" != true ]; then
  echo "FAIL: the first pdv did not start:"
  cat "$dir/first.log"
  exit 1
fi

out=$("$pdv" --db "$dir/a.db" 2>"$dir/err"); code=$?
if [ $code -eq 0 ] && echo "$out" | grep -q "already running on $dir/a.db: its window was brought to the front"; then
  echo "ok: the same database: $out"
else
  fail "the same database: status $code, '$out' $(cat "$dir/err")"
fi

out=$("$pdv" --db "$dir/b.db" 2>"$dir/err"); code=$?
if [ $code -eq 1 ] && grep -q "already running on $dir/a.db and cannot open $dir/b.db" "$dir/err"; then
  echo "ok: another database: $(cat "$dir/err")"
else
  fail "another database: status $code, '$out' $(cat "$dir/err")"
fi

# The first one quits as Ctrl+Q would have it.
gdbus call --session --dest br.com.pdv.Terminal --object-path /br/com/pdv/Terminal \
  --method org.gtk.Actions.Activate quit '[]' '{}' >/dev/null || fail "app.quit could not be sent"
wait "$first"; code=$?
first=""
[ $code -eq 0 ] || fail "the first pdv exited with $code"
exit $status
