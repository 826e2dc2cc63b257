/**
 * Users' habits from PyTorch and Keras (README, "Their names, our options" and "Options of
 * every command"): the frameworks' names point to ours, choice words in any case, the shared
 * options before the command's name, and --no-header where there is no header. In-process.
 */
import { describe, expect, test } from '@jest/globals';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { FRAMEWORK_NAMES, frameworkName } from '../../src/cli/habits.js';
import { longFlag, SHARED_OPTIONS } from '../../src/cli/options.js';
import { optionsOf } from '../../src/cli/program.js';
import { run as focal, usageErrorProblems } from './run.js';

describe("the frameworks' names point to our options", () => {
  const cases = FRAMEWORK_NAMES.flatMap((entry) =>
    entry.names.flatMap((name) => {
      const command = COMMANDS.find((c) => optionsOf(c).includes(entry.option));
      if (command === undefined) throw new Error(`no command has ${entry.option}`);
      return [name, name.replaceAll('-', '_')].map(
        (typed) => [typed, command.name, longFlag(entry.option)] as const,
      );
    }),
  );
  test.each(cases)('--%s in %s: did you mean %s?', async (typed, command, flag) => {
    const result = await focal([command, `--${typed}`, '1']);
    expect(
      usageErrorProblems(result, [`unknown option '--${typed}'`, `did you mean ${flag}?`]),
    ).toEqual([]);
  });
  test('in a command without the option, it names the commands that have it', async () => {
    const result = await focal(['weight', '--prob', '0.5']);
    expect(
      usageErrorProblems(result, ["the frameworks' name for --p", 'loss', 'weight --help']),
    ).toEqual([]);
  });
  test('names are matched in any case, with = values', () => {
    expect(frameworkName('--Reduction=mean')?.option).toBe('reduce');
    expect(frameworkName('--Y_TRUE')?.option).toBe('y');
    expect(frameworkName('--bogus')).toBeUndefined();
  });
  test("other unknown options keep commander's suggestion", async () => {
    const result = await focal(['loss', '--gama', '2']);
    expect(usageErrorProblems(result, ["unknown option '--gama'", '--gamma'])).toEqual([]);
  });
  test("torchvision's -a -1 points to -a none", async () => {
    for (const alpha of ['-1', '0.25,-1']) {
      const result = await focal(['loss', '--pt', '0.5', '-a', alpha]);
      expect(usageErrorProblems(result, ['--alpha:', 'is -a none'])).toEqual([]);
    }
    const other = await focal(['loss', '--pt', '0.5', '-a', '2']);
    expect(other.stderr).not.toContain('-a none');
  });
});

describe('choice words in any case', () => {
  test.each([
    [
      ['weight', '--pt', '0.5', '-f', 'JSON'],
      ['weight', '--pt', '0.5', '-f', 'json'],
    ],
    [
      ['loss', '--pt', '0.5', '--reduce', 'Mean'],
      ['loss', '--pt', '0.5', '--reduce', 'mean'],
    ],
    [
      ['loss', '--pt', '0.5', '--log-base', 'E'],
      ['loss', '--pt', '0.5', '--log-base', 'e'],
    ],
    [
      ['plot', 'WEIGHT', '-f', 'csv'],
      ['plot', 'weight', '-f', 'csv'],
    ],
    [
      ['loss', '--input', 'examples/predictions.csv', '--score-kind', 'PROB', '--reduce', 'sum'],
      ['loss', '--input', 'examples/predictions.csv', '--score-kind', 'p', '--reduce', 'sum'],
    ],
    [
      [
        'loss',
        '--input',
        'examples/predictions.csv',
        '--score-col',
        'p',
        '--score-kind',
        'logits',
        '--reduce',
        'sum',
      ],
      [
        'loss',
        '--input',
        'examples/predictions.csv',
        '--score-col',
        'p',
        '--score-kind',
        'logit',
        '--reduce',
        'sum',
      ],
    ],
  ])('%j is %j', async (typed, canonical) => {
    const [a, b] = [await focal([...typed, '-f', 'csv']), await focal([...canonical, '-f', 'csv'])];
    expect(a.code).toBe(0);
    expect(a).toEqual(b);
  });
  test('a wrong word is still refused, naming the choices', async () => {
    const result = await focal(['weight', '-f', 'JSONL']);
    expect(usageErrorProblems(result, ['--format: JSONL is not one of table, csv'])).toEqual([]);
  });
});

describe('shared options before the command name', () => {
  const words: Record<string, string[]> = {
    alpha: ['-a', '0.5'],
    gamma: ['--gamma=1'],
    logBase: ['--log-base', '2'],
    format: ['-fjson'],
    digits: ['--digits', '3'],
    header: ['--no-header'],
    color: ['--no-color'],
    quiet: ['-q'],
  };
  test('every shared option has a case', () => {
    expect(Object.keys(words).sort()).toEqual([...SHARED_OPTIONS].sort());
  });
  test.each(Object.entries(words))('%s', async (_, option) => {
    const before = await focal([...option, 'loss', '--pt', '0.9']);
    const after = await focal(['loss', '--pt', '0.9', ...option]);
    expect(before.code).toBe(0);
    expect(before).toEqual(after);
  });
  test('another option before the name is refused, naming the command', async () => {
    const own = await focal(['--pt', '0.9', 'loss']);
    expect(usageErrorProblems(own, ['--pt goes after the command name: focal loss --pt'])).toEqual(
      [],
    );
    const foreign = await focal(['--fan-in', '4', 'loss', '--pt', '0.9']);
    expect(usageErrorProblems(foreign, ["unknown option '--fan-in' for loss"])).toEqual([]);
  });
  test('options without a command are still an error', async () => {
    expect((await focal(['--alpha', '0.5'])).code).toBe(2);
  });
});

describe('--no-header where there is no header row: a note', () => {
  test.each(['table', 'markdown', 'json', 'ndjson'])('%s', async (format) => {
    const result = await focal(['weight', '--pt', '0.5', '-f', format, '--no-header']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      `focal: note: --no-header has no effect on ${format} (only csv and tsv have a header row)\n`,
    );
    const without = await focal(['weight', '--pt', '0.5', '-f', format]);
    expect(result.stdout).toBe(without.stdout);
  });
  test.each(['csv', 'tsv'])('%s drops it without a note', async (format) => {
    const result = await focal(['weight', '--pt', '0.5', '-f', format, '--no-header']);
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n')[0]).toMatch(/^0\.25/);
  });
});
