/**
 * Wide files, one score column per class (issue 16, item 3): `--class-cols` with `--activation
 * sigmoid|softmax`. The oracle is numpy: test/fixtures/generate_wide.py writes the files under
 * test/fixtures/input/wide/ and the losses numpy computes from them (wide.json).
 *
 * Tolerance: 256 EPS relative per value, as in layouts.test.ts (logits within ±6: −ln p_t has
 * condition number ≤ 50 and numpy rounds each step once); the groups' totals are sums of ≤ 36
 * positive terms, which numpy adds plainly (≤ 36 EPS more): 512 EPS.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { ROOT, records, relativeError, run, usageErrorProblems } from './run.js';
import { longText, sigmoidRows, wideText } from './wide-cases.js';

const EPS = 2 ** -52;
const DIR = 'test/fixtures/input/wide';
const file = (name: string) => `${DIR}/${name}`;

interface Cell {
  readonly class: string;
  readonly y: number;
  readonly logit: string;
  readonly pt: string;
  readonly ce: string;
  readonly fl: string;
}
interface Totals {
  readonly count: string | number;
  readonly ce: string;
  readonly fl: string;
}
interface SoftRow {
  readonly class?: string;
  readonly target: number;
  readonly pt: string;
  readonly ce: string;
  readonly fl: string;
}
const ORACLE = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/wide.json'), 'utf8')) as {
  readonly classes: readonly string[];
  readonly sigmoid: { readonly cells: readonly Cell[]; readonly groups: Record<string, Totals> };
  readonly softmax: { readonly rows: readonly SoftRow[]; readonly groups: Record<string, Totals> };
  readonly softmax_p: { readonly rows: readonly SoftRow[] };
  readonly multi_hot: { readonly cells: readonly Cell[] };
};

const TMP = mkdtempSync(join(tmpdir(), 'focal-wide-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
function tempFile(name: string, content: string): string {
  const path = join(TMP, name);
  writeFileSync(path, content);
  return path;
}

/** Mismatches of `got[column]` with `want[column]` beyond `tolerance` (relative). */
function compare(
  where: string,
  got: Record<string, string>,
  want: Record<string, unknown>,
  columns: readonly string[],
  tolerance: number,
): string[] {
  return columns.flatMap((c) => {
    const error = relativeError(Number(got[c]), Number(want[c]));
    return error <= tolerance
      ? []
      : [`${where}: ${c} ${got[c]}, numpy ${want[c]}: ${(error / EPS).toFixed(1)} EPS`];
  });
}

const SIGMOID = ['--class-cols', 'logit_*', '--activation', 'sigmoid', '--background', '-1'];
const SETTING = ['-a', '0.25', '-g', '2', '-f', 'csv'];

