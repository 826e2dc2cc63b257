/**
 * `--loss LIST` (issue 18): the focal family in `loss`, `weight` and `contribution`, in-process.
 * The numbers themselves are the core's (test/core/family*.test.ts check them against mpmath);
 * here: that each row is the core function of its loss and setting, that the sweep is complete
 * and in order, that gradients are finite at the ends, that `weight` is the loss over CE, that
 * `ce,fl` reproduce the default columns, and the bad inputs.
 */
import { describe, expect, test } from '@jest/globals';
import {
  type FamilyMember,
  type FamilyOptions,
  familyExample,
  familyMembers,
  softTargetProblem,
} from '../../src/cli/family.js';
import { FAMILY_PARAMETERS, type OptionSpec, VALUE_OPTIONS } from '../../src/cli/options.js';
import { asymmetricLoss, asymmetricLossGradient } from '../../src/core/asymmetric.js';
import { classBalancedWeights } from '../../src/core/class-balanced.js';
import { FLSD_53, sampleDependentFocalLossGradient } from '../../src/core/gamma-schedule.js';
import { crossEntropy, focalLoss } from '../../src/core/loss.js';
import { poly1FocalLoss, poly1FocalLossGradient } from '../../src/core/poly.js';
import { qualityFocalLoss, qualityFocalLossGradient } from '../../src/core/quality-focal.js';
import {
  softBinaryCrossEntropy,
  softBinaryCrossEntropyGradient,
  softTargetFromLogit,
} from '../../src/core/soft-target.js';
import { trueClassFromLogit, trueClassFromPt } from '../../src/core/true-class.js';
import { varifocalLoss, varifocalLossGradient } from '../../src/core/varifocal.js';
import { records, relativeError, run, usageErrorProblems } from './run.js';

const ALL = 'ce,fl,asl,poly1,poly1-fl,vfl,qfl,flsd,cb-fl';

async function csv(args: string[]): Promise<Record<string, string>[]> {
  const result = await run([...args, '-f', 'csv']);
  expect([result.code, result.stderr]).toEqual([0, '']);
  return records(result.stdout);
}

