#!/usr/bin/env bash
# Runs one end-to-end case (tests/cli/cases/NAME.test; format in tests/cli/README.md):
#   run-case.sh RECKON CASE
# The case is a bash file that sets CMD and what to expect; it may define setup() and after().
set -u
RECKON=$(readlink -f "$1")
CASE=$(readlink -f "$2")
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
EXAMPLES="$SRC/examples"
DATA="$SRC/tests/data"
TMP=$(mktemp -d /tmp/reckon-cli-XXXXXX)
trap 'rm -rf "$TMP"' EXIT
export RECKON EXAMPLES DATA TMP SRC
cd "$TMP"

fail() {
  echo "FAIL $(basename "$CASE" .test): $*"
  echo "--- command: $CMD"
  echo "--- status: ${status:-?}"
  echo "--- stdout:"; head -c 4000 "$TMP/.stdout" 2>/dev/null
  echo "--- stderr:"; head -c 4000 "$TMP/.stderr" 2>/dev/null
  exit 1
}

# Helpers for cases.
rk() { "$RECKON" "$@"; }
# A fingerprint of a project's whole content (schema and rows), to prove it is unchanged.
snapshot() { sqlite3 "$1" .dump | sha256sum | cut -d' ' -f1; }
count() { sqlite3 "$1" "$2"; }
# SQL from stdin run on a project and logged as an event (tests/tools/sql_event.c): a change an
# older reckon or a fixture made, which the audit chain then vouches for.
logged_sql() { "$(dirname "$RECKON")/tests/rk_sql_event" "$1" fixture; }

CMD=
EXPECT_STATUS=0
EXPECT_STDOUT_CONTAINS=()
EXPECT_STDERR_CONTAINS=()
EXPECT_STDOUT_LACKS=()
EXPECT_STDERR_EMPTY=0
setup() { :; }
after() { :; }
# shellcheck source=/dev/null
source "$CASE"

setup >"$TMP/.setup.log" 2>&1 || { cat "$TMP/.setup.log"; CMD="(setup)"; fail "setup failed"; }
bash -c "$CMD" >"$TMP/.stdout" 2>"$TMP/.stderr"
status=$?
[ "$status" -eq "$EXPECT_STATUS" ] || fail "exit status $status, expected $EXPECT_STATUS"
for s in "${EXPECT_STDOUT_CONTAINS[@]}"; do
  grep -qF -- "$s" "$TMP/.stdout" || fail "stdout lacks: $s"
done
for s in "${EXPECT_STDERR_CONTAINS[@]}"; do
  grep -qF -- "$s" "$TMP/.stderr" || fail "stderr lacks: $s"
done
for s in "${EXPECT_STDOUT_LACKS[@]}"; do
  grep -qF -- "$s" "$TMP/.stdout" && fail "stdout has: $s"
done
if [ "$EXPECT_STDERR_EMPTY" = 1 ] && [ -s "$TMP/.stderr" ]; then fail "stderr is not empty"; fi
after >"$TMP/.after.log" 2>&1 || { cat "$TMP/.after.log"; fail "check after the command failed"; }
echo "ok $(basename "$CASE" .test)"
