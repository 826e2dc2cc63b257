"""The computation of `focal contribution --input FILE -f csv` (alpha 0.25, gamma 2) with numpy:
CE and FL totals of the negatives and the positives.  /usr/bin/python3 bench/contribution_numpy.py FILE"""
import sys

import numpy as np

data = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1)
p, y = data[:, 0], data[:, 1]
pos = y == 1
pt = np.where(pos, p, 1 - p)
ce = -np.log(pt)
at = np.where(pos, 0.25, 0.75)
fl = at * (1 - pt) ** 2 * ce
print("%.17g %.17g %.17g %.17g" % (ce[~pos].sum(), ce[pos].sum(), fl[~pos].sum(), fl[pos].sum()))
