/**
 * One pass over a prediction file for `contribution --input` and `plot cdf`: the label groups'
 * loss totals for every γ of the sweep (core/tally.ts) and, with `cdf`, the histogram of
 * top-fraction shares (core/loss-histogram.ts).
 */
import { isGlob } from '../input/glob.js';
import { tallyInParallel } from '../input/parallel.js';
import type { InputSource } from '../input/source.js';
import { tallyPredictions } from '../input/tally-predictions.js';
import type { CommandContext } from './command.js';
import { columnOptions, type InputOptions, noteSummary, openPredictions } from './input-reading.js';
import type { Options } from './options.js';
import { showProgress } from './progress.js';

/**
 * Reads the file once and returns, for any (α, γ) of the sweep and any loss, each group's
 * totals; with `cdf`, also the histogram for top-fraction shares. A large plain file is read
 * on two threads (input/parallel.ts); anything else, or anything unusual, in one. Many
 * files (`--input` repeated, or a glob) are read as one input (tally-files.ts).
 */
export async function tallyFile(
  o: InputOptions & Options<'gamma'>,
  path: string,
  context: CommandContext,
  cdf: boolean,
) {
  // Many files, or a glob (`--input 'shard-*.csv.gz'`): read as one input (tally-files.ts).
  const inputs = context.inputs ?? [path];
  if (inputs.length > 1 || inputs.some(isGlob)) {
    const many = await import('./tally-files.js');
    const paths = await many.inputFiles(inputs);
    if (paths.length > 1) return many.tallyManyFiles(o, paths, context, cdf);
    path = paths[0] as string;
  }
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
    summary: tallied.summary,
    gammaIndex: (gamma: number) => gammas.indexOf(gamma),
  };
}
