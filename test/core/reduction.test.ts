/**
 * Reductions (src/core/reduction.ts) against an exact oracle: the sum of the doubles formed in
 * integers (BigInt, every term scaled by 2^113 exactly) and rounded once. Losses are ≥ 0, where
 * the compensated sum is within about 1 ulp of the exact sum whatever the number of terms.
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { LossReducer, reduceLosses, reductionDivisor } from '../../src/index.js';
import { EPS } from './oracle.js';

const SCALE = 113n; // every double in [2^-60, 2^60] is a whole multiple of 2^-112

/** The exact sum of the doubles, correctly rounded: one rounding, in Number(BigInt). */
function exactSum(values: readonly number[]): number {
  let sum = 0n;
  for (const x of values) {
    if (x === 0) continue;
    // x = mantissa·2^exponent read from its bits (normal doubles only, as here).
    const view = new DataView(new Float64Array([x]).buffer);
    const bits = view.getBigUint64(0, true);
    const exponent = Number((bits >> 52n) & 0x7ffn) - 1075;
    const mantissa = (bits & 0xfffffffffffffn) | 0x10000000000000n;
    sum += mantissa << (BigInt(exponent) + SCALE);
  }
  return Number(sum) / 2 ** Number(SCALE);
}

const loss = fc.oneof(
  fc.double({ min: 2 ** -60, max: 2 ** 60, noNaN: true }),
  fc.double({ min: 1e-9, max: 1e-3, noNaN: true }),
  fc.constant(0),
);
const examples = fc.array(fc.tuple(loss, fc.constantFrom(0 as const, 1 as const)), {
  minLength: 1,
  maxLength: 300,
});

describe('reductions', () => {
  test('sum, mean and pos-mean are the exact sum (±2 EPS) over 1, n and max(1, positives)', () => {
    fc.assert(
      fc.property(examples, (pairs) => {
        const losses = pairs.map(([x]) => x);
        const labels = pairs.map(([, y]) => y);
        const exact = exactSum(losses);
        const positives = labels.filter((y) => y === 1).length;
        const expected = {
          sum: exact,
          mean: exact / losses.length,
          'pos-mean': exact / Math.max(1, positives),
        };
        for (const how of ['sum', 'mean', 'pos-mean'] as const) {
          const value = reduceLosses(losses, how, labels);
          expect(Math.abs(value - expected[how])).toBeLessThanOrEqual(2 * EPS * expected[how]);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('a million tiny losses beside a large one keep their digits (a plain sum loses them)', () => {
    const losses = [1e6, ...Array.from({ length: 1_000_000 }, () => 1e-11)];
    let plain = 0;
    for (const x of losses) plain += x;
    const exact = exactSum([1e6]) + 1e-5; // 1e6 + 1e-5, rounded once
    expect(reduceLosses(losses, 'sum')).toBe(exact);
    expect(plain).not.toBe(exact);
  });

  test('the divisors: 1, n, max(1, positives); a mean of nothing is NaN, pos-mean never', () => {
    expect(reductionDivisor('sum', 7, 3)).toBe(1);
    expect(reductionDivisor('mean', 7, 3)).toBe(7);
    expect(reductionDivisor('pos-mean', 7, 3)).toBe(3);
    expect(reductionDivisor('pos-mean', 7, 0)).toBe(1);
    expect(new LossReducer(1).reduced('mean')).toEqual([NaN]);
    expect(new LossReducer(1).reduced('pos-mean')).toEqual([0]);
  });

  test('an infinite loss (p_t = 0) makes the reduction infinite', () => {
    expect(reduceLosses([1, Number.POSITIVE_INFINITY], 'mean')).toBe(Number.POSITIVE_INFINITY);
  });

  test('the reducer keeps one sum per quantity and counts examples and positives', () => {
    const reducer = new LossReducer(2);
    reducer.add([1, 10], 1);
    reducer.add([3, 30], 0);
    reducer.add(new Float64Array([5, 50]), 1);
    expect([reducer.n, reducer.positives]).toEqual([3, 2]);
    expect(reducer.reduced('sum')).toEqual([9, 90]);
    expect(reducer.reduced('mean')).toEqual([3, 30]);
    expect(reducer.reduced('pos-mean')).toEqual([4.5, 45]);
  });

  test('pos-mean needs labels, one per loss', () => {
    expect(() => reduceLosses([1, 2], 'pos-mean')).toThrow(RangeError);
    expect(() => reduceLosses([1, 2], 'sum', [1])).toThrow(RangeError);
  });
});
