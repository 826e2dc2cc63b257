/** One-pass totals and the loss histogram against direct sums and an exact sort. */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { crossEntropy, focalLoss } from '../../src/core/loss.js';
import { BINS, binOf, LossHistogram } from '../../src/core/loss-histogram.js';
import {
  fromScaled,
  type Scaled,
  scaledProduct,
  scaledQuotient,
  toScaled,
} from '../../src/core/scaled.js';
import { scaledFocalLoss } from '../../src/core/scaled-loss.js';
import { LossTally } from '../../src/core/tally.js';
import {
  type Label,
  trueClassFromLogit,
  trueClassFromProbability,
} from '../../src/core/true-class.js';

const GAMMAS = [0, 0.5, 1, 2, 5];
const example = fc.record({
  p: fc.double({ min: 0, max: 1, noNaN: true }),
  y: fc.constantFrom<Label>(0, 1),
  weight: fc.oneof(fc.constant(1), fc.double({ min: 0, max: 10, noNaN: true })),
});

/** Relative difference; differences below 1e-300 (subnormal products) count as none. */
function relative(value: number, expected: number): number {
  if (Math.abs(value - expected) < 1e-300) return 0;
  return Math.abs(value - expected) / Math.abs(expected);
}

describe('LossTally', () => {
  test('every γ total equals the direct sum of weight·FL/α_t, and CE of weight·CE', () => {
    fc.assert(
      fc.property(fc.array(example, { maxLength: 60 }), (examples) => {
        const tally = new LossTally(GAMMAS);
        for (const { p, y, weight } of examples)
          tally.add(trueClassFromProbability(p, y), y, weight);
        for (const y of [0, 1] as const) {
          const mine = examples.filter((e) => e.y === y);
          const tcs = mine.map((e) => trueClassFromProbability(e.p, y));
          const g = tally.group(y);
          const finite = mine.filter(
            (_, i) => (tcs[i] as { pt: number }).pt > 0 && mine[i]?.weight !== 0,
          );
          const infinite = mine.filter(
            (e, i) => (tcs[i] as { pt: number }).pt === 0 && e.weight > 0,
          );
          expect(g.infiniteCount).toBeCloseTo(
            infinite.reduce((s, e) => s + e.weight, 0),
            10,
          );
          const direct = (loss: (i: number) => number) =>
            mine.reduce((s, e, i) => (finite.includes(e) ? s + e.weight * loss(i) : s), 0);
          const ce = direct((i) => crossEntropy(tcs[i] as never));
          if (relative(g.ceSum, ce) > 1e-12) throw new Error(`CE: got ${g.ceSum}, expected ${ce}`);
          GAMMAS.forEach((gamma, k) => {
            const fl = direct((i) => focalLoss(tcs[i] as never, 1, gamma));
            const got = g.focalSums[k] as number;
            if (relative(got, fl) > 1e-12) {
              throw new Error(`γ = ${gamma}: got ${got}, expected ${fl} (1e-12 relative)`);
            }
          });
        }
      }),
    );
  });

  test('a million tiny losses next to one large one keep their digits (compensated sums)', () => {
    const tally = new LossTally([2]);
    tally.add(trueClassFromProbability(1e-300, 1), 1, 1);
    const tiny = trueClassFromProbability(1 - 2 ** -40, 1);
    for (let i = 0; i < 1_000_000; i++) tally.add(tiny, 1, 1);
    const expected = -Math.log(1e-300) + 1e6 * -Math.log1p(-(2 ** -40));
    expect(relative(tally.group(1).ceSum, expected)).toBeLessThan(4 * Number.EPSILON);
  });
});

/** The exact share of the hardest `fraction` (by weight), by sorting. */
function sortedShare(losses: { loss: number; weight: number }[], fraction: number): number {
  const sorted = [...losses].sort((a, b) => b.loss - a.loss);
  const count = sorted.reduce((s, e) => s + e.weight, 0);
  const total = sorted.reduce((s, e) => s + e.weight * e.loss, 0);
  let seen = 0;
  let carried = 0;
  for (const e of sorted) {
    if (seen + e.weight >= fraction * count)
      return (carried + (fraction * count - seen) * e.loss) / total;
    seen += e.weight;
    carried += e.weight * e.loss;
  }
  return 1;
}

