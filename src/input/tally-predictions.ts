/** A prediction file → the loss totals (and histogram) of its label groups, in one pass. */
import { LossHistogram } from '../core/loss-histogram.js';
import { LossTally } from '../core/tally.js';
import { trueClassFromLogit, trueClassFromProbability } from '../core/true-class.js';
import { type ColumnOptions, type ReadSummary, readPredictions } from './predictions.js';
import type { InputSource } from './source.js';

export interface Tallied {
  readonly tally: LossTally;
  readonly histogram: LossHistogram | undefined;
  readonly summary: ReadSummary;
}

/** Reads every row of `source` into a tally for `gammas` (and a histogram when `cdf`). */
export async function tallyPredictions(
  source: InputSource,
  options: ColumnOptions,
  gammas: readonly number[],
  cdf: boolean,
): Promise<Tallied> {
  const tally = new LossTally(gammas);
  const histogram = cdf ? new LossHistogram(gammas) : undefined;
  const summary = await readPredictions(source, options, (columns) => {
    const toTrueClass = columns.scoreKind === 'p' ? trueClassFromProbability : trueClassFromLogit;
    if (histogram === undefined) {
      return (score, y, weight) => tally.add(toTrueClass(score, y), y, weight);
    }
    return (score, y, weight) => {
      const tc = toTrueClass(score, y);
      tally.add(tc, y, weight);
      histogram.add(tc, y, weight);
    };
  });
  return { tally, histogram, summary };
}
