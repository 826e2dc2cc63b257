"""The computation of `focal contribution --input FILE --class-cols 0:79 --activation sigmoid
--background -1 -g 2 -f csv` with numpy: per class and in all, the CE and FL totals (alpha 0.25,
gamma 2) of the negative and positive cells.  /usr/bin/python3 bench/wide_numpy.py FILE"""
import sys

import numpy as np

data = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1)
z, y = data[:, :-1], data[:, -1].astype(int)
pos = y[:, None] == np.arange(z.shape[1])[None, :]
xt = np.where(pos, z, -z)
ce = np.logaddexp(0, -xt)
at = np.where(pos, 0.25, 0.75)
fl = at * (-np.expm1(-ce)) ** 2 * ce
cn, cp = np.where(pos, 0, ce).sum(axis=0), np.where(pos, ce, 0).sum(axis=0)
fn, fp = np.where(pos, 0, fl).sum(axis=0), np.where(pos, fl, 0).sum(axis=0)
print("%.17g %.17g %.17g %.17g" % (cn.sum(), cp.sum(), fn.sum(), fp.sum()))