describe('LossHistogram', () => {
  test('bins are ordered hardest first and cover every logit', () => {
    const xs = [-1e308, -5000, -4096, -100, -16.001, -16, -1, 0, 1, 15.999, 16, 17, 4096, 1e308];
    const bins = xs.map(binOf);
    expect(bins).toEqual([...bins].sort((a, b) => a - b));
    expect(bins[0]).toBe(0);
    expect(bins.at(-1)).toBe(BINS - 1);
  });

  test('top shares match an exact sort to within the bin resolution', () => {
    const logit = fc.double({ min: -30, max: 30, noNaN: true });
    fc.assert(
      fc.property(fc.array(logit, { minLength: 1, maxLength: 300 }), (logits) => {
        const histogram = new LossHistogram([2]);
        const losses = logits.map((x) => {
          const tc = trueClassFromLogit(x, 1);
          histogram.add(tc, 1, 1);
          return { loss: focalLoss(tc, 1, 2), weight: 1 };
        });
        if (losses.every((l) => l.loss === 0)) return;
        for (const f of [0.001, 0.01, 0.1, 0.5, 1]) {
          const got = histogram.topShare(1, { kind: 'fl', gamma: 2 }, f);
          const exact = sortedShare(losses, f);
          // Within a bin FL varies by at most (1 + γ)/256 of itself (1/64 octave in the tails).
          if (Math.abs(got - exact) > 0.02) {
            throw new Error(`top ${f}: got ${got}, expected ${exact} (±0.02)`);
          }
        }
      }),
    );
  });

  test('identical examples: the top fraction carries that fraction of the loss', () => {
    const histogram = new LossHistogram([2]);
    for (let i = 0; i < 1000; i++) histogram.add(trueClassFromProbability(0.3, 0), 0, 1);
    for (const f of [0.001, 0.25, 0.5, 1]) {
      expect(histogram.topShare(0, { kind: 'ce' }, f)).toBeCloseTo(f, 12);
    }
  });

  test('examples with p_t = 0 come first and share the infinite loss by count', () => {
    const histogram = new LossHistogram([2]);
    histogram.add(trueClassFromProbability(0, 1), 1, 1);
    histogram.add(trueClassFromProbability(0, 1), 1, 1);
    for (let i = 0; i < 98; i++) histogram.add(trueClassFromProbability(0.5, 1), 1, 1);
    expect(histogram.topShare(1, { kind: 'ce' }, 0.01)).toBe(0.5);
    expect(histogram.topShare(1, { kind: 'ce' }, 0.5)).toBe(1);
  });

  test('a group without examples or without loss has no shares (NaN)', () => {
    const histogram = new LossHistogram([2]);
    expect(histogram.topShare(0, { kind: 'ce' }, 0.5)).toBeNaN();
    histogram.add(trueClassFromProbability(1, 1), 1, 1);
    expect(histogram.topShare(1, { kind: 'ce' }, 0.5)).toBeNaN();
  });
});

