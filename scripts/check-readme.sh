#!/usr/bin/env bash
# Runs every command of the README's walkthrough (lines "$ reckon ..." in ```console blocks),
# in order, in a temporary folder holding a copy of examples/, so that the README cannot drift
# from what reckon does. The lines run as written, with the binary's folder first on PATH, as
# the README's `export PATH="$PWD/build:$PATH"` puts it. Used by the test cli_readme_walkthrough.
#   scripts/check-readme.sh PATH/TO/reckon README.md
set -euo pipefail
RECKON=$(readlink -f "$1")
[ "$(basename "$RECKON")" = reckon ] || { echo "$RECKON is not named reckon" >&2; exit 1; }
PATH="$(dirname "$RECKON"):$PATH"
README=$(readlink -f "$2")
SRC=$(cd "$(dirname "$README")" && pwd)
TMP=$(mktemp -d /tmp/reckon-readme-XXXXXX)
trap 'rm -rf "$TMP"' EXIT
cp -r "$SRC/examples" "$TMP/examples"
cd "$TMP"
n=0
in_console=0
while IFS= read -r line; do
  case "$line" in
    '```console'*) in_console=1; continue ;;
    '```'*) in_console=0; continue ;;
  esac
  [ $in_console = 1 ] || continue
  case "$line" in
    '$ reckon '*) ;;
    *) continue ;;
  esac
  cmd=${line#'$ '}
  n=$((n + 1))
  echo "+ $cmd"
  if ! eval "$cmd" >/dev/null; then
    echo "README command failed: $cmd" >&2
    exit 1
  fi
done < "$README"
[ $n -gt 0 ] || { echo "no commands found in $README" >&2; exit 1; }
echo "ran $n README commands"
