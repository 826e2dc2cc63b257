/**
 * `focal bias-init --neg/--pos` (the first step's loss) and `--fan-in …` (the spread of the
 * initial p), end to end against mpmath (test/fixtures/initialisation.json).
 */
import { describe, expect, test } from '@jest/globals';
import {
  type FirstStepCase,
  initialisation,
  type SpreadCase,
} from '../core/initialisation-fixture.js';
import { type Check, exact, failures } from '../core/oracle.js';
import { column, relativeError, run, usageErrorProblems } from './run.js';

const ESC = String.fromCharCode(27);

const { first_step: firstStep, spread } = initialisation;

type JsonRow = Record<string, number | string | null>;

async function jsonRows(args: readonly string[]): Promise<JsonRow[]> {
  const result = await run([...args, '-f', 'json']);
  expect([result.code, result.stderr]).toEqual([0, '']);
  return JSON.parse(result.stdout);
}

describe('bias-init --neg --pos: the first step with bias 0 against the prior bias', () => {
  const settings = [...new Set(firstStep.map((c) => `${c.neg} ${c.pos}`))];

  test.each(settings)(
    '--neg/--pos %s, every α, γ and π: each cell within 8 EPS of mpmath',
    async (setting) => {
      const [neg, pos] = setting.split(' ') as [string, string];
      const cases = firstStep.filter((c) => `${c.neg} ${c.pos}` === setting);
      const values = (key: 'pi' | 'alpha' | 'gamma') =>
        [...new Set(cases.map((c) => c[key] ?? 'none'))].join(',');
      const rows = await jsonRows([
        'bias-init',
        '--neg',
        neg,
        '--pos',
        pos,
        '--pi',
        values('pi'),
        '-a',
        values('alpha'),
        '-g',
        values('gamma'),
      ]);
      const key = (r: {
        alpha: unknown;
        gamma: unknown;
        pi: unknown;
        init: unknown;
        loss: unknown;
        group: unknown;
      }) => [r.alpha ?? 'none', r.gamma, r.pi, r.init, r.loss, r.group].join(' ');
      const byKey = new Map(rows.map((r) => [key(r as never), r]));
      expect(rows).toHaveLength(cases.length);
      const check = (c: FirstStepCase): Check[] => {
        const row = byKey.get(key(c)) as JsonRow;
        return (['per_example', 'total', 'share'] as const).map((column) => [
          column,
          row[column] as number,
          exact(c[column]),
          8,
        ]);
      };
      const describeCase = (c: FirstStepCase) =>
        `neg ${c.neg}, pos ${c.pos}, π ${c.pi}, α ${c.alpha}, γ ${c.gamma}, ${c.init} ${c.loss} ${c.group}`;
      expect(failures(cases, check, describeCase)).toEqual([]);
    },
  );

  test('rows in order: α, γ, π, then init zero before prior, CE before FL, neg before pos', async () => {
    const rows = await jsonRows([
      'bias-init',
      '--neg',
      '100',
      '--pos',
      '1',
      '-g',
      '0,2',
      '--pi',
      '0.01,0.1',
    ]);
    expect(rows).toHaveLength(2 * 2 * 2 * 2 * 2);
    expect(Object.keys(rows[0] as JsonRow)).toEqual([
      'alpha',
      'gamma',
      'pi',
      'init',
      'loss',
      'group',
      'per_example',
      'total',
      'share',
    ]);
    expect(rows.slice(0, 9).map((r) => [r.gamma, r.pi, r.init, r.loss, r.group].join(' '))).toEqual(
      [
        '0 0.01 zero ce neg',
        '0 0.01 zero ce pos',
        '0 0.01 zero fl neg',
        '0 0.01 zero fl pos',
        '0 0.01 prior ce neg',
        '0 0.01 prior ce pos',
        '0 0.01 prior fl neg',
        '0 0.01 prior fl pos',
        '0 0.1 zero ce neg',
      ],
    );
  });

  test("the paper's point, on a terminal: a summary of the negatives' share under each init", async () => {
    const result = await run(['bias-init', '--neg', '1e6', '--pos', '10'], { terminal: {} });
    expect(result.code).toBe(0);
    // The summary line follows the table; its percentages are bold on a terminal.
    expect(result.stdout.replace(new RegExp(`${ESC}\\[[0-9;]*m`, 'g'), '')).toContain(
      'α = 0.25, γ = 2, π = 0.01: negatives carry 99.99900% of CE, 99.99967% of FL with bias 0; ' +
        '99.54% of CE, 6.26% of FL with the prior bias',
    );
  });

  test.each([
    [
      ['--neg', '1e9', '--pos', '1'],
      'negatives carry 99.999999900% of CE, 99.999999967% of FL with bias 0',
    ],
    [
      ['--neg', '0', '--pos', '0'],
      'negatives carry undefined (no loss) of CE, undefined (no loss) of FL',
    ],
    [
      ['--neg', '1', '--pos', '1e12'],
      '0.0000000003% of FL with bias 0; <0.0000000001% of CE, <0.0000000001% of FL with the prior',
    ],
  ])(
    'summary %j: a share near 0% or 100% keeps its distance, no share is NaN%',
    async (args, text) => {
      const result = await run(['bias-init', ...args, '-f', 'table', '--no-color']);
      expect(result.code).toBe(0);
      expect(result.stdout.trim().split('\n').at(-1)).toContain(text);
    },
  );

  test('no note for α and γ here (they matter); --log-base: the losses change, the shares not', async () => {
    expect(
      (await run(['bias-init', '--neg', '9', '--pos', '1', '-a', '0.5', '-g', '1', '-f', 'csv']))
        .stderr,
    ).toBe('');
    const base10 = await run([
      'bias-init',
      '--neg',
      '9',
      '--pos',
      '1',
      '--log-base',
      '10',
      '-f',
      'csv',
    ]);
    expect(base10.stderr).toMatch(/^focal: note: the losses are in the chosen base/);
    const natural = await run(['bias-init', '--neg', '9', '--pos', '1', '-f', 'csv']);
    const perExample = (text: string) => column(text, 'per_example');
    const natural10PerExample = perExample(natural.stdout);
    expect(
      perExample(base10.stdout).map((v, i) => v * Math.LN10 - (natural10PerExample[i] as number)),
    ).toEqual(natural10PerExample.map(() => expect.closeTo(0, 12)));
    // The same shares up to rounding: each loss is scaled by 1/ln 10, and the scaled terms
    // round differently (the property tests hold this law for every input).
    const shares = (text: string) => column(text, 'share');
    const natural10 = shares(natural.stdout);
    const errors = shares(base10.stdout).map((share, i) =>
      relativeError(share, natural10[i] as number),
    );
    expect(errors).toHaveLength(8);
    expect(Math.max(...errors)).toBeLessThanOrEqual(4 * Number.EPSILON);
  });
});

