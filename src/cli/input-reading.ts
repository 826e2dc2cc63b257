/** Opening and reporting on a prediction file, for the commands' `--input` paths. */
import { renderMessage, showValue, UsageError } from '../errors.js';
import type { Column, Row } from '../format/formats.js';
import type { ColumnOptions, ReadSummary } from '../input/predictions.js';
import { chunkBytesFor, type InputSource, openInput } from '../input/source.js';
import type { CommandContext } from './command.js';
import type { Options } from './options.js';
import { showProgress } from './progress.js';
import { flagOf } from './setting-flag.js';

/** The options that say how to read a prediction file. */
export type InputOptions = Options<
  | 'scoreCol'
  | 'scoreKind'
  | 'labelCol'
  | 'weightCol'
  | 'ignoreLabel'
  | 'skipInvalid'
  | 'inputHeader'
  | 'columns'
  | 'delimiter'
  | 'posLabel'
  | 'labels'
  | 'weights'
  | 'scoreArray'
  | 'labelArray'
> &
  Partial<Options<'keepCol'>> & { readonly labelSmoothing?: number };

export function columnOptions(o: InputOptions): ColumnOptions {
  return {
    scoreCol: o.scoreCol,
    scoreKind: o.scoreKind,
    labelCol: o.labelCol,
    weightCol: o.weightCol,
    ignoreLabels: o.ignoreLabel ? [...o.ignoreLabel] : [],
    skipInvalid: o.skipInvalid,
    // --columns names the columns of a file without a header (pandas' names= without header=).
    header: o.inputHeader && o.columns === undefined,
    names: o.columns,
    delimiter: o.delimiter,
    keepCols: o.keepCol,
    posLabel: o.posLabel,
    labelSmoothing: o.labelSmoothing,
    labels: o.labels,
    weights: o.weights,
    scoreArray: o.scoreArray,
    labelArray: o.labelArray,
  };
}

/**
 * Opens the input, with a progress bar while it is read when a terminal is free for one.
 * `work` is what a row costs, in sums (one per γ, two with --cdf): the bytes are handed over
 * in smaller pieces when it is large (see chunkBytesFor), so that a signal is handled soon.
 */
export async function openPredictions(
  path: string,
  context: CommandContext,
  work = 1,
): Promise<{ source: InputSource; done: () => void }> {
  const source = await openInput(path, context.stdin, chunkBytesFor(work));
  const done = context.progress ? showProgress(source, context.progress) : () => {};
  return { source, done };
}

/**
 * The rows of a streamed read, batch by batch: each batch is `take()`, the rows of what the
 * reader handed over since the last one; at the end the read's summary becomes notes. Rows
 * read before a bad one are still written (the contract), then the error. When the writer
 * stops early (too many rows for a held format) the reader is left suspended: the file is
 * closed then rather than at garbage collection (Node warns then).
 */
export async function* streamedBatches<S extends Parameters<typeof noteSummary>[0]>(
  first: IteratorResult<void, S>,
  chunks: AsyncGenerator<void, S>,
  take: () => Iterable<Row>,
  source: InputSource,
  context: CommandContext,
  done: () => void,
): AsyncGenerator<Iterable<Row>> {
  let next = first;
  try {
    while (!next.done) {
      yield take();
      next = await chunks.next();
    }
    yield take();
    noteSummary(next.value, source.name, context);
  } catch (error) {
    yield take();
    throw error;
  } finally {
    done();
    source.close();
  }
}

/**
 * The first step of a streamed read (the header and the first rows): on an error, the progress
 * display is closed before the error goes up (`done`); afterwards streamedBatches closes it.
 */
export async function firstStep<S>(
  chunks: AsyncGenerator<void, S>,
  done: () => void,
): Promise<IteratorResult<void, S>> {
  try {
    return await chunks.next();
  } catch (error) {
    done();
    throw error;
  }
}

/**
 * A `--keep-col` column named as one of the output's own columns (`lead`): refused, with the
 * file closed first (`close`: the progress display and the source).
 */
export function refuseKeptClash(
  kept: readonly string[],
  lead: readonly Column[],
  close: () => void,
): void {
  const clash = kept.find((name) => lead.some((c) => c.name === name));
  if (clash === undefined) return;
  close();
  throw new UsageError(
    `--keep-col: ${showValue(clash)} is a column of the output already; rename it in the file`,
  );
}

/** Notes on what was read: rows skipped on purpose or for being malformed, or none at all. */
export function noteSummary(
  summary: Pick<ReadSummary, 'rows' | 'ignored' | 'invalid' | 'firstInvalid'> &
    Partial<Pick<ReadSummary, 'notes'>>,
  source: string,
  context: CommandContext,
): void {
  if (summary.ignored > 0) {
    context.note(
      `skipped ${summary.ignored} row${plural(summary.ignored)} with an ignored label (--ignore-label)`,
    );
  }
  if (summary.invalid > 0) {
    context.note(
      `skipped ${summary.invalid} malformed row${plural(summary.invalid)} (--skip-invalid); ` +
        `the first: ${source}:${renderMessage(summary.firstInvalid ?? [], flagOf)}`,
    );
  }
  if (summary.rows === 0) context.note(`${source} has no rows to analyse`);
  for (const note of summary.notes ?? []) context.note(renderMessage(note, flagOf));
}

function plural(n: number): string {
  return n === 1 ? '' : 's';
}
