#!/bin/bash
# Issue 19, item 1 (loss --input, --loss LIST, wide files): ROWS rows in one gzip file against
# the same rows in 16 gzip shards given as one glob (`--input 'shard16-*.csv.gz'`, read one
# after another with the one-file reader). Alternated, ROUNDS rounds; prints each run's CPU
# time (user+sys, GNU time) and wall time, and checks that the outputs are the same bytes.
#   bench/loss-files.sh [ROWS=2000000] [ROUNDS=3]   (files in bench/data/loss-files-ROWS/)
set -euo pipefail
rows=${1:-2000000}
rounds=${2:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
focal="node $root/bin/focal.cjs"
dir=$root/bench/data/loss-files-$rows
if [ ! -f "$dir/all.csv.gz" ]; then
  mkdir -p "$dir"
  node "$root/bench/generate.mjs" "$rows" "$dir/all.csv"
  tail -n +2 "$dir/all.csv" > "$dir/body"
  (cd "$dir" && split -n l/16 -d -a 3 body part-)
  for f in "$dir"/part-*; do
    (echo p,y; cat "$f") | gzip -1 > "$dir/shard16-${f##*/part-}.csv.gz"
    rm "$f"
  done
  rm "$dir/body"
  gzip -1 "$dir/all.csv"
fi
cd "$dir"
t() { /usr/bin/time -f "$1: cpu %U+%S s, wall %e s" "${@:2}"; }
for _ in $(seq "$rounds"); do
  t "loss -f csv, one file" $focal loss --input all.csv.gz -f csv > one.csv
  t "loss -f csv, 16 files" $focal loss --input 'shard16-*.csv.gz' -f csv > many.csv
  t "loss --loss ce,fl,asl --reduce mean, one file" $focal loss --input all.csv.gz --loss ce,fl,asl --reduce mean -f csv > one-r.csv
  t "loss --loss ce,fl,asl --reduce mean, 16 files" $focal loss --input 'shard16-*.csv.gz' --loss ce,fl,asl --reduce mean -f csv > many-r.csv
done
cmp one.csv many.csv && cmp one-r.csv many-r.csv && echo "the same bytes"
