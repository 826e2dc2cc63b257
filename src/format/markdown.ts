/**
 * A GitHub table: numbers right-aligned, `--digits` (default 6), each column in one notation,
 * no colour, no summary.
 */
import {
  collectRows,
  exponentColumns,
  type FormatOptions,
  formatHumanCell,
  HUMAN_DIGITS,
  type RowSet,
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
  const rows = await collectRows(set.rows);
  const exponent = await exponentColumns(columns, rows, digits);
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
