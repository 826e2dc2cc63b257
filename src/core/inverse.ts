/**
 * The inverse question of the modulating weight: at which p_t is FL k times below CE?
 * α_t(1 − p_t)^γ = 1/k gives p_t = 1 − (k·α_t)^(−1/γ), computed as −expm1(−ln(k·α_t)/γ) so
 * that p_t near 1 keeps its digits. The paper's 100× at p_t = 0.9 and ≈ 1000× at 0.968
 * (γ = 2, α_t = 1) come out exactly.
 */

/**
 * The p_t in [0, 1] where the weight is 1/`factor`, or null where none is: γ = 0 (the weight
 * does not depend on p_t) or factor·α_t < 1 (the weight is at most α_t, at p_t = 0).
 */
export function ptForFactor(factor: number, alphaT: number, gamma: number): number | null {
  const scaled = factor * alphaT;
  if (gamma === 0 || !(scaled >= 1)) return null;
  // ln(k·α_t) without overflow of the product: the sum of the logs.
  const log = Math.log(factor) + Math.log(alphaT);
  return -Math.expm1(-log / gamma);
}