describe('focal loss --loss', () => {
  test('ce,fl give the default columns ce, fl, weight, ce_grad, fl_grad, digit for digit', async () => {
    const args = ['loss', '--logit', '-30,-2,0,0.5,3,40,800', '-y', '1,0,1,0,1,1,0', '-g', '0.5,2'];
    const plain = await csv([...args, '--grad']);
    const family = await csv([...args, '--grad', '--loss', 'ce,fl']);
    const ce = family.filter((r) => r.loss === 'ce');
    const fl = family.filter((r) => r.loss === 'fl');
    // Default rows: γ slowest (one α), examples fastest; ce does not depend on γ.
    expect(fl.map((r) => [r.params, r.logit, r.value, r.weight, r.grad])).toEqual(
      plain.map((r) => [`alpha=0.25 gamma=${r.gamma}`, r.logit, r.fl, r.weight, r.fl_grad]),
    );
    expect(ce.map((r) => [r.logit, r.pt, r.value, r.grad])).toEqual(
      plain.slice(0, 7).map((r) => [r.logit, r.pt, r.ce, r.ce_grad]),
    );
    expect(ce.every((r) => r.params === '' && r.weight === '1')).toBe(true);
  });

  test('each row is the core function of its loss and setting', async () => {
    const logits = [-4, -0.3, 0, 1.5, 6];
    const labels = [0, 1, 0, 1, 0] as const;
    const rows = await csv([
      'loss',
      '--logit',
      logits.join(','),
      '-y',
      labels.join(','),
      '--loss',
      ALL,
      '--neg',
      '1000',
      '--pos',
      '10',
      '--grad',
    ]);
    const byLoss = (name: string) => rows.filter((r) => r.loss === name);
    for (const [i, x] of logits.entries()) {
      const y = labels[i] as 0 | 1;
      const tc = trueClassFromLogit(x, y);
      const soft = softTargetFromLogit(x, y);
      const asl = byLoss('asl')[i];
      expect(Number(asl?.value)).toBe(
        asymmetricLoss(tc, y, { gammaPos: 0, gammaNeg: 4, margin: 0.05 }),
      );
      expect(Number(asl?.grad)).toBe(
        asymmetricLossGradient(tc, y, { gammaPos: 0, gammaNeg: 4, margin: 0.05 }),
      );
      const poly = byLoss('poly1-fl')[i];
      const at = y === 1 ? 0.25 : 0.75;
      expect(Number(poly?.value)).toBe(poly1FocalLoss(tc, at, 2, 1));
      expect(Number(poly?.grad)).toBe(poly1FocalLossGradient(tc, at, 2, 1, y));
      const vfl = byLoss('vfl')[i];
      const vflParameters = { alpha: 0.75, gamma: 2, iouWeighted: true };
      expect(Number(vfl?.value)).toBe(varifocalLoss(soft, vflParameters));
      expect(Number(vfl?.grad)).toBe(varifocalLossGradient(soft, vflParameters));
      expect(Number(byLoss('qfl')[i]?.value)).toBe(qualityFocalLoss(soft, 2));
      expect(Number(byLoss('flsd')[i]?.grad)).toBe(
        sampleDependentFocalLossGradient(tc, 1, y, FLSD_53),
      );
      // The authors' weights: 1/E_n normalised to sum to the number of classes.
      const w = classBalancedWeights([1000, 10], 0.9999)[y] as number;
      expect(Number(byLoss('cb-fl')[i]?.value)).toBe(focalLoss(tc, w, 2));
    }
  });

  test('a sweep: every setting of each loss, its first parameter slowest, losses in the order named', async () => {
    const rows = await csv([
      'loss',
      '--pt',
      '0.3,0.9',
      '--loss',
      'asl,poly1',
      '--gamma-neg',
      '2,4',
      '--margin',
      '0,0.05',
      '--epsilon',
      '-1,0:2:1',
    ]);
    expect(rows.map((r) => `${r.loss} ${r.params} ${r.pt}`)).toEqual(
      [
        'asl gamma_pos=0 gamma_neg=2 margin=0',
        'asl gamma_pos=0 gamma_neg=2 margin=0.05',
        'asl gamma_pos=0 gamma_neg=4 margin=0',
        'asl gamma_pos=0 gamma_neg=4 margin=0.05',
        'poly1 epsilon=-1',
        'poly1 epsilon=0',
        'poly1 epsilon=1',
        'poly1 epsilon=2',
      ].flatMap((s) => [`${s} 0.3`, `${s} 0.9`]),
    );
  });

  test('--grad is finite everywhere: p = 0 and 1, a margin that zeroes p_m, γ < 1, logits ±800', async () => {
    const common = ['--loss', ALL, '--neg', '5', '--pos', '2', '--grad'];
    const small = [
      '-g',
      '0,0.5',
      '--gamma-pos',
      '0.5',
      '--gamma-neg',
      '0.5,4',
      '--qfl-beta',
      '0.5',
    ];
    const runs = [
      ['loss', '--p', '0,1,0.05,0.1,0.5', '-y', '0', '--margin', '0.05,0.1', ...small],
      ['loss', '--p', '0,1,0.5', '-y', '1', ...small],
      ['loss', '--logit', '-800,-40,40,800', '-y', '1', ...small],
      ['loss', '--logit', '-800,-40,40,800', '-y', '0', ...small],
      ['loss', '--pt', '0,1e-300,0.2,1', '-y', '0,1,0,1', ...small],
    ];
    for (const args of runs) {
      const rows = await csv([...args, ...common]);
      expect(rows.length).toBeGreaterThan(0);
      const bad = rows.filter(
        (r) => !Number.isFinite(Number(r.grad)) || Number.isNaN(Number(r.value)),
      );
      expect(bad).toEqual([]);
    }
  });

  test('weight is the loss over CE where CE is finite and > 0', async () => {
    const rows = await csv([
      'loss',
      '--pt',
      '0.001,0.04,0.2,0.5,0.93,0.999',
      '-y',
      '0',
      '--loss',
      ALL,
      '--neg',
      '7',
      '--pos',
      '3',
      '--margin',
      '0,0.05',
    ]);
    for (const r of rows) {
      const ce = crossEntropy(trueClassFromPt(Number(r.pt)));
      expect([
        r.loss,
        r.params,
        r.pt,
        relativeError(Number(r.weight), Number(r.value) / ce) < 1e-13,
      ]).toEqual([r.loss, r.params, r.pt, true]);
    }
  });

  test('--reduce mean is the mean of the rows', async () => {
    const args = ['loss', '--logit', '-3,0.2,2,5', '-y', '0,1,1,0', '--loss', 'asl,vfl', '--grad'];
    const rows = await csv(args);
    const reduced = await csv([...args, '--reduce', 'mean']);
    expect(reduced.map((r) => [r.loss, r.n, r.n_pos])).toEqual([
      ['asl', '4', '2'],
      ['vfl', '4', '2'],
    ]);
    for (const r of reduced) {
      const own = rows.filter((row) => row.loss === r.loss);
      const mean = own.reduce((s, row) => s + Number(row.value), 0) / 4;
      expect(relativeError(Number(r.value), mean)).toBeLessThan(1e-15);
    }
  });

  test('notes: a parameter of no named loss; poly1-fl negative below ε = −α_t', async () => {
    const unused = await run([
      'loss',
      '--pt',
      '0.5',
      '--loss',
      'fl',
      '--margin',
      '0.1',
      '-f',
      'csv',
    ]);
    expect([unused.code, unused.stderr]).toEqual([
      0,
      'focal: note: --margin has no effect: --loss has no asl\n',
    ]);
    const negative = await run([
      'loss',
      '--pt',
      '0.99',
      '--loss',
      'poly1-fl',
      '--epsilon',
      '-1',
      '-f',
      'csv',
    ]);
    expect(negative.code).toBe(0);
    expect(negative.stderr).toContain('loss is negative for easy examples');
    expect(Number(records(negative.stdout)[0]?.value)).toBeLessThan(0);
  });
});

