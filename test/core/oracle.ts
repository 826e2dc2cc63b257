/**
 * Reading the mpmath fixtures (test/fixtures, made by generate.py) and comparing in units of
 * machine epsilon. Expected values are exact reals as strings; "inf" is +∞.
 */
import { readFileSync } from 'node:fs';

export const EPS = Number.EPSILON;
/** Below the least normal double, relative error is meaningless: allow a few subnormal ulps. */
export const ABSOLUTE_FLOOR = 4 * Number.MIN_VALUE;

export function fixture<T>(name: string): { description: string; cases: T[] } {
  const url = new URL(`../fixtures/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8'));
}

export function exact(text: string): number {
  return text === 'inf' ? Number.POSITIVE_INFINITY : Number(text);
}

/** |value − expected| ≤ ulps·EPS·|expected| (+ a subnormal floor); infinities must match. */
export function withinEps(value: number, expected: number, ulps: number): boolean {
  if (!Number.isFinite(expected) || !Number.isFinite(value)) return Object.is(value, expected);
  return Math.abs(value - expected) <= ulps * EPS * Math.abs(expected) + ABSOLUTE_FLOOR;
}

/** Error in units of EPS relative to the expected value (0 when both are 0). */
export function errorInEps(value: number, expected: number): number {
  if (value === expected) return 0;
  if (Math.abs(value - expected) <= ABSOLUTE_FLOOR) return 0;
  // Divided in two steps: EPS·|expected| would be subnormal (imprecise) below 1e−292.
  return Math.abs(value - expected) / Math.abs(expected) / EPS;
}

/** One comparison: what is checked, our value, the oracle's, and the tolerance in EPS. */
export type Check = [label: string, value: number, expected: number, ulps: number];

/**
 * Checks every case and returns the failures as readable lines: the input, the value, the
 * expected value and the tolerance. An empty array means all passed.
 */
export function failures<C>(
  cases: readonly C[],
  check: (c: C) => Check[],
  describeInput: (c: C) => string,
): string[] {
  const out: string[] = [];
  for (const c of cases) {
    for (const [label, value, expected, ulps] of check(c)) {
      if (!withinEps(value, expected, ulps)) {
        out.push(
          `${describeInput(c)}: ${label} = ${value}, expected ${expected}, ` +
            `error ${errorInEps(value, expected).toFixed(1)} EPS > tolerance ${ulps} EPS`,
        );
      }
    }
  }
  return out;
}
