#!/usr/bin/env bash
# Benchmarks of reckon; $1 is the build directory. Each prints its own lines.
set -u
build="${1:-build}"
status=0
"$build/bench/bench_febrl" || status=1
if [ -x "$build/bench/bench_synth" ]; then
    "$build/bench/bench_synth" || status=1
fi
exit $status
