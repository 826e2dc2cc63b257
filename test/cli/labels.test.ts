/**
 * Real model outputs (issue 16, items 1, 2 and 6): label codings (--pos-label, true/false, the
 * −1 hint), soft targets on the command line and in files (--label-smoothing), and the counts
 * of `balance --input` and `bias-init --input`. In-process (`run`), on committed small files.
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { fixture as oracleFixture } from '../core/oracle.js';
import { records, run, usageErrorProblems } from './run.js';

const DIR = 'test/fixtures/input';
const file = (name: string) => `${DIR}/${name}`;

/** The CSV of a run that must succeed with nothing on stderr. */
async function csv(args: readonly string[]): Promise<string> {
  const result = await run([...args, '-f', 'csv']);
  expect([result.code, result.stderr]).toEqual([0, '']);
  return result.stdout;
}

describe('label coding (--pos-label, true/false)', () => {
  test('true/false in any case read as 1/0: the same rows as 0/1', async () => {
    const bool = await csv(['loss', '--input', file('labels-bool.csv')]);
    const numbers = await csv(['loss', '--p', '0.9,0.2,0.7,0.4,0.1', '-y', '1,0,1,0,0']);
    expect(bool).toBe(numbers);
  });

  test('--pos-label 1 reads a −1/1 coding: −1 is negative', async () => {
    const coded = await csv(['loss', '--input', file('labels-minus-one.csv'), '--pos-label', '1']);
    const numbers = await csv(['loss', '--p', '0.9,0.2,0.7,0.4,0.1', '-y', '1,0,1,0,0']);
    expect(coded).toBe(numbers);
  });

  test('--pos-label cat: every other word is negative (scikit-learn pos_label)', async () => {
    const words = await csv(['loss', '--input', file('labels-words.csv'), '--pos-label', 'cat']);
    const numbers = await csv(['loss', '--p', '0.9,0.2,0.7,0.4,0.1', '-y', '1,0,1,0,0']);
    expect(words).toBe(numbers);
  });

  test('--pos-label true matches any case; --pos-label 1.0 matches 1 numerically', async () => {
    const numbers = await csv(['loss', '--p', '0.9,0.2,0.7,0.4,0.1', '-y', '1,0,1,0,0']);
    expect(await csv(['loss', '--input', file('labels-bool.csv'), '--pos-label', 'TRUE'])).toBe(
      numbers,
    );
    expect(await csv(['loss', '--input', file('labels-minus-one.csv'), '--pos-label', '1.0'])).toBe(
      numbers,
    );
  });

  test('contribution, balance and bias-init read the same coding', async () => {
    const coded = await csv([
      'contribution',
      '--input',
      file('labels-words.csv'),
      '--pos-label',
      'cat',
    ]);
    expect(await csv(['contribution', '--input', file('labels-bool.csv')])).toBe(coded);
    const balance = await run([
      'balance',
      '--input',
      file('labels-words.csv'),
      '--pos-label',
      'cat',
      '-f',
      'csv',
    ]);
    expect(balance.code).toBe(0);
    expect(balance.stdout).toBe(await csv(['balance', '--neg', '3', '--pos', '2']));
    expect(balance.stderr).toBe(
      `focal: note: ${file('labels-words.csv')}: neg 3, pos 2 (π = 0.4)\n`,
    );
  });

  test('--pos-label naming a label absent from the file: one line naming the option, exit 2', async () => {
    const result = await run(['loss', '--input', file('labels-words.csv'), '--pos-label', 'Cat']);
    expect(usageErrorProblems(result)).toEqual([]);
    expect(result.stderr).toBe(
      `focal: --pos-label Cat: ${file('labels-words.csv')} has no row with that label (its labels: cat, dog, bird)\n`,
    );
  });

  test('a word without --pos-label: FILE:LINE, and the hint names --pos-label', async () => {
    const result = await run(['contribution', '--input', file('labels-words.csv')]);
    expect(usageErrorProblems(result)).toEqual([]);
    expect(result.stderr).toBe(
      `focal: ${file('labels-words.csv')}:2: column label: cat is not a label (0 or 1, or a soft label in [0, 1]); --pos-label VALUE names the positive label\n`,
    );
  });
});

