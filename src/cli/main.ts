/**
 * The CLI's one flow: argv → validated options → rows → formatter → stdout. Returns the exit
 * code; the shim in bin/ sets it. Nothing is written to stdout until every input is validated.
 */
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import type { Chart } from '../format/chart.js';
import { colourEnabled } from '../format/colour.js';
import {
  CHART_DATA_FORMATS,
  type Format,
  MAX_HELD_ROWS,
  type Row,
  type RowSet,
  rowBatches,
  type Sink,
  STREAMED_FORMATS,
} from '../format/formats.js';
import { writeRows } from '../format/index.js';
import { keepYoungGenerationSmall, LONG_OUTPUT_ROWS } from './memory.js';
import type { ParsedOptions } from './options.js';
import { parseCommandLine } from './program.js';
import { ReadError, UsageError } from './usage-error.js';

export interface Io {
  readonly stdout: Writable & { isTTY?: boolean; columns?: number; rows?: number };
  readonly stderr: Writable & { isTTY?: boolean; columns?: number };
  /** Opened only when an option asks for it (`--input -`): stdin is never touched otherwise. */
  readonly stdin: () => Readable;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * Writes to a stream, waiting for 'drain' when it asks to: output stays complete on a slow pipe.
 * Between chunks it yields to the event loop: writes to a file or pipe are synchronous, and a
 * long output would otherwise never let a signal handler (Ctrl-C) run.
 */
function streamSink(stream: Writable): Sink {
  return {
    write(text) {
      if (!stream.write(text)) return once(stream, 'drain').then(() => undefined);
      return new Promise((resolve) => setImmediate(resolve));
    },
  };
}

function tooMany(rowCount: number | string, format: Format): UsageError {
  return new UsageError(
    `${rowCount} rows are too many for --format ${format} (at most ${MAX_HELD_ROWS.toLocaleString('en-US')}); use -f csv or -f ndjson, which stream`,
  );
}

/**
 * The rows of a format that holds them (table, markdown, json), checked against the limit
 * before anything is written; rows streamed from an input are collected up to the limit.
 */
async function held(set: RowSet, format: Format): Promise<RowSet> {
  if (set.rowCount !== undefined) {
    if (set.rowCount > MAX_HELD_ROWS) throw tooMany(set.rowCount, format);
    return set;
  }
  const rows: Row[] = [];
  for await (const batch of rowBatches(set.rows)) {
    for (const row of batch) {
      if (rows.length === MAX_HELD_ROWS) throw tooMany('more than 100,000', format);
      rows.push(row);
    }
  }
  return { ...set, rows, rowCount: rows.length };
}

/** Formats that give a chart's data instead of the chart. */

/** The chart on stdout (as text, sized to the terminal) or in the --out file (SVG or PNG). */
async function drawChart(chart: Chart, options: ParsedOptions, io: Io): Promise<void> {
  if (options.out !== undefined) {
    const { chartSvg } = await import('../format/chart-svg.js');
    const svg = chartSvg(chart, options.width ?? 720, options.height ?? 450);
    const png = /\.png$/i.test(options.out);
    const bytes = png ? (await import('../format/chart-png.js')).svgToPng(svg) : svg;
    try {
      // node:fs is loaded with Node itself (node:fs/promises would add to every start-up).
      writeFileSync(options.out, bytes);
    } catch (error) {
      throw new UsageError(`--out: ${options.out}: ${(error as Error).message}`);
    }
    return;
  }
  const { chartText, terminalChartSize, utf8Locale } = await import('../format/chart-text.js');
  const terminal = io.stdout.isTTY;
  const { width, height } = terminalChartSize(options, io.stdout, io.env);
  const colour = colourEnabled('table', options.color, io.env, Boolean(terminal));
  const braille = !options.ascii && utf8Locale(io.env);
  await streamSink(io.stdout).write(chartText(chart, width, height, colour, braille));
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  try {
    const invocation = parseCommandLine(
      argv,
      (text) => io.stdout.write(text),
      () => readFileSync(0, 'utf8'),
    );
    if (invocation.kind === 'done') return 0;
    const { command, options, given, argument } = invocation;
    const notes: string[] = [];
    const flushNotes = () => {
      if (!options.quiet) for (const note of notes) io.stderr.write(`focal: note: ${note}\n`);
      notes.length = 0;
    };
    const format: Format = options.format ?? (io.stdout.isTTY ? 'table' : 'csv');
    const streamed = STREAMED_FORMATS.includes(format);
    let set = await command.rows(options, {
      given,
      note: (text) => notes.push(text),
      stdin: io.stdin,
      argument,
      // A progress bar would garble rows streaming to the same terminal.
      progress: io.stderr.isTTY && !(io.stdout.isTTY && streamed) ? io.stderr : undefined,
    });
    if (set.chart !== undefined && options.format === undefined) {
      flushNotes();
      await drawChart(set.chart, options, io);
      return 0;
    }
    if (set.chart !== undefined && !CHART_DATA_FORMATS.includes(format)) {
      throw new UsageError(
        `--format: ${command.name} draws a chart; -f csv, tsv, json or ndjson gives its data`,
      );
    }
    if (!streamed) set = await held(set, format);
    if (set.rowCount === undefined || set.rowCount > LONG_OUTPUT_ROWS) keepYoungGenerationSmall();
    flushNotes();
    await writeRows(
      format,
      set,
      {
        digits: options.digits,
        header: options.header,
        color: colourEnabled(format, options.color, io.env, Boolean(io.stdout.isTTY)),
      },
      streamSink(io.stdout),
    );
    flushNotes(); // what streaming an input found (rows skipped)
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`focal: ${error.message}\n`);
      return 2;
    }
    if (error instanceof ReadError) {
      io.stderr.write(`focal: ${error.message}\n`);
      return 1;
    }
    if (io.env.FOCAL_DEBUG === '1') io.stderr.write(`${(error as Error).stack}\n`);
    else
      io.stderr.write(
        `focal: internal error: ${(error as Error).message} (FOCAL_DEBUG=1 shows where)\n`,
      );
    return 1;
  }
}
