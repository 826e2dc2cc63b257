/**
 * A list option given as `-` (`seq 0 0.01 1 | focal weight --pt -`): its values are the words
 * of standard input, one per line or separated by commas or white space. Read as a stream (a
 * signal is never lost while it waits on a silent pipe), validated word by word (garbage is
 * refused at its first word, in bounded memory), and held as 8-byte numbers, not text, past
 * 8 MiB in a temporary file (unlinked as soon as it is opened); or streamed block by block
 * where one pass over them suffices (stdin-stream.ts).
 */
import { mkdtempSync, openSync, readSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { showValue, UsageError } from '../errors.js';
import type { Sequence } from './numbers.js';
import type { OptionSpec } from './options.js';
import { nextTurn } from './output.js';
import { stdinFailure } from './stdin-failure.js';
import { ValueList } from './values.js';

/** A word longer than this is not a number (nor a range): refused before reading more. */
const MAX_WORD = 1000;

/**
 * Values kept in memory before later blocks go to a temporary file: 2^20 values, 8 MiB. A list
 * that the rows need more than once (a sweep with a row per example) is then read back block
 * by block for each setting, in flat memory however long it is.
 */
export const VALUES_IN_MEMORY = 1 << 20;

/** Where spilled blocks go: a file opened, then unlinked at once, so nothing is ever left. */
function spillFile(): number | undefined {
  try {
    const dir = mkdtempSync(join(tmpdir(), 'focal-values-'));
    const path = join(dir, 'values');
    const fd = openSync(path, 'w+', 0o600);
    unlinkSync(path);
    rmdirSync(dir);
    return fd;
  } catch {
    return undefined; // no writable temporary folder: the values stay in memory
  }
}

/** A block of values on file: its byte offset there and its number of values. */
interface Spilled {
  readonly offset: number;
  readonly length: number;
}

/**
 * Numbers packed in blocks of doubles; null (α's `none`) is held as NaN, which no value is.
 * Past `inMemory` values, each full block is written to a temporary file (when one can be
 * made) and read back when asked for, one block cached.
 */
export class PackedNumbers {
  private readonly blocks: (Float64Array | Spilled)[] = [];
  private current = new Float64Array(1024);
  private used = 0;
  private held = 0;
  private fd: number | undefined;
  private fileBytes = 0;
  private noFile = false;
  length = 0;

  constructor(private readonly inMemory = VALUES_IN_MEMORY) {}

  push(value: number | null): void {
    if (this.used === this.current.length) {
      this.keep(this.current);
      this.current = new Float64Array(Math.min(this.current.length * 2, 1 << 16));
      this.used = 0;
    }
    this.current[this.used++] = value === null ? Number.NaN : value;
    this.length++;
  }

  /** How many blocks are on file (for tests). */
  get spilledBlocks(): number {
    return this.blocks.filter((block) => !(block instanceof Float64Array)).length;
  }

  private keep(block: Float64Array): void {
    if (this.held + block.length > this.inMemory && !this.noFile) {
      this.fd ??= spillFile();
      if (this.fd !== undefined) {
        const bytes = new Uint8Array(block.buffer, block.byteOffset, block.byteLength);
        try {
          writeSync(this.fd, bytes, 0, bytes.length, this.fileBytes);
          this.blocks.push({ offset: this.fileBytes, length: block.length });
          this.fileBytes += bytes.length;
          return;
        } catch {
          // a full disk: this block and the rest stay in memory
        }
      }
      this.noFile = true;
    }
    this.blocks.push(block);
    this.held += block.length;
  }

  sequence(): Sequence<number | null> {
    const blocks = [...this.blocks, this.current.subarray(0, this.used)];
    const { fd } = this;
    const starts: number[] = [];
    let total = 0;
    for (const block of blocks) {
      starts.push(total);
      total += block.length;
    }
    let cachedAt = -1;
    let cached = new Float64Array(0);
    const blockAt = (k: number): Float64Array => {
      const block = blocks[k] as Float64Array | Spilled;
      if (block instanceof Float64Array) return block;
      if (cachedAt !== k) {
        if (cached.length !== block.length) cached = new Float64Array(block.length);
        readSync(fd as number, new Uint8Array(cached.buffer), 0, block.length * 8, block.offset);
        cachedAt = k;
      }
      return cached;
    };
    return {
      length: total,
      at(index: number) {
        // Blocks double in size up to 64 Ki values: a short search finds the block.
        let lo = 0;
        let hi = blocks.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if ((starts[mid] as number) <= index) lo = mid;
          else hi = mid - 1;
        }
        const value = blockAt(lo)[index - (starts[lo] as number)] as number;
        return Number.isNaN(value) ? null : value;
      },
    };
  }
}

