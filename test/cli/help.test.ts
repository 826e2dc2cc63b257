/** `--help` and `--version`: exit 0, on stdout, listing commands, options, defaults, examples. */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { lines, run } from './run.js';

const { version } = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
) as { version: string };

/** The help's option entries (an entry starts with a line `  -…`), joined, by long flag. */
function optionEntries(help: string): Map<string, string> {
  const section = help.split(/^Options:$/m)[1]?.split(/^\S/m)[0] ?? '';
  const entries = new Map<string, string>();
  let current: string[] = [];
  const flush = () => {
    const text = current.join(' ').replace(/\s+/g, ' ').trim();
    const flag = /--[a-z-]+/.exec(text)?.[0];
    if (flag) entries.set(flag, text);
    current = [];
  };
  for (const line of lines(section)) {
    if (/^ {2}-/.test(line)) flush();
    if (line.trim() !== '') current.push(line);
  }
  flush();
  return entries;
}

const SHARED: [string, string | null][] = [
  ['--alpha', '0.25'],
  ['--gamma', '2'],
  ['--log-base', 'e'],
  ['--format', null],
  ['--digits', null],
  ['--no-header', null],
  ['--no-color', null],
  ['--quiet', null],
];

// [command, [long flag, default shown in help or null when none is required]]
const COMMANDS: [string, [string, string | null][]][] = [
  [
    'loss',
    [
      ['--pt', null],
      ['--p', null],
      ['--logit', null],
      ['--y', '1'],
    ],
  ],
  [
    'weight',
    [
      ['--pt', '0:1:0.1'],
      ['--y', '1'],
    ],
  ],
  [
    'contribution',
    [
      ['--neg', null],
      ['--pos', null],
      ['--neg-pt', '0.99'],
      ['--pos-pt', '0.01'],
      ['--group', null],
      ['--balanced-ce', null],
    ],
  ],
  ['bias-init', [['--pi', '0.01']]],
];

describe('focal --help and --version', () => {
  test.each([['--help']])('focal %s lists the four commands on stdout, exit 0', async (flag) => {
    const result = await run([flag]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    for (const name of ['loss', 'weight', 'contribution', 'bias-init']) {
      expect(result.stdout).toMatch(new RegExp(`^ +${name}\\b`, 'm'));
    }
  });

  test.each([['--version']])(
    'focal %s prints the package version on stdout, exit 0',
    async (flag) => {
      const result = await run([flag]);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout.trim()).toBe(version);
    },
  );
});

describe('focal <command> --help', () => {
  test.each(COMMANDS)(
    'focal %s --help: its options with defaults, and two examples',
    async (name, own) => {
      const result = await run([name, '--help']);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      const entries = optionEntries(result.stdout);
      for (const [flag, value] of [...own, ...SHARED]) {
        const entry = entries.get(flag);
        expect({ flag, listed: entry !== undefined }).toEqual({ flag, listed: true });
        if (value !== null) expect(entry).toContain(`(default: ${value})`);
      }
      const examples = result.stdout.split(/^Examples:$/m)[1];
      expect(examples).toBeDefined();
      const exampleLines = lines(examples ?? '').filter(
        (line) =>
          // `  focal cmd …  # says` or `  $ focal cmd …`
          /^\s+(\$ )?focal /.test(line) &&
          line.replace(/^\s+(\$ )?/, '').startsWith(`focal ${name}`),
      );
      expect(exampleLines.length).toBeGreaterThanOrEqual(2);
    },
  );
});
