/**
 * Loss totals of a stream of labelled examples, for several γ in one pass (math.md, "Sums").
 *
 * Within a label group α_t is one constant, so FL totals for every α follow from one sum per γ:
 * Σ α_t(1 − p_t)^γ·CE = α_t·Σ(1 − p_t)^γ·CE. The tally therefore keeps, per group, compensated
 * sums of the weights, of p_t, of CE and of (1 − p_t)^γ·CE for each γ, in natural-log units (a
 * base only rescales them). Examples with p_t = 0, whose CE is infinite, are counted apart so
 * that a group's total is +∞ and its share follows the contract's rule for infinite totals.
 *
 * Sums that would pass 2^1000 (sample weights near the largest double) and terms below the
 * least normal double (a loss of 1e−400 under a weight of 1e300) move their slot to a scaled
 * form, value = (sum + compensation)·2^exponent, for the rest of the stream; `scaledGroup`
 * reads them without rounding to a double. Ordinary files never leave the plain fast path.
 */
import { focusingFactor, lowCorrection } from './loss.js';
import { MAX_WHOLE_POWER, wholePower } from './power.js';
import {
  fromScaled,
  type Scaled,
  scaleBy,
  scaledProduct,
  scaledProductOf,
  toScaled,
} from './scaled.js';
import { scaledCrossEntropy, scaledFocusingFactor } from './scaled-loss.js';
import { type Label, type TrueClass, TrueClassSlot } from './true-class.js';

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

/** Past this a slot's sum moves to the scaled form (sums of up to 2^14 slots stay finite). */
const HUGE = 2 ** 1000;
const MIN_NORMAL = 2 ** -1022;
/** A scaled slot returns to the plain form while its magnitude is within 2^±LIMIT. */
const PLAIN_LIMIT = 900;

/**
 * Neumaier sums held in flat arrays: slot k is (sums[k] + compensations[k])·2^exponents[k],
 * the exponent 0 for every slot of an ordinary stream. One row adds a few terms to each of two
 * groups' slots, so objects per sum would cost more than the arithmetic.
 */
class Sums {
  readonly sums: Float64Array;
  readonly compensations: Float64Array;
  readonly exponents: Float64Array;

  constructor(size: number) {
    this.sums = new Float64Array(size);
    this.compensations = new Float64Array(size);
    this.exponents = new Float64Array(size);
  }

  /** Adds x ≥ 0 (finite). */
  add(k: number, x: number): void {
    const s = this.sums[k] as number;
    const t = s + x;
    if (this.exponents[k] !== 0 || !(t < HUGE)) {
      this.addScaled(k, x, 0);
      return;
    }
    this.compensations[k] =
      (this.compensations[k] as number) + (Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s);
    this.sums[k] = t;
  }

  /** Adds m·2^e ≥ 0 (m finite), rescaling the slot as its magnitude needs. */
  addScaled(k: number, m: number, e: number): void {
    if (m === 0) return;
    const [tm, te] = toScaled(m);
    const term = te + e;
    const exponent = this.exponents[k] as number;
    const s = this.sums[k] as number;
    const c = this.compensations[k] as number;
    const slotTop = s === 0 ? Number.NEGATIVE_INFINITY : exponent + (toScaled(s)[1] as number);
    const top = Math.max(slotTop, term);
    let next = exponent;
    if (top >= -PLAIN_LIMIT && top <= PLAIN_LIMIT) next = 0;
    else if (s === 0 || top - exponent > PLAIN_LIMIT || top - exponent < -100) next = top;
    const shifted = scaleBy(s, exponent - next);
    const x = scaleBy(tm, term - next);
    const t = shifted + x;
    this.compensations[k] =
      scaleBy(c, exponent - next) +
      (Math.abs(shifted) >= Math.abs(x) ? shifted - t + x : x - t + shifted);
    this.sums[k] = t;
    this.exponents[k] = next;
  }

  /** The slot, scaled. */
  scaled(k: number): Scaled {
    const s = this.sums[k] as number;
    if (!Number.isFinite(s)) return [s, 0];
    const [m, e] = toScaled(s + (this.compensations[k] as number));
    return [m, e + (this.exponents[k] as number)];
  }
}

