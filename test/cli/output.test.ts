/**
 * The direct output path (src/cli/output.ts): a regular file or a character device is written
 * with write(2) on the descriptor and `process.stdout` is never made (issue 21: start-up). In
 * process, with real descriptors; the same bytes and the same errors as the stream path, and
 * a non-blocking descriptor that fills up (EAGAIN) waits on the event loop, where a signal can
 * stop it after a whole row. The real process on a file, a terminal and /dev/full:
 * unix.test.ts and faults.test.ts.
 */
import {
  closeSync,
  constants,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { afterAll, describe, expect, test } from '@jest/globals';
import { type Io, main } from '../../src/cli/main.js';
import { fdKind, RowSink, writeToFd } from '../../src/cli/output.js';
import { OutputError } from '../../src/errors.js';
import { bash, focalCommand } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'focal-output-'));
const devNull = openSync('/dev/null', 'w');
afterAll(() => {
  closeSync(devNull);
  rmSync(dir, { recursive: true, force: true });
});

/** A stream that must not be made: the direct path writes the descriptor. */
function untouchable(name: string): () => never {
  return () => {
    throw new Error(`${name} was made`);
  };
}

/** An Io whose stdout is the descriptor `fd`, stderr collected, the streams never made. */
function ioWith(fd: number, stderrLines: string[]): Io {
  const stderr = {
    write: (text: string, done?: () => void) => {
      stderrLines.push(text);
      done?.();
      return true;
    },
    on: () => stderr,
  } as unknown as Writable;
  return {
    get stdout(): never {
      return untouchable('stdout')();
    },
    stderr,
    fds: { stdout: fd, stderr: devNull },
    stdin: untouchable('stdin'),
    env: {},
  };
}

describe('what a descriptor is', () => {
  test('a regular file and /dev/null are direct, not terminals; a named pipe is not direct', () => {
    const fifo = join(dir, 'fifo');
    expect(bash(`mkfifo ${fifo}`).code).toBe(0);
    const fds = [
      openSync(join(dir, 'kind'), 'w'),
      openSync('/dev/null', 'w'),
      openSync(fifo, 'r+'),
    ];
    try {
      expect(fds.map(fdKind)).toEqual([
        { direct: true, terminal: false, pipe: false },
        { direct: true, terminal: false, pipe: false },
        { direct: false, terminal: false, pipe: true },
      ]);
    } finally {
      for (const fd of fds) closeSync(fd);
    }
  });
});

describe('write(2) on a descriptor (writeToFd: on Node 20 through its fs binding)', () => {
  const bytes = Buffer.from('alpha,gamma\n0.25,2\n0.5,5\n');

  test('writes what fs.writeSync writes, from the offset, and says how much', () => {
    const file = join(dir, 'write-to-fd');
    const fd = openSync(file, 'w');
    expect(writeToFd(fd, bytes, 0, 12)).toBe(12);
    expect(writeToFd(fd, bytes, 12, bytes.length - 12)).toBe(bytes.length - 12);
    closeSync(fd);
    expect(readFileSync(file)).toEqual(bytes);
  });

  /** What `write` throws, as [code, message]. */
  function failure(write: () => unknown): [string | undefined, string] {
    try {
      write();
    } catch (error) {
      return [(error as NodeJS.ErrnoException).code, (error as Error).message];
    }
    throw new Error('the write did not fail');
  }

  test.each([
    ['a full device (/dev/full)', () => openSync('/dev/full', 'w')],
    [
      'a closed descriptor',
      () => {
        const fd = openSync(join(dir, 'closed'), 'w');
        closeSync(fd);
        return fd;
      },
    ],
    ['a descriptor open for reading', () => openSync('/dev/null', 'r')],
  ])('%s: the error fs.writeSync throws', (_, open) => {
    const fd = open();
    const expected = failure(() => writeSync(fd, bytes, 0, bytes.length));
    expect(expected[0]).toMatch(/^E[A-Z]+$/);
    expect(failure(() => writeToFd(fd, bytes, 0, bytes.length))).toEqual(expected);
    try {
      closeSync(fd);
    } catch {
      // the closed one
    }
  });
});

