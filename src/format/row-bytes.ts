/**
 * csv, tsv and ndjson written as bytes (issue 17, item 4): each row goes straight into a byte
 * chunk, numbers through `writeNumber` (the characters of `String(x)`, without the string),
 * so that a long output makes almost no garbage per row. The same bytes as the string
 * formatters in delimited.ts and json.ts, which short outputs still use (this file is loaded
 * only for long ones: start-up does not read it). Each chunk is handed to the sink and a new
 * one is begun (a sink may keep what it is given, as a stream's buffer does).
 */
import {
  type Cell,
  type Column,
  type ColumnBatch,
  type ColumnKind,
  type FormatOptions,
  formatReal,
  type Row,
  type RowSet,
  rowBatches,
  type Sink,
} from './formats.js';
import { writeAscii, writeNumber, writeNumberOf } from './number-bytes.js';
import {
  type ColumnFormat,
  type RowThreads,
  SLAB_ROWS,
  type SlabWriter,
  startThreads,
  threadMinRows,
} from './row-threads.js';

/** A chunk is handed over once it holds this many bytes (as CHUNK_CHARS for strings). */
const CHUNK_BYTES = 1 << 14;
/** Room for one number or word written without a check: `-1.2345678901234567e-308` is 24. */
const NUMBER_ROOM = 32;
const TWO_53 = 2 ** 53;
/** Rows asked of a ColumnBatch at a time (its columns are made once and reused). */
const BLOCK_ROWS = 256;

/** Bytes for a sink: its own writeBytes where it has one, else as text. */
async function hand(sink: Sink, bytes: Buffer): Promise<void> {
  if (sink.writeBytes !== undefined) await sink.writeBytes(bytes);
  else await sink.write(bytes.toString('utf8'));
}

/** The chunk being filled and where the next byte goes. */
class Chunk {
  buf: Buffer;
  at = 0;
  /** Where the last whole row ends. */
  rowEnd = 0;

  /** `buffer`: room for a slab's rows at once (row-threads.ts), a buffer of its own. */
  constructor(buffer?: ArrayBuffer) {
    this.buf = buffer === undefined ? Buffer.allocUnsafe(CHUNK_BYTES + 1024) : Buffer.from(buffer);
  }