// Slots of one group: count, p_t, infinite count, CE, then one per γ; after them, for soft
// targets only, the CE carried with the other class's α_t, the weight of soft rows with
// infinite CE, and one FL sum per γ with the other class's α_t (see `addSoft`).
const COUNT = 0;
const PT = 1;
const INFINITE = 2;
const CE = 3;
const FOCAL = 4;

/** `addLogit`'s forms of (1 − p_t)^γ besides a whole power (a whole γ ≥ 1 is its own kind). */
const FACTOR_ONE = 0;
const FACTOR_SQRT = -1;
const FACTOR_POW = -2;

function factorKind(gamma: number): number {
  if (gamma === 0) return FACTOR_ONE;
  if (gamma === 0.5) return FACTOR_SQRT;
  return Number.isInteger(gamma) && gamma <= 2 ** 30 ? gamma : FACTOR_POW;
}

/** `addProbabilities`' forms: `focusingFactor`'s wholePower and Math.pow, with 1 − p_t's low part. */
const FACTOR_WHOLE_LOW = -3;
const FACTOR_POW_LOW = -4;
const FACTOR_SQUARE_LOW = -5;

/** `logitParts`' p_t and 1 − p_t. */
const PARTS = new Float64Array(2);

/**
 * CE = −ln p_t of the true-class logit x_t, with p_t and 1 − p_t into PARTS, as `sigmoid`,
 * `logSigmoid` and `setLogit` form them, from one e^(−|x_t|) and its log1p (`addLogit`).
 */
function logitParts(xt: number): number {
  const e = Math.exp(-Math.abs(xt));
  const l = Math.log1p(e);
  if (xt >= 0) {
    PARTS[0] = 1 / (1 + e);
    PARTS[1] = e / (1 + e);
    return l;
  }
  PARTS[0] = e / (1 + e);
  PARTS[1] = 1 / (1 + e);
  return -xt + l;
}

/**
 * (1 − p_t)^γ of a block's examples from..to (by step) into `f`, in the form `kind` (see
 * `focalRun`); for a whole γ, `wholePower` of q (and its low part), as `focusingFactor` takes it.
 */
function factors(
  kind: number,
  gamma: number,
  q: Float64Array,
  low: Float64Array,
  f: Float64Array,
  from: number,
  to: number,
  step: number,
): void {
  if (kind === 2) {
    for (let i = from; i !== to; i += step) f[i] = (q[i] as number) * (q[i] as number);
  } else if (kind === FACTOR_SQRT) {
    for (let i = from; i !== to; i += step) f[i] = Math.sqrt(q[i] as number);
  } else if (kind === FACTOR_POW) {
    for (let i = from; i !== to; i += step) f[i] = (q[i] as number) ** gamma;
  } else if (kind === FACTOR_SQUARE_LOW) {
    for (let i = from; i !== to; i += step) {
      const v = q[i] as number;
      const d = low[i] as number;
      f[i] = d === 0 ? v * v : wholePower(v, 2, d);
    }
  } else if (kind === FACTOR_WHOLE_LOW) {
    for (let i = from; i !== to; i += step) {
      f[i] = wholePower(q[i] as number, gamma, low[i] as number);
    }
  } else if (kind === FACTOR_POW_LOW) {
    for (let i = from; i !== to; i += step) {
      const v = q[i] as number;
      const d = low[i] as number;
      f[i] = d === 0 ? v ** gamma : v ** gamma * lowCorrection(d / v, gamma);
    }
  } else {
    for (let i = from; i !== to; i += step) f[i] = wholePower(q[i] as number, kind, 0);
  }
}

/** Examples per block of `addLogits` and `addProbabilities` (their terms stay in the caches). */
const BLOCK = 2048;
/** A block's bounds (see `addBlocks`): a block then adds less than 2^122 to any sum. */
const SAFE_LOW = 2 ** -500;
const SAFE_TERM = 2 ** 110;
const SAFE_WEIGHT = 2 ** 100;
const BLOCK_SUM_LIMIT = 2 ** 900;

/**
 * The terms of a block's examples: the negatives' at [0, negatives) in order, the positives'
 * from BLOCK − 1 down to `positives`, in order; the weights of examples with p_t = 0 apart.
 */
