/**
 * Loss totals of a stream of labelled examples, for several γ in one pass (math.md, "Sums").
 *
 * Within a label group α_t is one constant, so FL totals for every α follow from one sum per γ:
 * Σ α_t(1 − p_t)^γ·CE = α_t·Σ(1 − p_t)^γ·CE. The tally therefore keeps, per group, compensated
 * sums of the weights, of p_t, of CE and of (1 − p_t)^γ·CE for each γ, in natural-log units (a
 * base only rescales them). Examples with p_t = 0, whose CE is infinite, are counted apart so
 * that a group's total is +∞ and its share follows the contract's rule for infinite totals.
 */
import { focusingFactor } from './loss.js';
import type { Label, TrueClass } from './true-class.js';

/** What one label group of the stream adds up to. All losses are in natural-log units. */
export interface GroupTotals {
  /** Number of examples, or the sum of their weights. */
  readonly count: number;
  /** Σ weight·p_t. */
  readonly ptSum: number;
  /** Σ weight·CE over the examples with finite CE. */
  readonly ceSum: number;
  /** Σ weight·(1 − p_t)^γ·CE over the examples with finite CE, one per γ in tally order. */
  readonly focalSums: readonly number[];
  /** The weight of the examples with p_t = 0 (infinite CE). */
  readonly infiniteCount: number;
}

/**
 * Neumaier sums held in flat arrays: slot k is sums[k] + compensations[k]. One row adds a few
 * terms to each of two groups' slots, so objects per sum would cost more than the arithmetic.
 */
class Sums {
  readonly sums: Float64Array;
  readonly compensations: Float64Array;

  constructor(size: number) {
    this.sums = new Float64Array(size);
    this.compensations = new Float64Array(size);
  }

  add(k: number, x: number): void {
    const s = this.sums[k] as number;
    const t = s + x;
    this.compensations[k] =
      (this.compensations[k] as number) + (Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s);
    this.sums[k] = t;
  }

  value(k: number): number {
    const s = this.sums[k] as number;
    return Number.isFinite(s) ? s + (this.compensations[k] as number) : s;
  }
}

// Slots of one group: count, p_t, infinite count, CE, then one per γ.
const COUNT = 0;
const PT = 1;
const INFINITE = 2;
const CE = 3;
const FOCAL = 4;

/** A tally as plain data, to send between threads. */
export interface TallyState {
  readonly gammas: readonly number[];
  readonly sums: Float64Array;
  readonly compensations: Float64Array;
}

export class LossTally {
  readonly gammas: readonly number[];
  private readonly width: number;
  private readonly sums: Sums;

  /** @param gammas the focusing parameters to total FL for (each ≥ 0). */
  constructor(gammas: readonly number[]) {
    this.gammas = [...gammas];
    this.width = FOCAL + this.gammas.length;
    this.sums = new Sums(2 * this.width);
  }

  /** The tally as plain data (see `merge`). */
  state(): TallyState {
    return { gammas: this.gammas, sums: this.sums.sums, compensations: this.sums.compensations };
  }

  /** Adds another tally of the same γ (a part of the same stream), keeping compensation. */
  merge(other: TallyState): void {
    for (let k = 0; k < this.sums.sums.length; k++) {
      this.sums.add(k, other.sums[k] as number);
      this.sums.compensations[k] =
        (this.sums.compensations[k] as number) + (other.compensations[k] as number);
    }
  }

  /** Adds one example with label `y` and sample weight `weight` (≥ 0; 1 for a plain count). */
  add(tc: TrueClass, y: Label, weight: number): void {
    if (weight === 0) return; // no weight, no loss, no count: 0·∞ = 0
    const base = y * this.width;
    const sums = this.sums;
    sums.add(base + COUNT, weight);
    sums.add(base + PT, weight * tc.pt);
    const ce = -tc.logPt;
    if (ce === Number.POSITIVE_INFINITY) {
      sums.add(base + INFINITE, weight);
      return;
    }
    if (ce === 0) return; // p_t = 1: every loss is 0
    const weighted = weight * ce;
    sums.add(base + CE, weighted);
    const gammas = this.gammas;
    for (let g = 0; g < gammas.length; g++) {
      sums.add(base + FOCAL + g, focusingFactor(tc, gammas[g] as number) * weighted);
    }
  }

  /** The totals of the examples with label `y` so far. */
  group(y: Label): GroupTotals {
    const base = y * this.width;
    const value = (k: number) => this.sums.value(base + k);
    return {
      count: value(COUNT),
      ptSum: value(PT),
      ceSum: value(CE),
      focalSums: this.gammas.map((_, g) => value(FOCAL + g)),
      infiniteCount: value(INFINITE),
    };
  }
}
