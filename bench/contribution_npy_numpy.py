"""The computation of `focal contribution --input LOGITS.npy --labels LABELS.npy -g 0,0.5,1,2,5`
with numpy, as its users write it: np.load, float64, np.logaddexp. Prints, per gamma, the CE and
FL (alpha 0.25) totals of the negatives and the positives.
/usr/bin/python3 bench/contribution_npy_numpy.py LOGITS.npy LABELS.npy"""
import sys

import numpy as np

x = np.load(sys.argv[1]).astype(np.float64)
y = np.load(sys.argv[2])
pos = y == 1
ce = np.where(pos, np.logaddexp(0, -x), np.logaddexp(0, x))
pt = np.exp(-ce)
at = np.where(pos, 0.25, 0.75)
for gamma in (0, 0.5, 1, 2, 5):
    fl = at * (1 - pt) ** gamma * ce
    print(gamma, '%.17g %.17g %.17g %.17g' % (ce[~pos].sum(), ce[pos].sum(), fl[~pos].sum(), fl[pos].sum()))
