/**
 * Hardening (issue: fuzzed arguments, hostile input, huge output): signals, huge outputs in flat
 * memory, overflow that keeps its answer, and hostile input files.
 */
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { bash, focalCommand, NODE, ROOT, run, sh } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'focal-hardening-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('signals: 130 after SIGINT, 143 after SIGTERM, and only whole rows before', () => {
  test.each([
    ['INT', 130],
    ['TERM', 143],
  ])('SIG%s during a 10-million-row csv', (signal, code) => {
    const out = join(dir, `signal-${signal}.csv`);
    const command = focalCommand(['weight', '--pt', '0:1:1e-7', '-f', 'csv']);
    const result = bash(
      // Once rows are being written (the machine may be slow to start it).
      `${command} > ${sh(out)} & pid=$!; until [ -s ${sh(out)} ]; do sleep 0.05; done; kill -${signal} $pid; wait $pid; echo "exit $?"`,
    );
    expect(result.stdout.trim()).toBe(`exit ${code}`);
    const text = readFileSync(out, 'utf8');
    expect(text.length).toBeGreaterThan(0);
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.trimEnd().split('\n');
    expect(lines.length).toBeLessThan(10_000_002); // stopped early
    expect(lines.filter((line) => line.split(',').length !== 6)).toEqual([]);
  });
});

describe('huge outputs stream with flat memory and stop quietly when the reader goes away', () => {
  // Once per writer: csv and tsv are one writer (src/format/delimited.ts, its separator apart;
  // the test below), ndjson the other streamed one. 10 million rows once (csv); ndjson at 2
  // million, where rows held would already take several hundred MiB.
  test.each([
    ['csv', '1e-7', 10_000_002],
    ['ndjson', '5e-7', 2_000_001],
  ])(
    '-f %s, weight --pt 0:1:%s: %i lines to a pipe, peak RSS ≤ 100 MiB',
    (format, step, lines) => {
      const result = bash(
        `/usr/bin/time -f 'rss %M' ${focalCommand(['weight', '--pt', `0:1:${step}`, '-f', format])} | wc -l`,
      );
      const [rows, rss] = [
        Number(result.stdout.trim()),
        Number(/rss (\d+)/.exec(result.stderr)?.[1]) / 1024,
      ];
      expect(rows).toBe(lines);
      if (!(rss <= 100)) throw new Error(`peak RSS ${rss.toFixed(1)} MiB (want ≤ 100 MiB)`);
    },
    120_000,
  );

  test('tsv is the csv writer with tabs: weight --pt 0:1:5e-5, 20,002 lines alike', async () => {
    // Past 4,096 rows, where both are written as bytes (format/row-bytes.ts).
    const args = ['weight', '--pt', '0:1:5e-5'];
    const [csv, tsv] = [await run([...args, '-f', 'csv']), await run([...args, '-f', 'tsv'])];
    expect([csv.code, tsv.code, csv.stderr, tsv.stderr]).toEqual([0, 0, '', '']);
    expect(tsv.stdout.split('\n')).toHaveLength(20_003);
    expect(tsv.stdout).toBe(csv.stdout.replaceAll(',', '\t'));
  });

  test('| head -1 stops at once and quietly, exit 0', () => {
    const result = bash(
      `${focalCommand(['weight', '--pt', '0:1:1e-7', '-f', 'csv'])} | head -1; echo "exit \${PIPESTATUS[0]}"`,
    );
    expect(result.stdout).toBe('alpha,gamma,y,pt,weight,ce_over_fl\nexit 0\n');
    expect(result.stderr).toBe('');
  });
});

