#!/usr/bin/env bash
# The same synthetic lists written as CSV and as .xlsx (reckon synth, one seed), each imported
# into a fresh project through the command line (standardization included): rows/s and peak
# RSS per format.
#   bench/sheets.sh RECKON [PEOPLE]
set -eu
R=$(readlink -f "$1")
N=${2:-300000}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$R" synth --out "$T/csv" --people "$N" --lists 2 --seed 5 -q
"$R" synth --out "$T/xlsx" --people "$N" --lists 2 --seed 5 --spreadsheet xlsx -q
for fmt in csv xlsx; do
  "$R" init "$T/$fmt.rkp" >/dev/null
  /usr/bin/time -f '%e %M' -o "$T/time" "$R" import "$T/$fmt.rkp" --map "$T/$fmt/mapping.ini" \
    --lenient -q 2>/dev/null
  rows=$(sqlite3 "$T/$fmt.rkp" 'select count(*) from record')
  read -r secs kb <"$T/time"
  awk -v f="$fmt" -v r="$rows" -v s="$secs" -v k="$kb" 'BEGIN {
    printf "import %-4s via the CLI: %d rows in %.2f s: %.0f rows/s; peak RSS %.0f MB\n",
           f, r, s, r / s, k / 1024 }'
done
