/**
 * Writing the output so that a signal never cuts a row in half, and stopping at once when one
 * comes (issue 14). Formatters hand over text that ends at a row boundary; on a pipe it is
 * written in pieces of at most PIPE_BUF bytes, each ending at a line end, one at a time. The
 * kernel writes such a piece whole or not at all, so whatever the reader has got always ends
 * with a whole row, and a piece still waiting for room can simply be dropped on a signal.
 */
import type { Writable } from 'node:stream';
import { OutputError } from '../errors.js';
import type { Sink } from '../format/formats.js';

export { OutputError };

/** POSIX's PIPE_BUF on Linux: a write of at most this many bytes to a pipe is atomic. */
export const ATOMIC_BYTES = 4096;

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
 */
export class RowSink implements Sink {
  private inFlight: { bytes: number; done: Promise<void> } | undefined;
  private failure: OutputError | undefined;
  private stopped = false;
  private readonly handle: StreamHandle | undefined;

  constructor(private readonly stream: Writable) {
    // A write error comes back through the write's callback (an OutputError); as an event it
    // would be unhandled.
    stream.on?.('error', () => {});
    const handle = (stream as unknown as { _handle?: StreamHandle })._handle;
    this.handle = typeof handle?.writeQueueSize === 'number' ? handle : undefined;
  }

  async write(text: string): Promise<void> {
    if (text === '') return;
    if (this.handle === undefined) {
      // A file (written synchronously, whole) or an in-process stream.
      await this.writePiece(text, Buffer.byteLength(text));
    } else {
      const bytes = Buffer.from(text);
      for (let start = 0; start < bytes.length; ) {
        const end = pieceEnd(bytes, start, ATOMIC_BYTES);
        await this.writePiece(bytes.subarray(start, end), end - start);
        start = end;
      }
    }
    await nextTurn();
  }

  private writePiece(piece: string | Uint8Array, bytes: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    // Stopping for a signal: nothing more is written (the process exits when the piece in
    // flight, if any, is whole with the reader).
    if (this.stopped) return new Promise(() => {});
    const done = new Promise<void>((resolve, reject) => {
      this.stream.write(piece, (error?: Error | null) => {
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
    const inFlight = this.inFlight;
    if (inFlight === undefined) return Promise.resolve();
    // Nothing of the piece has reached the kernel yet: dropping it drops whole rows.
    if (this.handle?.writeQueueSize === inFlight.bytes) return Promise.resolve();
    return inFlight.done.catch(() => undefined);
  }
}
