#!/usr/bin/env bash
# Browser test of the report (ctest: browser_report): builds the demo project with hostile names
# (tests/browser/fixture.sh), writes the report, renders it in headless Chromium and checks:
# a PNG is saved, no console messages (errors included), no network request made by the page,
# every section present, and the hostile names inert (no script element, the right-to-left
# override shown as text, the 100 kB name cut). Two control pages prove that the console and
# network checks catch what they look for.
#   tests/browser/report.sh RECKON [OUT_DIR]
set -euo pipefail
RECKON=$(readlink -f "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d /tmp/reckon-browser-XXXXXX)
trap 'rm -rf "$T"' EXIT
OUT=${2:-$T}
fail() { echo "FAIL browser_report: $*"; exit 1; }
command -v chromium >/dev/null || fail "chromium is not installed (scripts/install-deps.sh)"

# Renders $1 (a file) with console logging and a network log; writes $2.dom, $2.log, $2.net.
render() {
  local profile
  profile=$(mktemp -d "$T/profile-XXXXXX")
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --enable-logging=stderr --v=0 --log-net-log="$2.net" \
    --dump-dom "file://$1" >"$2.dom" 2>"$2.log" || fail "chromium failed on $1: $(tail -3 "$2.log")"
}
# Console messages of the page (chromium logs them as CONSOLE lines).
console_lines() { grep -E ':CONSOLE[:(]' "$1.log" || true; }
# URLs the page requested: net-log requests whose isolation key is a file:// page.
page_requests() { grep '"network_isolation_key":"file://' "$1.net" | grep -o '"url":"[^"]*"' | sort -u || true; }

# Controls: a console error and a request must be caught.
printf '<!DOCTYPE html><img src="http://127.0.0.1:9/x.png"><script>console.error("control")</script>' >"$T/control.html"
render "$T/control.html" "$T/control"
[ -n "$(console_lines "$T/control")" ] || fail "the console check does not see a console error"
page_requests "$T/control" | grep -q '127.0.0.1:9' || fail "the network check does not see a request"

"$HERE/fixture.sh" "$RECKON" "$T/demo.rkp"
"$RECKON" report "$T/demo.rkp" -o "$OUT/report.html" --json "$OUT/report.json" --event-year 1992 >/dev/null
size=$(stat -c %s "$OUT/report.html")
[ "$size" -lt 5000000 ] || fail "report is $size bytes, over 5 MB"
render "$OUT/report.html" "$T/report"
c=$(console_lines "$T/report")
[ -z "$c" ] || fail "console messages: $c"
n=$(page_requests "$T/report" | grep -v "\"url\":\"file://$OUT/report.html\"" || true)
[ -z "$n" ] || fail "the page made network requests: $n"
dom="$T/report.dom"
for s in summary lists linkage estimates claims provenance; do
  grep -q "<section id=\"$s\">" "$dom" || fail "section $s is missing"
done
grep -qi '<script' "$dom" && fail "the DOM holds a script element"
grep -qi '<img' "$dom" && fail "the DOM holds an img element"
grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;' "$dom" || fail "the hostile name is not shown as text"
grep -qF '[U+202E]gpj.exe' "$dom" || fail "the right-to-left override is not shown as text"
grep -q $'\u202e' "$dom" && fail "a right-to-left override reached the page"
grep -qF '[cut: ' "$dom" || fail "the 100 kB name is not cut"
for claim in '613' '106' '>63<' '>70<' '1,000' '1,275' '>150<'; do
  grep -qF -- "$claim" "$dom" || fail "claim figure $claim is not in the report"
done
grep -qE "within the estimate|above the estimate|between documented and the estimate" "$dom" || fail "no claim stands beside an estimate in the claims table"
# dga's two sensitivity charts: to the prior's delta and to the bound on the unseen.
grep -qF "Sensitivity to the prior&#39;s delta" "$dom" || grep -qF "Sensitivity to the prior's delta" "$dom" ||
  fail "the delta sensitivity chart is missing"
grep -qF 'Sensitivity to the upper bound on the unseen' "$dom" || fail "the bound sensitivity chart is missing"
grep -qF 'unseen &lt;= ' "$dom" || grep -qF 'unseen <= ' "$dom" || fail "the bound chart has no rows"
# The headline leads the summary: one figure in a sentence, why that one, the other methods
# as checks, per category; the table by stratum with the replicates' columns and thresholds.
grep -qF '<div class="headline" id="headline">' "$dom" || fail "the summary does not open with the headline"
grep -qE '<p class="lead">Between [0-9,]+ and [0-9,]+ victims \(estimate [0-9,]+\), of whom [0-9,]+ are documented on at least one list\.</p>' "$dom" ||
  fail "the headline sentence is missing"
grep -qF 'It includes the doubt of linkage and of imputing missing values' "$dom" || fail "the combined headline does not say so"
grep -qF 'Checks: the other methods' "$dom" || fail "the other methods are not shown as checks"
grep -qF 'By category of violation' "$dom" || fail "the headline per category is missing"
grep -qF 'id="by-stratum"' "$dom" || fail "the table by stratum is missing"
grep -qF 'The total at other link thresholds' "$dom" || fail "the table by threshold is missing"
grep -qE '\[[0-9]{2}(,[0-9]+)+\] \(best bic\)</td>' "$dom" && fail "a log-linear model is shown without words"
# Strata read as "field: value", escaped, never as raw JSON.
grep -qF 'violation: killed' "$dom" || fail "the estimates' strata are not labelled"
grep -qF 'region: &lt;i&gt;North&lt;/i&gt;' "$dom" || fail "the claim's stratum is not labelled as text"
grep -qE '\{(&quot;|")(violation|region)' "$dom" && fail "a stratum is shown as raw JSON"
grep -qF '"stratum":{"violation":"killed"},"stratum_label":"violation: killed"' "$OUT/report.json" ||
  fail "the JSON report lacks a stratum object with its label"
# The screenshot, for a person to look at (tests/browser/README.md).
profile=$(mktemp -d "$T/profile-XXXXXX")
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --window-size=1280,6000 --screenshot="$OUT/report.png" \
  "file://$OUT/report.html" >/dev/null 2>&1 || fail "chromium could not take the screenshot"
[ -s "$OUT/report.png" ] || fail "no screenshot"
head -c 8 "$OUT/report.png" | od -An -c | grep -q 'P   N   G' || fail "the screenshot is not a PNG"
echo "ok browser_report ($size bytes)"
