/**
 * Long csv, tsv and ndjson outputs are made as bytes (row-bytes.ts, number-bytes.ts): the same
 * bytes as the string formatters, number for number (String(x)'s shortest round-trip digits).
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { writeCsv, writeTsv } from '../../src/format/delimited.js';
import type { Column, FormatOptions, Row, RowSet, Sink } from '../../src/format/formats.js';
import { writeNdjson } from '../../src/format/json.js';
import { writeNumber } from '../../src/format/number-bytes.js';

const buffer = new Uint8Array(64);
const decoder = new TextDecoder();

/** What writeNumber writes for x, as text. */
function written(x: number): string {
  return decoder.decode(buffer.subarray(0, writeNumber(buffer, 0, x)));
}

/** String(x), with −0 as 0 (formatReal's rule). */
const expected = (x: number) => (x === 0 ? '0' : String(x));

/** A double from its 64 bits: every double, subnormals, ±0, NaN and ±∞ included. */
const anyBits = fc
  .tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }))
  .map(([high, low]) => {
    const view = new DataView(new ArrayBuffer(8));
    view.setUint32(0, high);
    view.setUint32(4, low);
    return view.getFloat64(0);
  });

/** Short decimals at any scale (`0.0000091`, `4.5e-300`): the shortest forms of few digits. */
const shortDecimal = fc
  .tuple(fc.integer({ min: 1, max: 999_999 }), fc.integer({ min: -330, max: 310 }))
  .map(([digits, exponent]) => Number(`${digits}e${exponent}`));

/**
 * Decimals of up to 15 digits at any scale, and a range's values i/10^k (`weight --pt 0:1:1e-7`):
 * the zeros after their digits at the scale of 16 are taken off eight or one at a time.
 */
const longerDecimal = fc.oneof(
  fc
    .tuple(fc.integer({ min: 1, max: 999_999_999_999_999 }), fc.integer({ min: -330, max: 300 }))
    .map(([digits, exponent]) => Number(`${digits}e${exponent}`)),
  fc
    .tuple(fc.integer({ min: 1, max: 100_000_000 }), fc.integer({ min: 0, max: 12 }))
    .map(([i, k]) => i / 10 ** k),
);

/** Next to a power of ten, where the number of digits changes. */
const nearPowerOfTen = fc
  .tuple(fc.integer({ min: -323, max: 308 }), fc.integer({ min: -40, max: 40 }))
  .map(([k, steps]) => {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, Number(`1e${k}`));
    view.setBigInt64(0, view.getBigInt64(0) + BigInt(steps));
    return view.getFloat64(0);
  });

/**
 * Doubles whose 16 digits pass 2^53 (x·10^k in [2^53, 10^16), as 9.5e−3): decided by
 * probeWide, which String once wrote; with their neighbours a few ulp away.
 */
const past2to53 = fc
  .tuple(
    fc.double({ min: 2 ** 53, max: 1e16, noNaN: true }),
    fc.integer({ min: -22, max: 0 }),
    fc.integer({ min: -3, max: 3 }),
  )
  .map(([m, k, steps]) => {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, m / 10 ** -k);
    view.setBigInt64(0, view.getBigInt64(0) + BigInt(steps));
    return view.getFloat64(0);
  });

/**
 * Decimals of 16 or 17 digits from 10^−29 to 10^16 (the scales shortestByProduct decides, 10^k
 * past 10^22 as two doubles included) and their neighbours a few ulp away: the ends of a
 * double's interval and ties fall on such numbers.
 */
const productScale = fc
  .tuple(
    fc.bigInt({ min: 1_000_000_000_000_000n, max: 99_999_999_999_999_999n }),
    fc.integer({ min: -46, max: 0 }),
    fc.integer({ min: -3, max: 3 }),
  )
  .map(([digits, exponent, steps]) => {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, Number(`${digits}e${exponent}`));
    view.setBigInt64(0, view.getBigInt64(0) + BigInt(steps));
    return view.getFloat64(0);
  });

describe('writeNumber', () => {
  test.each([
    ['16 or 17 digits from 1e−29 to 1e16, and their neighbours', productScale],
    ['values in [1e−30, 1e16]', fc.double({ min: 1e-30, max: 1e16, noNaN: true })],
    ['16 digits past 2^53', past2to53],
    ['any 64 bits', anyBits],
    ['doubles of every size', fc.double()],
    ['values in [0, 1]', fc.double({ min: 0, max: 1, noNaN: true })],
    ['short decimals', shortDecimal],
    ['decimals of up to 15 digits, range values', longerDecimal],
    ['next to powers of ten', nearPowerOfTen],
    ['whole numbers', fc.integer({ min: -(2 ** 53), max: 2 ** 53 }).map((i) => i * 1)],
  ])('writes String(x): %s', (_name, numbers) => {
    fc.assert(
      fc.property(numbers as fc.Arbitrary<number>, (x) => {
        expect(written(x)).toBe(expected(x));
        expect(written(-x)).toBe(expected(-x));
      }),
      { numRuns: 5_000 },
    );
  });

  test('writes String(x) where the digits are hard to find', () => {
    const hard = [
      0,
      -0,
      5e-324,
      -5e-324,
      2.2250738585072014e-308,
      2.225073858507201e-308,
      1.7976931348623157e308,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      2 ** 53,
      2 ** 53 + 2,
      2 ** 60,
      1e21,
      1e-7,
      1e-6,
      9.999999999999999e-5,
      0.1 + 0.2,
      // a tie between two of 17 digits (String takes the even one, toPrecision the larger)
      123456789012345 + 0.125,
      0.24999950000024998,
      4.5036319609614965,
      5.9604644775390625,
      0.20693701235089002,
      // 16 or 17 digits past 2^53 (probeWide), a power of two among them
      0.9007199254740993,
      // x·10^15 rounds to 2^53 − 2: the search once never ended here
      9.007199254740991,
      9.00719925474099,
      0.9999999999999999,
      0.95367431640625,
      9.5367431640625e-7,
      0.9123456789012345,
      0.009999999999999998,
      2 ** 53 - 1,
      4.35,
      1 / 3,
      2 / 3,
    ];
    for (const x of hard) expect(written(x)).toBe(expected(x));
  });
});

