/**
 * Argument fuzzing of the built CLI, in-process (run() calls main on dist/bundle/): random
 * mixes of valid and invalid commands, flags and values. Every run must exit 0 or 2; exit 2
 * with exactly one `focal:` line and an empty stdout; exit 0 with output that parses in the
 * format asked for; never a stack trace. 150 runs in npm test (about 2 s in-process);
 * FOCAL_FUZZ_RUNS=10000 for the long run (README).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { type Result, run } from './run.js';

const RUNS = Number(process.env.FOCAL_FUZZ_RUNS ?? 150);
const dir = mkdtempSync(join(tmpdir(), 'focal-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const FORMATS = ['table', 'csv', 'tsv', 'json', 'ndjson', 'markdown'];

const number = fc.oneof(
  fc.double({ min: -2, max: 3, noNaN: true }).map((x) => String(Number(x.toPrecision(4)))),
  fc.constantFrom('0', '1', '0.5', '.5', '1e6', '1e-3', '0.25', '2', '5', '1e308', '-0', '10'),
  fc.constantFrom(
    '',
    ' ',
    'NaN',
    'Infinity',
    '-Infinity',
    '1e309',
    '0x10',
    '1_000',
    '1,5',
    'abc',
    'γ',
    '٣',
    '½',
    'none',
    '--',
    '-1',
    '1e',
    '+',
    '.',
  ),
);
const range = fc
  .tuple(
    number,
    number,
    fc.constantFrom('0.1', '0.25', '0.5', '1', '0.01', '1e-10', '0', '-0.1', 'x'),
  )
  .map(([a, b, step]) => `${a}:${b}:${step}`);
const list = fc
  .array(fc.oneof(number, range), { minLength: 1, maxLength: 8 })
  .map((xs) => xs.join(','));
const longList = fc
  .integer({ min: 100, max: 2000 })
  .map((n) => Array.from({ length: n }, (_, i) => String((i % 100) / 100)).join(','));
const value = fc.oneof(
  { weight: 5, arbitrary: list },
  { weight: 1, arbitrary: longList },
  {
    weight: 1,
    arbitrary: fc.constantFrom('a:1:0.5:0', 'b:10:0.9:1', 'x:y', 'n:1e6:0.99:0', ':1:1:1'),
  },
  { weight: 1, arbitrary: fc.constantFrom(...FORMATS, 'xml', 'CSV', '') },
  { weight: 1, arbitrary: fc.constantFrom('sum', 'mean', 'pos-mean', 'none', 'max', 'None') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'examples/predictions.csv',
      'missing.csv',
      '-',
      '/',
      join(dir, 'out.svg'),
      'a.pdf',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);
const flag = fc.constantFrom(
  '-a',
  '--alpha',
  '-g',
  '--gamma',
  '--log-base',
  '-f',
  '--format',
  '--digits',
  '--pt',
  '--p',
  '--logit',
  '-y',
  '--neg',
  '--pos',
  '--neg-pt',
  '--pos-pt',
  '--group',
  '--pi',
  '--input',
  '--score-col',
  '--score-kind',
  '--label-col',
  '--weight-col',
  '--ignore-label',
  '--top',
  '--width',
  '--height',
  '--out',
  '--balanced-ce',
  '--no-header',
  '--no-color',
  '-q',
  '--cdf',
  '--skip-invalid',
  '--grad',
  '--star',
  '--star-beta',
  '--reduce',
  '--logits',
  '--probs',
  '--target',
  '--class-alpha',
  '--factor',
  '--beta',
  '--fan-in',
  '--weight-std',
  '--input-mean',
  '--input-std',
  '--line-numbers',
  '--bogus',
  '-z',
  '--help',
);
const word = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom('loss', 'weight', 'contribution', 'bias-init', 'balance', 'plot'),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'los',
      'LOSS',
      '',
      'plot weight',
      'grad',
      '--version',
      '-h',
      'cdf',
      'help',
    ),
  },
);
const commandLine = fc
  .tuple(
    word,
    fc.array(fc.tuple(flag, fc.option(value, { nil: undefined, freq: 6 })), { maxLength: 6 }),
  )
  .map(([command, options]) => [
    command,
    ...options.flatMap(([f, v]) => (v === undefined ? [f] : [f, v])),
  ]);

/** The format the command line asks for: the last valid -f/--format (commander keeps the last). */
function formatOf(args: readonly string[]): string | undefined {
  let format: string | undefined;
  for (let i = 0; i < args.length - 1; i++) {
    if (args[i] === '-f' || args[i] === '--format') format = args[i + 1]?.trim();
  }
  return format;
}

