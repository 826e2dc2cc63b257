/**
 * Soft targets (issue 16, item 2): torchvision's and Keras's focal loss with y ∈ [0, 1], against
 * mpmath (test/fixtures/soft-target.json, soft-contribution.json from
 * generate_soft_targets.py), and the law that a hard target gives today's results to the bit.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import {
  alphaT,
  crossEntropy,
  focalLoss,
  type Label,
  LossTally,
  logBase,
  modulatingWeight,
  type SoftTarget,
  smoothLabel,
  softAlphaT,
  softBinaryCrossEntropy,
  softCrossEntropy,
  softFocalLoss,
  softModulatingWeight,
  softTargetFromLogit,
  softTargetFromProbability,
  softTrueClass,
  tallyGroupLosses,
  trueClassFromLogit,
  trueClassFromProbability,
} from '../../src/index.js';
import { type Check, errorInEps, exact, failures, fixture } from './oracle.js';

type Kind = 'logit' | 'probability';

function softTarget(kind: Kind, input: number, y: number): SoftTarget {
  return kind === 'logit' ? softTargetFromLogit(input, y) : softTargetFromProbability(input, y);
}

describe('soft targets against mpmath (test/fixtures/soft-target.json)', () => {
  interface Setting {
    readonly alpha: number | null;
    readonly gamma: number;
    readonly weight: string;
    readonly fl: string;
  }
  interface Case {
    readonly kind: Kind;
    readonly input: number;
    readonly target: number;
    readonly pt: string;
    readonly ce: string;
    readonly settings: readonly Setting[];
  }
  const { cases } = fixture<Case>('soft-target.json');

  /**
   * Tolerances: p_t and 1 − p_t are sums of two products of non-negative terms each a few ulp
   * off (p, 1 − p from a logit; 1 − y rounded for y < 1/2), so a few EPS; the BCE is two
   * non-negative terms of a few ulp; the weight raises 1 − p_t to γ, so (1 + γ) times that.
   */
  const PT_EPS = 3;
  const CE_EPS = 3;
  /**
   * Where 1 − p_t is below the least normal double (a target or p within 2⁻¹⁰²² of 0 or 1),
   * (1 − p_t)^γ is exp(γ·ln(1 − p_t)), and ln(1 − p_t) ≈ −744 carries an absolute rounding of
   * about 1e−13: up to γ·|ln(1 − p_t)|·EPS relative (the README's "Soft targets" states it).
   */
  const weightEps = (gamma: number, oneMinusPt: number) =>
    oneMinusPt >= 2 ** -1022 ? 3 * (1 + gamma) : 3 * (1 + gamma) + gamma * 750;

  test('p_t, CE (BCE), weight and FL for logits to ±745, p from 0 to 1, y from 5e−324 to 1 − 2⁻⁵³', () => {
    expect(cases.length).toBeGreaterThan(300);
    let worst = 0;
    const problems = failures(
      cases,
      (c) => {
        const example = softTarget(c.kind, c.input, c.target);
        const oneMinusPt = softTrueClass(example).oneMinusPt;
        const checks: Check[] = [
          ['pt', softTrueClass(example).pt, exact(c.pt), PT_EPS],
          ['ce', softCrossEntropy(example), exact(c.ce), CE_EPS],
        ];
        for (const s of c.settings) {
          checks.push(
            [
              `weight(α=${s.alpha}, γ=${s.gamma})`,
              softModulatingWeight(example, s.alpha, s.gamma),
              exact(s.weight),
              weightEps(s.gamma, oneMinusPt),
            ],
            [
              `fl(α=${s.alpha}, γ=${s.gamma})`,
              softFocalLoss(example, s.alpha, s.gamma),
              exact(s.fl),
              weightEps(s.gamma, oneMinusPt) + CE_EPS,
            ],
          );
        }
        for (const [, value, expected, ulps] of checks) {
          worst = Math.max(worst, errorInEps(value, expected) / ulps);
        }
        return checks;
      },
      (c) => `${c.kind} ${c.input}, y ${c.target}`,
    );
    expect(problems).toEqual([]);
    // Measured (2026-11-30): the worst error is a fraction of its tolerance (printed).
    expect(worst).toBeLessThanOrEqual(1);
    console.log(`soft-target.json: worst error ${worst.toFixed(2)} of the tolerance`);
  });
});