describe('sigmoid (RetinaNet-like: class logits, a class index with -1 background)', () => {
  test('loss --input gives a row per (row, class), as numpy', async () => {
    const result = await run(['loss', '--input', file('sigmoid.csv'), ...SIGMOID, ...SETTING]);
    expect(result.stderr).toBe('');
    const got = records(result.stdout);
    const want = ORACLE.sigmoid.cells;
    expect(got.length).toBe(want.length);
    const problems = got.flatMap((row, i) => {
      const w = want[i] as Cell;
      const head =
        row.class === w.class && Number(row.y) === w.y && Number(row.logit) === Number(w.logit)
          ? []
          : [`row ${i}: ${row.class} y ${row.y}, not ${w.class} y ${w.y}`];
      return [...head, ...compare(`row ${i}`, row, { ...w }, ['pt', 'ce', 'fl'], 256 * EPS)];
    });
    expect(problems).toEqual([]);
  });

  test('contribution --input: per class CLASS:neg, CLASS:pos, then all:neg, all:pos, weighted', async () => {
    const result = await run([
      'contribution',
      '--input',
      file('sigmoid.csv'),
      ...SIGMOID,
      '--weight-col',
      'w',
      ...SETTING,
    ]);
    expect(result.stderr).toBe('');
    const got = records(result.stdout);
    const groups = ORACLE.classes
      .flatMap((c) => [`${c}:neg`, `${c}:pos`])
      .concat(['all:neg', 'all:pos']);
    expect(got.map((r) => r.group)).toEqual([...groups, ...groups]);
    const problems = got.flatMap((row) => {
      const want = ORACLE.sigmoid.groups[row.group as string] as Totals;
      const loss = row.loss as 'ce' | 'fl';
      return compare(
        `${row.group} ${loss}`,
        row,
        { count: want.count, total: want[loss] },
        ['count', 'total'],
        512 * EPS,
      );
    });
    expect(problems).toEqual([]);
    // The class groups' shares are of the whole file's loss: they add up to 1 per loss.
    for (const loss of ['ce', 'fl']) {
      const sum = got
        .filter((r) => r.loss === loss && !(r.group as string).startsWith('all:'))
        .reduce((s, r) => s + Number(r.share), 0);
      expect(Math.abs(sum - 1)).toBeLessThan(1e-12);
    }
  });

  test('a wide sigmoid file gives the same totals as the long binary file of its cells', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(sigmoidRows(4, 6), async (cells) => {
        const [classes] = cells;
        n++;
        const args = ['-a', '0.25', '-g', '0,2,3.5', '-f', 'csv'];
        const a = await run([
          'contribution',
          '--input',
          tempFile(`wide-${n}.csv`, wideText(cells)),
          '--class-cols',
          `0:${classes - 1}`,
          '--activation',
          'sigmoid',
          '--background',
          '-1',
          ...args,
        ]);
        const b = await run([
          'contribution',
          '--input',
          tempFile(`long-${n}.csv`, longText(cells)),
          ...args,
        ]);
        const all = records(a.stdout).filter((r) => (r.group as string).startsWith('all:'));
        const plain = records(b.stdout);
        expect(all.length).toBe(plain.length);
        const problems = all.flatMap((row, i) => {
          const want = plain[i] as Record<string, string>;
          const head = row.group === `all:${want.group}` ? [] : [`${row.group} vs ${want.group}`];
          return [
            ...head,
            ...compare(`${row.group}`, row, want, ['count', 'pt', 'total', 'share'], 8 * EPS),
          ];
        });
        expect(problems).toEqual([]);
      }),
      { numRuns: 25, seed: 16 },
    );
  });
});

describe('--cdf per class', () => {
  test("sigmoid: the all groups' shares are the long binary file's; each class has its own", async () => {
    const wide = readFileSync(join(ROOT, file('sigmoid.csv')), 'utf8')
      .trim()
      .split('\n')
      .slice(1);
    const long = [
      'logit,y',
      ...wide.flatMap((line) => {
        const fields = line.split(',');
        const y = Number(fields[5]);
        return fields.slice(1, 5).map((z, k) => `${z},${k === y ? 1 : 0}`);
      }),
    ].join('\n');
    const common = ['--cdf', '--top', '0.05,0.25,1', '-g', '0,2', '-f', 'csv'];
    const a = await run(['contribution', '--input', file('sigmoid.csv'), ...SIGMOID, ...common]);
    const b = await run(['contribution', '--input', tempFile('cells.csv', `${long}\n`), ...common]);
    expect(a.stderr + b.stderr).toBe('');
    const got = records(a.stdout);
    const groups = new Set(got.map((r) => r.group));
    expect([...groups]).toEqual([
      ...ORACLE.classes.flatMap((c) => [`${c}:neg`, `${c}:pos`]),
      'all:neg',
      'all:pos',
    ]);
    const all = got.filter((r) => (r.group as string).startsWith('all:'));
    const plain = records(b.stdout);
    expect(all.map((r) => [r.gamma, r.loss, r.group, r.top_fraction])).toEqual(
      plain.map((r) => [r.gamma, r.loss, `all:${r.group}`, r.top_fraction]),
    );
    const problems = all.flatMap((row, i) =>
      compare(
        `${row.group} ${row.loss} ${row.top_fraction}`,
        row,
        { ...plain[i] },
        ['loss_share'],
        16 * EPS,
      ),
    );
    expect(problems).toEqual([]);
    // Each class group's whole loss is its own: top 1 is 1 (or NaN for a group without rows).
    for (const row of got.filter((r) => r.top_fraction === '1')) {
      expect(['1', 'NaN']).toContain(row.loss_share);
    }
  });
});

