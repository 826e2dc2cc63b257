/**
 * Where prediction bytes come from: a file or standard input (`-`), decompressed on the fly when
 * they start with gzip's magic bytes (whatever the file is called).
 */
import { constants, createReadStream, fstatSync, openSync, type Stats } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { Gunzip } from 'node:zlib';
import { InputError, ReadError, setting } from '../errors.js';
import { now } from '../format/breathe.js';

// Node's net, tty and zlib modules are loaded when an input needs them (a pipe, a terminal,
// gzip data), not with this module: each loads Node's streams, and together they were ~25
// million instructions of every `--input` run's start, a third of a bare Node start
// (bench/README.md, issue 19). `process.getBuiltinModule`, not `require`: this is an ES module.
const zlib = () => process.getBuiltinModule('node:zlib');

/** Bytes of one input, as they arrive. */
export interface InputSource {
  /** How messages name it: the path as given, or `stdin`. */
  readonly name: string;
  /** The size in bytes of a regular file (compressed size for gzip); undefined for a pipe. */
  readonly size: number | undefined;
  /** Bytes read so far from the file or pipe (before decompression). */
  readonly bytesRead: number;
  /** The decompressed bytes, chunk by chunk. */
  chunks(): AsyncIterable<Uint8Array>;
  /** Stops reading and closes the file or pipe. */
  close(): void;
  /**
   * Standard input when this source is not it (a file named by --input): what `--labels -`
   * reads (input/npy.ts). Undefined when the source is standard input.
   */
  readonly stdin?: () => Readable;
  /**
   * For a reader that reads the file by a handle of its own, at offsets (a .npz's members, a
   * Fortran-order array's columns): how many bytes it has read, which bytesRead (and so the
   * progress bar) then reports.
   */
  readElsewhere?(bytes: () => number): void;
}

/** Bytes read at a time from a file. */
export const READ_CHUNK = 1 << 20;

/**
 * Bytes to hand over at a time when each row costs `work` sums (one per γ, two with --cdf):
 * smaller pieces for costly rows, so that the synchronous work between two turns of the event
 * loop (where a signal is handled) stays near 25 ms. From 256 bytes to 1 MiB.
 */
export function chunkBytesFor(work: number): number {
  // Measured: a row of --cdf with 2,000 γ (work 4,000) takes about 0.7 ms, so 2 MiB / work
  // bytes (about 12 bytes a row) take about 25 ms.
  const bytes = 2 ** Math.floor(Math.log2((2 * READ_CHUNK) / (1 + Math.max(0, work))));
  return Math.min(READ_CHUNK, Math.max(1 << 8, bytes));
}

/** Synchronous work between two turns of the event loop: at most about this long. */
const TURN_MS = 20;

/** The smallest piece: about a row. */
const MIN_PIECE = 16;

/**
 * The chunks cut into pieces of at most `pieceBytes`, with a turn of the event loop whenever
 * the consumer's work since the last one has taken TURN_MS. A stream that is always ahead
 * (a fast pipe, gzip) hands its chunks over in microtasks only, so without these turns a
 * signal would wait for the whole input.
 *
 * The first piece is `pieceBytes` (a small input is validated whole before any output, as
 * `loss --input` promises); after it, a piece that kept the consumer longer than TURN_MS halves
 * the pieces (down to MIN_PIECE, about a row), and pieces done in under a quarter of TURN_MS
 * double them again, up to `pieceBytes`. The cost of a row is not known in advance: the
 * scaled arithmetic of large γ (past the doubles' range) makes a row of `--cdf` with 2,000 γ
 * cost tens of times chunkBytesFor's estimate (measured 2026-11-30 at load 7: the event loop
 * then waited 200 to 450 ms between turns; adapted, under 90 ms).
 */
async function* paced(
  chunks: AsyncIterable<Uint8Array>,
  pieceBytes: number,
): AsyncGenerator<Uint8Array> {
  let size = pieceBytes;
  let last = now();
  for await (const chunk of chunks) {
    for (let start = 0; start < chunk.length; ) {
      const end = Math.min(chunk.length, start + size);
      const before = now();
      yield start === 0 && end === chunk.length ? chunk : chunk.subarray(start, end);
      const after = now();
      if (after - before > TURN_MS) size = Math.max(MIN_PIECE, size >> 1);
      else if (after - before < TURN_MS / 4 && size < pieceBytes)
        size = Math.min(pieceBytes, size * 2);
      start = end;
      if (after - last >= TURN_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        last = now();
      }
    }
  }
}

