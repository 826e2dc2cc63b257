/**
 * Error-free transformations: results that are exact as a sum of two doubles.
 */

const SPLITTER = 2 ** 27 + 1; // Veltkamp's constant for 53-bit doubles
const SPLIT_LIMIT = 2 ** 996; // beyond this the split would overflow

function split(a: number): [hi: number, lo: number] {
  const t = SPLITTER * a;
  const hi = t - (t - a);
  return [hi, a - hi];
}

/**
 * a·b = hi + lo exactly (Dekker's product), where hi is the rounded product. Where the product
 * overflows or its factors are too large to split, lo is 0.
 */
export function exactProduct(a: number, b: number): [hi: number, lo: number] {
  const hi = a * b;
  if (!Number.isFinite(hi) || Math.abs(a) > SPLIT_LIMIT || Math.abs(b) > SPLIT_LIMIT)
    return [hi, 0];
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  const lo = ah * bh - hi + ah * bl + al * bh + al * bl;
  return [hi, lo];
}

/**
 * e^(a·b) with the product taken exactly: exp(hi)·(1 + lo). Rounding a·b first would cost a
 * relative error of |a·b|·2⁻⁵³ (400 ulp at a·b = −745); this keeps a few ulp.
 */
export function expOfProduct(a: number, b: number): number {
  const [hi, lo] = exactProduct(a, b);
  return Math.exp(hi) * (1 + lo);
}
