#!/bin/sh
# PDV developer entry point: ./dev.sh run | test | build | bench
# Installs what is missing (Debian 12), builds, and runs the terminal or the
# whole test suite. Safe to run again and again.
set -eu

cd "$(dirname "$0")"
ROOT=$(pwd)
BUILD="$ROOT/build"
BUILD_ASAN="$ROOT/build-asan"

# Debian packages the build, the app and the tests need.
PACKAGES="
  gcc pkg-config meson ninja-build gettext python3
  libglib2.0-dev libgtk-4-dev libadwaita-1-dev
  libsqlite3-dev libjansson-dev libsodium-dev
  libqrencode-dev libcairo2-dev libpango1.0-dev zbar-tools poppler-utils fonts-dejavu-core
  libzbar-dev libgdk-pixbuf-2.0-dev libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good libgtk-4-media-gstreamer
  cups cups-daemon cups-client libcups2-dev tzdata
  xvfb xauth dbus-x11 locales-all libx11-dev libxtst-dev
  libsoup-3.0-dev libpq-dev postgresql postgresql-client openssl
  desktop-file-utils appstream appstream-util librsvg2-bin systemd
  scdoc groff-base man-db bash-completion at-spi2-core python3-pyatspi
  cmake autoconf automake libtool autopoint patch
  chromium chromium-driver
"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "dev.sh: these packages are missing and there is no sudo to install them:" >&2
    echo "  $MISSING" >&2
    exit 1
  fi
}

install_deps() {
  MISSING=""
  for pkg in $PACKAGES; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    [ "$status" = "installed" ] || MISSING="$MISSING $pkg"
  done
  if [ -n "$MISSING" ]; then
    say "Installing:$MISSING"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    # shellcheck disable=SC2086
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $MISSING
  fi
}

build() {
  if [ ! -f "$BUILD/build.ninja" ]; then
    say "Configuring $BUILD"
    meson setup "$BUILD" --buildtype=debugoptimized -Dwerror=true
  fi
  say "Building"
  meson compile -C "$BUILD"
}

dev_env() {
  export PDV_DEMO_DIR="$ROOT/data/demo"
  export PDV_LOCALEDIR="$BUILD/po"
  # The settings schema, compiled in the build tree.
  export GSETTINGS_SCHEMA_DIR="$BUILD/data"
}

# The demo event as it is tonight: data/demo holds a fixed night, which is
# over (or not begun) on any other day. `run` uses a copy whose times are
# moved so that the event began an hour ago (as `pdvctl init --demo` moves
# them), kept in build/dev/demo-live.
live_demo() {
  live="$BUILD/dev/demo-live"
  "$BUILD/src/cli/pdvctl" demo-files --demo-dir "$ROOT/data/demo" "$live" >/dev/null
  export PDV_DEMO_DIR="$live"
}

# A local pdv-syncd for `run`, on a fixed port so that the terminal enrolled
# with it finds it again next time. Its data, log and admin token live in
# build/dev/.
SYNCD_PORT="${PDV_SYNCD_PORT:-8731}"
SYNCD_PID=""

stop_sync_server() {
  if [ -n "$SYNCD_PID" ] && kill -0 "$SYNCD_PID" 2>/dev/null; then
    kill "$SYNCD_PID" 2>/dev/null || true
    wait "$SYNCD_PID" 2>/dev/null || true
  fi
  SYNCD_PID=""
  rm -f "$BUILD/dev/pdv-syncd.pid"
}

# Starts the server (stopping one an earlier run left behind), fills it
# with the demo event the first time, and enrols the terminal $1 with it.
# Without a server the terminal still runs: it is offline-first.
start_sync_server() {
  db="$1"
  syncd="$BUILD/sync/server/pdv-syncd"
  pdvctl="$BUILD/src/cli/pdvctl"
  dev="$BUILD/dev"
  token_file="$dev/admin-token"
  server_db="$dev/pdv-syncd.db"
  log="$dev/pdv-syncd.log"
  pid_file="$dev/pdv-syncd.pid"
  url="http://127.0.0.1:$SYNCD_PORT"

  [ -x "$syncd" ] || return 0
  mkdir -p "$dev"
  if [ ! -s "$token_file" ]; then
    (umask 077 && python3 -c 'import secrets; print(secrets.token_urlsafe(32))' >"$token_file")
  fi
  chmod 600 "$token_file"

  if [ -f "$pid_file" ]; then
    old=$(cat "$pid_file")
    if [ -n "$old" ] && grep -q pdv-syncd "/proc/$old/cmdline" 2>/dev/null; then
      say "Stopping the sync server an earlier run left (pid $old)"
      kill "$old" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$old" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$pid_file"
  fi

  first_start=no
  [ -f "$server_db" ] || first_start=yes
  say "Starting the sync server on $url (log: $log)"
  "$syncd" --db "$server_db" --listen "127.0.0.1:$SYNCD_PORT" --admin-token-file "$token_file" >"$log" 2>&1 &
  SYNCD_PID=$!
  echo "$SYNCD_PID" >"$pid_file"
  trap 'stop_sync_server' EXIT
  trap 'exit 130' INT TERM
  for _ in $(seq 150); do
    grep -q '^listening on ' "$log" 2>/dev/null && break
    kill -0 "$SYNCD_PID" 2>/dev/null || break
    sleep 0.1
  done
  if ! grep -q '^listening on ' "$log" 2>/dev/null; then
    echo "dev.sh: the sync server did not start; the terminal runs offline. Its log:" >&2
    sed 's/^/  /' "$log" >&2
    stop_sync_server
    return 0
  fi

  if [ "$first_start" = yes ]; then
    say "Sending the demo event, catalog, users and tickets to the sync server"
    "$pdvctl" admin import --server "$url" --token-file "$token_file" \
      "$PDV_DEMO_DIR/event.json" "$PDV_DEMO_DIR/catalog.json" \
      "$PDV_DEMO_DIR/users.json" "$PDV_DEMO_DIR/tickets.csv"
  else
    say "Sending tonight's times of the demo event and tickets to the sync server"
    "$pdvctl" admin import --server "$url" --token-file "$token_file" \
      "$PDV_DEMO_DIR/event.json" "$PDV_DEMO_DIR/tickets.csv"
  fi
  # The organiser's panel, with an account whose password only you can read.
  panel_password="$dev/panel-password"
  if [ "$first_start" = yes ] || [ ! -s "$panel_password" ]; then
    (umask 077 && python3 -c 'import secrets; print(secrets.token_urlsafe(12))' >"$panel_password")
    "$pdvctl" admin panel-account organizador --role organiser --server "$url" --token-file "$token_file" \
      --password-file "$panel_password" >/dev/null
  fi
  say "The organiser's panel: $url/panel (organizador, password in $panel_password)"
  # A new server does not know the terminal's old token: enrol it again.
  if [ "$first_start" = yes ] || ! "$pdvctl" --db "$db" --json sync --status |
       python3 -c 'import json, sys; sys.exit(0 if json.load(sys.stdin)["enrolled"] else 1)'; then
    say "Enrolling the terminal with the sync server"
    qr=$("$pdvctl" --json admin enrolment --server "$url" --token-file "$token_file" "Bar 1" |
         python3 -c 'import json, sys; print(json.load(sys.stdin)["qr"])')
    "$pdvctl" --db "$db" enroll "$qr"
  fi
}

