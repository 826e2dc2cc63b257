/**
 * The focal family on the command line (issue 18): `--loss ce,fl,asl,…` turns the options into
 * one member per loss and setting of its parameters (a sweep, like α and γ), each with its
 * loss, its gradient with respect to the logit and its weight relative to cross-entropy, all
 * from the core (src/core: asymmetric, poly, varifocal, quality-focal, gamma-schedule,
 * class-balanced). Loaded only when `--loss` is given.
 *
 * Targets are labels 0 or 1, or soft targets q ∈ (0, 1) where the labels are (`-y 0.9`, a
 * file's soft labels): CE (as BCE against q), VFL and QFL take them from p or a logit; the
 * other losses refuse them (`softTargetProblem`).
 */
import {
  type AsymmetricParameters,
  asymmetricLoss,
  asymmetricLossGradient,
} from '../core/asymmetric.js';
import { classBalancedWeight } from '../core/class-balanced.js';
import {
  type GammaSchedule,
  sampleDependentFocalLoss,
  sampleDependentFocalLossGradient,
  scheduledGamma,
} from '../core/gamma-schedule.js';
import { crossEntropyGradient, focalLossGradient } from '../core/gradient.js';
import type { LogBase } from '../core/log-base.js';
import {
  type Alpha,
  alphaT,
  crossEntropy,
  focalLoss,
  focusingFactor,
  modulatingWeight,
} from '../core/loss.js';
import {
  poly1CrossEntropy,
  poly1CrossEntropyGradient,
  poly1FocalLoss,
  poly1FocalLossGradient,
} from '../core/poly.js';
import { qualityFocalLoss, qualityFocalLossGradient } from '../core/quality-focal.js';
import {
  predictionGap,
  type SoftTarget,
  softBinaryCrossEntropy,
  softBinaryCrossEntropyGradient,
  softFocalLoss,
  softModulatingWeight,
  softTargetFromLogit,
  softTargetFromProbability,
} from '../core/soft-target.js';
import {
  type Label,
  type TrueClass,
  trueClassFromProbability,
  trueClassFromPt,
} from '../core/true-class.js';
import { varifocalLoss, varifocalLossGradient } from '../core/varifocal.js';
import { UsageError } from '../errors.js';
import type { Column } from '../format/formats.js';
import type { ExampleInput } from './loss-rows.js';
import type { FamilyName, Options } from './options.js';

/** One example as the family needs it: its label, its true-class view, both views of p. */
export interface FamilyExample {
  /** The label, 0 or 1; for a soft target, the nearer class (q ≥ 1/2 is 1). */
  readonly y: Label;
  /** Whether the target is a label 0 or 1 (else a soft target q ∈ (0, 1)). */
  readonly hard: boolean;
  /** The view of the label y (p_t = p for y = 1, 1 − p for y = 0). */
  readonly tc: TrueClass;
  /** Both views and the target q, for CE, VFL and QFL against a soft target. */
  readonly soft: SoftTarget;
}

/**
 * The losses that take a soft target q ∈ [0, 1]: BCE against q, VFL, QFL, and FL as torchvision
 * and Keras compute it (`softFocalLoss`, as `focal loss -y 0.9` without --loss).
 */
export const SOFT_TARGET_LOSSES: readonly FamilyName[] = ['ce', 'fl', 'vfl', 'qfl'];

/**
 * An example from its score as given (p_t, p or a logit) and its target: a label 0 or 1, or a
 * soft target q ∈ (0, 1) (from p or a logit only: p_t does not say what p is). From p_t, the
 * other view is made from 1 − p_t as held (exact for p_t ≥ 1/2); VFL and QFL with a hard
 * target only read the label's own view, which is `tc` exactly.
 * @throws UsageError for a soft target with p_t.
 */
