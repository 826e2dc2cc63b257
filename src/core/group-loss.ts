/**
 * The loss that groups of examples carry under one loss at one (α, γ): per example, in total and
 * as a share of all groups (math.md, "Sums"; cli-contract.md, `focal contribution`). Two kinds
 * of group: identical examples (a count at one p_t: `groupLosses`), and the label groups of a
 * stream tallied in one pass (`tallyGroupLosses`, over a `LossTally`).
 *
 * Every figure is held as (mantissa, exponent) until the end, so a per-example loss below
 * 5e−324 times a count of 1e300 gives its true total and share (not 0), and counts or weights
 * adding up past 1.8e308 still give finite shares. Shares follow the limit rule for infinite
 * totals (`limitShares`, shares.ts).
 */
import type { LogBase } from './log-base.js';
import { type Alpha, alphaT } from './loss.js';
import {
  fromScaled,
  type Scaled,
  scaleBy,
  scaledProductOf,
  scaledQuotient,
  toScaled,
} from './scaled.js';
import { scaledBalancedCrossEntropy, scaledCrossEntropy, scaledFocalLoss } from './scaled-loss.js';
import { limitShares, scaledGroupTotal, scaledLossShares } from './shares.js';
import type { LossTally } from './tally.js';
import { type Label, type TrueClass, trueClassFromProbability } from './true-class.js';

/** Which loss a group carries: CE, α-balanced CE (α_t·CE), or FL. */
export type LossName = 'ce' | 'ce_alpha' | 'fl';

/** A group of `count` examples (≥ 0; non-integers act as weights), all of label `y` and p_t. */
export interface LossGroup {
  readonly count: number;
  readonly y: Label;
  readonly trueClass: TrueClass;
}

/**
 * A fresh classifier's two groups, `neg` negatives and `pos` positives, when every example gets
 * the same probability p of the positive class: p = 0.5 with bias 0, p = π with the prior bias
 * (Lin et al., §3.3). Their `groupLosses` are the losses of the first step.
 */
export function groupsAtProbability(neg: number, pos: number, p: number): LossGroup[] {
  return [
    { count: neg, y: 0, trueClass: trueClassFromProbability(p, 0) },
    { count: pos, y: 1, trueClass: trueClassFromProbability(p, 1) },
  ];
}

/** One group's figures under one loss: per example, total (count × per example) and share. */
export interface GroupLoss {
  readonly count: number;
  readonly perExample: number;
  readonly total: number;
  /** The group's fraction of the summed totals, in [0, 1]; NaN when nothing carries loss. */
  readonly share: number;
}

function scaledPerExample(
  loss: LossName,
  group: LossGroup,
  alpha: Alpha,
  gamma: number,
  base?: LogBase,
): Scaled {
  const at = alphaT(alpha, group.y);
  if (loss === 'ce') return scaledCrossEntropy(group.trueClass, base);
  if (loss === 'ce_alpha') return scaledBalancedCrossEntropy(group.trueClass, at, base);
  return scaledFocalLoss(group.trueClass, at, gamma, base);
}

/**
 * Per-example loss, total and share of every group of identical examples under `loss` at
 * (α, γ), in the logarithm `base` (natural by default). total = count × per example with
 * 0 × ∞ = 0; a group with p_t = 0 (infinite loss) and count > 0 takes the infinite groups'
 * share by its count. Within 2(1 + γ) EPS of the exact values, shares within 3(1 + γ) EPS
 * (test/fixtures/contribution.json).
 *
 * @example
 * groupLosses('fl', [
 *   { count: 1e6, y: 0, trueClass: trueClassFromPt(0.99) },
 *   { count: 10, y: 1, trueClass: trueClassFromPt(0.01) },
 * ], 0.25, 2); // shares 0.0626…, 0.9374…
 */
export function groupLosses(
  loss: LossName,
  groups: readonly LossGroup[],
  alpha: Alpha,
  gamma: number,
  base?: LogBase,
): GroupLoss[] {
  const terms = groups.map((g) => ({
    count: g.count,
    perExample: scaledPerExample(loss, g, alpha, gamma, base),
  }));
  const shares = scaledLossShares(terms);
  return terms.map((term, i) => ({
    count: term.count,
    perExample: fromScaled(term.perExample),
    total: fromScaled(scaledGroupTotal(term)),
    share: shares[i] as number,
  }));
}

/** One label group of a tallied stream under one loss (`tallyGroupLosses`). */
export interface TalliedGroupLoss {
  /** The number of examples, or the sum of their weights. */
  readonly count: number;
  /** The weighted mean p_t; null for a group without examples. */
  readonly meanPt: number | null;
  /** total/count, the mean loss (not the loss at the mean p_t); null without examples. */
  readonly perExample: number | null;
  readonly total: number;
  readonly share: number;
}

/**
 * The negatives' and positives' figures (in that order) of a stream tallied in one pass, under
 * `loss` at (α, the γ of the tally's `gammaIndex`), in the logarithm `base`. The tally's sums are
 * read scaled, so means and shares stay right where sample weights add up past 1.8e308 or
 * losses fall below 5e−324. A group with α_t = 0 carries nothing (even with infinite CE);
 * examples with p_t = 0 make their group's total infinite, and the limit rule shares it.
 */
export function tallyGroupLosses(
  tally: LossTally,
  gammaIndex: number,
  loss: LossName,
  alpha: Alpha,
  base: LogBase,
): TalliedGroupLoss[] {
  const labels: readonly Label[] = [0, 1];
  const parts = labels.map((y) => {
    const g = tally.scaledGroup(y);
    const factor = loss === 'ce' ? 1 : alphaT(alpha, y);
    const natural = loss === 'fl' ? (g.focalSums[gammaIndex] as Scaled) : g.ceSum;
    // Soft targets' part carried with the other class's α_t (none in a file of hard labels).
    const otherFactor = loss === 'ce' ? 1 : alphaT(alpha, y === 1 ? 0 : 1);
    const other = loss === 'fl' ? (g.focalOthers[gammaIndex] as Scaled) : g.ceOther;
    const soft = other[0] !== 0 && otherFactor !== 0;
    // A soft row's α_t is never 0 (both classes weigh in), so its infinite CE always counts.
    const infinite = (factor !== 0 && g.infiniteCount[0] > 0) || g.softInfiniteCount[0] > 0;
    let total: Scaled;
    if (infinite) total = [Number.POSITIVE_INFINITY, 0];
    else if (factor === 0 && !soft) total = [0, 0];
    else {
      const own: Scaled = factor === 0 ? [0, 0] : scaledProductOf(toScaled(factor), natural);
      const sum = soft ? scaledSum(own, scaledProductOf(toScaled(otherFactor), other)) : own;
      total = scaledQuotient(sum, toScaled(base.lnBase));
    }
    return { g, total };
  });
  const shares = limitShares(
    parts.map((p) => p.total),
    parts.map((p) => p.g.infiniteCount),
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

/** a + b for scaled a, b ≥ 0: aligned to the larger exponent, one rounding. */
function scaledSum(a: Scaled, b: Scaled): Scaled {
  if (a[0] === 0) return b;
  if (b[0] === 0) return a;
  const e = Math.max(a[1], b[1]);
  const [m, f] = toScaled(scaleBy(a[0], a[1] - e) + scaleBy(b[0], b[1] - e));
  return [m, f + e];
}