describe('sums past the doubles (issue 13)', () => {
  const MAX = Number.MAX_VALUE;

  test('weights near 1.8e308: the count is scaled, the mean p_t and the shares stay right', () => {
    const tally = new LossTally([2]);
    const histogram = new LossHistogram([2]);
    for (const [p, y] of [
      [0.9, 0],
      [0.2, 0],
      [0.7, 1],
      [0.3, 1],
    ] as const) {
      const tc = trueClassFromProbability(p, y);
      tally.add(tc, y, MAX);
      histogram.add(tc, y, MAX);
    }
    const neg = tally.scaledGroup(0);
    expect(fromScaled(neg.count)).toBe(Number.POSITIVE_INFINITY);
    expect(fromScaled(scaledQuotient(neg.count, toScaled(MAX)))).toBe(2);
    expect(fromScaled(scaledQuotient(neg.ptSum, neg.count))).toBeCloseTo(0.45, 15);
    const ceNeg = fromScaled(scaledQuotient(neg.ceSum, neg.count));
    expect(ceNeg).toBeCloseTo((-Math.log(0.1) - Math.log(0.8)) / 2, 14);
    for (const y of [0, 1] as const) {
      expect(histogram.topShare(y, { kind: 'ce' }, 1)).toBe(1);
      const half = histogram.topShare(y, { kind: 'fl', gamma: 2 }, 0.5);
      expect(half).toBeGreaterThan(0.5);
      expect(half).toBeLessThan(1);
    }
  });

  test('FL below 5e−324 under a weight of 1e300 is summed scaled, not as 0', () => {
    const tally = new LossTally([30]);
    const tc = trueClassFromLogit(40, 1);
    for (let i = 0; i < 3; i++) tally.add(tc, 1, 1e300);
    const one = scaledProduct(toScaled(1e300), scaledFocalLoss(tc, 1, 30));
    const sum = fromScaled(scaledQuotient(tally.scaledGroup(1).focalSums[0] as Scaled, one));
    expect(sum).toBeCloseTo(3, 14);
    // One example's FL, (4.25e−18)^31, is below the doubles; the weighted sum is not.
    expect(fromScaled(scaledFocalLoss(tc, 1, 30))).toBe(0);
    expect(relative(tally.group(1).focalSums[0] as number, 3 * fromScaled(one))).toBeLessThan(
      1e-14,
    );
  });

  test('a first term below the doubles, then ordinary ones: the same sums in either order', () => {
    // An empty slot moved to a tiny term's exponent (2^−3000): 0·2^3000 was 0·∞ = NaN, and
    // `contribution --input` printed NaN for FL when such a row came first (found by issue 19's
    // SQL tests).
    const rows = [
      [700, 1],
      [0.3, 1],
      [-2, 0],
      [745, 0],
      [-740, 0],
      [1.5, 1],
    ] as const;
    const totals = (order: readonly (readonly [number, 0 | 1])[]) => {
      const tally = new LossTally([2, 0.5, 7]);
      for (const [x, y] of order) tally.add(trueClassFromLogit(x, y), y, 1);
      return [0, 1].flatMap((y) => [...tally.group(y as 0 | 1).focalSums]);
    };
    const forward = totals(rows);
    const backward = totals([...rows].reverse());
    for (const [i, value] of forward.entries()) {
      expect(Number.isFinite(value)).toBe(true);
      expect(relative(value, backward[i] as number)).toBeLessThan(4 * Number.EPSILON);
    }
  });

  test('a logit beyond 745 has CE e^(−x_t), not 0, once a weight multiplies it', () => {
    const tally = new LossTally([0]);
    tally.add(trueClassFromLogit(800, 1), 1, 1e300);
    const ce = fromScaled(tally.scaledGroup(1).ceSum);
    expect(ce / (1e300 * Math.exp(-800 + 745) * Math.exp(-745))).toBeGreaterThan(0);
    expect(relative(ce, 1e300 * Math.exp(-400) * Math.exp(-400))).toBeLessThan(1e-13);
  });
});

describe('terms far below the least double (issue 19: found by merging shards)', () => {
  test('p = 5e-324 with y = 0 (FL term ≈ 2^-2148): a finite sum in any order, not NaN', () => {
    const gammas = [1];
    const [a, b] = [1.1125369292536007e-308, 5e-324].map((p) => trueClassFromProbability(p, 0));
    const orders = [
      [a, b],
      [b, a],
      [b, b],
    ];
    for (const order of orders) {
      const tally = new LossTally(gammas);
      for (const tc of order) tally.add(tc as NonNullable<typeof tc>, 0, 1);
      const focal = tally.scaledGroup(0).focalSums[0] as Scaled;
      expect(Number.isNaN(focal[0])).toBe(false);
      expect(fromScaled(focal)).toBe(0); // ≈ 1e-616: 0 as a double
      expect(focal[1]).toBeLessThan(-2000);
    }
  });
});

