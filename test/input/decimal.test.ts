import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { parseDecimal, primeDecimal, readDecimal } from '../../src/input/decimal.js';

const bytes = (text: string) => Buffer.from(text, 'latin1');
const parse = (text: string) => parseDecimal(bytes(text), 0, text.length);

/** As the scanner calls it: a sentinel byte after the text, and a DataView for 8-digit reads. */
function parseFast(text: string): number {
  const buffer = new Uint8Array(text.length + 9);
  buffer.set(bytes(text), 0);
  buffer.fill(0x35, text.length + 1); // stale digits after the sentinel must not be read
  const out = Float64Array.of(-7);
  const end = readDecimal(buffer, 0, out, 0, new DataView(buffer.buffer));
  return end === text.length ? (out[0] as number) : Number.NaN;
}

/** Fails with the input, the value and the expected value (tolerance: none, bit for bit). */
function expectSameAsNumber(text: string): void {
  const expected = Number(text);
  for (const [how, value] of [
    ['digit by digit', parse(text)],
    ['eight digits at a time', parseFast(text)],
  ] as const) {
    if (!Object.is(value, expected)) {
      throw new Error(
        `input ${JSON.stringify(text)} (${how}): got ${value}, expected ${expected} (exact)`,
      );
    }
  }
}

describe('parseDecimal reads every number of the grammar exactly as Number does', () => {
  test.each([
    '0',
    '-0',
    '+1',
    '1.',
    '.5',
    '0.1',
    '0.0022941800817191534',
    '0.99999999999999989',
    '0.99999999999999994',
    '1.0000000000000002',
    '4.9406564584124654e-324',
    '2.2250738585072014e-308',
    '1.7976931348623157e308',
    '1e309',
    '1.000000000000000000e+00',
    '9.999999999999999999e-01',
    '123456789012345678901234567890',
    '0.000000000000000000000000000001',
    '1E5',
    '-2.5e-3',
    '9007199254740993',
    '0.1000000000000000055511151231257827',
    '0.12345678',
    '0.1234567x',
    '0.12345678901234567',
    '12345678.12345678',
    '0.00000000123456789012345678',
    '1e-100001',
    '1e100001',
  ])('%s', (text) => expectSameAsNumber(text));

  test('an exponent too large to hold exactly goes to Number (0.000…0001e1000000)', () => {
    expectSameAsNumber(`0.${'0'.repeat(99999)}1e1000000`);
  });

  test('random decimals with 1 to 20 significant digits and any exponent', () => {
    const digits = fc.string({
      unit: fc.constantFrom(...'0123456789'),
      minLength: 1,
      maxLength: 20,
    });
    const decimal = fc
      .tuple(
        fc.constantFrom('', '-', '+'),
        digits,
        fc.option(fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 22 })),
        fc.option(
          fc.tuple(
            fc.constantFrom('e', 'E'),
            fc.constantFrom('', '-', '+'),
            fc.integer({ min: 0, max: 400 }),
          ),
        ),
      )
      .map(
        ([sign, int, frac, exp]) =>
          `${sign}${int}${frac === null ? '' : `.${frac}`}${exp === null ? '' : `${exp[0]}${exp[1]}${exp[2]}`}`,
      );
    fc.assert(
      fc.property(decimal, (text) => expectSameAsNumber(text)),
      { numRuns: 20000 },
    );
  });

  test('doubles printed with 15 to 19 significant digits, the widths files use', () => {
    const printed = fc
      .tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 15, max: 19 }))
      .map(([p, digits]) => p.toPrecision(digits));
    fc.assert(
      fc.property(printed, (text) => expectSameAsNumber(text)),
      { numRuns: 50000 },
    );
  });

  test('shortest round-trip forms (pandas) and the full-width %.18e form (numpy savetxt)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expectSameAsNumber(String(x));
        expectSameAsNumber(x.toExponential(18));
      }),
      { numRuns: 20000 },
    );
  });
});

describe('parseDecimal rejects what is not one number', () => {
  test.each([
    '',
    '-',
    '+',
    '.',
    'e5',
    '1e',
    '1e+',
    '1.2.3',
    'nan',
    'NaN',
    'inf',
    'Infinity',
    '0x10',
    '1_0',
    ' 1',
    '1 ',
    '--1',
    '1,5',
  ])('%j is NaN', (text) => {
    expect(parse(text)).toBeNaN();
  });
});

describe('readDecimal writes the number into out[slot] and returns where it ends', () => {
  test.each([
    ['0.25,1', 0.25, 4],
    ['1e-3\t0', 0.001, 4],
    ['7e,', 7, 1],
    ['-x', Number.NaN, 0],
  ])('%j', (text, value, end) => {
    const out = new Float64Array(1);
    expect(readDecimal(bytes(text), 0, out, 0)).toBe(end);
    expect(out[0]).toBe(value);
  });

  test('never reads past the end of the bytes given', () => {
    const out = new Float64Array(1);
    expect(readDecimal(bytes('0.125999').subarray(0, 5), 0, out, 0)).toBe(5);
    expect(out[0]).toBe(0.125);
  });

  test('the end is an index into the bytes, from any start, with or without a DataView', () => {
    const text = bytes('x,-12.5e1,0.30000000000000004;');
    const view = new DataView(text.buffer, text.byteOffset, text.byteLength);
    for (const withView of [undefined, view]) {
      const out = new Float64Array(2);
      expect(readDecimal(text, 2, out, 1, withView)).toBe(9);
      expect(readDecimal(text, 10, out, 0, withView)).toBe(29);
      expect([...out]).toEqual([0.30000000000000004, -125]);
    }
  });

  test('each call writes only its own slot', () => {
    const out = Float64Array.of(1, 2, 3);
    expect(readDecimal(bytes('22.25'), 0, out, 1)).toBe(5);
    expect([...out]).toEqual([1, 22.25, 3]);
    expect(readDecimal(bytes(','), 0, out, 2)).toBe(0);
    expect([...out]).toEqual([1, 22.25, Number.NaN]);
  });

  test('a property: with any separator after it, the end is where the number ends', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.constantFrom(',', '\t', ' ', ';', 'x', '\n'),
        fc.nat(3),
        (x, suffix, offset) => {
          const number = String(x);
          const out = new Float64Array(1);
          const text = bytes(`${'#'.repeat(offset)}${number}${suffix}1`);
          expect(readDecimal(text, offset, out, 0)).toBe(offset + number.length);
          expect(out[0]).toBe(Number(number));
        },
      ),
    );
  });
});

describe('primeDecimal (V8 sees every path before it optimizes readDecimal)', () => {
  test('changes no result, and a second call does nothing', () => {
    const texts = ['0.0022941800817191534', '1e30', '-123456789.25', '12.5e-3', '.5', 'x'];
    const before = texts.map(parseFast);
    primeDecimal();
    primeDecimal();
    expect(texts.map(parseFast)).toEqual(before);
    for (const text of texts.slice(0, -1)) expectSameAsNumber(text);
  });
});
