/** csv output is csv-stringify's, also where focal joins numeric batches itself. */
import { describe, expect, test } from '@jest/globals';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { needsQuotes, writeCsv } from '../../src/format/delimited.js';
import type { Column, Row } from '../../src/format/formats.js';

async function csv(columns: Column[], rows: Row[]): Promise<string> {
  let text = '';
  await writeCsv(
    { columns, rowCount: rows.length, rows },
    { digits: undefined, header: true, color: false },
    {
      write: (chunk) => {
        text += chunk;
      },
    },
  );
  return text;
}

describe('writeCsv', () => {
  test('equals csv-stringify for any mix of numbers and text', async () => {
    const cell = fc.oneof(
      fc.double({ noNaN: false }),
      fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', ' ', 'é', '–') }),
    );
    // Both columns hold numbers or text, so batches of both kinds (joined, stringified) occur.
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(cell, cell), { maxLength: 30 }), async (pairs) => {
        const header: Column[] = [
          { name: 'a', kind: 'text' },
          { name: 'b', kind: 'text' },
        ];
        const rows = pairs.map(([a, b]) => [a, b] as Row);
        const text = (c: Row[number]) =>
          typeof c === 'number' ? (c === 0 ? '0' : String(c)) : (c as string);
        const expected = stringify([['a', 'b'], ...rows.map((r) => r.map(text))], {
          record_delimiter: 'unix',
        });
        expect(await csv(header, rows)).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('which fields csv quotes', () => {
  test('those RFC 4180 quotes: a comma, a quote or a line end (fast-check, against /[",\\r\\n]/)', () => {
    const field = fc.string({
      unit: fc.constantFrom('a', '1', '.', ',', '"', '\r', '\n', ' ', 'é'),
      maxLength: 8,
    });
    fc.assert(
      fc.property(field, (text) => {
        expect(needsQuotes(text)).toBe(/[",\r\n]/.test(text));
      }),
      { numRuns: 5_000 },
    );
  });
});