function openError(path: string, error: NodeJS.ErrnoException): InputError {
  const reason =
    error.code === 'ENOENT'
      ? 'no such file'
      : error.code === 'EACCES' || error.code === 'EPERM'
        ? 'permission denied'
        : error.code === 'EISDIR'
          ? 'is a directory, not a file'
          : (error.message ?? String(error));
  return new InputError([setting('input'), `: ${path}: ${reason}`]);
}

/**
 * Opens `path` (`-` for `stdin`), handing its bytes over `chunkBytes` at a time at most
 * (fewer when each row costs much: see chunkBytesFor and paced). `inflateHere`: a gzip file of
 * any size is inflated on this thread (when every core already reads files: many-files.ts).
 * @throws InputError when it cannot be opened or is a directory.
 */
export async function openInput(
  path: string,
  stdin: () => Readable,
  chunkBytes = READ_CHUNK,
  inflateHere = false,
): Promise<InputSource> {
  const source = await openRaw(path, stdin, inflateHere);
  let elsewhere: (() => number) | undefined;
  return {
    name: source.name,
    size: source.size,
    get bytesRead() {
      return elsewhere === undefined ? source.bytesRead : elsewhere();
    },
    readElsewhere(bytes: () => number) {
      elsewhere = bytes;
    },
    chunks: () => paced(source.chunks(), chunkBytes),
    close: () => source.close(),
    ...(path === '-' ? {} : { stdin }),
  };
}

async function openRaw(
  path: string,
  stdin: () => Readable,
  inflateHere: boolean,
): Promise<InputSource> {
  if (path === '-') return sourceOf('stdin', undefined, stdin());
  let stats: Stats;
  try {
    // stat first: it never waits, where opening a named pipe waits for a writer.
    stats = await stat(path);
  } catch (error) {
    throw openError(path, error as NodeJS.ErrnoException);
  }
  if (stats.isDirectory()) throw openError(path, { code: 'EISDIR' } as NodeJS.ErrnoException);
  if (!stats.isFile()) return specialSource(path);
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw openError(path, error as NodeJS.ErrnoException);
  }
  const opened = await handle.stat();
  if (!opened.isFile()) {
    // Replaced by something else between stat and open: read it as a stream.
    return sourceOf(path, undefined, handle.createReadStream({ highWaterMark: READ_CHUNK }));
  }
  return fileSource(path, opened.size, handle, inflateHere || opened.size < INFLATE_HERE_MAX);
}

/**
 * A named pipe, socket or device (`<(zcat …)`, /dev/stdin), read as a stream on the event loop:
 * never by a blocking open() or read() in Node's thread pool, which would keep the process from
 * exiting on a signal while the pipe has no writer or the writer is silent.
 */
function specialSource(path: string): InputSource {
  let fd: number;
  try {
    // Non-blocking: a named pipe opens at once, without waiting for a writer (the event loop
    // then waits for its data, a signal can end the wait).
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw openError(path, error as NodeJS.ErrnoException);
  }
  const stats = fstatSync(fd);
  if (stats.isFIFO() || stats.isSocket()) {
    const { Socket } = process.getBuiltinModule('node:net');
    return sourceOf(path, undefined, new Socket({ fd, readable: true, writable: false }));
  }
  const tty = process.getBuiltinModule('node:tty');
  if (tty.isatty(fd)) return sourceOf(path, undefined, new tty.ReadStream(fd));
  // Another device (/dev/zero): its reads do not wait.
  return sourceOf(path, undefined, createReadStream(path, { fd, highWaterMark: READ_CHUNK }));
}

/**
 * Buffers of inputs read to their end, kept for the next input read on this thread: a worker
 * thread reading one small shard after another would else fault in a fresh megabyte (or
 * more) for each (bench/README.md, 2026-12-01). A buffer is given back only once its input has
 * ended, when the reader has asked for the chunk after the last: readers copy what they keep
 * of a chunk before they ask for the next (the buffer of one input is reused chunk by chunk).
 */
const spares = new Map<number, Uint8Array[]>();

/** A buffer of `size` bytes (its content is whatever it held). */
function spareBuffer(size: number): Uint8Array {
  return spares.get(size)?.pop() ?? new Uint8Array(size);
}

/** `buffer` for the next input on this thread (two of a size at most). */
function giveBack(buffer: Uint8Array): void {
  const list = spares.get(buffer.length) ?? [];
  if (list.length < 2) list.push(buffer);
  spares.set(buffer.length, list);
}

/**
 * A regular file, read into one reused buffer: no memory is allocated per chunk, so a file of
 * any size is read in constant memory (the scanner copies what it keeps).
 */
