/**
 * Who carries the total loss: each group's total and its share of the sum (math.md, "Sums";
 * cli-contract.md, `focal contribution`).
 */
import { type Scaled, scaledProduct, scaledShares, toScaled } from './scaled.js';

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
  return scaledLossShares(
    terms.map((t) => ({ count: t.count, perExample: toScaled(t.perExample) })),
  );
}

/** A group whose per-example loss is held scaled (`scaled-loss.ts`), for `scaledLossShares`. */
export interface ScaledLossTerm {
  readonly count: number;
  readonly perExample: Scaled;
}

/** count × per-example loss, scaled; 0 when either is 0 (0 × ∞ = 0). */
export function scaledGroupTotal(term: ScaledLossTerm): Scaled {
  if (term.count === 0 || term.perExample[0] === 0) return [0, 0];
  return scaledProduct(toScaled(term.count), term.perExample);
}

/** `lossShares` of per-example losses held scaled: shares of losses below 5e−324 too. */
export function scaledLossShares(terms: readonly ScaledLossTerm[]): number[] {
  const totals = terms.map((t): Scaled => {
    if (!(t.count > 0 && t.perExample[0] > 0)) return [0, 0];
    return t.perExample[0] === Number.POSITIVE_INFINITY
      ? [Number.POSITIVE_INFINITY, 0]
      : scaledGroupTotal(t);
  });
  return limitShares(
    totals,
    terms.map((t) => toScaled(t.count)),
  );
}

/**
 * The shares of totals of which some may be infinite, each total with the weight (count) of its
 * infinite examples: the shares of the totals when all are finite; else the limit as those
 * examples' p_t tend to 0 together, in which the infinite totals share 1 in proportion to their
 * infinite weights and the finite ones get 0. NaN everywhere when the totals sum to 0.
 */
export function limitShares(
  totals: readonly Scaled[],
  infiniteWeights: readonly Scaled[],
): number[] {
  const infinite = totals.map((t) => t[0] === Number.POSITIVE_INFINITY);
  if (!infinite.some(Boolean)) return scaledShares(totals);
  return scaledShares(
    totals.map((_, i) => (infinite[i] ? (infiniteWeights[i] as Scaled) : [0, 0])),
  );
}
