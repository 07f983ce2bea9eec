#!/usr/bin/env bash
# `reckon link --mpi` and `reckon estimate --mpi` under mpirun (docs/scale.md, "Past one
# machine"); ctest registers these only in the MPI build (`make check MPI=1`), but for
# `without`, which the default build runs.
#   tests/mpi/run.sh RECKON same      -np 1..4 store what one process stores (in memory, streamed)
#   tests/mpi/run.sh RECKON skewed    one block holding most pairs, split across the ranks; the
#                                     warnings of rules built on other ranks printed by rank 0
#   tests/mpi/run.sh RECKON dies      a rank killed while comparing: the run fails, the project
#                                     is unchanged
#   tests/mpi/run.sh RECKON estimate_same  estimate --mpi at -np 1..4 stores and prints what one
#                                     process does (strata, replicates, whole-table figures)
#   tests/mpi/run.sh RECKON estimate_dies  a rank killed as it starts its tasks: the run fails,
#                                     the project is unchanged; ranks that read different
#                                     projects are refused
#   tests/mpi/run.sh RECKON without   a build without MPI refuses link and estimate --mpi, the
#                                     project unchanged
set -u
R=$(readlink -f "$1")
what=$2
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W" || exit 1
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
mpi() { mpirun --oversubscribe --allow-run-as-root -np "$@"; }

# What a link run wrote, but for its time and wall seconds: the audit event's payload (the
# digests of its persons and pairs), the run's set-up, model and counts, the pairs and persons.
written() {
  sqlite3 "$1" "SELECT payload FROM event WHERE kind = 'link' ORDER BY id DESC LIMIT 1"
  sqlite3 "$1" "SELECT config, model, seed, threshold, review_low, review_high,
                json_remove(stats, '\$.seconds') FROM link_run ORDER BY id DESC LIMIT 1"
  sqlite3 "$1" "SELECT * FROM pair ORDER BY 1, 2, 3" | sha256sum
  sqlite3 "$1" "SELECT * FROM person ORDER BY 1, 2" | sha256sum
}

"$R" synth --scenario caucasus --people 3000 --lists 4 --seed 1 --out d > /dev/null || fail synth
"$R" init base.rkp > /dev/null || fail init
"$R" import base.rkp --map d/mapping.ini -q > /dev/null 2>&1 || fail import

# Each -np from 1 to 4 writes what the same build writes without MPI.
same_at_every_np() {
  local name=$1 nps=$2
  shift 2
  rm -f one.rkp* # a project's -wal or -shm from a case before would be read with the copy
  cp base.rkp one.rkp
  "$R" link one.rkp --threads 2 "$@" > one.out 2> one.err || fail "$name: serial link: $(cat one.err)"
  written one.rkp > one.txt
  [ "$(wc -l < one.txt)" -gt 3 ] || fail "$name: nothing written"
  for n in $nps; do
    rm -f np$n.rkp*
    cp base.rkp np$n.rkp
    mpi "$n" "$R" link np$n.rkp --mpi --threads 1 "$@" > np$n.out 2> np$n.err ||
      fail "$name: -np $n exited $?: $(tail -5 np$n.err)"
    written np$n.rkp | cmp -s - one.txt || fail "$name: -np $n wrote another result than one process"
    # the state the link's event records, with the rows rank 0 wrote hashed on the others
    "$R" verify np$n.rkp > /dev/null 2> verify.err || fail "$name: -np $n: verify: $(cat verify.err)"
    # the summary line, but for its seconds
    diff <(sed 's/ ([0-9.]* s)$//' one.out) <(sed 's/ ([0-9.]* s)$//' np$n.out) > /dev/null ||
      fail "$name: -np $n printed $(cat np$n.out), not $(cat one.out)"
    echo "$name: -np $n wrote what one process writes"
  done
}

# What an estimate wrote, but for its time: the audit event's payload (the digest of its rows)
# and every column of every row.
estimated() {
  sqlite3 "$1" "SELECT payload FROM event WHERE kind = 'estimate' ORDER BY id DESC LIMIT 1"
  sqlite3 "$1" "SELECT id, run_id, method, model, stratum, lists, config, seed, observed,
                estimate, lower, upper, status, reason, capture, result, batch
                FROM estimate ORDER BY id" | sha256sum
}

# Short chains: the tests check that the ranks agree, not the estimates.
short="--iterations 200 --burn-in 500 --thin 5 --chains 2"

