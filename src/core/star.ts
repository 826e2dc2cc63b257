/**
 * FL*, the paper's alternative focal loss (appendix A; math.md, "FL*"):
 * p*_t = σ(γ·x_t + β), FL* = −α_t·ln p*_t / γ, d(FL*)/dx = α_t·y'·(p*_t − 1), for γ > 0.
 * fvcore's `sigmoid_focal_loss_star` is this with β = 0. ln σ(z) is −softplus(−z) and
 * p*_t − 1 is −σ(−z), so both keep their digits at the extremes (logits of ±700).
 *
 * The shifted logit z = γ·x_t + β is held as z_hi + z_lo, exactly: γ·x_t by Dekker's product
 * and the addition of β by Knuth's two-sum. Rounding z first would cost |z|·2⁻⁵³ in ln σ(z)
 * where σ(z) is near 1 (hundreds of ulp at a logit of 700 for γ = 3); the first-order
 * correction z_lo·σ(−z_hi) (resp. −z_lo·σ(z_hi) relative to σ(−z_hi)) restores them.
 */
import { exactProduct } from './exact.js';
import { type LogBase, NATURAL_LOG } from './log-base.js';
import { logSigmoid, sigmoid } from './sigmoid.js';
import type { Label } from './true-class.js';

/** FL*'s shifted logit z = γ·x_t + β, with x_t = (2y − 1)·x, as hi + lo (exact where finite). */
function shiftedLogit(logit: number, y: Label, gamma: number, beta: number): [number, number] {
  const [p, e] = exactProduct(gamma, y === 1 ? logit : -logit);
  const s = p + beta;
  if (!Number.isFinite(s)) return [s, 0];
  const v = s - p;
  const sumError = p - (s - v) + (beta - v);
  return [s, e + sumError];
}

/** FL* of a logit and its label; γ > 0. With γ = 1, β = 0 and α_t = 1 it is CE. */
export function focalLossStar(
  logit: number,
  y: Label,
  alphaT: number,
  gamma: number,
  beta: number,
  base: LogBase = NATURAL_LOG,
): number {
  if (alphaT === 0) return 0;
  const [hi, lo] = shiftedLogit(logit, y, gamma, beta);
  // ln σ(hi + lo) = ln σ(hi) + lo·σ(−hi) + O(lo²).
  const logStar = lo === 0 ? logSigmoid(hi) : logSigmoid(hi) + lo * sigmoid(-hi);
  return (-alphaT * logStar) / gamma / base.lnBase;
}

/** d(FL*)/dx = α_t·y'·(p*_t − 1) = −α_t·y'·σ(−(γ·x_t + β)). */
export function focalLossStarGradient(
  logit: number,
  y: Label,
  alphaT: number,
  gamma: number,
  beta: number,
  base: LogBase = NATURAL_LOG,
): number {
  if (alphaT === 0) return 0;
  const sign = y === 1 ? 1 : -1;
  const [hi, lo] = shiftedLogit(logit, y, gamma, beta);
  // σ(−(hi + lo)) = σ(−hi)·(1 − lo·σ(hi)) + O(lo²).
  const tail = lo === 0 ? sigmoid(-hi) : sigmoid(-hi) * (1 - lo * sigmoid(hi));
  return (-alphaT * sign * tail) / base.lnBase;
}