describe('focal weight --loss', () => {
  test("the seed's easy negative (p_t = 0.99) under each loss", async () => {
    const rows = await csv(['weight', '--pt', '0.99', '-y', '0', '--loss', 'fl,asl,vfl,qfl,flsd']);
    const weight = Object.fromEntries(rows.map((r) => [r.loss, Number(r.weight)]));
    expect(weight.fl).toBeCloseTo(0.75 * 0.01 ** 2, 17);
    expect(weight.asl).toBe(0); // p = 0.01 ≤ m = 0.05: discarded
    expect(weight.vfl).toBeCloseTo(0.75 * 0.01 ** 2, 17);
    expect(weight.qfl).toBeCloseTo(0.01 ** 2, 17);
    expect(weight.flsd).toBeCloseTo(0.01 ** 3, 19);
    expect(rows.map((r) => Number(r.ce_over_loss))).toEqual(rows.map((r) => 1 / Number(r.weight)));
  });
});

describe('focal contribution --loss', () => {
  test('ce and fl reproduce the default shares; cb-fl takes n_y from the groups', async () => {
    const plain = await csv(['contribution', '--neg', '1e6', '--pos', '10']);
    const family = await csv([
      'contribution',
      '--neg',
      '1e6',
      '--pos',
      '10',
      '--loss',
      'ce,fl,cb-fl',
      '--cb-beta',
      '0',
    ]);
    expect(family.slice(0, 4).map((r) => [r.group, r.per_example, r.share])).toEqual(
      plain.map((r) => [r.group, r.per_example, r.share]),
    );
    // β = 0: CB-FL is FL with α none.
    const fl = await csv(['contribution', '--neg', '1e6', '--pos', '10', '-a', 'none']);
    expect(family.slice(4).map((r) => r.share)).toEqual(fl.slice(2).map((r) => r.share));
  });
});

describe('bad input', () => {
  test.each([
    [
      ['loss', '--pt', '0.5', '--loss', 'fl,focal'],
      ['--loss', 'focal', 'is not one of'],
    ],
    [
      ['loss', '--pt', '0.5', '--loss', 'fl,FL'],
      ['--loss', 'named twice'],
    ],
    [
      ['loss', '--pt', '0.5', '--loss', 'asl', '--margin', '1'],
      ['--margin', '[0, 1)'],
    ],
    [['loss', '--pt', '0.5', '--loss', 'asl', '--margin', '-0.1'], ['--margin']],
    [
      ['loss', '--pt', '0.5', '--loss', 'poly1', '--epsilon', '-1.5'],
      ['--epsilon', '≥ -1'],
    ],
    [
      ['loss', '--pt', '0.5', '--loss', 'cb-fl', '--cb-beta', '1'],
      ['--cb-beta', '[0, 1)'],
    ],
    [
      ['loss', '--pt', '0.5', '--loss', 'cb-fl'],
      ['cb-fl', '--neg', '--pos'],
    ],
    [['loss', '--pt', '0.5', '--loss', 'qfl', '--qfl-beta', '-1'], ['--qfl-beta']],
    [['loss', '--pt', '0.5', '--loss', 'vfl', '--vfl-alpha', '-0.5'], ['--vfl-alpha']],
    [['loss', '--pt', '0.5', '--loss', 'flsd', '--gamma-schedule', '5:0.2'], ['--gamma-schedule']],
    [
      ['loss', '--pt', '0.5', '--loss', 'flsd', '--gamma-schedule', '5:0.5:3:0.2:1'],
      ['--gamma-schedule', 'increase'],
    ],
    [['loss', '--pt', '0.5', '--loss', 'flsd', '--gamma-schedule', '5:1.5:3'], ['threshold']],
    [['loss', '--pt', '0.5', '--gamma-neg', '2'], ['--gamma-neg needs --loss']],
    [
      ['loss', '--logits', '1,2', '--target', '0', '--loss', 'fl'],
      ['--loss is for binary examples'],
    ],
    [['weight', '--factor', '10', '--loss', 'fl'], ['--loss and --factor']],
    [['weight', '--neg', '10'], ['--neg needs --loss']],
  ])('%j', async (args, mentions) => {
    expect(usageErrorProblems(await run(args), mentions)).toEqual([]);
  });
});

