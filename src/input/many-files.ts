/**
 * Tallying many prediction files as one input (`--input 'shards/*.csv.gz'`): each file is read
 * into a tally of its own, on worker threads (one per core) when the files are large enough to
 * pay for starting them, and the caller merges the tallies in the order the files were given,
 * with the merge that `--partial` states use (core/tally.ts, LossTally.merge): the result does
 * not depend on which thread finishes first, and equals a read of the files concatenated to a
 * few EPS (bins of `--cdf` exactly).
 *
 * A file that fails stops the run: files after it are not started, files before it finish,
 * and the first failure in the given order is the one reported (the same whatever the timing).
 * With `keepGoing` (--skip-invalid) every file is read and each failure is returned.
 */
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { Readable } from 'node:stream';
import type { Worker } from 'node:worker_threads';
import type { HistogramState } from '../core/loss-histogram.js';
import type { TallyState } from '../core/tally.js';
import { InputError, type MessagePart, ReadError, UsageError } from '../errors.js';
import { WORKER_FILE } from './parallel.js';
import type { ColumnOptions, ReadSummary } from './predictions.js';
import { chunkBytesFor, openInput } from './source.js';
import { tallyPredictions } from './tally-predictions.js';

/**
 * Below this many bytes in all, the files are read one after the other on the main thread: a
 * worker's start (≈ 40 ms with its code) costs more than it saves (bench/README.md, shards).
 */
export const MANY_MIN_BYTES = 4 << 20;

/** What every file is read with. */
export interface FilesJob {
  readonly options: ColumnOptions;
  readonly gammas: readonly number[];
  readonly cdf: boolean;
  /**
   * Every gzip file inflated by the thread that reads it (input/source.ts): set when there is
   * a worker for every core, which leaves Node's thread pool no free core to inflate on.
   */
  readonly inflateHere?: boolean;
}

/** An error as it crosses from a worker: its kind and its message in parts. */
export interface SentError {
  readonly kind: 'InputError' | 'UsageError' | 'ReadError' | 'Error';
  readonly parts: readonly MessagePart[];
}

/** One file's tally, or why it failed. */
export type FileResult =
  | {
      readonly ok: true;
      readonly tally: TallyState;
      readonly histogram: HistogramState | undefined;
      readonly summary: ReadSummary;
    }
  | { readonly ok: false; readonly error: SentError };

export function sendError(error: unknown): SentError {
  if (error instanceof InputError) return { kind: 'InputError', parts: error.parts };
  if (error instanceof UsageError) return { kind: 'UsageError', parts: error.parts };
  const message = error instanceof Error ? error.message : String(error);
  return { kind: error instanceof ReadError ? 'ReadError' : 'Error', parts: [message] };
}

/** The error again, of its kind, on the main thread. */
export function revive(sent: SentError): Error {
  if (sent.kind === 'InputError') return new InputError(sent.parts);
  if (sent.kind === 'UsageError') return new UsageError(sent.parts);
  const message = sent.parts.join('');
  return sent.kind === 'ReadError' ? new ReadError(message) : new Error(message);
}

/** Reads one file (`-`: standard input) into its tally. */
export async function tallyOne(
  path: string,
  job: FilesJob,
  stdin: () => Readable,
): Promise<FileResult> {
  try {
    const work = job.gammas.length * (job.cdf ? 2 : 1);
    const source = await openInput(path, stdin, chunkBytesFor(work), job.inflateHere === true);
    try {
      const tallied = await tallyPredictions(source, job.options, job.gammas, job.cdf);
      return {
        ok: true,
        tally: tallied.tally.state(),
        histogram: tallied.histogram?.state(),
        summary: tallied.summary,
      };
    } finally {
      source.close();
    }
  } catch (error) {
    return { ok: false, error: sendError(error) };
  }
}

/** Whether the files are worth worker threads: two or more, more than one core, enough bytes. */
async function threads(paths: readonly string[]): Promise<number> {
  const files = paths.filter((p) => p !== '-');
  const cores = availableParallelism();
  if (files.length < 2 || cores < 2) return 0;
  let bytes = 0;
  for (const path of files) {
    try {
      const stats = await stat(path);
      bytes += stats.isFile() ? stats.size : MANY_MIN_BYTES; // a pipe: assume it is large
    } catch {} // the read names the problem
    if (bytes >= MANY_MIN_BYTES) return Math.min(cores, files.length);
  }
  return 0;
}

/**
 * Reads every file and hands each one's tally (or failure) to `take`, in the order of `paths`
 * (a result is held only until those before it are taken, so that states with many bins do
 * not pile up). Files after a failure are not read, unless keepGoing.
 */
export async function tallyFiles(
  paths: readonly string[],
  job: FilesJob,
  stdin: () => Readable,
  keepGoing: boolean,
  take: (index: number, result: FileResult) => void,
): Promise<void> {
  const results: (FileResult | undefined)[] = paths.map(() => undefined);
  let taken = 0;
  let failedAt = Number.POSITIVE_INFINITY;
  const record = (index: number, result: FileResult) => {
    results[index] = result;
    if (!result.ok && !keepGoing) failedAt = Math.min(failedAt, index);
    for (let next = results[taken]; next !== undefined; next = results[taken]) {
      results[taken] = undefined;
      take(taken++, next);
    }
  };
  const count = await threads(paths);
  if (count === 0) {
    for (const [index, path] of paths.entries()) {
      if (index > failedAt) break;
      record(index, await tallyOne(path, job, stdin));
    }
    return;
  }
  // Standard input is read here, on the main thread, while the workers read the files.
  const queue = [...paths.keys()].filter((i) => paths[i] !== '-');
  const own = paths.indexOf('-');
  const mine = own < 0 ? Promise.resolve() : tallyOne('-', job, stdin).then((r) => record(own, r));
  const workers: Worker[] = [];
  // Loaded here, not with the module: a run that starts no thread does not pay for it.
  const { Worker } = process.getBuiltinModule('node:worker_threads');
  try {
    const runs = Array.from({ length: count }, () => {
      const worker = new Worker(new URL(WORKER_FILE, import.meta.url), {
        workerData: { files: { ...job, inflateHere: count >= availableParallelism() } },
      });
      workers.push(worker);
      return new Promise<void>((resolve, reject) => {
        let current = -1;
        const next = () => {
          const index = queue.shift();
          if (index === undefined || index > failedAt) {
            current = -1;
            resolve();
            return;
          }
          current = index;
          worker.postMessage({ index, path: paths[index] });
        };
        worker.on('message', (message: { index: number; result: FileResult }) => {
          current = -1;
          record(message.index, message.result);
          next();
        });
        worker.once('error', (error) => reject(error));
        worker.once('exit', (code) => {
          if (current >= 0) {
            reject(new Error(`a worker thread stopped (exit ${code}) reading ${paths[current]}`));
          }
        });
        next();
      });
    });
    await Promise.all([...runs, mine]);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
