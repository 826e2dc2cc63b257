/** The inverse weight question against mpmath (test/fixtures/inverse.json), and its law. */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { ptForFactor } from '../../src/core/inverse.js';
import { alphaT, modulatingWeight } from '../../src/core/loss.js';
import { type Label, trueClassFromPt } from '../../src/core/true-class.js';
import { type Check, exact, failures, fixture } from './oracle.js';

interface Case {
  readonly factor: number;
  readonly gamma: number;
  readonly alpha: number | null;
  readonly y: Label;
  readonly pt: string;
}

const { cases } = fixture<Case>('inverse.json');

describe('ptForFactor against mpmath', () => {
  test('factors from 1 to 1e300, γ ∈ {0.5, 1, 2, 5}: within 4 EPS', () => {
    expect(cases.length).toBeGreaterThan(100);
    const check = (c: Case): Check[] => [
      ['pt', ptForFactor(c.factor, alphaT(c.alpha, c.y), c.gamma) ?? Number.NaN, exact(c.pt), 4],
    ];
    const describeCase = (c: Case) => `k = ${c.factor}, γ = ${c.gamma}, α = ${c.alpha}, y = ${c.y}`;
    expect(failures(cases, check, describeCase)).toEqual([]);
  });

  test("the paper's numbers: 100× at p_t = 0.9, 1000× at 0.968 (γ = 2, α none)", () => {
    expect(ptForFactor(100, 1, 2)).toBeCloseTo(0.9, 15);
    expect(ptForFactor(1000, 1, 2)).toBeCloseTo(1 - 1 / Math.sqrt(1000), 15);
  });

  test('no p_t where γ = 0 or k·α_t < 1', () => {
    expect(ptForFactor(100, 1, 0)).toBeNull();
    expect(ptForFactor(2, 0.25, 2)).toBeNull();
    expect(ptForFactor(100, 0, 2)).toBeNull();
  });

  test('the weight at the solved p_t is 1/k, to what rounding p_t allows', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e6, noNaN: true }),
        fc.constantFrom(0.5, 1, 2, 5),
        (k, gamma) => {
          const pt = ptForFactor(k, 1, gamma) as number;
          const weight = modulatingWeight(trueClassFromPt(pt), 1, gamma);
          // p_t is rounded to a double: 1 − p_t then carries a relative error of EPS/(1 − p_t),
          // which the weight raises to the power γ.
          const tolerance = 4 * Number.EPSILON * (1 + gamma / (1 - pt));
          if (!(Math.abs(weight * k - 1) <= tolerance)) {
            throw new Error(
              `k = ${k}, γ = ${gamma}: p_t = ${pt}, weight·k = ${weight * k} (±${tolerance})`,
            );
          }
        },
      ),
    );
  });
});
