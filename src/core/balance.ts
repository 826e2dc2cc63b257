/**
 * α from the class counts by published heuristics (issue: choosing α), each normalised so that
 * α is the positives' weight in [0, 1]: w_pos/(w_pos + w_neg). Heuristics, not advice: the
 * paper found γ = 2 works best with α = 0.25, because the focusing term already removes most of
 * the imbalance.
 */

/**
 * Inverse frequency, w ∝ 1/n: α = n_neg/(n_neg + n_pos). Where the sum of the counts overflows
 * (two counts near 1.8e308) both are halved first, which is exact there.
 */
export function inverseFrequencyAlpha(negatives: number, positives: number): number {
  const sum = negatives + positives;
  if (
    sum !== Number.POSITIVE_INFINITY ||
    !Number.isFinite(negatives) ||
    !Number.isFinite(positives)
  )
    return negatives / sum;
  return negatives / 2 / (negatives / 2 + positives / 2);
}

/** Square-root inverse frequency, w ∝ 1/√n: α = √n_neg/(√n_neg + √n_pos). */
export function sqrtInverseFrequencyAlpha(negatives: number, positives: number): number {
  const [neg, pos] = [Math.sqrt(negatives), Math.sqrt(positives)];
  return neg / (neg + pos);
}

/** Below this |n·ln β|, 1 − βⁿ = −n·ln β to far more than double precision. */
const LINEAR = 2 ** -900;
/** The scale of an effective number in its linear regime, so that it stays a normal double. */
const SCALE = 2 ** 1000;

/** ln β: log1p(β − 1) where β − 1 is exact (β ≥ 1/2), ln β below. */
function logBeta(beta: number): number {
  return beta >= 0.5 ? Math.log1p(beta - 1) : Math.log(beta);
}

/**
 * E_n as [v, scaled]: E_n = v, or E_n = v / 2^1000 when `scaled` (the linear regime of a tiny
 * n·ln β, where E_n would be subnormal or 0 and lose its digits).
 */
function scaledEffectiveNumber(n: number, beta: number): [v: number, scaled: boolean] {
  if (n === 0) return [0, false];
  if (beta === 0) return [1, false];
  const log = logBeta(beta);
  const x = n * log;
  if (Math.abs(x) >= LINEAR) return [-Math.expm1(x) / (1 - beta), false];
  // 1 − βⁿ = −x·(1 + x/2 + …) = −x to within 2^−900: exact in the scaled form.
  return [(n * SCALE * -log) / (1 - beta), true];
}

/**
 * The effective number of samples E_n = (1 − βⁿ)/(1 − β) (Cui et al., CVPR 2019), w ∝ 1/E_n:
 * α = E_neg/(E_neg + E_pos). 1 − βⁿ is −expm1(n·ln β), with ln β = log1p(β − 1) for β ≥ 1/2
 * (exact where βⁿ is near 1) and ln β below; where n·ln β is tiny (|n·ln β| < 2^−900, as for a
 * subnormal count) it is −n·ln β, formed without underflow, so E_n is correctly rounded
 * to within a few ulp even when it is subnormal.
 */
export function effectiveNumber(n: number, beta: number): number {
  const [v, scaled] = scaledEffectiveNumber(n, beta);
  return scaled ? v / SCALE : v;
}

/**
 * α = E_neg/(E_neg + E_pos), from the scaled effective numbers: a tiny count keeps its
 * share's digits (E_neg and E_pos are never both rounded to subnormals or 0).
 */
export function effectiveNumberAlpha(negatives: number, positives: number, beta: number): number {
  const [neg, negScaled] = scaledEffectiveNumber(negatives, beta);
  const [pos, posScaled] = scaledEffectiveNumber(positives, beta);
  if (negScaled === posScaled || neg === 0 || pos === 0) return neg / (neg + pos);
  // One is scaled by 2^1000 and the other not: the scaled one is < 2^-800 of the other.
  if (negScaled) return neg / pos / SCALE / (1 + neg / pos / SCALE);
  return 1 / (1 + pos / neg / SCALE);
}

/** The paper's choice with γ = 2 (Lin et al. 2017, table 1a). */
export const PAPER_ALPHA = 0.25;
