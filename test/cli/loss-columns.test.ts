/**
 * Long `loss` and `weight` outputs read as columns (loss-columns.ts, issue 17): the same bytes
 * as the same rows read as arrays, in csv, tsv and ndjson, for every kind of example (p_t, p,
 * logits; hard and soft labels; FL*; α none; whole and other γ; another log base; --digits).
 */

import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { COLUMNS as WEIGHT_COLUMNS } from '../../src/cli/commands/weight.js';
import { ExampleColumns, lossColumnBatch, weightColumnBatch } from '../../src/cli/loss-columns.js';
import { columnsFor, type ExampleInput, lossRow, TRUE_CLASS } from '../../src/cli/loss-rows.js';
import { logBase } from '../../src/core/log-base.js';
import { alphaT, modulatingWeight } from '../../src/core/loss.js';
import { type Label, trueClassFromPt } from '../../src/core/true-class.js';
import { writeCsv, writeTsv } from '../../src/format/delimited.js';
import type { Column, ColumnBatch, Row, RowSet } from '../../src/format/formats.js';
import { writeNdjson } from '../../src/format/json.js';

const decoder = new TextDecoder();
const WRITERS = { csv: writeCsv, tsv: writeTsv, ndjson: writeNdjson } as const;

/** A long output's bytes (rowCount unknown: the byte writer), of a batch or of plain rows. */
async function bytesOf(
  format: keyof typeof WRITERS,
  columns: readonly Column[],
  batch: Iterable<Row>,
  digits: number | undefined,
): Promise<string> {
  let text = '';
  async function* batches(): AsyncGenerator<Iterable<Row>> {
    yield batch;
  }
  const set: RowSet = { columns, rowCount: undefined, rows: batches() };
  await WRITERS[format](
    set,
    { digits, header: true, color: false },
    {
      write: (chunk) => {
        text += chunk;
      },
      writeBytes: (bytes) => {
        text += decoder.decode(bytes);
      },
    },
  );
  return text;
}

/** The rows of a batch as plain arrays, without its columns. */
const asRows = (batch: ColumnBatch): Iterable<Row> => ({
  [Symbol.iterator]: () => batch[Symbol.iterator](),
});

const probability = fc.oneof(
  fc.double({ min: 0, max: 1, noNaN: true }),
  fc.constantFrom(0, 1, 0.5, 1e-300, 1 - 2 ** -53, 5e-324),
);
const logit = fc.oneof(
  fc.double({ min: -800, max: 800, noNaN: true }),
  fc.constantFrom(0, 40, -40, 745, -745),
);
const setting = fc.tuple(
  fc.oneof(fc.constant(null), fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(0.25)),
  fc.oneof(fc.constantFrom(0, 1, 2, 5, 0.5), fc.double({ min: 0, max: 10, noNaN: true })),
);

