/**
 * The focal family's identities (issue 18), as properties, and its special values: no NaN at
 * p = 0, p = 1, a margin that zeroes p_m, or γ < 1.
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { ASL_PAPER, asymmetricLoss, asymmetricLossGradient } from '../../src/core/asymmetric.js';
import {
  classBalancedFocalLoss,
  classBalancedFocalLossGradient,
  classBalancedWeight,
  classBalancedWeights,
} from '../../src/core/class-balanced.js';
import {
  FLSD_53,
  gammaSchedule,
  sampleDependentFocalLoss,
  scheduledGamma,
} from '../../src/core/gamma-schedule.js';
import { crossEntropyGradient, focalLossGradient } from '../../src/core/gradient.js';
import { type LogBase, logBase, NATURAL_LOG } from '../../src/core/log-base.js';
import { crossEntropy, focalLoss } from '../../src/core/loss.js';
import {
  entropyExcess,
  poly1CrossEntropy,
  poly1CrossEntropyGradient,
  poly1FocalLoss,
  poly1FocalLossGradient,
  poly1MinimumEpsilon,
} from '../../src/core/poly.js';
import { qualityFocalLoss, qualityFocalLossGradient } from '../../src/core/quality-focal.js';
import {
  predictionGap,
  softBinaryCrossEntropy,
  softBinaryCrossEntropyGradient,
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
import { VFL_DEFAULTS, varifocalLoss, varifocalLossGradient } from '../../src/core/varifocal.js';

const logit = fc.double({ min: -800, max: 800, noNaN: true });
const probability = fc.double({ min: 0, max: 1, noNaN: true });
const label = fc.constantFrom<Label>(0, 1);
const gamma = fc.oneof(
  fc.constantFrom(0, 0.25, 0.5, 1, 2, 3.7, 5),
  fc.double({ min: 0, max: 8, noNaN: true }),
);
/** An example from a logit or from a probability, with its label. */
const example = fc.oneof(
  fc.tuple(logit, label).map(([x, y]) => ({ tc: trueClassFromLogit(x, y), y, input: `x = ${x}` })),
  fc
    .tuple(probability, label)
    .map(([p, y]) => ({ tc: trueClassFromProbability(p, y), y, input: `p = ${p}` })),
);

/** Same value, or both NaN-free and equal: identities here hold to the last bit. */
function same(a: number, b: number, what: string): void {
  if (!Object.is(a, b) && a !== b) throw new Error(`${what}: ${a} ≠ ${b}`);
}

