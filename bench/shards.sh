#!/bin/bash
# Issue 19, item 1: one run over ROWS rows in one gzip file, against the same rows in 256 gzip
# shards read in one run (`--input 'shard256-*.csv.gz'`, worker threads on every core), and the
# rows in 16 shards each run with --partial under `xargs -P 2`, then `focal merge` (item 2).
# Alternated, ROUNDS rounds; prints each contender's CPU time (user+sys of all its processes
# and threads, GNU time) and wall time. Compare CPU times when the machine is shared.
#   bench/shards.sh [ROWS=20000000] [ROUNDS=3]   (files in bench/data/shards-ROWS/, made once)
# With BASE=DIR (another build of focal: `git archive COMMIT | tar -x -C DIR`, node_modules
# linked, `npm run build` there), each round also runs the 256- and the 16-shard contenders with
# that build.
# With OUT=DIR, the outputs (the states, the tables) go to DIR, which gets links to the shards:
# the data directory is only read (a shared or read-only copy of it).
set -euo pipefail
rows=${1:-20000000}
rounds=${2:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
focal="node $root/bin/focal.cjs"
dir=$root/bench/data/shards-$rows
if [ ! -f "$dir/all.csv.gz" ]; then
  mkdir -p "$dir"
  node "$root/bench/generate.mjs" "$rows" "$dir/all.csv"
  tail -n +2 "$dir/all.csv" > "$dir/body"
  for n in 16 256; do
    (cd "$dir" && split -n l/$n -d -a 3 body part- )
    for f in "$dir"/part-*; do
      (echo p,y; cat "$f") | gzip -1 > "$dir/shard$n-${f##*/part-}.csv.gz"
      rm "$f"
    done
  done
  rm "$dir/body"
  gzip -1 "$dir/all.csv"
fi
if [ -n "${OUT:-}" ]; then
  mkdir -p "$OUT"
  ln -sf "$dir"/all.csv.gz "$dir"/shard16-*.csv.gz "$dir"/shard256-*.csv.gz "$OUT"/
  dir=$OUT
fi
cd "$dir"
t() { /usr/bin/time -f "$1: cpu %U+%S s, wall %e s" "${@:2}"; }
for _ in $(seq "$rounds"); do
  t "single file" $focal contribution --input all.csv.gz -g 0,2 -f csv > single.csv
  t "256 shards, one run" $focal contribution --input 'shard256-*.csv.gz' -g 0,2 -f csv > glob.csv
  t "16 shards, xargs -P 2 --partial, merge" sh -c \
    "ls shard16-*.csv.gz | xargs -P 2 -I{} sh -c '$focal contribution --input {} --partial -g 0,2 > {}.json' && $focal merge shard16-*.json -f csv > merged.csv"
  if [ -n "${BASE:-}" ]; then
    base="node $BASE/bin/focal.cjs"
    t "256 shards, one run (BASE build)" $base contribution --input 'shard256-*.csv.gz' -g 0,2 -f csv > glob-base.csv
    t "16 shards, xargs -P 2 --partial, merge (BASE build)" sh -c \
      "ls shard16-*.csv.gz | xargs -P 2 -I{} sh -c '$base contribution --input {} --partial -g 0,2 > {}.base-json' && $base merge shard16-*.base-json -f csv > merged-base.csv"
  fi
done
for f in glob.csv merged.csv ${BASE:+glob-base.csv merged-base.csv}; do
  cmp -s <(cut -d, -f1-6 single.csv) <(cut -d, -f1-6 "$f") && echo "$f: counts the same as one run"
done