describe('loss --input of a wide file: --grad, --star, --reduce', () => {
  /** sigmoid.csv as the long binary file of its cells (logit, y, w), in row-major order. */
  const cells = () => {
    const wide = readFileSync(join(ROOT, file('sigmoid.csv')), 'utf8')
      .trim()
      .split('\n')
      .slice(1);
    const long = [
      'logit,y,w',
      ...wide.flatMap((line) => {
        const f = line.split(',');
        return f.slice(1, 5).map((z, k) => `${z},${k === Number(f[5]) ? 1 : 0},${f[6]}`);
      }),
    ].join('\n');
    return tempFile('grad-cells.csv', `${long}\n`);
  };

  test("sigmoid rows with --grad --star and --weight-col are the long file's rows", async () => {
    const common = ['--grad', '--star', '--weight-col', 'w', '-g', '2,3.5', '-f', 'csv'];
    const a = await run(['loss', '--input', file('sigmoid.csv'), ...SIGMOID, ...common]);
    const b = await run(['loss', '--input', cells(), ...common]);
    expect(a.stderr + b.stderr).toBe('');
    const got = a.stdout.trim().split('\n');
    const want = b.stdout.trim().split('\n');
    expect(got[0]).toBe(`class,${want[0]}`);
    expect(got.slice(1).map((line) => line.slice(line.indexOf(',') + 1))).toEqual(want.slice(1));
  });

  test("--keep-col leads each row with the row's ids, cell by cell", async () => {
    const result = await run([
      'loss',
      '--input',
      file('sigmoid.csv'),
      ...SIGMOID,
      '--keep-col',
      'id',
      ...SETTING,
    ]);
    expect(result.stderr).toBe('');
    const got = records(result.stdout);
    const ids = readFileSync(join(ROOT, file('sigmoid.csv')), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .flatMap((line) => Array(4).fill(line.split(',')[0]));
    expect(got.map((r) => r.id)).toEqual(ids);
    expect(got.map((r) => r.class)).toEqual(ORACLE.sigmoid.cells.map((c) => c.class));
  });

  test("--reduce sum, mean and pos-mean over the cells are the long file's", async () => {
    for (const how of ['sum', 'mean', 'pos-mean']) {
      const common = ['--reduce', how, '--weight-col', 'w', '-g', '0,2', '-f', 'csv'];
      const a = await run(['loss', '--input', file('sigmoid.csv'), ...SIGMOID, ...common]);
      const b = await run(['loss', '--input', cells(), ...common]);
      expect(a.stderr + b.stderr).toBe('');
      expect(a.stdout).toBe(b.stdout);
    }
  });

  test('softmax --reduce sum is the sum of the rows; pos-mean and --grad are refused', async () => {
    const args = ['--class-cols', 'logit_*', '--activation', 'softmax'];
    const sum = await run([
      'loss',
      '--input',
      file('softmax.csv'),
      ...args,
      '--reduce',
      'sum',
      ...SETTING,
    ]);
    expect(sum.stderr).toBe('');
    const [row] = records(sum.stdout);
    const rows = ORACLE.softmax.rows;
    const ce = rows.reduce((t, r) => t + Number(r.ce), 0);
    const fl = rows.reduce((t, r) => t + Number(r.fl), 0);
    expect(row?.n).toBe(String(rows.length));
    expect(compare('sum', row ?? {}, { ce, fl }, ['ce', 'fl'], 512 * EPS)).toEqual([]);
    const posMean = await run([
      'loss',
      '--input',
      file('softmax.csv'),
      ...args,
      '--reduce',
      'pos-mean',
    ]);
    expect(usageErrorProblems(posMean, ['pos-mean is for --activation sigmoid'])).toEqual([]);
    const grad = await run(['loss', '--input', file('softmax.csv'), ...args, '--grad']);
    expect(usageErrorProblems(grad, ['--grad and --star are for --activation sigmoid'])).toEqual(
      [],
    );
  });
});

describe('plot cdf of a wide file', () => {
  test('all cells by default (as the long file of the cells), or the classes of --classes', async () => {
    const wide = readFileSync(join(ROOT, file('sigmoid.csv')), 'utf8')
      .trim()
      .split('\n')
      .slice(1);
    const long = [
      'logit,y',
      ...wide.flatMap((line) => {
        const fields = line.split(',');
        return fields.slice(1, 5).map((z, k) => `${z},${k === Number(fields[5]) ? 1 : 0}`);
      }),
    ].join('\n');
    const common = ['-g', '0,2', '-f', 'csv'];
    const a = await run(['plot', 'cdf', '--input', file('sigmoid.csv'), ...SIGMOID, ...common]);
    const b = await run([
      'plot',
      'cdf',
      '--input',
      tempFile('plot-cells.csv', `${long}\n`),
      ...common,
    ]);
    expect(a.stderr + b.stderr).toBe('');
    const got = records(a.stdout);
    const want = records(b.stdout);
    expect(got.map((r) => [r.series, r.x])).toEqual(want.map((r) => [`all:${r.series}`, r.x]));
    const problems = got.flatMap((row, i) =>
      compare(`${row.series} ${row.x}`, row, { ...want[i] }, ['value'], 16 * EPS),
    );
    expect(problems).toEqual([]);
    const c = await run([
      'plot',
      'cdf',
      '--input',
      file('sigmoid.csv'),
      ...SIGMOID,
      '--classes',
      'dog,FOX',
      ...common,
    ]);
    expect(c.stderr).toBe('');
    expect([...new Set(records(c.stdout).map((r) => r.series))]).toEqual([
      'dog:neg gamma=0',
      'dog:pos gamma=0',
      'fox:neg gamma=0',
      'fox:pos gamma=0',
      'dog:neg gamma=2',
      'dog:pos gamma=2',
      'fox:neg gamma=2',
      'fox:pos gamma=2',
    ]);
    const d = await run([
      'plot',
      'cdf',
      '--input',
      file('sigmoid.csv'),
      ...SIGMOID,
      '--classes',
      'emu',
    ]);
    expect(usageErrorProblems(d, ['--classes: emu is not a class', 'cat, dog, fox, owl'])).toEqual(
      [],
    );
  });
});

describe('sigmoid, multi-hot targets (--target-cols)', () => {
  test('loss --input gives a row per (row, class), as numpy', async () => {
    const result = await run([
      'loss',
      '--input',
      file('multi-hot.csv'),
      '--class-cols',
      'logit_*',
      '--target-cols',
      't_*',
      '--activation',
      'sigmoid',
      ...SETTING,
    ]);
    expect(result.stderr).toBe('');
    const got = records(result.stdout);
    const want = ORACLE.multi_hot.cells;
    expect(got.map((r) => [r.class, Number(r.y)])).toEqual(want.map((w) => [w.class, w.y]));
    const problems = got.flatMap((row, i) =>
      compare(`row ${i}`, row, { ...want[i] }, ['pt', 'ce', 'fl'], 256 * EPS),
    );
    expect(problems).toEqual([]);
  });

  test('one-hot targets give what the class-index label gives', async () => {
    const index = tempFile('index.csv', 'a,b,y\n1.5,-2,0\n-3,0.25,1\n2,2,-1\n');
    const hot = tempFile('hot.csv', 'a,b,ta,tb\n1.5,-2,1,0\n-3,0.25,0,1\n2,2,0,0\n');
    const common = ['--class-cols', 'a,b', '--activation', 'sigmoid', '-g', '0,2', '-f', 'csv'];
    const a = await run(['contribution', '--input', index, ...common, '--background', '-1']);
    const b = await run(['contribution', '--input', hot, ...common, '--target-cols', 'ta,tb']);
    expect(a.stderr + b.stderr).toBe('');
    expect(b.stdout).toBe(a.stdout);
  });

  test('a target other than 0 or 1 is a FILE:LINE error', async () => {
    const path = tempFile('hot-bad.csv', 'a,b,ta,tb\n1,2,1,0\n1,2,0,2\n');
    const result = await run([
      'loss',
      '--input',
      path,
      '--class-cols',
      'a,b',
      '--target-cols',
      'ta,tb',
      '--activation',
      'sigmoid',
    ]);
    expect(usageErrorProblems(result, [':3:', 'column tb: 2 is not a target (0 or 1)'])).toEqual(
      [],
    );
  });
});

describe('softmax (one example per row)', () => {
  test('loss --input: class names as labels, a row per row, as numpy', async () => {
    const result = await run([
      'loss',
      '--input',
      file('softmax.csv'),
      '--class-cols',
      'logit_*',
      '--activation',
      'softmax',
      ...SETTING,
    ]);
    expect(result.stderr).toBe('');
    const got = records(result.stdout);
    const want = ORACLE.softmax.rows;
    expect(got.map((r) => [r.class, Number(r.target)])).toEqual(
      want.map((w) => [w.class, w.target]),
    );
    const problems = got.flatMap((row, i) =>
      compare(`row ${i}`, row, { ...want[i] }, ['pt', 'ce', 'fl'], 256 * EPS),
    );
    expect(problems).toEqual([]);
  });

  test('loss --input on probabilities with class indices (positions 0:3)', async () => {
    const result = await run([
      'loss',
      '--input',
      file('softmax-p.csv'),
      '--class-cols',
      '0:3',
      '--score-kind',
      'p',
      '--activation',
      'softmax',
      ...SETTING,
    ]);
    expect(result.stderr).toBe('');
    const got = records(result.stdout);
    const want = ORACLE.softmax_p.rows;
    expect(got.map((r) => Number(r.target))).toEqual(want.map((w) => w.target));
    expect(
      got.flatMap((row, i) =>
        compare(`row ${i}`, row, { ...want[i] }, ['pt', 'ce', 'fl'], 256 * EPS),
      ),
    ).toEqual([]);
  });

  test('contribution --input: one group per target class, then all', async () => {
    const result = await run([
      'contribution',
      '--input',
      file('softmax.csv'),
      '--class-cols',
      'logit_cat,logit_dog,logit_fox,logit_owl',
      '--activation',
      'softmax',
      ...SETTING,
    ]);
    expect(result.stderr).toBe('');
    const got = records(result.stdout);
    const columns = ['cat', 'dog', 'fox', 'owl', 'all'];
    expect(got.map((r) => r.group)).toEqual([...columns, ...columns]);
    const problems = got.flatMap((row) => {
      const name = row.group as string;
      const want = ORACLE.softmax.groups[name] as Totals;
      if (Number(want.count) === 0) return Number(row.total) === 0 ? [] : [`${name}: not 0`];
      const loss = row.loss as 'ce' | 'fl';
      return compare(
        `${name} ${loss}`,
        row,
        { count: want.count, total: want[loss] },
        ['count', 'total'],
        512 * EPS,
      );
    });
    expect(problems).toEqual([]);
  });

  test('softmax over two classes equals the sigmoid of the logit difference', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.integer({ min: -2000, max: 2000 }),
            fc.integer({ min: -2000, max: 2000 }),
            fc.integer({ min: 0, max: 1 }),
          ),
          { minLength: 1, maxLength: 8 },
        ),
        async (rows) => {
          n++;
          // Multiples of 1/64: their difference is exact, so both files say the same logit.
          const wide = ['a,b,y', ...rows.map(([a, b, t]) => `${a / 64},${b / 64},${t}`)].join('\n');
          const long = ['logit,y', ...rows.map(([a, b, t]) => `${(b - a) / 64},${t}`)].join('\n');
          const args = ['-a', '0.25', '-g', '0,2,3.5', '-f', 'csv'];
          const s = await run([
            'loss',
            '--input',
            tempFile(`two-${n}.csv`, `${wide}\n`),
            '--class-cols',
            'a,b',
            '--activation',
            'softmax',
            ...args,
          ]);
          const b = await run(['loss', '--input', tempFile(`diff-${n}.csv`, `${long}\n`), ...args]);
          const got = records(s.stdout);
          const want = records(b.stdout);
          expect(got.length).toBe(want.length);
          // α applies to every softmax class; the binary rows' α_t is α only for y = 1: compare
          // CE and p_t everywhere, FL where y = 1.
          const problems = got.flatMap((row, i) => {
            const w = want[i] as Record<string, string>;
            return compare(
              `row ${i}`,
              row,
              w,
              w.y === '1' ? ['pt', 'ce', 'fl'] : ['pt', 'ce'],
              4 * EPS,
            );
          });
          expect(problems).toEqual([]);
        },
      ),
      { numRuns: 25, seed: 17 },
    );
  });
});

