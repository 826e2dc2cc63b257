/**
 * Multi-class (softmax) examples as a TrueClass, so that every loss of `loss.ts` applies
 * (math.md, "Softmax"): the target's probability p_c and its logarithms, from logits or from
 * a probability vector.
 */
import { CompensatedSum } from './sum.js';
import { type TrueClass, TrueClassSlot, trueClassFromPt } from './true-class.js';

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
 * multi-class case is a binary one between the target and the rest, and the sigmoid keeps
 * ln p_c and ln(1 − p_c) exact at both ends. Two logits give x_c = z_c − z_other, so softmax
 * FL of (z_0, z_1) is sigmoid FL of z_1 − z_0. x_c is held as hi + lo: z_c − max exactly (a
 * two-sum), minus log1p of the other terms (e^(z_j − max) summed with compensation), so its
 * absolute error is about 2⁻⁵³·ln(classes), not |x_c|·2⁻⁵³ (issue 13: p_c was 20 EPS off at
 * x_c = −41, and FL with γ = 7.5 50 EPS).
 */
export function trueClassFromLogits(logits: readonly number[], target: number): TrueClass {
  if (!(Number.isInteger(target) && target >= 0 && target < logits.length)) {
    throw new RangeError(`target ${target} is not a class of ${logits.length} logits`);
  }
  const zc = logits[target] as number;
  let top = -1;
  for (let j = 0; j < logits.length; j++) {
    if (j !== target && (top < 0 || (logits[j] as number) > (logits[top] as number))) top = j;
  }
  if (top < 0) return new TrueClassSlot().setLogit(Number.POSITIVE_INFINITY, 1);
  const max = logits[top] as number;
  if (!Number.isFinite(max) || !Number.isFinite(zc)) {
    return new TrueClassSlot().setLogit(zc - logSumExp(logits.filter((_, j) => j !== target)), 1);
  }
  const rest = new CompensatedSum();
  for (let j = 0; j < logits.length; j++) {
    if (j !== target && j !== top) rest.add(Math.exp((logits[j] as number) - max));
  }
  const log = Math.log1p(rest.value);
  // d = z_c − max exactly as d + dLow; then x = d − log as hi + lo.
  const d = zc - max;
  const dv = d - zc;
  const dLow = zc - (d - dv) + (-max - dv);
  const hi = d - log;
  const hv = hi - d;
  const lo = d - (hi - hv) + (-log - hv) + dLow;
  return new TrueClassSlot().setTrueLogit(hi, lo);
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
