#!/usr/bin/env bash
# Checks that docs/design.md describes the tree as it is (ctest: docs_design):
#  - every `reckon COMMAND` it names is a command of `reckon --help`, and it names every one;
#  - every path it names in backticks (or as the first word of a line of a code block, when
#    that word ends in /) exists; a bare file name under a "### `src/MODULE/`" heading is
#    taken inside that folder; names with <placeholders> are skipped, globs must match;
#  - every folder of src/ has its "### `src/MODULE/`" section;
#  - the tables it lists under "## The project file" are the tables and views that
#    src/store/ creates, no more and no fewer;
#  - a command named under "## Not built yet" is not a command yet (when it is built, the page
#    must move it).
#   scripts/check-design.sh PATH/TO/reckon [docs/design.md]
set -euo pipefail
RECKON=$(readlink -f "$1")
SRC=$(cd "$(dirname "$0")/.." && pwd)
DOC=${2:-$SRC/docs/design.md}
errors=0
bad() { echo "design.md: $*"; errors=$((errors + 1)); }

# What the page names, one "kind<TAB>name" a line.
names=$(awk '
  /^```/ { fence = !fence; next }
  fence { if ($1 ~ /\/$/ && $1 !~ /[<>]/) print "path\t" $1; next }
  /^## / { section = $0; dir = "" }
  /^### `src\/[a-z_]+\/`/ { dir = $2; gsub(/`/, "", dir) }
  {
    line = $0
    first = 1
    while (match(line, /`[^`]+`/)) {
      s = substr(line, RSTART + 1, RLENGTH - 2)
      line = substr(line, RSTART + RLENGTH)
      if (s ~ /^reckon [a-z]/) {
        split(s, w, " ")
        print (section ~ /^## Not built yet/ ? "absent-command\t" : "command\t") w[2]
      } else if (s !~ /[ <>]/ && (s ~ /\// || s ~ /\.(c|h|md|sh|mjs|test|ini|csv|json|in)$/)) {
        if (s !~ /\// && dir != "") s = dir s
        print "path\t" s
      }
      if (section ~ /^## The project file/ && s ~ /^[a-z_]+$/) {
        print "table-mentioned\t" s
        if (first && $0 ~ /^- `/) print "table\t" s
      }
      first = 0
    }
  }' "$DOC")

commands=$("$RECKON" --help | awk '/^commands:/ {on=1; next} on && /^  [a-z]/ {print $1} on && /^$/ {on=0}')
[ -n "$commands" ] || bad "no commands found in 'reckon --help'"

while IFS=$'\t' read -r kind name; do
  case $kind in
    command)
      [ "$name" = help ] || grep -qx -- "$name" <<<"$commands" ||
        bad "names 'reckon $name', which is not a command of 'reckon --help'" ;;
    absent-command)
      if grep -qx -- "$name" <<<"$commands"; then
        bad "lists 'reckon $name' as not built, but it is a command now"
      fi ;;
    path)
      # shellcheck disable=SC2086
      compgen -G "$SRC/${name%/}" >/dev/null || bad "names '$name', which does not exist" ;;
  esac
done <<<"$names"

for c in $commands; do
  grep -qx "command	$c" <<<"$names" || bad "does not name the command 'reckon $c'"
done

for d in "$SRC"/src/*/; do
  m=$(basename "$d")
  grep -q "^### \`src/$m/\`" "$DOC" || bad "has no section '### \`src/$m/\`' for the module src/$m/"
done

schema=$(grep -ho 'CREATE \(VIRTUAL \)\?\(TABLE\|VIEW\) [a-z_]*' "$SRC"/src/store/*.c |
  awk '{print $NF}' | sort -u)
[ -n "$schema" ] || bad "no CREATE TABLE found in src/store/*.c"
listed=$(awk -F'\t' '$1 == "table" {print $2}' <<<"$names" | sort -u)
mentioned=$(awk -F'\t' '$1 == "table-mentioned" {print $2}' <<<"$names" | sort -u)
for t in $listed; do
  grep -qx -- "$t" <<<"$schema" || bad "lists the table '$t', which src/store/ does not create"
done
for t in $schema; do
  grep -qx -- "$t" <<<"$mentioned" || bad "does not describe the table '$t' of src/store/"
done

if [ "$errors" -gt 0 ]; then
  echo "docs/design.md has $errors problem(s): update the page to describe the code as it is"
  exit 1
fi
echo "ok design.md: $(grep -c '^command' <<<"$names") command, $(grep -c '^path' <<<"$names") path and $(wc -w <<<"$listed") table names checked"