describe('identities (property tests)', () => {
  test('ASL with γ₊ = γ₋ = γ and m = 0 is FL with α none (loss and gradient)', () => {
    fc.assert(
      fc.property(example, gamma, ({ tc, y, input }, g) => {
        const parameters = { gammaPos: g, gammaNeg: g, margin: 0 };
        same(asymmetricLoss(tc, y, parameters), focalLoss(tc, 1, g), `loss, ${input}, γ = ${g}`);
        same(
          asymmetricLossGradient(tc, y, parameters),
          focalLossGradient(tc, 1, g, y),
          `grad, ${input}, γ = ${g}`,
        );
      }),
    );
  });

  test('Poly-1 with ε = 0 is CE and FL (loss and gradient)', () => {
    const alpha = fc.double({ min: 0, max: 1, noNaN: true });
    fc.assert(
      fc.property(example, alpha, gamma, ({ tc, y, input }, a, g) => {
        same(poly1CrossEntropy(tc, 0), crossEntropy(tc), `CE, ${input}`);
        same(poly1CrossEntropyGradient(tc, 0, y), crossEntropyGradient(tc, y), `dCE, ${input}`);
        same(poly1FocalLoss(tc, a, g, 0), focalLoss(tc, a, g), `FL, ${input}`);
        same(
          poly1FocalLossGradient(tc, a, g, 0, y),
          focalLossGradient(tc, a, g, y),
          `dFL, ${input}`,
        );
      }),
    );
  });

  test('QFL at y ∈ {0, 1} is FL with γ = β and α none', () => {
    fc.assert(
      fc.property(logit, label, gamma, (x, y, beta) => {
        const soft = softTargetFromLogit(x, y);
        const tc = trueClassFromLogit(x, y);
        same(qualityFocalLoss(soft, beta), focalLoss(tc, 1, beta), `x = ${x}, y = ${y}`);
        same(qualityFocalLossGradient(soft, beta), focalLossGradient(tc, 1, beta, y), `x = ${x}`);
      }),
    );
  });

  test('QFL next to y ∈ {0, 1} tends to FL (the general formula agrees with the special case)', () => {
    const moderate = fc.double({ min: -30, max: 30, noNaN: true });
    fc.assert(
      fc.property(moderate, label, fc.constantFrom(0.5, 1, 2, 3.3), (x, y, beta) => {
        const near = y === 1 ? 1 - 2 ** -40 : 2 ** -40;
        const general = qualityFocalLoss(softTargetFromLogit(x, near), beta);
        const fl = focalLoss(trueClassFromLogit(x, y), 1, beta);
        expect(Math.abs(general - fl)).toBeLessThanOrEqual(1e-9 * (fl + 1e-300) + 1e-11);
      }),
    );
  });

  test('VFL at q = 0 is FL of a negative with α_t = α (not 1 − α)', () => {
    const alpha = fc.double({ min: 0, max: 1, noNaN: true });
    fc.assert(
      fc.property(logit, alpha, gamma, (x, a, g) => {
        const parameters = { alpha: a, gamma: g, iouWeighted: true };
        const negative = trueClassFromLogit(x, 0);
        const soft = softTargetFromLogit(x, 0);
        same(varifocalLoss(soft, parameters), focalLoss(negative, a, g), `x = ${x}`);
        same(
          varifocalLossGradient(soft, parameters),
          focalLossGradient(negative, a, g, 0),
          `x = ${x}`,
        );
      }),
    );
  });

  test('VFL of a positive is q·BCE(p, q), and BCE against q = 1 is CE', () => {
    fc.assert(
      fc.property(logit, fc.double({ min: 0, max: 1, noNaN: true, minExcluded: true }), (x, q) => {
        const soft = softTargetFromLogit(x, q);
        same(varifocalLoss(soft), q * softBinaryCrossEntropy(soft), `x = ${x}, q = ${q}`);
        same(varifocalLossGradient(soft), q * softBinaryCrossEntropyGradient(soft), `x = ${x}`);
        const hard = softTargetFromLogit(x, 1);
        same(softBinaryCrossEntropy(hard), crossEntropy(trueClassFromLogit(x, 1)), `x = ${x}`);
      }),
    );
  });

  test('CB-FL with β = 0 is FL with α none; β → 1 tends to 1/n', () => {
    const count = fc.integer({ min: 1, max: 1e9 });
    fc.assert(
      fc.property(example, count, gamma, ({ tc, y, input }, n, g) => {
        same(classBalancedFocalLoss(tc, n, 0, g), focalLoss(tc, 1, g), `${input}, n = ${n}`);
        same(classBalancedFocalLossGradient(tc, n, 0, g, y), focalLossGradient(tc, 1, g, y), input);
      }),
    );
    for (const n of [1, 7, 1000]) {
      expect(classBalancedWeight(n, 1 - 1e-12)).toBeCloseTo(1 / n, 6);
    }
  });

  test('FLSD is FL with the γ its schedule gives', () => {
    fc.assert(
      fc.property(example, ({ tc, y }) => {
        const g = tc.pt < 0.2 ? 5 : 3;
        same(scheduledGamma(tc.pt), g, `p_t = ${tc.pt}`);
        same(sampleDependentFocalLoss(tc, 1), focalLoss(tc, 1, g), `p_t = ${tc.pt}, y = ${y}`);
      }),
    );
  });

  test('the loss stays ≥ 0 exactly when ε ≥ −α_t (Poly-1 CE: ε ≥ −1)', () => {
    const pt = fc.double({ min: 0, max: 1, noNaN: true });
    const alpha = fc.double({ min: 0, max: 1, noNaN: true });
    fc.assert(
      fc.property(
        pt,
        alpha,
        gamma,
        fc.double({ min: 0, max: 3, noNaN: true }),
        (p, a, g, extra) => {
          const tc = trueClassFromPt(p);
          const epsilon = poly1MinimumEpsilon(a) + extra;
          expect(poly1FocalLoss(tc, a, g, epsilon)).toBeGreaterThanOrEqual(0);
          expect(poly1CrossEntropy(tc, -1 + extra)).toBeGreaterThanOrEqual(0);
        },
      ),
    );
    // Below the bound it turns negative near p_t = 1.
    expect(poly1CrossEntropy(trueClassFromPt(0.999), -1.01)).toBeLessThan(0);
    expect(poly1FocalLoss(trueClassFromPt(0.999), 0.25, 2, -0.26)).toBeLessThan(0);
  });
});

