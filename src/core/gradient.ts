/**
 * Gradients of the losses with respect to the logit x (paper, appendix B; math.md,
 * "Gradients"), in closed form: no NaN where autograd of (1 − p_t)^γ meets 0·∞ at p_t = 1.
 *
 * With y' = 2y − 1 (+1 for a positive, −1 for a negative):
 * - dCE/dx = y'(p_t − 1) = −y'·(1 − p_t), with 1 − p_t = σ(−x_t) held exactly;
 * - dFL/dx = α_t·y'·(1 − p_t)^γ·(γ·p_t·ln p_t + p_t − 1), where both terms of the bracket are
 *   ≤ 0, so it is summed without cancellation; γ·p_t·ln p_t is taken at its limit 0 at p_t = 0.
 * In another log base, both are divided by ln b.
 */
import { type LogBase, NATURAL_LOG } from './log-base.js';
import { focusingFactor } from './loss.js';
import type { Label, TrueClass } from './true-class.js';

/** dCE/dx: at logit 40 and y = 1 it is −4.25e−18, not the 0 of σ(40) − 1 in doubles. */
export function crossEntropyGradient(tc: TrueClass, y: Label, base: LogBase = NATURAL_LOG): number {
  const sign = y === 1 ? 1 : -1;
  return (-sign * tc.oneMinusPt) / base.lnBase;
}

/**
 * dFL/dx. 0 whenever α_t = 0; at p_t = 1 it is 0 for every γ (also 0 < γ < 1, where autograd
 * gives NaN); at γ = 0 it equals α_t·dCE/dx.
 */
export function focalLossGradient(
  tc: TrueClass,
  alphaT: number,
  gamma: number,
  y: Label,
  base: LogBase = NATURAL_LOG,
): number {
  if (alphaT === 0) return 0;
  const sign = y === 1 ? 1 : -1;
  const entropyTerm = tc.pt === 0 ? 0 : gamma * tc.pt * tc.logPt;
  const bracket = entropyTerm - tc.oneMinusPt;
  return (alphaT * sign * focusingFactor(tc, gamma) * bracket) / base.lnBase;
}