describe('loss rows as columns', () => {
  test('the same bytes as the rows as arrays', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom<ExampleInput>('pt', 'p', 'logit')
          .chain((input) =>
            fc.tuple(
              fc.constant(input),
              fc.array(
                fc.tuple(
                  input === 'logit' ? logit : probability,
                  fc.boolean(),
                  fc.boolean(),
                  fc.double({ min: 0.01, max: 0.99, noNaN: true }),
                ),
                { minLength: 1, maxLength: 300 },
              ),
            ),
          ),
        fc.array(setting, { minLength: 1, maxLength: 3 }),
        fc.record({
          grad: fc.boolean(),
          star: fc.boolean(),
          soft: fc.boolean(),
          base: fc.constantFrom(undefined, 2, 10),
          order: fc.constantFrom('example', 'setting'),
          format: fc.constantFrom('csv', 'tsv', 'ndjson'),
          digits: fc.option(fc.integer({ min: 1, max: 17 }), { nil: undefined }),
        }),
        async ([input, picks], settingList, how) => {
          const star = how.star && input === 'logit' ? { beta: 1 } : undefined;
          const soft = how.soft && input !== 'pt' && !how.grad && star === undefined;
          // Scores of the input's kind; labels 0, 1, or (where allowed) soft.
          const scores = picks.map(([score]) => score);
          const labels = picks.map(([, one, softLabel, u]) =>
            soft && softLabel ? u : one ? 1 : 0,
          );
          const settings = settingList;
          const base = how.base === undefined ? undefined : logBase(how.base);
          const grad = how.grad;
          const examples = {
            length: scores.length,
            score: (i: number) => scores[i] as number,
            label: (i: number) => labels[i] as number,
          };
          function* rows(): Generator<Row> {
            const count = scores.length;
            for (let n = 0; n < count * settings.length; n++) {
              const i = how.order === 'example' ? Math.floor(n / settings.length) : n % count;
              const k = how.order === 'example' ? n % settings.length : Math.floor(n / count);
              const [alpha, gamma] = settings[k] as readonly [number | null, number];
              const x = scores[i] as number;
              const y = labels[i] as number;
              const tc = TRUE_CLASS[input](x, y);
              yield lossRow({ alpha, gamma, y, input, x, tc, base, grad, star });
            }
          }
          const spec = { examples, settings, order: how.order, input, base, grad, star } as const;
          const columns = columnsFor(input, grad, star !== undefined);
          const viaColumns = await bytesOf(
            how.format,
            columns,
            lossColumnBatch(spec, rows),
            how.digits,
          );
          const viaRows = await bytesOf(
            how.format,
            columns,
            asRows(lossColumnBatch(spec, rows)),
            how.digits,
          );
          const plain = await bytesOf(how.format, columns, rows(), how.digits);
          expect(viaRows).toBe(plain);
          expect(viaColumns).toBe(plain);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('weight rows as columns', () => {
  test('the same bytes as the rows as arrays (α none, y 0 and 1, p_t at the ends)', async () => {
    const columns = WEIGHT_COLUMNS;
    const pts = [0, 1, 0.5, 1e-300, 5e-324, ...Array.from({ length: 600 }, (_, i) => i / 599)];
    const examples = { length: pts.length, at: (i: number) => pts[i] as number };
    const labelOf = (i: number): Label => (i % 3 === 0 ? 0 : 1);
    const settings = [
      [null, 2],
      [0.25, 0],
      [0.3, 1.5],
    ] as const;
    function* rows(): Generator<Row> {
      for (const [alpha, gamma] of settings) {
        for (const [i, pt] of pts.entries()) {
          const y = labelOf(i);
          const weight = modulatingWeight(trueClassFromPt(pt), alphaT(alpha, y), gamma);
          yield [alpha, gamma, y, pt, weight, 1 / weight];
        }
      }
    }
    for (const format of ['csv', 'tsv', 'ndjson'] as const) {
      for (const digits of [undefined, 3]) {
        const plain = await bytesOf(format, columns, rows(), digits);
        const batch = weightColumnBatch(settings, examples, labelOf, rows);
        expect(await bytesOf(format, columns, batch, digits)).toBe(plain);
        expect(plain.split('\n').length).toBe(3 * pts.length + (format === 'ndjson' ? 1 : 2));
      }
    }
  });
});

describe('ExampleColumns (the examples of `loss --input`, chunk by chunk)', () => {
  test('grows, hands its examples over, and reuses the arrays a batch gives back', () => {
    const reader = new ExampleColumns(4);
    for (let i = 0; i < 10; i++) reader.push(i / 10, i % 2);
    const first = reader.take();
    expect([first.length, first.score(9), first.label(9), reader.length]).toEqual([10, 0.9, 1, 0]);
    const firstArrays = [first.scores, first.labels];
    // The next chunk goes into other arrays: the batch taken is unchanged.
    for (let i = 0; i < 3; i++) reader.push(-i, 1);
    expect([first.score(0), first.score(2), reader.score(2)]).toEqual([0, 0.2, -2]);
    first.release();
    const second = reader.take();
    expect([second.length, second.score(2), second.label(0)]).toEqual([3, -2, 1]);
    // The arrays given back are those of the chunk after.
    expect(reader.scores).toBe(firstArrays[0]);
    expect(reader.labels).toBe(firstArrays[1]);
    reader.push(5, 0);
    expect([reader.length, reader.score(0), second.score(0)]).toEqual([1, 5, -0]);
  });

  test('a batch of them gives its arrays back once every row is in columns', () => {
    const reader = new ExampleColumns();
    for (let i = 0; i < 5; i++) reader.push((i + 1) / 10, i % 2);
    const batch = reader.take();
    const arrays = batch.scores;
    const settings = [
      [0.25, 0],
      [0.25, 2],
    ] as const;
    const columns = columnsFor('p', true, false).map(() => new Float64Array(4));
    const rows = lossColumnBatch(
      {
        examples: batch,
        settings,
        order: 'example',
        input: 'p',
        base: undefined,
        grad: true,
        star: undefined,
        workerFits: true,
      },
      () => [],
    );
    expect(rows.workerFits).toBe(true);
    const counts = [rows.fillColumns(columns), rows.fillColumns(columns)];
    expect(counts).toEqual([4, 4]);
    expect(reader.take().scores).not.toBe(arrays);
    expect([rows.fillColumns(columns), rows.fillColumns(columns)]).toEqual([2, 0]);
    reader.push(1, 1);
    reader.take();
    expect(reader.scores).toBe(arrays);
  });
});

describe('values repeated down a column (copied from the row before)', () => {
  test('the bytes of the rows as arrays, across the ends of the chunks, in every format', async () => {
    const columns: Column[] = [
      { name: 'alpha', kind: 'alpha' },
      { name: 'n', kind: 'integer' },
      { name: 'x', kind: 'real' },
    ];
    // Runs of equal values (lengths 1 to 4), 0 after −0, none, integers past 2^53 and ∞: 6,000
    // rows, some 100 kB, so that rows are copied next to where a chunk is handed over.
    const rows: [number, number, number][] = [];
    let seed = 5;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pick = (values: readonly number[]) =>
      values[Math.floor(next() * values.length)] as number;
    let row: [number, number, number] = [0.25, 1, 0.1];
    for (let i = 0; i < 6000; i++) {
      if (next() < 0.4) row = [pick([0.25, Number.NaN, 0, -0]), row[1], row[2]];
      if (next() < 0.4) row = [row[0], pick([0, -0, 1, 2 ** 60, -(2 ** 55), 7]), row[2]];
      if (next() < 0.5) {
        row = [row[0], row[1], pick([next(), next() * 1e-12, -0, 0, Number.POSITIVE_INFINITY])];
      }
      rows.push(row);
    }
    const batchOf = (): ColumnBatch => {
      let at = 0;
      return {
        [Symbol.iterator]: () =>
          rows.map(([a, n, x]): Row => [Number.isNaN(a) ? null : a, n, x])[Symbol.iterator](),
        fillColumns(out: Float64Array[]): number {
          const room = (out[0] as Float64Array).length;
          let k = 0;
          for (; k < room && at < rows.length; k++, at++) {
            for (let c = 0; c < 3; c++) (out[c] as Float64Array)[k] = rows[at]?.[c] as number;
          }
          return k;
        },
      };
    };
    for (const format of ['csv', 'tsv', 'ndjson'] as const) {
      for (const digits of [undefined, 4]) {
        const plain = await bytesOf(format, columns, asRows(batchOf()), digits);
        const copied = await bytesOf(format, columns, batchOf(), digits);
        expect(plain.length).toBeGreaterThan(60_000);
        expect(copied === plain).toBe(true);
      }
    }
  });
});