describe('--class-alpha from files: one α per class', () => {
  const ALPHAS = [0.1, 0.5, 0.75, 0.9];
  /** numpy's FL at α = 0.25, rescaled to class k's α (α_t is a factor of FL). */
  const scaled = (fl: string, k: number, y: number) =>
    (Number(fl) * (y === 1 ? (ALPHAS[k] as number) : 1 - (ALPHAS[k] as number))) /
    (y === 1 ? 0.25 : 0.75);

  test("sigmoid: each class's cells take its α (positives α_k, negatives 1 − α_k)", async () => {
    const result = await run([
      'loss',
      '--input',
      file('sigmoid.csv'),
      ...SIGMOID,
      '--class-alpha',
      ALPHAS.join(','),
      '-g',
      '2',
      '-f',
      'csv',
    ]);
    expect(result.stderr).toBe('');
    const got = records(result.stdout);
    const want = ORACLE.sigmoid.cells;
    expect(got.length).toBe(want.length);
    const problems = got.flatMap((row, i) => {
      const w = want[i] as Cell;
      const k = ORACLE.classes.indexOf(w.class);
      return compare(
        `row ${i}`,
        row,
        { alpha: ALPHAS[k], ce: w.ce, fl: scaled(w.fl, k, w.y) },
        ['alpha', 'ce', 'fl'],
        260 * EPS,
      );
    });
    expect(problems).toEqual([]);
  });

  test("softmax: a row takes its class's α; contribution sums the classes", async () => {
    const args = ['--class-cols', 'logit_*', '--activation', 'softmax'];
    const alpha = ['--class-alpha', ALPHAS.join(','), '-g', '2', '-f', 'csv'];
    const loss = await run(['loss', '--input', file('softmax.csv'), ...args, ...alpha]);
    expect(loss.stderr).toBe('');
    const rows = ORACLE.softmax.rows;
    const problems = records(loss.stdout).flatMap((row, i) => {
      const w = rows[i] as SoftRow;
      const fl = (Number(w.fl) * (ALPHAS[w.target] as number)) / 0.25;
      return compare(`row ${i}`, row, { ce: w.ce, fl }, ['ce', 'fl'], 260 * EPS);
    });
    expect(problems).toEqual([]);
    const contribution = await run([
      'contribution',
      '--input',
      file('softmax.csv'),
      ...args,
      ...alpha,
    ]);
    expect(contribution.stderr).toBe('');
    // The all row's alpha is the list, quoted: read its fields from the end.
    const fl = contribution.stdout
      .trim()
      .split('\n')
      .filter((line) => line.includes(',fl,'));
    expect(fl.map((line) => line.slice(0, line.indexOf(',2,fl,')))).toEqual([
      ...ALPHAS.map(String),
      `"${ALPHAS.join(',')}"`,
    ]);
    const expected = ORACLE.classes.map((name, k) => {
      const g = ORACLE.softmax.groups[name] as Totals;
      return (Number(g.fl) * (ALPHAS[k] as number)) / 0.25;
    });
    const total = expected.reduce((a, b) => a + b, 0);
    const problems2 = fl.flatMap((line, k) =>
      compare(
        `line ${k}`,
        { total: line.split(',').at(-2) as string },
        { total: expected[k] ?? total },
        ['total'],
        512 * EPS,
      ),
    );
    expect(problems2).toEqual([]);
  });

  test('as many values as classes, else an error naming both', async () => {
    const result = await run([
      'loss',
      '--input',
      file('softmax.csv'),
      '--class-cols',
      'logit_*',
      '--activation',
      'softmax',
      '--class-alpha',
      '0.1,0.2',
    ]);
    expect(
      usageErrorProblems(result, ['--class-alpha: 2 values for 4 classes (cat, dog, fox, owl)']),
    ).toEqual([]);
  });
});

