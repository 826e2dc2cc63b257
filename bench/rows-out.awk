# The arithmetic and printing of `focal loss --input FILE -g 0,2 --grad -f csv` in awk (issue 17,
# item 4's contender): per example and γ, alpha,gamma,y,p,pt,ce,fl,weight,ce_grad,fl_grad with
# 17 significant digits.  mawk -F, -f bench/rows-out.awk FILE
BEGIN { print "alpha,gamma,y,p,pt,ce,fl,weight,ce_grad,fl_grad" }
NR > 1 {
  p = $1; y = $2
  pt = y ? p : 1 - p
  ce = -log(pt)
  at = y ? 0.25 : 0.75
  s = y ? -1 : 1
  for (g = 0; g <= 2; g += 2) {
    w = at * (1 - pt) ^ g
    printf "0.25,%d,%d,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g\n", g, y, p, pt, ce, w * ce, w, p - y, s * w * ((1 - pt) - g * pt * log(pt))
  }
}