describe('bias-init --fan-in: the spread of the initial probability', () => {
  test("the paper's setting (π = 0.01, σ = 0.01) at fan-in 256 and a sweep of π, against mpmath", async () => {
    const pick = spread.filter(
      (c) => c.fan_in === 256 && c.weight_std === 0.01 && c.input_mean === 0 && c.input_std === 1,
    );
    expect(pick.length).toBe(7);
    const rows = await jsonRows([
      'bias-init',
      '--fan-in',
      '256',
      '--weight-std',
      '0.01',
      '--pi',
      pick.map((c) => c.pi).join(','),
    ]);
    expect(Object.keys(rows[0] as JsonRow)).toEqual([
      'pi',
      'bias',
      'p0',
      'wx_std',
      'p_q01',
      'p_median',
      'p_q99',
    ]);
    const check = (c: SpreadCase): Check[] => {
      const row = rows.find((r) => r.pi === c.pi) as JsonRow;
      return (['wx_std', 'p_q01', 'p_median', 'p_q99'] as const).map((column) => [
        column,
        row[column] as number,
        exact(c[column]),
        column === 'wx_std' || column === 'p_median' ? 8 : 1e-12 / Number.EPSILON,
      ]);
    };
    expect(failures(pick, check, (c) => `π = ${c.pi}`)).toEqual([]);
  });

  test('input mean and spread enter as √(D² + M²); defaults S = 0.01, M = 0, D = 1', async () => {
    const [row] = await jsonRows([
      'bias-init',
      '--fan-in',
      '100',
      '--input-mean',
      '3',
      '--input-std',
      '4',
    ]);
    expect(row?.wx_std).toBe(0.5); // √100 · 0.01 · 5
    const [plain] = await jsonRows(['bias-init', '--fan-in', '10000']);
    expect(plain?.wx_std).toBe(1); // √10000 · 0.01 · 1
  });

  test('every fan-in gets the exact law, without a note (the normal approximation is gone)', async () => {
    for (const args of [
      ['--fan-in', '4'],
      ['--fan-in', '1', '--input-mean', '0.5'],
      ['--fan-in', '4', '--input-std', '0', '--input-mean', '1'],
      ['--fan-in', '30'],
      ['--fan-in', '4', '--weight-std', '0'],
    ]) {
      const result = await run(['bias-init', ...args, '-f', 'csv']);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
    }
  });

  test("fan-in 30, S = 0.5, D = 2: 22% below the normal approximation's 1% point of p", async () => {
    const [row] = await jsonRows([
      'bias-init',
      '--fan-in',
      '30',
      '--weight-std',
      '0.5',
      '--input-std',
      '2',
    ]);
    const normal = 0.01 / (0.01 + 0.99 * Math.exp(2.326347874040841 * (row?.wx_std as number)));
    expect((row?.p_q01 as number) / normal).toBeCloseTo(0.78, 3);
  });

  test('--help says the quantiles come from the exact law of wx', async () => {
    const help = (await run(['bias-init', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(help).toContain('the exact law of wx, any n');
  });
});

describe('bias-init usage errors', () => {
  test.each([
    [
      ['--fan-in', '4', '--neg', '3'],
      ['--fan-in', '--neg', 'exclude each other'],
    ],
    [
      ['--pos', '3', '--weight-std', '0.1'],
      ['--weight-std', '--pos', 'exclude each other'],
    ],
    [
      ['--weight-std', '0.1'],
      ['--weight-std', 'needs --fan-in'],
    ],
    [
      ['--input-mean', '1'],
      ['--input-mean', 'needs --fan-in'],
    ],
    [['--neg', '5'], ['--neg needs --pos']],
    [['--pos', '5'], ['--pos needs --neg']],
    [
      ['--fan-in', '0'],
      ['--fan-in', '0', 'whole number from 1 to 2^53 − 1'],
    ],
    [
      ['--fan-in', '2.5'],
      ['--fan-in', '2.5'],
    ],
    [
      ['--fan-in', '1e16'],
      ['--fan-in', '1e16', 'from 1 to 2^53 − 1'],
    ],
    [
      ['--fan-in', '3', '--weight-std', '-1'],
      ['--weight-std', '-1', '≥ 0'],
    ],
    [
      ['--fan-in', '3', '--input-std', '-2'],
      ['--input-std', '-2'],
    ],
    [
      ['--fan-in', '3', '--input-mean', 'x'],
      ['--input-mean', 'x'],
    ],
    [
      ['--neg', '-1', '--pos', '1'],
      ['--neg', '-1'],
    ],
  ])('bias-init %j', async (args, mentions) => {
    expect(usageErrorProblems(await run(['bias-init', ...args]), mentions)).toEqual([]);
  });
});