class TermBlock {
  /** 1 − p_t. */
  readonly q = new Float64Array(BLOCK);
  /** Its rounding error (`TrueClass.oneMinusPtLow`; probabilities only). */
  readonly low = new Float64Array(BLOCK);
  /** w·CE (0 where CE is 0 or +∞). */
  readonly ce = new Float64Array(BLOCK);
  /** w·p_t. */
  readonly pt = new Float64Array(BLOCK);
  /** (1 − p_t)^γ of one γ at a time. */
  readonly factor = new Float64Array(BLOCK);
  readonly weight = new Float64Array(BLOCK);
  readonly infiniteNegatives = new Float64Array(BLOCK);
  readonly infinitePositives = new Float64Array(BLOCK);
  negatives = 0;
  positives = BLOCK;
  negativeInfinities = 0;
  positiveInfinities = 0;
}

/**
 * Whether an example's terms (1 − p_t = v, CE = c, weight w, w·CE, w·p_t) are surely normal
 * doubles whose sums stay below HUGE for a block, and (1 − p_t)^γ·w·CE too (`addBlocks`).
 */
function sure(
  v: number,
  c: number,
  w: number,
  weighted: number,
  weightedPt: number,
  qMin: number,
): boolean {
  return (
    v >= qMin &&
    c >= MIN_NORMAL &&
    weighted >= SAFE_LOW &&
    weighted <= SAFE_TERM &&
    w <= SAFE_WEIGHT &&
    weightedPt >= MIN_NORMAL
  );
}

/**
 * The block's terms of logits [from, end), as `addLogit` forms them; returns the first example
 * not taken (`end` when all are), which `addLogit` takes.
 */
function logitTerms(
  block: TermBlock,
  logits: Float64Array,
  labels: Float64Array,
  weights: Float64Array | undefined,
  from: number,
  end: number,
  qMin: number,
): number {
  const { q, ce, pt, weight } = block;
  let lo = 0;
  let hi = BLOCK;
  let i = from;
  for (; i < end; i++) {
    const x = logits[i] as number;
    const y = labels[i] as number;
    const w = weights === undefined ? 1 : (weights[i] as number);
    const c = logitParts(y === 1 ? x : -x);
    const p = PARTS[0] as number;
    const v = PARTS[1] as number;
    const weighted = w * c;
    const weightedPt = w * p;
    if (!sure(v, c, w, weighted, weightedPt, qMin)) break;
    const k = y === 1 ? --hi : lo++;
    q[k] = v;
    ce[k] = weighted;
    pt[k] = weightedPt;
    weight[k] = w;
  }
  block.negatives = lo;
  block.positives = hi;
  block.negativeInfinities = 0;
  block.positiveInfinities = 0;
  return i;
}

/**
 * The block's terms of probabilities [from, end), as `setProbability` and `add` form them;
 * returns the first example not taken (`end` when all are), which `add` takes.
 */
function probabilityTerms(
  block: TermBlock,
  probabilities: Float64Array,
  labels: Float64Array,
  weights: Float64Array | undefined,
  from: number,
  end: number,
  qMin: number,
): number {
  const { q, low, ce, pt, weight, infiniteNegatives, infinitePositives } = block;
  let lo = 0;
  let hi = BLOCK;
  let negativeInfinities = 0;
  let positiveInfinities = 0;
  let i = from;
  for (; i < end; i++) {
    const p = probabilities[i] as number;
    const y = labels[i] as number;
    const w = weights === undefined ? 1 : (weights[i] as number);
    if (!(w > 0 && w <= SAFE_WEIGHT)) break;
    let t: number;
    let v: number;
    let d: number;
    let c: number;
    if (y === 1) {
      // setPt: 1 − p_t and its exact error (Fast2Sum), ln p_t.
      t = p;
      v = 1 - p;
      d = 1 - v - p;
      c = -Math.log(p);
    } else {
      t = 1 - p;
      v = p;
      d = 0;
      c = -Math.log1p(-p);
    }
    const weightedPt = w * t;
    let weighted: number;
    if (c === Number.POSITIVE_INFINITY) {
      // p_t = 0: its count and its weight apart; w·p_t and every loss term add nothing.
      if (y === 1) infinitePositives[positiveInfinities++] = w;
      else infiniteNegatives[negativeInfinities++] = w;
      v = 1;
      d = 0;
      weighted = 0;
    } else if (c === 0 && v === 0) {
      // p_t = 1: its count and w·p_t; CE = FL = 0.
      if (!(weightedPt >= MIN_NORMAL)) break;
      d = 0;
      weighted = 0;
    } else {
      weighted = w * c;
      if (!sure(v, c, w, weighted, weightedPt, qMin)) break;
    }
    const k = y === 1 ? --hi : lo++;
    q[k] = v;
    low[k] = d;
    ce[k] = weighted;
    pt[k] = c === Number.POSITIVE_INFINITY ? 0 : weightedPt;
    weight[k] = w;
  }
  block.negatives = lo;
  block.positives = hi;
  block.negativeInfinities = negativeInfinities;
  block.positiveInfinities = positiveInfinities;
  return i;
}

