/**
 * Tallying a large prediction file on two cores: the main thread reads the first part of the
 * file while a worker thread reads the rest, and the two tallies are merged in file order (so
 * the result does not depend on which thread finishes first).
 *
 * Only for the common, simple case: a regular, uncompressed file of at least
 * PARALLEL_MIN_BYTES whose data has no quote character (so that every line is a record and the
 * split can be made at a line end). Anything unusual in either part (a quote, a malformed or
 * invalid row, a worker that fails) abandons the attempt, and the caller reads the file again
 * in one thread, which reports errors with their line numbers and applies --skip-invalid.
 *
 * A Parquet file of at least PARQUET_MIN_BYTES and two row groups or more is split between its
 * row groups instead: the first ones here, the rest in the worker (each reads its own with
 * parquet-wasm, input/parquet.ts), on the same terms.
 */
import { type FileHandle, open, stat } from 'node:fs/promises';
import type { Worker } from 'node:worker_threads';
import type { HistogramState } from '../core/loss-histogram.js';
import type { TallyState } from '../core/tally.js';
import { InputError } from '../errors.js';
import { type ColumnOptions, isBinary } from './predictions.js';
import { chunkBytesFor, type InputSource, READ_CHUNK } from './source.js';
import { type Tallied, tallyPredictions } from './tally-predictions.js';

/** Set by the bundler (scripts/bundle.mjs) to the bundled worker's name. */
declare const __FOCAL_WORKER__: string | undefined;
/** The worker's file, next to this module (tsc's output) or to the bundle. */
export const WORKER_FILE =
  typeof __FOCAL_WORKER__ === 'string' ? __FOCAL_WORKER__ : './tally-worker.js';

/** Below this a second thread costs more (its start, ≈ 30 ms) than it saves. */
export const PARALLEL_MIN_BYTES = 8 << 20;
/**
 * A .npy file of scores (with --labels FILE.npy) of at least this many elements is split by
 * elements, not lines (2^21: about 0.15 s of tallying five γ, against a thread's start of
 * about 40 ms; bench/README.md, "`.npy` input").
 */
export const NPY_PARALLEL_MIN_ELEMENTS = 1 << 21;
/** The main thread's part: a little more than half, as the worker starts later. */
const MAIN_SHARE = 0.55;
/**
 * A .npy file's part for the main thread: half, and the elements it tallies while the worker
 * starts (about 2^21: 0.1 to 0.2 s); at most MAIN_SHARE. At 10⁸ elements 55% left the main
 * thread 1.2 times the worker's work (2026-12-01, bench/README.md): 51% now.
 */
export function npyMainShare(length: number): number {
  return Math.min(MAIN_SHARE, 0.5 + NPY_WORKER_START / Math.max(1, 2 * length));
}
const NPY_WORKER_START = 1 << 21;
/**
 * Below this a Parquet file is read in one thread: the worker's start and its own compiling of
 * parquet-wasm's WebAssembly (≈ 0.3 s of CPU time) cost more than the rows it takes save; 64 MiB
 * is about 8M rows of a float64 and an int8 column (bench/README.md, "Parquet input",
 * 2026-11-30: 4M rows were slower on two threads, 10M faster).
 */
export const PARQUET_MIN_BYTES = 64 << 20;
/** The main thread's part of a Parquet file's rows (the worker compiles the WebAssembly first). */
const PARQUET_MAIN_SHARE = 0.55;
/** A Parquet file's first bytes. */
const PAR1 = new Uint8Array([0x50, 0x41, 0x52, 0x31]);
const QUOTE = 34;
const LF = 10;

/** A quote in the data: lines may not be records, so the file is read in one thread. */
class QuotedData extends Error {}

/** What the worker thread is given. */
export interface RangeJob {
  readonly path: string;
  readonly header: Uint8Array;
  readonly from: number;
  readonly to: number;
  readonly options: ColumnOptions;
  readonly gammas: readonly number[];
  readonly cdf: boolean;
  /** A .npy file of scores: from and to are element indices; an element's size in bytes. */
  readonly npy?: { readonly itemBytes: number };
  /** A Parquet file's row groups [from, to) (`from` and `to` are then the file's 0 and size). */
  readonly rowGroups?: readonly [from: number, to: number];
}

