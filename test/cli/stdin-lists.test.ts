/** A list option given as `-` reads its values from standard input (issue 8, item 4). */
import { describe, expect, test } from '@jest/globals';
import { bash, focalCommand, run } from './run.js';

describe('list options from standard input', () => {
  test('seq 0 0.25 1 | focal weight --pt -: one value per line', () => {
    const result = bash(
      `seq 0 0.25 1 | ${focalCommand(['weight', '--pt', '-', '-a', 'none', '-f', 'csv'])}`,
    );
    expect(
      result.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(',')[3]),
    ).toEqual(['pt', '0', '0.25', '0.5', '0.75', '1']);
  });

  test('commas, spaces and newlines all separate; the same rows as the values typed', async () => {
    const fromStdin = await run(['loss', '--pt', '-', '-g', '0,2', '-f', 'csv'], {
      input: '0.9, 0.99\n0.5  0.1\n',
    });
    const typed = await run(['loss', '--pt', '0.9,0.99,0.5,0.1', '-g', '0,2', '-f', 'csv']);
    expect(fromStdin.stdout).toBe(typed.stdout);
  });

  test('any list option: -g -', async () => {
    const result = await run(['weight', '--pt', '0.5', '-g', '-', '-f', 'csv'], { input: '0 1 2' });
    expect(result.stdout.trim().split('\n')).toHaveLength(4);
  });

  test.each([
    [['weight', '--pt', '-'], '', '--pt: - read no values from standard input'],
    [
      ['weight', '--pt', '-', '-y', '-'],
      '1',
      '--pt and --y both read standard input (-): only one may',
    ],
    [['weight', '--pt', '-'], '0.5\n1.5\n', '--pt: 1.5 is not in [0, 1]'],
    [
      ['contribution', '--input', '-', '-g', '-'],
      '2',
      '--input and --gamma both read standard input (-): only one may',
    ],
  ])('%j with %j on stdin: an error before any output', async (args, input, message) => {
    const result = await run(args, { input });
    expect([result.code, result.stdout, result.stderr]).toEqual([2, '', `focal: ${message}\n`]);
  });
});
