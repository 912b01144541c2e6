#!/bin/sh
# The layout docs/ARCHITECTURE.md describes, as the compiler cannot check it:
# only the core reads and writes the terminal database, so nothing else holds
# SQL or includes the database's private header.
set -eu
cd "$1"

status=0
outside=$(grep -rlE 'sqlite3|\b(SELECT|INSERT|UPDATE|DELETE) ' src/app src/cli src/devices sync/client sync/protocol || true)
if [ -n "$outside" ]; then
  echo "SQL outside the core (call a core function instead):"
  echo "$outside"
  status=1
fi
private=$(grep -rl '"pdv-db-private.h"' src sync | grep -v '^src/core/' || true)
if [ -n "$private" ]; then
  echo "pdv-db-private.h is the core's own header, included by:"
  echo "$private"
  status=1
fi
exit $status
