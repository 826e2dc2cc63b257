/**
 * `loss --input FILE --loss LIST --weight-col COL` (binary long files and wide files): sample
 * weights multiply each row's value and gradient (column `sample_weight`) and weigh the
 * reductions, as without --loss. Oracle: for integer weights, the file with each row repeated
 * w times and no weights. Tolerance: both sides are compensated sums of the same nonnegative
 * terms (w·l against l added w times, each within 2 ulp of the exact sum) and one division:
 * 8 EPS relative.
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { records, relativeError, run } from './run.js';
import { sigmoidRows } from './wide-cases.js';

const EPS = 2 ** -52;
const LOSSES = 'ce,fl,asl,poly1,vfl,qfl,flsd';

async function csv(args: string[], input: string): Promise<Record<string, string>[]> {
  const result = await run([...args, '-f', 'csv'], { input });
  expect([result.code, result.stderr]).toEqual([0, '']);
  return records(result.stdout);
}

/** The reduced values of each loss, weighted and of the expanded file, that differ. */
async function reducedDifferences(
  weighted: string,
  expanded: string,
  args: readonly string[],
): Promise<string[]> {
  const problems: string[] = [];
  for (const how of ['sum', 'mean', 'pos-mean']) {
    const a = await csv(
      ['loss', '--input', '-', ...args, '--weight-col', 'w', '--reduce', how],
      weighted,
    );
    const b = await csv(['loss', '--input', '-', ...args, '--reduce', how], expanded);
    for (const [i, row] of a.entries()) {
      const want = Number(b[i]?.value);
      if (relativeError(Number(row.value), want) > 8 * EPS) {
        problems.push(`${how} ${row.loss} ${row.params}: ${row.value}, expanded ${want}`);
      }
    }
  }
  return problems;
}

const weights = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n });

describe('--loss with --weight-col', () => {
  test('binary and wide sigmoid files: weighted reductions equal the file with rows repeated w times', async () => {
    await fc.assert(
      fc.asyncProperty(
        sigmoidRows(3, 6).chain((rows) => fc.tuple(fc.constant(rows), weights(rows[1].length))),
        async ([[classes, rows], w]) => {
          const ws = w.map((v, i) => (i === 0 ? Math.max(1, v) : v)); // never an empty file
          const names = Array.from({ length: classes }, (_, k) => `s${k}`);
          const digits = (z: number[]) => z.map((v) => v.toPrecision(17)).join(',');
          // Binary: the first class's logit, positive when the row's class is 0.
          const binary = (weighted: boolean) =>
            `${weighted ? 'logit,y,w' : 'logit,y'}\n${rows
              .flatMap(([z, t], i) => {
                const line = `${(z[0] as number).toPrecision(17)},${t === 0 ? 1 : 0}`;
                return weighted ? [`${line},${ws[i]}`] : Array(ws[i]).fill(line);
              })
              .join('\n')}\n`;
          const wide = (weighted: boolean) =>
            `${names.join(',')},y${weighted ? ',w' : ''}\n${rows
              .flatMap(([z, t], i) =>
                weighted ? [`${digits(z)},${t},${ws[i]}`] : Array(ws[i]).fill(`${digits(z)},${t}`),
              )
              .join('\n')}\n`;
          const family = ['--loss', LOSSES];
          const sigmoid = [...family, '--class-cols', 's*', '--activation', 'sigmoid'];
          const problems = [
            ...(await reducedDifferences(binary(true), binary(false), family)),
            ...(await reducedDifferences(wide(true), wide(false), [
              ...sigmoid,
              '--background',
              '-1',
            ])),
          ];
          expect(problems).toEqual([]);
        },
      ),
      { numRuns: 12 },
    );
  });

  test('rows: value and grad times the weight, a column sample_weight, weight unchanged', async () => {
    const file = 'p,y,w\n0.8,1,3\n0.3,0,0.5\n1,0,0\n';
    const plain = await csv(['loss', '--input', '-', '--loss', 'ce,fl', '--grad'], file);
    const rows = await csv(
      ['loss', '--input', '-', '--loss', 'ce,fl', '--grad', '--weight-col', 'w', '--line-numbers'],
      file,
    );
    const w = [3, 3, 0.5, 0.5, 0, 0];
    expect(rows.map((r) => [r.sample_weight, r.line])).toEqual(
      w.map((v, i) => [String(v), String(2 + Math.floor(i / 2))]),
    );
    for (const [i, r] of rows.entries()) {
      const p = plain[i] as Record<string, string>;
      expect([r.loss, r.weight, r.pt]).toEqual([p.loss, p.weight, p.pt]);
      // 0 times an infinite loss (p = 1 with y = 0) is 0, as in contribution.
      expect(Number(r.value)).toBe(w[i] === 0 ? 0 : (w[i] as number) * Number(p.value));
      expect(Number(r.grad)).toBe(w[i] === 0 ? 0 : (w[i] as number) * Number(p.grad));
    }
    expect(plain[4]?.value).toBe('Infinity');
  });

  test('wide softmax rows: every loss times the row weight; mean is Σw·l / Σw', async () => {
    const file = 'a,b,y,w\n1,-1,0,2\n0.5,3,1,1\n-2,2,0,0\n';
    const args = ['--loss', 'ce,fl', '--class-cols', 'a,b', '--activation', 'softmax'];
    const plain = await csv(['loss', '--input', '-', ...args], file);
    const rows = await csv(['loss', '--input', '-', ...args, '--weight-col', 'w'], file);
    const w = [2, 2, 1, 1, 0, 0];
    expect(rows.map((r) => Number(r.value))).toEqual(
      plain.map((p, i) => (w[i] === 0 ? 0 : (w[i] as number) * Number(p.value))),
    );
    expect(rows.map((r) => r.sample_weight)).toEqual(w.map(String));
    const mean = await csv(
      ['loss', '--input', '-', ...args, '--weight-col', 'w', '--reduce', 'mean'],
      file,
    );
    const ce = plain.filter((r) => r.loss === 'ce').map((r) => Number(r.value));
    expect(
      relativeError(Number(mean[0]?.value), (2 * (ce[0] as number) + (ce[1] as number)) / 3),
    ).toBeLessThanOrEqual(4 * EPS);
    expect(mean[0]?.n).toBe('3');
  });
});
