/**
 * Prior-probability initialisation of the final classifier's bias (Lin et al. 2017, §3.3).
 */
import { sigmoid } from './sigmoid.js';

/**
 * The bias b = ln(π/(1 − π)) that makes a fresh classifier output p = σ(b) = π.
 *
 * Always in natural-log units: the sigmoid is base e, so a base-10 "bias" (the seed's −2.0
 * for π = 0.01) would start the network at σ(−2) ≈ 0.12, not 0.01.
 * Near π = 1/2 it is log1p((2π − 1)/(1 − π)), whose inputs are exact there, so the bias keeps
 * its relative precision instead of cancelling; elsewhere ln π − log1p(−π), whose two terms
 * differ by more than a factor 4 and cannot cancel.
 * π = 0 gives −∞, π = 1 gives +∞, π = 1/2 gives exactly 0.
 */
export function priorBias(pi: number): number {
  if (pi >= 0.25 && pi <= 0.75) return Math.log1p((2 * pi - 1) / (1 - pi));
  return Math.log(pi) - Math.log1p(-pi);
}

/** σ(b): the probability every anchor starts with, the check that the bias is right. */
export function initialProbability(bias: number): number {
  return sigmoid(bias);
}
