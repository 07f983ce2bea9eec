#!/usr/bin/env bash
# Checks scripts/fuzz_classify.sh's verdicts with a stand-in harness that prints what a
# sanitizer would: a crash within libfreexl (contained), one in reckon's own code (failed), an
# input that does not crash again (again), and the importer's reader failing (failed).
#   tests/tools/fuzz_classify_test.sh ROOT
set -uo pipefail
root=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The stand-in reads its "input": the first line says how the reader's child ends (ok or
# fail), the rest is what the harness prints when it reads the input itself (empty: no crash).
cat >"$tmp/harness" <<'H'
#!/usr/bin/env bash
if [ -n "${RK_FUZZ_XLS_CHILD:-}" ]; then
  [ "$(head -1 "$1")" = ok ] && exit 0
  echo "reader failed"; exit 1
fi
tail -n +2 "$1" | grep -q . || exit 0
tail -n +2 "$1"; exit 1
H
chmod +x "$tmp/harness"
printf 'ok\n==1==ERROR: AddressSanitizer: SEGV\n    #0 0x1 in f /usr/lib/x86_64-linux-gnu/libfreexl.so.1\n    #1 0x2 in g /x/src/ingest/sheet_xls.c:10\n' >"$tmp/contained"
printf 'ok\n==1==ERROR: AddressSanitizer: SEGV\n    #0 0x1 in g /x/src/ingest/sheet_xls.c:10\n    #1 0x2 in f /usr/lib/libfreexl.so.1\n' >"$tmp/ours"
printf 'ok\n' >"$tmp/again"
printf 'fail\n' >"$tmp/reader"
printf 'ok\n==1== ERROR: libFuzzer: out-of-memory (used: 2100Mb)\n    #0 0x1 in malloc\n    #1 0x2 in h /usr/lib/libfreexl.so.1\n' >"$tmp/oom"
status=0
for c in contained:contained ours:failed again:again reader:failed oom:contained; do
  input=${c%%:*} want=${c#*:}
  got=$(bash "$root/scripts/fuzz_classify.sh" "$tmp/harness" "$tmp/log" "$tmp/$input")
  if [ "$got" != "$want" ]; then
    echo "fuzz_classify: $input: got '$got', want '$want'"
    status=1
  fi
done
grep -q "reader failed" "$tmp/log.child" || { echo "fuzz_classify: the reader's words not kept"; status=1; }
exit $status