describe('a pipe, written without its stream while it takes each piece at once', () => {
  const rows = (n: number) =>
    Array.from({ length: n }, (_, i) => `${i},${(i * 0.001).toFixed(3)},row\n`).join('');

  /** A stream that keeps what is written to it, in `streamed`. */
  function collecting(streamed: string[]): Writable {
    const stream = {
      write: (text: string | Uint8Array, done: (error?: Error | null) => void) => {
        streamed.push(Buffer.from(text).toString());
        done();
        return true;
      },
      on: () => stream,
    };
    return stream as unknown as Writable;
  }

  /** A named pipe, its ends open: the reader's non-blocking, to read what is there. */
  function pipe(name: string): { reader: number; writer: number; read: () => string } {
    const path = join(dir, name);
    expect(bash(`mkfifo ${path}`).code).toBe(0);
    const reader = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const writer = openSync(path, 'w');
    const read = () => {
      const chunks: Buffer[] = [];
      const buffer = Buffer.alloc(1 << 16);
      for (;;) {
        let n = 0;
        try {
          n = readSync(reader, buffer);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'EAGAIN') break;
          throw error;
        }
        if (n === 0) break;
        chunks.push(Buffer.from(buffer.subarray(0, n)));
      }
      return Buffer.concat(chunks).toString();
    };
    return { reader, writer, read };
  }

  test('short outputs reach the reader whole, and the stream is never made', async () => {
    const { reader, writer, read } = pipe('pipe-short');
    const sink = new RowSink(untouchable('stdout'), writer);
    await sink.write('alpha,gamma,row\n');
    await sink.write(rows(300));
    expect(read()).toBe(`alpha,gamma,row\n${rows(300)}`);
    closeSync(writer);
    closeSync(reader);
  });

  test('a pipe that fills up: what it took ends with a whole row, the stream gets the rest, in order', async () => {
    const { reader, writer, read } = pipe('pipe-full');
    const streamed: string[] = [];
    let made = 0;
    const stream = collecting(streamed);
    const sink = new RowSink(() => {
      made++;
      return stream;
    }, writer);
    const text = rows(20_000); // about 300 KB: more than the pipe holds (64 KiB)
    await sink.write(text.slice(0, 150_000).replace(/[^\n]*$/, ''));
    await sink.write(text.slice(text.slice(0, 150_000).lastIndexOf('\n') + 1));
    const direct = read();
    expect(made).toBe(1);
    expect(direct.length).toBeGreaterThan(0);
    expect(direct.endsWith('\n')).toBe(true);
    expect(direct + streamed.join('')).toBe(text);
    closeSync(writer);
    closeSync(reader);
  });

  test('a pipe that cannot be opened again (its reader gone: ENXIO) is written through the stream', async () => {
    const { reader, writer } = pipe('pipe-no-reader');
    closeSync(reader);
    const streamed: string[] = [];
    const stream = collecting(streamed);
    const sink = new RowSink(() => stream, writer);
    await sink.write(rows(10));
    expect(streamed.join('')).toBe(rows(10));
    closeSync(writer);
  });

  test('a real process into a shell pipe writes what it writes to a file, fast reader or slow', () => {
    const args = ['weight', '--pt', '0:1:1e-5', '-f', 'csv'];
    const file = join(dir, 'pipe-file.csv');
    expect(bash(`${focalCommand(args)} > ${file}`).code).toBe(0);
    const expected = readFileSync(file, 'utf8');
    for (const reader of ['cat', '(sleep 0.5; cat)']) {
      const result = bash(`set -o pipefail; ${focalCommand(args)} | ${reader}`);
      expect([reader, result.code, result.stderr]).toEqual([reader, 0, '']);
      expect(result.stdout === expected).toBe(true);
    }
  });
});

