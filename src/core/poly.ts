/**
 * Poly-1 losses (Leng et al., "PolyLoss: A Polynomial Expansion Perspective of Classification
 * Loss Functions", ICLR 2022), as the paper's code listings compute them:
 *
 * - Poly-1 CE: −ln p_t + ε·(1 − p_t);
 * - Poly-1 FL: FL + ε·(1 − p_t)^(γ+1), with FL = −α_t(1 − p_t)^γ ln p_t.
 *
 * ε may be negative. Since −ln p_t ≥ 1 − p_t, with equality in the limit p_t → 1, Poly-1 CE
 * stays ≥ 0 for every p_t exactly when ε ≥ −1; Poly-1 FL is (1 − p_t)^γ·[α_t(−ln p_t) +
 * ε(1 − p_t)], ≥ 0 exactly when ε ≥ −α_t (−1 with α none). `poly1MinimumEpsilon` gives that
 * bound. The paper's listing has no α; with α, here as in most ports, α_t weighs the FL term
 * only. With p_t from softmax logits (softmax.ts) these are the multi-class losses of the paper.
 *
 * Precision: for ε < 0 the two terms have opposite signs, and near p_t = 1 the naive sum
 * cancels entirely (at ε = −1 and 1 − p_t = 1e−10 the loss is 5e−21). The loss is therefore
 * computed as α_t·D + (α_t + ε)(1 − p_t), times (1 − p_t)^γ for FL, with
 * D = −ln p_t − (1 − p_t) ≥ 0 from a series without cancellation: for ε ≥ −α_t every term is
 * ≥ 0, and the result is good to a few ulp plus about γ ulp. Below −α_t the loss changes sign
 * somewhere, and near that zero only absolute accuracy (to the size of the terms) is possible.
 */
import { crossEntropyGradient, focalLossGradient } from './gradient.js';
import { type LogBase, NATURAL_LOG } from './log-base.js';
import { crossEntropy, focalLoss, focusingFactor } from './loss.js';
import type { Label, TrueClass } from './true-class.js';

/**
 * The least ε for which Poly-1 FL stays ≥ 0 at every p_t: −α_t (−1 for Poly-1 CE, α_t = 1).
 * Over both classes with α given, the bound is −min(α, 1 − α).
 */
export function poly1MinimumEpsilon(alphaT = 1): number {
  return -alphaT;
}

/**
 * D = −ln p_t − (1 − p_t) ≥ 0, CE minus its first Poly term. With u = 1 − p_t and
 * t = u/(2 − u): −ln(1 − u) = 2·atanh(t) = 2(t + t³/3 + t⁵/5 + …) and 2t − u = u²/(2 − u), so
 * D = u²/(2 − u) + 2(t³/3 + t⁵/5 + …), every term ≥ 0. Used for u ≤ 1/2 (t ≤ 1/3, at most
 * 17 terms); above, −ln p_t − u has a condition number below 6. +∞ at p_t = 0.
 */
export function entropyExcess(tc: TrueClass): number {
  const u = tc.oneMinusPt;
  if (u > 0.5) return -tc.logPt - u;
  const t = u / (2 - u);
  const t2 = t * t;
  let power = t * t2;
  let series = 0;
  for (let k = 3; power !== 0; k += 2) {
    const term = power / k;
    series += term;
    if (term <= series * 1e-17) break;
    power *= t2;
  }
  return (u * u) / (2 - u) + 2 * series;
}

/**
 * Poly-1 CE = −ln p_t + ε(1 − p_t), in base b. With ε = 0 it is `crossEntropy` exactly.
 * +∞ at p_t = 0, 0 at p_t = 1.
 */
export function poly1CrossEntropy(
  tc: TrueClass,
  epsilon: number,
  base: LogBase = NATURAL_LOG,
): number {
  if (epsilon === 0) return crossEntropy(tc, base);
  const u = tc.oneMinusPt;
  const loss = epsilon > 0 ? -tc.logPt + epsilon * u : entropyExcess(tc) + (1 + epsilon) * u;
  return loss / base.lnBase;
}

/**
 * Poly-1 FL = −α_t(1 − p_t)^γ ln p_t + ε(1 − p_t)^(γ+1), in base b. With ε = 0 it is
 * `focalLoss` exactly. +∞ at p_t = 0 when α_t > 0 (ε when α_t = 0), 0 at p_t = 1.
 */
export function poly1FocalLoss(
  tc: TrueClass,
  alphaT: number,
  gamma: number,
  epsilon: number,
  base: LogBase = NATURAL_LOG,
): number {
  if (epsilon === 0) return focalLoss(tc, alphaT, gamma, base);
  const u = tc.oneMinusPt;
  const factor = focusingFactor(tc, gamma);
  if (epsilon > 0) {
    const fl = alphaT === 0 ? 0 : alphaT * factor * -tc.logPt;
    return (fl + epsilon * focusingFactor(tc, gamma + 1)) / base.lnBase;
  }
  const excess = alphaT === 0 ? 0 : alphaT * entropyExcess(tc);
  return (factor * (excess + (alphaT + epsilon) * u)) / base.lnBase;
}

/**
 * d(Poly-1 CE)/dx = −y'·(1 − p_t)·(1 + ε·p_t), y' = 2y − 1. For ε < 0 the bracket is
 * (1 + ε) − ε(1 − p_t): two terms ≥ 0 for ε ≥ −1. With ε = 0 it is `crossEntropyGradient`.
 */
export function poly1CrossEntropyGradient(
  tc: TrueClass,
  epsilon: number,
  y: Label,
  base: LogBase = NATURAL_LOG,
): number {
  if (epsilon === 0) return crossEntropyGradient(tc, y, base);
  const sign = y === 1 ? 1 : -1;
  const u = tc.oneMinusPt;
  const bracket = epsilon > 0 ? 1 + epsilon * tc.pt : 1 + epsilon - epsilon * u;
  return (-sign * u * bracket) / base.lnBase;
}

/**
 * d(Poly-1 FL)/dx = y'(1 − p_t)^γ·[α_t(γ p_t ln p_t − (1 − p_t)) − ε(γ + 1)p_t(1 − p_t)],
 * rearranged (with −ln p_t = (1 − p_t) + D, see `entropyExcess`) as
 *
 *   −y'(1 − p_t)^γ·{(1 − p_t)·[α_t(1 − p_t) + (α_t + ε)(γ + 1)p_t] + α_t·γ·p_t·D},
 *
 * every term ≥ 0 for ε ≥ −α_t, so no cancellation where the naive bracket has it. p_t·D is
 * taken at its limit 0 at p_t = 0; no NaN at p_t = 1 for 0 < γ < 1. With ε = 0 it is
 * `focalLossGradient`.
 */
export function poly1FocalLossGradient(
  tc: TrueClass,
  alphaT: number,
  gamma: number,
  epsilon: number,
  y: Label,
  base: LogBase = NATURAL_LOG,
): number {
  if (epsilon === 0) return focalLossGradient(tc, alphaT, gamma, y, base);
  const sign = y === 1 ? 1 : -1;
  const { pt, oneMinusPt: u } = tc;
  const linear = u * (alphaT * u + (alphaT + epsilon) * (gamma + 1) * pt);
  const curved =
    alphaT === 0 || gamma === 0 || pt === 0 ? 0 : alphaT * gamma * pt * entropyExcess(tc);
  return (-sign * focusingFactor(tc, gamma) * (linear + curved)) / base.lnBase;
}
