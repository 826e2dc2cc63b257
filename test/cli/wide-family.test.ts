/**
 * `--loss LIST` on wide files (issue 18 on issue 16's layout). Sigmoid: every cell is a binary
 * example, so a wide file with --loss gives what the long binary file of its cells gives with
 * --loss (the oracle is focal's own binary path, itself checked against mpmath). Softmax: the
 * losses of p_t of the target class, as the binary losses of the logit difference over two
 * classes; VFL and QFL refused.
 *
 * Tolerance: the all groups are sums of the same terms in another order (the class groups
 * first): 8 EPS relative, as in wide.test.ts; rows are the same arithmetic: 4 EPS.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { ROOT, records, relativeError, run, usageErrorProblems } from './run.js';
import { longText, sigmoidRows, wideText } from './wide-cases.js';

const EPS = 2 ** -52;
const TMP = mkdtempSync(join(tmpdir(), 'focal-wide-family-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
function tempFile(name: string, content: string): string {
  const path = join(TMP, name);
  writeFileSync(path, content);
  return path;
}

function compare(
  where: string,
  got: Record<string, string>,
  want: Record<string, string>,
  columns: readonly string[],
  tolerance: number,
): string[] {
  return columns.flatMap((c) => {
    // An empty group has no p_t: '' (–) in wide tables, NaN in the binary family's.
    const [a, b] = [got[c], want[c]].map((v) => (v === '' ? Number.NaN : Number(v))) as [
      number,
      number,
    ];
    if (Number.isNaN(a) && Number.isNaN(b)) return [];
    const error = relativeError(a, b);
    return error <= tolerance ? [] : [`${where}: ${c} ${got[c]}, long file ${want[c]}`];
  });
}

const EVERY = 'ce,fl,asl,poly1,poly1-fl,vfl,qfl,flsd,cb-fl';
const SOFTMAX = ['--class-cols', 'logit_*', '--activation', 'softmax'];
const SOFTMAX_FILE = 'test/fixtures/input/wide/softmax.csv';

describe('sigmoid: every cell a binary example', () => {
  test('a wide file with --loss gives the totals and rows of the long file of its cells', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(sigmoidRows(3, 5), async (cells) => {
        const [classes] = cells;
        n++;
        const wide = tempFile(`wide-${n}.csv`, wideText(cells));
        const long = tempFile(`long-${n}.csv`, longText(cells));
        const wideArgs = [
          '--class-cols',
          `0:${classes - 1}`,
          '--activation',
          'sigmoid',
          '--background',
          '-1',
        ];
        const args = ['--loss', EVERY, '-g', '0,2.5', '-f', 'csv'];
        const a = await run(['contribution', '--input', wide, ...wideArgs, ...args]);
        const b = await run(['contribution', '--input', long, ...args]);
        expect(a.stderr).toBe(b.stderr);
        const all = records(a.stdout).filter((r) => (r.group as string).startsWith('all:'));
        const plain = records(b.stdout);
        expect(all.length).toBe(plain.length);
        const problems = all.flatMap((row, i) => {
          const want = plain[i] as Record<string, string>;
          const where = `${row.loss} ${row.params} ${row.group}`;
          const head =
            row.group === `all:${want.group}` &&
            row.loss === want.loss &&
            row.params === want.params
              ? []
              : [`${where} vs ${want.loss} ${want.group}`];
          return [
            ...head,
            ...compare(where, row, want, ['count', 'pt', 'total', 'share'], 8 * EPS),
          ];
        });
        expect(problems).toEqual([]);
        // loss --input: the long file's rows, cell by cell, each led by its class.
        const counts = ['--neg', '5', '--pos', '2'];
        const c = await run(['loss', '--input', wide, ...wideArgs, ...args, ...counts, '--grad']);
        const d = await run(['loss', '--input', long, ...args, ...counts, '--grad']);
        const got = records(c.stdout);
        const want = records(d.stdout);
        expect(got.length).toBe(want.length);
        const rowProblems = got.flatMap((row, i) => {
          const w = want[i] as Record<string, string>;
          const k = Math.floor(i / (want.length / (cells[1].length * classes))) % classes;
          const head =
            row.class === `s${k}` && row.loss === w.loss ? [] : [`row ${i}: ${row.class}`];
          return [
            ...head,
            ...compare(`row ${i}`, row, w, ['y', 'pt', 'value', 'weight', 'grad'], 4 * EPS),
          ];
        });
        expect(rowProblems).toEqual([]);
      }),
      { numRuns: 15, seed: 18 },
    );
  });
});

describe('softmax: one example per row, p_t of its class', () => {
  test('over two classes, the losses of p_t are those of the logit difference', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.integer({ min: -2000, max: 2000 }),
            fc.integer({ min: -2000, max: 2000 }),
            fc.integer({ min: 0, max: 1 }),
          ),
          { minLength: 1, maxLength: 6 },
        ),
        async (rows) => {
          n++;
          // Multiples of 1/64: the difference is exact.
          const wide = ['a,b,y', ...rows.map(([a, b, t]) => `${a / 64},${b / 64},${t}`)];
          const long = ['logit,y', ...rows.map(([a, b, t]) => `${(b - a) / 64},${t}`)];
          const args = ['--loss', 'ce,poly1,flsd', '--epsilon', '-0.5,2', '-f', 'csv'];
          const s = await run([
            'loss',
            '--input',
            tempFile(`two-${n}.csv`, `${wide.join('\n')}\n`),
            '--class-cols',
            'a,b',
            '--activation',
            'softmax',
            ...args,
          ]);
          const b = await run([
            'loss',
            '--input',
            tempFile(`diff-${n}.csv`, `${long.join('\n')}\n`),
            ...args,
          ]);
          expect(s.stderr).toBe('');
          const got = records(s.stdout);
          const want = records(b.stdout);
          expect(got.length).toBe(want.length);
          const problems = got.flatMap((row, i) => {
            const w = want[i] as Record<string, string>;
            const head = row.target === w.y && row.params === w.params ? [] : [`row ${i}`];
            return [...head, ...compare(`row ${i}`, row, w, ['pt', 'value', 'weight'], 4 * EPS)];
          });
          expect(problems).toEqual([]);
        },
      ),
      { numRuns: 20, seed: 19 },
    );
  });

  test("asl is the authors' single-label loss: fl with α none and γ = γ₊", async () => {
    const a = await run([
      'loss',
      '--input',
      SOFTMAX_FILE,
      ...SOFTMAX,
      '--loss',
      'asl',
      '--gamma-pos',
      '1.5',
      '--margin',
      '0.2',
      '-f',
      'csv',
    ]);
    const b = await run([
      'loss',
      '--input',
      SOFTMAX_FILE,
      ...SOFTMAX,
      '--loss',
      'fl',
      '-a',
      'none',
      '-g',
      '1.5',
      '-f',
      'csv',
    ]);
    expect(a.stderr).toMatch(/--gamma-neg and --margin have no effect on softmax rows/);
    const got = records(a.stdout);
    const want = records(b.stdout);
    expect(got.length).toBe(9);
    expect(got.map((r) => [r.class, r.pt, r.value])).toEqual(
      want.map((r) => [r.class, r.pt, r.value]),
    );
  });

  test('contribution: one group per class and all, the summary names the rarest class; cb-fl weighs the classes', async () => {
    const result = await run([
      'contribution',
      '--input',
      SOFTMAX_FILE,
      ...SOFTMAX,
      '--loss',
      'fl,cb-fl',
      '--cb-beta',
      '0.5',
      '-g',
      '2',
      '-f',
      'csv',
    ]);
    expect(result.stderr).toBe('');
    const got = records(result.stdout);
    expect(got.map((r) => r.group)).toEqual([
      'cat',
      'dog',
      'fox',
      'owl',
      'all',
      'cat',
      'dog',
      'fox',
      'owl',
      'all',
    ]);
    // The class counts 0, 2, 2, 5: w = (1 − β)/(1 − β^n) over the classes with rows, summing to 3.
    const raw = [2, 2, 5].map((n) => 0.5 / (1 - 0.5 ** n));
    const sum = raw.reduce((s, w) => s + w, 0);
    const weights = [0, ...raw.map((w) => (w / sum) * 3)];
    const fl = await run([
      'contribution',
      '--input',
      SOFTMAX_FILE,
      ...SOFTMAX,
      '--loss',
      'fl',
      '-a',
      'none',
      '-g',
      '2',
      '-f',
      'csv',
    ]);
    const plain = records(fl.stdout);
    const problems = [0, 1, 2, 3].flatMap((k) => {
      const want = Number(plain[k]?.total) * (weights[k] as number);
      const error = relativeError(Number(got[5 + k]?.total), want);
      return error <= 4 * EPS ? [] : [`${got[5 + k]?.group}: ${got[5 + k]?.total}, not ${want}`];
    });
    expect(problems).toEqual([]);
    const table = await run([
      'contribution',
      '--input',
      SOFTMAX_FILE,
      ...SOFTMAX,
      '--loss',
      'fl',
      '-g',
      '2',
      '-f',
      'table',
    ]);
    expect(table.stdout).toMatch(
      /fl \(alpha=0\.25 gamma=2\): the rarest class, dog \(2 of 9 rows\), carries \d+\.\d\d%/,
    );
  });

  test('vfl and qfl are refused, naming the rule; --grad too', async () => {
    for (const loss of ['vfl', 'ce,qfl']) {
      for (const command of ['loss', 'contribution']) {
        const result = await run([command, '--input', SOFTMAX_FILE, ...SOFTMAX, '--loss', loss]);
        expect(usageErrorProblems(result, ['--activation softmax', 'sigmoid'])).toEqual([]);
      }
    }
    const grad = await run(['loss', '--input', SOFTMAX_FILE, ...SOFTMAX, '--loss', 'fl', '--grad']);
    expect(usageErrorProblems(grad, ['--grad'])).toEqual([]);
  });
});

describe('the rest of loss --input with --loss on wide files', () => {
  const ANCHORS = 'examples/anchors.csv';
  const WIDE = ['--class-cols', 'logit_*', '--activation', 'sigmoid', '--background', '-1'];
  /** anchors.csv as the long file of its cells (logit, y), in cell order. */
  function longAnchors(): string {
    const [, ...rows] = readFileSync(join(ROOT, ANCHORS), 'utf8').trim().split('\n');
    const cells = rows.flatMap((line) => {
      const f = line.split(',');
      return [0, 1, 2].map((k) => `${f[1 + k]},${Number(f[4]) === k ? 1 : 0}`);
    });
    return tempFile('anchors-long.csv', `logit,y\n${cells.join('\n')}\n`);
  }

  test("--reduce sum, mean and pos-mean over the cells are the long file's", async () => {
    const long = longAnchors();
    for (const how of ['sum', 'mean', 'pos-mean']) {
      const args = ['--loss', 'ce,fl,asl,vfl', '--reduce', how, '--grad', '-f', 'csv'];
      const a = await run(['loss', '--input', ANCHORS, ...WIDE, ...args]);
      const b = await run(['loss', '--input', long, ...args]);
      expect(a.stderr).toBe('');
      expect(a.stdout).toBe(b.stdout);
    }
  });

  test('--keep-col and --line-numbers follow each cell; --class-alpha is refused', async () => {
    const result = await run([
      'loss',
      '--input',
      ANCHORS,
      ...WIDE,
      '--loss',
      'fl',
      '--keep-col',
      'anchor',
      '--line-numbers',
      '-f',
      'csv',
    ]);
    const rows = records(result.stdout);
    expect(rows.length).toBe(120);
    expect(rows.slice(0, 4).map((r) => [r.anchor, r.class, r.line])).toEqual([
      ['0', 'person', '2'],
      ['0', 'car', '2'],
      ['0', 'dog', '2'],
      ['1', 'person', '3'],
    ]);
    const alpha = await run([
      'contribution',
      '--input',
      ANCHORS,
      ...WIDE,
      '--loss',
      'fl',
      '--class-alpha',
      '0.1,0.2,0.3',
    ]);
    expect(usageErrorProblems(alpha, ['--class-alpha', '--loss'])).toEqual([]);
  });
});
