/**
 * Numbers held as (mantissa, exponent) pairs, value = m·2^e with m in [1, 2): products and
 * sums of counts, weights and losses that overflow (weights near 1.8e308) or underflow (a loss
 * below 5e−324 that a count of 1e300 multiplies) before the end of a computation keep every
 * digit until the one rounding to a double (math.md, "Sums"). 0, ±∞ and NaN are [x, 0].
 */
import { exactProduct } from './exact.js';

/** m·2^e, m in [1, 2) (or 0, ±∞, NaN with e = 0). */
export type Scaled = readonly [mantissa: number, exponent: number];

/**
 * x·2^n for an integer n, in steps that neither overflow nor underflow on the way. 0, ±∞ and
 * NaN are themselves whatever n (0·2^3000 is 0: multiplying by the ∞ that stands for 2^3000
 * gave NaN, and an empty sum scaled to a tiny first term's exponent became NaN, issue 19).
 */
export function scaleBy(x: number, n: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  if (n >= -1022 && n <= 1023) return x * 2 ** n;
  if (n > 0) {
    if (n > 2200) return x * Number.POSITIVE_INFINITY;
    return n > 2046 ? x * 2 ** 1023 * 2 ** 1023 * 2 ** (n - 2046) : x * 2 ** 1023 * 2 ** (n - 1023);
  }
  // The first step keeps x normal (exact); only the last rounds, once.
  return n < -2200 ? x * 0 : x * 2 ** -1022 * 2 ** (n + 1022);
}

/** x as m·2^e exactly. */
export function toScaled(x: number): Scaled {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  let exponent = Math.floor(Math.log2(Math.abs(x)));
  let mantissa = scaleBy(x, -exponent);
  // log2 may be off by one next to a power of two.
  while (Math.abs(mantissa) >= 2) {
    mantissa /= 2;
    exponent += 1;
  }
  while (Math.abs(mantissa) < 1) {
    mantissa *= 2;
    exponent -= 1;
  }
  return [mantissa, exponent];
}

/** The double nearest m·2^e (±∞ beyond the largest, 0 or a subnormal below the least). */
export function fromScaled([m, e]: Scaled): number {
  return scaleBy(m, e);
}

/** a·b, one rounding of the mantissas. */
export function scaledProduct(a: Scaled, b: Scaled): Scaled {
  const [m, e] = toScaled(a[0] * b[0]);
  return [m, e + a[1] + b[1]];
}

/** a/b, one rounding of the mantissas. */
export function scaledQuotient(a: Scaled, b: Scaled): Scaled {
  const [m, e] = toScaled(a[0] / b[0]);
  return [m, e + a[1] - b[1]];
}

/** The product of several scaled numbers. */
export function scaledProductOf(...factors: readonly Scaled[]): Scaled {
  return factors.reduce(scaledProduct, [1, 0] as Scaled);
}

/** ln 2 in two parts (fdlibm): k·LN2_HI is exact for |k| < 2²¹, LN2_LO the rest. */
const LN2_HI = 0.6931471803691238;
const LN2_LO = 1.9082149292705877e-10;

/**
 * e^(a·b), its product taken exactly (Dekker) and reduced by k·ln 2 in two parts, so that the
 * result keeps a few ulp where e^(a·b) is far below the least double (e^(−10⁴)) or above the
 * largest.
 */
export function scaledExpOfProduct(a: number, b: number): Scaled {
  const [hi, lo] = exactProduct(a, b);
  if (hi === Number.NEGATIVE_INFINITY) return [0, 0];
  if (!Number.isFinite(hi)) return [hi, 0];
  const k = Math.round(hi / Math.LN2);
  const r = hi - k * LN2_HI - k * LN2_LO + lo;
  const [m, e] = toScaled(Math.exp(r));
  return [m, e + k];
}

/**
 * x^γ for 0 ≤ x, γ ≥ 0, also where it is far below the least double ((1e−16)^40): with
 * x = m·2^e exactly, x^γ = m^γ·2^(e·γ), m^γ by `**` and 2^(e·γ) with e·γ taken exactly. A few
 * ulp, like `x ** γ` where that does not underflow. For γ > 1000 (m^γ could overflow), m^γ is
 * (m^(γ/2^j))^(2^j), γ/2^j exact, costing about γ/1000 ulp more.
 */
export function scaledPower(x: number, gamma: number): Scaled {
  if (gamma === 0) return [1, 0];
  if (x === 0 || x === 1 || !Number.isFinite(x)) return toScaled(x ** gamma);
  const [m, e] = toScaled(x);
  let j = 0;
  while (gamma / 2 ** j > 1000) j++;
  let power = toScaled(m ** (gamma / 2 ** j));
  for (let i = 0; i < j; i++) power = scaledProduct(power, power);
  const [hi, lo] = exactProduct(e, gamma);
  const k = Math.round(hi);
  const r = hi - k + lo; // exact: |hi − k| ≤ 1/2 and hi is an integer past 2^52
  const [m2, e2] = toScaled(2 ** r);
  return scaledProduct(power, [m2, e2 + k]);
}

/**
 * Each product's fraction of the sum of the products, none of which is formed as a double:
 * the products are scaled by the largest and summed with compensation (Neumaier). NaN for
 * every one when they are all 0.
 */
export function scaledShares(products: readonly Scaled[]): number[] {
  const top = Math.max(...products.filter(([m]) => m !== 0).map(([, e]) => e));
  if (!Number.isFinite(top)) return products.map(() => Number.NaN);
  // Relative to the largest exponent, each scaled value is < 2, and the largest is ≥ 1.
  const scaled = products.map(([m, e]) => (m === 0 ? 0 : scaleBy(m, Math.max(e - top, -1100))));
  let sum = 0;
  let compensation = 0;
  for (const x of scaled) {
    const t = sum + x;
    compensation += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  const total = sum + compensation;
  return scaled.map((s) => s / total);
}