/**
 * The values of `flag` (given as `-`) read from standard input and validated, in blocks of at
 * least `blockValues` values (the last may be shorter; a range counts as its length). Each
 * block is held as 8-byte numbers until the next is read, so a consumer that is done with a
 * block before asking for the next reads any number of values in flat memory.
 * @throws UsageError for garbage (at its first word), an unreadable stdin, or no values.
 */
export async function* stdinBlocks(
  flag: string,
  spec: OptionSpec<ValueList<number | null>>,
  open: () => Readable,
  blockValues = Number.POSITIVE_INFINITY,
): AsyncGenerator<ValueList<number | null>> {
  let stream: Readable;
  try {
    stream = open();
  } catch (error) {
    throw new UsageError(`${flag} -: ${(error as Error).message}`);
  }
  let parts: Sequence<number | null>[] = [];
  let inParts = 0;
  let packed = new PackedNumbers();
  let total = 0;
  const take = (word: string) => {
    let list: ValueList<number | null>;
    try {
      list = spec.parse(word);
    } catch (error) {
      if (error instanceof UsageError) throw new UsageError(`${flag}: ${error.message}`);
      throw error;
    }
    total += list.length;
    if (list.length === 1) packed.push(list.at(0));
    else {
      // A range: kept as a range, after the single values before it.
      if (packed.length > 0) {
        parts.push(packed.sequence());
        inParts += packed.length;
      }
      packed = new PackedNumbers();
      parts.push({ length: list.length, at: (i) => list.at(i) });
      inParts += list.length;
    }
  };
  /** The values taken since the last block, as a block. */
  const block = (): ValueList<number | null> => {
    if (packed.length > 0) parts.push(packed.sequence());
    const list = new ValueList(parts);
    parts = [];
    inParts = 0;
    packed = new PackedNumbers();
    return list;
  };
  const decoder = new TextDecoder();
  let rest = '';
  try {
    for await (const chunk of stream as AsyncIterable<Uint8Array | string>) {
      const text =
        rest + (typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
      const words = text.split(/[\s,]+/);
      rest = words.pop() ?? '';
      for (const word of words) if (word !== '') take(word);
      if (rest.length > MAX_WORD) {
        throw new UsageError(`${flag}: ${showValue(rest)} is not a number`);
      }
      if (inParts + packed.length >= blockValues) yield block();
    }
  } catch (error) {
    throw stdinFailure(flag, error);
  } finally {
    stream.destroy();
  }
  // A signal that ended the writer (Ctrl-C to the pipeline) is handled before anything is
  // made of the input it cut short (a result, or an error such as "no values"). Two turns:
  // the signal may have come just after the poll that saw the end of input, and then only the
  // next poll sees it.
  await nextTurn();
  await nextTurn();
  rest += decoder.decode();
  for (const word of rest.split(/[\s,]+/)) if (word !== '') take(word);
  if (total === 0) throw new UsageError(`${flag}: - read no values from standard input`);
  if (inParts + packed.length > 0) yield block();
}

/** Reads, validates and holds the values of `flag` (given as `-`) from standard input. */
export async function listFromStdin(
  flag: string,
  spec: OptionSpec<ValueList<number | null>>,
  open: () => Readable,
): Promise<ValueList<number | null>> {
  // One block: all of them (stdinBlocks refuses an input without values).
  for await (const list of stdinBlocks(flag, spec, open)) return list;
  throw new UsageError(`${flag}: - read no values from standard input`);
}
