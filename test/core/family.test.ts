/**
 * The focal family (issue 18) against the mpmath oracle (test/fixtures/generate_family.py):
 * values and gradients of ASL, Poly-1, Varifocal, Quality Focal, FLSD and class-balanced FL
 * at logits to ±745, probabilities and p_t down to 5e−324, soft targets and each formula's
 * switch points.
 *
 * Tolerances are in EPS. Each starts from what the same operations cost in focal loss (a few
 * ulp plus about γ ulp, test/core/fixtures.test.ts and gradient.test.ts) and is multiplied by
 * the condition number where the problem has one larger than 1:
 * - from a logit, σ(x) carries a few ulp, and a difference with a constant amplifies that:
 *   p − m in ASL by p/p_m, |y − p| in QFL and p − q in VFL's gradient by the terms of
 *   `predictionGap` over |p − q| (see gapCondition), within a small factor of the problem's
 *   own condition number with respect to the logit;
 * - Poly-1 with ε < 0 adds terms of opposite signs: the attainable relative accuracy is
 *   (|first| + |second|)/|sum| ulps.
 */
import { describe, expect, test } from '@jest/globals';
import {
  type AsymmetricParameters,
  asymmetricLoss,
  asymmetricLossGradient,
} from '../../src/core/asymmetric.js';
import {
  classBalancedFocalLoss,
  classBalancedFocalLossGradient,
  classBalancedWeight,
} from '../../src/core/class-balanced.js';
import {
  calibrationGamma,
  gammaSchedule,
  gradientRatio,
  sampleDependentFocalLoss,
  sampleDependentFocalLossGradient,
  scheduledGamma,
} from '../../src/core/gamma-schedule.js';
import { crossEntropyGradient, focalLossGradient } from '../../src/core/gradient.js';
import { alphaT } from '../../src/core/loss.js';
import {
  poly1CrossEntropy,
  poly1CrossEntropyGradient,
  poly1FocalLoss,
  poly1FocalLossGradient,
} from '../../src/core/poly.js';
import { qualityFocalLoss, qualityFocalLossGradient } from '../../src/core/quality-focal.js';
import {
  type SoftTarget,
  softTargetFromLogit,
  softTargetFromProbability,
} from '../../src/core/soft-target.js';
import {
  type Label,
  type TrueClass,
  trueClassFromLogit,
  trueClassFromProbability,
  trueClassFromPt,
} from '../../src/core/true-class.js';
import { varifocalLoss, varifocalLossGradient } from '../../src/core/varifocal.js';
import { type Check, errorInEps, exact, failures, fixture } from './oracle.js';

type Kind = 'logit' | 'probability' | 'pt';

interface Input {
  readonly kind: Kind;
  readonly input: number;
  readonly loss: string;
  readonly grad: string | null;
}

/** The example's true class for label y, from whichever input the case gives. */
function trueClass(kind: Kind, input: number, y: Label): TrueClass {
  if (kind === 'logit') return trueClassFromLogit(input, y);
  if (kind === 'probability') return trueClassFromProbability(input, y);
  return trueClassFromPt(input);
}

function softTarget(kind: Kind, input: number, q: number): SoftTarget {
  return kind === 'logit' ? softTargetFromLogit(input, q) : softTargetFromProbability(input, q);
}

/** Loss and (where the oracle has one) gradient checks. */
function lossAndGradient(
  c: Input,
  loss: number,
  gradient: number,
  lossUlps: number,
  gradUlps: number,
): Check[] {
  const checks: Check[] = [['loss', loss, exact(c.loss), lossUlps]];
  if (c.grad !== null) checks.push(['grad', gradient, exact(c.grad), gradUlps]);
  return checks;
}

/**
 * Runs every case, fails with readable lines (input, value, expected, tolerance), and returns
 * the worst error as a fraction of its tolerance, to show how much room the tolerances leave.
 */
