#!/usr/bin/env bash
# `make bench`: runs every benchmark and prints its figures. Each line says what it measured.
#   bench/run.sh BUILD_DIR
set -u
B=$(readlink -f "${1:-build}")
H=$(dirname "$(readlink -f "$0")")
status=0
echo "== import (floor: 200,000 rows/s on one core; memory independent of file size)"
"$B/bench/bench_import" 100000 || status=1
"$B/bench/bench_import" 1000000 || status=1
echo
echo "== import from .xlsx, the same rows (floor: 100,000 rows/s; memory independent of rows)"
"$B/bench/bench_import" 100000 xlsx || status=1
"$B/bench/bench_import" 1000000 xlsx || status=1
echo "== import from .xlsx beside CSV through the command line (reckon synth --spreadsheet xlsx)"
"$H/sheets.sh" "$B/reckon" 300000 || status=1
echo
echo "== text: names parsed and keyed"
"$B/bench/bench_text" || status=1
echo
echo "== linkage: Febrl on the engine (fastLink reference: F1 1.000 / 0.998 / 0.999, ~50 s, 1.4 GB per run)"
"$B/bench/bench_febrl" || status=1
echo
echo "== linkage: Febrl through the command line (floor: same F1, <= 3 s import + link + export, <= 200 MB)"
"$H/febrl/run.sh" "$B/reckon" || status=1
echo
echo "== linkage: generated Febrl-like files, 10,000 a side, 5,000 true pairs (issue 15)"
"$H/febrl_gen.sh" "$B/reckon" 10000 || status=1
echo
echo "== linkage: synthetic lists per scenario, engine with a stand-in key"
"$B/bench/bench_synth" || status=1
echo
echo "== linkage: synthetic lists per scenario through the command line, default settings"
"$H/synth_cli.sh" "$B/reckon" 20000 5 3 7 || status=1
echo
echo "== linkage: a million records from 5 lists (issue 16 floor: link <= 60 s, <= 2 GiB on 2 cores, F1 not lower)"
"$H/scale.sh" "$B/reckon" 1000000 || status=1
# Ten million takes about 20 minutes and 20 GB of disk: only when asked.
if [ -n "${BENCH_10M:-}" ]; then
  echo
  echo "== linkage: ten million records from 5 lists (issue 16 floor: import + link <= 20 min, <= 16 GiB)"
  "$H/scale.sh" "$B/reckon" 9350000 || status=1
fi
echo
echo "== linkage: a fifth list added with link --add against a full relink (issue 16 floor: <= 1/5 of the time, F1 within 0.002)"
"$H/add_list.sh" "$B/reckon" 1000000 memorial || status=1
echo
echo "== estimation: LCMCR speed vs R, model search and dga vs R, calibration"
"$B/bench/bench_estimate" || status=1
echo
echo "== estimation: calibration on reckon synth data (95% interval coverage of the true total)"
"$B/bench/bench_calibration" || status=1
"$H/calibration_linked.sh" "$B/reckon" || status=1
echo
echo "== estimation end to end by region (issue 13: the stratified total covers as often as the whole)"
"$H/calibration_strata.sh" "$B/reckon" 20 4000 4 loglinear,dga,lcmcr || status=1

echo
echo "== report (target: <= 10 s and < 5 MB for 1,000,000 records)"
"$B/bench/bench_report" 1000000 || status=1
echo
echo "== review app (floor: 1,000 req/s with p99 under 50 ms on 2 cores, wrk on loopback)"
"$H/bench_serve.sh" "$B/reckon" 20000 || status=1
exit $status