type Writer = (set: RowSet, options: FormatOptions, sink: Sink) => Promise<void>;

/** A formatter's output for rows of known count (text) or unknown (bytes), to either sink. */
async function output(
  write: Writer,
  columns: Column[],
  rows: Row[],
  how: { bytes: boolean; sinkTakesBytes: boolean; digits?: number; failAfter?: number },
): Promise<string> {
  let text = '';
  const sink: Sink = how.sinkTakesBytes
    ? {
        write: (chunk) => {
          text += chunk;
        },
        writeBytes: (bytes) => {
          text += decoder.decode(bytes);
        },
      }
    : {
        write: (chunk) => {
          text += chunk;
        },
      };
  async function* batches(): AsyncGenerator<Row[]> {
    for (let i = 0; i < rows.length; i += 7) {
      if (how.failAfter !== undefined && i >= how.failAfter) throw new Error('bad row');
      yield rows.slice(i, i + 7);
    }
  }
  const set: RowSet = how.bytes
    ? { columns, rowCount: undefined, rows: batches() }
    : { columns, rowCount: rows.length, rows: [...(await collect(batches()))] };
  await write(set, { digits: how.digits, header: true, color: false }, sink).catch(
    (error: Error) => {
      text += `<${error.message}>`;
    },
  );
  return text;
}

async function collect(batches: AsyncGenerator<Row[]>): Promise<Row[]> {
  const all: Row[] = [];
  try {
    for await (const batch of batches) all.push(...batch);
  } catch {
    // the text path is given the rows before the failure
  }
  return all;
}

const COLUMNS: Column[] = [
  { name: 'alpha', kind: 'alpha' },
  { name: 'gamma', kind: 'real' },
  { name: 'n', kind: 'integer' },
  { name: 'group, "name"', kind: 'text' },
  { name: 'fl', kind: 'real' },
];

const row = fc.tuple(
  fc.oneof(fc.constant(null), fc.double({ min: 0, max: 1, noNaN: true })),
  fc.oneof(fc.double(), fc.constant(null)),
  fc.oneof(fc.integer(), fc.double(), fc.constant(2 ** 60), fc.constant(null)),
  fc.oneof(
    fc.string({ unit: fc.constantFrom('a', ',', '"', 'é', '–', ' ') }),
    fc.constant(null),
    fc.double(),
  ),
  fc.oneof(anyBits, shortDecimal),
);

describe('rows as bytes', () => {
  test.each([
    ['csv', writeCsv],
    ['tsv', writeTsv],
    ['ndjson', writeNdjson],
  ] as const)('%s: the same text as the string formatter', async (_format, write) => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { maxLength: 40 }),
        fc.boolean(),
        fc.option(fc.integer({ min: 1, max: 17 }), { nil: undefined }),
        async (rows, sinkTakesBytes, digits) => {
          // tsv's text fields hold no tab or line end (group names are checked for that)
          const text = await output(write as Writer, COLUMNS, rows as Row[], {
            bytes: false,
            sinkTakesBytes,
            digits,
          });
          const bytes = await output(write as Writer, COLUMNS, rows as Row[], {
            bytes: true,
            sinkTakesBytes,
            digits,
          });
          expect(bytes).toBe(text);
        },
      ),
      { numRuns: 100 },
    );
  });

  test('a failing input: the rows before it, then the error (csv and ndjson)', async () => {
    const rows: Row[] = Array.from({ length: 30 }, (_, i) => [0.25, 2, i, 'g', i / 7]);
    for (const write of [writeCsv, writeNdjson]) {
      const bytes = await output(write, COLUMNS, rows, {
        bytes: true,
        sinkTakesBytes: true,
        failAfter: 14,
      });
      const lines = bytes.split('\n');
      expect(lines.at(-1)).toBe('<bad row>');
      expect(lines.length).toBe(write === writeCsv ? 16 : 15);
      // Nothing at all, not even the header, when it fails before the first row.
      expect(
        await output(write, COLUMNS, rows, { bytes: true, sinkTakesBytes: true, failAfter: 0 }),
      ).toBe('<bad row>');
    }
  });

  test('thousands of rows: chunks end at whole rows, as the string formatter writes them', async () => {
    const rows: Row[] = Array.from({ length: 5000 }, (_, i) => [
      0.25,
      2,
      i,
      `é${i}`,
      Math.exp(-i / 100),
    ]);
    const chunks: Uint8Array[] = [];
    await writeCsv(
      { columns: COLUMNS, rowCount: undefined, rows },
      { digits: undefined, header: true, color: false },
      { write: () => {}, writeBytes: (bytes) => void chunks.push(bytes) },
    );
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) expect(chunk.at(-1)).toBe(0x0a);
    const text = await output(writeCsv, COLUMNS, rows, { bytes: false, sinkTakesBytes: false });
    expect(chunks.map((c) => decoder.decode(c)).join('')).toBe(text);
  });
});
