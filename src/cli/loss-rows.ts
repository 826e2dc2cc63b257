/**
 * The rows of `focal loss` for binary examples, shared by lists (`loss.ts`) and files
 * (`loss-input.ts`, loaded only for `--input`): the columns, one example's row, FL*'s β, and
 * the `--reduce` accumulator over the core's reductions (core/reduction.ts).
 */
import { crossEntropyGradient, focalLossGradient } from '../core/gradient.js';
import type { LogBase } from '../core/log-base.js';
import { type Alpha, alphaT, crossEntropy, focalLoss, modulatingWeight } from '../core/loss.js';
import { LossReducer } from '../core/reduction.js';
import {
  isHardTarget,
  softCrossEntropy,
  softFocalLoss,
  softModulatingWeight,
  softTargetFromLogit,
  softTargetFromProbability,
  softTrueClass,
} from '../core/soft-target.js';
import { focalLossStar, focalLossStarGradient } from '../core/star.js';
import {
  type Label,
  type TrueClass,
  trueClassFromLogit,
  trueClassFromProbability,
  trueClassFromPt,
} from '../core/true-class.js';
import { InputError, type MessagePart, UsageError } from '../errors.js';
import type { Column, Row } from '../format/formats.js';
import type { Options, Reduction } from './options.js';

export type ExampleInput = 'pt' | 'p' | 'logit';

/**
 * An example's TrueClass: for a label 0 or 1 as ever; for a soft target (p or logit only) its
 * soft view, p_t = p·y + (1 − p)(1 − y) (core/soft-target.ts).
 */
export const TRUE_CLASS: Record<ExampleInput, (x: number, y: number) => TrueClass> = {
  pt: (x) => trueClassFromPt(x),
  p: (x, y) =>
    isHardTarget(y)
      ? trueClassFromProbability(x, y)
      : softTrueClass(softTargetFromProbability(x, y)),
  logit: (x, y) =>
    isHardTarget(y) ? trueClassFromLogit(x, y) : softTrueClass(softTargetFromLogit(x, y)),
};

/** The positives that `--reduce pos-mean` counts: a soft row with y ≥ 1/2 is one. */
export function reductionLabel(y: number): Label {
  return y >= 0.5 ? 1 : 0;
}

/**
 * Refuses a soft target where it has no meaning here: with p_t alone (which does not say p),
 * and with --grad or --star (their closed forms are for labels 0 and 1).
 */
export function checkSoftTarget(
  y: number,
  input: ExampleInput,
  o: Options<'grad' | 'star'>,
  where: readonly MessagePart[],
): void {
  if (isHardTarget(y)) return;
  const why =
    input === 'pt'
      ? ': it needs --p or --logit (p_t alone does not give p, which the soft p_t = p·y + (1 − p)(1 − y) needs)'
      : o.grad
        ? ', and --grad is for labels 0 and 1 (its closed form has no soft target)'
        : o.star
          ? ', and --star is for labels 0 and 1 (FL* has no soft target)'
          : undefined;
  if (why !== undefined) throw new InputError([...where, `${y} is a soft label${why}`]);
}

/** The columns of a row that a sample weight multiplies (torch's `weight` of BCE). */
export const WEIGHTED_COLUMNS: ReadonlySet<string> = new Set([
  'ce',
  'fl',
  'ce_grad',
  'fl_grad',
  'fl_star',
  'fl_star_grad',
]);

export function columnsFor(input: ExampleInput, grad: boolean, star = false): Column[] {
  return [
    { name: 'alpha', kind: 'alpha' },
    { name: 'gamma', kind: 'real' },
    { name: 'y', kind: 'integer' },
    ...(input === 'pt' ? [] : [{ name: input, kind: 'real' } as const]),
    { name: 'pt', kind: 'real' },
    { name: 'ce', kind: 'real' },
    { name: 'fl', kind: 'real' },
    { name: 'weight', kind: 'real' },
    ...(grad
      ? [{ name: 'ce_grad', kind: 'real' } as const, { name: 'fl_grad', kind: 'real' } as const]
      : []),
    ...(star ? [{ name: 'fl_star', kind: 'real' } as const] : []),
    ...(star && grad ? [{ name: 'fl_star_grad', kind: 'real' } as const] : []),
  ];
}

/** The columns of a reduced row after n_pos: the per-example ones less y, the score, p_t, weight. */
export function reducedColumns(input: ExampleInput, grad: boolean, star: boolean): Column[] {
  const kept = new Set(['y', 'p', 'logit', 'pt', 'weight']);
  return columnsFor(input, grad, star)
    .slice(2)
    .filter((c) => !kept.has(c.name));
}

/**
 * `--reduce sum|mean|pos-mean`: one row per (α, γ) with the examples' losses (and gradients)
 * summed with compensation and divided by 1, by n, or by max(1, n_pos) (torchvision's
 * RetinaNet normalisation; detectron2 uses a moving average of that count). Fed one example
 * at a time for the (α, γ) settings it is given: all of them for a file (one pass), one at a
 * time for lists (so that a sweep of any length streams).
 */
export class LossReduction {
  readonly columns: Column[];
  private readonly indices: number[];
  /** One core reducer per (α, γ) setting, and the reduced quantities of one example. */
  private readonly reducers: LossReducer[];
  private readonly values: Float64Array;

