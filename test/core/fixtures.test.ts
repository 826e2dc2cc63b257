/**
 * The core against 1000-digit mpmath references (test/fixtures/generate.py), one fixture file
 * per regime. Tolerances are in units of EPS = 2⁻⁵².
 */
import { describe, expect, test } from '@jest/globals';
import {
  alphaT,
  crossEntropy,
  focalLoss,
  groupTotal,
  type Label,
  logBase,
  lossShares,
  modulatingWeight,
  priorBias,
  sigmoid,
  type TrueClass,
  trueClassFromLogit,
  trueClassFromProbability,
  trueClassFromPt,
} from '../../src/index.js';
import { exact, failures, fixture } from './oracle.js';

interface LossCase {
  y: Label;
  alpha: number | null;
  gamma: number;
  pt: number | string;
  ce: string;
  fl: string;
  weight: string;
}

/** CE within 2 EPS; the weight and FL within 2(1 + γ) EPS (a power γ multiplies the error of 1 − p_t). */
const CE_ULPS = 2;
const weightUlps = (gamma: number) => 2 * (1 + gamma);

function lossChecks(tc: TrueClass, c: LossCase): [string, number, number][] {
  const at = alphaT(c.alpha, c.y);
  return [
    ['ce', crossEntropy(tc), exact(c.ce)],
    ['weight', modulatingWeight(tc, at, c.gamma), exact(c.weight)],
    ['fl', focalLoss(tc, at, c.gamma), exact(c.fl)],
  ];
}

/** A case of any of the four loss fixtures; `input` names the field that holds the input. */
type InputCase = LossCase & { x: number; p: number; pt: number };

const describeCase = (input: 'x' | 'p' | 'pt') => (c: InputCase) =>
  `${input}=${c[input]} y=${c.y} alpha=${c.alpha} gamma=${c.gamma}`;

const FILES: [string, 'x' | 'p' | 'pt', (c: InputCase) => TrueClass][] = [
  ['logit.json', 'x', (c) => trueClassFromLogit(c.x, c.y)],
  ['probability.json', 'p', (c) => trueClassFromProbability(c.p, c.y)],
  ['pt-tiny.json', 'pt', (c) => trueClassFromPt(c.pt)],
  ['pt-near-one.json', 'pt', (c) => trueClassFromPt(c.pt)],
];

describe.each(FILES)('%s', (file, input, toTrueClass) => {
  const { cases } = fixture<InputCase>(file);

  test(`CE, weight and FL match mpmath (CE ${CE_ULPS} EPS, weight/FL 2(1 + γ) EPS)`, () => {
    expect(cases.length).toBeGreaterThan(100);
    for (const gamma of [0, 0.5, 1, 2, 5]) {
      const some = cases.filter((c) => c.gamma === gamma);
      expect(some.length).toBeGreaterThan(0);
      const bad = failures(
        some,
        weightUlps(gamma),
        (c) => lossChecks(toTrueClass(c), c).map(([l, v, e]) => [l, v, e]),
        describeCase(input),
      );
      expect(bad).toEqual([]);
    }
    const ceBad = failures(
      cases,
      CE_ULPS,
      (c) => [['ce', crossEntropy(toTrueClass(c)), exact(c.ce)]],
      describeCase(input),
    );
    expect(ceBad).toEqual([]);
  });

  if (input !== 'pt') {
    test('p_t is the nearest double to the exact value, within 2 EPS', () => {
      const bad = failures(
        cases,
        2,
        (c) => [['pt', toTrueClass(c).pt, exact(String(c.pt))]],
        describeCase(input),
      );
      expect(bad).toEqual([]);
    });
  }
});

describe('logit.json extremes', () => {
  test('CE at logit 40, y = 1 is 4.248e-18, not 0', () => {
    expect(crossEntropy(trueClassFromLogit(40, 1))).toBeCloseTo(4.248354255291589e-18, 30);
    expect(crossEntropy(trueClassFromLogit(40, 1))).toBeGreaterThan(0);
  });
});

