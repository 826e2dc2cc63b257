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

/**
 * Φ⁻¹(0.99), the standard normal's 99% point, rounded to a double (mpmath: √2·erfinv(0.98) =
 * 2.3263478740408411009…). The analysis needs only the 1%, 50% and 99% points, and
 * Φ⁻¹(0.01) = −Φ⁻¹(0.99) exactly, so a constant replaces a general quantile function.
 */
export const NORMAL_Q99 = 2.326347874040841;

/**
 * Standard deviation of the pre-activation wx = Σ w_i x_i of a fresh layer: fan-in n, weights
 * from N(0, S²), inputs with mean M and standard deviation D. Each product w_i·x_i has mean 0
 * and variance S²(D² + M²) (independent factors), so the sum has variance n·S²·(D² + M²).
 * Formed as √n·S·hypot(D, M) so that no square overflows or underflows on the way; the
 * result itself is +∞ (or 0) only where the true value is beyond the doubles, and the
 * quantiles are then their limits 0 and 1 (or π).
 */
export function preActivationStd(
  fanIn: number,
  weightStd: number,
  inputMean: number,
  inputStd: number,
): number {
  return Math.sqrt(fanIn) * weightStd * Math.hypot(inputStd, inputMean);
}

/**
 * σ(b + t) where σ(b) = π: the probability of an example whose pre-activation lies t above
 * the prior bias. Written with π itself, π/(π + (1 − π)e^(−t)) for t ≥ 0 and
 * πe^t/(πe^t + (1 − π)) for t < 0, so the rounding of the bias b never enters and no exp
 * overflows; both denominators are sums of positive terms. t = 0 gives π exactly.
 */
export function shiftedPrior(pi: number, shift: number): number {
  if (shift === 0 || pi === 0 || pi === 1) return pi;
  if (shift > 0) return pi / (pi + (1 - pi) * Math.exp(-shift));
  const scaled = pi * Math.exp(shift);
  return scaled / (scaled + (1 - pi));
}

/**
 * The z-quantile of the initial probability σ(b + wx), taking wx as normal with mean 0 and
 * standard deviation `wxStd` (the central-limit approximation: poor for a small fan-in, where
 * wx is a sum of few products of Gaussians, whose tails are heavier; `focal bias-init` uses
 * wx's exact law instead, `preActivationQuantile` in spread.ts, and `shiftedPrior`). σ is increasing, so the
 * quantile of p is σ of the quantile of b + wx. z = 0 (the median) gives π whatever the spread.
 */
export function initialProbabilityQuantile(pi: number, wxStd: number, z: number): number {
  return z === 0 ? pi : shiftedPrior(pi, z * wxStd);
}
