#!/usr/bin/env bash
# Writes docs/commands.md from the tool's own help (options are declared as data in each
# src/cli/cmd_*.c, so the help and this page cannot disagree). The test cli_commands_doc_current
# fails when the page is out of date: run `scripts/gen-commands-doc.sh build/reckon` to refresh.
#   scripts/gen-commands-doc.sh PATH/TO/reckon [OUT]
set -euo pipefail
RECKON=$(readlink -f "$1")
OUT=${2:-$(dirname "$0")/../docs/commands.md}
{
  echo "# Commands"
  echo
  echo "Generated from \`reckon help COMMAND\` by \`scripts/gen-commands-doc.sh\`; do not edit."
  echo
  echo '```'
  "$RECKON" --help
  echo '```'
  for cmd in $("$RECKON" --help | awk '/^commands:/ {on=1; next} on && /^  [a-z]/ {print $1} on && /^$/ {on=0}'); do
    echo
    echo "## reckon $cmd"
    echo
    echo '```'
    "$RECKON" help "$cmd"
    echo '```'
  done
} > "$OUT"