describe('overflow and underflow keep the answer', () => {
  test('--neg 1e308 --pos 1e308: totals overflow, shares stay finite and right', async () => {
    const rows = (
      await run(['contribution', '--neg', '1e308', '--pos', '1e308', '-f', 'ndjson'])
    ).stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const ce = rows.filter((r) => r.loss === 'ce');
    // Same counts: shares are the per-example losses' fractions.
    const [neg, pos] = [-Math.log(0.99), -Math.log(0.01)];
    expect(ce[1].share).toBeCloseTo(pos / (neg + pos), 14);
    expect(rows.every((r) => r.share >= 0 && r.share <= 1)).toBe(true);
  });

  test('per-example FL near 1e-304 times a count of 1e300: the share from scaled sums', async () => {
    // p_t = 1 − 2⁻⁵³ (exact), γ = 18: FL = α_t·(2⁻⁵³)¹⁸·CE ≈ 7e-304, times 1e300 ≈ 7e-4.
    const q = 2 ** -53;
    const result = await run([
      'contribution',
      '--group',
      `tiny:1e300:${1 - q}:1`,
      '--group',
      'half:1:0.5:1',
      '-g',
      '18',
      '-a',
      'none',
      '-f',
      'ndjson',
    ]);
    const fl = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .filter((r) => r.loss === 'fl');
    const lnTiny = Math.log(1e300) + 18 * Math.log(q) + Math.log(-Math.log1p(-q));
    const lnHalf = 18 * Math.log(0.5) + Math.log(Math.log(2));
    const expected = 1 / (1 + Math.exp(lnHalf - lnTiny));
    expect(fl[0].share).toBeCloseTo(expected, 12);
    expect(fl[0].share + fl[1].share).toBeCloseTo(1, 15);
  });

  test.each([['Infinity'], ['1e309'], ['NaN'], ['-1']])('--neg %s is refused', async (count) => {
    const result = await run(['contribution', '--neg', count]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^focal: --neg: /);
  });
});

describe('hostile input files', () => {
  test('no permission to read: exit 2, one line', () => {
    // As root every file is readable: run focal as nobody. nobody may not be able to read the
    // checkout (a clone under a 0700 directory), so it runs a copy of the built CLI in a
    // directory of its own that anyone can read (in /tmp: $TMPDIR may be private too).
    const copy = mkdtempSync('/tmp/focal-nobody-');
    try {
      cpSync(join(ROOT, 'bin'), join(copy, 'bin'), { recursive: true });
      cpSync(join(ROOT, 'dist', 'bundle'), join(copy, 'dist', 'bundle'), { recursive: true });
      chmodSync(copy, 0o755);
      const file = join(dir, 'secret.csv');
      writeFileSync(file, 'p,y\n0.5,1\n');
      chmodSync(file, 0o600);
      chmodSync(dir, 0o755);
      const result = bash(
        `cd ${sh(copy)} && setpriv --reuid=nobody --regid=nogroup --clear-groups ${[NODE, join(copy, 'bin', 'focal.cjs'), 'contribution', '--input', file].map(sh).join(' ')}`,
      );
      expect(result.stderr).toBe(`focal: --input: ${file}: permission denied\n`);
      expect(result.stdout).toBe('');
      expect(result.code).toBe(2);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  test('binary garbage: exit 2, one line, nothing on stdout', async () => {
    const file = join(dir, 'garbage.bin');
    const bytes = Buffer.alloc(300_000);
    let seed = 3;
    for (let i = 0; i < bytes.length; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      bytes[i] = seed >> 23;
    }
    writeFileSync(file, bytes);
    const result = await run(['contribution', '--input', file]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^focal: /);
  });

  test('a 1 GB line without a newline on stdin: refused after 1 MiB, in bounded memory', () => {
    const result = bash(
      `head -c 1000000000 /dev/zero | tr '\\\\0' 'x' | /usr/bin/time -f 'rss %M' ${focalCommand(['contribution', '--input', '-'])}; echo "exit \${PIPESTATUS[2]}"`,
    );
    expect(result.stdout).toBe('exit 2\n');
    expect(result.stderr).toMatch(/^focal: stdin:1: a line is longer than 1 MiB/);
    const rss = Number(/rss (\d+)/.exec(result.stderr)?.[1]) / 1024;
    expect(rss).toBeLessThan(100);
  });
});
