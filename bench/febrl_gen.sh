#!/usr/bin/env bash
# Generated Febrl-like person files (reckon synth --scenario febrl, docs/synth.md): N records a
# side, M people in both (default N/2), linked with each shipped configuration
# (bench/febrl/link-4.ini, link-4-nossn.ini) and with no configuration (given and family name
# and birth date mapped to their roles, imported with --lenient, the address columns as field: extras). Prints
# precision, recall, F1, wall time and peak memory of import + link per configuration.
#   bench/febrl_gen.sh RECKON N [M] [SEED]
set -u
R=$(readlink -f "$1")
N=${2:-10000}
M=${3:-$((N / 2))}
SEED=${4:-1}
HERE=$(readlink -f "$(dirname "$0")")
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
"$R" synth --scenario febrl --people "$N" --pairs "$M" --seed "$SEED" --out "$W/data" -q || exit 1
# The mapping with roles: the birth date as birth_date (YYYYMMDD), soc_sec_id left out.
sed -e 's/^column.field:dob = date_of_birth$/column.birth_date = date_of_birth\ndate_format.birth_date = YYYYMMDD/' \
    -e '/^column.field:soc_sec_id/d' "$W/data/mapping.ini" > "$W/data/mapping-roles.ini"
status=0
run() { # NAME MAPPING CONFIG|"" [IMPORT_OPTION]
    local name=$1 map=$2 cfg=$3 opt=${4:-}
    rm -f "$W/p.rkp" "$W/p.rkp-wal" "$W/p.rkp-shm"
    "$R" init "$W/p.rkp" > /dev/null || return 1
    local t0 t1 link="'$R' link '$W/p.rkp'"
    [ -n "$cfg" ] && link="$link --config '$cfg'"
    t0=$(date +%s.%N)
    /usr/bin/time -f %M -o "$W/rss.txt" bash -c "'$R' import '$W/p.rkp' --map '$map' $opt -q > /dev/null &&
        $link > /dev/null 2> '$W/link.err'" || { cat "$W/link.err"; return 1; }
    t1=$(date +%s.%N)
    local ev
    ev=$("$R" evaluate "$W/p.rkp" --truth "$W/data/truth.csv" | awk '/^pairwise/ { print $3, $5, $7 }')
    printf 'febrl gen %s/side %-24s P %s R %s F1 %s  import+link %.1f s  peak rss %d MB\n' "$N" "$name" \
        $ev "$(echo "$t1 - $t0" | bc)" "$(($(cat "$W/rss.txt") / 1024))"
    grep -i "warn\|not converged" "$W/link.err" | head -3 | sed 's/^/    /'
}
run "link-4.ini" "$W/data/mapping.ini" "$HERE/febrl/link-4.ini" || status=1
run "link-4-nossn.ini" "$W/data/mapping.ini" "$HERE/febrl/link-4-nossn.ini" || status=1
# A changed birth date may not exist (19561906): --lenient keeps it raw.
run "no configuration" "$W/data/mapping-roles.ini" "" --lenient || status=1
exit $status