run_app() {
  dev_env
  db="${PDV_DB:-$BUILD/dev/terminal.db}"
  live_demo
  if [ ! -f "$db" ]; then
    say "Creating the demo terminal in $db"
    mkdir -p "$(dirname "$db")"
    "$BUILD/src/cli/pdvctl" --db "$db" init --demo --name "Bar 1"
  else
    say "Moving the demo event to tonight"
    "$BUILD/src/cli/pdvctl" --db "$db" import "$PDV_DEMO_DIR/event.json" "$PDV_DEMO_DIR/tickets.csv"
  fi
  if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    echo "dev.sh: no display to open the terminal on; run it in a desktop session" >&2
    echo "        (or headless: xvfb-run -a ./dev.sh run)" >&2
    exit 1
  fi
  # A terminal already open in this session keeps its sync server: the new
  # start only brings it to the front (or says why it cannot).
  if gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
       --method org.freedesktop.DBus.NameHasOwner br.com.pdv.Terminal 2>/dev/null | grep -q true; then
    exec "$BUILD/src/app/pdv" --db "$db" "$@"
  fi
  start_sync_server "$db"
  say "Starting PDV on $db"
  # Not exec: the sync server stops when the terminal is closed.
  status=0
  "$BUILD/src/app/pdv" --db "$db" "$@" || status=$?
  return $status
}

# Prints "N passed, N failed" for one meson test log.
summarise() {
  python3 - "$1" <<'PY'
import json, sys
passed = failed = skipped = 0
with open(sys.argv[1]) as log:
    for line in log:
        result = json.loads(line).get("result")
        if result in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif result == "SKIP":
            skipped += 1
        else:
            failed += 1
print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
PY
}

run_tests() {
  dev_env
  status=0

  say "Test suite (meson test, GTK tests under Xvfb)"
  xvfb-run -a -s "-screen 0 1366x768x24" \
    meson test -C "$BUILD" --print-errorlogs --num-processes 2 "$@" || status=1
  main_summary=$(summarise "$BUILD/meson-logs/testlog.json")

  say "Core, sync server and panel tests with AddressSanitizer and UndefinedBehaviorSanitizer"
  if [ ! -f "$BUILD_ASAN/build.ninja" ]; then
    meson setup "$BUILD_ASAN" --buildtype=debug -Dwerror=true -Dapp=false \
      -Db_sanitize=address,undefined -Db_lundef=false
  fi
  meson compile -C "$BUILD_ASAN"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    meson test -C "$BUILD_ASAN" --suite core --suite sync --suite panel --print-errorlogs --num-processes 2 \
      --timeout-multiplier 3 || status=1
  asan_summary=$(summarise "$BUILD_ASAN/meson-logs/testlog.json")

  echo "meson test: $main_summary"
  echo "sanitizers: $asan_summary"
  python3 - "$main_summary" "$asan_summary" <<'PY'
import re, sys
p = f = 0
for s in sys.argv[1:]:
    m = re.match(r"(\d+) passed, (\d+) failed", s)
    p += int(m.group(1)); f += int(m.group(2))
print(f"{p} passed, {f} failed")
PY
  return $status
}

cmd="${1:-}"
[ $# -gt 0 ] && shift
case "$cmd" in
  run)   install_deps; build; run_app "$@" ;;
  test)  install_deps; build; run_tests "$@" ;;
  build) install_deps; build ;;
  bench) install_deps; build; dev_env; "$BUILD/tests/bench/pdv-bench" "$@" ;;
  *)
    echo "usage: ./dev.sh run | test | build | bench" >&2
    exit 2 ;;
esac
