/**
 * Reductions of per-example losses to one number, as frameworks' `reduction` argument does
 * (math.md, "Sums"): `sum`, `mean` (over the examples) and `pos-mean`, the sum divided by
 * max(1, number of positives), torchvision RetinaNet's normalisation (detectron2 divides by a
 * moving average of that count instead).
 *
 * Sums are compensated (Neumaier, `CompensatedSum`): about 2 ulp of the sum whatever the number
 * of examples, so a reduction over a 2,000,000-row file keeps its digits; the division then adds
 * half an ulp. An infinite loss (p_t = 0) gives an infinite sum, and +∞ − ∞ terms (gradients)
 * NaN, as the plain sum would.
 */
import { CompensatedSum } from './sum.js';

/** How losses are reduced: `sum`, `mean`, or `pos-mean` (÷ max(1, positives)). */
export type Reduction = 'sum' | 'mean' | 'pos-mean';

/**
 * What the sum of `n` examples, `positives` of them positive, is divided by: 1, n, or
 * max(1, positives). A mean of no examples divides by 0 (0/0 is NaN, as torch's mean of an
 * empty tensor); `pos-mean` never does.
 */
export function reductionDivisor(how: Reduction, n: number, positives: number): number {
  if (how === 'sum') return 1;
  if (how === 'mean') return n;
  return Math.max(1, positives);
}

/**
 * Accumulates several quantities per example (CE, FL, gradients, …), one compensated sum each,
 * with the number of examples and of positives, and reduces them on demand. Feed it one example
 * at a time: memory stays constant however many there are.
 *
 * @example
 * const r = new LossReducer(2); // CE and FL
 * r.add([0.105, 0.00026], 1);
 * r.add([2.3, 1.40], 0);
 * r.reduced('pos-mean'); // [(0.105 + 2.3)/1, (0.00026 + 1.40)/1]
 */
export class LossReducer {
  private readonly sums: CompensatedSum[];
  private examples = 0;
  private positiveCount = 0;
  /** Σ weight and Σ weight over the positives: n and the positives when every weight is 1. */
  private weightTotal = 0;
  private positiveWeight = 0;

  /** A reducer of `width` quantities per example. */
  constructor(readonly width: number) {
    this.sums = Array.from({ length: width }, () => new CompensatedSum());
  }

  /**
   * Adds one example's quantities (`width` of them, in a fixed order) and its label, with a
   * sample weight ≥ 0 (default 1) that multiplies its quantities (a weight of 0 adds nothing,
   * even to an infinite loss) and counts in the divisors of `mean` and `pos-mean` in place of
   * 1: Σ w·l / Σ w, as `np.average` and scikit-learn's `sample_weight` weigh a mean.
   */
  add(values: ArrayLike<number>, y: 0 | 1, weight = 1): void {
    this.examples++;
    this.positiveCount += y;
    this.weightTotal += weight;
    this.positiveWeight += y * weight;
    if (weight === 1) {
      for (let j = 0; j < this.width; j++)
        (this.sums[j] as CompensatedSum).add(values[j] as number);
    } else if (weight !== 0) {
      for (let j = 0; j < this.width; j++) {
        (this.sums[j] as CompensatedSum).add(weight * (values[j] as number));
      }
    }
  }

  /** The number of examples added. */
  get n(): number {
    return this.examples;
  }

  /** The number of positive examples (y = 1) added. */
  get positives(): number {
    return this.positiveCount;
  }

  /** Each quantity's compensated sum divided by `reductionDivisor(how, n, positives)`. */
  reduced(how: Reduction): number[] {
    const divisor = reductionDivisor(how, this.weightTotal, this.positiveWeight);
    return this.sums.map((sum) => sum.value / divisor);
  }
}

/**
 * The reduction of one list of losses: their compensated sum divided by 1, by their number, or
 * (`pos-mean`, which needs `labels`) by max(1, number of positives).
 * @throws RangeError for `pos-mean` without labels, or labels of another length.
 */
export function reduceLosses(
  losses: readonly number[],
  how: Reduction,
  labels?: readonly (0 | 1)[],
): number {
  if (how === 'pos-mean' && labels === undefined) {
    throw new RangeError('pos-mean needs the labels, to count the positives');
  }
  if (labels !== undefined && labels.length !== losses.length) {
    throw new RangeError(`${labels.length} labels for ${losses.length} losses`);
  }
  const reducer = new LossReducer(1);
  for (const [i, loss] of losses.entries()) reducer.add([loss], labels?.[i] ?? 0);
  return reducer.reduced(how)[0] as number;
}