describe('bad wide input: one focal: FILE:LINE: line, exit 2, nothing on stdout', () => {
  const softmax = (path: string, ...more: string[]) => [
    'loss',
    '--input',
    path,
    '--class-cols',
    'a,b,c',
    '--activation',
    'softmax',
    ...more,
  ];
  test.each([
    [
      'a class index outside the columns',
      'a,b,c,y\n1,2,3,0\n1,2,3,3\n',
      [],
      [':3:', 'column y: 3 is not a class index (0 to 2)'],
    ],
    ['a class name not among the columns', 'a,b,c,y\n1,2,3,b\n1,2,3,emu\n', [], [':3:', 'emu']],
    [
      'a softmax row of probabilities not summing to 1',
      'a,b,c,y\n0.2,0.3,0.5,0\n0.2,0.3,0.4,1\n',
      ['--score-kind', 'p'],
      [':3:', 'sum to 0.9', 'within 0.000003'],
    ],
    ['a ragged wide row', 'a,b,c,y\n1,2,3,0\n1,2,0\n', [], [':3:', '3 fields']],
    [
      'a logit that is not a number',
      'a,b,c,y\n1,x,3,0\n',
      [],
      [':2:', 'column b: x is not a number'],
    ],
  ])('%s', async (_, content, more, mentions) => {
    const path = tempFile(`bad-${mentions[0]}-${content.length}.csv`, content);
    const result = await run(softmax(path, ...(more as string[])));
    expect(usageErrorProblems(result, mentions as string[])).toEqual([]);
  });

  test('--skip-invalid skips and counts them', async () => {
    const path = tempFile('skip.csv', 'a,b,c,y\n1,2,3,0\n1,2,3,7\n1,2\n1,2,3,c\n');
    const result = await run(softmax(path, '--skip-invalid', '-f', 'csv', '-g', '2'));
    expect(result.code).toBe(0);
    expect(records(result.stdout).map((r) => r.class)).toEqual(['a', 'c']);
    expect(result.stderr).toContain('skipped 2 malformed rows');
  });

  test('a -1 in a sigmoid file without --background names --background', async () => {
    const path = tempFile('bg.csv', 'a,b,y\n1,2,0\n1,2,-1\n');
    const result = await run([
      'loss',
      '--input',
      path,
      '--class-cols',
      'a,b',
      '--activation',
      'sigmoid',
    ]);
    expect(usageErrorProblems(result, [':3:', '--background'])).toEqual([]);
  });

  test('--class-cols needs --activation; --background is for sigmoid', async () => {
    const path = file('softmax.csv');
    const a = await run(['loss', '--input', path, '--class-cols', 'logit_*']);
    expect(usageErrorProblems(a, ['--activation'])).toEqual([]);
    const b = await run([
      'loss',
      '--input',
      path,
      '--class-cols',
      'logit_*',
      '--activation',
      'softmax',
      '--background',
      '-1',
    ]);
    expect(usageErrorProblems(b, ['--background'])).toEqual([]);
  });
});
