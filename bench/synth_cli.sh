#!/usr/bin/env bash
# Linkage of `reckon synth` lists through the command line with the DEFAULT settings (no
# configuration): per scenario and seed, pairwise precision, recall and F1 against the truth,
# and the time of import + link. Target (issue 4): F1 >= 0.95 for every scenario.
#   bench/synth_cli.sh RECKON [PEOPLE] [LISTS] [SEEDS...]
# SCENARIOS="balkans mixed" runs only those scenarios (default: all five).
set -u
R=$(readlink -f "$1")
N=${2:-20000}
K=${3:-5}
shift $(($# < 3 ? $# : 3))
SEEDS=${*:-3 7}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
status=0
for scen in ${SCENARIOS:-caucasus spanish arabic mixed balkans}; do
    for seed in $SEEDS; do
        d="$W/$scen-$seed"
        "$R" synth --scenario "$scen" --people "$N" --lists "$K" --seed "$seed" --out "$d" > /dev/null || { status=1; continue; }
        t0=$(date +%s.%N)
        "$R" init "$d/p.rkp" > /dev/null &&
            "$R" import "$d/p.rkp" --map "$d/mapping.ini" -q > /dev/null 2>&1 &&
            "$R" link "$d/p.rkp" > "$d/link.out" 2> /dev/null || {
            printf 'synth cli %-9s seed %-3s import or link FAILED\n' "$scen" "$seed"
            status=1
            continue
        }
        t1=$(date +%s.%N)
        line=$("$R" evaluate "$d/p.rkp" --truth "$d/truth.csv" | awk '/^pairwise/ { print $3, $5, $7 }')
        set -- $line
        ok=met
        awk -v f="$3" 'BEGIN { exit !(f + 0 >= 0.95) }' || { ok=MISSED; status=1; }
        printf 'synth cli %-9s seed %-3s %d people %d lists  P %s R %s F1 %s (target 0.95: %s)  import+link %.1f s\n' \
            "$scen" "$seed" "$N" "$K" "$1" "$2" "$3" "$ok" "$(echo "$t1 - $t0" | bc)"
    done
done
exit $status