describe('a hard target (y ∈ {0, 1}) gives today’s results, to the bit', () => {
  const logit = fc.double({ min: -800, max: 800, noNaN: true });
  const probability = fc.double({ min: 0, max: 1, noNaN: true });
  const label = fc.constantFrom<Label>(0, 1);
  const alpha = fc.oneof(fc.constant(null), fc.double({ min: 0, max: 1, noNaN: true }));
  const gamma = fc.oneof(fc.constantFrom(0, 1, 2, 5), fc.double({ min: 0, max: 10, noNaN: true }));
  const base = fc.oneof(fc.constant<number | 'e'>('e'), fc.constantFrom(2, 10));

  test('from a logit: CE, FL, weight, α_t and p_t', () => {
    fc.assert(
      fc.property(logit, label, alpha, gamma, base, (x, y, a, g, b) => {
        const lb = logBase(b);
        const soft = softTargetFromLogit(x, y);
        const hard = trueClassFromLogit(x, y);
        const at = alphaT(a, y);
        expect(Object.is(softCrossEntropy(soft, lb), crossEntropy(hard, lb))).toBe(true);
        expect(Object.is(softFocalLoss(soft, a, g, lb), focalLoss(hard, at, g, lb))).toBe(true);
        expect(Object.is(softModulatingWeight(soft, a, g), modulatingWeight(hard, at, g))).toBe(
          true,
        );
        expect(Object.is(softAlphaT(a, y), at)).toBe(true);
        expect(Object.is(softTrueClass(soft).pt, hard.pt)).toBe(true);
      }),
    );
  });

  test('from a probability: CE, FL and weight', () => {
    fc.assert(
      fc.property(probability, label, alpha, gamma, base, (p, y, a, g, b) => {
        const lb = logBase(b);
        const soft = softTargetFromProbability(p, y);
        const hard = trueClassFromProbability(p, y);
        const at = alphaT(a, y);
        expect(Object.is(softCrossEntropy(soft, lb), crossEntropy(hard, lb))).toBe(true);
        expect(Object.is(softFocalLoss(soft, a, g, lb), focalLoss(hard, at, g, lb))).toBe(true);
        expect(Object.is(softModulatingWeight(soft, a, g), modulatingWeight(hard, at, g))).toBe(
          true,
        );
      }),
    );
  });

  test('label smoothing with ε = 0 leaves a label as it is', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (y) => {
        expect(Object.is(smoothLabel(y, 0), y)).toBe(true);
      }),
    );
  });
});

describe('soft-target laws', () => {
  const logit = fc.double({ min: -30, max: 30, noNaN: true });
  const soft = fc.double({ min: 0.001, max: 0.999, noNaN: true });
  test('FL ≤ α_t·BCE, and with γ = 0 and α off FL is the BCE', () => {
    fc.assert(
      fc.property(logit, soft, (x, y) => {
        const example = softTargetFromLogit(x, y);
        const bce = softBinaryCrossEntropy(example);
        expect(softFocalLoss(example, 0.25, 2)).toBeLessThanOrEqual(
          softAlphaT(0.25, y) * bce * (1 + 1e-15),
        );
        expect(softFocalLoss(example, null, 0)).toBe(bce);
      }),
    );
  });

  test('Keras smoothing: y(1 − ε) + ε/2, so 1 → 0.95 and 0 → 0.05 at ε = 0.1', () => {
    expect(smoothLabel(1, 0.1)).toBe(0.95); // y·(1 − ε) + ε/2 would round to 0.9500000000000001
    expect(smoothLabel(0, 0.1)).toBe(0.05);
    expect(smoothLabel(1, 1)).toBe(0.5);
  });
});

