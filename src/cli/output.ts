/**
 * Writing the output so that a signal never cuts a row in half, and stopping at once when one
 * comes (issue 14). Formatters hand over text that ends at a row boundary; on a pipe it is
 * written in pieces of at most PIPE_BUF bytes, each ending at a line end, one at a time. The
 * kernel writes such a piece whole or not at all, so whatever the reader has got always ends
 * with a whole row, and a piece still waiting for room can simply be dropped on a signal.
 *
 * A regular file or a character device (a terminal, /dev/null, /dev/full) is written with
 * write(2) on the file descriptor, without `process.stdout`: Node writes those synchronously
 * anyway, and creating the stream loads its net, tty and stream modules, up to 15% of a bare
 * `node`'s start-up (Node 24; bench/README.md). A pipe is written the same way while it takes each
 * piece at once (RowSink's writeToPipe), then through the stream; a socket keeps the stream,
 * whose event loop gives back-pressure and lets a signal drop a piece still waiting for room.
 */
import { closeSync, constants, fstatSync, openSync, writeSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { OutputError } from '../errors.js';
import { breathe } from '../format/breathe.js';
import type { Sink } from '../format/formats.js';

/** POSIX's PIPE_BUF on Linux: a write of at most this many bytes to a pipe is atomic. */
export const ATOMIC_BYTES = 4096;

/** How a file descriptor of the process is written, found once (see fdKind). */
export interface FdKind {
  /** A regular file or a character device: write(2) on the descriptor, no stream. */
  readonly direct: boolean;
  /** A terminal (isatty). */
  readonly terminal: boolean;
  /** A pipe or a FIFO. */
  readonly pipe: boolean;
}

/**
 * The kinds of the standard descriptors, found once: they keep their kind for the run. Other
 * descriptors (the tests') are examined each time, as their numbers are reused.
 */
const fdKinds = new Map<number, FdKind>();

/** Whether Node's bindings may be asked for (see nodeBinding), found at the first ask. */
let bindingsQuiet: boolean | undefined;

/**
 * One of Node's own bindings (`fs`, `tty_wrap`: what `fs.fstatSync` and `tty.isatty` call), or
 * undefined where it is gone, or where asking for it would print a deprecation warning
 * (`--pending-deprecation`): `process.binding` gives these two without one otherwise.
 */
function nodeBinding<T>(name: 'fs' | 'tty_wrap'): Partial<T> | undefined {
  if (bindingsQuiet === undefined) {
    const flags = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
    bindingsQuiet =
      !flags.includes('pending-deprecation') && process.env.NODE_PENDING_DEPRECATION !== '1';
  }
  if (!bindingsQuiet) return undefined;
  try {
    return (process as unknown as { binding(name: string): Partial<T> }).binding(name);
  } catch {
    return undefined; // gone, or refused (Node's permission model)
  }
}

/** The calls of Node 20's fs binding that writeToFd and reopenPipe make. */
interface FsCalls {
  open(path: string, flags: number, mode: number): number;
  writeBuffer(
    fd: number,
    bytes: Uint8Array,
    offset: number,
    length: number,
    position: null,
    request: undefined,
    context: { errno?: number },
  ): unknown;
}

let node20Calls: Partial<FsCalls> | undefined | null = null;

/**
 * Node 20's fs binding, for writeToFd and reopenPipe; undefined on other Nodes. Node 20 has had
 * its last release, so the calls fs.writeSync and fs.openSync make of it (the same from 20.16
 * to 20.20) stay as they are; Nodes still released may change them, and start faster anyway
 * (bench/README.md).
 */
function node20Fs(): Partial<FsCalls> | undefined {
  if (node20Calls === null) {
    node20Calls = process.versions.node.startsWith('20.') ? nodeBinding<FsCalls>('fs') : undefined;
  }
  return node20Calls;
}

/**
 * write(2) of `length` bytes of `bytes` from `offset`, as fs.writeSync(fd, bytes, offset,
 * length). On Node 20 through the binding call fs.writeSync makes, whose JavaScript (writeSync
 * and its argument checks) would compile at the first call of each start: 0.14 ms of it
 * (bench/README.md, "The executable's share, Node's first calls, and pipes"). A failed call is
 * made again through fs.writeSync, which throws the error as Node makes it (the same call
 * again: a full non-blocking descriptor, EAGAIN, may take it then, which is the same as taking
 * it now).
 */
export function writeToFd(fd: number, bytes: Uint8Array, offset: number, length: number): number {
  const binding = node20Fs();
  if (typeof binding?.writeBuffer === 'function') {
    const context: { errno?: number } = {};
    const written = binding.writeBuffer(fd, bytes, offset, length, null, undefined, context);
    if (context.errno === undefined && typeof written === 'number') return written;
  }
  return writeSync(fd, bytes, offset, length);
}

/**
 * The file type bits of `fd`'s mode (st_mode & S_IFMT), or undefined when fstat cannot examine
 * it (closed). From the binding that `fs.fstatSync` calls, which answers an array of numbers:
 * `fstatSync` builds a Stats object from it through functions Node compiles at their first
 * call, about a million instructions of every start (bench/README.md, "Start-up: main's
 * first-time work"). Where the binding is not there or answers otherwise, `fstatSync`.
 */
function fileType(fd: number): number | undefined {
  try {
    const values = nodeBinding<{
      fstat(fd: number, bigint: false, request: undefined, doNotThrow: false): unknown;
    }>('fs')?.fstat?.(fd, false, undefined, false);
    // Node's stat arrays: [dev, mode, nlink, …] (Node 20, 22 and 24).
    if (values instanceof Float64Array && values.length > 1) {
      return (values[1] as number) & constants.S_IFMT;
    }
  } catch {
    // closed, or a binding of another shape: fstatSync tells which
  }
  try {
    return fstatSync(fd).mode & constants.S_IFMT;
  } catch {
    return undefined; // closed (`>&-`): the stream reports it as it always has
  }
}

/**
 * Whether `fd` is a terminal, as `tty.isatty` says, without loading `node:tty` (which loads
 * `node:net` and the streams): Node's own binding, which `tty.isatty` calls; where it cannot
 * be asked, the module is loaded after all.
 */
function isTerminal(fd: number): boolean {
  const binding = nodeBinding<{ isTTY(fd: number): boolean }>('tty_wrap');
  if (typeof binding?.isTTY === 'function') return binding.isTTY(fd);
  return process.getBuiltinModule('node:tty').isatty(fd);
}

/**
 * What `fd` is: a regular file or a character device is written directly (`direct`); anything
 * else (a pipe, a socket), or a descriptor that fstat cannot examine, through its stream.
 */
export function fdKind(fd: number): FdKind {
  let kind = fdKinds.get(fd);
  if (kind === undefined) {
    const type = fileType(fd);
    const character = type === constants.S_IFCHR;
    kind = {
      direct: type === constants.S_IFREG || character,
      terminal: character && isTerminal(fd),
      pipe: type === constants.S_IFIFO,
    };
    if (fd <= 2) fdKinds.set(fd, kind);
  }
  return kind;
}

/**
 * The pipe behind `fd` opened once more, non-blocking (Linux: /proc/self/fd), or undefined
 * where it cannot be: another system, or no reader (ENXIO). Its own open file, so that the
 * descriptor the process was given, which other processes may share, keeps its blocking mode.
 */
function reopenPipe(fd: number): number | undefined {
  if (process.platform !== 'linux') return undefined;
  const path = `/proc/self/fd/${fd}`;
  const flags = constants.O_WRONLY | constants.O_NONBLOCK;
  try {
    // On Node 20 the binding's open, as for writes (see node20Fs): fs.openSync's checks compile.
    const binding = node20Fs();
    if (typeof binding?.open === 'function') return binding.open(path, flags, 0o666);
    return openSync(path, flags);
  } catch {
    return undefined;
  }
}

/** Never resolves: what a write is once a signal has stopped the output. */
const never = (): Promise<never> => new Promise(() => {});

/** libuv's handle of a pipe, socket or terminal stream (absent for files and test fakes). */
interface StreamHandle {
  readonly writeQueueSize?: number;
}

/** The next macrotask turn: lets signal handlers (and pending I/O) run between writes. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Where `bytes` may be cut into pieces of at most `limit` bytes, each ending at a line end. */
export function pieceEnd(bytes: Uint8Array, start: number, limit: number): number {
  if (bytes.length - start <= limit) return bytes.length;
  const newline = bytes.lastIndexOf(0x0a, start + limit - 1);
  if (newline >= start) return newline + 1;
  // One row longer than the limit: written alone (not atomic, but whole when the write ends).
  const next = bytes.indexOf(0x0a, start + limit);
  return next < 0 ? bytes.length : next + 1;
}

/**
 * A sink for stdout (or any stream). `write` resolves when the text is handed to the kernel,
 * after a turn of the event loop; `atRowBoundary` resolves as soon as what has reached the
 * reader ends with a whole row (at once, unless a piece is half written).
 *
 * Given the stream as a function and its file descriptor (src/launch.ts: `process.stdout` and
 * 1), a regular file or a character device is written with write(2) and the stream is never
 * made; the errors are the same (Node's stream for those calls the same write), one
 * `cannot write output:` line. A descriptor that is non-blocking (shared with a program that
 * made it so) answers EAGAIN when it is full: the write waits on a timer and tries again, so
 * that a signal is never held up.
 */
export class RowSink implements Sink {
  private inFlight: { bytes: number; done: Promise<void> } | undefined;
  private failure: OutputError | undefined;
  private stopped = false;
  private handle: StreamHandle | undefined;
  private stream: Writable | undefined;
  private readonly source: () => Writable;
  /** The descriptor written directly, or undefined for the stream. */
  private readonly fd: number | undefined;
  /**
   * A pipe, written directly while it takes each piece at once (see writeToPipe): its
   * descriptor (given up at its first EAGAIN, for the stream), the one to reopen, or none.
   */
  private pipe: { readonly given: number; open?: number } | undefined;
  /** A signal came while a direct write waited (EAGAIN) in the middle of a row. */
  private rowEnded: (() => void) | undefined;
  private midRow = false;

  constructor(
    stream: Writable | (() => Writable),
    fd?: number,
    /** write(2) (tests give a descriptor that fills up, EAGAIN). */
    private readonly writeFd: typeof writeToFd = writeToFd,
  ) {
    const kind = fd === undefined ? undefined : fdKind(fd);
    this.fd = kind?.direct ? fd : undefined;
    if (kind?.pipe && fd !== undefined) this.pipe = { given: fd };
    this.source = typeof stream === 'function' ? stream : () => stream;
    // An in-process stream is set up at once; the process's own only when first written to.
    if (typeof stream !== 'function') this.attach();
  }

  /** The stream, made (`process.stdout`) and set up on first use. */
  private attach(): Writable {
    if (this.stream !== undefined) return this.stream;
    const stream = this.source();
    this.stream = stream;
    // A write error comes back through the write's callback (an OutputError); as an event it
    // would be unhandled.
    stream.on?.('error', () => {});
    const handle = (stream as unknown as { _handle?: StreamHandle })._handle;
    this.handle = typeof handle?.writeQueueSize === 'number' ? handle : undefined;
    return stream;
  }

  write(text: string): Promise<void> {
    return this.writeBytes(text);
  }

  /**
   * Bytes written with write(2), or through a stream of the kernel's (a pipe, a terminal), are
   * the kernel's once the write resolves; an in-process stream may keep them.
   */
  get releasesBytes(): boolean {
    return this.fd !== undefined || (this.attach() !== undefined && this.handle !== undefined);
  }

  /**
   * Text, or UTF-8 bytes that end at a row boundary (the long csv, tsv and ndjson outputs are
   * made as bytes: format/row-bytes.ts); bytes are kept, not copied.
   */
  async writeBytes(text: string | Uint8Array): Promise<void> {
    if (text.length === 0) return;
    if (this.fd !== undefined) {
      await this.writeDirect(this.fd, typeof text === 'string' ? Buffer.from(text) : text);
    } else if (this.pipe !== undefined) {
      if (this.stopped) return never();
      const bytes = typeof text === 'string' ? Buffer.from(text) : text;
      const written = this.writeToPipe(this.pipe, bytes);
      if (written < bytes.length) return this.writeBytes(bytes.subarray(written));
    } else if (this.attach() && this.handle === undefined) {
      // A file (written synchronously, whole) or an in-process stream.
      await this.writePiece(text, typeof text === 'string' ? Buffer.byteLength(text) : text.length);
    } else {
      const bytes = typeof text === 'string' ? Buffer.from(text) : text;
      for (let start = 0; start < bytes.length; ) {
        const end = pieceEnd(bytes, start, ATOMIC_BYTES);
        await this.writePiece(bytes.subarray(start, end), end - start);
        start = end;
      }
    }
    // Signal handlers (and pending I/O) run between writes at least every 20 ms, not after every
    // write: the one write of a short command then takes no turn, which would set up Node's
    // timers for nothing (bench/README.md, "Within 1.15×").
    await breathe();
  }

  /** write(2) until all is written; EAGAIN (a non-blocking descriptor, full) waits and retries. */
  private async writeDirect(fd: number, bytes: Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    let at = 0;
    let pause = 1;
    while (at < bytes.length) {
      if (this.stopped && (at === 0 || bytes[at - 1] === 0x0a)) {
        this.midRow = false;
        this.rowEnded?.();
        return never();
      }
      // Stopping in the middle of a row: only the rest of that row.
      const end = this.stopped ? pieceEnd(bytes, at, 1) : bytes.length;
      try {
        at += this.writeFd(fd, bytes, at, end - at);
        pause = 1;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EAGAIN') {
          this.failure = new OutputError(`cannot write output: ${(error as Error).message}`, code);
          throw this.failure;
        }
        this.midRow = at > 0 && bytes[at - 1] !== 0x0a;
        await new Promise((resolve) => setTimeout(resolve, pause));
        pause = Math.min(2 * pause, 20);
      }
    }
    this.midRow = false;
  }

  /**
   * A pipe without its stream, whose making (Node's net and stream modules) took 3.5 ms of a
   * 26 ms start on Node 20, as much as the rest of focal's start (bench/README.md, "The
   * executable's share, Node's first calls, and pipes"). Reopened non-blocking, it is written
   * in pieces of at most PIPE_BUF bytes, each ending at a row's end: the kernel takes such a
   * piece whole or not at all (EAGAIN), so that the reader only ever has whole rows and a
   * signal stops the output at once, as on the stream. At the first piece it does not take
   * (the reader is slower than focal), the direct path is given up for the stream, whose event
   * loop waits for room: the rest, and all later output, go there. Returns how many bytes were
   * written.
   */
  private writeToPipe(pipe: { readonly given: number; open?: number }, bytes: Uint8Array): number {
    if (this.failure) throw this.failure;
    pipe.open ??= reopenPipe(pipe.given);
    let start = 0;
    while (pipe.open !== undefined && start < bytes.length) {
      const end = pieceEnd(bytes, start, ATOMIC_BYTES);
      if (end - start > ATOMIC_BYTES) break; // one row longer than PIPE_BUF: not atomic
      let written: number;
      try {
        written = this.writeFd(pipe.open, bytes, start, end - start);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') break;
        this.failure = new OutputError(`cannot write output: ${(error as Error).message}`, code);
        throw this.failure;
      }
      start += written;
      if (start !== end) break; // part of a piece (not expected of a pipe): the stream goes on
    }
    if (start < bytes.length) {
      // Given up: the stream writes the rest, and everything after.
      if (pipe.open !== undefined) closeSync(pipe.open);
      this.pipe = undefined;
    }
    return start;
  }

  private writePiece(piece: string | Uint8Array, bytes: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    // Stopping for a signal: nothing more is written (the process exits when the piece in
    // flight, if any, is whole with the reader).
    if (this.stopped) return never();
    const stream = this.attach();
    const done = new Promise<void>((resolve, reject) => {
      stream.write(piece, (error?: Error | null) => {
        this.inFlight = undefined;
        if (error) {
          const code = (error as NodeJS.ErrnoException).code;
          this.failure = new OutputError(`cannot write output: ${error.message}`, code);
          reject(this.failure);
        } else resolve();
      });
    });
    this.inFlight = { bytes, done };
    return done;
  }

  /**
   * Stops writing (a signal came) and resolves when exiting leaves only whole rows with the
   * reader: at once, unless a piece is half written.
   */
  stop(): Promise<void> {
    this.stopped = true;
    if (this.fd !== undefined) {
      if (!this.midRow) return Promise.resolve();
      return new Promise((resolve) => {
        this.rowEnded = resolve;
      });
    }
    const inFlight = this.inFlight;
    if (inFlight === undefined) return Promise.resolve();
    // Nothing of the piece has reached the kernel yet: dropping it drops whole rows.
    if (this.handle?.writeQueueSize === inFlight.bytes) return Promise.resolve();
    return inFlight.done.catch(() => undefined);
  }
}
