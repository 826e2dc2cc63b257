/**
 * `focal bias-init`'s rows (its declaration is bias-init.ts; this file is loaded when it runs):
 * the prior-probability bias of the final classifier layer, and what it does
 * to a fresh classifier: the loss each group carries at the first step (`--neg/--pos`), and
 * the spread of the initial probabilities (`--fan-in …`).
 */
import { groupLosses, groupsAtProbability, type LossName } from '../../core/group-loss.js';
import type { Alpha } from '../../core/loss.js';
import { initialProbability, preActivationStd, priorBias, shiftedPrior } from '../../core/prior.js';
import { preActivationQuantile } from '../../core/spread.js';
import { InputError } from '../../errors.js';
import type { Column, Row, RowSet } from '../../format/formats.js';
import type { CommandContext } from '../command.js';
import { alphaGamma, sweepRowCount } from '../sweep.js';

const PRIOR_COLUMNS: readonly Column[] = [
  { name: 'pi', kind: 'real' },
  { name: 'bias', kind: 'real' },
  { name: 'p0', kind: 'real' },
];

const SPREAD_COLUMNS: readonly Column[] = [
  ...PRIOR_COLUMNS,
  { name: 'wx_std', kind: 'real' },
  { name: 'p_q01', kind: 'real' },
  { name: 'p_median', kind: 'real' },
  { name: 'p_q99', kind: 'real' },
];

const INIT_LOSS_COLUMNS: readonly Column[] = [
  { name: 'alpha', kind: 'alpha' },
  { name: 'gamma', kind: 'real' },
  { name: 'pi', kind: 'real' },
  { name: 'init', kind: 'text' },
  { name: 'loss', kind: 'text' },
  { name: 'group', kind: 'text' },
  { name: 'per_example', kind: 'real' },
  { name: 'total', kind: 'real' },
  { name: 'share', kind: 'real' },
];

import type { BiasInitOptions } from './bias-init-options.js';

const INITS = ['zero', 'prior'] as const;
const LOSSES: readonly LossName[] = ['ce', 'fl'];

/** Decimals beyond which a share's distance from 0% or 100% is not worth printing. */
const MAX_DECIMALS = 10;

/**
 * A share as a percentage with enough decimals to show its distance from 0% and from 100%:
 * 99.9997% must not print as 100.00% (contribution's summary keeps the contract's two
 * decimals). Closer than 10 decimals, it prints as >99.9999999999% or <0.0000000001%.
 */
function sharePercent(share: number): string {
  if (Number.isNaN(share)) return 'undefined (no loss)';
  const pct = share * 100;
  const nearest = Math.min(pct, 100 - pct);
  const decimals =
    nearest > 0 ? Math.min(MAX_DECIMALS, Math.max(2, 1 - Math.floor(Math.log10(nearest)))) : 2;
  const text = pct.toFixed(decimals);
  const unit = 10 ** -decimals;
  if (nearest > 0 && Number(text) === 100) return `>${(100 - unit).toFixed(decimals)}%`;
  if (nearest > 0 && Number(text) === 0) return `<${unit.toFixed(decimals)}%`;
  return `${text}%`;
}