function expectAll<C>(cases: readonly C[], check: (c: C) => Check[]): number {
  const describeCase = (c: C) => JSON.stringify(c).replace(/,"(loss|grad)[^,}]*/g, '');
  expect(failures(cases, check, describeCase)).toEqual([]);
  return Math.max(
    ...cases.flatMap((c) =>
      check(c).map(([, v, e, ulps]) => (ulps === 0 ? 0 : errorInEps(v, e) / ulps)),
    ),
  );
}

/**
 * The condition number of p − q as `predictionGap` forms it from a logit x: the sum of its
 * terms' magnitudes over |p − q| (tanh(x/2)/2 and 1/2 − q for |x| < 1; else the side held to
 * a few ulp, p or 1 − p, over |p − q|). It stays within a small factor of the problem's own,
 * |x|·p(1 − p)/|p − q|. From an exact probability, 1.
 */
function gapCondition(kind: Kind, x: number, p: number, q: number): number {
  if (kind !== 'logit' || p === q) return 1;
  if (Math.abs(x) < 1)
    return 1 + (Math.abs(Math.tanh(x / 2) / 2) + Math.abs(0.5 - q)) / Math.abs(p - q);
  const held = p >= 0.5 && q >= 0.5 ? 1 - p : p;
  return 1 + Math.abs(held / (p - q));
}

/** (|a| + |b|)/|a + b| given the sum of the magnitudes and the sum: 1 where not finite. */
function condition(magnitudes: number, sum: number): number {
  const ratio = magnitudes / Math.abs(sum);
  return Number.isFinite(ratio) ? Math.max(1, ratio) : 1;
}

describe('ASL (test/fixtures/asl.json)', () => {
  interface Case extends Input {
    readonly y: Label;
    readonly gamma_pos: number;
    readonly gamma_neg: number;
    readonly margin: number;
  }
  const { cases } = fixture<Case>('asl.json');

  test('logits to ±745 and probabilities around the margin, 8 settings, both labels', () => {
    expect(cases.length).toBeGreaterThan(600);
    const worst = expectAll(cases, (c) => {
      const tc = trueClass(c.kind, c.input, c.y);
      const parameters: AsymmetricParameters = {
        gammaPos: c.gamma_pos,
        gammaNeg: c.gamma_neg,
        margin: c.margin,
      };
      const gamma = c.y === 1 ? c.gamma_pos : c.gamma_neg;
      const p = tc.oneMinusPt;
      const shifted = p - c.margin;
      const kappa =
        c.y === 0 && c.margin > 0 && c.kind === 'logit' && shifted > 0 ? 1 + p / shifted : 1;
      return lossAndGradient(
        c,
        asymmetricLoss(tc, c.y, parameters),
        asymmetricLossGradient(tc, c.y, parameters),
        4 * (1 + gamma) * kappa,
        6 * (1 + gamma) * kappa,
      );
    });
    // Measured (2026-11-30): at worst 0.26 (1.6 EPS of 6) of the tolerance.
    expect(worst).toBeLessThanOrEqual(1);
  });
});

describe('Poly-1 (test/fixtures/poly.json)', () => {
  interface Case extends Input {
    readonly y: Label;
    readonly alpha: number | null;
    readonly gamma: number | null;
    readonly epsilon: number;
    readonly loss_terms: string;
  }
  const { cases } = fixture<Case>('poly.json');

  test('CE and FL, ε ∈ {−1, −0.5, −0.25, 1, 2.5}, logits and p_t to 5e−324', () => {
    expect(cases.length).toBeGreaterThan(2000);
    const worst = expectAll(cases, (c) => {
      const tc = trueClass(c.kind, c.input, c.y);
      const at = alphaT(c.alpha, c.y);
      const lossKappa = condition(exact(c.loss_terms), exact(c.loss));
      if (c.gamma === null) {
        const g = poly1CrossEntropyGradient(tc, c.epsilon, c.y);
        const terms = Math.abs(crossEntropyGradient(tc, c.y)) * (1 + Math.abs(c.epsilon));
        const gradKappa = condition(terms, g);
        return lossAndGradient(
          c,
          poly1CrossEntropy(tc, c.epsilon),
          g,
          4 * lossKappa,
          4 * gradKappa,
        );
      }
      const g = poly1FocalLossGradient(tc, at, c.gamma, c.epsilon, c.y);
      const epsilonTerm =
        Math.abs(c.epsilon) * (c.gamma + 1) * tc.pt * tc.oneMinusPt ** (c.gamma + 1);
      const terms = Math.abs(focalLossGradient(tc, at, c.gamma, c.y)) + epsilonTerm;
      const gradKappa = condition(terms, g);
      return lossAndGradient(
        c,
        poly1FocalLoss(tc, at, c.gamma, c.epsilon),
        g,
        4 * (1 + c.gamma) * lossKappa,
        6 * (1 + c.gamma) * gradKappa,
      );
    });
    // Measured (2026-11-30): at worst 0.50 (2.0 EPS of 4) of the tolerance.
    expect(worst).toBeLessThanOrEqual(1);
  });
});

describe('Varifocal (test/fixtures/varifocal.json)', () => {
  interface Case extends Input {
    readonly target: number;
    readonly alpha: number;
    readonly gamma: number;
    readonly iou_weighted: boolean;
  }
  const { cases } = fixture<Case>('varifocal.json');

  test('soft targets 0 … 1, logits and probabilities, 4 settings', () => {
    expect(cases.length).toBeGreaterThan(1000);
    const worst = expectAll(cases, (c) => {
      const example = softTarget(c.kind, c.input, c.target);
      const parameters = { alpha: c.alpha, gamma: c.gamma, iouWeighted: c.iou_weighted };
      const kappa = c.target > 0 ? gapCondition(c.kind, c.input, example.positive.pt, c.target) : 1;
      return lossAndGradient(
        c,
        varifocalLoss(example, parameters),
        varifocalLossGradient(example, parameters),
        4 * (1 + c.gamma),
        6 * (1 + c.gamma) * kappa,
      );
    });
    // Measured (2026-11-30): at worst 0.26 of the tolerance.
    expect(worst).toBeLessThanOrEqual(1);
  });
});

describe('Quality Focal (test/fixtures/quality-focal.json)', () => {
  interface Case extends Input {
    readonly target: number;
    readonly beta: number;
  }
  const { cases } = fixture<Case>('quality-focal.json');

  test('soft targets 0 … 1 (p = y included), β ∈ {0.5, 1, 2, 2.5, 6}', () => {
    expect(cases.length).toBeGreaterThan(1000);
    const worst = expectAll(cases, (c) => {
      const example = softTarget(c.kind, c.input, c.target);
      const kappa = gapCondition(c.kind, c.input, example.positive.pt, c.target);
      return lossAndGradient(
        c,
        qualityFocalLoss(example, c.beta),
        qualityFocalLossGradient(example, c.beta),
        4 * (1 + c.beta) * kappa,
        6 * (2 + c.beta) * kappa,
      );
    });
    // Measured (2026-11-30): at worst 0.29 of the tolerance.
    expect(worst).toBeLessThanOrEqual(1);
  });
});

describe('FLSD (test/fixtures/flsd.json)', () => {
  interface Case extends Input {
    readonly y: Label;
    readonly thresholds: number[];
    readonly gammas: number[];
    readonly alpha: number | null;
    readonly gamma: number;
  }
  const { cases } = fixture<Case>('flsd.json');

  test('three schedules, p_t on each threshold and next to it', () => {
    expect(cases.length).toBeGreaterThan(300);
    const worst = expectAll(cases, (c) => {
      const tc = trueClass(c.kind, c.input, c.y);
      const schedule = gammaSchedule(c.thresholds, c.gammas);
      const at = alphaT(c.alpha, c.y);
      return [
        ['γ', scheduledGamma(tc.pt, schedule), c.gamma, 0],
        ...lossAndGradient(
          c,
          sampleDependentFocalLoss(tc, at, schedule),
          sampleDependentFocalLossGradient(tc, at, c.y, schedule),
          2 * (1 + c.gamma),
          4 * (1 + c.gamma),
        ),
      ];
    });
    // Measured (2026-11-30): at worst 0.52 (1.6 EPS of 3) of the tolerance.
    expect(worst).toBeLessThanOrEqual(1);
  });
});

describe('the calibration γ and the gradient ratio (test/fixtures/flsd.json)', () => {
  interface Calibration {
    readonly p0: number;
    readonly gamma: string;
  }
  interface Ratio {
    readonly pt: number;
    readonly gamma: number;
    readonly ratio: string;
  }
  const data = fixture<never>('flsd.json') as unknown as {
    calibration: Calibration[];
    ratios: Ratio[];
  };

  test('γ* with g(p₀, γ*) = 1 for p₀ from 1e−300 to 0.4999 (the Lambert W solution)', () => {
    expect(data.calibration.length).toBeGreaterThan(10);
    // ln g = γa + ln(1 + γb) is 0 at the root as a difference of two terms, each with an
    // error of an ulp or so: dividing by γ·|d ln g/dγ| gives the root's relative condition.
    const worst = expectAll(data.calibration, (c) => {
      const gamma = exact(c.gamma);
      const a = Math.log1p(-c.p0);
      const b = (-c.p0 * Math.log(c.p0)) / (1 - c.p0);
      const slope = Math.abs(a + b / (1 + gamma * b));
      const kappa = (Math.abs(gamma * a) + Math.log1p(gamma * b)) / (gamma * slope);
      return [['γ*', calibrationGamma(c.p0), gamma, 2 * (1 + kappa)]];
    });
    // Measured (2026-11-30): at worst 0.22 of the tolerance; 1.6 EPS at p₀ = 0.2, and
    // 4947 EPS at p₀ = 0.4999, where κ ≈ 11,000 (the root tends to 0 as p₀ → 1/2).
    expect(worst).toBeLessThanOrEqual(1);
  });

  test('g(p_t, γ) = |dFL/dx|/|dCE/dx| at p_t from 0 to 1', () => {
    const worst = expectAll(data.ratios, (c) => [
      ['g', gradientRatio(trueClassFromPt(c.pt), c.gamma), exact(c.ratio), 4 * (1 + c.gamma)],
    ]);
    // Measured (2026-11-30): at worst 0.16 (0.94 EPS of 6).
    expect(worst).toBeLessThanOrEqual(1);
  });
});

describe('class-balanced FL (test/fixtures/class-balanced.json)', () => {
  interface Case extends Input {
    readonly y: Label;
    readonly count: number;
    readonly beta: number;
    readonly gamma: number;
  }
  interface WeightCase {
    readonly count: number;
    readonly beta: number;
    readonly weight: string;
  }
  const { cases, weights } = fixture<Case>('class-balanced.json') as ReturnType<
    typeof fixture<Case>
  > & { weights: WeightCase[] };

  test('the weight (1 − β)/(1 − β^n) for n to 10⁶ and β to 0.9999', () => {
    const worst = expectAll(weights, (c) => [
      ['weight', classBalancedWeight(c.count, c.beta), exact(c.weight), 8],
    ]);
    // Measured (2026-11-30): at worst 0.10 (0.8 EPS) of the tolerance.
    expect(worst).toBeLessThanOrEqual(1);
  });

  test('CB-FL and its gradient', () => {
    expect(cases.length).toBeGreaterThan(1000);
    const worst = expectAll(cases, (c) => {
      const tc = trueClass(c.kind, c.input, c.y);
      return lossAndGradient(
        c,
        classBalancedFocalLoss(tc, c.count, c.beta, c.gamma),
        classBalancedFocalLossGradient(tc, c.count, c.beta, c.gamma, c.y),
        8 + 2 * (1 + c.gamma),
        8 + 4 * (1 + c.gamma),
      );
    });
    // Measured (2026-11-30): at worst 0.18 of the tolerance.
    expect(worst).toBeLessThanOrEqual(1);
  });
});
