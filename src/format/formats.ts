/**
 * What every formatter shares: the formats, the shape of rows, and how numbers are written
 * (cli-contract.md, "Output").
 */

import { breathe } from './breathe.js';
import type { Chart } from './chart.js';

export { breathe };

export const FORMATS = ['table', 'csv', 'tsv', 'json', 'ndjson', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];

/** table, markdown and json hold (or may hold) their rows; more than this is a usage error. */
export const MAX_HELD_ROWS = 100_000;

/** Formats that can carry a chart's data (its sampled points) instead of the chart. */
export const CHART_DATA_FORMATS: readonly Format[] = ['csv', 'tsv', 'json', 'ndjson'];

/** Formats written row by row with flat memory, whatever the number of rows. */
export const STREAMED_FORMATS: readonly Format[] = ['csv', 'tsv', 'ndjson'];

/**
 * How a column's values are written:
 * - `real`: a number, rounded to `--digits` where that applies;
 * - `integer`: whole values never in exponent form (`1000000`), others as `real`;
 * - `alpha`: a number, or null for "α weighting off" (`none`, JSON null);
 * - `text`: a string.
 * In every kind but `alpha`, null is a value that does not exist (`–`, empty, JSON null).
 */
export type ColumnKind = 'real' | 'integer' | 'alpha' | 'text';

export interface Column {
  readonly name: string;
  readonly kind: ColumnKind;
}

export type Cell = number | string | null;
export type Row = readonly Cell[];

/**
 * Rows computed lazily: all at hand, or arriving in batches as an input file is read (each
 * batch is written before the next is read, so memory stays flat).
 */
export type RowSource = Iterable<Row> | AsyncIterable<Iterable<Row>>;

/**
 * A batch of rows that can also be read as columns (issue 17, item 4): `fillColumns` writes the
 * next rows' values into `columns` (one Float64Array a column, all of one length) and returns
 * how many it wrote (0 at the end), so that a long csv, tsv or ndjson output (row-bytes.ts)
 * formats them without an array per row. In a column of kind `alpha`, NaN stands for null
 * (`none`: α itself is never NaN). Iterating the batch gives the same rows as arrays (the other
 * formats); a batch is read one way or the other, once. Recognised by the method's name.
 */
export interface ColumnBatch extends Iterable<Row> {
  fillColumns(columns: Float64Array[]): number;
  /**
   * Whether the command's memory is known to leave room for the thread that formats beside
   * the main one (format/row-threads.ts, measured: `loss --input`): then it is started past
   * its number of rows whatever the process takes at that point (a decision that does not
   * depend on the memory measured at run time).
   */
  readonly workerFits?: boolean;
}

/** The rows as batches, whichever way they come. */
export async function* rowBatches(rows: RowSource): AsyncGenerator<Iterable<Row>> {
  if (Symbol.asyncIterator in rows) yield* rows;
  else yield rows;
}

/**
 * Every row, for the formats that lay them out together (table, markdown): collected from their
 * batches, with a turn of the event loop now and then (a signal is not kept waiting).
 */
export async function collectRows(rows: RowSource): Promise<Row[]> {
  const all: Row[] = [];
  for await (const batch of rowBatches(rows)) {
    for (const row of batch) {
      all.push(row);
      if ((all.length & 255) === 0) await breathe();
    }
  }
  return all;
}

/** What a command hands to a formatter: named columns and their rows, computed lazily. */
export interface RowSet {
  readonly columns: readonly Column[];
  /**
   * Known before any row is computed, so that limits are checked before output; undefined for
   * rows streamed from an input, which table, markdown and json collect (up to the limit) first.
   */
  readonly rowCount: number | undefined;
  readonly rows: RowSource;
  /** A chart to draw instead of the rows, unless a data format is asked for (`focal plot`). */
  readonly chart?: Chart;
  /** Lines shown under a table (only there), computed from the core, not from the rows. */
  readonly summary?: () => string[];
  /**
   * A document printed as it is instead of the rows, whatever the format (`focal sql`'s
   * query, `contribution --partial`'s JSON).
   */
  readonly document?: () => string;
}