  /** Makes room for `bytes` more (a long text field). */
  room(bytes: number): void {
    if (this.at + bytes <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(2 * (this.at + bytes));
    this.buf.copy(bigger, 0, 0, this.at);
    this.buf = bigger;
  }

  text(s: string): void {
    this.room(3 * s.length);
    this.at += this.buf.write(s, this.at, 'utf8');
  }

  /** The whole rows so far, as a new Buffer to hand over; the chunk begins anew. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.rowEnd);
    const rest = this.at - this.rowEnd;
    const next = Buffer.allocUnsafe(Math.max(CHUNK_BYTES + 1024, rest + 1024));
    this.buf.copy(next, 0, this.rowEnd, this.at);
    this.buf = next;
    this.at = rest;
    this.rowEnd = 0;
    return out;
  }
}

/** A whole number in all its digits (formatInteger), or a real; into the chunk. */
function writeInteger(chunk: Chunk, x: number, digits: number | undefined): void {
  if (Number.isInteger(x)) {
    if (Math.abs(x) <= TWO_53) chunk.at = writeNumber(chunk.buf, chunk.at, x);
    else chunk.text(BigInt(x).toString());
  } else writeReal(chunk, x, digits);
}

function writeReal(chunk: Chunk, x: number, digits: number | undefined): void {
  if (digits === undefined) chunk.at = writeNumber(chunk.buf, chunk.at, x);
  else chunk.at = writeAscii(chunk.buf, chunk.at, formatReal(x, digits));
}

/** Whether a batch of rows can be read as columns (see ColumnBatch). */
function isColumnBatch(rows: Iterable<Row>): rows is ColumnBatch {
  return typeof (rows as Partial<ColumnBatch>).fillColumns === 'function';
}

/**
 * Writes one row of a ColumnBatch's columns (`at`: its index in them) into the chunk, as
 * `writeRow` would write the same values as an array.
 */
export type WriteColumns = (
  chunk: Chunk,
  columns: readonly Float64Array[],
  at: number,
  first: boolean,
) => void;

/** The most bytes `rows` rows of `format` can take (a slab's chunk is never grown). */
function slabBytes(format: ColumnFormat, rows: number): number {
  let row = 2;
  for (const name of format.names)
    row += NUMBER_ROOM + 1 + (format.ndjson ? 3 * name.length + 8 : 0);
  return rows * row + 3 * format.header.length + 64;
}

/**
 * The writer of one row of columns in `format` (csv, tsv or ndjson). A value equal to the one
 * above it in its column (an example's score, p_t and cross-entropy on each of its (α, γ) rows,
 * a range's α and γ) is copied from the row before, whose bytes are still in the chunk, rather
 * than written again: the same bytes (they depend on the value, its column and --digits only).
 */
export function columnWriter(format: ColumnFormat): WriteColumns {
  const { kinds, digits } = format;
  const width = format.names.length;
  /** The row before: each column's value and where its bytes lie in `before`'s buffer. */
  const above = new Float64Array(width).fill(Number.NaN);
  const from = new Int32Array(width);
  const to = new Int32Array(width);
  let before: Buffer | undefined;
  /** The value of `column` at `at` as in the row before, copied from there: whether it was. */
  const copied = (chunk: Chunk, column: Float64Array, at: number, i: number, same: boolean) => {
    if (!same || column[at] !== above[i]) return false;
    const buf = chunk.buf;
    let end = chunk.at;
    for (let j = from[i] as number; j < (to[i] as number); j++) buf[end++] = buf[j] as number;
    from[i] = chunk.at;
    to[i] = end;
    chunk.at = end;
    return true;
  };
  /** Notes where the value of `column` at `at` was written (from `start` to the chunk's end). */
  const note = (chunk: Chunk, column: Float64Array, at: number, i: number, start: number) => {
    above[i] = column[at] as number;
    from[i] = start;
    to[i] = chunk.at;
  };
  if (!format.ndjson) {
    const { separator: sep, header } = format;
    // The same bytes as writeCells from columns of numbers (no text cells: nothing to quote).
    return (chunk, columns, at, first) => {
      if (first && header !== '') chunk.text(header);
      // The row before is in this buffer unless the chunk was handed over since (or grown: a
      // grown buffer holds the same bytes at the same places, but is not looked for).
      const same = chunk.buf === before;
      for (let i = 0; i < columns.length; i++) {
        chunk.room(NUMBER_ROOM + 1);
        if (i > 0) chunk.buf[chunk.at++] = sep;
        const values = columns[i] as Float64Array;
        if (copied(chunk, values, at, i, same)) continue;
        const start = chunk.at;
        const kind = kinds[i];
        if (kind === 'alpha' && Number.isNaN(values[at])) {
          chunk.at = writeAscii(chunk.buf, chunk.at, 'none');
        } else writeCellOf(chunk, values, at, kind === 'integer', digits);
        note(chunk, values, at, i, start);
      }
      chunk.room(1);
      chunk.buf[chunk.at++] = 0x0a;
      before = chunk.buf;
    };
  }
  const keys = keysOf(format.names);
  // From columns: NaN (and ±∞) is null, as from an array, and so is an alpha column's none.
  return (chunk, values, at) => {
    const same = chunk.buf === before;
    for (let i = 0; i < values.length; i++) {
      const key = keys[i] as Buffer;
      chunk.room(key.length + NUMBER_ROOM);
      chunk.at = copyKey(chunk.buf, chunk.at, key);
      const column = values[i] as Float64Array;
      if (copied(chunk, column, at, i, same)) continue;
      const start = chunk.at;
      if (!Number.isFinite(column[at])) chunk.at = writeAscii(chunk.buf, chunk.at, 'null');
      else writeCellOf(chunk, column, at, kinds[i] === 'integer', digits);
      note(chunk, column, at, i, start);
    }
    chunk.room(2);
    chunk.buf[chunk.at++] = 0x7d;
    chunk.buf[chunk.at++] = 0x0a;
    before = chunk.buf;
  };
}

/** A slab's rows formatted into `out` (a bigger buffer if they needed one: not expected). */
export function formatSlab(
  write: WriteColumns,
  columns: readonly Float64Array[],
  rows: number,
  first: boolean,
  out: ArrayBuffer,
): Buffer {
  const chunk = new Chunk(out);
  for (let r = 0; r < rows; r++) write(chunk, columns, r, first && r === 0);
  return chunk.buf.subarray(0, chunk.at);
}

/** The byte writer as the two threads (row-threads.ts) use it, for `format` into `sink`. */
function slabWriter(format: ColumnFormat, sink: Sink): SlabWriter {
  const write = columnWriter(format);
  return {
    format: (columns, rows, first, out) => formatSlab(write, columns, rows, first, out),
    bufferBytes: slabBytes(format, SLAB_ROWS),
    hand: (bytes) => hand(sink, bytes),
    releasesBytes: sink.releasesBytes === true,
  };
}

/** ndjson's keys as bytes, in column order: `{"name":` then `,"name":`. */
function keysOf(names: readonly string[]): Buffer[] {
  return names.map((name, i) => Buffer.from(`${i === 0 ? '{' : ','}${JSON.stringify(name)}:`));
}

/**
 * A column's value at `at` into the chunk, as writeInteger or writeReal write it, the double read
 * where it is written (passed on, it would be boxed: garbage).
 */
function writeCellOf(
  chunk: Chunk,
  values: Float64Array,
  at: number,
  integer: boolean,
  digits: number | undefined,
): void {
  if (digits === undefined) {
    const x = values[at] as number;
    if (!integer || !Number.isInteger(x) || Math.abs(x) <= TWO_53) {
      chunk.at = writeNumberOf(chunk.buf, chunk.at, values, at);
      return;
    }
  }
  if (integer) writeInteger(chunk, values[at] as number, digits);
  else writeReal(chunk, values[at] as number, digits);
}

/**
 * Each row of `set` through `writeRow` (which fills the chunk; a promise when it must wait), or
 * in `format` for a batch read as columns, the chunk handed to the sink whenever it is full, at
 * a row's end. A long output of columns goes on in two threads past THREAD_MIN_ROWS rows
 * (row-threads.ts) where that pays. When the rows fail (a bad input line), every row before is
 * written first. Returns how many rows there were.
 */
async function eachRow(
  set: RowSet,
  sink: Sink,
  chunk: Chunk,
  writeRow: (row: Row, first: boolean) => Promise<void> | undefined,
  format: ColumnFormat,
): Promise<number> {
  let count = 0;
  let columns: Float64Array[] | undefined;
  let writeColumns: WriteColumns | undefined;
  /** The two threads, once started; false when they would not pay (or failed to start). */
  let threads: RowThreads | false | undefined;
  const threadMin = threadMinRows();
  try {
    for await (const rows of rowBatches(set.rows)) {
      if (isColumnBatch(rows)) {
        if (!threads) {
          columns ??= set.columns.map(() => new Float64Array(BLOCK_ROWS));
          writeColumns ??= columnWriter(format);
          for (let n = rows.fillColumns(columns); n > 0; n = rows.fillColumns(columns)) {
            for (let r = 0; r < n; r++) {
              writeColumns(chunk, columns, r, count++ === 0);
              chunk.rowEnd = chunk.at;
              if (chunk.at >= CHUNK_BYTES) await hand(sink, chunk.take());
            }
            // Once only: false stays false (one thread to the end).
            if (threads === undefined && count >= threadMin) {
              threads = startThreads(format, slabWriter(format, sink), rows.workerFits === true);
              if (threads) break;
            }
          }
        }
        if (threads) {
          // What this thread has written so far first, then the rest in order through both.
          if (chunk.rowEnd > 0) await hand(sink, chunk.take());
          count = await threads.write(rows, count);
        }
        continue;
      }
      if (threads) await threads.drain();
      for (const row of rows) {
        const waiting = writeRow(row, count++ === 0);
        if (waiting !== undefined) await waiting;
        chunk.rowEnd = chunk.at;
        if (chunk.at >= CHUNK_BYTES) await hand(sink, chunk.take());
      }
    }
    if (threads) await threads.drain();
  } catch (error) {
    if (threads) await threads.drain();
    if (chunk.rowEnd > 0) await hand(sink, chunk.take());
    throw error;
  } finally {
    if (threads) threads.close();
  }
  return count;
}

/** How csv quotes a text field (delimited.ts: csv-stringify's rule, loaded when first needed). */
export interface Quoting {
  readonly needed: (text: string) => boolean;
  readonly quote: (text: string) => Promise<string>;
}

/** csv or tsv as bytes; `quoting` for csv, undefined for tsv (whose fields need none). */
export async function writeDelimitedBytes(
  set: RowSet,
  options: FormatOptions,
  sink: Sink,
  separator: string,
  header: string,
  quoting: Quoting | undefined,
): Promise<void> {
  const kinds: ColumnKind[] = set.columns.map((c) => c.kind);
  const { digits } = options;
  const sep = separator.charCodeAt(0);
  const chunk = new Chunk();
  const writeCells = (row: Row, first: boolean): undefined => {
    // The header waits for the first row: nothing at all when the input fails before it.
    if (first && header !== '') chunk.text(header);
    for (let i = 0; i < row.length; i++) {
      chunk.room(NUMBER_ROOM + 1);
      if (i > 0) chunk.buf[chunk.at++] = sep;
      const cell = row[i] as Cell;
      if (typeof cell === 'number') {
        if (kinds[i] === 'integer') writeInteger(chunk, cell, digits);
        else writeReal(chunk, cell, digits);
      } else if (cell === null) {
        if (kinds[i] === 'alpha') chunk.at = writeAscii(chunk.buf, chunk.at, 'none');
      } else chunk.text(cell);
    }
    chunk.room(1);
    chunk.buf[chunk.at++] = 0x0a;
    return undefined;
  };
  const needsQuotes = (cell: Cell) => typeof cell === 'string' && quoting?.needed(cell) === true;
  const writeRow = (row: Row, first: boolean): Promise<void> | undefined => {
    if (quoting === undefined || !row.some(needsQuotes)) return writeCells(row, first);
    return Promise.all(
      row.map((cell) => (needsQuotes(cell) ? quoting.quote(cell as string) : cell)),
    ).then((quoted) => writeCells(quoted, first));
  };
  const format: ColumnFormat = {
    ndjson: false,
    separator: sep,
    header,
    names: set.columns.map((c) => c.name),
    kinds,
    digits,
  };
  const count = await eachRow(set, sink, chunk, writeRow, format);
  if (count === 0 && header !== '') {
    chunk.text(header);
    chunk.rowEnd = chunk.at;
  }
  if (chunk.rowEnd > 0) await hand(sink, chunk.take());
}

/** A key's bytes into the chunk: a loop (Buffer.copy is a call into C++, dear for a few bytes). */
function copyKey(buf: Buffer, at: number, key: Buffer): number {
  let to = at;
  for (let i = 0; i < key.length; i++) buf[to++] = key[i] as number;
  return to;
}

/** ndjson as bytes: one object per row, keys in column order, as json.ts writes them. */
export async function writeNdjsonBytes(
  set: RowSet,
  options: FormatOptions,
  sink: Sink,
): Promise<void> {
  const columns: readonly Column[] = set.columns;
  const keys = keysOf(columns.map((c) => c.name));
  const kinds: ColumnKind[] = columns.map((c) => c.kind);
  const { digits } = options;
  const chunk = new Chunk();
  const writeRow = (row: Row): undefined => {
    if (row.length === 0) {
      chunk.room(1);
      chunk.buf[chunk.at++] = 0x7b;
    }
    for (let i = 0; i < row.length; i++) {
      const key = keys[i] as Buffer;
      chunk.room(key.length + NUMBER_ROOM);
      chunk.at = copyKey(chunk.buf, chunk.at, key);
      const cell = row[i] as Cell;
      if (typeof cell === 'number') {
        if (!Number.isFinite(cell)) chunk.at = writeAscii(chunk.buf, chunk.at, 'null');
        else if (kinds[i] === 'integer') writeInteger(chunk, cell, digits);
        else writeReal(chunk, cell, digits);
      } else if (cell === null) chunk.at = writeAscii(chunk.buf, chunk.at, 'null');
      else chunk.text(JSON.stringify(cell));
    }
    chunk.room(2);
    chunk.buf[chunk.at++] = 0x7d;
    chunk.buf[chunk.at++] = 0x0a;
    return undefined;
  };
  const format: ColumnFormat = {
    ndjson: true,
    separator: 0,
    header: '',
    names: columns.map((c) => c.name),
    kinds,
    digits,
  };
  await eachRow(set, sink, chunk, writeRow, format);
  if (chunk.rowEnd > 0) await hand(sink, chunk.take());
}
