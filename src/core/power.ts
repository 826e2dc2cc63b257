/**
 * x^n for a whole n, the same to the last bit on every JavaScript engine. `Math.pow` is not:
 * Node 20 and 22 use V8's own pow, Node 24 the C library's (`--use-std-math-pow`), and they
 * differ in the last digit of, for example, 0.31^5 (the FL of γ = 5 at p_t = 0.69). Here the
 * power is formed by squaring in double-double arithmetic (Dekker's exact products: only
 * +, − and ×, which IEEE 754 rounds alike everywhere) and rounded once at the end, so the
 * result is the correctly rounded x^n except within about n·2⁻¹⁰⁴ of a rounding boundary.
 */
import { productLow } from './exact.js';

/** Below this the low parts of the products could be subnormal and lose their digits. */
const SMALLEST = 2 ** -900;
/** The largest n taken by squaring; beyond it (and for γ not whole) Math.pow. */
export const MAX_WHOLE_POWER = 1024;

/**
 * (x + xLow)^n for x in [0, 1] and a whole n in [0, MAX_WHOLE_POWER], rounded once (see above;
 * x² is x·x when xLow is 0). `xLow` is an exact correction to x, |xLow| ≤ half an ulp of x (the
 * rounding error of 1 − p_t, issue 13). Where the result is below 2⁻⁹⁰⁰ (or x, n are outside
 * those ranges) it is `Math.pow`'s of x, corrected to first order by xLow.
 */
export function wholePower(x: number, n: number, xLow = 0): number {
  if (!(x >= 0 && x <= 1 && Number.isInteger(n) && n >= 0 && n <= MAX_WHOLE_POWER)) {
    return fallback(x, n, xLow);
  }
  if (n === 0) return 1;
  if (x === 0 || n === 1 || (x === 1 && xLow === 0)) return x;
  if (n === 2 && xLow === 0) return x * x; // one IEEE product: correctly rounded, subnormal or not
  // The result rh + rl and the base bh + bl as double-doubles, multiplied in place: each
  // product is Dekker's (productLow) plus the cross terms, renormalised. Locals only: nothing
  // is allocated, and no state outlives the call.
  let rh = 1;
  let rl = 0;
  let bh = x;
  let bl = xLow;
  for (let k = n; ; ) {
    if (k & 1) {
      const p = rh * bh;
      const e = productLow(rh, bh, p) + (rh * bl + rl * bh);
      rh = p + e;
      rl = e - (rh - p);
    }
    k >>= 1;
    if (k === 0) break;
    const p = bh * bh;
    const e = productLow(bh, bh, p) + (bh * bl + bl * bh);
    bh = p + e;
    bl = e - (bh - p);
    if (bh < SMALLEST) return fallback(x, n, xLow);
  }
  return rh < SMALLEST ? fallback(x, n, xLow) : rh;
}

/** Math.pow's x^n, times (1 + n·xLow/x) where x was rounded (x > 0 wherever xLow ≠ 0). */
function fallback(x: number, n: number, xLow: number): number {
  const power = x ** n;
  return xLow === 0 ? power : power * (1 + n * (xLow / x));
}