# Each -np from 1 to 4 stores and prints what the same build stores without MPI.
estimate_at_every_np() {
  local name=$1 nps=$2
  shift 2
  cp linked.rkp one.rkp
  "$R" estimate one.rkp $short "$@" > one.out 2> one.err ||
    fail "$name: serial estimate: $(tail -3 one.err)"
  estimated one.rkp > one.txt
  [ "$(sqlite3 one.rkp 'SELECT count(*) FROM estimate')" -gt 1 ] || fail "$name: nothing stored"
  for n in $nps; do
    cp linked.rkp np$n.rkp
    RECKON_DEBUG=1 mpi "$n" "$R" estimate np$n.rkp --mpi $short "$@" > np$n.out 2> np$n.err ||
      fail "$name: -np $n exited $?: $(tail -5 np$n.err)"
    estimated np$n.rkp | cmp -s - one.txt || fail "$name: -np $n stored other estimates than one process"
    cmp -s one.out np$n.out || fail "$name: -np $n printed other estimates than one process"
    grep -Eq "MPI: [0-9]+ tasks on $n ranks" np$n.err || fail "$name: -np $n: no tasks dealt: $(grep MPI np$n.err)"
    # with more than one rank, no rank has all the work
    [ "$n" = 1 ] || ! grep -q 'busiest rank has 100%' np$n.err || fail "$name: -np $n: one rank did all"
    echo "$name: -np $n stored and printed what one process does"
  done
}

case $what in
estimate_same | estimate_dies)
  "$R" link base.rkp --threads 2 > /dev/null 2>&1 || fail "link"
  cp base.rkp linked.rkp
  ;;
esac

case $what in
estimate_same)
  estimate_at_every_np "strata and replicates" "1 2 3 4" --by region --impute 3 --linkages 3 --method all
  estimate_at_every_np "strata, no replicates" "2 3" --by region,sex --impute 0 --linkages 0 --method lcmcr,dga
  estimate_at_every_np "no strata" "3" --linkages 2 --method lcmcr,loglinear
  ;;
estimate_dies)
  for rank in 1 0; do
    cp linked.rkp p.rkp
    head=$("$R" verify p.rkp) || fail "verify before"
    before=$(sqlite3 p.rkp .dump | sha256sum)
    RECKON_FAULT=rank:$rank mpi 2 "$R" estimate p.rkp --mpi $short --by region --impute 2 \
      --linkages 2 > out 2> err && fail "rank $rank killed, yet mpirun exited 0"
    grep -q 'signal 9' err || fail "rank $rank: mpirun did not say a rank was killed: $(tail -3 err)"
    [ "$("$R" verify p.rkp)" = "$head" ] || fail "rank $rank killed: the audit chain changed"
    [ "$(sqlite3 p.rkp .dump | sha256sum)" = "$before" ] || fail "rank $rank killed: the project changed"
    [ "$(sqlite3 p.rkp 'SELECT count(*) FROM estimate')" = 0 ] || fail "rank $rank killed: estimates were stored"
    echo "rank $rank killed as it starts its tasks: the run failed, the project is unchanged"
  done
  mpi 2 "$R" estimate p.rkp --mpi $short --by region > out 2> err ||
    fail "the estimate after a killed one: $(tail -3 err)"
  # Ranks that read different projects (here two files; as well a project another process
  # changes while the ranks read it) are refused before anything is written.
  cp linked.rkp p.rkp
  cp base.rkp other.rkp
  "$R" link other.rkp --threads 2 --threshold 0.95 > /dev/null 2>&1 || fail "link other"
  before=$(sqlite3 p.rkp .dump | sha256sum)
  mpirun --oversubscribe --allow-run-as-root -np 1 "$R" estimate p.rkp --mpi $short --by region : \
    -np 1 "$R" estimate other.rkp --mpi $short --by region > out 2> err &&
    fail "ranks that read different projects: mpirun exited 0"
  grep -q 'the ranks did not read the same project' err || fail "no sentence: $(tail -3 err)"
  [ "$(sqlite3 p.rkp .dump | sha256sum)" = "$before" ] || fail "different projects: the project changed"
  echo "ranks that read different projects: refused, the project unchanged"
  ;;
