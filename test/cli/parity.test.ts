/** Framework parity, end to end: gradients, FL*. */
import { describe, expect, test } from '@jest/globals';
import { run } from './run.js';

describe('focal loss --grad', () => {
  test('adds ce_grad and fl_grad after the loss columns; 0, not NaN, at p_t = 1 with γ = 0.5', () => {
    const result = run([
      'loss',
      '--logit',
      '800,-3',
      '-y',
      '1',
      '-g',
      '0.5',
      '--grad',
      '-f',
      'csv',
    ]);
    const [header, atOne, hard] = result.stdout.trim().split('\n');
    expect(header).toBe('alpha,gamma,y,logit,pt,ce,fl,weight,ce_grad,fl_grad');
    expect(atOne?.split(',').slice(-2)).toEqual(['0', '0']);
    const [ceGrad, flGrad] = (hard?.split(',').slice(-2) ?? []).map(Number);
    expect(ceGrad).toBeCloseTo(-1 / (1 + Math.exp(-3)), 15);
    const pt = 1 / (1 + Math.exp(3));
    expect(flGrad).toBeCloseTo(0.25 * Math.sqrt(1 - pt) * (0.5 * pt * Math.log(pt) + pt - 1), 15);
  });
});

describe('focal loss --star (FL*)', () => {
  test('fl_star after the other columns (and fl_star_grad with --grad); γ = 1, β = 0, α none is CE', () => {
    const result = run([
      'loss',
      '--logit',
      '2,-1',
      '-y',
      '1,0',
      '-g',
      '1,2',
      '-a',
      'none',
      '--star',
      '--grad',
      '-f',
      'csv',
    ]);
    const rows = result.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    expect(rows[0]?.slice(-4)).toEqual(['ce_grad', 'fl_grad', 'fl_star', 'fl_star_grad']);
    // γ = 1: FL* = CE, and its gradient is dCE/dx.
    expect(rows[1]?.[10]).toBe(rows[1]?.[5]);
    expect(rows[1]?.[11]).toBe(rows[1]?.[8]);
    // γ = 2, β = 0, y = 1, x = 2: −ln σ(4)/2.
    expect(Number(rows[3]?.[10])).toBeCloseTo(Math.log1p(Math.exp(-4)) / 2, 15);
  });

  test('--star-beta shifts: (γ, β) = (2, 1) at x = 0, y = 1 is −ln σ(1)/2', () => {
    const result = run([
      'loss',
      '--logit',
      '0',
      '-g',
      '2',
      '-a',
      'none',
      '--star',
      '--star-beta',
      '1',
      '-f',
      'csv',
    ]);
    const row = result.stdout.trim().split('\n')[1]?.split(',') ?? [];
    expect(Number(row.at(-1))).toBeCloseTo(Math.log1p(Math.exp(-1)) / 2, 15);
  });

  test.each([
    [['loss', '--pt', '0.5', '--star'], '--star needs logits (--logit)'],
    [['loss', '--logit', '1', '-g', '0,2', '--star'], '--star: FL* needs γ > 0 (--gamma has 0)'],
    [['loss', '--logit', '1', '--star-beta', '1'], '--star-beta needs --star'],
    [['loss', '--logit', '1', '--star', '--star-beta', 'x'], '--star-beta: x is not a number'],
  ])('%j is an error', (args, message) => {
    const result = run(args);
    expect([result.code, result.stdout]).toEqual([2, '']);
    expect(result.stderr).toContain(`focal: ${message}`);
  });
});

describe('focal loss --reduce', () => {
  const args = ['loss', '--p', '0.9,0.2,0.6,0.01', '-y', '1,0,0,1', '-g', '0,2', '-f', 'csv'];
  const perExample = run(args)
    .stdout.trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').map(Number));

  test.each([
    ['sum', 1],
    ['mean', 4],
    ['pos-mean', 2],
  ])(
    '%s: columns alpha, gamma, reduce, n, n_pos, ce, fl; the per-example sums / %d',
    (how, divisor) => {
      const result = run([...args, '--reduce', how]);
      const [header, ...rows] = result.stdout.trim().split('\n');
      expect(header).toBe('alpha,gamma,reduce,n,n_pos,ce,fl');
      for (const [i, gamma] of [0, 2].entries()) {
        const mine = perExample.filter((r) => r[1] === gamma);
        const [ce, fl] = [5, 6].map(
          (k) => mine.reduce((s, r) => s + (r[k] as number), 0) / divisor,
        );
        const row = rows[i]?.split(',') ?? [];
        expect(row.slice(0, 5)).toEqual(['0.25', String(gamma), how, '4', '2']);
        expect(Number(row[5])).toBeCloseTo(ce as number, 14);
        expect(Number(row[6])).toBeCloseTo(fl as number, 14);
      }
    },
  );

  test('pos-mean with no positives divides by 1 (max(1, n_pos)); gradients reduce the same way', () => {
    const result = run([
      'loss',
      '--p',
      '0.2,0.6',
      '-y',
      '0',
      '--reduce',
      'pos-mean',
      '--grad',
      '-f',
      'csv',
    ]);
    const [header, row] = result.stdout.trim().split('\n');
    expect(header).toBe('alpha,gamma,reduce,n,n_pos,ce,fl,ce_grad,fl_grad');
    const cells = row?.split(',') ?? [];
    expect(cells.slice(3, 5)).toEqual(['2', '0']);
    expect(Number(cells[5])).toBeCloseTo(-Math.log(0.8) - Math.log(0.4), 14);
    expect(Number(cells[7])).toBeCloseTo(0.2 + 0.6, 14);
  });

  test('a reduction that is not one of none, sum, mean, pos-mean is an error', () => {
    const result = run(['loss', '--pt', '0.9', '--reduce', 'max']);
    expect([result.code, result.stdout, result.stderr]).toEqual([
      2,
      '',
      'focal: --reduce: max is not one of none, sum, mean, pos-mean\n',
    ]);
  });
});
