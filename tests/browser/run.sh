#!/usr/bin/env bash
# The browser test of the review app: builds the fixture project, starts `reckon serve`, lets
# review.mjs drive headless Chromium through a review, then checks in the project that the
# three keyboard decisions and the split were recorded, and that the audit chain verifies.
# Screenshots go to SCREENSHOT_DIR (default build/browser-screenshots).
#   run.sh RECKON [SCREENSHOT_DIR]
set -euo pipefail
RECKON=$(readlink -f "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
SHOTS=$(mkdir -p "${2:-$HERE/../../build/browser-screenshots}" && cd "${2:-$HERE/../../build/browser-screenshots}" && pwd)
[ -d "$HERE/node_modules/playwright-core" ] ||
  { echo "tests/browser/node_modules is missing: run scripts/install-deps.sh (npm ci)"; exit 1; }
TMP=$(mktemp -d /tmp/reckon-browser-XXXXXX)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
cd "$TMP"
bash "$HERE/../http/fixture.sh" "$RECKON" "$TMP/p.rkp"
"$RECKON" serve p.rkp >serve.out 2>serve.err &
PID=$!
for _ in $(seq 1 200); do
  URL=$(grep -o 'http://[^ ]*/login?token=[0-9a-f]*' serve.out 2>/dev/null || true)
  [ -n "$URL" ] && break
  sleep 0.05
done
[ -n "$URL" ] || { echo "the server printed no login link"; cat serve.err; exit 1; }
node "$HERE/review.mjs" "$URL" "$SHOTS" "$TMP/profile" > decided.json
kill "$PID"; wait "$PID" || true; PID=
echo "decided by keyboard: $(cat decided.json)"
# The three decisions, with the reviewer's name, in the project.
for v in match non-match unsure; do
  read -r a b < <(node -e "const d = JSON.parse(require('fs').readFileSync('decided.json'));
    const x = d.find((e) => e.verdict === '$v'); console.log(x.pair[0], x.pair[1]);")
  got=$(sqlite3 p.rkp "select verdict || '|' || reviewer from decision d, record ra, record rb
    where ra.id = $a and rb.id = $b and d.key_a = min(ra.record_key, rb.record_key)
    and d.key_b = max(ra.record_key, rb.record_key) order by d.id limit 1")
  [ "$got" = "$v|Browser Reviewer" ] || { echo "pair $a-$b: '$got', expected '$v|Browser Reviewer'"; exit 1; }
done
# The split: record 9 against the other records of person 1, then a person of its own.
[ "$(sqlite3 p.rkp "select count(*) from decision where verdict = 'non-match' and note = 'split off its person' and 'ngo:N1' in (key_a, key_b)")" -ge 1 ] ||
  { echo "the split was not recorded"; exit 1; }
[ "$(sqlite3 p.rkp "select person_id from person where run_id = 1 and record_id = 9")" = 9 ] ||
  { echo "record 9 is not a person of its own"; exit 1; }
[ "$(sqlite3 p.rkp "select count(*) from event where kind = 'decision'")" = "$(sqlite3 p.rkp "select count(*) from decision")" ] ||
  { echo "a decision has no event"; exit 1; }
"$RECKON" verify p.rkp
for s in queue pair person search; do [ -s "$SHOTS/$s.png" ] || { echo "no screenshot $s.png"; exit 1; }; done
echo "screenshots in $SHOTS"
