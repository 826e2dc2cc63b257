#!/bin/bash
# Issue 19, item 2: one run over ROWS rows in one gzip file, against the same rows in 16 gzip
# shards, each run with --partial under `xargs -P 2`, then `focal merge`. Alternated, ROUNDS
# rounds; prints each contender's CPU time (user+sys of all its processes, GNU time) and wall
# time. Compare CPU times when the machine is shared.
#   bench/merge.sh [ROWS=8000000] [ROUNDS=3]     (files in bench/data/merge-ROWS/, made once)
set -euo pipefail
rows=${1:-8000000}
rounds=${2:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
focal="node $root/bin/focal.cjs"
dir=$root/bench/data/merge-$rows
if [ ! -f "$dir/all.csv.gz" ]; then
  mkdir -p "$dir"
  node "$root/bench/generate.mjs" "$rows" "$dir/all.csv"
  tail -n +2 "$dir/all.csv" > "$dir/body"
  (cd "$dir" && split -n l/16 -d -a 2 body part- && rm body)
  for f in "$dir"/part-*; do (echo p,y; cat "$f") | gzip -1 > "$dir/shard-${f##*/part-}.csv.gz"; rm "$f"; done
  gzip -1 "$dir/all.csv"
fi
cd "$dir"
for _ in $(seq "$rounds"); do
  /usr/bin/time -f "single: cpu %U+%S s, wall %e s" $focal contribution --input all.csv.gz -g 0,2 -f csv > single.csv
  /usr/bin/time -f "16 shards, xargs -P 2, merge: cpu %U+%S s, wall %e s" sh -c \
    "ls shard-*.csv.gz | xargs -P 2 -I{} sh -c '$focal contribution --input {} --partial -g 0,2 > {}.json' && $focal merge shard-*.json -f csv > merged.csv"
done
cmp -s <(cut -d, -f1-6 single.csv) <(cut -d, -f1-6 merged.csv) && echo "counts: the same"