function fileSource(
  path: string,
  size: number,
  handle: FileHandle,
  inflateHere: boolean,
): InputSource {
  let bytesRead = 0;
  const buffer = spareBuffer(READ_CHUNK);
  async function* raw(): AsyncGenerator<Uint8Array> {
    try {
      for (;;) {
        const { bytesRead: n } = await handle.read(buffer, 0, buffer.length, null);
        if (n === 0) {
          giveBack(buffer); // every chunk consumed: the next file on this thread may use it
          return;
        }
        bytesRead += n;
        yield buffer.subarray(0, n);
      }
    } catch (error) {
      throw new ReadError(`${path}: cannot read: ${(error as Error).message}`);
    } finally {
      await handle.close();
    }
  }
  return {
    name: path,
    size,
    get bytesRead() {
      return bytesRead;
    },
    chunks: () => decompressed(path, raw(), inflateHere),
    close: () => {
      handle.close().catch(() => {});
    },
  };
}

function sourceOf(name: string, size: number | undefined, stream: Readable): InputSource {
  let bytesRead = 0;
  async function* raw(): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        bytesRead += chunk.length;
        yield chunk;
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EISDIR') throw new InputError(`${name}: is a directory, not a file`);
      throw new ReadError(`${name}: cannot read: ${(error as Error).message}`);
    }
    // The end of a pipe may come from a signal to the whole pipeline (Ctrl-C): two turns of
    // the event loop let that signal end the run before its last, cut-short line is read (the
    // signal may come just after the poll that saw the end, and then only the next poll sees it).
    for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
  }
  return {
    name,
    size,
    get bytesRead() {
      return bytesRead;
    },
    chunks: () => decompressed(name, raw()),
    close: () => stream.destroy(),
  };
}

/**
 * A gzip file smaller than this is inflated on the reading thread, into one reused buffer
 * (inflatedHere); a larger one (or a pipe) on Node's thread pool, while this thread parses.
 * The thread pool's stream hands every 256 KiB over in a fresh buffer, which a short run never
 * reuses: a 13 MB shard's 29 MB of text were about 7,000 page faults, and the inflate cost
 * about twice its CPU time on this thread. A small file is what many processes or threads read
 * side by side (shards), where the cores are busy anyway; a large one gains the overlap of
 * inflate and parse on two cores, and amortizes the stream's buffers (bench/README.md,
 * 2026-12-01). 16 MiB of gzip: about 1.5 million rows, under half a second's reading.
 */
export const INFLATE_HERE_MAX = 16 << 20;

/** The bytes as they are, or gunzipped when the first two are 1f 8b (`here`: inflatedHere). */
async function* decompressed(
  name: string,
  chunks: AsyncGenerator<Uint8Array>,
  here = false,
): AsyncGenerator<Uint8Array> {
  // Enough bytes to see the magic number (a pipe may deliver one byte first). A first chunk
  // of two bytes or more is used as it is: no copy (a file's chunks share one buffer, which is
  // not read into again before this chunk is done with, see below).
  const head: Uint8Array[] = [];
  let headLength = 0;
  let done = false;
  while (headLength < 2) {
    const next = await chunks.next();
    if (next.done) {
      done = true;
      break;
    }
    // A copy only when a second chunk is needed: the first one's buffer is read into again.
    head.push(headLength === 0 && next.value.length >= 2 ? next.value : next.value.slice());
    headLength += next.value.length;
  }
  const first = head.length === 1 ? (head[0] as Uint8Array) : Buffer.concat(head);
  if (!(first[0] === 0x1f && first[1] === 0x8b)) {
    if (first.length > 0) yield first;
    if (!done) yield* chunks;
    return;
  }
  if (here) {
    const gunzip = zlib().createGunzip();
    const sync = syncHandle(gunzip);
    if (sync !== undefined) {
      yield* inflatedHere(name, gunzip, sync, first, done ? undefined : chunks);
      return;
    }
    gunzip.close(); // not this Node's zlib internals: the stream below
  }
  const gunzip = zlib().createGunzip({ chunkSize: 1 << 18 });
  // Feed the compressed bytes with back-pressure; errors of either side end the loop below.
  // Each chunk is given to zlib as it is, and the next is read only once zlib is done with it
  // (its write's callback): a file's chunks share one buffer, and no copy is made of them (a
  // copy per megabyte read was, in a short run, a fresh megabyte of memory faulted in: about
  // a fifth of a 1,250,000-row shard's page faults, bench/README.md).
  (async () => {
    try {
      await written(gunzip, first);
      if (!done) {
        for await (const chunk of { [Symbol.asyncIterator]: () => chunks }) {
          await written(gunzip, chunk);
        }
      }
      gunzip.end();
    } catch (error) {
      gunzip.destroy(error as Error);
    }
  })();
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) yield chunk;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code.startsWith('Z_')) {
      throw new InputError(`${name}: truncated or corrupt gzip data (${(error as Error).message})`);
    }
    throw error;
  }
}