describe('log bases', () => {
  test('in base b every loss and gradient of the family is the natural one divided by ln b', () => {
    const base = fc.constantFrom(logBase(2), logBase(10), logBase(3.7));
    const q = fc.double({ min: 0, max: 1, noNaN: true });
    fc.assert(
      fc.property(example, q, base, ({ tc, y, input }, target, b) => {
        const soft = softTargetFromProbability(tc.pt, target);
        const pairs: [string, (base: LogBase) => number][] = [
          ['asl', (base) => asymmetricLoss(tc, y, ASL_PAPER, base)],
          ['dasl', (base) => asymmetricLossGradient(tc, y, ASL_PAPER, base)],
          ['poly', (base) => poly1FocalLoss(tc, 0.25, 2, -0.2, base)],
          ['dpoly', (base) => poly1FocalLossGradient(tc, 0.25, 2, 1, y, base)],
          ['polyce', (base) => poly1CrossEntropy(tc, 0, base)],
          ['dpolyce', (base) => poly1CrossEntropyGradient(tc, -1, y, base)],
          ['vfl', (base) => varifocalLoss(soft, VFL_DEFAULTS, base)],
          ['dvfl', (base) => varifocalLossGradient(soft, VFL_DEFAULTS, base)],
          ['qfl', (base) => qualityFocalLoss(soft, 2, base)],
          ['dqfl', (base) => qualityFocalLossGradient(soft, 2, base)],
          ['flsd', (base) => sampleDependentFocalLoss(tc, 1, FLSD_53, base)],
          ['cb', (base) => classBalancedFocalLoss(tc, 10, 0.9, 2, base)],
          ['dcb', (base) => classBalancedFocalLossGradient(tc, 10, 0.9, 2, y, base)],
        ];
        for (const [name, f] of pairs) {
          const natural = f(NATURAL_LOG) / b.lnBase;
          const inBase = f(b);
          const ok = Number.isFinite(natural)
            ? Math.abs(inBase - natural) <= 4 * Number.EPSILON * Math.abs(natural) + 1e-320
            : Object.is(inBase, natural);
          if (!ok)
            throw new Error(
              `${name}, ${input}, q = ${target}, base ${b.name}: ${inBase} vs ${natural}`,
            );
        }
      }),
    );
  });
});

