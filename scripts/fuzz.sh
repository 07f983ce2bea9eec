#!/usr/bin/env bash
# `make fuzz`: builds the harnesses of tests/fuzz/ as libFuzzer fuzzers (clang, with
# AddressSanitizer and UndefinedBehaviorSanitizer) in build-fuzz/ and runs each in turn for
# FUZZ_SECONDS (default 60), or for FUZZ_RUNS executions when that is set (FUZZ_SECONDS then
# defaults to no limit), starting from its committed corpus, then prints the seconds taken, the
# executions and the executions per second of each. New inputs the fuzzer keeps go to
# build-fuzz/corpus/NAME/ (the committed corpus is not touched); a crash, a sanitizer report, a
# leak or a hang is saved under build-fuzz/crashes/NAME/ and fails the run: fix it and add the
# input to tests/fuzz/NAME/corpus/.
# A harness run in libFuzzer's fork mode (its libfuzzer.options say -fork=1) runs FUZZ_FORK jobs
# at once when that is set (one per core to spare).
#   scripts/fuzz.sh [NAME...]     only these harnesses (csv, http, link_config, ...)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${FUZZ_RUNS:-}
if [ -n "$runs" ]; then
  seconds=${FUZZ_SECONDS:-0}
else
  seconds=${FUZZ_SECONDS:-60}
fi
build=build-fuzz
mkdir -p "$build"

if ! command -v clang >/dev/null 2>&1; then
  echo "fuzz: clang is missing; scripts/install-deps.sh installs it" >&2
  exit 1
fi
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for d in tests/fuzz/*/; do
    n=$(basename "$d")
    [ -f "$d/fuzz_$n.c" ] && names+=("$n")
  done
fi
for n in "${names[@]}"; do
  if [ ! -f "tests/fuzz/$n/fuzz_$n.c" ]; then
    echo "fuzz: no harness tests/fuzz/$n/fuzz_$n.c" >&2
    exit 1
  fi
done

cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRK_FUZZ=ON \
  >"$build/build.log" 2>&1 || { cat "$build/build.log" >&2; exit 1; }
targets=()
for n in "${names[@]}"; do targets+=("fuzz_$n"); done
case " ${names[*]} " in *" http "*) targets+=(reckon rk_sql_event) ;; esac
cmake --build "$build" -j "${JOBS:-$(nproc)}" --target "${targets[@]}" -- --no-print-directory \
  >"$build/build.log" 2>&1 || { cat "$build/build.log" >&2; exit 1; }

# The review app's harness serves the HTTP tests' fixture: persons, pairs to review, lists.
if [[ " ${names[*]} " == *" http "* ]]; then
  rm -rf "$build/http-fixture"
  mkdir -p "$build/http-fixture"
  bash tests/http/fixture.sh "$build/reckon" "$build/http-fixture/p.rkp"
  export RK_FUZZ_SERVE_PROJECT=$PWD/$build/http-fixture/p.rkp
fi

summary=$build/fuzz-summary.txt
printf '%-12s %8s %14s %10s  %s\n' harness seconds executions 'exec/s' result | tee "$summary"
failed=0
for n in "${names[@]}"; do
  mkdir -p "$build/corpus/$n" "$build/crashes/$n"
  rm -f "$build/crashes/$n"/* "$build/fuzz-$n.log.child"
  log=$build/fuzz-$n.log
  status=0
  start=$SECONDS
  # A harness may suppress what a library it drives does wrong and reckon cannot mend
  # (tests/fuzz/xls: libfreexl's overread, docs/import.md), never reckon's own code; its
  # libfuzzer.options (one line) are added to libFuzzer's arguments.
  supp=()
  opts=()
  asan=${ASAN_OPTIONS:-}
  [ -f "tests/fuzz/$n/asan.supp" ] && asan="${asan:+$asan:}suppressions=$PWD/tests/fuzz/$n/asan.supp"
  # A harness's asan.options (one line, colon-separated, as ASAN_OPTIONS) say how the library
  # it drives is run (tests/fuzz/xls: libfreexl's allocations capped, fuzz_xls.c says why).
  [ -f "tests/fuzz/$n/asan.options" ] && asan="${asan:+$asan:}$(cat "tests/fuzz/$n/asan.options")"
  [ -n "$asan" ] && supp+=("ASAN_OPTIONS=$asan")
  [ -f "tests/fuzz/$n/lsan.supp" ] && supp+=("LSAN_OPTIONS=${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$PWD/tests/fuzz/$n/lsan.supp")
  [ -f "tests/fuzz/$n/libfuzzer.options" ] && read -r -a opts < "tests/fuzz/$n/libfuzzer.options"
  if [ -n "${FUZZ_FORK:-}" ]; then
    for i in "${!opts[@]}"; do
      [[ ${opts[$i]} == -fork=* ]] && opts[$i]=-fork=$FUZZ_FORK
    done
  fi
  env "${supp[@]}" "$build/tests/fuzz_$n" "${opts[@]}" -max_total_time="$seconds" ${runs:+-runs="$runs"} \
    -timeout=60 -print_final_stats=1 -artifact_prefix="$build/crashes/$n/" "$build/corpus/$n" \
    "tests/fuzz/$n/corpus" >"$log" 2>&1 || status=$?
  took=$((SECONDS - start))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  secs=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  result=ok
  if [[ " ${opts[*]} " == *" -fork="* ]]; then
    # libFuzzer's fork mode (the xls harness: libfreexl crashes on damaged workbooks, in this
    # process as the harness reads them): it goes on after a crash, and prints no final stats
    # and no stacks. Each input that crashed is read again: once the same way, where the crash
    # must be within a call into libfreexl (libfreexl on the stack above reckon's code: a
    # sanitizer's report, or libFuzzer's out-of-memory report, "==PID== ERROR: libFuzzer:
    # out-of-memory", whose first and largest stack of live allocations must be libfreexl's), and
    # once through the importer's reader (libfreexl in a child: RK_FUZZ_XLS_CHILD=1), which
    # must refuse or read it without failing. Anything else fails the run.
    execs=$(sed -n 's/^#\([0-9]*\): cov:.*/\1/p' "$log" | tail -1)
    [ "$took" -gt 0 ] && secs=$((${execs:-0} / took))
    # The inputs are read on every core (JOBS), each one's verdict a line of $log.verdicts.
    : >"$log.verdicts"
    find "$build/crashes/$n" -maxdepth 1 -type f -print0 |
      xargs -0 -r -n 1 -P "${JOBS:-$(nproc)}" env "${supp[@]}" bash scripts/fuzz_classify.sh \
        "$build/tests/fuzz_$n" "$log" >>"$log.verdicts"
    contained=$(grep -c '^contained$' "$log.verdicts" || true)
    again=$(grep -c '^again$' "$log.verdicts" || true)
    status=0
    grep -q '^failed$' "$log.verdicts" && status=1
    [ $((contained + again)) -gt 0 ] &&
      result="ok ($contained crashes in libfreexl contained, $again not crashing again; every one refused or read by the importer's reader)"
    if [ "$status" -ne 0 ]; then
      result="FAILED: a crash outside libfreexl, or the importer's reader failed on one (see $log.child)"
      failed=1
    fi
  elif [ "$status" -ne 0 ]; then
    result="FAILED (exit $status): $(ls -t "$build/crashes/$n" | head -1) (see $log)"
    failed=1
  fi
  printf '%-12s %8s %14s %10s  %s\n' "$n" "$took" "${execs:-?}" "${secs:-?}" "$result" \
    | tee -a "$summary"
done
exit $failed
