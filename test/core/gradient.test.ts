/** Gradients against the mpmath oracle (numerical derivatives of the plain definitions). */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { crossEntropyGradient, focalLossGradient } from '../../src/core/gradient.js';
import { alphaT, crossEntropy, focalLoss } from '../../src/core/loss.js';
import { type Label, trueClassFromLogit } from '../../src/core/true-class.js';
import { type Check, errorInEps, exact, failures, fixture } from './oracle.js';

interface Case {
  readonly x: number;
  readonly y: Label;
  readonly alpha: number | null;
  readonly gamma: number;
  readonly ce_grad: string;
  readonly fl_grad: string;
}

const { cases } = fixture<Case>('gradient.json');
/** dCE/dx is one exact σ(−x_t): a couple of ulps. dFL/dx adds (1 − p_t)^γ and the bracket. */
const CE_GRAD_ULPS = 2;
const flGradUlps = (gamma: number) => 4 * (1 + gamma);

function checks(c: Case): Check[] {
  const tc = trueClassFromLogit(c.x, c.y);
  const at = alphaT(c.alpha, c.y);
  return [
    ['ce_grad', crossEntropyGradient(tc, c.y), exact(c.ce_grad), CE_GRAD_ULPS],
    ['fl_grad', focalLossGradient(tc, at, c.gamma, c.y), exact(c.fl_grad), flGradUlps(c.gamma)],
  ];
}

describe('gradients against mpmath (test/fixtures/gradient.json)', () => {
  test('every logit (±745 and the switch points included), label, α and γ ∈ {0, 0.3, 0.5, 1, 2, 3, 5, 7}', () => {
    expect(cases.length).toBeGreaterThan(1000);
    const describeCase = (c: Case) => `x = ${c.x}, y = ${c.y}, α = ${c.alpha}, γ = ${c.gamma}`;
    expect(failures(cases, checks, describeCase)).toEqual([]);
    const worst = Math.max(...cases.flatMap((c) => checks(c).map(([, v, e]) => errorInEps(v, e))));
    // Measured: 5.75 EPS at worst (γ = 7); the per-case tolerances above are 2 and 4(1 + γ).
    expect(worst).toBeLessThan(5.8);
  });

  test('at logit 40, y = 1: dCE/dx = −4.25e−18, not 0', () => {
    expect(crossEntropyGradient(trueClassFromLogit(40, 1), 1)).toBeCloseTo(
      -4.248354255291589e-18,
      30,
    );
  });

  test('no NaN at p_t = 1 for 0 < γ < 1 or γ = 0 (the autograd failure)', () => {
    for (const gamma of [0, 0.25, 0.5, 0.75]) {
      const g = focalLossGradient(trueClassFromLogit(800, 1), 1, gamma, 1);
      expect(Number.isNaN(g)).toBe(false);
      expect(g).toBeLessThanOrEqual(0);
    }
  });
});

describe('gradient laws', () => {
  const logit = fc.double({ min: -50, max: 50, noNaN: true });
  const label = fc.constantFrom<Label>(0, 1);
  const alpha = fc.oneof(fc.constant(null), fc.double({ min: 0, max: 1, noNaN: true }));

  test('γ = 0: dFL/dx = α_t·dCE/dx', () => {
    fc.assert(
      fc.property(logit, label, alpha, (x, y, a) => {
        const tc = trueClassFromLogit(x, y);
        const at = alphaT(a, y);
        const fl = focalLossGradient(tc, at, 0, y);
        const ce = at * crossEntropyGradient(tc, y);
        expect(Math.abs(fl - ce)).toBeLessThanOrEqual(2 * Number.EPSILON * Math.abs(ce));
      }),
    );
  });

  test('finite differences agree where they are accurate (|x| ≤ 20)', () => {
    const moderate = fc.double({ min: -20, max: 20, noNaN: true });
    const gamma = fc.constantFrom(0, 0.5, 1, 2, 5);
    fc.assert(
      fc.property(moderate, label, gamma, (x, y, g) => {
        const h = 1e-5;
        const fl = (t: number) => focalLoss(trueClassFromLogit(t, y), 1, g);
        const ce = (t: number) => crossEntropy(trueClassFromLogit(t, y));
        const tc = trueClassFromLogit(x, y);
        for (const [name, f, exactGrad] of [
          ['ce', ce, crossEntropyGradient(tc, y)],
          ['fl', fl, focalLossGradient(tc, 1, g, y)],
        ] as const) {
          const numeric = (f(x + h) - f(x - h)) / (2 * h);
          const scale = Math.max(Math.abs(exactGrad), 1e-3);
          if (Math.abs(numeric - exactGrad) > 1e-5 * scale) {
            throw new Error(
              `${name} at x = ${x}, y = ${y}, γ = ${g}: closed form ${exactGrad}, finite difference ${numeric}`,
            );
          }
        }
      }),
    );
  });
});
