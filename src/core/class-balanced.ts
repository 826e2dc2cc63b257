/**
 * Class-balanced focal loss (Cui et al., "Class-Balanced Loss Based on Effective Number of
 * Samples", CVPR 2019): focal loss weighted, instead of by α, by the inverse effective number
 * of the example's class,
 *
 *   w_y = 1/E_{n_y} = (1 − β)/(1 − β^{n_y}),  β ∈ [0, 1), n_y ≥ 1 examples of class y,
 *
 * with E_n from balance.ts (−expm1(n·ln β)/(1 − β), exact where β^n is near 1). β = 0 gives
 * w = 1 (plain FL); as β → 1, w → 1/n (inverse frequency). The authors' code normalises the
 * weights of the K classes to sum to K (`classBalancedWeights`); the loss below takes the raw
 * w_y, so pass a normalised weight through `focalLoss` directly if that is wanted.
 */
import { effectiveNumber } from './balance.js';
import { focalLossGradient } from './gradient.js';
import { type LogBase, NATURAL_LOG } from './log-base.js';
import { focalLoss } from './loss.js';
import type { Label, TrueClass } from './true-class.js';

/**
 * w = (1 − β)/(1 − β^n) = 1/E_n, to a few ulp. 1 at β = 0 (n ≥ 1); +∞ at n = 0 (a class
 * with no examples has no finite weight).
 */
export function classBalancedWeight(count: number, beta: number): number {
  return 1 / effectiveNumber(count, beta);
}

/**
 * The weights of K classes as the authors' code forms them: w_i = 1/E_{n_i}, scaled so that
 * they sum to K (`weights / np.sum(weights) * no_of_classes`). Each class needs n_i ≥ 1.
 */
export function classBalancedWeights(counts: readonly number[], beta: number): number[] {
  const raw = counts.map((n) => classBalancedWeight(n, beta));
  const total = raw.reduce((sum, w) => sum + w, 0);
  return raw.map((w) => (w / total) * counts.length);
}

/**
 * CB-FL = −w_y(1 − p_t)^γ ln p_t with w_y = classBalancedWeight(n_y, β), in base b. With β = 0
 * it is FL with α none, exactly. Precision as `focalLoss` plus a few ulp of w.
 */
export function classBalancedFocalLoss(
  tc: TrueClass,
  count: number,
  beta: number,
  gamma: number,
  base: LogBase = NATURAL_LOG,
): number {
  return focalLoss(tc, classBalancedWeight(count, beta), gamma, base);
}

/** d(CB-FL)/dx = w_y·dFL/dx (α none); see gradient.ts. */
export function classBalancedFocalLossGradient(
  tc: TrueClass,
  count: number,
  beta: number,
  gamma: number,
  y: Label,
  base: LogBase = NATURAL_LOG,
): number {
  return focalLossGradient(tc, classBalancedWeight(count, beta), gamma, y, base);
}
