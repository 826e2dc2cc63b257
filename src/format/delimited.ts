/**
 * csv (RFC 4180 quoting by csv-stringify, LF line ends) and tsv (tabs, no quoting: no value
 * focal writes contains a tab or a line break, group names are checked for that).
 */
import { stringify } from 'csv-stringify/sync';
import {
  CHUNK_CHARS,
  type FormatOptions,
  formatCell,
  type RowSet,
  rowBatches,
  type Sink,
} from './formats.js';

const BATCH_ROWS = 2048;

/** A field csv-stringify would quote (RFC 4180): it holds a delimiter, a quote or a line end. */
const NEEDS_QUOTES = /[",\r\n]/;

export async function writeCsv(set: RowSet, options: FormatOptions, sink: Sink): Promise<void> {
  // Most batches are numbers only, which csv-stringify would write unchanged, joined by commas:
  // those are joined here (a third of the time of `focal loss --input`); any batch with a
  // field that needs quoting goes through csv-stringify.
  const toText = (records: string[][]) =>
    records.some((record) => record.some((field) => NEEDS_QUOTES.test(field)))
      ? stringify(records, { record_delimiter: 'unix' })
      : records.map((record) => `${record.join(',')}\n`).join('');
  await writeDelimited(set, options, sink, toText);
}

export async function writeTsv(set: RowSet, options: FormatOptions, sink: Sink): Promise<void> {
  const toText = (records: string[][]) => records.map((r) => `${r.join('\t')}\n`).join('');
  await writeDelimited(set, options, sink, toText);
}

async function writeDelimited(
  set: RowSet,
  options: FormatOptions,
  sink: Sink,
  toText: (records: string[][]) => string,
): Promise<void> {
  const { columns } = set;
  let batch: string[][] = options.header ? [columns.map((c) => c.name)] : [];
  let pending = '';
  let rowsSeen = 0;
  const flush = async () => {
    pending += batch.length > 0 ? toText(batch) : '';
    if (pending !== '') await sink.write(pending);
  };
  try {
    for await (const rows of rowBatches(set.rows)) {
      for (const row of rows) {
        batch.push(
          row.map((cell, i) => formatCell(cell, columns[i]?.kind ?? 'real', options.digits, '')),
        );
        rowsSeen++;
        if (batch.length >= BATCH_ROWS) {
          pending += toText(batch);
          batch = [];
          if (pending.length >= CHUNK_CHARS) {
            await sink.write(pending);
            pending = '';
          }
        }
      }
    }
  } catch (error) {
    // When a bad input row ends the stream, every row before it is written; but nothing at
    // all (not even the header) when the input fails before its first row.
    if (rowsSeen > 0) await flush();
    throw error;
  }
  await flush();
}
