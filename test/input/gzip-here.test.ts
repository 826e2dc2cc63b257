/**
 * A gzip file under INFLATE_HERE_MAX is inflated on the reading thread into one reused buffer
 * (input/source.ts, inflatedHere), and read buffers pass from one file to the next on a
 * thread; a pipe goes through zlib's stream. Both give the same bytes and the same errors.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, test } from '@jest/globals';
import { InputError } from '../../src/errors.js';
import {
  INFLATE_HERE_MAX,
  type InputSource,
  inflatesHere,
  openInput,
} from '../../src/input/source.js';

const TMP = mkdtempSync(join(tmpdir(), 'focal-gzip-here-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

function file(name: string, bytes: Uint8Array): string {
  const path = join(TMP, name);
  writeFileSync(path, bytes);
  return path;
}

/** Text that compresses poorly enough to take several reads and many output pieces. */
function text(rows: number, seed: number): Buffer {
  const lines = ['p,y'];
  for (let i = 0; i < rows; i++) {
    const n = i + seed;
    lines.push(`${((n * 0.6180339887498949) % 1).toPrecision(17)},${n % 7 === 0 ? 1 : 0}`);
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

/** Every byte of the source, copied chunk by chunk (chunks share buffers). */
async function bytesOf(source: InputSource): Promise<Buffer> {
  const parts: Buffer[] = [];
  try {
    for await (const chunk of source.chunks()) parts.push(Buffer.from(chunk));
  } finally {
    source.close();
  }
  return Buffer.concat(parts);
}

const noStdin = () => Readable.from([]);
const fromFile = async (path: string) => bytesOf(await openInput(path, noStdin));
const fromPipe = async (bytes: Uint8Array) =>
  bytesOf(await openInput('-', () => Readable.from([Buffer.from(bytes)])));

describe('gzip inflated on the reading thread', () => {
  const plain = text(150_000, 0); // ≈ 3.4 MB of text, ≈ 1.9 MB of gzip: two reads or more
  const gz = gzipSync(plain, { level: 1 });

  test('the file and its piped stream give the text, byte for byte', async () => {
    expect(inflatesHere()).toBe(true); // this Node's zlib has what inflatedHere uses
    expect(gz.length).toBeGreaterThan(1 << 20);
    expect(gz.length).toBeLessThan(INFLATE_HERE_MAX);
    const path = file('big.csv.gz', gz);
    const [here, stream] = [await fromFile(path), await fromPipe(gz)];
    expect(here.equals(plain)).toBe(true);
    expect(stream.equals(plain)).toBe(true);
  });

  test('members one after another are read as one text (as `cat a.gz b.gz`)', async () => {
    const second = text(20_000, 7);
    const path = file('two.csv.gz', Buffer.concat([gz, gzipSync(second)]));
    expect((await fromFile(path)).equals(Buffer.concat([plain, second]))).toBe(true);
  });

  test('zero bytes after the last member are ignored, as by the stream', async () => {
    const padded = Buffer.concat([gz, Buffer.alloc(3000)]);
    const path = file('padded.csv.gz', padded);
    const [here, stream] = [await fromFile(path), await fromPipe(padded)];
    expect(here.equals(plain)).toBe(true);
    expect(stream.equals(plain)).toBe(true);
  });

  test('files one after another on a thread, one left half read: each its own bytes', async () => {
    const texts = [text(30_000, 1), text(5, 2), text(60_000, 3)];
    const paths = texts.map((t, i) => file(`seq-${i}.csv.gz`, gzipSync(t)));
    // One left after its first chunk: its buffers are not handed on (it may still be in use).
    const left = await openInput(paths[2] as string, noStdin);
    const firstChunk = (await left.chunks()[Symbol.asyncIterator]().next()).value as Uint8Array;
    const kept = Buffer.from(firstChunk);
    for (const [i, path] of paths.entries()) {
      expect((await fromFile(path)).equals(texts[i] as Buffer)).toBe(true);
    }
    expect(Buffer.from(firstChunk).equals(kept)).toBe(true);
    left.close();
  });

  test.each([
    ['truncated (last 10 bytes cut)', (b: Buffer) => b.subarray(0, b.length - 10)],
    ['cut in the middle', (b: Buffer) => b.subarray(0, b.length >> 1)],
    [
      'corrupt after the header',
      (b: Buffer) => Buffer.concat([b.subarray(0, 40), Buffer.alloc(64, 7)]),
    ],
    ['garbage after a member', (b: Buffer) => Buffer.concat([b, Buffer.from('not gzip')])],
  ])('%s: the same error from the file and the pipe', async (_, damage) => {
    const bad = damage(gzipSync(text(40_000, 5)));
    const path = file('bad.csv.gz', bad);
    const errorOf = async (read: Promise<Buffer>) =>
      read.then(
        () => undefined,
        (e) => e,
      );
    const [here, stream] = [await errorOf(fromFile(path)), await errorOf(fromPipe(bad))];
    expect(here).toBeInstanceOf(InputError);
    expect(stream).toBeInstanceOf(InputError);
    // The same words, zlib's reason in parentheses included; each names its input.
    const message = (e: unknown) => (e as Error).message;
    expect(message(here)).toMatch(/: truncated or corrupt gzip data \(.+\)$/);
    expect(message(here).replace(path, 'stdin')).toBe(message(stream));
  });

  test('a plain file after gzip files: its bytes as they are', async () => {
    const plainPath = file('plain.csv', text(50_000, 9));
    await fromFile(file('before.csv.gz', gzipSync(text(1000, 4))));
    expect((await fromFile(plainPath)).equals(readFileSync(plainPath))).toBe(true);
  });
});
