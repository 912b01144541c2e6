#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# pdvctl's bash completion, loaded into bash-completion as a shell would,
# asked what it offers after a few command lines.
#
# usage: check-completion.sh COMPLETION_FILE   ($PDVCTL: the pdvctl to ask)
set -u

. /usr/share/bash-completion/bash_completion
. "$1"
PATH="$(dirname "$PDVCTL"):$PATH"
# Outside a real completion bash refuses compopt; what it would set is not
# what is checked here.
compopt() { :; }
status=0

# What pressing Tab after "$@" offers (the last word is being typed).
offers() {
  COMP_WORDS=("$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMP_LINE="$*"
  COMP_POINT=${#COMP_LINE}
  COMPREPLY=()
  _pdvctl pdvctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
  printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '
}

expect() {
  local want=$1
  shift
  local got
  got=$(offers "$@")
  if [ "$got" = "$want" ]; then
    echo "ok: pdvctl ${*:2}⇥ → $got"
  else
    echo "FAIL: pdvctl ${*:2}⇥ offers '$got', not '$want'"
    status=1
  fi
}

expect "scan sell shift sync " pdvctl s
expect "rebuild receipt recover refund report " pdvctl --json re
expect "rebuild receipt recover refund report " pdvctl --db x.db re
expect "close config " pdvctl shift c
expect "x z " pdvctl report ""
expect "--csv-format= --csv= " pdvctl report x --csv
expect "rfc4180 spreadsheet " pdvctl report x --csv-format ""
expect "sell " pdvctl help sel
expect "--demo --demo-dir= --demo-starts= --help --name= " pdvctl init --
expect "published " pdvctl init --demo --demo-starts ""
expect "--json " pdvctl --j
exit $status
