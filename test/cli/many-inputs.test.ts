/**
 * `contribution --input A --input 'B*'` (issue 19, item 1): many files, or a glob, read as one
 * input. A file split into shards, the shards given in any order (some gzipped, some by a
 * glob), gives what one run over the file prints: counts exactly, totals to 4 EPS, --cdf bin
 * counts bit for bit. Globs that match nothing, a failing file, --skip-invalid across files;
 * and once, in a real process, files large enough for worker threads.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { ROOT, run, runProcess } from './run.js';
import { close, csv, EPS, type Example, example, table } from './shard-rows.js';

const TMP = mkdtempSync(join(tmpdir(), 'focal-many-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
let serial = 0;
function file(name: string, content: string | Uint8Array): string {
  const path = join(TMP, name);
  writeFileSync(path, content);
  return path;
}

async function ok(args: readonly string[]): Promise<string> {
  const result = await run(args);
  if (result.code !== 0) throw new Error(`focal ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/** One focal: line, exit 2, nothing on stdout. */
async function refused(args: readonly string[]): Promise<string> {
  const result = await run(args);
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr.split('\n').filter((l) => l !== '')).toHaveLength(1);
  return result.stderr;
}

describe('many files read as one', () => {
  test('any split and order, plain, gzip or by a glob: as one run over the file', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(example, { minLength: 1, maxLength: 200 }),
        fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 6, maxLength: 6 }),
        fc.integer({ min: 0, max: 719 }),
        fc.constantFrom('0,2', '0.5,7.3'),
        fc.boolean(),
        async (rows, cuts, kinds, order, gammas, cdf) => {
          const points = [...new Set(cuts.map((c) => c % (rows.length + 1)))].sort((a, b) => a - b);
          const edges = [0, ...points, rows.length];
          const shards = edges.slice(1).map((end, i) => rows.slice(edges[i], end));
          // Each shard written plain, gzipped, or into a folder that a glob reads.
          const dir = `g${serial++}`;
          mkdirSync(join(TMP, dir));
          const words: string[] = [];
          let globbed = false;
          for (const [i, shard] of shards.entries()) {
            const kind = kinds[i] ?? 0;
            if (kind === 2) {
              file(join(dir, `s${String(i).padStart(2, '0')}.csv`), csv(shard));
              if (!globbed) words.push(join(TMP, dir, 's*.csv'));
              globbed = true;
            } else {
              const name = `f${serial++}.csv${kind === 1 ? '.gz' : ''}`;
              words.push(file(name, kind === 1 ? gzipSync(csv(shard)) : csv(shard)));
            }
          }
          // Any order of the words: a permutation from `order`.
          let k = order;
          const pool = [...words];
          const ordered: string[] = [];
          while (pool.length > 0) {
            ordered.push(pool.splice(k % pool.length, 1)[0] as string);
            k = Math.floor(k / (pool.length + 1));
          }
          const options = ['-g', gammas, '--weight-col', 'w', '-a', '0.25,none', '-f', 'csv'];
          if (cdf) options.push('--cdf', '--top', '0.01,0.1,0.5,1');
          const inputs = ordered.flatMap((w) => ['--input', w]);
          const whole = file(`w${serial++}.csv`, csv(rows));
          const single = table(await ok(['contribution', '--input', whole, ...options]));
          const many = table(await ok(['contribution', ...inputs, ...options]));
          expect(many.length).toBe(single.length);
          const header = single[0] as string[];
          expect(many[0]).toEqual(header);
          for (const [i, row] of single.entries()) {
            for (const [j, name] of header.entries()) {
              const [a, b] = [many[i]?.[j] as string, row[j] as string];
              const eps = name === 'count' ? 0 : name === 'total' ? 4 * EPS : 9 * EPS;
              if (i > 0 && !close(a, b, eps)) throw new Error(`row ${i}, ${name}: ${a} vs ${b}`);
            }
          }
          if (cdf) {
            // The histogram's bin counts, bit for bit: the two runs' states.
            const state = async (input: string[]) =>
              JSON.parse(await ok(['contribution', ...input, '--partial', ...options]));
            const [one, all] = [await state(['--input', whole]), await state(inputs)];
            const width = 2 + new Set(gammas.split(',')).size;
            const counts = (bins: (number | string)[]) => bins.filter((_, n) => n % width === 0);
            expect(counts(all.histogram.bins)).toEqual(counts(one.histogram.bins));
            expect(all.histogram.infinite).toEqual(one.histogram.infinite);
            expect(all.rows).toBe(one.rows);
          }
        },
      ),
      { numRuns: 20 },
    );
  }, 300_000);
});

