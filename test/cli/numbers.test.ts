/**
 * Numbers, lists and ranges (cli-contract.md, "Numbers" and "Lists, ranges, sweeps and
 * pairing"), read back from the `pt` column of `focal weight -f csv`.
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { decimalParts, parseNumber } from '../../src/cli/numbers.js';
import { column, lines, run, usageErrorProblems } from './run.js';

/** The p_t values focal reads from `--pt TEXT`. */
async function ptValues(text: string): Promise<number[]> {
  const result = await run(['weight', '--pt', text, '-f', 'csv']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return column(result.stdout, 'pt');
}

describe('numbers as a scientist types them', () => {
  test('.5, 1., +1, 1E-7, 1e-400 (underflows to 0) and surrounding whitespace are accepted', async () => {
    expect(await ptValues(' .5,1.,+1,1E-7,\t0.25 ,1e-400 ')).toEqual([0.5, 1, 1, 1e-7, 0.25, 0]);
  });

  test('a single-number option trims whitespace too: --neg " 1e6 " --digits " 3 "', async () => {
    const result = await run(['contribution', '--neg', ' 1e6 ', '--digits', ' 3 ', '-f', 'csv']);
    expect(result.code).toBe(0);
    expect(lines(result.stdout)[1]).toBe('0.25,2,ce,neg,0,1000000,0.99,0.0101,10100,1');
  });

  test.each([
    ['weight', '--pt', ''],
    ['weight', '--pt', '0x10'],
    ['weight', '--pt', '0b1'],
    ['weight', '--pt', 'Infinity'],
    ['weight', '--pt', 'NaN'],
    ['contribution', '--neg', '1_000'],
    ['contribution', '--neg', '1,5'],
    ['weight', '--digits', '1,5'],
    ['contribution', '--neg', '1e309'],
  ])(
    '%s %s %j is rejected (exit 2, one focal: line naming option and value)',
    async (command, option, value) => {
      const result = await run([command, option, value, '-f', 'csv']);
      expect(usageErrorProblems(result, value === '' ? [option] : [option, value])).toEqual([]);
    },
  );
});

describe('lists', () => {
  test('duplicates are kept, in the order given', async () => {
    expect(await ptValues('0.5,0.1,0.5')).toEqual([0.5, 0.1, 0.5]);
  });

  test('whitespace around list elements and range parts is trimmed', async () => {
    expect(await ptValues(' 0.5 , 0 : 1 : 0.5 ')).toEqual([0.5, 0, 0.5, 1]);
  });

  test('values and ranges mix: 0,0.5:1:0.25', async () => {
    expect(await ptValues('0,0.5:1:0.25')).toEqual([0, 0.5, 0.75, 1]);
  });

  test.each(['0.1,,0.5', '0.1,'])('an empty element %j is an error', async (text) => {
    expect(usageErrorProblems(await run(['weight', '--pt', text]), ['--pt', text])).toEqual([]);
  });
});

describe('ranges start:stop:step, exact decimals', () => {
  test('0:0.3:0.1 is exactly the doubles 0, 0.1, 0.2, 0.3', async () => {
    expect(await ptValues('0:0.3:0.1')).toEqual([0, 0.1, 0.2, 0.3]);
  });

  test('0:1:0.3 is 0, 0.3, 0.6, 0.9', async () => {
    expect(await ptValues('0:1:0.3')).toEqual([0, 0.3, 0.6, 0.9]);
  });

  test('0.56:0.57:1e-7 has 100001 values and ends exactly at 0.57', async () => {
    const values = await ptValues('0.56:0.57:1e-7');
    expect(values).toHaveLength(100001);
    expect(values[0]).toBe(0.56);
    expect(values[1]).toBe(0.5600001);
    expect(values[50000]).toBe(0.565);
    expect(values[100000]).toBe(0.57);
  });

  test('0.5:0.5:0.1 is the single value 0.5', async () => {
    expect(await ptValues('0.5:0.5:0.1')).toEqual([0.5]);
  });

  test('a negative step counts down: 1:0:-0.25', async () => {
    expect(await ptValues('1:0:-0.25')).toEqual([1, 0.75, 0.5, 0.25, 0]);
  });

  test('the default --pt of weight is 0:1:0.1, eleven exact tenths', async () => {
    const result = await run(['weight', '-f', 'csv']);
    expect(column(result.stdout, 'pt')).toEqual([
      0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1,
    ]);
  });

  test.each([
    ['0:1:0', 'a zero step'],
    ['0.5:0.5:0', 'a zero step, even when start = stop'],
    ['0:1:-0.1', 'a step away from stop'],
    ['1:0:0.1', 'a step away from stop (counting up from 1 to 0)'],
    ['0:1', 'two parts'],
    ['0:1:0.1:2', 'four parts'],
    ['0:1:1e-9', 'more than 1e9 values (1,000,000,001)'],
    ['0::0.1', 'an empty part'],
  ])('range %j is an error: %s', async (text) => {
    const result = await run(['weight', '--pt', text, '-f', 'csv']);
    // An empty part is named as "", so only the option is required there.
    expect(usageErrorProblems(result, text.includes('::') ? ['--pt'] : ['--pt', text])).toEqual([]);
  });

  test('labels must be whole: -y 0:1:0.5 is an error', async () => {
    const result = await run(['loss', '--pt', '0.1,0.2,0.3', '-y', '0:1:0.5']);
    expect(usageErrorProblems(result, ['--y'])).toEqual([]);
  });
});

describe('sweeps and pairing', () => {
  test('rows come in the order alpha, then gamma, then the examples', async () => {
    const args = ['loss', '-a', '0.25,0.5', '-g', '0,2', '--pt', '0.1,0.9', '-f', 'csv'];
    const result = await run(args);
    const triples = lines(result.stdout)
      .slice(1)
      .map((line) => {
        const [alpha, gamma, , pt] = line.split(',').map(Number);
        return [alpha, gamma, pt];
      });
    expect(triples).toEqual([
      [0.25, 0, 0.1],
      [0.25, 0, 0.9],
      [0.25, 2, 0.1],
      [0.25, 2, 0.9],
      [0.5, 0, 0.1],
      [0.5, 0, 0.9],
      [0.5, 2, 0.1],
      [0.5, 2, 0.9],
    ]);
  });

  test('contribution: per (α, γ), ce then ce_alpha then fl; groups neg, pos, then --group order', async () => {
    const args = [
      ...['contribution', '-a', 'none,0.5', '-g', '0,2', '--balanced-ce'],
      ...['--group', 'z:5:0.3:0', '--group', 'a:2:0.6:1', '--pos', '1', '--neg', '3', '-f', 'csv'],
    ];
    const rows = lines((await run(args)).stdout)
      .slice(1)
      .map((line) => line.split(','));
    const key = rows.map(([alpha, gamma, loss, group]) => `${alpha} ${gamma} ${loss} ${group}`);
    const expected: string[] = [];
    for (const alpha of ['none', '0.5']) {
      for (const gamma of ['0', '2']) {
        for (const loss of ['ce', 'ce_alpha', 'fl']) {
          for (const group of ['neg', 'pos', 'z', 'a'])
            expected.push(`${alpha} ${gamma} ${loss} ${group}`);
        }
      }
    }
    expect(key).toEqual(expected);
    // CE does not depend on α or γ: its block is repeated identically.
    const ceBlocks = rows.filter((r) => r[2] === 'ce').map((r) => r.slice(3).join(','));
    expect(ceBlocks.slice(4, 8)).toEqual(ceBlocks.slice(0, 4));
    expect(ceBlocks.slice(12, 16)).toEqual(ceBlocks.slice(0, 4));
  });

  test('bias-init --pi is a sweep kept in the order given, duplicates included', async () => {
    const result = await run(['bias-init', '--pi', '0.5,0.01,0.5', '-f', 'csv']);
    expect(column(result.stdout, 'pi')).toEqual([0.5, 0.01, 0.5]);
    expect(column(result.stdout, 'bias')).toEqual([0, -4.59511985013459, 0]);
  });

  test('-y with one value applies to every example', async () => {
    const result = await run(['loss', '--p', '0.2,0.7', '-y', '0', '-f', 'csv']);
    expect(column(result.stdout, 'y')).toEqual([0, 0]);
    expect(column(result.stdout, 'pt')).toEqual([0.8, 0.30000000000000004]);
  });

  test('-y with one value per example pairs them, again in every (α, γ)', async () => {
    const result = await run(['loss', '--p', '0.2,0.7', '-y', '0,1', '-g', '0,2', '-f', 'csv']);
    expect(lines(result.stdout)[0]).toBe('alpha,gamma,y,p,pt,ce,fl,weight');
    expect(column(result.stdout, 'y')).toEqual([0, 1, 0, 1]);
    expect(column(result.stdout, 'p')).toEqual([0.2, 0.7, 0.2, 0.7]);
    expect(column(result.stdout, 'pt')).toEqual([0.8, 0.7, 0.8, 0.7]);
  });

  test.each([
    [['loss', '--pt', '0.1,0.9', '-y', '0,1,1']],
    [['weight', '--pt', '0.5', '-y', '0,1']],
  ])('a label list of another length is an error: %j', async (args) => {
    expect(usageErrorProblems(await run(args), ['--y'])).toEqual([]);
  });
});

describe('the decimal syntax, read by its characters', () => {
  // The rule as a regular expression, the oracle: the reader is the same rule without one.
  const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
  const oracle = (text: string) => {
    const match = DECIMAL.exec(text);
    if (!match || (match[2] === '' && (match[3] ?? '') === '')) return undefined;
    const [, sign = '', whole = '', fraction = '', exponent = '0'] = match;
    return { sign, whole, fraction, exponent };
  };
  const word = fc.string({
    unit: fc.constantFrom('0', '1', '7', '9', '.', 'e', 'E', '+', '-', ' ', 'x', '٣'),
    maxLength: 12,
  });

  test('agrees with the regular expression on any word of its characters (fast-check)', () => {
    fc.assert(
      fc.property(word, (text) => {
        expect(decimalParts(text)).toEqual(oracle(text));
      }),
      { numRuns: 20_000 },
    );
  });

  test.each(['0.25', '.5', '1.', '+1', '-1.5e-3', '1E+7', '007', '-0', '1e0400'])('%s', (text) => {
    expect(decimalParts(text)).toEqual(oracle(text));
    expect(decimalParts(text)).not.toBeUndefined();
  });

  test.each(['', '.', '+', '-.', 'e5', '1e', '1e+', '1.2.3', '0x10', '1_000', 'Infinity', ' 1'])(
    '%j is not a number',
    (text) => {
      expect(decimalParts(text)).toBeUndefined();
    },
  );

  test('the exact value keeps every digit: leading zeros drop, the point moves the exponent', () => {
    expect(parseNumber('007.250').exact).toEqual({ mantissa: 7250n, exponent: -3 });
    expect(parseNumber('-0.001e-2').exact).toEqual({ mantissa: -1n, exponent: -5 });
    expect(parseNumber('1e6').exact).toEqual({ mantissa: 1n, exponent: 6 });
  });
});
