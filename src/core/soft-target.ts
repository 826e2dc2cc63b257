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
import { crossEntropy, focalLoss, modulatingWeight } from './loss.js';
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

const MIN_NORMAL = 2 ** -1022;

/** ln(e^a + e^b) for a, b ≤ 0 (−∞ allowed): the larger plus log1p of the other's ratio. */
function logAddExp(a: number, b: number): number {
  const hi = Math.max(a, b);
  if (hi === Number.NEGATIVE_INFINITY) return hi;
  return hi + Math.log1p(Math.exp(Math.min(a, b) - hi));
}

/** Whether the target is a hard label, 0 or 1. */
export function isHardTarget(target: number): target is 0 | 1 {
  return target === 0 || target === 1;
}

/**
 * The soft p_t of torchvision's `sigmoid_focal_loss` and Keras's `BinaryFocalCrossentropy`,
 * p_t = p·q + (1 − p)(1 − q), held as a TrueClass so that the focusing factor (1 − p_t)^γ
 * (`focusingFactor`) and the weight take it as they take a hard example's.
 *
 * For q ∈ {0, 1} it is the example's hard view (`positive` or `negative`) itself, so every
 * loss of a hard target is today's to the bit. For 0 < q < 1, both p_t and
 * 1 − p_t = p(1 − q) + (1 − p)q are sums of two products of non-negative terms held to a few
 * ulp (p and 1 − p from the example, q exact, 1 − q exact for q ≥ 1/2), so each keeps its
 * relative precision (a few ulp); ln(1 − p_t) is formed from the logarithms where 1 − p_t is
 * below the least normal double. ln p_t is log(p_t) (not used by the soft losses, whose
 * cross-entropy is the BCE against q).
 */
export function softTrueClass(example: SoftTarget): TrueClass {
  const q = example.target;
  if (q === 1) return example.positive;
  if (q === 0) return example.negative;
  const { positive, negative } = example;
  const r = 1 - q;
  const pt = positive.pt * q + negative.pt * r;
  const oneMinusPt = positive.oneMinusPt * q + negative.oneMinusPt * r;
  const precise = oneMinusPt >= MIN_NORMAL;
  const log1mPt = precise
    ? Math.log(oneMinusPt)
    : logAddExp(Math.log(q) + positive.log1mPt, Math.log(r) + negative.log1mPt);
  return {
    pt,
    oneMinusPt,
    logPt: Math.log(pt),
    log1mPt,
    ptExact: false,
    oneMinusPtPrecise: precise,
  };
}

/**
 * α_t for a soft target, α·q + (1 − α)(1 − q) (torchvision, Keras with
 * apply_class_balancing); 1 when α is off (null). Equal to `alphaT` for q ∈ {0, 1}, to the bit.
 */
export function softAlphaT(alpha: number | null, q: number): number {
  if (alpha === null) return 1;
  if (q === 1) return alpha;
  if (q === 0) return 1 - alpha;
  return alpha * q + (1 - alpha) * (1 - q);
}

/**
 * Cross-entropy against the target: for q ∈ {0, 1} exactly `crossEntropy` of the hard view (the
 * same bits in every base); else `softBinaryCrossEntropy`, the BCE against q.
 */
export function softCrossEntropy(example: SoftTarget, base: LogBase = NATURAL_LOG): number {
  const q = example.target;
  if (isHardTarget(q)) return crossEntropy(q === 1 ? example.positive : example.negative, base);
  return softBinaryCrossEntropy(example, base);
}

/**
 * The modulating weight α_t(1 − p_t)^γ with the soft p_t and α_t above (`modulatingWeight` of
 * the hard view for q ∈ {0, 1}).
 */
export function softModulatingWeight(example: SoftTarget, alpha: number | null, gamma: number) {
  return modulatingWeight(softTrueClass(example), softAlphaT(alpha, example.target), gamma);
}

/**
 * Focal loss with a soft target as torchvision's `sigmoid_focal_loss` and Keras's
 * `BinaryFocalCrossentropy` compute it: FL = α_t(1 − p_t)^γ·BCE(p, q), with p_t and α_t as
 * above. For q ∈ {0, 1} it is `focalLoss` of the hard view, to the bit. 0 when α_t = 0.
 * Measured against mpmath (test/fixtures/soft-target.json): BCE within a few EPS, FL within
 * a few (1 + γ) EPS (README, "Soft targets").
 */
export function softFocalLoss(
  example: SoftTarget,
  alpha: number | null,
  gamma: number,
  base: LogBase = NATURAL_LOG,
): number {
  const q = example.target;
  if (isHardTarget(q)) {
    const tc = q === 1 ? example.positive : example.negative;
    return focalLoss(tc, alpha === null ? 1 : q === 1 ? alpha : 1 - alpha, gamma, base);
  }
  const at = softAlphaT(alpha, q);
  if (at === 0) return 0;
  const bce = softBinaryCrossEntropy(example, base);
  // 1 − p_t ≥ q(1 − p) + (1 − q)p > 0 for a soft q, so an infinite BCE is an infinite FL even
  // where the weight underflows to 0.
  if (bce === Number.POSITIVE_INFINITY) return bce;
  return modulatingWeight(softTrueClass(example), at, gamma) * bce;
}

/**
 * Keras's label smoothing, y·(1 − ε) + ε/2, computed as y − ε·(y − 1/2): for a label 0 or 1 the
 * product is exact, so the result is rounded once (1 → 0.95 at ε = 0.1, where the first form
 * gives 0.9500000000000001). ε = 0 leaves y as it is, to the bit.
 */
export function smoothLabel(y: number, epsilon: number): number {
  return epsilon === 0 ? y : y - epsilon * (y - 0.5);
}
