/**
 * Who carries the total loss: each group's total and its share of the sum (math.md, "Sums";
 * cli-contract.md, `focal contribution`).
 */
import { CompensatedSum } from './sum.js';

/** A group of identical examples: how many there are and the loss of each. */
export interface LossTerm {
  /** Number of examples (≥ 0; non-integers act as sample weights). */
  readonly count: number;
  /** The loss of one example (≥ 0, may be +∞). */
  readonly perExample: number;
}

/** count × per-example loss, with 0 × ∞ = 0: no examples contribute nothing. */
export function groupTotal(term: LossTerm): number {
  return term.count === 0 || term.perExample === 0 ? 0 : term.count * term.perExample;
}

/**
 * x = mantissa · 2^exponent with mantissa in [1, 2) (for finite x ≠ 0), exactly.
 * Used to form products and ratios of numbers whose product would overflow or underflow.
 */
function splitExponent(x: number): [mantissa: number, exponent: number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  let exponent = Math.floor(Math.log2(Math.abs(x)));
  // 2^−exponent in two exact steps: 2^1074 alone would overflow.
  const half = Math.trunc(-exponent / 2);
  let mantissa = x * 2 ** half * 2 ** (-exponent - half);
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

/**
 * Each term's share of the summed totals, in [0, 1].
 *
 * Shares are computed from the products count × loss held as (mantissa, exponent) pairs and
 * scaled by the largest, so they stay exact when the totals themselves overflow a double
 * (counts of 1e308) or underflow (losses of 1e−300). The scaled terms are summed with
 * compensation. When the sum of totals is 0, every share is NaN. When some totals are
 * infinite, those groups share 1 in proportion to their counts and the others get 0: the limit
 * as their p_t tend to 0 together.
 */
export function lossShares(terms: readonly LossTerm[]): number[] {
  const live = terms.map((t) => t.count > 0 && t.perExample > 0);
  const infinite = terms.map((t, i) => live[i] && t.perExample === Number.POSITIVE_INFINITY);
  if (infinite.some(Boolean)) {
    return proportional(terms.map((t, i) => [infinite[i] ? t.count : 0, 1]));
  }
  return proportional(terms.map((t, i) => (live[i] ? [t.count, t.perExample] : [0, 0])));
}

/** Each product a·b's fraction of the sum of the products, none of which is formed. */
function proportional(products: readonly (readonly [a: number, b: number])[]): number[] {
  const split = products.map(([a, b]) => {
    const [ma, ea] = splitExponent(a);
    const [mb, eb] = splitExponent(b);
    return [ma * mb, ea + eb] as const;
  });
  const top = Math.max(...split.filter(([m]) => m !== 0).map(([, e]) => e));
  if (!Number.isFinite(top)) return products.map(() => Number.NaN);
  // Relative to the largest exponent, each scaled value is < 4, and the largest is ≥ 1.
  const scaled = split.map(([m, e]) => (m === 0 ? 0 : m * 2 ** Math.max(e - top, -1100)));
  const sum = new CompensatedSum();
  for (const s of scaled) sum.add(s);
  const total = sum.value;
  return scaled.map((s) => s / total);
}