/** A tally as plain data, to send between threads. */
export interface TallyState {
  readonly gammas: readonly number[];
  readonly sums: Float64Array;
  readonly compensations: Float64Array;
  readonly exponents: Float64Array;
}

/** `GroupTotals` with every sum scaled (m·2^e): right also past 1.8e308 and below 5e−324. */
export interface ScaledGroupTotals {
  readonly count: Scaled;
  readonly ptSum: Scaled;
  readonly ceSum: Scaled;
  readonly focalSums: readonly Scaled[];
  readonly infiniteCount: Scaled;
  /**
   * Soft targets (0 < y < 1) only, all [0, 0] for hard labels: Σ v·weight·CE and, per γ,
   * Σ v·weight·(1 − p_t)^γ·CE, where v is the row's weight of the other class (1 − y in the
   * positives, y in the negatives), whose α_t multiplies them; and the weight of soft rows
   * with infinite CE.
   */
  readonly ceOther: Scaled;
  readonly focalOthers: readonly Scaled[];
  readonly softInfiniteCount: Scaled;
}

export class LossTally {
  readonly gammas: readonly number[];
  private readonly width: number;
  private readonly sums: Sums;

  /** @param gammas the focusing parameters to total FL for (each ≥ 0). */
  /** Where a group's soft-target slots start (CE with the other α_t, soft ∞, FL per γ). */
  private readonly other: number;

  /** `addLogit`'s form of (1 − p_t)^γ for each γ: FACTOR_ONE, FACTOR_SQRT, FACTOR_POW or n. */
  private readonly factorKinds: Int32Array;
  /** `addLogit`'s terms of one example (count, p_t, CE, then one per γ), before they are added. */
  private readonly terms: Float64Array;
  /** `addLogit`'s way to the general path, for the examples its fast path does not take. */
  private slot: TrueClassSlot | undefined;
  /** The terms of a block of `addLogits` or `addProbabilities`, made when first needed. */
  private block: TermBlock | undefined;
  /** The least 1 − p_t of those blocks: (1 − p_t)^γ ≥ 2^−500 above it for every γ. */
  private readonly qMin: number;

  constructor(gammas: readonly number[]) {
    this.gammas = [...gammas];
    this.other = FOCAL + this.gammas.length;
    this.width = this.other + 2 + this.gammas.length;
    this.sums = new Sums(2 * this.width);
    this.factorKinds = Int32Array.from(this.gammas, factorKind);
    this.terms = new Float64Array(FOCAL + this.gammas.length);
    const top = Math.max(1, ...this.gammas);
    this.qMin = top <= MAX_WHOLE_POWER ? 2 ** (-500 / top) : Number.POSITIVE_INFINITY;
  }

  /** The tally as plain data (see `merge`). */
  state(): TallyState {
    const { sums, compensations, exponents } = this.sums;
    return { gammas: this.gammas, sums, compensations, exponents };
  }

  /** Adds another tally of the same γ (a part of the same stream), keeping compensation. */
  merge(other: TallyState): void {
    for (let k = 0; k < this.sums.sums.length; k++) {
      const exponent = other.exponents[k] as number;
      if (exponent === 0 && this.sums.exponents[k] === 0) {
        this.sums.add(k, other.sums[k] as number);
        this.sums.compensations[k] =
          (this.sums.compensations[k] as number) + (other.compensations[k] as number);
      } else {
        this.sums.addScaled(k, other.sums[k] as number, exponent);
        this.sums.addScaled(k, other.compensations[k] as number, exponent);
      }
    }
  }