describe('label groups of soft rows (test/fixtures/soft-contribution.json)', () => {
  interface GroupFigures {
    readonly total: string;
    readonly share: string;
  }
  interface Case {
    readonly file: string;
    readonly alpha: number | null;
    readonly gamma: number;
    readonly count: Record<'neg' | 'pos', number>;
    readonly mean_pt: Record<'neg' | 'pos', string>;
    readonly losses: Record<'ce' | 'ce_alpha' | 'fl', Record<'neg' | 'pos', GroupFigures>>;
  }
  const { cases } = fixture<Case>('soft-contribution.json');
  const rowsOf = (file: string): [number, number][] => {
    const text = readFixture(`input/${file}`);
    return text
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',').map(Number) as [number, number]);
  };

  test('count, mean p_t, totals and shares of CE, α-CE and FL: a row is pos when y ≥ 1/2', () => {
    expect(cases.length).toBeGreaterThan(10);
    const problems = failures(
      cases,
      (c) => {
        const tally = new LossTally([c.gamma]);
        const kind: Kind = c.file.includes('logit') ? 'logit' : 'probability';
        for (const [score, y] of rowsOf(c.file)) {
          if (y === 0 || y === 1) {
            const tc =
              kind === 'logit' ? trueClassFromLogit(score, y) : trueClassFromProbability(score, y);
            tally.add(tc, y, 1);
          } else {
            const example = softTarget(kind, score, y);
            tally.addSoft(softTrueClass(example), softBinaryCrossEntropy(example), y, 1);
          }
        }
        const checks: Check[] = [];
        for (const loss of ['ce', 'ce_alpha', 'fl'] as const) {
          const figures = tallyGroupLosses(tally, 0, loss, c.alpha, logBase('e'));
          for (const [i, group] of (['neg', 'pos'] as const).entries()) {
            const f = figures[i];
            if (f === undefined) throw new Error('two groups expected');
            const expected = c.losses[loss][group];
            // Sums of ~30 terms of a few EPS each, compensated: a few EPS; shares twice that.
            checks.push([
              `${loss} ${group} total`,
              f.total,
              exact(expected.total),
              8 * (1 + c.gamma),
            ]);
            if (expected.share !== 'nan') {
              checks.push([
                `${loss} ${group} share`,
                f.share,
                exact(expected.share),
                16 * (1 + c.gamma),
              ]);
            }
            if (loss === 'ce') {
              checks.push([`${group} count`, f.count, c.count[group], 0]);
              checks.push([
                `${group} mean p_t`,
                f.meanPt ?? Number.NaN,
                exact(c.mean_pt[group]),
                8,
              ]);
            }
          }
        }
        return checks;
      },
      (c) => `${c.file} α=${c.alpha} γ=${c.gamma}`,
    );
    expect(problems).toEqual([]);
  });
});

function readFixture(name: string): string {
  return readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
}

describe('the tally of soft rows at the edges', () => {
  const groupTotals = (tally: LossTally, loss: 'ce' | 'ce_alpha' | 'fl', alpha: number | null) =>
    tallyGroupLosses(tally, 0, loss, alpha, logBase('e'));
  const softRow = (tally: LossTally, p: number, y: number, weight: number) => {
    const example = softTargetFromProbability(p, y);
    tally.addSoft(softTrueClass(example), softBinaryCrossEntropy(example), y, weight);
  };

  test('weights near 1e300 and 1e−300 (the scaled sums): total = weight × the loss of one', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.constantFrom(1e300, 1.7e308, 1e-300, 5e-320),
        fc.constantFrom<number | null>(0.25, null, 0.9),
        (p, y, weight, alpha) => {
          const one = new LossTally([2]);
          const heavy = new LossTally([2]);
          softRow(one, p, y, 1);
          softRow(heavy, p, y, weight);
          const g = y >= 0.5 ? 1 : 0;
          for (const loss of ['ce', 'ce_alpha', 'fl'] as const) {
            const unit = groupTotals(one, loss, alpha)[g]?.total ?? Number.NaN;
            const total = groupTotals(heavy, loss, alpha)[g]?.total ?? Number.NaN;
            const expected = unit * weight;
            // Below the normal doubles the product has fewer bits: a subnormal ulp allowed.
            const tolerance = 4 * Number.EPSILON * Math.abs(expected) + 2 * Number.MIN_VALUE;
            // Past the largest double a total is Infinity (README: it prints `Infinity`).
            const close = Number.isFinite(expected)
              ? Math.abs(total - expected) <= tolerance
              : total === expected;
            expect({ loss, total, close }).toEqual({
              loss,
              total,
              close: true,
            });
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  test('a soft row with an infinite BCE makes its group infinite, whatever α (its α_t > 0)', () => {
    for (const alpha of [0, 1, 0.25, null]) {
      const tally = new LossTally([2]);
      softRow(tally, 0, 0.9, 1); // p = 0 with y = 0.9: BCE = +∞
      softRow(tally, 0.3, 0.2, 1);
      const fl = groupTotals(tally, 'fl', alpha);
      expect([alpha, fl[1]?.total, fl[1]?.share, fl[0]?.share]).toEqual([
        alpha,
        Number.POSITIVE_INFINITY,
        1,
        0,
      ]);
    }
  });
});
