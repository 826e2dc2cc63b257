/**
 * Error-free transformations: results that are exact as a sum of two doubles.
 */

const SPLITTER = 2 ** 27 + 1; // Veltkamp's constant for 53-bit doubles
const SPLIT_LIMIT = 2 ** 996; // beyond this the split would overflow

/**
 * The rounding error of the product p = a·b, so that a·b = p + productLow(a, b, p) exactly
 * (Dekker's product with Veltkamp's split), for |a|, |b| ≤ 2^996 and a finite p whose error is
 * not below the subnormals. No tuples and no checks: small enough for V8 to inline into hot
 * loops (the number parser of input/decimal.ts, the whole powers of power.ts), where
 * `exactProduct`'s arrays cost 1.2× the parser's time (bench/README.md, issue 15).
 */
export function productLow(a: number, b: number, p: number): number {
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/**
 * a·b = hi + lo exactly (Dekker's product), where hi is the rounded product. Where the product
 * overflows or its factors are too large to split, lo is 0.
 */
export function exactProduct(a: number, b: number): [hi: number, lo: number] {
  const hi = a * b;
  if (!Number.isFinite(hi) || Math.abs(a) > SPLIT_LIMIT || Math.abs(b) > SPLIT_LIMIT)
    return [hi, 0];
  return [hi, productLow(a, b, hi)];
}

/**
 * e^(a·b) with the product taken exactly: exp(hi)·(1 + lo). Rounding a·b first would cost a
 * relative error of |a·b|·2⁻⁵³ (400 ulp at a·b = −745); this keeps a few ulp.
 */
export function expOfProduct(a: number, b: number): number {
  const [hi, lo] = exactProduct(a, b);
  return Math.exp(hi) * (1 + lo);
}
