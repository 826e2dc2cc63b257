/**
 * csv (RFC 4180 quoting by csv-stringify, LF line ends) and tsv (tabs, no quoting: no value
 * focal writes contains a tab or a line break, group names are checked for that).
 */
import {
  BYTE_ROWS,
  type Cell,
  CHUNK_CHARS,
  type ColumnKind,
  type FormatOptions,
  formatCell,
  type RowSet,
  rowBatches,
  type Sink,
} from './formats.js';

/**
 * Whether csv-stringify would quote a field (RFC 4180): it holds a delimiter, a quote or a line
 * end. A loop, not a regular expression: V8 compiles one at its first use, at every start.
 */
export function needsQuotes(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x2c || code === 0x22 || code === 0x0a || code === 0x0d) return true;
  }
  return false;
}

let stringify: typeof import('csv-stringify/sync').stringify | undefined;

/**
 * A csv field that needs quoting, through csv-stringify (its quoting is decided per field). It
 * is loaded only then: nearly every field is a number, written as it is, as csv-stringify
 * would write it, and start-up need not pay for the package.
 */
async function quoted(text: string): Promise<string> {
  stringify ??= (await import('csv-stringify/sync')).stringify;
  return stringify([[text]], { record_delimiter: 'unix' }).slice(0, -1);
}

export async function writeCsv(set: RowSet, options: FormatOptions, sink: Sink): Promise<void> {
  await writeDelimited(set, options, sink, ',', true);
}

export async function writeTsv(set: RowSet, options: FormatOptions, sink: Sink): Promise<void> {
  await writeDelimited(set, options, sink, '\t', false);
}

/**
 * Rows become text one at a time, straight into the pending chunk: no array of fields per row
 * and no batch of rows held, so that nearly all the garbage dies young (on Node 22 and 24 a
 * batch of rows alive across scavenges made V8 grow its young generation and pretenure the
 * rows: `focal weight --pt 0:1:1e-7` peaked at 99–128 MiB there).
 */
async function writeDelimited(
  set: RowSet,
  options: FormatOptions,
  sink: Sink,
  separator: string,
  quotes: boolean,
): Promise<void> {
  const { columns } = set;
  const kinds: ColumnKind[] = columns.map((c) => c.kind);
  const { digits } = options;
  // The header waits for the first row: nothing at all is written (not even the header) when
  // the input fails before its first row (issue 14).
  const names = await Promise.all(
    columns.map((c) => (quotes && needsQuotes(c.name) ? quoted(c.name) : c.name)),
  );
  const header = options.header ? `${names.join(separator)}\n` : '';
  if (set.rowCount === undefined || set.rowCount > BYTE_ROWS) {
    const quoting = quotes ? { needed: needsQuotes, quote: quoted } : undefined;
    const { writeDelimitedBytes } = await import('./row-bytes.js');
    await writeDelimitedBytes(set, options, sink, separator, header, quoting);
    return;
  }
  let pending = '';
  let rowsSeen = 0;
  try {
    for await (const rows of rowBatches(set.rows)) {
      for (const row of rows) {
        let line = '';
        for (let i = 0; i < row.length; i++) {
          let text = formatCell(row[i] as Cell, kinds[i] ?? 'real', digits, '');
          if (quotes && needsQuotes(text)) text = await quoted(text);
          line = i === 0 ? text : line + separator + text;
        }
        if (rowsSeen++ === 0) pending = header;
        pending += `${line}\n`;
        if (pending.length >= CHUNK_CHARS) {
          await sink.write(pending);
          pending = '';
        }
      }
    }
  } catch (error) {
    // When a bad input row ends the stream, every row before it is written.
    if (pending !== '') await sink.write(pending);
    throw error;
  }
  if (rowsSeen === 0) pending = header;
  if (pending !== '') await sink.write(pending);
}
