#!/bin/bash
# Issue 19: the work of the shard paths in instructions (valgrind's callgrind: every thread of
# the process, counted the same however loaded the machine is), where CPU seconds on a shared
# machine are too noisy to show a few per cent. Uses the files of `bench/shards.sh ROWS` (made
# there first) and extrapolates to ROWS rows from measured processes:
#   - a --partial run over a 1/16 shard and over a 1/256 shard: the cost of a row, and a
#     process's fixed cost (Node's start, focal's, and the tally's code compiled: a "cold" run);
#   - the rows of the 1/16 shard in 16 files read in one run (worker threads), and on one core
#     (no threads), against the same rows in one file: the extra of the threads, of a file;
#   - focal merge of the 16 states.
# From those: one run over ROWS rows; 256 shards in one run; 16 shards with --partial + merge.
# Takes about 8 minutes (valgrind runs Node 30 to 50 times slower).
#   bench/shards-instructions.sh [ROWS=20000000]
set -euo pipefail
rows=${1:-20000000}
root=$(cd "$(dirname "$0")/.." && pwd)
focal="node $root/bin/focal.cjs"
dir=$root/bench/data/shards-$rows
[ -f "$dir/shard16-000.csv.gz" ] || { echo "run bench/shards.sh $rows 1 first" >&2; exit 1; }
cd "$dir"
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
# The rows of shard16-000 in 16 files (as the 256 shards are), and in one file.
mkdir -p sub
if [ ! -f sub/one.csv.gz ]; then
  zcat shard16-000.csv.gz | tail -n +2 > sub/body
  (cd sub && split -n l/16 -d -a 2 body part- && rm body)
  for f in sub/part-*; do (echo p,y; cat "$f") | gzip -1 > "sub/sub-${f##*/part-}.csv.gz"; rm "$f"; done
  (echo p,y; for f in sub/sub-*.csv.gz; do zcat "$f" | tail -n +2; done) | gzip -1 > sub/one.csv.gz
fi
r16=$(($(zcat shard16-000.csv.gz | wc -l) - 1))
r256=$(($(zcat shard256-000.csv.gz | wc -l) - 1))
p16=$(count $focal contribution --input shard16-000.csv.gz --partial -g 0,2)
p256=$(count $focal contribution --input shard256-000.csv.gz --partial -g 0,2)
one=$(count $focal contribution --input sub/one.csv.gz -g 0,2 -f csv)
many=$(count $focal contribution --input 'sub/sub-*.csv.gz' -g 0,2 -f csv)
# On one core (taskset): the same 16 files without threads, one after another.
files=$(taskset -c 0 valgrind --tool=callgrind --callgrind-out-file=/dev/null \
  $focal contribution --input 'sub/sub-*.csv.gz' -g 0,2 -f csv 2>&1 >/dev/null |
  sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
for f in shard16-*.csv.gz; do
  [ -f "$f.json" ] || $focal contribution --input "$f" --partial -g 0,2 > "$f.json"
done
merge=$(count $focal merge shard16-*.csv.gz.json -f csv)
echo "measured (instructions): --partial over $r16 rows $p16, over $r256 rows $p256;"
echo "  $r16 rows in one file $one, in 16 files in one run $many (one thread: $files);"
echo "  merge of 16 states $merge"
awk -v rows="$rows" -v r16="$r16" -v r256="$r256" -v p16="$p16" -v p256="$p256" \
  -v one="$one" -v many="$many" -v files="$files" -v merge="$merge" 'BEGIN {
  row = (p16 - p256) / (r16 - r256); fixed = p16 - row * r16
  single = fixed + row * rows
  # 256 shards: the worker threads once, and 255 files more than one.
  file = (files - one) / 15; threads = many - files
  glob = single + threads + 255 * file
  shards = 16 * (fixed + row * rows / 16) + merge
  printf "a row: %.0f instructions; a process (start, compiling): %.2e\n", row, fixed
  printf "one run over %d rows: %.3e\n", rows, single
  printf "a file more: %.2e; the worker threads: %.2e\n", file, threads
  printf "256 shards in one run: %.3f x\n", glob / single
  printf "16 shards, --partial each, merge: %.3f x\n", shards / single
}'
