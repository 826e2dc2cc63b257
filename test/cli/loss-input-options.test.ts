/**
 * `focal loss --input FILE` with `--reduce` and `--star` (the same numbers as the lists give)
 * and `--line-numbers` (each row's line in the file, to join results back).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { run, usageErrorProblems } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'focal-reduce-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const logits = [1, -2, 0.5, 3, -0.25, 7];
const labels = [1, 0, 0, 1, 0, 1];
const logitFile = join(dir, 'logits.csv');
writeFileSync(logitFile, `logit,y\n${logits.map((x, i) => `${x},${labels[i]}`).join('\n')}\n`);
const probabilityFile = join(dir, 'p.csv');
writeFileSync(probabilityFile, 'p,y\n0.9,1\n0.6,-1\n0.2,0\n');
const LISTS = ['--logit', logits.join(','), '-y', labels.join(',')];

describe('loss --input --reduce: one pass over the file, one row per (α, γ)', () => {
  test.each(['sum', 'mean', 'pos-mean'])(
    '--reduce %s --grad --star over the file is the lists’ reduction, digit for digit',
    async (how) => {
      const extra = ['--reduce', how, '--grad', '--star', '-g', '1,2', '-a', '0.25,none'];
      const fromFile = await run(['loss', '--input', logitFile, ...extra, '-f', 'csv']);
      const fromLists = await run(['loss', ...LISTS, ...extra, '-f', 'csv']);
      expect([fromFile.code, fromFile.stderr]).toEqual([0, '']);
      expect(fromFile.stdout.split('\n')[0]).toBe(
        'alpha,gamma,reduce,n,n_pos,ce,fl,ce_grad,fl_grad,fl_star,fl_star_grad',
      );
      expect(fromFile.stdout.trim().split('\n')).toHaveLength(1 + 4);
      expect(fromFile.stdout).toBe(fromLists.stdout);
    },
  );

  test('rows left out by --ignore-label are not counted in n', async () => {
    const result = await run([
      'loss',
      '--input',
      probabilityFile,
      '--ignore-label',
      '-1',
      '--reduce',
      'mean',
      '-f',
      'json',
    ]);
    expect(result.code).toBe(0);
    const [row] = JSON.parse(result.stdout) as { n: number; n_pos: number; ce: number }[];
    expect([row?.n, row?.n_pos]).toEqual([2, 1]);
    const lists = JSON.parse(
      (await run(['loss', '--p', '0.9,0.2', '-y', '1,0', '--reduce', 'mean', '-f', 'json'])).stdout,
    );
    expect(row).toEqual(lists[0]);
  });
});

describe('loss --input --star', () => {
  test('a logit file: fl_star per row, as the lists give', async () => {
    const args = ['--star', '--star-beta', '1', '-g', '2', '-f', 'csv'];
    const fromFile = await run(['loss', '--input', logitFile, ...args]);
    expect(fromFile.code).toBe(0);
    expect(fromFile.stdout.split('\n')[0]?.endsWith(',weight,fl_star')).toBe(true);
    expect(fromFile.stdout).toBe((await run(['loss', ...LISTS, ...args])).stdout);
  });

  test('a probability file: FL* needs logits (exit 2, nothing on stdout)', async () => {
    const result = await run([
      'loss',
      '--input',
      probabilityFile,
      '--ignore-label',
      '-1',
      '--star',
    ]);
    expect(usageErrorProblems(result, ['--star needs logits'])).toEqual([]);
  });
});

describe('loss --input --line-numbers', () => {
  test("a last column line: each row's line in the file, ignored rows leaving gaps", async () => {
    const args = [
      '--input',
      probabilityFile,
      '--ignore-label',
      '-1',
      '--line-numbers',
      '-g',
      '0,2',
    ];
    const result = await run(['loss', ...args, '-f', 'json']);
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as Record<string, number>[];
    expect(Object.keys(rows[0] as object).at(-1)).toBe('line');
    // Header on line 1; the row of label -1 (line 3) is left out.
    expect(rows.map((r) => [r.gamma, r.p, r.line])).toEqual([
      [0, 0.9, 2],
      [2, 0.9, 2],
      [0, 0.2, 4],
      [2, 0.2, 4],
    ]);
    const without = JSON.parse(
      (
        await run([
          'loss',
          '--input',
          probabilityFile,
          '--ignore-label',
          '-1',
          '-g',
          '0,2',
          '-f',
          'json',
        ])
      ).stdout,
    ) as Record<string, number>[];
    expect(rows.map(({ line: _, ...rest }) => rest)).toEqual(without);
  });

  test.each([
    [['loss', '--pt', '0.5', '--line-numbers'], ['--line-numbers needs --input']],
    [
      [
        'loss',
        '--input',
        probabilityFile,
        '--ignore-label',
        '-1',
        '--line-numbers',
        '--reduce',
        'sum',
      ],
      ['--line-numbers and --reduce exclude each other'],
    ],
  ])('%j is an error', async (args, mentions) => {
    expect(usageErrorProblems(await run(args), mentions)).toEqual([]);
  });
});
