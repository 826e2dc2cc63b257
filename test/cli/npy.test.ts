/**
 * numpy's binary dumps as `--input` (issue 17): `.npy` scores with `--labels`/`--weights`, and
 * `.npz` archives (stored and deflated). Fixtures: test/fixtures/input/npy/, written by
 * test/fixtures/generate_npy.py with the totals numpy computes (npy.json); the property test
 * writes random arrays as .npy and as CSV and asks for the same output.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import {
  BIN,
  bash,
  focalCommand,
  ROOT,
  records,
  relativeError,
  run,
  runProcess,
  sh,
  shellStatus,
  usageErrorProblems,
} from './run.js';

const DIR = join(ROOT, 'test/fixtures/input/npy');
const FIXTURES = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/npy.json'), 'utf8')) as {
  cases: { args: string[]; expected: Record<string, number> }[];
  bad: { args: string[]; mentions: string[] }[];
};

/** The arguments with the files' paths in the fixture directory. */
function located(args: readonly string[]): string[] {
  return args.map((a, i) =>
    ['--input', '--labels', '--weights'].includes(args[i - 1] ?? '') ? join(DIR, a) : a,
  );
}

describe('.npy and .npz inputs give the totals numpy gives', () => {
  test.each(FIXTURES.cases.map((c) => [c.args.join(' '), c] as const))('%s', async (_, c) => {
    const result = await run(['contribution', ...located(c.args), '-g', '0,2']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const problems: string[] = [];
    for (const row of records(result.stdout)) {
      const key = row.loss === 'ce' ? `ce/${row.group}` : `fl${row.gamma}/${row.group}`;
      // "inf" (the fixtures' convention): a probability of exactly 0 or 1 on the wrong side.
      const expected = Number(String(c.expected[key]).replace('inf', 'Infinity'));
      const actual = Number(row.total);
      // numpy's pairwise sums of float64 terms against focal's: far within 1e-12 for 61 terms.
      const ok =
        expected === actual ||
        (Number.isFinite(expected) && relativeError(actual, expected) < 1e-12);
      if (!ok) problems.push(`${key}: ${actual} vs numpy ${expected}`);
      if (Number(row.count) !== c.expected[`count/${row.group}`]) {
        problems.push(`count/${row.group}: ${row.count} vs ${c.expected[`count/${row.group}`]}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('bad binary inputs: one focal: line naming the file, exit 2', () => {
  test.each(FIXTURES.bad.map((b) => [b.args.join(' '), b] as const))('%s', async (_, b) => {
    const result = await run(['contribution', ...located(b.args)]);
    expect(usageErrorProblems(result, b.mentions)).toEqual([]);
  });

  test('probabilities read as logits by default: a note says so', async () => {
    const args = ['--input', join(DIR, 'p-f8-le.npy'), '--labels', join(DIR, 'labels-u1-le.npy')];
    const result = await run(['contribution', ...args]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      `focal: note: every score in ${join(DIR, 'p-f8-le.npy')} lies in [0, 1], and was read as a logit (the default for numpy arrays); for probabilities, say --score-kind p\n`,
    );
    const said = await run(['contribution', ...args, '--score-kind', 'logit']);
    expect([said.stderr, said.stdout]).toEqual(['', result.stdout]);
  });

  test('--labels with a text input, and a text option with a .npy input', async () => {
    const text = await run([
      'contribution',
      '--input',
      join(ROOT, 'test/fixtures/input/basic.csv'),
      '--labels',
      join(DIR, 'labels-u1-le.npy'),
    ]);
    expect(usageErrorProblems(text, ['--labels', 'is text'])).toEqual([]);
    const column = await run([
      'loss',
      '--input',
      join(DIR, 'logit-f8-le.npy'),
      '--labels',
      join(DIR, 'labels-u1-le.npy'),
      '--weight-col',
      'w',
    ]);
    expect(usageErrorProblems(column, ['--weight-col', '--weights'])).toEqual([]);
    const stdin = await run([
      'contribution',
      '--input',
      join(DIR, 'logit-f8-le.npy'),
      '--labels',
      '-',
    ]);
    // --labels - reads standard input (npy-stdin.test.ts): here empty, so not a .npy file.
    expect(usageErrorProblems(stdin, ['stdin', 'not a .npy file'])).toEqual([]);
  });
});

/** The header of a .npy file of `length` elements of `dtype`, as np.save writes it (version 1). */
function npyHeader(dtype: string, length: number): Buffer {
  const header = `{'descr': '${dtype}', 'fortran_order': False, 'shape': (${length},), }`;
  const padded = `${header.padEnd(64 * Math.ceil((header.length + 11) / 64) - 11, ' ')}\n`;
  const size = Buffer.alloc(2);
  size.writeUInt16LE(padded.length);
  return Buffer.concat([Buffer.from('\x93NUMPY\x01\x00', 'latin1'), size, Buffer.from(padded)]);
}

/** A .npy file of float64 (little-endian), float32 (big-endian) or uint8 values. */
function npy(values: readonly number[], dtype: '<f8' | '|u1' | '>f4'): Buffer {
  const width = dtype === '<f8' ? 8 : dtype === '>f4' ? 4 : 1;
  const data = Buffer.alloc(values.length * width);
  values.forEach((v, i) => {
    if (dtype === '<f8') data.writeDoubleLE(v, i * 8);
    else if (dtype === '>f4') data.writeFloatBE(v, i * 4);
    else data.writeUInt8(v, i);
  });
  return Buffer.concat([npyHeader(dtype, values.length), data]);
}

describe('a .npy pair gives what its CSV twin gives', () => {
  const dir = mkdtempSync(join(tmpdir(), 'focal-npy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('random arrays (logits or p; hard or soft labels; weights), contribution and loss', async () => {
    const example = fc.record({
      logit: fc.double({ min: -30, max: 30, noNaN: true }),
      hard: fc.boolean(),
      soft: fc.double({ min: 0, max: 1, noNaN: true }),
      weight: fc.double({ min: 0, max: 5, noNaN: true }),
    });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(example, { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        fc.boolean(),
        async (rows, asP, soft) => {
          n++;
          const scores = rows.map((r) => (asP ? 1 / (1 + Math.exp(-r.logit)) : r.logit));
          const labels = rows.map((r) => (soft ? r.soft : r.hard ? 1 : 0));
          const weights = rows.map((r) => r.weight);
          const s = join(dir, `s${n}.npy`);
          const y = join(dir, `y${n}.npy`);
          const w = join(dir, `w${n}.npy`);
          const csv = join(dir, `t${n}.csv`);
          writeFileSync(s, npy(scores, '<f8'));
          writeFileSync(y, soft ? npy(labels, '<f8') : npy(labels, '|u1'));
          writeFileSync(w, npy(weights, '<f8'));
          const kind = asP ? 'p' : 'logit';
          writeFileSync(
            csv,
            `${kind},y,w\n${rows.map((_, i) => `${scores[i]},${labels[i]},${weights[i]}`).join('\n')}\n`,
          );
          for (const command of ['contribution', 'loss']) {
            const binary = await run([
              command,
              '--input',
              s,
              '--labels',
              y,
              '--weights',
              w,
              '--score-kind',
              kind,
            ]);
            const text = await run([command, '--input', csv, '--weight-col', 'w']);
            expect(binary).toEqual(text);
          }
        },
      ),
      { numRuns: 25, seed: 17 },
    );
  });

  test('labels alone (balance, bias-init) and the focal family (--loss) as their CSV twin', async () => {
    const scores = [2.5, -1, 0.25, -3, 7, 0, -0.5];
    const labels = [1, 0, 1, 0, 1, 0, 0];
    writeFileSync(join(dir, 'fam.npy'), npy(scores, '<f8'));
    writeFileSync(join(dir, 'fam-y.npy'), npy(labels, '|u1'));
    writeFileSync(
      join(dir, 'fam.csv'),
      `logit,y\n${scores.map((v, i) => `${v},${labels[i]}`).join('\n')}\n`,
    );
    const twins: [string[], string[]][] = [
      [
        ['balance', '--input', join(dir, 'fam-y.npy')],
        ['balance', '--input', join(dir, 'fam.csv')],
      ],
      [
        ['bias-init', '--input', join(dir, 'fam-y.npy')],
        ['bias-init', '--input', join(dir, 'fam.csv')],
      ],
      [
        [
          'contribution',
          '--input',
          join(dir, 'fam.npy'),
          '--labels',
          join(dir, 'fam-y.npy'),
          '--loss',
          'asl',
        ],
        ['contribution', '--input', join(dir, 'fam.csv'), '--loss', 'asl'],
      ],
    ];
    for (const [binary, text] of twins) {
      const b = await run(binary);
      const t = await run(text);
      expect(b.code).toBe(0);
      expect(b.stdout).toBe(t.stdout);
      expect(b.stderr).toBe(t.stderr.replaceAll(join(dir, 'fam.csv'), join(dir, 'fam-y.npy')));
    }
  });

  test('big-endian float32 scores read as their CSV twin', async () => {
    const values = [0.5, -1.25, 3, -7.75, 1e-3];
    const rounded = values.map((v) => Math.fround(v));
    writeFileSync(join(dir, 'be.npy'), npy(values, '>f4'));
    writeFileSync(join(dir, 'be-y.npy'), npy([1, 0, 1, 0, 1], '|u1'));
    writeFileSync(
      join(dir, 'be.csv'),
      `logit,y\n${rounded.map((v, i) => `${v},${[1, 0, 1, 0, 1][i]}`).join('\n')}\n`,
    );
    const binary = await run([
      'loss',
      '--input',
      join(dir, 'be.npy'),
      '--labels',
      join(dir, 'be-y.npy'),
    ]);
    const text = await run(['loss', '--input', join(dir, 'be.csv')]);
    expect(binary.stdout).not.toBe('');
    expect(binary).toEqual(text);
  });
});

describe('a .npy input streams', () => {
  const dir = mkdtempSync(join(tmpdir(), 'focal-npy-big-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // 30,000,000 float32 logits and uint8 labels (all 0: logit 0, label 0), made on the fly and
  // read through pipes: held, they would take 150 MB more than the run's own ~85 MiB (~100 on
  // Node 24), so the bound tells streaming from holding.
  test('30,000,000 elements through pipes in flat memory', () => {
    const n = 30_000_000;
    const scores = join(dir, 'scores-header');
    const labels = join(dir, 'labels-header');
    writeFileSync(scores, npyHeader('<f4', n));
    writeFileSync(labels, npyHeader('|u1', n));
    const result = bash(
      `/usr/bin/time -f 'rss %M' ${focalCommand(['contribution', '--input', '-', '--labels', '/dev/fd/3', '-f', 'csv'])} ` +
        `< <(cat ${sh(scores)}; head -c ${4 * n} /dev/zero) 3< <(cat ${sh(labels)}; head -c ${n} /dev/zero)`,
    );
    const rss = Number(/rss (\d+)/.exec(result.stderr)?.[1]) / 1024;
    expect(result.stdout).toContain(`0.25,2,ce,neg,0,${n},0.5,`);
    if (!(rss <= 130)) throw new Error(`peak RSS ${rss.toFixed(1)} MiB (want ≤ 130 MiB)`);
  }, 180_000);
});

describe('a large .npy file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'focal-npy-large-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // Above PARALLEL_MIN_BYTES (8 MiB) a text file is split at a line end for two threads; a
  // .npy file is not text (its header ends with a line end too): parallel.ts leaves it to the
  // one-thread read at once (without that check the attempt failed on the header as text, and
  // fell back to the same read).
  test('above the two-thread size, read whole in one', () => {
    const n = 2_500_000;
    const scores = join(dir, 'scores.npy');
    const labels = join(dir, 'labels.npy');
    writeFileSync(scores, Buffer.concat([npyHeader('<f4', n), Buffer.alloc(4 * n)]));
    writeFileSync(labels, Buffer.concat([npyHeader('|u1', n), Buffer.alloc(n)]));
    // A process of its own: in jest's context the arithmetic of 2.5M rows is many times slower.
    const result = runProcess([
      'contribution',
      '--input',
      scores,
      '--labels',
      labels,
      '--score-kind',
      'logit',
      '-f',
      'csv',
    ]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(`0.25,2,ce,neg,0,${n},0.5,`);
  }, 120_000);
});

describe('a signal during a .npy read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'focal-npy-signal-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // 2,000,000 elements with 1,001 γ each take minutes: the signal comes in the middle of the
  // read, and is handled between chunks (npy.ts turns the event loop every ~20 ms of work).
  test('SIGINT: exit 130 soon, nothing on stderr', async () => {
    const n = 2_000_000;
    const scores = join(dir, 'scores.npy');
    const labels = join(dir, 'labels.npy');
    writeFileSync(scores, Buffer.concat([npyHeader('<f4', n), Buffer.alloc(4 * n)]));
    writeFileSync(labels, Buffer.concat([npyHeader('|u1', n), Buffer.alloc(n)]));
    const child = spawn(
      process.execPath,
      [BIN, 'contribution', '--input', scores, '--labels', labels, '-g', '0:10:0.01', '-f', 'csv'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.resume();
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code, signal) => resolve(shellStatus(code, signal))),
    );
    // Ready when focal's handlers are in place (SIGHUP's bit, installed after SIGINT's), and
    // then a little more, so that the read is under way.
    const caught = () => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        return (BigInt(`0x${/SigCgt:\s*([0-9a-f]+)/.exec(status)?.[1] ?? '0'}`) & 1n) !== 0n;
      } catch {
        return false;
      }
    };
    for (let waited = 0; !caught() && waited < 30_000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    const sent = Date.now();
    child.kill('SIGINT');
    const code = await exited;
    // Generous: the machine is shared; a read that ignored the signal would take minutes.
    expect([code, stderr]).toEqual([130, '']);
    expect(Date.now() - sent).toBeLessThan(20_000);
  }, 120_000);
});