describe('focal plot --loss', () => {
  test('the data: one series per loss, setting and label, sampled across p_t', async () => {
    const rows = await csv(['plot', 'loss', '--loss', 'ce,asl,vfl', '-y', '0,1']);
    const names = [...new Set(rows.map((r) => r.series))];
    expect(names).toEqual([
      'ce y=0',
      'ce y=1',
      'asl gamma_pos=0 gamma_neg=4 margin=0.05 y=0',
      'asl gamma_pos=0 gamma_neg=4 margin=0.05 y=1',
      'vfl alpha=0.75 gamma=2 y=0',
      'vfl alpha=0.75 gamma=2 y=1',
    ]);
    const at = (series: string, x: string) =>
      Number(rows.find((r) => r.series === series && r.x === x)?.value);
    // A negative at p_t = 0.97 (p = 0.03 ≤ m): ASL discards it; VFL is α·p^γ·CE.
    expect(at('asl gamma_pos=0 gamma_neg=4 margin=0.05 y=0', '0.97')).toBe(0);
    const ce = crossEntropy(trueClassFromPt(0.97));
    expect(
      relativeError(at('vfl alpha=0.75 gamma=2 y=0', '0.97'), 0.75 * 0.03 ** 2 * ce),
    ).toBeLessThan(1e-14);
  });

  test('the chart: identical curves named in the legend, on a terminal and in SVG', async () => {
    const args = ['plot', 'loss', '--loss', 'ce,fl,asl,vfl', '-g', '0,2'];
    const text = await run([...args, '--ascii', '--width', '100', '--height', '30']);
    expect([text.code, text.stderr]).toEqual([0, '']);
    for (const name of ['fl alpha=none gamma=0', 'asl gamma_pos=0 gamma_neg=4 margin=0.05']) {
      expect(text.stdout).toContain(`${name} (same curve as ce)`);
    }
    expect(text.stdout).not.toContain('fl alpha=none gamma=2 (same');
    const path = `${process.env.TMPDIR ?? '/tmp'}/focal-family-${process.pid}.svg`;
    const svg = await run([...args, '--out', path]);
    expect(svg.code).toBe(0);
    const { readFileSync, unlinkSync } = await import('node:fs');
    const image = readFileSync(path, 'utf8');
    unlinkSync(path);
    expect(image).toContain('vfl alpha=0.75 gamma=2 (same curve as ce)');
  });

  test('the y axis fits: below 0 for a negative Poly-1 FL, 0 to 1 for weights', async () => {
    const loss = await run([
      'plot',
      'loss',
      '--loss',
      'poly1-fl',
      '--epsilon',
      '-1',
      '-a',
      '0.25',
      '--ascii',
      '--width',
      '80',
      '--height',
      '20',
      '-q',
    ]);
    expect(loss.code).toBe(0);
    // The curve dips below 0 (to about −0.07): the plot keeps rows under the 0 tick for it.
    const lines = loss.stdout.split('\n');
    const zero = lines.findIndex((l) => /^\s*0 ┤/.test(l));
    expect(zero).toBeGreaterThan(0);
    expect(lines[zero + 1]).toMatch(/│.*\*/);
    const weight = await run([
      'plot',
      'weight',
      '--loss',
      'asl',
      '-y',
      '0',
      '--ascii',
      '--width',
      '80',
      '--height',
      '20',
    ]);
    const top = weight.stdout
      .split('\n')
      .map((l) => /^\s*([\d.]+) ┤/.exec(l)?.[1])
      .find(Boolean);
    // ASL's negatives: p^4·ln(1 − p_m)/ln(1 − p) stays below 1 and reaches (1 − m)^4 ≈ 0.81 only
    // in the limit p → 1; the axis ends at a round number just above the curve, not at 1.
    expect(Number(top)).toBeLessThanOrEqual(1);
    expect(Number(top)).toBeGreaterThan(0.5);
  });

  test('plot cdf and --loss, and -y without --loss, are errors', async () => {
    expect(usageErrorProblems(await run(['plot', 'cdf', '--loss', 'fl']), ['--loss'])).toEqual([]);
    expect(usageErrorProblems(await run(['plot', '-y', '0']), ['--y needs --loss'])).toEqual([]);
  });
});

