/**
 * `focal contribution --input FILE`: the contribution of a real prediction file's negatives and
 * positives, for every (α, γ) of the sweep from one pass over the file, and with `--cdf` how
 * each group's loss is spread over its hardest examples (the paper's Figure 4).
 */
import { type LossName, type TalliedGroupLoss, tallyGroupLosses } from '../../core/group-loss.js';
import { type Alpha, alphaT } from '../../core/loss.js';
import type { LossHistogram } from '../../core/loss-histogram.js';
import type { LossTally } from '../../core/tally.js';
import type { Label } from '../../core/true-class.js';
import type { Column, Row, RowSet } from '../../format/formats.js';
import type { CommandContext } from '../command.js';
import type { InputOptions } from '../input-reading.js';
import type { Options } from '../options.js';
import { alphaGamma, sweepRowCount } from '../sweep.js';
import { tallyFile } from '../tally-file.js';

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

/** The rows of `focal contribution --input`. */
export async function contributionOfFile(
  o: InputOptions &
    Options<'alpha' | 'gamma' | 'logBase' | 'cdf' | 'top' | 'partial' | 'balancedCe'>,
  path: string,
  context: CommandContext,
  losses: readonly LossName[],
  columns: readonly Column[],
  summaryOf: (
    positiveShare: (alpha: Alpha, gamma: number, loss: LossName) => number,
  ) => () => string[],
): Promise<RowSet> {
  const tallied = await tallyFile(o, path, context, o.cdf);
  if (o.partial) {
    const { partialDocument } = await import('../partial.js');
    return {
      columns: [],
      rowCount: 0,
      rows: [],
      document: () => partialDocument(o, tallied),
    };
  }
  return contributionRows(o, tallied, losses, columns, summaryOf);
}

/** The rows of `contribution --input` from the tallies (of one file, or merged: `focal merge`). */
export function contributionRows(
  o: Options<'alpha' | 'gamma' | 'logBase' | 'cdf' | 'top'>,
  tallied: {
    readonly tally: LossTally;
    readonly histogram: LossHistogram | undefined;
    readonly gammaIndex: (gamma: number) => number;
  },
  losses: readonly LossName[],
  columns: readonly Column[],
  summaryOf: (
    positiveShare: (alpha: Alpha, gamma: number, loss: LossName) => number,
  ) => () => string[],
): RowSet {
  const alphas = o.alpha;
  const gammas = o.gamma;
  const base = o.logBase;
  const { tally, histogram, gammaIndex } = tallied;
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
    tallyGroupLosses(tally, gammaIndex(gamma), loss, alpha, base);
  function* rows(): Generator<Row> {
    for (const [alpha, gamma] of alphaGamma(alphas, gammas)) {
      for (const loss of losses) {
        const figures = block(alpha, gamma, loss);
        for (const [i, { name, y }] of GROUPS.entries()) {
          const f = figures[i] as TalliedGroupLoss;
          yield [alpha, gamma, loss, name, y, f.count, f.meanPt, f.perExample, f.total, f.share];
        }
      }
    }
  }
  return {
    columns,
    rowCount: sweepRowCount(alphas, gammas, losses.length * GROUPS.length),
    rows: rows(),
    summary: summaryOf(
      (alpha, gamma, loss) => (block(alpha, gamma, loss)[1] as TalliedGroupLoss).share,
    ),
  };
}
