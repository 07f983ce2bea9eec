#!/usr/bin/env bash
# Load test of the review app on loopback: a project of 3 lists x N records (names in Latin
# and Cyrillic) with a link run of N pairs, `reckon serve` with 2 worker threads, then wrk
# (bounded: 2 threads, 8 connections, a few seconds; wrk shares the 2 cores) on the pair view
# and the name search.
# Prints requests/s and p99 latency of each; fails under the floor (1,000 req/s, p99 < 50 ms).
#   bench/bench_serve.sh RECKON [N]
set -euo pipefail
RECKON=$(readlink -f "$1")
N=${2:-20000}
DUR=${BENCH_SECONDS:-5}
command -v wrk >/dev/null || { echo "bench_serve: wrk is missing (scripts/install-deps.sh)"; exit 1; }
TMP=$(mktemp -d /tmp/reckon-bench-serve-XXXXXX)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
cd "$TMP"
gen() { # LIST SCRIPT: N rows of id,name,born with names from fixed syllables (seeded)
  awk -v n="$N" -v list="$1" -v cyr="$2" 'BEGIN {
    srand(7); split("ma me do va li ko sa ra ni ta", l, " ");
    split("ма ме до ва ли ко са ра ни та", c, " ");
    print "id,name,born";
    for (i = 1; i <= n; i++) {
      f = ""; g = "";
      for (k = 0; k < 3; k++) { j = int(rand() * 10) + 1; f = f (cyr ? c[j] : l[j]); }
      for (k = 0; k < 2; k++) { j = int(rand() * 10) + 1; g = g (cyr ? c[j] : l[j]); }
      printf "%s%d,%sov %s,%d\n", list, i, f, g, 1930 + int(rand() * 60);
    } }' > "$1.csv"
}
gen a 0; gen b 1; gen c 0
"$RECKON" init p.rkp >/dev/null
for l in a b c; do
  "$RECKON" import p.rkp --list $l --column id=id --column full_name=name --column birth_year=born $l.csv >/dev/null
done
LV='[{"field":"family_name","level":"exact","weight":3.1},{"field":"given_name","level":"exact","weight":2.5},{"field":"birth_year","level":"exact","weight":4.0}]'
sqlite3 p.rkp <<SQL
INSERT INTO link_run VALUES (1, '2026-01-01T00:00:00Z', '0.1.0', '{}', '{}', 1, 0.9, 0.2, 0.9, '{}');
INSERT INTO pair_vector(run_id, id, levels) VALUES (1, 1, '$LV');
WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < $N)
INSERT INTO pair(run_id, record_a, record_b, weight, probability, vector, status)
  SELECT 1, i, i + $N, 1.5, 0.5 + (i % 40) / 100.0, 1,
  CASE WHEN i % 3 = 0 THEN 'linked' ELSE 'review' END FROM k;
INSERT INTO person SELECT 1, id, id FROM record;
UPDATE person SET person_id = record_id - $N WHERE record_id > $N AND record_id <= 2 * $N
  AND (record_id - $N) % 3 = 0;
SQL
"$RECKON" serve p.rkp --threads 2 >serve.out 2>serve.err &
PID=$!
for _ in $(seq 1 400); do
  URL=$(grep -o 'http://[^ ]*/login?token=[0-9a-f]*' serve.out 2>/dev/null || true)
  [ -n "$URL" ] && break
  sleep 0.05
done
[ -n "$URL" ] || { echo "bench_serve: the server printed no login link"; cat serve.err; exit 1; }
BASE=${URL%%/login*}
curl -s -c jar -o /dev/null "$URL"
CSRF=$(curl -s -b jar "$BASE/name" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | sed 's/.*value="//; s/"$//')
curl -s -b jar -o /dev/null -d "csrf=$CSRF&name=bench" "$BASE/name"
COOKIE=$(awk '$6 == "rk_session" {print $7}' jar)
status=0
run() { # NAME PATH
  local out
  out=$(wrk -t2 -c${BENCH_CONNECTIONS:-8} -d"${DUR}s" --latency -H "Cookie: rk_session=$COOKIE" "$BASE$2")
  local rps p99 errs
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errs=$(grep -E 'Non-2xx|Socket errors' <<<"$out" || true)
  local ms
  ms=$(awk -v v="$p99" 'BEGIN { if (v ~ /us$/) print v / 1000; else if (v ~ /ms$/) print v + 0; else print v * 1000 }')
  local ok=ok
  awk -v r="$rps" -v m="$ms" 'BEGIN { exit !(r >= 1000 && m < 50) }' || { ok="UNDER THE FLOOR"; status=1; }
  [ -z "$errs" ] || { ok="ERRORS: $errs"; status=1; }
  printf '%-34s %9.0f req/s   p99 %7.2f ms   %s\n' "$1" "$rps" "$ms" "$ok"
}
run "pair view ($((3 * N)) records)" "/pair?a=12&b=$((12 + N))"
run "search 'Mamedov' ($((3 * N)) names)" "/search?q=Mamedov"
run "search 'мадова' (Cyrillic)" "/search?q=%D0%BC%D0%B0%D0%B4%D0%BE%D0%B2%D0%B0"
exit $status