describe('--loss with --input', () => {
  const FILE = 'examples/predictions.csv';

  test('loss: ce,fl rows are the default columns of each input row; --reduce mean their mean', async () => {
    const plain = await csv(['loss', '--input', FILE, '--grad']);
    const family = await csv([
      'loss',
      '--input',
      FILE,
      '--grad',
      '--loss',
      'ce,fl',
      '--line-numbers',
    ]);
    // Per input row, the members in order: ce then fl.
    expect(family.length).toBe(2 * plain.length);
    for (const [i, r] of plain.entries()) {
      const ce = family[2 * i];
      const fl = family[2 * i + 1];
      expect([ce?.loss, ce?.p, ce?.value, ce?.grad, ce?.line]).toEqual([
        'ce',
        r.p,
        r.ce,
        r.ce_grad,
        String(i + 2),
      ]);
      expect([fl?.loss, fl?.value, fl?.weight, fl?.grad]).toEqual([
        'fl',
        r.fl,
        r.weight,
        r.fl_grad,
      ]);
    }
    const reduced = await csv(['loss', '--input', FILE, '--loss', 'asl', '--reduce', 'mean']);
    const rows = await csv(['loss', '--input', FILE, '--loss', 'asl']);
    const mean = rows.reduce((s, r) => s + Number(r.value), 0) / rows.length;
    expect(relativeError(Number(reduced[0]?.value), mean)).toBeLessThan(1e-13);
  });

  test('contribution: ce,fl give the default figures; cb-fl with β = 0 is FL with α none', async () => {
    const plain = await csv(['contribution', '--input', FILE]);
    const family = await csv([
      'contribution',
      '--input',
      FILE,
      '--loss',
      'ce,fl,cb-fl',
      '--cb-beta',
      '0',
    ]);
    expect(
      family.slice(0, 4).map((r) => [r.loss, r.group, r.count, r.pt, r.total, r.share]),
    ).toEqual(plain.map((r) => [r.loss, r.group, r.count, r.pt, r.total, r.share]));
    const none = await csv(['contribution', '--input', FILE, '-a', 'none']);
    expect(family.slice(4).map((r) => Number(r.total))).toEqual(
      none.slice(2).map((r) => expect.closeTo(Number(r.total), 10)),
    );
  });
});

describe("the README's framework rows of the family", () => {
  /** torch.allclose's defaults: |a − b| ≤ 1e−8 + 1e−5·|b|. */
  const allclose = (a: number, b: number) => Math.abs(a - b) <= 1e-8 + 1e-5 * Math.abs(b);
  const asl = ['loss', '--logit', '5,-5,0,5,-5,0', '-y', '1,0,1,0,1,0', '--loss', 'asl'];

  test("mmpretrain's asymmetric loss: 3.80845 / 3 (clip 0.05) and 5.1186 / 3 (clip None)", async () => {
    const rows = await csv([
      ...asl,
      '--gamma-pos',
      '1',
      '--gamma-neg',
      '4',
      '--margin',
      '0.05,0',
      '--reduce',
      'mean',
    ]);
    expect(allclose(Number(rows[0]?.value), 3.80845 / 3)).toBe(true);
    expect(allclose(Number(rows[1]?.value), 5.1186 / 3)).toBe(true);
    expect(rows[0]?.value?.slice(0, 7)).toBe('1.26947');
  });

  test("VarifocalNet's test: pred [[100, −100]], target [[1, 0]], mean allclose to 0", async () => {
    const rows = await csv([
      'loss',
      '--logit',
      '100,-100',
      '-y',
      '1,0',
      '--loss',
      'vfl',
      '--reduce',
      'mean',
    ]);
    expect(allclose(Number(rows[0]?.value), 0)).toBe(true);
    expect(Number(rows[0]?.value)).toBeCloseTo(1.86e-44, 46);
  });

  test("focal_calibration's gamma_dic {0.2: 5, 0.5: 3} with --gamma 3 is FLSD-53", async () => {
    const args = ['weight', '--pt', '0:1:0.05', '--loss', 'flsd'];
    const code = await csv([...args, '--gamma-schedule', '5:0.2:3:0.5:3']);
    const flsd53 = await csv(args);
    expect(code.map((r) => r.weight)).toEqual(flsd53.map((r) => r.weight));
  });
});