/** What is wrong with a run, or nothing. */
function problems(args: readonly string[], result: Result): string[] {
  const found: string[] = [];
  if (/\n\s+at .+\(.*:\d+:\d+\)/.test(result.stderr) || result.stderr.includes('internal error')) {
    found.push('a stack trace or an internal error');
  }
  if (result.code === 2) {
    if (result.stdout !== '') found.push('exit 2 with output on stdout');
    if (!/^focal: [^\n]+\n$/.test(result.stderr))
      found.push('exit 2 without exactly one focal: line');
    return found;
  }
  if (result.code !== 0) return [...found, `exit ${result.code}`];
  const out = result.stdout;
  if (
    args.includes('--help') ||
    args.includes('-h') ||
    args[0] === '--version' ||
    args[0] === 'help' ||
    args.includes('--out')
  ) {
    return found;
  }
  const format = formatOf(args) ?? (args[0] === 'plot' ? 'chart' : 'csv');
  try {
    if (format === 'csv') {
      const rows = parse(out, { relax_column_count: false }) as string[][];
      if (rows.length === 0) found.push('empty csv');
    } else if (format === 'tsv') {
      const widths = new Set(
        out
          .trimEnd()
          .split('\n')
          .map((l) => l.split('\t').length),
      );
      if (widths.size !== 1) found.push('tsv rows of different widths');
    } else if (format === 'json') {
      if (!Array.isArray(JSON.parse(out))) found.push('json is not an array');
    } else if (format === 'ndjson') {
      for (const line of out
        .trimEnd()
        .split('\n')
        .filter((l) => l !== ''))
        JSON.parse(line);
    } else if (out.trim() === '') {
      found.push(`empty ${format} output`);
    }
  } catch (error) {
    found.push(`${format} output does not parse: ${(error as Error).message}`);
  }
  return found;
}

describe('fuzzed command lines', () => {
  test(
    `${RUNS} random command lines: exit 0 with parseable output, or exit 2 with one focal: line`,
    async () => {
      const exits = { 0: 0, 2: 0 } as Record<number, number>;
      await fc.assert(
        fc.asyncProperty(commandLine, async (args) => {
          const result = await run(args);
          exits[result.code ?? -1] = (exits[result.code ?? -1] ?? 0) + 1;
          const wrong = problems(args, result);
          if (wrong.length > 0) {
            throw new Error(
              `focal ${JSON.stringify(args)}: ${wrong.join('; ')}\nexit ${result.code}\nstderr: ${result.stderr.slice(0, 500)}\nstdout: ${result.stdout.slice(0, 300)}`,
            );
          }
        }),
        { numRuns: RUNS, endOnFailure: true },
      );
      // Both kinds of outcome are exercised, and nothing else occurred.
      expect((exits[0] ?? 0) + (exits[2] ?? 0)).toBe(RUNS);
      expect(exits[0]).toBeGreaterThan(RUNS / 20);
      if (RUNS > 1000)
        process.stderr.write(`fuzz: ${RUNS} runs, exit 0: ${exits[0]}, exit 2: ${exits[2]}\n`);
    },
    Math.max(60_000, RUNS * 500),
  );
});