export function familyExample(input: ExampleInput, x: number, target: number): FamilyExample {
  if (target !== 0 && target !== 1) {
    if (input === 'pt') {
      throw new UsageError(
        `-y ${target} is a soft target: it needs p or a logit (--p, --logit), not p_t`,
      );
    }
    const soft =
      input === 'logit' ? softTargetFromLogit(x, target) : softTargetFromProbability(x, target);
    const y: Label = target >= 0.5 ? 1 : 0;
    return { y, hard: false, tc: y === 1 ? soft.positive : soft.negative, soft };
  }
  const y: Label = target;
  if (input === 'pt') {
    const tc = trueClassFromPt(x);
    const other =
      y === 1 ? trueClassFromProbability(x, 0) : trueClassFromProbability(tc.oneMinusPt, 1);
    const soft: SoftTarget =
      y === 1
        ? { target: 1, positive: tc, negative: other, logit: Number.NaN }
        : { target: 0, positive: other, negative: tc, logit: Number.NaN };
    return { y, hard: true, tc, soft };
  }
  const soft = input === 'logit' ? softTargetFromLogit(x, y) : softTargetFromProbability(x, y);
  return { y, hard: true, tc: y === 1 ? soft.positive : soft.negative, soft };
}

/**
 * The sentence that refuses a soft target to the losses that need labels 0 or 1, or undefined
 * when every loss named takes it (or the target is a label).
 */
export function softTargetProblem(
  names: readonly FamilyName[],
  target: number,
): string | undefined {
  if (target === 0 || target === 1) return undefined;
  const hardOnly = names.filter((name) => !SOFT_TARGET_LOSSES.includes(name));
  if (hardOnly.length === 0) return undefined;
  return `--loss ${hardOnly.join(', ')} needs labels 0 or 1, not the soft target ${target} (${SOFT_TARGET_LOSSES.join(', ')} take soft targets)`;
}

/** One loss of the family at one setting of its parameters. */
export interface FamilyMember {
  readonly loss: FamilyName;
  /** The setting, as `name=value` words (empty for CE): `gamma_pos=0 gamma_neg=4 margin=0.05`. */
  readonly params: string;
  /** The loss of an example, in the log base. */
  value(e: FamilyExample): number;
  /** Its derivative with respect to the logit x, in closed form. */
  grad(e: FamilyExample): number;
  /**
   * The loss relative to cross-entropy (to the BCE against the target for VFL and QFL): the
   * factor focal loss calls the modulating weight, base-free. Where CE is 0 or +∞ its limit.
   */
  weight(e: FamilyExample): number;
  /** cb-fl's β, by which a total over a class is weighted once the counts are known. */
  readonly classBeta?: number;
}

/** What the family reads from the options (every command that takes `--loss` has these). */
export type FamilyOptions = Options<
  | 'alpha'
  | 'gamma'
  | 'logBase'
  | 'gammaPos'
  | 'gammaNeg'
  | 'margin'
  | 'epsilon'
  | 'vflAlpha'
  | 'qflBeta'
  | 'cbBeta'
  | 'gammaSchedule'
>;

/** The class counts n₀, n₁ that weigh cb-fl (from --neg and --pos, or a population's groups). */
export interface ClassCounts {
  readonly neg: number;
  readonly pos: number;
}

const show = (value: number | null) => (value === null ? 'none' : String(value));

function words(pairs: readonly (readonly [string, number | null])[]): string {
  return pairs.map(([name, value]) => `${name}=${show(value)}`).join(' ');
}

function scheduleText(s: GammaSchedule): string {
  const parts = [String(s.gammas[0])];
  for (const [i, t] of s.thresholds.entries()) parts.push(String(t), String(s.gammas[i + 1]));
  return parts.join(':');
}

/** −ln p_t as CE holds it, and (1 − p_t)/CE with its limits: 1 at p_t = 1, 0 at p_t = 0. */
function complementOverCe(tc: TrueClass): number {
  if (tc.oneMinusPt === 0) return 1;
  const ce = -tc.logPt;
  return ce === Number.POSITIVE_INFINITY ? 0 : tc.oneMinusPt / ce;
}