describe('main on a descriptor', () => {
  test('a file gets the same bytes as the stream path, and no stream is made', async () => {
    const path = join(dir, 'out.csv');
    const fd = openSync(path, 'w');
    const errors: string[] = [];
    const args = ['contribution', '--neg', '1e6', '--pos', '10'];
    const code = await main(args, ioWith(fd, errors));
    closeSync(fd);
    const viaStream = bash(`${focalCommand(args)} | cat`);
    expect([code, errors, readFileSync(path, 'utf8')]).toEqual([0, [], viaStream.stdout]);
  });

  test('/dev/full: exit 1, one line, the same as the stream path gives', async () => {
    const fd = openSync('/dev/full', 'w');
    const errors: string[] = [];
    const code = await main(['weight', '--pt', '0:1:0.001', '-f', 'csv'], ioWith(fd, errors));
    closeSync(fd);
    expect([code, errors]).toEqual([
      1,
      ['focal: cannot write output: ENOSPC: no space left on device, write\n'],
    ]);
  });

  test('the real process on /dev/full, for small and large outputs: that one line, exit 1', () => {
    for (const args of [
      ['contribution', '--neg', '1e6', '--pos', '10'],
      ['loss', '--pt', '0.9'],
      ['weight', '--pt', '0:1:1e-5'],
    ]) {
      const result = bash(`${focalCommand(args)} > /dev/full`);
      expect([args, result.code, result.stderr]).toEqual([
        args,
        1,
        'focal: cannot write output: ENOSPC: no space left on device, write\n',
      ]);
    }
  });
});

/**
 * A write(2) on a non-blocking descriptor: EAGAIN while `refuse()` says it is full, else it
 * takes at most 7 bytes (as the sink calls it: bytes, offset, length).
 */
function fillingWriter(written: number[], refuse: () => boolean): typeof writeSync {
  const write = (_fd: number, bytes: Uint8Array, offset: number, length: number): number => {
    if (refuse()) {
      throw Object.assign(new Error('EAGAIN: resource temporarily unavailable'), {
        code: 'EAGAIN',
      });
    }
    const n = Math.min(7, length);
    written.push(...bytes.subarray(offset, offset + n));
    return n;
  };
  return write as unknown as typeof writeSync;
}

describe('a non-blocking descriptor that fills up (EAGAIN)', () => {
  const rows = Array.from({ length: 50 }, (_, i) => `row ${i},${i * i}\n`).join('');

  test('waits and writes everything, in order', async () => {
    const fd = openSync(join(dir, 'eagain'), 'w');
    const written: number[] = [];
    let calls = 0;
    const sink = new RowSink(
      untouchable('stdout'),
      fd,
      fillingWriter(written, () => ++calls % 2 === 1),
    );
    await sink.write(rows);
    await sink.write('last\n');
    closeSync(fd);
    expect(Buffer.from(written).toString()).toBe(`${rows}last\n`);
  });

  test('a signal while it waits in the middle of a row: the row is finished, then no more', async () => {
    const fd = openSync(join(dir, 'eagain-stop'), 'w');
    const written: number[] = [];
    let full = false;
    let calls = 0;
    const sink = new RowSink(
      untouchable('stdout'),
      fd,
      fillingWriter(written, () => {
        // The first write takes 7 bytes (mid-row); then full until the signal.
        calls++;
        return calls > 1 && full;
      }),
    );
    full = true;
    const writing = sink.write(rows);
    writing.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(Buffer.from(written).toString()).toBe(rows.slice(0, 7));
    full = false;
    await sink.stop();
    closeSync(fd);
    const text = Buffer.from(written).toString();
    expect(text).toBe(rows.slice(0, rows.indexOf('\n') + 1));
  });

  test('a signal while it waits at a row boundary: stops at once', async () => {
    const fd = openSync(join(dir, 'eagain-boundary'), 'w');
    const written: number[] = [];
    const sink = new RowSink(
      untouchable('stdout'),
      fd,
      fillingWriter(written, () => true),
    );
    sink.write(rows).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 10));
    await sink.stop();
    closeSync(fd);
    expect(written).toEqual([]);
  });

  test('another error is an OutputError with its code', async () => {
    const fd = openSync(join(dir, 'eio'), 'w');
    const sink = new RowSink(untouchable('stdout'), fd, (() => {
      throw Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' });
    }) as typeof writeSync);
    await expect(sink.write('a\n')).rejects.toEqual(
      new OutputError('cannot write output: EIO: i/o error, write', 'EIO'),
    );
    closeSync(fd);
  });
});
