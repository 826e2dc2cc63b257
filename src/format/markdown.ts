/**
 * A GitHub table: numbers right-aligned, `--digits` (default 6), each column in one notation,
 * no colour, no summary.
 */
import {
  breathe,
  exponentColumns,
  type FormatOptions,
  formatHumanCell,
  HUMAN_DIGITS,
  type Row,
  type RowSet,
  rowBatches,
  type Sink,
} from './formats.js';

/** Rows written per write: a signal waits for at most one slice. */
const SLICE_ROWS = 256;

export async function writeMarkdown(
  set: RowSet,
  options: FormatOptions,
  sink: Sink,
): Promise<void> {
  const digits = options.digits ?? HUMAN_DIGITS;
  const { columns } = set;
  const escapeCell = (text: string) => text.replaceAll('\\', '\\\\').replaceAll('|', '\\|');
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |\n`;
  const rows: Row[] = [];
  for await (const batch of rowBatches(set.rows)) {
    for (const row of batch) {
      rows.push(row);
      if ((rows.length & 255) === 0) await breathe();
    }
  }
  const exponent = exponentColumns(columns, rows, digits);
  let text = line(columns.map((c) => escapeCell(c.name)));
  text += line(columns.map((c) => (c.kind === 'text' ? '---' : '---:')));
  for (const [r, row] of rows.entries()) {
    text += line(
      row.map((cell, i) =>
        escapeCell(
          formatHumanCell(cell, columns[i]?.kind ?? 'real', digits, '', exponent[i] ?? false),
        ),
      ),
    );
    if ((r + 1) % SLICE_ROWS === 0) {
      await sink.write(text);
      text = '';
    }
  }
  await sink.write(text);
}