describe('globs, failing files and --skip-invalid', () => {
  const good = file('good.csv', 'p,y\n0.9,1\n0.2,0\n');
  const bad = file('bad.csv', 'p,y\n0.3,0\n1.5,0\nabc,1\n');
  const bad2 = file('bad2.csv', 'p,y\n0.4,1\nx,0\n');

  test('a glob that matches nothing: exit 2, naming --input and the pattern', async () => {
    const pattern = join(TMP, 'nothing-*.csv');
    expect(await refused(['contribution', '--input', good, '--input', pattern])).toBe(
      `focal: --input: no file matches ${pattern}\n`,
    );
  });

  test('a file whose name has glob characters is that file', async () => {
    const odd = file('run[1].csv', 'p,y\n0.9,1\n0.2,0\n');
    expect(await ok(['contribution', '--input', odd, '--input', good, '-f', 'csv'])).toBe(
      await ok(['contribution', '--input', good, '--input', good, '-f', 'csv']),
    );
  });

  test('- twice: exit 2', async () => {
    expect(await refused(['contribution', '--input', '-', '--input', '-'])).toBe(
      'focal: --input: - (standard input) given twice: it can be read once\n',
    );
  });

  test('a failing file stops the run with its name and line; the first in order is named', async () => {
    expect(await refused(['contribution', '--input', good, '--input', bad2, '--input', bad])).toBe(
      `focal: ${bad2}:3: column p: x is not a number\n`,
    );
    expect(
      await refused(['contribution', '--input', good, '--input', join(TMP, 'missing.csv')]),
    ).toMatch(/^focal: .*missing\.csv.*\n$/);
  });

  test('--skip-invalid: rows counted across files in one note, a corrupt file skipped and counted', async () => {
    const corrupt = file('corrupt.csv.gz', gzipSync('p,y\n0.5,1\n').subarray(0, 12));
    const result = await run([
      'contribution',
      '--input',
      good,
      '--input',
      bad2,
      '--input',
      corrupt,
      '--input',
      bad,
      '--skip-invalid',
      '-f',
      'csv',
    ]);
    expect(result.code).toBe(0);
    const notes = result.stderr.trim().split('\n');
    expect(notes[0]).toBe(
      `focal: note: skipped 3 malformed rows (--skip-invalid); the first: ${bad2}:3: column p: x is not a number`,
    );
    expect(notes[1]).toMatch(
      /^focal: note: skipped 1 file that could not be read \(--skip-invalid\); the first: .*corrupt\.csv\.gz/,
    );
    expect(notes).toHaveLength(2);
    // The good rows of all the files: as one file of them.
    const rows = file('rows.csv', 'p,y\n0.9,1\n0.2,0\n0.4,1\n0.3,0\n');
    expect(result.stdout).toBe(await ok(['contribution', '--input', rows, '-f', 'csv']));
  });
});

/** Splits the examples at random cuts into files (some empty), named in their order. */
function shardsOf(rows: readonly Example[], cuts: readonly number[]) {
  const dir = `l${serial++}`;
  mkdirSync(join(TMP, dir));
  return cut(rows, cuts).map((shard, i) => {
    return { path: file(join(dir, `s${String(i).padStart(2, '0')}.csv`), csv(shard)), shard };
  });
}

