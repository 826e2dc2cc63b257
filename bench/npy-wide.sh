#!/bin/bash
# 2-D .npy score arrays as wide inputs (issue 17, item 1) against the wide CSV they come from.
# Usage: bench/npy-wide.sh [ROWS] [ROUNDS]   (from the repository root, after npm run build)
# Needs bench/data/wide-ROWS.csv (node bench/wide.mjs --rows ROWS writes it); writes once
# bench/data/wide-ROWS-C.npy (float32, C order), wide-ROWS-F.npy (float64, Fortran order) and
# wide-ROWS-y.npy (int64 class indices, -1 background) from it with numpy (/usr/bin/python3).
# Then runs alternately focal contribution on the CSV, the C array and the Fortran array
# (--class-cols 0:79 / '*', sigmoid, --background -1, -g 2, csv), and prints CPU time (user +
# sys) and peak RSS of each run, and whether the outputs agree (float32 differs from the CSV's
# 17 digits, so the C array is compared with the Fortran one made from the same float32s).
set -euo pipefail
ROWS=${1:-200000}
ROUNDS=${2:-2}
D=bench/data
CSV=$D/wide-$ROWS.csv
[ -f "$CSV" ] || { echo "no $CSV: node bench/wide.mjs --rows $ROWS" >&2; exit 1; }
if [ ! -f "$D/wide-$ROWS-y.npy" ]; then
  /usr/bin/python3 - "$CSV" "$D/wide-$ROWS" <<'PY'
import sys
import numpy as np
a = np.loadtxt(sys.argv[1], delimiter=',', skiprows=1)
base = sys.argv[2]
scores = a[:, :-1].astype(np.float32)
np.save(base + '-C.npy', scores)
np.save(base + '-F.npy', np.asfortranarray(scores.astype(np.float64)))
np.save(base + '-y.npy', a[:, -1].astype(np.int64))
PY
fi
ARGS=(--activation sigmoid --background -1 -g 2 -f csv)
run() { # name, then focal's arguments
  local name=$1; shift
  /usr/bin/time -f "%U %S %M" -o /tmp/npy-wide-time node bin/focal.cjs contribution "$@" "${ARGS[@]}" > "/tmp/npy-wide-$name.csv"
  read -r u s m < /tmp/npy-wide-time
  printf '%-6s cpu %6.2f s  rss %4d MiB\n' "$name" "$(echo "$u + $s" | bc)" $((m / 1024))
}
for r in $(seq "$ROUNDS"); do
  echo "round $r"
  run csv --input "$CSV" --class-cols 0:79
  run npy-C --input "$D/wide-$ROWS-C.npy" --labels "$D/wide-$ROWS-y.npy" --class-cols '*'
  run npy-F --input "$D/wide-$ROWS-F.npy" --labels "$D/wide-$ROWS-y.npy" --class-cols '*'
done
cmp -s /tmp/npy-wide-npy-C.csv /tmp/npy-wide-npy-F.csv && echo "C and Fortran arrays: the same output" || echo "C and Fortran arrays DIFFER"