function* product<T>(lists: readonly Iterable<T>[]): Generator<T[]> {
  if (lists.length === 0) {
    yield [];
    return;
  }
  const [first, ...rest] = lists as [Iterable<T>, ...Iterable<T>[]];
  for (const value of first) for (const tail of product(rest)) yield [value, ...tail];
}

/**
 * The members of the family that `names` asks for, in that order, each swept over its
 * parameters (the first parameter varying slowest, like α then γ):
 * - ce; fl: α, γ; asl: γ₊, γ₋, m; poly1: ε; poly1-fl: α, γ, ε; vfl: α_vfl, γ; qfl: β_qfl;
 *   flsd: the schedule (α none, as in the paper); cb-fl: β_cb, γ (w_y from `counts`).
 * @throws UsageError for cb-fl without class counts.
 */
export function familyMembers(
  names: readonly FamilyName[],
  o: FamilyOptions,
  counts: ClassCounts | undefined,
  note: (text: string) => void,
): FamilyMember[] {
  const base: LogBase = o.logBase;
  const members: FamilyMember[] = [];
  for (const name of names) {
    switch (name) {
      case 'ce':
        members.push({
          loss: 'ce',
          params: '',
          weight: () => 1,
          // Against a soft target, CE is the BCE against q (torch's BCE with logits).
          value: (e) => (e.hard ? crossEntropy(e.tc, base) : softBinaryCrossEntropy(e.soft, base)),
          grad: (e) =>
            e.hard
              ? crossEntropyGradient(e.tc, e.y, base)
              : softBinaryCrossEntropyGradient(e.soft, base),
        });
        break;
      case 'fl':
        for (const [alpha, gamma] of product<number | null>([o.alpha, o.gamma])) {
          members.push(focalMember(alpha ?? null, gamma as number, base));
        }
        break;
      case 'asl':
        for (const [gammaPos, gammaNeg, margin] of product([o.gammaPos, o.gammaNeg, o.margin])) {
          members.push(aslMember({ gammaPos, gammaNeg, margin } as AsymmetricParameters, base));
        }
        break;
      case 'poly1':
        for (const epsilon of o.epsilon) {
          members.push({
            loss: 'poly1',
            params: words([['epsilon', epsilon]]),
            value: (e) => poly1CrossEntropy(e.tc, epsilon, base),
            grad: (e) => poly1CrossEntropyGradient(e.tc, epsilon, e.y, base),
            weight: (e) => 1 + epsilon * complementOverCe(e.tc),
          });
        }
        break;
      case 'poly1-fl':
        for (const [alpha, gamma, epsilon] of product<number | null>([
          o.alpha,
          o.gamma,
          o.epsilon,
        ])) {
          members.push(poly1FocalMember(alpha ?? null, gamma as number, epsilon as number, base));
        }
        notePolyNegative(o, names, note);
        break;
      case 'vfl':
        for (const [alpha, gamma] of product([o.vflAlpha, o.gamma])) {
          const parameters = { alpha: alpha as number, gamma: gamma as number, iouWeighted: true };
          members.push({
            loss: 'vfl',
            params: words([
              ['alpha', alpha as number],
              ['gamma', gamma as number],
            ]),
            value: (e) => varifocalLoss(e.soft, parameters, base),
            grad: (e) => varifocalLossGradient(e.soft, parameters, base),
            // VFL is q·BCE for a positive, α·p^γ·BCE for a negative (q = 0).
            weight: (e) =>
              e.soft.target > 0
                ? e.soft.target
                : parameters.alpha * focusingFactor(e.soft.negative, parameters.gamma),
          });
        }
        break;
      case 'qfl':
        for (const beta of o.qflBeta) {
          members.push({
            loss: 'qfl',
            params: words([['beta', beta]]),
            value: (e) => qualityFocalLoss(e.soft, beta, base),
            grad: (e) => qualityFocalLossGradient(e.soft, beta, base),
            // |y − p|^β: for a hard target the focusing factor of its own view (γ = β).
            weight: (e) =>
              e.hard ? focusingFactor(e.tc, beta) : Math.abs(predictionGap(e.soft)) ** beta,
          });
        }
        break;
      case 'flsd': {
        const schedule = o.gammaSchedule;
        members.push({
          loss: 'flsd',
          params: `schedule=${scheduleText(schedule)}`,
          value: (e) => sampleDependentFocalLoss(e.tc, 1, schedule, base),
          grad: (e) => sampleDependentFocalLossGradient(e.tc, 1, e.y, schedule, base),
          weight: (e) => focusingFactor(e.tc, scheduledGamma(e.tc.pt, schedule)),
        });
        break;
      }
      case 'cb-fl': {
        if (counts === undefined) {
          throw new UsageError(
            '--loss cb-fl weighs each class by its count: give --neg N and --pos N (the number of negatives and positives)',
          );
        }
        for (const [beta, gamma] of product([o.cbBeta, o.gamma])) {
          members.push(cbMember(beta as number, gamma as number, counts, base));
        }
        break;
      }
    }
  }
  return members;
}

