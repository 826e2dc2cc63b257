/**
 * The table people read on a terminal: box drawing, numbers right-aligned to `--digits`
 * (default 6) significant digits, each column in one notation, summary lines below, colour only
 * when asked. Drawn here in time linear in the rows (cli-table3 took 35 s for 20,000 rows), in
 * slices that let a signal through. Loaded only for `--format table`, so other formats never
 * pay for chalk.
 */
import { Chalk } from 'chalk';
import {
  breathe,
  collectRows,
  exponentColumns,
  type FormatOptions,
  formatHumanCell,
  HUMAN_DIGITS,
  type Row,
  type RowSet,
  type Sink,
} from './formats.js';

/** A value that does not exist reads as an en dash. */
const MISSING = '–';

/** Rows drawn per write: the output streams, and a signal waits for at most one slice. */
const SLICE_ROWS = 256;

/** Code points a terminal draws two columns wide (East Asian wide and fullwidth, emoji). */
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]/u;

/** How many terminal columns `text` takes (printable text, no escapes). */
export function displayWidth(text: string): number {
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  let width = 0;
  for (const char of text) {
    if (/\p{M}|\u200b|\u200d|\ufe0f/u.test(char)) continue;
    width += WIDE.test(char) ? 2 : 1;
  }
  return width;
}

export async function writeTable(set: RowSet, options: FormatOptions, sink: Sink): Promise<void> {
  // chalk's own detection is bypassed: colour.ts has already applied the contract's rules.
  const paint = new Chalk({ level: options.color ? 1 : 0 });
  const digits = options.digits ?? HUMAN_DIGITS;
  const { columns } = set;
  const rows = await collectRows(set.rows);
  const exponent = await exponentColumns(columns, rows, digits);
  // Cells as text, and each column's width (the header's, or its widest cell).
  const widths = columns.map((c) => displayWidth(c.name));
  const cells: string[][] = [];
  for (const row of rows) {
    const texts = row.map((cell, i) => {
      const text = formatHumanCell(
        cell,
        columns[i]?.kind ?? 'real',
        digits,
        MISSING,
        exponent[i] ?? false,
      );
      const width = displayWidth(text);
      if (width > (widths[i] as number)) widths[i] = width;
      return text;
    });
    cells.push(texts);
    if ((cells.length & 255) === 0) await breathe();
  }
  const rule = (left: string, middle: string, right: string) =>
    `${left}${widths.map((w) => '─'.repeat(w + 2)).join(middle)}${right}\n`;
  const line = (texts: readonly string[], style: (text: string, i: number) => string) =>
    `│${texts
      .map((text, i) => {
        const pad = ' '.repeat((widths[i] as number) - displayWidth(text));
        const styled = style(text, i);
        return columns[i]?.kind === 'text' ? ` ${styled}${pad} ` : ` ${pad}${styled} `;
      })
      .join('│')}│\n`;
  let text = rule('┌', '┬', '┐');
  text += line(
    columns.map((c) => c.name),
    (name) => paint.bold(name),
  );
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as Row;
    text += line(cells[r] as string[], (cell, i) => {
      const value = row[i];
      const unusual = value === null || (typeof value === 'number' && !Number.isFinite(value));
      return unusual ? paint.dim(cell) : cell;
    });
    if ((r + 1) % SLICE_ROWS === 0) {
      await sink.write(text);
      text = '';
    }
  }
  text += rule('└', '┴', '┘');
  const summary = set.summary?.() ?? [];
  for (const below of summary) {
    text += `${below.replace(/\d+(\.\d+)?%/g, (pct) => paint.bold(pct))}\n`;
  }
  await sink.write(text);
}
