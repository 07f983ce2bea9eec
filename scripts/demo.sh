#!/usr/bin/env bash
# `make demo`: runs the whole pipeline on the example lists of examples/ and ends with a summary.
#   scripts/demo.sh PATH/TO/reckon
set -euo pipefail
RECKON=$(readlink -f "$1")
cd "$(dirname "$0")/.."
mkdir -p demo
chmod 700 demo
rm -f demo/demo.rkp demo/demo.rkp-wal demo/demo.rkp-shm
echo "== reckon demo: four lists of a fictional conflict (examples/README.md)"
"$RECKON" init demo/demo.rkp
"$RECKON" import demo/demo.rkp --map examples/mapping.ini
"$RECKON" lists demo/demo.rkp
echo
echo "== who is documented: linking records into persons"
"$RECKON" link demo/demo.rkp 2>/dev/null
"$RECKON" evaluate demo/demo.rkp --truth examples/truth.csv
echo
echo "== how many victims in all: multiple systems estimation, overall and by region"
# Every estimate is combined over 20 draws of the linkage (and the link thresholds 0.3 to 0.9
# follow the table); under each row, the single-linkage figure it was set beside.
"$RECKON" estimate demo/demo.rkp --method loglinear,dga,lcmcr --seed 1
# press records no region: the persons only press names have none, and by default their region
# is imputed from the lists that name them (20 imputations, combined with the linkage draws).
"$RECKON" estimate demo/demo.rkp --method loglinear --by region --seed 1 |
    sed -n -e '/^(all)/,/^$/p' -e '/^missing values/,$p'
# A gazetteer knows each place's region in every script: press's persons get theirs from their
# places, and nothing is left to impute (docs/methods.md, "Strata").
"$RECKON" gazetteer demo/demo.rkp examples/gazetteer.csv --region-column region \
    --place-column place
"$RECKON" estimate demo/demo.rkp --method loglinear --by region --seed 1
# Per category too, so that claims about the killed or the disappeared meet an estimate.
"$RECKON" estimate demo/demo.rkp --method loglinear,lcmcr --by violation --seed 1 >/dev/null
echo
echo "== what others have claimed (examples/claims.sh)"
examples/claims.sh "$RECKON" demo/demo.rkp >/dev/null
"$RECKON" claim list demo/demo.rkp --event-year 1992
echo
echo "== the report"
"$RECKON" report demo/demo.rkp -o demo/report.html --json demo/report.json --event-year 1992
"$RECKON" verify demo/demo.rkp
echo
q() { sqlite3 demo/demo.rkp "$1"; }
echo "== summary"
echo "  lists:               $(q 'select count(*) from list')"
echo "  records:             $(q 'select count(*) from current_record')"
echo "  documented persons:  $(q 'select count(distinct person_id) from person where run_id = (select max(id) from link_run)')"
echo "  pairs for review:    $(q "select count(*) from pair where status = 'review' and run_id = (select max(id) from link_run)")"
q "select printf('  estimate (%s):%s%.0f, 95%% interval %.0f to %.0f (single linkage %.0f, %.0f to %.0f)', method, substr('          ', length(method)), estimate, lower, upper, json_extract(result, '\$.replicates.single.estimate'), json_extract(result, '\$.replicates.single.lower'), json_extract(result, '\$.replicates.single.upper')) from estimate where stratum is null and status = 'ok' and batch = (select min(batch) from estimate) order by method"
echo "  claims:              $(q 'select count(*) from claim where removed_time is null')"
echo "  audit chain:         $("$RECKON" verify demo/demo.rkp | sed 's/^[^:]*: //')"
echo
echo "== a release for publication: names, record ids and exact dates out, small cells suppressed,"
echo "   signed (docs/release.md); the keys stay in demo/, outside the bundle"
rm -rf demo/release
"$RECKON" release demo/demo.rkp -o demo/release --key demo/release.key \
    --signing-key demo/signing.key 2>/dev/null
"$RECKON" release verify demo/release
echo
echo "== done: the report is $(pwd)/demo/report.html (open it in a browser); the project is demo/demo.rkp"
echo "   records: $RECKON export demo/demo.rkp records --format json"
echo "   persons: $RECKON export demo/demo.rkp persons"
echo "   model:   $RECKON model demo/demo.rkp"
echo "   release: demo/release (check it: $RECKON release verify demo/release)"
echo "   review:  $RECKON serve demo/demo.rkp"
echo "            then open the login link it prints (127.0.0.1, a free port) in a browser"
echo "            on this machine; docs/review.md explains the review app"
