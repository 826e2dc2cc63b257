/**
 * Focal loss with a sample-dependent γ (Mukhoti et al., "Calibrating Deep Neural Networks using
 * Focal Loss", NeurIPS 2020): γ is chosen from the example's own p_t by a schedule of
 * thresholds. FLSD-53, the paper's setting, is γ = 5 for p_t < 0.2 and γ = 3 otherwise.
 *
 * The authors' code (torrvision/focal_calibration, Losses/focal_loss_adaptive_gamma.py,
 * `FocalLossAdaptive`) picks γ = 5 for p_t < 0.2, 3 for 0.2 ≤ p_t < 0.5 and its `--gamma` for
 * p_t ≥ 0.5 (3 for FLSD-53): the schedule {thresholds [0.2, 0.5], gammas [5, 3, 3]}, the same
 * as `FLSD_53`. It compares the double p_t with each threshold with `<`, as here.
 *
 * γ is chosen with `.item()` there, outside autograd, so the gradient is that of focal loss
 * with the chosen γ held fixed. The loss itself jumps at each threshold (it is not
 * continuous in p_t); at a threshold the upper piece applies (p_t < t is false).
 */
import { focalLossGradient } from './gradient.js';
import { type LogBase, NATURAL_LOG } from './log-base.js';
import { focalLoss, focusingFactor } from './loss.js';
import type { Label, TrueClass } from './true-class.js';

export interface GammaSchedule {
  /** Increasing thresholds t₁ < … < t_k in (0, 1]. */
  readonly thresholds: readonly number[];
  /** k + 1 values of γ ≥ 0: gammas[i] for the first i with p_t < t_i, gammas[k] above all. */
  readonly gammas: readonly number[];
}

/**
 * A schedule, checked: thresholds increasing in (0, 1], one more γ than thresholds, every γ
 * finite and ≥ 0.
 *
 * @throws RangeError naming the rule that is broken.
 */
export function gammaSchedule(
  thresholds: readonly number[],
  gammas: readonly number[],
): GammaSchedule {
  if (gammas.length !== thresholds.length + 1) {
    throw new RangeError(
      `a γ schedule needs one more γ than thresholds (got ${thresholds.length} thresholds and ${gammas.length} γ)`,
    );
  }
  let previous = 0;
  for (const t of thresholds) {
    if (!(t > 0 && t <= 1)) throw new RangeError(`threshold ${t} is not in (0, 1]`);
    if (!(t > previous)) throw new RangeError(`thresholds must increase (${previous} then ${t})`);
    previous = t;
  }
  for (const g of gammas) {
    if (!(Number.isFinite(g) && g >= 0)) throw new RangeError(`γ ${g} is not a finite number ≥ 0`);
  }
  return Object.freeze({
    thresholds: Object.freeze([...thresholds]),
    gammas: Object.freeze([...gammas]),
  });
}

/** FLSD-53: γ = 5 for p_t < 0.2, else 3. */
export const FLSD_53: GammaSchedule = gammaSchedule([0.2], [5, 3]);

/** The γ the schedule assigns to p_t: gammas[i] for the first threshold t_i with p_t < t_i. */
export function scheduledGamma(pt: number, schedule: GammaSchedule = FLSD_53): number {
  const { thresholds, gammas } = schedule;
  let i = 0;
  for (const t of thresholds) {
    if (pt < t) break;
    i++;
  }
  return gammas[i] as number;
}

/**
 * FL with γ = scheduledGamma(p_t): −α_t(1 − p_t)^γ(p_t) ln p_t, in base b; α_t = 1 in the
 * paper. Precision as `focalLoss`. From a logit, p_t is rounded to a few ulp, so an example
 * within a few ulp of a threshold may fall on either side of it.
 */
export function sampleDependentFocalLoss(
  tc: TrueClass,
  alphaT: number,
  schedule: GammaSchedule = FLSD_53,
  base: LogBase = NATURAL_LOG,
): number {
  return focalLoss(tc, alphaT, scheduledGamma(tc.pt, schedule), base);
}

/** dFL/dx with γ = scheduledGamma(p_t) held fixed (as in the authors' code); see gradient.ts. */
export function sampleDependentFocalLossGradient(
  tc: TrueClass,
  alphaT: number,
  y: Label,
  schedule: GammaSchedule = FLSD_53,
  base: LogBase = NATURAL_LOG,
): number {
  return focalLossGradient(tc, alphaT, scheduledGamma(tc.pt, schedule), y, base);
}

/**
 * g(p_t, γ) = |dFL/dx| / |dCE/dx| = (1 − p_t)^γ·(1 + γ·p_t·(−ln p_t)/(1 − p_t)), α none: how
 * much of cross-entropy's gradient focal loss keeps at p_t (Mukhoti et al., section 4). Below 1
 * FL pulls a confident example less than CE does. −ln p_t/(1 − p_t) is taken at its limit 1 at
 * p_t = 1 (so g = 0 there for γ > 0, 1 for γ = 0) and p_t·ln p_t at its limit 0 at p_t = 0
 * (g = 1). Precision: a few ulp plus about γ ulp.
 */
export function gradientRatio(tc: TrueClass, gamma: number): number {
  const { pt, oneMinusPt: u } = tc;
  const logRatio = u === 0 ? 1 : -tc.logPt / u; // −ln p_t/(1 − p_t)
  const bracket = pt === 0 ? 1 : 1 + gamma * pt * logRatio;
  return focusingFactor(tc, gamma) * bracket;
}

/**
 * The γ > 0 at which g(p₀, γ) = 1 (see `gradientRatio`): with that γ, focal loss pulls every
 * example with p_t > p₀ less than cross-entropy does, and every example below p₀ more. This is
 * how the authors chose FLSD-53's 5 for p_t < 0.2 (their code's `get_gamma(0.2)` = 4.85, by
 * the Lambert W function).
 *
 * Method: ln g = γ·a + ln(1 + γ·b) with a = ln(1 − p₀) < 0 and b = −p₀ ln p₀/(1 − p₀) > 0 is
 * concave in γ and 0 at γ = 0, so for a + b > 0 (p₀ < 1/2) it has exactly one positive root.
 * Newton's method from a point where ln g < 0 descends to it monotonically. The root's
 * condition number, (|γa| + ln(1 + γb))/(γ·|d ln g/dγ|), is about 6 at p₀ = 0.2 (measured
 * error 1.6 EPS) and grows as p₀ → 1/2, where the root tends to 0 (11,000 at p₀ = 0.4999). For
 * p₀ ≥ 1/2 (and p₀ = 0) no positive γ brings g back to 1: 0 is returned; +∞ where the root
 * exceeds the largest double (p₀ below about 1e−306); NaN outside [0, 1].
 */
export function calibrationGamma(p0: number): number {
  if (!(p0 >= 0 && p0 <= 1)) return Number.NaN;
  if (p0 === 0 || p0 >= 0.5) return 0;
  const a = Math.log1p(-p0);
  const b = (-p0 * Math.log(p0)) / (1 - p0);
  if (!(a + b > 0)) return 0;
  const logG = (g: number) => g * a + Math.log1p(g * b);
  let gamma = 1;
  while (logG(gamma) >= 0) gamma *= 2;
  for (let i = 0; i < 100; i++) {
    const step = logG(gamma) / (a + b / (1 + gamma * b));
    const next = gamma - step;
    if (!(next < gamma)) break; // monotone descent: stop when rounding stops it
    gamma = next;
  }
  return gamma;
}
