/**
 * The held values of a list from standard input (src/cli/stdin-list.ts): past their in-memory
 * share they go to a temporary file, block by block, and read back the same, in any order.
 */
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { PackedNumbers } from '../../src/cli/stdin-list.js';

const value = fc.oneof(
  fc.double({ noNaN: true }),
  fc.constant(null),
  fc.constantFrom(0, -0, 1, 5e-324, Number.MAX_VALUE),
);

describe('values held from standard input', () => {
  test('spilled past their in-memory share, read back equal in any order (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 0, maxLength: 20_000 }),
        fc.integer({ min: 0, max: 5_000 }),
        fc.array(fc.nat(), { maxLength: 200 }),
        (values, inMemory, picks) => {
          const packed = new PackedNumbers(inMemory);
          for (const v of values) packed.push(v);
          const sequence = packed.sequence();
          expect(sequence.length).toBe(values.length);
          // Blocks are 1 Ki values and double: past the in-memory share they go to the file.
          if (values.length > inMemory + 1024 + 2048 * 2) {
            expect(packed.spilledBlocks).toBeGreaterThan(0);
          }
          // In order (each setting of a sweep reads them so), then at random.
          for (let i = 0; i < values.length; i++) expect(sequence.at(i)).toBe(values[i]);
          for (const pick of picks) {
            if (values.length === 0) break;
            expect(sequence.at(pick % values.length)).toBe(values[pick % values.length]);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  test('a million values past 8 MiB: all on file but the first 2^20, none left on disk', () => {
    const packed = new PackedNumbers();
    const n = 3_000_000;
    for (let i = 0; i < n; i++) packed.push(i / n);
    // 2^20 values in memory; each further full block of 64 Ki values went to the file.
    expect(packed.spilledBlocks).toBeGreaterThanOrEqual(Math.floor((n - 2 ** 20) / 2 ** 16) - 1);
    const sequence = packed.sequence();
    let sum = 0;
    for (let i = 0; i < n; i++) sum += sequence.at(i) as number;
    expect(sum).toBeCloseTo((n - 1) / 2, 6);
    // The file was unlinked as soon as it was opened, its folder removed.
    expect(readdirSync(tmpdir()).filter((name) => name.startsWith('focal-values-'))).toEqual([]);
  });
});
