/**
 * The progress bar of a .npz input (issue 17): its members are read at their offsets by a
 * handle of their own, and those reads are what the bar reports (source.bytesRead). Checked on
 * the reads themselves, at each pause of the reader: no timing, no terminal.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { progressLine } from '../../src/cli/progress.js';
import { streamPredictions } from '../../src/input/predictions.js';
import { openInput } from '../../src/input/source.js';

const TMP = mkdtempSync(join(tmpdir(), 'focal-npz-progress-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

/** A .npy file of float64 values (C order, 1-D). */
function npy(values: Float64Array): Buffer {
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${values.length},), }`;
  header += `${' '.repeat(63 - ((header.length + 10) % 64))}\n`;
  const size = Buffer.alloc(2);
  size.writeUInt16LE(header.length);
  return Buffer.concat([
    Buffer.from('\x93NUMPY\x01\x00', 'latin1'),
    size,
    Buffer.from(header, 'latin1'),
    Buffer.from(values.buffer),
  ]);
}

/** A stored zip of the members (np.savez's layout; the reader does not check CRCs). */
function storedZip(members: readonly [string, Buffer][]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of members) {
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt32LE(data.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    parts.push(local, Buffer.from(name), data);
    central.push(entry, Buffer.from(name));
    offset += 30 + name.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}

describe('.npz progress', () => {
  test("bytesRead follows the members' reads to the end of the file", async () => {
    const n = 300_000; // 4.8 MB: several reads of 1 MiB
    const logits = new Float64Array(n).map((_, i) => Math.sin(i));
    const labels = new Float64Array(n).map((_, i) => (i % 3 === 0 ? 1 : 0));
    const path = join(TMP, 'dump.npz');
    const zip = storedZip([
      ['logits.npy', npy(logits)],
      ['labels.npy', npy(labels)],
    ]);
    writeFileSync(path, zip);
    const source = await openInput(path, () => {
      throw new Error('no stdin');
    });
    let rows = 0;
    const stream = streamPredictions(source, {}, () => () => {
      rows++;
    });
    const seen: number[] = [];
    for (let next = await stream.next(); !next.done; next = await stream.next()) {
      seen.push(source.bytesRead);
    }
    expect(rows).toBe(n);
    expect(seen.every((b, i) => i === 0 || b >= (seen[i - 1] as number))).toBe(true);
    expect(seen[0]).toBeLessThan(zip.length / 2);
    const last = seen[seen.length - 1] as number;
    expect(last).toBeGreaterThan(0.99 * zip.length);
    expect(last).toBeLessThanOrEqual(zip.length);
    expect(progressLine(source, 100)).toMatch(/ 99%|100%/);
  });
});