/** What it sends back. */
export type RangeResult =
  | {
      readonly ok: true;
      readonly tally: TallyState;
      readonly histogram: HistogramState | undefined;
      readonly rows: number;
      readonly ignored: number;
      /** Whether its summary has notes (a .npy file's: every score in [0, 1]). */
      readonly noted?: boolean;
    }
  | { readonly ok: false };

/** The header line, then bytes [from, to) of the file: a prediction file of its own. */
export function rangeSource(
  path: string,
  handle: FileHandle,
  header: Uint8Array,
  from: number,
  to: number,
  chunkBytes = READ_CHUNK,
): InputSource {
  let bytesRead = 0;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    yield header;
    const buffer = new Uint8Array(chunkBytes);
    let position = from;
    while (position < to) {
      const length = Math.min(buffer.length, to - position);
      const { bytesRead: n } = await handle.read(buffer, 0, length, position);
      if (n === 0) return;
      const chunk = buffer.subarray(0, n);
      if (chunk.includes(QUOTE)) throw new QuotedData();
      position += n;
      bytesRead += n;
      yield chunk;
    }
  }
  return {
    name: path,
    size: to - from,
    get bytesRead() {
      return bytesRead;
    },
    chunks,
    close: () => {}, // the handle belongs to the caller
  };
}

/** A Parquet file as a source: its magic tells the reader (input/parquet.ts opens the file). */
function parquetSource(path: string, size: number): InputSource {
  return {
    name: path,
    size,
    bytesRead: 0,
    async *chunks() {
      yield PAR1;
    },
    close: () => {},
  };
}

/** Reads a range into a tally; undefined when the range is not simple (see above). */
export async function tallyRange(
  job: RangeJob,
  handle: FileHandle,
  watch?: (source: InputSource) => () => void,
): Promise<Tallied | undefined> {
  // Costly rows (many γ) in smaller chunks: the main thread's share must let signals through.
  const work = job.gammas.length * (job.cdf ? 2 : 1);
  const npySource = job.npy && npyRangeSource(job.path, (job.to - job.from) * job.npy.itemBytes);
  const source =
    npySource ||
    (job.rowGroups === undefined
      ? rangeSource(job.path, handle, job.header, job.from, job.to, chunkBytesFor(work))
      : parquetSource(job.path, job.to));
  const stop = watch?.(source) ?? (() => {});
  try {
    // Strict: a bad row ends the attempt, and the one-thread read reports it properly.
    return await tallyPredictions(
      source,
      { ...job.options, skipInvalid: false, rowGroups: job.rowGroups },
      job.gammas,
      job.cdf,
      job.npy
        ? async (_, options, handlerFor) => {
            // Elements [from, to) of the scores and of --labels (and --weights): npy.ts.
            const { streamNpyRange } = await import('./npy.js');
            const part = streamNpyRange(job.path, options, handlerFor, job.from, job.to, (n) => {
              if (npySource) npySource.bytesRead += n;
            });
            for (;;) {
              const next = await part.next();
              if (next.done) return next.value;
            }
          }
        : undefined,
    );
  } catch (error) {
    if (error instanceof QuotedData || error instanceof InputError) return undefined;
    throw error;
  } finally {
    stop();
  }
}

/** A part of a .npy file as an input to show progress of: `size` bytes of scores. */
function npyRangeSource(path: string, size: number): InputSource & { bytesRead: number } {
  return {
    name: path,
    size,
    bytesRead: 0,
    async *chunks() {},
    close: () => {},
  };
}

/**
 * The elements and element size of a .npy file of scores read with --labels, when it is long
 * enough to split (NPY_PARALLEL_MIN_ELEMENTS); else undefined.
 */
