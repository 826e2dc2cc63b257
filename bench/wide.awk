# The computation of `focal contribution --input FILE --class-cols 0:79 --activation sigmoid
# --background -1 -g 2 -f csv` in awk: per class and in all, the CE and FL totals (alpha 0.25,
# gamma 2) of the negative and positive cells.  mawk -F, -f bench/wide.awk FILE
NR > 1 {
  t = $NF
  for (k = 1; k < NF; k++) {
    x = $k
    y = (k - 1 == t)
    xt = y ? x : -x
    ce = xt > 0 ? log(1 + exp(-xt)) : -xt + log(1 + exp(xt))
    q = 1 - exp(-ce)
    at = y ? 0.25 : 0.75
    c[k, y] += ce
    f[k, y] += at * q * q * ce
  }
}
END {
  for (k = 1; k < NF; k++) { cn += c[k, 0]; cp += c[k, 1]; fn += f[k, 0]; fp += f[k, 1] }
  printf "%.17g %.17g %.17g %.17g\n", cn, cp, fn, fp
}
