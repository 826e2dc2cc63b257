/** The laws of the losses, for random inputs (fast-check). */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import {
  alphaT,
  balancedCrossEntropy,
  crossEntropy,
  focalLoss,
  type Label,
  logBase,
  lossShares,
  modulatingWeight,
  sigmoid,
  trueClassFromLogit,
  trueClassFromProbability,
  trueClassFromPt,
} from '../../src/index.js';

const probability = fc.double({ min: 0, max: 1, noNaN: true });
const alpha = fc.oneof(fc.constant(null), fc.double({ min: 0, max: 1, noNaN: true }));
const gamma = fc.double({ min: 0, max: 10, noNaN: true });
const label = fc.constantFrom<Label>(0, 1);
const logit = fc.double({ min: -800, max: 800, noNaN: true });
const base = fc.oneof(
  fc.constant<number | 'e'>('e'),
  fc.constantFrom(2, 10),
  fc.double({ min: 1.01, max: 1000, noNaN: true }),
);

describe('focal loss laws', () => {
  test('FL ≤ α_t·CE (the weight (1 − p_t)^γ is at most 1)', () => {
    fc.assert(
      fc.property(probability, alpha, gamma, label, (pt, a, g, y) => {
        const tc = trueClassFromPt(pt);
        const at = alphaT(a, y);
        expect(focalLoss(tc, at, g)).toBeLessThanOrEqual(balancedCrossEntropy(tc, at));
      }),
    );
  });

  test('FL and CE do not increase as p_t grows', () => {
    fc.assert(
      fc.property(probability, probability, alpha, gamma, label, (p1, p2, a, g, y) => {
        const [lo, hi] = p1 <= p2 ? [p1, p2] : [p2, p1];
        const at = alphaT(a, y);
        const [tLo, tHi] = [trueClassFromPt(lo), trueClassFromPt(hi)];
        expect(focalLoss(tHi, at, g)).toBeLessThanOrEqual(focalLoss(tLo, at, g));
        expect(crossEntropy(tHi)).toBeLessThanOrEqual(crossEntropy(tLo));
      }),
    );
  });

  test('γ = 0 gives α-balanced CE exactly', () => {
    fc.assert(
      fc.property(logit, alpha, label, (x, a, y) => {
        const tc = trueClassFromLogit(x, y);
        const at = alphaT(a, y);
        expect(focalLoss(tc, at, 0)).toBe(balancedCrossEntropy(tc, at));
        expect(modulatingWeight(tc, at, 0)).toBe(at);
      }),
    );
  });

  test('a logit and its probability give the same losses where σ(x) keeps its digits', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -30, max: 30, noNaN: true }),
        alpha,
        gamma,
        label,
        (x, a, g, y) => {
          const at = alphaT(a, y);
          const fromLogit = focalLoss(trueClassFromLogit(x, y), at, g);
          const fromP = focalLoss(trueClassFromProbability(sigmoid(x), y), at, g);
          // σ(x) rounds p, and 1 − p then loses up to e^|x|·2⁻⁵³ relative: allow for that.
          const tolerance = (1 + g) * Math.exp(Math.abs(x)) * 4 * Number.EPSILON;
          expect(Math.abs(fromLogit - fromP)).toBeLessThanOrEqual(
            tolerance * Math.max(fromLogit, 1e-300),
          );
        },
      ),
    );
  });

  test('every loss is non-negative', () => {
    fc.assert(
      fc.property(logit, alpha, gamma, label, base, (x, a, g, y, b) => {
        const tc = trueClassFromLogit(x, y);
        const lb = logBase(b);
        expect(crossEntropy(tc, lb)).toBeGreaterThanOrEqual(0);
        expect(focalLoss(tc, alphaT(a, y), g, lb)).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});

describe('shares', () => {
  const group = fc.record({
    count: fc.oneof(
      fc.double({ min: 0, max: 1e308, noNaN: true }),
      fc.integer({ min: 0, max: 1e6 }),
    ),
    pt: probability,
    y: label,
  });
  const groups = fc.array(group, { minLength: 1, maxLength: 6 });

  test('shares sum to 1 (or are all NaN when nothing carries loss)', () => {
    fc.assert(
      fc.property(groups, alpha, gamma, (gs, a, g) => {
        const terms = gs.map((x) => ({
          count: x.count,
          perExample: focalLoss(trueClassFromPt(x.pt), alphaT(a, x.y), g),
        }));
        const shares = lossShares(terms);
        if (shares.every(Number.isNaN)) {
          expect(terms.every((t) => t.count === 0 || t.perExample === 0)).toBe(true);
          return;
        }
        for (const s of shares) {
          expect(s).toBeGreaterThanOrEqual(0);
          expect(s).toBeLessThanOrEqual(1);
        }
        const sum = shares.reduce((x, y) => x + y, 0);
        expect(Math.abs(sum - 1)).toBeLessThanOrEqual(8 * gs.length * Number.EPSILON);
      }),
    );
  });

  test('the log base does not change a share', () => {
    fc.assert(
      fc.property(groups, alpha, gamma, base, (gs, a, g, b) => {
        const sharesIn = (lb: ReturnType<typeof logBase>) =>
          lossShares(
            gs.map((x) => ({
              count: x.count,
              perExample: focalLoss(trueClassFromPt(x.pt), alphaT(a, x.y), g, lb),
            })),
          );
        // A subnormal per-example loss has lost digits already; rescaling it loses more.
        fc.pre(
          gs.every((x) => {
            const loss = focalLoss(trueClassFromPt(x.pt), alphaT(a, x.y), g);
            return loss === 0 || loss >= 2 ** -1022;
          }),
        );
        const natural = sharesIn(logBase('e'));
        const other = sharesIn(logBase(b));
        natural.forEach((s, i) => {
          const t = other[i] as number;
          if (Number.isNaN(s)) expect(t).toBeNaN();
          else expect(Math.abs(s - t)).toBeLessThanOrEqual(16 * Number.EPSILON * s + 1e-300);
        });
      }),
    );
  });
});
