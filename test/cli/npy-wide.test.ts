/**
 * 2-D score arrays as wide inputs (issue 17, item 1): a (rows, classes) .npy or .npz read as a
 * wide text file's class columns. Fixtures: test/fixtures/input/npy-wide/, written by
 * test/fixtures/generate_npy_wide.py with a wide CSV twin of each (the same numbers, 17
 * digits); every command that takes wide files must print the same bytes for both.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { ROOT, run, usageErrorProblems } from './run.js';

const DIR = join(ROOT, 'test/fixtures/input/npy-wide');
const FIXTURES = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/npy-wide.json'), 'utf8')) as {
  cases: { npy: string[]; csv: string[]; args: string[] }[];
  bad: { args: string[]; mentions: string[] }[];
};

/** The arguments with the files' paths in the fixture directory. */
function located(args: readonly string[]): string[] {
  return args.map((a, i) =>
    ['--input', '--labels', '--weights'].includes(args[i - 1] ?? '') ? join(DIR, a) : a,
  );
}

/** What every wide command is asked, on the array and on its twin. */
const COMMANDS: readonly (readonly string[])[] = [
  ['contribution', '-g', '0,2', '--cdf'],
  ['contribution', '--loss', 'ce,fl,asl,poly1'],
  ['loss', '-g', '0,2'],
  ['loss', '--loss', 'fl,flsd', '--reduce', 'mean'],
  ['balance'],
  ['bias-init'],
];

describe('a 2-D .npy or .npz gives what its wide CSV twin gives', () => {
  test.each(FIXTURES.cases.map((c) => [c.npy.join(' '), c] as const))('%s', async (_, c) => {
    const problems: string[] = [];
    for (const command of COMMANDS) {
      // balance and bias-init read labels only: no --score-kind.
      const labelsOnly = ['balance', 'bias-init'].includes(command[0] as string);
      const at = c.args.indexOf('--score-kind');
      const args =
        labelsOnly && at >= 0 ? c.args.filter((_, i) => i !== at && i !== at + 1) : c.args;
      const array = await run([
        ...command,
        ...located(c.npy),
        '--class-cols',
        '*',
        ...args,
        '-f',
        'csv',
      ]);
      const twin = await run([
        ...command,
        ...located(c.csv),
        '--class-cols',
        's*',
        ...args,
        '-f',
        'csv',
      ]);
      if (array.code !== 0 || twin.code !== 0 || array.stdout !== twin.stdout) {
        problems.push(
          `${command.join(' ')}: ${array.code} ${array.stderr} / ${twin.code} ${twin.stderr}`,
        );
      }
    }
    expect(problems).toEqual([]);
  });

  test('--class-cols takes positions and names for the columns', async () => {
    const input = [
      '--input',
      join(DIR, 'softmax-p-f8be-F.npy'),
      '--labels',
      join(DIR, 'class-i4.npy'),
      '--activation',
      'softmax',
      '--score-kind',
      'p',
      '-f',
      'csv',
    ];
    const named = await run(['contribution', ...input, '--class-cols', 'cat,dog,cow,pig']);
    const ranged = await run(['contribution', ...input, '--class-cols', '0:3']);
    expect([named.code, ranged.code]).toEqual([0, 0]);
    expect(named.stdout.split('\n')[1]).toMatch(/^0.25,2,ce,cat,0,/);
    expect(
      named.stdout.replace(/cat|dog|cow|pig/g, (n) =>
        String(['cat', 'dog', 'cow', 'pig'].indexOf(n)),
      ),
    ).toBe(ranged.stdout);
  });
});

describe('bad shapes: one focal: line naming the file, exit 2', () => {
  test.each(FIXTURES.bad.map((b) => [b.args.join(' '), b] as const))('%s', async (_, b) => {
    const args = b.args.includes('--class-cols') ? b.args : [...b.args, '--class-cols', '*'];
    const result = await run(['contribution', ...located(args)]);
    expect(usageErrorProblems(result, b.mentions)).toEqual([]);
  });
});