function focalMember(alpha: Alpha, gamma: number, base: LogBase): FamilyMember {
  return {
    loss: 'fl',
    params: words([
      ['alpha', alpha],
      ['gamma', gamma],
    ]),
    value: (e) =>
      e.hard
        ? focalLoss(e.tc, alphaT(alpha, e.y), gamma, base)
        : softFocalLoss(e.soft, alpha, gamma, base),
    grad: (e) => {
      if (!e.hard) {
        throw new UsageError(
          `--grad: fl against the soft target ${e.soft.target} has no closed form here (labels 0 and 1 only; ce, vfl and qfl have theirs)`,
        );
      }
      return focalLossGradient(e.tc, alphaT(alpha, e.y), gamma, e.y, base);
    },
    weight: (e) =>
      e.hard
        ? modulatingWeight(e.tc, alphaT(alpha, e.y), gamma)
        : softModulatingWeight(e.soft, alpha, gamma),
  };
}

function aslMember(parameters: AsymmetricParameters, base: LogBase): FamilyMember {
  const { gammaPos, gammaNeg, margin } = parameters;
  return {
    loss: 'asl',
    params: words([
      ['gamma_pos', gammaPos],
      ['gamma_neg', gammaNeg],
      ['margin', margin],
    ]),
    value: (e) => asymmetricLoss(e.tc, e.y, parameters, base),
    grad: (e) => asymmetricLossGradient(e.tc, e.y, parameters, base),
    weight: (e) => {
      if (e.y === 1) return focusingFactor(e.tc, gammaPos);
      if (margin === 0) return focusingFactor(e.tc, gammaNeg);
      // A shifted negative: ASL/CE, 0 where the margin discards it (p ≤ m) or CE is +∞ (p = 1,
      // where ASL is finite).
      if (e.tc.oneMinusPt <= margin) return 0;
      const ce = -e.tc.logPt;
      return ce === Number.POSITIVE_INFINITY ? 0 : asymmetricLoss(e.tc, 0, parameters) / ce;
    },
  };
}

function poly1FocalMember(
  alpha: Alpha,
  gamma: number,
  epsilon: number,
  base: LogBase,
): FamilyMember {
  return {
    loss: 'poly1-fl',
    params: words([
      ['alpha', alpha],
      ['gamma', gamma],
      ['epsilon', epsilon],
    ]),
    value: (e) => poly1FocalLoss(e.tc, alphaT(alpha, e.y), gamma, epsilon, base),
    grad: (e) => poly1FocalLossGradient(e.tc, alphaT(alpha, e.y), gamma, epsilon, e.y, base),
    // (1 − p_t)^γ·[α_t + ε(1 − p_t)/CE].
    weight: (e) =>
      focusingFactor(e.tc, gamma) * (alphaT(alpha, e.y) + epsilon * complementOverCe(e.tc)),
  };
}