async function npyPlan(
  handle: FileHandle,
  path: string,
  options: ColumnOptions,
): Promise<{ length: number; itemBytes: number } | undefined> {
  // Standard input (`-`) is read once, by the one-thread read.
  if (options.labels === undefined || options.labels === '-' || options.weights === '-') {
    return undefined;
  }
  if (options.labelsOnly) return undefined;
  const head = new Uint8Array(1 << 16);
  const { bytesRead } = await handle.read(head, 0, head.length, 0);
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytesRead < 12 || !magic.every((b, i) => head[i] === b)) return undefined;
  const v1 = head[6] === 1;
  const length = v1 ? (head[8] as number) | ((head[9] as number) << 8) : 0;
  if (!v1 || 10 + length > bytesRead) return undefined; // versions 2 and 3: one thread
  const { parseHeaderText } = await import('./npy.js');
  try {
    const text = new TextDecoder('latin1').decode(head.subarray(10, 10 + length));
    // One element per example: a 1-D array or one column (not a wide array of rows).
    const shape = /['"]shape['"]\s*:\s*\(\s*\d+\s*(?:,\s*(?:1\s*)?)?\)/.test(text);
    const header = parseHeaderText(text, path, 'scores');
    if (!shape) return undefined;
    if (header.length < NPY_PARALLEL_MIN_ELEMENTS) return undefined;
    return { length: header.length, itemBytes: header.dtype.size };
  } catch {
    return undefined; // the one-thread read says what is wrong
  }
}

/** Where to split: the header's end and a line end near MAIN_SHARE of the data. */
async function splitPoints(
  handle: FileHandle,
  size: number,
): Promise<{ header: Uint8Array; split: number } | undefined> {
  const head = new Uint8Array(1 << 16);
  const { bytesRead } = await handle.read(head, 0, head.length, 0);
  if (head[0] === 0x1f && head[1] === 0x8b) return undefined; // gzip: one stream
  if (isBinary(head.subarray(0, bytesRead))) return undefined; // .npy, .npz: not lines
  const lf = head.subarray(0, bytesRead).indexOf(LF);
  if (lf < 0) return undefined;
  const headerEnd = lf + 1;
  const middle = headerEnd + Math.floor((size - headerEnd) * MAIN_SHARE);
  const window = new Uint8Array(1 << 16);
  const { bytesRead: n } = await handle.read(window, 0, window.length, middle);
  const at = window.subarray(0, n).indexOf(LF);
  if (at < 0 || middle + at + 1 >= size) return undefined;
  return { header: head.slice(0, headerEnd), split: middle + at + 1 };
}

/**
 * Where to split a Parquet file's row groups: [0, split) here, [split, count) in the worker;
 * undefined for a file of one row group (or whose footer cannot be read here).
 */
async function parquetSplit(
  handle: FileHandle,
  path: string,
  size: number,
): Promise<{ split: number; count: number } | undefined> {
  const { rowGroupSizes } = await import('./parquet.js');
  const sizes = await rowGroupSizes(handle, size, path);
  if (sizes === undefined || sizes.length < 2) return undefined;
  const total = sizes.reduce((a, b) => a + b, 0);
  let split = 0;
  for (let rows = 0; split < sizes.length - 1 && rows < total * PARQUET_MAIN_SHARE; split++) {
    rows += sizes[split] as number;
  }
  return { split: Math.max(1, split), count: sizes.length };
}

/**
 * Tallies `path` on two threads, or returns undefined when the file is not a candidate or the
 * attempt is abandoned (the caller then reads it in one thread). `parquetMinBytes`: for tests.
 */
