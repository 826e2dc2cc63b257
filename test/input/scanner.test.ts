/**
 * The byte-level record scanner against an independent CSV reader (csv-parse), for random
 * files cut into chunks at random places: quoted fields, escaped quotes, line breaks inside
 * quotes, CRLF, blank lines and spaces around numbers.
 */
import { describe, expect, test } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { RecordScanner, splitHeader } from '../../src/input/scanner.js';

interface Scanned {
  readonly records: { line: number; values: number[]; texts: string[] }[];
  readonly malformed: { line: number; message: string }[];
}

/** Scans `text` (after its header line) fed in chunks cut at `cuts`; columns 0 and 2 wanted. */
function scan(text: string, cuts: readonly number[], columns: number): Scanned {
  const bytes = Buffer.from(text, 'utf8');
  const slots = new Int32Array(columns).fill(-1);
  slots[0] = 0;
  if (columns > 2) slots[2] = 1;
  const result: Scanned = { records: [], malformed: [] };
  const scanner: RecordScanner = new RecordScanner(
    44,
    slots,
    2,
    1,
    (values, line) => {
      const wanted = columns > 2 ? [0, 1] : [0];
      result.records.push({
        line,
        values: wanted.map((s) => values[s] as number),
        texts: wanted.map((s) => scanner.fieldText(s)),
      });
    },
    (line, message) => {
      result.malformed.push({ line, message });
    },
  );
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    scanner.push(bytes.subarray(from, Math.max(from, Math.min(cut, bytes.length))));
    from = Math.max(from, Math.min(cut, bytes.length));
  }
  scanner.push(bytes.subarray(from));
  scanner.end();
  return result;
}

const number = fc.oneof(
  fc.double({ min: 0, max: 1, noNaN: true }).map((x) => x.toPrecision(17)),
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
);
const filler = fc.string({
  unit: fc.constantFrom('a', 'b', ',', '"', '\n', ' ', 'é'),
  maxLength: 6,
});

/** One field as a CSV writer might write it: bare, quoted, padded with spaces. */
const field = (value: fc.Arbitrary<string>) =>
  fc.tuple(value, fc.constantFrom('bare', 'quoted', 'padded')).map(([v, how]) => {
    if (how === 'quoted') return `"${v.replaceAll('"', '""')}"`;
    if (how === 'padded' && !/[",\n]/.test(v)) return ` ${v} `;
    return /[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
  });

const file = fc
  .tuple(
    fc.array(fc.tuple(field(number), field(filler), field(number)), {
      minLength: 1,
      maxLength: 12,
    }),
    fc.constantFrom('\n', '\r\n'),
    fc.boolean(),
    fc.boolean(),
  )
  .map(([rows, eol, blankLines, finalEol]) => {
    const lines = rows.map((r) => r.join(','));
    const body = lines.join(blankLines ? `${eol}${eol}` : eol);
    // The line each record starts on: quoted fields may hold line breaks.
    const starts: number[] = [];
    let line = 1;
    for (const text of lines) {
      starts.push(line);
      line += text.split('\n').length + (blankLines ? 1 : 0);
    }
    return { rows, starts, text: `${body}${finalEol ? eol : ''}` };
  });

describe('RecordScanner reads what csv-parse reads, however the bytes are chunked', () => {
  test('numbers of the wanted columns, their texts and line numbers', () => {
    fc.assert(
      fc.property(file, fc.array(fc.nat(400), { maxLength: 6 }), ({ text, starts }, cuts) => {
        const expected = (
          parse(text, { skip_empty_lines: true, relax_column_count: false }) as string[][]
        ).map((r) => [r[0] as string, r[2] as string]);
        const got = scan(text, cuts, 3);
        expect(got.malformed).toEqual([]);
        expect(got.records.map((r) => r.values)).toEqual(
          expected.map((r) => r.map((t) => Number(t.trim()))),
        );
        expect(got.records.map((r) => r.texts)).toEqual(
          expected.map((r) => r.map((t) => t.trim())),
        );
        expect(got.records.map((r) => r.line)).toEqual(starts);
      }),
      { numRuns: 500 },
    );
  });

  test('line numbers count the lines inside quoted fields', () => {
    const got = scan('1,"a\nb",2\n3,x,4\n\n5,y,6', [], 3);
    expect(got.records.map((r) => r.line)).toEqual([1, 3, 5]);
  });
});

describe('RecordScanner reports malformed records and goes on', () => {
  test.each([
    ['1,2\n3,4,5\n', 1, '2 fields, but the header has 3'],
    ['1,2,3,4\n', 1, '4 fields, but the header has 3'],
    ['"1"x,2,3\n', 1, 'text after a closing quote'],
    ['1,"2,3\n', 1, 'a quoted field is not closed'],
    ['1\r,2,3\n', 1, 'a carriage return inside a field'],
  ])('%j', (text, line, message) => {
    const got = scan(text, [], 3);
    expect(got.malformed[0]).toEqual({ line, message });
  });

  test('a record after a malformed one is still read, with its own line number', () => {
    const got = scan('1,2\n3,x,4\n', [], 3);
    expect(got.records).toEqual([{ line: 2, values: [3, 4], texts: ['3', '4'] }]);
  });

  test('the lines inside a malformed quoted field are counted too', () => {
    for (const cuts of [[], [3], [5], [8]]) {
      const got = scan('1,"a\nb\n"x,2\n3,y,4\n', cuts, 3);
      expect(got.malformed).toEqual([{ line: 1, message: 'text after a closing quote' }]);
      expect(got.records).toEqual([{ line: 4, values: [3, 4], texts: ['3', '4'] }]);
    }
  });

  test('a field that is not a number is NaN, with its text', () => {
    const got = scan('abc,x,1e\n', [1, 2, 5], 3);
    expect(got.records[0]?.values.map(Number.isNaN)).toEqual([true, true]);
    expect(got.records[0]?.texts).toEqual(['abc', '1e']);
  });

  test('a line over 1 MiB is an error, not a wait for more', () => {
    expect(() => scan(`${'1'.repeat((1 << 20) + 10)}`, [1 << 19, (1 << 20) + 5], 3)).toThrow(
      'a line is longer than 1 MiB',
    );
  });
});

describe('splitHeader', () => {
  test.each([
    ['p,y', ',', ['p', 'y']],
    ['"p","y"', ',', ['p', 'y']],
    ['"a,b",y', ',', ['a,b', 'y']],
    ['"say ""hi""",y', ',', ['say "hi"', 'y']],
    ['p\ty', '\t', ['p', 'y']],
    ['p,', ',', ['p', '']],
  ])('%j', (text, delimiter, fields) => {
    expect(splitHeader(text, delimiter)).toEqual(fields);
  });
});
