#!/usr/bin/env bash
# Writes the man page reckon.1 from the tool's own help, at build time (CMake's target `man`),
# so that it cannot disagree with `reckon --help`; `make install` installs it. Nothing generated
# is checked in. The test man_page checks the result with groff when groff is installed.
#   scripts/gen-man.sh PATH/TO/reckon OUT
set -euo pipefail
RECKON=$(readlink -f "$1")
OUT=$2

# Help text as roff: backslashes escaped, a line that starts with . or ' made literal.
roff() { sed -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"; }
# One preformatted block.
block() {
  echo '.PP'
  echo '.nf'
  roff
  echo '.fi'
}

help=$("$RECKON" --help)
summary=$(printf '%s\n' "$help" | sed -n '1s/^[^:]*: //p')
version=$("$RECKON" --version | awk '{print $2}')
commands=$(printf '%s\n' "$help" | awk '/^commands:/ {on=1; next} on && /^  [a-z]/ {print $1} on && /^$/ {on=0}')

{
  echo ".TH RECKON 1 \"\" \"reckon $version\" \"User Commands\""
  echo '.SH NAME'
  echo "reckon \\- $(printf '%s\n' "$summary" | roff)"
  echo '.SH SYNOPSIS'
  echo '.B reckon'
  echo 'COMMAND [OPTIONS] [ARGS]'
  echo '.br'
  echo '.B reckon help'
  echo 'COMMAND'
  echo '.SH DESCRIPTION'
  echo 'reckon links lists of victims of mass violence into persons, across lists and scripts,'
  echo 'and estimates how many victims there were, including those no list names.'
  echo 'Everything about an investigation lives in one project file (SQLite), with an'
  echo 'append-only, hash-chained audit log of every change.'
  echo 'What follows is the output of'
  echo '.B reckon \-\-help'
  echo 'and of'
  echo '.B reckon help'
  echo 'for each command.'
  printf '%s\n' "$help" | block
  echo '.SH COMMANDS'
  for cmd in $commands; do
    echo ".SS reckon $cmd"
    "$RECKON" help "$cmd" | block
  done
  echo '.SH EXIT STATUS'
  echo '0 on success, 1 on a problem with the input, the options, the files or the disk, 2 on an internal error of reckon.'
  echo '.SH SEE ALSO'
  echo 'The documentation in the source tree:'
  echo '.I README.md'
  echo 'and'
  echo '.IR docs/ .'
} >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
