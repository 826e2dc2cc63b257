/**
 * `focal loss --logits … --target …` (or `--probs`): softmax CE and FL of multi-class examples
 * (math.md, "Softmax"). α is one number for every class (or none), or one per class with
 * `--class-alpha`; the row's `alpha` is then the target's α_c.
 */
import { type Alpha, crossEntropy, focalLoss, modulatingWeight } from '../../core/loss.js';
import { LossReducer } from '../../core/reduction.js';
import { trueClassFromLogits, trueClassFromProbabilities } from '../../core/softmax.js';
import { CompensatedSum } from '../../core/sum.js';
import type { TrueClass } from '../../core/true-class.js';
import { showValue, UsageError } from '../../errors.js';
import type { Column, Row, RowSet } from '../../format/formats.js';
import { longFlag, type Options } from '../options.js';
import { sweepRowCount } from '../sweep.js';
import type { ValueList } from '../values.js';

const COLUMNS: readonly Column[] = [
  { name: 'alpha', kind: 'alpha' },
  { name: 'gamma', kind: 'real' },
  { name: 'example', kind: 'integer' },
  { name: 'target', kind: 'integer' },
  { name: 'pt', kind: 'real' },
  { name: 'ce', kind: 'real' },
  { name: 'fl', kind: 'real' },
  { name: 'weight', kind: 'real' },
];

/** `--reduce sum|mean`: after `alpha`, one row per (α, γ). */
const REDUCED_COLUMNS: readonly Column[] = [
  { name: 'gamma', kind: 'real' },
  { name: 'reduce', kind: 'text' },
  { name: 'n', kind: 'integer' },
  { name: 'ce', kind: 'real' },
  { name: 'fl', kind: 'real' },
];

/** How far from 1 a row of --probs may sum. */
const SUM_TOLERANCE = 1e-9;

/**
 * The rows of `--logits` or `--probs` (with `--target`: the relations have checked that they
 * come alone, without binary inputs and options).
 */
export function multiClassRows(
  o: Options<
    'logits' | 'probs' | 'target' | 'classAlpha' | 'reduce' | 'alpha' | 'gamma' | 'logBase'
  >,
): RowSet {
  const fromLogits = o.logits !== undefined;
  if (o.reduce === 'pos-mean') {
    throw new UsageError(
      '--reduce: pos-mean is for binary examples (it counts positives); use sum or mean',
    );
  }
  const vectors = ((fromLogits ? o.logits : o.probs) ?? []).map((list) => [...list]);
  const targets = o.target;
  if (targets === undefined) {
    throw new Error(
      `${longFlag(fromLogits ? 'logits' : 'probs')} without --target, which the relations require`,
    );
  }
  if (targets.length !== 1 && targets.length !== vectors.length) {
    throw new UsageError(
      `--target: ${targets.length} targets for ${vectors.length} examples (give one, or one per example)`,
    );
  }
  const classAlpha = o.classAlpha ? [...o.classAlpha] : undefined;
  const examples = vectors.map((vector, i) => {
    const target = targets.at(targets.length === 1 ? 0 : i);
    const shown = showValue(vector.join(','));
    if (target >= vector.length) {
      throw new UsageError(
        `--target: ${target} is not a class of ${shown} (classes 0 to ${vector.length - 1})`,
      );
    }
    if (classAlpha && classAlpha.length !== vector.length) {
      throw new UsageError(
        `--class-alpha: ${classAlpha.length} values for ${vector.length} classes in ${shown}`,
      );
    }
    if (!fromLogits) {
      const sum = new CompensatedSum();
      for (const p of vector) sum.add(p);
      if (Math.abs(sum.value - 1) > SUM_TOLERANCE) {
        throw new UsageError(`--probs: ${shown} sums to ${sum.value}, not 1 (within 1e-9)`);
      }
    }
    const tc: TrueClass = fromLogits
      ? trueClassFromLogits(vector, target)
      : trueClassFromProbabilities(vector, target);
    return { target, tc };
  });
  const alphas: ValueList<Alpha> | readonly [null] = classAlpha ? [null] : o.alpha;
  const gammas = o.gamma;
  const base = o.logBase;
  const lossesOf = (alpha: Alpha, gamma: number, target: number, tc: TrueClass) => {
    const at = classAlpha ? (classAlpha[target] as number) : (alpha ?? 1);
    return {
      shownAlpha: classAlpha ? at : alpha,
      ce: crossEntropy(tc, base),
      fl: focalLoss(tc, at, gamma, base),
      weight: modulatingWeight(tc, at, gamma),
    };
  };
  const how = o.reduce;
  if (how === 'sum' || how === 'mean') {
    // One row per (α, γ), as frameworks' reduction='sum'/'mean' over a batch of rows (mmcv's
    // softmax op divides by the rows, which are the examples here).
    return {
      columns: [
        // With --class-alpha, the setting is the list of per-class α.
        { name: 'alpha', kind: classAlpha ? 'text' : 'alpha' },
        ...REDUCED_COLUMNS,
      ],
      rowCount: sweepRowCount({ length: alphas.length }, gammas, 1),
      rows: (function* () {
        for (const alpha of alphas) {
          for (const gamma of gammas) {
            const reducer = new LossReducer(2); // CE and FL
            for (const { target, tc } of examples) {
              const { ce, fl } = lossesOf(alpha, gamma, target, tc);
              reducer.add([ce, fl], 0);
            }
            const shownAlpha = classAlpha ? classAlpha.join(',') : alpha;
            yield [shownAlpha, gamma, how, reducer.n, ...reducer.reduced(how)];
          }
        }
      })(),
    };
  }
  function* rows(): Generator<Row> {
    for (const alpha of alphas) {
      for (const gamma of gammas) {
        for (const [i, { target, tc }] of examples.entries()) {
          const { shownAlpha, ce, fl, weight } = lossesOf(alpha, gamma, target, tc);
          yield [shownAlpha, gamma, i, target, tc.pt, ce, fl, weight];
        }
      }
    }
  }
  return {
    columns: COLUMNS,
    rowCount: sweepRowCount({ length: alphas.length }, gammas, examples.length),
    rows: rows(),
  };
}
