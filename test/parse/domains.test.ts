/**
 * The options' numeric domains check their bounds with plain comparisons (values.ts), not zod
 * schemas, for start-up; zod stays the oracle: the check accepts exactly what zod's schema of
 * the same bounds accepts, for the declared domains and for random ones, on random numbers,
 * the bounds themselves, their neighbours, ±0, infinities and NaN.
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { gt, gte, lt, lte, number } from 'zod/mini';
import { INTERVALS } from '../../src/cli/options.js';
import { domain, type Interval } from '../../src/cli/values.js';

function zodOf(i: Interval) {
  const checks = [
    ...(i.min === undefined ? [] : [i.minOpen ? gt(i.min) : gte(i.min)]),
    ...(i.max === undefined ? [] : [i.maxOpen ? lt(i.max) : lte(i.max)]),
  ];
  return checks.length === 0 ? number() : number().check(...checks);
}

/** The numbers next to x, either side. */
function neighbours(x: number): number[] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  return [bits - 1n, bits + 1n].map((b) => {
    view.setBigUint64(0, BigInt.asUintN(64, b));
    return view.getFloat64(0);
  });
}

const specials = [0, -0, Infinity, -Infinity, Number.NaN, Number.MIN_VALUE, -Number.MIN_VALUE];

function candidates(i: Interval): number[] {
  const bounds = [i.min, i.max].filter((b): b is number => b !== undefined);
  return [...specials, ...bounds, ...bounds.flatMap(neighbours)];
}

describe('domains: the bounds check against zod', () => {
  test.each(Object.entries(INTERVALS))('%s: bounds, neighbours and special values', (_, i) => {
    const check = domain(i);
    const schema = zodOf(i);
    for (const x of candidates(i)) {
      expect([x, check.contains(x)]).toEqual([x, schema.safeParse(x).success]);
    }
  });

  test('random intervals and numbers', () => {
    const bound = fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), {
      nil: undefined,
    });
    fc.assert(
      fc.property(
        fc.record({ min: bound, minOpen: fc.boolean(), max: bound, maxOpen: fc.boolean() }),
        fc.array(fc.double(), { maxLength: 20 }),
        (i, xs) => {
          const check = domain(i);
          const schema = zodOf(i);
          for (const x of [...xs, ...candidates(i)]) {
            expect(check.contains(x)).toBe(schema.safeParse(x).success);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
