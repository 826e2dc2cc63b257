#!/bin/bash
# Issue 19, item 1 (loss --input, --loss LIST, wide files): ROWS rows in one gzip file against
# the same rows in 16 gzip shards given as one glob (`--input 'shard16-*.csv.gz'`, read one
# after another with the one-file reader). Alternated, ROUNDS rounds; prints each run's CPU
# time (user+sys, GNU time) and wall time, and checks that the outputs are the same bytes.
#   bench/loss-files.sh [ROWS=2000000] [ROUNDS=3]   (bench/shards.sh's files, bench/data/shards-ROWS/)
set -euo pipefail
rows=${1:-2000000}
rounds=${2:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
focal="node $root/bin/focal.cjs"
dir=$root/bench/data/shards-$rows
# The files of bench/shards.sh (one gzip file, 16 and 256 gzip shards), made once by it.
[ -f "$dir/all.csv.gz" ] || "$root/bench/shards.sh" "$rows" 0 > /dev/null 2>&1 || true
cd "$dir"
t() { /usr/bin/time -f "$1: cpu %U+%S s, wall %e s" "${@:2}"; }
for _ in $(seq "$rounds"); do
  t "loss -f csv, one file" $focal loss --input all.csv.gz -f csv > one.csv
  t "loss -f csv, 16 files" $focal loss --input 'shard16-*.csv.gz' -f csv > many.csv
  t "loss --loss ce,fl,asl --reduce mean, one file" $focal loss --input all.csv.gz --loss ce,fl,asl --reduce mean -f csv > one-r.csv
  t "loss --loss ce,fl,asl --reduce mean, 16 files" $focal loss --input 'shard16-*.csv.gz' --loss ce,fl,asl --reduce mean -f csv > many-r.csv
done
cmp one.csv many.csv && cmp one-r.csv many-r.csv && echo "the same bytes"