  /** Adds one example with label `y` and sample weight `weight` (≥ 0; 1 for a plain count). */
  add(tc: TrueClass, y: Label, weight: number): void {
    if (weight === 0) return; // no weight, no loss, no count: 0·∞ = 0
    const base = y * this.width;
    const sums = this.sums;
    sums.add(base + COUNT, weight);
    const weightedPt = weight * tc.pt;
    if (weightedPt >= MIN_NORMAL || tc.pt === 0) sums.add(base + PT, weightedPt);
    else sums.addScaled(base + PT, ...scaledProduct(toScaled(weight), toScaled(tc.pt)));
    const ce = -tc.logPt;
    if (ce === Number.POSITIVE_INFINITY) {
      sums.add(base + INFINITE, weight);
      return;
    }
    const weighted = weight * ce;
    if (!(ce >= MIN_NORMAL && weighted >= MIN_NORMAL && weighted < Number.POSITIVE_INFINITY)) {
      // p_t = 1 exactly: every loss is 0. Else a product past the doubles: scaled.
      if (ce === 0 && tc.oneMinusPtPrecise && tc.oneMinusPt === 0) return;
      this.addScaled(tc, base, weight);
      return;
    }
    sums.add(base + CE, weighted);
    const gammas = this.gammas;
    for (let g = 0; g < gammas.length; g++) {
      const gamma = gammas[g] as number;
      const factor = focusingFactor(tc, gamma);
      const focal = factor * weighted;
      if (focal >= MIN_NORMAL && factor >= MIN_NORMAL) sums.add(base + FOCAL + g, focal);
      else this.addFocalScaled(tc, base, g, scaledProduct(toScaled(weight), toScaled(ce)));
    }
  }

  /**
   * `add(trueClassFromLogit(logit, y), y, weight)`, to the last bit, without its object and
   * with the logarithms shared: e^(−|x_t|) and log1p of it, taken once, give p_t, 1 − p_t and
   * ln p_t exactly as `sigmoid`, `logSigmoid` and `setLogit` form them; (1 − p_t)^γ is 1 for
   * γ = 0, `wholePower` for a whole γ (as `focusingFactor`), √(1 − p_t) for γ = 0.5 (what
   * Math.pow(q, 0.5) returns: fdlibm's pow, V8's, takes the square root there) and Math.pow
   * otherwise; and the sums are added in one loop. An example whose terms leave the normal
   * doubles (x_t beyond about ±708, a weight near 0 or past 1e300, a tiny factor) takes `add`.
   */
  addLogit(logit: number, y: Label, weight: number): void {
    if (weight === 0) return;
    const ce = logitParts(y === 1 ? logit : -logit);
    const pt = PARTS[0] as number;
    const q = PARTS[1] as number;
    const weighted = weight * ce;
    const weightedPt = weight * pt;
    const terms = this.terms;
    let plain =
      q >= MIN_NORMAL &&
      ce >= MIN_NORMAL &&
      weighted >= MIN_NORMAL &&
      weighted < Number.POSITIVE_INFINITY &&
      weightedPt >= MIN_NORMAL;
    if (plain) {
      terms[COUNT] = weight;
      terms[PT] = weightedPt;
      terms[INFINITE] = 0;
      terms[CE] = weighted;
      const kinds = this.factorKinds;
      const gammas = this.gammas;
      for (let g = 0; g < kinds.length; g++) {
        const kind = kinds[g] as number;
        // wholePower's own results for n = 1 and 2 (q, and q·q when q is exact).
        const factor =
          kind === FACTOR_ONE
            ? 1
            : kind === 1
              ? q
              : kind === 2
                ? q * q
                : kind === FACTOR_SQRT
                  ? Math.sqrt(q)
                  : kind === FACTOR_POW
                    ? q ** (gammas[g] as number)
                    : wholePower(q, kind, 0);
        const focal = factor * weighted;
        if (!(focal >= MIN_NORMAL && factor >= MIN_NORMAL)) plain = false;
        terms[FOCAL + g] = focal;
      }
    }
    if (!plain) {
      this.slot ??= new TrueClassSlot();
      this.add(this.slot.setLogit(logit, y), y, weight);
      return;
    }
    // Neumaier's sums of `Sums.add`, inlined; a slot in the scaled form goes through it.
    const base = y * this.width;
    const sums = this.sums.sums;
    const compensations = this.sums.compensations;
    const exponents = this.sums.exponents;
    for (let k = 0; k < terms.length; k++) {
      if (k === INFINITE) continue;
      const x = terms[k] as number;
      const at = base + k;
      const s = sums[at] as number;
      const t = s + x;
      if (exponents[at] !== 0 || !(t < HUGE)) {
        this.sums.addScaled(at, x, 0);
        continue;
      }
      compensations[at] =
        (compensations[at] as number) + (Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s);
      sums[at] = t;
    }
  }

