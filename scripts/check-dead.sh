#!/usr/bin/env bash
# Lists every non-static function of src/ (library and CLI) that nothing in src/ calls: tests
# and benches are not production callers. Run by `make check` (the ctest test lint_dead);
# exits 1 when it finds one. Usage: scripts/check-dead.sh OBJECT.o...
#
# Method. `nm` on the production objects gives, per object, the functions it defines (T) and
# the symbols it needs from elsewhere (U): a function that another object needs has a caller
# (this covers calls through macros, inline functions of headers and function tables). For
# the rest, the defining file is read with its comments stripped (cpp -fpreprocessed): a
# function named there more than once (its definition) is called from its own file, which is
# fine for the public API (include/reckon/) and otherwise means it should be static. A
# function named only at its definition is dead, unless scripts/check-dead.allow names it with a
# reason (public API kept for embedders). Not transitive: a function whose only caller is
# itself dead shows up once that caller is deleted.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
allow="$root/scripts/check-dead.allow"
[ $# -gt 0 ] || { echo "usage: $0 OBJECT.o..." >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Every argument may hold several objects separated by ';' (a CMake list); paths have no spaces.
IFS=';' read -r -a objs <<<"$*"
objs=($(printf '%s\n' "${objs[@]}" | tr ' ' '\n'))

# "symbol source" lines, the source named from the object: CMakeFiles/<target>.dir/src/x/y.c.o
# is src/x/y.c.
nm -A -P --defined-only "${objs[@]}" |
    sed -E 's|^[^:]*\.dir/([^:]*)\.o: |\1 |' | awk '$3 == "T" { print $2, $1 }' >"$tmp/defined"
nm -A -P --undefined-only "${objs[@]}" |
    sed -E 's|^[^:]*\.dir/([^:]*)\.o: |\1 |' | awk '{ print $2, $1 }' >"$tmp/needed"

# Names on the allow-list: the first word of each line that is not blank or a comment.
{ grep -v -E '^[[:space:]]*(#|$)' "$allow" || true; } | awk '{ print $1 }' | sort -u >"$tmp/allowed"

# Functions that no other object needs, as "name file" lines.
awk 'FNR == NR { need[$1] = need[$1] " " $2; next }
     { split(need[$1], users, " ")
       for (i in users) if (users[i] != $2) { next }
       print $1, $2 }' "$tmp/needed" "$tmp/defined" | sort -u >"$tmp/uncalled"

status=0
while read -r fn file; do
    if grep -qx -- "$fn" "$tmp/allowed"; then
        continue
    fi
    if [ ! -f "$root/$file" ]; then
        echo "$file: no such source for $fn (a stale object?)"
        status=1
        continue
    fi
    uses=$({ cpp -fpreprocessed -P "$root/$file" 2>/dev/null || true; } | { grep -ow -- "$fn" || true; } | wc -l)
    if [ "$uses" -gt 1 ]; then
        # Called in its own file: fine for the public API, else it should be static.
        if ! grep -qw -- "$fn" "$root"/include/reckon/*.h; then
            echo "$file: $fn is called only in its own file: make it static"
            status=1
        fi
    else
        echo "$file: $fn has no caller in src/: delete it, or list it in scripts/check-dead.allow"
        status=1
    fi
done <"$tmp/uncalled"

# An allow-list entry must name a function that has no caller in src/.
while read -r fn; do
    if ! awk -v f="$fn" '$1 == f { found = 1 } END { exit !found }' "$tmp/uncalled"; then
        echo "scripts/check-dead.allow: $fn is not an uncalled function of src/: remove the line"
        status=1
    fi
done <"$tmp/allowed"

exit $status
