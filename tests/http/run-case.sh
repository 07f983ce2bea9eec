#!/usr/bin/env bash
# Runs one end-to-end HTTP case of the review app (tests/http/cases/NAME.test; format in
# tests/http/README.md): builds the fixture project, starts `reckon serve` on a free port,
# runs the case's requests with curl, stops the server, then runs the case's checks.
#   run-case.sh RECKON CASE
set -u
RECKON=$(readlink -f "$1")
CASE=$(readlink -f "$2")
HERE=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d /tmp/reckon-http-XXXXXX)
SERVER_PID=
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT
cd "$TMP"
NAME=$(basename "$CASE" .test)
STEP=

fail() {
  echo "FAIL $NAME: $* (step: $STEP)"
  echo "--- last response headers:"; cat "$TMP/.headers" 2>/dev/null
  echo "--- last response body:"; head -c 3000 "$TMP/.body" 2>/dev/null; echo
  echo "--- server stderr:"; head -c 2000 "$TMP/.serve.err" 2>/dev/null
  exit 1
}

rk() { "$RECKON" "$@"; }
count() { sqlite3 "$1" "$2"; }

# Starts the server on PROJECT (default p.rkp); sets BASE, HOSTPORT, LOGIN_URL.
start_server() {
  "$RECKON" serve "${1:-p.rkp}" --port 0 >"$TMP/.serve.out" 2>"$TMP/.serve.err" &
  SERVER_PID=$!
  for _ in $(seq 1 200); do
    LOGIN_URL=$(grep -o 'http://[^ ]*/login?token=[0-9a-f]*' "$TMP/.serve.out" 2>/dev/null)
    [ -n "$LOGIN_URL" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || fail "the server exited: $(cat "$TMP/.serve.err")"
    sleep 0.05
  done
  [ -n "$LOGIN_URL" ] || fail "the server printed no login link"
  BASE=${LOGIN_URL%%/login*}
  HOSTPORT=${BASE#http://}
}

# Stops the server with SIGTERM; it must exit cleanly (under the sanitizers: no leak, no error).
stop_server() {
  kill "$SERVER_PID"
  local st=0
  wait "$SERVER_PID" || st=$?
  SERVER_PID=
  [ "$st" = 0 ] || fail "the server exited with status $st"
  grep -q 'reckon serve: stopped' "$TMP/.serve.out" || fail "the server did not stop cleanly"
}

# req [CURL ARGS...] PATH: one request with this case's cookie jar (JAR, default .jar); sets
# STATUS and leaves the headers in .headers and the body in .body.
JAR=.jar
req() {
  local path=${*: -1}
  local args=("${@:1:$#-1}")
  STATUS=$(curl -s -o "$TMP/.body" -D "$TMP/.headers" -w '%{http_code}' -b "$JAR" -c "$JAR" \
    "${args[@]}" "$BASE$path")
}
# post PATH FIELD=VALUE...: a form POST (values url-encoded) with this session's CSRF token.
post() {
  local path=$1; shift
  local args=()
  for f in "$@"; do args+=(--data-urlencode "$f"); done
  req -X POST --data-urlencode "csrf=$CSRF" "${args[@]}" "$path"
}
# The CSRF token of the page in .body.
csrf_of_body() { grep -o 'name="csrf" value="[0-9a-f]*"' "$TMP/.body" | head -1 | sed 's/.*value="//; s/"$//'; }
# login [NAME] [URL]: spends a login link (default: the printed one) and gives a name.
login() {
  local url=${2:-$LOGIN_URL}
  local was=$STEP
  STEP="login"
  req "${url#"$BASE"}"
  expect_status 303
  req /name
  CSRF=$(csrf_of_body)
  [ -n "$CSRF" ] || fail "no CSRF token on /name"
  post /name "name=${1:-Tester}"
  expect_status 303
  STEP=$was
}

expect_status() { [ "$STATUS" = "$1" ] || fail "status $STATUS, expected $1"; }
expect_header() { grep -qiF -- "$1" "$TMP/.headers" || fail "headers lack: $1"; }
expect_body() { for s in "$@"; do grep -qF -- "$s" "$TMP/.body" || fail "body lacks: $s"; done; }
expect_body_lacks() { for s in "$@"; do grep -qF -- "$s" "$TMP/.body" && fail "body has: $s"; done; return 0; }
step() { STEP=$*; }

setup() { bash "$HERE/fixture.sh" "$RECKON" "$TMP/p.rkp"; }
run_case() { :; }
after() { :; }
# shellcheck source=/dev/null
source "$CASE"

setup >"$TMP/.setup.log" 2>&1 || { cat "$TMP/.setup.log"; fail "setup failed"; }
start_server
run_case
STEP="stop the server"
[ -z "$SERVER_PID" ] || stop_server
STEP=after
after || fail "check after the requests failed"
echo "ok $NAME"
