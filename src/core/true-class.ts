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
}

const MIN_NORMAL = 2 ** -1022;

/**
 * p_t with 1 − p_t and ln p_t at hand; ln(1 − p_t) is computed when first read, as only some
 * uses need it (a stream of a million examples saves a logarithm each).
 */
class GivenProbability implements TrueClass {
  private logComplement: number | undefined;

  constructor(
    readonly pt: number,
    readonly oneMinusPt: number,
    readonly logPt: number,
    readonly ptExact: boolean,
    /** Whether `oneMinusPt` is exact, so that ln(1 − p_t) is best taken of it directly. */
    private readonly complementExact: boolean,
  ) {}

  get log1mPt(): number {
    this.logComplement ??= this.complementExact ? Math.log(this.oneMinusPt) : Math.log1p(-this.pt);
    return this.logComplement;
  }

  get oneMinusPtPrecise(): boolean {
    return true;
  }
}

/** p_t given directly. 1 − p_t is exact for p_t ≥ 0.5 and within half an ulp below. */
export function trueClassFromPt(pt: number): TrueClass {
  return new GivenProbability(pt, 1 - pt, Math.log(pt), true, false);
}

/**
 * p_t from p, the probability of the positive class, and the label y.
 *
 * For y = 0, p_t = 1 − p is rounded but 1 − p_t = p is exact, and ln p_t = log1p(−p) keeps
 * every digit even when p is 1e−300.
 */
export function trueClassFromProbability(p: number, y: Label): TrueClass {
  if (y === 1) return trueClassFromPt(p);
  const pt = 1 - p;
  // 1 − pt is exact (Sterbenz), so 1 − pt − p tells whether the subtraction 1 − p rounded.
  return new GivenProbability(pt, p, Math.log1p(-p), 1 - pt - p === 0, true);
}

/**
 * p_t from a logit x (the raw score of the positive class) and the label y.
 *
 * With x_t = (2y − 1)·x: p_t = σ(x_t), 1 − p_t = σ(−x_t), ln p_t = −softplus(−x_t) and
 * ln(1 − p_t) = −softplus(x_t). At x = 40, y = 1 this gives ln p_t = −4.25e−18 where
 * ln(σ(40)) would give 0.
 */
export function trueClassFromLogit(logit: number, y: Label): TrueClass {
  const xt = y === 1 ? logit : -logit;
  const oneMinusPt = sigmoid(-xt);
  return {
    pt: sigmoid(xt),
    oneMinusPt,
    logPt: logSigmoid(xt),
    log1mPt: logSigmoid(-xt),
    ptExact: false,
    oneMinusPtPrecise: oneMinusPt >= MIN_NORMAL,
  };
}
