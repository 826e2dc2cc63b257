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
 * Each group's column of count or loss sums carries one exponent: where sample weights near
 * 1.8e308 would take a sum past 2^1000, the column is scaled down by a power of two, so counts
 * and shares stay finite and right (smaller bins of that column lose only what is below
 * 2^−1074 of the largest).
 */
import { focusingFactor } from './loss.js';
import { scaleBy, toScaled } from './scaled.js';
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
  /** Per group and column (y·width + column), the power of two its sums are scaled by. */
  readonly exponents: Float64Array;
}

/** A column is rescaled before any of its sums passes this (2^14 bins then sum finitely). */
const HUGE = 2 ** 1000;
/** How far a column is scaled down at a time. */
const STEP = 128;

export class LossHistogram {
  readonly gammas: readonly number[];
  private readonly width: number;
  private readonly bins: Float64Array;
  private readonly infinite = new Float64Array(2);
  /** Columns y·width + column, then the two infinite counts (2·width + y). */
  private readonly exponents: Float64Array;

  constructor(gammas: readonly number[]) {
    this.gammas = [...gammas];
    this.width = FOCAL + this.gammas.length;
    this.bins = new Float64Array(2 * BINS * this.width);
    this.exponents = new Float64Array(2 * this.width + 2);
  }

  /** Scales group y's column down by 2^STEP·n until adding x·2^e to bin `at` stays finite. */
  private addScaled(y: Label, column: number, at: number, x: number, e: number): void {
    const key = y * this.width + column;
    const bins = this.bins;
    for (;;) {
      const exponent = this.exponents[key] as number;
      const v = bins[at] as number;
      const t = v + scaleBy(x, e - exponent);
      if (t < HUGE) {
        bins[at] = t;
        return;
      }
      for (let b = 0; b < BINS; b++) {
        const k = (y * BINS + b) * this.width + column;
        bins[k] = scaleBy(bins[k] as number, -STEP);
      }
      this.exponents[key] = exponent + STEP;
    }
  }

  /** Adds x·2^e to the infinite count of group y, as `addScaled`. */
  private addInfinite(y: Label, x: number): void {
    const key = 2 * this.width + y;
    for (;;) {
      const exponent = this.exponents[key] as number;
      const t = (this.infinite[y] as number) + scaleBy(x, -exponent);
      if (t < HUGE) {
        this.infinite[y] = t;
        return;
      }
      this.infinite[y] = scaleBy(this.infinite[y] as number, -STEP);
      this.exponents[key] = exponent + STEP;
    }
  }

  /** The histogram as plain data (see `merge`). */
  state(): HistogramState {
    return { bins: this.bins, infinite: this.infinite, exponents: this.exponents };
  }

  /** Adds another histogram of the same γ (a part of the same stream). */
  merge(other: HistogramState): void {
    for (const y of [0, 1] as const) {
      for (let column = 0; column < this.width; column++) {
        const e = other.exponents[y * this.width + column] as number;
        for (let b = 0; b < BINS; b++) {
          const k = (y * BINS + b) * this.width + column;
          this.addScaled(y, column, k, other.bins[k] as number, e);
        }
      }
      const e = other.exponents[2 * this.width + y] as number;
      this.addInfinite(y, scaleBy(other.infinite[y] as number, e));
    }
  }

  /** Adds one example, as `LossTally.add` does. */
  add(tc: TrueClass, y: Label, weight: number): void {
    if (weight === 0) return;
    const ce = -tc.logPt;
    if (ce === Number.POSITIVE_INFINITY) {
      this.addInfinite(y, weight);
      return;
    }
    const at = (y * BINS + binOf(tc.logPt - tc.log1mPt)) * this.width;
    const bins = this.bins;
    const columns = y * this.width;
    const exponents = this.exponents;
    const count = (bins[at + COUNT] as number) + weight;
    if (count < HUGE && exponents[columns + COUNT] === 0) bins[at + COUNT] = count;
    else this.addScaled(y, COUNT, at + COUNT, weight, 0);
    if (ce === 0) return;
    this.addLoss(y, CE, at + CE, weight, ce, 1);
    const gammas = this.gammas;
    for (let g = 0; g < gammas.length; g++) {
      const factor = focusingFactor(tc, gammas[g] as number);
      this.addLoss(y, FOCAL + g, at + FOCAL + g, weight, ce, factor);
    }
  }

  /** Adds factor·weight·CE to bin k of a loss column, scaled where it passes the doubles. */
  private addLoss(
    y: Label,
    column: number,
    k: number,
    weight: number,
    ce: number,
    factor: number,
  ): void {
    const bins = this.bins;
    const term = factor * (weight * ce);
    const t = (bins[k] as number) + term;
    if (t < HUGE && this.exponents[y * this.width + column] === 0) {
      bins[k] = t;
      return;
    }
    if (term < Number.POSITIVE_INFINITY) {
      this.addScaled(y, column, k, term, 0);
      return;
    }
    // weight·CE itself is past the largest double.
    const [mw, ew] = toScaled(weight);
    const [mc, ec] = toScaled(ce);
    this.addScaled(y, column, k, mw * mc * factor, ew + ec);
  }

  /**
   * The share of group `y`'s loss carried by its hardest `fraction` of examples (by count or
   * weight), in [0, 1]; NaN when the group has no examples or no loss.
   */
  topShare(y: Label, loss: ShapeLoss, fraction: number): number {
    const slot = loss.kind === 'ce' ? CE : FOCAL + this.gammas.indexOf(loss.gamma);
    // The infinite count and the bins' counts on one scale (each column has its own).
    const countExponent = this.exponents[y * this.width + COUNT] as number;
    const infiniteExponent = this.exponents[2 * this.width + y] as number;
    const common = Math.max(countExponent, infiniteExponent);
    const infinite = scaleBy(this.infinite[y] as number, infiniteExponent - common);
    const shift = countExponent - common;
    const countOf = (at: number) => scaleBy(this.bins[at + COUNT] as number, shift);
    let count = infinite;
    let total = 0;
    for (let b = 0; b < BINS; b++) {
      const at = (y * BINS + b) * this.width;
      count += countOf(at);
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
      const n = countOf(at);
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