describe('soft targets (the labels of issue 16 plug in here)', () => {
  // Options as the declarations parse their defaults: what a command without them sees.
  const names = ['alpha', 'gamma', 'logBase', ...FAMILY_PARAMETERS] as const;
  const o = Object.fromEntries(
    names.map((name) => {
      const spec: OptionSpec<unknown> = VALUE_OPTIONS[name];
      return [name, spec.parse(spec.defaultValue ?? '')];
    }),
  ) as unknown as FamilyOptions;

  test('ce (BCE against q), vfl and qfl of a soft target are the core functions', () => {
    const members = familyMembers(['ce', 'vfl', 'qfl'], o, undefined, () => {});
    for (const [x, q] of [
      [1.5, 0.8],
      [-3, 0.3],
      [40, 0.999],
    ] as const) {
      const e = familyExample('logit', x, q);
      const soft = softTargetFromLogit(x, q);
      const [ce, vfl, qfl] = members as [FamilyMember, FamilyMember, FamilyMember];
      expect([ce.value(e), ce.grad(e), ce.weight(e)]).toEqual([
        softBinaryCrossEntropy(soft),
        softBinaryCrossEntropyGradient(soft),
        1,
      ]);
      expect([vfl.value(e), vfl.grad(e), vfl.weight(e)]).toEqual([
        varifocalLoss(soft),
        varifocalLossGradient(soft),
        q,
      ]);
      expect([qfl.value(e), qfl.grad(e)]).toEqual([
        qualityFocalLoss(soft, 2),
        qualityFocalLossGradient(soft, 2),
      ]);
    }
    // The README's library example: a box of IoU 0.8 at logit 1.5.
    expect(members[1]?.value(familyExample('logit', 1.5, 0.8))).toBe(0.4011306223862019);
  });

  test('the other losses, and p_t, refuse a soft target', () => {
    expect(softTargetProblem(['ce', 'fl', 'vfl', 'qfl'], 0.9)).toBeUndefined();
    expect(softTargetProblem(['asl', 'fl'], 1)).toBeUndefined();
    expect(softTargetProblem(['ce', 'asl', 'flsd'], 0.9)).toBe(
      '--loss asl, flsd needs labels 0 or 1, not the soft target 0.9 (ce, fl, vfl, qfl take soft targets)',
    );
    expect(() => familyExample('pt', 0.5, 0.9)).toThrow('needs p or a logit');
  });

  test('--loss fl against a soft target is the soft focal loss of `focal loss -y q` (torchvision, Keras)', async () => {
    for (const args of [
      ['--logit', '1.5,-3,40', '-y', '0.8,0.3,0.01'],
      ['--p', '0.25,1e-300', '-y', '0.9,0.5'],
    ]) {
      const family = records(
        (
          await run([
            'loss',
            ...args,
            '--loss',
            'fl',
            '-a',
            '0.25,none',
            '-g',
            '0,2.5',
            '-f',
            'csv',
          ])
        ).stdout,
      );
      const plain = records(
        (await run(['loss', ...args, '-a', '0.25,none', '-g', '0,2.5', '-f', 'csv'])).stdout,
      );
      expect(family.map((r) => [r.value, r.weight])).toEqual(plain.map((r) => [r.fl, r.weight]));
      expect(family.length).toBeGreaterThan(0);
    }
    const grad = await run(['loss', '--logit', '1.5', '-y', '0.8', '--loss', 'fl', '--grad']);
    expect(usageErrorProblems(grad, ['--grad', 'soft target'])).toEqual([]);
  });
});
