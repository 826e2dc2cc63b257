/**
 * json (one array of objects) and ndjson (one object per line). Keys are the columns in order;
 * non-finite numbers, "α weighting off" and values that do not exist are null.
 */
import {
  BYTE_ROWS,
  type Cell,
  CHUNK_CHARS,
  type Column,
  type FormatOptions,
  formatInteger,
  formatReal,
  type RowSet,
  rowBatches,
  type Sink,
} from './formats.js';

function jsonValue(cell: Cell, column: Column, digits: number | undefined): string {
  if (cell === null) return 'null';
  if (typeof cell === 'string') return JSON.stringify(cell);
  if (!Number.isFinite(cell)) return 'null';
  // Both forms are valid JSON numbers (`1e+21`, `4.2e-18`); integers keep all their digits.
  return column.kind === 'integer' ? formatInteger(cell, digits) : formatReal(cell, digits);
}

function objectWriter(columns: readonly Column[], digits: number | undefined) {
  const keys = columns.map((c) => `${JSON.stringify(c.name)}:`);
  // A loop, not map and join: no array of fields per row (less garbage, flat memory).
  return (row: readonly Cell[]) => {
    let text = '{';
    for (let i = 0; i < row.length; i++) {
      text += `${i === 0 ? '' : ','}${keys[i]}${jsonValue(row[i] as Cell, columns[i] as Column, digits)}`;
    }
    return `${text}}`;
  };
}

async function writeObjects(
  set: RowSet,
  sink: Sink,
  toText: (row: readonly Cell[]) => string,
  open: string,
  separator: string,
  close: string,
): Promise<void> {
  let pending = open;
  let first = true;
  try {
    for await (const rows of rowBatches(set.rows)) {
      for (const row of rows) {
        pending += (first ? '' : separator) + toText(row);
        first = false;
        if (pending.length >= CHUNK_CHARS) {
          // Up to the last line end: every write ends with a whole row and its line end (json
          // keeps its last row back until the next one brings its separator).
          const cut = pending.lastIndexOf('\n') + 1;
          await sink.write(pending.slice(0, cut));
          pending = pending.slice(cut);
        }
      }
    }
  } catch (error) {
    // When a bad input row ends the stream, every row before it is written; but nothing at
    // all when the input fails before its first row.
    if (!first && pending !== '')
      await sink.write(pending.endsWith('\n') ? pending : `${pending}\n`);
    throw error;
  }
  pending += close;
  if (pending !== '') await sink.write(pending);
}

export async function writeJson(set: RowSet, options: FormatOptions, sink: Sink): Promise<void> {
  const toText = objectWriter(set.columns, options.digits);
  const empty = set.rowCount === 0;
  await writeObjects(set, sink, toText, empty ? '[' : '[\n', ',\n', empty ? ']\n' : '\n]\n');
}

export async function writeNdjson(set: RowSet, options: FormatOptions, sink: Sink): Promise<void> {
  if (set.rowCount === undefined || set.rowCount > BYTE_ROWS) {
    await (await import('./row-bytes.js')).writeNdjsonBytes(set, options, sink);
    return;
  }
  const toText = objectWriter(set.columns, options.digits);
  await writeObjects(set, sink, (row) => `${toText(row)}\n`, '', '', '');
}
