/**
 * Long outputs of columns on two cores (issue 17, item 4): this thread computes the rows into
 * slabs (one Float64Array a column, SLAB_ROWS rows, in one ArrayBuffer) and a worker thread
 * (row-worker.ts) formats some of them into bytes while this thread formats the others, so
 * that both cores write digits. A slab is transferred to the worker and back, not copied, and
 * reused (SLABS in all); the bytes come back transferred too, and go to the sink in the order
 * of the rows, whoever formatted them. At most WAITING outputs wait for their turn, and the
 * sink's promise stops this thread as it does in one thread (back-pressure): memory stays flat.
 * Every output handed over is whole rows, so a signal still stops the output at a row's end
 * (src/launch.ts ends the process, and with it the worker, by the signal itself).
 *
 * Started only where it pays: two cores or more, an output past THREAD_MIN_ROWS rows (a worker
 * costs about 80 ms of CPU to start), and while the process takes less than THREAD_MAX_RSS,
 * or whatever it takes for a command whose memory is known to leave room (ColumnBatch.workerFits:
 * `loss --input`, a decision by the command and the row, not by a measure that varies);
 * FOCAL_FORMAT_THREADS=1 keeps one thread (=2: two from the first slab, for the tests).
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { ColumnBatch, ColumnKind } from './formats.js';

/** Set by the bundler (scripts/bundle.mjs) to the bundled worker's name. */
declare const __FOCAL_ROW_WORKER__: string | undefined;
const ROW_WORKER_FILE =
  typeof __FOCAL_ROW_WORKER__ === 'string' ? __FOCAL_ROW_WORKER__ : './row-worker.js';

/**
 * How rows of columns are written: plain data, which the worker thread that formats them on the
 * second core is given as well. csv and tsv: `separator` and `header` (written
 * before the first row, '' for none); ndjson: the column `names` as keys.
 */
export interface ColumnFormat {
  readonly ndjson: boolean;
  readonly separator: number;
  readonly header: string;
  readonly names: readonly string[];
  readonly kinds: readonly ColumnKind[];
  readonly digits: number | undefined;
}

/** Rows a slab holds. */
export const SLAB_ROWS = 1024;
/** Outputs of at least this many rows go on in two threads. */
const THREAD_MIN_ROWS = 32_768;
/**
 * The worker is started only while the process takes less than this (its thread adds 10–19
 * MiB: an isolate, Node's bootstrap in it, the code it touches): peak RSS stays within the 100
 * MiB of the Reliability table (bench/README.md, "The second core"). Measured where it is
 * asked (row 32,768, 2026-12-01): `weight`'s range 51–54 MiB on Node 20 (which then peaks at
 * 66–69), 56.5 on 22, 61 on 24. `loss --input` (64–75 MiB there) takes the worker whatever
 * its memory (workerFits) since its examples are kept in reused Float64Arrays and digits no
 * longer make garbage: flat after that point, peak 78–79 MiB on Node 20, 86–89 on 22, 93–98
 * on 24 (bench/README.md, 2026-12-01, "loss --input on two threads").
 */
const THREAD_MAX_RSS = 56 << 20;
/** Slabs with the worker at once: one it formats, one waiting (it never waits for this thread). */
const IN_WORKER = 2;
/** Slabs in all. */
const SLABS = IN_WORKER + 1;
/** Outputs formatted and waiting for an earlier one (the worker's) to be handed to the sink. */
const WAITING = 4;

/**
 * What the worker is sent: a slab of `rows` rows, `first` when they begin the output, and a
 * buffer to write them into (of slabBytes).
 */
export interface SlabJob {
  readonly slab: ArrayBuffer;
  readonly out: ArrayBuffer;
  readonly rows: number;
  readonly first: boolean;
}

/** What it sends back: the bytes (`length` of them) and the slab. */
export interface SlabDone {
  readonly bytes: ArrayBuffer;
  readonly length: number;
  readonly slab: ArrayBuffer;
}

/** What the worker is started with. */
export interface RowWorkerData {
  readonly format: ColumnFormat;
}