export async function tallyInParallel(
  path: string,
  options: ColumnOptions,
  gammas: readonly number[],
  cdf: boolean,
  watch?: (source: InputSource) => () => void,
  parquetMinBytes = PARQUET_MIN_BYTES,
): Promise<Tallied | undefined> {
  // stat before open: opening a named pipe here would take its data from the one-thread read.
  let handle: FileHandle;
  try {
    const stats = await stat(path);
    if (!stats.isFile() || stats.size < Math.min(PARALLEL_MIN_BYTES, parquetMinBytes)) {
      return undefined;
    }
    handle = await open(path, 'r');
  } catch {
    return undefined; // the one-thread read names the problem
  }
  let worker: Worker | undefined;
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return undefined;
    const magic = new Uint8Array(4);
    await handle.read(magic, 0, 4, 0);
    if (magic.every((byte, i) => byte === PAR1[i])) {
      if (stats.size < parquetMinBytes) return undefined;
      // The worker starts (and compiles parquet-wasm) while this thread reads the footer; it is
      // sent its row groups then.
      worker = startWorker({ parquet: true });
      const theirs = resultOf(worker);
      const parts = await parquetSplit(handle, path, stats.size);
      if (parts === undefined) return undefined;
      const job = { path, header: magic, from: 0, to: stats.size, options, gammas, cdf };
      worker.postMessage({ ...job, rowGroups: [parts.split, parts.count] } satisfies RangeJob);
      return await merged(
        tallyRange({ ...job, rowGroups: [0, parts.split] }, handle, watch),
        theirs,
      );
    }
    if (stats.size < PARALLEL_MIN_BYTES) return undefined;
    const lines = await splitPoints(handle, stats.size);
    const npy = lines === undefined ? await npyPlan(handle, path, options) : undefined;
    // A .npy file: split by elements, npyMainShare of them to this thread (the worker's part
    // ends at the last element, its start at the split; `header` is unused).
    const points =
      lines ??
      (npy && {
        header: new Uint8Array(0),
        split: Math.floor(npy.length * npyMainShare(npy.length)),
      });
    if (points === undefined) return undefined;
    // A headerless file: its first line gives each range its columns, and is a row of the first.
    const headerless = options.header === false && npy === undefined;
    const rangeOptions = headerless ? { ...options, firstLineTemplate: true } : options;
    const job = {
      path,
      header: points.header,
      options: rangeOptions,
      gammas,
      cdf,
      ...(npy && { npy: { itemBytes: npy.itemBytes } }),
    };
    worker = startWorker({ ...job, from: points.split, to: npy?.length ?? stats.size });
    const theirs = resultOf(worker);
    const headerEnd = headerless || npy ? 0 : points.header.length;
    const size = stats.size;
    // Progress of the whole file, estimated from the main thread's part (the worker's part
    // takes about as long).
    const wholeFile = watch
      ? (part: InputSource) =>
          watch({
            ...part,
            size,
            get bytesRead() {
              return Math.round((part.bytesRead / Math.max(1, part.size ?? 1)) * size);
            },
          })
      : undefined;
    // A .npy file's note holds for the whole file only where it holds for both parts.
    const noted = theirs.then((result) => result.ok && result.noted === true);
    const whole = await merged(
      tallyRange({ ...job, from: headerEnd, to: points.split }, handle, wholeFile),
      theirs,
    );
    return whole && npy && !(await noted)
      ? { ...whole, summary: { ...whole.summary, notes: undefined } }
      : whole;
  } finally {
    await worker?.terminate();
    await handle.close();
  }
}

/**
 * The worker thread, reading `job` (or told its row groups later). Node's worker_threads is
 * loaded with it: the module loads Node's streams and messaging, ~7 million instructions that
 * a run on one thread would pay at its start for nothing (bench/README.md, issue 19).
 */
function startWorker(job: RangeJob | { parquet: true }): Worker {
  const { Worker } = process.getBuiltinModule('node:worker_threads');
  return new Worker(new URL(WORKER_FILE, import.meta.url), { workerData: job });
}

/** What the worker sends back; not ok when it fails or ends without a word. */
function resultOf(worker: Worker): Promise<RangeResult> {
  return new Promise<RangeResult>((resolve) => {
    worker.once('message', resolve);
    worker.once('error', () => resolve({ ok: false }));
    worker.once('exit', () => resolve({ ok: false }));
  });
}

/**
 * The first part's tally with the second's merged into it (in this order, whichever thread
 * finished first); undefined when either part was abandoned.
 */
async function merged(
  first: Promise<Tallied | undefined>,
  second: Promise<RangeResult>,
): Promise<Tallied | undefined> {
  const mine = await first;
  if (mine === undefined) return undefined;
  const result = await second;
  if (!result.ok) return undefined;
  mine.tally.merge(result.tally);
  if (result.histogram) mine.histogram?.merge(result.histogram);
  const { summary } = mine;
  return {
    ...mine,
    summary: {
      ...summary,
      rows: summary.rows + result.rows,
      ignored: summary.ignored + result.ignored,
    },
  };
}
