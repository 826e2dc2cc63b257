/**
 * The CLI's one flow: argv → validated options → rows → formatter → stdout. Returns the exit
 * code; the shim in bin/ sets it. Nothing is written to stdout until every input is validated.
 */
import type { Readable, Writable } from 'node:stream';
import type { Chart } from '../format/chart.js';
import { colourEnabled } from '../format/colour.js';
import {
  breathe,
  CHART_DATA_FORMATS,
  type Format,
  MAX_HELD_ROWS,
  type Row,
  type RowSet,
  rowBatches,
  STREAMED_FORMATS,
} from '../format/formats.js';
import { writeRows } from '../format/index.js';
import { keepYoungGenerationSmall, LONG_OUTPUT_ROWS } from './memory.js';
import { longFlag, type ParsedOptions, VALUE_OPTIONS } from './options.js';
import type { WriteFile } from './out-file.js';
import { OutputError, RowSink } from './output.js';
import { parseCommandLine } from './program.js';
import { ReadError, UsageError } from './usage-error.js';

export interface Io {
  readonly stdout: Writable & { isTTY?: boolean; columns?: number; rows?: number };
  readonly stderr: Writable & { isTTY?: boolean; columns?: number };
  /** Opened only when an option asks for it (`--input -`): stdin is never touched otherwise. */
  readonly stdin: () => Readable;
  readonly env: NodeJS.ProcessEnv;
  /** How `--out` writes its temporary file (tests make it fail like a full disk). */
  readonly writeFile?: WriteFile;
  /**
   * Whether a long output may shrink V8's young generation for flat memory (memory.ts), a
   * setting of the whole process: the executable's default; false where main runs inside a
   * longer-lived process (the tests' in-process runs), which keeps its own heap settings.
   */
  readonly flatMemory?: boolean;
}

/** The sink of the run in progress, which a signal stops at a row boundary (see interrupt). */
let activeSink: RowSink | undefined;

/**
 * A signal came (bin/focal.cjs): stop writing, and resolve when exiting leaves whole rows only
 * with the reader: at once, or when the piece being written (at most 4 KiB) is through.
 */
export function interrupt(): Promise<void> {
  outFiles?.removeTemporaryFiles();
  return activeSink?.stop() ?? Promise.resolve();
}

/** The `--out` writer, once loaded (it loads node:net, which start-up need not pay for). */
let outFiles: typeof import('./out-file.js') | undefined;

/** A stderr that cannot be written (`2>/dev/full`, closed) loses the line, not the exit code. */
function safeWriter(stream: Writable): (text: string) => void {
  stream.on?.('error', () => {});
  return (text) => {
    try {
      stream.write(text, () => {});
    } catch {
      // dropped: the exit code still tells what happened
    }
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
      if ((rows.length & 255) === 0) await breathe();
    }
  }
  return { ...set, rows, rowCount: rows.length };
}

/** Formats that give a chart's data instead of the chart. */

/** The chart on stdout (as text, sized to the terminal) or in the --out file (SVG or PNG). */
async function drawChart(
  chart: Chart,
  options: ParsedOptions,
  io: Io,
  sink: RowSink,
): Promise<void> {
  if (options.out !== undefined) {
    const { chartSvg } = await import('../format/chart-svg.js');
    const svg = chartSvg(chart, options.width ?? 720, options.height ?? 450);
    const png = /\.png$/i.test(options.out);
    const bytes = png ? (await import('../format/chart-png.js')).svgToPng(svg) : svg;
    outFiles = await import('./out-file.js');
    await outFiles.writeOutFile(options.out, bytes, io.writeFile);
    return;
  }
  const { chartText, terminalChartSize, utf8Locale } = await import('../format/chart-text.js');
  const terminal = io.stdout.isTTY;
  const { width, height } = terminalChartSize(options, io.stdout, io.env);
  const colour = colourEnabled('table', options.color, io.env, Boolean(terminal));
  const braille = !options.ascii && utf8Locale(io.env);
  await sink.write(chartText(chart, width, height, colour, braille));
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const say = safeWriter(io.stderr);
  const sink = new RowSink(io.stdout);
  activeSink = sink;
  try {
    const invocation = parseCommandLine(argv, (text) => io.stdout.write(text));
    if (invocation.kind === 'done') return 0;
    const { command, given, argument, stdinList } = invocation;
    let { options } = invocation;
    if (stdinList !== undefined) {
      const { listFromStdin } = await import('./stdin-list.js');
      const values = await listFromStdin(longFlag(stdinList), VALUE_OPTIONS[stdinList], io.stdin);
      options = { ...options, [stdinList]: values };
    }
    const notes: string[] = [];
    const flushNotes = () => {
      if (!options.quiet) for (const note of notes) say(`focal: note: ${note}\n`);
      notes.length = 0;
    };
    const format: Format = options.format ?? (io.stdout.isTTY ? 'table' : 'csv');
    const streamed = STREAMED_FORMATS.includes(format);
    let set = await command.rows(options, {
      given,
      note: (text) => notes.push(text),
      stdin: () => {
        try {
          return io.stdin();
        } catch (error) {
          throw new UsageError(`--input -: ${(error as Error).message}`);
        }
      },
      argument,
      // A progress bar would garble rows streaming to the same terminal.
      progress: io.stderr.isTTY && !(io.stdout.isTTY && streamed) ? io.stderr : undefined,
    });
    if (set.chart !== undefined && options.format === undefined) {
      flushNotes();
      await drawChart(set.chart, options, io, sink);
      return 0;
    }
    if (set.chart !== undefined && !CHART_DATA_FORMATS.includes(format)) {
      throw new UsageError(
        `--format: ${command.name} draws a chart; -f csv, tsv, json or ndjson gives its data`,
      );
    }
    if (!streamed) set = await held(set, format);
    if (io.flatMemory !== false && (set.rowCount === undefined || set.rowCount > LONG_OUTPUT_ROWS))
      keepYoungGenerationSmall();
    flushNotes();
    await writeRows(
      format,
      set,
      {
        digits: options.digits,
        header: options.header,
        color: colourEnabled(format, options.color, io.env, Boolean(io.stdout.isTTY)),
      },
      sink,
    );
    flushNotes(); // what streaming an input found (rows skipped)
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      say(`focal: ${error.message}\n`);
      return 2;
    }
    if (error instanceof OutputError) {
      // The reader went away (`| head -1`): the run is done, quietly.
      if (error.code === 'EPIPE') return 0;
      say(`focal: ${error.message}\n`);
      return 1;
    }
    if (error instanceof ReadError) {
      say(`focal: ${error.message}\n`);
      return 1;
    }
    if (io.env.FOCAL_DEBUG === '1') say(`${(error as Error).stack}\n`);
    else say(`focal: internal error: ${(error as Error).message} (FOCAL_DEBUG=1 shows where)\n`);
    return 1;
  }
}
