/**
 * An example with a soft target q ∈ [0, 1] (an IoU, a quality score, a smoothed label), the
 * binary cross-entropy against it, and its gradient with respect to the logit.
 *
 * A soft target has no single "true class", so the example keeps both views of its
 * probability: `positive` is the TrueClass of label 1 (p_t = p) and `negative` that of label 0
 * (p_t = 1 − p). Each keeps p, 1 − p and both logarithms exactly, from a logit or from a
 * probability (true-class.ts), so that a loss of the family (Varifocal, Quality Focal, and the
 * soft-target CE and FL still to come) picks the view it needs without recomputing a digit.
 * A hard label is the soft target 0 or 1.
 */
import { type LogBase, NATURAL_LOG } from './log-base.js';
import { type TrueClass, trueClassFromLogit, trueClassFromProbability } from './true-class.js';

export interface SoftTarget {
  /** The target q ∈ [0, 1]. */
  readonly target: number;
  /** The positive class's view: p_t = p = σ(x), 1 − p_t = 1 − p. */
  readonly positive: TrueClass;
  /** The negative class's view: p_t = 1 − p, 1 − p_t = p. */
  readonly negative: TrueClass;
  /** The logit x the example came from, or NaN when it came from a probability. */
  readonly logit: number;
}

/** A logit x and a soft target q: p = σ(x) and 1 − p = σ(−x), both to a few ulp. */
export function softTargetFromLogit(logit: number, target: number): SoftTarget {
  return {
    target,
    positive: trueClassFromLogit(logit, 1),
    negative: trueClassFromLogit(logit, 0),
    logit,
  };
}

/**
 * A probability p of the positive class and a soft target q. p is exact; 1 − p is exact for
 * p ≥ 0.5 and within half an ulp below, and ln(1 − p) is log1p(−p).
 */
export function softTargetFromProbability(p: number, target: number): SoftTarget {
  return {
    target,
    positive: trueClassFromProbability(p, 1),
    negative: trueClassFromProbability(p, 0),
    logit: Number.NaN,
  };
}

/** −w·ln z with the convention 0·ln 0 = 0 (a term whose weight is 0 contributes nothing). */
function weightedNegativeLog(weight: number, logValue: number): number {
  return weight === 0 ? 0 : -weight * logValue;
}

/**
 * Binary cross-entropy against the soft target, BCE = −q·ln p − (1 − q)·ln(1 − p), in base b:
 * what `binary_cross_entropy_with_logits(x, q)` computes (torch, mmdetection).
 *
 * Both terms are ≥ 0, so the sum loses nothing; with ln p = −softplus(−x) and
 * ln(1 − p) = −softplus(x) it keeps a few ulp at logits of ±700. Its minimum over p is the
 * entropy of q (0 only for q ∈ {0, 1}). +∞ where p = 0 and q > 0, or p = 1 and q < 1; a term
 * whose weight is 0 is 0 (so BCE(p = 1, q = 1) = 0). 1 − q is rounded once for q < 0.5.
 */
export function softBinaryCrossEntropy(example: SoftTarget, base: LogBase = NATURAL_LOG): number {
  const q = example.target;
  const loss =
    weightedNegativeLog(q, example.positive.logPt) +
    weightedNegativeLog(1 - q, example.negative.logPt);
  return loss / base.lnBase;
}

/**
 * p − q, the signed distance of the prediction from the target, in the form that cancels
 * least:
 * - from a logit with |x| < 1: σ(x) − 1/2 = tanh(x/2)/2, so p − q = tanh(x/2)/2 + (1/2 − q),
 *   with 1/2 − q exact for q ≥ 1/4 (and no cancellation below, as then p − q > 0.02): at
 *   x = 1e−8, q = 1/2 this keeps every digit of 2.5e−9, where σ(x) − q keeps 8;
 * - where p and q are both ≥ 1/2: (1 − q) − (1 − p), with 1 − q exact (Sterbenz) and 1 − p
 *   held exactly by the example;
 * - else p − q.
 * One rounding after exact or few-ulp terms, so the error is a few ulp of the larger term:
 * within a small factor of the problem's own condition number, |x|·p(1 − p)/|p − q| from a
 * logit, and a few ulp of p − q from an exact probability.
 */
export function predictionGap(example: SoftTarget): number {
  const p = example.positive.pt;
  const q = example.target;
  const x = example.logit;
  if (Math.abs(x) < 1) return 0.5 * Math.tanh(0.5 * x) + (0.5 - q);
  if (p >= 0.5 && q >= 0.5) return 1 - q - example.positive.oneMinusPt;
  return p - q;
}

/**
 * d(BCE)/dx = p − q (see `predictionGap`), in base b divided by ln b. Finite everywhere, also
 * where the loss is +∞ (p = 0 gives −q).
 */
export function softBinaryCrossEntropyGradient(
  example: SoftTarget,
  base: LogBase = NATURAL_LOG,
): number {
  return predictionGap(example) / base.lnBase;
}
