#!/usr/bin/env bash
# Writes the truth of Febrl files as reckon evaluate reads it: record_key,person_id, where
# record_key is LIST:rec_id and rec-N-org and rec-N-dup-k share person N.
#   bench/febrl/truth.sh LIST=FILE.csv [LIST=FILE.csv ...] > truth.csv
set -eu
echo record_key,person_id
for spec in "$@"; do
    list=${spec%%=*}
    file=${spec#*=}
    tail -n +2 "$file" | awk -F', *' -v L="$list" '{ split($1, p, "-"); print L ":" $1 "," p[2] }'
done
