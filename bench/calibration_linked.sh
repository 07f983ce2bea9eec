#!/usr/bin/env bash
# Calibration on the LINKED table: the same `reckon synth` data as bench_calibration (seeds
# 100.., scenarios in turn), imported and linked with the default settings, then estimated from
# the project, so linkage errors count too. Per method: 95% interval coverage of the true
# total, mean width and median error relative to it.
#   bench/calibration_linked.sh RECKON [SEEDS] [PEOPLE] [LISTS]
set -u
R=$(readlink -f "$1")
SEEDS=${2:-20}
N=${3:-5000}
K=${4:-5}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
scenarios=(caucasus spanish arabic mixed)
t0=$(date +%s)
for ((s = 0; s < SEEDS; s++)); do
    seed=$((100 + s))
    d="$W/$seed"
    "$R" synth -q --scenario "${scenarios[s % 4]}" --people "$N" --lists "$K" --seed "$seed" --out "$d" &&
        "$R" init "$d/p.rkp" > /dev/null &&
        "$R" import "$d/p.rkp" --map "$d/mapping.ini" -q > /dev/null 2>&1 &&
        "$R" link "$d/p.rkp" > /dev/null 2>&1 &&
        awk -F': ' '/^people on at least one list/ { print "seen", $2 }' "$d/README.txt" &&
        "$R" estimate "$d/p.rkp" --method loglinear,dga,lcmcr --seed $((s + 1)) --burn-in 5000 \
            --iterations 1000 --thin 20 --chains 2 |
        awk '$1 == "(all)" { print $2, $5, $6, $7, $4 }' || exit 1
    rm -rf "$d"
done | awk -v n="$N" -v seeds="$SEEDS" -v t0="$t0" '
    $1 == "seen" { seen += $2; next }
    $1 == "loglinear" { found += $5 }
    { runs[$1]++; if ($3 <= n && n <= $4) cover[$1]++; width[$1] += ($4 - $3) / n
      err[$1, runs[$1]] = ($2 - n) / n }
    function median(m, k, absolute,   a, i, j, t) {
        for (i = 1; i <= k; i++) a[i] = absolute && err[m, i] < 0 ? -err[m, i] : err[m, i]
        for (i = 2; i <= k; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
        return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
    }
    END {
        printf "linked tables (reckon import + link, default settings; %d seeds, %d s): %.1f%% more persons\n" \
            "than the truth sees (a person split in two looks like two less-captured ones: estimates rise)\n",
            seeds, systime() - t0, 100 * (found / seen - 1)
        split("loglinear dga lcmcr", ms, " ")
        for (i = 1; i <= 3; i++) { m = ms[i]
            printf "  %-10s %10s %18.3f %22.3f %22.3f\n", m, (cover[m] + 0) "/" runs[m], width[m] / runs[m],
                median(m, runs[m], 0), median(m, runs[m], 1) }
    }'
