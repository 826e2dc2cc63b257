/**
 * Per-example losses as (mantissa, exponent) pairs (`scaled.ts`), for totals and shares of
 * groups whose per-example loss is below the least double while count × loss is not: a p_t
 * next to 1 with a large γ ((1 − p_t)^γ = 1e−400), or a fresh classifier's negatives at a prior
 * π = 1e−200 (FL = π^(γ+1)). Where the double loss is normal these are that double, split.
 */
import { type LogBase, NATURAL_LOG } from './log-base.js';
import { crossEntropy, focusingFactor, lowCorrection } from './loss.js';
import {
  type Scaled,
  scaledExpOfProduct,
  scaledPower,
  scaledProductOf,
  scaledQuotient,
  toScaled,
} from './scaled.js';
import type { TrueClass } from './true-class.js';

const MIN_NORMAL = 2 ** -1022;

/**
 * (1 − p_t)^γ, scaled: `focusingFactor` where that is a normal double, else (1 − p_t)^γ from
 * the exact 1 − p_t (`scaledPower`), or e^(γ·ln(1 − p_t)) where a logit made 1 − p_t subnormal.
 */
export function scaledFocusingFactor(tc: TrueClass, gamma: number): Scaled {
  const f = focusingFactor(tc, gamma);
  if (f >= MIN_NORMAL) return toScaled(f);
  if (!tc.oneMinusPtPrecise) return scaledExpOfProduct(gamma, tc.log1mPt);
  const power = scaledPower(tc.oneMinusPt, gamma);
  const low = tc.oneMinusPtLow;
  return low ? scaledProductOf(power, toScaled(lowCorrection(low / tc.oneMinusPt, gamma))) : power;
}

/**
 * CE = −log_b p_t, scaled. Where it is below the least normal double, p_t is within 2⁻¹⁰²² of 1
 * and CE = (1 − p_t)/ln b to far more than double precision: 1 − p_t exactly (from a
 * probability) or e^(ln(1 − p_t)) (from a logit beyond 708, where σ(−x_t) is subnormal).
 */
export function scaledCrossEntropy(tc: TrueClass, base: LogBase = NATURAL_LOG): Scaled {
  const ce = crossEntropy(tc, base);
  if (ce >= MIN_NORMAL) return toScaled(ce);
  const complement = tc.oneMinusPtPrecise
    ? toScaled(tc.oneMinusPt)
    : scaledExpOfProduct(1, tc.log1mPt);
  if (complement[0] === 0) return [0, 0];
  return scaledQuotient(complement, toScaled(base.lnBase));
}

/** α_t·CE, scaled; 0 whenever α_t = 0. */
export function scaledBalancedCrossEntropy(
  tc: TrueClass,
  alphaT: number,
  base: LogBase = NATURAL_LOG,
): Scaled {
  if (alphaT === 0) return [0, 0];
  return scaledProductOf(toScaled(alphaT), scaledCrossEntropy(tc, base));
}

/** FL = α_t(1 − p_t)^γ·CE, scaled; 0 whenever α_t = 0, +∞ at p_t = 0 otherwise. */
export function scaledFocalLoss(
  tc: TrueClass,
  alphaT: number,
  gamma: number,
  base: LogBase = NATURAL_LOG,
): Scaled {
  if (alphaT === 0) return [0, 0];
  const ce = scaledCrossEntropy(tc, base);
  if (ce[0] === Number.POSITIVE_INFINITY || ce[0] === 0) return ce;
  return scaledProductOf(toScaled(alphaT), scaledFocusingFactor(tc, gamma), ce);
}