/** A slab's columns: views of its buffer, SLAB_ROWS values each. */
export function slabColumns(slab: ArrayBuffer, width: number): Float64Array[] {
  return Array.from(
    { length: width },
    (_, i) => new Float64Array(slab, 8 * i * SLAB_ROWS, SLAB_ROWS),
  );
}

/**
 * What the two threads need of the byte writer (row-bytes.ts, which imports this file, not the
 * other way round): a slab formatter, the size of a slab's buffer, and the sink.
 */
export interface SlabWriter {
  /** A slab's rows formatted into `out` (row-bytes.ts, formatSlab). */
  format(columns: readonly Float64Array[], rows: number, first: boolean, out: ArrayBuffer): Buffer;
  /** The most bytes a slab's rows take. */
  readonly bufferBytes: number;
  /** Hands bytes to the sink (waits as it asks). */
  hand(bytes: Buffer): Promise<void>;
  /** Whether the sink is done with bytes once `hand` resolves (Sink.releasesBytes). */
  readonly releasesBytes: boolean;
}

/** The rows after which an output of columns goes on in two threads. */
export function threadMinRows(): number {
  const asked = process.env.FOCAL_FORMAT_THREADS;
  // '1' is refused by startThreads, at once: the tests see the path of a refusal.
  if (asked === '1' || asked === '2') return 0;
  return availableParallelism() < 2 ? Number.POSITIVE_INFINITY : THREAD_MIN_ROWS;
}

/** FOCAL_FORMAT_THREADS=2 (tests): the worker is started whatever the memory, and waited for. */
function forced(): boolean {
  return process.env.FOCAL_FORMAT_THREADS === '2';
}

/**
 * The two threads for `format`, or false when the worker cannot be made. `fits`: the command
 * is known to leave room for the worker (ColumnBatch.workerFits), whatever the memory now.
 */
export function startThreads(
  format: ColumnFormat,
  slabs: SlabWriter,
  fits = false,
): RowThreads | false {
  if (process.env.FOCAL_FORMAT_THREADS === '1') return false;
  // The worker's thread costs 16–20 MiB: only where the 100 MiB promise leaves room for it.
  if (!forced() && !fits && process.memoryUsage.rss() > THREAD_MAX_RSS) return false;
  try {
    return new RowThreads(format, slabs);
  } catch {
    return false;
  }
}

/** An output in the order of the rows: its bytes, once formatted. */
interface Output {
  bytes: Buffer | undefined;
}

export class RowThreads {
  private readonly worker: Worker;
  /** Posted to only once it runs: until then this thread formats every slab. */
  private online = false;
  private failure: Error | undefined;
  private readonly width: number;
  /** The outputs not yet handed to the sink, in order. */
  private readonly outputs: Output[] = [];
  /** Those of them the worker is formatting, in order. */
  private readonly withWorker: Output[] = [];
  private readonly free: ArrayBuffer[] = [];
  /** Buffers for the bytes, reused when the sink is done with them (releasesBytes). */
  private readonly buffers: ArrayBuffer[] = [];
  /** Called when the worker sends an output back, runs, or fails. */
  private wake: (() => void) | undefined;
  /** Whether the worker must be waited for before the first slab (forced). */
  private waitOnline: boolean;

