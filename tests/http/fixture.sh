#!/usr/bin/env bash
# Builds the small project the HTTP and browser tests review: three lists naming four people
# in three scripts, and a link run written with SQL (the linkage module's tables, as its
# schema defines them): linked pairs, pairs sent to review, and the persons they make, logged
# as a "fixture" event by tests/tools/sql_event.c (the audit chain vouches for every table).
#   fixture.sh RECKON PROJECT
set -euo pipefail
RECKON=$1
P=$2
dir=$(dirname "$P")
cat > "$dir/ministry.csv" <<'CSV'
id,name,born,place
M1,Məmmədov İlqar,1966,Arzan
M2,Hovhannisyan Tigran,1949,Belvor
M3,Əhmədova Ülviyyə,1948,Yenikənd
M4,Quliyev Rəşad,1970,Karsu
CSV
cat > "$dir/memorial.csv" <<'CSV'
id,name,born,place
R1,Мамедов Ильгар,1966,Арзан
R2,Оганесян Тигран,1949,Бельвор
R3,Ахмедова Ульвия,1948,Еникенд
R4,Кулиев Рашад,1971,Карсу
CSV
cat > "$dir/ngo.csv" <<'CSV'
id,name,born,place
N1,Ilqar Mamedov,1966,Arzan
N2,Tigran Oganesyan,1949,Belvor
N3,Ulviyya Ahmadova,1948,Yenikend
N4,<b>Rashad</b> Guliyev & co,1970,Karsu
CSV
"$RECKON" init "$P" >/dev/null
for l in ministry memorial ngo; do
  "$RECKON" import "$P" --list $l --column id=id --column full_name=name \
    --column birth_year=born --column place=place "$dir/$l.csv" >/dev/null
done
# Records: ministry 1-4, memorial 5-8, ngo 9-12.
lv() { # family level, family weight, given weight, year weight
  printf '[{"field":"family_name","level":"%s","weight":%s},{"field":"given_name","level":"exact","weight":%s},{"field":"birth_year","level":"exact","weight":%s}]' "$@"
}
"$(dirname "$RECKON")/tests/rk_sql_event" "$P" fixture <<SQL
INSERT INTO link_run(id, time, reckon_version, config, model, seed, threshold, review_low,
  review_high, stats) VALUES (1, '2026-01-01T00:00:00Z', '0.1.0', '{}', '{}', 1, 0.9, 0.2, 0.9, '{}');
CREATE TEMP TABLE fixture_pair(run_id, record_a, record_b, weight, probability, levels, status);
INSERT INTO fixture_pair VALUES
 (1, 1, 5, 9.1, 0.97, '$(lv "jaro-winkler >= 0.9" 3.1 2.5 4.0)', 'linked'),
 (1, 1, 9, 8.2, 0.95, '$(lv "jaro-winkler >= 0.9" 3.0 2.5 4.0)', 'linked'),
 (1, 5, 9, 0.6, 0.60, '$(lv "edit distance <= 2" 1.1 -1.0 4.0)', 'review'),
 (1, 2, 6, 0.0, 0.50, '$(lv "jaro-winkler >= 0.8" 0.5 2.5 4.0)', 'review'),
 (1, 2, 10, 2.0, 0.80, '$(lv "jaro-winkler >= 0.8" 0.8 2.5 4.0)', 'review'),
 (1, 6, 10, 9.9, 0.99, '$(lv "exact" 4.4 2.5 4.0)', 'linked'),
 (1, 3, 7, -0.6, 0.40, '$(lv "edit distance <= 2" 1.0 -2.0 4.0)', 'review'),
 (1, 3, 11, 9.0, 0.98, '$(lv "jaro-winkler >= 0.9" 3.3 2.5 4.0)', 'linked'),
 (1, 4, 8, -1.2, 0.30, '$(lv "jaro-winkler >= 0.8" 0.7 2.5 -3.0)', 'review'),
 (1, 4, 12, 1.2, 0.70, '$(lv "jaro-winkler >= 0.8" 0.7 2.5 4.0)', 'review'),
 (1, 8, 12, -1.6, 0.25, '$(lv "jaro-winkler >= 0.8" 0.6 2.5 -3.0)', 'review');
-- Each distinct comparison vector stored once, as reckon link stores them (pair_vector).
INSERT INTO pair_vector(run_id, id, levels) SELECT 1, row_number() OVER (ORDER BY levels), levels
  FROM (SELECT DISTINCT levels FROM fixture_pair);
INSERT INTO pair(run_id, record_a, record_b, weight, probability, vector, status)
  SELECT f.run_id, f.record_a, f.record_b, f.weight, f.probability, v.id, f.status
  FROM fixture_pair f JOIN pair_vector v ON v.run_id = f.run_id AND v.levels = f.levels;
INSERT INTO person(run_id, record_id, person_id) VALUES
 (1,1,1),(1,5,1),(1,9,1),(1,2,2),(1,6,6),(1,10,6),(1,3,3),(1,11,3),(1,7,7),(1,4,4),(1,8,8),(1,12,12);
SQL