  /**
   * `addLogit(logits[i], labels[i], weights?.[i] ?? 1)` for i in [from, to), to the last bit
   * (issue 17, 2026-12-01). `labels` hold 0 and 1 only. The examples go in blocks: a block's
   * terms are formed first, example by example, and each slot's sum then runs over them in a
   * loop of its own. Each slot gets the same additions in the same order as example by example,
   * so the sums are the same, but the sum and its compensation stay in registers and the form
   * of (1 − p_t)^γ is chosen once per loop. An example outside the ranges where every term is
   * surely a normal double (see `addBlocks`) ends its block and takes `addLogit`.
   */
  addLogits(
    logits: Float64Array,
    labels: Float64Array,
    weights: Float64Array | undefined,
    from: number,
    to: number,
  ): void {
    this.addBlocks(logits, labels, weights, from, to, false);
  }

  /**
   * `add(trueClassFromProbability(p[i], labels[i]), labels[i], weights?.[i] ?? 1)` for i in
   * [from, to), to the last bit, in blocks as `addLogits` (issue 17, 2026-12-01): p_t, 1 − p_t (with
   * its rounding error for y = 1), ln p_t and (1 − p_t)^γ as `setProbability` and
   * `focusingFactor` form them. p_t = 0 (p = 0 for a positive, p = 1 for a negative: CE = +∞)
   * is counted apart, p_t = 1 adds its count and p_t only (CE = FL = 0), as `add` does.
   * `labels` hold 0 and 1 only, `p` values in [0, 1].
   */
  addProbabilities(
    p: Float64Array,
    labels: Float64Array,
    weights: Float64Array | undefined,
    from: number,
    to: number,
  ): void {
    this.addBlocks(p, labels, weights, from, to, true);
  }

  /**
   * The blocks of `addLogits` and `addProbabilities`. A block is taken only while every slot
   * is plain and below 2^900, and an example only while its terms are surely normal doubles
   * that keep every sum below HUGE: a weight in [2^−500, 2^100] times a loss (2^−500 to 2^110
   * in all), 1 − p_t ≥ qMin (so that (1 − p_t)^γ ≥ 2^−500 for every γ), w·p_t normal. Such an
   * example takes `addLogit`'s (or `add`'s) plain path, with the same operations; any other
   * ends the block and takes `addLogit` (or `add`) itself.
   */
  private addBlocks(
    scores: Float64Array,
    labels: Float64Array,
    weights: Float64Array | undefined,
    from: number,
    to: number,
    probability: boolean,
  ): void {
    this.block ??= new TermBlock();
    const block = this.block;
    const qMin = this.qMin;
    for (let i = from; i < to; ) {
      const end = Math.min(to, i + BLOCK);
      if (!this.blockFits()) {
        // A slot is scaled or large: example by example, through `add`.
        for (; i < end; i++) this.addOne(scores, labels, weights, i, probability);
        continue;
      }
      const stop = probability
        ? probabilityTerms(block, scores, labels, weights, i, end, qMin)
        : logitTerms(block, scores, labels, weights, i, end, qMin);
      if (stop > i) this.addBlock(block, weights === undefined, probability);
      // The example that ended the block early takes the general path.
      if (stop < end) this.addOne(scores, labels, weights, stop, probability);
      i = stop < end ? stop + 1 : end;
    }
  }

  /** One example of `addBlocks` by the general path. */
  private addOne(
    scores: Float64Array,
    labels: Float64Array,
    weights: Float64Array | undefined,
    i: number,
    probability: boolean,
  ): void {
    const y: Label = labels[i] === 1 ? 1 : 0;
    const weight = weights === undefined ? 1 : (weights[i] as number);
    if (!probability) {
      this.addLogit(scores[i] as number, y, weight);
      return;
    }
    this.slot ??= new TrueClassSlot();
    this.add(this.slot.setProbability(scores[i] as number, y), y, weight);
  }

