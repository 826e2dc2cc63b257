/** A GitHub table: numbers right-aligned, `--digits` (default 6), no colour, no summary. */
import {
  type FormatOptions,
  formatCell,
  HUMAN_DIGITS,
  type RowSet,
  rowBatches,
  type Sink,
} from './formats.js';

export async function writeMarkdown(
  set: RowSet,
  options: FormatOptions,
  sink: Sink,
): Promise<void> {
  const digits = options.digits ?? HUMAN_DIGITS;
  const escapeCell = (text: string) => text.replaceAll('\\', '\\\\').replaceAll('|', '\\|');
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |\n`;
  let text = line(set.columns.map((c) => escapeCell(c.name)));
  text += line(set.columns.map((c) => (c.kind === 'text' ? '---' : '---:')));
  for await (const rows of rowBatches(set.rows)) {
    for (const row of rows) {
      text += line(
        row.map((cell, i) =>
          escapeCell(formatCell(cell, set.columns[i]?.kind ?? 'real', digits, '')),
        ),
      );
    }
  }
  await sink.write(text);
}
