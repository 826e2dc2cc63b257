/**
 * The .npy reader (src/input/npy.ts) on chunks of any size: an element split between two
 * chunks (a pipe, gzip, an unaligned header) reads as a whole one. The CLI's end-to-end cases
 * are in test/cli/npy.test.ts.
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { streamBinary } from '../../src/input/npy.js';
import type { InputSource } from '../../src/input/source.js';

/** A .npy file of `values` as `dtype`, with `pad` extra spaces in its header (unaligned data). */
function npy(
  values: readonly number[],
  dtype: '<f8' | '>f4' | '<i8' | '>f2',
  pad: number,
): Uint8Array {
  const header = `{'descr': '${dtype}', 'fortran_order': False, 'shape': (${values.length},), }${' '.repeat(pad)}\n`;
  const size = Buffer.alloc(2);
  size.writeUInt16LE(header.length);
  const width = dtype === '<f8' || dtype === '<i8' ? 8 : dtype === '>f4' ? 4 : 2;
  const data = Buffer.alloc(values.length * width);
  values.forEach((v, i) => {
    if (dtype === '<f8') data.writeDoubleLE(v, i * 8);
    else if (dtype === '>f4') data.writeFloatBE(v, i * 4);
    else if (dtype === '<i8') data.writeBigInt64LE(BigInt(v), i * 8);
    else data.writeUInt16BE(v, i * 2); // the half-precision bits as given
  });
  return new Uint8Array(
    Buffer.concat([Buffer.from('\x93NUMPY\x01\x00', 'latin1'), size, Buffer.from(header), data]),
  );
}

/** The labels a labels-only read hands over, the file cut at `cuts` (each chunk a reused buffer). */
async function labelsOf(bytes: Uint8Array, cuts: readonly number[]): Promise<number[]> {
  const ends = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let from = 0;
  for (const end of [...ends, bytes.length]) {
    if (end > from) pieces.push(bytes.slice(from, end));
    from = Math.max(from, end);
  }
  // Each chunk handed over in one buffer that the next read overwrites, as a file's are.
  const shared = new Uint8Array(bytes.length);
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (const piece of pieces.slice(1)) {
      shared.fill(0xee);
      shared.set(piece);
      yield shared.subarray(0, piece.length);
    }
  }
  const source: InputSource = {
    name: 'test.npy',
    size: bytes.length,
    bytesRead: 0,
    chunks,
    close: () => {},
  };
  const got: number[] = [];
  const stream = streamBinary(
    source,
    pieces[0] ?? new Uint8Array(0),
    chunks(),
    { labelsOnly: true, skipInvalid: true, ignoreLabels: [] },
    () => (_, y) => {
      got.push(y);
    },
  );
  for (;;) if ((await stream.next()).done) break;
  return got;
}

describe('elements split between chunks', () => {
  test('float64, float32 (big-endian) and int64 labels, cut anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.constantFrom('<f8' as const, '>f4' as const, '<i8' as const),
        fc.integer({ min: 0, max: 7 }),
        fc.array(fc.nat(2000), { maxLength: 12 }),
        async (soft, dtype, pad, cuts) => {
          const values =
            dtype === '<i8'
              ? soft.map((v) => (v < 0.5 ? 0 : 1))
              : dtype === '>f4'
                ? soft.map(Math.fround)
                : soft;
          // The first chunk holds the magic bytes at least (predictions.ts tells the format by them).
          const got = await labelsOf(npy(values, dtype, pad), [6, ...cuts.map((c) => c + 6)]);
          expect(got).toEqual(values);
        },
      ),
      { numRuns: 300, seed: 17 },
    );
  });

  test('float16: normal, subnormal, zero, one and the largest below one', async () => {
    // bits → value: 0x3c00 = 1, 0x0000 = 0, 0x3800 = 0.5, 0x0001 = 2^-24, 0x3bff = 1 − 2^-11.
    const bits = [0x3c00, 0x0000, 0x3800, 0x0001, 0x3bff, 0x03ff];
    const got = await labelsOf(npy(bits, '>f2', 3), [6, 70, 71, 73]);
    expect(got).toEqual([1, 0, 0.5, 2 ** -24, 1 - 2 ** -11, 1023 * 2 ** -24]);
  });
});
