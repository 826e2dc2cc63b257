/**
 * Usage errors (cli-contract.md, "Errors and exit codes"): exit 2, nothing on stdout, exactly
 * one `focal: ` line on stderr naming the option and the value, no stack trace.
 */
import { describe, expect, test } from '@jest/globals';
import { run, usageErrorProblems } from './run.js';

describe('exact messages', () => {
  test('no command: "focal: missing command (try focal --help)"', async () => {
    const result = await run([]);
    expect(usageErrorProblems(result)).toEqual([]);
    expect(result.stderr).toBe('focal: missing command (try focal --help)\n');
  });

  test('alpha out of range: "focal: --alpha: 1.5 is not in [0, 1] (or "none")"', async () => {
    const result = await run(['loss', '--pt', '0.5', '--alpha', '1.5']);
    expect(usageErrorProblems(result)).toEqual([]);
    expect(result.stderr).toBe('focal: --alpha: 1.5 is not in [0, 1] (or "none")\n');
  });
});

// [what, args, texts the one stderr line must contain]
const CASES: [string, string[], string[]][] = [
  ['unknown command', ['frobnicate'], ['frobnicate']],
  ['unknown option', ['weight', '--bogus', '1'], ['--bogus']],
  ['missing value (--alpha)', ['weight', '--alpha'], ['--alpha']],
  ['missing value (--pt)', ['loss', '--pt'], ['--pt']],
  [
    'missing value (--pt followed by another option)',
    ['weight', '--pt', '--alpha', '0.5'],
    ['--pt'],
  ],
  ['alpha 1.5 (-a)', ['weight', '-a', '1.5'], ['--alpha', '1.5']],
  ['alpha "nones"', ['weight', '-a', 'nones'], ['--alpha', 'nones']],
  ['gamma -1', ['weight', '-g', '-1'], ['--gamma', '-1']],
  ['gamma range reaching below 0', ['weight', '-g', '1:-1:-1'], ['--gamma', '-1']],
  ['pt 1.5', ['weight', '--pt', '1.5'], ['--pt', '1.5']],
  ['pt range past 1', ['loss', '--pt', '0.5:1.5:0.5'], ['--pt', '1.5']],
  [
    'pt range whose computed end is past 1',
    ['loss', '--pt', '0.5:1.55:0.5'],
    ['0.5:1.55:0.5', '1.5'],
  ],
  ['p -0.1', ['loss', '--p', '-0.1'], ['--p', '-0.1']],
  ['logit Infinity', ['loss', '--logit', 'Infinity'], ['--logit', 'Infinity']],
  ['y 2', ['loss', '--pt', '0.5', '-y', '2'], ['--y', '2']],
  ['y 0.5', ['loss', '--pt', '0.5', '-y', '0.5'], ['--y', '0.5']],
  ['neg -1', ['contribution', '--neg', '-1'], ['--neg', '-1']],
  ['neg-pt 1.5', ['contribution', '--neg', '1', '--neg-pt', '1.5'], ['--neg-pt', '1.5']],
  ['pos-pt -0.1', ['contribution', '--pos', '1', '--pos-pt', '-0.1'], ['--pos-pt', '-0.1']],
  ['pi 0', ['bias-init', '--pi', '0'], ['--pi', '0']],
  ['pi 1', ['bias-init', '--pi', '1'], ['--pi', '1']],
  ['digits 0', ['weight', '--digits', '0'], ['--digits', '0']],
  ['digits 18', ['weight', '--digits', '18'], ['--digits', '18']],
  ['digits 2.5', ['weight', '--digits', '2.5'], ['--digits', '2.5']],
  ['log-base 1', ['loss', '--pt', '0.5', '--log-base', '1'], ['--log-base', '1']],
  ['log-base 0.5', ['loss', '--pt', '0.5', '--log-base', '0.5'], ['--log-base', '0.5']],
  ['log-base x', ['loss', '--pt', '0.5', '--log-base', 'x'], ['--log-base', 'x', 'number > 1']],
  ['misspelt option with a suggestion', ['loss', '--ptt', '0.5'], ['--ptt', '--pt']],
  ['misspelt command with a suggestion', ['lose', '--pt', '0.5'], ['lose']],
  [
    'label range with a fractional step',
    ['weight', '--pt', '0.5', '-y', '0:1:0.5'],
    ['--y', '0.5'],
  ],
  ['format xml', ['weight', '-f', 'xml'], ['--format', 'xml']],
  ['--pt with --logit', ['loss', '--pt', '0.5', '--logit', '1'], ['--pt', '--logit']],
  ['--p with --pt', ['loss', '--p', '0.5', '--pt', '0.5'], ['--p', '--pt']],
  ['loss without input', ['loss'], ['--pt']],
  ['contribution without groups', ['contribution', '-f', 'csv'], ['--neg']],
  [
    'duplicate group names',
    ['contribution', '--group', 'a:1:0.5:0', '--group', 'a:2:0.5:1'],
    ['--group', 'a'],
  ],
  ['group named like --neg', ['contribution', '--neg', '1', '--group', 'neg:1:0.5:0'], ['neg']],
  ['group with three parts', ['contribution', '--group', 'a:1:0.5'], ['--group', 'a:1:0.5']],
  ['group with label 2', ['contribution', '--group', 'a:1:0.5:2'], ['--group', 'a:1:0.5:2']],
  ['group with count x', ['contribution', '--group', 'a:x:0.5:0'], ['--group', 'a:x:0.5:0']],
  ['group without name', ['contribution', '--group', ':1:0.5:0'], ['--group', ':1:0.5:0']],
];

describe('every usage error: exit 2, one focal: line naming option and value, empty stdout', () => {
  test.each(CASES)('%s', async (_, args, mentions) => {
    expect(usageErrorProblems(await run(args), mentions)).toEqual([]);
  });
});

describe('too many rows for the formats that hold them', () => {
  test.each(['json', 'table', 'markdown'])(
    'weight --pt 0:1:1e-6 -f %s (1,000,001 rows) is refused with a line suggesting csv or ndjson',
    async (format) => {
      const result = await run(['weight', '--pt', '0:1:1e-6', '-f', format]);
      expect(usageErrorProblems(result, [format, 'csv', 'ndjson'])).toEqual([]);
    },
  );

  test('100,000 rows are still allowed in json (the limit is "more than 100,000")', async () => {
    const result = await run(['weight', '--pt', '0:0.99999:0.00001', '-f', 'json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toHaveLength(100000);
  });

  test('a sweep that multiplies past the limit is refused too (-g 0:1:0.1 × 10,001 p_t)', async () => {
    const result = await run(['weight', '--pt', '0:1:0.0001', '-g', '0:1:0.1', '-f', 'table']);
    expect(usageErrorProblems(result, ['csv', 'ndjson'])).toEqual([]);
  });
});
