/**
 * The loss that groups of identical examples carry: per example, in total and as a share of
 * all groups. Shared by `contribution` (groups of given p_t) and `bias-init` (a fresh
 * classifier's groups at p = 0.5 or p = π).
 */
import type { LogBase } from '../core/log-base.js';
import { type Alpha, alphaT } from '../core/loss.js';
import { fromScaled } from '../core/scaled.js';
import {
  scaledBalancedCrossEntropy,
  scaledCrossEntropy,
  scaledFocalLoss,
} from '../core/scaled-loss.js';
import { scaledGroupTotal, scaledLossShares } from '../core/shares.js';
import type { Label, TrueClass } from '../core/true-class.js';
import type { LossName } from './commands/contribution-input.js';

/** A group of `count` examples, all of label `y` and true-class probability `trueClass`. */
export interface LossGroup {
  readonly count: number;
  readonly y: number;
  readonly trueClass: TrueClass;
}

function perExampleLoss(
  loss: LossName,
  group: LossGroup,
  alpha: Alpha,
  gamma: number,
  base: LogBase,
) {
  const at = alphaT(alpha, group.y as Label);
  if (loss === 'ce') return scaledCrossEntropy(group.trueClass, base);
  if (loss === 'ce_alpha') return scaledBalancedCrossEntropy(group.trueClass, at, base);
  return scaledFocalLoss(group.trueClass, at, gamma, base);
}

/**
 * Per-example loss, total and share of every group under one loss at one (α, γ). The loss is
 * held as (mantissa, exponent) until the end, so a per-example loss below 5e−324 times a count
 * of 1e300 gives its true total and share, not 0.
 */
export function lossBlock(
  loss: LossName,
  groups: readonly LossGroup[],
  alpha: Alpha,
  gamma: number,
  base: LogBase,
) {
  const terms = groups.map((g) => ({
    count: g.count,
    perExample: perExampleLoss(loss, g, alpha, gamma, base),
  }));
  const shares = scaledLossShares(terms);
  return terms.map((term, i) => ({
    count: term.count,
    perExample: fromScaled(term.perExample),
    total: fromScaled(scaledGroupTotal(term)),
    share: shares[i] as number,
  }));
}