describe('precision where the naive forms cancel', () => {
  test('Poly-1 CE at ε = −1 and 1 − p_t = 1e−10 is 5e−21 (the naive sum gives noise)', () => {
    const tc = trueClassFromLogit(Math.log((1 - 1e-10) / 1e-10), 1);
    const u = tc.oneMinusPt;
    const exact = (u * u) / 2 + (u * u * u) / 3;
    expect(Math.abs(poly1CrossEntropy(tc, -1) - exact)).toBeLessThanOrEqual(
      4 * Number.EPSILON * exact,
    );
  });

  test('entropyExcess agrees with −ln p_t − (1 − p_t) where that has no cancellation', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-300, max: 0.6, noNaN: true }), (pt) => {
        const tc = trueClassFromPt(pt);
        const direct = -Math.log(pt) - (1 - pt);
        expect(Math.abs(entropyExcess(tc) - direct)).toBeLessThanOrEqual(
          64 * Number.EPSILON * direct,
        );
      }),
    );
  });

  test('p − q at x = 1e−8, q = 1/2 is 2.5e−9 to the last digit (σ(x) − q keeps 8 digits)', () => {
    const gap = predictionGap(softTargetFromLogit(1e-8, 0.5));
    expect(Math.abs(gap - 2.5e-9)).toBeLessThanOrEqual(2 * Number.EPSILON * 2.5e-9);
    const naive = 1 / (1 + Math.exp(-1e-8)) - 0.5;
    expect(Math.abs(naive - 2.5e-9)).toBeGreaterThan(1e-9 * 2.5e-9);
  });

  test('QFL with y and p both near 1 keeps |y − p|: y = 1 − 2⁻³⁰, x = 40', () => {
    const soft = softTargetFromLogit(40, 1 - 2 ** -30);
    const gap = 2 ** -30 - 4.248354255291589e-18;
    const bce = softBinaryCrossEntropy(soft);
    const expected = bce * gap * gap;
    expect(Math.abs(qualityFocalLoss(soft) - expected)).toBeLessThanOrEqual(
      8 * Number.EPSILON * expected,
    );
    // p − q = 2⁻³⁰ − σ(−40) to the last bit, where σ(40) − q in doubles keeps only 9 digits.
    expect(softBinaryCrossEntropyGradient(soft)).toBe(gap);
  });
});

describe('special values: no NaN anywhere on the domain', () => {
  const ends: { name: string; tc: (y: Label) => TrueClass }[] = [
    { name: 'p = 0', tc: (y) => trueClassFromProbability(0, y) },
    { name: 'p = 1', tc: (y) => trueClassFromProbability(1, y) },
    { name: 'x = −800', tc: (y) => trueClassFromLogit(-800, y) },
    { name: 'x = 800', tc: (y) => trueClassFromLogit(800, y) },
  ];
  const gammas = [0, 0.25, 0.5, 0.75, 1, 2, 5];

  test.each(ends)('every loss and gradient at $name, γ ∈ {0, 0.25, …, 5}', ({ tc }) => {
    const values: [string, number][] = [];
    for (const y of [0, 1] as const) {
      const t = tc(y);
      for (const g of gammas) {
        const asl = { gammaPos: g, gammaNeg: g, margin: 0.05 };
        values.push(
          [`asl y=${y} γ=${g}`, asymmetricLoss(t, y, asl)],
          [`dasl y=${y} γ=${g}`, asymmetricLossGradient(t, y, asl)],
          [`poly y=${y} γ=${g}`, poly1FocalLoss(t, 0.25, g, -0.25)],
          [`dpoly y=${y} γ=${g}`, poly1FocalLossGradient(t, 0.25, g, -0.25, y)],
          [`dpolyce y=${y}`, poly1CrossEntropyGradient(t, -1, y)],
          [`cb y=${y} γ=${g}`, classBalancedFocalLossGradient(t, 10, 0.99, g, y)],
        );
      }
    }
    for (const [what, v] of values) {
      if (Number.isNaN(v)) throw new Error(`${what} is NaN`);
    }
    expect(values.length).toBe(2 * gammas.length * 6);
  });

  test('soft-target losses at p ∈ {0, 1} and logits ±800 for every q and γ, β < 1 included', () => {
    const examples = [
      ...[0, 1].flatMap((p) => [0, 0.3, 1].map((q) => softTargetFromProbability(p, q))),
      ...[-800, 800].flatMap((x) => [0, 0.3, 1].map((q) => softTargetFromLogit(x, q))),
    ];
    let checked = 0;
    for (const soft of examples) {
      for (const g of gammas) {
        for (const v of [
          varifocalLoss(soft, { ...VFL_DEFAULTS, gamma: g }),
          varifocalLossGradient(soft, { ...VFL_DEFAULTS, gamma: g }),
          qualityFocalLoss(soft, g),
          qualityFocalLossGradient(soft, g),
        ]) {
          expect(Number.isNaN(v)).toBe(false);
          checked++;
        }
      }
    }
    expect(checked).toBe(examples.length * gammas.length * 4);
  });

  test('VFL and QFL gradients at p = 0 with q > 0 are their limits: −q² and −q^(β+1)', () => {
    const soft = softTargetFromProbability(0, 0.3);
    expect(varifocalLoss(soft)).toBe(Number.POSITIVE_INFINITY);
    expect(varifocalLossGradient(soft)).toBeCloseTo(-0.09, 15);
    expect(qualityFocalLossGradient(soft, 2)).toBeCloseTo(-(0.3 ** 3), 15);
  });

  test('QFL at p = y: loss 0, gradient 0 for every β (the minimum; a subgradient for β ≤ 1)', () => {
    for (const beta of [0, 0.5, 1, 2]) {
      const soft = softTargetFromProbability(0.25, 0.25);
      expect(qualityFocalLoss(soft, beta)).toBe(beta === 0 ? softBinaryCrossEntropy(soft) : 0);
      expect(qualityFocalLossGradient(soft, beta)).toBe(0);
    }
  });

  test('ASL: a negative with p ≤ m has no loss and no gradient; at p = m exactly, from above', () => {
    for (const g of [0, 0.5, 4]) {
      const parameters = { gammaPos: 0, gammaNeg: g, margin: 0.05 };
      for (const p of [0, 1e-300, 0.01, 0.04999999999999999]) {
        const tc = trueClassFromProbability(p, 0);
        expect(asymmetricLoss(tc, 0, parameters)).toBe(0);
        expect(asymmetricLossGradient(tc, 0, parameters)).toBe(0);
      }
      const atMargin = trueClassFromProbability(0.05, 0);
      expect(asymmetricLoss(atMargin, 0, parameters)).toBe(0);
      expect(asymmetricLossGradient(atMargin, 0, parameters)).toBeCloseTo(
        g === 0 ? 0.05 * 0.95 : 0,
        15,
      );
    }
  });

  test('ASL at p = 1 for a negative is finite with a margin: −(1 − m)^γ₋·ln m', () => {
    const tc = trueClassFromProbability(1, 0);
    expect(asymmetricLoss(tc, 0, ASL_PAPER)).toBeCloseTo(-(0.95 ** 4) * Math.log(0.05), 14);
    expect(asymmetricLossGradient(tc, 0, ASL_PAPER)).toBe(0);
  });
});

