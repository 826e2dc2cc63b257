/**
 * The spread of a fresh classifier's probabilities against mpmath (test/fixtures/
 * initialisation.json, "spread"), and its laws.
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import {
  initialProbabilityQuantile,
  NORMAL_Q99,
  preActivationStd,
  shiftedPrior,
} from '../../src/core/prior.js';
import { normalCdf, normalQuantile, preActivationQuantile } from '../../src/core/spread.js';
import { initialisation, type SpreadCase } from './initialisation-fixture.js';
import { type Check, EPS, exact, failures } from './oracle.js';

const { spread, z99 } = initialisation;

/**
 * wx's 99% point of each case, solved once for the two tests that check it (each solve takes a
 * tenth of a second: solving it again in the second test was half of this file's time).
 */
const solvedQ99 = new Map<SpreadCase, number>();
function wxQ99(c: SpreadCase): number {
  let t = solvedQ99.get(c);
  if (t === undefined) {
    t = preActivationQuantile(c.fan_in, c.weight_std, c.input_mean, c.input_std, 0.99);
    solvedQ99.set(c, t);
  }
  return t;
}

const describeCase = (c: SpreadCase) =>
  `π = ${c.pi}, n = ${c.fan_in}, S = ${c.weight_std}, M = ${c.input_mean}, D = ${c.input_std}`;

describe('the spread of the initial probability against mpmath', () => {
  test('wx_std = √(n·S²·(D² + M²)) within 4 EPS', () => {
    expect(spread.length).toBeGreaterThan(500);
    const check = (c: SpreadCase): Check[] => [
      [
        'wx_std',
        preActivationStd(c.fan_in, c.weight_std, c.input_mean, c.input_std),
        exact(c.wx_std),
        4,
      ],
    ];
    expect(failures(spread, check, describeCase)).toEqual([]);
  });

  test("wx's exact 99% point (a normal variance mixture) within 1e−12 relative, every fan-in", () => {
    const check = (c: SpreadCase): Check[] => [
      ['wx_q99', wxQ99(c), exact(c.wx_q99), 1e-12 / EPS],
      [
        'wx_q01',
        -preActivationQuantile(c.fan_in, c.weight_std, c.input_mean, c.input_std, 0.01),
        exact(c.wx_q99),
        1e-12 / EPS,
      ],
    ];
    expect(failures(spread, check, describeCase)).toEqual([]);
    expect(new Set(spread.map((c) => c.fan_in))).toEqual(
      new Set([1, 2, 3, 7, 16, 30, 256, 4096, 1000000]),
    );
  }, 120_000);

  test('the 1%, 50% and 99% points of p within 1e−12·(1 + |t|) relative', () => {
    const check = (c: SpreadCase): Check[] => {
      const t = wxQ99(c);
      // σ(b + t) turns t's relative error into a relative error of up to (1 − p)·|t|·err.
      const tolerance = (1e-12 * (1 + Math.abs(t))) / EPS;
      return [
        ['p_q01', shiftedPrior(c.pi, -t), exact(c.p_q01), tolerance],
        ['p_median', initialProbabilityQuantile(c.pi, 0, 0), exact(c.p_median), 1],
        ['p_q99', shiftedPrior(c.pi, t), exact(c.p_q99), tolerance],
      ];
    };
    expect(failures(spread, check, describeCase)).toEqual([]);
  }, 120_000);

  test('normalQuantile(0.99) is Φ⁻¹(0.99) within 16 EPS; normalCdf is its inverse', () => {
    expect(Math.abs(normalQuantile(0.99) - NORMAL_Q99)).toBeLessThanOrEqual(16 * EPS * NORMAL_Q99);
    expect(Math.abs(normalCdf(NORMAL_Q99) - 0.99)).toBeLessThanOrEqual(2 * EPS);
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(40)).toBe(1);
  });

  test('NORMAL_Q99 is Φ⁻¹(0.99) from mpmath (√2·erfinv(0.98)), correctly rounded', () => {
    expect(NORMAL_Q99).toBe(exact(z99));
  });
});

