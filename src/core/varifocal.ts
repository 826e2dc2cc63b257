/**
 * Varifocal loss, VFL (Zhang et al., "VarifocalNet: An IoU-aware Dense Object Detector",
 * CVPR 2021), as mmdetection's `varifocal_loss` computes it (mmdet/models/losses/
 * varifocal_loss.py, also in the authors' VarifocalNet repository), per example with soft
 * target q ∈ [0, 1] (the IoU of the predicted box with its ground truth, 0 for a negative):
 *
 * - q > 0: q·BCE(p, q) (`iou_weighted=True`, the default), or BCE(p, q) when not IoU-weighted;
 * - q = 0: α·p^γ·BCE(p, 0) = −α·p^γ·ln(1 − p).
 *
 * α weighs negatives, not positives as in focal loss: a negative's VFL is the focal loss of a
 * negative with α_t = α. Defaults α = 0.75, γ = 2 (`VFL_DEFAULTS`). The weight is not detached
 * in mmdetection, so the gradient below differentiates it too.
 */
import { focalLossGradient } from './gradient.js';
import { type LogBase, NATURAL_LOG } from './log-base.js';
import { focalLoss } from './loss.js';
import {
  type SoftTarget,
  softBinaryCrossEntropy,
  softBinaryCrossEntropyGradient,
} from './soft-target.js';
import type { TrueClass } from './true-class.js';

export interface VarifocalParameters {
  /** α ≥ 0, the weight of negatives (mmdetection asserts α ≥ 0). */
  readonly alpha: number;
  /** γ ≥ 0, the focusing of negatives. */
  readonly gamma: number;
  /** Whether a positive's BCE is weighted by its target q (mmdetection's `iou_weighted`). */
  readonly iouWeighted: boolean;
}

/** mmdetection's and the paper's defaults: α = 0.75, γ = 2, IoU-weighted. */
export const VFL_DEFAULTS: VarifocalParameters = Object.freeze({
  alpha: 0.75,
  gamma: 2,
  iouWeighted: true,
});

/**
 * VFL of an example with soft target q, in base b. A negative (q = 0) is
 * `focalLoss(example.negative, α, γ)`; a positive is q·BCE (or BCE) with BCE ≥ 0 summed
 * without cancellation. Precision: a few ulp plus about γ ulp. +∞ where p = 1 for a negative
 * or p = 0 for a positive (probabilities); 0 for a negative at p = 0.
 */
export function varifocalLoss(
  example: SoftTarget,
  parameters: VarifocalParameters = VFL_DEFAULTS,
  base: LogBase = NATURAL_LOG,
): number {
  return varifocal(
    example,
    parameters,
    (negative, alpha, gamma) => focalLoss(negative, alpha, gamma, base),
    (positive) => softBinaryCrossEntropy(positive, base),
  );
}

/**
 * VFL's two cases, for the loss and its gradient alike: a negative (q = 0) is FL's `negative`
 * with α_t = α; a positive is q·`positive` (or `positive` alone without IoU weighting).
 */
function varifocal(
  example: SoftTarget,
  { alpha, gamma, iouWeighted }: VarifocalParameters,
  negative: (tc: TrueClass, alpha: number, gamma: number) => number,
  positive: (example: SoftTarget) => number,
): number {
  const q = example.target;
  if (q <= 0) return negative(example.negative, alpha, gamma);
  const value = positive(example);
  return iouWeighted ? q * value : value;
}

/**
 * d(VFL)/dx. A positive: q·(p − q) (or p − q), p − q computed without cancellation near 1
 * (soft-target.ts). A negative: dFL/dx of the negative with α_t = α,
 * α·p^γ·[γ(1 − p)(−ln(1 − p)) + p], both terms ≥ 0, and 0 at p = 0 for γ > 0; no NaN at p = 0
 * or p = 1 for any γ, also 0 < γ < 1.
 */
export function varifocalLossGradient(
  example: SoftTarget,
  parameters: VarifocalParameters = VFL_DEFAULTS,
  base: LogBase = NATURAL_LOG,
): number {
  return varifocal(
    example,
    parameters,
    (negative, alpha, gamma) => focalLossGradient(negative, alpha, gamma, 0, base),
    (positive) => softBinaryCrossEntropyGradient(positive, base),
  );
}
