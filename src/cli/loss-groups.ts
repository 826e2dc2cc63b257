/**
 * The loss that groups of identical examples carry: per example, in total and as a share of
 * all groups. Shared by `contribution` (groups of given p_t) and `bias-init` (a fresh
 * classifier's groups at p = 0.5 or p = π).
 */
import type { LogBase } from '../core/log-base.js';
import { type Alpha, alphaT, balancedCrossEntropy, crossEntropy, focalLoss } from '../core/loss.js';
import { groupTotal, lossShares } from '../core/shares.js';
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
  if (loss === 'ce') return crossEntropy(group.trueClass, base);
  if (loss === 'ce_alpha') return balancedCrossEntropy(group.trueClass, at, base);
  return focalLoss(group.trueClass, at, gamma, base);
}

/** Per-example loss, total and share of every group under one loss at one (α, γ). */
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
  const shares = lossShares(terms);
  return terms.map((term, i) => ({ ...term, total: groupTotal(term), share: shares[i] as number }));
}
