/**
 * How a group's loss is spread over its examples, hardest first, in constant memory: the
 * paper's Figure 4 (cumulative loss, sorted by loss) without a sort.
 *
 * Within one label group every loss (CE, α-CE, FL for any γ ≥ 0) decreases as p_t grows, so
 * the order by loss is the order by the true-class logit x_t = ln p_t − ln(1 − p_t). Examples
 * are binned by x_t, and each bin keeps its exact count and loss sums; the share carried by the
 * hardest fraction f is exact at bin edges and interpolated by count inside the one bin where f
 * falls. Bins (BINS in all):
 * - |x_t| ≤ 16 (p_t from 1.1e−7 to 1 − 1.1e−7): width 1/256 in x_t, where CE changes by at
 *   most 0.4% and FL by at most (1 + γ)·0.4% across a bin;
 * - 16 < |x_t| ≤ 4096: width 1/64 in log2|x_t| (1.1% of x_t, so of CE for x_t < −16);
 * - |x_t| > 4096: one bin each side;
 * - p_t = 0 (CE = +∞) is counted apart: those examples come first, sharing the infinite loss
 *   by count (the contract's rule for infinite totals).
 */
import { focusingFactor } from './loss.js';
import type { Label, TrueClass } from './true-class.js';

const CORE_LIMIT = 16;
const CORE_PER_UNIT = 256;
const CORE_BINS = 2 * CORE_LIMIT * CORE_PER_UNIT;
const TAIL_PER_OCTAVE = 64;
const TAIL_OCTAVES = 8; // 16·2^8 = 4096
const TAIL_BINS = TAIL_PER_OCTAVE * TAIL_OCTAVES;
/** Number of bins over x_t, hardest first. */
export const BINS = 2 * TAIL_BINS + CORE_BINS;

/** The bin of a true-class logit: 0 for the hardest (most negative x_t), BINS − 1 the easiest. */
export function binOf(xt: number): number {
  if (xt >= -CORE_LIMIT && xt <= CORE_LIMIT) {
    return Math.min(
      TAIL_BINS + Math.floor((xt + CORE_LIMIT) * CORE_PER_UNIT),
      TAIL_BINS + CORE_BINS - 1,
    );
  }
  const octaves = Math.log2(Math.abs(xt) / CORE_LIMIT) * TAIL_PER_OCTAVE;
  const k = Math.min(Math.floor(octaves), TAIL_BINS - 1);
  return xt < 0 ? TAIL_BINS - 1 - k : TAIL_BINS + CORE_BINS + k;
}

// Per bin and group: count, CE, then one FL sum per γ.
const COUNT = 0;
const CE = 1;
const FOCAL = 2;

/** Which loss of a group to read: CE (α-CE has the same shape within a group) or FL at γ index g. */
export type ShapeLoss = { readonly kind: 'ce' } | { readonly kind: 'fl'; readonly gamma: number };

/** A histogram as plain data, to send between threads. */
export interface HistogramState {
  readonly bins: Float64Array;
  readonly infinite: Float64Array;
}

export class LossHistogram {
  readonly gammas: readonly number[];
  private readonly width: number;
  private readonly bins: Float64Array;
  private readonly infinite = new Float64Array(2);

  constructor(gammas: readonly number[]) {
    this.gammas = [...gammas];
    this.width = FOCAL + this.gammas.length;
    this.bins = new Float64Array(2 * BINS * this.width);
  }

  /** The histogram as plain data (see `merge`). */
  state(): HistogramState {
    return { bins: this.bins, infinite: this.infinite };
  }

  /** Adds another histogram of the same γ (a part of the same stream). */
  merge(other: HistogramState): void {
    for (let k = 0; k < this.bins.length; k++) {
      this.bins[k] = (this.bins[k] as number) + (other.bins[k] as number);
    }
    for (const y of [0, 1]) {
      this.infinite[y] = (this.infinite[y] as number) + (other.infinite[y] as number);
    }
  }

  /** Adds one example, as `LossTally.add` does. */
  add(tc: TrueClass, y: Label, weight: number): void {
    if (weight === 0) return;
    const ce = -tc.logPt;
    if (ce === Number.POSITIVE_INFINITY) {
      this.infinite[y] = (this.infinite[y] as number) + weight;
      return;
    }
    const at = (y * BINS + binOf(tc.logPt - tc.log1mPt)) * this.width;
    const bins = this.bins;
    bins[at + COUNT] = (bins[at + COUNT] as number) + weight;
    if (ce === 0) return;
    const weighted = weight * ce;
    bins[at + CE] = (bins[at + CE] as number) + weighted;
    const gammas = this.gammas;
    for (let g = 0; g < gammas.length; g++) {
      const k = at + FOCAL + g;
      bins[k] = (bins[k] as number) + focusingFactor(tc, gammas[g] as number) * weighted;
    }
  }

  /**
   * The share of group `y`'s loss carried by its hardest `fraction` of examples (by count or
   * weight), in [0, 1]; NaN when the group has no examples or no loss.
   */
  topShare(y: Label, loss: ShapeLoss, fraction: number): number {
    const slot = loss.kind === 'ce' ? CE : FOCAL + this.gammas.indexOf(loss.gamma);
    const infinite = this.infinite[y] as number;
    let count = infinite;
    let total = 0;
    for (let b = 0; b < BINS; b++) {
      const at = (y * BINS + b) * this.width;
      count += this.bins[at + COUNT] as number;
      total += this.bins[at + slot] as number;
    }
    const target = fraction * count;
    if (count === 0 || (infinite === 0 && total === 0)) return Number.NaN;
    if (infinite > 0) return Math.min(target, infinite) / infinite;
    if (fraction >= 1) return 1;
    let seen = 0;
    let carried = 0;
    for (let b = 0; b < BINS; b++) {
      const at = (y * BINS + b) * this.width;
      const n = this.bins[at + COUNT] as number;
      const l = this.bins[at + slot] as number;
      if (seen + n >= target) {
        return Math.min(1, (carried + (n === 0 ? 0 : ((target - seen) / n) * l)) / total);
      }
      seen += n;
      carried += l;
    }
    return 1;
  }
}
