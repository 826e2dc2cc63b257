/**
 * The logistic function and its logarithms, in forms that keep every digit.
 *
 * See `math.md`, "Computing them without losing precision": `1 − σ(x)` is never formed by
 * subtraction (at x = 40 it would be 0 instead of 4.25e−18); `σ(−x)` is used instead.
 */

/**
 * The logistic sigmoid σ(x) = 1/(1 + e^(−x)).
 *
 * For negative x it is evaluated as e^x/(1 + e^x), so that tiny probabilities keep their
 * relative precision (σ(−700) ≈ 9.86e−305, not 0) and no intermediate overflows.
 * Special values: σ(+∞) = 1, σ(−∞) = 0, σ(NaN) = NaN. Relative error: a few ulp.
 */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const ex = Math.exp(x);
  return ex / (1 + ex);
}

/**
 * softplus(z) = ln(1 + e^z), computed as max(z, 0) + log1p(e^(−|z|)).
 *
 * Never overflows (softplus(1000) = 1000) and keeps relative precision for very negative z
 * (softplus(−40) = 4.25e−18). Special values: softplus(+∞) = +∞, softplus(−∞) = 0.
 */
export function softplus(z: number): number {
  if (z === Number.POSITIVE_INFINITY) return z;
  return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
}

/** ln σ(x) = −softplus(−x): the log-probability of a logit, exact at both extremes. */
export function logSigmoid(x: number): number {
  return -softplus(-x);
}