/** Where text goes; a promise means "wait before writing more" (back-pressure). */
export interface Sink {
  write(text: string): void | Promise<void>;
  /**
   * The same for UTF-8 bytes that end with a whole row, where the sink takes bytes (the long
   * csv, tsv and ndjson outputs are made as bytes: row-bytes.ts); the sink may keep them.
   */
  writeBytes?(bytes: Uint8Array): void | Promise<void>;
  /**
   * Whether the sink is done with the bytes once writeBytes has resolved (written to the
   * kernel), so that they may be written over (row-threads.ts reuses its buffers then).
   */
  readonly releasesBytes?: boolean;
}

/**
 * Outputs longer than this (or of unknown length) are written as bytes (row-bytes.ts, loaded
 * only then); shorter ones as text, without loading it.
 */
export const BYTE_ROWS = 4096;

/**
 * A number as text: shortest round-trip form (`String(x)`), or rounded to `digits`
 * significant digits and then written in the shortest form of the rounded value.
 * −0 is written `0`; non-finite values as `Infinity`, `-Infinity`, `NaN`.
 */
export function formatReal(x: number, digits?: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return String(x);
  if (digits === undefined) return String(x);
  // Rounding up next to the largest double would overflow: keep the value unrounded there.
  const rounded = Number(x.toPrecision(digits));
  return String(Number.isFinite(rounded) ? rounded : x);
}

/** A count or label: all its digits when whole (`1000000`, never `1e+6`), else as a real. */
export function formatInteger(x: number, digits?: number): string {
  if (Number.isInteger(x)) return BigInt(x).toString();
  return formatReal(x, digits);
}

/** Formats a cell for the text formats; `missing` is how a value that does not exist reads. */
export function formatCell(
  cell: Cell,
  kind: ColumnKind,
  digits: number | undefined,
  missing: string,
): string {
  if (cell === null) return kind === 'alpha' ? 'none' : missing;
  if (typeof cell === 'string') return cell;
  return kind === 'integer' ? formatInteger(cell, digits) : formatReal(cell, digits);
}

/** Options common to all formatters. */
export interface FormatOptions {
  /** Significant digits; undefined means the format's default. */
  readonly digits: number | undefined;
  /** csv/tsv header row. */
  readonly header: boolean;
  /** ANSI colour (table only; other formats never colour). */
  readonly color: boolean;
}

/** Significant digits of the formats people read (table, markdown) unless --digits says. */
export const HUMAN_DIGITS = 6;

/**
 * Formatters batch rows into chunks of about this many characters before writing. Small, so
 * that a chunk's rows (short strings) rarely live through a scavenge: with 64 Ki characters
 * the 10,000,001-row csv peaked at 90–104 MiB on Node 22 and 24, with 16 Ki at 76–82 MiB.
 */
export const CHUNK_CHARS = 1 << 14;

/**
 * The human formats (table, markdown) write each column in one notation: when any of a real
 * column's numbers would be written in exponent form (below 1e-6 or from 1e21 on, as String
 * writes them), the whole column is (`7.53775e-7` above `1.00503e-2`, not `0.0100503`).
 */
export async function exponentColumns(
  columns: readonly Column[],
  rows: readonly Row[],
  digits: number,
): Promise<boolean[]> {
  const exponent: boolean[] = [];
  for (const [i, column] of columns.entries()) {
    let found = false;
    if (column.kind !== 'text' && column.kind !== 'integer') {
      for (let r = 0; r < rows.length && !found; r++) {
        const cell = (rows[r] as Row)[i];
        found = typeof cell === 'number' && formatReal(cell, digits).includes('e');
        // 100,000 rows take a while: a signal is acted on meanwhile.
        if ((r & 1023) === 1023) await breathe();
      }
    }
    exponent.push(found);
  }
  return exponent;
}

/** formatCell for the human formats, in the column's notation (see exponentColumns). */
export function formatHumanCell(
  cell: Cell,
  kind: ColumnKind,
  digits: number,
  missing: string,
  exponent: boolean,
): string {
  if (exponent && typeof cell === 'number' && cell !== 0 && Number.isFinite(cell)) {
    const rounded = Number(cell.toPrecision(digits));
    return (Number.isFinite(rounded) ? rounded : cell).toExponential();
  }
  return formatCell(cell, kind, digits, missing);
}
