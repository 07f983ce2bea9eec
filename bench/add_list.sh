#!/usr/bin/env bash
# Incremental linkage (issue 16, part 2): `reckon synth` caucasus lists, four imported and
# linked, then the fifth imported and linked two ways on 2 threads: `reckon link --add` and a
# full relink of all five. Prints both wall times, their ratio, and each one's F1 against the
# truth (pairwise and B-cubed). Floor of the issue: --add <= 1/5 of the relink, F1 within 0.002.
# LIST is the list added (default the last of synth's mapping file); `make bench` adds
# `memorial` at 1,000,000 people: 223,020 records added to 847,330, the issue's case. The names
# come from synth's large pool, as in bench/scale.sh; POOL=tables draws them from the small
# tables (a stress test: some 140 people share each name at a million).
#   bench/add_list.sh RECKON [PEOPLE [LIST]]
set -u
R=$(readlink -f "$1")
N=${2:-20000}
POOL=${POOL:-large}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W" || exit 1
"$R" synth --scenario caucasus --people "$N" --lists 5 --seed 1 --name-pool "$POOL" --out d > /dev/null || exit 1
last=${3:-$(sed -n 's/^\[list \(.*\)\]$/\1/p' d/mapping.ini | tail -1)}
grep -qx "\[list $last\]" d/mapping.ini || { echo "add_list: no list '$last' in synth's mapping" >&2; exit 1; }
awk -v s="[list $last]" '/^\[list /{skip = ($0 == s)} !skip' d/mapping.ini > d/four.ini
awk -v s="[list $last]" '/^\[list /{keep = ($0 == s)} keep' d/mapping.ini > d/last.ini
"$R" init p.rkp > /dev/null &&
  "$R" import p.rkp --map d/four.ini -q --lenient > /dev/null 2>&1 &&
  /usr/bin/time -f "%e %M" -o four.t "$R" link p.rkp --threads 2 > /dev/null 2>&1 &&
  "$R" import p.rkp --map d/last.ini -q --lenient > /dev/null 2>&1 && cp p.rkp full.rkp || exit 1
/usr/bin/time -f "%e %M" -o add.t "$R" link p.rkp --add "$last" --threads 2 > add.out 2> /dev/null || exit 1
/usr/bin/time -f "%e %M" -o full.t "$R" link full.rkp --threads 2 > full.out 2> /dev/null || exit 1
f1() { "$R" evaluate "$1" --truth d/truth.csv | awk '/^pairwise/ {p = $NF} /^pairwise/ {for (i = 1; i <= NF; i++) if ($i == "F1") p = $(i + 1)} /^B-cubed/ {for (i = 1; i <= NF; i++) if ($i == "F1") b = $(i + 1)} END {print p, b}'; }
read -r ft fm < four.t
read -r at am < add.t
read -r lt lm < full.t
read -r ap ab < <(f1 p.rkp)
read -r lp lb < <(f1 full.rkp)
added=$(sed -n "s/^added list '.*' (\([0-9]*\) records).*/\1/p" add.out)
records=$(sed -n 's/^link run [0-9]*: \([0-9]*\) records.*/\1/p' full.out)
printf 'add_list: %s records, list %s of %s added (four linked in %.1f s)\n' "$records" "$last" "$added" "$ft"
printf '  --add     %6.1f s (peak %d MB)  F1 %s  B-cubed F1 %s  %s\n' "$at" "$((am / 1024))" "$ap" "$ab" "$(sed -n 's/^link run [0-9]*: //p' add.out)"
printf '  relink    %6.1f s (peak %d MB)  F1 %s  B-cubed F1 %s  %s\n' "$lt" "$((lm / 1024))" "$lp" "$lb" "$(sed -n 's/^link run [0-9]*: //p' full.out)"
awk -v a="$at" -v l="$lt" -v p="$ap" -v q="$lp" 'BEGIN { printf "  ratio %.3f of the relink time, F1 %+.4f\n", a / l, p - q; exit !(a <= l / 5 && p >= q - 0.002) }' ||
  { echo "add_list: floor MISSED"; exit 1; }
