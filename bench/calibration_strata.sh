#!/usr/bin/env bash
# End-to-end calibration of the figures a user gets: `reckon synth` lists (regions written in
# each list's script, a gazetteer, one list without regions, one without ages, capture that
# depends on the region) imported, linked and estimated with the defaults, unstratified and
# `--by region`, over SEEDS seeds (scenarios in turn). Per method and figure (the whole
# unstratified, the sum of the regions, each region): how often the 95% interval covers the
# truth, the median width and the median error (both relative to the truth), for the stored
# figure (combined over linkage draws and imputations) and for the single-linkage figure beside
# it. Also: strata that are not true regions, and strata whose estimate is their documented
# count with an interval below a truth at least 10% more (the failure issue 13 named).
#   bench/calibration_strata.sh RECKON [SEEDS] [PEOPLE] [LISTS] [METHODS]
# CALIBRATION_LOG=FILE keeps every row (kind|method|region|truth|observed|estimate|lower|upper|
# single lower|single upper|status).
set -u
R=$(readlink -f "$1")
SEEDS=${2:-20}
N=${3:-4000}
K=${4:-4}
METHODS=${5:-loglinear,dga,lcmcr}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
scenarios=(caucasus spanish arabic mixed)
t0=$(date +%s)

# The latest batch's answered rows: kind, method, truth, observed, estimate, lower, upper,
# single lower and upper (the single-linkage figure; the stored one when not replicated).
rows() { # PROJECT TRUTH_TOTAL KIND
    sqlite3 -separator '|' "$1" "
      SELECT CASE WHEN stratum IS NULL THEN '$3' ELSE 'region' END, method,
        coalesce(json_extract(stratum, '$.region'), '-'), observed, coalesce(estimate, 0),
        coalesce(lower, 0), coalesce(upper, 0),
        coalesce(json_extract(result, '$.replicates.single.lower'), lower, 0),
        coalesce(json_extract(result, '$.replicates.single.upper'), upper, 0), status
      FROM estimate WHERE batch = (SELECT max(batch) FROM estimate) AND method != 'none'" |
        awk -F'|' -v OFS='|' -v total="$2" -v truth_file="$4" '
          BEGIN { while ((getline line < truth_file) > 0) { split(line, f, ","); t[f[1]] = f[2] } }
          { truth = $3 == "-" ? total : t[$3]; if (truth == "") truth = "unknown"
            print $1, $2, $3, truth, $4, $5, $6, $7, $8, $9, $10 }'
}

for ((s = 0; s < SEEDS; s++)); do
    seed=$((100 + s))
    d="$W/$seed"
    "$R" synth -q --scenario "${scenarios[s % 4]}" --people "$N" --lists "$K" --seed "$seed" \
        --out "$d" || exit 1
    (
        cd "$d" || exit 1
        "$R" init p.rkp > /dev/null &&
            "$R" import p.rkp --map mapping.ini -q > /dev/null 2>&1 &&
            "$R" gazetteer p.rkp gazetteer.csv --region-column region --place-column place \
                > /dev/null &&
            "$R" link p.rkp > /dev/null 2>&1 || exit 1
        "$R" estimate p.rkp --method "$METHODS" --seed "$seed" > /dev/null 2>&1
        rows p.rkp "$N" whole truth_regions.csv
        "$R" estimate p.rkp --method "$METHODS" --by region --seed "$seed" > /dev/null 2>&1
        rows p.rkp "$N" sum truth_regions.csv
        echo "regions|$(($(wc -l < truth_regions.csv) - 1))|$(sqlite3 p.rkp "SELECT count(DISTINCT stratum) FROM estimate WHERE batch = (SELECT max(batch) FROM estimate) AND stratum IS NOT NULL")"
    ) || exit 1
    rm -rf "$d"
done | tee "${CALIBRATION_LOG:-/dev/null}" | awk -F'|' -v seeds="$SEEDS" -v n="$N" -v k="$K" -v t0="$t0" '
    $1 == "regions" { true_regions += $2; strata += $3; if ($3 != $2) wrong++; next }
    {
        kind = $1; m = $2; truth = $4; obs = $5; est = $6; lo = $7; hi = $8; slo = $9; shi = $10
        st = $11
        if (truth == "unknown") { unknown++; next }
        key = kind SUBSEP m
        if (!(key in runs)) order[++nkeys] = key
        runs[key]++
        if (st != "ok") { refused[key]++; next }
        answered[key]++
        if (lo <= truth && truth <= hi) cover[key]++
        if (slo <= truth && truth <= shi) scover[key]++
        wid[key, answered[key]] = (hi - lo) / truth
        swid[key, answered[key]] = (shi - slo) / truth
        err[key, answered[key]] = (est - truth) / truth
        if (kind == "region" && est <= obs * 1.001 && truth >= 1.1 * obs && hi < truth) degenerate++
    }
    function median(key, k, what,   a, i, j, t) {
        for (i = 1; i <= k; i++) a[i] = what == "w" ? wid[key, i] : what == "s" ? swid[key, i] : err[key, i]
        for (i = 2; i <= k; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
        return k == 0 ? 0 : k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
    }
    END {
        printf "%d seeds, %d people, %d lists, defaults (20 linkage draws, 20 imputations), %d s\n",
            seeds, n, k, systime() - t0
        printf "strata: %d over %d true regions (%d runs with another number); %d strata whose\n" \
            "estimate is their documented count and whose interval stops below a truth 10%% more\n",
            strata, true_regions, wrong, degenerate + 0
        printf "  %-7s %-10s %9s %9s %9s %11s %9s %9s\n", "figure", "method", "answered",
            "covered", "width", "median err", "single", "width"
        for (i = 1; i <= nkeys; i++) {
            split(order[i], p, SUBSEP); key = order[i]; a = answered[key] + 0
            printf "  %-7s %-10s %5d/%-3d %5d/%-3d %9.3f %11.3f %5d/%-3d %9.3f\n", p[1], p[2],
                a, runs[key], cover[key], a, median(key, a, "w"), median(key, a, "e"),
                scover[key], a, median(key, a, "s")
        }
        print "  (widths and errors relative to the truth, medians; single: the single-linkage figure)"
    }'
