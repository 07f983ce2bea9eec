#!/usr/bin/env bash
# `make bench`: runs every benchmark and prints its figures. Each line says what it measured.
#   bench/run.sh BUILD_DIR
set -u
B=$(readlink -f "${1:-build}")
status=0
echo "== import (floor: 200,000 rows/s on one core; memory independent of file size)"
"$B/bench/bench_import" 100000 || status=1
"$B/bench/bench_import" 1000000 || status=1
echo "== review app (floor: 1,000 req/s with p99 under 50 ms on 2 cores, wrk on loopback)"
"$(dirname "$0")/bench_serve.sh" "$B/reckon" 20000 || status=1
exit $status
