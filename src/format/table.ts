/**
 * The table people read on a terminal: cli-table3 box drawing, numbers right-aligned to
 * `--digits` (default 6) significant digits, summary lines below, colour only when asked.
 * This module is loaded only for `--format table`, so other formats never pay for chalk or
 * cli-table3.
 */
import { Chalk } from 'chalk';
import Table from 'cli-table3';
import {
  type FormatOptions,
  formatCell,
  HUMAN_DIGITS,
  type RowSet,
  rowBatches,
  type Sink,
} from './formats.js';

/** A value that does not exist reads as an en dash. */
const MISSING = '–';

export async function writeTable(set: RowSet, options: FormatOptions, sink: Sink): Promise<void> {
  // chalk's own detection is bypassed: colour.ts has already applied the contract's rules.
  const paint = new Chalk({ level: options.color ? 1 : 0 });
  const digits = options.digits ?? HUMAN_DIGITS;
  const table = new Table({
    head: set.columns.map((c) => paint.bold(c.name)),
    colAligns: set.columns.map((c) => (c.kind === 'text' ? 'left' : 'right')),
    // No rule between rows; no cli-table3 colours (its defaults colour even a pipe).
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    style: { head: [], border: [] },
  });
  for await (const rows of rowBatches(set.rows)) {
    for (const row of rows) {
      table.push(
        row.map((cell, i) => {
          const text = formatCell(cell, set.columns[i]?.kind ?? 'real', digits, MISSING);
          const unusual = cell === null || (typeof cell === 'number' && !Number.isFinite(cell));
          return unusual ? paint.dim(text) : text;
        }),
      );
    }
  }
  const summary = set.summary?.() ?? [];
  const below = summary.map(
    (line) => `${line.replace(/\d+(\.\d+)?%/g, (pct) => paint.bold(pct))}\n`,
  );
  await sink.write(`${table.toString()}\n${below.join('')}`);
}
