/**
 * The probability of the true class, p_t, held together with the logarithms the losses need.
 *
 * An example reaches `focal` as p_t itself, as the probability p of the positive class and a
 * label, or as a logit and a label. Each constructor below keeps what that input determines
 * exactly, so that no loss later has to recover digits that a subtraction already threw away
 * (math.md, "Computing them without losing precision").
 */
import { logSigmoid, sigmoid } from './sigmoid.js';

/** A binary label: 1 for the positive class, 0 for the negative. */
export type Label = 0 | 1;

export interface TrueClass {
  /** p_t, the probability of the true class, in [0, 1]. */
  readonly pt: number;
  /** 1 − p_t, computed without cancellation. */
  readonly oneMinusPt: number;
  /** ln p_t (−∞ at p_t = 0). */
  readonly logPt: number;
  /** ln(1 − p_t) (−∞ at p_t = 1). */
  readonly log1mPt: number;
  /**
   * Whether `pt` is exactly the example's probability, so that a logarithm in another base
   * may be taken of it directly (log10(0.01) is then exactly −2).
   */
  readonly ptExact: boolean;
  /**
   * Whether `oneMinusPt` holds its full relative precision. It does not when a logit made it
   * smaller than the least normal double; powers of it then go through `log1mPt`.
   */
  readonly oneMinusPtPrecise: boolean;
  /**
   * The rounding error of `oneMinusPt` where it was formed as 1 − p_t (p_t < 1/2 given directly
   * or as p with y = 1): 1 − p_t = oneMinusPt + oneMinusPtLow exactly. 0 (or absent) elsewhere.
   * (1 − p_t)^γ uses it, so that its error does not grow with γ (issue 13).
   */
  readonly oneMinusPtLow?: number;
}

const MIN_NORMAL = 2 ** -1022;

/**
 * A TrueClass whose fields are set in place. The constructors below return a fresh one; a
 * stream of a million examples reuses one (`tally-predictions.ts`), since an object per example
 * costs more than its arithmetic. ln(1 − p_t) from a probability is computed when first read,
 * as only some uses need it.
 */
export class TrueClassSlot implements TrueClass {
  pt = 0;
  oneMinusPt = 1;
  logPt = Number.NEGATIVE_INFINITY;
  ptExact = true;
  oneMinusPtPrecise = true;
  oneMinusPtLow = 0;
  private logComplement = 0;
  /** 0: not computed yet, from p_t; 1: not computed yet, from 1 − p_t (exact); 2: computed. */
  private complementState = 0;

  get log1mPt(): number {
    if (this.complementState !== 2) {
      this.logComplement =
        this.complementState === 1 ? Math.log(this.oneMinusPt) : Math.log1p(-this.pt);
      this.complementState = 2;
    }
    return this.logComplement;
  }

  /** p_t given directly (see `trueClassFromPt`). */
  setPt(pt: number): this {
    const complement = 1 - pt;
    this.pt = pt;
    this.oneMinusPt = complement;
    // Fast2Sum (|1| ≥ |p_t|): the exact error of 1 − p_t; 0 for p_t ≥ 1/2 (Sterbenz).
    this.oneMinusPtLow = 1 - complement - pt;
    this.logPt = Math.log(pt);
    this.ptExact = true;
    this.oneMinusPtPrecise = true;
    this.complementState = 0;
    return this;
  }

  /** p_t from p and the label (see `trueClassFromProbability`). */
  setProbability(p: number, y: Label): this {
    if (y === 1) return this.setPt(p);
    const pt = 1 - p;
    this.pt = pt;
    this.oneMinusPt = p;
    this.logPt = Math.log1p(-p);
    // 1 − pt is exact (Sterbenz), so 1 − pt − p tells whether the subtraction 1 − p rounded.
    this.ptExact = 1 - pt - p === 0;
    this.oneMinusPtPrecise = true;
    this.oneMinusPtLow = 0;
    this.complementState = 1;
    return this;
  }

  /** p_t from a logit and the label (see `trueClassFromLogit`). */
  setLogit(logit: number, y: Label): this {
    const xt = y === 1 ? logit : -logit;
    this.pt = sigmoid(xt);
    this.oneMinusPt = sigmoid(-xt);
    this.logPt = logSigmoid(xt);
    this.logComplement = logSigmoid(-xt);
    this.complementState = 2;
    this.ptExact = false;
    this.oneMinusPtPrecise = this.oneMinusPt >= MIN_NORMAL;
    this.oneMinusPtLow = 0;
    return this;
  }

  /**
   * p_t from a true-class logit held as hi + lo (|lo| ≤ ulp(hi)), as softmax forms it: the
   * first-order corrections σ(hi + lo) = σ(hi)·(1 + σ(−hi)·lo), σ(−hi − lo) = σ(−hi)·(1 −
   * σ(hi)·lo), and ln σ(±(hi + lo)) likewise, so that p_t keeps its digits where the rounding
   * of hi alone would cost |hi|·2⁻⁵³ (issue 13).
   */
  setTrueLogit(hi: number, lo: number): this {
    this.setLogit(hi, 1);
    if (lo === 0 || !Number.isFinite(hi)) return this;
    const pt = this.pt;
    const complement = this.oneMinusPt;
    this.pt = pt + pt * complement * lo;
    this.oneMinusPt = complement - complement * pt * lo;
    this.logPt += complement * lo;
    this.logComplement -= pt * lo;
    return this;
  }
}

/** p_t given directly. 1 − p_t is exact for p_t ≥ 0.5 and within half an ulp below. */
export function trueClassFromPt(pt: number): TrueClass {
  return new TrueClassSlot().setPt(pt);
}

/**
 * p_t from p, the probability of the positive class, and the label y.
 *
 * For y = 0, p_t = 1 − p is rounded but 1 − p_t = p is exact, and ln p_t = log1p(−p) keeps
 * every digit even when p is 1e−300.
 */
export function trueClassFromProbability(p: number, y: Label): TrueClass {
  return new TrueClassSlot().setProbability(p, y);
}

/**
 * p_t from a logit x (the raw score of the positive class) and the label y.
 *
 * With x_t = (2y − 1)·x: p_t = σ(x_t), 1 − p_t = σ(−x_t), ln p_t = −softplus(−x_t) and
 * ln(1 − p_t) = −softplus(x_t). At x = 40, y = 1 this gives ln p_t = −4.25e−18 where
 * ln(σ(40)) would give 0.
 */
export function trueClassFromLogit(logit: number, y: Label): TrueClass {
  return new TrueClassSlot().setLogit(logit, y);
}
