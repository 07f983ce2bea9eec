#!/usr/bin/env bash
# Febrl through the command line: import, link, export and evaluate, with wall time and peak
# memory of import + link + export. fastLink 0.6.1 reaches F1 1.000 (4a<->4b), 0.998 (without
# soc_sec_id) and 0.999 (dataset3 deduplication), in about 50 s and 1.4 GB per run. The export
# is of persons (of records where this build cannot export persons).
#   bench/febrl/run.sh RECKON [DATA_DIR]
set -u
R=$(readlink -f "$1")
DATA=${2:-$(dirname "$0")/../../../shared/data/febrl}
DATA=$(readlink -f "$DATA")
HERE=$(readlink -f "$(dirname "$0")")
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
status=0
run() { # NAME MAPPING CONFIG TARGET LIST=FILE...
    local name=$1 map=$2 cfg=$3 target=$4
    shift 4
    rm -rf "$W/run" && mkdir "$W/run" && cd "$W/run" || return 1
    for spec in "$@"; do cp "$DATA/${spec#*=}" .; done
    cp "$HERE/$map" "$HERE/$cfg" .
    "$HERE/truth.sh" "$@" > truth.csv
    "$R" init p.rkp > /dev/null || return 1
    local t0 t1
    t0=$(date +%s.%N)
    /usr/bin/time -f %M -o rss.txt bash -c "'$R' import p.rkp --map '$map' -q > /dev/null &&
        '$R' link p.rkp --config '$cfg' > /dev/null 2> link.err &&
        { '$R' export p.rkp persons -o persons.csv 2> /dev/null ||
          '$R' export p.rkp records -o records.csv; }" || { cat link.err; return 1; }
    t1=$(date +%s.%N)
    local f1
    f1=$("$R" evaluate p.rkp --truth truth.csv | awk '/^pairwise/ { print $7 }')
    local p r
    p=$("$R" evaluate p.rkp --truth truth.csv | awk '/^pairwise/ { print $3 }')
    r=$("$R" evaluate p.rkp --truth truth.csv | awk '/^pairwise/ { print $5 }')
    local ok=met
    awk -v f="$f1" -v t="$target" 'BEGIN { exit !(f + 0 >= t) }' || { ok=MISSED; status=1; }
    printf 'febrl cli %-28s P %s R %s F1 %s (target %s: %s)  import+link+export %.2f s  peak rss %d MB\n' \
        "$name" "$p" "$r" "$f1" "$target" "$ok" "$(echo "$t1 - $t0" | bc)" "$(($(cat rss.txt) / 1024))"
}
run "4a<->4b all fields" mapping-4.ini link-4.ini 1.000 a=dataset4a.csv b=dataset4b.csv || status=1
run "4a<->4b without soc_sec_id" mapping-4.ini link-4-nossn.ini 0.998 a=dataset4a.csv b=dataset4b.csv || status=1
run "dataset3 dedup" mapping-3.ini link-3.ini 0.999 d3=dataset3.csv || status=1
exit $status