/** The rows cut at the given places (modulo their count; some parts empty), in order. */
function cut<T>(rows: readonly T[], cuts: readonly number[]): T[][] {
  const points = [...new Set(cuts.map((c) => c % (rows.length + 1)))].sort((a, b) => a - b);
  const edges = [0, ...points, rows.length];
  return edges.slice(1).map((end, i) => rows.slice(edges[i], end));
}

describe('loss and --loss LIST over many files (read one after the other)', () => {
  const splits = fc.tuple(
    fc.array(example, { minLength: 1, maxLength: 60 }),
    fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 4 }),
  );

  test('rows in file order, as the files concatenated; --line-numbers says FILE and LINE', async () => {
    await fc.assert(
      fc.asyncProperty(splits, fc.boolean(), async ([rows, cuts], family) => {
        const shards = shardsOf(rows, cuts);
        const paths = shards.map((s) => s.path);
        const whole = file(`w${serial++}.csv`, csv(rows));
        const options = family
          ? ['--loss', 'ce,fl,asl', '-f', 'csv']
          : ['-g', '0,2.5', '--weight-col', 'w', '--grad', '-f', 'csv'];
        const glob = join(paths[0] as string, '..', 's*.csv');
        const many = await ok(['loss', '--input', glob, ...options]);
        expect(many).toBe(await ok(['loss', '--input', whole, ...options]));
        // --line-numbers: the file and the line in it (awk's FILENAME and FNR).
        const numbered = table(
          await ok(['loss', ...paths.flatMap((p) => ['--input', p]), ...options, '--line-numbers']),
        );
        expect(numbered[0]?.slice(-2)).toEqual(['file', 'line']);
        const expected = shards.flatMap(({ path, shard }) =>
          shard.map((_, i) => [path, String(i + 2)]),
        );
        const perRow = (numbered.length - 1) / rows.length;
        const seen = numbered.slice(1).filter((_, i) => i % perRow === 0);
        expect(seen.map((r) => r.slice(-2))).toEqual(expected);
      }),
      { numRuns: 12 },
    );
  }, 300_000);

  test('--reduce and contribution --loss: the totals of the files concatenated', async () => {
    await fc.assert(
      fc.asyncProperty(
        splits,
        fc.constantFrom('sum', 'mean', 'pos-mean'),
        async ([rows, cuts], reduce) => {
          const shards = shardsOf(rows, cuts).reverse();
          const reversed = shards.flatMap((s) => ['--input', s.path]);
          // The rows in the order the files are given.
          const inOrder = file(`w${serial++}.csv`, csv(shards.flatMap((s) => s.shard)));
          const runs = [
            ['loss', '--reduce', reduce, '-g', '0,2', '--grad', '-f', 'csv'],
            ['loss', '--reduce', reduce, '--loss', 'ce,fl,poly1', '--grad', '-f', 'csv'],
            ['contribution', '--loss', 'ce,fl,asl', '--weight-col', 'w', '-f', 'csv'],
          ];
          for (const args of runs) {
            const single = table(await ok([...args, '--input', inOrder]));
            const many = table(await ok([...args, ...reversed]));
            expect(many.length).toBe(single.length);
            expect(many[0]).toEqual(single[0]);
            for (const [i, row] of single.entries()) {
              for (const [j, cell] of row.entries()) {
                if (i > 0 && !close(many[i]?.[j] as string, cell, 4 * EPS)) {
                  throw new Error(
                    `${args.join(' ')}: row ${i}, column ${j}: ${many[i]?.[j]} vs ${cell}`,
                  );
                }
              }
            }
          }
        },
      ),
      { numRuns: 12 },
    );
  }, 300_000);

  test('files whose scores differ (p, logit): exit 2 naming the file', async () => {
    const p = file('kind-p.csv', 'p,y\n0.9,1\n');
    const logit = file('kind-logit.csv', 'logit,y\n2,1\n');
    expect(await refused(['loss', '--input', p, '--input', logit, '--reduce', 'sum'])).toBe(
      `focal: ${logit}: its scores are logits, and those of the files before it are not: --reduce sums the files as one\n`,
    );
    const streamed = await run(['loss', '--input', p, '--input', logit, '-f', 'csv']);
    expect(streamed.code).toBe(2);
    expect(streamed.stderr).toMatch(
      new RegExp(
        `^focal: ${logit}: its columns \\(.*\\) differ from those of ${p} \\(.*\\): many --input files are read as one\n$`,
      ),
    );
  });
});

