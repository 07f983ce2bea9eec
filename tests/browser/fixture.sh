#!/usr/bin/env bash
# Builds a demo project for the report tests: the example lists, a list of hostile names (markup,
# a right-to-left override, a 100 kB name), the claims of issue 6 entered through `reckon claim`,
# and, written straight into the tables by SQL as the linkage and estimation modules would
# write them, a link run (persons from examples/truth.csv, scored pairs, a review queue and
# decisions) and estimates whose result JSON holds every key the report reads.
#   tests/browser/fixture.sh RECKON PROJECT
set -euo pipefail
RECKON=$1
P=$2
SRC=$(cd "$(dirname "$0")/../.." && pwd)
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
"$RECKON" init "$P" >/dev/null
"$RECKON" import "$P" --map "$SRC/examples/mapping.ini" >/dev/null
{
  printf 'id,name,violation,region\n'
  printf '1,<script>alert(1)</script>,killed,<img src=x onerror=alert(2)>\n'
  printf '2,\xe2\x80\xaegpj.exe Ali,killed,North\n'
  printf '3,'; head -c 102400 /dev/zero | tr '\0' 'A'; printf ',killed,North\n'
} > "$W/hostile.csv"
"$RECKON" import "$P" --list hostile --column id=id --column full_name=name \
  --column violation=violation --column region=region "$W/hostile.csv" >/dev/null
S="Ministry of Information of the fictional Republic of Arzania"
U="https://example.org/arzania/statement-30-april"
"$RECKON" claim add "$P" --source "$S" --url "$U" --date 1992-04-30 --category killed --value 613 \
  --note "613 civilians killed" >/dev/null
"$RECKON" claim add "$P" --source "$S" --date 1992-04-30 --category killed --group women --value 106 >/dev/null
"$RECKON" claim add "$P" --source "$S" --date 1992-04-30 --category killed --group children --value 63 >/dev/null
"$RECKON" claim add "$P" --source "$S" --date 1992-04-30 --category killed --group elderly --value 70 >/dev/null
"$RECKON" claim add "$P" --source "$S" --date 1992-04-30 --category wounded --value 1,000 >/dev/null
"$RECKON" claim add "$P" --source "$S" --date 1992-04-30 --category hostage --value 1,275 \
  --note "1,275 taken hostage" >/dev/null
"$RECKON" claim add "$P" --source "$S" --date 1992-04-30 --category missing --value 150 \
  --note "150 still missing" >/dev/null
# A claim for a stratum whose value is markup: its label must read "region: <i>North</i>" as text.
"$RECKON" claim add "$P" --source "$S" --date 1992-04-30 --category killed \
  --stratum 'region=<i>North</i>' --value 12 >/dev/null
# The real pipeline: linkage, then estimates overall and per category (short LCMCR chains and 4
# linkage draws: the report's charts and tables need draws and replicates, not precision, and
# the test runs under the sanitizers too).
"$RECKON" link "$P" >/dev/null 2>&1
"$RECKON" estimate "$P" --method loglinear,dga,lcmcr --iterations 500 --burn-in 2000 --thin 10 \
  --chains 2 --linkages 4 >/dev/null
"$RECKON" estimate "$P" --method loglinear,lcmcr --by violation --iterations 300 --burn-in 1000 \
  --thin 10 --chains 2 --linkages 4 --impute 4 >/dev/null
# A hostile record in a pair awaiting review, so that its name is shown in the report's review
# table, and reviewers' decisions (with markup in a reviewer's name).
"$(dirname "$RECKON")/tests/rk_sql_event" "$P" fixture <<SQL
INSERT INTO pair_vector(run_id, id, levels) SELECT 1, coalesce(max(id), 0) + 1,
  '[{"field":"family","level":"same names","weight":3.2}]' FROM pair_vector WHERE run_id = 1;
INSERT OR REPLACE INTO pair(run_id, record_a, record_b, weight, probability, vector, status)
  SELECT 1, b.id, a.id, 30, 0.9, (SELECT max(id) FROM pair_vector WHERE run_id = 1), 'review'
  FROM record a, record b WHERE a.list_id = (SELECT id FROM list WHERE name = 'hostile') AND b.id = 1;
INSERT INTO decision(key_a, key_b, verdict, reviewer, time, note, run_id) VALUES
  ('ministry:M-0001', 'ngo:ngo-1', 'match', 'reviewer <b>one</b>', '2024-01-02T00:00:00Z', 'same birth year', 1),
  ('ministry:M-0002', 'ngo:ngo-9', 'non-match', 'reviewer two', '2024-01-02T00:00:00Z', NULL, 1),
  ('ministry:M-0003', 'ngo:ngo-3', 'unsure', 'reviewer two', '2024-01-02T00:00:00Z', NULL, 1);
SQL
# The latest batch (by violation) as if combined over linkage and imputation replicates: the
# killed stratum and the totals carry result.replicates, the totals result.thresholds, so that
# the headline and its table by stratum show every column (src/report/sec_headline.c).
"$(dirname "$RECKON")/tests/rk_sql_event" "$P" fixture <<'SQL'
UPDATE estimate SET result = json_set(result, '$.replicates', json('{"linkages":20,
  "imputations":20,"replicates":20,"rule":"pooled","answered":20,"imputed":12,
  "single":{"estimate":' || (estimate - 5) || ',"lower":' || (lower + 10) || ',"upper":' ||
  (upper - 20) || '},"one":{"estimate":' || (estimate - 5) || ',"lower":' || (lower + 14) ||
  ',"upper":' || (upper - 24) || '},"widened":{"imputation":8,"linkage":30}}'))
  WHERE batch = (SELECT max(batch) FROM estimate) AND status = 'ok'
  AND (stratum IS NULL OR stratum = '{"violation":"killed"}');
UPDATE estimate SET result = json_set(result, '$.thresholds', json('[' ||
  '{"threshold":0.3,"observed":' || (observed - 40) || ',"estimate":' || (estimate - 60) ||
  ',"lower":' || (lower - 60) || ',"upper":' || (upper - 50) || ',"status":"ok"},' ||
  '{"threshold":0.5,"observed":' || (observed - 15) || ',"estimate":' || (estimate - 20) ||
  ',"lower":' || (lower - 20) || ',"upper":' || (upper - 15) || ',"status":"ok"},' ||
  '{"threshold":0.7,"observed":' || observed || ',"estimate":' || estimate || ',"lower":' ||
  lower || ',"upper":' || upper || ',"status":"ok"},' ||
  '{"threshold":0.9,"observed":' || (observed + 25) || ',"status":"refused","reason":' ||
  '"a list names every person of this table"}]'))
  WHERE batch = (SELECT max(batch) FROM estimate) AND status = 'ok' AND stratum IS NULL;
SQL
