/**
 * A list option given as `-` (`seq 0 0.01 1 | focal weight --pt -`): its values are the words
 * of standard input, one per line or separated by commas or white space. Read as a stream (a
 * signal is never lost while it waits on a silent pipe), validated word by word (garbage is
 * refused at its first word, in bounded memory), and held as 8-byte numbers, not text; or
 * streamed block by block where one pass over them suffices (stdin-stream.ts).
 */
import type { Readable } from 'node:stream';
import type { Sequence } from './numbers.js';
import type { OptionSpec } from './options.js';
import { nextTurn } from './output.js';
import { showValue, UsageError } from './usage-error.js';
import { ValueList } from './values.js';

/** A word longer than this is not a number (nor a range): refused before reading more. */
const MAX_WORD = 1000;

/** Numbers packed in blocks of doubles; null (α's `none`) is held as NaN, which no value is. */
class PackedNumbers {
  private readonly blocks: Float64Array[] = [];
  private current = new Float64Array(1024);
  private used = 0;
  length = 0;

  push(value: number | null): void {
    if (this.used === this.current.length) {
      this.blocks.push(this.current);
      this.current = new Float64Array(Math.min(this.current.length * 2, 1 << 16));
      this.used = 0;
    }
    this.current[this.used++] = value === null ? Number.NaN : value;
    this.length++;
  }

  sequence(): Sequence<number | null> {
    const blocks = [...this.blocks, this.current.subarray(0, this.used)];
    const starts: number[] = [];
    let total = 0;
    for (const block of blocks) {
      starts.push(total);
      total += block.length;
    }
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
        const value = (blocks[lo] as Float64Array)[index - (starts[lo] as number)] as number;
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
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw new UsageError(`${flag} -: standard input is a directory`);
    throw new UsageError(`${flag} -: cannot read standard input: ${(error as Error).message}`);
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
