/**
 * `balance --input` and `bias-init --input` on wide files (issue 16, item 6): one row per
 * class. The oracle for sigmoid files is focal's binary path on each class's cells (the long
 * file of class k: its logit and 0/1 target per row), itself checked against the paper's
 * figures; for softmax, the frequencies counted here and softmax(ln π) = π.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { ROOT, records, relativeError, run, usageErrorProblems } from './run.js';

const EPS = 2 ** -52;
const DIR = 'test/fixtures/input/wide';
const TMP = mkdtempSync(join(tmpdir(), 'focal-wide-counts-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const SIGMOID = ['--class-cols', 'logit_*', '--activation', 'sigmoid'];

/** The long binary file of class k's cells of a wide file with hard labels: logit, y, w. */
function classFile(wide: string, k: number, targetOf: (fields: string[]) => number): string {
  const [header, ...rows] = readFileSync(join(ROOT, wide), 'utf8').trim().split('\n');
  const names = (header as string).split(',');
  const at = names.filter((n) => n.startsWith('logit_')).map((n) => names.indexOf(n));
  const w = names.indexOf('w');
  const lines = rows.map((line) => {
    const f = line.split(',');
    const y = targetOf(f) === 1 ? 1 : 0;
    return `${f[at[k] as number]},${y}${w >= 0 ? `,${f[w]}` : ''}`;
  });
  const path = join(TMP, `${wide.replaceAll('/', '_')}-${k}.csv`);
  writeFileSync(path, `logit,y${w >= 0 ? ',w' : ''}\n${lines.join('\n')}\n`);
  return path;
}

describe('sigmoid: each class as the binary file of its cells', () => {
  const layouts = [
    {
      file: `${DIR}/sigmoid.csv`,
      args: [...SIGMOID, '--background', '-1', '--weight-col', 'w'],
      weighted: ['--weight-col', 'w'],
      targetOf: (k: number) => (f: string[]) => (Number(f[5]) === k ? 1 : 0),
    },
    {
      file: `${DIR}/multi-hot.csv`,
      args: [...SIGMOID, '--target-cols', 't_*'],
      weighted: [],
      targetOf: (k: number) => (f: string[]) => Number(f[4 + k]),
    },
  ];
  for (const layout of layouts) {
    test(`${layout.file}: bias-init and balance give each class its cells' figures`, async () => {
      const bias = await run(['bias-init', '--input', layout.file, ...layout.args, '-f', 'csv']);
      const balance = await run(['balance', '--input', layout.file, ...layout.args, '-f', 'csv']);
      expect(bias.stderr).toBe('');
      const rows = records(bias.stdout);
      const blocks = records(balance.stdout);
      expect(rows.map((r) => r.class)).toEqual(['cat', 'dog', 'fox', 'owl']);
      const problems: string[] = [];
      for (const [k, row] of rows.entries()) {
        const long = classFile(layout.file, k, layout.targetOf(k));
        const one = await run(['bias-init', '--input', long, ...layout.weighted, '-f', 'csv']);
        if (one.code !== 0) {
          // A class with no positive cell has no bias: the wide file says which.
          problems.push(`${row.class}: ${one.stderr}`);
          continue;
        }
        const want = records(one.stdout)[0] as Record<string, string>;
        for (const c of ['pi', 'bias', 'p0']) {
          if (relativeError(Number(row[c]), Number(want[c])) > 2 * EPS) {
            problems.push(`${row.class} ${c}: ${row[c]}, binary ${want[c]}`);
          }
        }
        const heuristics = await run(['balance', '--input', long, ...layout.weighted, '-f', 'csv']);
        const mine = blocks.filter((r) => r.class === row.class);
        const theirs = records(heuristics.stdout);
        expect(mine.length).toBe(theirs.length);
        for (const [i, r] of mine.entries()) {
          const t = theirs[i] as Record<string, string>;
          if (r.method !== t.method || relativeError(Number(r.alpha), Number(t.alpha)) > 2 * EPS) {
            problems.push(`${row.class} ${r.method} ${r.beta}: ${r.alpha}, binary ${t.alpha}`);
          }
        }
      }
      expect(problems).toEqual([]);
    });
  }
});

describe('softmax: the class frequencies', () => {
  test('bias ln π_k, so that softmax(b) = π; the counts are the rows of each class', async () => {
    const result = await run([
      'bias-init',
      '--input',
      `${DIR}/softmax.csv`,
      '--class-cols',
      // The rows name their classes; class cat has none (see below).
      'logit_dog,logit_fox,logit_owl',
      '--activation',
      'softmax',
      '-f',
      'csv',
    ]);
    expect(result.stderr).toBe('');
    const rows = records(result.stdout);
    expect(rows.map((r) => [r.class, r.neg, r.pos, r.pi])).toEqual([
      ['dog', '7', '2', String(2 / 9)],
      ['fox', '7', '2', String(2 / 9)],
      ['owl', '4', '5', String(5 / 9)],
    ]);
    const problems = rows.flatMap((r) => {
      const pi = Number(r.pi);
      return relativeError(Number(r.bias), Math.log(pi)) <= EPS &&
        relativeError(Number(r.p0), pi) <= 4 * EPS
        ? []
        : [`${r.class}: bias ${r.bias}, p0 ${r.p0}`];
    });
    expect(problems).toEqual([]);
  });

  test('a class with no rows has no bias: a FILE error naming it', async () => {
    const result = await run([
      'bias-init',
      '--input',
      `${DIR}/softmax.csv`,
      '--class-cols',
      'logit_*',
      '--activation',
      'softmax',
    ]);
    expect(usageErrorProblems(result, ['softmax.csv', 'class cat has no rows'])).toEqual([]);
  });
});
