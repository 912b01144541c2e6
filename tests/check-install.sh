#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the build into a temporary folder and checks that what a desktop
# needs to list, show and start the terminal is where it looks for it.
#
# usage: check-install.sh BUILD_DIR PREFIX BINDIR DATADIR MANDIR COMPLETIONS_DIR
set -eu

build=$1
prefix=$2
bindir=$3
datadir=$4
mandir=$5
completions=$6
app_id=br.com.pdv.Terminal

dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
root="$dest$prefix"
status=0

fail() {
  echo "FAIL: $*"
  status=1
}

need_file() {
  if [ -f "$root/$1" ]; then
    echo "ok: $1"
  else
    fail "$1 is not installed"
  fi
}

meson install -C "$build" --destdir "$dest" --no-rebuild --quiet

for program in pdv pdvctl; do
  if [ -x "$root/$bindir/$program" ]; then
    echo "ok: $bindir/$program"
  else
    fail "$bindir/$program is not installed or not executable"
  fi
done

desktop="$datadir/applications/$app_id.desktop"
metainfo="$datadir/metainfo/$app_id.metainfo.xml"
icon="$datadir/icons/hicolor/scalable/apps/$app_id.svg"
symbolic="$datadir/icons/hicolor/symbolic/apps/$app_id-symbolic.svg"
schema="$datadir/glib-2.0/schemas/$app_id.gschema.xml"

need_file "$desktop"
need_file "$metainfo"
need_file "$icon"
need_file "$symbolic"
need_file "$schema"
for f in event.json catalog.json tickets.csv users.json; do
  need_file "$datadir/pdv/demo/$f"
done
need_file "$datadir/locale/pt_BR/LC_MESSAGES/pdv.mo"

# The desktop entry starts the installed program and names the installed icon.
if [ -f "$root/$desktop" ]; then
  exec_line=$(sed -n 's/^Exec=//p' "$root/$desktop")
  icon_line=$(sed -n 's/^Icon=//p' "$root/$desktop")
  [ -x "$root/$bindir/${exec_line%% *}" ] || fail "Exec=$exec_line is not an installed program"
  [ "$icon_line" = "$app_id" ] || fail "Icon=$icon_line is not $app_id"
fi

# AppStream finds the desktop entry through its launchable.
if [ -f "$root/$metainfo" ]; then
  grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$root/$metainfo" ||
    fail "the metainfo does not launch $app_id.desktop"
  grep -q "<binary>pdv</binary>" "$root/$metainfo" || fail "the metainfo does not provide pdv"
fi

# The installed schema compiles on its own.
if [ -f "$root/$schema" ]; then
  glib-compile-schemas --strict --dry-run "$(dirname "$root/$schema")" ||
    fail "the installed schema does not compile"
fi

# Both icons are pictures, not just files.
if command -v rsvg-convert >/dev/null 2>&1; then
  for svg in "$icon" "$symbolic"; do
    [ -f "$root/$svg" ] || continue
    if rsvg-convert -w 64 -h 64 "$root/$svg" -o "$dest/icon.png" && [ -s "$dest/icon.png" ]; then
      echo "ok: $svg renders"
    else
      fail "$svg does not render"
    fi
  done
else
  fail "rsvg-convert (librsvg2-bin) is needed to check the icons"
fi

# The manual pages, and pdvctl's completion where bash-completion finds it.
for page in man1/pdv.1 man1/pdvctl.1; do
  need_file "$mandir/$page"
  if [ -f "$root/$mandir/$page" ]; then
    MANWIDTH=80 man -l "$root/$mandir/$page" 2>/dev/null | grep -q "EXIT STATUS\|OPTIONS" ||
      fail "$mandir/$page does not read as a manual page"
  fi
done
case $completions in
  /*) completion="$dest$completions/pdvctl" ;;
  *) completion="$root/$completions/pdvctl" ;;
esac
if [ -f "$completion" ]; then
  echo "ok: $completions/pdvctl"
else
  fail "$completions/pdvctl is not installed"
fi

echo "installed tree:"
(cd "$dest" && find . -path '*/locale/*' -prune -o -type f -print | sort)
exit $status
