/**
 * `--logits -` / `--probs -`: multi-class examples from standard input, one per line, its
 * values separated by commas or white space (`np.savetxt`'s default, a CSV row, `paste`), as
 * `np.loadtxt` reads a matrix: blank lines and lines starting with `#` are skipped, and every
 * line must have as many values as the first. Read as a stream (a signal is never lost while it
 * waits on a silent pipe) and handed over in blocks, each line validated as it comes: garbage
 * is refused at its line, `focal: --logits: stdin:LINE: …`.
 */
import type { Readable } from 'node:stream';
import { showValue, UsageError } from '../errors.js';
import { nextTurn } from './output.js';
import { stdinFailure } from './stdin-failure.js';

/** Examples read and validated before the first row is made (and then per block). */
export const VECTOR_BLOCK = 1 << 14;

/** A line longer than this is not a row of numbers (as for `--input`). */
const MAX_LINE = 1 << 20;

/** Examples read from standard input: each one's values and its line there. */
export interface VectorBlock {
  readonly vectors: readonly (readonly number[])[];
  readonly lines: readonly number[];
}

/**
 * The lines of standard input as vectors, in blocks of at least `blockLines` examples (the
 * last may be shorter). `value(word)` parses one value or throws UsageError naming its rule.
 * @throws UsageError `FLAG: stdin:LINE: …` for a bad value or a line with another number of
 *   values than the first; `FLAG: - read no examples …` for an input without any.
 */
export async function* stdinVectors(
  flag: string,
  value: (word: string) => number,
  open: () => Readable,
  blockLines = Number.POSITIVE_INFINITY,
): AsyncGenerator<VectorBlock> {
  let stream: Readable;
  try {
    stream = open();
  } catch (error) {
    throw new UsageError(`${flag} -: ${(error as Error).message}`);
  }
  let vectors: number[][] = [];
  let lines: number[] = [];
  let line = 0;
  let classes = 0;
  let total = 0;
  const fail = (at: number, message: string): never => {
    throw new UsageError(`${flag}: stdin:${at}: ${message}`);
  };
  const take = (text: string) => {
    line++;
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const words = trimmed.split(/[\s,]+/);
    const vector = words.map((word) => {
      if (word === '') fail(line, `${showValue(trimmed)} has an empty value`);
      try {
        return value(word);
      } catch (error) {
        if (error instanceof UsageError) return fail(line, error.message);
        throw error;
      }
    });
    if (total === 0) classes = vector.length;
    else if (vector.length !== classes) {
      fail(
        line,
        `${vector.length} value${vector.length === 1 ? '' : 's'}, but the first example has ${classes}`,
      );
    }
    total++;
    vectors.push(vector);
    lines.push(line);
  };
  const block = (): VectorBlock => {
    const done = { vectors, lines };
    vectors = [];
    lines = [];
    return done;
  };
  const decoder = new TextDecoder();
  let rest = '';
  try {
    for await (const chunk of stream as AsyncIterable<Uint8Array | string>) {
      const text =
        rest + (typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
      const parts = text.split('\n');
      rest = parts.pop() ?? '';
      for (const part of parts) take(part);
      if (rest.length > MAX_LINE) fail(line + 1, 'a line is longer than 1 MiB');
      if (vectors.length >= blockLines) yield block();
    }
  } catch (error) {
    throw stdinFailure(flag, error);
  } finally {
    stream.destroy();
  }
  // A signal that ended the writer is handled before anything is made of what it cut short
  // (as stdin-list.ts does).
  await nextTurn();
  await nextTurn();
  rest += decoder.decode();
  if (rest !== '') take(rest);
  if (total === 0) throw new UsageError(`${flag}: - read no examples from standard input`);
  if (vectors.length > 0) yield block();
}
