/**
 * Multi-class (softmax) examples as a TrueClass, so that every loss of `loss.ts` applies
 * (math.md, "Softmax"): the target's probability p_c and its logarithms, from logits or from
 * a probability vector.
 */
import { CompensatedSum } from './sum.js';
import { type TrueClass, trueClassFromLogit, trueClassFromPt } from './true-class.js';

/** ln Σ e^(z_j) over the given logits, stably (the largest factored out); −∞ for none. */
export function logSumExp(logits: readonly number[]): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const z of logits) if (z > max) max = z;
  if (max === Number.NEGATIVE_INFINITY) return max;
  const sum = new CompensatedSum();
  for (const z of logits) sum.add(Math.exp(z - max));
  return max + Math.log(sum.value);
}

/**
 * The target class of softmax logits. p_c = σ(x_c) with x_c = z_c − logsumexp(z_{j≠c}): the
 * multi-class case is a binary one between the target and the rest, and `trueClassFromLogit`
 * then keeps ln p_c and ln(1 − p_c) exact at both ends. Two logits give x_c = z_c − z_other,
 * so softmax FL of (z_0, z_1) is sigmoid FL of z_1 − z_0. The only rounding is x_c's own, so
 * the relative error of CE grows like |x_c|·2⁻⁵³ (the problem's conditioning).
 */
export function trueClassFromLogits(logits: readonly number[], target: number): TrueClass {
  if (!(Number.isInteger(target) && target >= 0 && target < logits.length)) {
    throw new RangeError(`target ${target} is not a class of ${logits.length} logits`);
  }
  const others = logSumExp(logits.filter((_, j) => j !== target));
  return trueClassFromLogit((logits[target] as number) - others, 1);
}

/**
 * The target class of a probability vector (which the caller has checked sums to 1): p_c as
 * given, exactly as `trueClassFromPt` holds it (1 − p_c is exact for p_c ≥ 0.5).
 */
export function trueClassFromProbabilities(probs: readonly number[], target: number): TrueClass {
  if (!(Number.isInteger(target) && target >= 0 && target < probs.length)) {
    throw new RangeError(`target ${target} is not a class of ${probs.length} probabilities`);
  }
  return trueClassFromPt(probs[target] as number);
}
