#!/usr/bin/env bash
# Linkage at scale: `reckon synth` caucasus lists (1,000,000 people in 5 lists give 1,070,350
# records), imported and linked with the default settings on 2 threads; prints the wall time
# and peak memory of each step, the link's CPU seconds, the pairs compared per second and the
# pairwise F1 on the lists' truth. The names come from synth's large pool (docs/synth.md, "Name
# pools": as many family names as a population of that size has); POOL=tables draws them from
# the small tables instead, where some 140 people share each name and the blocks hold six
# times the pairs (a stress test, not a population).
#   bench/scale.sh RECKON [PEOPLE]     (9350000 people: the ten million; `BENCH_10M=1 make bench`)
set -u
R=$(readlink -f "$1")
N=${2:-1000000}
POOL=${POOL:-large}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W" || exit 1
"$R" synth --scenario caucasus --people "$N" --lists 5 --seed 1 --name-pool "$POOL" --out d > /dev/null || exit 1
records=0
for f in d/*.csv; do [ "$f" = d/truth.csv ] || records=$((records + $(wc -l < "$f") - 1)); done
"$R" init p.rkp > /dev/null || exit 1
/usr/bin/time -f "%e %M" -o import.t "$R" import p.rkp --map d/mapping.ini -q > /dev/null 2>&1 || exit 1
/usr/bin/time -f "%e %U %S %M" -o link.t "$R" link p.rkp --threads 2 > link.out 2> /dev/null || exit 1
read -r it im < import.t
read -r lt lu ls lm < link.t
f1=$("$R" evaluate p.rkp --truth d/truth.csv | sed -n 's/^pairwise:.*F1 \([0-9.]*\).*/\1/p')
pairs=$(sed -n 's/.*; \([0-9]*\) pairs compared.*/\1/p' link.out)
secs=$(sed -n 's/.*(\([0-9.]*\) s)$/\1/p' link.out)
printf 'scale: %d records of 5 lists  import %.1f s (peak %d MB)  link %.1f s, %.1f s CPU (peak %d MB), %s pairs compared, %.0f pairs/s, pairwise F1 %s\n' \
    "$records" "$it" "$((im / 1024))" "$lt" "$(echo "$lu + $ls" | bc -l)" "$((lm / 1024))" "$pairs" "$(echo "$pairs / $secs" | bc -l)" "$f1"
# Issue 16's floors: at a million records, link within 60 s on 2 cores and at most 2 GiB; at
# ten million (9,350,000 people give 9,992,279 records), import and link within 20 minutes
# and at most 16 GiB.
if [ "$N" -ge 5000000 ]; then
  awk -v i="$it" -v b="$lt" -v m="$lm" -v n="$im" 'BEGIN { exit !(i + b <= 1200 && m / 1048576 <= 16 && n / 1048576 <= 16) }' ||
    { echo "scale: floor MISSED (import and link at most 20 minutes, 16 GiB)"; exit 1; }
else
  awk -v b="$lt" -v m="$lm" 'BEGIN { exit !(b <= 60 && m / 1048576 <= 2) }' || { echo "scale: floor MISSED (link at most 60 s and 2 GiB)"; exit 1; }
fi
