/** A prediction file → the loss totals (and histogram) of its label groups, in one pass. */
import { LossHistogram } from '../core/loss-histogram.js';
import {
  softBinaryCrossEntropy,
  softTargetFromLogit,
  softTargetFromProbability,
  softTrueClass,
} from '../core/soft-target.js';
import { LossTally } from '../core/tally.js';
import { TrueClassSlot } from '../core/true-class.js';
import { InputError, setting, showValue } from '../errors.js';
import type { ExampleBatch, ExampleHandler } from './prediction-types.js';
import { type ColumnOptions, type ReadSummary, readPredictions } from './predictions.js';
import type { InputSource } from './source.js';

export interface Tallied {
  readonly tally: LossTally;
  readonly histogram: LossHistogram | undefined;
  readonly summary: ReadSummary;
}

/**
 * Reads every row of `source` into a tally for `gammas` (and a histogram when `cdf`); `read`
 * reads it (a part of a .npy file has its own, parallel.ts).
 */
export async function tallyPredictions(
  source: InputSource,
  options: ColumnOptions,
  gammas: readonly number[],
  cdf: boolean,
  read: typeof readPredictions = readPredictions,
): Promise<Tallied> {
  const tally = new LossTally(gammas);
  const histogram = cdf ? new LossHistogram(gammas) : undefined;
  const summary = await read(source, options, (columns) => {
    // One TrueClass for every row: the tally and histogram read it and keep nothing of it.
    const tc = new TrueClassSlot();
    const probability = columns.scoreKind === 'p';
    const handler: ExampleHandler & ExampleBatch = (score, y, weight, line) => {
      if (y === 0 || y === 1) {
        if (!probability && histogram === undefined) {
          tally.addLogit(score, y, weight); // the same sums, without the TrueClass
          return;
        }
        if (probability) tc.setProbability(score, y);
        else tc.setLogit(score, y);
        tally.add(tc, y, weight);
        histogram?.add(tc, y, weight);
        return;
      }
      if (histogram) {
        throw new InputError([
          `${source.name}:${line}: column ${showValue(columns.label)}: ${y} is a soft label, and `,
          setting('cdf'),
          ' (and plot cdf) ranks examples by p_t, which orders their loss only for labels 0 and 1',
        ]);
      }
      const example = probability
        ? softTargetFromProbability(score, y)
        : softTargetFromLogit(score, y);
      tally.addSoft(softTrueClass(example), softBinaryCrossEntropy(example), y, weight);
    };
    if (histogram !== undefined) return handler;
    // A binary input's chunks at once: the same sums, in blocks (core/tally.ts).
    return Object.assign(handler, {
      batch: probability
        ? (s: Float64Array, l: Float64Array, w: Float64Array | undefined, a: number, b: number) =>
            tally.addProbabilities(s, l, w, a, b)
        : (s: Float64Array, l: Float64Array, w: Float64Array | undefined, a: number, b: number) =>
            tally.addLogits(s, l, w, a, b),
    });
  });
  return { tally, histogram, summary };
}