/** A wide row: three logits and the class (a, b or c). */
const wideRow = fc.tuple(
  fc.array(fc.double({ min: -30, max: 30, noNaN: true }), { minLength: 3, maxLength: 3 }),
  fc.constantFrom('a', 'b', 'c', 'a'),
);
type WideRow = [number[], string];
const wideCsv = (rows: readonly WideRow[], classes = 'logit_a,logit_b,logit_c') =>
  `${classes},label\n${rows.map(([x, y]) => `${x.join(',')},${y}\n`).join('')}`;

describe('wide files (--class-cols) over many files', () => {
  test('any split, any order: every command as the files concatenated', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(wideRow, { minLength: 1, maxLength: 30 }),
        fc.array(fc.integer({ min: 0, max: 32 }), { minLength: 1, maxLength: 3 }),
        fc.constantFrom('softmax', 'sigmoid'),
        async (drawn, cuts, activation) => {
          // Every class has a row (bias-init refuses a class without).
          const rows: WideRow[] = [
            [[0.5, -1, 2], 'c'],
            ...(drawn as WideRow[]),
            [[1, 2, -3], 'b'],
            [[3, 0, 1], 'a'],
          ];
          const shards = cut(rows, cuts);
          shards.reverse(); // given in another order than the cut
          const paths = shards.map((shard) => file(`wide${serial++}.csv`, wideCsv(shard)));
          const inOrder = file(`wide${serial++}.csv`, wideCsv(shards.flat()));
          const wide = ['--class-cols', 'logit_*', '--activation', activation, '-f', 'csv'];
          const runs = [
            ['contribution', '-g', '0,2'],
            ['contribution', '--loss', 'ce,fl,asl'],
            ['loss', '--reduce', 'mean', '-g', '0,2'],
            ['loss', '--loss', 'ce,fl', '--reduce', 'sum'],
            ['loss'],
            ['loss', '--loss', 'ce,asl'],
            ['balance'],
            ['bias-init'],
            ['plot', 'cdf', '-g', '0,2'],
          ];
          for (const args of runs) {
            const single = table(await ok([...args, ...wide, '--input', inOrder]));
            const many = table(
              await ok([...args, ...wide, ...paths.flatMap((p) => ['--input', p])]),
            );
            expect(many.length).toBe(single.length);
            expect(many[0]).toEqual(single[0]);
            for (const [i, row] of single.entries()) {
              for (const [j, cell] of row.entries()) {
                const other = many[i]?.[j] as string;
                if (i > 0 && other !== cell && !close(other, cell, 9 * EPS)) {
                  throw new Error(`${args.join(' ')}: row ${i}, column ${j}: ${other} vs ${cell}`);
                }
              }
            }
          }
        },
      ),
      { numRuns: 8 },
    );
  }, 300_000);

  test('a file whose classes differ: exit 2 naming it; --line-numbers names the file', async () => {
    const ab = file('wide-ab.csv', wideCsv([[[1, -2, 0], 'a']]));
    const ac = file('wide-ac.csv', 'logit_a,logit_c,label\n0.1,0.2,a\n');
    const wide = ['--class-cols', 'logit_*', '--activation', 'softmax'];
    for (const command of ['contribution', 'balance', 'bias-init']) {
      expect(await refused([command, '--input', ab, '--input', ac, ...wide])).toBe(
        `focal: ${ac}: its classes (a, c) differ from those of ${ab} (a, b, c): many --input files are read as one\n`,
      );
    }
    const numbered = await ok([
      'loss',
      '--input',
      ab,
      '--input',
      ab,
      ...wide,
      '--line-numbers',
      '-f',
      'csv',
    ]);
    expect(numbered.split('\n').map((l) => l.split(',').slice(-2).join(','))).toEqual(
      ['file,line', `${ab},2`, `${ab},2`, ','].map((x) => (x === ',' ? '' : x)),
    );
  });
});