describe('parameters', () => {
  test('gammaSchedule refuses malformed schedules with a RangeError naming the rule', () => {
    expect(() => gammaSchedule([0.2], [5])).toThrow(/one more γ than thresholds/);
    expect(() => gammaSchedule([0.5, 0.2], [5, 3, 1])).toThrow(/must increase/);
    expect(() => gammaSchedule([0], [5, 3])).toThrow(/not in \(0, 1\]/);
    expect(() => gammaSchedule([0.2], [5, -1])).toThrow(/finite number ≥ 0/);
    expect(gammaSchedule([0.2, 0.5], [5, 3, 3])).toEqual({
      thresholds: [0.2, 0.5],
      gammas: [5, 3, 3],
    });
  });

  test("FLSD-53 and the authors' three-step schedule with γ = 3 pick the same γ", () => {
    const authors = gammaSchedule([0.2, 0.5], [5, 3, 3]);
    for (const pt of [0, 0.1, 0.19999999999999998, 0.2, 0.3, 0.5, 0.9, 1]) {
      expect(scheduledGamma(pt, authors)).toBe(scheduledGamma(pt, FLSD_53));
    }
    expect(scheduledGamma(0.19999999999999998)).toBe(5);
    expect(scheduledGamma(0.2)).toBe(3);
  });

  test("classBalancedWeights sums to the number of classes, as the authors' code", () => {
    const [many = 0, few = 0] = classBalancedWeights([1e6, 10], 0.9999);
    expect(many + few).toBeCloseTo(2, 14);
    expect(few / many).toBeCloseTo(
      classBalancedWeight(10, 0.9999) / classBalancedWeight(1e6, 0.9999),
      12,
    );
  });
});
