/** The α heuristics at the edges of the doubles (issue 13); the audit checks them against mpmath. */
import { describe, expect, test } from '@jest/globals';
import {
  effectiveNumber,
  effectiveNumberAlpha,
  inverseFrequencyAlpha,
  sqrtInverseFrequencyAlpha,
} from '../../src/core/balance.js';

const MAX = Number.MAX_VALUE;
const TINY = Number.MIN_VALUE;

describe('balance at the edges of the doubles', () => {
  test('inverse frequency: counts whose sum overflows', () => {
    expect(inverseFrequencyAlpha(MAX, MAX)).toBe(0.5);
    expect(inverseFrequencyAlpha(MAX, MAX / 3)).toBeCloseTo(0.75, 15);
    expect(inverseFrequencyAlpha(1e6, 10)).toBe(1e6 / (1e6 + 10));
    expect(sqrtInverseFrequencyAlpha(MAX, MAX)).toBe(0.5);
  });

  test('the effective number of a subnormal count is linear in it, not 0', () => {
    // E_n = (1 − βⁿ)/(1 − β) = n·(−ln β)/(1 − β) to within n·ln β.
    expect(effectiveNumber(1e-310, 0.5)).toBe((1e-310 * 2 * Math.LN2 * 2 ** 60) / 2 ** 60);
    expect(effectiveNumber(TINY, 0.9)).toBeGreaterThan(0);
    expect(effectiveNumberAlpha(TINY, TINY, 0.9)).toBe(0.5);
    const alpha = effectiveNumberAlpha(TINY, 1e-300, 0.999);
    expect(Math.abs(alpha - TINY / 1e-300) / (TINY / 1e-300)).toBeLessThan(1e-15);
    expect(effectiveNumberAlpha(1e-300, TINY, 0.999)).toBe(1);
  });

  test('β below 1/2 uses ln β (log1p(β − 1) was −∞ for β = 1e−20)', () => {
    expect(effectiveNumber(1, 1e-20)).toBe(1);
    const e = effectiveNumber(1e-30, 1e-20);
    expect(Math.abs(e - (1e-30 * 20 * Math.LN10) / (1 - 1e-20)) / e).toBeLessThan(4e-16);
    expect(effectiveNumberAlpha(1e-30, 1e-29, 1e-20)).toBeCloseTo(1 / 11, 15);
  });

  test('β = 0: every non-empty group counts 1', () => {
    expect(effectiveNumber(0, 0)).toBe(0);
    expect(effectiveNumber(TINY, 0)).toBe(1);
    expect(effectiveNumberAlpha(1e300, 1, 0)).toBe(0.5);
  });
});