  /** Whether every slot is plain and below 2^900 (a block adds less than 2^122 to any). */
  private blockFits(): boolean {
    const { sums, exponents } = this.sums;
    for (let k = 0; k < sums.length; k++) {
      if (exponents[k] !== 0 || !((sums[k] as number) < BLOCK_SUM_LIMIT)) return false;
    }
    return true;
  }

  /** Adds the block's terms, slot by slot: the negatives', then the positives'. */
  private addBlock(block: TermBlock, unweighted: boolean, probability: boolean): void {
    for (let g = 0; g < 2; g++) {
      // The negatives are at [0, negatives), the positives from the top down, in their order.
      const from = g === 0 ? 0 : BLOCK - 1;
      const to = g === 0 ? block.negatives : block.positives - 1;
      const step = g === 0 ? 1 : -1;
      if (from === to) continue;
      const base = g * this.width;
      const count = Math.abs(to - from);
      const s = this.sums.sums[base + COUNT] as number;
      if (unweighted && Number.isInteger(s) && s + count <= 2 ** 53) {
        // Adding 1 count times is exact there: the same sum and compensation as adding count.
        this.sums.add(base + COUNT, count);
      } else this.run(base + COUNT, block.weight, from, to, step);
      this.run(base + PT, block.pt, from, to, step);
      this.run(base + CE, block.ce, from, to, step);
      for (let k = 0; k < this.gammas.length; k++) {
        this.focalRun(base + FOCAL + k, k, block, from, to, step, probability);
      }
      const infinite = g === 0 ? block.infiniteNegatives : block.infinitePositives;
      const m = g === 0 ? block.negativeInfinities : block.positiveInfinities;
      if (m > 0) this.run(base + INFINITE, infinite, 0, m, 1);
    }
  }

  /** Neumaier's sum of `Sums.add` over values[from], values[from + step], … (not values[to]). */
  private run(k: number, values: Float64Array, from: number, to: number, step: number): void {
    const sums = this.sums.sums;
    const compensations = this.sums.compensations;
    let s = sums[k] as number;
    let c = compensations[k] as number;
    for (let i = from; i !== to; i += step) {
      const x = values[i] as number;
      const t = s + x;
      c += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
      s = t;
    }
    sums[k] = s;
    compensations[k] = c;
  }

  /** `run` of (1 − p_t)^γ·w·CE for γ number `g`, its factor formed as `addLogit` or `add` forms it. */
  private focalRun(
    k: number,
    g: number,
    block: TermBlock,
    from: number,
    to: number,
    step: number,
    probability: boolean,
  ): void {
    const sums = this.sums.sums;
    const compensations = this.sums.compensations;
    const q = block.q;
    const ce = block.ce;
    const low = block.low;
    const gamma = this.gammas[g] as number;
    // addLogit's kinds; `add` of a probability: 1, wholePower with the low part (q itself for
    // γ = 1, q·q for 2 where the low part is 0, as wholePower returns them), or Math.pow.
    const kind = probability
      ? gamma === 0 || gamma === 1
        ? gamma
        : gamma === 2
          ? FACTOR_SQUARE_LOW
          : Number.isInteger(gamma)
            ? FACTOR_WHOLE_LOW
            : FACTOR_POW_LOW
      : (this.factorKinds[g] as number);
    if (kind === FACTOR_ONE) {
      this.run(k, ce, from, to, step); // 1·w·CE is w·CE
      return;
    }
    // The factors first, in a loop of their form's own; then the sum of factor·w·CE.
    const f = kind === 1 ? q : block.factor;
    if (kind !== 1) factors(kind, gamma, q, low, f, from, to, step);
    let s = sums[k] as number;
    let c = compensations[k] as number;
    for (let i = from; i !== to; i += step) {
      const x = (f[i] as number) * (ce[i] as number);
      const t = s + x;
      c += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
      s = t;
    }
    sums[k] = s;
    compensations[k] = c;
  }

  /** `add`'s losses where weight·CE is past the doubles: every product scaled. */
  private addScaled(tc: TrueClass, base: number, weight: number): void {
    const weighted = scaledProduct(toScaled(weight), scaledCrossEntropy(tc));
    if (weighted[0] === 0) return;
    this.sums.addScaled(base + CE, ...weighted);
    for (let g = 0; g < this.gammas.length; g++) this.addFocalScaled(tc, base, g, weighted);
  }