/** What zlib.Gunzip holds that inflates synchronously (Node's own sync functions use it). */
interface SyncHandle {
  writeSync(
    flush: number,
    input: Uint8Array,
    inOffset: number,
    inLength: number,
    output: Uint8Array,
    outOffset: number,
    outLength: number,
  ): void;
}

/** A Gunzip's handle and its state ([output left, input left]). */
interface SyncGunzip {
  readonly handle: SyncHandle;
  readonly state: Uint32Array;
}

/** The stream's handle and its state, if this Node has them. */
function syncHandle(gunzip: Gunzip): SyncGunzip | undefined {
  const inner = gunzip as unknown as { _handle?: Partial<SyncHandle>; _writeState?: unknown };
  const handle = inner._handle;
  const state = inner._writeState;
  // Not `instanceof`: under a test runner's vm context, Node's arrays are of another realm.
  if (typeof handle?.writeSync !== 'function' || !ArrayBuffer.isView(state)) return undefined;
  return { handle: handle as SyncHandle, state: state as Uint32Array };
}

/** Whether gzip files can be inflated on the reading thread here (else always the stream). */
export function inflatesHere(): boolean {
  const gunzip = zlib().createGunzip();
  const can = syncHandle(gunzip) !== undefined;
  gunzip.close();
  return can;
}

/**
 * Output bytes of inflatedHere at a time (128 KiB: of 64, 128 and 256 KiB, the fewest page
 * faults in a 1,250,000-row shard's run, the CPU times within the noise; 2026-12-01).
 */
const INFLATE_OUT = 1 << 17;

/**
 * gzip data inflated on this thread (zlib's synchronous write, as Node's gunzipSync does) into
 * one output buffer, handed over piece by piece and written again once the consumer asks for
 * the next: no memory is allocated per piece. Errors (truncated or corrupt data) as the
 * stream's. Members one after another are read as one, as the stream does.
 */
async function* inflatedHere(
  name: string,
  gunzip: Gunzip,
  { handle, state }: SyncGunzip,
  first: Uint8Array,
  rest: AsyncGenerator<Uint8Array> | undefined,
): AsyncGenerator<Uint8Array> {
  gunzip.on('error', () => {}); // read from gunzip.errored after each write
  const output = spareBuffer(INFLATE_OUT);
  /** Inflates `input`; returns true when the data ended before the input (as zlib's stream). */
  function* inflate(input: Uint8Array, flush: number): Generator<Uint8Array, boolean> {
    let offset = 0;
    let left = input.length;
    for (;;) {
      handle.writeSync(flush, input, offset, left, output, 0, output.length);
      const error = gunzip.errored as NodeJS.ErrnoException | null;
      if (error) {
        throw new InputError(`${name}: truncated or corrupt gzip data (${error.message})`);
      }
      const outLeft = state[0] as number;
      const inLeft = state[1] as number;
      offset += left - inLeft;
      left = inLeft;
      if (outLeft < output.length) yield output.subarray(0, output.length - outLeft);
      // Room to spare: zlib wants more input, or (input left) the data has ended, and what
      // follows is ignored, as the stream does (zero padding after the last member).
      if (outLeft !== 0) return left > 0;
    }
  }
  const { Z_NO_FLUSH, Z_FINISH } = zlib().constants;
  try {
    let ended = yield* inflate(first, Z_NO_FLUSH);
    if (rest !== undefined && !ended) {
      for await (const chunk of { [Symbol.asyncIterator]: () => rest }) {
        ended = yield* inflate(chunk, Z_NO_FLUSH);
        if (ended) break;
      }
    }
    if (!ended) yield* inflate(new Uint8Array(0), Z_FINISH);
    giveBack(output);
  } finally {
    gunzip.close();
  }
}

/**
 * Writes `chunk` and resolves once the stream is done with it (zlib calls a write's callback
 * when it has consumed the whole chunk), so that its buffer may be read into again; rejects if
 * the stream fails first. As it waits for every write, it is back-pressure as well.
 */
function written(stream: NodeJS.WritableStream, chunk: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(chunk, (error) => (error ? reject(error) : resolve()));
  });
}
