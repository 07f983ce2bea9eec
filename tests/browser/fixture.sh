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
cp "$SRC/examples/truth.csv" "$W/truth.csv"
sqlite3 "$P" <<SQL
.mode csv
.import $W/truth.csv truth
BEGIN;
INSERT INTO link_run(id, time, reckon_version, config, model, seed, threshold, review_low,
  review_high, stats) VALUES (1, '2024-01-01T00:00:00Z', '0.1.0',
  '{"blocking":["family_key+birth_year"],"fields":["family","given","birth"]}',
  '{"prior":0.001,"fields":[{"name":"family","levels":[{"label":"exact","m":0.9,"u":0.01},
  {"label":"similar","m":0.08,"u":0.05},{"label":"different","m":0.02,"u":0.94}]},
  {"name":"birth_year","levels":[{"label":"exact","m":0.85,"u":0.02,"weight":5.4},
  {"label":"different","m":0.15,"u":0.98,"weight":-2.7}]}]}',
  42, 0.9, 0.5, 0.9, '{}');
CREATE TEMP TABLE rp AS SELECT r.id rid, t.person_id tp FROM record r LEFT JOIN truth t
  ON t.record_key = r.record_key;
INSERT INTO person(run_id, record_id, person_id)
  SELECT 1, rid, CASE WHEN tp IS NULL THEN rid ELSE (SELECT min(b.rid) FROM rp b WHERE b.tp = rp.tp) END FROM rp;
INSERT INTO pair(run_id, record_a, record_b, weight, probability, levels, status)
  SELECT 1, a.record_id, b.record_id, 6 + (a.record_id * 7919 + b.record_id) % 90 / 10.0, 0.99, '[0,0]', 'linked'
  FROM person a JOIN person b ON a.person_id = b.person_id AND a.record_id < b.record_id AND a.run_id = 1 AND b.run_id = 1;
INSERT INTO pair(run_id, record_a, record_b, weight, probability, levels, status)
  SELECT 1, a.id, a.id + 1, -8 + (a.id * 7919) % 110 / 10.0, 0.1, '[1,1]',
    CASE WHEN -8 + (a.id * 7919) % 110 / 10.0 > 0 THEN 'review' ELSE 'unlinked' END
  FROM record a WHERE a.id + 1 IN (SELECT id FROM record) AND (SELECT person_id FROM person WHERE record_id = a.id) <> (SELECT person_id FROM person WHERE record_id = a.id + 1);
INSERT OR REPLACE INTO pair(run_id, record_a, record_b, weight, probability, levels, status)
  SELECT 1, b.id, a.id, 30, 0.9, '[2,2]', 'review' FROM record a, record b
  WHERE a.list_id = (SELECT id FROM list WHERE name = 'hostile') AND b.id = 1;
INSERT INTO decision(key_a, key_b, verdict, reviewer, time, note, run_id) VALUES
  ('ministry:M-0001', 'ngo:ngo-1', 'match', 'reviewer <b>one</b>', '2024-01-02T00:00:00Z', 'same birth year', 1),
  ('ministry:M-0002', 'ngo:ngo-9', 'non-match', 'reviewer two', '2024-01-02T00:00:00Z', NULL, 1),
  ('ministry:M-0003', 'ngo:ngo-3', 'unsure', 'reviewer two', '2024-01-02T00:00:00Z', NULL, 1);
WITH RECURSIVE d(i, x) AS (SELECT 0, 1400.0 UNION ALL SELECT i + 1,
  1400.0 + ((i * 7919 + 13) % 400) + ((i * 104729) % 200) - 250 FROM d WHERE i < 1999)
INSERT INTO estimate(time, run_id, method, model, stratum, lists, config, seed, observed, estimate,
  lower, upper, status, reason, capture, result)
  SELECT '2024-01-03T00:00:00Z', 1, 'lcmcr', NULL, NULL, '["ministry","memorial","ngo","press"]',
  '{"K":10,"burnin":10000,"samples":2000,"thinning":10}', 7, 1000, 1390, 1180, 1650, 'ok', NULL,
  '{}', json_object('draws', json_group_array(x)) FROM d;
INSERT INTO estimate(time, run_id, method, model, stratum, lists, config, seed, observed, estimate,
  lower, upper, status, reason, capture, result) VALUES
  ('2024-01-03T00:00:00Z', 1, 'loglinear', 'best BIC', NULL, '["ministry","memorial","ngo","press"]',
   '{"criterion":"bic"}', NULL, 1000, 1310, 1150, 1520, 'ok', NULL, '{}',
   '{"models":[{"name":"[12][34]","bic":40.1,"aic":35.2,"estimate":1310,"lower":1150,"upper":1520},
   {"name":"independence","bic":41.0,"aic":39.9,"estimate":1190,"lower":1120,"upper":1270},
   {"name":"[12][13][34]","bic":43.5,"aic":34.8,"estimate":1480,"lower":1210,"upper":1900}]}'),
  ('2024-01-03T00:00:00Z', 1, 'dga', NULL, NULL, '["ministry","memorial","ngo"]',
   '{"delta":0.5}', 11, 1000, 1350, 1200, 1600, 'ok', NULL, '{}',
   '{"graphs":[{"graph":"[12][3]","weight":0.55,"estimate":1330},{"graph":"[1][2][3]","weight":0.3,
   "estimate":1250},{"graph":"[123]","weight":0.15,"estimate":1500}],"delta_sensitivity":[
   {"delta":0.1,"estimate":1320,"lower":1180,"upper":1560},{"delta":0.5,"estimate":1350,
   "lower":1200,"upper":1600},{"delta":1,"estimate":1380,"lower":1210,"upper":1650}]}'),
  ('2024-01-03T00:00:00Z', 1, 'lcmcr', NULL, '{"violation":"killed"}', '["ministry","memorial","ngo","press"]',
   '{"K":10}', 7, 620, 700, 640, 790, 'ok', NULL, '{}', '{}'),
  ('2024-01-03T00:00:00Z', 1, 'lcmcr', NULL, '{"violation":"killed","sex":"F"}', '["ministry","memorial","ngo","press"]',
   '{"K":10}', 7, 90, 104, 95, 130, 'ok', NULL, '{}', '{}'),
  ('2024-01-03T00:00:00Z', 1, 'lcmcr', NULL, '{"violation":"wounded"}', '["ministry","memorial","ngo","press"]',
   '{"K":10}', 7, 5, NULL, NULL, NULL, 'refused', 'too few persons seen by two lists', '{}', '{}');
COMMIT;
SQL
