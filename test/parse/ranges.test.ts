/** Exact decimal ranges and the number grammar (cli-contract.md, "Numbers", "Lists, ranges"). */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { parseNumber } from '../../src/cli/numbers.js';
import { domain, parseList } from '../../src/cli/values.js';
import { UsageError } from '../../src/errors.js';

const anyNumber = domain({});
const values = (text: string) => [...parseList(text, anyNumber)];

/** The decimal `digits × 10^−scale` written out, so that Number() rounds it once. */
function decimalString(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const point = digits.length - scale;
  return `${negative ? '-' : ''}${digits.slice(0, point)}.${digits.slice(point) || '0'}`;
}

describe('ranges', () => {
  test.each([
    ['0:0.3:0.1', [0, 0.1, 0.2, 0.3]],
    ['0:1:0.3', [0, 0.3, 0.6, 0.9]],
    ['0.5:0.5:0.1', [0.5]],
    ['1:0:-0.25', [1, 0.75, 0.5, 0.25, 0]],
    ['0,0.5:1:0.25', [0, 0.5, 0.75, 1]],
    ['1e-3:3e-3:1e-3', [0.001, 0.002, 0.003]],
    ['0.1,0.1', [0.1, 0.1]],
  ])('%s gives %j', (text, expected) => {
    expect(values(text)).toEqual(expected);
  });

  test('0.56:0.57:1e-7 has 100001 values and ends at 0.57', () => {
    const list = parseList('0.56:0.57:1e-7', anyNumber);
    expect(list.length).toBe(100001);
    expect(list.at(100000)).toBe(0.57);
    expect(list.at(12345)).toBe(Number('0.5612345'));
  });

  test('every value is the nearest double to start + i·step, computed exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000, max: 1_000_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 0, max: 30 }),
        fc.boolean(),
        (start, step, count, scale, down) => {
          const s = BigInt(start);
          const d = BigInt(down ? -step : step);
          const stop = s + BigInt(count) * d;
          const text = [s, stop, d].map((u) => decimalString(u, scale)).join(':');
          const list = parseList(text, anyNumber);
          expect(list.length).toBe(count + 1);
          for (let i = 0; i <= count; i++) {
            expect(list.at(i)).toBe(Number(decimalString(s + BigInt(i) * d, scale)));
          }
        },
      ),
    );
  });

  test.each([
    ['0:1:0', /step of zero/],
    ['0:1:-0.1', /steps away/],
    ['0:1', /three parts/],
    ['0:1:0.1:2', /three parts/],
    ['0:1:1e-9', /1000000001 values/],
    ['0:1:1e-400', /step of zero/],
    ['0.1,,0.5', /empty element/],
  ])('%s is refused (%p)', (text, message) => {
    expect(() => values(text)).toThrow(UsageError);
    expect(() => values(text)).toThrow(message);
  });
});

describe('numbers', () => {
  test.each([
    ['0.25', 0.25],
    ['.5', 0.5],
    ['1.', 1],
    ['+1', 1],
    ['1e6', 1e6],
    ['1E-7', 1e-7],
    ['-3.2', -3.2],
    ['  2  ', 2],
    ['1e-400', 0],
  ])('%p is %p', (text, value) => {
    expect(parseNumber(text).value).toBe(value);
  });

  test.each([
    '',
    ' ',
    '0x10',
    '0b1',
    'Infinity',
    '-Infinity',
    'NaN',
    '1_000',
    '1,5',
    '1e309',
    'e5',
    '.',
    '1e',
    '--1',
  ])('%p is refused', (text) => {
    expect(() => parseNumber(text)).toThrow(UsageError);
  });

  test('every finite double written by String() reads back as itself', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        // String(-0) is "0", so compare with === (where -0 === 0).
        expect(parseNumber(String(x)).value === x).toBe(true);
      }),
    );
  });
});
