#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The manual pages as built: groff reads them without a warning and man
# shows each with its name and sections.
#
# usage: check-man.sh PAGE…
set -eu

status=0
for page in "$@"; do
  name=$(basename "$page")
  warnings=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$page" 2>&1)
  if [ -n "$warnings" ]; then
    echo "FAIL: $name: $warnings"
    status=1
  fi
  text=$(MANWIDTH=80 LC_ALL=C.UTF-8 man -l "$page" 2>/dev/null)
  for section in NAME SYNOPSIS DESCRIPTION "SEE ALSO"; do
    if ! printf '%s\n' "$text" | grep -q "^$section"; then
      echo "FAIL: $name has no $section"
      status=1
    fi
  done
  case $name in
    pdvctl.1|pdv-syncd.8)
      printf '%s\n' "$text" | grep -q "^EXIT STATUS" || { echo "FAIL: $name has no EXIT STATUS"; status=1; } ;;
  esac
  [ $status -eq 0 ] && echo "ok: $name ($(printf '%s\n' "$text" | wc -l) lines)"
done
exit $status
