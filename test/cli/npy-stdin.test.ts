/**
 * `--labels -`: a .npy of labels from standard input while `--input` names a file (issue 17),
 * streamed as a file is (gzip too), its magic bytes checked; refused where standard input is
 * the input already, holds the weights too, or holds a Fortran-order 2-D array.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from '@jest/globals';
import { ROOT, run, usageErrorProblems } from './run.js';

const NPY = join(ROOT, 'test/fixtures/input/npy');
const WIDE = join(ROOT, 'test/fixtures/input/npy-wide');
const SCORES = join(NPY, 'logit-f8-le.npy');
const LABELS = join(NPY, 'labels-u1-le.npy');

describe('--labels - reads the labels from standard input', () => {
  test('as from the file: plain and gzip, binary and wide (multi-hot)', async () => {
    const file = await run(['contribution', '--input', SCORES, '--labels', LABELS, '-f', 'csv']);
    const bytes = readFileSync(LABELS);
    for (const input of [bytes, gzipSync(bytes)]) {
      const piped = await run(['contribution', '--input', SCORES, '--labels', '-', '-f', 'csv'], {
        input,
      });
      expect([piped.code, piped.stderr, piped.stdout]).toEqual([0, '', file.stdout]);
    }
    const wide = ['--input', join(WIDE, 'sigmoid-f8-F.npy'), '--class-cols', '*'];
    const args = [...wide, '--activation', 'sigmoid', '-f', 'csv'];
    const hot = join(WIDE, 'hot-u1-C.npy');
    const fromFile = await run(['contribution', ...args, '--labels', hot]);
    const piped = await run(['contribution', ...args, '--labels', '-'], {
      input: readFileSync(hot),
    });
    expect([piped.code, piped.stderr, piped.stdout]).toEqual([0, '', fromFile.stdout]);
  });

  test('refused: stdin is the input, holds the weights too, is not a .npy, or is Fortran 2-D', async () => {
    const bytes = readFileSync(LABELS);
    const cases: [string[], Buffer | string, string[]][] = [
      [['--input', '-', '--labels', '-'], bytes, ['--labels', '--input -']],
      [['--input', SCORES, '--labels', '-', '--weights', '-'], bytes, ['--weights', 'one array']],
      [['--input', SCORES, '--labels', '-'], 'y\n1\n', ['stdin', 'not a .npy file']],
      [
        [
          '--input',
          join(WIDE, 'sigmoid-f8-F.npy'),
          '--labels',
          '-',
          '--class-cols',
          '*',
          '--activation',
          'sigmoid',
        ],
        readFileSync(join(WIDE, 'hot-u1-F.npy')),
        ['stdin', 'Fortran-order', 'np.ascontiguousarray'],
      ],
    ];
    const problems: string[] = [];
    for (const [args, input, mentions] of cases) {
      const result = await run(['contribution', ...args], { input });
      problems.push(...usageErrorProblems(result, mentions).map((p) => `${args.join(' ')}: ${p}`));
    }
    expect(problems).toEqual([]);
  });
});
