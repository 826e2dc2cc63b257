/**
 * α from the class counts by published heuristics (issue: choosing α), each normalised so that
 * α is the positives' weight in [0, 1]: w_pos/(w_pos + w_neg). Heuristics, not advice: the
 * paper found γ = 2 works best with α = 0.25, because the focusing term already removes most of
 * the imbalance.
 */

/** Inverse frequency, w ∝ 1/n: α = n_neg/(n_neg + n_pos). */
export function inverseFrequencyAlpha(negatives: number, positives: number): number {
  return negatives / (negatives + positives);
}

/** Square-root inverse frequency, w ∝ 1/√n: α = √n_neg/(√n_neg + √n_pos). */
export function sqrtInverseFrequencyAlpha(negatives: number, positives: number): number {
  const [neg, pos] = [Math.sqrt(negatives), Math.sqrt(positives)];
  return neg / (neg + pos);
}

/**
 * The effective number of samples E_n = (1 − β^n)/(1 − β) (Cui et al., CVPR 2019), w ∝ 1/E_n:
 * α = E_neg/(E_neg + E_pos). 1 − β^n is −expm1(n·log1p(β − 1)), exact where β^n is near 1.
 */
export function effectiveNumber(n: number, beta: number): number {
  if (beta === 0) return n === 0 ? 0 : 1;
  return -Math.expm1(n * Math.log1p(beta - 1)) / (1 - beta);
}

export function effectiveNumberAlpha(negatives: number, positives: number, beta: number): number {
  const [neg, pos] = [effectiveNumber(negatives, beta), effectiveNumber(positives, beta)];
  return neg / (neg + pos);
}

/** The paper's choice with γ = 2 (Lin et al. 2017, table 1a). */
export const PAPER_ALPHA = 0.25;
