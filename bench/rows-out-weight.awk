# The arithmetic and printing of `focal weight --pt 0:1:1e-7 -f csv` in awk (issue 17, item 4's
# contender): alpha,gamma,y,pt,weight,ce_over_fl for 10,000,001 values of p_t, 17 digits.
#   mawk -f bench/rows-out-weight.awk
BEGIN {
  print "alpha,gamma,y,pt,weight,ce_over_fl"
  for (i = 0; i <= 10000000; i++) {
    pt = i / 1e7
    w = 0.25 * (1 - pt) ^ 2
    printf "0.25,2,1,%.17g,%.17g,%.17g\n", pt, w, 1 / w
  }
}
