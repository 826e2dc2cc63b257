/**
 * Per-example losses: cross-entropy, α-balanced cross-entropy, focal loss and the modulating
 * weight that turns one into the other (math.md, "Losses").
 */
import { expOfProduct } from './exact.js';
import { type LogBase, NATURAL_LOG } from './log-base.js';
import { wholePower } from './power.js';
import type { Label, TrueClass } from './true-class.js';

/** Class balance α in [0, 1], or `null` for no class weighting (α_t = 1). */
export type Alpha = number | null;

/** α_t: α for a positive example, 1 − α for a negative one, 1 when weighting is off. */
export function alphaT(alpha: Alpha, y: Label): number {
  if (alpha === null) return 1;
  return y === 1 ? alpha : 1 - alpha;
}

/**
 * Cross-entropy CE = −log_b p_t. +∞ at p_t = 0 (a probability input), 0 at p_t = 1.
 *
 * In base e this is −ln p_t as held by `tc`; in another base the logarithm is taken of p_t
 * directly when p_t is exact (so −log10(0.01) = 2 exactly), else ln p_t is rescaled.
 */
export function crossEntropy(tc: TrueClass, base: LogBase = NATURAL_LOG): number {
  if (base.lnBase === 1) return -tc.logPt;
  return tc.ptExact ? -base.log(tc.pt) : -tc.logPt / base.lnBase;
}

/**
 * (1 − p_t)^γ, the focusing factor, with 0^0 = 1.
 *
 * `Math.pow` of an accurate 1 − p_t is accurate to about γ ulp; where 1 − p_t was rounded
 * (p_t < 1/2), its exact error corrects the power ((1 − p_t)^γ had up to γ/2 ulp more). For a
 * whole γ the power (with that error) is formed in double-double and rounded once (power.ts), the
 * same on every engine. Where a logit made 1 − p_t
 * subnormal (x_t > 708) it is exp(γ·ln(1 − p_t)) instead, with the product taken exactly, so
 * that (1 − σ(745))^0.5 is 1.7e−162 to a few ulp rather than 0.
 */
export function focusingFactor(tc: TrueClass, gamma: number): number {
  if (gamma === 0) return 1;
  if (!tc.oneMinusPtPrecise) return expOfProduct(gamma, tc.log1mPt);
  const low = tc.oneMinusPtLow ?? 0;
  // A whole γ: the same last digit on every engine (power.ts); another γ: Math.pow's.
  if (Number.isInteger(gamma)) return wholePower(tc.oneMinusPt, gamma, low);
  const power = tc.oneMinusPt ** gamma;
  return low ? power * lowCorrection(low / tc.oneMinusPt, gamma) : power;
}

/**
 * (1 + r)^γ for the relative rounding error r (|r| ≤ 2⁻⁵³) of 1 − p_t: 1 + γ·r, whose neglected
 * term (γr)²/2 is below 2⁻⁶⁰ for γ < 2²⁰; else exp(γ·log1p(r)).
 */
export function lowCorrection(r: number, gamma: number): number {
  return gamma < 2 ** 20 ? 1 + gamma * r : Math.exp(gamma * Math.log1p(r));
}

/**
 * The modulating weight w = α_t(1 − p_t)^γ = FL/CE, always computed by this formula (never as
 * FL/CE, which is 0/0 or ∞/∞ at the ends). At p_t = 1 it is α_t when γ = 0, else 0.
 */
export function modulatingWeight(tc: TrueClass, alphaT: number, gamma: number): number {
  return alphaT * focusingFactor(tc, gamma);
}

/** α-balanced cross-entropy CE_α = −α_t log_b p_t; 0 whenever α_t = 0, even at p_t = 0. */
export function balancedCrossEntropy(
  tc: TrueClass,
  alphaT: number,
  base: LogBase = NATURAL_LOG,
): number {
  return alphaT === 0 ? 0 : alphaT * crossEntropy(tc, base);
}

/**
 * Focal loss FL = −α_t(1 − p_t)^γ log_b p_t (Lin et al. 2017, eq. 5).
 *
 * 0 whenever α_t = 0 (the example carries no weight), also at p_t = 0; +∞ at p_t = 0
 * otherwise; 0 at p_t = 1. Relative error: a few ulp plus about γ ulp.
 */
export function focalLoss(
  tc: TrueClass,
  alphaT: number,
  gamma: number,
  base: LogBase = NATURAL_LOG,
): number {
  if (alphaT === 0) return 0;
  return modulatingWeight(tc, alphaT, gamma) * crossEntropy(tc, base);
}
