/**
 * The CLI's one flow: argv → validated options → rows → formatter → stdout. Returns the exit
 * code; the shim in bin/ sets it. Nothing is written to stdout until every input is validated.
 */
import { closeSync, openSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { OutputError, ReadError, setting, UsageError } from '../errors.js';
import { renderChart } from '../format/chart-output.js';
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
import type { CommandContext } from './command.js';
import { COMMANDS } from './commands/index.js';
import { keepYoungGenerationSmall, LONG_OUTPUT_ROWS } from './memory.js';
import { longFlag, type Options, type SharedOptions, VALUE_OPTIONS } from './options.js';
import type { WriteFile } from './out-file.js';
import { fdKind, RowSink } from './output.js';
import { parseCommandLine } from './program.js';
import { flagOf } from './setting-flag.js';

export interface Io {
  /** Read only when written to, if `fds` is given (src/launch.ts makes `process.stdout` then). */
  readonly stdout: Writable & { isTTY?: boolean; columns?: number; rows?: number };
  readonly stderr: Writable & { isTTY?: boolean; columns?: number };
  /**
   * The descriptors behind stdout and stderr, when they are the process's own: a file, /dev/null
   * or a terminal is then written with write(2) and the stream is never made (output.ts).
   */
  readonly fds?: { readonly stdout: number; readonly stderr: number };
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
 * A signal came (src/launch.ts): stop writing, and resolve when exiting leaves whole rows only
 * with the reader: at once, or when the piece being written (at most 4 KiB) is through.
 */
export function interrupt(): Promise<void> {
  pngRenderer?.stopRendering();
  outFiles?.removeTemporaryFiles();
  return activeSink?.stop() ?? Promise.resolve();
}

/** The PNG renderer, once loaded (a signal stops it: it runs in a child process). */
let pngRenderer: typeof import('../format/chart-png.js') | undefined;

/** The `--out` writer, once loaded (it loads node:net, which start-up need not pay for). */
let outFiles: typeof import('./out-file.js') | undefined;

/**
 * A stderr that cannot be written (`2>/dev/full`, closed) loses the line, not the exit code.
 * The stream is made only when a line is written.
 */
function safeWriter(stderr: () => Writable): (text: string) => void {
  let stream: Writable | undefined;
  return (text) => {
    if (stream === undefined) {
      stream = stderr();
      stream.on?.('error', () => {});
    }
    try {
      stream.write(text, () => {});
    } catch {
      // dropped: the exit code still tells what happened
    }
  };
}

/** Whether stdout or stderr is a terminal, without making the process's stream to ask it. */
function isTerminal(io: Io, which: 'stdout' | 'stderr'): boolean {
  return io.fds === undefined ? Boolean(io[which].isTTY) : fdKind(io.fds[which]).terminal;
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

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const say = safeWriter(() => io.stderr);
  const sink = new RowSink(() => io.stdout, io.fds?.stdout);
  activeSink = sink;
  try {
    // Help and the version go through the sink like any output: a write error (a full disk)
    // is reported and gives its exit code, as for rows.
    let printed = '';
    const invocation = await parseCommandLine(
      argv,
      (text) => {
        printed += text;
      },
      // Help fits a terminal's width (its stream is made to ask it), else 80 columns.
      () => (isTerminal(io, 'stdout') ? io.stdout.columns : undefined),
    );
    if (invocation.kind === 'done') {
      await sink.write(printed);
      return 0;
    }
    const { command, given, argument, stdinList, files, inputs } = invocation;
    let options: SharedOptions & Partial<Options<'out' | 'width' | 'height' | 'ascii'>> =
      invocation.options;
    // A list from stdin streams where one pass suffices (stdin-stream.ts); otherwise it is held.
    const stream =
      stdinList === undefined
        ? undefined
        : (await import('./stdin-stream.js')).streamPlan(command.name, stdinList, options);
    if (stdinList !== undefined && stream === undefined) {
      const { listFromStdin } = await import('./stdin-list.js');
      const values = await listFromStdin(longFlag(stdinList), VALUE_OPTIONS[stdinList], io.stdin);
      options = { ...options, [stdinList]: values };
    }
    const notes: string[] = [...invocation.notes];
    const flushNotes = () => {
      if (!options.quiet) for (const note of notes) say(`focal: note: ${note}\n`);
      notes.length = 0;
    };
    const stdoutTerminal = isTerminal(io, 'stdout');
    const format: Format = options.format ?? (stdoutTerminal ? 'table' : 'csv');
    const streamed = STREAMED_FORMATS.includes(format);
    const context: CommandContext = {
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
      files,
      ...(inputs !== undefined ? { inputs } : {}),
      // A progress bar would garble rows streaming to the same terminal. Asked only by the
      // commands that read a file: a start without one need not examine stderr.
      get progress() {
        return isTerminal(io, 'stderr') && !(stdoutTerminal && streamed) ? io.stderr : undefined;
      },
    };
    let set =
      stdinList !== undefined && stream !== undefined
        ? await (await import('./stdin-stream.js')).streamedRows(
            command,
            stdinList,
            stream,
            options,
            context,
            io.stdin,
          )
        : await command.rows(options, context);
    if (set.document !== undefined) {
      flushNotes();
      await sink.write(set.document());
      return 0;
    }
    if (set.chart !== undefined && options.format === undefined) {
      // The chart formatter; the CLI only chooses where its output goes (stdout or --out).
      flushNotes();
      // The terminal's size is the stream's to tell: the stream is made only for a terminal.
      const screen = { stdout: stdoutTerminal ? io.stdout : { isTTY: false }, env: io.env };
      // A PNG is rendered by a child process that a signal stops (chart-png.ts).
      if (/\.png$/i.test(options.out ?? '')) pngRenderer = await import('../format/chart-png.js');
      let drawn: string | Uint8Array;
      try {
        drawn = await renderChart(set.chart, { ...options, ascii: options.ascii ?? false }, screen);
      } catch (error) {
        // Its own class in its own bundle file: known by its code, not by instanceof.
        if ((error as { code?: string }).code === 'FOCAL_NO_PNG') {
          throw new UsageError([setting('out'), `: ${(error as Error).message}`]);
        }
        throw error;
      }
      if (options.out === undefined) await sink.write(drawn as string);
      else {
        outFiles = await import('./out-file.js');
        await outFiles.writeOutFile(options.out, drawn, io.writeFile);
      }
      return 0;
    }
    if (set.chart !== undefined && !CHART_DATA_FORMATS.includes(format)) {
      throw new UsageError(
        `--format: ${command.name} draws a chart; -f csv, tsv, json or ndjson gives its data`,
      );
    }
    // Only csv and tsv have a header row to drop: elsewhere --no-header is a note, not an error
    // (a script that always passes it keeps working whatever format it asks for).
    if (given.has('header') && format !== 'csv' && format !== 'tsv') {
      notes.push(`--no-header has no effect on ${format} (only csv and tsv have a header row)`);
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
        color: colourEnabled(format, options.color, io.env, stdoutTerminal),
      },
      sink,
    );
    flushNotes(); // what streaming an input found (rows skipped)
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      // Lower layers name settings as the API does (scoreCol); the CLI names their flags.
      say(`focal: ${error.render(flagOf)}\n`);
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

/**
 * The starts whose start-up the bench measures (the README's quick start, the loss calculator,
 * the version and help), which the build makes lean (scripts/bundle.mjs): a quick command has a
 * CLI file of its own, which declares that command alone (`cli-contribution.cjs`), and the
 * version and help have code caches of cli.cjs of their own (`cli.version.cjs.cache`); each
 * cache is made after that start alone, and src/launch.ts chooses by the command line's first
 * word. A start then reads, deserialises and runs its own code only (on Node 20, `contribution`
 * 2.9 million instructions and 94 page faults less, `--version` 1.0 million and 67:
 * bench/README.md, "fewer pages").
 */
export const QUICK_STARTS = {
  version: ['--version'],
  help: ['--help'],
  loss: ['loss', '--pt', '0.9', '-f', 'csv'],
  contribution: ['contribution', '--neg', '1e6', '--pos', '10'],
} as const satisfies Record<string, readonly string[]>;

/**
 * The starts the CLI's general code cache is made after, so that it holds their compiled
 * functions: the one every other start reads, and the one a Node other than the build's makes
 * for itself. Each function in the cache costs its deserialising at every start, so the other
 * commands' are left out: they compile what they run (measured in instructions under callgrind,
 * 2026-11-30: a cache warmed by every command made `contribution` 2% slower and `weight` 0.4%
 * faster, bench/README.md). scripts/bundle.mjs has them run at build time (through
 * src/launch.ts, which also runs them before it makes a cache for a V8 other than the build's).
 * Their output goes to /dev/null through a descriptor (the direct path of output.ts) and errors
 * to a sink.
 */
const WARM_UP: readonly (readonly string[])[] = [
  QUICK_STARTS.version,
  QUICK_STARTS.loss,
  QUICK_STARTS.contribution,
];

/** Help, run after the CLI's cache is made: it loads commander.cjs, whose cache follows. */
const WARM_UP_HELP: readonly (readonly string[])[] = [['--help'], ['contribution', '--help']];

/**
 * The whole CLI's commands, for a quick command's own CLI file, whose commander errors name
 * them all (commands/index.ts).
 */
export { allCommands } from './commands/index.js';

/**
 * Runs `commands` in this process, their output discarded: those this CLI declares (a quick
 * command's own CLI file declares its command alone) and those of the whole program.
 */
async function runDiscarded(commands: readonly (readonly string[])[]): Promise<void> {
  const discard = {
    write: (_text: unknown, done?: () => void) => {
      done?.();
      return true;
    },
    on: () => discard,
  } as unknown as Writable;
  const fd = openSync('/dev/null', 'w');
  try {
    const io: Io = {
      stdout: discard,
      stderr: discard,
      fds: { stdout: fd, stderr: fd },
      stdin: () => process.stdin,
      env: {},
    };
    for (const argv of commands) {
      const word = argv[0] ?? '';
      if (word.startsWith('-') || COMMANDS.some((c) => c.name === word)) await main(argv, io);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Runs the WARM_UP commands in this process, their output discarded; with `start`, that quick
 * start alone (for its own cache).
 */
export function warmUp(start?: keyof typeof QUICK_STARTS): Promise<void> {
  return runDiscarded(start === undefined ? WARM_UP : [QUICK_STARTS[start]]);
}

/** Runs the WARM_UP_HELP commands in this process, their output discarded. */
export function warmUpHelp(): Promise<void> {
  return runDiscarded(WARM_UP_HELP);
}
