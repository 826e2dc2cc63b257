#!/usr/bin/python3
"""Writes the .npy benchmark pair (issue 17): N float32 logits and N uint8 labels (10% positives),
a fixed seed, written in slices so that generating 10^8 elements needs little memory.
/usr/bin/python3 bench/generate_npy.py N LOGITS.npy LABELS.npy"""
import sys

import numpy as np
from numpy.lib.format import open_memmap

n = int(sys.argv[1])
x = open_memmap(sys.argv[2], mode='w+', dtype='<f4', shape=(n,))
y = open_memmap(sys.argv[3], mode='w+', dtype='|u1', shape=(n,))
rng = np.random.default_rng(17)
step = 1 << 22
for start in range(0, n, step):
    m = min(step, n - start)
    labels = rng.random(m) < 0.1
    # Positives score higher on the whole: logits from N(+1, 2) and N(-2, 2).
    x[start:start + m] = np.where(labels, rng.normal(1, 2, m), rng.normal(-2, 2, m))
    y[start:start + m] = labels
x.flush()
y.flush()
