# The computation of `focal contribution --input FILE -f csv` (alpha 0.25, gamma 2) in awk:
# CE and FL totals of the negatives and the positives.  mawk -F, -f bench/contribution.awk FILE
NR > 1 {
  p = $1; y = $2
  pt = y ? p : 1 - p
  ce = -log(pt)
  at = y ? 0.25 : 0.75
  n[y]++
  c[y] += ce
  f[y] += at * (1 - pt) ^ 2 * ce
}
END { printf "%.17g %.17g %.17g %.17g\n", c[0], c[1], f[0], f[1] }
