/**
 * Quality Focal Loss, QFL (Li et al., "Generalized Focal Loss", NeurIPS 2020), as
 * mmdetection's `quality_focal_loss` computes it (mmdet/models/losses/gfocal_loss.py):
 *
 *   QFL = BCE(p, y)·|y − p|^β,  BCE(p, y) = −y·ln p − (1 − y)·ln(1 − p),
 *
 * with y ∈ [0, 1] the quality (IoU) target, 0 for a negative, and β = 2 by default. At
 * y ∈ {0, 1} it is focal loss with γ = β and α none. The scale factor is not detached in
 * mmdetection, so the gradient below differentiates it too.
 */
import { focalLossGradient } from './gradient.js';
import { type LogBase, NATURAL_LOG } from './log-base.js';
import { focalLoss } from './loss.js';
import { predictionGap, type SoftTarget, softBinaryCrossEntropy } from './soft-target.js';
import type { Label, TrueClass } from './true-class.js';

/** The paper's and mmdetection's β. */
export const QFL_BETA = 2;

/**
 * QFL of an example with quality target y, in base b. At y = 1 and y = 0 it is `focalLoss` of
 * the positive or negative view with γ = β (exactly). Otherwise BCE (two terms ≥ 0) times
 * |y − p|^β, with |y − p| from `predictionGap` (no cancellation near 1). Precision: a few ulp
 * plus about β ulp for an exact p; from a logit, the error of σ(x) is amplified by
 * β·min(p, 1 − p)/|y − p| (the condition number of |y − p|^β). 0 at p = y, +∞ at p = 0 with
 * y > 0 and at p = 1 with y < 1 (probabilities).
 */
export function qualityFocalLoss(
  example: SoftTarget,
  beta: number = QFL_BETA,
  base: LogBase = NATURAL_LOG,
): number {
  const hard = hardTarget(example);
  if (hard !== undefined) return focalLoss(hard, 1, beta, base);
  const bce = softBinaryCrossEntropy(example, base);
  // BCE is +∞ only where |y − p| is q or 1 − q > 0, whose power may underflow: ∞, not ∞·0.
  if (bce === Number.POSITIVE_INFINITY) return bce;
  return bce * Math.abs(predictionGap(example)) ** beta;
}

/**
 * d(QFL)/dx. With D = |y − p|, s = sign(p − y) and dp/dx = p(1 − p):
 *
 *   dQFL/dx = s·[D^(β+1) + β·BCE·p(1 − p)·D^(β−1)],
 *
 * both terms ≥ 0 (no cancellation). At p = y the loss has its minimum: the derivative is 0
 * for β > 1, and for β ≤ 1 (a corner or a cusp, no derivative) 0 is returned, a subgradient
 * there (for β = 0, QFL is BCE and its derivative p − y is 0 too). The second term is 0 where
 * p(1 − p) = 0 (p = 0 or 1 from a probability, where BCE may be +∞: its limit), so the
 * gradient is finite everywhere: −y^(β+1) at p = 0. At y ∈ {0, 1}: `focalLossGradient` with
 * γ = β.
 */
export function qualityFocalLossGradient(
  example: SoftTarget,
  beta: number = QFL_BETA,
  base: LogBase = NATURAL_LOG,
): number {
  const hard = hardTarget(example);
  if (hard !== undefined) return focalLossGradient(hard, 1, beta, example.target as Label, base);
  const signed = predictionGap(example);
  if (signed === 0) return 0;
  const gap = Math.abs(signed);
  const slope = example.positive.pt * example.positive.oneMinusPt;
  const scaled = beta === 0 || slope === 0 ? 0 : beta * softBinaryCrossEntropy(example) * slope;
  const curved = scaled === 0 ? 0 : timesGapPower(scaled, gap, beta - 1);
  return (Math.sign(signed) * (gap ** (beta + 1) + curved)) / base.lnBase;
}

/** At a target of 1 or 0 QFL is FL (γ = β) of this view of the example; else undefined. */
function hardTarget(example: SoftTarget): TrueClass | undefined {
  if (example.target === 1) return example.positive;
  return example.target === 0 ? example.negative : undefined;
}

/**
 * k·D^e for e ≥ −1. D^e alone overflows only for e < 0 and D below about 1e−308^(1/|e|); there
 * it is (k/D)·D^(e+1). (Forming k·D^(e+1) first and dividing by D would underflow instead.)
 */
function timesGapPower(k: number, gap: number, exponent: number): number {
  const power = gap ** exponent;
  return Number.isFinite(power) ? k * power : (k / gap) * gap ** (exponent + 1);
}
