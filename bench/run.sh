#!/usr/bin/env bash
# `make bench`: runs every benchmark and prints its figures. Each line says what it measured.
#   bench/run.sh BUILD_DIR
set -u
B=$(readlink -f "${1:-build}")
status=0
echo "== import (floor: 200,000 rows/s on one core; memory independent of file size)"
"$B/bench/bench_import" 100000 || status=1
"$B/bench/bench_import" 1000000 || status=1
echo "== report (target: <= 10 s and < 5 MB for 1,000,000 records)"
"$B/bench/bench_report" 1000000 || status=1
exit $status
