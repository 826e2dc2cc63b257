/** The conventions of lossShares at the edges (cli-contract.md, `focal contribution`). */
import { describe, expect, test } from '@jest/globals';
import { lossShares } from '../../src/index.js';

const INF = Number.POSITIVE_INFINITY;

describe('lossShares', () => {
  test('a group with no examples carries nothing, even with an infinite per-example loss', () => {
    expect(
      lossShares([
        { count: 0, perExample: INF },
        { count: 10, perExample: 4.6 },
      ]),
    ).toEqual([0, 1]);
  });

  test('when nothing carries loss every share is NaN', () => {
    const shares = lossShares([
      { count: 0, perExample: 1 },
      { count: 5, perExample: 0 },
    ]);
    expect(shares.every(Number.isNaN)).toBe(true);
  });

  test('infinite totals share 1 in proportion to their counts; finite ones get 0', () => {
    expect(
      lossShares([
        { count: 10, perExample: INF },
        { count: 30, perExample: INF },
        { count: 1e6, perExample: 0.01 },
      ]),
    ).toEqual([0.25, 0.75, 0]);
  });

  test('counts of 1e308 overflow the totals but not the shares', () => {
    // Equal counts: the shares are the per-example losses' fractions, 1/3 and 2/3.
    const [a, b] = lossShares([
      { count: 1e308, perExample: 1.5 },
      { count: 1e308, perExample: 3 },
    ]);
    expect(a).toBe(1 / 3);
    expect(b).toBe(2 / 3);
  });

  test('losses of 1e-300 times counts of 1e15 keep their shares', () => {
    const [a, b] = lossShares([
      { count: 1e15, perExample: 1e-300 },
      { count: 3e15, perExample: 1e-300 },
    ]);
    expect(a).toBeCloseTo(0.25, 15);
    expect(b).toBeCloseTo(0.75, 15);
  });
});
