/**
 * Asymmetric loss, ASL (Ridnik et al., "Asymmetric Loss For Multi-Label Classification",
 * ICCV 2021), as the authors' code computes it (Alibaba-MIIL/ASL, src/loss_functions/losses.py,
 * `AsymmetricLoss`), per example and label:
 *
 * - a positive: L₊ = −(1 − p)^γ₊ · ln p (focal loss with α none and γ = γ₊);
 * - a negative: L₋ = −p_m^γ₋ · ln(1 − p_m), with the shifted probability p_m = max(p − m, 0).
 *
 * The margin m shifts the loss term as well as the weight: the code adds m to 1 − p and clamps
 * at 1 (`xs_neg = (1 − p + clip).clamp(max=1)`) before both the logarithm and the power, so a
 * negative with p ≤ m has no loss and no gradient at all. With m = 0 and γ₊ = γ₋ = γ, ASL is
 * focal loss with α none.
 *
 * Differences from the code, deliberate: the code clamps each probability at eps = 1e−8 before
 * the logarithm (so its loss never exceeds 18.42 per unit weight); here the loss is exact, +∞
 * at p = 0 for a positive. The code's class defaults are γ₋ = 4, γ₊ = 1, clip = 0.05; the
 * paper's recommended setting, `ASL_PAPER`, is γ₊ = 0, γ₋ = 4, m = 0.05. By default
 * (`disable_torch_grad_focal_loss=True`) the code's backward pass treats the weight as a
 * constant; the gradient here is the derivative of the loss itself, as autograd gives with
 * that switch off (and as `AsymmetricLossOptimized` does by default).
 */
import { focalLossGradient } from './gradient.js';
import { type LogBase, NATURAL_LOG } from './log-base.js';
import { focalLoss } from './loss.js';
import type { Label, TrueClass } from './true-class.js';

export interface AsymmetricParameters {
  /** γ₊ ≥ 0, the focusing of positives. */
  readonly gammaPos: number;
  /** γ₋ ≥ 0, the focusing of negatives. */
  readonly gammaNeg: number;
  /** The probability margin m ∈ [0, 1) that shifts negatives: p_m = max(p − m, 0). */
  readonly margin: number;
}

/** The paper's setting (section 4): γ₊ = 0, γ₋ = 4, m = 0.05. */
export const ASL_PAPER: AsymmetricParameters = Object.freeze({
  gammaPos: 0,
  gammaNeg: 4,
  margin: 0.05,
});

/**
 * A negative's shifted probability and its complement. p = 1 − p_t is held exactly by the
 * example; p_m = p − m is one subtraction (exact by Sterbenz near the margin). 1 − p_m is
 * p_t + m where p_m ≥ 1/2 (p_t is then held to a few ulp, while 1 − p_m would cancel), else
 * 1 − p_m; ln(1 − p_m) is log1p(−p_m) below 1/2, where it is small.
 */
/**
 * Where ASL is focal loss with α none (a positive, or a negative without margin): the γ of
 * that focal loss; undefined for a negative that the margin shifts.
 */
function focalGamma(y: Label, { gammaPos, gammaNeg, margin }: AsymmetricParameters) {
  if (y === 1) return gammaPos;
  return margin === 0 ? gammaNeg : undefined;
}

function shiftedNegative(tc: TrueClass, margin: number) {
  const pm = tc.oneMinusPt - margin;
  const upper = pm >= 0.5;
  const complement = upper ? tc.pt + margin : 1 - pm;
  const logComplement = upper ? Math.log(complement) : Math.log1p(-pm);
  return { pm, complement, logComplement };
}

/**
 * ASL of one label of an example, in base b. `tc` is the example's true class for label y (so
 * for a negative p = 1 − p_t).
 *
 * Special values: a positive at p = 0 (a probability) gives +∞, at p = 1 gives 0; a negative
 * with p ≤ m gives 0 (for every γ₋, also 0), at p = 1 it gives −(1 − m)^γ₋·ln m, finite for
 * m > 0. Precision: a few ulp plus about γ ulp, for an exact p; from a logit, the error of
 * σ(x) is amplified by p/p_m near the margin (the problem's condition number).
 */
export function asymmetricLoss(
  tc: TrueClass,
  y: Label,
  parameters: AsymmetricParameters = ASL_PAPER,
  base: LogBase = NATURAL_LOG,
): number {
  const gamma = focalGamma(y, parameters);
  if (gamma !== undefined) return focalLoss(tc, 1, gamma, base);
  const { pm, logComplement } = shiftedNegative(tc, parameters.margin);
  if (pm <= 0) return 0;
  return (pm ** parameters.gammaNeg * -logComplement) / base.lnBase;
}

/**
 * d(ASL)/dx, with respect to the logit. A positive: dFL/dx with γ₊ (gradient.ts). A negative
 * with p > m, using dp/dx = p(1 − p):
 *
 *   dL₋/dx = p·(1 − p)·p_m^γ₋·[γ₋·(−ln(1 − p_m))/p_m + 1/(1 − p_m)],
 *
 * where −ln(1 − p_m)/p_m → 1 as p_m → 0, so no term is 0·∞ (no NaN for γ₋ < 1 either), and
 * both terms are ≥ 0 (no cancellation). A negative with p < m: 0 (p_m is constant there). At
 * p = m exactly, the derivative from above, as torch's clamp passes the gradient at its bound:
 * 0 for γ₋ > 0, p(1 − p) for γ₋ = 0.
 */
export function asymmetricLossGradient(
  tc: TrueClass,
  y: Label,
  parameters: AsymmetricParameters = ASL_PAPER,
  base: LogBase = NATURAL_LOG,
): number {
  const gamma = focalGamma(y, parameters);
  if (gamma !== undefined) return focalLossGradient(tc, 1, gamma, y, base);
  const { gammaNeg } = parameters;
  const { pm, complement, logComplement } = shiftedNegative(tc, parameters.margin);
  if (pm < 0) return 0;
  const p = tc.oneMinusPt;
  if (pm === 0) return gammaNeg === 0 ? (p * tc.pt) / base.lnBase : 0;
  const bracket = (gammaNeg * -logComplement) / pm + 1 / complement;
  return timesPt(tc, p * pm ** gammaNeg * bracket) / base.lnBase;
}

const MIN_NORMAL = 2 ** -1022;

/**
 * p_t·k. Where a logit made p_t subnormal (x > 708 for a negative) its few remaining bits
 * would be all the product keeps, so p_t is rebuilt from ln p_t (accurate to far below an ulp
 * there, as softplus(x) rounds to x): e^(ln p_t + 512)·k·e^(−512), where ln p_t + 512 is
 * exact (Sterbenz) and both exponentials normal, so a few ulp.
 */
function timesPt(tc: TrueClass, k: number): number {
  if (tc.pt >= MIN_NORMAL || k === 0 || tc.logPt === Number.NEGATIVE_INFINITY) return tc.pt * k;
  return Math.exp(tc.logPt + 512) * k * Math.exp(-512);
}