  /** Adds (1 − p_t)^γ·weight·CE, scaled (it is below the least normal double). */
  private addFocalScaled(tc: TrueClass, base: number, g: number, weighted: Scaled): void {
    const focal = scaledProductOf(scaledFocusingFactor(tc, this.gammas[g] as number), weighted);
    this.sums.addScaled(base + FOCAL + g, ...focal);
  }

  /**
   * Adds one example with a soft target 0 < y < 1 (a hard label goes to `add`): `tc` is its
   * soft view (p_t = p·y + (1 − p)(1 − y), `softTrueClass`) and `ce` its BCE against y in
   * natural-log units. It is counted in the group of its nearer class (positives for
   * y ≥ 1/2), and its losses are split by α_t = α·y + (1 − α)(1 − y): the part u = own class's
   * weight (y in the positives, 1 − y in the negatives) goes to the group's sums, which its
   * own α_t multiplies, and v = 1 − u to the soft slots, which the other class's α_t
   * multiplies. So every α still follows from one pass, and a file of hard labels never
   * touches the soft slots.
   */
  addSoft(tc: TrueClass, ce: number, y: number, weight: number): void {
    if (weight === 0) return;
    const g = y >= 0.5 ? 1 : 0;
    const own = g === 1 ? y : 1 - y;
    const other = g === 1 ? 1 - y : y;
    const base = g * this.width;
    const sums = this.sums;
    sums.add(base + COUNT, weight);
    const weightedPt = weight * tc.pt;
    if (weightedPt >= MIN_NORMAL || tc.pt === 0) sums.add(base + PT, weightedPt);
    else sums.addScaled(base + PT, ...scaledProduct(toScaled(weight), toScaled(tc.pt)));
    if (ce === Number.POSITIVE_INFINITY) {
      sums.add(base + INFINITE, weight);
      sums.add(base + this.other + 1, weight);
      return;
    }
    this.addTerm(base + CE, own, weight, ce, [1, 0]);
    this.addTerm(base + this.other, other, weight, ce, [1, 0]);
    for (let k = 0; k < this.gammas.length; k++) {
      const gamma = this.gammas[k] as number;
      const f = focusingFactor(tc, gamma);
      const factor: Scaled = f >= MIN_NORMAL ? [f, 0] : scaledFocusingFactor(tc, gamma);
      this.addTerm(base + FOCAL + k, own, weight, ce, factor);
      this.addTerm(base + this.other + 2 + k, other, weight, ce, factor);
    }
  }

  /** Adds a·b·c·f (f scaled), plainly where every partial product is a normal double. */
  private addTerm(k: number, a: number, b: number, c: number, f: Scaled): void {
    if (a === 0 || b === 0 || c === 0 || f[0] === 0) return;
    const ab = a * b;
    const abc = ab * c;
    const t = f[1] === 0 ? abc * f[0] : 0;
    if (ab >= MIN_NORMAL && abc >= MIN_NORMAL && t >= MIN_NORMAL && t < Number.POSITIVE_INFINITY) {
      this.sums.add(k, t);
      return;
    }
    this.sums.addScaled(k, ...scaledProductOf(toScaled(a), toScaled(b), toScaled(c), f));
  }

  /** The totals of the examples with label `y` so far. */
  group(y: Label): GroupTotals {
    const scaled = this.scaledGroup(y);
    return {
      count: fromScaled(scaled.count),
      ptSum: fromScaled(scaled.ptSum),
      ceSum: fromScaled(scaled.ceSum),
      focalSums: scaled.focalSums.map(fromScaled),
      infiniteCount: fromScaled(scaled.infiniteCount),
    };
  }

  /** `group`, with every sum scaled (right past 1.8e308 and below 5e−324). */
  scaledGroup(y: Label): ScaledGroupTotals {
    const base = y * this.width;
    const value = (k: number) => this.sums.scaled(base + k);
    return {
      count: value(COUNT),
      ptSum: value(PT),
      ceSum: value(CE),
      focalSums: this.gammas.map((_, g) => value(FOCAL + g)),
      infiniteCount: value(INFINITE),
      ceOther: value(this.other),
      focalOthers: this.gammas.map((_, g) => value(this.other + 2 + g)),
      softInfiniteCount: value(this.other + 1),
    };
  }
}
