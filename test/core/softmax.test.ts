/** Softmax focal loss against mpmath (test/fixtures/softmax.json), and its laws. */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { crossEntropy, focalLoss } from '../../src/core/loss.js';
import { logSumExp, trueClassFromLogits } from '../../src/core/softmax.js';
import { trueClassFromLogit } from '../../src/core/true-class.js';
import { type Check, exact, failures, fixture } from './oracle.js';

interface Case {
  readonly logits: number[];
  readonly target: number;
  readonly alpha: number | null;
  readonly gamma: number;
  readonly pt: string;
  readonly ce: string;
  readonly fl: string;
}

const { cases } = fixture<Case>('softmax.json');

describe('softmax CE and FL against mpmath', () => {
  test('logit vectors of 2 to 6 classes, extremes ±700 included', () => {
    expect(cases.length).toBeGreaterThan(500);
    const check = (c: Case): Check[] => {
      const tc = trueClassFromLogits(c.logits, c.target);
      const at = c.alpha ?? 1;
      // x_c = z_c − logsumexp(others) is rounded once: CE's relative error grows like |x_c|·EPS/2.
      const others = logSumExp(c.logits.filter((_, j) => j !== c.target));
      const conditioning = 4 + Math.abs((c.logits[c.target] as number) - others);
      return [
        ['pt', tc.pt, exact(c.pt), conditioning],
        ['ce', crossEntropy(tc), exact(c.ce), conditioning],
        ['fl', focalLoss(tc, at, c.gamma), exact(c.fl), conditioning * (1 + c.gamma)],
      ];
    };
    const describeCase = (c: Case) =>
      `logits ${JSON.stringify(c.logits)}, target ${c.target}, α = ${c.alpha}, γ = ${c.gamma}`;
    expect(failures(cases, check, describeCase)).toEqual([]);
  });
});

describe('softmax laws', () => {
  // Logits on a grid of 2⁻²⁰, so that z1 − z0 is exact: softmax holds x_c = z1 − z0 exactly
  // (hi + lo), so where the difference rounds it is the more accurate of the two and the law
  // holds only to the rounding of z1 − z0 (issue 13).
  const gridLogit = fc.integer({ min: -100 * 2 ** 20, max: 100 * 2 ** 20 }).map((k) => k / 2 ** 20);
  test('two logits, α none: softmax FL of (z0, z1) equals sigmoid FL of z1 − z0', () => {
    fc.assert(
      fc.property(gridLogit, gridLogit, fc.constantFrom(0, 0.5, 1, 2, 5), (z0, z1, gamma) => {
        const soft = focalLoss(trueClassFromLogits([z0, z1], 1), 1, gamma);
        const sig = focalLoss(trueClassFromLogit(z1 - z0, 1), 1, gamma);
        expect(soft).toBe(sig);
      }),
    );
  });

  test('one class: p = 1, no loss', () => {
    expect(crossEntropy(trueClassFromLogits([3], 0))).toBe(0);
  });

  test('a target outside the classes is a RangeError', () => {
    expect(() => trueClassFromLogits([1, 2], 2)).toThrow(RangeError);
  });
});
