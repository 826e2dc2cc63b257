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

describe('focal loss --logits/--probs --target (softmax)', () => {
  test('columns alpha, gamma, example, target, pt, ce, fl, weight; p = softmax of the logits', () => {
    const result = run([
      'loss',
      '--logits',
      '2,1,0.1',
      '--logits',
      '0,3,1',
      '--target',
      '0,1',
      '-a',
      'none',
      '-f',
      'csv',
    ]);
    const [header, first, second] = result.stdout.trim().split('\n');
    expect(header).toBe('alpha,gamma,example,target,pt,ce,fl,weight');
    const p = Math.exp(2) / (Math.exp(2) + Math.exp(1) + Math.exp(0.1));
    const cells = first?.split(',') ?? [];
    expect(cells.slice(0, 4)).toEqual(['none', '2', '0', '0']);
    expect(Number(cells[4])).toBeCloseTo(p, 15);
    expect(Number(cells[5])).toBeCloseTo(-Math.log(p), 15);
    expect(Number(cells[6])).toBeCloseTo(-((1 - p) ** 2) * Math.log(p), 15);
    expect(second?.split(',').slice(2, 4)).toEqual(['1', '1']);
  });

  test('two logits, α none: the same loss as the sigmoid of their difference', () => {
    const soft = run(['loss', '--logits', '0.3,2.5', '--target', '1', '-a', 'none', '-f', 'csv'])
      .stdout.split('\n')[1]
      ?.split(',');
    const sig = run(['loss', '--logit', String(2.5 - 0.3), '-a', 'none', '-f', 'csv'])
      .stdout.split('\n')[1]
      ?.split(',');
    expect(soft?.slice(5, 7)).toEqual(sig?.slice(5, 7));
  });

  test('--probs with --class-alpha: the target α_c in the alpha column', () => {
    const result = run([
      'loss',
      '--probs',
      '0.2,0.7,0.1',
      '--target',
      '1',
      '--class-alpha',
      '0.25,0.5,0.25',
      '-f',
      'csv',
    ]);
    const cells = result.stdout.trim().split('\n')[1]?.split(',') ?? [];
    expect(cells[0]).toBe('0.5');
    expect(Number(cells[6])).toBeCloseTo(0.5 * 0.3 ** 2 * -Math.log(0.7), 15);
  });

  test.each([
    [
      ['loss', '--probs', '0.7,0.2', '--target', '0'],
      '--probs: 0.7,0.2 sums to 0.8999999999999999, not 1 (within 1e-9)',
    ],
    [
      ['loss', '--logits', '1,2', '--target', '0', '-y', '1'],
      '--y and --target exclude each other',
    ],
    [['loss', '--logits', '1,2', '--target', '5'], '--target: 5 is not a class of 1,2'],
    [
      ['loss', '--logits', '1,2', '--target', '0', '--grad'],
      '--grad is for binary examples, not multi-class ones',
    ],
    [
      ['loss', '--logits', '1,2', '--target', '0', '--star'],
      '--star is for binary examples, not multi-class ones',
    ],
    [['loss', '--logits', '1,2'], '--logits needs --target'],
    [
      ['loss', '--logits', '1,2', '--probs', '0.5,0.5', '--target', '0'],
      '--logits and --probs exclude each other',
    ],
    [
      ['loss', '--logits', '1,2', '--target', '0', '--class-alpha', '0.5'],
      '--class-alpha: 1 values for 2 classes',
    ],
    [['loss', '--pt', '0.5', '--target', '1'], '--target needs --logits or --probs'],
  ])('%j is an error', (args, message) => {
    const result = run(args);
    expect([result.code, result.stdout]).toEqual([2, '']);
    expect(result.stderr).toContain(`focal: ${message}`);
  });
});

describe("frameworks' published values (README table)", () => {
  test.each([
    [['--logit', '-18.6,0.51,2.94,-12.8', '-y', '0,1,0,0'], 0.691],
    [['--p', '0.6,0.4', '-y', '0,1'], 0.33],
    [['--p', '0.4,0.6', '-y', '0,0'], 0.206],
  ])('Keras BinaryFocalCrossentropy(gamma=2) docs example %j: %d', (args, published) => {
    const result = run(['loss', ...args, '-a', 'none', '-g', '2', '--reduce', 'mean', '-f', 'csv']);
    const fl = Number(result.stdout.trim().split('\n')[1]?.split(',')[6]);
    expect(fl).toBeCloseTo(published, 3);
  });
});