  constructor(
    format: ColumnFormat,
    private readonly slabs: SlabWriter,
  ) {
    this.width = format.names.length;
    for (let i = 0; i < SLABS; i++) this.free.push(new ArrayBuffer(8 * this.width * SLAB_ROWS));
    // Loaded here, not with the module: rows formatted on one thread do not pay for it.
    const { Worker } = process.getBuiltinModule('node:worker_threads');
    this.worker = new Worker(new URL(ROW_WORKER_FILE, import.meta.url), {
      workerData: { format } satisfies RowWorkerData,
      // Its heap holds a slab's views and a chunk: a small young generation keeps memory flat.
      // Its old generation's limit is not small: at 8 MiB its start limit was reached during
      // the run, and a background compile job that then allocated asked Node's platform for the
      // thread's isolate while Node was ending it (Node 20 unregisters an ending thread's
      // isolate before disposing of it): `NodePlatform::ForIsolate`'s assertion aborted the
      // process, 12 of 266 two-thread runs on a loaded machine; at 64 MiB none of 290, and the
      // 10,000,001-row csv peaks the same (bench/README.md, "A Node 20 abort").
      resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 },
      stdout: false,
      stderr: false,
    });
    // Only while it holds slabs does the worker keep the process alive (see write).
    this.worker.unref();
    this.waitOnline = forced();
    this.worker.on('online', () => {
      this.online = true;
      this.wake?.();
    });
    this.worker.on('message', (done: SlabDone) => {
      const output = this.withWorker.shift();
      if (output !== undefined) output.bytes = Buffer.from(done.bytes, 0, done.length);
      this.free.push(done.slab);
      if (this.withWorker.length === 0) this.worker.unref();
      this.wake?.();
    });
    // Failing before it ran, it was given nothing: this thread goes on alone.
    const failed = (error: Error) => {
      this.failure ??= error;
      this.wake?.();
    };
    this.worker.on('error', failed);
    this.worker.on('exit', () => failed(new Error('the formatting thread stopped')));
  }

  /**
   * Every row left in `batch`, `count` rows written before it; returns the count after. Outputs
   * may still be waiting for their turn (drain).
   */
  async write(batch: ColumnBatch, count: number): Promise<number> {
    let written = count;
    if (this.waitOnline) {
      this.waitOnline = false;
      this.worker.ref();
      while (!this.online && this.failure === undefined) await this.woken();
      this.worker.unref();
    }
    for (;;) {
      const slab = this.free.pop() as ArrayBuffer;
      const columns = slabColumns(slab, this.width);
      const rows = batch.fillColumns(columns);
      if (rows === 0) {
        this.free.push(slab);
        return written;
      }
      const first = written === 0;
      written += rows;
      if (this.online && this.failure === undefined && this.withWorker.length < IN_WORKER) {
        const output: Output = { bytes: undefined };
        this.outputs.push(output);
        this.withWorker.push(output);
        if (this.withWorker.length === 1) this.worker.ref();
        const out = this.buffer();
        this.worker.postMessage({ slab, out, rows, first } satisfies SlabJob, [slab, out]);
      } else {
        this.outputs.push({ bytes: this.slabs.format(columns, rows, first, this.buffer()) });
        this.free.push(slab);
      }
      await this.handReady(WAITING);
      // A turn of the event loop, to take in what the worker sent back (and a signal).
      if (this.withWorker.length > 0 || !this.online) await turn();
    }
  }

  /** Hands every output to the sink, in order, once formatted. */
  drain(): Promise<void> {
    return this.handReady(0);
  }

  /** Stops the worker (the output is complete, or failed). */
  close(): void {
    this.worker.removeAllListeners('exit');
    void this.worker.terminate();
  }

  /**
   * Hands the outputs that are formatted to the sink, in order; waits for the worker while more
   * than `waiting` outputs are left.
   */
  private async handReady(waiting: number): Promise<void> {
    while (this.outputs.length > 0) {
      const head = this.outputs[0] as Output;
      if (head.bytes === undefined) {
        if (this.failure !== undefined) throw this.failure;
        if (this.outputs.length <= waiting) return;
        await this.woken();
        continue;
      }
      this.outputs.shift();
      await this.slabs.hand(head.bytes);
      if (this.slabs.releasesBytes && this.buffers.length < WAITING + SLABS)
        this.buffers.push(head.bytes.buffer as ArrayBuffer);
    }
  }

  /** Waits for a word from the worker. */
  private async woken(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.wake = resolve;
    });
    this.wake = undefined;
  }

  /** A buffer for a slab's bytes: one the sink is done with, or a new one. */
  private buffer(): ArrayBuffer {
    return this.buffers.pop() ?? new ArrayBuffer(this.slabs.bufferBytes);
  }
}

/** A turn of the event loop. */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
