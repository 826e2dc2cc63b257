/**
 * What a new user runs into (from a walkthrough of the tool): help as a word, messages that
 * say what was wrong and what was found, notes for options that change nothing.
 */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { bash, focalCommand, run, usageErrorProblems } from './run.js';

/** Temporary folders of these tests, removed at the end. */
const scratches: string[] = [];
afterAll(() => {
  for (const dir of scratches) rmSync(dir, { recursive: true, force: true });
});
function scratch(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratches.push(dir);
  return dir;
}

describe('focal help [CMD]', () => {
  test('focal help loss prints what focal loss --help prints', async () => {
    const help = await run(['help', 'loss']);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe((await run(['loss', '--help'])).stdout);
    expect(help.stdout).toMatch(/^Usage: focal loss/);
  });

  test('focal help alone is focal --help', async () => {
    expect((await run(['help'])).stdout).toBe((await run(['--help'])).stdout);
  });

  test("plot's help says what -f means there: the chart's data, not a table", async () => {
    const help = (await run(['help', 'plot'])).stdout.replace(/\s+/g, ' ');
    expect(help).toContain(
      "-f, --format <fmt> print the chart's data instead: csv, tsv, json or ndjson",
    );
    expect(help).toContain('(default: none, the chart is drawn)');
    expect((await run(['help', 'loss'])).stdout.replace(/\s+/g, ' ')).toContain(
      '(default: table on a terminal, else csv)',
    );
  });

  test('focal help with an unknown command is a usage error', async () => {
    expect(usageErrorProblems(await run(['help', 'nope']), ['help', 'nope'])).toEqual([]);
  });
});

describe('messages that name what was found', () => {
  const dir = scratch('focal-usability-');
  const semicolons = join(dir, 'semicolons.csv');
  writeFileSync(semicolons, 'p;y\n0.5;1\n');
  const upper = join(dir, 'upper.csv');
  writeFileSync(upper, 'p,Label,LABEL\n0.5,1,1\n');

  test.each([
    [
      ['contribution', '--input', semicolons, '--delimiter', ','],
      ['no score column', 'its columns: p;y'],
    ],
    [
      ['contribution', '--input', upper],
      ['columns Label and LABEL both match label', 'name one as spelled'],
    ],
    [
      ['weight', '-y', '0,1'],
      ['2 labels for 11 examples of --pt', 'its default, 0:1:0.1'],
    ],
    [['loss', '--pt', '0.5', '-y', '0,1'], ['2 labels for 1 example of --pt;']],
    [
      ['contribution', '--group', ':10:0.5:1'],
      ['--group', 'has an empty name'],
    ],
    [
      ['contribution', '--input', ''],
      ['--input', 'an empty file name'],
    ],
  ])('%j', async (args, mentions) => {
    expect(usageErrorProblems(await run(args), mentions)).toEqual([]);
  });
});

describe('α none in any case, as Python users write it', () => {
  test.each(['None', 'NONE', ' none '])('-a %j is α none', async (word) => {
    const result = await run(['weight', '--pt', '0.5', '-a', word, '-f', 'csv']);
    expect([result.code, result.stdout]).toEqual([
      0,
      'alpha,gamma,y,pt,weight,ce_over_fl\nnone,2,1,0.5,0.25,4\n',
    ]);
  });
});

describe('a note for an option that changes nothing, the output unchanged', () => {
  test.each([
    [
      ['balance', '--neg', '10', '--pos', '1'],
      ['-g', '5'],
      "--gamma does not change the heuristics' α",
    ],
    [
      ['balance', '--neg', '10', '--pos', '1'],
      ['-a', '0.1'],
      "--alpha does not change the heuristics' α",
    ],
    [['weight', '--pt', '0.5'], ['--log-base', '10'], '--log-base does not change the weight'],
  ])('%j with %j', async (args, extra, note) => {
    const plain = await run([...args, '-f', 'csv']);
    const noted = await run([...args, ...extra, '-f', 'csv']);
    expect(noted.code).toBe(0);
    expect(noted.stdout).toBe(plain.stdout);
    expect(noted.stderr).toContain(`focal: note: ${note}`);
    expect((await run([...args, ...extra, '-f', 'csv', '-q'])).stderr).toBe('');
  });
});

describe('help, edge cases', () => {
  test.each([
    ['help', 'help'],
    ['help', '--help'],
    ['help', '-h'],
  ])('focal %s %s is focal --help', async (...args) => {
    const result = await run(args);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe((await run(['--help'])).stdout);
  });

  test('focal help loss extra: one command at most', async () => {
    expect(
      usageErrorProblems(await run(['help', 'loss', 'extra']), ['help: one command at most']),
    ).toEqual([]);
  });
});

describe('reductions of long sweeps', () => {
  test('--reduce over a sweep of a million α streams in csv: the first rows come at once', () => {
    const result = bash(
      `${focalCommand(['loss', '--pt', '0.5', '--reduce', 'sum', '-a', '0:1:1e-6', '-f', 'csv'])} | head -3`,
    );
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').slice(0, 2)).toEqual([
      'alpha,gamma,reduce,n,n_pos,ce,fl',
      '0,2,sum,1,1,0.6931471805599453,0',
    ]);
  });

  test('--reduce -f table over a million α is refused by the row count, before any work', async () => {
    const result = await run([
      'loss',
      '--pt',
      '0.5',
      '--reduce',
      'sum',
      '-a',
      '0:1:1e-6',
      '-f',
      'table',
    ]);
    expect(usageErrorProblems(result, ['1000001 rows are too many for --format table'])).toEqual(
      [],
    );
  });

  test('--reduce with --input keeps a sum per (α, γ): more than 100,000 settings are refused', async () => {
    const dir = scratch('focal-settings-');
    const file = join(dir, 'p.csv');
    writeFileSync(file, 'p,y\n0.5,1\n');
    const result = await run(['loss', '--input', file, '--reduce', 'sum', '-a', '0:1:1e-6']);
    expect(usageErrorProblems(result, ['--reduce with --input', '1000001 settings'])).toEqual([]);
  });

  test('--line-numbers with --reduce is refused before the file is opened', async () => {
    const result = await run([
      'loss',
      '--input',
      '/nonexistent.csv',
      '--reduce',
      'sum',
      '--line-numbers',
    ]);
    expect(usageErrorProblems(result, ['--line-numbers and --reduce exclude each other'])).toEqual(
      [],
    );
  });
});

describe('a wide header in a message: the first ten columns, then how many more', () => {
  test('a 30-column file without a score column', async () => {
    const dir = scratch('focal-wide-');
    const file = join(dir, 'wide.csv');
    const names = Array.from({ length: 30 }, (_, i) => `c${i}`);
    writeFileSync(file, `${names.join(',')},y\n${names.map(() => '1').join(',')},1\n`);
    const result = await run(['contribution', '--input', file]);
    expect(
      usageErrorProblems(result, [
        '(its columns: c0, c1, c2, c3, c4, c5, c6, c7, c8, c9 and 21 more)',
      ]),
    ).toEqual([]);
  });
});
