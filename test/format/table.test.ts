/**
 * focal's table (src/format/table.ts, drawn by hand in linear time) against cli-table3, the
 * package it replaced (quadratic: 35 s for 20,000 rows; bench/table.mjs), configured as focal
 * used it: no rule between rows, numbers right-aligned, text left-aligned, no colours of its
 * own. For random columns and cells the box drawing, the widths and the padding must be the
 * same. Where focal differs on purpose the comparison is made on what should be equal:
 * - the cell texts: focal writes a column in one notation (all in exponent form when one
 *   number needs it: README, Output contract), which cli-table3 knows nothing of, so both are
 *   given focal's texts (formatHumanCell with exponentColumns) and compared on layout;
 * - colour: off on both (focal paints with chalk only on a terminal);
 * - the summary lines under the table are focal's own and are left out (none here).
 */
import { describe, expect, test } from '@jest/globals';
import Table from 'cli-table3';
import fc from 'fast-check';
import {
  type Column,
  type ColumnKind,
  exponentColumns,
  formatHumanCell,
  HUMAN_DIGITS,
  type Row,
} from '../../src/format/formats.js';
import { writeTable } from '../../src/format/table.js';

async function focalTable(columns: Column[], rows: Row[], digits?: number): Promise<string> {
  let text = '';
  await writeTable(
    { columns, rowCount: rows.length, rows },
    { digits, header: true, color: false },
    {
      write: async (chunk) => {
        text += chunk;
      },
    },
  );
  return text;
}

/** The same cells laid out by cli-table3, as focal configured it before issue 14. */
async function cliTable3(columns: Column[], rows: Row[], digits = HUMAN_DIGITS): Promise<string> {
  const exponent = await exponentColumns(columns, rows, digits);
  const table = new Table({
    head: columns.map((c) => c.name),
    colAligns: columns.map((c) => (c.kind === 'text' ? 'left' : 'right')),
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    style: { head: [], border: [] },
  });
  for (const row of rows) {
    table.push(
      row.map((cell, i) =>
        formatHumanCell(cell, columns[i]?.kind ?? 'real', digits, '–', exponent[i] ?? false),
      ),
    );
  }
  return `${table.toString()}\n`;
}

const KINDS: ColumnKind[] = ['real', 'integer', 'alpha', 'text'];

/** Text as focal's text columns hold it: group names, with wide and accented letters. */
const word = fc.string({
  unit: fc.constantFrom('a', 'b', 'Z', '0', ' ', '-', '_', 'é', 'ß', '–', '中', '文', 'ｶ'),
  minLength: 1,
  maxLength: 12,
});

function cellOf(kind: ColumnKind): fc.Arbitrary<Row[number]> {
  switch (kind) {
    case 'text':
      return word;
    case 'integer':
      return fc.oneof(fc.integer({ min: 0, max: 2_000_000_000 }), fc.constant(1e21));
    case 'alpha':
      return fc.oneof(fc.constant(null), fc.double({ min: 0, max: 1, noNaN: true }));
    default:
      return fc.oneof(
        fc.double({ noNaN: false }),
        fc.double({ min: 1e-9, max: 1e6, noNaN: true }),
        fc.constantFrom(0, 1, 0.25, Number.POSITIVE_INFINITY, null),
      );
  }
}

const tables = fc
  .array(
    fc.record({
      name: fc.string({ unit: fc.constantFrom('a', 'l', 'p', 'h', '_', 'y'), minLength: 1 }),
      kind: fc.constantFrom(...KINDS),
    }),
    { minLength: 1, maxLength: 6 },
  )
  .chain((columns) =>
    fc.record({
      columns: fc.constant(columns as Column[]),
      rows: fc.array(fc.tuple(...columns.map((c) => cellOf(c.kind))) as fc.Arbitrary<Row>, {
        maxLength: 25,
      }),
      digits: fc.option(fc.integer({ min: 1, max: 17 }), { nil: undefined }),
    }),
  );

describe('the table against cli-table3 (the package it replaced)', () => {
  test('the same box, widths, alignment and padding for random columns and cells', async () => {
    await fc.assert(
      fc.asyncProperty(tables, async ({ columns, rows, digits }) => {
        expect(await focalTable(columns, rows, digits)).toBe(
          await cliTable3(columns, rows, digits),
        );
      }),
      { numRuns: 300 },
    );
  });

  test('no rows: the header alone, as cli-table3 draws it', async () => {
    const columns: Column[] = [
      { name: 'alpha', kind: 'alpha' },
      { name: 'group', kind: 'text' },
    ];
    expect(await focalTable(columns, [])).toBe(await cliTable3(columns, []));
  });
});