  constructor(
    private readonly how: Exclude<Reduction, 'none'>,
    private readonly settings: readonly (readonly [Alpha, number])[],
    private readonly input: ExampleInput,
    private readonly o: Options<'grad' | 'logBase'>,
    private readonly star: { beta: number } | undefined,
  ) {
    const perExample = columnsFor(input, o.grad, star !== undefined);
    const reduced = reducedColumns(input, o.grad, star !== undefined);
    // Where each reduced column sits in a per-example row, found by name.
    this.indices = reduced.map((c) => perExample.findIndex((p) => p.name === c.name));
    this.columns = REDUCED_LEAD.concat(reduced);
    this.reducers = settings.map(() => new LossReducer(reduced.length));
    this.values = new Float64Array(reduced.length);
  }

  /** Adds an example, with its sample weight (`--weight-col`; see LossReducer.add). */
  add(x: number, y: number, tc: TrueClass, weight = 1): void {
    const { input, o, star, indices, values } = this;
    for (const [k, [alpha, gamma]] of this.settings.entries()) {
      const row = lossRow({ alpha, gamma, y, input, x, tc, base: o.logBase, grad: o.grad, star });
      for (let j = 0; j < indices.length; j++) values[j] = row[indices[j] as number] as number;
      (this.reducers[k] as LossReducer).add(values, reductionLabel(y), weight);
    }
  }

  /** The reduced rows, one per setting, in the order given. */
  rows(): Row[] {
    const { how } = this;
    return this.settings.map(([alpha, gamma], k): Row => {
      const reducer = this.reducers[k] as LossReducer;
      return [alpha, gamma, how, reducer.n, reducer.positives, ...reducer.reduced(how)];
    });
  }
}

export const REDUCED_LEAD: Column[] = [
  { name: 'alpha', kind: 'alpha' },
  { name: 'gamma', kind: 'real' },
  { name: 'reduce', kind: 'text' },
  { name: 'n', kind: 'integer' },
  { name: 'n_pos', kind: 'integer' },
];

/**
 * FL*'s β when --star is asked for: it needs logits (x_t) and γ > 0 (that --star-beta needs
 * --star is a declared relation).
 */
export function starOf(
  o: Options<'star' | 'starBeta' | 'gamma'>,
  input: ExampleInput,
): { beta: number } | undefined {
  if (!o.star) return undefined;
  if (input !== 'logit') {
    throw new UsageError(
      '--star needs logits (--logit, or --input with a logit column): FL* is defined on the logit x_t',
    );
  }
  for (const gamma of o.gamma) {
    if (!(gamma > 0)) throw new UsageError(`--star: FL* needs γ > 0 (--gamma has ${gamma})`);
  }
  return { beta: o.starBeta };
}

/** One example at one (α, γ): what a row of the `loss` columns is made from. */
export interface LossRowInput {
  readonly alpha: Alpha;
  readonly gamma: number;
  /** 0 or 1, or a soft target in (0, 1) (with p or a logit). */
  readonly y: number;
  /** How the example was given: its score `x` is a row's column unless it is p_t. */
  readonly input: ExampleInput;
  readonly x: number;
  readonly tc: TrueClass;
  readonly base: LogBase | undefined;
  readonly grad: boolean;
  readonly star?: { beta: number } | undefined;
}

/** One row of the `loss` columns. */
export function lossRow({ alpha, gamma, y, input, x, tc, base, grad, star }: LossRowInput): Row {
  if (!isHardTarget(y)) {
    // A soft target (checkSoftTarget has refused p_t, --grad and --star): torchvision's and
    // Keras's FL = α_t(1 − p_t)^γ·BCE(p, y), `tc` being the soft p_t.
    const example = input === 'logit' ? softTargetFromLogit(x, y) : softTargetFromProbability(x, y);
    return [
      alpha,
      gamma,
      y,
      x,
      tc.pt,
      softCrossEntropy(example, base),
      softFocalLoss(example, alpha, gamma, base),
      softModulatingWeight(example, alpha, gamma),
    ];
  }
  const at = alphaT(alpha, y);
  if (!star) {
    // One array a row, without spreads: long outputs make little garbage per row (issue 17).
    const pt = tc.pt;
    const ce = crossEntropy(tc, base);
    const fl = focalLoss(tc, at, gamma, base);
    const weight = modulatingWeight(tc, at, gamma);
    if (!grad) {
      return input === 'pt'
        ? [alpha, gamma, y, pt, ce, fl, weight]
        : [alpha, gamma, y, x, pt, ce, fl, weight];
    }
    const ceGrad = crossEntropyGradient(tc, y, base);
    const flGrad = focalLossGradient(tc, at, gamma, y, base);
    return input === 'pt'
      ? [alpha, gamma, y, pt, ce, fl, weight, ceGrad, flGrad]
      : [alpha, gamma, y, x, pt, ce, fl, weight, ceGrad, flGrad];
  }
  const values = [
    tc.pt,
    crossEntropy(tc, base),
    focalLoss(tc, at, gamma, base),
    modulatingWeight(tc, at, gamma),
    ...(grad ? [crossEntropyGradient(tc, y, base), focalLossGradient(tc, at, gamma, y, base)] : []),
    ...(star ? [focalLossStar(x, y, at, gamma, star.beta, base)] : []),
    ...(star && grad ? [focalLossStarGradient(x, y, at, gamma, star.beta, base)] : []),
  ];
  return input === 'pt' ? [alpha, gamma, y, ...values] : [alpha, gamma, y, x, ...values];
}