describe('balance, bias-init and plot cdf of many files', () => {
  test('the shards of examples/predictions.csv by a glob: as the file', async () => {
    const glob = join(ROOT, 'examples/shards/preds-*.csv');
    const whole = join(ROOT, 'examples/predictions.csv');
    for (const command of ['balance', 'bias-init']) {
      const [many, one] = [
        await run([command, '--input', glob]),
        await run([command, '--input', whole]),
      ];
      expect(many.code).toBe(0);
      expect(many.stdout).toBe(one.stdout);
      expect(many.stderr).toBe('focal: note: 4 files: neg 1974, pos 26 (π = 0.013)\n');
    }
    const cdf = ['plot', 'cdf', '-g', '0,2', '-f', 'csv', '--input'];
    expect(await ok([...cdf, glob])).toBe(await ok([...cdf, whole]));
  });
});

describe('worker threads (a real process)', () => {
  test('files large enough for threads: as one file; a bad row named by its file and line', async () => {
    // Two files of ≈ 2.4 MB (over MANY_MIN_BYTES in all), standard input a third part.
    const lines = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => {
        const n = from + i;
        return `${((n * 0.6180339887498949) % 1).toPrecision(17)},${n % 53 === 0 ? 1 : 0}`;
      });
    const [a, b, c] = [lines(0, 110_000), lines(110_000, 110_000), lines(220_000, 1000)];
    const fa = file('big-a.csv', `p,y\n${a.join('\n')}\n`);
    const fb = file('big-b.csv', `p,y\n${b.join('\n')}\n`);
    const whole = file('big.csv', `p,y\n${[...a, ...b, ...c].join('\n')}\n`);
    const args = ['-g', '0,2', '--cdf', '--partial'];
    const one = runProcess(['contribution', '--input', whole, ...args]);
    const many = runProcess(
      ['contribution', '--input', fb, '--input', '-', '--input', fa, ...args],
      {
        input: `p,y\n${c.join('\n')}\n`,
      },
    );
    expect(many.stderr).toBe('');
    const [x, y] = [JSON.parse(one.stdout), JSON.parse(many.stdout)];
    expect(y.rows).toBe(x.rows);
    const counts = (bins: unknown[]) => bins.filter((_, n) => n % 4 === 0);
    expect(counts(y.histogram.bins)).toEqual(counts(x.histogram.bins));
    // The rows printed from each state (merge of one state: that run's rows).
    const rowsOf = async (state: string) =>
      table(await ok(['merge', file(`state${serial++}.json`, state), '-f', 'csv']));
    const [single, merged] = [await rowsOf(one.stdout), await rowsOf(many.stdout)];
    expect(merged.length).toBe(single.length);
    for (const [i, row] of single.entries()) {
      for (const [j, cell] of row.entries()) {
        if (!close(merged[i]?.[j] as string, cell, 9 * EPS)) {
          throw new Error(`row ${i}, column ${j}: ${merged[i]?.[j]} vs ${cell}`);
        }
      }
    }
    const broken = file('big-c.csv', `p,y\n${b.join('\n')}\n0.5,7\n`);
    const failed = runProcess(['contribution', '--input', fa, '--input', broken]);
    expect(failed.code).toBe(2);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toMatch(new RegExp(`^focal: ${broken}:110002: .*\\n$`));
  }, 120_000);
});
