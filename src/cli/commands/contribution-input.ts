/**
 * `focal contribution --input FILE`: the contribution of a real prediction file's negatives and
 * positives, for every (α, γ) of the sweep from one pass over the file, and with `--cdf` how
 * each group's loss is spread over its hardest examples (the paper's Figure 4).
 */
import type { LogBase } from '../../core/log-base.js';
import { type Alpha, alphaT } from '../../core/loss.js';
import type { LossHistogram } from '../../core/loss-histogram.js';
import {
  fromScaled,
  type Scaled,
  scaledProductOf,
  scaledQuotient,
  scaledShares,
  toScaled,
} from '../../core/scaled.js';
import type { LossTally } from '../../core/tally.js';
import type { Label } from '../../core/true-class.js';
import type { Column, Row, RowSet } from '../../format/formats.js';
import { tallyInParallel } from '../../input/parallel.js';
import type { InputSource } from '../../input/source.js';
import { tallyPredictions } from '../../input/tally-predictions.js';
import type { CommandContext } from '../command.js';
import {
  columnOptions,
  type InputOptions,
  noteSummary,
  openPredictions,
} from '../input-reading.js';
import type { Options } from '../options.js';
import { showProgress } from '../progress.js';
import { alphaGamma, sweepRowCount } from '../sweep.js';

export type LossName = 'ce' | 'ce_alpha' | 'fl';

const GROUPS: readonly { name: string; y: Label }[] = [
  { name: 'neg', y: 0 },
  { name: 'pos', y: 1 },
];

const CDF_COLUMNS: readonly Column[] = [
  { name: 'alpha', kind: 'alpha' },
  { name: 'gamma', kind: 'real' },
  { name: 'loss', kind: 'text' },
  { name: 'group', kind: 'text' },
  { name: 'top_fraction', kind: 'real' },
  { name: 'loss_share', kind: 'real' },
];

/** One group's count, mean p_t, per-example loss, total and share under one loss. */
export interface GroupLoss {
  readonly count: number;
  readonly meanPt: number | null;
  readonly perExample: number | null;
  readonly total: number;
  readonly share: number;
}

/**
 * Reads the file once and returns, for any (α, γ) of the sweep and any loss, each group's
 * totals; with `cdf`, also the histogram for top-fraction shares. A large plain file is read
 * on two threads (input/parallel.ts); anything else, or anything unusual, in one.
 */
export async function tallyFile(
  o: InputOptions & Options<'gamma'>,
  path: string,
  context: CommandContext,
  cdf: boolean,
) {
  const gammas = [...new Set(o.gamma)];
  const options = columnOptions(o);
  const watch = (source: InputSource) =>
    context.progress ? showProgress(source, context.progress) : () => {};
  let tallied = path === '-' ? undefined : await tallyInParallel(path, options, gammas, cdf, watch);
  if (tallied === undefined) {
    const { source, done } = await openPredictions(path, context, gammas.length * (cdf ? 2 : 1));
    try {
      tallied = await tallyPredictions(source, options, gammas, cdf);
    } finally {
      done();
    }
  }
  noteSummary(tallied.summary, path === '-' ? 'stdin' : path, context);
  return {
    tally: tallied.tally,
    histogram: tallied.histogram,
    gammaIndex: (gamma: number) => gammas.indexOf(gamma),
  };
}

/**
 * Every group's figures under `loss` at (α, γ), shares as the contract defines them. The sums
 * are read scaled, so means and shares stay right where sample weights add up past 1.8e308
 * or losses fall below 5e−324.
 */
function groupLosses(
  tally: LossTally,
  gammaIndex: number,
  loss: LossName,
  alpha: Alpha,
  base: LogBase,
): GroupLoss[] {
  const parts = GROUPS.map(({ y }) => {
    const g = tally.scaledGroup(y);
    const factor = loss === 'ce' ? 1 : alphaT(alpha, y);
    const natural = loss === 'fl' ? (g.focalSums[gammaIndex] as Scaled) : g.ceSum;
    const infinite = factor !== 0 && g.infiniteCount[0] > 0;
    const total: Scaled =
      factor === 0
        ? [0, 0]
        : infinite
          ? [Number.POSITIVE_INFINITY, 0]
          : scaledQuotient(scaledProductOf(toScaled(factor), natural), toScaled(base.lnBase));
    return { g, total, infinite };
  });
  // Infinite totals share by the weight of their infinite examples (the limit rule).
  const anyInfinite = parts.some((p) => p.infinite);
  const shares = scaledShares(
    parts.map((p) => (anyInfinite ? (p.infinite ? p.g.infiniteCount : [0, 0]) : p.total)),
  );
  return parts.map(({ g, total }, i) => {
    const some = g.count[0] > 0;
    return {
      count: fromScaled(g.count),
      meanPt: some ? fromScaled(scaledQuotient(g.ptSum, g.count)) : null,
      perExample: some ? fromScaled(scaledQuotient(total, g.count)) : null,
      total: fromScaled(total),
      share: shares[i] as number,
    };
  });
}

/** The rows of `focal contribution --input`. */
export async function contributionOfFile(
  o: InputOptions & Options<'alpha' | 'gamma' | 'logBase' | 'cdf' | 'top'>,
  path: string,
  context: CommandContext,
  losses: readonly LossName[],
  columns: readonly Column[],
  summaryOf: (
    positiveShare: (alpha: Alpha, gamma: number, loss: LossName) => number,
  ) => () => string[],
): Promise<RowSet> {
  const alphas = o.alpha;
  const gammas = o.gamma;
  const base = o.logBase;
  const { tally, histogram, gammaIndex } = await tallyFile(o, path, context, o.cdf);
  if (histogram) {
    const tops = o.top;
    function* cdfRows(h: LossHistogram): Generator<Row> {
      for (const [alpha, gamma] of alphaGamma(alphas, gammas)) {
        for (const loss of losses) {
          for (const { name, y } of GROUPS) {
            const noWeight = loss !== 'ce' && alphaT(alpha, y) === 0; // α_t = 0: no loss at all
            for (const top of tops) {
              const share = noWeight
                ? Number.NaN
                : h.topShare(y, loss === 'fl' ? { kind: 'fl', gamma } : { kind: 'ce' }, top);
              yield [alpha, gamma, loss, name, top, share];
            }
          }
        }
      }
    }
    return {
      columns: CDF_COLUMNS,
      rowCount: sweepRowCount(alphas, gammas, losses.length * GROUPS.length * tops.length),
      rows: cdfRows(histogram),
    };
  }
  const block = (alpha: Alpha, gamma: number, loss: LossName) =>
    groupLosses(tally, gammaIndex(gamma), loss, alpha, base);
  function* rows(): Generator<Row> {
    for (const [alpha, gamma] of alphaGamma(alphas, gammas)) {
      for (const loss of losses) {
        const figures = block(alpha, gamma, loss);
        for (const [i, { name, y }] of GROUPS.entries()) {
          const f = figures[i] as GroupLoss;
          yield [alpha, gamma, loss, name, y, f.count, f.meanPt, f.perExample, f.total, f.share];
        }
      }
    }
  }
  return {
    columns,
    rowCount: sweepRowCount(alphas, gammas, losses.length * GROUPS.length),
    rows: rows(),
    summary: summaryOf((alpha, gamma, loss) => (block(alpha, gamma, loss)[1] as GroupLoss).share),
  };
}