/** The loss of the first step with bias 0 (every p = 0.5) against the prior bias (p = π). */
function initialLoss(
  o: BiasInitOptions,
  neg: number,
  pos: number,
  context: CommandContext,
): RowSet {
  const alphas = o.alpha;
  const gammas = o.gamma;
  const priors = o.pi;
  const base = o.logBase;
  const groupsAt = (init: (typeof INITS)[number], pi: number) =>
    groupsAtProbability(neg, pos, init === 'zero' ? 0.5 : pi);
  if (context.given.has('logBase') && base.lnBase !== 1) {
    context.note('the losses are in the chosen base; the shares do not depend on it');
  }
  function* rows(): Generator<Row> {
    for (const [alpha, gamma] of alphaGamma(alphas, gammas)) {
      for (const pi of priors) {
        for (const init of INITS) {
          for (const loss of LOSSES) {
            const block = groupLosses(loss, groupsAt(init, pi), alpha, gamma, base);
            for (const [i, group] of (['neg', 'pos'] as const).entries()) {
              const { perExample, total, share } = block[i] as (typeof block)[number];
              yield [alpha, gamma, pi, init, loss, group, perExample, total, share];
            }
          }
        }
      }
    }
  }
  // What the paper's §3.3 is about, one line per setting: the negatives' share of each loss.
  const negativeShare = (init: (typeof INITS)[number], pi: number, alpha: Alpha, gamma: number) =>
    LOSSES.map((loss) => {
      const share = groupLosses(loss, groupsAt(init, pi), alpha, gamma, base)[0]?.share as number;
      return `${sharePercent(share)} of ${loss.toUpperCase()}`;
    }).join(', ');
  const summary = () =>
    [...alphaGamma(alphas, gammas)].flatMap(([alpha, gamma]) =>
      [...priors].map(
        (pi) =>
          `α = ${alpha ?? 'none'}, γ = ${gamma}, π = ${pi}: negatives carry ` +
          `${negativeShare('zero', pi, alpha, gamma)} with bias 0; ` +
          `${negativeShare('prior', pi, alpha, gamma)} with the prior bias`,
      ),
    );
  return {
    columns: INIT_LOSS_COLUMNS,
    rowCount: sweepRowCount(alphas, gammas, priors.length * INITS.length * LOSSES.length * 2),
    rows: rows(),
    summary,
  };
}

/** The bias, and with `--fan-in` the 1%, 50% and 99% points of the initial probability. */
function priorRows(
  o: BiasInitOptions,
  context: CommandContext,
  priors: Iterable<number> & { readonly length: number } = o.pi,
): RowSet {
  if (context.given.has('logBase') && o.logBase.lnBase !== 1) {
    context.note(
      'the bias is in natural-log units whatever --log-base says, because the sigmoid is base e; ' +
        "the seed's base-10 figure −log10(99) = −1.9956 would start at σ(−1.9956) = 0.12, not 0.01",
    );
  }
  const fanIn = o.fanIn;
  const layer = [o.weightStd, o.inputMean, o.inputStd] as const;
  const wxStd = fanIn === undefined ? undefined : preActivationStd(fanIn, ...layer);
  // wx's exact 99% point (symmetric: the 1% point is its negative), found once.
  const wx99 = fanIn === undefined ? 0 : preActivationQuantile(fanIn, ...layer, 0.99);
  /** The 1%, 50% and 99% points of p = σ(b + wx). */
  const spreadOf = (pi: number) => [shiftedPrior(pi, -wx99), pi, shiftedPrior(pi, wx99)];
  return {
    columns: wxStd === undefined ? PRIOR_COLUMNS : SPREAD_COLUMNS,
    rowCount: priors.length,
    rows: (function* () {
      for (const pi of priors) {
        const bias = priorBias(pi);
        const prior = [pi, bias, initialProbability(bias)];
        yield wxStd === undefined ? prior : [...prior, wxStd, ...spreadOf(pi)];
      }
    })(),
  };
}

/** The rows of `focal bias-init`. */
export function biasInitRows(
  o: BiasInitOptions,
  context: CommandContext,
): RowSet | Promise<RowSet> {
  if (o.input !== undefined && o.classCols !== undefined && o.activation !== undefined) {
    const [path, classCols, activation] = [o.input, o.classCols, o.activation];
    return import('../wide-counts.js').then(({ wideBiasInit }) =>
      wideBiasInit({ ...o, classCols, activation }, path, context),
    );
  }
  if (o.input !== undefined) {
    const path = o.input;
    return import('../label-counts.js').then(async ({ countLabels }) => {
      const { neg, pos, name } = await countLabels(o, path, context);
      if (neg === 0 || pos === 0) {
        throw new InputError(
          `${name} has no ${pos === 0 ? 'positives' : 'negatives'}: π = ${pos === 0 ? 0 : 1} has no bias (ln(π/(1 − π)) is infinite)`,
        );
      }
      // π as the positives' fraction, rounded once (exact counts, one division).
      return priorRows(o, context, [pos / (neg + pos)]);
    });
  }
  // Both or neither, as the relations require.
  if (o.neg !== undefined && o.pos !== undefined) return initialLoss(o, o.neg, o.pos, context);
  return priorRows(o, context);
}