same)
  same_at_every_np "pairs in memory" "1 2 3 4"
  printf '[link]\npairs_in_memory = 0\n' > streamed.ini
  same_at_every_np "pairs streamed" "1 2 3 4" --config streamed.ini
  grep -q 'the pairs are streamed' np2.err || fail "the streamed case did not stream"
  ;;
skewed)
  # Blocks by sex: two blocks of about 1,400 records hold nearly every pair.
  printf '[link]\npairs_in_memory = 0\nmax_block = 5000\n[block family]\nparts = family.sound\n[block sex]\nparts = sex.value\n' > skew.ini
  same_at_every_np "skewed blocks" "2 3" --config skew.ini
  RECKON_DEBUG=1 mpi 3 "$R" link np3.rkp --mpi --threads 1 --config skew.ini > /dev/null 2> debug.err ||
    fail "skewed: debug run"
  grep -Eq 'MPI: [0-9]+ blocks on 3 ranks, [1-9][0-9]* of them split across every rank' debug.err ||
    fail "skewed: no block was split across the ranks: $(grep MPI debug.err)"
  # Each rank builds some of the rules; what building them warns of (oversized blocks skipped,
  # a rule left out) is printed by rank 0 as one process prints it, whichever rank built it.
  printf '[link]\npairs_in_memory = 0\nmax_block = 12\n[block family]\nparts = family.sound\n[block day]\nparts = birth.day\nmax_pairs = 0.05\n[block given]\nparts = given.sound\n' > warned.ini
  same_at_every_np "blocks skipped and a rule left out" "2 3" --config warned.ini
  grep '^warning: ' one.err > one.warn
  grep -q "rule 'day' left out" one.warn || fail "warned: the day rule was not left out"
  grep -q 'oversized blocks were skipped in all' one.warn || fail "warned: fewer than 50 skipped"
  for n in 2 3; do
    grep '^warning: ' np$n.err | cmp -s - one.warn ||
      fail "warned: -np $n warned otherwise: $(grep '^warning: ' np$n.err | diff - one.warn | head -5)"
  done
  ;;
dies)
  for rank in 1 0; do
    cp base.rkp p.rkp
    head=$("$R" verify p.rkp) || fail "verify before"
    before=$(sqlite3 p.rkp .dump | sha256sum)
    RECKON_FAULT=rank:$rank mpi 2 "$R" link p.rkp --mpi --threads 1 > out 2> err &&
      fail "rank $rank killed, yet mpirun exited 0"
    grep -q 'signal 9' err || fail "rank $rank: mpirun did not say a rank was killed: $(tail -3 err)"
    [ "$("$R" verify p.rkp)" = "$head" ] || fail "rank $rank killed: the audit chain changed"
    [ "$(sqlite3 p.rkp .dump | sha256sum)" = "$before" ] || fail "rank $rank killed: the project changed"
    [ "$(sqlite3 p.rkp 'SELECT count(*) FROM link_run')" = 0 ] || fail "rank $rank killed: a run was stored"
    echo "rank $rank killed while comparing: the run failed, the project is unchanged"
  done
  # and the same project links afterwards
  mpi 2 "$R" link p.rkp --mpi --threads 1 > out 2> err || fail "the run after a killed one: $(tail -3 err)"
  ;;
without)
  before=$(sqlite3 base.rkp .dump | sha256sum)
  "$R" link base.rkp --mpi > out 2> err
  status=$?
  [ $status = 1 ] || fail "a build without MPI: --mpi exited $status, not 1"
  grep -q "built without MPI; build it with 'make MPI=1'" err || fail "no sentence: $(cat err)"
  [ "$(sqlite3 base.rkp .dump | sha256sum)" = "$before" ] || fail "the project changed"
  echo "a build without MPI refuses link --mpi"
  "$R" link base.rkp --threads 2 > /dev/null 2>&1 || fail "link"
  before=$(sqlite3 base.rkp .dump | sha256sum)
  "$R" estimate base.rkp --mpi > out 2> err
  status=$?
  [ $status = 1 ] || fail "a build without MPI: estimate --mpi exited $status, not 1"
  grep -q "built without MPI; build it with 'make MPI=1'" err || fail "no sentence: $(cat err)"
  [ "$(sqlite3 base.rkp .dump | sha256sum)" = "$before" ] || fail "estimate: the project changed"
  echo "a build without MPI refuses estimate --mpi"
  ;;
*)
  fail "unknown test '$what'"
  ;;
esac