describe('addLogit: the fast path of a logit and a hard label (issue 17)', () => {
  // The switch points: x_t = 0 (the sigmoid's two forms, ±0), |x_t| near 36.7 (e^(−|x|) below
  // an ulp of 1), near 708–709 (1 − p_t and CE leave the normal doubles: the general path), 745
  // (e^(−745) is the least subnormal), and small and huge weights.
  const logit = fc.oneof(
    fc.double({ min: -60, max: 60, noNaN: true }),
    fc.double({ min: -800, max: 800, noNaN: true }),
    fc.constantFrom(0, -0, 36.7, -36.7, 707.7, -707.7, 708.4, -708.4, 709.8, -709.8, 745.2, -746),
    fc.constantFrom(1e-300, -5e-324, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  );
  const weight = fc.oneof(
    fc.constant(1),
    fc.double({ min: 0, max: 1e3, noNaN: true }),
    fc.constantFrom(0, 5e-324, 1e-300, 1e300, Number.MAX_VALUE),
  );
  // γ: 0, 0.5, odd and large whole ones (1025 is past wholePower's squaring), and others.
  const gamma = fc.oneof(
    fc.constantFrom(0, 0.5, 1, 2, 3, 5, 7, 31, 100, 1025),
    fc.double({ min: 0, max: 50, noNaN: true }),
  );
  const row = fc.tuple(logit, fc.constantFrom<Label>(0, 1), weight);

  test('the same totals as add(trueClassFromLogit(x, y), y, weight), to 4 ulp', () => {
    // The fast path makes the same operations as the general one (one e^(−|x_t|) and its log1p
    // shared by p_t, 1 − p_t and ln p_t; wholePower for a whole γ), so on V8's Math.pow (Node
    // 20, 22) every sum is the same to the last bit. The one exception is γ = 0.5: √q is
    // correctly rounded, and fdlibm's pow(q, 0.5) takes it, but the C library's pow (Node 24) is
    // within 0.52 ulp, so a term may differ by 1 ulp (2^−52 relative); Neumaier's sum of
    // non-negative terms then moves by at most that plus its own rounding: 4·EPS in all.
    fc.assert(
      fc.property(
        fc.array(gamma, { minLength: 1, maxLength: 6 }),
        fc.array(row, { maxLength: 40 }),
        (gammas, rows) => {
          const fast = new LossTally(gammas);
          const general = new LossTally(gammas);
          for (const [x, y, w] of rows) {
            fast.addLogit(x, y, w);
            general.add(trueClassFromLogit(x, y), y, w);
          }
          for (const y of [0, 1] as const) {
            const a = fast.scaledGroup(y);
            const b = general.scaledGroup(y);
            const same = (u: Scaled, v: Scaled) => {
              if (u[0] === v[0] && u[1] === v[1]) return;
              const ratio = fromScaled(scaledQuotient(u, v));
              if (!(Math.abs(ratio - 1) <= 4 * Number.EPSILON)) {
                throw new Error(`γ ${gammas}: ${u} against ${v}`);
              }
            };
            for (const key of ['count', 'ptSum', 'ceSum', 'infiniteCount'] as const) {
              expect(a[key]).toEqual(b[key]);
            }
            for (const [g, s] of a.focalSums.entries()) same(s, b.focalSums[g] as Scaled);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  test('x_t = 0, a confident logit and one past 745: the same as the general path', () => {
    const gammas = [0, 0.5, 1, 2, 5, 2.5];
    const fast = new LossTally(gammas);
    const general = new LossTally(gammas);
    for (const [x, y] of [
      [0, 1],
      [-0, 0],
      [40, 1],
      [-40, 0],
      [800, 1],
      [-3, 1],
    ] as const) {
      fast.addLogit(x, y, 1);
      general.add(trueClassFromLogit(x, y), y, 1);
    }
    for (const y of [0, 1] as const) expect(fast.scaledGroup(y)).toEqual(general.scaledGroup(y));
    // x = 40, y = 1 alone: CE = log1p(e^−40) = 4.25e−18 (not 0), FL at γ = 1 its square.
    const one = new LossTally([1]);
    one.addLogit(40, 1, 1);
    expect(relative(one.group(1).ceSum, Math.exp(-40))).toBeLessThan(2 * Number.EPSILON);
    expect(relative(one.group(1).focalSums[0] as number, Math.exp(-80))).toBeLessThan(1e-15);
  });
});

describe('addLogits and addProbabilities: blocks of examples (issue 17, 2026-12-01)', () => {
  // The same switch points as addLogit's, and probabilities at the ends (p = 0 and 1 with
  // either label: CE infinite or 0), near them, and subnormal; weights 0, tiny and huge.
  const logit = fc.oneof(
    fc.double({ min: -60, max: 60, noNaN: true }),
    fc.double({ min: -800, max: 800, noNaN: true }),
    fc.constantFrom(0, -0, 36.7, -36.7, 115, -115, 707.7, -708.4, 745.2, -746),
  );
  const probability = fc.oneof(
    fc.double({ min: 0, max: 1, noNaN: true }),
    // Below 1/2 with all 53 bits: 1 − p rounds, and (1 − p_t)^γ takes its low part.
    fc.integer({ min: 1, max: 2 ** 30 }).map((k) => k / 3 / 2 ** 30),
    fc.constantFrom(0, -0, 1, 0.5, 5e-324, 1e-300, 1e-17, 1 - 2 ** -53, 0.25, 0.75),
  );
  const weight = fc.oneof(
    fc.constant(1),
    fc.double({ min: 0, max: 1e3, noNaN: true }),
    fc.constantFrom(0, 5e-324, 1e-300, 1e-160, 2 ** 100, 2 ** 101, 1e300, Number.MAX_VALUE),
  );
  const gamma = fc.oneof(
    fc.constantFrom(0, 0.5, 1, 2, 3, 5, 7, 31, 37.5, 100, 1025),
    fc.double({ min: 0, max: 50, noNaN: true }),
  );
  /** Rows, repeated `times` times: past a block of 2048 now and then. */
  const rows = (score: fc.Arbitrary<number>) =>
    fc
      .tuple(
        fc.array(fc.tuple(score, fc.constantFrom<Label>(0, 1), weight), {
          minLength: 1,
          maxLength: 40,
        }),
        fc.constantFrom(1, 2, 60, 130),
        fc.boolean(),
        fc.boolean(),
        fc.double({ min: 0, max: 1, noNaN: true }),
      )
      .map(([some, times, weighted, huge, part]) => {
        const all = Array.from({ length: times }, () => some).flat();
        return {
          cut: Math.floor(part * all.length),
          scores: Float64Array.from(all, ([x]) => x),
          labels: Float64Array.from(all, ([, y]) => y),
          weights: weighted ? Float64Array.from(all, ([, , w]) => w) : undefined,
          huge, // a sum near 2^1000 before the block: the blocks step aside
        };
      });
  const same = (a: LossTally, b: LossTally) => {
    for (const y of [0, 1] as const) expect(a.scaledGroup(y)).toEqual(b.scaledGroup(y));
    expect(a.state()).toEqual(b.state());
  };

  test('addLogits: the same sums as addLogit example by example, to the last bit', () => {
    fc.assert(
      fc.property(fc.array(gamma, { minLength: 1, maxLength: 6 }), rows(logit), (gammas, r) => {
        const blocks = new LossTally(gammas);
        const one = new LossTally(gammas);
        if (r.huge) for (const t of [blocks, one]) t.addLogit(-3, 0, 2 ** 1010);
        // In two calls, [0, cut) and [cut, n): a call's from and to.
        blocks.addLogits(r.scores, r.labels, r.weights, 0, r.cut);
        blocks.addLogits(r.scores, r.labels, r.weights, r.cut, r.scores.length);
        for (let i = 0; i < r.scores.length; i++) {
          one.addLogit(r.scores[i] as number, r.labels[i] as Label, r.weights?.[i] ?? 1);
        }
        same(blocks, one);
      }),
      { numRuns: 300 },
    );
  });

  test('addProbabilities: the same sums as add(trueClassFromProbability(p, y)), to the last bit', () => {
    fc.assert(
      fc.property(
        fc.array(gamma, { minLength: 1, maxLength: 6 }),
        rows(probability),
        (gammas, r) => {
          const blocks = new LossTally(gammas);
          const one = new LossTally(gammas);
          if (r.huge) for (const t of [blocks, one]) t.addLogit(-3, 0, 2 ** 1010);
          blocks.addProbabilities(r.scores, r.labels, r.weights, 0, r.cut);
          blocks.addProbabilities(r.scores, r.labels, r.weights, r.cut, r.scores.length);
          for (let i = 0; i < r.scores.length; i++) {
            const y = r.labels[i] as Label;
            one.add(trueClassFromProbability(r.scores[i] as number, y), y, r.weights?.[i] ?? 1);
          }
          same(blocks, one);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('p = 0 and p = 1: CE infinite for the wrong label, 0 for the right one, as add gives', () => {
    const gammas = [0, 0.5, 2, 5, 2.5];
    const p = Float64Array.from([0, 1, 0, 1, 0.3, 0.9]);
    const y = Float64Array.from([1, 0, 0, 1, 1, 0]);
    const blocks = new LossTally(gammas);
    blocks.addProbabilities(p, y, undefined, 0, p.length);
    for (const g of [0, 1] as const) {
      const totals = blocks.group(g);
      expect(totals.count).toBe(3);
      expect(totals.infiniteCount).toBe(1); // p = 0 with y = 1, p = 1 with y = 0
    }
    // The finite CE of each group is its one example with 0 < p < 1 (p_t = 1 adds 0).
    expect(blocks.group(1).ceSum).toBe(-Math.log(0.3));
    expect(blocks.group(0).ceSum).toBe(-Math.log1p(-0.9));
    expect(blocks.group(1).ptSum).toBe(0 + 1 + 0.3);
  });
});
