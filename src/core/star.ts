/**
 * FL*, the paper's alternative focal loss (appendix A; math.md, "FL*"):
 * p*_t = σ(γ·x_t + β), FL* = −α_t·ln p*_t / γ, d(FL*)/dx = α_t·y'·(p*_t − 1), for γ > 0.
 * fvcore's `sigmoid_focal_loss_star` is this with β = 0. ln σ(z) is −softplus(−z) and
 * p*_t − 1 is −σ(−z), so both keep their digits at the extremes (logits of ±700).
 */
import { type LogBase, NATURAL_LOG } from './log-base.js';
import { logSigmoid, sigmoid } from './sigmoid.js';
import type { Label } from './true-class.js';

/** FL*'s shifted logit z = γ·x_t + β, with x_t = (2y − 1)·x. */
function shiftedLogit(logit: number, y: Label, gamma: number, beta: number): number {
  return gamma * (y === 1 ? logit : -logit) + beta;
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
  return (-alphaT * logSigmoid(shiftedLogit(logit, y, gamma, beta))) / gamma / base.lnBase;
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
  return (-alphaT * sign * sigmoid(-shiftedLogit(logit, y, gamma, beta))) / base.lnBase;
}
