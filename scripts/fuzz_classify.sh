#!/usr/bin/env bash
# Reads again one input that crashed a fork-mode harness (scripts/fuzz.sh, the xls harness) and
# prints its verdict: "contained" (it crashes again within a call into libfreexl), "again" (it
# does not crash again: the crash depended on the memory's layout) or "failed" (a crash outside
# libfreexl, or the importer's reader failed on it; what was printed goes to LOG.child).
#   scripts/fuzz_classify.sh HARNESS LOG INPUT
# The sanitizers' options come from the environment scripts/fuzz.sh sets.
set -uo pipefail
harness=$1 log=$2 input=$3
out=$(mktemp) again=$(mktemp)
trap 'rm -f "$out" "$again"' EXIT
verdict=contained
# Through the importer's reader (libfreexl in a child), which must refuse or read it.
RK_FUZZ_XLS_CHILD=1 "$harness" "$input" >"$out" 2>&1 || verdict=failed
if "$harness" "$input" >"$again" 2>&1; then
  [ "$verdict" = failed ] || verdict=again
elif ! awk '/==[0-9]+==ERROR:/ || /==[0-9]+== ERROR: libFuzzer: out-of-memory/ { open = 1; next }
            open && /^ *#[0-9]+ / { if (/libfreexl/) lib = 1; if (/\/src\//) exit !lib }
            END { exit !lib }' "$again"; then
  cat "$again" >>"$out"
  verdict=failed
fi
# One append per input, whole, so that inputs read at once do not interleave in LOG.child.
[ -s "$out" ] && cat "$out" >>"$log.child"
echo "$verdict"