/**
 * The class weights of cb-fl as the authors' code forms them (class-balanced-loss, `CB_loss`):
 * w_y = 1/E_{n_y} = (1 − β)/(1 − β^{n_y}), normalised to sum to the number of classes, here
 * over the classes that have examples (a class with none has no loss to weigh; alone, the other
 * gets 1). With β = 0 both are 1: CB-FL is FL with α none.
 */
export function classBalancedPair(counts: ClassCounts, beta: number): [number, number] {
  const present = [counts.neg, counts.pos].map((n) => n > 0);
  const raw = [counts.neg, counts.pos].map((n, y) =>
    present[y] ? classBalancedWeight(n, beta) : 0,
  );
  const total = (raw[0] as number) + (raw[1] as number);
  const classes = present.filter(Boolean).length;
  return [((raw[0] as number) / total) * classes, ((raw[1] as number) / total) * classes];
}

function cbMember(beta: number, gamma: number, counts: ClassCounts, base: LogBase): FamilyMember {
  const weights = classBalancedPair(counts, beta);
  const w = (y: Label) => weights[y];
  return {
    loss: 'cb-fl',
    classBeta: beta,
    params: words([
      ['beta', beta],
      ['gamma', gamma],
    ]),
    value: (e) => focalLoss(e.tc, w(e.y), gamma, base),
    grad: (e) => focalLossGradient(e.tc, w(e.y), gamma, e.y, base),
    weight: (e) => modulatingWeight(e.tc, w(e.y), gamma),
  };
}

/**
 * Poly-1 FL is (1 − p_t)^γ·[α_t·CE + ε(1 − p_t)]: negative near p_t = 1 when ε < −α_t. The
 * paper's own RetinaNet setting (α = 0.25, ε = −1) is such a case, so it is said, not refused.
 */
function notePolyNegative(
  o: FamilyOptions,
  names: readonly FamilyName[],
  note: (text: string) => void,
): void {
  if (!names.includes('poly1-fl')) return;
  for (const alpha of o.alpha) {
    const least = alpha === null ? 1 : Math.min(alpha, 1 - alpha);
    for (const epsilon of o.epsilon) {
      if (epsilon < -least) {
        note(
          `poly1-fl with α = ${show(alpha)} and ε = ${epsilon}: ε is below −α_t = −${least}, so the loss is negative for easy examples (p_t near 1)`,
        );
        return;
      }
    }
  }
}

/** The options each family parameter belongs to, to say when one is given for no loss. */
const USED_BY: Record<string, readonly FamilyName[]> = {
  gammaPos: ['asl'],
  gammaNeg: ['asl'],
  margin: ['asl'],
  epsilon: ['poly1', 'poly1-fl'],
  vflAlpha: ['vfl'],
  qflBeta: ['qfl'],
  cbBeta: ['cb-fl'],
  gammaSchedule: ['flsd'],
};

const FLAG: Record<string, string> = {
  gammaPos: '--gamma-pos',
  gammaNeg: '--gamma-neg',
  margin: '--margin',
  epsilon: '--epsilon',
  vflAlpha: '--vfl-alpha',
  qflBeta: '--qfl-beta',
  cbBeta: '--cb-beta',
  gammaSchedule: '--gamma-schedule',
};

/** A note for each family parameter typed where no loss of `--loss` uses it. */
export function noteUnusedParameters(
  names: readonly FamilyName[],
  given: ReadonlySet<string>,
  note: (text: string) => void,
): void {
  for (const [option, users] of Object.entries(USED_BY)) {
    if (given.has(option) && !users.some((name) => names.includes(name))) {
      note(`${FLAG[option]} has no effect: --loss has no ${users.join(' or ')}`);
    }
  }
}

/** The leading columns of a family row: the loss and its setting. */
export const FAMILY_LEAD: readonly Column[] = [
  { name: 'loss', kind: 'text' },
  { name: 'params', kind: 'text' },
];
