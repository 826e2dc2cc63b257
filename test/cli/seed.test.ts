/**
 * The seed's worked figures (the issue, and math.md "Errata"), reproduced through the CLI.
 * Reference values are computed by hand in doubles:
 *   −log10(0.99) = 0.004364805402450088, −ln(0.99) = 0.01005033585350145, ln(100) = 4.605170185988091.
 */
import { describe, expect, test } from '@jest/globals';
import { column, records, relativeError, run, ulp } from './run.js';

const TOLERANCE = 1e-12;
const LOG10_099 = 0.004364805402450088;

async function rowsOf(args: string[]) {
  const result = await run(args);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return records(result.stdout).map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, /^[a-z_]+$/.test(v) ? v : Number(v)])),
  );
}

describe('focal contribution --neg 1e6 --pos 10 (the seed example)', () => {
  test('natural log: positives carry 0.4561% of CE and 93.738% of FL', async () => {
    const rows = await rowsOf(['contribution', '--neg', '1e6', '--pos', '10', '-f', 'csv']);
    expect(rows.map((r) => [r.loss, r.group])).toEqual([
      ['ce', 'neg'],
      ['ce', 'pos'],
      ['fl', 'neg'],
      ['fl', 'pos'],
    ]);
    const [ceNeg, cePos, flNeg, flPos] = rows as Record<string, number>[];
    expect(relativeError(cePos?.share ?? Number.NaN, 0.004561205837965954)).toBeLessThan(TOLERANCE);
    expect(relativeError(flPos?.share ?? Number.NaN, 0.9373815710803681)).toBeLessThan(TOLERANCE);
    expect(relativeError(ceNeg?.share ?? Number.NaN, 1 - 0.004561205837965954)).toBeLessThan(
      TOLERANCE,
    );
    expect(relativeError(flNeg?.share ?? Number.NaN, 1 - 0.9373815710803681)).toBeLessThan(1e-11);
    expect(relativeError(ceNeg?.per_example ?? Number.NaN, 0.01005033585350145)).toBeLessThan(
      TOLERANCE,
    );
    expect(relativeError(cePos?.per_example ?? Number.NaN, 4.605170185988091)).toBeLessThan(
      TOLERANCE,
    );
  });

  test('--log-base 10 gives the seed figures 0.0043648054, 2, 4364.8054, 20, 0.32736, 4.9005', async () => {
    const args = ['contribution', '--neg', '1e6', '--pos', '10', '--log-base', '10', '-f', 'csv'];
    const [ceNeg, cePos, flNeg, flPos] = (await rowsOf(args)) as Record<string, number>[];
    const perExampleNeg = ceNeg?.per_example ?? Number.NaN;
    expect(perExampleNeg.toFixed(10)).toBe('0.0043648054');
    expect(relativeError(perExampleNeg, LOG10_099)).toBeLessThan(TOLERANCE);
    expect(cePos?.per_example).toBe(2); // Math.log10(0.01) is exactly −2
    expect(relativeError(ceNeg?.total ?? Number.NaN, LOG10_099 * 1e6)).toBeLessThan(TOLERANCE);
    expect(Math.trunc(ceNeg?.total ?? Number.NaN)).toBe(4364); // the seed's truncation
    expect(cePos?.total).toBe(20);
    expect(relativeError(flNeg?.total ?? Number.NaN, 0.75 * 0.0001 * LOG10_099 * 1e6)).toBeLessThan(
      TOLERANCE,
    );
    expect((flNeg?.total ?? Number.NaN).toPrecision(5)).toBe('0.32736');
    expect(relativeError(flPos?.total ?? Number.NaN, 10 * 2 * 0.25 * 0.99 ** 2)).toBeLessThan(
      TOLERANCE,
    );
    expect(relativeError(flPos?.total ?? Number.NaN, 4.9005)).toBeLessThan(TOLERANCE);
    // Shares do not depend on the base.
    expect((cePos?.share ?? Number.NaN).toPrecision(2)).toBe('0.0046');
    expect((flPos?.share ?? Number.NaN).toFixed(4)).toBe('0.9374');
    expect(relativeError(cePos?.share ?? Number.NaN, 0.004561205837965954)).toBeLessThan(TOLERANCE);
  });

  test('the table summary says "0.46% of CE" and "93.74% of FL"', async () => {
    const result = await run(['contribution', '--neg', '1e6', '--pos', '10', '-f', 'table']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('0.46% of CE');
    expect(result.stdout).toContain('93.74% of FL');
  });
});

describe('focal weight: the seed weights', () => {
  test('--pt 0.99 -y 0 gives 0.000075; --pt 0.01 -y 1 gives 0.245025', async () => {
    // 1 − 0.99 is 0.010000000000000009 in doubles, so 0.75·(1 − p_t)² is 7.5e-5 to 1.8e-15.
    const easy = column(
      (await run(['weight', '--pt', '0.99', '-y', '0', '-f', 'csv'])).stdout,
      'weight',
    );
    expect(easy).toHaveLength(1);
    expect(relativeError(easy[0] ?? Number.NaN, 7.5e-5)).toBeLessThan(4e-15);
    const hard = column(
      (await run(['weight', '--pt', '0.01', '-y', '1', '-f', 'csv'])).stdout,
      'weight',
    );
    expect(relativeError(hard[0] ?? Number.NaN, 0.245025)).toBeLessThan(1e-15);
  });
});

describe('focal loss: precision at the extremes', () => {
  test('--logit 40 -y 1: CE is 4.248354255291589e-18, not 0', async () => {
    const ce = column((await run(['loss', '--logit', '40', '-y', '1', '-f', 'csv'])).stdout, 'ce');
    expect(ce[0]).toBeGreaterThan(0);
    expect(relativeError(ce[0] ?? Number.NaN, 4.248354255291589e-18)).toBeLessThan(TOLERANCE);
  });

  test('--log-base 10 and 2 use exact logarithms: −log10(0.01) = 2, −log2(0.25) = 2', async () => {
    expect(
      column((await run(['loss', '--pt', '0.01', '--log-base', '10', '-f', 'csv'])).stdout, 'ce'),
    ).toEqual([2]);
    expect(
      column((await run(['loss', '--pt', '0.25', '--log-base', '2', '-f', 'csv'])).stdout, 'ce'),
    ).toEqual([2]);
  });
});

describe('focal bias-init', () => {
  test('default π = 0.01: bias −4.59511985013459, p0 within 2 ulp of 0.01', async () => {
    const [row] = (await rowsOf(['bias-init', '-f', 'csv'])) as Record<string, number>[];
    expect(row?.pi).toBe(0.01);
    expect(relativeError(row?.bias ?? Number.NaN, -4.59511985013459)).toBeLessThan(1e-15);
    expect(Math.abs((row?.p0 ?? Number.NaN) - 0.01)).toBeLessThanOrEqual(2 * ulp(0.01));
  });
});

describe('focal contribution: sweeps and limits', () => {
  test('the table summary has one line per (α, γ), in sweep order', async () => {
    const args = ['contribution', '--neg', '1e6', '--pos', '10', '-a', '0.25,none', '-g', '0,2'];
    const result = await run([...args, '-f', 'table']);
    expect(result.code).toBe(0);
    const after = result.stdout.split('└')[1]?.split('\n').slice(1).filter(Boolean) ?? [];
    expect(after).toHaveLength(4);
    for (const line of after) expect(line).toContain('0.46% of CE');
    expect(after.map((line) => /([\d.]+)% of FL/.exec(line)?.[1])).toEqual([
      '0.15',
      '93.74',
      '0.46',
      '97.82',
    ]);
  });

  test('0 × ∞ = 0, and infinite totals share 1 in proportion to their counts', async () => {
    const args = ['contribution', '--neg', '10', '--pos', '0', '--pos-pt', '0'];
    const groups = ['--group', 'a:1:0:1', '--group', 'b:3:0:1', '-f', 'csv'];
    const rows = records((await run([...args, ...groups])).stdout);
    expect(rows.map((r) => [r.loss, r.group, r.per_example, r.total, r.share])).toEqual([
      ['ce', 'neg', '0.01005033585350145', '0.1005033585350145', '0'],
      ['ce', 'pos', 'Infinity', '0', '0'],
      ['ce', 'a', 'Infinity', 'Infinity', '0.25'],
      ['ce', 'b', 'Infinity', 'Infinity', '0.75'],
      ['fl', 'neg', '7.537751890126102e-7', '0.000007537751890126102', '0'],
      ['fl', 'pos', 'Infinity', '0', '0'],
      ['fl', 'a', 'Infinity', 'Infinity', '0.25'],
      ['fl', 'b', 'Infinity', 'Infinity', '0.75'],
    ]);
  });
});