describe('laws of the spread', () => {
  const prior = fc.double({ min: 1e-12, max: 1 - 1e-12, noNaN: true });

  test('as n·S² → 0 every quantile tends to π', () => {
    fc.assert(
      fc.property(
        prior,
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.double({ min: 0, max: 1e-12, noNaN: true }),
        fc.double({ min: -10, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        (pi, fanIn, weightStd, mean, std) => {
          const wxStd = preActivationStd(fanIn, weightStd, mean, std);
          // |t| ≤ 2.33·1e3·1e-12·14 < 4e-8: σ(b + t) moves from π by at most |t|·(1 − π)·π.
          const bound = Math.abs(NORMAL_Q99 * wxStd) * (1 - pi) * pi + 4 * EPS * pi;
          for (const z of [-NORMAL_Q99, 0, NORMAL_Q99]) {
            const p = initialProbabilityQuantile(pi, wxStd, z);
            if (!(Math.abs(p - pi) <= bound)) {
              throw new Error(`π = ${pi}, wx_std = ${wxStd}, z = ${z}: p = ${p} (±${bound})`);
            }
          }
          expect(initialProbabilityQuantile(pi, 0, NORMAL_Q99)).toBe(pi);
        },
      ),
    );
  });

  test('the quantiles are ordered, stay in [0, 1], and spread out as wx_std grows', () => {
    fc.assert(
      fc.property(
        prior,
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 1, max: 4, noNaN: true }),
        (pi, wxStd, growth) => {
          const q01 = initialProbabilityQuantile(pi, wxStd, -NORMAL_Q99);
          const q99 = initialProbabilityQuantile(pi, wxStd, NORMAL_Q99);
          expect(0 <= q01 && q01 <= pi && pi <= q99 && q99 <= 1).toBe(true);
          expect(initialProbabilityQuantile(pi, wxStd * growth, -NORMAL_Q99)).toBeLessThanOrEqual(
            q01,
          );
          expect(initialProbabilityQuantile(pi, wxStd * growth, NORMAL_Q99)).toBeGreaterThanOrEqual(
            q99,
          );
        },
      ),
    );
  });

  test('σ(b + t) is symmetric: shifting 1 − π by −t gives 1 − (π shifted by t)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.double({ min: -30, max: 30, noNaN: true }),
        (pi, t) => {
          const p = shiftedPrior(pi, t);
          const mirrored = shiftedPrior(1 - pi, -t);
          expect(Math.abs(p + mirrored - 1)).toBeLessThanOrEqual(8 * EPS);
        },
      ),
    );
  });

  test('the limits: π = 0 and π = 1 stay put, an infinite spread reaches 0 and 1', () => {
    expect(shiftedPrior(0, 5)).toBe(0);
    expect(shiftedPrior(1, -5)).toBe(1);
    expect(initialProbabilityQuantile(0.01, Number.POSITIVE_INFINITY, NORMAL_Q99)).toBe(1);
    expect(initialProbabilityQuantile(0.01, Number.POSITIVE_INFINITY, -NORMAL_Q99)).toBe(0);
    expect(initialProbabilityQuantile(0.01, Number.POSITIVE_INFINITY, 0)).toBe(0.01);
  });
});

describe("wx's exact law at the edges", () => {
  test('a huge or overflowing δ = √n·M/D is the normal law (within 1/δ²)', () => {
    const normal = (n: number, s: number, m: number, d: number) =>
      Math.sqrt(n) * s * Math.hypot(d, m) * normalQuantile(0.99);
    expect(preActivationQuantile(5, 1, 1e300, 1e-300, 0.99)).toBe(normal(5, 1, 1e300, 1e-300));
    const near = preActivationQuantile(5, 1, 1e7, 1, 0.99);
    expect(Math.abs(near / normal(5, 1, 1e7, 1) - 1)).toBeLessThan(1e-13);
  });

  test('fan-in 2^53 − 1, S = 0 and D = M = 0', () => {
    const t = preActivationQuantile(2 ** 53 - 1, 0.01, 0, 1, 0.99);
    expect(Math.abs(t / (Math.sqrt(2 ** 53) * 0.01 * NORMAL_Q99) - 1)).toBeLessThan(1e-12);
    expect(preActivationQuantile(4, 0, 1, 1, 0.99)).toBe(0);
    expect(preActivationQuantile(4, 1, 0, 0, 0.99)).toBe(0);
    expect(preActivationQuantile(4, 1, 0, 1, 0.5)).toBe(0);
    expect(preActivationQuantile(4, 1, 0, 1, 0.01)).toBe(-preActivationQuantile(4, 1, 0, 1, 0.99));
  });
});