describe('the hint on a −1 never drops a whole class', () => {
  test('no 0 in the file (a −1/1 coding): --pos-label 1, not --ignore-label -1', async () => {
    const result = await run(['loss', '--input', file('labels-minus-one.csv')]);
    expect(usageErrorProblems(result, ['--pos-label 1'])).toEqual([]);
    expect(result.stderr).toContain(`${file('labels-minus-one.csv')}:3: column y: -1`);
    expect(result.stderr).not.toContain('--ignore-label');
  });

  test('0s further on (a detector file): --ignore-label -1, at the line of the first −1', async () => {
    const result = await run(['contribution', '--input', file('labels-detector.csv')]);
    expect(usageErrorProblems(result)).toEqual([]);
    expect(result.stderr).toBe(
      `focal: ${file('labels-detector.csv')}:3: column y: -1 is not a label (0 or 1, or a soft label in [0, 1]); --ignore-label -1 skips such rows\n`,
    );
  });

  test('a 0 far after the −1 (past the first chunk) still decides the hint', async () => {
    const rows = ['p,y', '0.9,1', '0.2,-1'];
    for (let i = 0; i < 100_000; i++) rows.push('0.5,1');
    rows.push('0.3,0');
    const result = await run(['loss', '--input', '-'], { input: `${rows.join('\n')}\n` });
    expect(usageErrorProblems(result, ['stdin:3:', '--ignore-label -1'])).toEqual([]);
  });

  test('--skip-invalid: the note on the skipped −1 rows carries the same hint', async () => {
    const result = await run([
      'loss',
      '--input',
      file('labels-minus-one.csv'),
      '--skip-invalid',
      '-f',
      'csv',
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      `focal: note: skipped 3 malformed rows (--skip-invalid); the first: ${file('labels-minus-one.csv')}:3: column y: -1 is not a label (0 or 1, or a soft label in [0, 1]); no row is labelled 0, so -1 seems to mark the negatives (a −1/1 coding): --pos-label 1 reads them so\n`,
    );
  });

  test('--ignore-label -1 with the detector file: the rows of 0 and 1 only', async () => {
    const ignored = await run([
      'loss',
      '--input',
      file('labels-detector.csv'),
      '--ignore-label',
      '-1',
      '-q',
      '-f',
      'csv',
    ]);
    expect(ignored.code).toBe(0);
    expect(ignored.stdout).toBe(await csv(['loss', '--p', '0.9,0.7,0.4,0.1', '-y', '1,0,1,0']));
  });
});

describe('soft targets', () => {
  interface ExampleCase {
    readonly kind: 'logit' | 'probability';
    readonly input: number;
    readonly target: number;
    readonly pt: string;
    readonly ce: string;
    readonly settings: readonly {
      alpha: number | null;
      gamma: number;
      weight: string;
      fl: string;
    }[];
  }
  const examples = oracleFixture<ExampleCase>('soft-target.json').cases.filter(
    (c) => c.kind === 'logit' && Math.abs(c.input) <= 40 && c.target >= 0.05 && c.target <= 0.95,
  );

  test('loss --logit X -y Y (soft) against mpmath: p_t, ce, fl, weight', async () => {
    expect(examples.length).toBeGreaterThan(20);
    const problems: string[] = [];
    for (const c of examples) {
      const s = c.settings[0];
      if (s === undefined || s.alpha !== 0.25 || s.gamma !== 2)
        throw new Error('setting 0 is α 0.25, γ 2');
      const out = records(
        await csv(['loss', '--logit', String(c.input), '-y', String(c.target)]),
      )[0];
      const checks: [string, number, number, number][] = [
        ['pt', Number(out?.pt), Number(c.pt), 3],
        ['ce', Number(out?.ce), Number(c.ce), 3],
        ['weight', Number(out?.weight), Number(s.weight), 9],
        ['fl', Number(out?.fl), Number(s.fl), 12],
      ];
      for (const [name, value, expected, eps] of checks) {
        if (Math.abs(value - expected) > eps * Number.EPSILON * Math.abs(expected)) {
          problems.push(`logit ${c.input}, y ${c.target}: ${name} ${value}, expected ${expected}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test('labels 0 and 1 on the command line: today’s rows, to the bit (the same code path)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.double({ min: -50, max: 50, noNaN: true }),
        fc.constantFrom('0', '1'),
        async (x, y) => {
          const soft = await csv(['loss', '--logit', String(x), '-y', y, '--label-smoothing', '0']);
          const hard = await csv(['loss', '--logit', String(x), '-y', y]);
          expect(soft).toBe(hard);
        },
      ),
      { numRuns: 20 },
    );
  });

  test('--label-smoothing 0.2 turns -y 1 into 0.9 and -y 0 into 0.1 (Keras)', async () => {
    expect(await csv(['loss', '--logit', '2,-1', '-y', '1,0', '--label-smoothing', '0.2'])).toBe(
      await csv(['loss', '--logit', '2,-1', '-y', '0.9,0.1']),
    );
  });

  test('a soft label with --pt, with --grad, or in weight: one line saying why', async () => {
    const pt = await run(['loss', '--pt', '0.9', '-y', '0.9']);
    expect(usageErrorProblems(pt, ['--y', '0.9', '--p or --logit'])).toEqual([]);
    const grad = await run(['loss', '--logit', '2', '-y', '0.9', '--grad']);
    expect(usageErrorProblems(grad, ['--y', '0.9', '--grad'])).toEqual([]);
    const weight = await run(['weight', '--pt', '0.5', '-y', '0.5']);
    expect(usageErrorProblems(weight, ['--y', '0.5'])).toEqual([]);
    const smoothing = await run(['loss', '--pt', '0.9', '--label-smoothing', '0.1']);
    expect(usageErrorProblems(smoothing, ['--label-smoothing', '--pt'])).toEqual([]);
    const cdf = await run(['contribution', '--input', file('soft-logit.csv'), '--cdf']);
    expect(usageErrorProblems(cdf, [`${file('soft-logit.csv')}:`, '--cdf'])).toEqual([]);
  });

  test('loss --input of a soft file equals loss of the same examples on the command line', async () => {
    const text = (await run(['loss', '--input', file('soft-logit.csv'), '-f', 'csv'])).stdout;
    const rows = records(text);
    const logits = rows.map((r) => r.logit).join(',');
    const labels = rows.map((r) => r.y).join(',');
    expect(text).toBe(await csv(['loss', '--logit', logits, '-y', labels]));
    expect(rows.some((r) => Number(r.y) > 0 && Number(r.y) < 1)).toBe(true);
  });

  test('contribution --input of a soft file against mpmath (soft-contribution.json)', async () => {
    interface Case {
      readonly file: string;
      readonly alpha: number | null;
      readonly gamma: number;
      readonly count: Record<string, number>;
      readonly losses: Record<string, Record<string, { total: string; share: string }>>;
    }
    const cases = oracleFixture<Case>('soft-contribution.json').cases;
    const problems: string[] = [];
    for (const c of cases) {
      const out = records(
        await csv([
          'contribution',
          '--input',
          file(c.file),
          '-a',
          c.alpha === null ? 'none' : String(c.alpha),
          '-g',
          String(c.gamma),
          '--balanced-ce',
        ]),
      );
      for (const r of out) {
        const expected = c.losses[r.loss ?? '']?.[r.group ?? ''];
        if (expected === undefined) throw new Error(`no expected ${r.loss} ${r.group}`);
        const tol = 16 * (1 + c.gamma) * Number.EPSILON;
        const total = Number(expected.total);
        if (Math.abs(Number(r.total) - total) > tol * total) {
          problems.push(
            `${c.file} α ${c.alpha} γ ${c.gamma} ${r.loss} ${r.group}: total ${r.total}, expected ${total}`,
          );
        }
        if (Number(r.count) !== c.count[r.group ?? ''])
          problems.push(`${c.file}: count ${r.count}`);
      }
    }
    expect(problems).toEqual([]);
  });

  test('a soft label outside [0, 1]: FILE:LINE, exit 2; with --skip-invalid skipped and counted', async () => {
    const bad = await run(['contribution', '--input', file('bad-label-soft.csv')]);
    expect(usageErrorProblems(bad, [`${file('bad-label-soft.csv')}:3: column y: 1.5`])).toEqual([]);
    const skipped = await run([
      'contribution',
      '--input',
      file('bad-label-soft.csv'),
      '--skip-invalid',
      '-f',
      'csv',
    ]);
    expect(skipped.code).toBe(0);
    expect(skipped.stderr).toContain('skipped 1 malformed row');
  });
});

describe('counts from a file (balance --input, bias-init --input)', () => {
  test('balance --input: the counts of the label column, as --neg/--pos would give', async () => {
    const fromFile = await run(['balance', '--input', file('basic.csv'), '-q', '-f', 'csv']);
    expect(fromFile.code).toBe(0);
    const labels = records(await csv(['loss', '--input', file('basic.csv')])).map((r) =>
      Number(r.y),
    );
    const pos = labels.filter((y) => y === 1).length;
    expect(fromFile.stdout).toBe(
      await csv(['balance', '--neg', String(labels.length - pos), '--pos', String(pos)]),
    );
  });

  test('bias-init --input: π is the positives’ fraction (a soft label counts as y of a positive)', async () => {
    const result = await run(['bias-init', '--input', file('soft-p.csv'), '-f', 'csv']);
    expect(result.code).toBe(0);
    const ys = records(await csv(['loss', '--input', file('soft-p.csv')])).map((r) => Number(r.y));
    let pos = 0;
    for (const y of ys) pos += y;
    const pi = Number(records(result.stdout)[0]?.pi);
    expect(Math.abs(pi - pos / ys.length)).toBeLessThan(1e-15);
    expect(result.stderr).toMatch(/^focal: note: .*soft-p\.csv: neg .*, pos .* \(π = /);
  });

  test('bias-init --input with --fan-in; a file without positives; --input with --pi', async () => {
    const spread = await run([
      'bias-init',
      '--input',
      file('labels-words.csv'),
      '--pos-label',
      'cat',
      '--fan-in',
      '10',
      '-q',
      '-f',
      'csv',
    ]);
    expect(spread.code).toBe(0);
    expect(spread.stdout).toBe(await csv(['bias-init', '--pi', '0.4', '--fan-in', '10']));
    const none = await run(['bias-init', '--input', '-'], { input: 'y\n0\n0\n' });
    expect(usageErrorProblems(none, ['stdin has no positives'])).toEqual([]);
    const nothing = await run(['bias-init', '--input', file('header-only.csv')]);
    expect(usageErrorProblems(nothing)).toEqual([]);
    const both = await run(['bias-init', '--input', file('basic.csv'), '--pi', '0.1']);
    expect(usageErrorProblems(both, ['--input', '--pi'])).toEqual([]);
  });

  test('a label-only file (no score column) will do; --weight-col weighs the counts', async () => {
    const result = await run(['balance', '--input', '-', '--weight-col', 'w', '-q', '-f', 'csv'], {
      input: 'y,w\n1,2\n0,3\n0,5\n',
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(await csv(['balance', '--neg', '8', '--pos', '2']));
  });
});
