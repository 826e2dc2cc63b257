/**
 * The CLI's one flow: argv → validated options → rows → formatter → stdout. Returns the exit
 * code; the shim in bin/ sets it. Nothing is written to stdout until every input is validated.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { colourEnabled } from '../format/colour.js';
import { type Format, MAX_HELD_ROWS, type Sink, STREAMED_FORMATS } from '../format/formats.js';
import { writeRows } from '../format/index.js';
import { parseCommandLine } from './program.js';
import { UsageError } from './usage-error.js';

export interface Io {
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable;
  readonly env: NodeJS.ProcessEnv;
}

/** Writes to a stream, waiting for 'drain' when it asks to: output stays complete on a slow pipe. */
function streamSink(stream: Writable): Sink {
  return {
    write(text) {
      if (!stream.write(text)) return once(stream, 'drain').then(() => undefined);
    },
  };
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  try {
    const invocation = parseCommandLine(argv);
    if (invocation.kind === 'done') return 0;
    const { command, options, given } = invocation;
    const notes: string[] = [];
    const set = command.rows(options, { given, note: (text) => notes.push(text) });
    const format: Format = options.format ?? (io.stdout.isTTY ? 'table' : 'csv');
    if (!STREAMED_FORMATS.includes(format) && set.rowCount > MAX_HELD_ROWS) {
      throw new UsageError(
        `${set.rowCount} rows are too many for --format ${format} (at most ${MAX_HELD_ROWS.toLocaleString('en-US')}); use -f csv or -f ndjson, which stream`,
      );
    }
    if (!options.quiet) for (const note of notes) io.stderr.write(`focal: note: ${note}\n`);
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
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`focal: ${error.message}\n`);
      return 2;
    }
    if (io.env.FOCAL_DEBUG === '1') io.stderr.write(`${(error as Error).stack}\n`);
    else
      io.stderr.write(
        `focal: internal error: ${(error as Error).message} (FOCAL_DEBUG=1 shows where)\n`,
      );
    return 1;
  }
}
