/**
 * Long outputs formatted on two threads (src/format/row-threads.ts, issue 17): the same bytes
 * as on one, in csv, tsv and ndjson, for ranges and for `loss --input`; `| head -1` still quiet.
 * FOCAL_FORMAT_THREADS=2 starts the worker at the first slab and waits for it (so that it does
 * format some of the rows, however slow the machine), =1 keeps one thread; the sizes are
 * modest (past the 4,096 rows of the byte writer, a few slabs).
 * Signals while the worker formats: test/cli/faults.test.ts (FOCAL_FORMAT_THREADS=2 cases).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { bash, focalCommand, runProcess, sh } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'focal-row-threads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * 8,000 examples (170 kB: several batches through a pipe): probabilities of every size (tiny
 * ones need 16–17 digits), both labels.
 */
const predictions = join(dir, 'predictions.csv');
{
  let text = 'p,y\n';
  let seed = 11;
  for (let i = 0; i < 8000; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const u = seed / 2147483648;
    text += `${i % 5 === 0 ? Math.exp(-40 * u) : u},${i % 3 === 0 ? 1 : 0}\n`;
  }
  writeFileSync(predictions, text);
}

/**
 * stdout of focal as a process with FOCAL_FORMAT_THREADS set, as users run it: a process makes
 * one formatting thread and ends with it. (These runs found a Node 20 abort as a thread ended,
 * about one two-thread run in twenty on a loaded machine, `NodePlatform::ForIsolate`'s
 * assertion: src/format/row-threads.ts says why and what avoids it.)
 */
function withThreads(threads: '1' | '2', args: readonly string[]): string {
  const result = runProcess(args, { env: { FOCAL_FORMAT_THREADS: threads } });
  expect([result.code, result.stderr]).toEqual([0, '']);
  return result.stdout;
}

describe('two threads write the bytes of one', () => {
  const CASES: readonly [string, readonly string[], number][] = [
    ['weight range', ['weight', '--pt', '0:1:1e-4', '-g', '0,2'], 20_002],
    ['loss range, α none, --grad', ['loss', '--pt', '0:1:1e-4', '-a', 'none', '--grad'], 10_001],
    [
      'loss --input, -g 0,2 --grad',
      ['loss', '--input', predictions, '-g', '0,2', '--grad'],
      16_000,
    ],
    [
      'loss --input, --digits 4',
      ['loss', '--input', predictions, '-g', '0.5,1,3', '--digits', '4'],
      24_000,
    ],
  ];
  for (const format of ['csv', 'tsv', 'ndjson'] as const) {
    test.each(CASES)(`-f ${format}: %s`, (_name, args, rows) => {
      const one = withThreads('1', [...args, '-f', format]);
      const two = withThreads('2', [...args, '-f', format]);
      // The rows, a header (not in ndjson) and the empty string after the last line's end.
      expect(one.split('\n')).toHaveLength(rows + (format === 'ndjson' ? 1 : 2));
      expect(two === one).toBe(true);
    });
  }
});

describe('two threads as a process', () => {
  test('| head -1 stops at once and quietly, exit 0', () => {
    const command = focalCommand(['weight', '--pt', '0:1:1e-7', '-f', 'csv']);
    const result = bash(
      `FOCAL_FORMAT_THREADS=2 ${command} | head -1; echo "exit \${PIPESTATUS[0]}"`,
    );
    expect(result.stdout).toBe('alpha,gamma,y,pt,weight,ce_over_fl\nexit 0\n');
    expect(result.stderr).toBe('');
  });

  test('from a pipe (batch after batch) to a pipe: the bytes of one thread, every row', () => {
    const args = ['loss', '--input', '-', '-g', '0,2', '--grad', '-f', 'ndjson'];
    const [two, one] = ['2', '1'].map((threads) =>
      bash(`cat ${sh(predictions)} | FOCAL_FORMAT_THREADS=${threads} ${focalCommand(args)} | cat`),
    );
    expect([two?.code, two?.stderr, one?.code, one?.stderr]).toEqual([0, '', 0, '']);
    expect(one?.stdout.split('\n')).toHaveLength(16_001);
    expect(two?.stdout === one?.stdout).toBe(true);
  });
  test("loss --input takes the worker past 32,768 rows whatever its memory: one thread's bytes, peak RSS ≤ 100 MiB", () => {
    // 50,000 examples (two pieces of the file, 100,000 rows): the worker is started at row
    // 32,768 without FOCAL_FORMAT_THREADS (ColumnBatch.workerFits), on two cores or more.
    const big = join(dir, 'big.csv');
    let text = 'p,y\n';
    let seed = 7;
    for (let i = 0; i < 50_000; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      text += `${seed / 2147483648},${i % 4 === 0 ? 1 : 0}\n`;
    }
    writeFileSync(big, text);
    const command = focalCommand(['loss', '--input', big, '-g', '0,2', '--grad', '-f', 'csv']);
    const auto = bash(`/usr/bin/time -f 'rss %M' ${command} | md5sum`);
    const one = bash(`FOCAL_FORMAT_THREADS=1 ${command} | md5sum`);
    expect([auto.code, one.code, one.stderr]).toEqual([0, 0, '']);
    expect(auto.stdout).toBe(one.stdout);
    const rss = Number(/rss (\d+)/.exec(auto.stderr)?.[1]) / 1024;
    if (!(rss <= 100)) throw new Error(`peak RSS ${rss.toFixed(1)} MiB (want ≤ 100 MiB)`);
  });
});