describe('log-base.json', () => {
  interface BaseCase {
    pt: number;
    y: Label;
    base: number;
    alpha: number | null;
    gamma: number;
    ce: string;
    fl: string;
  }
  const { cases } = fixture<BaseCase>('log-base.json');
  test('CE and FL in bases 2, 10 and 3.7 match mpmath within 4 + 3γ EPS', () => {
    expect(cases.length).toBeGreaterThan(50);
    const bad = failures(
      cases,
      10,
      (c) => {
        const tc = trueClassFromPt(c.pt);
        const base = logBase(c.base);
        return [
          ['ce', crossEntropy(tc, base), exact(c.ce)],
          ['fl', focalLoss(tc, alphaT(c.alpha, c.y), c.gamma, base), exact(c.fl)],
        ];
      },
      (c) => `pt=${c.pt} base=${c.base} y=${c.y} alpha=${c.alpha} gamma=${c.gamma}`,
    );
    expect(bad).toEqual([]);
  });
  test('−log10(0.01) is exactly 2, as in the seed', () => {
    expect(crossEntropy(trueClassFromPt(0.01), logBase(10))).toBe(2);
  });
});

describe('bias.json', () => {
  const { cases } = fixture<{ pi: number; bias: string; p0: string }>('bias.json');
  test('the prior bias matches mpmath within 2 EPS', () => {
    expect(cases.length).toBeGreaterThan(30);
    const bad = failures(
      cases,
      2,
      (c) => [['bias', priorBias(c.pi), exact(c.bias)]],
      (c) => `pi=${c.pi}`,
    );
    expect(bad).toEqual([]);
  });
  test('σ(bias) matches mpmath within 3 EPS', () => {
    const bad = failures(
      cases,
      3,
      (c) => [['p0', sigmoid(priorBias(c.pi)), exact(c.p0)]],
      (c) => `pi=${c.pi}`,
    );
    expect(bad).toEqual([]);
  });
});

describe('contribution.json', () => {
  interface Block {
    per_example: string[];
    total: string[];
    share: string[];
  }
  interface ContributionCase {
    alpha: number | null;
    gamma: number;
    groups: { name: string; count: number; pt: number; y: Label }[];
    ce: Block;
    fl: Block;
  }
  const { cases } = fixture<ContributionCase>('contribution.json');
  test('per-example losses, totals and shares match mpmath (shares within 8 EPS)', () => {
    expect(cases.length).toBeGreaterThan(5);
    const bad = failures(
      cases,
      8 + 3 * 5,
      (c) =>
        (['ce', 'fl'] as const).flatMap((loss) => {
          const terms = c.groups.map((g) => {
            const tc = trueClassFromPt(g.pt);
            const perExample =
              loss === 'ce' ? crossEntropy(tc) : focalLoss(tc, alphaT(c.alpha, g.y), c.gamma);
            return { count: g.count, perExample };
          });
          const shares = lossShares(terms);
          return terms.flatMap((t, i): [string, number, number][] => [
            [`${loss} per_example[${i}]`, t.perExample, exact(c[loss].per_example[i] as string)],
            [`${loss} total[${i}]`, groupTotal(t), exact(c[loss].total[i] as string)],
            [`${loss} share[${i}]`, shares[i] as number, exact(c[loss].share[i] as string)],
          ]);
        }),
      (c) => `alpha=${c.alpha} gamma=${c.gamma} groups=${JSON.stringify(c.groups)}`,
    );
    expect(bad).toEqual([]);
  });
});

describe('torchvision.json (torchvision.ops.sigmoid_focal_loss, float64)', () => {
  interface TorchCase {
    x: number;
    y: Label;
    alpha: number;
    gamma: number;
    ce: string;
    fl: string;
  }
  const { cases } = fixture<TorchCase>('torchvision.json');
  test('agrees to 1e-9 relative, allowing torch its own absolute rounding of 1 − σ(x)', () => {
    expect(cases.length).toBe(300);
    const bad: string[] = [];
    for (const c of cases) {
      const tc = trueClassFromLogit(c.x, c.y);
      // torchvision's alpha < 0 means no class weighting.
      const at = alphaT(c.alpha < 0 ? null : c.alpha, c.y);
      for (const [label, value, expected] of [
        ['ce', crossEntropy(tc), Number(c.ce)],
        ['fl', focalLoss(tc, at, c.gamma), Number(c.fl)],
      ] as const) {
        // torch computes 1 − σ(x) and log(1 + tiny) naively: an absolute error near 2⁻⁵³.
        const tolerance = 1e-9 * Math.abs(expected) + 1e-15;
        if (!(Math.abs(value - expected) <= tolerance)) {
          bad.push(
            `x=${c.x} y=${c.y} alpha=${c.alpha} gamma=${c.gamma}: ${label} = ${value}, torch ${expected}, tolerance ${tolerance}`,
          );
        }
      }
    }
    expect(bad).toEqual([]);
  });
});
