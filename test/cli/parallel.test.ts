/**
 * Large plain files are read on two threads (src/input/parallel.ts). The result must be the
 * one-thread result (gzip forces one thread), and anything unusual must fall back to one thread
 * with its exact error, line number and --skip-invalid counts.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, test } from '@jest/globals';
import { NODE, ROOT, runProcess } from './run.js';

// focal runs as a process here, not in-process: reading these 10 MB files inside a jest worker
// (its heap holds the test's rows) took 1.5× the CPU time of a process per read (bench/README.md,
// "Test suite").
const dir = mkdtempSync(join(tmpdir(), 'focal-parallel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ROWS = 450_000; // ≈ 10 MB: above the 8 MiB threshold

/** Rows `p,y` with p of 17 significant digits, a fixed pseudo-random sequence. */
function rows(count: number, quoteAt = -1): string[] {
  const lines: string[] = [];
  let seed = 7;
  for (let i = 0; i < count; i++) {
    seed = (seed * 48271) % 2147483647;
    const p = (seed / 2147483647).toPrecision(17);
    const y = i % 97 === 0 ? 1 : 0;
    lines.push(i === quoteAt ? `"${p}",${y}` : `${p},${y}`);
  }
  return lines;
}

function write(name: string, text: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const body = rows(ROWS);
const plain = write('plain.csv', `p,y\n${body.join('\n')}\n`);
const gzipped = write('plain.csv.gz', gzipSync(`p,y\n${body.join('\n')}\n`));

function table(stdout: string): string[][] {
  return stdout
    .trim()
    .split('\n')
    .map((line) => line.split(','));
}

/** Equal text columns, and numbers equal to `relative`. */
function expectClose(got: string[][], expected: string[][], relative: number): void {
  expect(got.length).toBe(expected.length);
  for (const [i, row] of got.entries()) {
    for (const [j, cell] of row.entries()) {
      const want = expected[i]?.[j] as string;
      const [a, b] = [Number(cell), Number(want)];
      if (Number.isNaN(a) || Number.isNaN(b) || cell === want) {
        expect(cell).toBe(want);
      } else if (Math.abs(a - b) > relative * Math.abs(b)) {
        throw new Error(
          `row ${i}, column ${j}: got ${cell}, expected ${want} (±${relative} relative)`,
        );
      }
    }
  }
}

describe('which files are read on two threads', () => {
  // The built module: its worker is dist/input/tally-worker.js.
  const parallel = import('../../dist/input/parallel.js') as Promise<
    typeof import('../../src/input/parallel.js')
  >;

  test('a large plain file is', async () => {
    const { tallyInParallel } = await parallel;
    const tallied = await tallyInParallel(plain, {}, [2], false);
    expect(tallied?.summary.rows).toBe(ROWS);
  });

  test.each([
    ['gzip', gzipped],
    ['a small file', write('small.csv', 'p,y\n0.5,1\n')],
    ['a file with a quoted field', write('quoted-early.csv', `p,y\n${rows(ROWS, 3).join('\n')}\n`)],
    ['a missing file', join(dir, 'missing.csv')],
  ])('%s is not', async (_, path) => {
    const { tallyInParallel } = await parallel;
    expect(await tallyInParallel(path, {}, [2], false)).toBeUndefined();
  });
});

describe('two threads give the one-thread answer', () => {
  test('totals and shares equal the gzip (one-thread) reading to 1e-14 relative', () => {
    const args = ['contribution', '-g', '0,2,5', '-a', '0.25,none', '-f', 'csv', '--input'];
    const two = runProcess([...args, plain]);
    const one = runProcess([...args, gzipped]);
    expect(two.code).toBe(0);
    expect(one.code).toBe(0);
    expect(two.stderr).toBe('');
    expectClose(table(two.stdout), table(one.stdout), 1e-14);
  });

  test('--cdf shares equal the one-thread reading', () => {
    const two = runProcess(['contribution', '--cdf', '-f', 'csv', '--input', plain]);
    const one = runProcess(['contribution', '--cdf', '-f', 'csv', '--input', gzipped]);
    expect(two.code).toBe(0);
    expectClose(table(two.stdout), table(one.stdout), 1e-12);
  });

  test('the same file gives the same digits every time', () => {
    const first = runProcess(['contribution', '-f', 'csv', '--input', plain]);
    const second = runProcess(['contribution', '-f', 'csv', '--input', plain]);
    expect(second.stdout).toBe(first.stdout);
  });
});

describe('anything unusual falls back to one thread, with exact messages', () => {
  test('a bad row near the end names its real line', () => {
    const lines = [...body];
    lines[ROWS - 3] = '1.5,0';
    const path = write('bad-late.csv', `p,y\n${lines.join('\n')}\n`);
    const result = runProcess(['contribution', '--input', path]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `focal: ${path}:${ROWS - 1}: column p: 1.5 is not a probability in [0, 1]\n`,
    );
  });

  test('--skip-invalid counts bad rows in both halves', () => {
    const lines = [...body];
    lines[10] = 'x,0';
    lines[ROWS - 10] = '0.5,7';
    const path = write('two-bad.csv', `p,y\n${lines.join('\n')}\n`);
    const result = runProcess(['contribution', '--skip-invalid', '-f', 'csv', '--input', path]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      `focal: note: skipped 2 malformed rows (--skip-invalid); the first: ${path}:12: column p: x is not a number\n`,
    );
    const [neg, pos] = table(result.stdout)
      .slice(1, 3)
      .map((r) => Number(r[5]));
    expect((neg ?? 0) + (pos ?? 0)).toBe(ROWS - 2);
  });

  test('a quoted field in the second half: one thread, same totals', () => {
    const path = write('quoted.csv', `p,y\n${rows(ROWS, ROWS - 5).join('\n')}\n`);
    const quoted = runProcess(['contribution', '-f', 'csv', '--input', path]);
    const one = runProcess(['contribution', '-f', 'csv', '--input', gzipped]);
    expect(quoted.code).toBe(0);
    expectClose(table(quoted.stdout), table(one.stdout), 1e-14);
  });

  test('ignored labels are counted in both halves', () => {
    const lines = [...body];
    lines[5] = '0.5,-1';
    lines[ROWS - 5] = '0.5,-1';
    const path = write('ignored.csv', `p,y\n${lines.join('\n')}\n`);
    const result = runProcess([
      'contribution',
      '--ignore-label',
      '-1',
      '-f',
      'csv',
      '--input',
      path,
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      'focal: note: skipped 2 rows with an ignored label (--ignore-label)\n',
    );
  });
});

describe('a large .npy file of scores: split by elements (issue 17)', () => {
  const COUNT = 2 ** 21 + 1000; // just above NPY_PARALLEL_MIN_ELEMENTS
  /** A version 1.0 .npy file of a 1-D array. */
  function npy(name: string, descr: string, data: ArrayBufferView & { length: number }): string {
    let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${data.length},), }`;
    header += ' '.repeat(63 - ((10 + header.length) % 64));
    const head = Buffer.alloc(10);
    head.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    head.writeUInt16LE(header.length + 1, 8);
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    return write(name, Buffer.concat([head, Buffer.from(`${header}\n`, 'latin1'), bytes]));
  }
  const logits = new Float32Array(COUNT);
  const labels = new Uint8Array(COUNT);
  let seed = 11;
  for (let i = 0; i < COUNT; i++) {
    seed = (seed * 48271) % 2147483647;
    logits[i] = (seed / 2147483647) * 16 - 10;
    labels[i] = i % 13 === 0 ? 1 : 0;
  }
  const scores = npy('logits.npy', '<f4', logits);
  const labelFile = npy('labels.npy', '|u1', labels);
  // The same array in a version 2.0 file: read in one thread (parallel.ts splits 1.0 files).
  function npy2(name: string, data: Float32Array): string {
    const path = npy(name, '<f4', data);
    const bytes = readFileSync(path);
    const length = bytes.readUInt16LE(8);
    const head = Buffer.alloc(12);
    head.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 2, 0]);
    head.writeUInt32LE(length + 62, 8); // the header padded on to a multiple of 64 bytes again
    const text = `${bytes.subarray(10, 10 + length - 1).toString('latin1')}${' '.repeat(62)}\n`;
    return write(
      name,
      Buffer.concat([head, Buffer.from(text, 'latin1'), bytes.subarray(10 + length)]),
    );
  }
  const args = ['contribution', '-g', '0,0.5,2,5', '-a', '0.25,none', '-f', 'csv'];

  test('a version 1.0 file is split, the same array in 2.0 is not', () => {
    const v2 = npy2('logits-v2.npy', logits);
    // In a Node of its own (a file, not -e: a worker inherits execArgv): the main thread's half,
    // two million elements, took seconds in jest's module sandbox.
    const script = join(dirname(scores), 'split.mjs');
    writeFileSync(
      script,
      `const { tallyInParallel } = await import(${JSON.stringify(`${ROOT}dist/input/parallel.js`)});
       const two = await tallyInParallel(${JSON.stringify(scores)}, { labels: ${JSON.stringify(labelFile)} }, [2], false);
       const v2 = await tallyInParallel(${JSON.stringify(v2)}, { labels: ${JSON.stringify(labelFile)} }, [2], false);
       process.stdout.write(JSON.stringify({ rows: two?.summary.rows, v2: v2 === undefined }));`,
    );
    const child = spawnSync(NODE, [script], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual({ rows: COUNT, v2: true });
  });

  test('the two threads give the one-thread totals, to 1e-14 relative', () => {
    const two = runProcess([...args, '--input', scores, '--labels', labelFile]);
    const one = runProcess([...args, '--input', npy2('one.npy', logits), '--labels', labelFile]);
    expect(two.code).toBe(0);
    expect(one.code).toBe(0);
    expect(two.stderr).toBe('');
    expectClose(table(two.stdout), table(one.stdout), 1e-14);
  });

  test('a bad label in the second part: one thread, its element named', () => {
    const bad = labels.slice();
    bad[COUNT - 3] = 7;
    bad[0] = 0;
    const path = npy('labels-bad.npy', '|u1', bad);
    const result = runProcess(['contribution', '--input', scores, '--labels', path]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `focal: ${path}[${COUNT - 3}]: 7 is not a label (0 or 1, or a soft label in [0, 1]); --ignore-label 7 skips such elements\n`,
    );
  });

  test('scores all in [0, 1]: the note that they were read as logits, only if both parts say so', () => {
    const unit = logits.map((x) => Math.abs(x) / 10);
    const read = (name: string) =>
      runProcess([...args, '--input', npy(name, '<f4', unit), '--labels', labelFile]);
    const noted = read('unit.npy');
    expect(noted.code).toBe(0);
    expect(noted.stderr).toMatch(/^focal: note: every score in .*unit\.npy lies in \[0, 1\]/);
    unit[COUNT - 1] = 3; // one score in the worker's part is not in [0, 1]
    const late = read('late.npy');
    expect(late.code).toBe(0);
    expect(late.stderr).toBe('');
  });
});
