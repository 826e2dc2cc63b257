/** `focal balance`, end to end, and the heuristics' laws. */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import {
  effectiveNumber,
  effectiveNumberAlpha,
  inverseFrequencyAlpha,
  sqrtInverseFrequencyAlpha,
} from '../../src/core/balance.js';
import { run } from './run.js';

describe('focal balance', () => {
  test('columns method, beta, alpha; beta only for the effective number; the paper last', async () => {
    const result = await run([
      'balance',
      '--neg',
      '1e6',
      '--pos',
      '10',
      '--beta',
      '0.9',
      '-f',
      'csv',
    ]);
    expect([result.code, result.stderr]).toEqual([0, '']);
    const rows = result.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    expect(rows.map((r) => r.slice(0, 2))).toEqual([
      ['method', 'beta'],
      ['inverse-frequency', ''],
      ['sqrt-inverse-frequency', ''],
      ['effective-number', '0.9'],
      ['paper-gamma-2', ''],
    ]);
    expect(Number(rows[1]?.[2])).toBeCloseTo(1e6 / (1e6 + 10), 15);
    expect(Number(rows[2]?.[2])).toBeCloseTo(1000 / (1000 + Math.sqrt(10)), 15);
    const eNeg = (1 - 0.9 ** 1e6) / 0.1;
    const ePos = (1 - 0.9 ** 10) / 0.1;
    expect(Number(rows[3]?.[2])).toBeCloseTo(eNeg / (eNeg + ePos), 15);
    expect(rows[4]?.[2]).toBe('0.25');
  });

  test.each([
    [['balance', '--neg', '5'], 'balance needs --neg and --pos'],
    [['balance', '--neg', '0', '--pos', '0'], '--neg and --pos are both 0'],
    [['balance', '--neg', '5', '--pos', '1', '--beta', '1'], '--beta: 1 is not in [0, 1)'],
  ])('%j is an error', async (args, message) => {
    const result = await run(args);
    expect([result.code, result.stdout]).toEqual([2, '']);
    expect(result.stderr).toContain(`focal: ${message}`);
  });
});

describe('heuristic laws', () => {
  const count = fc.double({ min: 1, max: 1e9, noNaN: true });
  test('every α is in [0, 1], and swapping the counts gives 1 − α', () => {
    fc.assert(
      fc.property(
        count,
        count,
        fc.double({ min: 0, max: 0.99999, noNaN: true }),
        (neg, pos, beta) => {
          for (const alpha of [
            (n: number, p: number) => inverseFrequencyAlpha(n, p),
            (n: number, p: number) => sqrtInverseFrequencyAlpha(n, p),
            (n: number, p: number) => effectiveNumberAlpha(n, p, beta),
          ]) {
            const a = alpha(neg, pos);
            expect(a).toBeGreaterThanOrEqual(0);
            expect(a).toBeLessThanOrEqual(1);
            expect(a + alpha(pos, neg)).toBeCloseTo(1, 12);
          }
        },
      ),
    );
  });

  test('the effective number tends to n as β → 1 and is 1 at β = 0', () => {
    expect(effectiveNumber(1000, 1 - 1e-12)).toBeCloseTo(1000, 6);
    expect(effectiveNumber(1000, 0)).toBe(1);
  });
});
